"""`reader entities`: the grouped entity index from the cache, with the store's corrections."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.editing import EditSession
from annotations.store import AnnotationStore
from corpus.model import Article
from reader.cli import main


@pytest.fixture(autouse=True)
def cached(entity_cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("READER_CACHE_DIR", str(entity_cache_dir))
    monkeypatch.setenv("READER_DB", str(tmp_path / "db.json"))


def records(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, object]]:
    assert main(["entities", *argv]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_one_record_an_entry_with_its_variants_mentions_and_counts(
    capsys: pytest.CaptureFixture[str], bundled: list[Article]
) -> None:
    texts = {article.id: article.text for article in bundled}
    found = records(capsys)
    assert found
    for record in found:
        mentions = record["mentions"]
        assert isinstance(mentions, list) and record["total"] == len(mentions)
        counts = record["counts"]
        assert isinstance(counts, dict) and sum(counts.values()) == len(mentions)
        for mention in mentions:
            text = texts[mention["article"]]
            assert text[mention["start"] : mention["end"]] == mention["text"]
    marzouk = next(r for r in found if "Marzouk" in str(r["name"]))
    variants = marzouk["variants"]
    assert isinstance(variants, list)
    assert {"Mousa Abu Marzouk", "Musa Abu Marzouk"} <= set(variants)
    assert marzouk["type"] == "PERSON"
    totals = [r["total"] for r in found]
    assert totals == sorted(totals, reverse=True)  # most mentioned first


def test_corrections_in_the_store_are_applied(
    capsys: pytest.CaptureFixture[str], bundled: list[Article], tmp_path: Path
) -> None:
    before = {str(r["key"]): r for r in records(capsys)}
    hamas = before["ORG:hamas"]
    mentions = hamas["mentions"]
    assert isinstance(mentions, list)
    first = mentions[0]
    article = next(a for a in bundled if a.id == first["article"])
    with AnnotationStore(tmp_path / "db.json") as store:
        session = EditSession(store, "ana")
        session.reject_entity(article, (first["start"], first["end"]))
        session.merge_entities("moscow", "russia")
    after = {str(r["key"]): r for r in records(capsys)}
    assert after["ORG:hamas"]["total"] == int(str(hamas["total"])) - 1
    merged = [r for r in after.values() if {"Moscow", "Russia"} <= set(r["variants"])]  # type: ignore[arg-type]
    assert len(merged) == 1


def test_csv_to_a_file_and_articles_without_cache_are_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "index.csv"
    assert main(["entities", "-o", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and list(rows[0]) == [
        "key",
        "name",
        "type",
        "variants",
        "total",
        "counts",
        "mentions",
    ]
    assert int(rows[0]["total"]) == len(json.loads(rows[0]["mentions"]))
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "empty-cache"))
    assert main(["entities"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "5 article(s) have no entities cached yet" in captured.err
    assert "reader ner" in captured.err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_line_and_exit_status_1(entity_cache_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "READER_CACHE_DIR": str(entity_cache_dir)}
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "reader", "entities"],
            stdout=full,
            stderr=subprocess.PIPE,
            env=env,
            cwd=tmp_path,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reader entities: error: cannot write"), lines


def test_a_special_file_is_refused_never_replaced(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["entities", "-o", os.devnull]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a regular file" in err[0], err
    assert not Path(os.devnull).is_file()
