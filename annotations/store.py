"""AnnotationStore: the annotations table of a `Database`, with the indexes the app reads.

Every read the app makes per key press is answered from memory: by id, by article id, by text
version (sha256), and label counts kept up to date as records change. Writes go through the
`Database` journal (durable when the call returns, safe with other processes on the same file).

Not thread-safe, by design: each process (the app, a script) owns one store and uses it from one
thread; other processes are kept in step through the journal and its lock.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotations.database import (
    LOCK_TIMEOUT,
    Applied,
    Database,
    Op,
    RecordKind,
    Refresh,
    Transaction,
)
from annotations.entity_corrections import (
    ENTITY_CORRECTIONS,
    SPAN_KINDS,
    EntityCorrection,
    in_order,
)
from annotations.errors import (
    BusyDatabaseError,
    ConflictError,
    CorruptDatabaseError,
    ReadOnlyDatabaseError,
    StoreError,
)
from annotations.model import COMMENTING, TAGGING, Annotation, InvalidRecordError
from annotations.storage import RawTable

__all__ = [
    "ANNOTATIONS",
    "ENTITY_CORRECTIONS",
    "AnnotationStore",
    "Applied",
    "BusyDatabaseError",
    "ConflictError",
    "CorruptDatabaseError",
    "Op",
    "ReadOnlyDatabaseError",
    "Refresh",
    "StoreError",
    "Transaction",
]

ANNOTATIONS: RecordKind[Annotation] = RecordKind(
    table="annotations",
    parse=Annotation.from_record,
    dump=Annotation.to_record,
    key=lambda annotation: annotation.id,
    to_row=tuple,
    from_row=Annotation._make,
)


class AnnotationStore(Database):
    """Annotations persisted in a TinyDB file plus its journal; see annotations.database.

    It also keeps the entity corrections (annotations.entity_corrections), in their own table.
    """

    def __init__(
        self,
        path: Path,
        *,
        kinds: Iterable[RecordKind[Any]] = (),
        lock_timeout: float = LOCK_TIMEOUT,
    ) -> None:
        super().__init__(
            path,
            [ANNOTATIONS, ENTITY_CORRECTIONS, *kinds],
            lock_timeout=lock_timeout,
            legacy=upgrade_first_version,
        )

    # -- annotations, one at a time (each a transaction of its own) ------------------------

    def add(self, annotation: Annotation) -> None:
        """Persist a new annotation; ValueError if its id is already stored."""
        with self.transaction() as transaction:
            transaction.add(ANNOTATIONS, annotation)

    def update(self, annotation: Annotation) -> None:
        """Replace the stored annotation with the same id; KeyError if there is none."""
        with self.transaction() as transaction:
            transaction.update(ANNOTATIONS, annotation)

    def remove(self, annotation_id: str) -> Annotation | None:
        """Delete an annotation; returns it, or None if no such id was stored."""
        annotation = self.get(ANNOTATIONS, annotation_id)
        if annotation is None:
            return None
        with self.transaction() as transaction:
            transaction.remove(ANNOTATIONS, annotation_id)
        return annotation

    def annotation(self, annotation_id: str) -> Annotation | None:
        return self.get(ANNOTATIONS, annotation_id)

    # -- queries (all from memory) ---------------------------------------------------------

    def for_article(self, article_id: str, sha256: str | None = None) -> list[Annotation]:
        """The article's annotations in reading order (start, end, label).

        With ``sha256``, also those made on the same text under another article id (the file
        was moved or copied), and not those of this id made on another text (they need
        re-anchoring first: see annotations.reanchor).
        """
        self._check_open()
        if sha256 is None:
            found: Iterable[Annotation] = self._by_article.get(article_id, {}).values()
        else:
            found = (a for a in self._by_text.get(sha256, {}).values() if a.anchor != "orphan")
        return sorted(found, key=_reading_order)

    def orphans(self, article_id: str | None = None) -> list[Annotation]:
        """Annotations that could not be found in their article's current text."""
        self._check_open()
        pool = self._by_article.get(article_id, {}) if article_id else self.records(ANNOTATIONS)
        return sorted((a for a in pool.values() if a.anchor == "orphan"), key=_reading_order)

    def all(self) -> list[Annotation]:
        """Every annotation, by article then reading order."""
        self._check_open()
        return sorted(
            self.records(ANNOTATIONS).values(), key=lambda a: (a.article, *_reading_order(a))
        )

    def query(
        self,
        *,
        article: str | None = None,
        sha256: str | None = None,
        label: str | None = None,
        motivation: str | None = None,
        annotator: str | None = None,
        anchor: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Annotation]:
        """Annotations matching every given criterion, by article then reading order.

        ``since`` / ``until`` compare ISO 8601 UTC timestamps of the last change (``modified``),
        ``since`` inclusive, ``until`` exclusive.
        """
        self._check_open()
        if article is not None:
            pool: Iterable[Annotation] = self._by_article.get(article, {}).values()
        elif sha256 is not None:
            pool = self._by_text.get(sha256, {}).values()
        else:
            pool = self.records(ANNOTATIONS).values()
        found = [
            a
            for a in pool
            if (sha256 is None or a.article_sha256 == sha256)
            and (label is None or a.label == label)
            and (motivation is None or a.motivation == motivation)
            and (annotator is None or a.annotator == annotator)
            and (anchor is None or a.anchor == anchor)
            and (since is None or a.modified >= since)
            and (until is None or a.modified < until)
        ]
        return sorted(found, key=lambda a: (a.article, *_reading_order(a)))

    def find(
        self, article: str, start: int, end: int, label: str, annotator: str | None = None
    ) -> Annotation | None:
        """The label with exactly this span (and annotator), if any (oldest first if several)."""
        self._check_open()
        matches = [
            a
            for a in self._by_article.get(article, {}).values()
            if a.start == start
            and a.end == end
            and a.label == label
            and (annotator is None or a.annotator == annotator)
        ]
        return min(matches, key=_reading_order, default=None)

    def label_counts(self, article: str | None = None, sha256: str | None = None) -> Counter[str]:
        """How many labels of each kind, in one article (by id, or by text) or in all.

        The status line asks on every tag and focus change: the totals are kept up to date as
        records change, and one article's are counted from its own index.
        """
        self._check_open()
        if article is None and sha256 is None:
            return Counter({label: n for label, n in self._label_totals.items() if n > 0})
        annotations = (
            self.for_article(article, sha256)
            if article is not None
            else self._by_text.get(sha256 or "", {}).values()
        )
        return Counter(a.label for a in annotations if a.motivation == TAGGING)

    def entity_corrections(
        self, article: str | None = None, sha256: str | None = None
    ) -> list[EntityCorrection]:
        """Entity corrections, in the order they are replayed (created, then id: the later
        wins).

        With neither argument: every correction, merges and splits included. With ``article``
        (and ``sha256``): the reject/retype/add corrections made on that article id, on any of
        its text versions, plus those made on the same text (``sha256``) under another id; what
        `apply_corrections` needs for one article (it re-anchors those made on other versions).
        Merges and splits name no article: they come only with neither argument.

        A scan, not an index: corrections are made by hand, so there are few.
        """
        self._check_open()
        records = self.records(ENTITY_CORRECTIONS).values()
        if article is None and sha256 is None:
            return in_order(records)
        return in_order(
            c
            for c in records
            if c.kind in SPAN_KINDS
            and ((article is not None and c.article == article) or c.article_sha256 == sha256)
        )

    def annotators(self) -> set[str]:
        return {a.annotator for a in self.records(ANNOTATIONS).values()}

    def __len__(self) -> int:
        return len(self.records(ANNOTATIONS))

    # -- indexes ---------------------------------------------------------------------------

    def _index_reset(self) -> None:
        self._by_article: dict[str, dict[str, Annotation]] = {}
        self._by_text: dict[str, dict[str, Annotation]] = {}
        # A plain dict, not a Counter: updated once per record while 100,000 load, and a
        # Counter's missing-key path is Python code.
        self._label_totals: dict[str, int] = {}

    def _index_all(self) -> None:
        by_article, by_text = self._by_article, self._by_text
        totals = self._label_totals
        for annotation in self.records(ANNOTATIONS).values():
            key = annotation.id
            by_article.setdefault(annotation.article, {})[key] = annotation
            by_text.setdefault(annotation.article_sha256, {})[key] = annotation
            if annotation.motivation == TAGGING:
                totals[annotation.label] = totals.get(annotation.label, 0) + 1

    def _indexed(self, table: str, old: Any, new: Any) -> None:
        if table != ANNOTATIONS.table:
            return
        totals = self._label_totals
        if old is not None:
            _unindex(self._by_article, old.article, old.id)
            _unindex(self._by_text, old.article_sha256, old.id)
            if old.motivation == TAGGING:
                totals[old.label] -= 1
        if new is not None:
            self._by_article.setdefault(new.article, {})[new.id] = new
            self._by_text.setdefault(new.article_sha256, {})[new.id] = new
            if new.motivation == TAGGING:
                totals[new.label] = totals.get(new.label, 0) + 1


def _unindex(index: dict[str, dict[str, Annotation]], key: str, annotation_id: str) -> None:
    bucket = index.get(key)
    if bucket is not None:
        bucket.pop(annotation_id, None)
        if not bucket:
            del index[key]


def _reading_order(annotation: Annotation) -> tuple[int, int, bool, str, str, str]:
    # created and id only break ties (the same span and label from two annotators), so the
    # order is stable across runs; a note sorts after the labels of its span.
    return (
        annotation.start,
        annotation.end,
        annotation.motivation == COMMENTING,
        annotation.label,
        annotation.created,
        annotation.id,
    )


# -- the first version's database ---------------------------------------------------------

_FIRST_VERSION_FIELDS = frozenset(
    {
        "id",
        "article",
        "article_sha256",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "label",
        "note",
        "annotator",
        "created",
        "modified",
    }
)


def upgrade_first_version(tables: dict[str, RawTable]) -> dict[str, RawTable]:
    """Records of the first version, as records of this one.

    A label's note becomes a note of its own on the same passage (once per passage and
    annotator), so that removing the label no longer takes the note with it. A record that
    does not look like the first version's is passed on as it was (and then reported, and kept,
    if it cannot be read).
    """
    upgraded: RawTable = []
    notes_made: set[tuple[Any, ...]] = set()
    for doc_id, record in tables.get(ANNOTATIONS.table, []):
        if not isinstance(record, dict) or record.keys() != _FIRST_VERSION_FIELDS:
            upgraded.append((doc_id, record))
            continue
        common = {
            "source": "",
            "title": "",
            "anchor": "exact",
            "anchor_score": 1.0,
            "previous_start": None,
            "previous_end": None,
            "previous_quote": "",
            "previous_sha256": "",
        }
        tag = {**record, **common, "motivation": TAGGING, "note": ""}
        upgraded.append((doc_id, _in_field_order(tag)))
        note = record.get("note")
        passage = (
            record.get("article"),
            record.get("start"),
            record.get("end"),
            record.get("annotator"),
        )
        if isinstance(note, str) and note and passage not in notes_made:
            notes_made.add(passage)
            comment = {
                **record,
                **common,
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"note:{record.get('id')}")),
                "motivation": COMMENTING,
                "label": "",
            }
            upgraded.append((f"{doc_id}-note", _in_field_order(comment)))
    return {**tables, ANNOTATIONS.table: upgraded}


def _in_field_order(record: dict[str, Any]) -> dict[str, Any]:
    try:
        return Annotation.from_record(record).to_record()
    except InvalidRecordError:
        return record
