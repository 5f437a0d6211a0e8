"""The legend: which colour is which kind of entity (colours from ReaderScreen.entity_style)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from reader.entities import LABEL_NAMES


class EntityLegend(Widget):
    """One line of coloured swatches for the entity types on screen."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._labels: tuple[str, ...] = ()
        self._message = ""

    def show_labels(self, labels: Iterable[str]) -> None:
        present = set(labels)
        self._labels = tuple(label for label in LABEL_NAMES if label in present)
        self.refresh()

    def show_message(self, message: str) -> None:
        """A message that stands instead of the swatches (e.g. the model is missing)."""
        self._message = message
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self.refresh()

    def render(self) -> Text:
        # Drawn afresh on each refresh: one line of fixed height, so no relayout is needed.
        text = Text(no_wrap=True, overflow="ellipsis")
        if self._message:
            text.append(self._message)
            return text
        text.append("Entities ", style="bold")
        for label in self._labels:
            entity_style = getattr(self.screen, "entity_style", None)
            style = entity_style(label) if callable(entity_style) else Style()
            text.append("  ■ ", style=style)
            text.append(LABEL_NAMES[label], style=style)
        if not self._labels:
            text.append(" none yet")
        return text
