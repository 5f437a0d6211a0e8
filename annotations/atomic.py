"""One way to replace a file so that a crash leaves either the old file or the new one, whole.

Used for the database snapshot, the journal's header, and exports. The data goes to a temporary
file in the same directory (so the rename stays on one filesystem), is fsynced, takes the old
file's mode, replaces the old file in one ``os.replace``, and the directory is fsynced so the
rename itself survives a power cut. A symlink stays a link: the file it points to is replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

# Left behind only by a process killed between mkstemp and os.replace; see leftover_temp_files.
TEMP_SUFFIX = ".tmp"


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def write_atomically(path: Path, chunks: Iterable[bytes], *, new_mode: int = 0o600) -> None:
    """Replace ``path`` with the bytes of ``chunks``; OSError leaves the old file untouched.

    A new file gets ``new_mode``; an existing one keeps its mode.
    """
    target = Path(os.path.realpath(path))
    directory = target.parent
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=directory, prefix=temp_prefix(target), suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as temp:
            for chunk in chunks:
                temp.write(chunk)
            temp.flush()
            os.fsync(temp.fileno())
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = new_mode
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
        fsync_directory(directory)
    except BaseException:
        # After a successful replace the temp name is gone; that is not an error.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable (a no-op where not supported)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def leftover_temp_files(target: Path) -> list[Path]:
    """Temporary files an interrupted `write_atomically(target, ...)` left behind."""
    prefix = temp_prefix(target)
    try:
        with os.scandir(target.parent) as entries:
            return [
                Path(entry.path)
                for entry in entries
                if entry.name.startswith(prefix)
                and entry.name.endswith(TEMP_SUFFIX)
                and entry.is_file(follow_symlinks=False)
            ]
    except OSError:
        return []
