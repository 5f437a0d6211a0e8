"""`reader agree` run as users run it (a subprocess) on a real store in tmp_path, tagged with
sentences of the bundled articles by two, then three annotators."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.agreement import OVERALL, cohen_kappa
from annotations.editing import EditSession
from annotations.store import AnnotationStore
from corpus.model import Article


def tag(path: Path, who: str, article: Article, plan: dict[int, str]) -> None:
    with AnnotationStore(path) as store:
        session = EditSession(store, who)
        for index, label in plan.items():
            assert session.toggle(article, article.sentences[index], label) is not None


def agree(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", "agree", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def two(tmp_path: Path, bundled: list[Article]) -> Path:
    path = tmp_path / "db.json"
    first = bundled[0]
    tag(path, "ana", first, {2: "claim", 3: "claim", 5: "opinion"})
    tag(path, "bo", first, {2: "claim", 3: "opinion", 6: "claim"})
    tag(path, "cy", bundled[1], {1: "claim"})  # alone on its article: not compared
    return path


def row_of(lines: list[str], label: str) -> list[str]:
    return next(line.split() for line in lines if line.startswith(label + " "))


def test_two_annotators_table_and_disagreements(two: Path, bundled: list[Article]) -> None:
    result = agree(two)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Annotators: ana, bo"
    assert lines[2].split() == ["label", "units", "annotators", "kappa", "alpha", "u-alpha"]
    units = len(bundled[0].sentences)
    claim = row_of(lines, "claim")
    # claim: both on 2, ana alone on 3, bo alone on 6, nobody on the rest.
    pairs = [("y", "y"), ("y", "n"), ("n", "y")] + [("n", "n")] * (units - 3)
    expected = cohen_kappa(pairs)
    assert expected is not None
    assert claim[:3] == ["claim", str(units), "2"] and claim[3] == f"{expected:.3f}"
    assert -1.0 <= float(claim[5]) < 1.0
    assert "Disagreements: 3" in lines
    first = bundled[0]
    start, end = first.sentences[3]
    at = lines.index("    ana: claim; bo: opinion")
    assert lines[at - 1].startswith(f"{first.id} {start}-{end} “")
    assert "    ana: opinion; bo: -" in lines and "    ana: -; bo: claim" in lines
    quote = lines[at - 1].split("“", 1)[1].removesuffix("”")
    words = " ".join(first.text[start:end].split())
    assert quote == (words if len(words) <= 60 else words[:59] + "…") and len(quote) <= 60
    longest = max(end - start for start, end in first.sentences)
    assert longest > 60  # so that some quote here is shortened
    assert any(line.endswith("…”") for line in lines)


def test_json_has_rows_and_disagreements(two: Path, bundled: list[Article]) -> None:
    result = agree(two, "--format", "json")
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert parsed["annotators"] == ["ana", "bo"]
    assert [row["label"] for row in parsed["rows"]] == ["claim", "opinion", OVERALL]
    assert all(isinstance(row["u_alpha"], float) for row in parsed["rows"])
    assert all(isinstance(row["kappa"], float) for row in parsed["rows"])
    first = parsed["disagreements"][0]
    start, end = bundled[0].sentences[3]
    assert (first["start"], first["end"]) == (start, end)
    assert first["quote"] == bundled[0].text[start:end]
    assert first["labels"] == {"ana": ["claim"], "bo": ["opinion"]}


def test_three_annotators_have_no_kappa(two: Path, bundled: list[Article]) -> None:
    tag(two, "cy", bundled[0], {2: "claim", 3: "claim"})
    lines = agree(two).stdout.splitlines()
    assert lines[0] == "Annotators: ana, bo, cy"
    claim = row_of(lines, "claim")
    assert claim[2] == "3" and claim[3] == "n/a" and claim[4] != "n/a"
    assert "    ana: claim; bo: opinion; cy: claim" in lines
    # Only two of them: kappa again, and only their disagreements.
    named = agree(two, "--annotator", "ana", "--annotator", "cy").stdout.splitlines()
    assert named[0] == "Annotators: ana, cy"
    assert row_of(named, "claim")[3] != "n/a"
    assert "    ana: claim; cy: claim" not in named
    assert "    ana: opinion; cy: -" in named


def test_label_option_keeps_that_label(two: Path) -> None:
    lines = agree(two, "--label", "opinion").stdout.splitlines()
    labels = [line.split()[0] for line in lines[3:] if line and not line.startswith("Disagree")]
    assert labels[:2] == ["opinion", OVERALL.split()[0]]
    assert not any(line.startswith("claim ") for line in lines)


def test_label_option_restricts_the_overall_row_and_the_disagreements(
    tmp_path: Path, bundled: list[Article]
) -> None:
    # ana and bo agree on every "unverified" and differ only on claim against opinion.
    db = tmp_path / "db.json"
    first = bundled[0]
    tag(db, "ana", first, {2: "claim", 3: "unverified", 5: "unverified"})
    tag(db, "bo", first, {2: "opinion", 3: "unverified", 5: "unverified"})
    everything = agree(db).stdout.splitlines()
    assert row_of(everything, OVERALL)[4] != "1.000" and "Disagreements: 1" in everything
    result = agree(db, "--label", "unverified")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    overall = row_of(lines, OVERALL)
    assert overall[-3:-1] == ["1.000", "1.000"]  # kappa and alpha
    assert row_of(lines, "unverified")[-3:-1] == ["1.000", "1.000"]
    assert "Disagreements: 0" in lines
    parsed = json.loads(agree(db, "--label", "unverified", "--format", "json").stdout)
    assert [row["label"] for row in parsed["rows"]] == ["unverified", OVERALL]
    assert parsed["rows"][1]["kappa"] == pytest.approx(1.0)
    assert parsed["rows"][1]["alpha"] == pytest.approx(1.0)
    assert parsed["disagreements"] == []
    # On the label they differ on, the disagreement is listed with that label only.
    claim = agree(db, "--label", "claim").stdout.splitlines()
    assert "Disagreements: 1" in claim and "    ana: claim; bo: -" in claim


def run_into(db: Path, stdout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", "agree", "--db", str(db)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_ends_with_one_line_and_exit_1(two: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = run_into(two, full.fileno())
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "reader: error: cannot write the output: no space left on device"
    ]


def test_a_closed_pipe_ends_with_one_line_and_exit_1(two: Path) -> None:
    # The pipe's reader is gone before the command starts: its first write fails.
    reader, writer = os.pipe()
    os.close(reader)
    try:
        result = run_into(two, writer)
    finally:
        os.close(writer)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "reader: error: the output was closed before the report ended"
    ]


def test_nothing_to_compare_says_so(two: Path) -> None:
    result = agree(two, "--annotator", "cy")
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.startswith("reader: nothing to compare: ")


def test_unreadable_database_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "db.json"
    bad.write_text("{not json", encoding="utf-8")
    result = agree(bad)
    assert result.returncode == 1 and result.stderr.startswith("reader: error: ")
