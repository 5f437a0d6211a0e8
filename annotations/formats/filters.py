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

`FilterIndex` is the records in brief, for a dialog that offers the values present (labels,
articles, annotators) and says how many records a filter keeps as the user changes it: records
that agree on label, article, annotator and anchoring status are one group, holding only their
sorted dates, so a count costs a look at each group and two binary searches in it, not a pass
over every record (a store may hold 100,000).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from annotations.entity_corrections import EntityCorrection
from annotations.model import ANCHOR_STATUSES, Annotation, timestamp

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
        label = annotation.label if annotation.is_tag else NOTE_LABEL
        return self._keeps_kind(
            label, annotation.anchor, annotation.article, annotation.annotator
        ) and self._keeps_date(annotation.modified)

    def keeps_correction(self, correction: EntityCorrection) -> bool:
        # A merge or split names no article (""): it is about the corpus, not about the
        # articles asked for.
        return self._keeps_kind(
            ENTITIES_LABEL, None, correction.article, correction.annotator
        ) and self._keeps_date(correction.created)

    def _keeps_kind(self, label: str, anchor: str | None, article: str, annotator: str) -> bool:
        """All but the date; a correction is the label ``entities`` with no anchor."""
        return (
            (not self.labels or label in self.labels)
            and (not self.anchors or anchor in self.anchors)
            and (not self.articles or article in self.articles)
            and (not self.annotators or annotator in self.annotators)
        )

    def _keeps_date(self, stamp: str) -> bool:
        if self.since is None and self.until is None:
            return True
        moment = _aware(stamp)
        if self.since is not None and moment < self.since:
            return False
        return self.until is None or moment < self.until

    def annotations(self, annotations: Iterable[Annotation]) -> list[Annotation]:
        return [a for a in annotations if self.keeps(a)]

    def corrections(self, corrections: Iterable[EntityCorrection]) -> list[EntityCorrection]:
        return [c for c in corrections if self.keeps_correction(c)]


# A group of records in a FilterIndex: label, anchoring status, article, annotator.
_Key = tuple[str, str | None, str, str]


@dataclass(frozen=True)
class FilterIndex:
    """What a set of records holds, to choose filters from and count what they keep (see the
    module docstring). Built once, in one pass; `count` is cheap enough for every keystroke."""

    total: int = 0
    labels: tuple[str, ...] = ()  # sorted; "note" if there are notes, "entities" if corrections
    articles: tuple[str, ...] = ()  # sorted; "" (merges and splits) is not offered
    annotators: tuple[str, ...] = ()  # sorted
    anchors: tuple[str, ...] = ()  # those present, in ANCHOR_STATUSES' order
    # (label, anchor, article, annotator) -> the records' times as `timestamp` writes them (UTC,
    # microseconds: they sort as text, and parsing 100,000 would take a while), sorted; a
    # correction is the label "entities" with no anchor, as ExportFilter sees it.
    _groups: dict[_Key, list[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls, annotations: Iterable[Annotation], corrections: Iterable[EntityCorrection] = ()
    ) -> FilterIndex:
        groups: dict[_Key, list[str]] = {}
        key: _Key
        for a in annotations:
            key = (a.label if a.is_tag else NOTE_LABEL, a.anchor, a.article, a.annotator)
            found = groups.get(key)
            if found is None:
                groups[key] = found = []
            found.append(_sortable(a.modified))
        for c in corrections:
            key = (ENTITIES_LABEL, None, c.article, c.annotator)
            groups.setdefault(key, []).append(_sortable(c.created))
        for times in groups.values():
            times.sort()
        present = {key[1] for key in groups}
        return cls(
            total=sum(map(len, groups.values())),
            labels=tuple(sorted({key[0] for key in groups})),
            articles=tuple(sorted({key[2] for key in groups} - {""})),
            annotators=tuple(sorted({key[3] for key in groups})),
            anchors=tuple(status for status in ANCHOR_STATUSES if status in present),
            _groups=groups,
        )

    def unmatched(self, chosen: ExportFilter) -> list[str]:
        """A line for each label, annotator or article ``chosen`` names that no record has
        (a typo keeps nothing, and an empty export should say why)."""
        lines = []
        for what, asked, present in (
            ("label", chosen.labels, self.labels),
            ("annotator", chosen.annotators, self.annotators),
            ("article", chosen.articles, self.articles),
        ):
            missing = sorted(asked - set(present))
            if missing:
                there = ", ".join(present) if present else "none"
                names = ", ".join(repr(name) for name in missing)
                lines.append(f"no record has the {what} {names} (there: {there})")
        return lines

    def count(self, chosen: ExportFilter) -> int:
        """How many of the records ``chosen`` keeps: as many as ``chosen.annotations`` and
        ``chosen.corrections`` return, without looking at each record."""
        since = None if chosen.since is None else timestamp(chosen.since)
        until = None if chosen.until is None else timestamp(chosen.until)
        kept = 0
        for (label, anchor, article, annotator), times in self._groups.items():
            if not chosen._keeps_kind(label, anchor, article, annotator):
                continue
            start = 0 if since is None else bisect_left(times, since)
            end = len(times) if until is None else bisect_left(times, until)
            kept += max(0, end - start)
        return kept


def _sortable(stamp: str) -> str:
    """``stamp`` as `timestamp` writes it, so that times compare as text; most are already."""
    if len(stamp) == _TIMESTAMP_LENGTH and stamp[10] == "T" and stamp.endswith("+00:00"):
        return stamp
    return timestamp(_aware(stamp))


_TIMESTAMP_LENGTH = len("2026-12-01T09:30:00.000000+00:00")


def _aware(stamp: str) -> datetime:
    """A record's time; one without a zone is UTC."""
    moment = datetime.fromisoformat(stamp)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
