"""Every key, built from the bindings that are really active, so it cannot drift from them."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from reader.commands import live_actions
from reader.literal import display_text
from styles import STYLES_DIR

Row = tuple[str, str, str]  # group, keys, what they do


def bindings_table(rows: list[tuple[str, str]], key_width: int) -> Table:
    """One group's keys and what they do; every group's table has the same key column width,
    so the descriptions line up from one group to the next."""
    table = Table(box=None, show_header=False, expand=True, pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("Key", no_wrap=True, width=key_width + 2)  # the width holds the padding
    table.add_column("Does", ratio=1)
    for keys, description in rows:
        # Label keys and names come from the user's configuration: literal, as all such text.
        table.add_row(Text(display_text(keys), style="bold"), Text(display_text(description)))
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
        """Rows (group, keys, description) for every described binding active on `screen`,
        grouped by what they do (reader.commands.live_actions, which the palette lists too).

        Several keys for one action ("j, ↓") are one row; within a group the order is the
        bindings' own (the focused widget's first).
        """
        return cls([(a.group, a.keys_shown, a.description) for a in live_actions(screen)])

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Label("Keys", classes="dialog-title")
            groups: dict[str, list[tuple[str, str]]] = {}
            for group, keys, description in self.rows:
                groups.setdefault(group, []).append((keys, description))
            key_width = max((cell_len(keys) for _, keys, _ in self.rows), default=1)
            for group, rows in groups.items():
                yield Label(group, classes="help-group")
                yield Static(bindings_table(rows, key_width), classes="help-table")
            yield Static(
                "Mouse: click a word to put the cursor there, drag to select, the wheel scrolls "
                "(the cursor follows). ctrl+p finds any action by name. Escape closes this.",
                classes="dialog-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)
