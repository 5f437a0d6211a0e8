"""Orphans: annotations whose words were not found in their article's current text.

Each is listed with its quote, label or note, and annotator. Enter re-attaches the highlighted one
to the sentence under the cursor of the pane you came from; d deletes it. Both are the app's
edits (undoable); this screen only says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from annotations.model import Annotation
from corpus.model import Article
from reader.literal import display_text
from styles import STYLES_DIR

QUOTE_CHARS = 160


@dataclass(frozen=True)
class OrphanChoice:
    action: Literal["reattach", "delete"]
    annotation_id: str


class OrphansScreen(ModalScreen[OrphanChoice | None]):
    """The orphans of every article; your own can be re-attached or deleted."""

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("d,delete", "delete", "Delete", id="orphans.delete"),
    ]

    def __init__(
        self, orphans: Sequence[Annotation], annotator: str, target: Article | None
    ) -> None:
        super().__init__()
        self.orphans = list(orphans)
        self.annotator = annotator
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical(id="orphans-dialog"):
            count = len(self.orphans)
            yield Label(
                f"{count} annotation{'s' if count != 1 else ''} not found in the current text",
                classes="dialog-title",
            )
            yield OptionList(*(self._option(a) for a in self.orphans), id="orphans-options")
            where = (
                f"the cursor's sentence in “{display_text(self.target.title)}”"
                if self.target is not None
                else "the cursor's sentence (focus a pane first)"
            )
            yield Static(
                Text(f"Enter re-attaches to {where} · d deletes · Escape closes · ctrl+z undoes"),
                classes="dialog-hint",
            )

    def _option(self, annotation: Annotation) -> Option:
        quote = display_text(" ".join(annotation.quote.split()))
        if len(quote) > QUOTE_CHARS:
            quote = quote[: QUOTE_CHARS - 1] + "…"
        what = annotation.label if annotation.is_tag else "note"
        prompt = Text(f"{what} ", style="bold")
        prompt.append(f"“{quote}”", style="italic")
        mine = annotation.annotator == self.annotator
        owner = "yours" if mine else f"{display_text(annotation.annotator)}'s (not yours to change)"
        detail = f"\n{display_text(annotation.title or annotation.article)} · {owner}"
        if annotation.is_note:
            detail += f" · ✎ {display_text(' '.join(annotation.note.split()))}"
        prompt.append(detail, style="dim")
        return Option(prompt, id=annotation.id)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(OrphanChoice("reattach", event.option.id))

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        option_id = options.get_option_at_index(options.highlighted).id
        if option_id is not None:
            self.dismiss(OrphanChoice("delete", option_id))

    def action_close(self) -> None:
        self.dismiss(None)
