"""Pilot tests: a note on a tagged sentence is saved to every label's record, marked, undoable."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import SIZE, gutter, saved, status_text, toasts, view_lines, view_of

from reader.screens.note_screen import NoteScreen
from reader.widgets.article_view import GUTTER_WIDTH, NOTE_MARK, ArticleView


def note_rows(view: ArticleView) -> list[int]:
    return [row for row, line in enumerate(view_lines(view)) if gutter(line)[4:5] == NOTE_MARK]


async def test_n_writes_a_note_on_every_label_of_the_sentence(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c", "u")
        assert note_rows(view) == []
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"ask [the] IDF", "enter")
        assert not isinstance(app.screen, NoteScreen)
        on_disk = saved(db_path)
        assert sorted(a.label for a in on_disk) == ["claim", "unverified"]
        # Saved literally (brackets are text, not markup), on both labels, before any pause.
        assert {a.note for a in on_disk} == {"ask [the] IDF"}
        assert all(a.modified >= a.created for a in on_disk)
        await pilot.pause()
        assert note_rows(view), "a noted sentence shows the note mark in the gutter"


async def test_n_on_an_untagged_sentence_explains_and_saves_nothing(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "n")
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        assert any("Tag this sentence first" in text for text in toasts(app))
        assert saved(db_path) == []


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
        assert [a.note for a in saved(db_path)] == ["first"]

        await pilot.press("n", "ctrl+u", *"second", "enter")
        assert [a.note for a in saved(db_path)] == ["second"]
        await pilot.press("ctrl+z")
        assert [a.note for a in saved(db_path)] == ["first"]
        await pilot.press("ctrl+z")
        assert [a.note for a in saved(db_path)] == [""]
        await pilot.pause()
        assert note_rows(view) == []
        await pilot.press("ctrl+z")
        assert saved(db_path) == []


async def test_an_empty_note_removes_it(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "c", "n", *"x", "enter")
        await pilot.press("n", "ctrl+u", "enter")
        assert [a.note for a in saved(db_path)] == [""]


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
        assert [a.note for a in saved(db_path)] == [""]
