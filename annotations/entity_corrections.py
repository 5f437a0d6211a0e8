"""Corrections of the entity model and of the grouping, kept as records in the store.

A reader who sees the model get an entity wrong says so, and the correction wins over the model
on every later run:

- ``reject``: the span is not an entity (of any type).
- ``retype``: the span is an entity of another type (added if the model did not find it there).
- ``add``: a span the model missed is an entity of the given type.
- ``merge`` / ``split``: two spelling variants (``corpus.entity_index.variant_key`` of two
  surface forms) name the same real-world entity / two different ones. These are corpus-wide:
  they name no article and no span.

A span correction keeps its quote and the context around it, as an `Annotation` does, so it is
found again (annotations.anchoring) when the article's text changes; one that cannot be found is
skipped, never applied somewhere else. When corrections disagree, the later one wins (by
``created``, then ``id``): `apply_corrections` and `grouping_constraints` replay them in that
order. The rules of who may make and undo which correction live in annotations.editing.
"""

from __future__ import annotations

import bisect
import operator
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final, NamedTuple, TypeVar, overload

from annotations.database import RecordKind
from annotations.model import CONTEXT_CHARS, InvalidRecordError, text_sha256, timestamp

__all__ = [
    "ADD",
    "CORRECTION_KINDS",
    "CORRECTION_TYPE",
    "ENTITY_CORRECTIONS",
    "FIELDS",
    "GROUPING_KINDS",
    "MERGE",
    "REJECT",
    "RETYPE",
    "SPAN_KINDS",
    "SPLIT",
    "EntityCorrection",
    "apply_corrections",
    "grouping_constraints",
    "in_order",
]

REJECT: Final = "reject"
RETYPE: Final = "retype"
ADD: Final = "add"
MERGE: Final = "merge"
SPLIT: Final = "split"
CORRECTION_KINDS: tuple[str, ...] = (REJECT, RETYPE, ADD, MERGE, SPLIT)
SPAN_KINDS: frozenset[str] = frozenset({REJECT, RETYPE, ADD})
GROUPING_KINDS: frozenset[str] = frozenset({MERGE, SPLIT})
# What an export calls these records (annotations.export): the class name, as W3C-style types.
CORRECTION_TYPE: Final = "EntityCorrection"

NO_VARIANTS: tuple[str, str] = ("", "")

Span = tuple[int, int]
EntitySpan = tuple[int, int, str]
E = TypeVar("E")


class EntityCorrection(NamedTuple):
    """One correction of the entity model or of the grouping; build with `create` or
    `from_record`."""

    id: str
    kind: str  # one of CORRECTION_KINDS
    article: str  # the article's id; "" for merge/split (corpus-wide)
    article_sha256: str  # the text version start/end/quote refer to; "" for merge/split
    start: int  # span for reject/retype/add (Python str offsets); 0 for merge/split
    end: int
    quote: str  # == text[start:end] of that version, so it can be found after edits
    prefix: str  # up to CONTEXT_CHARS before and after, as Annotation keeps them
    suffix: str
    label: str  # the entity type for retype/add (PERSON, ORG, ...); "" otherwise
    variants: tuple[str, str]  # merge/split: the two variant keys; ("", "") otherwise
    annotator: str
    created: str  # an ISO 8601 UTC timestamp (annotations.model.timestamp)

    @classmethod
    def create(
        cls,
        *,
        kind: str,
        annotator: str,
        article: str = "",
        text: str = "",
        start: int = 0,
        end: int = 0,
        label: str = "",
        variants: tuple[str, str] = NO_VARIANTS,
        article_sha256: str | None = None,
        now: datetime | None = None,
    ) -> EntityCorrection:
        """A new correction, checked; ValueError says what is wrong.

        A span kind (reject, retype, add) takes ``article``, its ``text`` and the span (and
        ``label`` for retype and add); ``article_sha256`` is computed from the text unless
        given. A grouping kind (merge, split) takes only ``variants``.
        """
        if kind in SPAN_KINDS:
            if not 0 <= start < end <= len(text):
                raise ValueError(
                    f"span ({start}, {end}) is not a non-empty span of a {len(text)}-character text"
                )
            return cls(
                id=str(uuid.uuid4()),
                kind=kind,
                article=article,
                article_sha256=text_sha256(text) if article_sha256 is None else article_sha256,
                start=start,
                end=end,
                quote=text[start:end],
                prefix=text[max(0, start - CONTEXT_CHARS) : start],
                suffix=text[end : end + CONTEXT_CHARS],
                label=label,
                variants=NO_VARIANTS,
                annotator=annotator,
                created=timestamp(now),
            ).validated()
        if kind in GROUPING_KINDS:
            if article or text or start or end or label:
                raise ValueError(f"a {kind} correction names two variants, no article or span")
            return cls(
                id=str(uuid.uuid4()),
                kind=kind,
                article="",
                article_sha256="",
                start=0,
                end=0,
                quote="",
                prefix="",
                suffix="",
                label="",
                variants=variants,
                annotator=annotator,
                created=timestamp(now),
            ).validated()
        raise ValueError(f"kind {kind!r} is not one of {', '.join(CORRECTION_KINDS)}")

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def is_grouping(self) -> bool:
        """A merge or split: about two variants across the corpus, not a span of one article."""
        return self.kind in GROUPING_KINDS

    @property
    def pair(self) -> tuple[str, str]:
        """The two variants in sorted order: merge(a, b) and merge(b, a) are one constraint."""
        a, b = self.variants
        return (a, b) if a <= b else (b, a)

    def validated(self) -> EntityCorrection:
        """Self, after checking every rule; ValueError says which one is broken."""
        _check(self)
        return self

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict with keys in FIELDS order (the variants as a two-item list)."""
        record = dict(zip(FIELDS, self, strict=True))
        record["variants"] = list(self.variants)
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> EntityCorrection:
        """Parse a stored or imported dict, raising InvalidRecordError that says what is wrong.

        Unknown keys are refused rather than dropped: saving again would silently lose them.
        """
        if not isinstance(record, Mapping):
            raise InvalidRecordError(
                f"entity correction record is a {type(record).__name__}, not an object"
            )
        missing = [name for name in FIELDS if name not in record]
        if missing:
            raise InvalidRecordError(f"entity correction record lacks {', '.join(missing)}")
        unknown = sorted(str(key) for key in record if key not in _FIELD_SET)
        if unknown:
            raise InvalidRecordError(
                f"entity correction record has unknown fields {', '.join(unknown)}"
            )
        values: list[Any] = []
        for name in FIELDS:
            value = record[name]
            if name in ("start", "end"):
                # bool is an int subclass; True is not an offset.
                ok = isinstance(value, int) and not isinstance(value, bool)
                expected = "an integer"
            elif name == "variants":
                ok = (
                    isinstance(value, list | tuple)
                    and len(value) == 2
                    and all(isinstance(item, str) for item in value)
                )
                expected = "a list of two strings"
                if ok:
                    value = (value[0], value[1])
            else:
                ok = isinstance(value, str)
                expected = "a string"
            if not ok:
                raise InvalidRecordError(
                    f"entity correction field {name!r} is {type(value).__name__} {value!r}, "
                    f"expected {expected}"
                )
            values.append(value)
        try:
            return cls._make(values).validated()
        except ValueError as error:
            raise InvalidRecordError(f"entity correction {record['id']!r}: {error}") from error


FIELDS: tuple[str, ...] = EntityCorrection._fields
_FIELD_SET = frozenset(FIELDS)


def _check(c: EntityCorrection) -> None:
    if not c.id:
        raise ValueError("entity correction has an empty id")
    if c.kind not in CORRECTION_KINDS:
        raise ValueError(f"kind {c.kind!r} is not one of {', '.join(CORRECTION_KINDS)}")
    if not c.annotator:
        raise ValueError("entity correction names no annotator")
    if c.kind in SPAN_KINDS:
        if not c.article:
            raise ValueError(f"a {c.kind} correction has an empty article id")
        if not c.article_sha256:
            raise ValueError(f"a {c.kind} correction names no text version (article_sha256)")
        if not 0 <= c.start < c.end:
            raise ValueError(f"span ({c.start}, {c.end}) is not a non-empty, forward span")
        if len(c.quote) != c.end - c.start:
            raise ValueError(
                f"quote has {len(c.quote)} characters but span ({c.start}, {c.end}) "
                f"covers {c.end - c.start}"
            )
        if c.kind == REJECT and c.label:
            raise ValueError("a reject correction has no label")
        if c.kind != REJECT and (not c.label or c.label != c.label.strip()):
            raise ValueError(f"a {c.kind} correction needs an entity type (label)")
        if c.variants != NO_VARIANTS:
            raise ValueError(f"a {c.kind} correction names no variants")
    else:
        a, b = c.variants
        if not a or not b:
            raise ValueError(f"a {c.kind} correction names two non-empty variants")
        if a == b:
            raise ValueError(f"a {c.kind} correction names two different variants")
        if c.article or c.article_sha256 or c.start or c.end or c.quote or c.prefix or c.suffix:
            raise ValueError(f"a {c.kind} correction names no article and no span")
        if c.label:
            raise ValueError(f"a {c.kind} correction has no label")
    try:
        parsed = datetime.fromisoformat(c.created)
    except ValueError:
        raise ValueError(f"created {c.created!r} is not an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise ValueError(f"created {c.created!r} has no timezone")


ENTITY_CORRECTIONS: RecordKind[EntityCorrection] = RecordKind(
    table="entity_corrections",
    parse=EntityCorrection.from_record,
    dump=EntityCorrection.to_record,
    key=lambda correction: correction.id,
    # No to_row/from_row: corrections are made by hand and few, so parsing them on every open
    # costs nothing noticeable, and every one is checked.
)


def in_order(corrections: Iterable[EntityCorrection]) -> list[EntityCorrection]:
    """The corrections in the order they are replayed: the later one wins."""
    return sorted(corrections, key=lambda c: (c.created, c.id))


# -- corrections applied to the model's entities ------------------------------------------------


@overload
def apply_corrections(
    article_id: str,
    sha256: str,
    text: str,
    entities: Sequence[EntitySpan],
    corrections: Iterable[EntityCorrection],
) -> list[EntitySpan]: ...


@overload
def apply_corrections(
    article_id: str,
    sha256: str,
    text: str,
    entities: Sequence[EntitySpan],
    corrections: Iterable[EntityCorrection],
    *,
    make: Callable[[int, int, str], E],
) -> list[E]: ...


def apply_corrections(
    article_id: str,
    sha256: str,
    text: str,
    entities: Sequence[EntitySpan],
    corrections: Iterable[EntityCorrection],
    *,
    make: Callable[[int, int, str], Any] | None = None,
) -> list[Any]:
    """The model's entities of one article text with the span corrections applied.

    ``entities`` are ``(start, end, label)`` (reader.entities.Entity is one); the result is
    sorted by start, with no two entities on the same span and none overlapping a corrected
    one. Each entity is built by ``make(start, end, label)`` if given (pass Entity to get
    Entities); otherwise an entity the corrections left alone is returned as it was given and a
    corrected one is a plain tuple.

    Of ``corrections``, those for this article (by id or by ``sha256``) with a span kind are
    used, replayed from the earliest to the latest (by created, then id):

    - reject removes the entity with exactly that span, whatever its type;
    - retype and add put an entity of their type on the span (retype of a span the model did
      not find adds it), removing any entity it overlaps: the reader said what the span is, so
      a partial model entity across it ("Putin" inside an added "Vladimir Putin") goes.

    So of two corrections on one span the later wins. A correction made on another version of
    the text is found again by its quote and context (annotations.anchoring), or skipped if it
    cannot be found; corrections on other articles and merges and splits are ignored.
    """
    # The corrections replayed on their own: a reject or a later type on a span they made
    # acts on it there. A model entity is then kept unless some correction touched it (a reject
    # of exactly its span, a type on a span overlapping it): once removed, only a correction
    # can put an entity there again, and that one is in the replay. The same result as
    # replaying them over every entity, without a scan of the entities per correction.
    corrected: dict[Span, EntitySpan] = {}
    rejected: set[Span] = set()
    typed: list[Span] = []
    for correction in in_order(_for_article(corrections, article_id, sha256)):
        span = _span_in(text, sha256, correction)
        if span is None:
            continue
        if correction.kind == REJECT:
            corrected.pop(span, None)
            rejected.add(span)
            continue
        start, end = span
        for other in [s for s in corrected if s[0] < end and start < s[1]]:
            del corrected[other]
        corrected[span] = (start, end, correction.label)
        typed.append(span)
    by_start = sorted(entities, key=_SPAN)
    spans = list(map(_SPAN, by_start))
    touched = _overlapping(by_start, typed)
    kept: list[Any] = by_start
    if rejected or touched or len(set(spans)) < len(spans):
        kept = []
        last: Span | None = None
        for index, span in enumerate(spans):
            if span == last or span in rejected or index in touched:
                continue  # a second entity on one span, or one a correction removed
            last = span
            kept.append(by_start[index])
    ordered = sorted([*kept, *corrected.values()], key=_SPAN) if corrected else kept
    if make is not None:
        return [make(e[0], e[1], e[2]) for e in ordered]
    return ordered


_SPAN = operator.itemgetter(0, 1)


def _overlapping(by_start: Sequence[EntitySpan], spans: Iterable[Span]) -> set[int]:
    """Indexes of the entities (sorted by start) that overlap any of ``spans``."""
    spans = list(spans)
    if not spans or not by_start:
        return set()
    starts = [e[0] for e in by_start]
    # An entity overlapping (start, end) starts before end and less than the longest entity's
    # length before start: bisect to that stretch instead of looking at every entity.
    longest = max(e[1] - e[0] for e in by_start)
    found: set[int] = set()
    for start, end in spans:
        first = bisect.bisect_right(starts, start - longest)
        for index in range(first, bisect.bisect_left(starts, end)):
            if by_start[index][1] > start:
                found.add(index)
    return found


def _for_article(
    corrections: Iterable[EntityCorrection], article_id: str, sha256: str
) -> Iterable[EntityCorrection]:
    return (
        c
        for c in corrections
        if c.kind in SPAN_KINDS and (c.article_sha256 == sha256 or c.article == article_id)
    )


def _span_in(text: str, sha256: str, correction: EntityCorrection) -> Span | None:
    """Where the correction's quote stands in this text, None if it cannot be found."""
    start, end = correction.start, correction.end
    if correction.article_sha256 == sha256 and text[start:end] == correction.quote:
        return (start, end)
    # Imported only when a text did change: rapidfuzz costs start-up time otherwise.
    from annotations.anchoring import anchor_quote

    found = anchor_quote(
        text,
        quote=correction.quote,
        prefix=correction.prefix,
        suffix=correction.suffix,
        start=start,
        end=end,
    )
    if found.start is None or found.end is None:
        return None
    return (found.start, found.end)


# -- corrections of the grouping ----------------------------------------------------------------


def grouping_constraints(
    corrections: Iterable[EntityCorrection],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(together, apart)``: the variant pairs merged and split, for
    ``corpus.entity_index.group_mentions``.

    Each pair is sorted and appears once, in one list or the other: the latest merge or split
    of a pair decides (a split after a merge of the same pair undoes it, and a merge after a
    split undoes that). Span corrections are ignored. What follows from several pairs (a and b
    together, b and c together, a and c apart) is the grouping's to resolve.
    """
    last: dict[tuple[str, str], str] = {}
    for correction in in_order(c for c in corrections if c.kind in GROUPING_KINDS):
        last[correction.pair] = correction.kind
    together = sorted(pair for pair, kind in last.items() if kind == MERGE)
    apart = sorted(pair for pair, kind in last.items() if kind == SPLIT)
    return together, apart
