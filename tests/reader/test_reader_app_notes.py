"""Pilot tests: a note is a record of its own on a sentence (tagged or not), marked, undoable.

Enter on a pane opens the note editor (a multi-line TextArea): Enter there starts a new line,
ctrl+s or the Save button saves, escape cancels.
"""

from __future__ import annotations

from pathlib import Path

from reader_helpers import (
    SIZE,
    gutter,
    on_text,
    saved,
    status_text,
    view_lines,
    view_of,
    widget_text,
)
from textual.widgets import TextArea

from annotations.model import Annotation
from corpus.loader import load_article
from reader.app import NewsReaderApp
from reader.screens.note_screen import QUOTE_PREVIEW_CHARS, NoteScreen
from reader.widgets.article_view import ArticleView
from reader.widgets.line_painting import GUTTER_WIDTH, NOTE_MARK


def note_rows(view: ArticleView) -> list[int]:
    return [row for row, line in enumerate(view_lines(view)) if gutter(line)[4:5] == NOTE_MARK]


def cursor_note_rows(view: ArticleView) -> list[int]:
    """Rows of the sentence under the cursor (which carries the only note in these tests)."""
    return [y for y, line in enumerate(view_lines(view)) if line.startswith("▌")]


def notes(db_path: Path) -> list[Annotation]:
    """The note records on disk right now (read through a second store)."""
    return [a for a in saved(db_path) if a.is_note]


def labels(db_path: Path) -> list[str]:
    return sorted(a.label for a in saved(db_path) if a.is_tag)


def dialog_title(app: NewsReaderApp) -> str:
    return widget_text(app.screen.query_one(".dialog-title")).strip()


async def test_enter_on_a_tagged_sentence_saves_one_note_beside_its_labels(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c", "u")
        span = view.current_span
        assert note_rows(view) == []
        await pilot.press("enter")
        assert isinstance(app.screen, NoteScreen)
        assert dialog_title(app) == "Your note on this claim / unverified"
        await pilot.press(*"ask [the] IDF", "ctrl+s")
        assert not isinstance(app.screen, NoteScreen)
        # Saved before any pause, literally (brackets are text, not markup): one note record
        # on the sentence, the two labels as they were, without a note of their own.
        [note] = notes(db_path)
        assert (note.note, note.label, note.motivation) == ("ask [the] IDF", "", "commenting")
        assert ((note.start, note.end), note.annotator) == (span, "tester")
        assert note.modified == note.created
        assert labels(db_path) == ["claim", "unverified"]
        assert all(a.note == "" for a in saved(db_path) if a.is_tag)
        await pilot.pause()
        assert note_rows(view), "a noted sentence shows the note mark in the gutter"


async def test_a_note_on_an_untagged_sentence_is_saved(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert dialog_title(app) == "Your note on this passage"
        await pilot.press(*"who said this?", "ctrl+s")
        assert not isinstance(app.screen, NoteScreen)
        [note] = saved(db_path)  # the note alone: no label was made for it
        assert (note.motivation, note.label, note.note) == ("commenting", "", "who said this?")
        assert (note.start, note.end) == view.current_span
        await pilot.pause()
        assert view.marks.tags == {}
        assert view.marks.notes == {view.current_span: "who said this?"}
        assert note_rows(view) == cursor_note_rows(view)
        assert "✎ who said this?" in status_text(app)


async def test_removing_both_labels_keeps_the_note_and_its_mark(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c", "o", "enter", *"check the source", "ctrl+s")
        await pilot.pause()
        rows = note_rows(view)
        assert rows and rows == cursor_note_rows(view)
        await pilot.press("c", "o")  # both labels off again
        assert labels(db_path) == []
        assert [n.note for n in notes(db_path)] == ["check the source"]
        await pilot.pause()
        assert view.marks.tags == {}
        assert note_rows(view) == rows, "the note mark stays when the labels go"
        assert all(gutter(view_lines(view)[y])[1:4].strip() == "" for y in rows)
        assert "✎ check the source" in status_text(app)


async def test_escape_keeps_the_old_note_and_ctrl_z_restores_the_previous_one(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "o", "enter", *"first", "ctrl+s")
        await pilot.press("enter")
        assert app.screen.query_one(TextArea).text == "first", "the dialog opens on the note"
        await pilot.press("escape")
        assert [a.note for a in notes(db_path)] == ["first"]

        await pilot.press("enter", "ctrl+u", *"second", "ctrl+s")
        assert [a.note for a in notes(db_path)] == ["second"]
        await pilot.press("ctrl+z")
        assert [a.note for a in notes(db_path)] == ["first"]
        await pilot.press("ctrl+z")  # the note was added after the label: it goes first
        assert notes(db_path) == []
        assert labels(db_path) == ["opinion"]
        await pilot.pause()
        assert note_rows(view) == []
        await pilot.press("ctrl+z")
        assert saved(db_path) == []


async def test_an_empty_note_deletes_it_and_keeps_the_label(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c", "enter", *"x", "ctrl+s")
        await pilot.press("enter", "ctrl+u", "ctrl+s")
        assert notes(db_path) == []
        assert labels(db_path) == ["claim"]
        await pilot.pause()
        assert note_rows(view) == []


async def test_deleting_a_note_is_undone_by_ctrl_z(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "enter", *"keep me", "ctrl+s")
        [original] = notes(db_path)
        await pilot.press("enter", "ctrl+u", "ctrl+s")  # an empty note: deleted
        assert saved(db_path) == []
        await pilot.pause()
        assert note_rows(view) == []
        await pilot.press("ctrl+z")
        assert saved(db_path) == [original]  # the same record: id and timestamps
        await pilot.pause()
        assert note_rows(view) == cursor_note_rows(view)
        assert "✎ keep me" in status_text(app)
        await pilot.press("ctrl+y")  # and deleting it again is a redo away
        assert saved(db_path) == []


async def test_the_status_line_shows_the_note_under_the_focused_cursor(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "c", "enter", *"ask [the] IDF", "ctrl+s")
        await pilot.pause()
        assert "✎ ask [the] IDF │" in status_text(app)
        await pilot.press("j")  # the next sentence has no note
        await pilot.pause()
        assert "✎" not in status_text(app)
        view = view_of(app, 0)
        # The mouse too.
        await pilot.click(view, offset=on_text(view, GUTTER_WIDTH + 2, note_rows(view)[0]))
        await pilot.pause()
        assert "✎ ask [the] IDF" in status_text(app)
        await pilot.press("tab")  # another pane, another article: its cursor has no note
        await pilot.pause()
        assert "✎" not in status_text(app)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert "✎ ask [the] IDF" in status_text(app)
        await pilot.press("ctrl+z")  # undoing the note takes it off the status line
        await pilot.pause()
        assert "✎" not in status_text(app)
        assert notes(db_path) == []
        assert labels(db_path) == ["claim"]


async def test_enter_starts_a_new_line_and_ctrl_s_saves_the_lines(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "enter", *"first line", "enter", *"second line", "enter")
        assert isinstance(app.screen, NoteScreen), "Enter is a new line, not save"
        assert saved(db_path) == []
        await pilot.press(*"  [b]third[/b]  ", "enter", "enter", "ctrl+s")
        assert not isinstance(app.screen, NoteScreen)
        # Saved with its line breaks; blank lines and spaces at the very end are dropped.
        [note] = notes(db_path)
        assert note.note == "first line\nsecond line\n  [b]third[/b]"
        assert note.span == view.current_span
        await pilot.press("enter")
        assert app.screen.query_one(TextArea).text == note.note  # reopened as it was saved


async def test_the_save_button_saves_and_escape_cancels(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "enter", *"by the button")
        await pilot.click("#note-save")
        assert not isinstance(app.screen, NoteScreen)
        assert [n.note for n in notes(db_path)] == ["by the button"]
        await pilot.press("enter", "ctrl+u", *"not kept", "escape")
        assert not isinstance(app.screen, NoteScreen)
        assert [n.note for n in notes(db_path)] == ["by the button"]
        await pilot.press("enter", "ctrl+u", *"nor this")
        await pilot.click("#note-cancel")
        assert [n.note for n in notes(db_path)] == ["by the button"]


async def test_the_quote_and_a_note_with_control_characters_are_shown_literally(
    make_app, quiet_cache, tmp_path: Path, db_path: Path
) -> None:
    source = tmp_path / "odd.txt"
    long_tail = " and on" * 80
    source.write_bytes(f"Title\n\nA [b]bold[/b] claim \x1b[31mred{long_tail}.\n".encode())
    article = load_article(source)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j")
        span = view.current_span
        assert span is not None
        original = "line \x1b[2J one\r\nline two"
        step = app.editing.set_note(article, span, original)
        assert step is not None
        [before] = notes(db_path)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, NoteScreen)
        quote = widget_text(screen.query_one("#note-quote"))
        assert "\x1b" not in quote
        assert " ".join(quote.split()).startswith("“A [b]bold[/b] claim ␛[31mred and on")
        assert len(article.text[span[0] : span[1]]) > QUOTE_PREVIEW_CHARS
        assert "…”" in quote, "a long quote is cut"
        # Pictures in the editor, never the control characters themselves.
        assert screen.query_one(TextArea).text == "line ␛[2J one␍\nline two"
        await pilot.press("ctrl+s")  # unchanged: the note stays exactly as it was
        assert notes(db_path) == [before]
        await pilot.press("ctrl+z")  # and saving it made no step of its own
        assert notes(db_path) == []


async def test_a_cursor_message_arriving_as_the_app_closes_is_harmless(make_app) -> None:
    # A view's CursorMoved can reach the app after Textual removed its screens (a scroll's
    # cursor-follow runs after a refresh): the status line then has nothing to describe, and
    # asking the app for its focus raised ScreenStackError. Neither call may raise.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        view = view_of(app, 0)
    assert not app.screen_stack
    app._cursor_moved(ArticleView.CursorMoved(view))
    app._update_status()
