"""Which entity types the text shows: one checkbox per type, each name drawn as the text draws
that type, with its number of mentions.

Space (or a click) shows or hides one, ``a`` shows all, ``n`` hides all; Enter or ctrl+s applies
(the screen is dismissed with the set of hidden types), escape leaves everything as it was. The
app keeps the choice; this screen only says what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from reader.literal import display_text
from reader.screens.entity_index_screen import entity_type_style, key_hint, screen_below, type_name
from styles import STYLES_DIR


class EntityTypesScreen(ModalScreen[frozenset[str] | None]):
    """The entity types with their counts; dismissed with the types to hide, or None."""

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="entity_types.cancel"),
        # Priority: the list takes Enter as a toggle, like space.
        Binding("enter,ctrl+s", "apply", "Apply", priority=True, id="entity_types.apply"),
        Binding("a", "show_all", "All on", id="entity_types.all"),
        Binding("n", "hide_all", "All off", id="entity_types.none"),
    ]

    def __init__(self, types: Sequence[tuple[str, int]], hidden: frozenset[str]) -> None:
        """``types``: (spaCy label, mentions) in the order to list them; ``hidden``: the types
        hidden now (a hidden type not listed stays hidden)."""
        super().__init__()
        self.types = list(types)
        self.hidden = frozenset(hidden)

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-types-dialog"):
            yield Label("Entity types shown in the text", classes="dialog-title")
            yield SelectionList[str](id="entity-types-list")
            keys = (("space", "show/hide"), ("a", "all"), ("n", "none"), ("⏎", "apply"))
            yield Static(key_hint((*keys, ("esc", "cancel"))), classes="dialog-hint")

    def on_mount(self) -> None:
        # The prompts are made once mounted: their colours are the reader screen's, and the
        # list's background is known only now.
        choices = self.query_one(SelectionList)
        below = screen_below(self)
        background = choices.rich_style
        width = max((len(type_name(label)) for label, _ in self.types), default=0)
        digits = max((len(str(count)) for _, count in self.types), default=1)
        styles = {label: entity_type_style(below, label, background) for label, _ in self.types}
        choices.add_options(
            Selection(
                self._prompt(label, count, width, digits, styles[label]),
                label,
                label not in self.hidden,
            )
            for label, count in self.types
        )
        choices.highlighted = 0 if self.types else None
        choices.focus()

    @staticmethod
    def _prompt(label: str, count: int, width: int, digits: int, style: Style) -> Text:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(display_text(type_name(label)), style=style)
        prompt.append(" " * (width - len(type_name(label))))
        prompt.append(f"  {count:>{digits}} mention{'' if count == 1 else 's'}", style="dim")
        return prompt

    @property
    def chosen_hidden(self) -> frozenset[str]:
        """The types hidden as the boxes say now."""
        shown = set(self.query_one(SelectionList).selected)
        listed = {label for label, _ in self.types}
        return (self.hidden - listed) | {label for label in listed if label not in shown}

    def action_show_all(self) -> None:
        self.query_one(SelectionList).select_all()

    def action_hide_all(self) -> None:
        self.query_one(SelectionList).deselect_all()

    def action_apply(self) -> None:
        self.dismiss(self.chosen_hidden)

    def action_cancel(self) -> None:
        self.dismiss(None)
