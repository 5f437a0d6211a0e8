"""Write, change or delete your note on a passage: a multi-line editor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from reader.literal import display_text
from styles import STYLES_DIR

QUOTE_PREVIEW_CHARS = 400


class NoteScreen(ModalScreen[str | None]):
    """The passage (shown literally), its labels, and a text area for the note.

    ctrl+s or the Save button saves (an empty note removes it), Enter starts a new line, escape
    leaves the note as it was. Dismissed with the new note, "" to delete it, None to cancel.
    """

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]
    # "-short" below 32 rows (80x24): less room for the quote and the editor (dialogs.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]  # noqa: RUF012 (Textual types it so)

    def __init__(self, quote: str, labels: Sequence[str], note: str) -> None:
        super().__init__()
        self.quote = quote
        self.labels = labels
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            what = " / ".join(display_text(label) for label in self.labels) or "passage"
            yield Label(Text(f"Your note on this {what}"), classes="dialog-title")
            preview = self.quote
            if len(preview) > QUOTE_PREVIEW_CHARS:
                preview = preview[: QUOTE_PREVIEW_CHARS - 1] + "…"
            # Text, not a string: the quote is article text and is never parsed as markup.
            yield Static(Text(f"“{display_text(preview)}”", style="italic"), id="note-quote")
            # A note from elsewhere (an edited or imported database) may hold control
            # characters; the editor would send them to the terminal, so it shows pictures.
            yield TextArea(
                display_text(self.note),
                soft_wrap=True,
                placeholder="What to check, who said it, a source…",
                id="note",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", compact=True, id="note-save")
                yield Button("Cancel", compact=True, id="note-cancel")
            yield Static(
                "ctrl+s saves (empty deletes the note) · Enter: new line · Escape cancels · "
                "ctrl+z undoes later",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    @property
    def edited_note(self) -> str:
        """What saving would give back: the original note exactly if its text is unchanged."""
        value = self.query_one(TextArea).text.strip()
        # Unchanged text keeps the note as it was, control characters and all.
        return self.note if value == display_text(self.note).strip() else value

    def action_save(self) -> None:
        self.dismiss(self.edited_note)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#note-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
