"""brat standoff: offsets checked against the .txt written, annotation.conf complete, a folder
as brat itself writes it (discontinuous spans, events, relations, attributes, normalisations,
notes, a bad line), and export -> import -> export through the real commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from token_format_samples import GOLDEN, UPDATE_GOLDEN, sample

from annotations.formats import brat
from annotations.formats.parsed import ParsedSet
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.loader import bundled_articles


def written(tmp_path: Path) -> Path:
    folder = tmp_path / "brat"
    folder.mkdir()
    for name, data in brat.write(sample().export).items():
        (folder / name).write_bytes(data)
    return folder


def ann_lines(folder: Path) -> list[tuple[Path, str]]:
    return [
        (ann, line)
        for ann in sorted(folder.glob("*.ann"))
        for line in ann.read_text(encoding="utf-8").splitlines()
    ]


def test_every_text_bound_annotation_quotes_the_txt_at_its_offsets(tmp_path: Path) -> None:
    folder = written(tmp_path)
    lines = [(ann, line) for ann, line in ann_lines(folder) if line.startswith("T")]
    assert lines
    for ann, line in lines:
        text = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        _tid, kind_offsets, quoted = line.split("\t")
        _kind, offsets = kind_offsets.split(" ", 1)
        fragments = [tuple(int(n) for n in part.split()) for part in offsets.split(";")]
        assert " ".join(text[s:e] for s, e in fragments) == quoted
        assert "\n" not in quoted


def test_annotation_conf_declares_every_type_used(tmp_path: Path) -> None:
    folder = written(tmp_path)
    conf = (folder / "annotation.conf").read_text(encoding="utf-8").splitlines()
    for section in ("[entities]", "[relations]", "[events]", "[attributes]"):
        assert section in conf
    declared = set(conf[1 : conf.index("[relations]")]) - {""}
    used = {line.split("\t")[1].split(" ")[0] for _ann, line in ann_lines(folder) if line[0] == "T"}
    assert used <= declared
    assert all(" " not in kind for kind in used)


def test_write_then_read_gives_back_every_record_at_its_offsets(tmp_path: Path) -> None:
    """Records whose quote is the text at their offsets come back as they were; the sample's
    deliberately broken ones (a quote not at its offsets, a tag of line breaks alone) cannot be
    shown in brat and are left out of the .ann."""
    made = sample()
    folder = written(tmp_path)
    parsed = brat.read(folder)
    assert parsed.problems == []
    texts = {a.sha256: a.text for a in made.export.articles.values()}
    expected = {
        a.id: a
        for a in made.export.annotations
        if a.article_sha256 in texts
        and texts[a.article_sha256][a.start : a.end] == a.quote
        and a.quote.strip("\r\n")
    }
    got = {p.annotation.id: p.annotation for p in parsed.annotations}
    assert got == expected
    # Writing what was read gives the same files.
    again = brat.write(replace(made.export, annotations=list(got.values())))
    assert again == brat.write(made.export)


BRAT_ANN = "\n".join(
    [
        "T1\tPerson 0 5\tPutin",
        "T2\tClaim 6 10;16 21\tsays Hamas",
        "T3\tAttack 22 29\tattacks",
        "E1\tAttack:T3 Target:T1",
        "R1\tOrigin Arg1:T1 Arg2:T2",
        "A1\tNegated T2",
        "N1\tReference T1 Wikipedia:534366\tVladimir Putin",
        "#1\tAnnotatorNotes T1\tcheck the\\nspelling",
        "T4\tClaim 0 5\tNotPutin",
        "this line is not brat",
        "",
    ]
)
BRAT_TXT = "Putin says that Hamas attacks Israel.\n"


def test_a_folder_brat_wrote_is_read_with_what_it_cannot_hold_counted(tmp_path: Path) -> None:
    folder = tmp_path / "from-brat"
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "a.txt").write_text(BRAT_TXT, encoding="utf-8")
    (folder / "docs" / "a.ann").write_text(BRAT_ANN, encoding="utf-8")
    parsed = brat.read(folder)
    tags = sorted(
        (p.annotation.label, p.annotation.quote) for p in parsed.annotations if p.annotation.label
    )
    assert tags == [
        ("Attack", "attacks"),
        ("Claim", "Hamas"),
        ("Claim", "says"),
        ("Person", "Putin"),
    ]
    notes = [p.annotation for p in parsed.annotations if p.annotation.note]
    assert [(n.quote, n.note) for n in notes] == [("Putin", "check the\nspelling")]
    assert parsed.unsupported == {
        "brat event": 1,
        "brat relation": 1,
        "brat attribute": 1,
        "brat normalization": 1,
        "brat discontinuous span (split into its parts)": 1,
    }
    problems = [(p.origin.line, p.message) for p in parsed.problems]
    assert problems[0][0] == 9 and "is not the text at 0 5" in problems[0][1]
    assert problems[1] == (10, "not a brat annotation line")
    assert parsed.labels == {"Person", "Claim", "Attack"}
    assert [t.article for t in parsed.texts] == ["a"]
    assert all(p.annotation.annotator == "brat" for p in parsed.annotations)


def test_a_missing_txt_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "lone.ann").write_text("T1\tX 0 1\ta\n", encoding="utf-8")
    parsed = brat.read(tmp_path)
    assert len(parsed.problems) == 1 and "lone.txt" in parsed.problems[0].message
    assert isinstance(parsed, ParsedSet) and parsed.annotations == []


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=env
    )


def test_export_import_export_through_brat_is_lossless(tmp_path: Path) -> None:
    articles = list(bundled_articles())
    db = tmp_path / "a.json"
    with AnnotationStore(db) as store:
        for index, (article, label, who) in enumerate(
            [
                (articles[0], "claim", "ana"),
                (articles[0], "opinion", "bo"),
                (articles[2], "x y", "ana"),
            ]
        ):
            span = article.sentences[index + 1]
            store.add(Annotation.on_article(article, span, label=label, annotator=who))
        span = articles[0].sentences[1]
        note = "two\nlines\tand a tab"
        store.add(Annotation.on_article(articles[0], span, note=note, annotator="bo"))
    original = tmp_path / "original.jsonl"
    assert run("export", "-o", str(original), db=db).returncode == 0
    folder = tmp_path / "out-brat"
    result = run("export", "--format", "brat", "-o", str(folder), db=db)
    assert result.returncode == 0, result.stderr
    empty = tmp_path / "b.json"
    imported = run("import", str(folder), db=empty)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("imported: 4 added")
    again = tmp_path / "again.jsonl"
    assert run("export", "-o", str(again), db=empty).returncode == 0
    assert again.read_bytes() == original.read_bytes()
    twice = run("import", str(folder), db=empty)
    assert "0 added, 0 updated, 4 already there" in twice.stdout
    assert json.loads(original.read_text(encoding="utf-8").splitlines()[0])["id"]


@pytest.mark.parametrize("note", ["a\\b", "x\ny", "tab\there", "\\n literally"])
def test_notes_escape_and_unescape(note: str) -> None:
    assert brat.unescape_note(brat.escape_note(note)) == note
    assert "\n" not in brat.escape_note(note)


def test_golden() -> None:
    """The .ann files, their sidecars and annotation.conf of the sample export (the .txt files
    are the bundled articles verbatim, checked above against every offset)."""
    files = {
        name: data
        for name, data in brat.write(sample().export).items()
        if not name.endswith(".txt")
    }
    folder = GOLDEN / "brat"
    if os.environ.get(UPDATE_GOLDEN):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        for name, data in files.items():
            (folder / name).write_bytes(data)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files, (
        f"set {UPDATE_GOLDEN}=1 to rewrite"
    )
