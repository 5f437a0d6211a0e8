"""Pilot tests: a note is a record of its own on a sentence (tagged or not), marked, undoable."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import SIZE, gutter, saved, status_text, view_lines, view_of, widget_text

from annotations.model import Annotation
from reader.app import NewsReaderApp
from reader.screens.note_screen import NoteScreen
from reader.widgets.article_view import GUTTER_WIDTH, NOTE_MARK, ArticleView


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


async def test_n_on_a_tagged_sentence_saves_one_note_beside_its_labels(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c", "u")
        span = view.current_span
        assert note_rows(view) == []
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        assert dialog_title(app) == "Your note on this claim / unverified"
        await pilot.press(*"ask [the] IDF", "enter")
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
        await pilot.press("j", "n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert dialog_title(app) == "Your note on this passage"
        await pilot.press(*"who said this?", "enter")
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
        await pilot.press("j", "c", "o", "n", *"check the source", "enter")
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
        await pilot.press("j", "o", "n", *"first", "enter")
        await pilot.press("n")
        note_input = app.screen.query_one("#note")
        assert getattr(note_input, "value", None) == "first", "the dialog opens on the note"
        await pilot.press("escape")
        assert [a.note for a in notes(db_path)] == ["first"]

        await pilot.press("n", "ctrl+u", *"second", "enter")
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
        await pilot.press("j", "c", "n", *"x", "enter")
        await pilot.press("n", "ctrl+u", "enter")
        assert notes(db_path) == []
        assert labels(db_path) == ["claim"]
        await pilot.pause()
        assert note_rows(view) == []


async def test_deleting_a_note_is_undone_by_ctrl_z(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "n", *"keep me", "enter")
        [original] = notes(db_path)
        await pilot.press("n", "ctrl+u", "enter")  # an empty note: deleted
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
        await pilot.press("j", "c", "n", *"ask [the] IDF", "enter")
        await pilot.pause()
        assert "✎ ask [the] IDF │" in status_text(app)
        await pilot.press("j")  # the next sentence has no note
        await pilot.pause()
        assert "✎" not in status_text(app)
        view = view_of(app, 0)
        await pilot.click(view, offset=(GUTTER_WIDTH + 2, note_rows(view)[0]))  # the mouse too
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
