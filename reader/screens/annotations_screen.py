"""The annotations panel: every annotation of the focused article, of the articles open in panes,
or of every loaded article (tab switches).

A table (label, annotator, quote, note, anchoring, article) under a filter that narrows it as
you type, with the selected annotation's whole quote and note below. Enter jumps to it; r, d and
n ask the app to relabel, delete or edit the note of one of your own. The app makes every edit
(undoable) and hands the screen fresh rows (`update_rows`); this screen only says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Static

from annotations.model import Annotation
from reader.literal import display_text
from reader.screens.label_picker import LabelChoice, LabelPicker
from reader.screens.table_panel import TablePanel, clamp

Scope = Literal["article", "open", "all"]
SCOPE_NAMES: dict[Scope, str] = {
    "article": "this article",
    "open": "all open articles",
    "all": "all loaded articles",
}
# Columns' bounds in cells; the quote and the note share what the others leave.
LABEL_WIDTH = (4, 12)
ANNOTATOR_WIDTH = (3, 12)
ANCHOR_WIDTH = 6
ARTICLE_WIDTH = (8, 30)
QUOTE_MIN_WIDTH = 10
NOTE_MIN_WIDTH = 6


@dataclass(frozen=True)
class AnnotationRow:
    """One annotation and the article it belongs to, as the app found it.

    ``article_open``: a pane shows that article. ``article_id``: the id of the loaded article the
    app matched it to (by text, for a moved or copied file, or by id); "" if not known.
    """

    annotation: Annotation
    article_title: str
    article_open: bool
    article_id: str = ""


@dataclass(frozen=True)
class AnnotationJump:
    """The user chose this annotation: show it in a pane."""

    annotation_id: str


@dataclass(frozen=True)
class AnnotationFilter:
    """What the filter box says: ``#label`` and ``@annotator`` words (each kind matches any of
    its words, by prefix) and other words, all of which must occur in the quote, the note or
    the article title. Case does not matter."""

    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AnnotationFilter:
        labels: list[str] = []
        annotators: list[str] = []
        words: list[str] = []
        for word in text.casefold().split():
            if word.startswith("#") and len(word) > 1:
                labels.append(word[1:])
            elif word.startswith("@") and len(word) > 1:
                annotators.append(word[1:])
            else:
                words.append(word)
        return cls(tuple(labels), tuple(annotators), tuple(words))

    def __call__(self, row: AnnotationRow, passage_note: str = "") -> bool:
        annotation = row.annotation
        if self.labels:
            label = (annotation.label if annotation.is_tag else "note").casefold()
            if not any(label.startswith(wanted) for wanted in self.labels):
                return False
        if self.annotators:
            who = annotation.annotator.casefold()
            if not any(who.startswith(wanted) for wanted in self.annotators):
                return False
        if self.words:
            haystack = "\n".join(
                (annotation.quote, annotation.note, passage_note, row.article_title)
            ).casefold()
            return all(word in haystack for word in self.words)
        return True


HINT_KEYS = (
    ("⏎", "jump"),
    ("r", "relabel"),
    ("d", "delete"),
    ("n", "note"),
    ("/", "filter"),
    ("tab", "scope"),
    ("esc", "close"),
)


def key_hint(keys: Sequence[tuple[str, str]]) -> Text:
    """ "⏎ jump  r relabel  …": each key in bold, before what it does."""
    hint = Text()
    for index, (key, does) in enumerate(keys):
        hint.append("  " if index else "")
        hint.append(key, style="bold")
        hint.append(f" {does}")
    return hint


def one_line(text: str) -> str:
    """The text on one line (runs of whitespace, line breaks included, as one space)."""
    return display_text(" ".join(text.split()))


def first_line(note: str) -> str:
    lines = note.strip().splitlines()
    if not lines:
        return ""
    return display_text(lines[0].strip() + (" …" if len(lines) > 1 else ""))


def cell(text: str, width: int, style: str = "") -> Text:
    """A table cell: literal text cut with "…" to ``width`` cells."""
    shown = Text(text, style=style, no_wrap=True, overflow="ellipsis")
    shown.truncate(max(1, width), overflow="ellipsis")
    return shown


class AnnotationsScreen(TablePanel[AnnotationJump | None]):
    """The annotations panel; dismissed with the annotation to jump to, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="annotations.close"),
        # Priority: tab would otherwise move the focus, ctrl+a go to the filter's start.
        Binding("tab,ctrl+a", "scope(1)", "Scope", priority=True, id="annotations.scope"),
        Binding(
            "shift+tab",
            "scope(-1)",
            "Previous scope",
            show=False,
            priority=True,
            id="annotations.scope_previous",
        ),
        Binding("slash", "focus_filter", "Filter", id="annotations.filter"),
        Binding("down", "focus_table", "To the list", show=False, id="annotations.list"),
        # The filter takes these keys as text while it has the focus; they act on the table.
        Binding("r", "relabel", "Relabel", id="annotations.relabel"),
        Binding("d,delete", "delete", "Delete", id="annotations.delete"),
        Binding("n", "edit_note", "Note", id="annotations.note"),
        # The app's own keys are not heard under a modal screen; these ask it for them.
        Binding("ctrl+z", "undo", "Undo", id="annotations.undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", show=False, id="annotations.redo"),
    ]

    class RelabelRequested(Message):
        """Give annotation `annotation_id` the label `label`."""

        def __init__(self, annotation_id: str, label: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id
            self.label = label

    class DeleteRequested(Message):
        """Delete annotation `annotation_id`."""

        def __init__(self, annotation_id: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id

    class NoteEditRequested(Message):
        """Edit the note of annotation `annotation_id` (a label's: the note on its passage)."""

        def __init__(self, annotation_id: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id

    class UndoRequested(TablePanel.UndoRequested):
        """Undo (or with `redo`, redo) the last edit of the session, as ctrl+z does."""

    def __init__(
        self,
        rows: Sequence[AnnotationRow],
        *,
        focused_article: str | None,
        annotator: str,
        labels: Sequence[LabelChoice],
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.focused_article = focused_article
        self.annotator = annotator
        self.labels = list(labels)
        self.scope: Scope = "article" if focused_article is not None else "open"
        self.filter = AnnotationFilter()
        self.shown_rows: list[AnnotationRow] = []
        self._passage_notes: dict[tuple[str, int, int, str], str] = {}
        self._fitted_width = 0

    # -- what the app calls ------------------------------------------------------------------

    def update_rows(self, rows: Sequence[AnnotationRow]) -> None:
        """New rows after an edit: the filter, the scope and the cursor's place are kept."""
        self.rows = list(rows)
        if self.scope not in self._scopes():
            self.scope = self._scopes()[0]
        self._fill()

    @property
    def selected(self) -> AnnotationRow | None:
        """The row under the table's cursor, if any."""
        table = self.query_one(DataTable)
        if not self.shown_rows or not 0 <= table.cursor_row < len(self.shown_rows):
            return None
        return self.shown_rows[table.cursor_row]

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="annotations-dialog"):
            with Horizontal(id="annotations-heading"):
                yield Label("", id="annotations-title", classes="dialog-title")
                yield Static("", id="annotations-scope")  # tab, ctrl+a or a click
            yield Input(
                placeholder="Filter: #label @annotator words…",
                compact=True,
                id="annotations-filter",
            )
            table: DataTable[Text] = DataTable(
                cursor_type="row", zebra_stripes=True, id="annotations-table"
            )
            yield table
            with VerticalScroll(id="annotations-detail", can_focus=False):
                yield Static("", id="annotations-detail-text")
            yield Static(key_hint(HINT_KEYS), classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(DataTable).focus()
        # The columns are fitted to the table's width, known only once it is laid out.
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        if self._table_width() != self._fitted_width:
            self._fill()

    def _scopes(self) -> list[Scope]:
        scopes: list[Scope] = []
        if self.focused_article is not None:
            scopes.append("article")
        scopes.append("open")
        if any(not row.article_open for row in self.rows):
            scopes.append("all")
        return scopes

    def _in_scope(self, row: AnnotationRow) -> bool:
        if self.scope == "article":
            a = row.annotation
            wanted = self.focused_article
            return wanted in (a.article, a.article_sha256) or row.article_id == wanted
        if self.scope == "open":
            return row.article_open
        return True

    def _passage_key(self, annotation: Annotation) -> tuple[str, int, int, str]:
        return (annotation.article_sha256, annotation.start, annotation.end, annotation.annotator)

    def passage_note(self, row: AnnotationRow) -> str:
        """The note a row shows: a note's own text, or the note its annotator wrote on a
        label's passage."""
        annotation = row.annotation
        if annotation.is_note:
            return annotation.note
        return self._passage_notes.get(self._passage_key(annotation), "")

    def _fill(self) -> None:
        """(Re)build the table from the rows, the scope and the filter; keep the cursor near."""
        table: DataTable[Text] = self.query_one(DataTable)
        previous = self.selected
        previous_index = table.cursor_row
        self._passage_notes = {
            self._passage_key(row.annotation): row.annotation.note
            for row in self.rows
            if row.annotation.is_note
        }
        self.shown_rows = [
            row
            for row in self.rows
            if self._in_scope(row) and self.filter(row, self.passage_note(row))
        ]
        width = self._fitted_width = self._table_width()
        widths = self._column_widths(width)
        table.clear(columns=True)
        for key, (title, column_width) in widths.items():
            table.add_column(Text(title, style="bold"), width=column_width, key=key)
        for row in self.shown_rows:
            table.add_row(*self._cells(row, widths), key=row.annotation.id)
        self._show_heading()
        if self.shown_rows:
            ids = [row.annotation.id for row in self.shown_rows]
            if previous is not None and previous.annotation.id in ids:
                index = ids.index(previous.annotation.id)
            else:
                index = min(max(previous_index, 0), len(ids) - 1)
            table.move_cursor(row=index)
        self._show_detail()

    def _column_widths(self, width: int) -> dict[str, tuple[str, int]]:
        """Each column's title and width for a table ``width`` cells wide."""
        labels = [r.annotation.label if r.annotation.is_tag else "note" for r in self.shown_rows]
        label = clamp(max(map(len, labels), default=5), *LABEL_WIDTH)
        annotators = [len(display_text(r.annotation.annotator)) for r in self.shown_rows]
        annotator = clamp(max(annotators, default=3), *ANNOTATOR_WIDTH)
        with_article = self.scope != "article"
        columns = 6 if with_article else 5
        # Each column has a cell of padding on either side.
        left = width - label - annotator - ANCHOR_WIDTH - 2 * columns
        article = clamp(left // 4, *ARTICLE_WIDTH) if with_article else 0
        left -= article
        note = max(NOTE_MIN_WIDTH, left * 2 // 5)
        quote = max(QUOTE_MIN_WIDTH, left - note)
        widths = {
            "label": ("Label", label),
            "annotator": ("By", annotator),
            "quote": ("Quote", quote),
            "note": ("Note", note),
            "anchor": ("Found", ANCHOR_WIDTH),
        }
        if with_article:
            widths["article"] = ("Article", article)
        return widths

    def _cells(self, row: AnnotationRow, widths: dict[str, tuple[str, int]]) -> list[Text]:
        annotation = row.annotation
        mine = annotation.annotator == self.annotator
        dim = "" if mine else "dim"
        what = display_text(annotation.label) if annotation.is_tag else "note"
        anchor_style = {"orphan": "bold red", "fuzzy": "yellow"}.get(annotation.anchor, "")
        values = {
            "label": cell(what, widths["label"][1], "bold" if annotation.is_tag else "italic"),
            "annotator": cell(display_text(annotation.annotator), widths["annotator"][1], dim),
            "quote": cell(one_line(annotation.quote), widths["quote"][1], "italic"),
            "note": cell(first_line(self.passage_note(row)), widths["note"][1]),
            "anchor": cell(annotation.anchor, ANCHOR_WIDTH, anchor_style),
        }
        if "article" in widths:
            title = display_text(row.article_title or annotation.title or annotation.article)
            values["article"] = cell(title, widths["article"][1], "" if row.article_open else dim)
        return [values[key] for key in widths]

    def _show_heading(self) -> None:
        count = len(self.shown_rows)
        title = Text(f"{count} annotation{'' if count == 1 else 's'}")
        if self.scope == "article":
            titles = [row.article_title for row in self.rows if self._in_scope(row)]
            if titles:
                title.append(" in “")
                title.append(display_text(titles[0].strip()), style="italic")
                title.append("”")
        if self.filter != AnnotationFilter():
            title.append(" matching the filter", style="dim")
        self.query_one("#annotations-title", Label).update(title)
        scope = Text(f" ⇄ {SCOPE_NAMES[self.scope]} ", style="bold")
        self.query_one("#annotations-scope", Static).update(scope)

    def _show_detail(self) -> None:
        """The selected annotation whole: what, who, where, its quote and its note."""
        detail = self.query_one("#annotations-detail-text", Static)
        row = self.selected
        if row is None:
            detail.update(
                Text("Nothing matches the filter." if self.rows else "No annotations yet.")
            )
            return
        annotation = row.annotation
        text = Text()
        text.append(display_text(annotation.label) if annotation.is_tag else "note", style="bold")
        mine = annotation.annotator == self.annotator
        text.append(f" by {'you' if mine else display_text(annotation.annotator)}")
        found = annotation.anchor
        if found == "fuzzy":
            found = f"fuzzy ({annotation.anchor_score:.0%} alike)"
        elif found == "orphan":
            found = "orphan: not found in the current text"
        text.append(f" · {found}")
        if self.scope != "article":  # else the heading names the article
            text.append(" · ")
            text.append(display_text(row.article_title or annotation.title), style="italic")
        # The note before the quote: the quote is in the table already, and at 80x24 the
        # area shows only a few lines without scrolling.
        note = self.passage_note(row)
        if note:
            lines = display_text(note).split("\n")
            text.append("\n✎ " + "\n  ".join(lines))  # later lines under the first
        text.append("\n")
        text.append(f"“{display_text(annotation.quote)}”", style="italic")
        detail.update(text)
        self.query_one("#annotations-detail", VerticalScroll).scroll_home(animate=False)

    # -- events and actions ------------------------------------------------------------------

    @on(Input.Changed, "#annotations-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter = AnnotationFilter.parse(event.value)
        self._fill()

    @on(Input.Submitted, "#annotations-filter")
    def _filter_done(self) -> None:
        self.action_focus_table()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.dismiss(AnnotationJump(event.row_key.value))

    @on(events.Click, "#annotations-scope")
    def _scope_clicked(self) -> None:
        self.action_scope(1)

    def action_scope(self, step: int) -> None:
        scopes = self._scopes()
        index = scopes.index(self.scope) if self.scope in scopes else 0
        self.scope = scopes[(index + step) % len(scopes)]
        self._fill()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_relabel(self) -> None:
        row = self._editable()
        if row is None:
            return
        annotation = row.annotation
        if not annotation.is_tag:
            self.app.notify("A note has no label to change; n edits it.", timeout=3, markup=False)
            return
        quote = one_line(annotation.quote)
        if len(quote) > 32:
            quote = quote[:31] + "…"
        annotation_id = annotation.id

        def chosen(label: str | None) -> None:
            if label is not None:
                self.post_message(self.RelabelRequested(annotation_id, label))

        title = f"Relabel “{quote}” ({annotation.label}) as"
        self.app.push_screen(LabelPicker(title, self.labels), chosen)

    def action_delete(self) -> None:
        row = self._editable()
        if row is not None:
            self.post_message(self.DeleteRequested(row.annotation.id))

    def action_edit_note(self) -> None:
        row = self._editable()
        if row is not None:
            self.post_message(self.NoteEditRequested(row.annotation.id))

    def action_close(self) -> None:
        self.dismiss(None)

    def _editable(self) -> AnnotationRow | None:
        """The selected row if it is yours to change; otherwise say why not (None)."""
        row = self.selected
        if row is None:
            self.app.bell()
            return None
        if row.annotation.annotator != self.annotator:
            owner = display_text(row.annotation.annotator)
            self.app.notify(
                f"That is {owner}'s annotation: you can change only your own.", markup=False
            )
            return None
        return row
