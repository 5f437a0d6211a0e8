"""Write, change or delete your note on a passage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from reader.literal import display_text
from styles import STYLES_DIR

QUOTE_PREVIEW_CHARS = 400


class NoteScreen(ModalScreen[str | None]):
    """The sentence (shown literally), its labels, and one line for the note.

    Enter saves (an empty note removes it), escape leaves the note as it was.
    """

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, quote: str, labels: Sequence[str], note: str) -> None:
        super().__init__()
        self.quote = quote
        self.labels = labels
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            what = " / ".join(self.labels) if self.labels else "passage"
            yield Label(f"Your note on this {what}", classes="dialog-title")
            preview = self.quote
            if len(preview) > QUOTE_PREVIEW_CHARS:
                preview = preview[: QUOTE_PREVIEW_CHARS - 1] + "…"
            # Text, not a string: the quote is article text and is never parsed as markup.
            yield Static(Text(f"“{display_text(preview)}”", style="italic"), id="note-quote")
            # A note from elsewhere (an edited or imported database) may hold control
            # characters; the Input would send them to the terminal, so it shows pictures.
            yield Input(
                display_text(self.note),
                placeholder="What to check, who said it, a source…",
                id="note",
            )
            yield Static(
                "Enter saves (empty deletes the note) · Escape cancels · ctrl+z undoes later",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        # Unchanged text keeps the note exactly as it was, control characters and all.
        self.dismiss(self.note if value == display_text(self.note).strip() else value)

    def action_cancel(self) -> None:
        self.dismiss(None)
