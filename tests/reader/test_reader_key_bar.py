"""The key bar: the keys that work where the focus is, on one line; a click presses a key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reader_helpers import SIZE, saved, view_of, widget_text
from rich.segment import Segment
from rich.text import Text

from reader.widgets.key_bar import KeyBar


def key_bar(app: object) -> KeyBar:
    return app.reader_screen.query_one(KeyBar)  # type: ignore[attr-defined, no-any-return]


def key_bar_row(app: object) -> list[Segment]:
    """The key bar's row as the screen shows it now (composed, not asked of the bar)."""
    bar = key_bar(app)
    return list(app.screen._compositor.render_strips()[bar.region.y])  # type: ignore[attr-defined]


def shown_keys(app: object) -> str:
    return "".join(segment.text for segment in key_bar_row(app))


async def test_shows_the_focused_views_keys_and_the_apps_and_the_palette_on_the_right(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = widget_text(key_bar(app))
        for pair in [" c Claim ", " o Opinion ", " u Unverified ", " q Quit ", " ? Keys "]:
            assert pair in line, (pair, line)
        # One entry per action, not per key: "j" and "down" move the same way.
        assert line.count("Next sentence") == 1
        # Keys bound with show=False (tab, [ and ]) stay out of the bar, as on Textual's Footer.
        assert "Next pane" not in line and "Next article" not in line
        assert line.rstrip().endswith("^p palette")
        assert len(line) == SIZE[0]


async def test_clicking_a_key_presses_it(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        span = view_of(app, 0).current_span
        line = widget_text(key_bar(app))
        await pilot.click(KeyBar, offset=(line.index("Claim"), 0))
        await pilot.pause()
        [annotation] = saved(db_path)
        assert annotation.label == "claim"
        assert (annotation.start, annotation.end) == span
        # A click between keys (on the gap before the palette) presses nothing.
        await pilot.click(KeyBar, offset=(line.index("^p") - 3, 0))
        await pilot.pause()
        assert len(saved(db_path)) == 1
        assert app.is_running


async def test_follows_the_focus_without_rebuilding_widgets(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = key_bar(app)
        before = widget_text(bar)
        app.reader_screen.set_focus(None)  # nothing focused: only the app's keys apply
        await pilot.pause()
        unfocused = widget_text(bar)
        assert "Claim" not in unfocused and " q Quit " in unfocused
        await pilot.press("tab")
        await pilot.pause()
        assert widget_text(bar) == before
        assert not bar.children


async def test_a_narrow_terminal_cuts_keys_with_an_ellipsis_but_keeps_help_and_palette(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        line = widget_text(key_bar(app))
        assert len(line) == 70
        assert "…" in line and "Export" not in line
        assert line.rstrip().endswith(" ? Keys  ^p palette")
        assert line.index("…") < line.index("? Keys")
        await pilot.click(KeyBar, offset=(line.index("Keys"), 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


async def test_tab_between_articles_does_not_redraw_the_line_but_new_keys_do(
    make_app, monkeypatch
) -> None:
    """Every focus change updates the bindings; the line is drawn again only when the keys it
    shows changed (Tab from one article to the next shows the same ones), and a line drawn
    before is kept: Escape out of the search bar shows the panes' line without drawing it."""
    drawn: list[str] = []
    original = KeyBar._line_text

    def counting(self: KeyBar, *keys: Any) -> Text:
        text = original(self, *keys)
        drawn.append(text.plain)
        return text

    monkeypatch.setattr(KeyBar, "_line_text", counting)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert drawn and "Claim" in drawn[-1]
        drawn.clear()
        await pilot.press("tab")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is view_of(app, 2)
        assert drawn == []
        await pilot.press("slash")  # the search bar's keys
        await pilot.pause()
        assert len(drawn) == 1 and "Close search" in drawn[0] and "Claim" not in drawn[0]
        assert "Close search" in shown_keys(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(drawn) == 1  # the panes' line, kept from before
        assert "Claim" in shown_keys(app) and "Close search" not in shown_keys(app)
        await pilot.press("slash")
        await pilot.pause()
        assert len(drawn) == 1 and "Close search" in shown_keys(app)


async def test_a_new_theme_draws_the_line_again_in_its_colours(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = key_bar_row(app)
        app.theme = "textual-light"
        await pilot.pause()
        after = key_bar_row(app)
        assert [segment.text for segment in after] == [segment.text for segment in before]
        assert [segment.style for segment in after] != [segment.style for segment in before]
        bar = key_bar(app)
        bar._lines.clear()  # drawn afresh: the same
        assert list(bar.render_line(0)) == list(after)
