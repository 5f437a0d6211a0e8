"""When the user last pressed a key, used the mouse or resized the terminal.

Work that can wait (a long article's background layout, its sentences) waits until the user
pauses, so that it never stands between a key and the frame that answers it. A slice of that
work is a few milliseconds; one that started just before a key delayed the key's frame by as
much (a third of the `f` presses on a 5 MB article, nearly every resize of it), and keys
pressed in a row or held down are when a delay shows most.

One clock per process: there is one terminal, and the app is its only reader.
"""

from __future__ import annotations

import time

# How long after the last input waiting work stays waiting. Keys pressed in a row, or a
# key held down (30-40 a second), come closer together than this; a reader's pauses to read
# are longer.
QUIET_SECONDS = 0.05

_last_input = float("-inf")


def note_input() -> None:
    global _last_input
    _last_input = time.monotonic()


def user_is_active() -> bool:
    """Whether the user gave input within the last `QUIET_SECONDS`."""
    return time.monotonic() - _last_input < QUIET_SECONDS
