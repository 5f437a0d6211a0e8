"""Where the reader was: each pane's article, cursor, scroll and folding, the focused pane, the
theme. Saved when the app closes (and when a theme is chosen), read when it starts, so the next
session opens where this one ended. A state file that cannot be read is reported in one line and
ignored: it is a comfort, never a reason not to start.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import orjson

from annotations.atomic import write_atomically

VERSION = 1

T = TypeVar("T")


@dataclass(frozen=True)
class PaneState:
    article_sha256: str  # found again by text first: a moved file is the same article
    article_id: str
    cursor_offset: int
    scroll_y: int
    show_chrome: bool


@dataclass(frozen=True)
class SessionState:
    panes: tuple[PaneState, ...]
    focused_pane: int
    theme: str | None
    version: int = VERSION
    # Entity highlights (reader.entity_highlights); absent from files written before them.
    hidden_entity_types: tuple[str, ...] = ()
    entities_hidden: bool = False
    highlighted_entity: str | None = None


def load_state(path: Path) -> tuple[SessionState | None, str | None]:
    """The saved state, or None and (unless the file is simply absent) what was wrong."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as error:
        return None, f"{path}: cannot be read ({error.strerror}); starting afresh"
    try:
        return _state_of(orjson.loads(raw)), None
    except (orjson.JSONDecodeError, TypeError, ValueError, KeyError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, f"{path}: not a reader state file ({reason}); starting afresh"


def save_state(path: Path, state: SessionState) -> None:
    """Write the state atomically (OSError if it cannot be written)."""
    data = orjson.dumps(asdict(state), option=orjson.OPT_INDENT_2)
    write_atomically(path, [data])


def _state_of(data: Any) -> SessionState:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError("unknown version")
    panes = data["panes"]
    if not isinstance(panes, list):
        raise ValueError("panes is not a list")
    theme = data.get("theme")
    focused = data["focused_pane"]
    if not isinstance(focused, int) or (theme is not None and not isinstance(theme, str)):
        raise ValueError("bad focused_pane or theme")
    hidden = data.get("hidden_entity_types", [])
    if not isinstance(hidden, list) or not all(isinstance(label, str) for label in hidden):
        raise ValueError("hidden_entity_types is not a list of names")
    entities_hidden = data.get("entities_hidden", False)
    highlighted = data.get("highlighted_entity")
    if not isinstance(entities_hidden, bool) or not isinstance(highlighted, str | None):
        raise ValueError("bad entities_hidden or highlighted_entity")
    return SessionState(
        tuple(_pane_of(pane) for pane in panes),
        focused,
        theme,
        hidden_entity_types=tuple(hidden),
        entities_hidden=entities_hidden,
        highlighted_entity=highlighted,
    )


def _pane_of(data: Any) -> PaneState:
    if not isinstance(data, dict):
        raise ValueError("a pane is not an object")
    pane = PaneState(
        _typed(data, "article_sha256", str),
        _typed(data, "article_id", str),
        _typed(data, "cursor_offset", int),
        _typed(data, "scroll_y", int),
        _typed(data, "show_chrome", bool),
    )
    if pane.cursor_offset < 0 or pane.scroll_y < 0:
        raise ValueError("negative offset")
    return pane


def _typed(data: dict[str, Any], key: str, kind: type[T]) -> T:
    value = data[key]
    # bool is an int to Python, and an offset of `true` is as wrong as a `show_chrome` of 1.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"{key} is not {kind.__name__}")
    return value
