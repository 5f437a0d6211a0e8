"""brat standoff: a folder with a ``.txt`` and an ``.ann`` per text version, and annotation.conf.

Written (``write``):

- ``<name>.txt``: the verbatim text, UTF-8 (brat counts offsets in characters of this file,
  as Python does: offsets are written as they are stored). ``<name>`` is the article id made
  safe for a file name, with the first 8 characters of the text's sha256 added when two
  versions of one article are exported.
- ``<name>.ann``: a tag is a text-bound annotation ``T1<TAB>claim 10 25<TAB>quoted text``. brat
  keeps the quoted text on one line, so a span across a line break is written as fragments
  split at the breaks (``T2<TAB>claim 0 5;6 10<TAB>frag1 frag2``, fragments joined by a
  space, as brat joins them). A label becomes a brat type with every character other than
  letters, digits, ``_`` and ``-`` written ``_`` (brat types hold no spaces). A note is an
  ``AnnotatorNotes`` line on a tag of the same span, or on a ``Note`` text-bound annotation when
  no tag has it; in the note, backslash, line break, carriage return and tab are written
  ``\\\\``, ``\\n``, ``\\r``, ``\\t``. The model's entities (corrections applied) are text-bound
  annotations of their type (PERSON, ORG...), for reading in brat beside the tags.
- ``annotation.conf``: every type used under ``[entities]`` (with ``Note``), and the
  ``[relations]``, ``[events]`` and ``[attributes]`` sections brat requires, empty.
- ``<name>.reader.jsonl``, which brat ignores: the article (id, sha256, source, title) on the
  first line, then for each ``T`` or ``#`` line of ours the full record it came from
  (``{"brat": "T3", "record": {...}}``) or ``{"brat": "T9", "entity": true}`` for a model
  entity. With it, export, import and export again give identical records: ids, annotators,
  times and anchoring are not things brat has a place for.

Read (``read``): a folder (every ``.ann`` under it, with the ``.txt`` beside it) or one
``.ann``. A text-bound annotation whose sidecar record still matches it (same span and type)
comes back as that record; any other (written by brat, or edited there) becomes a new record
by annotator ``brat``, its label the type (the sidecar's label where it names one). A
discontinuous span that is not one of ours split at line breaks becomes one record per
fragment, counted. ``AnnotatorNotes`` are notes on their annotation's span. Events,
relations, equivalences, attributes and normalisations have no place here: they are counted
by kind, never dropped unsaid. A line that does not parse, or whose quoted text is not the
text at its offsets, is a problem with its file and line, and is skipped.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotations.formats import ExportArticle, ExportSet
from annotations.formats.parsed import (
    Origin,
    ParsedAnnotation,
    ParsedSet,
    ParsedText,
    Problem,
)
from annotations.model import COMMENTING, LABELS, TAGGING, Annotation, text_sha256

NOTE_TYPE = "Note"
SIDECAR = ".reader.jsonl"
ANNOTATOR = "brat"  # who made what brat brings without a record of ours
_UNSUPPORTED = {
    "E": "brat event",
    "R": "brat relation",
    "*": "brat equivalence",
    "A": "brat attribute",
    "M": "brat attribute",
    "N": "brat normalization",
}
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPES = {"\\\\": "\\", "\\n": "\n", "\\r": "\r", "\\t": "\t"}
Fragments = list[tuple[int, int]]


def brat_type(label: str) -> str:
    """A label as a brat type: no spaces or punctuation, starting with a letter."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", label) or "_"
    return safe if safe[0].isalpha() else f"L_{safe}"


def escape_note(note: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in note)


def unescape_note(field: str) -> str:
    return re.sub(r"\\[\\nrt]", lambda m: _UNESCAPES[m.group(0)], field)


def fragments_of(text: str, start: int, end: int) -> Fragments:
    """[start, end) cut at line breaks into the runs brat can quote on one line."""
    fragments: Fragments = []
    for match in re.finditer(r"[^\r\n]+", text[start:end]):
        fragments.append((start + match.start(), start + match.end()))
    return fragments


def quoted(text: str, fragments: Fragments) -> str:
    return " ".join(text[s:e] for s, e in fragments)


def _names(articles: Iterable[ExportArticle]) -> dict[str, str]:
    """sha256 -> file name (no extension), unique."""
    listed = list(articles)
    ids = [a.id for a in listed]
    names: dict[str, str] = {}
    for article in listed:
        base = re.sub(r"[^A-Za-z0-9._-]", "_", article.id).lstrip(".") or "article"
        if ids.count(article.id) > 1:
            base = f"{base}-{article.sha256[:8]}"
        names[article.sha256] = base
    return names


class _AnnLines:
    """The lines of one .ann file as they are made, numbering T and # ids."""

    def __init__(self, text: str, types: set[str]) -> None:
        self.text = text
        self.types = types
        self.lines: list[str] = []
        self.bound = 0
        self.notes = 0

    def text_bound(self, kind: str, start: int, end: int) -> str | None:
        fragments = fragments_of(self.text, start, end)
        if not fragments:
            return None  # line breaks alone: nothing brat can show
        self.bound += 1
        tid = f"T{self.bound}"
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        self.lines.append(f"{tid}\t{kind} {offsets}\t{quoted(self.text, fragments)}")
        self.types.add(kind)
        return tid

    def note(self, target: str, note: str) -> str:
        self.notes += 1
        nid = f"#{self.notes}"
        self.lines.append(f"{nid}\tAnnotatorNotes {target}\t{escape_note(note)}")
        return nid


def write(export: ExportSet) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    types: set[str] = {NOTE_TYPE}
    articles = export.in_reading_order()
    names = _names(articles)
    by_text: dict[str, list[Annotation]] = {}
    for annotation in export.annotations:
        by_text.setdefault(annotation.article_sha256, []).append(annotation)
    for article in articles:
        name = names[article.sha256]
        text = article.text
        sidecar: list[dict[str, Any]] = [
            {
                "article": article.id,
                "sha256": article.sha256,
                "source": article.source,
                "title": article.title,
            }
        ]
        span_ids: dict[tuple[int, int], str] = {}
        ann = _AnnLines(text, types)
        text_bound = ann.text_bound
        records = sorted(by_text.get(article.sha256, []), key=lambda a: (a.start, -a.end, a.id))
        for a in records:
            if a.motivation != TAGGING or text[a.start : a.end] != a.quote:
                continue
            tid = text_bound(brat_type(a.label), a.start, a.end)
            if tid is not None:
                span_ids.setdefault((a.start, a.end), tid)
                sidecar.append({"brat": tid, "record": a.to_record()})
        for a in records:
            if a.motivation != COMMENTING or text[a.start : a.end] != a.quote:
                continue
            target = span_ids.get((a.start, a.end)) or text_bound(NOTE_TYPE, a.start, a.end)
            if target is None:
                continue
            span_ids.setdefault((a.start, a.end), target)
            nid = ann.note(target, a.note)
            sidecar.append({"brat": nid, "record": a.to_record()})
        for start, end, label in article.entities or ():
            tid = text_bound(brat_type(label), start, end)
            if tid is not None:
                sidecar.append({"brat": tid, "entity": True})
        files[f"{name}.txt"] = text.encode("utf-8")
        files[f"{name}.ann"] = "".join(line + "\n" for line in ann.lines).encode("utf-8")
        files[f"{name}{SIDECAR}"] = "".join(
            json.dumps(entry, ensure_ascii=False) + "\n" for entry in sidecar
        ).encode("utf-8")
    conf = ["[entities]", *sorted(types), "", "[relations]", "", "[events]", "", "[attributes]"]
    files["annotation.conf"] = ("\n".join(conf) + "\n").encode("utf-8")
    return files


def read(path: Path) -> ParsedSet:
    parsed = ParsedSet()
    files = sorted(path.rglob("*.ann")) if path.is_dir() else [path]
    if path.is_dir() and not files:
        parsed.problems.append(Problem(Origin(str(path)), "no .ann files in this folder"))
    for ann in files:
        parsed.extend(_read_one(ann))
    return parsed


def _read_sidecar(ann: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    sidecar = ann.with_name(ann.name[: -len(".ann")] + SIDECAR)
    head: dict[str, Any] = {}
    entries: dict[str, dict[str, Any]] = {}
    try:
        lines = sidecar.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return head, entries
    for number, line in enumerate(lines):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        if number == 0 and "brat" not in entry:
            head = entry
        elif isinstance(entry.get("brat"), str):
            entries[entry["brat"]] = entry
    return head, entries


def _read_one(ann: Path) -> ParsedSet:
    parsed = ParsedSet()
    name = str(ann)
    txt = ann.with_suffix(".txt")
    try:
        text = txt.read_bytes().decode("utf-8")
        raw = ann.read_bytes().decode("utf-8")
    except FileNotFoundError as error:
        parsed.problems.append(Problem(Origin(name), f"cannot read {error.filename}: no such file"))
        return parsed
    except (OSError, UnicodeDecodeError) as error:
        parsed.problems.append(Problem(Origin(name), f"cannot read it or its .txt: {error}"))
        return parsed
    head, entries = _read_sidecar(ann)
    article = str(head.get("article") or txt.stem)
    title = str(head.get("title") or (text.strip().split("\n", 1)[0][:200] if text else ""))
    sha = text_sha256(text)
    parsed.texts.append(ParsedText(article, text, str(txt)))
    # A new annotation on this text (for brat lines the sidecar does not know).
    on_text = functools.partial(
        Annotation.create,
        article=article,
        text=text,
        annotator=ANNOTATOR,
        article_sha256=sha,
        source=str(txt),
        title=title,
    )
    bound: dict[str, tuple[str, Fragments, int]] = {}
    notes: list[tuple[str, str, str, int]] = []
    for number, line in enumerate(raw.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        origin = Origin(name, number)
        kind = line[:1]
        if kind in _UNSUPPORTED:
            parsed.unsupported[_UNSUPPORTED[kind]] += 1
            continue
        fields = line.split("\t", 2)
        if kind == "T":
            problem = _text_bound(fields, text, bound, number)
            if problem:
                parsed.problems.append(Problem(origin, problem))
        elif kind == "#":
            what = fields[1].split(" ") if len(fields) == 3 else []
            if len(what) == 2 and what[0] == "AnnotatorNotes":
                notes.append((fields[0], what[1], unescape_note(fields[2]), number))
            else:
                parsed.unsupported["brat comment"] += 1
        else:
            parsed.problems.append(Problem(origin, "not a brat annotation line"))
    for tid, (kind, fragments, number) in bound.items():
        entry = entries.get(tid, {})
        if entry.get("entity") or kind == NOTE_TYPE:
            continue
        record = _ours(entry, kind, fragments)
        if record is not None:
            parsed.annotations.append(ParsedAnnotation(record, Origin(name, number)))
            continue
        if len(fragments) > 1 and not _split_at_breaks(text, fragments):
            parsed.unsupported["brat discontinuous span (split into its parts)"] += 1
            parts = fragments
        else:
            parts = [(fragments[0][0], fragments[-1][1])]
        for start, end in parts:
            made = on_text(start=start, end=end, label=kind)
            parsed.annotations.append(ParsedAnnotation(made, Origin(name, number)))
        if kind not in LABELS:
            parsed.labels.add(kind)
    for nid, target, note, number in notes:
        origin = Origin(name, number)
        if target not in bound:
            parsed.problems.append(Problem(origin, f"a note on {target}, which is not here"))
            continue
        if not note:
            continue
        _kind, fragments, _line = bound[target]
        start, end = fragments[0][0], fragments[-1][1]
        record = _ours_note(entries.get(nid, {}), start, end, note)
        if record is None:
            record = on_text(start=start, end=end, note=note)
        parsed.annotations.append(ParsedAnnotation(record, origin))
    return parsed


def _text_bound(
    fields: list[str], text: str, bound: dict[str, tuple[str, Fragments, int]], number: int
) -> str | None:
    """Parse one T line into ``bound``; what is wrong with it, if anything."""
    if len(fields) != 3:
        return "a text-bound annotation needs an id, a type with offsets, and its text"
    kind, _, offsets = fields[1].partition(" ")
    fragments: Fragments = []
    try:
        for part in offsets.split(";"):
            start, end = (int(n) for n in part.split())
            fragments.append((start, end))
    except ValueError:
        return f"offsets {offsets!r} are not 'start end' pairs"
    if not kind or not fragments:
        return "a text-bound annotation needs a type and offsets"
    if any(not 0 <= s < e <= len(text) for s, e in fragments):
        return f"offsets {offsets} are not inside the {len(text)}-character text"
    if quoted(text, fragments) != fields[2]:
        return f"its text {fields[2]!r} is not the text at {offsets}"
    bound[fields[0]] = (kind, fragments, number)
    return None


def _split_at_breaks(text: str, fragments: Fragments) -> bool:
    """Whether the fragments are one span cut at its line breaks (as `write` cuts them)."""
    return fragments == fragments_of(text, fragments[0][0], fragments[-1][1])


def _sidecar_record(entry: dict[str, Any]) -> Annotation | None:
    """The record the sidecar keeps for a line, None if it has none (or a broken one)."""
    try:
        return Annotation.from_record(entry["record"])
    except (KeyError, ValueError, TypeError):
        return None


def _ours(entry: dict[str, Any], kind: str, fragments: Fragments) -> Annotation | None:
    """The sidecar's record for a T line, if it still describes that line (span and type)."""
    record = _sidecar_record(entry)
    if record is None or record.motivation != TAGGING or brat_type(record.label) != kind:
        return None
    return record if record.span == (fragments[0][0], fragments[-1][1]) else None


def _ours_note(entry: dict[str, Any], start: int, end: int, note: str) -> Annotation | None:
    """The sidecar's record for an AnnotatorNotes line, if it still says that note there."""
    record = _sidecar_record(entry)
    if record is None or record.motivation != COMMENTING:
        return None
    return record if (record.start, record.end, record.note) == (start, end, note) else None
