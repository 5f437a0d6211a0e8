import csv
import io
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations.export import (
    FORMATS,
    ExportError,
    export_to_path,
    verify_quotes,
    write_export,
)
from annotations.model import FIELDS, Annotation, text_sha256

TEXTS = {
    "awkward": (
        'He said, "no comment", then left.\nLater:\r\n“We’ll see, maybe.” 🙂'
        " Odd\u2028separator and \u0085next-line too."
    ),
    "plain": "A plain sentence. Another one.",
}


def sample() -> list[Annotation]:
    text = TEXTS["awkward"]
    spans = [
        (0, 21, "claim", 'note with "quotes", commas,\nand a newline'),
        (9, text.index("\n") + 7, "opinion", ""),  # the quote spans a newline
        (text.index("“"), text.index("”") + 1, "unverified", "emoji 🙂, \r\n CRLF"),
        (text.index("Odd"), len(text), "claim", "line\u2028separator"),
    ]
    made: list[Annotation] = []
    for s, e, label, note in spans:
        # A label and a note on one passage are two records.
        made.append(
            Annotation.create(
                article="awkward", text=text, start=s, end=e, label=label, annotator="ana"
            )
        )
        if note:
            made.append(
                Annotation.create(
                    article="awkward", text=text, start=s, end=e, note=note, annotator="ana"
                )
            )
    # A re-anchored record: its previous_* fields and a fractional score survive export too.
    made.append(
        Annotation.create(
            article="awkward", text=text, start=0, end=7, label="claim", annotator="ana"
        ).moved_to(text, 9, 21, sha256=made[0].article_sha256, anchor="fuzzy", score=0.8125)
    )
    made.append(
        Annotation.create(
            article="plain", text=TEXTS["plain"], start=0, end=17, label="claim", annotator="bo"
        )
    )
    return made


def read_jsonl(content: str) -> list[Annotation]:
    records = [json.loads(line) for line in content.split("\n") if line]
    assert all(list(record) == list(FIELDS) for record in records)
    return [Annotation.from_record(record) for record in records]


def read_csv(content: str) -> list[Annotation]:
    reader = csv.DictReader(io.StringIO(content, newline=""))
    assert tuple(reader.fieldnames or ()) == FIELDS
    rows = list(reader)
    return [Annotation.from_record(row | typed_columns(row)) for row in rows]


def typed_columns(row: dict[str, str]) -> dict[str, object]:
    """CSV cells are text: the numbers back as numbers, an empty previous offset as null."""
    optional = ("previous_start", "previous_end")
    return {
        "start": int(row["start"]),
        "end": int(row["end"]),
        "anchor_score": float(row["anchor_score"]),
        **{name: int(row[name]) if row[name] else None for name in optional},
    }


def test_formats() -> None:
    # The app's own two first: the export dialog and --format offer them in this order.
    assert FORMATS[:2] == ("jsonl", "csv")
    assert {"w3c", "brat", "spacy", "conll", "md", "html"} <= set(FORMATS)


def test_jsonl_round_trip(tmp_path: Path) -> None:
    annotations = sample()
    out = io.StringIO()
    assert write_export(annotations, "jsonl", out) == len(annotations)
    content = out.getvalue()
    assert "🙂" in content and "“" in content  # ensure_ascii=False
    # One record per line, even by str.splitlines(), which also splits on U+2028 and U+0085.
    assert len(content.splitlines()) == len(annotations)
    assert read_jsonl(content) == annotations


def test_csv_round_trip_through_csv_reader(tmp_path: Path) -> None:
    annotations = sample()
    path = tmp_path / "out.csv"
    assert export_to_path(annotations, "csv", path) == len(annotations)
    with path.open(encoding="utf-8", newline="") as handle:
        content = handle.read()
    assert read_csv(content) == annotations


def test_jsonl_to_path_is_utf8_and_matches_the_stream_writer(tmp_path: Path) -> None:
    annotations = sample()
    path = tmp_path / "out.jsonl"
    assert export_to_path(annotations, "jsonl", path) == len(annotations)
    stream = io.StringIO(newline="")
    write_export(annotations, "jsonl", stream)
    assert path.read_bytes() == stream.getvalue().encode("utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert os.listdir(tmp_path) == ["out.jsonl"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_every_exported_quote_is_the_text_at_its_offsets(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"out.{fmt}"
    export_to_path(sample(), fmt, path)
    with path.open(encoding="utf-8", newline="") as handle:
        content = handle.read()
    parsed = read_jsonl(content) if fmt == "jsonl" else read_csv(content)
    for annotation in parsed:
        assert annotation.quote == TEXTS[annotation.article][annotation.start : annotation.end]


def test_empty_export_writes_only_the_csv_header() -> None:
    out = io.StringIO(newline="")
    assert write_export([], "csv", out) == 0
    assert out.getvalue() == ",".join(FIELDS) + "\r\n"
    out = io.StringIO()
    assert write_export([], "jsonl", out) == 0
    assert out.getvalue() == ""


def assert_one_line(error: ExportError, *fragments: str) -> None:
    message = str(error)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_missing_directory(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "out.csv"
    with pytest.raises(ExportError) as raised:
        export_to_path(sample(), "csv", target)
    assert_one_line(raised.value, "does not exist", str(tmp_path / "nowhere"))
    assert os.listdir(tmp_path) == []


def test_path_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as raised:
        export_to_path(sample(), "jsonl", tmp_path)
    assert_one_line(raised.value, "is a directory")
    assert os.listdir(tmp_path) == []


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as raised:
        export_to_path(sample(), "xlsx", tmp_path / "out.xlsx")
    assert_one_line(raised.value, "'xlsx'", "jsonl, csv")
    with pytest.raises(ExportError):
        write_export(sample(), "xlsx", io.StringIO())
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_permission_denied(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ExportError) as raised:
            export_to_path(sample(), "csv", locked / "out.csv")
    finally:
        locked.chmod(0o700)
    assert_one_line(raised.value, "permission denied")
    assert os.listdir(locked) == []


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Also runs as root, where real permissions are not enforced.
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(ExportError) as raised:
        export_to_path(sample(), "csv", tmp_path / "out.csv")
    assert_one_line(raised.value, "cannot export to", "permission denied")
    assert os.listdir(tmp_path) == []


def test_failure_during_write_keeps_the_old_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old export\n")

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(ExportError) as raised:
        export_to_path(sample(), "csv", target)
    monkeypatch.undo()
    assert_one_line(raised.value, "no space left on device")
    assert target.read_bytes() == b"old export\n"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_failing_source_leaves_nothing_at_the_target(tmp_path: Path) -> None:
    def annotations() -> Iterator[Annotation]:
        yield sample()[0]
        raise RuntimeError("store went away")

    target = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        export_to_path(annotations(), "jsonl", target)
    assert os.listdir(tmp_path) == []


def test_replacing_an_export_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o600)
    export_to_path(sample(), "csv", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith(",".join(FIELDS))


def by_sha256(texts: dict[str, str]) -> dict[str, str]:
    return {text_sha256(text): text for text in texts.values()}


def test_verify_quotes_accepts_matching_annotations() -> None:
    assert verify_quotes(sample(), by_sha256(TEXTS)) == []


def test_verify_quotes_reports_quotes_that_do_not_match_their_version() -> None:
    annotations = sample()
    awkward = [a for a in annotations if a.article == "awkward"]
    # The text the annotations name by hash, with other words at their offsets (a store
    # edited by hand, a tool that wrote wrong offsets): every awkward quote is reported.
    sha = awkward[0].article_sha256
    shifted = "Inserted first.\n" + TEXTS["awkward"]
    problems = verify_quotes(annotations, {sha: shifted, **by_sha256({"plain": TEXTS["plain"]})})
    assert len(problems) == len(awkward)
    for problem, annotation in zip(problems, awkward, strict=True):
        assert problem.startswith(annotation.id)
        assert "does not match" in problem
        assert "\n" not in problem


def test_verify_quotes_skips_versions_it_is_not_given() -> None:
    annotations = sample()
    # Keyed by article id (the old contract) nothing matches a hash, so nothing is checked.
    assert verify_quotes(annotations, TEXTS) == []
    # An edited article is another version: annotations on the old one are not checked
    # against it (re-anchoring deals with them), not reported as broken.
    edited = {"awkward": "Inserted first.\n" + TEXTS["awkward"], "plain": TEXTS["plain"]}
    assert verify_quotes(annotations, by_sha256(edited)) == []
    only_plain = by_sha256({"plain": TEXTS["plain"]})
    wrong = [a.evolve(quote="x" * len(a.quote)) for a in annotations if a.article == "plain"]
    assert len(verify_quotes([*annotations, *wrong], only_plain)) == len(wrong)
