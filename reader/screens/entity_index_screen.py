"""The entity index: every entity of the open articles, one entry per real-world name.

A table (name, type, the other spellings, a small bar of mentions per article, the total) under a
filter that narrows it as you type: words match the name or any spelling, whatever the case and
the accents ("marzouk" finds "Marzūk"), and ``#person``, ``#org``… keep those types. The filter
keeps the focus; the arrows move the list's cursor and the actions are on ctrl keys, so typing is
never taken for a command. Enter steps through the entry's mentions, ctrl+l highlights it alone
(both dismiss the screen with the choice); ctrl+g merges two entries and ctrl+t splits a
spelling off one: the app makes those corrections and hands the screen fresh rows
(`update_rows`); this screen only says which.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Literal

from anyascii import anyascii
from rich.color import ColorParseError
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

from reader.colours import drawn_rgb, readable_on
from reader.entities import LABEL_NAMES
from reader.literal import display_text
from reader.screens.label_picker import LabelPicker
from reader.screens.table_panel import TablePanel, clamp

SortOrder = Literal["count", "name"]
SORT_NAMES: dict[SortOrder, str] = {"count": "by count", "name": "by name"}

# Columns' bounds in cells (each column also has a cell of padding on either side).
MARK_WIDTH = 2  # "◉ " before the name of the highlighted entry, "⇢ " before the one to merge
NAME_WIDTH = (12, 30)
TYPE_WIDTH = (6, 12)
VARIANTS_MIN_WIDTH = 6
BAR_CELLS = (1, 8)  # a bar is one cell of eighths when narrow, up to 8 cells across when wide
# One cell, its height in eighths; several cells, their length in eighths.
UPWARD_EIGHTHS = " ▁▂▃▄▅▆▇█"
RIGHTWARD_EIGHTHS = " ▏▎▍▌▋▊▉█"
HIGHLIGHT_MARK = "◉"
MERGE_MARK = "⇢"
EMPTY_MESSAGE = "No entities yet: spaCy is still reading, or the model is missing."
# Rows go into the table a batch at a time (Textual's DataTable takes ~0.2 ms a row): the
# first batch, with the cursor's row, at once, the rest on later turns of the event loop, so
# that a key typed into the filter is never held up by a long list.
FIRST_ROWS = 60
MORE_ROWS = 100

# Spellings that transliteration leaves apart but readers take for one name (Moussa / Musa,
# Marzouk / Marzūk, Sergey / Sergei): the filter also tries the query and the names with these
# folded. Matching only: the grouping of names into entries is not decided here.
LOOSE_SPELLINGS = (("ou", "u"), ("oo", "u"), ("ss", "s"), ("ey", "ei"), ("kh", "h"))


@dataclass(frozen=True)
class EntityRow:
    """One entry of the index: a real-world name and its mentions.

    ``key``: the entry's stable id. ``variants``: its surface forms, most frequent first.
    ``counts``: its mentions in each article, in the order of the screen's ``outlets``.
    """

    key: str
    name: str
    label: str
    variants: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class EntityChoice:
    """The user chose entry ``key``: step through its mentions ("tour"), or light it alone."""

    key: str
    action: Literal["tour", "highlight"]


def plain_fold(text: str) -> str:
    """The text in ASCII and without case: "Marzūk" and "MARZUK" both read "marzuk"."""
    return anyascii(text).casefold()


def loose_fold(text: str) -> str:
    """`plain_fold`, then the common double spellings of transliterated names made one."""
    folded = plain_fold(text)
    for spelling, same in LOOSE_SPELLINGS:
        folded = folded.replace(spelling, same)
    return folded


def type_name(label: str) -> str:
    """The human name of a spaCy label ("ORG": "organisation"), else the label in lower case."""
    return LABEL_NAMES.get(label, label.lower())


@lru_cache(maxsize=256)
def type_names(label: str) -> tuple[str, str]:
    """What ``#word`` is matched against: the label and its human name, folded."""
    return plain_fold(label), plain_fold(type_name(label))


@dataclass(frozen=True)
class EntityFilter:
    """What the filter box says: ``#type`` words (any of them matches: a prefix of the spaCy
    label or of its human name) and other words, all of which must occur in the name or in one
    spelling. Case and accents do not matter."""

    types: tuple[str, ...] = ()
    words: tuple[tuple[str, str], ...] = ()  # each word plain- and loose-folded

    @classmethod
    def parse(cls, text: str) -> EntityFilter:
        types: list[str] = []
        words: list[tuple[str, str]] = []
        for word in text.split():
            if word.startswith("#") and len(word) > 1:
                types.append(plain_fold(word[1:]))
            elif word != "#":
                words.append((plain_fold(word), loose_fold(word)))
        return cls(tuple(types), tuple(words))

    def __call__(self, row: EntityRow, haystacks: tuple[str, str]) -> bool:
        """Whether ``row`` passes; ``haystacks``: its names, plain- and loose-folded."""
        if self.types:
            names = type_names(row.label)
            if not any(name.startswith(t) for t in self.types for name in names):
                return False
        plain, loose = haystacks
        # Plain first, so that a half-typed word ("marzo") matches before the loose one does.
        return all(word in plain or loosely in loose for word, loosely in self.words)


def haystacks_of(row: EntityRow) -> tuple[str, str]:
    names = "\n".join((row.name, *row.variants))
    return plain_fold(names), loose_fold(names)


def short_outlet(outlet: str) -> str:
    """A column heading for an outlet: "The Telegraph" reads "Telegraph"."""
    name = " ".join(outlet.split())
    if name.casefold().startswith("the ") and len(name) > 4:
        name = name[4:]
    return display_text(name)


def bar(count: int, largest: int, cells: int) -> str:
    """``count`` as a bar scaled to ``largest``: one cell rising in eighths, or ``cells`` cells
    growing rightward in eighths. A count above zero always shows (at least an eighth)."""
    if count <= 0 or largest <= 0:
        return " " * cells
    eighths = max(1, math.ceil(count / largest * 8 * cells))
    if cells == 1:
        return UPWARD_EIGHTHS[min(eighths, 8)]
    full, part = divmod(min(eighths, 8 * cells), 8)
    drawn = "█" * full + (RIGHTWARD_EIGHTHS[part] if part else "")
    return drawn.ljust(cells)


def cell(text: str, width: int, style: str | Style = "") -> Text:
    """A table cell: literal text cut with "…" to ``width`` cells."""
    shown = Text(text, style=style, no_wrap=True, overflow="ellipsis")
    shown.truncate(max(1, width), overflow="ellipsis")
    return shown


class FittedCell:
    """A table cell already cut to its column's width, which it gives as its measure: the
    DataTable measures every cell it is given, and for a long list measuring the text would
    cost more than everything else the index does."""

    __slots__ = ("text", "width")

    def __init__(self, text: Text, width: int) -> None:
        self.text = text
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)


def one_line(text: str) -> str:
    """The text on one line (runs of whitespace, line breaks included, as one space)."""
    return display_text(" ".join(text.split()))


def entity_type_style(screen: Screen[Any] | None, label: str, background: Style) -> Style:
    """The style the article text draws ``label`` in (the reader screen's `entity_style`),
    lifted to AA contrast on ``background``; plain when there is no reader screen below."""
    entity_style = getattr(screen, "entity_style", None)
    if not callable(entity_style):
        return Style()
    style = entity_style(label)
    if not isinstance(style, Style):
        return Style()
    app = screen.app if screen is not None else None
    try:
        behind = drawn_rgb(
            background.bgcolor, app.ansi_theme if app is not None else None, foreground=False
        )
    except ColorParseError:
        return style
    return readable_on(style, behind)


def screen_below(screen: Screen[Any]) -> Screen[Any] | None:
    """The screen under ``screen`` (for a dialog opened on the reader: the reader screen)."""
    stack = screen.app.screen_stack
    if screen not in stack or stack.index(screen) == 0:
        return None
    return stack[stack.index(screen) - 1]


def key_hint(keys: Sequence[tuple[str, str]]) -> Text:
    """ "⏎ tour  ^l highlight  …": each key in bold, before what it does."""
    hint = Text(no_wrap=True, overflow="ellipsis")
    for index, (key, does) in enumerate(keys):
        hint.append("  " if index else "")
        hint.append(key, style="bold")
        hint.append(f" {does}")
    return hint


class EntityIndexScreen(TablePanel[EntityChoice | None]):
    """The entity index; dismissed with the chosen entry and what to do with it, or None."""

    # The bars' colour, from the stylesheet (a theme variable, so every theme has its own).
    COMPONENT_CLASSES: ClassVar[set[str]] = {"entity-index--bar"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="entity_index.close"),
        # Priority: the filter would take them to undo its typing; here they undo merges and
        # splits (the app's history, as ctrl+z in the text).
        Binding("ctrl+z", "undo", "Undo", priority=True, id="entity_index.undo"),
        Binding(
            "ctrl+y,ctrl+shift+z", "redo", "Redo", priority=True, show=False, id="entity_index.redo"
        ),
        # Priority: the filter keeps the focus, and would take Enter for itself.
        Binding("enter", "choose('tour')", "Tour", priority=True, id="entity_index.tour"),
        # ctrl+h is backspace on most terminals; ctrl+l ("light") is not.
        Binding("ctrl+l", "choose('highlight')", "Highlight", id="entity_index.highlight"),
        Binding("ctrl+g", "merge", "Merge", id="entity_index.merge"),
        Binding("ctrl+t", "split", "Split", id="entity_index.split"),
        Binding("ctrl+s", "sort", "Sort", id="entity_index.sort"),
        # The filter does not use these keys; they move the list's cursor.
        Binding("down", "cursor('cursor_down')", "Next", show=False, id="entity_index.down"),
        Binding("up", "cursor('cursor_up')", "Previous", show=False, id="entity_index.up"),
        Binding("pagedown", "cursor('page_down')", show=False, id="entity_index.page_down"),
        Binding("pageup", "cursor('page_up')", show=False, id="entity_index.page_up"),
        Binding("ctrl+home", "cursor('scroll_top')", show=False, id="entity_index.first"),
        Binding("ctrl+end", "cursor('scroll_bottom')", show=False, id="entity_index.last"),
    ]

    class MergeRequested(Message):
        """Merge entry `key` into entry `into_key` (one entry, `into_key`'s, remains)."""

        def __init__(self, key: str, into_key: str) -> None:
            super().__init__()
            self.key = key
            self.into_key = into_key

    class SplitRequested(Message):
        """Take the spelling `variant` out of entry `key`, into an entry of its own."""

        def __init__(self, key: str, variant: str) -> None:
            super().__init__()
            self.key = key
            self.variant = variant

    class UndoRequested(TablePanel.UndoRequested):
        """Undo (with `redo`, redo) the session's last edit, a merge or split made here, say."""

    def __init__(
        self,
        rows: Sequence[EntityRow],
        outlets: Sequence[str],
        *,
        selected_key: str | None = None,
        highlighted_key: str | None = None,
    ) -> None:
        super().__init__()
        self.rows = list(rows)
        self.outlets = list(outlets)
        self.highlighted_key = highlighted_key
        self.sort: SortOrder = "count"
        self.filter = EntityFilter()
        self.shown_rows: list[EntityRow] = []
        self.merging_key: str | None = None  # the entry marked to be merged into another
        self._wanted_key = selected_key  # where the cursor goes at the first fill
        self._haystacks: dict[str, tuple[str, str]] = {}
        self._sort_names: dict[str, str] = {}
        self._drawn_bar_style = Style()
        # What the columns were made for, their widths and the rows' cells made for them.
        self._layout_key: tuple[object, ...] = ()
        self._widths: dict[str, tuple[Text, int]] = {}
        self._bar_cells = BAR_CELLS[0]
        self._largest = 0
        self._type_style: dict[str, Style] = {}
        self._cells_made: dict[tuple[str, str], list[FittedCell]] = {}
        self._rows_version = 0  # one more for each update_rows
        self._generation = 0  # one more for each fill: a later batch of an older one is dropped

    # -- what the app calls ------------------------------------------------------------------

    def update_rows(self, rows: Sequence[EntityRow]) -> None:
        """New rows after a merge or a split: the filter, the order and the cursor's entry are
        kept (the cursor stays at its place when its entry is gone)."""
        self.rows = list(rows)
        self._haystacks = {}
        self._sort_names = {}
        self._rows_version += 1
        if self.merging_key is not None and all(r.key != self.merging_key for r in self.rows):
            self.merging_key = None
        if self.is_mounted:
            self._fill()

    @property
    def selected(self) -> EntityRow | None:
        """The row under the table's cursor, if any."""
        table = self.query_one(DataTable)
        if not self.shown_rows or not 0 <= table.cursor_row < len(self.shown_rows):
            return None
        return self.shown_rows[table.cursor_row]

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-index-dialog"):
            yield Label("", id="entity-index-title", classes="dialog-title")
            yield Input(
                placeholder="Filter: words, #person #org #place…",
                compact=True,
                id="entity-index-filter",
            )
            table: DataTable[FittedCell] = DataTable(
                cursor_type="row", zebra_stripes=True, id="entity-index-table"
            )
            # The filter keeps the focus: typing always filters, and the keys act on the list.
            table.can_focus = False
            yield table
            yield Static("", id="entity-index-detail")
            yield Static("", id="entity-index-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(Input).focus()
        # The columns are fitted to the table's width, known only once it is laid out.
        self.call_after_refresh(self._fit_columns)

    def notify_style_update(self) -> None:
        # The bars' colour comes from the stylesheet, resolved after the first fill (and
        # changed by a theme): the rows are drawn again once it is known.
        super().notify_style_update()
        if self.is_mounted:
            self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        if self._layout_wanted()[0] != self._layout_key:
            self._fill()

    def _bar_style(self) -> Style:
        return self.get_component_rich_style("entity-index--bar", partial=True)

    def _haystack(self, row: EntityRow) -> tuple[str, str]:
        found = self._haystacks.get(row.key)
        if found is None:
            found = self._haystacks[row.key] = haystacks_of(row)
        return found

    def _sort_name(self, row: EntityRow) -> str:
        found = self._sort_names.get(row.key)
        if found is None:
            found = self._sort_names[row.key] = plain_fold(row.name)
        return found

    def _sorted(self, rows: list[EntityRow]) -> list[EntityRow]:
        name = self._sort_name
        if self.sort == "count":
            return sorted(rows, key=lambda r: (-r.total, name(r), r.key))
        return sorted(rows, key=lambda r: (name(r), -r.total, r.key))

    def _fill(self, *, keep_place: bool = True) -> None:
        """(Re)build the table from the rows, the filter and the order; keep the cursor's
        entry (or, the first time, put it on ``selected_key``). Where that entry is gone, the
        cursor keeps its place, or with ``keep_place`` false goes to the first entry."""
        table: DataTable[FittedCell] = self.query_one(DataTable)
        previous = self.selected
        wanted = self._wanted_key if previous is None else previous.key
        self._wanted_key = None
        previous_index = table.cursor_row
        self.shown_rows = self._sorted(
            [row for row in self.rows if self.filter(row, self._haystack(row))]
        )
        if self._lay_out():
            table.clear(columns=True)
            for key, (title, column_width) in self._widths.items():
                table.add_column(title, width=column_width, key=key)
        else:
            table.clear()
        index = 0
        keys = [row.key for row in self.shown_rows]
        if wanted in keys:
            index = keys.index(wanted)
        elif keep_place and keys:
            index = min(max(previous_index, 0), len(keys) - 1)
        self._generation += 1
        first = index + FIRST_ROWS
        self._add_rows(0, first)
        if self.shown_rows:
            table.move_cursor(row=index, animate=False)
        if first < len(self.shown_rows):
            self.call_later(self._add_more_rows, self._generation, first)
        self._show_heading()
        self._show_detail()
        self._show_hint()

    def _add_rows(self, start: int, end: int) -> None:
        table: DataTable[FittedCell] = self.query_one(DataTable)
        for row in self.shown_rows[start:end]:
            table.add_row(*self._cells(row), key=row.key)

    def _add_more_rows(self, generation: int, start: int) -> None:
        if generation != self._generation:  # the list was made again since
            return
        end = start + MORE_ROWS
        self._add_rows(start, end)
        if end < len(self.shown_rows):
            self.call_later(self._add_more_rows, generation, end)

    def _layout_wanted(self) -> tuple[tuple[object, ...], dict[str, Style]]:
        """What the columns and cells depend on: the table's width, the rows, the bars' and the
        types' colours (from the stylesheets: a theme changes them); and the types' styles."""
        below = screen_below(self)
        background = self.query_one(DataTable).rich_style
        labels = sorted({row.label for row in self.rows})
        type_styles = {label: entity_type_style(below, label, background) for label in labels}
        key = (self._table_width(), self._rows_version, self._bar_style(), *type_styles.items())
        return key, type_styles

    def _lay_out(self) -> bool:
        """Fit the columns to the table's width and to all the rows (not only those shown, so
        that the columns hold still while the filter changes); True if they changed."""
        key, type_styles = self._layout_wanted()
        if key == self._layout_key:
            return False
        self._layout_key = key
        self._drawn_bar_style = self._bar_style()
        self._widths, self._bar_cells = self._column_widths(self._table_width())
        self._largest = max((count for row in self.rows for count in row.counts), default=0)
        self._type_style = type_styles
        self._cells_made = {}
        return True

    def _column_widths(self, width: int) -> tuple[dict[str, tuple[Text, int]], int]:
        """Each column's heading and width for a table ``width`` cells wide, and how many
        cells each bar takes."""
        outlets = len(self.outlets)
        digits = len(str(max((c for r in self.rows for c in r.counts), default=0)))
        total = max(5, len(str(max((r.total for r in self.rows), default=0))))
        # Each column has a cell of padding on either side; the bars need a cell each at least.
        rest = width - total - 2 * (4 + outlets) - outlets * (BAR_CELLS[0] + 1 + digits)
        names = max((len(r.name) for r in self.rows), default=4)
        name = clamp(MARK_WIDTH + names, *NAME_WIDTH)
        types = max((len(type_name(r.label)) for r in self.rows), default=4)
        kind = clamp(types, *TYPE_WIDTH)
        # A narrow terminal: the type cut first, then the name, then the type again (the line
        # under the table shows the selected entry whole).
        for column, least in (("type", 8), ("name", NAME_WIDTH[0] - 2), ("type", TYPE_WIDTH[0])):
            over = name + kind + VARIANTS_MIN_WIDTH - rest
            if over <= 0:
                break
            if column == "type":
                kind -= min(over, max(0, kind - least))
            else:
                name -= min(over, max(0, name - least))
        left = rest - name - kind
        # Wider bars take up to half of what is left; the other spellings the rest.
        bar_cells = BAR_CELLS[0]
        if outlets:
            bar_cells = clamp(BAR_CELLS[0] + (left // 2) // outlets, *BAR_CELLS)
        left -= outlets * (bar_cells - BAR_CELLS[0])
        variants = max(3, left)
        bar_width = bar_cells + 1 + digits
        widths: dict[str, tuple[Text, int]] = {
            "name": (cell("Name", name, "bold"), name),
            "type": (cell("Type", kind, "bold"), kind),
            "variants": (cell("Also written", variants, "bold"), variants),
        }
        for index, outlet in enumerate(self.outlets):
            heading = cell(short_outlet(outlet), bar_width, "bold")
            widths[f"outlet-{index}"] = (heading, bar_width)
        widths["total"] = (Text("Total".rjust(total), style="bold"), total)
        return widths, bar_cells

    def _cells(self, row: EntityRow) -> list[FittedCell]:
        """The row's cells for the current columns (made once for each row and mark)."""
        if row.key == self.merging_key:
            mark = MERGE_MARK
        elif row.key == self.highlighted_key:
            mark = HIGHLIGHT_MARK
        else:
            mark = " "
        made = self._cells_made.get((row.key, mark))
        if made is None:
            made = self._cells_made[row.key, mark] = self._make_cells(row, mark)
        return made

    def _make_cells(self, row: EntityRow, mark: str) -> list[FittedCell]:
        widths, bar_cells = self._widths, self._bar_cells
        name = Text(f"{mark} ", style="bold")
        name.append_text(cell(one_line(row.name), widths["name"][1] - MARK_WIDTH, "bold"))
        others = [one_line(v) for v in row.variants if v != row.name]
        kind = cell(type_name(row.label), widths["type"][1], self._type_style.get(row.label, ""))
        values = [name, kind, cell(", ".join(others), widths["variants"][1], "italic")]
        for index in range(len(self.outlets)):
            count = row.counts[index] if index < len(row.counts) else 0
            digits = widths[f"outlet-{index}"][1] - bar_cells - 1
            shown = Text(no_wrap=True)
            shown.append(bar(count, self._largest, bar_cells), style=self._drawn_bar_style)
            shown.append(" ")
            if count:
                shown.append(str(count).rjust(digits))
            else:
                shown.append("·".rjust(digits), style="dim")
            values.append(shown)
        values.append(Text(str(row.total).rjust(widths["total"][1]), style="bold"))
        columns = widths.values()
        return [FittedCell(value, width) for value, (_, width) in zip(values, columns, strict=True)]

    def _show_heading(self) -> None:
        articles = len(self.outlets)
        entries = len(self.rows)
        title = Text(
            f"Entities in {articles} article{'' if articles == 1 else 's'}"
            f" · {entries} entr{'y' if entries == 1 else 'ies'}",
            no_wrap=True,
            overflow="ellipsis",
        )
        if self.filter != EntityFilter():
            title.append(f" · {len(self.shown_rows)} match", style="dim")
        title.append(f" · {SORT_NAMES[self.sort]}", style="dim")
        self.query_one("#entity-index-title", Label).update(title)

    def _show_detail(self) -> None:
        """The line under the table: what merging waits for, why the list is empty, or every
        spelling of the entry under the cursor."""
        detail = Text()
        merging = self._row(self.merging_key)
        row = self.selected
        if merging is not None:
            detail.append("merging: ", style="bold")
            detail.append(one_line(merging.name), style="bold italic")
            detail.append(" — choose the entry to merge it into (ctrl+g on it; esc cancels)")
        elif not self.rows:
            detail.append(EMPTY_MESSAGE)
        elif row is None:
            detail.append("Nothing matches the filter.")
        else:
            detail.append(one_line(row.name), style="bold")
            mentions = row.total
            detail.append(f" · {type_name(row.label)} · {mentions} mention")
            detail.append("" if mentions == 1 else "s")
            others = [one_line(v) for v in row.variants if v != row.name]
            if others:
                detail.append(" · also ")
                detail.append(", ".join(others), style="italic")
        self.query_one("#entity-index-detail", Static).update(detail)

    def _show_hint(self) -> None:
        other: SortOrder = "name" if self.sort == "count" else "count"
        keys = [
            ("⏎", "tour"),
            ("^l", "highlight"),
            ("^g", "merge"),
            ("^t", "split"),
            ("^s", SORT_NAMES[other]),
            ("esc", "cancel merge" if self.merging_key is not None else "close"),
            ("^z", "undo"),  # last: at 80 columns it is the one cut short
        ]
        self.query_one("#entity-index-hint", Static).update(key_hint(keys))

    def _row(self, key: str | None) -> EntityRow | None:
        return next((row for row in self.rows if row.key == key), None)

    # -- events and actions ------------------------------------------------------------------

    @on(Input.Changed, "#entity-index-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter = EntityFilter.parse(event.value)
        # A new filter: its best match first, unless the entry under the cursor still shows.
        self._fill(keep_place=False)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        # A click on the row under the cursor (Enter is the screen's own binding).
        if event.row_key.value is not None:
            self.dismiss(EntityChoice(event.row_key.value, "tour"))

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        # A click on "Name" sorts by name; on a count, by count.
        wanted: SortOrder = "name" if event.column_key.value in ("name", "variants") else "count"
        if wanted != self.sort:
            self.action_sort()

    def action_cursor(self, motion: str) -> None:
        """Move the list's cursor as the table's own key would (the filter keeps the focus)."""
        table = self.query_one(DataTable)
        moves = {
            "cursor_down": table.action_cursor_down,
            "cursor_up": table.action_cursor_up,
            "page_down": table.action_page_down,
            "page_up": table.action_page_up,
            "scroll_top": table.action_scroll_top,
            "scroll_bottom": table.action_scroll_bottom,
        }
        moves[motion]()

    def action_choose(self, action: Literal["tour", "highlight"]) -> None:
        row = self.selected
        if row is None:
            self.app.bell()
            return
        self.dismiss(EntityChoice(row.key, action))

    def action_sort(self) -> None:
        self.sort = "name" if self.sort == "count" else "count"
        self._fill()

    def action_merge(self) -> None:
        """The first press marks the entry to merge; the press on another entry merges it."""
        row = self.selected
        if row is None:
            self.app.bell()
            return
        marked, self.merging_key = self.merging_key, None
        if marked is None:
            self.merging_key = row.key
        elif marked != row.key:
            self.post_message(self.MergeRequested(marked, row.key))
        self._fill()

    def action_split(self) -> None:
        row = self.selected
        if row is None:
            self.app.bell()
            return
        if len(row.variants) < 2:
            self.app.notify(
                f"“{one_line(row.name)}” has one spelling: there is nothing to split off.",
                timeout=3,
                markup=False,
            )
            return
        key = row.key

        def chosen(variant: str | None) -> None:
            if variant is not None:
                self.post_message(self.SplitRequested(key, variant))

        name = one_line(row.name)
        if len(name) > 32:
            name = name[:31] + "…"
        choices = [(variant, None, "") for variant in row.variants]
        title = f"Split a spelling off “{name}” into an entry of its own"
        self.app.push_screen(LabelPicker(title, choices), chosen)

    def action_close(self) -> None:
        if self.merging_key is not None:
            self.merging_key = None
            self._fill()
            return
        self.dismiss(None)
