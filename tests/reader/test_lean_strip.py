"""LeanStrip is Textual's Strip, with its caches made when first used and no cycles left
behind: what it gives is what a Strip gives, and the panes' rows reach the screen as LeanStrips."""

from __future__ import annotations

import gc

import pytest
from reader_helpers import SIZE, view_of, wait_for
from rich.segment import Segment
from rich.style import Style
from textual._ansi_theme import MONOKAI
from textual.color import Color
from textual.filter import ANSIToTruecolor, DimFilter
from textual.geometry import Region
from textual.strip import Strip

from reader.widgets.article_pane import ArticlePane
from reader.widgets.lean_strip import CACHE_SIZES, LeanStrip

RED = Style(color="red", bgcolor="black")
TRUE = Style(color="#e0e0e0", bgcolor="#1e1e1e", bold=True)
SAMPLES = [
    [Segment("│", TRUE), Segment("  Marzouk said ", RED), Segment("“an obscene step”", TRUE)],
    [Segment("wide 中文 text ", TRUE), Segment("😀 emoji", RED), Segment("│", None)],
    [Segment(" ", TRUE)],
    [],
]


def both(segments: list[Segment]) -> tuple[Strip, Strip]:
    return Strip(segments), LeanStrip(segments)


def same(ours: Strip, theirs: Strip) -> None:
    assert list(ours) == list(theirs)
    assert ours.cell_length == theirs.cell_length


@pytest.mark.parametrize("segments", SAMPLES)
def test_a_lean_strip_gives_what_a_strip_gives(segments: list[Segment]) -> None:
    strip, lean = both(segments)
    length = strip.cell_length
    for cuts in ([length], [1, length], [1, 2, length], [3, 5, 9, length + 4], [length + 1], []):
        theirs, ours = strip.divide(cuts), lean.divide(cuts)
        assert len(ours) == len(theirs)
        for piece, lean_piece in zip(theirs, ours, strict=True):
            same(lean_piece, piece)
        assert lean.divide(cuts) == ours  # again, from its cache or not
    for start, end in ((0, length), (0, length + 7), (0, max(length - 2, 0)), (2, length + 3)):
        same(lean.crop_extend(start, end, RED), strip.crop_extend(start, end, RED))
    background = Color(30, 30, 30)
    for line_filter in (ANSIToTruecolor(MONOKAI), DimFilter()):
        filtered = strip.apply_filter(line_filter, background)
        same(lean.apply_filter(line_filter, background), filtered)
    same(lean.crop(1, 4), strip.crop(1, 4))
    same(lean.apply_style(RED), strip.apply_style(RED))


def test_its_caches_are_textuals_own_made_on_demand() -> None:
    """The caches it makes when asked are those a Strip makes at once, of the same sizes: a
    Textual that renamed or added one would be caught here."""
    strip = Strip([Segment("x")])
    textuals = {
        name: getattr(strip, name)._maxsize
        for name in Strip.__slots__
        if type(getattr(strip, name, None)).__name__ == "FIFOCache"
    }
    assert textuals == CACHE_SIZES
    lean = LeanStrip([Segment("x")])
    for name in CACHE_SIZES:
        with pytest.raises(AttributeError):  # not made yet
            getattr(Strip, name).__get__(lean)
    lean.crop(0, 0)
    assert lean._crop_cache._maxsize == CACHE_SIZES["_crop_cache"]
    with pytest.raises(AttributeError):
        lean.no_such_attribute  # noqa: B018


def test_dividing_or_padding_a_lean_strip_into_itself_leaves_no_cycle() -> None:
    """Strip caches the division of a strip into itself, and its padding to its own width, in
    the strip: a cycle per row drawn, freed only by the cyclic collector."""

    def garbage_after(make: type[Strip]) -> int:
        gc.collect()
        gc.disable()
        try:
            strip = make([Segment("a row of text", TRUE)])
            strip.divide([strip.cell_length])
            strip.crop_extend(0, strip.cell_length, None)
            del strip
            return gc.collect()
        finally:
            gc.enable()

    assert garbage_after(Strip) > 0  # what the test would see without LeanStrip
    assert garbage_after(LeanStrip) == 0


async def test_the_panes_rows_reach_the_compositor_as_lean_strips(make_app) -> None:
    """Every row between a pane's borders, its text lines and the pieces the compositor cuts
    them into at the scrollbar, is a LeanStrip: after `f`, which redraws every row."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await wait_for(pilot, lambda: view._layout is not None and view._layout.complete)
        await pilot.press("f")
        await pilot.pause()
        for pane in app.reader_screen.query(ArticlePane):
            width, height = pane.region.size
            rows = pane.render_lines(Region(0, 0, width, height))
            for row in rows[1:-1]:
                assert type(row) is LeanStrip
                for piece in row.divide([width - 2, width - 1, width]):
                    assert type(piece) is LeanStrip
