"""The article view redraws what changed: moving the focus redraws the cursor lines only, a new
theme redraws everything in the new colours; opening and closing the search bar leave the panes
alone; the scrollbar keeps up with the text's length."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from reader_helpers import SIZE, view_of, wait_for
from rich.segment import Segment
from textual._styles_cache import StylesCache
from textual.geometry import Region

from corpus.loader import load_article
from corpus.model import Article
from reader.widgets.article_pane import ArticlePane
from reader.widgets.article_view import ArticleView
from reader.widgets.search_bar import SearchBar
from reader.widgets.status_line import StatusLine


def count_drawn_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every line the views draw afresh (not from their line cache) is appended (its start)."""
    drawn: list[int] = []
    original = ArticleView._render_display_line

    def counting(self: ArticleView, line: Any, base: Any) -> Any:
        drawn.append(line.start)
        return original(self, line, base)

    monkeypatch.setattr(ArticleView, "_render_display_line", counting)
    return drawn


def count_asked_lines(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every line Textual asks a view for, from the view's cache or not (Textual asks again for
    each line of a widget it repaints whole)."""
    asked: list[int] = []
    original = ArticleView.render_line

    def counting(self: ArticleView, y: int) -> Any:
        asked.append(y)
        return original(self, y)

    monkeypatch.setattr(ArticleView, "render_line", counting)
    return asked


async def settled(pilot: Any, app: Any) -> None:
    for view in app.reader_screen.query(ArticleView):
        await wait_for(pilot, lambda v=view: v._layout.complete, what="the layout")
    await pilot.pause()


def long_article(tmp_path: Path, seed: int) -> Article:
    """A 400 KB article made from the bundled ones' paragraphs (benchmarks/make_long_article):
    long enough to be laid out in the background."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from make_long_article import long_article_text

    path = tmp_path / "long.txt"
    path.write_text(long_article_text(400_000, seed=seed), encoding="utf-8")
    return load_article(path)


async def test_tab_repaints_only_the_cursor_lines_of_the_two_views(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's own focus handling repaints a widget whole: 80 lines per Tab at 160x45."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        asked = count_asked_lines(monkeypatch)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is view_of(app, 1)
        assert 0 < len(asked) <= 8, asked
        asked.clear()
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is view_of(app, 0)
        assert 0 < len(asked) <= 8, asked


async def test_the_search_bar_opens_and_closes_over_the_status_line_leaving_the_panes_alone(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        screen = app.reader_screen
        panes = [pane.region for pane in screen.query(ArticlePane)]
        shown = [[view.render_line(y) for y in range(10)] for view in screen.visible_views]
        asked = count_asked_lines(monkeypatch)
        await pilot.press("slash")
        await pilot.pause()
        bar = screen.query_one(SearchBar)
        assert bar.is_open
        assert bar.region == screen.query_one(StatusLine).region  # over it, not above it
        assert [pane.region for pane in screen.query(ArticlePane)] == panes
        assert len(asked) <= 4, asked  # the cursor's lines, dimmed as the view loses the focus
        for key in "Hamas":  # hits on screen in every pane: those lines are repainted
            await pilot.press(key)
        await pilot.pause()
        asked.clear()
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.is_open
        assert app.focused is view_of(app, 0)
        assert [pane.region for pane in screen.query(ArticlePane)] == panes
        # The lines with hits, not every line of the three views.
        assert 0 < len(asked) < 40, asked
        # No hit is left marked anywhere, on screen or in a line drawn before.
        assert [[view.render_line(y) for y in range(10)] for view in screen.visible_views] == shown


async def test_the_scrollbar_follows_the_length_of_the_text(make_app) -> None:
    """The view skips Textual's scrollbar update when its size has not moved (see
    ArticleView._size_updated): the scrollbar must still learn every new length."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        views = app.reader_screen.visible_views
        # The view with the most site chrome: showing it adds lines.
        view = max(views, key=lambda v: sum(end - start for start, end in v.article.chrome))

        def in_step() -> bool:
            scrollbar = view.vertical_scrollbar
            return scrollbar.window_virtual_size == view.virtual_size.height

        assert in_step()
        folded = view.virtual_size.height
        for _ in range(views.index(view)):
            await pilot.press("tab")
        assert app.focused is view
        await pilot.press("f")
        await settled(pilot, app)
        assert view.virtual_size.height > folded
        assert in_step()
        await pilot.resize_terminal(100, 30)
        await settled(pilot, app)
        assert in_step()
        await pilot.press("f")
        await settled(pilot, app)
        assert in_step()


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


async def test_lines_drawn_with_hits_off_screen_lose_them_when_the_search_closes(
    make_app,
) -> None:
    """Closing the search repaints only the lines on screen that had hits; lines drawn with
    hits further down must not come back from the view's cache still marked."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        view = view_of(app, 0)
        height = view.scrollable_content_region.height

        async def scroll(top: int) -> list[Any]:
            view.scroll_to(y=top, animate=False, immediate=True)
            await pilot.pause()
            return [view.render_line(y) for y in range(height)]

        second_page = await scroll(height)
        await scroll(0)
        await pilot.press("slash", *"hamas")
        await pilot.pause()
        rows = {view._lines_of(hit)[0] - height for hit in view.search_hits}
        rows = {row for row in rows if 0 <= row < height}
        assert rows  # hits on the second page: drawn (and cached) marked, while searching
        during = await scroll(height)
        assert all(during[row] != second_page[row] for row in rows)
        await scroll(0)
        await pilot.press("escape")
        await pilot.pause()
        after = await scroll(height)
        assert [after[row] for row in rows] == [second_page[row] for row in rows]


async def test_a_long_article_has_the_other_folding_ready_before_the_first_f(
    make_app, quiet_cache, tmp_path: Path
) -> None:
    """Once a long article is wrapped, the view makes in the background what a first `f`
    needs (the other folding's layout at this width, its reachable sentences), so that the
    first `f` costs what the second does; and `f` then shows the same lines as ever."""
    article = long_article(tmp_path, seed=3)
    assert article.chrome
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        document = view.document

        def ready_for_f() -> bool:
            other = document._other_reachable
            return (
                view._layout is not None
                and view._layout.complete
                and document.complete
                and (view._layout_width, False) in view._layouts  # chrome shown
                and other is not None
                and other[3] == len(document.sentences)
            )

        await wait_for(pilot, ready_for_f, what="the other folding, in the background", timeout=30)
        ready = view._layouts[view._layout_width, False]
        assert ready.complete  # made early with estimates, then exact
        before = [view.render_line(y) for y in range(10)]
        await pilot.press("f")
        await pilot.pause()
        assert view._layout is ready
        await pilot.press("f")
        await pilot.pause()
        assert [view.render_line(y) for y in range(10)] == before


async def test_the_other_foldings_layout_comes_first_in_the_background(
    make_app, quiet_cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a first `f` needs at this width (the other folding's blocks and layout) is made
    before the rest of a long article is wrapped, which takes seconds at 5 MB: an `f` soon
    after opening, or after a resize, is then as quick as the second."""
    import reader.widgets.article_text_view as text_view

    monkeypatch.setattr(text_view, "SLICE_SECONDS", 0.0005)  # the wrapping lasts
    article = long_article(tmp_path, seed=9)
    assert article.chrome
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)

        def other_ready() -> bool:
            other = view.document.show_chrome  # "folded" for the folding not shown
            return (view._layout_width, other) in view._layouts

        await wait_for(pilot, other_ready, what="the other folding's layout")
        assert not view._layout.complete
        ready = view._layouts[view._layout_width, False]
        await pilot.press("f")
        await pilot.pause()
        assert view._layout is ready
        # After a resize, the same at the new width (chrome is shown now: the folded one).
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await wait_for(pilot, other_ready, what="the other folding's layout at the new width")
        assert not view._layout.complete


async def test_f_onto_a_complete_layout_does_not_stop_the_background_work(
    make_app, quiet_cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long article's background work goes on after its layout is complete (sentences,
    the other folding, then freezing it all out of the collector's way). `f` onto a complete
    layout stopped it for good: the collector then walked the whole article at each full
    collection (250-300 ms, on whichever key)."""
    import reader.document

    # Sentences a few thousand characters per step: many slices after the layout is done.
    monkeypatch.setattr(reader.document, "SEGMENT_SLICE_CHARS", 1_500)
    article = long_article(tmp_path, seed=5)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        document = view.document
        await wait_for(pilot, lambda: view._layout is not None and view._layout.complete)
        assert not document.complete  # the sentences are still being found
        # What `f` back to a layout already complete does (or a resize back to a width):
        view._relayout(force=True)
        assert view._layout.complete
        await wait_for(
            pilot,
            lambda: document.complete and view._background_done,
            what="the rest of the background work",
            timeout=20,
        )


async def test_a_long_articles_background_work_waits_while_keys_are_pressed(
    make_app, quiet_cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slice of background work that starts just before a key delays that key's frame by
    the slice's length. So none starts while keys come in a row; the work resumes, and ends,
    once they stop."""
    import time

    import reader.input_clock
    import reader.widgets.article_text_view as text_view
    from reader.text_layout import LazyLayout

    # Tiny slices, so that the work lasts well past the keys; a quiet time long enough that a
    # slow machine's keys still come within it.
    monkeypatch.setattr(text_view, "SLICE_SECONDS", 0.001)
    monkeypatch.setattr(reader.input_clock, "QUIET_SECONDS", 1.0)
    slices: list[float] = []
    wrap_some = LazyLayout.wrap_some

    def recorded(self: LazyLayout, seconds: float) -> None:
        if seconds == text_view.SLICE_SECONDS:
            slices.append(time.monotonic())
        wrap_some(self, seconds)

    monkeypatch.setattr(LazyLayout, "wrap_some", recorded)
    article = long_article(tmp_path, seed=7)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await wait_for(pilot, lambda: len(slices) >= 3, what="the first background slices")
        started = time.monotonic()
        for key in ["j", "k"] * 8:
            await pilot.press(key)
            await pilot.pause(0.02)
        ended = time.monotonic()
        assert not view._layout.complete, "the keys took longer than the whole layout"
        # One slice may have begun as the first key arrived; none after it.
        assert len([at for at in slices if started <= at <= ended]) <= 1
        await wait_for(pilot, lambda: view._layout.complete, what="the layout, after the keys")


async def test_opening_the_search_bar_never_repaints_the_whole_screen(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bar is mounted after the first frame; awaiting that mount again at each `/` made
    Textual repaint the whole screen every time."""
    from textual._compositor import Compositor

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        full: list[int] = []
        original = Compositor.render_full_update

        def counting(self: Compositor, *args: Any, **kwargs: Any) -> Any:
            full.append(1)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Compositor, "render_full_update", counting)
        for _ in range(2):
            await pilot.press("slash")
            await pilot.pause()
            assert app.reader_screen.search_bar is not None
            assert app.reader_screen.search_bar.is_open
            await pilot.press("escape")
            await pilot.pause()
        assert full == []


async def test_opening_and_closing_the_search_bar_leave_the_status_line_alone(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status line is told the tag counts after `/` and Escape as after any key; the
    same counts are not drawn again (0.5 ms of each). New counts are."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        drawn: list[int] = []
        original = StatusLine.render

        def counting(self: StatusLine) -> Any:
            drawn.append(1)
            return original(self)

        monkeypatch.setattr(StatusLine, "render", counting)
        for key in ["slash", "escape", "slash", "escape"]:
            await pilot.press(key)
            await pilot.pause()
        assert drawn == []
        await pilot.press("c")  # a tag: new counts
        await pilot.pause()
        assert drawn
        assert "claim 1" in app.reader_screen.status.render().plain


async def test_lines_asked_for_directly_have_the_views_width_after_a_resize(make_app) -> None:
    """render_lines reads the width once for all its lines (ArticleView._pass_width); a line
    asked for on its own, after the terminal shrank, must still take the width of now."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        view = app.reader_screen.visible_views[0]
        wide = view.render_line(0).cell_length
        await pilot.resize_terminal(100, 30)
        await settled(pilot, app)
        # Drawn at the new width, and the pass's width not kept for lines asked later.
        assert view._pass_width is None
        narrow = view.scrollable_content_region.width
        assert narrow < wide
        assert view.render_line(0).cell_length == narrow


def textuals_own(pane: ArticlePane, crop: Region) -> list[list[Segment]]:
    """`crop` of the pane drawn by Textual's general path, from a cache of its own."""
    return [list(strip) for strip in StylesCache().render_widget(pane, crop)]


async def test_panes_draw_their_rows_as_textuals_own_path_does(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pane's rows between its borders are framed by reader.widgets.framed_rows, not by
    Textual's styles cache, into that cache's own lines: after each key (so with whatever the
    cache kept from the key before), every row equals what Textual's path draws afresh."""
    import reader.widgets.article_view as article_view_module
    from reader.widgets.framed_rows import framed_rows

    framed: list[bool] = []

    def recorded(widget: Any, crop: Region, render_line: Any) -> Any:
        found = framed_rows(widget, crop, render_line)
        framed.append(found is not None)
        return found

    monkeypatch.setattr(article_view_module, "framed_rows", recorded)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        steps = ["j", "f", "pagedown", "tab", "v", "w", "c", "escape", "s", "shift+tab"]
        steps += ["slash", "P", "u", "t", "escape", "G", "ctrl+z", "f"]
        for key in [*steps, "theme", "resize"]:
            if key == "theme":
                app.theme = "textual-light"
            elif key == "resize":
                await pilot.resize_terminal(100, 30)
            else:
                await pilot.press(key)
            await pilot.pause()
            for pane in app.reader_screen.query(ArticlePane):
                if not pane.display:
                    continue
                width, height = pane.region.size
                for crop in (Region(0, 0, width, height), Region(3, 1, width - 7, height - 3)):
                    drawn = [list(strip) for strip in pane.render_lines(crop)]
                    assert drawn == textuals_own(pane, crop), (key, pane.id, crop)
        assert framed and all(framed)  # the rows were framed here, not by Textual
        first = app.reader_screen.query(ArticlePane).first()
        whole = Region(0, 0, *first.region.size)
        first.styles.border_left = ("heavy", "red")  # each side its own
        first.styles.border_right = ("double", "green")
        await pilot.pause()
        assert [list(strip) for strip in first.render_lines(whole)] == textuals_own(first, whole)
        # Styles this does not draw go through Textual's path, and still draw the same.
        first.styles.padding = (0, 1)
        await pilot.pause()
        framed.clear()
        assert [list(strip) for strip in first.render_lines(whole)] == textuals_own(first, whole)
        assert framed == [False]


async def test_a_resize_that_scrolls_the_view_leaves_no_row_from_the_old_offset(make_app) -> None:
    """Textual can draw a view before the view's own Resize arrives: the view then lays its
    text out at the new width as it draws, which scrolls it to keep the cursor in view. The
    first row was drawn from the offset before that scroll, and stayed on screen."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("G")
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        for pane in app.reader_screen.query(ArticlePane):
            whole = Region(0, 0, *pane.region.size)
            drawn = [list(strip) for strip in pane.render_lines(whole)]
            assert drawn == textuals_own(pane, whole), pane.id


async def test_a_drawn_line_is_freed_as_soon_as_the_view_forgets_it(make_app) -> None:
    """The view's line cache is emptied at every relayout. Textual's LRUCache, which it
    was, links its entries in a ring, so every line drawn (about 20 objects with its strip's
    caches) was left as a cycle only the cyclic collector frees; and Textual's crop_extend
    caches a strip that is already the asked width in itself, one more cycle per line."""
    import gc

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        view = view_of(app, 0)
        gc.collect()
        gc.disable()
        try:
            view._line_cache.clear()
            for y in range(20):
                view.render_line(y)
            view._line_cache.clear()
            assert gc.collect() == 0  # nothing left for the cyclic collector
        finally:
            gc.enable()
