"""The snapshot file (annotations.storage) and the one atomic-write helper (annotations.atomic).

The journal, the lock and what a store does with damaged records are in test_store_files.py;
here: the snapshot layout reads back exactly what was written, any TinyDB JSON file reads the
same, damage is reported and never written over, and a replaced file is always whole.
"""

from __future__ import annotations

import json
import os
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from tinydb import TinyDB

from annotations.atomic import leftover_temp_files, write_atomically
from annotations.errors import CorruptDatabaseError, StoreError
from annotations.model import Annotation
from annotations.storage import (
    open_regular_file,
    read_snapshot,
    write_snapshot,
)
from annotations.store import AnnotationStore
from annotations.tinydb_storage import SnapshotStorage

TEXT = "The mayor said “the bridge opens in May” and critics called it a fantasy. 🙂"
BOM = b"\xef\xbb\xbf"


def annotate(start: int = 15, end: int = 40, label: str = "claim", note: str = "") -> Annotation:
    return Annotation.create(
        article="mayor", text=TEXT, start=start, end=end, label=label, note=note, annotator="ana"
    )


def leftovers(directory: Path, *keep: str) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name not in keep)


def as_tinydb_reads_it(path: Path) -> dict[str, dict[str, object]]:
    """What TinyDB's own JSONStorage (the json module, whole file) makes of the file."""
    return json.loads(path.read_bytes().decode("utf-8-sig"))


def raw_tables(data: dict[str, dict[str, object]]) -> dict[str, list[tuple[str, object]]]:
    """read_snapshot's shape: per table, (doc id, document) in file order."""
    return {name: list(table.items()) for name, table in data.items()}


# Documents that look like pieces of the line layout, to catch a line reader that is not strict.
AWKWARD = [
    {"quote": "“the bridge” 🙂", "note": "two\nlines\r\nand a tab\t"},
    {"quote": '"1": {"id": "x"},', "note": "},\n}\n"},
    {"nested": {"list": [1, 2.5, None, True], "empty": {}}, "note": ""},
    {"note": "\u2028line separator\u2029 and NUL \u0000"},
]


# -- the snapshot layout ---------------------------------------------------------------------


def test_missing_or_empty_file_reads_as_no_database(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    assert read_snapshot(path) is None
    assert not path.exists()  # reading never creates the file
    path.write_bytes(b"")
    assert read_snapshot(path) is None
    path.write_bytes(b"  \n")
    assert read_snapshot(path) is None


def test_write_snapshot_then_read_snapshot_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dirs" / "db.json"  # parents are created on first write
    tables = {
        "_meta": [{"format": 2, "journal": "j1", "absorbed": None}],
        "annotations": AWKWARD,
        "empty": [],
        "last": [{"one": 1}],
    }
    write_snapshot(path, tables)
    expected = {
        name: [(str(number), document) for number, document in enumerate(documents, start=1)]
        for name, documents in tables.items()
    }
    assert read_snapshot(path) == expected
    # Still exactly TinyDB's JSON: {table: {doc id: document}}, whatever reads it.
    assert raw_tables(as_tinydb_reads_it(path)) == expected
    assert "“the bridge” 🙂".encode() in path.read_bytes()  # UTF-8 as is, not \u escapes
    assert leftovers(path.parent, "db.json") == []


def test_the_snapshot_has_one_document_per_line(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    write_snapshot(path, {"_meta": [{"format": 2}], "annotations": AWKWARD, "empty": []})
    lines = path.read_bytes().split(b"\n")
    assert lines[0] == b"{" and lines[-2:] == [b"}", b""]
    documents = [line for line in lines if line.startswith(b'"') and b'": {"' in line]
    assert len(documents) == 1 + len(AWKWARD)
    for line in documents:
        body = line.partition(b'": ')[2].removesuffix(b",")
        assert isinstance(json.loads(body), dict)


def test_empty_tables_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    write_snapshot(path, {"annotations": []})
    assert read_snapshot(path) == {"annotations": []}
    assert as_tinydb_reads_it(path) == {"annotations": {}}
    write_snapshot(path, {"a": [], "b": [], "c": [{"x": 1}]})
    assert read_snapshot(path) == {"a": [], "b": [], "c": [("1", {"x": 1})]}


def test_a_file_written_by_plain_tinydb_reads_identically(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    db = TinyDB(path)  # TinyDB's own JSONStorage: the json module, one line, \u escapes
    for document in AWKWARD:
        db.table("annotations").insert(document)
    db.table("other").insert({"x": 1})
    db.table("annotations").remove(doc_ids=[2])  # doc ids need not be 1..n
    db.close()
    assert path.read_bytes().count(b"\n") == 0  # a single-line layout
    written = as_tinydb_reads_it(path)
    tables = read_snapshot(path)
    assert tables == raw_tables(written)
    assert tables is not None
    assert [doc_id for doc_id, _ in tables["annotations"]] == ["1", "3", "4"]
    assert tables["annotations"][0][1]["quote"] == "“the bridge” 🙂"  # escapes decoded


def test_an_indented_file_reads_identically(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    data = {"annotations": {str(n): d for n, d in enumerate(AWKWARD, start=1)}}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    assert read_snapshot(path) == raw_tables(data)


@pytest.mark.parametrize("layout", ["snapshot", "tinydb"])
def test_a_byte_order_mark_is_read_past(tmp_path: Path, layout: str) -> None:
    path = tmp_path / "db.json"
    if layout == "snapshot":
        write_snapshot(path, {"annotations": AWKWARD})
    else:
        db = TinyDB(path)
        db.table("annotations").insert_multiple(AWKWARD)
        db.close()
    without = read_snapshot(path)
    path.write_bytes(BOM + path.read_bytes())  # as some editors save UTF-8
    assert read_snapshot(path) == without
    assert read_snapshot(path) == raw_tables(as_tinydb_reads_it(path))


def test_a_store_with_a_byte_order_mark_opens_and_is_saved_without_it(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    kept = annotate()
    with AnnotationStore(path) as store:
        store.add(kept)
    path.write_bytes(BOM + path.read_bytes())
    with AnnotationStore(path) as store:
        assert store.all() == [kept]
        store.add(annotate(label="opinion"))
        store.compact()
    assert not path.read_bytes().startswith(BOM)
    with AnnotationStore(path) as reopened:
        assert len(reopened) == 2


# -- damage: reported, never written over ----------------------------------------------------


CORRUPT = [
    (b'{"annotations": {"1": ', "unexpected end of data: line 1 column 23"),
    (b"[]", "top level is a array"),
    (b'"annotations"', "top level is a string"),
    (b"null", "top level is a null"),
    (b'{"annotations": []}', "table 'annotations' is a array"),
    (b'{"annotations": {"1": {}}} trailing', "line 1"),
    (b"\xff\xfe{}", "not valid UTF-8"),
    # Our own layout, cut short or with a trailing comma: neither is JSON.
    (b'{\n"annotations": {\n"1": {"id": "a"},\n', "unexpected end of data"),
    (b'{\n"annotations": {\n"1": {"id": "a"},\n}\n}\n', "trailing comma"),
]


@pytest.mark.parametrize(("content", "detail"), CORRUPT)
def test_a_corrupt_file_raises_and_is_not_modified(
    tmp_path: Path, content: bytes, detail: str
) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(content)
    with pytest.raises(CorruptDatabaseError) as raised:
        read_snapshot(path)
    assert detail in raised.value.detail
    with pytest.raises(CorruptDatabaseError) as raised:
        AnnotationStore(path)
    message = str(raised.value)
    assert detail in message
    assert str(path) in message
    assert "has not been modified" in message
    assert "\n" not in message
    assert isinstance(raised.value, StoreError)
    assert raised.value.path == path
    assert path.read_bytes() == content
    assert leftovers(tmp_path, "db.json") == []


def test_corrupt_message_matches_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    error = CorruptDatabaseError(path, "Expecting value: line 1 column 1")
    assert str(error) == (
        f"annotation database {path} is corrupt (Expecting value: line 1 column 1); "
        "it has not been modified — move it aside or pass --db to use another file"
    )


def _give_up_after(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: opening a FIFO for reading waits for a writer forever."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def no_hang() -> Iterator[None]:
    yield from _give_up_after(5)


def test_a_fifo_is_refused_without_hanging(tmp_path: Path, no_hang: None) -> None:
    fifo = tmp_path / "db.json"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match=r"is a named pipe \(FIFO\), not an annotation database"):
        read_snapshot(fifo)
    with pytest.raises(StoreError, match="named pipe"):
        open_regular_file(fifo)
    with pytest.raises(StoreError, match="named pipe"):
        SnapshotStorage(fifo).read()
    with pytest.raises(StoreError, match="named pipe"):
        AnnotationStore(fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # left as it was
    assert leftovers(tmp_path, "db.json") == []


def test_a_folder_is_not_a_snapshot(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        read_snapshot(tmp_path)


# -- SnapshotStorage: TinyDB's API over the snapshot --------------------------------------------


def test_tinydb_with_snapshot_storage_writes_and_reads(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "db.json"
    db = TinyDB(path, storage=SnapshotStorage)
    table = db.table("annotations")
    ids = table.insert_multiple(AWKWARD)
    table.remove(doc_ids=[ids[1]])
    assert [dict(d) for d in table.all()] == [AWKWARD[0], *AWKWARD[2:]]
    db.close()
    assert leftovers(path.parent, "db.json") == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a new file is private
    path.chmod(0o640)
    again = TinyDB(path, storage=SnapshotStorage)
    # TinyDB's doc ids are kept, so a later insert does not reuse a removed one's.
    assert [d.doc_id for d in again.table("annotations").all()] == [ids[0], *ids[2:]]
    new_id = again.table("annotations").insert({"note": "later"})
    assert new_id == ids[-1] + 1
    again.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # an existing file keeps its mode
    # What it wrote is what plain TinyDB (and read_snapshot) read.
    assert read_snapshot(path) == raw_tables(as_tinydb_reads_it(path))
    plain = TinyDB(path)
    assert plain.table("annotations").get(doc_id=new_id) == {"note": "later"}
    plain.close()


def test_snapshot_storage_reads_what_a_store_compacted(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    label, comment = annotate(), annotate(label="", note="check the minutes")
    with AnnotationStore(path) as store:
        store.add(label)
        store.add(comment)
        store.compact()
    db = TinyDB(path, storage=SnapshotStorage)
    records = sorted(db.table("annotations").all(), key=lambda d: d["motivation"])
    assert records == [comment.to_record(), label.to_record()]
    db.close()


def test_tinydb_cannot_write_over_a_corrupt_file(tmp_path: Path) -> None:
    # Used directly through TinyDB, the read that precedes every write refuses.
    path = tmp_path / "db.json"
    content = b'{"annotations": {"1": '
    path.write_bytes(content)
    db = TinyDB(path, storage=SnapshotStorage)
    with pytest.raises(CorruptDatabaseError):
        db.table("annotations").insert({"quote": "x"})
    assert path.read_bytes() == content
    assert leftovers(tmp_path, "db.json") == []


# -- a store's saves: in the journal at once, whole or not at all -----------------------------


def test_store_round_trips_through_a_reopened_store(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    annotations = [
        annotate(),
        annotate(label="opinion"),
        annotate(0, 9, label="", note="who said?"),
    ]
    with AnnotationStore(path) as store:
        for annotation in annotations:
            store.add(annotation)
    with AnnotationStore(path) as reopened:
        assert sorted(reopened.all(), key=lambda a: a.id) == sorted(annotations, key=lambda a: a.id)
        for annotation in annotations:
            assert reopened.annotation(annotation.id) == annotation


def test_a_save_is_in_the_journal_then_compacted_into_the_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    annotation = annotate()
    store = AnnotationStore(path)
    store.add(annotation)
    # Before compaction the snapshot need not hold it; the journal does, and a second store
    # reads snapshot plus journal.
    journal = (tmp_path / "db.json.journal").read_bytes()
    assert annotation.id.encode() in journal
    with AnnotationStore(path) as second:
        assert second.all() == [annotation]
    store.close()  # a small database is compacted on close
    data = as_tinydb_reads_it(path)
    assert list(data) == ["_meta", "annotations", "entity_corrections"]
    assert list(data["annotations"].values()) == [annotation.to_record()]


def test_a_store_save_that_fails_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.json"
    journal = tmp_path / "db.json.journal"
    store = AnnotationStore(path)
    kept = annotate()
    store.add(kept)
    before = {name: (tmp_path / name).read_bytes() for name in ("db.json", "db.json.journal")}

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    # The line is written, then its sync fails: the save was never confirmed.
    sync = "fdatasync" if hasattr(os, "fdatasync") else "fsync"
    monkeypatch.setattr(os, sync, disk_full)
    lost = annotate(label="opinion")
    with pytest.raises(StoreError, match="no space left on device"):
        store.add(lost)
    with pytest.raises(StoreError, match="no space left on device"):
        store.remove(kept.id)
    monkeypatch.undo()

    assert {name: (tmp_path / name).read_bytes() for name in before} == before
    assert journal.read_bytes() == before["db.json.journal"]  # the partial line taken back
    assert leftovers(tmp_path, "db.json", "db.json.journal", "db.json.lock") == []
    # Memory agrees with disk: the failed calls did not happen.
    assert store.annotation(lost.id) is None
    assert store.annotation(kept.id) == kept
    assert len(store) == 1
    store.add(lost)  # and the store is still usable
    with AnnotationStore(path) as second:
        assert second.annotation(lost.id) == lost
        assert second.annotation(kept.id) == kept
    store.close()


def test_a_symlinked_database_is_written_through_the_link(tmp_path: Path) -> None:
    """A database kept elsewhere (a synced folder) and linked in: the link stays a link and the
    real file gets the annotations, atomically, with no temporary file left beside either."""
    real = tmp_path / "synced" / "annotations.json"
    real.parent.mkdir()
    link_dir = tmp_path / "project"
    link_dir.mkdir()
    link = link_dir / "annotations.json"
    link.symlink_to(real)
    first, second = annotate(), annotate(label="opinion")
    with AnnotationStore(link) as store:
        store.add(first)
        store.add(second)
        store.compact()
        store.add(annotate(0, 3, label="", note="and after the compaction"))
    assert link.is_symlink() and os.readlink(link) == str(real)
    with AnnotationStore(real) as direct:
        assert len(direct) == 3
        assert {first.id, second.id} <= {a.id for a in direct.all()}
    # The journal and the lock live beside the real file; nothing else is left anywhere.
    files = (real.name, f"{real.name}.journal", f"{real.name}.lock", f"{real.name}.cache")
    assert leftovers(real.parent, *files) == []
    assert leftovers(link_dir, link.name) == []


# -- write_atomically --------------------------------------------------------------------------


def test_write_atomically_writes_the_chunks_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "out.bin"
    write_atomically(path, [b"one ", b"", "two 🙂".encode()])
    assert path.read_bytes() == "one two 🙂".encode()
    assert leftovers(path.parent, "out.bin") == []
    assert leftover_temp_files(path) == []
    write_atomically(path, iter([b"replaced"]))
    assert path.read_bytes() == b"replaced"
    assert leftovers(path.parent, "out.bin") == []


def test_a_new_file_is_private_and_an_existing_one_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "out"
    write_atomically(path, [b"x"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o640)
    write_atomically(path, [b"y"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    shared = tmp_path / "shared"
    write_atomically(shared, [b"z"], new_mode=0o644)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o644


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real" / "file.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomically(link, [b"new"])
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert leftovers(real.parent, "file.json") == []
    assert leftovers(tmp_path, "link.json", "real") == []


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "file.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomically(link, [b"first"])
    assert link.is_symlink()
    assert real.read_bytes() == b"first"


@pytest.mark.parametrize("failing", ["replace", "fsync", "chmod"])
def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "out.json"
    write_atomically(path, [b'{"good": true}'])
    before = path.read_bytes()

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("simulated crash")

    monkeypatch.setattr(os, failing, crash)
    with pytest.raises(OSError, match="simulated crash"):
        write_atomically(path, [b'{"new": true}'])
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert leftovers(tmp_path, "out.json") == []


def test_a_failing_source_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    write_atomically(path, [b"old"])

    def chunks() -> Iterator[bytes]:
        yield b"half of the new "
        raise ValueError("the source broke")

    with pytest.raises(ValueError, match="the source broke"):
        write_atomically(path, chunks())
    assert path.read_bytes() == b"old"
    assert leftovers(tmp_path, "out.json") == []
    fresh = tmp_path / "never.json"
    with pytest.raises(ValueError):
        write_atomically(fresh, chunks())
    assert not fresh.exists()
    assert leftovers(tmp_path, "out.json") == []


def test_leftover_temp_files_finds_only_ours(tmp_path: Path) -> None:
    target = tmp_path / "db.json"
    ours = tmp_path / ".db.json.k3j2.tmp"
    ours.write_bytes(b"half")
    (tmp_path / ".other.json.x.tmp").write_bytes(b"not ours")
    (tmp_path / "db.json.tmp").write_bytes(b"not ours either")
    assert leftover_temp_files(target) == [ours]
