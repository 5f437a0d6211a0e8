"""Opt-in timing marks for benchmarks/: a no-op unless READER_TRACE_FILE names a file.

Each mark is written once, as "<name> <time.time()>", so a benchmark that started the process
can compute launch-to-event times with the same clock.
"""

from __future__ import annotations

import os
import time

TRACE_ENV = "READER_TRACE_FILE"
_path = os.environ.get(TRACE_ENV)
_seen: set[str] = set()


def mark(name: str) -> None:
    if _path is None or name in _seen:
        return
    _seen.add(name)
    try:
        with open(_path, "a", encoding="utf-8") as handle:
            handle.write(f"{name} {time.time():.6f}\n")
    except OSError:
        pass
