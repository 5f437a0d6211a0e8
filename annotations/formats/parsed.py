"""What a format's reader hands to the importer (annotations.importing): records as the file
gives them, each with where it was found, and every problem and unsupported thing, counted.

A reader does not touch the store and does not re-anchor: it turns a file into `Annotation`
and `EntityCorrection` records whose ``article``, ``article_sha256``, ``start``, ``end``,
``quote``, ``prefix`` and ``suffix`` are what the file says (``article_sha256`` may be "" when
the file names no text version; the importer then finds the text by quote). A line or record it
cannot read becomes a `Problem` and is skipped; the reader goes on with the next one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotations.entity_corrections import EntityCorrection
from annotations.model import Annotation


@dataclass(frozen=True)
class Origin:
    """Where a record was read: a file and, where the format has lines, its 1-based line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """A record that could not be read, with where it is; shown as one line."""

    origin: Origin
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


@dataclass(frozen=True)
class ParsedAnnotation:
    annotation: Annotation
    origin: Origin


@dataclass(frozen=True)
class ParsedCorrection:
    correction: EntityCorrection
    origin: Origin


@dataclass(frozen=True)
class ParsedText:
    """A text a file brings with it (brat's .txt beside its .ann): an article to anchor on."""

    article: str  # the id records name it by
    text: str
    source: str


@dataclass
class ParsedSet:
    annotations: list[ParsedAnnotation] = field(default_factory=list)
    corrections: list[ParsedCorrection] = field(default_factory=list)
    texts: list[ParsedText] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # What the file holds that this app cannot represent, by kind ("brat event": 3), reported
    # to the user, never dropped silently.
    unsupported: Counter[str] = field(default_factory=Counter)
    # Labels the file uses that the app's configuration lacks (added as labels on import).
    labels: set[str] = field(default_factory=set)

    def extend(self, other: ParsedSet) -> None:
        self.annotations.extend(other.annotations)
        self.corrections.extend(other.corrections)
        self.texts.extend(other.texts)
        self.problems.extend(other.problems)
        self.unsupported.update(other.unsupported)
        self.labels.update(other.labels)
