"""The open-time cache: the records of the last compacted snapshot, ready to use.

Parsing a snapshot of 100,000 annotations (JSON, then checking every record) takes over a second;
loading the same records from this cache takes a fraction of that. It is written beside the
snapshot at each compaction (``annotations.json.cache``) and used only if it was made from the
snapshot now on disk: same inode, size and modification time, same journal generation. Anything
else (no cache, an old one, a damaged one: a CRC guards the payload) and the snapshot is parsed as
usual. The cache is never the record of anything: deleting it loses nothing.

marshal, not pickle or JSON: it loads tuples of strings and numbers at C speed and runs no code.
Its format may change between Python versions, so the version is part of the header.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from annotations.atomic import write_atomically
from annotations.errors import StoreError
from annotations.storage import open_regular_file

CACHE_SUFFIX = ".cache"
_MAGIC = b"news-reader cache 1 py%d.%d\n" % sys.version_info[:2]


class Cached(NamedTuple):
    meta: dict[str, Any]
    tables: dict[str, list[Any]]  # rows (RecordKind.to_row) or dumped records, per table
    unreadable: dict[str, list[tuple[str, str, Any, str]]]  # (key, place, raw, problem)


def _identity(snapshot: Path) -> tuple[int, int, int, int]:
    st = os.stat(snapshot)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def write_cache(
    path: Path,
    snapshot: Path,
    meta: dict[str, Any],
    tables: dict[str, list[Any]],
    unreadable: dict[str, list[tuple[str, str, Any, str]]],
) -> None:
    """Write the cache of ``snapshot`` (just written); OSError or ValueError if it cannot be."""
    payload = marshal.dumps(
        {
            "snapshot": _identity(snapshot),
            "meta": meta,
            "tables": tables,
            "unreadable": unreadable,
        }
    )
    header = _MAGIC + zlib.crc32(payload).to_bytes(4, "big") + len(payload).to_bytes(8, "big")
    write_atomically(path, [header, payload])


def read_cache(path: Path, snapshot: Path) -> Cached | None:
    """The cache, if it was made from the snapshot as it is now; else None (never raises)."""
    try:
        with open_regular_file(path) as file:
            data = file.read()
        identity = _identity(snapshot)
    except (OSError, StoreError):
        return None
    header_size = len(_MAGIC) + 12
    if not data.startswith(_MAGIC) or len(data) < header_size:
        return None
    crc = int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 4], "big")
    size = int.from_bytes(data[len(_MAGIC) + 4 : header_size], "big")
    payload = memoryview(data)[header_size:]
    if len(payload) != size or zlib.crc32(payload) != crc:
        return None
    try:
        content = marshal.loads(payload)
        if tuple(content["snapshot"]) != identity:
            return None
        return Cached(content["meta"], content["tables"], content["unreadable"])
    except (EOFError, ValueError, TypeError, KeyError):
        return None
