"""AnnotationStore: the one API through which annotations are read and persisted.

Callers see annotations and ids only; TinyDB, document ids and the file layout are internal so
they can be replaced (for very large stores) without touching callers.

Not thread-safe, by design: the app owns one store and is its only writer. Every mutating call
has atomically replaced the file on disk when it returns; reads are served from memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from tinydb import TinyDB
from tinydb.table import Document

from annotations.errors import CorruptDatabaseError, StoreError
from annotations.model import Annotation, InvalidRecordError
from annotations.storage import AtomicJSONStorage

__all__ = ["AnnotationStore", "CorruptDatabaseError", "StoreError"]

_TABLE = "annotations"


class AnnotationStore:
    """Annotations persisted in one JSON file; raises CorruptDatabaseError on open if unreadable."""

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._db = TinyDB(self._path, storage=AtomicJSONStorage)
        self._table = self._db.table(_TABLE)
        try:
            # Read once, up front, so a bad file is reported when the app starts rather than
            # on the first tag, and so every later read is answered from memory.
            self._by_id, self._doc_ids = self._load(self._db.storage.read())
        except BaseException:
            self._db.close()
            raise
        self._by_article: dict[str, dict[str, Annotation]] = {}
        for annotation in self._by_id.values():
            self._by_article.setdefault(annotation.article, {})[annotation.id] = annotation
        self._next_doc_id = max(self._doc_ids.values(), default=0) + 1
        self._closed = False

    @property
    def path(self) -> Path:
        return self._path

    def add(self, annotation: Annotation) -> None:
        """Persist a new annotation; ValueError if its id is already stored."""
        self._check_open()
        if annotation.id in self._by_id:
            raise ValueError(f"annotation {annotation.id} is already stored")
        doc_id = self._next_doc_id
        self._table.insert(Document(annotation.to_record(), doc_id=doc_id))
        self._next_doc_id += 1
        self._doc_ids[annotation.id] = doc_id
        self._remember(annotation)

    def remove(self, annotation_id: str) -> Annotation | None:
        """Delete an annotation; returns it, or None if no such id was stored."""
        self._check_open()
        annotation = self._by_id.get(annotation_id)
        if annotation is None:
            return None
        self._table.remove(doc_ids=[self._doc_ids[annotation_id]])
        del self._doc_ids[annotation_id]
        del self._by_id[annotation_id]
        article = self._by_article[annotation.article]
        del article[annotation_id]
        if not article:
            del self._by_article[annotation.article]
        return annotation

    def update(self, annotation: Annotation) -> None:
        """Replace the stored annotation with the same id; KeyError if there is none."""
        self._check_open()
        old = self._by_id.get(annotation.id)
        if old is None:
            raise KeyError(annotation.id)
        record = annotation.to_record()

        def replace(document: MutableMapping[str, Any]) -> None:
            document.clear()
            document.update(record)

        self._table.update(replace, doc_ids=[self._doc_ids[annotation.id]])
        if old.article != annotation.article:
            del self._by_article[old.article][old.id]
            if not self._by_article[old.article]:
                del self._by_article[old.article]
        self._remember(annotation)

    def get(self, annotation_id: str) -> Annotation | None:
        self._check_open()
        return self._by_id.get(annotation_id)

    def for_article(self, article_id: str) -> list[Annotation]:
        """The article's annotations in reading order (start, end, label)."""
        self._check_open()
        return sorted(self._by_article.get(article_id, {}).values(), key=_reading_order)

    def all(self) -> list[Annotation]:
        """Every annotation, by article then reading order."""
        self._check_open()
        return sorted(self._by_id.values(), key=lambda a: (a.article, *_reading_order(a)))

    def find(self, article: str, start: int, end: int, label: str) -> Annotation | None:
        """The annotation with exactly this span and label, if any (oldest first if several)."""
        self._check_open()
        matches = [
            a
            for a in self._by_article.get(article, {}).values()
            if a.start == start and a.end == end and a.label == label
        ]
        return min(matches, key=_reading_order, default=None)

    def label_counts(self, article: str | None = None) -> Counter[str]:
        """How many annotations carry each label, in one article or in all.

        The status line asks on every tag and focus change, so this counts from the in-memory
        index instead of sorting records the way `all()` does.
        """
        self._check_open()
        annotations = self._by_id if article is None else self._by_article.get(article, {})
        return Counter(annotation.label for annotation in annotations.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _remember(self, annotation: Annotation) -> None:
        self._by_id[annotation.id] = annotation
        self._by_article.setdefault(annotation.article, {})[annotation.id] = annotation

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"annotation store {self._path} is closed")

    def _load(
        self, tables: Mapping[str, Mapping[str, Any]] | None
    ) -> tuple[dict[str, Annotation], dict[str, int]]:
        # Anything TinyDB or Annotation would choke on later is reported now, as corruption.
        by_id: dict[str, Annotation] = {}
        doc_ids: dict[str, int] = {}
        for key, record in (tables or {}).get(_TABLE, {}).items():
            # TinyDB turns keys into ints and back; "01" and "1" would collapse into one.
            if not (key.isascii() and key.isdigit()) or str(int(key)) != key:
                raise CorruptDatabaseError(self._path, f"document key {key!r} is not a number")
            doc_id = int(key)
            try:
                annotation = Annotation.from_record(record)
            except InvalidRecordError as error:
                raise CorruptDatabaseError(self._path, f"document {key}: {error}") from error
            if annotation.id in by_id:
                raise CorruptDatabaseError(
                    self._path, f"annotation id {annotation.id} is stored twice"
                )
            by_id[annotation.id] = annotation
            doc_ids[annotation.id] = doc_id
        return by_id, doc_ids


def _reading_order(annotation: Annotation) -> tuple[int, int, str, str, str]:
    # created and id only break ties (the same span and label from two annotators), so the
    # order is stable across runs.
    return (annotation.start, annotation.end, annotation.label, annotation.created, annotation.id)
