"""The legend: which colour is which kind of entity (colours from ReaderScreen.entity_style)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from reader.colours import drawn_rgb, readable_on
from reader.entities import LABEL_NAMES


class EntityLegend(Widget):
    """The entity types on screen, each name drawn as the text shows that type.

    Each name is its own swatch (a block cannot show italic or underline, which tell the types
    of one colour apart). The names wrap onto more lines when the width is short, up to the
    height the stylesheet allows (styles/reader.tcss), and scroll beyond it.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._labels: tuple[str, ...] = ()
        self._hidden: frozenset[str] = frozenset()
        self._message = ""

    def show_labels(self, labels: Iterable[str], *, hidden: frozenset[str] = frozenset()) -> None:
        """The types on screen; those in `hidden` (turned off with T or H) are struck through."""
        present = set(labels)
        labels_shown = tuple(label for label in LABEL_NAMES if label in present)
        if labels_shown != self._labels:
            self._labels = labels_shown
            # The number of lines may change with the names (rarely: new article, new results).
            self.refresh(layout=True)
        if hidden != self._hidden:
            self._hidden = hidden
            self.refresh()

    def show_message(self, message: str) -> None:
        """A message that stands instead of the names (e.g. the model is missing)."""
        self._message = message
        self.refresh(layout=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self.refresh()

    def render(self) -> Text:
        text = Text()
        if self._message:
            text.append(self._message)
            return text
        text.append("Entities", style="bold")
        entity_style = getattr(self.screen, "entity_style", None)
        # The colours are the view's, lifted to AA contrast on this line's own background (the
        # app's ANSI theme stands in for the terminal's colours where the theme leaves them).
        background = drawn_rgb(self.rich_style.bgcolor, self.app.ansi_theme, foreground=False)
        for label in self._labels:
            style = entity_style(label) if callable(entity_style) else Style()
            text.append("  ")
            if label in self._hidden:
                # Off: drawn plain and struck through, so the legend still says what exists.
                text.append(LABEL_NAMES[label], style=Style(strike=True))
            else:
                text.append(LABEL_NAMES[label], style=readable_on(style, background))
        if not self._labels:
            text.append("  none yet")
        return text
