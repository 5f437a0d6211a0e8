"""Loading the user's own text files: verbatim bytes, clear one-line errors, folders, stable ids."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from corpus.loader import ArticleLoadError, load_article, load_paths


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_text_is_verbatim_including_crlf(tmp_path: Path) -> None:
    data = "Headline\r\n\r\nFirst “quoted” line.\r\nSecond line.\r\n".encode()
    article = load_article(write(tmp_path / "crlf.txt", data))
    assert article.text == data.decode("utf-8")
    assert "\r\n" in article.text
    assert article.sha256 == hashlib.sha256(data).hexdigest()
    start, end = article.sentences[1]
    assert article.text[start:end] == "First “quoted” line."


def test_metadata_of_a_user_file(tmp_path: Path) -> None:
    article = load_article(write(tmp_path / "My Notes (2).txt", b"\n  \n  The Title  \nBody."))
    assert article.title == "The Title"
    assert article.outlet is None and article.author is None
    assert article.source == os.path.realpath(tmp_path / "My Notes (2).txt")
    slug, digest = article.id.rsplit("-", 1)
    assert slug == "my-notes-2"
    assert len(digest) == 8 and int(digest, 16) >= 0


def test_long_title_is_capped(tmp_path: Path) -> None:
    article = load_article(write(tmp_path / "long.txt", ("word " * 100).encode()))
    assert len(article.title) == 120
    assert article.title.endswith("…")


def test_ids_are_stable_across_loads_and_differ_between_folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write(tmp_path / "a" / "notes.txt", b"Same text.")
    second = write(tmp_path / "b" / "notes.txt", b"Same text.")
    assert load_article(first).id == load_article(first).id
    assert load_article(first).id == load_article(tmp_path / "b" / ".." / "a" / "notes.txt").id
    assert load_article(first).id != load_article(second).id


def test_user_file_chrome_is_guessed(tmp_path: Path) -> None:
    article = load_article(write(tmp_path / "page.txt", b"Title\n\nBody text.\n\nShare this"))
    assert [article.text[s:e] for s, e in article.chrome] == ["Share this"]


def test_non_utf8_file_names_the_byte_and_position(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.txt", b"Hello world\xff more")
    with pytest.raises(ArticleLoadError) as caught:
        load_article(path)
    assert str(caught.value) == f"cannot read {path}: not UTF-8 text (byte 0xff at position 11)"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleLoadError, match=r"cannot read .*gone\.txt: no such file$"):
        load_article(tmp_path / "gone.txt")


def test_empty_and_blank_files(tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("blank.txt", b" \n\r\n\xc2\xa0\n")):
        with pytest.raises(ArticleLoadError, match="the file is empty"):
            load_article(write(tmp_path / name, data))


def test_a_folder_named_as_a_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleLoadError, match="it is a folder"):
        load_article(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", b"Text.")
    path.chmod(0)
    try:
        with pytest.raises(ArticleLoadError, match="permission denied"):
            load_article(path)
    finally:
        path.chmod(0o644)


def test_read_errors_become_one_line_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "locked.txt", b"Text.")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    articles, problems = load_paths([path])
    assert articles == []
    assert problems == [f"cannot read {path}: permission denied"]


def test_load_paths_takes_txt_files_of_a_folder_sorted_by_name(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", b"Second.")
    write(tmp_path / "a.txt", b"First.")
    write(tmp_path / "c.md", b"Not taken.")
    (tmp_path / "sub.txt").mkdir()  # a folder with a .txt name is not a file
    articles, problems = load_paths([tmp_path])
    assert [a.title for a in articles] == ["First.", "Second."]
    assert problems == []


def test_load_paths_skips_bad_files_with_one_line_messages(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", b"Good text.")
    write(tmp_path / "bad.txt", b"\xff\xfe")
    write(tmp_path / "empty.txt", b"")
    explicit = write(tmp_path / "explicit.md", b"Named on the command line.")
    articles, problems = load_paths([tmp_path, tmp_path / "missing.txt", explicit, good])
    assert [a.title for a in articles] == ["Good text.", "Named on the command line."]
    assert len(problems) == 3
    assert all("\n" not in p for p in problems)
    assert any("bad.txt: not UTF-8 text (byte 0xff at position 0)" in p for p in problems)
    assert any("empty.txt: the file is empty" in p for p in problems)
    assert any("missing.txt: no such file" in p for p in problems)


def test_load_paths_reports_a_folder_without_txt_files(tmp_path: Path) -> None:
    articles, problems = load_paths([tmp_path])
    assert articles == []
    assert problems == [f"no .txt files in folder {tmp_path}"]


def test_load_paths_of_nothing() -> None:
    assert load_paths([]) == ([], [])


def test_a_loaded_file_s_paragraphs_and_chrome_are_those_of_its_text(tmp_path: Path) -> None:
    """The loader finds the paragraphs once, for the chrome and for the article."""
    from corpus.chrome import guess_chrome
    from corpus.segment import paragraph_spans

    text = "Headline\n\nSubscribe now\n\nFirst paragraph. Two sentences.\n\nShare this article\n"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    article = load_article(path)
    assert article.paragraphs == tuple(paragraph_spans(text))
    assert article.chrome == guess_chrome(text) and article.chrome
