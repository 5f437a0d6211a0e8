"""Reading articles: the bundled ones through the manifest, and the user's own text files.

Text is always `bytes.decode("utf-8")` (strict, no newline translation) so that every offset
the app stores is an index into exactly what is on disk.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, overload

from corpus.chrome import ChromeRule, ChromeRuleError, guess_chrome, resolve_rules
from corpus.digest import sha1_hex, sha256_hex
from corpus.model import Article
from corpus.segment import paragraph_spans

__all__ = [
    "ArticleLoadError",
    "ArticleShelf",
    "bundled_articles",
    "guess_chrome",
    "load_article",
    "load_paths",
    "shelve_paths",
    "slugify",
]

TITLE_LIMIT = 120


class ArticleLoadError(Exception):
    """An article that cannot be loaded; `str(error)` is one line meant for the user."""


# -- bundled articles ---------------------------------------------------------------------------


def bundled_articles() -> list[Article]:
    """The bundled articles in manifest order; ArticleLoadError if the package data has drifted."""
    return list(_bundled())


@cache  # package data does not change while the app runs; a fresh list is handed out each time
def _bundled() -> tuple[Article, ...]:
    package = _package()
    try:
        manifest = json.loads(package.joinpath("manifest.json").read_bytes().decode("utf-8"))
    except (OSError, ValueError) as error:
        raise ArticleLoadError(f"cannot read the corpus manifest: {error}") from error
    entries = _field(manifest, "articles", list, "manifest")
    articles = [_bundled_article(package, entry) for entry in entries]
    ids = [article.id for article in articles]
    if len(set(ids)) != len(ids):
        raise ArticleLoadError(f"corpus manifest: duplicate article ids in {ids}")
    return tuple(articles)


def _package() -> Path:
    # The package directory itself, not importlib.resources: the app needs its files on disk
    # anyway (Textual reads CSS_PATH from the file system), and importing importlib.resources
    # with its zip readers costs several milliseconds of every start.
    return Path(__file__).resolve().parent


def _bundled_article(package: Path, entry: Any) -> Article:
    article_id = _field(entry, "id", str, "manifest entry")
    where = f"corpus manifest entry {article_id!r}"
    file = _field(entry, "file", str, where)
    resource = package.joinpath(*file.split("/"))
    try:
        data = resource.read_bytes()
    except OSError as error:
        raise ArticleLoadError(f"{where}: cannot read {file}: {_reason(error)}") from error
    sha256 = sha256_hex(data)
    if sha256 != _field(entry, "sha256", str, where):
        raise ArticleLoadError(f"{where}: {file} has changed (its sha256 is now {sha256})")
    text = _decode(data, file)
    rules = [_rule(rule, where) for rule in _field(entry, "chrome", list, where)]
    try:
        chrome = resolve_rules(text, rules)
    except ChromeRuleError as error:
        raise ArticleLoadError(f"{where}: {error}") from error
    return Article(
        id=article_id,
        title=_field(entry, "title", str, where),
        outlet=_field(entry, "outlet", (str, type(None)), where),
        author=_field(entry, "author", (str, type(None)), where),
        source=str(resource),
        text=text,
        sha256=sha256,
        chrome=chrome,
    )


def _rule(raw: Any, where: str) -> ChromeRule:
    start_text = _field(raw, "from", str, f"{where} chrome rule")
    where = f"{where} chrome rule from {start_text!r}"
    to = raw.get("to", ...)  # absent and null mean different things
    if to is not ... and not isinstance(to, str | None):
        raise ArticleLoadError(f"{where}: 'to' must be text or null")
    count = raw.get("count", 1)
    if not isinstance(count, int) or count < 1:
        raise ArticleLoadError(f"{where}: 'count' must be a positive whole number")
    return ChromeRule(
        start_text=start_text,
        end_text=to if isinstance(to, str) else None,
        to_end=to is None,
        count=count,
        why=_field(raw, "why", str, where),
    )


def _field(record: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(record, dict) or key not in record:
        raise ArticleLoadError(f"{where}: missing {key!r}")
    if not isinstance(record[key], kind):
        raise ArticleLoadError(f"{where}: {key!r} has the wrong type")
    return record[key]


# -- the user's own files -----------------------------------------------------------------------


def article_id(path: Path) -> str:
    """The id of the article read from `path`, known without reading it.

    It must survive restarts (annotations refer to it) and tell apart files that share a name
    in different folders, hence the hash of the full path rather than a counter.
    """
    resolved = _real_path(path)
    digest = sha1_hex(resolved.encode("utf-8", "surrogateescape"))[:8]
    return f"{slugify(path.stem)}-{digest}"


def load_article(path: Path) -> Article:
    """A plain UTF-8 text file as an Article; ArticleLoadError with a one-line reason if not."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArticleLoadError(f"cannot read {path}: {_reason(error)}") from error
    text = _decode(data, str(path))
    if not text.strip():
        raise ArticleLoadError(f"cannot read {path}: the file is empty")
    resolved = _real_path(path)
    paragraphs = tuple(paragraph_spans(text))
    article = Article(
        id=article_id(path),
        title=_first_line(text),
        outlet=None,
        author=None,
        source=resolved,
        text=text,
        sha256=sha256_hex(data),
        chrome=guess_chrome(text, paragraphs),
    )
    # Found once for both (13 ms at 5 MB, before the first frame): the cached property's value.
    article.__dict__["paragraphs"] = paragraphs
    return article


def load_paths(paths: Sequence[Path]) -> tuple[list[Article], list[str]]:
    """Articles from files and folders (their *.txt files, by name), plus one-line problems.

    A file that cannot be read is reported and skipped, so one bad file never stops the rest.
    """
    articles: list[Article] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in paths:
        try:
            files = _expand(path)
        except ArticleLoadError as error:
            problems.append(str(error))
            continue
        for file in files:
            if _real_path(file) in seen:
                continue  # the same file named twice would be two tabs with one id
            seen.add(_real_path(file))
            try:
                articles.append(load_article(file))
            except ArticleLoadError as error:
                problems.append(str(error))
    return articles, problems


def shelve_paths(paths: Sequence[Path], *, ready: int = 0) -> tuple[ArticleShelf, list[str]]:
    """Like `load_paths`, but a file is read only when its article is first needed.

    The first `ready` readable articles are read now (those the first screen shows), so that
    unreadable files there are reported and dropped before anything is drawn; folders are
    listed, never read, so opening a thousand files costs a directory listing.
    """
    files: list[Path] = []
    problems: list[str] = []
    seen: set[tuple[int, int]] = set()
    for path in paths:
        try:
            listed = _expand(path)
        except ArticleLoadError as error:
            problems.append(str(error))
            continue
        for file in listed:
            try:
                status = file.stat()
            except OSError as error:
                problems.append(f"cannot read {file}: {_reason(error)}")
                continue
            if (status.st_dev, status.st_ino) in seen:
                continue  # the same file named twice would be two tabs with one id
            seen.add((status.st_dev, status.st_ino))
            files.append(file)
    shelf = ArticleShelf(files)
    problems.extend(shelf.prime(ready))
    return shelf, problems


class ArticleShelf(Sequence[Article]):
    """Articles from files, each read (and its chrome guessed) when first asked for.

    A folder of a thousand articles opens as fast as one: nothing is read until shown,
    looked for or iterated over. A file that can no longer be read by then stands as a short
    article saying so (it is never dropped silently, and nothing is lost: it is not tagged).
    """

    def __init__(self, files: Iterable[Path] = (), articles: Iterable[Article] = ()) -> None:
        self._files: list[Path | None] = list(files)
        self._articles: list[Article | None] = [None] * len(self._files)
        for article in articles:  # already read (the bundled corpus, tests)
            self._files.append(None)
            self._articles.append(article)
        self._ids: list[str | None] = [
            None if article is None else article.id for article in self._articles
        ]
        self._by_id: dict[str, int] | None = None

    @classmethod
    def of(cls, articles: Iterable[Article]) -> ArticleShelf:
        return articles if isinstance(articles, ArticleShelf) else cls(articles=articles)

    def __len__(self) -> int:
        return len(self._articles)

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...
    def __getitem__(self, index: int | slice) -> Article | list[Article]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        found = self._articles[index]
        if found is None:
            found = self._articles[index] = self._read(index)
        return found

    def __iter__(self) -> Iterator[Article]:
        return (self[i] for i in range(len(self)))

    def _read(self, index: int) -> Article:
        file = self._files[index]
        assert file is not None
        try:
            return load_article(file)
        except ArticleLoadError as error:
            text = f"{error}\n"
            return Article(
                id=self.id_at(index),
                title=f"(unreadable) {file.name}",
                outlet=None,
                author=None,
                source=_real_path(file),
                text=text,
                sha256=sha256_hex(text.encode("utf-8")),
                chrome=(),
            )

    def prime(self, count: int) -> list[str]:
        """Read the first `count` readable articles now, dropping unreadable files before
        them; their problems, one line each."""
        problems: list[str] = []
        index = 0
        while index < min(count, len(self)):
            file = self._files[index]
            if self._articles[index] is None and file is not None:
                try:
                    self._articles[index] = load_article(file)
                except ArticleLoadError as error:
                    problems.append(str(error))
                    del self._files[index], self._articles[index], self._ids[index]
                    self._by_id = None
                    continue
            index += 1
        return problems

    def is_read(self, index: int) -> bool:
        return self._articles[index] is not None

    def read_so_far(self) -> list[Article]:
        """The articles read until now, in order (reads nothing)."""
        return [article for article in self._articles if article is not None]

    def id_at(self, index: int) -> str:
        """The article id at `index`, without reading the file."""
        found = self._ids[index]
        if found is None:
            file = self._files[index]
            assert file is not None
            found = self._ids[index] = article_id(file)
        return found

    def index_of(self, article_id: str) -> int | None:
        """Where the article with this id is (no file is read to find it; the first call
        works out every id, from the paths)."""
        if self._by_id is None:
            self._by_id = {}
            for index in range(len(self)):
                self._by_id.setdefault(self.id_at(index), index)
        return self._by_id.get(article_id)

    def by_id(self, article_id: str) -> Article | None:
        for article in self._articles:  # those read first: no id needs working out
            if article is not None and article.id == article_id:
                return article
        index = self.index_of(article_id)
        return None if index is None else self[index]

    def ids(self) -> list[str]:
        """Every article's id, in order (from the paths: nothing is read)."""
        return [self.id_at(index) for index in range(len(self))]


def _expand(path: Path) -> list[Path]:
    try:
        if not path.is_dir():
            return [path]  # a file named explicitly is read whatever its suffix
        files = [p for p in path.iterdir() if p.suffix.lower() == ".txt" and p.is_file()]
    except OSError as error:
        raise ArticleLoadError(f"cannot read folder {path}: {_reason(error)}") from error
    if not files:
        raise ArticleLoadError(f"no .txt files in folder {path}")
    return sorted(files, key=lambda p: p.name)


# -- helpers ------------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArticleLoadError(
            f"cannot read {name}: not UTF-8 text "
            f"(byte 0x{data[error.start]:02x} at position {error.start})"
        ) from error


def _real_path(path: Path) -> str:
    # os.path.realpath, unlike Path.resolve on 3.11, never raises (e.g. on a symlink loop).
    return os.path.realpath(path)


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "it is a folder"
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or type(error).__name__).lower()


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        title = line.strip().lstrip("\ufeff").strip()  # a byte-order mark is not a title
        if title:
            return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"
    return ""


def slugify(name: str) -> str:
    """Lowercase ASCII words joined by hyphens ("Notes on Gaza (2)" -> "notes-on-gaza-2")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].rstrip("-") or "article"
