"""The article text, drawn line by line through Textual's line API.

Only the lines on screen are rendered (`render_line`), each cached as a `Strip` until something
that changes it does (width, cursor, tags, entities, chrome folding, focus, styles). The text
model (sentences, cursor) is `reader.document.ReadingDocument`; wrapping is
`reader.text_layout`. This widget shows and moves; it posts messages and never saves.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.dom import NoScreen
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.model import LABELS
from corpus.model import Article
from reader import trace
from reader.document import ReadingDocument, Span, SpanMarks
from reader.entities import LABEL_NAMES, Entity
from reader.literal import display_text
from reader.text_layout import DisplayLine, LineKind, layered_segments, layout_lines

# Left of the text: a bar for the current sentence, one slot per label, a note mark.
GUTTER_WIDTH = 2 + len(LABELS)
TAG_LETTERS = {label: label[0].upper() for label in LABELS}
NOTE_MARK = "✎"  # in the gutter's last cell: this sentence has a note


def entity_component(label: str) -> str:
    return f"article-view--entity-{label.lower().replace('_', '-')}"


# The view's colours (styles/reader.tcss). They are component classes of the screen that hosts
# the views (ReaderScreen declares them), not of each view: Textual styles every component class
# as a node of its own on each restyle, so with three views, declaring them per view tripled that
# work at start-up and on every focus change. The view reads them with `_style`.
VIEW_COMPONENTS: frozenset[str] = frozenset(
    {
        "article-view--cursor",
        "article-view--cursor-blurred",
        "article-view--cursor-bar",
        "article-view--cursor-bar-blurred",
        "article-view--chrome",
        "article-view--fold",
        "article-view--note",
        *(f"article-view--tag-{label}" for label in LABELS),
        *(entity_component(label) for label in LABEL_NAMES),
    }
)


class ArticleView(ScrollView, can_focus=True):
    """One article's text with entity colours, tags in a gutter and a sentence cursor.

    Its screen must declare VIEW_COMPONENTS among its COMPONENT_CLASSES.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Next sentence", id="sentence.next"),
        Binding("k,up", "move(-1)", "Previous sentence", id="sentence.previous"),
        Binding("g,home", "move_to_end(False)", "First sentence", show=False, id="sentence.first"),
        Binding("G,end", "move_to_end(True)", "Last sentence", show=False, id="sentence.last"),
        # The text never scrolls sideways, so the horizontal keys move between panes instead.
        Binding("h,left", "app.focus_previous", "Pane to the left", show=False, id="pane.left"),
        Binding("l,right", "app.focus_next", "Pane to the right", show=False, id="pane.right"),
        Binding("ctrl+pageup,ctrl+pagedown", "noop", show=False),
        Binding("c", "tag('claim')", "Claim", id="tag.claim"),
        Binding("o", "tag('opinion')", "Opinion", id="tag.opinion"),
        Binding("u", "tag('unverified')", "Unverified", id="tag.unverified"),
        Binding("n", "note", "Note", id="note.edit"),
        Binding("f", "toggle_chrome", "Site chrome", id="chrome.toggle"),
    ]

    class TagToggleRequested(Message):
        """The user asked to add or remove `label` on the current sentence."""

        def __init__(self, view: ArticleView, article: Article, span: Span, label: str) -> None:
            super().__init__()
            self.view = view
            self.article = article
            self.span = span
            self.label = label

    class CursorMoved(Message):
        """The cursor is on another sentence (the app shows that sentence's note)."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

    class NoteRequested(Message):
        """The user asked to write, change or delete their note on the current sentence."""

        def __init__(self, view: ArticleView, article: Article, span: Span) -> None:
            super().__init__()
            self.view = view
            self.article = article
            self.span = span

    def __init__(
        self,
        article: Article,
        *,
        entities: Iterable[Entity] = (),
        marks: SpanMarks | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._line_cache: LRUCache[int, Strip] = LRUCache(2048)
        self._screen_styles: dict[str, Style] = {}
        self._base_style: Style | None = None  # rich_style, read once per restyle
        self._lines: list[DisplayLine] = []
        self._line_starts: list[int] = []
        self._layout_width = 0
        self._load(article, show_chrome=False, entities=entities, marks=marks or SpanMarks())

    def _load(
        self, article: Article, *, show_chrome: bool, entities: Iterable[Entity], marks: SpanMarks
    ) -> None:
        self.article = article
        self.document = ReadingDocument(article, show_chrome=show_chrome)
        self._display = display_text(article.text)
        self._sentence_starts = [start for start, _ in self.document.sentences]
        self.entities = sorted(entities, key=lambda entity: (entity.start, entity.end))
        self._entity_starts = [entity.start for entity in self.entities]
        self.marks = marks

    # -- what the app and the pane call ------------------------------------------------------

    def show_article(self, article: Article) -> None:
        """Replace the article; entities and tags are supplied afterwards by the app."""
        self._load(article, show_chrome=self.document.show_chrome, entities=(), marks=SpanMarks())
        self._relayout(force=True)
        self.scroll_to(0, 0, animate=False)

    def set_entities(self, entities: Iterable[Entity]) -> None:
        self.entities = sorted(entities, key=lambda entity: (entity.start, entity.end))
        self._entity_starts = [entity.start for entity in self.entities]
        self._invalidate()

    def set_marks(self, marks: SpanMarks) -> None:
        """New labels and notes per sentence span; only the sentences that changed are redrawn."""
        old = self.marks
        changed = {span for span, _ in set(old.tags.items()) ^ set(marks.tags.items())}
        changed |= {span for span, _ in set(old.others.items()) ^ set(marks.others.items())}
        changed |= old.notes.keys() ^ marks.notes.keys()  # the gutter shows whether, not what
        self.marks = marks
        for span in changed:
            self._refresh_span(span)

    def move_cursor_to(self, offset: int) -> None:
        """Put the cursor on the sentence at ``offset`` (the app does, after an undo)."""
        self._move_cursor(lambda: self.document.move_to_offset(offset))

    @property
    def current_span(self) -> Span | None:
        return self.document.current

    @property
    def current_note(self) -> str:
        """The note on the sentence under the cursor ("" if none)."""
        span = self.document.current
        return "" if span is None else self.marks.notes.get(span, "")

    # -- actions -----------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        self._move_cursor(lambda: self.document.move(delta))

    def action_move_to_end(self, last: bool) -> None:
        self._move_cursor(lambda: self.document.move_to_end(last))

    def action_tag(self, label: str) -> None:
        span = self.document.current
        if span is None:
            self.app.bell()
            return
        self.post_message(self.TagToggleRequested(self, self.article, span, label))

    def action_noop(self) -> None:
        """Keys inherited from ScrollView that would scroll sideways do nothing here."""

    def action_note(self) -> None:
        span = self.document.current
        if span is None:
            self.app.bell()
            return
        self.post_message(self.NoteRequested(self, self.article, span))

    def action_toggle_chrome(self) -> None:
        self.document.show_chrome = not self.document.show_chrome
        self._relayout(force=True)
        self._scroll_to_cursor()

    # -- events ------------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        y = offset.y + self.scroll_offset.y
        if not 0 <= y < len(self._lines):
            return
        line = self._lines[y]
        if line.kind is LineKind.FOLD:
            self.action_toggle_chrome()
            return
        target = self._offset_at(line, offset.x + self.scroll_offset.x - GUTTER_WIDTH)
        self._move_cursor(lambda: self.document.move_to_offset(target))

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def on_mount(self) -> None:
        self._relayout()

    def on_focus(self) -> None:
        self._refresh_span(self.document.current)

    def on_blur(self) -> None:
        self._refresh_span(self.document.current)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Textual calls this on every restyle, including each focus change, which restyles the
        # view without changing a colour; dropping every cached line then made Tab redraw both
        # views in full. Cached lines are dropped only when a style they were drawn with changed.
        if self._base_style is not None and self._drawn_styles_unchanged():
            return
        self._base_style = None
        self._screen_styles.clear()
        self._line_cache.clear()

    def _drawn_styles_unchanged(self) -> bool:
        try:
            screen = self.screen
            return self.rich_style == self._base_style and all(
                screen.get_component_rich_style(name, partial=True) == style
                for name, style in self._screen_styles.items()
            )
        except (NoScreen, KeyError):
            return False

    # -- layout ------------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(self.scrollable_content_region.width - GUTTER_WIDTH, 10)

    def _relayout(self, force: bool = False) -> None:
        if self.scrollable_content_region.width <= 0:
            return
        width = self._text_width()
        if width == self._layout_width and not force:
            return
        self._layout_width = width
        folded = () if self.document.show_chrome else self.article.chrome
        paragraphs = self.article.paragraphs
        self._lines = layout_lines(self._display, paragraphs, width, folded)
        self._line_starts = [line.start for line in self._lines]
        self.virtual_size = Size(width + GUTTER_WIDTH, len(self._lines))
        self._invalidate()
        self._scroll_to_cursor()

    def _lines_of(self, span: Span) -> tuple[int, int]:
        """First and last display line that show any of `span`."""
        first = max(bisect.bisect_right(self._line_starts, span[0]) - 1, 0)
        last = max(bisect.bisect_left(self._line_starts, span[1]) - 1, first)
        return first, last

    def _refresh_span(self, span: Span | None) -> None:
        if span is None or not self._lines:
            return
        first, last = self._lines_of(span)
        for y in range(first, last + 1):
            self._line_cache.discard(y)
        self.refresh_lines(first, last - first + 1)

    def _invalidate(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def _move_cursor(self, move: Callable[[], bool]) -> None:
        previous = self.document.current
        if move():
            self._refresh_span(previous)
            self._refresh_span(self.document.current)
            self._scroll_to_cursor()
            self.post_message(self.CursorMoved(self))

    def _scroll_to_cursor(self) -> None:
        span = self.document.current
        if span is None or not self._lines:
            return
        first, last = self._lines_of(span)
        self.scroll_to_region(
            Region(0, first, 1, last - first + 1),
            animate=False,
            spacing=Spacing(1, 0, 1, 0),
            force=True,
        )

    def _offset_at(self, line: DisplayLine, x: int) -> int:
        """The text offset under cell `x` of a text line."""
        cells = 0
        for index in range(line.start, line.end):
            cells += cell_len(self._display[index])
            if cells > x:
                return index
        return max(line.end - 1, line.start)

    # -- rendering ---------------------------------------------------------------------------

    def _style(self, component: str) -> Style:
        """One of VIEW_COMPONENTS, as styled on the host screen (cached until a restyle)."""
        style = self._screen_styles.get(component)
        if style is None:
            style = self.screen.get_component_rich_style(component, partial=True)
            self._screen_styles[component] = style
        return style

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line_y = scroll_y + y
        width = self.scrollable_content_region.width
        # rich_style blends every ancestor's background (half a millisecond); it can only change
        # with a restyle, which notify_style_update checks.
        base = self._base_style
        if base is None:
            base = self._base_style = self.rich_style
        if self._layout_width != self._text_width():
            # The width is first known here, not at mount: laying out now puts the text in the
            # very first frame instead of a blank frame followed by a relayout.
            self._relayout()
        if not 0 <= line_y < len(self._lines):
            return Strip.blank(width, base)
        strip = self._line_cache.get(line_y)
        if strip is None:
            strip = self._render_display_line(self._lines[line_y], base)
            self._line_cache[line_y] = strip
        trace.mark("text_painted")
        if self.entities:
            trace.mark("entities_painted")
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, line_y)

    def _sentences_on(self, start: int, end: int) -> Sequence[int]:
        first = max(bisect.bisect_right(self._sentence_starts, start) - 1, 0)
        last = bisect.bisect_left(self._sentence_starts, end)
        sentences = self.document.sentences
        return [i for i in range(first, last) if sentences[i][1] > start]

    def _render_display_line(self, line: DisplayLine, base: Style) -> Strip:
        if line.kind is LineKind.GAP:
            return Strip.blank(0, base)
        if line.kind is LineKind.FOLD:
            assert line.folded is not None
            words = len(self.article.text[line.folded[0] : line.folded[1]].split())
            label = f"⋯ site chrome folded ({words} words) · f shows it"
            fold_style = base + self._style("article-view--fold")
            return Strip(
                [Segment(" " * GUTTER_WIDTH + label, fold_style)], GUTTER_WIDTH + len(label)
            )

        start, end = line.start, line.end
        # (start, end, style) in line-local offsets, in the order they are layered: later wins.
        layers: list[tuple[int, int, Style]] = []
        if self.document.show_chrome and self.article.is_chrome(start, end):
            layers.append((0, end - start, self._style("article-view--chrome")))

        labels_here: set[str] = set()
        theirs_here: set[str] = set()
        noted_here = False
        marks = self.marks
        cursor_here = False
        current = self.document.cursor
        for index in self._sentences_on(start, end):
            s_start, s_end = self.document.sentences[index]
            local = (max(s_start, start) - start, min(s_end, end) - start)
            labels = marks.tags.get((s_start, s_end), ())
            theirs = marks.others.get((s_start, s_end), ())
            noted_here = noted_here or (s_start, s_end) in marks.notes
            labels_here.update(labels)
            theirs_here.update(theirs)
            # The tint is your first label's, else another annotator's; labels the app has no
            # colour for (from another tool) show in the gutter only.
            tint = next((label for label in (*labels, *theirs) if label in TAG_LETTERS), None)
            if tint is not None:
                layers.append((*local, self._style(f"article-view--tag-{tint}")))
            if index == current:
                cursor_here = True
                cursor = (
                    "article-view--cursor" if self.has_focus else "article-view--cursor-blurred"
                )
                layers.append((*local, self._style(cursor)))

        first = max(bisect.bisect_right(self._entity_starts, start) - 1, 0)
        for entity in self.entities[first : bisect.bisect_left(self._entity_starts, end)]:
            if entity.end > start:
                local = (max(entity.start, start) - start, min(entity.end, end) - start)
                layers.append((*local, self._style(entity_component(entity.label))))

        gutter: list[Segment] = []
        if cursor_here:
            bar = (
                "article-view--cursor-bar" if self.has_focus else "article-view--cursor-bar-blurred"
            )
            gutter.append(Segment("▌", base + self._style(bar)))
        else:
            gutter.append(Segment(" ", base))
        for label in LABELS:
            if label in labels_here:
                tag_style = self._style(f"article-view--tag-{label}")
                gutter.append(Segment(TAG_LETTERS[label], base + tag_style + Style(bold=True)))
            elif label in theirs_here:
                # Lower case: another annotator's label, shown but not yours to toggle.
                tag_style = self._style(f"article-view--tag-{label}")
                gutter.append(Segment(TAG_LETTERS[label].lower(), base + tag_style))
            else:
                gutter.append(Segment(" ", base))
        if noted_here:
            gutter.append(Segment(NOTE_MARK, base + self._style("article-view--note")))
        else:
            gutter.append(Segment(" ", base))
        plain = self._display[start:end]
        segments = gutter + layered_segments(plain, base, layers)
        return Strip(segments, GUTTER_WIDTH + cell_len(plain))
