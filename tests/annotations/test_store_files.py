"""The database files: bad paths, read-only files, first-version files, damage, leftovers."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tinydb import TinyDB

import annotations.database
from annotations.errors import CorruptDatabaseError, ReadOnlyDatabaseError, StoreError
from annotations.model import Annotation
from annotations.store import ANNOTATIONS, AnnotationStore

TEXT = "The mayor said “the bridge opens in May” and critics called it a fantasy. 🙂"
CHECKOUT = Path(__file__).resolve().parents[2]


def annotate(start: int = 15, end: int = 40, label: str = "claim", note: str = "") -> Annotation:
    return Annotation.create(
        article="mayor", text=TEXT, start=start, end=end, label=label, note=note, annotator="ana"
    )


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


# -- paths that can never be a database ---------------------------------------------------


def test_a_fifo_is_refused_at_once_and_left_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "db.json"
    os.mkfifo(fifo)
    # Opening a FIFO for reading blocks until a writer comes: the timeout catches a hang.
    result = run_cli("export", "--db", str(fifo))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"reader: error: {fifo} is a named pipe (FIFO), not an annotation database"
    ]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_and_never_replaced(device: str) -> None:
    before = os.stat(device)
    result = run_cli("export", "--db", device)
    assert result.returncode == 1
    assert "is a device, not an annotation database" in result.stderr
    assert "Traceback" not in result.stderr
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    with pytest.raises(StoreError, match="is a device"):
        AnnotationStore(Path(device))


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder, not an annotation database"):
        AnnotationStore(tmp_path)


def test_a_path_through_a_file_cannot_be_created(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    with pytest.raises(StoreError, match="cannot"):
        store = AnnotationStore(tmp_path / "plain" / "db.json")
        store.check_creatable()


def test_the_reader_refuses_a_database_it_cannot_create(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    result = run_cli("--db", str(tmp_path / "plain" / "db.json"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "reader: error: cannot" in result.stderr
    assert (tmp_path / "plain").read_text() == "x"


def test_opening_a_new_database_writes_nothing(tmp_path: Path) -> None:
    with AnnotationStore(tmp_path / "db.json") as store:
        assert len(store) == 0
    assert os.listdir(tmp_path) == []


# -- read-only --------------------------------------------------------------------------------


def test_a_read_only_database_opens_for_reading_and_refuses_edits(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    kept = annotate()
    with AnnotationStore(path) as store:
        store.add(kept)
    before = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)}
    os.chmod(path, 0o444)
    with AnnotationStore(path) as store:
        assert store.read_only
        assert "not writable" in (store.read_only_reason or "")
        assert store.annotation(kept.id) == kept
        with pytest.raises(ReadOnlyDatabaseError, match="read-only"):
            store.add(annotate(0, 3))
        with pytest.raises(ReadOnlyDatabaseError):
            store.remove(kept.id)
    after = {name: (tmp_path / name).read_bytes() for name in os.listdir(tmp_path)}
    assert after == before
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444


# -- the first version's databases -------------------------------------------------------------


def first_version_record(doc_label: str, note: str = "") -> dict[str, object]:
    annotation = annotate(label=doc_label)
    return {
        "id": annotation.id,
        "article": "mayor",
        "article_sha256": annotation.article_sha256,
        "start": 15,
        "end": 40,
        "quote": TEXT[15:40],
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "label": doc_label,
        "note": note,
        "annotator": "ana",
        "created": annotation.created,
        "modified": annotation.modified,
    }


def test_a_first_version_database_is_upgraded_in_place_with_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    claim = first_version_record("claim", note="check the council minutes")
    opinion = first_version_record("opinion", note="check the council minutes")
    original = json.dumps({"annotations": {"1": claim, "2": opinion}}).encode()
    path.write_bytes(original)
    with AnnotationStore(path) as store:
        assert any("upgraded" in notice for notice in store.notices)
        annotations = store.all()
        tags = [a for a in annotations if a.is_tag]
        notes = [a for a in annotations if a.is_note]
        assert sorted(a.label for a in tags) == ["claim", "opinion"]
        assert {a.id for a in tags} == {claim["id"], opinion["id"]}
        assert all(a.note == "" for a in tags)
        # One note on the passage, not one per label: removing the labels keeps it.
        assert [(n.note, n.start, n.end) for n in notes] == [("check the council minutes", 15, 40)]
        for tag in tags:
            store.remove(tag.id)
    backups = [name for name in os.listdir(tmp_path) if "v1-backup" in name]
    assert backups == ["db.json.v1-backup"]
    assert (tmp_path / backups[0]).read_bytes() == original
    with AnnotationStore(path) as reopened:
        assert [a.note for a in reopened.all()] == ["check the council minutes"]
        assert reopened.notices == []  # upgraded once, not on every open
    # What the user names is still a file TinyDB itself opens.
    plain = TinyDB(path)
    assert [doc["note"] for doc in plain.table("annotations").all()] == [
        "check the council minutes"
    ]
    plain.close()


# -- damage -----------------------------------------------------------------------------------


def test_a_corrupt_snapshot_is_reported_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    path.write_bytes(b'{"annotations": {"1": {"id": ')
    with pytest.raises(CorruptDatabaseError, match=r"db\.json is corrupt"):
        AnnotationStore(path)
    assert path.read_bytes() == b'{"annotations": {"1": {"id": '
    result = run_cli("export", "--db", str(path))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert os.listdir(tmp_path) == ["db.json"]


def test_an_unreadable_record_is_reported_with_its_place_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    good, bad = annotate(), annotate(0, 3, "opinion")
    with AnnotationStore(path) as store:
        store.add(good)
        store.add(bad)
        store.compact()
    document = json.loads(path.read_bytes())
    bad_key = next(k for k, v in document["annotations"].items() if v["id"] == bad.id)
    document["annotations"][bad_key]["end"] = "three"  # a record this version cannot read
    path.write_text(json.dumps(document))
    damaged = document["annotations"][bad_key]
    with AnnotationStore(path) as store:
        assert [a.id for a in store.all()] == [good.id]
        assert any(
            f"table 'annotations', document {bad_key}" in notice and "'end'" in notice
            for notice in store.notices
        )
        store.add(annotate(41, 44, "unverified"))
        store.compact()  # a full rewrite of the snapshot
    rewritten = json.loads(path.read_bytes())["annotations"].values()
    assert damaged in list(rewritten)
    assert len(rewritten) == 3


def test_a_database_of_a_newer_format_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    data = b'{"_meta": {"1": {"format": 99, "journal": "x"}}, "annotations": {}}'
    path.write_bytes(data)
    with pytest.raises(StoreError, match="newer version"):
        AnnotationStore(path)
    assert path.read_bytes() == data


def test_leftover_temporary_files_are_cleaned_up(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with AnnotationStore(path) as store:
        store.add(annotate())
    leftovers = [tmp_path / ".db.json.abc123.tmp", tmp_path / ".db.json.journal.x9.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"half a snapshot")
    unrelated = tmp_path / ".other.tmp"
    unrelated.write_bytes(b"not ours")
    with AnnotationStore(path) as store:
        assert len(store) == 1
    assert not any(leftover.exists() for leftover in leftovers)
    assert unrelated.exists()


def test_a_symlinked_database_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "db.json"
    real.parent.mkdir()
    link = tmp_path / "mine.json"
    link.symlink_to(real)
    with AnnotationStore(link) as store:
        store.add(annotate())
        store.compact()
    assert link.is_symlink()
    assert (tmp_path / "shared" / "db.json.journal").exists()
    with AnnotationStore(real) as direct:
        assert len(direct) == 1


# -- the open-time cache ------------------------------------------------------------------------


@pytest.fixture
def always_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache even for these small databases (normally only from 256 KB on)."""
    monkeypatch.setattr(annotations.database, "CACHE_MIN_BYTES", 0)


def compacted_store(path: Path, count: int = 20) -> list[Annotation]:
    made = [annotate(i, i + 5, "claim") for i in range(count)]
    made.append(annotate(0, 9, label="", note="a note"))
    with AnnotationStore(path) as store:
        with store.transaction() as step:
            for annotation in made:
                step.add(ANNOTATIONS, annotation)
        store.compact()
    return made


def test_the_cache_gives_exactly_what_the_snapshot_gives(
    tmp_path: Path, always_cache: None
) -> None:
    path = tmp_path / "db.json"
    made = compacted_store(path)
    cache = tmp_path / "db.json.cache"
    assert cache.exists()
    with AnnotationStore(path) as cached:
        from_cache = cached.all()
        counts = cached.label_counts()
    cache.unlink()
    with AnnotationStore(path) as parsed:
        assert parsed.all() == from_cache
        assert parsed.label_counts() == counts
    assert sorted(from_cache) == sorted(made)


def test_a_cache_of_another_snapshot_or_a_damaged_one_is_ignored(
    tmp_path: Path, always_cache: None
) -> None:
    path = tmp_path / "db.json"
    compacted_store(path)
    cache = tmp_path / "db.json.cache"
    stale = cache.read_bytes()
    # TinyDB itself rewrites the snapshot: one record fewer. The cache no longer matches it.
    plain = TinyDB(path)
    table = plain.table("annotations")
    table.remove(doc_ids=[1])
    plain.close()
    with AnnotationStore(path) as store:
        assert len(store) == 20
    # A damaged cache of the right snapshot: the CRC catches it, the snapshot is parsed.
    with AnnotationStore(path) as store:
        store.compact()
    data = bytearray(cache.read_bytes())
    data[-10] ^= 0xFF
    cache.write_bytes(bytes(data))
    with AnnotationStore(path) as store:
        assert len(store) == 20
    cache.write_bytes(stale[:100])
    with AnnotationStore(path) as store:
        assert len(store) == 20


def test_a_stale_cache_that_names_the_snapshot_as_it_is_now_is_still_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, always_cache: None
) -> None:
    """A crash between a compaction's snapshot and its cache leaves the last cache; a later
    snapshot could reuse its inode and have its size and modification time. The journal
    generation in the snapshot's first line tells them apart."""
    import annotations.cache

    # Every snapshot looks alike to the cache (inode, size and modification time all match).
    monkeypatch.setattr(annotations.cache, "_identity", lambda snapshot: (1, 2, 3, 4))
    path = tmp_path / "db.json"
    compacted_store(path)
    stale = (tmp_path / "db.json.cache").read_bytes()
    with AnnotationStore(path) as store:
        store.add(annotate(60, 70, label="", note="after the cache was made"))
        store.compact()
    (tmp_path / "db.json.cache").write_bytes(stale)  # as if that compaction's cache was lost
    with AnnotationStore(path) as store:
        assert len(store) == 22
        assert any(a.note == "after the cache was made" for a in store.all())


def test_unreadable_records_survive_the_cache(tmp_path: Path, always_cache: None) -> None:
    path = tmp_path / "db.json"
    compacted_store(path, count=3)
    document = json.loads(path.read_bytes())
    document["annotations"]["1"]["start"] = -1
    path.write_text(json.dumps(document))
    with AnnotationStore(path) as store:
        store.compact()  # the cache now holds the unreadable record too
    with AnnotationStore(path) as store:
        assert len(store) == 3
        assert any("document 1" in notice for notice in store.notices)
        store.compact()
    kept = [doc for doc in json.loads(path.read_bytes())["annotations"].values()]
    assert any(doc["start"] == -1 for doc in kept)


def test_a_matching_cache_is_used_instead_of_parsing_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, always_cache: None
) -> None:
    path = tmp_path / "db.json"
    made = compacted_store(path)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the snapshot was parsed although the cache matches it")

    monkeypatch.setattr(annotations.database, "iter_snapshot", no_parsing)
    with AnnotationStore(path) as store:
        assert sorted(store.all()) == sorted(made)
    (tmp_path / "db.json.cache").unlink()
    with pytest.raises(AssertionError, match="was parsed"):
        AnnotationStore(path)


def test_a_small_database_keeps_no_cache(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    compacted_store(path)
    assert not (tmp_path / "db.json.cache").exists()


def test_a_save_that_does_not_fit_on_disk_is_refused_and_leaves_the_journal_whole(
    tmp_path: Path,
) -> None:
    """A full disk, played by a file-size limit in a child process (EFBIG, like ENOSPC)."""
    path = tmp_path / "db.json"
    with AnnotationStore(path) as store:
        store.add(annotate())
    journal = tmp_path / "db.json.journal"
    before = journal.read_bytes()
    script = f"""
import resource, signal, sys
from pathlib import Path
sys.path.insert(0, {str(CHECKOUT)!r})
from annotations.errors import StoreError
from annotations.model import Annotation
from annotations.store import AnnotationStore
store = AnnotationStore(Path({str(path)!r}))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = Path({str(journal)!r}).stat().st_size + 40  # room for part of a line, not all of it
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
text = {TEXT!r}
try:
    store.add(Annotation.create(article="mayor", text=text, start=0, end=3, label="opinion",
                                annotator="ana"))
except StoreError as error:
    print(error)
print(len(store))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    message, count = result.stdout.strip().splitlines()
    # A short write is reported as what it means on a real disk: no space.
    assert "not saved to" in message and "db.json.journal" in message
    assert "no space left" in message or "file too large" in message
    assert count == "1"  # nothing applied in memory either
    assert journal.read_bytes() == before  # the part that fitted was taken back
    with AnnotationStore(path) as store:
        assert len(store) == 1
        assert store.notices == []
