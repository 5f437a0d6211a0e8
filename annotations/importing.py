"""Import: records read from a file (annotations.formats.*.read) into the store, re-anchored.

A format's reader turns a file into records as the file gives them (annotations.formats.parsed);
this module decides what each becomes in the store, then saves everything in one transaction:

1. **Where it stands.** Each annotation is looked up in the texts the user has (the bundled
   articles, any given with ``--articles``, and texts a file brings with it, such as brat's
   ``.txt``): first the text version it names by content hash, then the current version of the
   article it names by id, then any text holding its quote. Within that text it is anchored by
   its selectors (annotations.anchoring: at its offsets, else by quote and context, else
   approximately). A record found on the version it names, at its offsets, is kept exactly as
   read, so export, import and export again give identical records; one found elsewhere is
   moved there with its old place kept in ``previous_*``, as re-anchoring does. A text that is
   there but no longer holds the words makes an orphan, kept with its quote for the user to
   re-attach; a record whose article is nowhere is a problem, reported and skipped.
2. **Whether it is new.** A record whose id the store holds is the same annotation: unchanged
   if it says the same thing (span, label, note, annotator), else a conflict, reported, and
   the version modified last is kept (the stored one on a tie). A record with a new id that
   says what a stored record says (same text version, span, label or note, annotator) is a
   duplicate: formats that carry no ids (brat, hand-written W3C) import twice without adding
   twice.
3. **All or the valid part.** Records that could not be read or placed are problems (with
   file and line); the others are saved in one transaction. With ``strict``, any problem
   means nothing is saved.

Nothing here touches the UI or the command line (reader.import_command does).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from annotations.anchoring import anchor_quote
from annotations.entity_corrections import (
    ENTITY_CORRECTIONS,
    SPAN_KINDS,
    EntityCorrection,
)
from annotations.formats.parsed import Origin, ParsedAnnotation, ParsedSet, Problem
from annotations.model import CONTEXT_CHARS, TAGGING, Annotation, ArticleText
from annotations.store import ANNOTATIONS, AnnotationStore

Kept = Literal["imported", "stored"]


# A text annotations can be placed on: what an edit needs of an article (corpus Article has it).
TextVersion = ArticleText


@dataclass(frozen=True)
class Conflict:
    """Two versions of one annotation: the stored one and the one read, which differ."""

    id: str
    origin: Origin
    kept: Kept
    stored_modified: str
    imported_modified: str
    what: str  # which fields differ, e.g. "label, note"

    def __str__(self) -> str:
        which = "the imported one" if self.kept == "imported" else "the stored one"
        return (
            f"{self.origin}: annotation {self.id} differs from the stored one in {self.what}: "
            f"kept {which}, modified later"
            if self.stored_modified != self.imported_modified
            else f"{self.origin}: annotation {self.id} differs from the stored one in "
            f"{self.what}, both modified at {self.stored_modified}: kept the stored one"
        )


@dataclass
class ImportReport:
    """What an import did (or, with ``saved`` False, would have done)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0  # already stored (same id, or a duplicate by content)
    orphaned: int = 0  # added or updated as orphans: their article no longer holds the words
    corrections_added: int = 0
    corrections_unchanged: int = 0
    anchors: Counter[str] = field(default_factory=Counter)  # exact / moved / fuzzy / orphan
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unsupported: Counter[str] = field(default_factory=Counter)
    new_labels: set[str] = field(default_factory=set)
    saved: bool = False

    @property
    def skipped(self) -> int:
        return len(self.problems)

    def summary(self) -> str:
        """One line: what was added, updated, kept as it was, skipped and orphaned."""
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.unchanged} already there",
            f"{self.skipped} skipped",
            f"{self.orphaned} orphaned",
        ]
        if self.corrections_added or self.corrections_unchanged:
            parts.append(
                f"entity corrections: {self.corrections_added} added, "
                f"{self.corrections_unchanged} already there"
            )
        if self.conflicts:
            kept = sum(c.kept == "imported" for c in self.conflicts)
            parts.append(f"{len(self.conflicts)} conflicts ({kept} resolved by the imported one)")
        return ", ".join(parts)


class Texts:
    """The texts records can be placed on, by content hash and by article id."""

    def __init__(self, versions: Iterable[TextVersion]) -> None:
        self.by_sha: dict[str, TextVersion] = {}
        self.by_id: dict[str, list[TextVersion]] = {}
        for version in versions:
            if version.sha256 in self.by_sha:
                continue  # one text, two files: the first given (the bundled one) names it
            self.by_sha[version.sha256] = version
            self.by_id.setdefault(version.id, []).append(version)

    def holding(self, quote: str) -> list[TextVersion]:
        return [version for version in self.by_sha.values() if quote in version.text]


@dataclass(frozen=True)
class _Placed:
    annotation: Annotation
    status: str  # exact / moved / fuzzy / orphan


def import_records(
    store: AnnotationStore,
    parsed: ParsedSet,
    texts: Texts,
    *,
    known_labels: Iterable[str] = (),
    strict: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Place, compare and save what ``parsed`` holds; see the module docstring."""
    report = ImportReport(problems=list(parsed.problems), unsupported=Counter(parsed.unsupported))
    placed: list[tuple[_Placed, Origin]] = []
    for record in parsed.annotations:
        found = _place(record, texts)
        if isinstance(found, Problem):
            report.problems.append(found)
        else:
            placed.append((found, record.origin))
    corrections: list[tuple[EntityCorrection, Origin]] = []
    for parsed_correction in parsed.corrections:
        correction = _place_correction(parsed_correction.correction, texts)
        if isinstance(correction, str):
            report.problems.append(Problem(parsed_correction.origin, correction))
        else:
            corrections.append((correction, parsed_correction.origin))

    stored = store.records(ANNOTATIONS)
    # What each stored record says, so a record read without our id is not added twice.
    said = {_content(a): a.id for a in stored.values()}
    final: dict[str, Annotation] = {}  # id -> the record to save (added or updated)
    for item, origin in placed:
        incoming = item.annotation
        current = final.get(incoming.id) or stored.get(incoming.id)
        if current is None:
            if _content(incoming) in said:
                report.unchanged += 1
                continue
            final[incoming.id] = incoming
            said[_content(incoming)] = incoming.id
            report.anchors[item.status] += 1
            continue
        differs = _differences(current, incoming)
        if not differs:
            report.unchanged += 1
            continue
        newer = incoming.modified > current.modified
        report.conflicts.append(
            Conflict(
                incoming.id,
                origin,
                "imported" if newer else "stored",
                current.modified,
                incoming.modified,
                ", ".join(differs),
            )
        )
        if newer:
            final[incoming.id] = incoming
            report.anchors[item.status] += 1

    stored_corrections = store.records(ENTITY_CORRECTIONS)
    new_corrections: dict[str, EntityCorrection] = {}
    for correction, _origin in corrections:
        if correction.id in stored_corrections or correction.id in new_corrections:
            report.corrections_unchanged += 1
            continue
        new_corrections[correction.id] = correction

    for annotation in final.values():
        if annotation.id in stored:
            report.updated += 1
        else:
            report.added += 1
        report.orphaned += annotation.anchor == "orphan"
    report.corrections_added = len(new_corrections)
    known = set(known_labels) | {a.label for a in stored.values() if a.motivation == TAGGING}
    report.new_labels = {
        a.label for a in final.values() if a.motivation == TAGGING and a.label not in known
    }

    if dry_run or (strict and report.problems):
        return report
    if final or new_corrections:
        with store.transaction() as transaction:
            for annotation in final.values():
                if annotation.id in stored:
                    transaction.update(ANNOTATIONS, annotation)
                else:
                    transaction.add(ANNOTATIONS, annotation)
            for correction in new_corrections.values():
                transaction.add(ENTITY_CORRECTIONS, correction)
    report.saved = True
    return report


def _content(a: Annotation) -> tuple[str, int, int, str, str, str, str]:
    return (a.article_sha256, a.start, a.end, a.motivation, a.label, a.note, a.annotator)


# What makes two versions of one annotation different annotations to the user; re-anchoring
# fields (anchor, score, previous_*) and the times are not among them.
_COMPARED = ("article_sha256", "start", "end", "motivation", "label", "note", "annotator")


def _differences(stored: Annotation, incoming: Annotation) -> list[str]:
    changed = [name for name in _COMPARED if getattr(stored, name) != getattr(incoming, name)]
    if {"article_sha256", "start", "end"} & set(changed):
        # One place, in other words: say "span" once rather than three field names.
        changed = ["span", *(c for c in changed if c not in ("article_sha256", "start", "end"))]
    return changed


def _place(record: ParsedAnnotation, texts: Texts) -> _Placed | Problem:
    """The record on the text it belongs to, or the problem that stops it being placed."""
    a = record.annotation
    named = texts.by_sha.get(a.article_sha256) if a.article_sha256 else None
    if named is not None and named.text[a.start : a.end] == a.quote:
        return _Placed(a, a.anchor)  # as read, re-anchoring fields and all: lossless
    candidates: Sequence[TextVersion]
    # Whether the article itself is here (by version or id), so that not finding the words
    # in it makes an orphan; found only by its quote elsewhere, it is placed there or nowhere.
    article_here = True
    if named is not None:
        candidates = [named]
    elif a.article in texts.by_id:
        candidates = texts.by_id[a.article]
    else:
        candidates = texts.holding(a.quote) if a.quote else []
        article_here = False
    missing = Problem(
        record.origin,
        f"article {a.article!r}"
        + (f" (text version {a.article_sha256[:12]})" if a.article_sha256 else "")
        + " not found: give its text with --articles",
    )
    if not candidates:
        return missing
    if a.start < 0:
        return _place_by_quote(a, candidates, missing if not article_here else None, record.origin)
    best = None
    for version in candidates:
        found = anchor_quote(
            version.text,
            quote=a.quote,
            prefix=a.prefix,
            suffix=a.suffix,
            start=min(a.start, len(version.text)),
            end=min(a.end, len(version.text)),
        )
        if found.start is not None and (best is None or found.score > best[1].score):
            best = (version, found)
    if best is None:
        if not article_here:
            return missing
        # The article is there but its words are not: an orphan, kept for the user to re-attach.
        return _Placed(a.evolve(anchor="orphan", anchor_score=0.0), "orphan")
    version, found = best
    assert found.start is not None and found.end is not None
    status: str = "moved" if found.status == "exact" else found.status
    if version.sha256 == a.article_sha256 and found.status == "exact":
        status = "exact"
    moved = a.moved_to(
        version.text,
        found.start,
        found.end,
        sha256=version.sha256,
        anchor=status,
        score=found.score,
        source=version.source,
        title=version.title,
    )
    # Placing is not editing: the record keeps its own times (so "newer wins" compares what
    # annotators did), and the article it now stands in.
    return _Placed(moved.evolve(article=version.id, modified=a.modified), status)


def _place_by_quote(
    a: Annotation, candidates: Sequence[TextVersion], missing: Problem | None, origin: Origin
) -> _Placed | Problem:
    """A record that gives its quote but no position (a W3C TextQuoteSelector alone): placed
    on the occurrence whose surroundings agree best with its prefix and suffix.

    It has no old place, so nothing goes in ``previous_*``. One best occurrence is "exact";
    several equally good (a short quote with no context to tell them apart) take the first,
    as "fuzzy" with score 1/n, so the user can find and check them. Not found, it cannot be an
    orphan (an orphan keeps the place it had, and it had none): it is a problem.
    """
    best: tuple[float, TextVersion, int] | None = None
    ties = 0
    for version in candidates:
        text = version.text
        at = text.find(a.quote)
        for _seen in range(_MAX_OCCURRENCES):
            if at == -1:
                break
            score = _context_agreement(text, at, at + len(a.quote), a.prefix, a.suffix)
            if best is None or score > best[0]:
                best, ties = (score, version, at), 1
            elif score == best[0]:
                ties += 1
            at = text.find(a.quote, at + 1)
    if best is None:
        if missing is not None:
            return missing
        shown = a.quote if len(a.quote) <= 60 else a.quote[:57] + "..."
        return Problem(origin, f"{shown!r} is not in article {a.article!r}: not imported")
    _score, version, start = best
    end = start + len(a.quote)
    text = version.text
    placed = a._replace(
        article=version.id,
        article_sha256=version.sha256,
        source=version.source,
        title=version.title,
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        anchor="exact" if ties == 1 else "fuzzy",
        anchor_score=1.0 if ties == 1 else 1.0 / ties,
    ).validated()
    return _Placed(placed, placed.anchor)


# Occurrences of a quote weighed per text: beyond this a quote says nothing anyway.
_MAX_OCCURRENCES = 10_000


def _context_agreement(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How much of the given context stands around text[start:end], 0 to 1 (1 if none given)."""
    if not prefix and not suffix:
        return 1.0
    before = text[max(0, start - len(prefix)) : start]
    agreed_before = _common_start(before[::-1], prefix[::-1])
    agreed_after = _common_start(text[end : end + len(suffix)], suffix)
    return (agreed_before + agreed_after) / (len(prefix) + len(suffix))


def _common_start(a: str, b: str) -> int:
    """How many characters two strings share from their start."""
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def _place_correction(c: EntityCorrection, texts: Texts) -> EntityCorrection | str:
    """A span correction on a text we have (moved there by its quote if need be), a grouping
    correction as it is, or why it cannot be placed."""
    if c.kind not in SPAN_KINDS:
        return c
    named = texts.by_sha.get(c.article_sha256)
    if named is not None and named.text[c.start : c.end] == c.quote:
        return c
    candidates = [named] if named is not None else texts.by_id.get(c.article, [])
    for version in candidates:
        found = anchor_quote(
            version.text, quote=c.quote, prefix=c.prefix, suffix=c.suffix, start=c.start, end=c.end
        )
        if found.start is not None and found.end is not None and found.status != "fuzzy":
            text = version.text
            return c._replace(
                article=version.id,
                article_sha256=version.sha256,
                start=found.start,
                end=found.end,
                quote=text[found.start : found.end],
                prefix=text[max(0, found.start - CONTEXT_CHARS) : found.start],
                suffix=text[found.end : found.end + CONTEXT_CHARS],
            ).validated()
    if not candidates:
        return f"entity correction {c.id}: article {c.article!r} not found: give it with --articles"
    return f"entity correction {c.id}: {c.quote!r} is no longer in article {c.article!r}"
