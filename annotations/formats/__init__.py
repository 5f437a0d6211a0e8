"""Annotation sets in the formats other tools read, and back: what every format shares.

An export is an `ExportSet`: the annotations and entity corrections chosen (see
annotations.formats.filters), and for each text version they name (by sha256) an
`ExportArticle`: the verbatim text, where it came from, and the model's entities with the
user's corrections applied (None when they are not known, e.g. `reader ner` never ran on it).

Each format is registered in `FORMATS` by name with the module that implements it, imported only
when that format is used (spaCy for `spacy` and `conll`, nothing heavy for `jsonl`). A format's
module provides, by its `kind`:

- ``"text"``: ``write(export: ExportSet) -> Iterator[str]``, chunks of one text file
  (JSON Lines, CSV, W3C, CoNLL, Markdown, HTML), written verbatim to a file or a pipe;
- ``"binary"``: ``write(export: ExportSet) -> bytes``, one binary file (a spaCy DocBin);
- ``"folder"``: ``write(export: ExportSet) -> dict[str, bytes]``, files by their relative
  path in a folder (brat: ``.txt``/``.ann`` per article and ``annotation.conf``).

and, if it can be imported, ``read(path: Path) -> ParsedSet`` (annotations.formats.parsed).

A file's ending names its format (`format_for_path`), the longest ending that matches winning:
``.jsonl`` is this app's JSON Lines, which other tools and `reader import` take it to be, so
the W3C Annotations written one a line (``w3c-jsonl``, the same module's ``write_lines``) end
in ``.w3c.jsonl`` rather than take ``.jsonl`` from it; ``w3c`` (one collection document) ends
in ``.jsonld``.

Offsets are Python ``str`` indices into the verbatim text everywhere in this package; a format
that counts otherwise (brat counts characters too, but over the text it wrote) converts at its
own edge and says so.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Literal

from annotations.entity_corrections import EntityCorrection, EntitySpan
from annotations.model import Annotation

FormatKind = Literal["text", "binary", "folder"]


@dataclass(frozen=True)
class ExportArticle:
    """One text version that exported records name, as formats that carry text need it."""

    id: str
    sha256: str
    title: str
    source: str  # the file it was read from, or a URL
    text: str = field(repr=False)
    outlet: str | None = None
    # The model's entities (start, end, label) with the user's corrections applied; None if
    # they are not known for this text (nothing cached), () if the model found none.
    entities: tuple[EntitySpan, ...] | None = None


@dataclass(frozen=True)
class ExportSet:
    """What one export writes."""

    annotations: Sequence[Annotation]
    corrections: Sequence[EntityCorrection] = ()
    # Text versions by sha256: those of the records, and of any article asked for by name.
    articles: Mapping[str, ExportArticle] = field(default_factory=dict)
    # Whether the user asked for the corrections (CSV has extra columns only then).
    with_corrections: bool = False

    def article_of(self, record: Annotation | EntityCorrection) -> ExportArticle | None:
        return self.articles.get(record.article_sha256)

    def in_reading_order(self) -> list[ExportArticle]:
        """The articles, by id then sha256 (so two versions of one article sit together)."""
        return sorted(self.articles.values(), key=lambda a: (a.id, a.sha256))


@dataclass(frozen=True)
class Format:
    name: str
    kind: FormatKind
    module: str  # implements write (and read, if `readable`)
    suffixes: tuple[str, ...]  # file name endings that mean this format; "" for a folder
    description: str
    readable: bool = False  # `reader import` reads it (the module's `read`)
    writer: str = "write"  # the module's function that writes it
    # It writes the article texts (or lays records on their tokens): a record whose text is
    # not at hand is left out. The others carry each record's quote and offsets alone.
    needs_text: bool = False
    # It shows the model's entities (with the user's corrections), not only the records.
    shows_entities: bool = False

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format(
            "jsonl",
            "text",
            "annotations.formats.jsonl",
            (".jsonl", ".json", ".ndjson"),
            "JSON Lines, one record a line (this app's own records)",
            readable=True,
        ),
        Format("csv", "text", "annotations.formats.csv_format", (".csv",), "CSV, one row a record"),
        Format(
            "w3c",
            "text",
            "annotations.formats.w3c",
            (".jsonld",),
            "W3C Web Annotation JSON-LD (an AnnotationCollection)",
            readable=True,
        ),
        Format(
            "w3c-jsonl",
            "text",
            "annotations.formats.w3c",
            (".w3c.jsonl",),
            "W3C Web Annotations as JSON Lines, one Annotation (with its @context) a line",
            readable=True,
            writer="write_lines",
        ),
        Format(
            "brat",
            "folder",
            "annotations.formats.brat",
            (),
            "brat standoff: a .txt and .ann per article and annotation.conf, in a folder",
            readable=True,
            needs_text=True,
            shows_entities=True,
        ),
        Format(
            "spacy",
            "binary",
            "annotations.formats.spacy_docbin",
            (".spacy",),
            "spaCy DocBin: tags as a span group, entities as ents",
            needs_text=True,
            shows_entities=True,
        ),
        Format(
            "conll",
            "text",
            "annotations.formats.conll",
            (".conll", ".bio"),
            "CoNLL token-level BIO tags for tags and entities",
            needs_text=True,
            shows_entities=True,
        ),
        Format(
            "md",
            "text",
            "annotations.formats.report",
            (".md",),
            "Markdown report",
            writer="write_markdown",
            shows_entities=True,
        ),
        Format(
            "html",
            "text",
            "annotations.formats.report",
            (".html", ".htm"),
            "HTML report, self-contained",
            writer="write_html",
            shows_entities=True,
        ),
    )
}


def format_for_path(path: Path) -> Format | None:
    """The format a file name asks for by its ending, None if none we write.

    The longest ending wins: ``x.w3c.jsonl`` is W3C JSON Lines, ``x.jsonl`` our JSON Lines. A
    name that is only an ending (``.jsonl``, a hidden file) asks for nothing.
    """
    name = path.name.lower()
    for suffix, fmt in _BY_ENDING:
        if name.endswith(suffix) and len(name) > len(suffix):
            return fmt
    return None


def suffix_of(path: Path) -> str:
    """The ending of ``path``'s name that names its format (``.w3c.jsonl``), else its last
    suffix (``.txt``), else ""."""
    found = format_for_path(path)
    if found is not None:
        name = path.name.lower()
        longest = max((s for s in found.suffixes if name.endswith(s)), key=len)
        return path.name[-len(longest) :]
    return path.suffix


# Every ending of every format, longest first, so a longer ending is tried before its tail.
_BY_ENDING: tuple[tuple[str, Format], ...] = tuple(
    sorted(
        ((suffix, fmt) for fmt in FORMATS.values() for suffix in fmt.suffixes),
        key=lambda pair: -len(pair[0]),
    )
)
