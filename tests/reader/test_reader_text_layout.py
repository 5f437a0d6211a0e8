"""reader.text_layout: wrapping verbatim text into display lines of offsets (no textual)."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
from rich.cells import cell_len

from corpus.chrome import merge_regions
from corpus.loader import bundled_articles, load_article
from corpus.segment import paragraph_spans
from reader.literal import display_text
from reader.text_layout import DisplayLine, LineKind, Span, layout_lines, wrap_span


def text_lines(lines: list[DisplayLine]) -> list[DisplayLine]:
    return [line for line in lines if line.kind is LineKind.TEXT]


def shown(display: str, lines: list[DisplayLine]) -> list[str]:
    """What each display line draws: the display text between its offsets ('' for GAP/FOLD)."""
    return [display[line.start : line.end] for line in lines]


def layout(text: str, width: int, folded: tuple[tuple[int, int], ...] = ()) -> list[DisplayLine]:
    return layout_lines(display_text(text), paragraph_spans(text), width, folded)


def check_invariants(text: str, width: int, lines: list[DisplayLine]) -> None:
    """What must hold for any text: offsets in order, no line too wide, nothing lost or added."""
    display = display_text(text)
    previous_end = 0
    for line in text_lines(lines):
        piece = display[line.start : line.end]
        assert previous_end <= line.start < line.end <= len(text)
        assert cell_len(piece) <= width, (piece, width)
        assert "\n" not in piece
        assert piece == piece.strip(), f"line {piece!r} starts or ends with whitespace"
        previous_end = line.end
    # Every visible character is on exactly one line, in order (only whitespace is dropped).
    drawn = "".join(shown(display, text_lines(lines)))
    assert "".join(drawn.split()) == "".join(display.split())


# -- display_text -------------------------------------------------------------------------------


def test_escape_sequences_become_visible_pictures_with_the_same_offsets() -> None:
    text = "Red \x1b[31malert\x1b[0m here."
    display = display_text(text)
    assert display == "Red ␛[31malert␛[0m here."
    assert len(display) == len(text)
    # Everything that is not a control character is untouched, index for index.
    assert all(d == t for d, t in zip(display, text, strict=True) if t != "\x1b")


def test_no_control_character_survives_except_newline() -> None:
    every = "".join(chr(code) for code in range(0xA0))
    display = display_text(every)
    assert len(display) == len(every)
    controls = [c for c in display if unicodedata.category(c) == "Cc"]
    assert controls == ["\n"]
    assert display[0x09] == " "  # a tab reads as one space
    assert display[0x0D] == "␍"
    assert display[0x7F] == "␡"
    assert display[0x9B] == "\ufffd"  # the one-byte CSI of C1 controls


def test_layout_of_text_with_escape_sequences_shows_pictures_at_original_offsets() -> None:
    text = "Title\n\nBefore \x1b[2J\x1b[31mred\x07 after.\x00"
    display = display_text(text)
    lines = layout(text, 60)
    pieces = shown(display, text_lines(lines))
    assert pieces == ["Title", "Before ␛[2J␛[31mred␇ after.␀"]
    line = text_lines(lines)[1]
    # Offsets are those of the original text: the escape is where the file has it.
    assert text[line.start : line.end] == "Before \x1b[2J\x1b[31mred\x07 after.\x00"
    for piece in pieces:
        assert not any(unicodedata.category(c) == "Cc" for c in piece)


# -- wrap_span ----------------------------------------------------------------------------------


def test_wrap_span_is_greedy_word_wrap() -> None:
    text = "one two three four five six"
    spans = wrap_span(text, 0, len(text), 10)
    assert [text[s:e] for s, e in spans] == ["one two", "three four", "five six"]


def test_wrap_span_wraps_only_the_given_range() -> None:
    text = "skip this | wrap these words | not these"
    start = text.index("wrap")
    end = text.index(" | not")
    spans = wrap_span(text, start, end, 10)
    assert [text[s:e] for s, e in spans] == ["wrap these", "words"]
    assert spans[0][0] == start and spans[-1][1] == end


def test_long_unbroken_word_is_cut_at_the_width() -> None:
    text = "x" * 25
    assert wrap_span(text, 0, 25, 10) == [(0, 10), (10, 20), (20, 25)]


def test_long_word_after_short_one_starts_a_new_line_and_is_cut() -> None:
    text = "go https://example.org/a/very/long/path/indeed"
    spans = wrap_span(text, 0, len(text), 12)
    pieces = [text[s:e] for s, e in spans]
    assert pieces[0] == "go"
    assert "".join(pieces[1:]) == "https://example.org/a/very/long/path/indeed"
    assert all(cell_len(piece) <= 12 for piece in pieces)
    assert all(len(piece) == 12 for piece in pieces[1:-1])  # cut where the line is full


@pytest.mark.parametrize("width", [2, 3, 5, 9, 10])
def test_wide_cjk_characters_count_two_cells(width: int) -> None:
    text = "中文字符新闻分析阅读器测试" * 2
    spans = wrap_span(text, 0, len(text), width)
    assert "".join(text[s:e] for s, e in spans) == text
    for start, end in spans:
        assert cell_len(text[start:end]) <= width
    # Greedy: every line but the last is as full as two-cell characters allow.
    for start, end in spans[:-1]:
        assert cell_len(text[start:end]) == width - width % 2


def test_cjk_mixed_with_latin_words_never_overflows() -> None:
    text = "Putin 普京 met Hamas 哈马斯代表团 in Moscow 莫斯科 on Thursday 星期四。"
    for width in range(2, 30):
        for start, end in wrap_span(text, 0, len(text), width):
            assert cell_len(text[start:end]) <= width


def test_empty_or_blank_range_gives_no_lines() -> None:
    assert wrap_span("", 0, 0, 10) == []
    assert wrap_span("   \t  ", 0, 6, 10) == []


# -- layout_lines -------------------------------------------------------------------------------


def test_paragraphs_are_separated_by_one_gap_line() -> None:
    text = "First paragraph.\n\n\n\nSecond one,\nwith a line break.\n\nThird."
    lines = layout(text, 40)
    assert [line.kind for line in lines] == [
        LineKind.TEXT,
        LineKind.GAP,
        LineKind.TEXT,
        LineKind.TEXT,
        LineKind.GAP,
        LineKind.TEXT,
    ]
    assert shown(display_text(text), text_lines(lines)) == [
        "First paragraph.",
        "Second one,",
        "with a line break.",
        "Third.",
    ]


def test_a_single_newline_inside_a_paragraph_is_kept_as_a_line_break() -> None:
    text = "Short.\nAlso short."
    assert shown(text, layout(text, 80)) == ["Short.", "Also short."]


def test_crlf_file_does_not_show_carriage_returns() -> None:
    text = "Headline\r\n\r\nFirst line of the body.\r\nSecond line.\r\n\r\nLast paragraph.\r\n"
    display = display_text(text)
    lines = layout(text, 40)
    pieces = shown(display, text_lines(lines))
    assert pieces == ["Headline", "First line of the body.", "Second line.", "Last paragraph."]
    assert [line.kind for line in lines].count(LineKind.GAP) == 2
    for line in text_lines(lines):
        assert "\r" not in text[line.start : line.end]


def test_crlf_lines_wrap_without_a_trailing_carriage_return() -> None:
    text = "alpha beta gamma delta\r\nepsilon zeta\r\n"
    pieces = shown(display_text(text), text_lines(layout(text, 11)))
    assert pieces == ["alpha beta", "gamma delta", "epsilon", "zeta"]


def test_a_lone_carriage_return_inside_a_line_is_shown_as_a_picture() -> None:
    # Only the \r of a line break is structure; one in the middle of a line is content.
    text = "over\rwritten line"
    assert shown(display_text(text), layout(text, 40)) == ["over␍written line"]


def test_folded_chrome_collapses_to_one_fold_line_per_run(tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    source.write_text(
        "Headline of the story\n\n"
        "Subscribe now\n\nSign in\n\nAdvertisement\n\n"
        "The body of the article is here.\n\n"
        "Share this article\n",
        encoding="utf-8",
    )
    article = load_article(source)
    assert len(article.chrome) == 2  # the loader's own merge: three plugs are one run
    lines = layout_lines(display_text(article.text), article.paragraphs, 60, article.chrome)
    assert [line.kind for line in lines] == [
        LineKind.TEXT,
        LineKind.GAP,
        LineKind.FOLD,
        LineKind.GAP,
        LineKind.TEXT,
        LineKind.GAP,
        LineKind.FOLD,
    ]
    folds = [line for line in lines if line.kind is LineKind.FOLD]
    assert [line.folded for line in folds] == list(article.chrome)
    # Unfolded, every paragraph is back, each on its own text line.
    unfolded = layout_lines(display_text(article.text), article.paragraphs, 60)
    assert all(line.kind is not LineKind.FOLD for line in unfolded)
    assert len(text_lines(unfolded)) == len(article.paragraphs)


def test_chrome_at_the_start_folds_without_a_leading_gap() -> None:
    text = "Menu\n\nSearch\n\nThe story."
    paragraphs = paragraph_spans(text)
    region = (paragraphs[0][0], paragraphs[1][1])
    lines = layout_lines(display_text(text), paragraphs, 40, (region,))
    assert [line.kind for line in lines] == [LineKind.FOLD, LineKind.GAP, LineKind.TEXT]
    assert lines[0].folded == region


@pytest.mark.parametrize("width", [12, 37, 80])
def test_bundled_articles_keep_the_layout_invariants(width: int) -> None:
    for article in bundled_articles():
        lines = layout_lines(display_text(article.text), article.paragraphs, width)
        check_invariants(article.text, width, lines)
        kinds = [line.kind for line in lines]
        assert kinds.count(LineKind.GAP) == len(article.paragraphs) - 1


def test_random_texts_keep_the_layout_invariants() -> None:
    alphabet = ["word", "x" * 30, "中文", "新闻分析", "a", " ", " ", "  ", "\t", "\n", "\n\n"]
    alphabet += ["\x1b[0m", "\x00", "\x7f", "é", "—", "“q”"]
    rng = random.Random(20241122)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
        width = rng.randint(2, 25)
        check_invariants(text, width, layout(text, width))


def test_layered_segments_cut_where_layers_change_and_later_layers_win() -> None:
    from rich.style import Style

    from reader.text_layout import layered_segments

    base = Style(color="white")
    tag = Style(bgcolor="blue")
    entity = Style(color="red")
    segments = layered_segments("Putin met Hamas", base, [(0, 15, tag), (0, 5, entity)])
    assert [segment.text for segment in segments] == ["Putin", " met Hamas"]
    assert segments[0].style == base + tag + entity
    assert segments[1].style == base + tag
    assert "".join(segment.text for segment in segments) == "Putin met Hamas"


def test_layered_segments_without_layers_is_one_base_segment() -> None:
    from rich.style import Style

    from reader.text_layout import layered_segments

    base = Style(color="white")
    assert [(s.text, s.style) for s in layered_segments("plain", base, [])] == [("plain", base)]


def test_one_cell_fast_path_wraps_exactly_like_cell_by_cell_measuring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Lines of one-cell characters are wrapped by string length; the result must be the same
    as measuring every word with rich's cell_len."""
    import reader.text_layout as text_layout

    alphabet = ["word", "x" * 30, "a", " ", "  ", "é", "—", "“q”", "’s", "…", "Москва", "\xa0"]
    rng = random.Random(20261122)
    lines = [line for article in bundled_articles() for line in article.text.splitlines()]
    cases = [(line, width) for line in lines for width in (9, 33, 71)]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        cases.append((text, rng.randint(1, 25)))
    fast = [wrap_span(display_text(text), 0, len(text), width) for text, width in cases]
    assert sum(text_layout._ONE_CELL.issuperset(text) for text, _ in cases) > len(cases) / 2
    monkeypatch.setattr(text_layout, "_ONE_CELL", frozenset())
    slow = [wrap_span(display_text(text), 0, len(text), width) for text, width in cases]
    assert fast == slow
    assert any(len(spans) > 1 for spans in fast)


def test_display_text_returns_clean_text_unchanged_and_pictures_controls() -> None:
    clean = "Plain “news” text — with Cyrillic Москва and\nnewlines."
    assert display_text(clean) is clean
    assert display_text("a\x1bb\x85c") == "a\u241bb\ufffdc"


# -- LazyLayout: the same lines, wrapped only where looked at ------------------------------------


@pytest.mark.parametrize("width", [7, 33, 70, 151])
def test_lazy_layout_once_complete_equals_layout_lines(width: int) -> None:
    import random

    from corpus.loader import bundled_articles
    from reader.literal import display_text
    from reader.text_layout import LazyLayout

    for article in bundled_articles():
        text = display_text(article.text)
        for folded in ((), article.chrome):
            full = layout_lines(text, article.paragraphs, width, folded)
            lazy = LazyLayout(text, article.paragraphs, width, folded)
            # Looked at out of order first, as a view scrolled about would.
            for y in random.Random(width).sample(range(lazy.line_count), 12):
                if y < lazy.line_count:
                    lazy.line(y)
            while not lazy.wrap_some(0.0005):
                pass
            assert lazy.all_lines() == full
            for line in full[::17]:
                if line.kind is LineKind.TEXT:
                    y = lazy.y_of_offset(line.start)
                    assert full[y].start <= line.start < max(full[y].end, line.start + 1)


def test_lazy_layout_wraps_only_what_is_asked_for() -> None:
    from reader.text_layout import LazyLayout

    paragraph = "word " * 40
    text = "\n\n".join([paragraph.strip()] * 1000)
    paragraphs = []
    start = 0
    for _ in range(1000):
        end = start + len(paragraph.strip())
        paragraphs.append((start, end))
        start = end + 2
    lazy = LazyLayout(text, paragraphs, 30)
    lazy.line(lazy.line_count // 2)
    assert not lazy.complete
    assert sum(lines is not None for lines in lazy._wrapped) <= 2
    generation = lazy.generation
    assert lazy.wrap_some(10.0) is True
    assert lazy.generation >= generation


def recombined_text(size: int, seed: int) -> str:
    """About `size` characters of the bundled paragraphs in a random order, joined by blank
    lines (LF and CRLF), single newlines (hard line breaks inside a paragraph) and spaces, with
    a wide-character paragraph and an escape sequence now and then."""
    paragraphs = [
        article.text[start:end]
        for article in bundled_articles()
        for start, end in article.paragraphs
    ]
    paragraphs += ["新闻分析 " * 40, "a\x1b[31m red \x1b[0m b " * 20, "x" * 400]
    breaks = ["\n\n", "\n\n", "\r\n\r\n", "\n \n\n", "\n", "\r\n"]
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        part = rng.choice(paragraphs) + rng.choice(breaks)
        parts.append(part)
        total += len(part)
    return "".join(parts)


def some_folds(paragraphs: list[tuple[int, int]], seed: int) -> tuple[tuple[int, int], ...]:
    """Runs of one to three whole paragraphs, as chrome regions are, here and there."""
    rng = random.Random(seed)
    folds: list[tuple[int, int]] = []
    index = rng.randrange(3)
    while index < len(paragraphs):
        last = min(index + rng.randrange(3), len(paragraphs) - 1)
        folds.append((paragraphs[index][0], paragraphs[last][1]))
        index = last + 1 + rng.randrange(1, 40)
    return tuple(folds)


def assert_a_run_of(full: list[DisplayLine], found: list[DisplayLine]) -> None:
    """`found` is a run of consecutive lines of the full layout (every line there is unique)."""
    assert found
    first = full.index(found[0])
    assert full[first : first + len(found)] == found


@pytest.mark.parametrize("width", [9, 41, 158])
def test_lazy_layout_lines_match_the_full_layout_before_and_after_everything_is_wrapped(
    width: int,
) -> None:
    from reader.text_layout import LazyLayout

    for article in bundled_articles():
        text = display_text(article.text)
        for folded in ((), article.chrome):
            full = layout_lines(text, article.paragraphs, width, folded)
            lazy = LazyLayout(text, article.paragraphs, width, folded)
            rng = random.Random(width)
            for _ in range(8):  # windows anywhere, in any order, as a scrolled view asks
                y0 = rng.randrange(lazy.line_count)
                found = lazy.lines(y0, y0 + 45)
                assert len(found) == min(45, lazy.line_count - y0)
                assert_a_run_of(full, found)
            # Asked for everything, it wraps everything (the count grows as it goes).
            assert lazy.lines(-5, 10**9) == full
            assert lazy.complete and lazy.line_count == len(full)
            assert lazy.lines(len(full) - 3, len(full) + 10) == full[-3:]
            assert lazy.lines(5, 5) == []


def test_lazy_layout_of_a_megabyte_equals_layout_lines_wrapped_in_any_order() -> None:
    from reader.text_layout import LazyLayout

    original = recombined_text(1_000_000, seed=14)
    text = display_text(original)
    paragraphs = paragraph_spans(original)
    assert len(paragraphs) > 2_000
    rng = random.Random(1)
    for width, folded in [(33, ()), (120, some_folds(paragraphs, seed=2)), (7, ())]:
        full = layout_lines(text, paragraphs, width, folded)
        lazy = LazyLayout(text, paragraphs, width, folded)
        # A view jumps about first (the cursor's offset, windows of lines), then the timer
        # wraps the rest in slices.
        for _ in range(20):
            offset = rng.randrange(len(text))
            y = lazy.y_of_offset(offset)
            window = lazy.lines(y, y + 45)
            assert_a_run_of(full, window)
            shown_line = window[0]
            if shown_line.kind is LineKind.TEXT and shown_line.end > offset:
                assert shown_line.start <= offset
        slices = 0
        while not lazy.wrap_some(0.002):
            slices += 1
        assert slices > 0  # it did take more than one slice
        assert lazy.line_count == len(full)
        assert lazy.lines(0, lazy.line_count) == full
        for line in full[::997]:
            first, last = lazy.lines_of((line.start, line.end))
            if line.kind is LineKind.TEXT:
                assert full[first] == line == full[last]


def odd_folds(text: str, paragraphs: list[tuple[int, int]], seed: int) -> tuple[Span, ...]:
    """Chrome regions of every shape a manifest's rules can give: whole runs of paragraphs,
    regions that start or end inside a paragraph (only paragraphs wholly inside fold), and
    regions holding no whole paragraph; sorted and apart, as corpus.chrome merges them."""
    rng = random.Random(seed)
    regions: list[Span] = []
    index = rng.randrange(2)
    while index < len(paragraphs) - 3:
        start, end = paragraphs[index][0], paragraphs[index + rng.randrange(3)][1]
        shape = rng.randrange(4)
        if shape == 1:
            start += 1  # the first paragraph is then not wholly inside
        elif shape == 2:
            end -= 1  # nor the last
        elif shape == 3:
            end = start + 1  # no whole paragraph
        regions.append((start, end))
        index += 4 + rng.randrange(8)
    return merge_regions(text, regions)


def blocks_one_paragraph_at_a_time(
    paragraphs: list[Span], folded: Sequence[Span]
) -> list[tuple[int, int, Span | None]]:
    """What Blocks must give, found the plain way: a paragraph wholly inside a folded region
    is folded, and each run of them in one region is one block, at the region's start."""
    blocks: list[tuple[int, int, Span | None]] = []
    for start, end in paragraphs:
        region = next((r for r in folded if r[0] <= start and end <= r[1]), None)
        if region is None:
            blocks.append((start, end, None))
        elif blocks[-1:] != [(region[0], region[0], region)]:
            blocks.append((region[0], region[0], region))
    return blocks


def test_blocks_of_either_folding_made_from_the_other_are_the_same() -> None:
    from reader.text_layout import Blocks, LazyLayout

    original = recombined_text(120_000, seed=9)
    text = display_text(original)
    paragraphs = paragraph_spans(original)
    for folded in [
        some_folds(paragraphs, seed=3),
        odd_folds(text, paragraphs, seed=4),
        ((0, len(text)),),
        (),
    ]:
        made = Blocks(text, paragraphs, folded)
        expected = blocks_one_paragraph_at_a_time(paragraphs, folded)
        for blocks in (made, Blocks(text, paragraphs, ()).refolded(folded)):
            assert blocks.spans == expected
            assert blocks.starts == [start for start, _, _ in expected]
            assert blocks.lengths == [end - start for start, end, _ in expected]
            assert blocks.breaks == [text.count("\n", start, end) for start, end, _ in expected]
            assert blocks.folds == [region is not None for _, _, region in expected]
            assert blocks.fold_indices == [i for i, (_, _, r) in enumerate(expected) if r]
        unfolded = made.refolded(())
        assert unfolded.spans == [(start, end, None) for start, end in paragraphs]
        assert LazyLayout(text, (), 47, blocks=unfolded).lines(0, 10**9) == layout_lines(
            text, paragraphs, 47
        )
    folded = some_folds(paragraphs, seed=5)  # whole paragraphs: exactly layout_lines' lines
    refolded = Blocks(text, paragraphs, ()).refolded(folded)
    lines = LazyLayout(text, (), 47, blocks=refolded).lines(0, 10**9)
    assert lines == layout_lines(text, paragraphs, 47, folded)


def test_lazy_layout_takes_paragraphs_wrapped_by_an_earlier_layout_as_they_are() -> None:
    from reader.text_layout import LazyLayout

    original = recombined_text(200_000, seed=5)
    text = display_text(original)
    paragraphs = paragraph_spans(original)
    folded = some_folds(paragraphs, seed=6)
    kept: dict[int, list[DisplayLine]] = {}
    shown = LazyLayout(text, paragraphs, 60, (), wrapped=kept)
    shown.lines(0, 10**9)  # everything wrapped, chrome shown: every paragraph is in `kept`
    assert len(kept) == len(paragraphs)
    # `f`: the same width, chrome folded. Nothing to wrap but the fold lines, and the line
    # numbers are exact from the start, so nothing moves under the view.
    folding = LazyLayout(text, paragraphs, 60, folded, wrapped=kept)
    full = layout_lines(text, paragraphs, 60, folded)
    assert folding.line_count == len(full)
    assert folding.lines(0, 10**9) == full
    assert folding.generation == 0 and folding.take_first_change() is None
    # Chrome shown again: the same lines as the first time, all known at once.
    again = LazyLayout(text, paragraphs, 60, (), wrapped=kept)
    assert again.complete
    assert again.lines(0, 10**9) == layout_lines(text, paragraphs, 60)
