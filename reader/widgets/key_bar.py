"""The bottom line: the keys that work where the focus is, drawn as one line of text.

Textual's Footer makes a widget for every key and rebuilds them all whenever the focus moves;
with a dozen keys that made Tab take about half a second. This widget reads the same bindings
(the screen's `active_bindings`, only those with `show=True`) and redraws one line instead.
A click on a key presses it, as on the Footer.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    """Shown bindings of the focused chain as "key description" pairs; the palette key right."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._targets: list[tuple[int, int, str]] = []  # (first cell, end cell, key) as drawn
        self._key_style = self._description_style = Style()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def shown_bindings(self) -> list[tuple[Binding, bool]]:
        """(binding, enabled) for each action to show, first key of each action, in order."""
        seen: set[str] = set()
        shown = []
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen or key == palette_key:
                continue
            seen.add(binding.action)
            shown.append((binding, active.enabled))
        return shown

    def _palette_binding(self) -> tuple[Binding, bool] | None:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return None if active is None else (active.binding, active.enabled)

    def _pair(self, binding: Binding, enabled: bool) -> Text:
        pair = Text.assemble(
            (f" {self.app.get_key_display(binding)} ", self._key_style),
            (f"{binding.description} ", self._description_style),
        )
        if not enabled:
            pair.stylize("dim")
        return pair

    def render(self) -> Text:
        self._key_style = self.get_component_rich_style("key-bar--key", partial=True)
        self._description_style = self.get_component_rich_style(
            "key-bar--description", partial=True
        )
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        targets = []
        for binding, enabled in self.shown_bindings():
            pair = self._pair(binding, enabled)
            targets.append((line.cell_len, line.cell_len + pair.cell_len, binding.key))
            line.append_text(pair)
        palette = self._palette_binding()
        if palette is not None:
            right = self._pair(*palette)
            gap = self.size.width - line.cell_len - right.cell_len
            if gap >= 1:
                line.append(" " * gap)
                targets.append((line.cell_len, line.cell_len + right.cell_len, palette[0].key))
                line.append_text(right)
        self._targets = targets
        return line

    def on_click(self, event: events.Click) -> None:
        # As on Textual's Footer: clicking a key presses it.
        for first, end, key in self._targets:
            if first <= event.x < end:
                self.app.simulate_key(key)
                return
