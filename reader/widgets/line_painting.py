"""Painting one display line of an article: a pure function, no Textual widget involved.

ArticleView (reader.widgets.article_view) decides which lines are drawn and caches them; this
module decides how one line looks. The view describes the line in a `LineContent` (its text and
kind, the cursor's sentence, the annotations, search hits, selection and entities on it) and
hands over a `Palette`, which turns the names of the view's colours (`VIEW_COMPONENTS`, a
label's tint) into Rich styles. `paint_line` returns the line as a Strip, gutter included.

Decisions:

- The palette stays with the widget. Colours come from the screen's stylesheet, mixed into the
  view's own background (reader.colours), and only the widget sees a restyle; so the view
  resolves and caches them, and the painter only asks by name. Tests paint with a palette of
  their own, without an app.
- The description holds only what is on or near the line: the view narrows the article's
  marks, search hits and entities to the line (`SpanMarks.overlapping`, and `near` below for
  the sorted hits and entities, by bisection), so a line of a 5 MB article costs what a line of
  a short one does, and a test describes a line in a few values.
- `LineContent` is a NamedTuple: one is made for every line painted (every line of every pane
  on a scroll). It costs what a slotted dataclass does to make (1.6 us with its keywords; a
  frozen dataclass, 4 us), cannot be changed by the painter, and unpacks in one step.
- Decorations are layers, (start, end, style) in line offsets, drawn by
  reader.text_layout.layered_segments: each piece of text gets the base style plus every layer
  over it, in order, so a later layer wins where two set the same attribute. The order is the
  look: site chrome; the cursor's sentence under the annotations' tints, so that a tag under
  the cursor shows (reader.colours mixes the cursor back over them, see UNDER_CURSOR); tags
  outermost first, so the innermost tint wins where they nest, and an underline where two
  labels overlap; search hits, then the current hit over them; the focused annotation; the
  selection, else the caret's word; entities (text colours) last.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import NamedTuple, Protocol, TypeVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from annotations.labels import LabelSet
from reader.colours import readable_segments
from reader.document import Mark, Span
from reader.entities import LABEL_NAMES, Entity
from reader.text_layout import DisplayLine, LineKind, layered_segments
from reader.widgets.lean_strip import LeanStrip

# Left of the text: a bar for the current sentence, three label slots, a note mark. The
# layout (reader.widgets.article_text_view) leaves GUTTER_WIDTH columns for it.
LABEL_SLOTS = 3
GUTTER_WIDTH = 2 + LABEL_SLOTS
CURSOR_BAR = "▌"
MORE_LABELS = "+"  # in the last label slot: more labels on this line than slots
NOTE_MARK = "✎"  # in the gutter's last cell: a note on this line
# The built-in labels have colours in styles/reader.tcss; configured ones bring their own.
STYLED_LABELS = ("claim", "opinion", "unverified")


def entity_component(label: str) -> str:
    return f"article-view--entity-{label.lower().replace('_', '-')}"


# The names the painter asks its palette for (besides a label's tint). In the app they are
# component classes of the screen that hosts the views (ReaderScreen declares them), not of each
# view: Textual styles every component class as a node of its own on each restyle, so with three
# views, declaring them per view tripled that work at start-up and on every focus change.
VIEW_COMPONENTS: frozenset[str] = frozenset(
    {
        "article-view--cursor",
        "article-view--cursor-blurred",
        "article-view--cursor-bar",
        "article-view--cursor-bar-blurred",
        "article-view--caret",
        "article-view--selection",
        "article-view--focus",
        "article-view--overlap",
        "article-view--search-hit",
        "article-view--search-current",
        "article-view--chrome",
        "article-view--fold",
        "article-view--note",
        "article-view--tag-other",
        *(f"article-view--tag-{label}" for label in STYLED_LABELS),
        *(entity_component(label) for label in LABEL_NAMES),
    }
)

_BOLD = Style(bold=True)  # made once: a Style per line drawn would be garbage per line

_Item = TypeVar("_Item")


class Palette(Protocol):
    """Where the painter's colours come from (in the app, the view's screen stylesheet)."""

    def component(self, name: str) -> Style:
        """One of VIEW_COMPONENTS, as drawn over the view's base style."""
        ...

    def tag(self, label: str) -> Style:
        """The tint of annotation label `label` (any label, configured or not)."""
        ...


class LineContent(NamedTuple):
    """What one display line shows. Spans are article offsets, and may run past the line.

    For a GAP line only `line` counts; for a FOLD line, `line` and `folded_words`.
    """

    line: DisplayLine
    text: str = ""  # the line's display text: reader.literal.display_text(...)[start:end]
    folded_words: int = 0  # words in the folded chrome (a FOLD line says how many)
    chrome: bool = False  # the whole line is site chrome, shown (drawn receding)
    cursor: Span | None = None  # the cursor's sentence
    view_focused: bool = False  # the cursor is bright and the caret's word shown only if so
    marks: Sequence[Mark] = ()  # annotations overlapping the line, in SpanMarks order
    hits: Sequence[Span] = ()  # search hits on or near the line, sorted (see `near`)
    current_hit: Span | None = None
    focused_mark: Mark | None = None  # the annotation `s` or a jump focused
    selection: Span | None = None
    caret_word: Span | None = None
    entities: Sequence[Entity] = ()  # on or near the line, sorted by start (see `near`)


def near(items: Sequence[_Item], starts: Sequence[int], start: int, end: int) -> Sequence[_Item]:
    """The items (sorted by start, their starts in `starts`) that may be on [start, end): those
    starting on it and the last one starting before it (the painter skips it if it ends by
    `start`)."""
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    return items[first : bisect.bisect_left(starts, end)]


def paint_line(content: LineContent, base: Style, palette: Palette, labels: LabelSet) -> Strip:
    """The line as drawn: the gutter (GUTTER_WIDTH cells) then the text, over `base` (the
    view's own style); every text colour made readable on its background. GAP lines are empty
    (the caller extends them with `base`)."""
    (
        line,
        text,
        folded_words,
        chrome,
        cursor,
        view_focused,
        marks,
        hits,
        current_hit,
        focused_mark,
        selection,
        caret_word,
        entities,
    ) = content
    kind = line.kind
    if kind is LineKind.GAP:
        return LeanStrip.blank(0, base)
    if kind is LineKind.FOLD:
        label = f"⋯ site chrome folded ({folded_words} words) · f shows it"
        fold_style = base + palette.component("article-view--fold")
        segments = readable_segments([Segment(" " * GUTTER_WIDTH + label, fold_style)])
        return LeanStrip(segments, GUTTER_WIDTH + len(label))

    start, end = line.start, line.end
    component = palette.component

    def local(span: Span) -> tuple[int, int]:
        return max(span[0], start) - start, min(span[1], end) - start

    # (start, end, style) in line offsets, in the order they are layered: later wins.
    layers: list[tuple[int, int, Style]] = []
    if chrome:
        layers.append((0, end - start, component("article-view--chrome")))

    # The cursor's sentence under the annotations' tints, so that a tag under the cursor shows.
    cursor_here = False
    if cursor is not None and cursor[0] < end and cursor[1] > start:
        cursor_here = True
        name = "article-view--cursor" if view_focused else "article-view--cursor-blurred"
        layers.append((*local(cursor), component(name)))

    # Annotations: the outermost tint first, so the innermost shows where they nest; where two
    # labels overlap the text is underlined as well (and the gutter lists each).
    tags = [mark for mark in marks if mark.label]
    for mark in sorted(tags, key=_longest_first):
        layers.append((*local(mark.span), palette.tag(mark.label)))
    if len(tags) > 1:
        tag_spans = [local(mark.span) for mark in tags]
        cuts = sorted({0, end - start, *itertools.chain.from_iterable(tag_spans)})
        overlap = component("article-view--overlap")
        for left, right in itertools.pairwise(cuts):
            covering = {
                mark.label
                for mark, (tag_start, tag_end) in zip(tags, tag_spans, strict=True)
                if tag_start <= left < tag_end
            }
            if len(covering) > 1:
                layers.append((left, right, overlap))

    if hits:
        hit_style = component("article-view--search-hit")
        for hit in hits:
            if hit[0] < end and hit[1] > start:
                layers.append((*local(hit), hit_style))
    if current_hit is not None and current_hit[0] < end and current_hit[1] > start:
        layers.append((*local(current_hit), component("article-view--search-current")))

    if focused_mark is not None and focused_mark.start < end and focused_mark.end > start:
        layers.append((*local(focused_mark.span), component("article-view--focus")))
    if selection is not None and selection[0] < end and selection[1] > start:
        layers.append((*local(selection), component("article-view--selection")))
    elif view_focused and caret_word is not None and caret_word[0] < end and caret_word[1] > start:
        layers.append((*local(caret_word), component("article-view--caret")))

    for entity in entities:
        if entity.end > start:
            layers.append(
                (*local((entity.start, entity.end)), component(entity_component(entity.label)))
            )

    # The gutter's neighbouring cells of one style as one segment: the terminal gets one colour
    # change, not one per cell (Textual writes each segment as its style, its text and a reset),
    # a quarter of the first frame's bytes. Not merged into the text: a screenshot (SVG) places
    # each segment at its column, and rsvg drops the blanks that start one.
    gutter = Segment.simplify(
        readable_segments(_gutter(marks, cursor_here, view_focused, base, palette, labels))
    )
    segments = [*gutter, *readable_segments(layered_segments(text, base, layers))]
    return LeanStrip(segments, GUTTER_WIDTH + cell_len(text))


def _longest_first(mark: Mark) -> int:
    """Sort key: the outermost tag is layered first, so the innermost tint wins (the sort is
    stable: tags of one length keep SpanMarks' order)."""
    return mark.start - mark.end


def _gutter(
    marks: Sequence[Mark],
    cursor_here: bool,
    view_focused: bool,
    base: Style,
    palette: Palette,
    labels: LabelSet,
) -> list[Segment]:
    """Bar for the cursor's sentence; a letter per label on the line (yours upper case,
    others' lower case, `+` when more than fit); the note mark."""
    gutter: list[Segment] = []
    if cursor_here:
        bar = "article-view--cursor-bar" if view_focused else "article-view--cursor-bar-blurred"
        gutter.append(Segment(CURSOR_BAR, base + palette.component(bar)))
    else:
        gutter.append(Segment(" ", base))
    blank_slots = LABEL_SLOTS
    if marks:
        mine = {mark.label for mark in marks if mark.label and mark.own}
        theirs = {mark.label for mark in marks if mark.label and not mark.own} - mine
        shown = [(label, True) for label in labels.order(mine)]
        shown += [(label, False) for label in labels.order(theirs)]
        more = len(shown) > LABEL_SLOTS
        if more:
            shown = shown[: LABEL_SLOTS - 1]
        for label, own in shown:
            found = labels.by_name(label)
            letter = found.letter if found is not None else label[:1].upper()
            style = base + palette.tag(label)
            if own:
                gutter.append(Segment(letter.upper(), style + _BOLD))
            else:
                gutter.append(Segment(letter.lower(), style))
        if more:
            gutter.append(Segment(MORE_LABELS, base + _BOLD))
        blank_slots -= len(shown) + more
    gutter.extend(Segment(" ", base) for _ in range(blank_slots))
    if any(mark.note for mark in marks):
        gutter.append(Segment(NOTE_MARK, base + palette.component("article-view--note")))
    else:
        gutter.append(Segment(" ", base))
    return gutter
