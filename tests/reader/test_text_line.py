"""The key bar and the status line draw their line themselves (reader.widgets.text_line): it
must be the line Textual's own Visual path draws, segment for segment, in every state they
show, including a status line too long for the terminal (cut with "…")."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget

from reader.widgets.key_bar import KeyBar
from reader.widgets.status_line import StatusLine


def as_textual_draws(widget: Widget) -> list[Any]:
    return list(Widget.render_line(widget, 0))


async def test_key_bar_and_status_line_are_drawn_as_textual_draws_them(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.reader_screen
        keys, status = screen.query_one(KeyBar), screen.query_one(StatusLine)
        pictures: dict[str, set[str]] = {"KeyBar": set(), "StatusLine": set()}

        def compare() -> None:
            for widget in (keys, status):
                ours = list(widget.render_line(0))
                assert ours == as_textual_draws(widget), type(widget).__name__
                pictures[type(widget).__name__].add(repr(ours))

        compare()
        await pilot.press("slash")  # the search's keys
        await pilot.pause()
        compare()
        await pilot.press("escape", "c")  # a tag: the counts change
        await pilot.pause()
        compare()
        status.show_note("a long note " * 20)  # far wider than 80: cut with "…"
        await pilot.pause()
        compare()
        assert "…" in "".join(segment.text for segment in status.render_line(0))
        app.theme = "textual-light"
        await pilot.pause()
        compare()
        # Not one picture compared over and over: the keys as read, as searched and in the
        # light theme; the status as started, tagged, with the note and in the light theme.
        assert {name: len(seen) for name, seen in pictures.items()} == {
            "KeyBar": 3,
            "StatusLine": 4,
        }
