"""Wrapping article text into display lines whose ends are offsets into the verbatim text.

No textual import: this is the document side of the article view, tested on its own. The view
draws line `y` as `display_text[line.start:line.end]`, so every screen cell maps back to a
Python str index of the file's text.
"""

from __future__ import annotations

import bisect
import itertools
import re
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
