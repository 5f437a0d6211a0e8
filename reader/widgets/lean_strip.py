"""A Textual `Strip` that makes its caches when first used, and leaves no cycle behind.

Textual's `Strip` (textual 8.2) makes seven caches as it is made, each a `FIFOCache`: with the
strip and its list of segments, 9 objects the cyclic collector tracks. A pane's row was four
such strips at every frame that redraws it (a resize, an `f`, a page): the text's line padded
to the view's width, the line framed by the border, that row filtered (Textual turns ANSI
colours to true colours on every line by default), and the three pieces the compositor cuts
it into where the scrollbar and the border begin. An `f` on the bundled corpus left some
4,500 tracked objects, several young collections' worth. Most of those caches are never used,
and two of them made cycles: a strip padded or divided into itself is cached in itself.

This strip makes a cache when something first asks for it, caches nothing into itself, and
makes LeanStrips where a row's path goes on (`apply_filter`, `divide`, padding by
`crop_extend`). Everything else is Textual's `Strip`, and what else it makes from this one (a
crop, a style applied) is a plain `Strip`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.cache import FIFOCache
from textual.color import Color
from textual.filter import LineFilter
from textual.strip import Strip

# The size of each cache, as `Strip.__init__` makes them (textual 8.2).
CACHE_SIZES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}


class LeanStrip(Strip):
    __slots__ = ()

    def __init__(self, segments: Iterable[Segment], cell_length: int | None = None) -> None:
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    def __getattr__(self, name: str) -> FIFOCache[Any, Any]:
        # Called only for what is not set: a cache not made yet (anything else is an error).
        size = CACHE_SIZES.get(name)
        if size is None:
            raise AttributeError(name)
        cache: FIFOCache[Any, Any] = FIFOCache(size)
        setattr(self, name, cache)
        return cache

    def apply_filter(self, filter: LineFilter, background: Color) -> Strip:
        # As Strip.apply_filter, making a LeanStrip: a pane's rows are all filtered (Textual
        # turns ANSI colours to true colours by default), and the compositor divides the result.
        key = (filter, background)
        filtered: Strip | None = self._filter_cache.get(key)
        if filtered is None:
            filtered = LeanStrip(filter.apply(self._segments, background), self._cell_length)
            self._filter_cache[key] = filtered
        return filtered

    def crop_extend(self, start: int, end: int, style: Style | None) -> Strip:
        # A line of text padded to the view's width, the usual case, as a LeanStrip; the rest
        # as Textual does it. (Textual's, for a strip already `end` wide, caches the strip in
        # itself: a cycle.)
        cell_length = self.cell_length
        if start != 0 or end < cell_length:
            return super().crop_extend(start, end, style)
        if end == cell_length:
            return self
        key = (start, end, style)
        extended: Strip | None = self._crop_extend_cache.get(key)
        if extended is None:
            padding = Segment(" " * (end - cell_length), style)
            extended = LeanStrip([*self._segments, padding], end)
            self._crop_extend_cache[key] = extended
        return extended

    def divide(self, cuts: Iterable[int]) -> Sequence[Strip]:
        # As Strip.divide, into LeanStrips: the compositor cuts each pane's row where the
        # scrollbar and the border begin, three pieces at every frame.
        cell_length = self.cell_length
        kept = [cut for cut in cuts if cut <= cell_length]
        if kept == [cell_length]:
            return [self]  # not cached: that made the strip a cycle
        key = tuple(kept)
        pieces: list[Strip] | None = self._divide_cache.get(key)
        if pieces is None:
            pieces = []
            start = 0
            for segments, cut in zip(Segment.divide(self._segments, kept), kept, strict=False):
                pieces.append(LeanStrip(segments, cut - start))
                start = cut
            self._divide_cache[key] = pieces
        return pieces
