"""Database: tables of typed records in a TinyDB file, with an append-only journal beside it.

Three files share the name the user gives (``annotations.json``):

- ``annotations.json``: the snapshot, a TinyDB JSON database (see annotations.storage). Its
  ``_meta`` table names the journal generation that continues it.
- ``annotations.json.journal``: one JSON line per committed transaction, after a header line
  naming its generation. A save appends one line and fsyncs it, so its cost does not grow with
  the database. `compact` folds the journal into a new snapshot and starts a new journal.
- ``annotations.json.lock``: a cross-process lock (filelock), held for each commit and
  compaction. Under it a process first reads what others appended, then checks that the records
  its transaction expects are still as it saw them, then appends.

A crash at any moment leaves either a complete journal line or a torn last line, which the next
process that takes the lock drops (with a notice). Compaction replaces the snapshot, then the
journal, each atomically; a journal whose generation the snapshot records as absorbed is ignored,
so a crash between the two steps loses nothing. docs/STORE.md has the whole design.

Records are kept in memory, one dict per table keyed by id. A record this version cannot read is
reported with its place and kept verbatim: it is written back as it was at every compaction.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import stat
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, NamedTuple, Self, TypeVar

import orjson

from annotations.atomic import leftover_temp_files, temp_prefix, write_atomically
from annotations.cache import CACHE_SUFFIX, read_cache, write_cache
from annotations.errors import (
    BusyDatabaseError,
    ConflictError,
    CorruptDatabaseError,
    ReadOnlyDatabaseError,
    StoreError,
)
from annotations.storage import (
    RawTable,
    SnapshotItem,
    SnapshotLayoutError,
    describe_file_type,
    first_document,
    iter_snapshot,
    open_regular_file,
    read_snapshot,
    write_snapshot,
)

if TYPE_CHECKING:
    import filelock

FORMAT = 2
META_TABLE = "_meta"
JOURNAL_SUFFIX = ".journal"
LOCK_SUFFIX = ".lock"
# Long enough to wait out a compaction of a very large database by another process.
LOCK_TIMEOUT = 30.0
# Fold the journal into the snapshot on close when it has grown past this share of the snapshot
# (or the snapshot is small enough that rewriting it costs nothing noticeable).
COMPACT_RATIO = 0.25
SMALL_SNAPSHOT = 1 << 20
CLOSE_LOCK_TIMEOUT = 1.0
# Below this size a snapshot parses in a few milliseconds: no open-time cache is kept for it.
CACHE_MIN_BYTES = 256 << 10

R = TypeVar("R")


class RecordKind(NamedTuple, Generic[R]):
    """How one table's records are stored: a new kind of record is one of these and a class."""

    table: str
    parse: Callable[[Any], R]  # raises ValueError (InvalidRecordError) for a bad record
    dump: Callable[[R], dict[str, Any]]
    key: Callable[[R], str]
    # Optional: the record as a plain tuple and back, for the open-time cache (see
    # annotations.cache); without them the cache keeps dumped records and parses them again.
    to_row: Callable[[R], tuple[Any, ...]] | None = None
    from_row: Callable[[tuple[Any, ...]], R] | None = None


class Unreadable(NamedTuple):
    """A stored document this version cannot read, kept verbatim."""

    place: str
    raw: Any
    problem: str


class Op(NamedTuple):
    """One record put (``new``) or removed (``new`` None), expecting ``old`` to be current."""

    kind: RecordKind[Any]
    key: str
    new: Any
    old: Any


class Applied(NamedTuple):
    """A record changed in memory: by this process's commit or taken in from another's."""

    table: str
    old: Any
    new: Any


class Refresh:
    """What `Database.refresh` took in from other processes."""

    __slots__ = ("changes", "reloaded")

    def __init__(self) -> None:
        self.changes: list[Applied] = []
        self.reloaded = False  # everything was read again (the journal was replaced unseen)

    def __repr__(self) -> str:
        return f"Refresh(changes={self.changes!r}, reloaded={self.reloaded!r})"

    def __bool__(self) -> bool:
        return self.reloaded or bool(self.changes)


class Transaction:
    """Edits that are saved together, as one journal line, or not at all."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._ops: dict[tuple[str, str], Op] = {}

    def add(self, kind: RecordKind[R], record: R) -> None:
        key = kind.key(record)
        if self._current(kind, key) is not None:
            raise ValueError(f"{kind.table} record {key} is already stored")
        self._put(kind, key, record)

    def update(self, kind: RecordKind[R], record: R) -> None:
        key = kind.key(record)
        if self._current(kind, key) is None:
            raise KeyError(key)
        self._put(kind, key, record)

    def remove(self, kind: RecordKind[R], key: str) -> None:
        if self._current(kind, key) is None:
            raise KeyError(key)
        self._put(kind, key, None)

    @property
    def ops(self) -> list[Op]:
        return list(self._ops.values())

    def _current(self, kind: RecordKind[Any], key: str) -> Any:
        op = self._ops.get((kind.table, key))
        return op.new if op is not None else self._database.get(kind, key)

    def _put(self, kind: RecordKind[Any], key: str, new: Any) -> None:
        earlier = self._ops.get((kind.table, key))
        old = earlier.old if earlier is not None else self._database.get(kind, key)
        self._ops[(kind.table, key)] = Op(kind, key, new, old)


class Database:
    """Typed records in tables; every commit is durable and atomic when it returns.

    Opening never writes, except to upgrade a database of the first version (kept as a backup
    beside it) or to drop a torn last journal line. Raises StoreError (one line, fit to show) for
    a path that cannot be a database, CorruptDatabaseError for a damaged one.
    """

    def __init__(
        self,
        path: Path,
        kinds: Sequence[RecordKind[Any]],
        *,
        lock_timeout: float = LOCK_TIMEOUT,
        legacy: Callable[[dict[str, RawTable]], dict[str, RawTable]] | None = None,
    ) -> None:
        self.path = Path(path)
        # Beside the real file, so that every link to one database shares one journal and lock.
        self._real = Path(os.path.realpath(self.path))
        self.journal_path = self._real.with_name(self._real.name + JOURNAL_SUFFIX)
        self.lock_path = self._real.with_name(self._real.name + LOCK_SUFFIX)
        self.cache_path = self._real.with_name(self._real.name + CACHE_SUFFIX)
        self._kinds = {kind.table: kind for kind in kinds}
        self._legacy = legacy
        self._lock_timeout = lock_timeout
        self.notices: list[str] = []  # one line each, for the user: what opening found
        self.read_only_reason = self._check_path()
        self._lock: filelock.FileLock | None = None  # made on first use: see _locked
        self._journal_fd: int | None = None
        # The journal we follow, held open: while we hold it, its inode number cannot be given
        # to a newer journal (ext4 hands a freed number straight back), so "same device and
        # inode" really means "same journal" (see _catch_up).
        self._journal_pin: BinaryIO | None = None
        self._closed = False
        self._reset()
        self._load()

    # -- reading ---------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def get(self, kind: RecordKind[R], key: str) -> R | None:
        return self._records[kind.table].get(key)

    def records(self, kind: RecordKind[R]) -> Mapping[str, R]:
        """Every readable record of the kind, by key (a live view: do not keep it)."""
        return self._records[kind.table]

    def unreadable(self) -> list[Unreadable]:
        """Stored documents this version cannot read, kept as they are."""
        return [item for table in self._unreadable.values() for item in table.values()]

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Collect edits, then commit them as one durable step when the block ends."""
        transaction = Transaction(self)
        yield transaction
        self.commit(transaction.ops)

    def commit(self, ops: Sequence[Op]) -> list[Applied]:
        """Append the ops as one journal line and apply them; all or nothing.

        ConflictError if another process changed a record since this one read it;
        ReadOnlyDatabaseError, BusyDatabaseError, or StoreError for a failed write.
        """
        self._check_open()
        if not ops:
            return []
        if self.read_only_reason is not None:
            raise ReadOnlyDatabaseError(self.path, self.read_only_reason)
        with self._locked():
            self._refresh_locked()
            for op in ops:
                current = self._records[op.kind.table].get(op.key)
                if current != op.old:
                    what = "removed" if current is None else "changed"
                    raise ConflictError(
                        f"not saved: another process {what} this {op.kind.table[:-1]} just now"
                    )
            self._ensure_journal()
            line = _encode_line(
                {
                    "txn": str(uuid.uuid4()),
                    "ops": [
                        {"put": op.kind.table, "record": op.kind.dump(op.new)}
                        if op.new is not None
                        else {"del": op.kind.table, "id": op.key}
                        for op in ops
                    ],
                }
            )
            self._append(line)
            return [self._apply(op.kind.table, op.key, op.new) for op in ops]

    def refresh(self) -> Refresh:
        """Take in what other processes saved since we last looked (no lock: never blocks)."""
        self._check_open()
        return self._catch_up(locked=False)

    def compact(self, *, lock_timeout: float | None = None) -> None:
        """Fold the journal into a new snapshot, which TinyDB alone can then read whole."""
        self._check_open()
        if self.read_only_reason is not None:
            raise ReadOnlyDatabaseError(self.path, self.read_only_reason)
        with self._locked(lock_timeout):
            self._refresh_locked()
            self._write_snapshot_and_journal()

    def close(self) -> None:
        """Close; compacts first when the journal has grown large against the snapshot."""
        if self._closed:
            return
        try:
            if self.read_only_reason is None and self._journal_worth_compacting():
                # Closing must not wait on another process's long save or compaction: if the
                # lock is not free at once, the journal is simply folded in another time.
                with contextlib.suppress(StoreError, OSError):
                    self.compact(lock_timeout=CLOSE_LOCK_TIMEOUT)
        finally:
            self._closed = True
            self._close_journal_fd()
            self._follow(None)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- what subclasses keep in step (indexes) --------------------------------------------

    def _indexed(self, table: str, old: Any, new: Any) -> None:
        """Called for every record put or removed in memory, after the table is updated."""

    def _index_reset(self) -> None:
        """Called when every record is about to be read again."""

    def _index_all(self) -> None:
        """Called once the snapshot's records are in, before the journal's are applied."""

    def check_creatable(self) -> None:
        """StoreError now, rather than at the first save, if a new database cannot be made here.

        Creates the missing folders of the path (the first save would) and a temporary file
        in the last one, removed at once: permissions alone do not tell (root, odd filesystems).
        """
        if self.read_only_reason is not None or self._real.exists():
            return
        try:
            self._real.parent.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self._real.parent, prefix=temp_prefix(self._real))
            os.close(fd)
            os.unlink(probe)
        except OSError as error:
            raise StoreError(f"cannot create {self.path}: {_reason(error)}") from error

    # -- internals: paths ------------------------------------------------------------------

    def _check_path(self) -> str | None:
        """StoreError for a path that can never be a database; else why it is read-only, if so."""
        for candidate in (self._real, self.journal_path):
            try:
                st = os.stat(candidate)
            except FileNotFoundError:
                continue
            except OSError as error:
                raise StoreError(
                    f"cannot use {candidate} as a database: {_reason(error)}"
                ) from error
            if not stat.S_ISREG(st.st_mode):
                raise StoreError(
                    f"{candidate} is {describe_file_type(st.st_mode)}, not an annotation database"
                )
            if not os.access(candidate, os.R_OK):
                raise StoreError(f"cannot read {candidate}: permission denied")
            # Mode bits, not only access(): as root everything is writable, but a file the user
            # made read-only (chmod a-w) says "do not change this" all the same.
            if not os.access(candidate, os.W_OK) or not st.st_mode & 0o222:
                return f"{candidate.name} is not writable"
        directory = self._existing_ancestor(self._real.parent)
        if not os.access(directory, os.W_OK | os.X_OK):
            if not self._real.exists():
                raise StoreError(f"cannot create {self.path}: folder {directory} is not writable")
            return f"folder {directory} is not writable"
        return None

    def _existing_ancestor(self, directory: Path) -> Path:
        for candidate in (directory, *directory.parents):
            try:
                st = os.stat(candidate)
            except FileNotFoundError:
                continue
            except OSError as error:
                raise StoreError(f"cannot create {self.path}: {_reason(error)}") from error
            if not stat.S_ISDIR(st.st_mode):
                raise StoreError(f"cannot create {self.path}: {candidate} is not a folder")
            return candidate
        raise StoreError(f"cannot create {self.path}: no folder of its path exists")

    # -- internals: loading ----------------------------------------------------------------

    def _reset(self) -> None:
        self._follow(None)
        self._records: dict[str, dict[str, Any]] = {table: {} for table in self._kinds}
        self._unreadable: dict[str, dict[str, Unreadable]] = {table: {} for table in self._kinds}
        self._other_tables: dict[str, RawTable] = {}  # tables of no known kind, kept verbatim
        self._generation: str | None = None  # of the journal that continues our snapshot
        self._journal_ident: tuple[int, int] | None = None  # (device, inode) we have read
        self._offset = 0  # bytes of that journal taken in
        self._line_number = 0  # its lines taken in, for messages
        self._snapshot_size = 0

    def _load(self) -> None:
        """Read snapshot and journal; retried when a compaction by another process interleaves."""
        # Without the lock first (a reader never blocks writers); when compactions by other
        # processes keep replacing the files under us, under the lock, which holds them still.
        if not any(self._load_attempt() for _ in range(3)):
            if self.read_only_reason is None:
                with self._locked():
                    loaded = self._load_attempt()
            else:
                loaded = False
                for _ in range(40):  # read-only: no lock to take, so wait the compaction out
                    time.sleep(0.05)
                    if loaded := self._load_attempt():
                        break
            if not loaded:
                raise CorruptDatabaseError(
                    self.journal_path, f"it does not continue the snapshot {self._real.name}"
                )
        if self._has_torn_tail() and self.read_only_reason is None:
            with self._locked():
                self._refresh_locked()
        self._clean_leftovers()

    def _load_attempt(self) -> bool:
        self._reset()
        self._index_reset()
        # Opening creates hundreds of thousands of objects at 100,000 records, none of them
        # garbage: the cyclic collector would scan them all, again and again, for nothing.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._load_once()
        finally:
            if collecting:
                gc.enable()

    def _load_once(self) -> bool:
        # Snapshot first, then journal: a compaction replaces them in that order, so a journal
        # newer than the snapshot we read shows up as one that "follows" it (and we retry).
        meta: dict[str, Any] | None = None
        for whole in (False, True):
            try:
                meta = self._take_snapshot(whole=whole)
                break
            except SnapshotLayoutError:
                self._reset()
                self._index_reset()
        self._index_reset()
        self._index_all()
        if meta is not None:
            with contextlib.suppress(OSError):
                self._snapshot_size = os.stat(self._real).st_size
            self._generation = meta["journal"]
        found = self._read_header()
        if found is None:
            return True
        header, header_size, journal = found
        if meta is None:
            journal.close()
            raise CorruptDatabaseError(
                self.journal_path, f"there is a journal but no database {self._real.name}"
            )
        if header["journal"] == meta["journal"]:
            self._follow(journal)
            self._offset, self._line_number = header_size, 1
            self._catch_up(locked=False)
            return True
        journal.close()
        if header["journal"] == meta.get("absorbed"):
            # Already folded into the snapshot (a compaction was cut short, or is finishing
            # right now): nothing in it is new. The next commit starts the snapshot's journal.
            self._journal_ident, self._offset = None, 0
            return True
        return False

    def _take_snapshot(self, *, whole: bool) -> dict[str, Any] | None:
        """Take in the snapshot's records; its _meta document (None if there is no snapshot).

        Our snapshots start with their _meta table and are taken in a document at a time. Any
        other file (the first version's, or one TinyDB rewrote) is read whole, and upgraded.
        """
        if not whole:
            cached = self._take_cache()
            if cached is not None:
                return cached
        items = iter_snapshot(self._real, whole=whole)
        meta_documents: list[Any] = []
        for item in items:
            name, doc_id, document = item
            if name == META_TABLE:
                if doc_id is not None:
                    meta_documents.append(document)
                continue
            rest = itertools.chain([item], items)
            if meta_documents:
                meta = self._meta_of({META_TABLE: [("1", meta_documents[0])]})
                self._take_items(rest)
                return meta
            tables: dict[str, RawTable] = {}
            for name, doc_id, document in rest:
                table = tables.setdefault(name, [])
                if doc_id is not None:
                    table.append((doc_id, document))
            return self._take_whole(tables)
        if not meta_documents:
            return None  # no file, an empty file, or "{}"
        return self._meta_of({META_TABLE: [("1", meta_documents[0])]})

    def _take_cache(self) -> dict[str, Any] | None:
        """The snapshot's records from the open-time cache, if it is the snapshot's; its meta."""
        cached = read_cache(self.cache_path, self._real)
        if cached is None:
            return None
        # The cache names the snapshot by inode, size and modification time. A crash between a
        # snapshot and its cache, and a later snapshot with a recycled inode, the same size and
        # the same clock tick, would pass that; its journal generation (a UUID per compaction,
        # in the first line of the snapshot) cannot.
        meta = first_document(self._real, META_TABLE)
        if not isinstance(meta, dict) or meta.get("journal") != cached.meta.get("journal"):
            return None
        for name, rows in cached.tables.items():
            kind = self._kinds.get(name)
            if kind is None:
                self._other_tables[name] = list(rows)
                continue
            records = self._records[name]
            if kind.from_row is not None:
                make, key_of = kind.from_row, kind.key
                for row in rows:
                    record = make(row)
                    records[key_of(record)] = record
            else:
                self._take_items((name, str(n), raw) for n, raw in enumerate(rows, start=1))
        for name, items in cached.unreadable.items():
            if name in self._kinds:
                for key, place, raw, problem in items:
                    self._unreadable[name][key] = Unreadable(place, raw, problem)
                    self.notices.append(f"cannot read {place}: {problem}; it is kept as it is")
        return cached.meta

    def _take_whole(self, tables: dict[str, RawTable]) -> dict[str, Any]:
        meta = self._meta_of(tables)
        if meta is None:
            tables = self._upgrade(tables)
            meta = self._meta_of(tables)
            assert meta is not None
        self._take_items(
            (name, doc_id, document)
            for name, documents in tables.items()
            for doc_id, document in [(None, None), *documents]
        )
        return meta

    def _meta_of(self, tables: dict[str, RawTable]) -> dict[str, Any] | None:
        documents = tables.get(META_TABLE)
        if not documents:
            return None
        meta = documents[0][1]
        if not isinstance(meta, dict) or not isinstance(meta.get("journal"), str):
            raise CorruptDatabaseError(self._real, f"its {META_TABLE} table is damaged")
        version = meta.get("format")
        if not isinstance(version, int) or version > FORMAT:
            raise StoreError(
                f"annotation database {self.path} was written by a newer version of this program"
                f" (format {version}); upgrade the program to open it"
            )
        return meta

    def _upgrade(self, tables: dict[str, RawTable]) -> dict[str, RawTable]:
        """A snapshot without our _meta table: the first version's file, or TinyDB's own."""
        upgraded = self._legacy(tables) if self._legacy is not None else tables
        upgraded = {
            META_TABLE: [("1", {"format": FORMAT, "journal": str(uuid.uuid4()), "absorbed": None})],
            **upgraded,
        }
        if self.read_only_reason is not None:
            self.notices.append(
                f"{self.path} is in an older format; read-only, so it was upgraded in memory only"
            )
            return upgraded
        backup = self._backup_name()
        with self._locked():
            # Another process may have upgraded it while we waited for the lock.
            current = read_snapshot(self._real)
            if current is not None and self._meta_of(current) is not None:
                return current
            with open_regular_file(self._real) as original:
                write_atomically(backup, iter(lambda: original.read(1 << 20), b""))
            write_snapshot(self._real, {name: _documents(t) for name, t in upgraded.items()})
        self.notices.append(
            f"upgraded {self.path} to the current format; the old file is kept as {backup.name}"
        )
        return upgraded

    def _backup_name(self) -> Path:
        base = self._real.with_name(self._real.name + ".v1-backup")
        candidate, number = base, 1
        while candidate.exists():
            number += 1
            candidate = base.with_name(f"{base.name}-{number}")
        return candidate

    def _take_items(self, items: Iterable[SnapshotItem]) -> None:
        """Records of the snapshot, before the journal; indexed all at once afterwards."""
        kinds = self._kinds
        for name, doc_id, raw in items:
            if name == META_TABLE:
                continue
            kind = kinds.get(name)
            if kind is None:
                other = self._other_tables.setdefault(name, [])
                if doc_id is not None:
                    other.append((doc_id, raw))
                continue
            if doc_id is None:
                continue
            # The common case inline (this loop runs once per record while opening); a record
            # that does not parse goes through _take, which reports it and keeps it as it is.
            try:
                record = kind.parse(raw)
            except ValueError:
                self._take(kind, raw, f"{self._real.name}, table {name!r}, document {doc_id}")
                continue
            self._records[name][kind.key(record)] = record

    def _take(self, kind: RecordKind[Any], raw: Any, place: str) -> Applied | None:
        try:
            record = kind.parse(raw)
        except ValueError as error:
            key = raw.get("id") if isinstance(raw, dict) else None
            key = key if isinstance(key, str) and key else f"#{place}"
            self._records[kind.table].pop(key, None)
            self._unreadable[kind.table][key] = Unreadable(place, raw, str(error))
            self.notices.append(f"cannot read {place}: {error}; it is kept as it is")
            return None
        return self._apply(kind.table, kind.key(record), record)

    def _apply(self, table: str, key: str, new: Any) -> Applied:
        records = self._records[table]
        old = records.get(key)
        if new is None:
            records.pop(key, None)
        else:
            records[key] = new
        self._unreadable[table].pop(key, None)
        self._indexed(table, old, new)
        return Applied(table, old, new)

    # -- internals: the journal ------------------------------------------------------------

    def _read_header(self) -> tuple[dict[str, Any], int, BinaryIO] | None:
        """The journal's header, its size, and the journal left open (the caller's to close)."""
        try:
            journal = open_regular_file(self.journal_path)
        except FileNotFoundError:
            return None
        try:
            line = journal.readline()
            if not line:
                journal.close()
                return None  # emptied by hand: it holds nothing to lose
            header = _decode_header(line)
            if header is None:
                raise CorruptDatabaseError(
                    self.journal_path, "its first line is not a journal header"
                )
        except BaseException:
            journal.close()
            raise
        return header, len(line), journal

    def _follow(self, journal: BinaryIO | None) -> None:
        """Follow this open journal from now on (None: none), closing the one followed before."""
        if self._journal_pin is not None:
            with contextlib.suppress(OSError):
                self._journal_pin.close()
        self._journal_pin = journal
        if journal is None:
            self._journal_ident = None
        else:
            st = os.fstat(journal.fileno())
            self._journal_ident = (st.st_dev, st.st_ino)

    def _catch_up(self, *, locked: bool) -> Refresh:
        refresh = Refresh()
        try:
            st = os.stat(self.journal_path)
        except FileNotFoundError:
            return refresh
        ident = (st.st_dev, st.st_ino)
        if ident != self._journal_ident:
            found = self._read_header()
            if found is None:
                return refresh
            header, header_size, journal = found
            follows_us = (
                header.get("follows") == self._generation
                and header.get("follows_end") == self._offset
                and self._journal_ident is not None
            )
            if header["journal"] == self._generation and self._journal_ident is None:
                # The snapshot's own journal, started by another process after a compaction.
                follows_us = True
            if not follows_us:
                journal.close()
                # Compacted by another process past entries we had not read: read it all again.
                self._load()
                refresh.reloaded = True
                return refresh
            self._generation = header["journal"]
            self._follow(journal)
            self._offset, self._line_number = header_size, 1
        if st.st_size <= self._offset:
            return refresh
        # From the journal we hold, not by name: the name may already be a newer journal's,
        # which the next look takes in through its header.
        assert self._journal_pin is not None
        self._journal_pin.seek(self._offset)
        data = self._journal_pin.read()
        base = self._offset
        end = data.rfind(b"\n") + 1
        lines = data[:end].split(b"\n")[:-1]
        for index, line in enumerate(lines):
            entry = _decode_entry(line)
            if entry is None:
                if index < len(lines) - 1:
                    raise CorruptDatabaseError(
                        self.journal_path,
                        f"line {self._line_number + 1} is not a saved transaction",
                    )
                # A complete but unreadable last line is a torn write too (its end is garbage),
                # or one still being written if we do not hold the lock: only the lock holder
                # may drop it.
                break
            self._take_entry(entry, refresh)
            self._offset += len(line) + 1
            self._line_number += 1
        torn = base + len(data) - self._offset
        if torn and locked:
            self._drop_torn_tail(self._offset, torn)
        return refresh

    def _take_entry(self, entry: dict[str, Any], refresh: Refresh) -> None:
        place = f"{self.journal_path.name}, line {self._line_number + 1}"
        for op in entry["ops"]:
            table = op.get("put") or op.get("del")
            kind = self._kinds.get(table) if isinstance(table, str) else None
            if kind is None:
                raise CorruptDatabaseError(
                    self.journal_path, f"line {self._line_number + 1} names an unknown table"
                )
            if "put" in op:
                applied = self._take(kind, op.get("record"), place)
                if applied is not None:
                    refresh.changes.append(applied)
            else:
                key = op.get("id")
                if not isinstance(key, str):
                    raise CorruptDatabaseError(
                        self.journal_path, f"line {self._line_number + 1} removes no id"
                    )
                refresh.changes.append(self._apply(kind.table, key, None))

    def _has_torn_tail(self) -> bool:
        try:
            size = os.stat(self.journal_path).st_size
        except FileNotFoundError:
            return False
        return self._journal_ident is not None and size > self._offset

    def _drop_torn_tail(self, offset: int, size: int) -> None:
        os.truncate(self.journal_path, offset)
        self.notices.append(
            f"dropped a half-written last entry ({size} bytes) of {self.journal_path}: "
            "a save that was interrupted and never confirmed"
        )

    def _refresh_locked(self) -> None:
        self._catch_up(locked=True)

    def _ensure_journal(self) -> None:
        """Make sure the snapshot and its journal exist before the first append."""
        if self._generation is None:
            # A new database: an empty snapshot first (TinyDB can open it), then its journal.
            self._generation = str(uuid.uuid4())
            meta = {"format": FORMAT, "journal": self._generation, "absorbed": None}
            write_snapshot(self._real, {META_TABLE: [meta], **{t: [] for t in self._kinds}})
        if self._journal_ident is None:
            self._start_journal(follows=None, follows_end=None)

    def _start_journal(self, *, follows: str | None, follows_end: int | None) -> None:
        assert self._generation is not None
        header = {
            "journal": self._generation,
            "format": FORMAT,
            "database": self._real.name,
            "follows": follows,
            "follows_end": follows_end,
        }
        line = _encode_line(header)
        write_atomically(self.journal_path, [line])
        self._close_journal_fd()
        self._follow(open_regular_file(self.journal_path))  # ours: we hold the lock
        self._offset, self._line_number = len(line), 1

    def _append(self, line: bytes) -> None:
        fd = self._journal_fd
        if fd is None:
            fd = self._journal_fd = os.open(
                self.journal_path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
            )
        try:
            if (os.fstat(fd).st_dev, os.fstat(fd).st_ino) != self._journal_ident:
                self._close_journal_fd()
                self._append(line)
                return
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(28, "No space left on device")
            _sync(fd)
        except OSError as error:
            # Take back whatever part of the line reached the file: it was never confirmed.
            with contextlib.suppress(OSError):
                os.truncate(self.journal_path, self._offset)
            raise StoreError(f"not saved to {self.journal_path}: {_reason(error)}") from error
        self._offset += len(line)
        self._line_number += 1

    def _close_journal_fd(self) -> None:
        if self._journal_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._journal_fd)
            self._journal_fd = None

    # -- internals: compaction -------------------------------------------------------------

    def _journal_worth_compacting(self) -> bool:
        if self._journal_ident is None:
            return False
        try:
            journal = os.stat(self.journal_path).st_size
        except OSError:
            return False
        if self._line_number <= 1:
            return False
        return self._snapshot_size < SMALL_SNAPSHOT or journal > self._snapshot_size * COMPACT_RATIO

    def _write_snapshot_and_journal(self) -> None:
        absorbed, absorbed_end = self._generation, self._offset
        if self._journal_ident is None:
            absorbed_end = 0
        self._generation = str(uuid.uuid4())
        meta = {"format": FORMAT, "journal": self._generation, "absorbed": absorbed}
        tables: dict[str, Iterable[Any]] = {META_TABLE: [meta]}
        for table, kind in self._kinds.items():
            tables[table] = _chain(
                # map, not a generator expression: that would look kind up when written, by
                # when the loop has moved on, and dump every table with the last kind.
                map(kind.dump, self._records[table].values()),
                (item.raw for item in self._unreadable[table].values()),
            )
        for name, documents in self._other_tables.items():
            tables[name] = _documents(documents)
        write_snapshot(self._real, tables)
        with contextlib.suppress(OSError):
            self._snapshot_size = os.stat(self._real).st_size
        self._start_journal(follows=absorbed, follows_end=absorbed_end)
        self._write_cache(meta)

    def _write_cache(self, meta: dict[str, Any]) -> None:
        """Keep what was just compacted in the open-time cache (best effort: it is a cache)."""
        if self._snapshot_size < CACHE_MIN_BYTES:
            with contextlib.suppress(OSError):
                self.cache_path.unlink(missing_ok=True)  # an old one would only be ignored
            return
        tables: dict[str, list[Any]] = {}
        for table, kind in self._kinds.items():
            records = self._records[table].values()
            to_row = kind.to_row
            tables[table] = (
                [to_row(r) for r in records]
                if to_row is not None
                else list(map(kind.dump, records))
            )
        for name, documents in self._other_tables.items():
            tables[name] = list(documents)
        unreadable = {
            table: [(key, u.place, u.raw, u.problem) for key, u in items.items()]
            for table, items in self._unreadable.items()
            if items
        }
        with contextlib.suppress(OSError, ValueError):
            write_cache(self.cache_path, self._real, meta, tables, unreadable)

    def _clean_leftovers(self) -> None:
        # Also when there is no snapshot yet: the first save of a new database may have been
        # killed while writing it.
        if self.read_only_reason is not None:
            return
        leftovers = leftover_temp_files(self._real)
        if not leftovers:
            return
        with self._locked():
            # Under the lock no save of ours is between mkstemp and rename.
            for leftover in leftover_temp_files(self._real):
                with contextlib.suppress(OSError):
                    leftover.unlink()

    @contextlib.contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        # Imported here: filelock costs about 25 ms to import, and reading (the app's first
        # paint, `reader export`) never takes the lock.
        import filelock

        try:
            if self._lock is None:
                self._lock = filelock.FileLock(self.lock_path, timeout=self._lock_timeout)
            self._lock.acquire(timeout=self._lock_timeout if timeout is None else timeout)
        except filelock.Timeout as error:
            raise BusyDatabaseError(
                f"annotation database {self.path} is busy: another process has held its lock "
                f"for {self._lock_timeout:.0f} s"
            ) from error
        except OSError as error:
            raise StoreError(f"cannot lock {self.lock_path}: {_reason(error)}") from error
        try:
            yield
        finally:
            assert self._lock is not None
            self._lock.release()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"annotation database {self.path} is closed")


def _documents(table: RawTable) -> Iterator[Any]:
    return (document for _, document in table)


def _chain(*iterables: Iterable[Any]) -> Iterator[Any]:
    for iterable in iterables:
        yield from iterable


def _sync(fd: int) -> None:
    # fdatasync flushes the data and the file size, which is all a reader needs.
    (getattr(os, "fdatasync", None) or os.fsync)(fd)


def _encode_line(value: Any) -> bytes:
    return orjson.dumps(value) + b"\n"


def _decode_header(line: bytes) -> dict[str, Any] | None:
    try:
        header = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(header, dict) or not isinstance(header.get("journal"), str):
        return None
    return header


def _decode_entry(line: bytes) -> dict[str, Any] | None:
    try:
        entry = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("ops"), list):
        return None
    if not all(isinstance(op, dict) and ("put" in op) != ("del" in op) for op in entry["ops"]):
        return None
    return entry


def _reason(error: OSError) -> str:
    return error.strerror.lower() if error.strerror else str(error)
