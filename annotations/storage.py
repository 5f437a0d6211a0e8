"""A TinyDB storage that never leaves a half-written or overwritten-when-corrupt file.

TinyDB's JSONStorage rewrites the file in place, so a crash mid-write truncates the user's
annotations. Here every write goes to a temporary file in the same directory (so the rename
stays on one filesystem), is fsynced, and replaces the old file in one ``os.replace``.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from tinydb import Storage

from annotations.errors import CorruptDatabaseError

__all__ = ["AtomicJSONStorage", "CorruptDatabaseError"]


class AtomicJSONStorage(Storage):
    """JSON file storage with atomic replace; opening does not create the file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw:
            return None
        try:
            # "utf-8-sig": a database saved by an editor that adds a byte-order mark still opens.
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise CorruptDatabaseError(self.path, f"not UTF-8: {error.reason}") from error
        except json.JSONDecodeError as error:
            detail = f"{error.msg}: line {error.lineno} column {error.colno}"
            raise CorruptDatabaseError(self.path, detail) from error
        except RecursionError as error:
            raise CorruptDatabaseError(self.path, "nested too deeply") from error
        # TinyDB expects {table name: {doc id: document}}; anything else would fail later,
        # somewhere less helpful, or be written back in a mangled form.
        if not isinstance(data, dict):
            raise CorruptDatabaseError(
                self.path, f"top level is a {_json_type(data)}, not an object"
            )
        for name, table in data.items():
            if not isinstance(table, dict):
                raise CorruptDatabaseError(
                    self.path, f"table {name!r} is a {_json_type(table)}, not an object"
                )
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
        # Replace the file a symlink points to, not the link: renaming over the link would turn
        # it into a plain file and leave the user's real database behind, stale.
        target = Path(os.path.realpath(self.path))
        directory = target.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as temp:
                temp.write(payload)
                temp.flush()
                os.fsync(temp.fileno())
            _copy_mode(target, temp_name)
            os.replace(temp_name, target)
            _fsync_directory(directory)
        except BaseException:
            # After a successful replace the temp name is gone; that is not an error.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp_name)
            raise

    def close(self) -> None:
        # No handle is kept open between reads and writes.
        pass


def _copy_mode(source: Path, target: str) -> None:
    # mkstemp makes 0600 files; keep whatever mode the user gave the existing database.
    # A new database stays 0600: annotations are private working notes.
    with contextlib.suppress(FileNotFoundError):
        os.chmod(target, stat.S_IMODE(source.stat().st_mode))


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable. Directories cannot be opened this way on Windows.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _json_type(value: object) -> str:
    names = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
