import json
import os
import stat
from pathlib import Path

import pytest
from tinydb import TinyDB

from annotations.model import Annotation
from annotations.storage import AtomicJSONStorage, CorruptDatabaseError
from annotations.store import AnnotationStore, StoreError

TEXT = "The mayor said “the bridge opens in May” and critics called it a fantasy. 🙂"


def annotate(start: int = 15, end: int = 40, label: str = "claim") -> Annotation:
    return Annotation.create(
        article="mayor", text=TEXT, start=start, end=end, label=label, annotator="ana"
    )


def leftovers(directory: Path, keep: str) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name != keep)


def test_missing_or_empty_file_reads_as_empty_database(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    assert AtomicJSONStorage(path).read() is None
    assert not path.exists()  # opening and reading never create the file
    path.write_bytes(b"")
    assert AtomicJSONStorage(path).read() is None


def test_write_then_read_round_trips_and_stores_utf8(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dirs" / "db.json"  # parents are created on first write
    data = {"annotations": {"1": {"quote": "“the bridge” 🙂"}}}
    AtomicJSONStorage(path).write(data)
    assert AtomicJSONStorage(path).read() == data
    assert "“the bridge” 🙂".encode() in path.read_bytes()  # ensure_ascii=False
    assert leftovers(path.parent, "db.json") == []


def test_store_round_trips_through_a_reopened_store(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    annotations = [annotate(), annotate(label="opinion"), annotate(0, 9, "unverified")]
    with AnnotationStore(path) as store:
        for annotation in annotations:
            store.add(annotation)
    with AnnotationStore(path) as reopened:
        assert sorted(reopened.all(), key=lambda a: a.id) == sorted(annotations, key=lambda a: a.id)
        for annotation in annotations:
            assert reopened.get(annotation.id) == annotation


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_crash_mid_write_leaves_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.write({"annotations": {"1": {"quote": "good"}}})
    before = path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("simulated crash")

    monkeypatch.setattr(os, failing, crash)
    with pytest.raises(OSError, match="simulated crash"):
        storage.write({"annotations": {"1": {"quote": "new"}, "2": {"quote": "newer"}}})
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert leftovers(tmp_path, "db.json") == []


def test_failed_serialization_leaves_no_file_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with pytest.raises(TypeError):
        AtomicJSONStorage(path).write({"annotations": {"1": {"bad": object()}}})
    assert os.listdir(tmp_path) == []


def test_store_mutation_that_fails_to_save_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.json"
    store = AnnotationStore(path)
    kept = annotate()
    store.add(kept)
    before = path.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    lost = annotate(label="opinion")
    with pytest.raises(OSError, match="disk full"):
        store.add(lost)
    with pytest.raises(OSError, match="disk full"):
        store.remove(kept.id)
    monkeypatch.undo()

    assert path.read_bytes() == before
    assert leftovers(tmp_path, "db.json") == []
    # Memory agrees with disk: the failed calls did not happen.
    assert store.get(lost.id) is None
    assert store.get(kept.id) == kept
    assert len(store) == 1
    store.add(lost)  # and the store is still usable
    assert AnnotationStore(path).get(lost.id) == lost


CORRUPT = [
    (b'{"annotations": {"1": ', "Expecting value: line 1 column 23"),
    (b"[]", "top level is a array"),
    (b'"annotations"', "top level is a string"),
    (b"null", "top level is a null"),
    (b'{"annotations": []}', "table 'annotations' is a array"),
    (b'{"annotations": {"1": {"id": "x"}}}', "document 1: annotation record lacks"),
    (b'{"annotations": {"one": {}}}', "document key 'one' is not a number"),
    (b'{"annotations": {"1": "text"}}', "document 1: annotation record is a str"),
    (b"\xff\xfe{}", "not UTF-8"),
]


@pytest.mark.parametrize(("content", "detail"), CORRUPT)
def test_corrupt_file_raises_at_open_and_is_not_modified(
    tmp_path: Path, content: bytes, detail: str
) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(content)
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


def test_tinydb_cannot_write_over_a_corrupt_file(tmp_path: Path) -> None:
    # Even used directly through TinyDB, the read that precedes every write refuses.
    path = tmp_path / "db.json"
    content = b'{"annotations": {"1": '
    path.write_bytes(content)
    db = TinyDB(path, storage=AtomicJSONStorage)
    with pytest.raises(CorruptDatabaseError):
        db.table("annotations").insert({"quote": "x"})
    assert path.read_bytes() == content


def test_corrupt_message_matches_the_documented_shape(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(b"")
    error = CorruptDatabaseError(path, "Expecting value: line 1 column 1")
    assert str(error) == (
        f"annotation database {path} is corrupt (Expecting value: line 1 column 1); "
        "it has not been modified — move it aside or pass --db to use another file"
    )


def test_existing_file_mode_is_kept_and_new_database_is_private(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    storage.write({})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o640)
    storage.write({"annotations": {}})
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_on_disk_layout_is_one_annotations_table_of_records(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    annotation = annotate()
    with AnnotationStore(path) as store:
        store.add(annotation)
    data = json.loads(path.read_bytes().decode("utf-8"))
    assert list(data) == ["annotations"]
    assert list(data["annotations"].values()) == [annotation.to_record()]


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
    assert link.is_symlink() and os.readlink(link) == str(real)
    with AnnotationStore(real) as direct:
        assert sorted(a.id for a in direct.all()) == sorted([first.id, second.id])
    assert leftovers(real.parent, real.name) == []
    assert leftovers(link_dir, link.name) == []


def test_a_database_with_a_byte_order_mark_opens_and_is_saved_without_it(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    kept = annotate()
    with AnnotationStore(path) as store:
        store.add(kept)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as some editors save UTF-8
    with AnnotationStore(path) as store:
        assert store.all() == [kept]
        store.add(annotate(label="opinion"))
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    with AnnotationStore(path) as reopened:
        assert len(reopened) == 2
