"""Which records an export takes: by label, article, annotator, date and anchoring status.

Every export (`reader export`, the app's export dialog) filters the same way. A filter left
empty takes everything. Within one filter the values are alternatives (``--label claim
--label opinion``: either label); the filters together must all hold.

- label: a tag's label; the pseudo-label ``note`` takes notes (which have no label). Entity
  corrections are not tags, so a label filter leaves them out unless it names ``entities``.
- article: the article's id (an annotation made on another version of it counts); merges and
  splits of entity groups name no article, so an article filter leaves them out.
- annotator: who made the record.
- since / until: the day (or moment) the record was last modified, inclusive; a correction's
  date is its creation (it is never modified).
- anchor: exact, moved, fuzzy or orphan (annotations.model.ANCHOR_STATUSES); corrections are
  anchored when applied, so an anchor filter leaves them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from annotations.entity_corrections import EntityCorrection
from annotations.model import ANCHOR_STATUSES, Annotation

NOTE_LABEL = "note"
ENTITIES_LABEL = "entities"


class FilterError(ValueError):
    """A filter value that means nothing; the message is one line, fit to show the user."""


@dataclass(frozen=True)
class ExportFilter:
    labels: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    annotators: frozenset[str] = frozenset()
    since: datetime | None = None  # inclusive, aware (UTC)
    until: datetime | None = None  # exclusive, aware (UTC)
    anchors: frozenset[str] = frozenset()

    @classmethod
    def parse(
        cls,
        *,
        labels: Iterable[str] = (),
        articles: Iterable[str] = (),
        annotators: Iterable[str] = (),
        since: str | None = None,
        until: str | None = None,
        anchors: Iterable[str] = (),
    ) -> ExportFilter:
        """A filter from what a user typed; values may also be comma-separated lists.

        ``since`` and ``until`` are dates (2026-12-01, the whole day counted) or ISO 8601
        times (a time without a zone is UTC). FilterError says what is wrong.
        """
        anchor_set = _split(anchors)
        unknown = sorted(anchor_set - set(ANCHOR_STATUSES))
        if unknown:
            raise FilterError(
                f"unknown anchoring status {unknown[0]!r}; use {', '.join(ANCHOR_STATUSES)}"
            )
        start = _moment(since, end=False) if since else None
        end = _moment(until, end=True) if until else None
        if start is not None and end is not None and end <= start:
            raise FilterError(f"--until {until} is not after --since {since}")
        return cls(
            labels=_split(labels),
            articles=_split(articles),
            annotators=_split(annotators),
            since=start,
            until=end,
            anchors=anchor_set,
        )

    def __bool__(self) -> bool:
        return bool(
            self.labels
            or self.articles
            or self.annotators
            or self.since
            or self.until
            or self.anchors
        )

    def keeps(self, annotation: Annotation) -> bool:
        if self.labels:
            label = annotation.label if annotation.is_tag else NOTE_LABEL
            if label not in self.labels:
                return False
        if self.anchors and annotation.anchor not in self.anchors:
            return False
        return self._keeps_common(annotation.article, annotation.annotator, annotation.modified)

    def keeps_correction(self, correction: EntityCorrection) -> bool:
        if self.labels and ENTITIES_LABEL not in self.labels:
            return False
        if self.anchors:
            return False
        # A merge or split names no article: it is about the corpus, not about the articles
        # asked for.
        return self._keeps_common(correction.article, correction.annotator, correction.created)

    def _keeps_common(self, article: str, annotator: str, stamp: str) -> bool:
        if self.articles and article not in self.articles:
            return False
        if self.annotators and annotator not in self.annotators:
            return False
        if self.since is not None or self.until is not None:
            moment = datetime.fromisoformat(stamp)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            if self.since is not None and moment < self.since:
                return False
            if self.until is not None and moment >= self.until:
                return False
        return True

    def annotations(self, annotations: Iterable[Annotation]) -> list[Annotation]:
        return [a for a in annotations if self.keeps(a)]

    def corrections(self, corrections: Iterable[EntityCorrection]) -> list[EntityCorrection]:
        return [c for c in corrections if self.keeps_correction(c)]


def _split(values: Iterable[str]) -> frozenset[str]:
    return frozenset(part.strip() for value in values for part in value.split(",") if part.strip())


def _moment(value: str, *, end: bool) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        pass
    else:
        # A day given as --until counts whole: up to the start of the next day.
        start = datetime.combine(day, time(), tzinfo=UTC)
        return start + timedelta(days=1) if end else start
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FilterError(
            f"{value!r} is not a date (2026-12-01) or a time (2026-12-01T09:30)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
