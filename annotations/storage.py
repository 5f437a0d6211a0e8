"""The snapshot file: a TinyDB JSON database, written one document per line.

The file the user names is what TinyDB's own ``JSONStorage`` reads: ``{table: {doc id:
document}}``. We write it in a layout that is still exactly that JSON, but with each document on a
line of its own::

    {
    "_meta": {
    "1": {"format": 2, ...}
    },
    "annotations": {
    "1": {...},
    "2": {...}
    }
    }

so that it can be read a line at a time: at 100,000 annotations, parsing the file whole holds
every document as a dict at once (about 380 MB and 0.7 s), line by line each dict lives only
until its record is built (about 150 MB). A file in any other layout (written by TinyDB itself,
or by the first version of this program) is parsed whole; the result is the same.

orjson, not json: it parses and writes this file several times faster, and writes UTF-8 as is.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from annotations.atomic import write_atomically
from annotations.errors import CorruptDatabaseError, StoreError

__all__ = [
    "SnapshotLayoutError",
    "first_document",
    "iter_snapshot",
    "open_regular_file",
    "read_snapshot",
    "write_snapshot",
]

# A table as read: (doc id as written, document) in file order. Documents are raw JSON values;
# turning them into records, and reporting those that are not, is the caller's business.
RawTable = list[tuple[str, Any]]
_BOM = b"\xef\xbb\xbf"


def write_snapshot(path: Path, tables: Mapping[str, Iterable[Any]]) -> None:
    """Atomically replace ``path`` with these tables; documents are numbered from 1."""
    write_atomically(path, _snapshot_lines(tables))


def _snapshot_lines(tables: Mapping[str, Iterable[Any]]) -> Iterator[bytes]:
    yield b"{\n"
    names = list(tables)
    for table_index, name in enumerate(names):
        yield orjson.dumps(name) + b": {\n"
        previous: bytes | None = None
        for doc_id, document in enumerate(tables[name], start=1):
            if previous is not None:
                yield previous + b",\n"
            previous = b'"%d": ' % doc_id + orjson.dumps(document)
        if previous is not None:
            yield previous + b"\n"
        yield b"},\n" if table_index < len(names) - 1 else b"}\n"
    yield b"}\n"


class SnapshotLayoutError(Exception):
    """The file left our one-document-per-line layout part way: read it whole instead."""


# (table, doc id, document); each table starts with (table, None, None), so that empty tables
# are seen too.
SnapshotItem = tuple[str, str | None, Any]


def iter_snapshot(path: Path, *, whole: bool = False) -> Iterator[SnapshotItem]:
    """The snapshot's documents in file order, one at a time (nothing if there is no file).

    In our layout each document is parsed as it is reached, so only one dict at a time is
    alive; a file in another layout (or with ``whole``) is parsed at once. SnapshotLayoutError
    if the file leaves our layout after documents were already yielded: start again with
    ``whole=True``. CorruptDatabaseError if it is not a TinyDB JSON file; StoreError if it is
    not a regular file.
    """
    try:
        file = open_regular_file(path)
    except FileNotFoundError:
        return
    with file:
        # A database saved by an editor that adds a byte-order mark still opens.
        start = len(_BOM) if file.read(len(_BOM)) == _BOM else 0
        file.seek(start)
        if not whole and file.readline() == b"{\n":
            yielded = False
            try:
                for item in _iter_lines(file):
                    yielded = True
                    yield item
                return
            except SnapshotLayoutError:
                if yielded:
                    raise
        file.seek(start)
        data = file.read()
    if not data.strip():
        return
    for name, documents in _parse_whole(path, data).items():
        yield name, None, None
        for doc_id, document in documents:
            yield name, doc_id, document


def first_document(path: Path, table: str) -> Any:
    """The first document of the snapshot's first table if that table is `table` (the _meta
    table, say), read without reading the rest; None if there is none, or the file is not in
    our layout (which only a whole read can tell)."""
    try:
        file = open_regular_file(path)
    except FileNotFoundError:
        return None
    with file:
        start = len(_BOM) if file.read(len(_BOM)) == _BOM else 0
        file.seek(start)
        if file.readline() != b"{\n":
            return None
        try:
            for name, doc_id, document in _iter_lines(file):
                if name != table:
                    return None
                if doc_id is not None:
                    return document
        except SnapshotLayoutError:
            return None
    return None


def read_snapshot(path: Path) -> dict[str, RawTable] | None:
    """The whole snapshot as tables, or None if there is no file (or it is empty)."""
    for whole in (False, True):
        tables: dict[str, RawTable] = {}
        try:
            for name, doc_id, document in iter_snapshot(path, whole=whole):
                table = tables.setdefault(name, [])
                if doc_id is not None:
                    table.append((doc_id, document))
        except SnapshotLayoutError:
            continue
        return tables or None
    raise AssertionError("a whole read never raises SnapshotLayoutError")


def _iter_lines(file: BinaryIO) -> Iterator[SnapshotItem]:
    """Our one-document-per-line layout, checked strictly as it is read."""
    loads = orjson.loads
    names: set[str] = set()
    table: str | None = None
    table_has_documents = False
    closed = False
    last_line_had_comma = True
    for line in file:
        if closed:
            raise SnapshotLayoutError  # anything after the closing brace
        if table is None:
            if line == b"}\n" and (not names or not last_line_had_comma):
                closed = True
                continue
            if not last_line_had_comma or not line.endswith(b": {\n"):
                raise SnapshotLayoutError
            try:
                name = loads(line[:-4])
            except orjson.JSONDecodeError:
                raise SnapshotLayoutError from None
            if not isinstance(name, str) or name in names:
                raise SnapshotLayoutError
            names.add(name)
            table, table_has_documents = name, False
            yield name, None, None
            continue
        if line in (b"},\n", b"}\n"):
            if table_has_documents and last_line_had_comma:
                raise SnapshotLayoutError  # a trailing comma after the last document
            table = None
            last_line_had_comma = line == b"},\n"
            continue
        if not last_line_had_comma or not line.startswith(b'"'):
            raise SnapshotLayoutError
        colon = line.find(b'": ', 1)
        key = line[1:colon]
        if colon < 0 or not key.isdigit():
            raise SnapshotLayoutError
        last_line_had_comma = line.endswith(b",\n")
        try:
            document = loads(line[colon + 3 : -2 if last_line_had_comma else -1])
        except orjson.JSONDecodeError:
            raise SnapshotLayoutError from None
        table_has_documents = True
        yield table, key.decode("ascii"), document
    if not closed:
        raise SnapshotLayoutError


def _parse_whole(path: Path, data: bytes) -> dict[str, RawTable]:
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        detail = f"{error.msg}: line {error.lineno} column {error.colno}"
        raise CorruptDatabaseError(path, detail) from error
    # TinyDB expects {table name: {doc id: document}}; anything else would fail later,
    # somewhere less helpful, or be written back in a mangled form.
    if not isinstance(parsed, dict):
        raise CorruptDatabaseError(path, f"top level is a {_json_type(parsed)}, not an object")
    tables: dict[str, RawTable] = {}
    for name, table in parsed.items():
        if not isinstance(table, dict):
            raise CorruptDatabaseError(
                path, f"table {name!r} is a {_json_type(table)}, not an object"
            )
        tables[name] = list(table.items())
    return tables


def open_regular_file(path: Path) -> BinaryIO:
    """Open for reading without hanging on a FIFO; StoreError if it is not a regular file."""
    # O_NONBLOCK: opening a named pipe for reading would otherwise wait for a writer forever.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise StoreError(f"{path} is {describe_file_type(mode)}, not an annotation database")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def describe_file_type(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _json_type(value: object) -> str:
    names = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
