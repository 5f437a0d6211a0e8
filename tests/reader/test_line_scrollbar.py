"""The article views' scrollbar (LineScrollBar) draws what Textual's ScrollBar draws, segment
for segment, in every state, follows the text, and still drags the view with the mouse."""

from __future__ import annotations

from typing import Any

from reader_helpers import SIZE
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget

from reader.widgets.article_view import ArticleView
from reader.widgets.line_scrollbar import LineScrollBar


def drawn_by_textual(bar: ScrollBar) -> list[list[Any]]:
    """The bar's lines as Textual's own ScrollBar draws them: the styles cache asking
    ScrollBar.render_line (the Rich render) for each line, then the app's line filters."""
    height = bar.size.height
    bar.render_line = lambda y: ScrollBar.render_line(bar, y)  # type: ignore[method-assign]
    try:
        bar._styles_cache.clear()
        strips = Widget.render_lines(bar, Region(0, 0, bar.size.width, height))
    finally:
        del bar.render_line
        bar._styles_cache.clear()
    return [list(strip) for strip in strips]


def drawn_by_us(bar: ScrollBar) -> list[list[Any]]:
    strips: list[Strip] = bar.render_lines(Region(0, 0, bar.size.width, bar.size.height))
    return [list(strip) for strip in strips]


async def test_the_bar_is_textuals_in_every_state(make_app) -> None:
    """At the top, after paging, at the end, hovered and grabbed, in a dark, a light and an ANSI
    theme: the same segments (text, colours, and the mouse actions in their meta) as
    ScrollBar's."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.reader_screen.visible_views[0]
        bar = view.vertical_scrollbar
        assert isinstance(bar, LineScrollBar)
        assert view.max_scroll_y > 0, "the text must be longer than the pane"
        seen: list[list[list[Any]]] = []

        async def compare() -> None:
            await pilot.pause()
            ours = drawn_by_us(bar)
            assert ours == drawn_by_textual(bar)
            seen.append(ours)

        await compare()
        await pilot.press("pagedown")
        await compare()
        await pilot.press("G")
        await compare()
        bar.mouse_over = True
        await compare()
        bar.grabbed = bar.region.offset
        await compare()
        bar.grabbed = None
        bar.mouse_over = False
        app.theme = "textual-light"
        await compare()
        app.theme = "ansi-dark"  # the terminal's own colours: no truecolor filter
        await compare()
        # Each state above drew a different bar: the comparisons were not all of one picture.
        assert len({repr(picture) for picture in seen}) == len(seen)


async def test_the_thumb_follows_paging_and_dragging_scrolls(make_app) -> None:
    """The thumb is redrawn where the view is (nothing stale from the bar's own cache), and
    dragging it with the mouse scrolls the text as Textual's bar does."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.reader_screen.visible_views[0]
        bar = view.vertical_scrollbar
        top = drawn_by_us(bar)
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_y > 0
        assert drawn_by_us(bar) != top
        await pilot.press("g")
        await pilot.pause()
        assert view.scroll_y == 0
        assert drawn_by_us(bar) == top

        # Grab the thumb (the bar's first line, at the top) and drag it down.
        await pilot.mouse_down(bar, offset=(0, 0))
        await pilot.pause()
        assert bar.grabbed is not None
        await pilot.hover(bar, offset=(0, 10))
        await pilot.mouse_up(bar, offset=(0, 10))
        await pilot.pause()
        assert view.scroll_y > 0


def test_every_article_view_gets_the_line_scrollbar() -> None:
    """ArticleView's vertical scrollbar is a LineScrollBar (the property is ours, not Textual's)."""
    assert ArticleView.vertical_scrollbar is not Widget.vertical_scrollbar
