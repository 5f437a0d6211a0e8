"""The manifest agrees with the bundled files, and a drifted manifest fails loudly."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

import corpus.loader as loader
from corpus.loader import ArticleLoadError, bundled_articles

CORPUS = Path(loader.__file__).parent
# CI clones the repository with ../shared beside it.
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / "manifest.json").read_bytes())
    return data


def test_manifest_sha256_matches_each_file() -> None:
    entries = manifest()["articles"]
    assert len(entries) == 5
    for entry in entries:
        data = (CORPUS / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]


def test_manifest_lists_every_bundled_file_once() -> None:
    listed = sorted(entry["file"] for entry in manifest()["articles"])
    on_disk = sorted(f"articles/{p.name}" for p in (CORPUS / "articles").glob("*.txt"))
    assert listed == on_disk


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not present")
def test_bundled_files_are_byte_identical_to_the_seeds() -> None:
    for path in sorted((CORPUS / "articles").glob("*.txt")):
        assert path.read_bytes() == (SEEDS / path.name).read_bytes(), path.name


def test_entries_have_the_documented_fields() -> None:
    for entry in manifest()["articles"]:
        assert {"id", "file", "sha256", "title", "outlet", "outlet_basis", "author", "chrome"} <= (
            set(entry)
        )
        assert entry["outlet_basis"].strip()
        for rule in entry["chrome"]:
            assert rule["from"] and rule["why"], rule


def test_bundled_articles_follow_the_manifest() -> None:
    articles = bundled_articles()
    entries = manifest()["articles"]
    assert [a.id for a in articles] == [e["id"] for e in entries]
    for a, entry in zip(articles, entries, strict=True):
        assert (a.title, a.outlet, a.author, a.sha256) == (
            entry["title"],
            entry["outlet"],
            entry["author"],
            entry["sha256"],
        )
        assert a.title in a.text
        assert Path(a.source).read_bytes().decode("utf-8") == a.text


def test_ids_are_unique_slugs() -> None:
    ids = [a.id for a in bundled_articles()]
    assert len(set(ids)) == len(ids)
    for article_id in ids:
        assert article_id == loader.slugify(article_id)


def test_outlets_and_authors_are_only_what_the_text_supports() -> None:
    by_id = {a.id: a for a in bundled_articles()}
    assert by_id["telegraph-putin-axis-of-terror"].outlet == "The Telegraph"
    assert by_id["worldcrunch-russia-hamas-alliance-undermining"].author == "Josef Rosen"
    assert by_id["kuzio-iran-war-russia-backing"].author == "Taras Kuzio"
    assert by_id["russia-hamas-alliance-of-convenience"].outlet is None
    assert by_id["kuzio-iran-war-russia-backing"].outlet is None
    for a in by_id.values():
        if a.author is not None:
            assert a.author in a.text.replace("\u00a0", " ")


def test_every_chrome_rule_resolves() -> None:
    for article, entry in zip(bundled_articles(), manifest()["articles"], strict=True):
        for rule in entry["chrome"]:
            hits = [p for p in article.paragraphs if article.text.startswith(rule["from"], p[0])]
            assert len(hits) == rule.get("count", 1), rule["from"]
            for start, end in hits:
                assert article.is_chrome(start, end), rule["from"]


# -- drift is an error, not silently wrong chrome -----------------------------------------------


def load_with(monkeypatch: pytest.MonkeyPatch, edit: Any, files: dict[str, bytes]) -> None:
    """Load the corpus from a copy of the package data in a temporary folder, edited."""
    data = manifest()
    edit(data)
    with tempfile.TemporaryDirectory() as name:
        package = Path(name)
        for relative, content in {"manifest.json": json.dumps(data).encode(), **files}.items():
            (package / relative).parent.mkdir(parents=True, exist_ok=True)
            (package / relative).write_bytes(content)
        monkeypatch.setattr(loader, "_package", lambda: package)
        loader._bundled.cache_clear()
        try:
            bundled_articles()
        finally:
            loader._bundled.cache_clear()


def real_files() -> dict[str, bytes]:
    return {e["file"]: (CORPUS / e["file"]).read_bytes() for e in manifest()["articles"]}


def test_unedited_fake_package_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    load_with(monkeypatch, lambda data: None, real_files())  # the harness itself works


def test_changed_file_fails_the_sha256_check(monkeypatch: pytest.MonkeyPatch) -> None:
    files = real_files()
    first = manifest()["articles"][0]["file"]
    files[first] += b"\n"
    with pytest.raises(ArticleLoadError, match="has changed"):
        load_with(monkeypatch, lambda data: None, files)


def test_rule_that_matches_nothing_fails_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["articles"][1]["chrome"][0]["from"] = "Saved Web Pagez"

    with pytest.raises(ArticleLoadError, match=r"Saved Web Pagez.*begins 0"):
        load_with(monkeypatch, edit, real_files())


def test_ambiguous_rule_fails_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["articles"][2]["chrome"][3]["count"] = 1  # the newsletter plug appears twice

    with pytest.raises(ArticleLoadError, match="begins 2"):
        load_with(monkeypatch, edit, real_files())


def test_missing_file_fails_the_load(monkeypatch: pytest.MonkeyPatch) -> None:
    files = real_files()
    del files[manifest()["articles"][3]["file"]]
    with pytest.raises(ArticleLoadError, match="no such file"):
        load_with(monkeypatch, lambda data: None, files)


def test_load_errors_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def edit(data: dict[str, Any]) -> None:
        del data["articles"][0]["title"]

    with pytest.raises(ArticleLoadError) as caught:
        load_with(monkeypatch, edit, real_files())
    assert "\n" not in str(caught.value) and "title" in str(caught.value)
