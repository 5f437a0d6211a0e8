"""Pilot tests: opening the app, what the article view draws, sentence cursor, panes, mouse."""

from __future__ import annotations

from reader_helpers import (
    SIZE,
    body,
    cursor_rows,
    cursor_text,
    heads,
    on_text,
    pane,
    pane_heading,
    panes,
    view_lines,
    view_of,
    wait_for,
)

from corpus.model import Article
from reader.document import ReadingDocument
from reader.literal import display_text
from reader.text_layout import DisplayLine, LineKind, layout_lines
from reader.widgets.article_view import ArticleView
from reader.widgets.line_painting import GUTTER_WIDTH


def sentence_text(article: Article, span: tuple[int, int] | None) -> str:
    assert span is not None
    return article.text[span[0] : span[1]]


def words(text: str) -> list[str]:
    return text.split()


async def test_opens_on_the_bundled_corpus_with_the_first_pane_focused(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE):
        assert [p.article.id for p in panes(app)] == [a.id for a in bundled[:3]]
        for index in range(3):
            assert heads(pane_heading(app, index), bundled[index])
        first = view_of(app, 0)
        assert app.focused is first
        assert first.current_span == bundled[0].sentences[0]
        # The headline is the first sentence: the cursor bar is on the rows that show it.
        assert cursor_rows(first) == [0, 1]
        assert words(cursor_text(first)) == words(bundled[0].title)


def layout_of(view: ArticleView) -> list[DisplayLine]:
    """The display lines the view should draw, computed from the text model at its width."""
    article = view.article
    width = view.scrollable_content_region.width - GUTTER_WIDTH
    folded = () if view.document.show_chrome else article.chrome
    return layout_lines(display_text(article.text), article.paragraphs, width, folded)


async def test_the_view_draws_exactly_the_text_layout(make_app) -> None:
    """Each screen row is the layout line's slice of the verbatim text, after the gutter."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for view in app.reader_screen.query(ArticleView):
            # Wrapped where looked at first, the rest in slices: wait until all is wrapped.
            await wait_for(pilot, lambda v=view: v._layout.complete, what="the layout")
            await pilot.pause()
            display = display_text(view.article.text)
            expected = layout_of(view)
            drawn = view_lines(view)
            assert len(drawn) > 10
            for line, row in zip(expected, drawn, strict=False):
                if line.kind is LineKind.FOLD:
                    assert "site chrome folded" in row
                else:
                    assert body(row) == display[line.start : line.end]
            assert view.virtual_size.height == len(expected)


async def test_j_and_down_move_to_the_next_sentence_k_and_up_back(
    make_app, bundled: list[Article]
) -> None:
    article = bundled[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j")
        assert view.current_span == article.sentences[1]
        assert words(cursor_text(view)) == words(sentence_text(article, view.current_span))
        await pilot.press("down")
        assert view.current_span == article.sentences[2]
        assert words(cursor_text(view)) == words(sentence_text(article, view.current_span))
        await pilot.press("k")
        assert view.current_span == article.sentences[1]
        await pilot.press("up")
        assert view.current_span == article.sentences[0]
        await pilot.press("up")  # already at the top: stays
        assert view.current_span == article.sentences[0]
        assert cursor_rows(view) == [0, 1]


async def test_keys_move_only_the_focused_pane(make_app, bundled: list[Article]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j")
        assert view_of(app, 0).current_span == bundled[0].sentences[2]
        assert view_of(app, 1).current_span == bundled[1].sentences[1]  # its first non-chrome
        assert view_of(app, 2).current_span == ReadingDocument(bundled[2]).current


async def test_last_sentence_scrolls_into_view(make_app, bundled: list[Article]) -> None:
    article = bundled[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("G")
        assert view.current_span == article.sentences[-1]
        assert view.scroll_offset.y > 0
        rows = cursor_rows(view)
        assert rows, "the cursor must be on screen after jumping to the end"
        assert words(cursor_text(view)) == words(sentence_text(article, view.current_span))
        await pilot.press("g")
        assert view.current_span == article.sentences[0]
        assert view.scroll_offset.y == 0
        assert cursor_rows(view) == [0, 1]


async def test_tab_focuses_the_next_pane_and_shift_tab_the_previous(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.focused is view_of(app, 0)
        await pilot.press("tab")
        assert app.focused is view_of(app, 1)
        await pilot.press("tab")
        assert app.focused is view_of(app, 2)
        await pilot.press("tab")
        assert app.focused is view_of(app, 0)
        await pilot.press("shift+tab")
        assert app.focused is view_of(app, 2)
        await pilot.press("shift+tab")
        assert app.focused is view_of(app, 1)
        # The cursor of an unfocused pane is still drawn (dimmer), so the reader keeps place.
        assert cursor_rows(view_of(app, 0))


async def test_left_right_and_h_l_move_between_panes_not_sideways(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right")
        assert app.focused is view_of(app, 1)
        await pilot.press("l")
        assert app.focused is view_of(app, 2)
        await pilot.press("left", "h")
        assert app.focused is view_of(app, 0)
        await pilot.press("ctrl+pagedown")
        assert app.focused is view_of(app, 0)
        assert view_of(app, 0).scroll_offset.x == 0


async def test_help_lists_no_sideways_scrolling(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        rows = app.screen.rows  # type: ignore[attr-defined]
        described = {description for _, _, description in rows}
        assert "Pane to the right" in described
        assert not described & {"Scroll Left", "Scroll Right", "Page Left", "Page Right"}


async def test_three_panes_at_160_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(160, 45)):
        shown = app.reader_screen.visible_views
        assert [view.id for view in shown] == ["pane-0", "pane-1", "pane-2"]
        assert all(view.region.width > 40 for view in shown)


async def test_two_panes_at_120_columns(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 45)) as pilot:
        shown = app.reader_screen.visible_views
        assert [view.id for view in shown] == ["pane-0", "pane-1"]
        assert pane(app, 2).region.width == 0
        assert view_of(app, 0).region.width > 50
        # Tab cycles through the visible panes only.
        await pilot.press("tab")
        assert app.focused is view_of(app, 1)
        await pilot.press("tab")
        assert app.focused is view_of(app, 0)


async def test_narrowing_the_terminal_moves_focus_off_the_hidden_pane(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.press("tab", "tab")
        assert app.focused is view_of(app, 2)
        await pilot.resize_terminal(120, 45)
        await pilot.pause()
        assert len(app.reader_screen.visible_views) == 2
        assert app.focused in app.reader_screen.visible_views
        await pilot.resize_terminal(160, 45)
        await pilot.pause()
        assert len(app.reader_screen.visible_views) == 3


async def test_clicking_a_sentence_puts_the_cursor_on_it(make_app, bundled: list[Article]) -> None:
    article = bundled[0]
    document = ReadingDocument(article)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        lines = layout_of(view)
        # A click at the top, then one after scrolling to the end (offsets include the scroll).
        for keys, row, column in [((), 12, 1), (("G",), 5, 7)]:
            await pilot.press(*keys)
            line = lines[view.scroll_offset.y + row]
            assert line.kind is LineKind.TEXT, "pick a row with text on it"
            expected = article.sentences[document.sentence_at(line.start + column)]
            assert expected != view.current_span
            assert await pilot.click(view, offset=on_text(view, GUTTER_WIDTH + column, row))
            await pilot.pause()
            assert view.current_span == expected
            assert row in cursor_rows(view)
            # The bar marks the rows of that sentence (which may share a row with neighbours).
            sentence = " ".join(words(sentence_text(article, expected)))
            assert sentence in " ".join(words(cursor_text(view)))
        assert view.scroll_offset.y > 0


async def test_clicking_another_pane_moves_its_cursor(make_app, bundled: list[Article]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 1)
        before = view.current_span
        row = 15
        assert body(view_lines(view)[row])
        assert await pilot.click(view, offset=on_text(view, GUTTER_WIDTH + 2, row))
        await pilot.pause()
        assert view.current_span != before
        assert row in cursor_rows(view)
        assert view_of(app, 0).current_span == bundled[0].sentences[0]


def cursor_visible(view: ArticleView) -> bool:
    """Whether any line of the cursor's sentence is inside the view's visible rows."""
    span = view.current_span
    assert span is not None
    first, last = view._lines_of(span)
    top = round(view.scroll_offset.y)
    bottom = top + view.scrollable_content_region.height - 1
    return first <= bottom and last >= top


async def test_the_mouse_wheel_brings_the_cursor_onto_visible_text(make_app) -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        start = view.current_span
        for _ in range(8):
            view.post_message(events.MouseScrollDown(view, 10, 10, 0, 1, 0, False, False, False))
        await wait_for(pilot, lambda: view.scroll_offset.y > 10)
        await wait_for(pilot, lambda: view.current_span != start, what="the cursor to follow")
        assert cursor_visible(view)
        scrolled = view.scroll_offset.y
        # A tag key now tags what is on screen.
        await pilot.press("c")
        [tagged] = app.store.all()
        assert tagged.span == view.current_span
        assert view._lines_of(tagged.span)[0] >= scrolled - 1
        for _ in range(8):
            view.post_message(events.MouseScrollUp(view, 10, 10, 0, -1, 0, False, False, False))
        await wait_for(pilot, lambda: view.scroll_offset.y < scrolled)
        await pilot.pause()
        assert cursor_visible(view)


async def test_page_down_and_up_move_the_cursor_with_the_view(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        start = view.current_span
        await pilot.press("pagedown")
        await pilot.pause()
        assert view.scroll_offset.y > 0
        assert view.current_span != start
        assert cursor_visible(view)
        await pilot.press("pagedown", "pageup")
        await pilot.pause()
        assert cursor_visible(view)


async def test_the_focused_panes_frame_takes_the_accent_also_after_a_theme_change(make_app) -> None:
    from textual.color import Color

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first, second = pane(app, 0), pane(app, 1)

        def accent() -> Color:
            return Color.parse(app.theme_variables["accent"])

        assert first.styles.border_top[1] == accent() != second.styles.border_top[1]
        await pilot.press("tab")
        await pilot.pause()
        assert second.styles.border_top[1] == accent() != first.styles.border_top[1]
        app.theme = "nord"  # another accent (textual-light has the dark theme's)
        await pilot.pause()
        assert second.styles.border_top[1] == accent() != first.styles.border_top[1]
        assert all(side[0] == "round" for side in second.styles.border)
