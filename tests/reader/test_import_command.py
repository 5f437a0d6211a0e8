"""`reader import` of this app's JSON Lines: re-anchoring, idempotence, conflicts, bad input,
and the round trip export -> import into an empty store -> export giving identical records.

The W3C and brat readers have their own tests (tests/annotations/test_format_*.py); what the
importer does with what they read is the same code, exercised here through JSON Lines.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from reader_helpers import putin_retyped

from annotations.entity_corrections import CORRECTION_TYPE, EntityCorrection
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.model import Article
from reader.cli import main

T1 = "2026-11-30T10:00:00.000000+00:00"
T2 = "2026-12-01T10:00:00.000000+00:00"
T3 = "2026-12-02T10:00:00.000000+00:00"


def tag(
    article: Article,
    sentence: int,
    label: str = "claim",
    *,
    note: str = "",
    annotator: str = "ana",
    when: str = T1,
    text: str | None = None,
    sha256: str | None = None,
) -> Annotation:
    start, end = article.sentences[sentence]
    made = Annotation.create(
        article=article.id,
        text=article.text if text is None else text,
        start=start,
        end=end,
        label="" if note else label,
        note=note,
        annotator=annotator,
        article_sha256=article.sha256 if sha256 is None else sha256,
        source=article.source,
        title=article.title,
    )
    return made.evolve(created=when, modified=when)


def store_with(path: Path, *records: Annotation | EntityCorrection) -> Path:
    with AnnotationStore(path) as store:
        for record in records:
            if isinstance(record, Annotation):
                store.add(record)
            else:
                with store.transaction() as transaction:
                    from annotations.entity_corrections import ENTITY_CORRECTIONS

                    transaction.add(ENTITY_CORRECTIONS, record)
    return path


def write_jsonl(path: Path, *records: Annotation | dict[str, object]) -> Path:
    lines = [
        json.dumps(r.to_record() if isinstance(r, Annotation) else r, ensure_ascii=False)
        for r in records
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored(path: Path) -> dict[str, Annotation]:
    with AnnotationStore(path) as store:
        return {a.id: a for a in store.all()}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def rich_store(tmp_path: Path, bundled: list[Article]) -> Path:
    """Two annotators' tags and notes on two articles, overlapping, one re-anchored earlier
    (previous_* set), one orphan, and an entity correction."""
    first, second = bundled[0], bundled[1]
    moved = tag(first, 4, "opinion", annotator="bo", when=T2)
    moved = moved._replace(anchor="moved", previous_start=1, previous_end=9, previous_quote="x" * 8)
    orphan = tag(second, 2, "unverified", when=T2)
    orphan = orphan._replace(anchor="orphan", anchor_score=0.0)
    correction = putin_retyped(first)
    return store_with(
        tmp_path / "a.json",
        tag(first, 1),
        tag(first, 1, "opinion", annotator="bo"),
        tag(first, 1, note="two lines\nof note, and \x1b[2J an escape"),
        tag(first, 3, "label with space", when=T3),
        moved,
        tag(second, 5),
        orphan,
        correction,
    )


def test_export_import_export_is_lossless(
    rich_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first.jsonl"
    assert run(capsys, "export", "--db", str(rich_store), "-o", str(first))[0] == 0
    empty = tmp_path / "b.json"
    code, out, err = run(capsys, "import", str(first), "--db", str(empty))
    assert code == 0, err
    assert "8 added" not in out  # seven annotations and one correction, counted apart
    assert "7 added, 0 updated, 0 already there, 0 skipped, 1 orphaned" in out
    assert "entity corrections: 1 added" in out
    second = tmp_path / "second.jsonl"
    assert run(capsys, "export", "--db", str(empty), "-o", str(second))[0] == 0
    assert second.read_bytes() == first.read_bytes()
    assert stored(empty) == stored(rich_store)


def test_importing_twice_adds_nothing_twice(
    rich_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "set.jsonl"
    run(capsys, "export", "--db", str(rich_store), "-o", str(file))
    target = tmp_path / "b.json"
    assert run(capsys, "import", str(file), "--db", str(target))[0] == 0
    code, out, _err = run(capsys, "import", str(file), "--db", str(target))
    assert code == 0
    assert "0 added, 0 updated, 7 already there" in out
    assert "entity corrections: 0 added, 1 already there" in out
    assert len(stored(target)) == 7


def test_a_copy_under_another_id_is_a_duplicate(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    original = tag(bundled[0], 2)
    db = store_with(tmp_path / "db.json", original)
    copy = original._replace(id="another-id", created=T3, modified=T3)
    file = write_jsonl(tmp_path / "copy.jsonl", copy)
    code, out, _err = run(capsys, "import", str(file), "--db", str(db))
    assert code == 0 and "0 added, 0 updated, 1 already there" in out
    assert list(stored(db)) == [original.id]


@pytest.mark.parametrize("newer", ["imported", "stored"])
def test_a_conflict_is_reported_and_the_newer_kept(
    newer: str, tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tag(bundled[0], 2, note="checked with the agency", when=T2)
    theirs = mine._replace(
        note="not checked", modified=T3 if newer == "imported" else T1, annotator="ana"
    )
    db = store_with(tmp_path / "db.json", mine)
    file = write_jsonl(tmp_path / "theirs.jsonl", theirs)
    code, out, err = run(capsys, "import", str(file), "--db", str(db))
    assert code == 0
    assert f"conflict: {file}:1: annotation {mine.id} differs from the stored one in note" in err
    kept = stored(db)[mine.id]
    if newer == "imported":
        assert kept.note == "not checked" and "1 updated" in out
        assert "kept the imported one" in err
    else:
        assert kept == mine and "0 updated" in out
        assert "kept the stored one" in err


def test_a_record_made_on_an_older_text_is_moved_onto_the_current_one(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    """The record names a text version nobody has (the article was edited since: a paragraph
    added at the top); found by quote and context in the current text, its old place kept."""
    article = bundled[2]
    older = "An editor's note added later.\n\n" + article.text
    shift = len("An editor's note added later.\n\n")
    start, end = article.sentences[3]
    made = Annotation.create(
        article=article.id,
        text=older,
        start=start + shift,
        end=end + shift,
        label="claim",
        annotator="ana",
    ).evolve(created=T1, modified=T1)
    file = write_jsonl(tmp_path / "old.jsonl", made)
    db = tmp_path / "db.json"
    code, out, err = run(capsys, "import", str(file), "--db", str(db))
    assert code == 0, err
    assert "1 added" in out and "0 orphaned" in out
    placed = stored(db)[made.id]
    assert (placed.start, placed.end) == (start, end)
    assert article.text[placed.start : placed.end] == made.quote
    assert placed.article_sha256 == article.sha256 and placed.anchor == "moved"
    assert (placed.previous_start, placed.previous_sha256) == (start + shift, made.article_sha256)
    assert placed.modified == T1  # placing it is not an edit


def test_a_quote_no_longer_in_its_article_is_kept_as_an_orphan(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    article = bundled[0]
    other_text = "Nothing of the article is here. " * 20
    made = Annotation.create(
        article=article.id,
        text=other_text,
        start=8,
        end=30,
        label="claim",
        annotator="ana",
    )
    file = write_jsonl(tmp_path / "gone.jsonl", made)
    db = tmp_path / "db.json"
    code, out, _err = run(capsys, "import", str(file), "--db", str(db))
    assert code == 0 and "1 added" in out and "1 orphaned" in out
    kept = stored(db)[made.id]
    assert kept.anchor == "orphan" and kept.quote == made.quote


def test_bad_records_are_named_with_file_and_line_and_the_rest_imported(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    good = tag(bundled[0], 2)
    nowhere = Annotation.create(
        article="no-such-article",
        text="words nobody has written",
        start=0,
        end=5,
        label="claim",
        annotator="ana",
    )
    file = tmp_path / "mixed.jsonl"
    file.write_text(
        "\n".join(
            [
                json.dumps(good.to_record()),
                "{not json",
                json.dumps({**good.to_record(), "start": -4}),
                "[1, 2]",
                json.dumps(nowhere.to_record()),
                "",
            ]
        ),
        encoding="utf-8",
    )
    db = tmp_path / "db.json"
    code, out, err = run(capsys, "import", str(file), "--db", str(db))
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith(f"reader: {file}:2: not JSON") for line in lines)
    assert any(line.startswith(f"reader: {file}:3: not a valid record") for line in lines)
    assert any(line.startswith(f"reader: {file}:4: not a record") for line in lines)
    assert any(
        line.startswith(f"reader: {file}:5: article 'no-such-article'") and "--articles" in line
        for line in lines
    )
    assert "1 added" in out and "4 skipped" in out
    assert list(stored(db)) == [good.id]


def test_strict_imports_nothing_if_anything_is_bad(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    good = tag(bundled[0], 2)
    file = tmp_path / "mixed.jsonl"
    file.write_text(json.dumps(good.to_record()) + "\n{oops\n", encoding="utf-8")
    db = tmp_path / "db.json"
    code, out, err = run(capsys, "import", str(file), "--db", str(db), "--strict")
    assert code == 1 and out == ""
    assert err.splitlines()[-1] == "reader: error: 1 bad record: nothing imported (--strict)"
    assert stored(db) == {}


def test_dry_run_saves_nothing(
    rich_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "set.jsonl"
    run(capsys, "export", "--db", str(rich_store), "-o", str(file))
    db = tmp_path / "b.json"
    code, out, _err = run(capsys, "import", str(file), "--db", str(db), "--dry-run")
    assert code == 0 and out.startswith("would import: 7 added")
    assert stored(db) == {}


def test_labels_outside_the_configuration_are_named(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    file = write_jsonl(tmp_path / "x.jsonl", tag(bundled[0], 2, "satire"))
    code, _out, err = run(capsys, "import", str(file), "--db", str(tmp_path / "db.json"))
    assert code == 0
    assert "reader: note: new labels satire: shown and exported as labels" in err


def test_an_entity_correction_line_is_read_as_one(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    article = bundled[0]
    at = article.text.index("Hamas")
    correction = EntityCorrection.create(
        kind="reject",
        annotator="ana",
        article=article.id,
        text=article.text,
        start=at,
        end=at + 5,
    )
    file = write_jsonl(tmp_path / "c.jsonl", {"type": CORRECTION_TYPE, **correction.to_record()})
    db = tmp_path / "db.json"
    code, out, _err = run(capsys, "import", str(file), "--db", str(db))
    assert code == 0 and "entity corrections: 1 added" in out
    with AnnotationStore(db) as store:
        assert store.entity_corrections() == [correction]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "reader: error: no such file or folder: missing.jsonl"),
        (["notes.txt"], "reader: error: cannot tell the format of 'notes.txt': give --format"),
    ],
)
def test_bad_paths_end_in_one_line(
    args: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    code, _out, err = run(capsys, "import", *args)
    assert code == 1
    assert err.strip().startswith(message) and len(err.strip().splitlines()) == 1


def test_the_command_runs_as_users_run_it(rich_store: Path, tmp_path: Path) -> None:
    """A real process: `python -m reader import`, summary on stdout, exit status 0."""
    file = tmp_path / "set.jsonl"
    subprocess.run(
        [sys.executable, "-m", "reader", "export", "--db", str(rich_store), "-o", str(file)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-m", "reader", "import", str(file), "--db", str(tmp_path / "n.json")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported: 7 added")


def import_into(file: Path, db: Path, stdout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", "import", str(file), "--db", str(db)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )


SUMMARY = "7 added, 0 updated, 0 already there, 0 skipped, 1 orphaned, "
SUMMARY += "entity corrections: 1 added, 0 already there"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_for_the_summary_is_one_line_and_exit_1_with_the_records_saved(
    rich_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "set.jsonl"
    assert run(capsys, "export", "--db", str(rich_store), "-o", str(file))[0] == 0
    target = tmp_path / "n.json"
    with open("/dev/full", "wb") as full:
        result = import_into(file, target, full.fileno())
    assert result.returncode == 1
    *notes, last = result.stderr.splitlines()
    assert last == (
        f"reader: error: imported ({SUMMARY}); the summary could not be written to stdout: "
        "no space left on device"
    )
    assert all(note.startswith("reader: note: ") for note in notes)  # and no traceback
    assert stored(target) == stored(rich_store)


def test_a_closed_pipe_for_the_summary_is_one_line_and_exit_1_with_the_records_saved(
    rich_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "set.jsonl"
    assert run(capsys, "export", "--db", str(rich_store), "-o", str(file))[0] == 0
    target = tmp_path / "n.json"
    # `| true`, certainly gone: the pipe's reader is closed before the command starts.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = import_into(file, target, writer)
    finally:
        os.close(writer)
    assert result.returncode == 1
    *notes, last = result.stderr.splitlines()
    assert last == (
        f"reader: error: imported ({SUMMARY}); the summary could not be written to stdout: "
        "the output was closed"
    )
    assert all(note.startswith("reader: note: ") for note in notes)  # and no traceback
    assert stored(target) == stored(rich_store)


def test_a_hand_written_w3c_quote_selector_is_placed_by_its_context(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    """The spec's own shape (a TextQuoteSelector alone, no offsets, no version, a source we do
    not know): "Hamas delegation" stands in three bundled articles; the short prefix and suffix
    pick the one occurrence they surround. Importing twice adds it once."""
    record = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno23",
        "type": "Annotation",
        "motivation": "tagging",
        "body": {"type": "TextualBody", "purpose": "tagging", "value": "claim"},
        "target": {
            "source": "http://example.org/elsewhere",
            "selector": {
                "type": "TextQuoteSelector",
                "exact": "Hamas delegation",
                "prefix": "eceived the ",
                "suffix": " headed by M",
            },
        },
    }
    missing = {
        **record,
        "id": "http://example.org/anno24",
        "target": {
            "source": "http://example.org/elsewhere",
            "selector": {"type": "TextQuoteSelector", "exact": "words in no article at all"},
        },
    }
    file = tmp_path / "hand.jsonld"
    file.write_text(json.dumps([record, missing]), encoding="utf-8")
    db = tmp_path / "db.json"
    code, out, err = run(capsys, "import", str(file), "--db", str(db))
    assert code == 1 and "1 added" in out and "1 skipped" in out
    assert "not found: give its text with --articles" in err
    (placed,) = stored(db).values()
    holder = next(a for a in bundled if a.sha256 == placed.article_sha256)
    expected = holder.text.index("eceived the Hamas delegation headed") + len("eceived the ")
    assert (placed.start, placed.quote, placed.label) == (expected, "Hamas delegation", "claim")
    assert placed.anchor == "exact" and placed.previous_start is None
    code, out, _err = run(capsys, "import", str(file), "--db", str(db))
    assert "0 added, 0 updated, 1 already there" in out
    assert len(stored(db)) == 1


def test_w3c_export_import_export_is_lossless(
    rich_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through W3C JSON-LD instead of JSON Lines: the records that come back are the same."""
    original = tmp_path / "original.jsonl"
    run(capsys, "export", "--db", str(rich_store), "-o", str(original))
    w3c = tmp_path / "set.jsonld"
    assert run(capsys, "export", "--db", str(rich_store), "-o", str(w3c))[0] == 0
    empty = tmp_path / "b.json"
    code, out, err = run(capsys, "import", str(w3c), "--db", str(empty))
    assert code == 0, err
    assert "7 added" in out and "entity corrections: 1 added" in out
    again = tmp_path / "again.jsonl"
    run(capsys, "export", "--db", str(empty), "-o", str(again))
    assert again.read_bytes() == original.read_bytes()
