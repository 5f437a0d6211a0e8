"""SnapshotStorage: TinyDB's own API over the snapshot file (see annotations.storage).

A module of its own so that the app, which reads and writes the snapshot itself, does not import
TinyDB at start-up; scripts that want TinyDB's queries import it from here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from tinydb import Storage

from annotations.atomic import write_atomically
from annotations.storage import read_snapshot

__all__ = ["SnapshotStorage"]


class SnapshotStorage(Storage):
    """A TinyDB storage for the snapshot, for scripts that want TinyDB's own query API.

    ``TinyDB(path, storage=SnapshotStorage)`` reads what was last compacted into the file
    (`AnnotationStore` and `Database` also read the journal beside it) and writes atomically.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__()
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        tables = read_snapshot(self.path)
        if tables is None:
            return None
        return {name: dict(documents) for name, documents in tables.items()}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        # TinyDB's own doc ids are kept (it hands them back as keys), unlike write_snapshot's.
        write_atomically(self.path, [orjson.dumps(data)])

    def close(self) -> None:
        pass
