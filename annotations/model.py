"""The annotation record: one labelled span of one article's verbatim text.

Offsets are Python ``str`` indices into the article text (see docs/ARCHITECTURE.md). The quote,
its context and the article's hash are stored with the offsets so an annotation can be checked,
and re-anchored, if the article file ever changes under it.
"""

from __future__ import annotations

import dataclasses
import getpass
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

LABELS: tuple[str, ...] = ("claim", "opinion", "unverified")

# Enough context to find the quote again in a lightly edited text, short enough for a CSV cell.
CONTEXT_CHARS = 32

FIELDS: tuple[str, ...] = (
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
)

_INT_FIELDS = frozenset({"start", "end"})


class InvalidRecordError(ValueError):
    """A stored or imported dict is not a valid annotation record."""


@dataclass(frozen=True)
class Annotation:
    id: str
    article: str
    article_sha256: str
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    label: str
    note: str
    annotator: str
    created: str
    modified: str

    def __post_init__(self) -> None:
        # Checked on every construction (create, from_record, replace) so no invalid
        # annotation can exist in memory, whichever way it was made.
        if not self.article:
            raise ValueError("annotation has an empty article id")
        if not 0 <= self.start < self.end:
            raise ValueError(f"span ({self.start}, {self.end}) is not a non-empty, forward span")
        if len(self.quote) != self.end - self.start:
            raise ValueError(
                f"quote has {len(self.quote)} characters but span ({self.start}, {self.end}) "
                f"covers {self.end - self.start}"
            )
        if self.label not in LABELS:
            raise ValueError(f"label {self.label!r} is not one of {', '.join(LABELS)}")
        for name in ("created", "modified"):
            _check_timestamp(name, getattr(self, name))

    @classmethod
    def create(
        cls,
        *,
        article: str,
        text: str,
        start: int,
        end: int,
        label: str,
        annotator: str,
        note: str = "",
        article_sha256: str | None = None,
        now: datetime | None = None,
    ) -> Annotation:
        """A new annotation of ``text[start:end]``; raises ValueError for a bad span or label."""
        if not 0 <= start < end <= len(text):
            raise ValueError(
                f"span ({start}, {end}) is not a non-empty span of a {len(text)}-character text"
            )
        if article_sha256 is None:
            article_sha256 = text_sha256(text)
        stamp = _timestamp(now)
        return cls(
            id=str(uuid.uuid4()),
            article=article,
            article_sha256=article_sha256,
            start=start,
            end=end,
            quote=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            label=label,
            note=note,
            annotator=annotator,
            created=stamp,
            modified=stamp,
        )

    def with_note(self, note: str, now: datetime | None = None) -> Annotation:
        return dataclasses.replace(self, note=note, modified=_timestamp(now))

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict with keys in FIELDS order."""
        return {name: getattr(self, name) for name in FIELDS}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Annotation:
        """Parse a stored dict, raising InvalidRecordError that says what is wrong."""
        if not isinstance(record, Mapping):
            raise InvalidRecordError(
                f"annotation record is a {type(record).__name__}, not an object"
            )
        missing = [name for name in FIELDS if name not in record]
        if missing:
            raise InvalidRecordError(f"annotation record lacks {', '.join(missing)}")
        # Unknown keys are refused rather than dropped: re-saving would silently lose them.
        unknown = sorted(str(key) for key in record if key not in FIELDS)
        if unknown:
            raise InvalidRecordError(f"annotation record has unknown fields {', '.join(unknown)}")
        for name in FIELDS:
            value = record[name]
            # bool is an int subclass; True is not an offset.
            wanted_int = name in _INT_FIELDS
            ok = (
                isinstance(value, int) and not isinstance(value, bool)
                if wanted_int
                else isinstance(value, str)
            )
            if not ok:
                wanted = "an integer" if wanted_int else "a string"
                raise InvalidRecordError(
                    f"annotation field {name!r} is {type(value).__name__} {value!r}, "
                    f"expected {wanted}"
                )
        try:
            return cls(**{name: record[name] for name in FIELDS})
        except ValueError as error:
            raise InvalidRecordError(f"annotation {record['id']!r}: {error}") from error


def text_sha256(text: str) -> str:
    """The hash of the article's bytes (the text is their strict UTF-8 decoding)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_annotator() -> str:
    """The OS user name, or "anonymous" where there is none (containers, odd platforms)."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "anonymous"
    return name or "anonymous"


def _timestamp(now: datetime | None) -> str:
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        # A naive time would be silently read as local time somewhere else.
        raise ValueError("timestamps must be timezone-aware")
    # Fixed microsecond precision keeps every timestamp the same shape, so they sort as text.
    return now.astimezone(UTC).isoformat(timespec="microseconds")


def _check_timestamp(name: str, value: str) -> None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} {value!r} is not an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{name} {value!r} has no timezone")
