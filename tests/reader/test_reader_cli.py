"""The command line: `reader export` and the start-up checks of `reader` (reader.cli.main)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from reader_helpers import DOCUMENTED_FIELDS

import reader.app
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.model import Article
from reader.cli import main


@dataclass
class Filled:
    db: Path
    annotations: list[Annotation]
    texts: dict[str, str]


@pytest.fixture
def filled(tmp_path: Path, bundled: list[Article]) -> Filled:
    """A database with one annotation per label, over three bundled articles, and a note (a
    record of its own) on the opinion's sentence with a comma, a quote and a line break (the
    CSV must quote it)."""
    db = tmp_path / "annotations.json"
    made = []
    for article, index, label, note in [
        (bundled[0], 1, "claim", ""),
        (bundled[1], 3, "opinion", ""),
        (bundled[1], 3, "", 'Rogin\'s view, "strongly" put\nsecond line'),
        (bundled[2], 40, "unverified", ""),
    ]:
        start, end = article.sentences[index]
        made.append(
            Annotation.create(
                article=article.id,
                text=article.text,
                start=start,
                end=end,
                label=label,
                annotator="ana",
                note=note,
                article_sha256=article.sha256,
            )
        )
    with AnnotationStore(db) as store:
        for annotation in made:
            store.add(annotation)
    return Filled(db, made, {a.id: a.text for a in bundled})


def check_quotes(records: list[dict[str, object]], texts: dict[str, str]) -> None:
    for record in records:
        start, end = int(str(record["start"])), int(str(record["end"]))
        assert record["quote"] == texts[str(record["article"])][start:end]


def one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("reader: error: ")
    assert "Traceback" not in stderr
    return lines[0]


def test_export_jsonl_to_a_file(
    filled: Filled, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.jsonl"
    assert main(["export", "--format", "jsonl", "--db", str(filled.db), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 4
    for record in records:
        assert list(record) == DOCUMENTED_FIELDS
        assert isinstance(record["start"], int) and isinstance(record["end"], int)
    # By article; within a passage the order of its records is the store's business.
    assert [r["article"] for r in records] == sorted(a.article for a in filled.annotations)
    assert sorted(records, key=lambda r: str(r["id"])) == sorted(
        (a.to_record() for a in filled.annotations), key=lambda r: str(r["id"])
    )
    check_quotes(records, filled.texts)
    assert f"exported 4 records to {out}" in capsys.readouterr().err


def test_export_csv_to_a_file(filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    assert main(["export", "--format", "csv", "--db", str(filled.db), "-o", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == DOCUMENTED_FIELDS
        rows = list(reader)
    assert len(rows) == 4
    check_quotes(rows, filled.texts)
    by_label = {row["label"]: row for row in rows}
    assert by_label[""]["note"] == 'Rogin\'s view, "strongly" put\nsecond line'
    assert by_label[""]["motivation"] == "commenting"
    assert (by_label["opinion"]["note"], by_label["opinion"]["motivation"]) == ("", "tagging")
    assert {row["id"] for row in rows} == {a.id for a in filled.annotations}


def test_export_jsonl_to_stdout(filled: Filled, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(filled.db)]) == 0  # jsonl is the default
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert sorted(r["id"] for r in records) == sorted(a.id for a in filled.annotations)
    assert [r["article"] for r in records] == sorted(a.article for a in filled.annotations)
    check_quotes(records, filled.texts)
    assert captured.err == ""


def test_export_csv_to_stdout(filled: Filled, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "csv", "--db", str(filled.db)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert len(rows) == 4
    assert list(rows[0]) == DOCUMENTED_FIELDS
    check_quotes(rows, filled.texts)


def test_export_one_article(filled: Filled, capsys: pytest.CaptureFixture[str]) -> None:
    wanted = filled.annotations[1].article
    assert main(["export", "--db", str(filled.db), "--article", wanted]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["article"] for r in records] == [wanted, wanted]  # its label and its note


def test_export_reads_reader_db_when_no_db_option_is_given(
    filled: Filled, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("READER_DB", str(filled.db))
    assert main(["export"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4


def test_export_without_a_database_yet_writes_an_empty_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.json"
    assert main(["export", "--db", str(missing)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"no annotation database at {missing}" in captured.err
    assert not missing.exists()  # exporting does not create a database


def test_export_warns_about_quotes_that_no_longer_match(
    tmp_path: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "stale.json"
    article = bundled[0]
    start, end = article.sentences[1]
    # Names the bundled text by its hash, but its quote is not that text's words at its
    # offsets (edited by hand, or written by a tool that got the offsets wrong).
    shifted = Annotation.create(
        article=article.id, text=article.text, start=start, end=end, label="claim", annotator="ana"
    ).evolve(start=start + 1, end=end + 1)
    assert article.text[start + 1 : end + 1] != shifted.quote
    # Made on an older version of the text: not checked against this one (re-anchoring, not
    # export, deals with it), so no warning.
    older = Annotation.create(
        article=article.id,
        text="An older version of the article text, since edited.",
        start=3,
        end=8,
        label="claim",
        annotator="ana",
    )
    with AnnotationStore(db) as store:
        store.add(shifted)
        store.add(older)
    assert main(["export", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    exported = {json.loads(line)["id"] for line in captured.out.splitlines()}
    assert exported == {shifted.id, older.id}  # warned about, still exported
    warnings = captured.err.strip().splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith("reader: warning: ") and shifted.id in warnings[0]


def test_export_to_a_missing_folder_fails_with_one_line(
    filled: Filled, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "all.jsonl"
    assert main(["export", "--db", str(filled.db), "-o", str(out)]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert "does not exist" in line
    assert not out.parent.exists()


def test_export_to_a_folder_fails_with_one_line(
    filled: Filled, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--format", "csv", "--db", str(filled.db), "-o", str(tmp_path)]) == 1
    assert "directory" in one_error_line(capsys.readouterr().err)


CORRUPT = b'{"annotations": {"1": {"id": "x", '  # cut off mid-write by something else


def test_export_from_a_corrupt_database_fails_and_leaves_it_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "corrupt.json"
    db.write_bytes(CORRUPT)
    stamp = db.stat().st_mtime_ns
    out = tmp_path / "out.jsonl"
    assert main(["export", "--db", str(db), "-o", str(out)]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert "corrupt" in line and str(db) in line
    assert db.read_bytes() == CORRUPT
    assert db.stat().st_mtime_ns == stamp
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corrupt.json"]


def test_reader_with_a_corrupt_database_fails_before_starting_the_ui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def must_not_run(self: object, *args: object, **kwargs: object) -> None:
        raise AssertionError("the UI was started")

    monkeypatch.setattr(reader.app.NewsReaderApp, "run", must_not_run)
    db = tmp_path / "corrupt.json"
    db.write_bytes(CORRUPT)
    assert main(["--db", str(db)]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert "corrupt" in line and str(db) in line
    assert db.read_bytes() == CORRUPT


def test_reader_with_no_readable_article_fails_before_starting_the_ui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def must_not_run(self: object, *args: object, **kwargs: object) -> None:
        raise AssertionError("the UI was started")

    monkeypatch.setattr(reader.app.NewsReaderApp, "run", must_not_run)
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("caf\xe9".encode("latin-1"))
    assert main([str(bad), str(tmp_path / "absent.txt")]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1] == "reader: error: no readable articles to open"
    assert any("not UTF-8" in line for line in lines[:-1])
    assert any("absent.txt" in line for line in lines[:-1])
    assert "Traceback" not in "\n".join(lines)


def test_file_names_with_escape_sequences_are_shown_not_obeyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "clear\x1b[2Jscreen.txt"
    assert main([str(hostile)]) == 1
    err = capsys.readouterr().err
    assert "clear␛[2Jscreen.txt" in err
    assert "\x1b" not in err


def test_reader_opens_the_app_on_the_given_files_and_closes_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reader FILE --db X --annotator NAME` hands the app what the options say."""
    seen: dict[str, object] = {}

    def fake_run(self: reader.app.NewsReaderApp, *args: object, **kwargs: object) -> None:
        seen["articles"] = [a.title for a in self.articles]
        seen["db"] = self.store.path
        seen["annotator"] = self.annotator
        seen["cache"] = self.entity_cache.directory
        seen["store"] = self.store

    monkeypatch.setattr(reader.app.NewsReaderApp, "run", fake_run)
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    article = tmp_path / "mine.txt"
    article.write_text("My own headline\n\nBody text.\n", encoding="utf-8")
    db = tmp_path / "mine.json"
    assert main([str(article), "--db", str(db), "--annotator", "zoe"]) == 0
    assert seen["articles"] == ["My own headline"]
    assert seen["db"] == db
    assert seen["annotator"] == "zoe"
    assert seen["cache"] == tmp_path / "cache"
    store = seen["store"]
    assert isinstance(store, AnnotationStore)
    with pytest.raises(Exception, match="closed"):
        store.all()


def test_export_takes_the_format_from_the_file_name(filled: Filled, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert main(["export", "--db", str(filled.db), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("id,article,")
    # Any case: X.CSV is a CSV file too.
    shouting = tmp_path / "X.CSV"
    assert main(["export", "--db", str(filled.db), "-o", str(shouting)]) == 0
    assert shouting.read_text(encoding="utf-8").startswith("id,article,")
    for name in ("x.jsonl", "x.json"):
        lines = tmp_path / name
        assert main(["export", "--db", str(filled.db), "-o", str(lines)]) == 0
        records = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
        assert len(records) == len(filled.annotations), name
    # --format wins over the name.
    forced = tmp_path / "y.csv"
    assert main(["export", "--format", "jsonl", "--db", str(filled.db), "-o", str(forced)]) == 0
    assert forced.read_text(encoding="utf-8").startswith("{")


def test_export_to_a_name_of_no_known_format_fails_with_one_line(
    filled: Filled, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("x.xlsx", "no-ending"):
        out = tmp_path / name
        assert main(["export", "--db", str(filled.db), "-o", str(out)]) == 1
        line = one_error_line(capsys.readouterr().err)
        assert name in line and "--format" in line
        assert not out.exists()
    # Given a format, any name will do.
    out = tmp_path / "x.xlsx"
    assert main(["export", "--format", "csv", "--db", str(filled.db), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("id,article,")


def test_export_carries_entity_corrections_as_records_of_their_own(
    filled: Filled, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    from annotations.editing import EditSession

    article = bundled[0]
    start = article.text.index("Putin")
    with AnnotationStore(filled.db) as store:
        session = EditSession(store, "ana")
        session.reject_entity(article, (start, start + len("Putin")))
        session.merge_entities("putin", "vladimir putin")
    assert main(["export", "--db", str(filled.db)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    corrections = [r for r in records if r.get("type") == "EntityCorrection"]
    assert {r["kind"] for r in corrections} == {"reject", "merge"}
    [reject] = [r for r in corrections if r["kind"] == "reject"]
    assert (reject["article"], reject["start"], reject["quote"]) == (article.id, start, "Putin")
    assert len(records) == 4 + 2
    # One article: its own corrections, not those of the whole corpus (merges name none).
    assert main(["export", "--db", str(filled.db), "--article", bundled[1].id]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert not [r for r in records if r.get("type") == "EntityCorrection"]


def test_the_cli_reads_as_many_articles_up_front_as_the_first_screen_shows() -> None:
    from reader.cli import FIRST_SCREEN_ARTICLES
    from reader.screens.reader_screen import MAX_PANES

    assert FIRST_SCREEN_ARTICLES == MAX_PANES


def test_reader_on_a_folder_reads_only_the_first_screen_before_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from corpus import loader

    folder = tmp_path / "folder"
    folder.mkdir()
    for index in range(20):
        (folder / f"{index:02d}.txt").write_text(f"Title {index}\n\nText {index}.\n")
    read: list[str] = []
    real_load = loader.load_article
    monkeypatch.setattr(
        loader, "load_article", lambda path: read.append(path.name) or real_load(path)
    )
    seen: dict[str, int] = {}

    def run(self: reader.app.NewsReaderApp) -> None:
        seen["articles"] = len(self.articles)
        seen["read"] = len(read)

    monkeypatch.setattr(reader.app.NewsReaderApp, "run", run)
    assert main([str(folder), "--db", str(tmp_path / "db.json")]) == 0
    assert seen == {"articles": 20, "read": 3}


def test_plain_reader_has_the_parsers_defaults() -> None:
    # `reader` alone skips the parser (reader_options): its options must be the parser's own.
    from reader.cli import ReaderOptions, _reader_parser, reader_options

    parsed = vars(_reader_parser().parse_args([]))
    assert set(parsed) == set(ReaderOptions._fields)
    assert reader_options([]) == ReaderOptions(**parsed)
    assert reader_options(["a.txt", "--db", "x.json", "--annotator", "ana"]) == ReaderOptions(
        [Path("a.txt")], "x.json", "ana"
    )
