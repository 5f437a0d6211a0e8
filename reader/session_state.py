"""Where the reader was: each pane's article, cursor, scroll and folding, the focused pane, the
theme. Saved when the app closes, read when it starts, so the next session opens where this one
ended. A state file that cannot be read is reported in one line and ignored: it is a comfort,
never a reason not to start.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

from annotations.atomic import write_atomically

VERSION = 1


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
    return SessionState(tuple(_pane_of(pane) for pane in panes), focused, theme)


def _pane_of(data: Any) -> PaneState:
    if not isinstance(data, dict):
        raise ValueError("a pane is not an object")
    pane = PaneState(
        str(data["article_sha256"]),
        str(data["article_id"]),
        int(data["cursor_offset"]),
        int(data["scroll_y"]),
        bool(data["show_chrome"]),
    )
    if pane.cursor_offset < 0 or pane.scroll_y < 0:
        raise ValueError("negative offset")
    return pane
