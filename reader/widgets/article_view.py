"""The article text, drawn line by line through Textual's line API.

Only the lines on screen are rendered (`render_line`), each cached as a `Strip` until something
that changes it does (width, cursor, selection, tags, entities, chrome folding, focus, styles).
The text model (sentences, word caret, selection) is `reader.document.ReadingDocument`; the
lazily wrapped lines, their cache and scrolling to a passage are its base class's
(reader.widgets.article_text_view); how a line looks is reader.widgets.line_painting's, which
knows no widget: this view tells it what is on the line and lends it the colours of its screen
(reader.widgets.view_palette). This widget shows and moves; it posts messages and never saves.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar, Self

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.dom import NoScreen
from textual.geometry import Region
from textual.keys import _character_to_key
from textual.message import Message
from textual.strip import Strip

from annotations.labels import DEFAULT_LABELS, LabelSet
from corpus.model import Article
from corpus.words import word_spans
from reader import trace
from reader.document import Mark, ReadingDocument, Span, SpanMarks
from reader.entities import Entity
from reader.literal import display_text
from reader.text_layout import DisplayLine, LineKind
from reader.widgets.article_text_view import ArticleTextView
from reader.widgets.framed_rows import framed_rows
from reader.widgets.lean_strip import LeanStrip
from reader.widgets.line_painting import GUTTER_WIDTH, STYLED_LABELS, LineContent, near, paint_line
from reader.widgets.view_palette import ViewPalette


class ArticleView(ArticleTextView, can_focus=True):
    """One article's text with entity colours, annotations, a sentence cursor, a word caret
    and a selection.

    Its screen must declare VIEW_COMPONENTS among its COMPONENT_CLASSES.
    """

    # The view handles drags itself (they select passages that snap to words); Textual's own
    # screen selection would fight it.
    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "Next sentence", id="sentence.next"),
        Binding("k,up", "move(-1)", "Previous sentence", id="sentence.previous"),
        Binding("g,home", "move_to_end(False)", "First sentence", show=False, id="sentence.first"),
        Binding("G,end", "move_to_end(True)", "Last sentence", show=False, id="sentence.last"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="sentence.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="sentence.page_up"),
        Binding("w", "word(1)", "Next word", show=False, id="word.next"),
        Binding("b", "word(-1)", "Previous word", show=False, id="word.previous"),
        Binding("e", "word_end", "End of word", show=False, id="word.end"),
        # The text never scrolls sideways, so the horizontal keys move between panes instead.
        Binding("h,left", "app.focus_previous", "Pane to the left", show=False, id="pane.left"),
        Binding("l,right", "app.focus_next", "Pane to the right", show=False, id="pane.right"),
        Binding("ctrl+pageup,ctrl+pagedown", "noop", show=False),
        Binding("v", "select_mode", "Select", id="select.mode"),
        Binding(
            "shift+right", "extend_word(1)", "Select next word", show=False, id="select.word_right"
        ),
        Binding(
            "shift+left",
            "extend_word(-1)",
            "Select previous word",
            show=False,
            id="select.word_left",
        ),
        Binding(
            "shift+down",
            "extend_sentence(1)",
            "Select next sentence",
            show=False,
            id="select.sentence_down",
        ),
        Binding(
            "shift+up",
            "extend_sentence(-1)",
            "Select previous sentence",
            show=False,
            id="select.sentence_up",
        ),
        Binding("p", "select_paragraph", "Select paragraph", show=False, id="select.paragraph"),
        Binding("escape", "cancel", "Cancel selection", show=False, id="select.cancel"),
        Binding("enter", "note", "Note", id="note.edit"),
        Binding("y", "copy", "Copy", show=False, id="copy.selection"),
        Binding("s", "step_annotation", "Annotations here", show=False, id="annotation.step"),
        Binding(
            "greater_than_sign",
            "resize(1, 1)",
            "Grow end by a word",
            show=False,
            id="annotation.grow_end",
        ),
        Binding(
            "less_than_sign",
            "resize(1, -1)",
            "Shrink end by a word",
            show=False,
            id="annotation.shrink_end",
        ),
        Binding(
            "left_parenthesis",
            "resize(0, 1)",
            "Grow start by a word",
            show=False,
            id="annotation.grow_start",
        ),
        Binding(
            "right_parenthesis",
            "resize(0, -1)",
            "Shrink start by a word",
            show=False,
            id="annotation.shrink_start",
        ),
        Binding(
            "x,delete", "delete_annotation", "Delete annotation", show=False, id="annotation.delete"
        ),
        Binding(
            "right_curly_bracket",
            "jump_annotation(True)",
            "Next annotation",
            show=False,
            id="annotation.next",
        ),
        Binding(
            "left_curly_bracket",
            "jump_annotation(False)",
            "Previous annotation",
            show=False,
            id="annotation.previous",
        ),
        Binding("slash", "search", "Search", id="search.open"),
        Binding("n", "search_step(True)", "Next hit", show=False, id="search.next"),
        Binding("N", "search_step(False)", "Previous hit", show=False, id="search.previous"),
        Binding("asterisk", "tag_hits", "Tag every hit", show=False, id="search.tag_all"),
        Binding("f", "toggle_chrome", "Site chrome", id="chrome.toggle"),
    ]

    class TagToggleRequested(Message):
        """The user asked to add or remove `label` on `span` (the selection: `exact`)."""

        def __init__(
            self,
            view: ArticleView,
            article: Article,
            span: Span,
            label: str,
            *,
            exact: bool = False,
        ) -> None:
            super().__init__()
            self.view = view
            self.article = article
            self.span = span
            self.label = label
            self.exact = exact

    class CursorMoved(Message):
        """The cursor, selection or focused annotation changed (the app updates the status)."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

    class NoteRequested(Message):
        """The user asked to write, change or delete their note on `span` (or on the focused
        annotation `annotation_id`'s passage)."""

        def __init__(
            self, view: ArticleView, article: Article, span: Span, annotation_id: str | None = None
        ) -> None:
            super().__init__()
            self.view = view
            self.article = article
            self.span = span
            self.annotation_id = annotation_id

    class ResizeRequested(Message):
        """Move an end of annotation `annotation_id` to make its passage `span`."""

        def __init__(self, view: ArticleView, annotation_id: str, span: Span) -> None:
            super().__init__()
            self.view = view
            self.annotation_id = annotation_id
            self.span = span

    class DeleteRequested(Message):
        """Delete annotation `annotation_id` (the focused one)."""

        def __init__(self, view: ArticleView, annotation_id: str) -> None:
            super().__init__()
            self.view = view
            self.annotation_id = annotation_id

    class SearchRequested(Message):
        """`/`: open the search bar."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

    class SearchStepRequested(Message):
        """`n`/`N`: go to the next or previous search hit, across panes."""

        def __init__(self, view: ArticleView, forward: bool) -> None:
            super().__init__()
            self.view = view
            self.forward = forward

    class TagHitsRequested(Message):
        """`*`: tag every search hit (the app asks which label)."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

    def __init__(
        self,
        article: Article,
        *,
        entities: Iterable[Entity] = (),
        marks: SpanMarks | None = None,
        labels: LabelSet | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._palette = ViewPalette(self)
        self._pass_width: int | None = None  # the text's width while render_lines runs
        self.labels = labels if labels is not None else LabelSet(DEFAULT_LABELS)
        self._bind_label_keys()
        self.focused_mark: Mark | None = None
        self.search_hits: list[Span] = []
        self._hit_starts: list[int] = []
        self.current_hit: Span | None = None
        self._drag_from: int | None = None
        self._load(article, show_chrome=False, entities=entities, marks=marks or SpanMarks())

    def _bind_label_keys(self) -> None:
        """One key per label (c, o, u and the configured ones), bound on this view only."""
        self._bindings = self._bindings.copy()
        for label in self.labels:
            if label.key:
                # Textual names keys ("!" is "exclamation_mark"); a label's key is a character.
                key = _character_to_key(label.key)
                binding = Binding(
                    key,
                    f"tag({label.name!r})",
                    label.name.capitalize(),
                    show=label.name in STYLED_LABELS,
                    id=f"tag.{label.name}",  # groups it in help
                )
                self._bindings.key_to_bindings.setdefault(key, []).append(binding)

    def _load(
        self, article: Article, *, show_chrome: bool, entities: Iterable[Entity], marks: SpanMarks
    ) -> None:
        self.article = article
        self._forget_layouts()
        self.document = ReadingDocument(article, show_chrome=show_chrome)
        self._display = display_text(article.text)
        # The document's own list: it grows as a long article's sentences are found.
        self._sentence_starts = self.document.sentence_starts
        self.entities = sorted(entities, key=lambda entity: (entity.start, entity.end))
        self._entity_starts = [entity.start for entity in self.entities]
        self.marks = marks
        self.focused_mark = None
        self.search_hits, self._hit_starts, self.current_hit = [], [], None

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
        """New annotations to show; only the passages that changed are redrawn."""
        old = self.marks
        self.marks = marks
        if self.focused_mark is not None:
            self.focused_mark = marks.by_id(self.focused_mark.id)
        for mark in set(old.marks) ^ set(marks.marks):
            self._refresh_span(mark.span)

    def set_labels(self, labels: LabelSet) -> None:
        """Labels found in the store that the configuration lacks are shown too."""
        self.labels = labels
        self._palette.forget_tags()
        self._invalidate()

    def set_search(self, hits: Sequence[Span], current: Span | None = None) -> None:
        """Mark every search hit in this article (and the current one apart)."""
        hits = list(hits)
        if hits == self.search_hits and current == self.current_hit:
            return
        shown_before = self._hits_on_screen()
        self.search_hits = hits
        self._hit_starts = [start for start, _ in hits]
        self.current_hit = current
        # Lines drawn before may hold old hits, wherever they are; but the screen is redrawn
        # only if what it shows changed. Opening and closing the search bar, or typing while
        # this article has no hit in view, then repaint nothing here.
        self._line_cache.clear()
        shown_now = self._hits_on_screen()
        if shown_now == shown_before:
            return
        (hits_before, current_before), (hits_now, current_now) = shown_before, shown_now
        changed = set(hits_before).symmetric_difference(hits_now)
        changed.update(span for span in (current_before, current_now) if span is not None)
        if len(changed) > self.scrollable_content_region.height:
            # A one-letter query has hundreds of hits on screen: redrawing the lines on screen
            # is cheaper than finding the lines of each.
            self.refresh()
            return
        for span in changed:
            self._refresh_span(span)

    def _hits_on_screen(self) -> tuple[list[Span], Span | None]:
        """The search hits (and the current one) on the lines in view."""
        if not self._line_count or not (self.search_hits or self.current_hit):
            return [], None
        top, bottom = self._visible_lines()
        bottom = min(bottom, self._line_count - 1)
        start, end = self._line(top).start, self._line(bottom).end
        starts = self._hit_starts
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        shown = [
            h for h in self.search_hits[first : bisect.bisect_left(starts, end)] if h[1] > start
        ]
        current = self.current_hit
        return shown, current if current and current[0] < end and current[1] > start else None

    def move_cursor_to(self, offset: int) -> None:
        """Put the caret (and the sentence cursor) at ``offset``, e.g. after an undo."""
        self._change(lambda: self.document.move_to_offset(offset))

    def show_annotation(self, annotation_id: str, start: int) -> None:
        """Take the caret to an annotation and focus it (lit whole, described on the status)."""
        self._change(lambda: self.document.move_to_offset(start))
        mark = self.marks.by_id(annotation_id)
        if mark is not None:
            self._focus_mark(mark)

    def select_span(self, span: Span) -> None:
        """Make `span` the selection (a search hit, say) and bring it into view."""
        self._change(lambda: self.document.move_to_offset(span[0]) or True)
        self._change(lambda: self.document.select(span))

    def can_select(self, span: Span) -> bool:
        """Whether `span` is on reachable text (not in folded chrome)."""
        document = self.document
        return document.sentence_at(span[0]) is not None and not document.crosses_fold(
            span[0], span[1] - 1
        )

    def scroll_to_passage(self, span: Span) -> None:
        """Bring `span` into view without moving the cursor (search as you type)."""
        self._scroll_to_span(span)

    @property
    def current_span(self) -> Span | None:
        return self.document.current

    @property
    def target_span(self) -> Span | None:
        """What a tag key acts on: the selection, else the current sentence."""
        return self.document.target

    @property
    def current_note(self) -> str:
        """What the status line says of the passage under the cursor ("" if nothing).

        The focused annotation whole (label, annotator, note), else the notes on the sentence.
        """
        mark = self.focused_mark
        if mark is not None:
            what = mark.label or "note"
            who = "you" if mark.own else mark.annotator
            text = f"{what} by {who}"
            return f"{text}: {mark.note}" if mark.note else text
        span = self.document.current
        if span is None:
            return ""
        notes = [m for m in self.marks.overlapping(*span) if m.note]
        notes.sort(key=lambda m: not m.own)
        return " · ".join(m.note if m.own else f"{m.annotator}: {m.note}" for m in notes)

    # -- actions -----------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        self._change(lambda: self.document.move(delta))

    def action_move_to_end(self, last: bool) -> None:
        self._change(lambda: self.document.move_to_end(last))

    def action_word(self, delta: int) -> None:
        self._change(lambda: self.document.move_word(delta))

    def action_word_end(self) -> None:
        self._change(self.document.move_word_end)

    def action_select_mode(self) -> None:
        """`v`: start selecting at the caret's word; `v` again keeps the selection, stops
        extending it (escape drops it)."""
        document = self.document
        if document.selecting:
            self._change(document.stop_selecting)
            return
        self._change(lambda: document.start_selection(mode=True))

    def action_extend_word(self, delta: int) -> None:
        self.document.start_selection()
        self._change(lambda: self.document.move_word(delta) or True)

    def action_extend_sentence(self, delta: int) -> None:
        self.document.start_selection()
        self._change(lambda: self.document.move(delta) or True)

    def action_select_paragraph(self) -> None:
        self._change(self.document.select_paragraph)

    def action_cancel(self) -> None:
        """Escape: drop the selection, else the focused annotation, else the search marks."""
        if self.document.anchor is not None or self.document.selecting:
            self._change(self.document.cancel_selection)
        elif self.focused_mark is not None:
            self._focus_mark(None)
        elif self.search_hits:
            self.set_search(())
        else:
            self.app.bell()

    def action_tag(self, label: str) -> None:
        span = self.document.target
        if span is None:
            self.app.bell()
            return
        exact = self.document.selection is not None
        self.post_message(self.TagToggleRequested(self, self.article, span, label, exact=exact))
        if exact:
            self._change(self.document.cancel_selection)

    def action_noop(self) -> None:
        """Keys inherited from ScrollView that would scroll sideways do nothing here."""

    def action_note(self) -> None:
        mark = self.focused_mark
        if mark is not None:
            self.post_message(self.NoteRequested(self, self.article, mark.span, mark.id))
            return
        span = self.document.target
        if span is None:
            self.app.bell()
            return
        self.post_message(self.NoteRequested(self, self.article, span))

    def action_copy(self) -> None:
        """`y`: the selection (else the sentence) to the clipboard, verbatim."""
        span = self.document.target
        if span is None:
            self.app.bell()
            return
        text = self.article.text[span[0] : span[1]]
        self.app.copy_to_clipboard(text)
        words = len(text.split())
        self.notify(f"Copied {words} word{'' if words == 1 else 's'}", timeout=2)

    def action_step_annotation(self) -> None:
        """`s`: focus each annotation under the cursor in turn (innermost first), then none."""
        span = self.document.target
        if span is None:
            self.app.bell()
            return
        caret = self.document.caret
        here = sorted(
            self.marks.overlapping(*span),
            key=lambda m: (not m.start <= caret < m.end, m.end - m.start, m.start),
        )
        if not here:
            self.notify("No annotation here.", timeout=2)
            return
        ids = [m.id for m in here]
        current = self.focused_mark
        position = ids.index(current.id) + 1 if current is not None and current.id in ids else 0
        self._focus_mark(here[position] if position < len(here) else None)

    def action_jump_annotation(self, forward: bool) -> None:
        """`}` / `{`: the caret to the next or previous annotation's start, focusing it."""
        offset = self.document.caret
        mark = self.marks.next_start(offset, forward)
        while mark is not None and self.document.sentence_at(mark.start) is None:
            mark = self.marks.next_start(mark.start, forward)
        if mark is None:
            self.notify("No more annotations this way.", timeout=2)
            return
        self._change(lambda: self.document.move_to_offset(mark.start))
        self._focus_mark(mark)

    def action_resize(self, end: int, grow: int) -> None:
        """Move the focused annotation's end (`end` 1) or start (0) by a word, out (`grow` 1)
        or in (-1). Its label, note and history stay; the app saves it."""
        mark = self.focused_mark
        if mark is None:
            self.notify("Focus an annotation first: s steps through those here.", timeout=3)
            return
        span = self._resized(mark.span, at_end=end == 1, grow=grow > 0)
        if span is None:
            self.app.bell()
            return
        self.post_message(self.ResizeRequested(self, mark.id, span))

    def action_delete_annotation(self) -> None:
        mark = self.focused_mark
        if mark is None:
            self.notify("Focus an annotation first: s steps through those here.", timeout=3)
            return
        self.post_message(self.DeleteRequested(self, mark.id))

    def action_search(self) -> None:
        self.post_message(self.SearchRequested(self))

    def action_search_step(self, forward: bool) -> None:
        self.post_message(self.SearchStepRequested(self, forward))

    def action_tag_hits(self) -> None:
        self.post_message(self.TagHitsRequested(self))

    def action_page(self, pages: int) -> None:
        """Page down/up: the view moves a page and the cursor comes along, onto visible text."""
        height = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_to(y=self.scroll_offset.y + pages * height, animate=False)
        self._cursor_into_view(pages > 0)

    def action_toggle_chrome(self) -> None:
        self.document.show_chrome = not self.document.show_chrome
        self._relayout(force=True)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self))

    def _resized(self, span: Span, *, at_end: bool, grow: bool) -> Span | None:
        """`span` with one end moved to the next word boundary; None if it cannot move."""
        start, end = span
        text = self.article.text
        if at_end:
            if grow:
                words = word_spans(text, end, min(len(text), end + 400))
                new_end = words[0][1] if words else None
                span_new = None if new_end is None else (start, new_end)
            else:
                words = [w for w in word_spans(text, start, end) if w[1] < end]
                span_new = (start, words[-1][1]) if words else None
        elif grow:
            words = word_spans(text, max(0, start - 400), start)
            span_new = (words[-1][0], end) if words else None
        else:
            words = [w for w in word_spans(text, start, end) if w[0] > start]
            span_new = (words[0][0], end) if words else None
        if span_new is None or span_new[1] <= span_new[0]:
            return None
        # Growing never reaches into folded chrome.
        if grow and self.document.crosses_fold(*span_new):
            return None
        return span_new

    def _focus_mark(self, mark: Mark | None) -> None:
        old = self.focused_mark
        self.focused_mark = mark
        if old is not None:
            self._refresh_span(old.span)
        if mark is not None:
            self._refresh_span(mark.span)
            self._scroll_to_span(mark.span)
        self.post_message(self.CursorMoved(self))

    # -- events ------------------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        target = self._offset_under(event)
        if target is None:
            return
        if target == -1:
            self.action_toggle_chrome()
            return
        if event.shift and self.document.cursor is not None:
            # Shift+click: the selection runs from the caret to here.
            self.document.start_selection()
            self._change(lambda: self.document._set_head(self.document._clamp_head(target)))
            return
        self._change(lambda: self.document.move_to_offset(target))
        self._drag_from = self.document.caret
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        # Terminals report moves with the button held only while the mouse is captured.
        if self._drag_from is None:
            return
        target = self._offset_under(event)
        if target is None or target < 0:
            return
        anchor = self._drag_from

        def drag() -> bool:
            document = self.document
            if target == anchor and document.anchor is None:
                return False
            if document.anchor is None:
                document.anchor = anchor
            return document._set_head(document._clamp_head(target))

        self._change(drag)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is not None:
            self._drag_from = None
            self.release_mouse()

    def _offset_under(self, event: events.MouseEvent) -> int | None:
        """The text offset under the pointer; -1 on a fold line; None off the text."""
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        y = offset.y + self.scroll_offset.y
        if not 0 <= y < self._line_count:
            return None
        line = self._line(y)
        if line.kind is LineKind.FOLD:
            return -1
        if line.kind is LineKind.GAP:
            return None
        return self._offset_at(line, offset.x + self.scroll_offset.x - GUTTER_WIDTH)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # The wheel and the scrollbar move the view; the cursor follows onto visible text so
        # that a tag key never tags what is off screen.
        if not self._scrolling_to_cursor and round(old_value) != round(new_value):
            self.call_after_refresh(self._cursor_into_view, new_value > old_value)

    def watch_has_focus(self, _has_focus: bool) -> None:
        # Textual restyles a widget whose focus changes, which refreshes it whole: each Tab
        # redrew both views line by line. No rule in styles/ looks at a view's focus (the
        # cursor dims in code, below; the pane's frame in ArticlePane), so nothing is restyled.
        pass

    # Textual's own focus and blur handlers (Widget._on_focus, _on_blur) also refresh the whole
    # widget: every Tab, `/` and escape out of the search bar redrew all of both views' lines
    # (about 25 ms of a Tab's 30 at 160x45). Only the cursor's look depends on focus here, so
    # these do what Textual's do (textual 8.2) but repaint just the cursor's lines, and stop
    # Textual's from running after them (prevent_default ends the walk up the classes).
    def focus(self, scroll_visible: bool = True) -> Self:
        """As Textual's Widget.focus (textual 8.2), without its refresh of the whole view."""

        def set_focus(view: ArticleView) -> None:
            with contextlib.suppress(NoScreen):
                view.screen.set_focus(self, scroll_visible=scroll_visible)

        self.app.call_later(set_focus, self)
        return self

    def _on_focus(self, event: events.Focus) -> None:
        event.prevent_default()
        self.has_focus = True
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))
        self._refresh_span(self.document.current)

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))
        self._refresh_span(self.document.current)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # Textual calls this on every restyle, including each focus change, which restyles the
        # view without changing a colour; dropping every cached line then made Tab redraw both
        # views in full. Cached lines are dropped only when a style they were drawn with changed.
        if self._palette.forget_if_restyled():
            self._line_cache.clear()

    # -- layout ------------------------------------------------------------------------------

    def _drawn_state(self) -> list[Span | None]:
        """The passages whose look depends on the cursor: redrawn when it moves."""
        document = self.document
        focused = self.focused_mark
        return [
            document.current,
            document.selection,
            document.caret_word,
            focused.span if focused is not None else None,
        ]

    def _change(self, move: Callable[[], bool]) -> None:
        """Run a cursor or selection change; redraw what it touched and keep the head in view."""
        before = self._drawn_state()
        if not move():
            return
        after = self._drawn_state()
        if self.focused_mark is not None and before[0] != after[0]:
            # The focused annotation belongs to where the cursor was.
            self.focused_mark = None
        for span in {*before, *after}:
            self._refresh_span(span)
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self))

    def _scroll_to_cursor(self) -> None:
        document = self.document
        if document.cursor is None or not self._line_count:
            return
        if document.anchor is not None:
            # While selecting, the head (the end that moves) stays in view.
            self._scroll_to_span((document.caret, document.caret + 1))
        else:
            self._scroll_to_span(document.current)

    def _cursor_into_view(self, down: bool) -> None:
        """After the view scrolled: if the cursor is off screen, put it on the first (scrolling
        down) or last (up) sentence that starts on a visible line."""
        span = self.document.current
        if span is None or not self._line_count:
            return
        top, bottom = self._visible_lines()
        first, last = self._lines_of(span)
        if first <= bottom and last >= top:
            return
        shown = [self._line(y) for y in range(top, min(bottom, self._line_count - 1) + 1)]
        offsets = [line.start for line in shown if line.kind is LineKind.TEXT]
        if not offsets:
            return
        candidates = offsets if down else list(reversed(offsets))
        for offset in candidates:
            index = self.document.sentence_at(offset)
            if index is None:
                continue
            s_start = self.document.sentences[index][0]
            if top <= self._lines_of((s_start, s_start + 1))[0] <= bottom:
                self._scrolling_to_cursor = True
                try:
                    self.move_cursor_to(s_start)
                finally:
                    self._scrolling_to_cursor = False
                return

    # -- rendering ---------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual asks for each line of the crop in turn: the width, which Textual computes
        # afresh at each read (some 20 µs), is read once for all of them.
        self._pass_width = self.scrollable_content_region.width
        try:
            framed = framed_rows(self, crop, self.render_line)
            return framed if framed is not None else super().render_lines(crop)
        finally:
            self._pass_width = None

    def render_line(self, y: int) -> Strip:
        width = self._pass_width
        if width is None:  # asked directly, not by render_lines
            width = self.scrollable_content_region.width
        base = self._palette.base  # the view's rich_style, read once per restyle
        if self._layout_width != max(width - GUTTER_WIDTH, 10):  # _text_width()
            # The width is first known here, not at mount: laying out now puts the text in the
            # very first frame instead of a blank frame followed by a relayout. (A resize can
            # get here before the view's own Resize.) Laying out scrolls to keep the cursor in
            # view, so the scroll offset is read after it: read before, the pane's first row
            # showed the line at the old offset until something else repainted it.
            self._relayout()
        scroll_x, scroll_y = self.scroll_offset
        line_y = scroll_y + y
        layout = self._layout
        if layout is None or not 0 <= line_y < layout.line_count:
            return LeanStrip.blank(width, base)
        strip = self._line_cache.get(line_y)
        if strip is None:
            count = layout.line_count
            strip = self._render_display_line(layout.line(line_y), base)
            if layout.line_count != count:
                # Wrapping this line's paragraph corrected its estimated height.
                self.call_after_refresh(self._sync_virtual_size)
            self._line_cache[line_y] = strip
        trace.mark("text_painted")
        if self.entities:
            trace.mark("entities_painted")
        # No `apply_offsets`, which Textual's own text selection reads (ALLOW_SELECT is off
        # here: selection is ours, and clicks are placed by geometry, see _offset_under). It
        # made a style per segment of every line drawn, a third of the cost of a line.
        # The line is a LeanStrip: one already this wide comes back as it is, not cached in
        # itself as a reference cycle (see reader.widgets.lean_strip).
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _sentences_on(self, start: int, end: int) -> Sequence[int]:
        self.document.segment_through(end)
        first = max(bisect.bisect_right(self._sentence_starts, start) - 1, 0)
        last = bisect.bisect_left(self._sentence_starts, end)
        sentences = self.document.sentences
        return [i for i in range(first, last) if sentences[i][1] > start]

    def _render_display_line(self, line: DisplayLine, base: Style) -> Strip:
        """What of the article's state is on the line, painted (reader.widgets.line_painting)."""
        kind = line.kind
        if kind is LineKind.TEXT:
            start, end = line.start, line.end
            document = self.document
            has_focus = self.has_focus
            hits = self.search_hits
            content = LineContent(
                line,
                self._display[start:end],
                chrome=document.show_chrome and self.article.is_chrome(start, end),
                cursor=document.current,
                view_focused=has_focus,
                marks=self.marks.overlapping(start, end) if self.marks.marks else (),
                hits=near(hits, self._hit_starts, start, end) if hits else (),
                # The current hit is one of the hits: with none, there is none to show.
                current_hit=self.current_hit if hits else None,
                focused_mark=self.focused_mark,
                selection=document.selection,
                caret_word=document.caret_word if has_focus else None,
                entities=near(self.entities, self._entity_starts, start, end),
            )
        elif kind is LineKind.FOLD:
            assert line.folded is not None
            first, last = line.folded
            content = LineContent(line, folded_words=len(self.article.text[first:last].split()))
        else:
            content = LineContent(line)
        return paint_line(content, base, self._palette, self.labels)
