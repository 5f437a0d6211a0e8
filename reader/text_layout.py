"""Wrapping article text into display lines whose ends are offsets into the verbatim text.

No textual import: this is the document side of the article view, tested on its own. The view
draws line `y` as `display_text[line.start:line.end]`, so every screen cell maps back to a
Python str index of the file's text.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import time
from collections.abc import Sequence
from enum import Enum
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

Span = tuple[int, int]

_WORD = re.compile(r"\S+")

# Characters every terminal draws in exactly one cell (Latin, Greek, Cyrillic, the punctuation
# news text is full of). A line made only of these is measured with len(), not cell by cell.
_ONE_CELL = frozenset(
    chr(code)
    for first, last in [
        (0x20, 0x7E),
        (0xA0, 0x2FF),
        (0x370, 0x482),
        (0x2010, 0x2027),
        (0x2030, 0x205E),
        (0x20A0, 0x20C0),
    ]
    for code in range(first, last + 1)
)


class LineKind(Enum):
    TEXT = "text"
    GAP = "gap"  # the blank line between paragraphs
    FOLD = "fold"  # one line standing for a folded run of site chrome


class DisplayLine(NamedTuple):  # hundreds per article at each layout: a tuple is cheapest
    kind: LineKind
    start: int
    end: int
    folded: Span | None = None  # for FOLD lines: the text span that is hidden


def _containing(regions: Sequence[Span], starts: Sequence[int], span: Span) -> Span | None:
    index = bisect.bisect_right(starts, span[0]) - 1
    if index >= 0 and regions[index][0] <= span[0] and span[1] <= regions[index][1]:
        return regions[index]
    return None


def wrap_span(text: str, start: int, end: int, width: int) -> list[Span]:
    """Greedy word wrap of text[start:end] (one line of the file) into spans of <= width cells."""
    width = max(width, 1)
    if _ONE_CELL.issuperset(text[start:end]):
        return _wrap_one_cell(text, start, end, width)
    spans: list[Span] = []
    line_start = -1
    used = 0
    previous_end = start
    for match in _WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        word_cells = cell_len(text[word_start:word_end])
        if line_start < 0:
            line_start, used = word_start, word_cells
        else:
            gap = cell_len(text[previous_end:word_start])
            if used + gap + word_cells <= width:
                used += gap + word_cells
            else:
                spans.append((line_start, previous_end))
                line_start, used = word_start, word_cells
        # A word wider than the line is cut where it fills the line.
        while used > width:
            cut, cells = line_start, 0
            while cut < word_end and cells + cell_len(text[cut]) <= width:
                cells += cell_len(text[cut])
                cut += 1
            cut = max(cut, line_start + 1)
            spans.append((line_start, cut))
            line_start = cut
            used = cell_len(text[cut:word_end])
        previous_end = word_end
    if line_start >= 0 and line_start < previous_end:
        spans.append((line_start, previous_end))
    return spans


def _wrap_one_cell(text: str, start: int, end: int, width: int) -> list[Span]:
    """wrap_span for text where every character is one cell: cells are string lengths."""
    spans: list[Span] = []
    line_start = -1
    previous_end = start
    for match in _WORD.finditer(text, start, end):
        word_start, word_end = match.span()
        if line_start < 0:
            line_start = word_start
        elif word_end - line_start > width:
            spans.append((line_start, previous_end))
            line_start = word_start
        while word_end - line_start > width:
            spans.append((line_start, line_start + width))
            line_start += width
        previous_end = word_end
    if line_start >= 0 and line_start < previous_end:
        spans.append((line_start, previous_end))
    return spans


def layout_lines(
    text: str,
    paragraphs: Sequence[Span],
    width: int,
    folded: Sequence[Span] = (),
) -> list[DisplayLine]:
    """Lay out paragraphs at `width` cells; runs of paragraphs inside `folded` become one line.

    `text` should be `display_text(original)`. Paragraph breaks become one blank line; a single
    newline inside a paragraph is a line break, as the file has it.
    """
    fold_starts = [region[0] for region in folded]
    lines: list[DisplayLine] = []
    for paragraph in paragraphs:
        region = _containing(folded, fold_starts, paragraph) if folded else None
        if region is not None:
            if lines and lines[-1].folded == region:
                continue
            if lines:
                lines.append(DisplayLine(LineKind.GAP, paragraph[0], paragraph[0]))
            lines.append(DisplayLine(LineKind.FOLD, region[0], region[0], region))
            continue
        if lines:
            lines.append(DisplayLine(LineKind.GAP, paragraph[0], paragraph[0]))
        line_start = paragraph[0]
        while line_start <= paragraph[1]:
            newline = text.find("\n", line_start, paragraph[1])
            line_end = paragraph[1] if newline < 0 else newline
            # "\r\n" files: the carriage return is part of the line break, not of the line.
            visible_end = line_end - 1 if text[line_start:line_end].endswith("\u240d") else line_end
            for start, end in wrap_span(text, line_start, visible_end, width):
                lines.append(DisplayLine(LineKind.TEXT, start, end))
            if newline < 0:
                break
            line_start = newline + 1
    return lines


def layered_segments(
    text: str, base: Style, layers: Sequence[tuple[int, int, Style]]
) -> list[Segment]:
    """Cut `text` where any layer starts or ends; each piece gets base + the layers over it."""
    if not layers:
        return [Segment(text, base)]
    cuts = sorted({0, len(text), *(s for s, _, _ in layers), *(e for _, e, _ in layers)})
    segments = []
    for left, right in itertools.pairwise(cuts):
        if right <= left:
            continue
        style = base
        for layer_start, layer_end, layer_style in layers:
            if layer_start <= left and right <= layer_end:
                style += layer_style
        segments.append(Segment(text[left:right], style))
    return segments


class Paragraphs:
    """Each paragraph's start, end, length and line breaks, found once per article: both
    foldings' Blocks are cut from them. At 5 MB (20,000 paragraphs) the line breaks alone took
    4 ms a time, paid again for the other folding in a background slice."""

    def __init__(self, text: str, paragraphs: Sequence[Span]) -> None:
        self.starts = [start for start, _ in paragraphs]
        self.ends = [end for _, end in paragraphs]
        self.lengths = list(map(operator.sub, self.ends, self.starts))
        self.breaks = list(map(text.count, itertools.repeat("\n"), self.starts, self.ends))
        self.spans: list[tuple[int, int, Span | None]] = list(
            zip(self.starts, self.ends, itertools.repeat(None))
        )


class Blocks:
    """An article cut into what LazyLayout wraps one at a time: paragraphs, and runs of folded
    chrome (one line each). Independent of the width, so made once per folding.

    Its lists are read, never changed: a block list with nothing folded is the paragraphs'
    own lists, and `refolded` makes the other folding's from the same Paragraphs."""

    def __init__(
        self,
        text: str,
        paragraphs: Sequence[Span],
        folded: Sequence[Span],
        *,
        table: Paragraphs | None = None,
    ) -> None:
        self.paragraphs = table = table if table is not None else Paragraphs(text, paragraphs)
        self._text = text
        if not folded:
            self.spans = table.spans
            self.starts = table.starts
            self.lengths = table.lengths
            self.breaks = table.breaks
            self.folds = [False] * len(table.starts)
            self.fold_indices: list[int] = []
        else:
            self._cut(table, folded)
        self._estimates: dict[int, list[int]] = {}

    def _cut(self, table: Paragraphs, folded: Sequence[Span]) -> None:
        """The paragraphs, each run of them inside one folded region (regions are sorted and
        apart) made one block: a copy of the paragraphs' lists between regions, slice by slice,
        rather than a test of each paragraph."""
        spans: list[tuple[int, int, Span | None]] = []
        starts: list[int] = []
        lengths: list[int] = []
        breaks: list[int] = []
        folds: list[bool] = []
        fold_indices: list[int] = []
        kept = 0  # paragraphs before this one are placed
        for region in folded:
            first = bisect.bisect_left(table.starts, region[0], kept)
            end = bisect.bisect_right(table.ends, region[1], first)
            if end <= first:
                continue  # no paragraph lies wholly inside
            spans += table.spans[kept:first]
            starts += table.starts[kept:first]
            lengths += table.lengths[kept:first]
            breaks += table.breaks[kept:first]
            folds += [False] * (first - kept)
            fold_indices.append(len(spans))
            spans.append((region[0], region[0], region))
            starts.append(region[0])
            lengths.append(0)
            breaks.append(0)
            folds.append(True)
            kept = end
        spans += table.spans[kept:]
        starts += table.starts[kept:]
        lengths += table.lengths[kept:]
        breaks += table.breaks[kept:]
        folds += [False] * (len(table.starts) - kept)
        self.spans, self.starts, self.lengths = spans, starts, lengths
        self.breaks, self.folds, self.fold_indices = breaks, folds, fold_indices

    def refolded(self, folded: Sequence[Span]) -> Blocks:
        """The same paragraphs with `folded` (or nothing, for ()) folded instead."""
        return Blocks(self._text, (), folded, table=self.paragraphs)

    def estimated_heights(self, width: int) -> list[int]:
        """Each block's height at `width` before it is wrapped (kept for a few widths: `f` and
        resizing back do not estimate again). Cells are about characters, and each hard line
        break starts a line; a folded run is one line."""
        found = self._estimates.get(width)
        if found is None:
            found = [
                1 if fold else length // width + 1 + breaks
                for length, breaks, fold in zip(self.lengths, self.breaks, self.folds, strict=True)
            ]
            if len(self._estimates) >= 4:
                del self._estimates[next(iter(self._estimates))]
            self._estimates[width] = found
        return found


_CHUNK = 64  # blocks per chunk of LazyLayout's line sums


class LazyLayout:
    """`layout_lines`, wrapped only where it is looked at.

    A 5 MB article is about 100,000 display lines; wrapping them all takes a third of a second,
    which a resize or `f` must not block on. The article is cut into blocks (a paragraph, or one
    folded run of chrome) and each block is wrapped when a line of it is first asked for; until
    then its height is an estimate from its length. `wrap_some` wraps the rest in slices (the
    view calls it from a timer), and once everything is wrapped the lines are exactly those of
    `layout_lines`. Line numbers of a block move when a block above it is wrapped and its
    estimate corrected: `generation` counts such changes, so the view can keep its place.
    """

    def __init__(
        self,
        text: str,
        paragraphs: Sequence[Span],
        width: int,
        folded: Sequence[Span] = (),
        *,
        blocks: Blocks | None = None,
        wrapped: dict[int, list[DisplayLine]] | None = None,
    ) -> None:
        self.text = text
        self.width = max(width, 1)
        # Paragraphs of this text already wrapped at this width by an earlier layout (before
        # `f`, say), by their start: the same lines, so they need not be wrapped again.
        self.wrapped_paragraphs = wrapped if wrapped is not None else {}
        # The blocks do not depend on the width: a resize passes the last layout's.
        self.blocks = blocks if blocks is not None else Blocks(text, paragraphs, folded)
        blocks_ = self.blocks
        self._blocks = blocks_.spans
        self._block_starts = blocks_.starts
        count = len(self._blocks)
        estimates = blocks_.estimated_heights(self.width)
        known = self.wrapped_paragraphs
        self._wrapped: list[list[DisplayLine] | None]
        if known:
            # Taken as they are: exact heights at once, nothing to wrap, no line moves later.
            self._wrapped = list(map(known.get, blocks_.starts))
            for index in blocks_.fold_indices:  # a folded run starts where a paragraph does
                self._wrapped[index] = None
            self._heights = [
                estimate if lines is None else len(lines)
                for lines, estimate in zip(self._wrapped, estimates, strict=True)
            ]
        else:
            self._wrapped = [None] * count
            self._heights = list(estimates)
        self._unwrapped = self._wrapped.count(None)
        # Line numbers: a block's first line is the sum of the heights above it, each block but
        # the first after a blank line. Wrapping corrects one height at a time, anywhere, so the
        # sums are kept per chunk of blocks (updated in place) plus a running total over the
        # chunks (redone, a few hundred additions, when asked after a change): no correction
        # costs a pass over all 20,000 blocks of a 5 MB article.
        heights = self._heights
        self._chunk_sums = [
            sum(heights[first : first + _CHUNK]) + len(heights[first : first + _CHUNK])
            for first in range(0, count, _CHUNK)
        ]
        self._chunk_starts: list[int] = []
        self._dirty = True
        self._line_count = sum(self._chunk_sums) - 1 if count else 0
        self._next_to_wrap = 0
        self.generation = 0
        self._first_changed: int | None = None  # lowest block whose height changed, unreported

    # -- what the view asks --------------------------------------------------------------------

    @property
    def line_count(self) -> int:
        return self._line_count

    @property
    def complete(self) -> bool:
        return self._unwrapped == 0

    def line(self, y: int) -> DisplayLine:
        """Display line `y` (0 <= y < line_count), wrapping its block if needed."""
        index = self._block_of_line(y)
        lines = self._wrap(index)
        local = y - self._start(index) - (1 if index else 0)
        if local < 0:
            start = self._blocks[index][0]
            return DisplayLine(LineKind.GAP, start, start)
        return lines[min(local, len(lines) - 1)]

    def lines_of(self, span: Span) -> tuple[int, int]:
        """First and last display line that show any of `span` (its end blocks wrapped)."""
        return self.y_of_offset(span[0]), max(self.y_of_offset(max(span[1] - 1, span[0])), 0)

    def y_of_offset(self, offset: int) -> int:
        """The display line showing text offset `offset` (the nearest one if it is hidden)."""
        if not self._blocks:
            return 0
        index = max(bisect.bisect_right(self._block_starts, offset) - 1, 0)
        lines = self._wrap(index)
        base = self._start(index) + (1 if index else 0)
        starts = [line.start for line in lines]
        return base + max(bisect.bisect_right(starts, offset) - 1, 0)

    def wrap_some(self, budget_seconds: float) -> bool:
        """Wrap blocks not yet wrapped, in order, for about `budget_seconds`; True when all are."""
        deadline = time.perf_counter() + budget_seconds
        index = self._next_to_wrap
        wrapped = self._wrapped
        while index < len(wrapped):
            if wrapped[index] is None:
                self._wrap(index)
                if time.perf_counter() > deadline:
                    break
            index += 1
        self._next_to_wrap = index
        return self.complete

    def take_first_change(self) -> int | None:
        """The first line whose number may have moved since the last call (None: none did)."""
        index = self._first_changed
        self._first_changed = None
        return None if index is None else self._start(index)

    def all_lines(self) -> list[DisplayLine]:
        """Every line, wrapping everything (tests and small articles)."""
        return [self.line(y) for y in range(self.line_count)]

    def lines(self, y0: int, y1: int) -> list[DisplayLine]:
        """Lines y0 <= y < y1 (cut at line_count), wrapping the blocks they fall in.

        Line numbers are those after that wrapping: wrapping a block moves only the lines
        below it, so the lines come out as the full layout has them from the first one on.
        """
        found: list[DisplayLine] = []
        y = max(y0, 0)
        while y < min(y1, self.line_count):
            index = self._block_of_line(y)
            block = self._wrap(index)
            first = self._start(index) + (1 if index else 0)  # after its gap line
            if y < first:
                start = self._blocks[index][0]
                found.append(DisplayLine(LineKind.GAP, start, start))
                y += 1
                continue
            # Past the block's true end (its estimate was too high): the next turn finds
            # the block that now holds line y.
            taken = block[y - first : y - first + y1 - y]
            found.extend(taken)
            y += len(taken)
        return found

    # -- internals -------------------------------------------------------------------------------

    def _chunk_first_lines(self) -> list[int]:
        """For each chunk, the heights and blank lines of every block above it."""
        if self._dirty:
            self._chunk_starts = [0, *itertools.accumulate(self._chunk_sums[:-1])]
            self._dirty = False
        return self._chunk_starts

    def _start(self, index: int) -> int:
        """The first line of block `index`: its blank line, or 0 for the first block."""
        if index == 0:
            return 0
        chunk = index // _CHUNK
        first = chunk * _CHUNK
        above = self._chunk_first_lines()[chunk]
        heights = self._heights
        return above + sum(heights[first:index]) + (index - first) - 1

    def _block_of_line(self, y: int) -> int:
        """The block whose lines (its blank line first) include line `y`."""
        if y <= 0 or not self._heights:
            return 0
        # Block i > 0 starts at (heights and blank lines of the blocks above it) - 1.
        target = y + 1
        chunks = self._chunk_first_lines()
        chunk = bisect.bisect_right(chunks, target) - 1
        index = chunk * _CHUNK
        above = chunks[chunk]
        heights = self._heights
        last = min(index + _CHUNK, len(heights))
        while index < last and above + heights[index] + 1 <= target:
            above += heights[index] + 1
            index += 1
        return min(index, len(heights) - 1)

    def _wrap(self, index: int) -> list[DisplayLine]:
        found = self._wrapped[index]
        if found is not None:
            return found
        start, end, region = self._blocks[index]
        if region is not None:
            found = [DisplayLine(LineKind.FOLD, start, start, region)]
        else:
            found = self.wrapped_paragraphs.get(start)
            if found is None or (found and found[-1].end > end):
                found = self.wrapped_paragraphs[start] = _wrap_paragraph(
                    self.text, start, end, self.width
                )
        self._wrapped[index] = found
        self._unwrapped -= 1
        change = len(found) - self._heights[index]
        if change:
            self._heights[index] = len(found)
            self._chunk_sums[index // _CHUNK] += change
            self._line_count += change
            self._dirty = True
            self.generation += 1
            if self._first_changed is None or index < self._first_changed:
                self._first_changed = index
        return found


def _wrap_paragraph(text: str, start: int, end: int, width: int) -> list[DisplayLine]:
    """The TEXT lines of one paragraph, as layout_lines makes them."""
    lines: list[DisplayLine] = []
    line_start = start
    while line_start <= end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline < 0 else newline
        visible_end = line_end - 1 if text[line_start:line_end].endswith("\u240d") else line_end
        for s, e in wrap_span(text, line_start, visible_end, width):
            lines.append(DisplayLine(LineKind.TEXT, s, e))
        if newline < 0:
            break
        line_start = newline + 1
    return lines or [DisplayLine(LineKind.TEXT, start, start)]
