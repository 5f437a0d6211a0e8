"""Every action in the command palette (ctrl+p): built from the bindings in force, like help,
so anything a key does can be found by name and run without remembering the key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from reader.screens.help_screen import HIDDEN_ACTIONS, group_of


def binding_commands(app: App[Any], screen: Screen[object]) -> Iterator[SystemCommand]:
    """One palette command per described binding active on `screen` (the one under the
    palette), run on the widget that holds it, as its key would."""
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        binding, node = active.binding, active.node
        if not binding.description or binding.action in HIDDEN_ACTIONS:
            continue
        if (binding.description, binding.action) in seen:
            continue
        seen.add((binding.description, binding.action))
        key = app.get_key_display(binding)

        def run(action: str = binding.action, target: object = node) -> None:
            app.call_next(app.run_action, action, target)

        yield SystemCommand(
            binding.description,
            f"{group_of(binding.id)} · key {key}",
            run,
        )
