"""Pick one label: its key, or the list (arrows and Enter, or a click); escape picks none.

Used to relabel an annotation from the annotations panel and to choose the label that every
search hit gets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader.literal import display_text
from styles import STYLES_DIR

# (name, key or None, description), as the label configuration gives them.
LabelChoice = tuple[str, str | None, str]


class LabelPicker(ModalScreen[str | None]):
    """The labels, each with its key and description; dismissed with the chosen name."""

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, choices: Sequence[LabelChoice]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self._bind_choice_keys()

    def _bind_choice_keys(self) -> None:
        """Each label's own key picks it, as in the article view (bindings made per screen)."""
        self._bindings = self._bindings.copy()
        for index, (name, key, _description) in enumerate(self.choices):
            if not key:
                continue
            # make_bindings turns a character ("!") into the key name Textual reports for it.
            for binding in Binding.make_bindings([Binding(key, f"choose({index})", name)]):
                self._bindings.key_to_bindings.setdefault(binding.key, []).append(binding)

    def compose(self) -> ComposeResult:
        with Vertical(id="label-picker-dialog"):
            # Text, not a string: the title may quote article text, never parsed as markup.
            yield Static(Text(display_text(self.title_text)), classes="dialog-title")
            # Names padded to one width, so that the descriptions line up.
            width = max((len(display_text(name)) for name, _, _ in self.choices), default=0)
            yield OptionList(
                *(self._option(choice, width) for choice in self.choices),
                id="label-picker-options",
            )
            yield Static("A label's key or Enter picks it · Escape cancels", classes="dialog-hint")

    @staticmethod
    def _option(choice: LabelChoice, width: int) -> Option:
        name, key, description = choice
        # One line each: a description too long for the dialog ends in "…".
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(f"{display_text(format_key(key)) if key else ' ':>3}  ", style="bold")
        prompt.append(display_text(name).ljust(width), style="bold")
        if description:
            prompt.append(f"  {display_text(description)}", style="dim")
        return Option(prompt, id=name)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][0])

    def action_choose(self, index: int) -> None:
        self.dismiss(self.choices[index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
