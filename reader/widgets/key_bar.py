"""The bottom line: the keys that work where the focus is, drawn as one line of text.

Textual's Footer makes a widget for every key and rebuilds them all whenever the focus moves;
with a dozen keys that made Tab take about half a second. This widget reads the same bindings
(the screen's `active_bindings`, only those with `show=True`) and redraws one line instead.
A click on a key presses it, as on the Footer.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from reader.widgets.text_line import text_line

KeysShown = tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]


class DrawnLine(NamedTuple):
    strip: Strip
    targets: list[tuple[int, int, str]]  # (first cell, end cell, key) of each key drawn


class KeyBar(Widget):
    """Shown bindings of the focused chain as "key description" pairs, left to right.

    The palette key, and the bindings whose ids are `pinned`, sit at the right end: when the
    terminal is too narrow for every key, the others are cut (with "…") and those stay, so that
    the key listing every key is always on screen.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-bar--key", "key-bar--description"}

    def __init__(self, *, pinned: tuple[str, ...] = (), id: str | None = None) -> None:
        super().__init__(id=id)
        self.pinned = pinned
        self._targets: list[tuple[int, int, str]] = []  # (first cell, end cell, key) as drawn
        self._drawn: tuple[object, ...] | None = None  # what the line was drawn from
        # The keys just read when the bindings changed, for the redraw that follows.
        self._keys_read: KeysShown | None = None
        # Lines drawn, by what they show and the width: the focus goes back and forth between
        # a few sets of keys (the panes', the search bar's), so Escape out of a search, or `/`
        # after the first, finds its line drawn already (it took 1-1.5 ms). Emptied when the
        # styles change (a theme).
        self._lines: dict[tuple[tuple[object, ...], int], DrawnLine] = {}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Every focus change updates the bindings, though Tab from one article view to the
        # next shows the same keys: the line is redrawn only when what it shows changed.
        self._keys_read = keys = self._keys_to_show()
        if _drawn_from(*keys) != self._drawn:
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def _keys_to_show(self) -> KeysShown:
        """(binding, enabled) for each action to show, first key of each action, in order;
        and the palette's (None without a palette). Textual builds `active_bindings` afresh at
        each read, walking the focus chain: it is read once for both."""
        active_bindings = self.screen.active_bindings
        seen: set[str] = set()
        shown = []
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, active in active_bindings.items():
            binding = active.binding
            if not binding.show or binding.action in seen or key == palette_key:
                continue
            seen.add(binding.action)
            shown.append((binding, active.enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and palette_key in active_bindings:
            active = active_bindings[palette_key]
            palette = (active.binding, active.enabled)
        return shown, palette

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y != 0:
            return Strip.blank(width, self.visual_style.rich_style)
        keys, self._keys_read = self._keys_read or self._keys_to_show(), None
        drawn = _drawn_from(*keys)
        line = self._lines.get((drawn, width))
        if line is None:
            if len(self._lines) >= 16:
                del self._lines[next(iter(self._lines))]
            text = self._line_text(*keys)
            line = self._lines[drawn, width] = DrawnLine(text_line(self, text), self._targets)
        self._drawn, self._targets = drawn, line.targets
        return line.strip

    def render(self) -> Text:
        # The line as Textual's own path would draw it (Widget.render_line): the bar draws
        # through render_line above, and test_text_line holds the two equal.
        return self._line_text(*self._keys_to_show())

    def _line_text(
        self, shown: list[tuple[Binding, bool]], palette: tuple[Binding, bool] | None
    ) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        description_style = self.get_component_rich_style("key-bar--description", partial=True)

        def labelled(binding: Binding, enabled: bool) -> tuple[str, Text]:
            drawn = Text.assemble(
                (f" {self.app.get_key_display(binding)} ", key_style),
                (f"{binding.description} ", description_style),
            )
            if not enabled:
                drawn.stylize("dim")
            return binding.key, drawn

        left_pairs: list[tuple[str, Text]] = []
        right_pairs: list[tuple[str, Text]] = []
        for binding, enabled in shown:
            side = right_pairs if binding.id in self.pinned else left_pairs
            side.append(labelled(binding, enabled))
        if palette is not None:
            right_pairs.append(labelled(*palette))
        width = self.size.width
        right_width = sum(pair.cell_len for _, pair in right_pairs)
        if right_width > width:  # not even the right group fits: plain left-to-right, cut
            left_pairs, right_pairs, right_width = left_pairs + right_pairs, [], 0
        room = width - right_width
        if sum(pair.cell_len for _, pair in left_pairs) > room:
            room -= 1  # for the "…" that says keys were left out

        line = Text(no_wrap=True, overflow="crop", end="")
        targets: list[tuple[int, int, str]] = []

        def add(key: str, pair: Text) -> None:
            targets.append((line.cell_len, line.cell_len + pair.cell_len, key))
            line.append_text(pair)

        for key, pair in left_pairs:
            if line.cell_len + pair.cell_len > room:
                line.append("…", style=description_style)
                break
            add(key, pair)
        if right_pairs:
            line.append(" " * (width - right_width - line.cell_len))
            for key, pair in right_pairs:
                add(key, pair)
        self._targets = targets
        return line

    def on_click(self, event: events.Click) -> None:
        # As on Textual's Footer: clicking a key presses it.
        for first, end, key in self._targets:
            if first <= event.x < end:
                self.app.simulate_key(key)
                return


def _drawn_from(
    shown: list[tuple[Binding, bool]], palette: tuple[Binding, bool] | None
) -> tuple[object, ...]:
    """What the line shows, to compare: each key's binding, description, id and state."""
    return tuple(
        None if pair is None else (pair[0].key, pair[0].description, pair[0].id, pair[1])
        for pair in [*shown, palette]
    )
