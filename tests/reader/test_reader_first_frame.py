"""The first frame the terminal receives is the whole screen: pane borders and titles come with
the article text, not in a later frame.

Textual dispatches the App's Mount event inside a batch update, so a screen pushed from
`on_mount` was laid out and rendered there and that frame dropped; only widgets that change
later got repainted, and the borders and titles waited for the next full layout (80-280 ms).
The reader screen is now the app's first screen (`get_default_screen`), drawn whole by its first
layout. Headless tests never write frames, so this runs the real `reader` in a pseudo-terminal
and reads what it writes.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROWS, COLUMNS = 45, 160
TITLE = b"The Telegraph"  # the first pane's border title (outlet · headline)
BODY = b"Vladimir Putin sought to intervene"  # the first pane's first body sentence
# Synchronized output (DECRQM 2026): answered as a terminal that has it would.
SYNC_QUERY, SYNC_REPLY = b"\x1b[?2026$p", b"\x1b[?2026;2$y"


def read_until_both(tmp_path: Path, deadline_seconds: float = 60.0) -> bytes:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        # Textual takes the size from these before asking the terminal; pytest may set them.
        "COLUMNS": str(COLUMNS),
        "LINES": str(ROWS),
        "READER_DB": str(tmp_path / "annotations.json"),
        "READER_STATE": str(tmp_path / "state.json"),
        "READER_CACHE_DIR": str(tmp_path / "cache"),
        "READER_CONFIG_DIR": str(tmp_path / "config"),
        "READER_EXPORT_DIR": str(tmp_path / "exports"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "reader"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    os.close(slave)
    received = bytearray()
    try:
        deadline = time.monotonic() + deadline_seconds
        while time.monotonic() < deadline and not (TITLE in received and BODY in received):
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            received += chunk
            if SYNC_QUERY in chunk:
                os.write(master, SYNC_REPLY)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        os.close(master)
    return bytes(received)


def test_the_first_frame_with_text_also_has_the_pane_titles(tmp_path: Path) -> None:
    received = read_until_both(tmp_path)
    assert BODY in received, received[-400:]
    assert TITLE in received, received[-400:]
    # A whole-screen frame draws the top border (with the title) before the text rows below it;
    # text painted alone, before any full frame, comes first.
    assert received.index(TITLE) < received.index(BODY)
