"""CoNLL: token-level BIO tags for the user's tags and the model's entities, one token a line.

The file, UTF-8 text with ``\\n`` line ends and tab-separated columns::

    # global.columns = TOKEN ENTITY TAG:claim TAG:opinion
    -DOCSTART-<tab>telegraph-putin-axis-of-terror<tab><sha256>

    Putin<tab>B-PERSON<tab>B-claim<tab>O
    ...

- The first line names the columns (in the manner of CoNLL-U Plus): the token, the entity
  BIO tag, then one BIO column per tag label in the export (``TAG:<label>``), labels in sorted
  order. Whitespace inside a label becomes ``_`` in the file (a column or tag cannot hold it),
  ``_2``, ``_3``... added if two labels would then collide; a comment line under the header
  gives the stored label of each one written otherwise. Every annotator's tags of one label
  share its column: export one annotator's (``--annotator``) to keep them apart.
- Each text version in the export (``ExportSet.in_reading_order``) starts with a
  ``-DOCSTART-`` line carrying the article's id (whitespace as ``_``) and the text's sha256,
  then any ``#`` comment
  lines about that document, then a blank line, as in CoNLL-2003.
- Tokens come from a blank English pipeline (annotations.formats.tokens), sentences from
  spaCy's rule-based sentencizer plus a break at every line break, since a headline or a list
  item ends a sentence without a full stop. A blank line separates sentences, except where a
  tag or an entity runs on across the break: a run is never cut, so a tag over two sentences
  keeps them together as one sequence, and joining a run's tokens gives the tag's tokens.
- Whitespace tokens (spaCy makes a token of a line break or a second space) are not written:
  a column-per-token file cannot show them. A run across one simply goes on past it.
- ENTITY is the model's entities with the user's corrections (``ExportArticle.entities``);
  where they are not known (``None``, nothing cached) it is ``_`` on every token (unknown, as
  in CoNLL-U), never ``O``, which would teach a tagger that there are none. Whitespace in an
  entity type (a user's correction may hold one) is written ``_``.
- Tags that overlap in different labels sit in their own columns. Tags of one label that share
  a token merge into one run (a column can only say "in a claim" or not), and tags or entities
  that end inside a token are widened to whole tokens (annotations.formats.tokens.place); a
  comment line under the ``-DOCSTART-`` says how many of each, and how many could not be laid
  on tokens at all (whitespace alone, a quote not at its offsets, an entity overlapping
  another once widened), so nothing is dropped unsaid.
- Notes are not tags and are not written (they are in the jsonl, w3c and brat exports).

A reader that skips lines starting with ``#`` must see ``# `` (hash, space): a ``#`` token's
line is ``#<tab>...``. spaCy is imported when `write` runs, never at import time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotations.formats import ExportArticle, ExportSet
from annotations.formats.tokens import (
    LINE_BREAKS,
    Placement,
    blank_english,
    by_text,
    make_doc,
    place,
)
from annotations.model import Annotation

if TYPE_CHECKING:
    from spacy.language import Language

TOKEN_COLUMN = "TOKEN"
ENTITY_COLUMN = "ENTITY"
TAG_COLUMN_PREFIX = "TAG:"
DOCSTART = "-DOCSTART-"
UNKNOWN = "_"
OUTSIDE = "O"
_WHITESPACE = re.compile(r"\s")


@dataclass
class DocumentCounts:
    """What laying one document's tags and entities on tokens changed."""

    entities_known: bool = True
    merged: dict[str, int] = field(default_factory=dict)  # label: tags folded into other runs
    expanded_tags: int = 0
    unplaced_tags: int = 0
    expanded_entities: int = 0
    unplaced_entities: int = 0

    def lines(self) -> list[str]:
        """The document's comment lines (without "# "), none if nothing changed."""
        said: list[str] = []
        if not self.entities_known:
            said.append(f"entities not known for this text: {ENTITY_COLUMN} is {UNKNOWN}")
        for label, count in sorted(self.merged.items()):
            said.append(
                f"{_many(count, 'tag')} of {label} overlapping another merged into one run with it"
            )
        for count, what in (
            (self.expanded_tags, "tag"),
            (self.expanded_entities, "entity"),
        ):
            if count:
                said.append(f"{_many(count, what)} widened to whole tokens")
        if self.unplaced_tags:
            said.append(
                f"{_many(self.unplaced_tags, 'tag')} on no token (whitespace alone, or a quote "
                "not at its offsets): left out"
            )
        if self.unplaced_entities:
            said.append(
                f"{_many(self.unplaced_entities, 'entity')} on no token or overlapping another "
                "once widened: left out"
            )
        return said


def _many(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count} {plural}"


def write(export: ExportSet) -> Iterator[str]:
    records = by_text(export)
    labels = sorted({a.label for texts in records.values() for a in texts if a.is_tag})
    written = column_labels(labels)
    header = [TOKEN_COLUMN, ENTITY_COLUMN, *(TAG_COLUMN_PREFIX + written[x] for x in labels)]
    yield f"# global.columns = {' '.join(header)}\n"
    for label in labels:
        if written[label] != label:
            # JSON, ASCII-escaped: the label as stored, on one line whatever it holds.
            yield f"# label {json.dumps(label)} is written {written[label]}\n"
    nlp = blank_english(sentences=True)
    for article in export.in_reading_order():
        tags = [a for a in records.get(article.sha256, ()) if a.is_tag]
        yield "".join(document_lines(nlp, article, tags, labels, written))


def column_labels(labels: Iterable[str]) -> dict[str, str]:
    """Each label as written in the file: whitespace as ``_``, made unique if that collides."""
    written: dict[str, str] = {}
    taken: set[str] = set()
    for label in labels:
        name = candidate = _plain(label)
        suffix = 2
        while candidate in taken:
            candidate = f"{name}_{suffix}"
            suffix += 1
        taken.add(candidate)
        written[label] = candidate
    return written


def _plain(label: str) -> str:
    return _WHITESPACE.sub("_", label)


def document_lines(
    nlp: Language,
    article: ExportArticle,
    tags: Sequence[Annotation],
    labels: Sequence[str],
    written: Mapping[str, str],
) -> Iterator[str]:
    """One document's lines: ``-DOCSTART-``, comments, a blank line, then its sentences."""
    doc = make_doc(nlp, article.text)
    size = len(doc)
    counts = DocumentCounts(entities_known=article.entities is not None)

    # run_of[column][token]: which run covers the token (-1 none); runs are numbered per column.
    entity_runs = [-1] * size
    entity_labels: list[str] = []
    if article.entities is not None:
        for start, end, label in sorted(article.entities):
            where = place(doc, article.text, start, end)
            # Corrected entities never overlap, but two that share a token once widened would.
            if isinstance(where, str) or any(x >= 0 for x in entity_runs[where.start : where.end]):
                counts.unplaced_entities += 1
                continue
            counts.expanded_entities += where.adjustment == "expanded"
            for index in range(where.start, where.end):
                entity_runs[index] = len(entity_labels)
            entity_labels.append(_plain(label))

    # The tags of each column in one pass (a pass per label was labels × tags).
    of_label: dict[str, list[Annotation]] = {label: [] for label in labels}
    for tag in tags:
        if tag.label in of_label:
            of_label[tag.label].append(tag)
    tag_runs: list[list[int]] = []
    for label in labels:
        placed: list[Placement] = []
        for tag in of_label[label]:
            where = (
                place(doc, article.text, tag.start, tag.end)
                if article.text[tag.start : tag.end] == tag.quote
                else "its quote is not at its offsets"
            )
            if isinstance(where, str):
                counts.unplaced_tags += 1
                continue
            counts.expanded_tags += where.adjustment == "expanded"
            placed.append(where)
        runs, merged = _merged_runs(placed, size)
        if merged:
            counts.merged[label] = merged
        tag_runs.append(runs)

    yield f"{DOCSTART}\t{_plain(article.id)}\t{article.sha256}\n"
    for line in counts.lines():
        yield f"# {line}\n"
    yield "\n"

    columns = [entity_runs, *tag_runs]
    shown = [t.i for t in doc if not _WHITESPACE.search(t.text)]
    previous = -1
    for index in shown:
        if previous >= 0:
            between = doc[previous + 1 : index + 1]
            breaks = any(
                t.is_sent_start or (t.i < index and LINE_BREAKS.intersection(t.text))
                for t in between
            )
            runs_on = any(c[index] >= 0 and c[index] == c[previous] for c in columns)
            if breaks and not runs_on:
                yield "\n"
        cells = [doc[index].text]
        if article.entities is None:
            cells.append(UNKNOWN)
        else:
            run = entity_runs[index]
            name = entity_labels[run] if run >= 0 else ""
            cells.append(_bio(run, entity_runs[previous] if previous >= 0 else -1, name))
        for label, runs in zip(labels, tag_runs, strict=True):
            cells.append(_bio(runs[index], runs[previous] if previous >= 0 else -1, written[label]))
        yield "\t".join(cells) + "\n"
        previous = index
    if shown:
        yield "\n"


def _bio(run: int, before: int, name: str) -> str:
    """The BIO tag of a token in run ``run`` (-1: none) after one in run ``before``."""
    if run < 0:
        return OUTSIDE
    return f"{'I' if run == before else 'B'}-{name}"


def _merged_runs(placed: Sequence[Placement], size: int) -> tuple[list[int], int]:
    """Token runs of one label, tags sharing a token merged; and how many tags were folded
    into another's run."""
    runs = [-1] * size
    merged = 0
    run = -1
    end = -1
    for where in sorted(placed, key=lambda p: (p.start, p.end)):
        # Only the tokens past the run's end so far are new: each token is set once, however
        # many nested or overlapping tags cover it.
        fill_from = max(where.start, end)
        if where.start < end:
            merged += 1
            end = max(end, where.end)
        else:
            run += 1
            end = where.end
        for index in range(fill_from, where.end):
            runs[index] = run
    return runs, merged
