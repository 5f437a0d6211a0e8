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


def bindings_table(rows: list[tuple[str, str, str]]) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
    table.add_column("Key", no_wrap=True)
    table.add_column("Does")
    table.add_column("Where", style="dim", no_wrap=True)
    for keys, description, where in rows:
        table.add_row(Text(keys, style="bold"), Text(description), Text(where))
    return table


class HelpScreen(ModalScreen[None]):
    """A table of keys; `rows` come from the live bindings of the screen underneath."""

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    @classmethod
    def of_active_bindings(cls, screen: Screen[object]) -> HelpScreen:
        """Rows (keys, description, where) for every described binding active on `screen`.

        Several keys for one action ("j,down") are one row; order is the bindings' own.
        """
        keys: dict[tuple[str, str], list[str]] = {}
        for active in screen.active_bindings.values():
            if active.binding.description:
                where = type(active.node).__name__
                shown = keys.setdefault((active.binding.description, where), [])
                display = screen.app.get_key_display(active.binding)
                if display not in shown:
                    shown.append(display)
        return cls([(", ".join(k), description, where) for (description, where), k in keys.items()])

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Label("Keys", classes="dialog-title")
            yield Static(bindings_table(self.rows), id="help-table")
            yield Static(
                "Mouse: click a sentence to put the cursor on it; the wheel scrolls. "
                "Escape closes this.",
                classes="dialog-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
