"""The annotation record: one span of one article's verbatim text, and what is said about it.

Following the W3C Web Annotation model, a record has a *target* (the article version and the
span, with its quote and context so it can be found again) and a *body*: a label (motivation
"tagging") or a note (motivation "commenting"). A passage with two labels and a note is three
records, so removing a label never touches the note.

Offsets are Python ``str`` indices into the article text (see docs/ARCHITECTURE.md). The quote,
its context and the article's hash are stored with the offsets so an annotation can be checked,
and re-anchored (``anchor``, ``previous_*``) when the article file changes under it.

``Annotation`` is a NamedTuple, not a dataclass: a store of 100,000 records builds one per record
when it opens, and a tuple is several times cheaper to build and to keep.
"""

from __future__ import annotations

import getpass
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from sys import intern
from typing import Any, Final, NamedTuple, Protocol, cast

LABELS: tuple[str, ...] = ("claim", "opinion", "unverified")
TAGGING: Final = "tagging"
COMMENTING: Final = "commenting"
MOTIVATIONS: tuple[str, ...] = (TAGGING, COMMENTING)
# How the annotation was found in the article version it names (see annotations.anchoring).
ANCHOR_STATUSES: tuple[str, ...] = ("exact", "moved", "fuzzy", "orphan")

# Enough context to find the quote again in a lightly edited text, short enough for a CSV cell.
CONTEXT_CHARS = 32


class InvalidRecordError(ValueError):
    """A stored or imported dict is not a valid annotation record."""


class ArticleText(Protocol):
    """What an annotation needs of the article it is made on (corpus.model.Article has it)."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def title(self) -> str: ...


class Annotation(NamedTuple):
    """One label or one note on one span; build with `create`, `from_record` or `evolve`."""

    id: str
    article: str  # the article's id when the annotation was made
    article_sha256: str  # the text version that start/end/quote refer to
    source: str  # where that text was read from (file path or URL)
    title: str
    start: int
    end: int
    quote: str  # == text[start:end] of that version
    prefix: str
    suffix: str
    motivation: str  # "tagging" (a label) or "commenting" (a note)
    label: str  # "" for a note
    note: str  # "" for a label
    annotator: str
    created: str
    modified: str
    anchor: str  # one of ANCHOR_STATUSES
    anchor_score: float  # 1.0 exact or moved, 0..1 fuzzy, 0.0 orphan
    # Where the annotation stood before it was last re-anchored (None / "" if never).
    previous_start: int | None
    previous_end: int | None
    previous_quote: str
    previous_sha256: str

    @classmethod
    def on_article(
        cls,
        article: ArticleText,
        span: tuple[int, int],
        *,
        annotator: str,
        label: str = "",
        note: str = "",
        now: datetime | None = None,
    ) -> Annotation:
        """`create` on a span of `article`, with its id, hash (never hashed again), source and
        title."""
        return cls.create(
            article=article.id,
            text=article.text,
            start=span[0],
            end=span[1],
            annotator=annotator,
            label=label,
            note=note,
            article_sha256=article.sha256,
            source=article.source,
            title=article.title,
            now=now,
        )

    @classmethod
    def create(
        cls,
        *,
        article: str,
        text: str,
        start: int,
        end: int,
        annotator: str,
        label: str = "",
        note: str = "",
        article_sha256: str | None = None,
        source: str = "",
        title: str = "",
        now: datetime | None = None,
    ) -> Annotation:
        """A new label (``label``) or note (``note``, no label) on ``text[start:end]``.

        Raises ValueError for a bad span, or for neither or both of label and note.
        """
        if not 0 <= start < end <= len(text):
            raise ValueError(
                f"span ({start}, {end}) is not a non-empty span of a {len(text)}-character text"
            )
        if article_sha256 is None:
            article_sha256 = text_sha256(text)
        stamp = timestamp(now)
        return cls(
            id=str(uuid.uuid4()),
            article=article,
            article_sha256=article_sha256,
            source=source,
            title=title,
            start=start,
            end=end,
            quote=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            motivation=TAGGING if label else COMMENTING,
            label=label,
            note=note,
            annotator=annotator,
            created=stamp,
            modified=stamp,
            anchor="exact",
            anchor_score=1.0,
            previous_start=None,
            previous_end=None,
            previous_quote="",
            previous_sha256="",
        ).validated()

    @property
    def is_tag(self) -> bool:
        return self.motivation == TAGGING

    @property
    def is_note(self) -> bool:
        return self.motivation == COMMENTING

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def moved_to(
        self,
        text: str,
        start: int,
        end: int,
        *,
        sha256: str,
        anchor: str,
        score: float,
        source: str | None = None,
        title: str | None = None,
        now: datetime | None = None,
    ) -> Annotation:
        """This annotation on ``text[start:end]`` of another text version (re-anchored or
        re-attached); where it stood before is kept in the ``previous_*`` fields."""
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span ({start}, {end}) is not in a {len(text)}-character text")
        return self.evolve(
            article_sha256=sha256,
            source=self.source if source is None else source,
            title=self.title if title is None else title,
            start=start,
            end=end,
            quote=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            anchor=anchor,
            anchor_score=score,
            previous_start=self.start,
            previous_end=self.end,
            previous_quote=self.quote,
            previous_sha256=self.article_sha256,
            modified=timestamp(now),
        )

    def with_note(self, note: str, now: datetime | None = None) -> Annotation:
        return self.evolve(note=note, modified=timestamp(now))

    def evolve(self, **changes: Any) -> Annotation:
        """A copy with some fields changed, checked like every other way of making one."""
        return self._replace(**changes).validated()

    def validated(self) -> Annotation:
        """Self, after checking every rule; ValueError says which one is broken."""
        _check(self)
        return self

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict with keys in FIELDS order."""
        return dict(zip(FIELDS, self, strict=True))

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Annotation:
        """Parse a stored dict, raising InvalidRecordError that says what is wrong."""
        # The fast path, taken by every record this program wrote: the exact keys, the exact
        # value types, checked in C (map/tuple comparison) before the per-field rules.
        if type(record) is dict and tuple(record) == FIELDS:
            values = list(record.values())
            if tuple(map(type, values)) in _FAST_TYPES and _plainly_valid(values):
                # Strings that repeat across records (article, hash, source, title, annotator,
                # label...) are shared: at 100,000 records that is tens of megabytes.
                for index in _REPEATED_FIELDS:
                    values[index] = intern(values[index])
                return cls._make(values)
        return cls._from_record_slowly(record)

    @classmethod
    def _from_record_slowly(cls, record: Mapping[str, Any]) -> Annotation:
        if not isinstance(record, Mapping):
            raise InvalidRecordError(
                f"annotation record is a {type(record).__name__}, not an object"
            )
        missing = [name for name in FIELDS if name not in record]
        if missing:
            raise InvalidRecordError(f"annotation record lacks {', '.join(missing)}")
        # Unknown keys are refused rather than dropped: re-saving would silently lose them.
        unknown = sorted(str(key) for key in record if key not in _FIELD_SET)
        if unknown:
            raise InvalidRecordError(f"annotation record has unknown fields {', '.join(unknown)}")
        values: list[Any] = []
        for name in FIELDS:
            value: Any = record[name]
            kinds = _FIELD_TYPES[name]
            # bool is an int subclass; True is not an offset.
            if isinstance(value, bool) or not isinstance(value, kinds):
                raise InvalidRecordError(
                    f"annotation field {name!r} is {type(value).__name__} {value!r}, "
                    f"expected {_KIND_NAMES[kinds]}"
                )
            # An integer score (1 for 1.0) written by hand or by another tool is still a score.
            values.append(float(cast(float, value)) if name == "anchor_score" else value)
        try:
            return cls._make(values).validated()
        except ValueError as error:
            raise InvalidRecordError(f"annotation {record['id']!r}: {error}") from error


FIELDS: tuple[str, ...] = Annotation._fields
_FIELD_SET = frozenset(FIELDS)
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    name: (
        (int,)
        if name in ("start", "end")
        else (int, type(None))
        if name in ("previous_start", "previous_end")
        else (float, int)
        if name == "anchor_score"
        else (str,)
    )
    for name in FIELDS
}
_KIND_NAMES = {
    (int,): "an integer",
    (int, type(None)): "an integer or null",
    (float, int): "a number",
    (str,): "a string",
}
_PLAIN_TYPES = tuple(kinds[0] for kinds in _FIELD_TYPES.values())
_REANCHORED_TYPES = tuple(
    int if name in ("previous_start", "previous_end") else kind
    for name, kind in zip(FIELDS, _PLAIN_TYPES, strict=True)
)
_NEVER_MOVED_TYPES = tuple(
    type(None) if name in ("previous_start", "previous_end") else kind
    for name, kind in zip(FIELDS, _PLAIN_TYPES, strict=True)
)
_FAST_TYPES = frozenset({_REANCHORED_TYPES, _NEVER_MOVED_TYPES})


_REPEATED_FIELDS = tuple(
    FIELDS.index(name)
    for name in (
        "article",
        "article_sha256",
        "source",
        "title",
        "annotator",
    )
)
# The shape `timestamp` writes, with each part in its range; anything else is checked by
# datetime.fromisoformat on the slow path. (Only a 30 or 31 of a short month gets through here,
# which is harmless: timestamps are compared as text and shown, never computed with.)
_TIMESTAMP = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}\+00:00"
).fullmatch


def _plainly_valid(values: list[Any]) -> bool:
    """The rules of `_check`, for the common case, on local names: True if all hold.

    False sends the record down the slow path, which says what is wrong (or accepts a valid
    record of a less common shape, like a timestamp with another offset).
    """
    (
        key,
        article,
        _sha,
        _source,
        _title,
        start,
        end,
        quote,
        _prefix,
        _suffix,
        motivation,
        label,
        note,
        _annotator,
        created,
        modified,
        anchor,
        score,
        previous_start,
        previous_end,
        *_rest,
    ) = values
    return bool(
        key
        and article
        and 0 <= start < end
        and len(quote) == end - start
        and (
            (motivation == TAGGING and label and not note)
            or (motivation == COMMENTING and note and not label)
        )
        and anchor in ANCHOR_STATUSES
        and 0.0 <= score <= 1.0
        and (previous_start is None) == (previous_end is None)
        and _TIMESTAMP(created)
        and _TIMESTAMP(modified)
    )


def _check(a: Annotation) -> None:
    if not a.id:
        raise ValueError("annotation has an empty id")
    if not a.article:
        raise ValueError("annotation has an empty article id")
    if not 0 <= a.start < a.end:
        raise ValueError(f"span ({a.start}, {a.end}) is not a non-empty, forward span")
    if len(a.quote) != a.end - a.start:
        raise ValueError(
            f"quote has {len(a.quote)} characters but span ({a.start}, {a.end}) "
            f"covers {a.end - a.start}"
        )
    if a.motivation == TAGGING:
        if not a.label or a.note:
            raise ValueError("a tagging annotation has a label and no note")
    elif a.motivation == COMMENTING:
        if a.label or not a.note:
            raise ValueError("a commenting annotation has a note and no label")
    else:
        raise ValueError(f"motivation {a.motivation!r} is not one of {', '.join(MOTIVATIONS)}")
    if a.anchor not in ANCHOR_STATUSES:
        raise ValueError(f"anchor {a.anchor!r} is not one of {', '.join(ANCHOR_STATUSES)}")
    if not 0.0 <= a.anchor_score <= 1.0:
        raise ValueError(f"anchor_score {a.anchor_score!r} is not between 0 and 1")
    if (a.previous_start is None) != (a.previous_end is None):
        raise ValueError("previous_start and previous_end are both set or both null")
    _check_timestamp("created", a.created)
    _check_timestamp("modified", a.modified)


def text_sha256(text: str) -> str:
    """The hash of the article's bytes (the text is their strict UTF-8 decoding)."""
    import hashlib  # here: start-up never calls this, and hashlib loads OpenSSL (2 ms)

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_annotator() -> str:
    """The OS user name, or "anonymous" where there is none (containers, odd platforms)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "anonymous"
    return name or "anonymous"


def timestamp(now: datetime | None = None) -> str:
    """An ISO 8601 UTC timestamp with microseconds, so that timestamps sort as text."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        # A naive time would be silently read as local time somewhere else.
        raise ValueError("timestamps must be timezone-aware")
    return now.astimezone(UTC).isoformat(timespec="microseconds")


def _check_timestamp(name: str, value: str) -> None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} {value!r} is not an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{name} {value!r} has no timezone")
