"""ArticleShelf: a folder of articles opens without reading them; each is read when needed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from corpus import loader
from corpus.loader import ArticleShelf, article_id, load_article, load_paths, shelve_paths


def write_folder(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    files = []
    for index in range(count):
        file = folder / f"{index:03d}.txt"
        file.write_text(f"Headline {index}\n\nBody of article {index}. It is short.\n")
        files.append(file)
    return files


def test_nothing_is_read_until_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = write_folder(tmp_path / "many", 50)
    read: list[Path] = []
    real_load = loader.load_article

    def counting(path: Path) -> object:
        read.append(path)
        return real_load(path)

    monkeypatch.setattr(loader, "load_article", counting)
    shelf, problems = shelve_paths([tmp_path / "many"], ready=3)
    assert problems == []
    assert len(shelf) == 50
    assert read == files[:3]  # the first screen's articles only
    assert [a.title for a in shelf.read_so_far()] == ["Headline 0", "Headline 1", "Headline 2"]
    assert shelf.id_at(40) == article_id(files[40])
    assert shelf.index_of(article_id(files[40])) == 40
    assert len(read) == 3  # ids come from paths
    assert shelf[40].title == "Headline 40"
    assert read[-1] == files[40] and shelf.is_read(40) and not shelf.is_read(39)
    assert shelf[40] is shelf[40]  # read once
    # The same articles, in the same order, as reading them all at once gives.
    assert list(shelf) == load_paths([tmp_path / "many"])[0]


def test_unreadable_first_files_are_reported_and_dropped(tmp_path: Path) -> None:
    files = write_folder(tmp_path / "some", 4)
    files[0].write_bytes(b"\xff\xfe not utf-8")
    files[1].write_text("   \n")
    shelf, problems = shelve_paths([tmp_path / "some"], ready=1)
    assert len(shelf) == 2
    assert shelf[0].title == "Headline 2"
    assert len(problems) == 2 and "not UTF-8" in problems[0] and "empty" in problems[1]


def test_a_file_unreadable_when_needed_stands_as_an_article_saying_so(tmp_path: Path) -> None:
    files = write_folder(tmp_path / "later", 3)
    shelf, _ = shelve_paths([tmp_path / "later"], ready=1)
    files[2].unlink()
    gone = shelf[2]
    assert gone.title == "(unreadable) 002.txt"
    assert "no such file" in gone.text
    assert gone.id == article_id(files[2])


def test_a_file_named_twice_is_one_article(tmp_path: Path) -> None:
    files = write_folder(tmp_path / "twice", 2)
    os.symlink(files[0], tmp_path / "link.txt")
    shelf, problems = shelve_paths([files[0], tmp_path / "link.txt", tmp_path / "twice"])
    assert problems == []
    assert len(shelf) == 2


def test_a_shelf_of_articles_already_read(tmp_path: Path) -> None:
    files = write_folder(tmp_path / "read", 2)
    articles = [load_article(file) for file in files]
    shelf = ArticleShelf.of(articles)
    assert ArticleShelf.of(shelf) is shelf
    assert list(shelf) == articles and shelf.read_so_far() == articles
    assert shelf.by_id(articles[1].id) is articles[1]
    assert shelf.by_id("nope") is None
    assert shelf[0:2] == articles
