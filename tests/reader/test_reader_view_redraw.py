"""The article view redraws what changed: moving the focus redraws the cursor lines only, a new
theme redraws everything in the new colours."""

from __future__ import annotations

from typing import Any

import pytest
from reader_helpers import SIZE, view_of, wait_for

from reader.widgets.article_view import ArticleView


def count_drawn_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every line the views draw afresh (not from their line cache) is appended (its start)."""
    drawn: list[int] = []
    original = ArticleView._render_display_line

    def counting(self: ArticleView, line: Any, base: Any) -> Any:
        drawn.append(line.start)
        return original(self, line, base)

    monkeypatch.setattr(ArticleView, "_render_display_line", counting)
    return drawn


async def test_tab_redraws_only_the_cursor_lines_of_the_two_views(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for view in app.reader_screen.query(ArticleView):
            await wait_for(pilot, lambda v=view: v._layout.complete, what="the layout")
        await pilot.pause()
        drawn = count_drawn_lines(monkeypatch)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is view_of(app, 1)
        # Each view's cursor sentence spans two lines at the top; the 40 other lines on screen
        # per view come from the cache.
        assert 0 < len(drawn) <= 8, drawn


async def test_a_new_theme_redraws_the_text_in_its_colours(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app, 0)
        before = view.render_line(0)
        app.theme = "textual-light"
        await pilot.pause()
        after = view.render_line(0)
        assert after.text == before.text
        assert [s.style for s in after] != [s.style for s in before]
        assert after == view.render_line(0)  # and then it is cached again
