"""An article's text in a scroll view, wrapped lazily: what ArticleView draws on.

A 5 MB article is about 100,000 display lines. Only what is looked at is wrapped at first
(`reader.text_layout.LazyLayout`); the rest follows in slices from a timer, and the view keeps
its place as the estimated heights of paragraphs above it are corrected. Layouts are kept per
(width, folding), so `f` twice or a resize back costs nothing, and once everything is wrapped
the other folding is made ready in the background. Drawn lines are cached by line number
(`_line_cache`); whatever moves lines drops the cache.

ArticleView sets `article`, `document` and `_display` (`_load`) and keeps the cursor in view
(`_scroll_to_cursor`, called after each relayout).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from rich.cells import cell_len
from textual import events
from textual.geometry import Region, Size, Spacing
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.timer import Timer

from corpus.model import Article
from reader import input_clock
from reader.document import ReadingDocument, Span
from reader.text_layout import Blocks, DisplayLine, LazyLayout, LineKind
from reader.widgets.line_painting import GUTTER_WIDTH
from reader.widgets.line_scrollbar import LineScrollBar

# A passage that covers more display lines than this is redrawn by dropping the whole line
# cache (one call) instead of line by line.
MANY_LINES = 400
# Background work on a long article (the other folding's layout, wrapping, sentences): a
# slice of about this long, this often, until it is done. A key pressed during a slice waits
# for its end: at 6 ms (and 7-13 ms for a slice of sentences) that was a third of a frame or
# more on top of the key's own work. No slice starts while the user is pressing keys
# (reader.input_clock).
SLICE_SECONDS = 0.003
SLICE_INTERVAL = 0.025
# Articles up to this many characters are wrapped whole at once (a few ms); longer ones lazily.
EAGER_LAYOUT_CHARS = 200_000
SIZE_UPDATE_SECONDS = 0.5


class LineCache:
    """Drawn lines by line number, at most `size` of them (the first drawn go first).

    A plain dict, where Textual's LRUCache links its entries in a ring: every clear() (each
    relayout, scroll of a long article's estimates, new search) then left every line drawn,
    with the seven caches of each of its strips, as a cycle that only the cyclic collector
    frees, some 20 objects a line; they made young collections slower and full ones walk
    what the reader drew long ago."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lines: dict[int, Strip] = {}

    def get(self, y: int) -> Strip | None:
        return self._lines.get(y)

    def __setitem__(self, y: int, strip: Strip) -> None:
        lines = self._lines
        if y not in lines and len(lines) >= self._size:
            del lines[next(iter(lines))]
        lines[y] = strip

    def __contains__(self, y: int) -> bool:
        return y in self._lines

    def __len__(self) -> int:
        return len(self._lines)

    def discard(self, y: int) -> None:
        self._lines.pop(y, None)

    def clear(self) -> None:
        self._lines.clear()


class ArticleTextView(ScrollView):
    """The layout half of ArticleView: lines, their cache, and scrolling to a passage."""

    article: Article
    document: ReadingDocument
    _display: str  # the text as shown (reader.literal.display_text), offsets as in the article

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._line_cache = LineCache(2048)
        self._layout: LazyLayout | None = None
        self._layout_width = 0
        self._blocks: dict[bool, Blocks] = {}  # per folding (True: chrome folded)
        self._wrapped_by_width: dict[int, dict[int, list[DisplayLine]]] = {}
        self._layouts: dict[tuple[int, bool], LazyLayout] = {}  # per (width, folding)
        self._sized_at = 0.0
        self._wrapping: Timer | None = None
        self._background_done = False  # every step of _wrap_more done for this article
        self._sized_for: tuple[Size, Size, Size] | None = None  # see _size_updated
        self._scrolling_to_cursor = False

    def _forget_layouts(self) -> None:
        """Another article: nothing wrapped for the old one applies."""
        self._blocks = {}
        self._wrapped_by_width = {}
        self._layouts = {}
        self._background_done = False

    def _scroll_to_cursor(self) -> None:
        """Keep the cursor in view after a relayout (ArticleView's; none here)."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        # Widget.vertical_scrollbar (textual 8.2) with a LineScrollBar in place of its
        # ScrollBar: the same bar, drawn without a Rich render at every scroll.
        if self._vertical_scrollbar is None:
            bar = self._vertical_scrollbar = LineScrollBar(thickness=self.scrollbar_size_vertical)
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual's ScrollView (textual 8.2) compares the compositor's idea of our virtual size
        # (the region's) with ours (the text's), which always differ: every relayout of the
        # screen (opening the search bar, a toast) then refreshed and re-rendered the scrollbar
        # of every view. Its work depends only on these three, so it is skipped when none moved.
        sized = (size, container_size, self.virtual_size)
        if sized == self._sized_for:
            return False
        self._sized_for = sized
        return super()._size_updated(size, virtual_size, container_size, layout)

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def on_mount(self) -> None:
        self._relayout()

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - GUTTER_WIDTH, 10)

    def _relayout(self, force: bool = False) -> None:
        if self.scrollable_content_region.width <= 0:
            return
        width = self._text_width()
        if width == self._layout_width and not force:
            return
        self._layout_width = width
        folding = not self.document.show_chrome
        blocks = self._blocks.get(folding)
        if blocks is None:
            blocks = self._blocks[folding] = self._make_blocks(folding)
        # Only what is looked at is wrapped now (a 5 MB article is 100,000 lines); the rest
        # follows in slices from a timer, the view keeping its place as estimates are corrected.
        wrapped = self._wrapped_by_width.setdefault(width, {})
        if len(self._wrapped_by_width) > 3:  # a few widths: resizing back and forth is free
            del self._wrapped_by_width[next(iter(self._wrapped_by_width))]
        # The layouts themselves are kept too: making one sums the heights of every paragraph
        # (20,000 at 5 MB, some 10 ms), and `f` twice, or a resize back, needs the same one.
        layout = self._layouts.pop((width, folding), None)
        if layout is None:
            layout = LazyLayout(self._display, (), width, blocks=blocks, wrapped=wrapped)
        self._layouts[width, folding] = layout
        if len(self._layouts) > 4:
            del self._layouts[next(iter(self._layouts))]
        self._layout = layout
        if len(self._display) <= EAGER_LAYOUT_CHARS:
            # A news article wraps in a millisecond or two: exact from the first frame, with no
            # timer and no second frame to correct the scrollbar.
            self._layout.wrap_some(float("inf"))
        self._sized_at = time.monotonic()
        self.virtual_size = Size(width + GUTTER_WIDTH, self._layout.line_count)
        self._invalidate()
        self._scroll_to_cursor()
        # A long article's background work goes on past its layout (sentences, the other
        # folding, then freezing what it made): stopping it whenever a complete layout was
        # shown (`f` back to one, say) left it undone for good, and the collector then walked
        # the whole article at every full collection (250-300 ms, on whichever key).
        if self._layout.complete and (
            len(self._display) <= EAGER_LAYOUT_CHARS or self._background_done
        ):
            if self._wrapping is not None:
                self._wrapping.pause()
        else:
            self._background_done = False
            if self._wrapping is None:
                self._wrapping = self.set_interval(SLICE_INTERVAL, self._wrap_more)
            else:
                self._wrapping.resume()

    @property
    def _line_count(self) -> int:
        return self._layout.line_count if self._layout is not None else 0

    def _line(self, y: int) -> DisplayLine:
        assert self._layout is not None
        return self._layout.line(y)

    def _wrap_more(self) -> None:
        """A slice of background work: what a first `f` needs (_prepare_other_folding), then
        wrapping, then sentences, then the other folding made exact.

        Most slices wrap paragraphs below the screen: then nothing on screen moves and only the
        scrollbar's length is updated, at most twice a second. Paragraphs above the screen
        move the text: the view scrolls so the same line stays at the top."""
        layout = self._layout
        if layout is None or input_clock.user_is_active():
            return
        if self._prepare_other_folding():
            return
        if not layout.complete:
            top, bottom = self._visible_lines()
            anchor = layout.line(top) if 0 <= top < layout.line_count else None
            layout.wrap_some(SLICE_SECONDS)
            changed = layout.take_first_change()
            if changed is not None and changed <= bottom:
                self._line_cache.clear()
                if anchor is not None and changed <= top:
                    self._scroll_to_line_of(anchor, top)
                self.refresh()
            now = time.monotonic()
            if layout.complete or now - self._sized_at > SIZE_UPDATE_SECONDS:
                self._sized_at = now
                self._sync_virtual_size()
            return
        # Then the rest of a long article's sentences, a slice at a time (a motion that needs
        # them sooner finds them itself).
        if not self.document.complete:
            self.document.segment_some(SLICE_SECONDS)
            return
        # Last, what else a first `f` would use: the other folding's layout, made early with
        # estimates, made exact (its paragraphs are this one's, wrapped already: lookups), and
        # its reachable sentences.
        if self.article.chrome:
            other = self._layouts.get((self._layout_width, self.document.show_chrome))
            if other is not None and not other.complete:
                other.wrap_some(SLICE_SECONDS)
                return
            self.document.prepare_other_chrome()
        # All done. A long article's lines are 100,000 tuples that live as long as the layout:
        # moved out of the collector's reach, full collections (80-175 ms at 5 MB) stop landing
        # on keys.
        if len(self._display) > EAGER_LAYOUT_CHARS:
            gc.freeze()
        self._background_done = True
        if self._wrapping is not None:
            self._wrapping.pause()

    def _prepare_other_folding(self) -> bool:
        """One step, if one is left, of what a first `f` needs at this width: the other
        folding's blocks, then its layout (not wrapped: it shares this width's wrapped
        paragraphs). First of the background work, a slice each, so that `f` soon after opening
        a long article or resizing is as quick as the second (at 5 MB these steps are 4 and 3
        ms, and the rest of the work takes seconds). Whether it took a step."""
        if not self.article.chrome:
            return False
        other = self.document.show_chrome  # the other folding: folded when chrome is shown
        if other not in self._blocks:
            self._blocks[other] = self._make_blocks(other)
            return True
        width = self._layout_width
        if (width, other) not in self._layouts:
            self._layouts[width, other] = LazyLayout(
                self._display,
                (),
                width,
                blocks=self._blocks[other],
                wrapped=self._wrapped_by_width.setdefault(width, {}),
            )
            return True
        return False

    def _make_blocks(self, folding: bool) -> Blocks:
        """The blocks with chrome folded or not, cut from the other folding's paragraphs if
        they were found already (at 5 MB, 2 ms instead of 10)."""
        folded = self.article.chrome if folding else ()
        other = self._blocks.get(not folding)
        if other is not None:
            return other.refolded(folded)
        return Blocks(self._display, self.article.paragraphs, folded)

    def _scroll_to_line_of(self, anchor: DisplayLine, top: int) -> None:
        """Scroll so that `anchor` (the line that was at the top) is at the top again."""
        assert self._layout is not None
        new_top = self._layout.y_of_offset(anchor.start) - (anchor.kind is LineKind.GAP)
        if new_top != top:
            self._sync_virtual_size()
            self._scrolling_to_cursor = True
            try:
                self.scroll_to(y=new_top, animate=False, immediate=True)
            finally:
                self._scrolling_to_cursor = False

    def _keeping_place(self, change: Callable[[], object]) -> None:
        """Run something that may wrap blocks above the view: if line numbers moved, scroll so
        the same text stays at the top, and redraw."""
        layout = self._layout
        if layout is None:
            change()
            return
        generation = layout.generation
        top = round(self.scroll_offset.y)
        anchor = layout.line(top) if 0 <= top < layout.line_count else None
        change()
        if layout.generation == generation:
            return
        self._line_cache.clear()
        self._sync_virtual_size()
        if anchor is not None:
            self._scroll_to_line_of(anchor, top)
        self.refresh()

    def _lines_of(self, span: Span) -> tuple[int, int]:
        """First and last display line that show any of `span`."""
        layout = self._layout
        if layout is None:
            return 0, 0
        found: list[tuple[int, int]] = []
        self._keeping_place(lambda: found.append(layout.lines_of(span)))
        return found[0]

    def _refresh_span(self, span: Span | None) -> None:
        if span is None or not self._line_count:
            return
        first, last = self._lines_of(span)
        if last - first > MANY_LINES:
            self._invalidate()
            return
        for y in range(first, last + 1):
            self._line_cache.discard(y)
        self.refresh_lines(first, last - first + 1)

    def _invalidate(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def _scroll_to_span(self, span: Span | None) -> None:
        if span is None or not self._line_count:
            return
        first, last = self._lines_of(span)
        height = self.scrollable_content_region.height
        if height and last - first + 1 > height - 2:
            last = first + max(height - 3, 0)  # a long passage: its start in view
        self._scrolling_to_cursor = True
        try:
            self.scroll_to_region(
                Region(0, first, 1, last - first + 1),
                animate=False,
                spacing=Spacing(1, 0, 1, 0),
                force=True,
            )
        finally:
            self._scrolling_to_cursor = False

    def _visible_lines(self) -> tuple[int, int]:
        top = round(self.scroll_offset.y)
        return top, top + max(self.scrollable_content_region.height, 1) - 1

    def _sync_virtual_size(self) -> None:
        if self._layout is not None:
            size = Size(self._layout_width + GUTTER_WIDTH, self._layout.line_count)
            if size != self.virtual_size:
                self.virtual_size = size

    def _offset_at(self, line: DisplayLine, x: int) -> int:
        """The text offset under cell `x` of a text line."""
        cells = 0
        for index in range(line.start, line.end):
            cells += cell_len(self._display[index])
            if cells > x:
                return index
        return max(line.end - 1, line.start)
