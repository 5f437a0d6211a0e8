"""Every action in the command palette (ctrl+p), from the bindings in force, like help: anything
a key does can be found by name and run without remembering the key.

`live_actions` is shared with the help screen, so the palette and help list the same actions,
grouped the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.keys import Keys
from textual.screen import Screen

from reader.literal import display_text

# What a binding does, from the prefix of its id ("sentence.next" moves); help has a heading per
# group and the palette shows it beside each command.
GROUPS: dict[str, str] = {
    "sentence": "Move",
    "word": "Move",
    "select": "Select",
    "tag": "Annotate",
    "note": "Annotate",
    "copy": "Annotate",
    "annotation": "Annotations",
    "search": "Search",
    "entities": "Entities",
    "pane": "Panes and articles",
    "chrome": "View",
    "app": "App",
}
OTHER = "Other"
GROUP_ORDER = (
    "Move",
    "Select",
    "Annotate",
    "Annotations",
    "Search",
    "Entities",
    "Panes and articles",
    "View",
    OTHER,
    "App",
)
# Textual's screen-wide copy works on Textual's own mouse selection, which the article views do
# not use (they draw their own; `y` copies it): listing it would promise what does nothing.
HIDDEN_ACTIONS = frozenset({"screen.copy_text"})
# Bindings Textual adds itself, without an id: where they belong and what to call them.
TEXTUAL_OWN: dict[str, tuple[str, str]] = {
    "command_palette": ("App", "Command palette"),
    "quit": ("App", "Quit"),
}
# Not offered in the palette: it is the palette.
NOT_IN_PALETTE = frozenset({"command_palette", "app.command_palette"})


def group_of(binding_id: str | None) -> str:
    prefix = (binding_id or "").split(".", 1)[0]
    return GROUPS.get(prefix, OTHER)


@dataclass(frozen=True)
class LiveAction:
    """One described action in force on a screen, with every key that does it."""

    group: str
    description: str
    keys: tuple[str, ...]  # as the footer shows them ("j", "↓")
    action: str
    node: DOMNode  # where its key runs it: the focused widget, an ancestor, the screen, the app
    enabled: bool

    @property
    def keys_shown(self) -> str:
        return ", ".join(self.keys)

    @property
    def label(self) -> str:
        # Descriptions of label keys are names from the user's configuration: shown literally.
        return display_text(f"{self.description}  ({self.keys_shown})")


_NAMED_KEYS = frozenset(key.value for key in Keys)  # up, home, enter, shift+right, ...


def _is_character(key: str) -> bool:
    return "+" not in key and key not in _NAMED_KEYS


def live_actions(screen: Screen[Any]) -> list[LiveAction]:
    """Every described binding active on `screen`, one entry per (description, action) with all
    its keys (letters first: "j, ↓"), in GROUP_ORDER; within a group the bindings' own order (the
    focused widget's first, as its keys win)."""
    found: dict[tuple[str, str], LiveAction] = {}
    bindings = screen.active_bindings
    # Character keys first: a widget's named keys (up, home) come first in Textual's map when a
    # base class also binds them, which would put "Previous sentence" before "Next sentence".
    for key in sorted(bindings, key=lambda key: not _is_character(key)):
        active = bindings[key]
        binding = active.binding
        if not binding.description or binding.action in HIDDEN_ACTIONS:
            continue
        group, description = group_of(binding.id), binding.description
        if binding.id is None and binding.action in TEXTUAL_OWN:
            group, description = TEXTUAL_OWN[binding.action]
        shown = screen.app.get_key_display(binding)
        entry = found.get((description, binding.action))
        if entry is None:
            entry = LiveAction(group, description, (), binding.action, active.node, active.enabled)
        elif entry.group == OTHER and group != OTHER:
            # Textual's ctrl+q has no id; our q for the same action says where it belongs.
            entry = replace(entry, group=group)
        if shown not in entry.keys:
            entry = replace(entry, keys=(*entry.keys, shown))
        found[(description, binding.action)] = entry
    order = {group: index for index, group in enumerate(GROUP_ORDER)}
    # sorted() is stable: each group keeps the bindings' order.
    return sorted(found.values(), key=lambda entry: order[entry.group])


def highlighted(matcher: Matcher, text: str) -> Content:
    """`text` literally, the letters the query matched styled. Textual's `Matcher.highlight`
    parses its argument as markup, and a configured label's name is the user's text."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class BindingCommands(Provider):
    """One command per action a key does on the screen under the palette, labelled with its
    keys ("Site chrome  (f)"), run on the widget that holds the binding, as its key would."""

    def _runner(self, entry: LiveAction) -> Callable[[], Coroutine[Any, Any, None]]:
        async def run() -> None:
            await self.app.run_action(entry.action, entry.node)

        return run

    def _commands(self) -> list[LiveAction]:
        # A disabled binding (check_action said None) would do nothing here: not offered.
        return [
            entry
            for entry in live_actions(self.screen)
            if entry.enabled and entry.action not in NOT_IN_PALETTE
        ]

    async def discover(self) -> Hits:
        for entry in self._commands():
            yield DiscoveryHit(
                Content(entry.label), self._runner(entry), text=entry.label, help=entry.group
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._commands():
            score = matcher.match(entry.label)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, entry.label),
                    self._runner(entry),
                    text=entry.label,
                    help=entry.group,
                )
