"""What the annotations panel and the entity index share: a modal list in a DataTable whose
columns are fitted to its width, a line about the row under the cursor, and the app's undo and
redo (a modal screen does not hear the app's own keys, so it asks for them)."""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable

from styles import STYLES_DIR

ResultT = TypeVar("ResultT")


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


class TablePanel(ModalScreen[ResultT]):
    """A list panel. Subclasses fill the table (`_fit_columns` when its width may have changed)
    and describe the highlighted row (`_show_detail`)."""

    CSS_PATH = STYLES_DIR / "dialogs.tcss"

    class UndoRequested(Message):
        """Undo (with `redo`, redo) the session's last edit, as ctrl+z does in the text.

        Each panel subclasses it, so that the app's handler is named after the panel."""

        def __init__(self, *, redo: bool) -> None:
            super().__init__()
            self.redo = redo

    def _fit_columns(self) -> None:
        raise NotImplementedError

    def _show_detail(self) -> None:
        raise NotImplementedError

    def on_resize(self, event: events.Resize) -> None:
        # The columns are fitted to the table's width, known once it is laid out again.
        self.call_after_refresh(self._fit_columns)

    def _table_width(self) -> int:
        """The width the columns may take."""
        table = self.query_one(DataTable)
        width = table.size.width
        if width <= 0:  # not laid out yet: a guess from the terminal
            width = self.app.size.width - 8
        return max(40, width - 2)  # the vertical scrollbar

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._show_detail()

    def action_undo(self) -> None:
        self.post_message(self.UndoRequested(redo=False))

    def action_redo(self) -> None:
        self.post_message(self.UndoRequested(redo=True))
