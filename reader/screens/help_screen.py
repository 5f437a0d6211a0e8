"""Every key, built from the bindings that are really active, so it cannot drift from them."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from styles import STYLES_DIR

# Help groups keys by what they do, from the prefix of each binding's id ("sentence.next").
GROUPS: dict[str, str] = {
    "sentence": "Move",
    "word": "Move",
    "pane": "Panes and articles",
    "select": "Select",
    "tag": "Annotate",
    "note": "Annotate",
    "copy": "Annotate",
    "annotation": "Annotations",
    "search": "Search",
    "chrome": "View",
    "app": "App",
}
GROUP_ORDER = ("Move", "Select", "Annotate", "Annotations", "Search", "Panes and articles", "View")
OTHER = "Other"
# Textual's own keys that do nothing useful here (the views draw their own selection; `y`
# copies it).
HIDDEN_ACTIONS = frozenset({"screen.copy_text", "copy_text"})

Row = tuple[str, str, str]  # group, keys, what they do


def group_of(binding_id: str | None) -> str:
    prefix = (binding_id or "").split(".", 1)[0]
    return GROUPS.get(prefix, OTHER)


def bindings_table(rows: list[tuple[str, str]]) -> Table:
    table = Table(box=None, show_header=False, expand=True, pad_edge=False)
    table.add_column("Key", no_wrap=True, min_width=14)
    table.add_column("Does")
    for keys, description in rows:
        table.add_row(Text(keys, style="bold"), Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys by what they do; `rows` come from the live bindings of the screen underneath."""

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", show=False),
    ]

    def __init__(self, rows: list[Row]) -> None:
        super().__init__()
        self.rows = rows

    @classmethod
    def of_active_bindings(cls, screen: Screen[object]) -> HelpScreen:
        """Rows (group, keys, description) for every described binding active on `screen`.

        Several keys for one action ("j,down") are one row; within a group the order is the
        bindings' own (the focused widget's first).
        """
        keys: dict[tuple[str, str], list[str]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in HIDDEN_ACTIONS:
                continue
            shown = keys.setdefault((group_of(binding.id), binding.description), [])
            display = screen.app.get_key_display(binding)
            if display not in shown:
                shown.append(display)
        order = {group: index for index, group in enumerate((*GROUP_ORDER, OTHER, "App"))}
        rows = [(group, ", ".join(k), description) for (group, description), k in keys.items()]
        rows.sort(key=lambda row: order[row[0]])  # stable: each group keeps its own order
        return cls(rows)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Label("Keys", classes="dialog-title")
            groups: dict[str, list[tuple[str, str]]] = {}
            for group, keys, description in self.rows:
                groups.setdefault(group, []).append((keys, description))
            for group, rows in groups.items():
                yield Label(group, classes="help-group")
                yield Static(bindings_table(rows), classes="help-table")
            yield Static(
                "Mouse: click a word to put the cursor there, drag to select, the wheel scrolls "
                "(the cursor follows). ctrl+p finds any action by name. Escape closes this.",
                classes="dialog-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
