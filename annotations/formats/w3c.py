"""W3C Web Annotation Data Model (JSON-LD): an AnnotationCollection of Annotations, and back.

What is written (https://www.w3.org/TR/annotation-model/, compacted with its context):

- **The file** is one ``AnnotationCollection`` (``id``, ``label``, ``total``) whose ``first``
  page is embedded. Pages hold `PAGE_SIZE` items each, as the model's collections do, linked by
  ``next`` / ``prev`` / ``partOf`` IRIs and numbered by ``startIndex``; the pages after the
  first are in the same file, under JSON-LD 1.1's ``@included`` (a flat list, not one page
  nested in the next, so a large export is not a deeply nested document). The collection and
  page IRIs are made from the exported ids (``https://news-reader.invalid/exports/<uuid5>``),
  so one export written twice is the same file. An empty export has ``total`` 0 and no pages.
- **One Annotation per record**, as the app keeps them: ``id`` is ``urn:uuid:<id>`` for our
  UUID ids, else ``https://news-reader.invalid/annotations/<id, percent-encoded>``;
  ``motivation`` ``tagging`` or ``commenting``; ``created`` and ``modified``; ``creator`` a
  ``Person`` with the annotator as ``nickname`` (``foaf:nick``: it is a user name), left out
  when there is no annotator; ``body`` one ``TextualBody`` with ``purpose`` ``tagging`` and the
  label as ``value``, or ``purpose`` ``commenting``, ``format`` ``text/plain`` and the note.
- **The target** is a ``SpecificResource``. Its ``source`` is the article: ``{"id", "type":
  "Text", "format": "text/plain", "label": title}`` where ``id`` is the source's IRI (a URL as
  it is, a file path as a ``file://`` URI, anything else ``https://news-reader.invalid/
  articles/<article id>``). Its ``selector`` is a list: a ``TextQuoteSelector`` (``exact``,
  ``prefix``, ``suffix``) and a ``TextPositionSelector`` (``start``, ``end``: Python ``str``
  indices, i.e. code points, as the model's "characters" are).
- **What only this app has** is under the ``reader:`` prefix, declared in a second context
  object so it expands to ``https://news-reader.invalid/ns#...`` IRIs: on the target, the
  article id (``reader:article``), the text version (``reader:sha256``), the source as stored
  when its IRI does not give it back exactly (``reader:source``: a relative path, say), how it
  was anchored (``reader:anchor``, ``reader:anchorScore``) and, once re-anchored, where it stood
  before (``reader:previousStart`` / ``End`` / ``Quote`` / ``Sha256``). They are on the target,
  not on ``source``: the source is the article's IRI, shared by its versions, and a property
  there would be said of every version; each target is its own (blank) node.

So every field survives write then `read`: JSON Lines, imported and exported as W3C, read
back and exported as JSON Lines again, gives the same lines.

**Entity corrections.** A span correction (reject, retype, add) is an annotation of a span, so
it is written as one: motivation ``classifying`` with a ``TextualBody`` of purpose
``classifying`` naming the entity type (retype, add), or ``editing`` and no body (reject: a
request to remove the model's entity), with ``reader:correction`` giving its kind. A merge or
split names two spelling variants across the corpus and no text at all, and an Annotation must
have a target, so those are not written: export them as JSON Lines.

**Reading** (`read`) takes this file, a single Annotation, a JSON array of them, an
AnnotationPage, or JSON Lines (one Annotation a line; `write_lines` writes them, the format
``w3c-jsonl``, whose files end in ``.w3c.jsonl``: see annotations.formats). It reads the
compacted JSON shape the spec's examples use (terms of anno.jsonld, ``reader:`` keys), not any
JSON-LD (no expansion: a file using other term names is not understood). Hand-written records
work: one with several bodies or targets gives a record per body and target (ids
``<id>#2``...), ``bodyValue`` is a note, a text body with another purpose (``describing``...)
is read as a note and counted as unsupported. Without our fields, the article is the target's
source (its ``reader:`` IRI gives our article id; a relative reference is taken as an article
id; any other IRI names itself), ``article_sha256`` is "" (the importer finds the text by the
quote) and the offsets are those of a ``TextPositionSelector`` whose span is as long as the
quote, else -1 (unknown; anchor "orphan" until the importer places it). A record with no
``created`` takes the file's modification time. A record with no ``TextQuoteSelector`` (the
importer needs the words), with bad values, or that is not JSON is a `Problem` and is skipped.
A problem is placed by the line the record starts on: its line in JSON Lines; in a document
(pretty-printed, a record spans lines) the line of its opening brace, and its place among the
records ("record 3: ..."). The json module tells no positions, so a document is parsed a second
time, slower, for them (`_PlacedDocument`), and only when something in it is bad.

The bundled ``anno.jsonld`` is the official context served at http://www.w3.org/ns/anno.jsonld,
byte for byte: github.com/w3c/web-annotation, ``admin/ns/anno.jsonld`` as last changed by
commit 946cdac784eb475ee2f05289552ea9abf41a37af ("Updated the ns version of anno.jsonld",
November 2016; unchanged at 74992e5d3ca3ac10b3289f6c855c876cc9b024a1), sha256
48c6e5e80f86bb1bf812233d13e70fab8b19516ac4e57e1e4576473f0bbd062e. `context_document` serves it
to JSON-LD processors, so that nothing is fetched from the network.
"""

from __future__ import annotations

import json
import re
import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, Final, TypeGuard
from urllib.parse import quote, unquote, urlsplit

from annotations.entity_corrections import FIELDS as CORRECTION_FIELDS
from annotations.entity_corrections import (
    REJECT,
    SPAN_KINDS,
    EntityCorrection,
)
from annotations.formats import ExportArticle, ExportSet
from annotations.formats.jsonl import json_line
from annotations.formats.parsed import (
    Origin,
    ParsedAnnotation,
    ParsedCorrection,
    ParsedSet,
    Problem,
)
from annotations.model import (
    COMMENTING,
    LABELS,
    TAGGING,
    Annotation,
    InvalidRecordError,
    timestamp,
)

ANNO_CONTEXT: Final = "http://www.w3.org/ns/anno.jsonld"
NAMESPACE: Final = "https://news-reader.invalid/ns#"
CONTEXT: Final[list[Any]] = [ANNO_CONTEXT, {"reader": NAMESPACE}]
PAGE_SIZE: Final = 1000
LABEL: Final = "Annotations exported from the news reader"

_BASE = "https://news-reader.invalid/"
ANNOTATION_BASE: Final = _BASE + "annotations/"
ARTICLE_BASE: Final = _BASE + "articles/"
EXPORT_BASE: Final = _BASE + "exports/"
_EXPORT_NAMESPACE = uuid.UUID("3b1f4c1e-6a53-5c0e-9a59-3f6f2d0c9a7e")

CLASSIFYING: Final = "classifying"
EDITING: Final = "editing"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:").match


def context_document() -> dict[str, Any]:
    """The bundled anno.jsonld, parsed."""
    data = (
        resources.files("annotations.formats").joinpath("anno.jsonld").read_text(encoding="utf-8")
    )
    document: dict[str, Any] = json.loads(data)
    return document


# -- writing -------------------------------------------------------------------------------------


def write(export: ExportSet, *, page_size: int = PAGE_SIZE) -> Iterator[str]:
    """The export as one AnnotationCollection document (see the module docstring)."""
    yield json.dumps(collection(export, page_size=page_size), ensure_ascii=False, indent=2)
    yield "\n"


def write_lines(export: ExportSet) -> Iterator[str]:
    """The export as JSON Lines: one complete Annotation (with its ``@context``) a line."""
    for item in items(export):
        yield json_line({"@context": CONTEXT, **item})


def items(export: ExportSet) -> list[dict[str, Any]]:
    """Every record as an Annotation object (without ``@context``): annotations, then the
    span corrections."""
    written = [annotation_object(a) for a in export.annotations]
    written += [
        correction_object(c, export.article_of(c))
        for c in export.corrections
        if c.kind in SPAN_KINDS
    ]
    return written


def collection(export: ExportSet, *, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    if page_size < 1:
        raise ValueError(f"page size {page_size} is not positive")
    written = items(export)
    ids = "\n".join(item["id"] for item in written)
    collection_id = EXPORT_BASE + str(uuid.uuid5(_EXPORT_NAMESPACE, ids))
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": LABEL,
        "total": len(written),
    }
    starts = range(0, len(written), page_size)
    pages = [
        {
            "id": f"{collection_id}/page/{number}",
            "type": "AnnotationPage",
            "partOf": {"id": collection_id, "label": LABEL, "total": len(written)},
            "startIndex": start,
            **({"prev": f"{collection_id}/page/{number - 1}"} if number > 1 else {}),
            **({"next": f"{collection_id}/page/{number + 1}"} if number < len(starts) else {}),
            "items": written[start : start + page_size],
        }
        for number, start in enumerate(starts, start=1)
    ]
    if pages:
        document["first"] = pages[0]
        document["last"] = pages[-1]["id"]
    if len(pages) > 1:
        document["@included"] = pages[1:]
    return document


def annotation_iri(key: str) -> str:
    """An annotation's (or correction's) IRI from its id; `record_id` gives the id back."""
    try:
        if str(uuid.UUID(key)) == key:
            return "urn:uuid:" + key
    except ValueError:
        pass
    return ANNOTATION_BASE + quote(key, safe="")


def record_id(iri: str) -> str:
    if iri.startswith("urn:uuid:"):
        return iri.removeprefix("urn:uuid:")
    if iri.startswith(ANNOTATION_BASE):
        return unquote(iri.removeprefix(ANNOTATION_BASE))
    return iri


def source_iri(source: str, article: str) -> str:
    """The IRI of the text an annotation is on: its URL, its file's URI, or our article IRI."""
    if _SCHEME(source) and not re.match(r"[A-Za-z]:[\\/]", source):
        return source
    if source.startswith("/"):
        return PurePosixPath(source).as_uri()
    return ARTICLE_BASE + quote(article, safe="")


def source_of(iri: str) -> str:
    """The source (a path or URL) an IRI written by `source_iri` stands for; "" for ours."""
    if iri.startswith(ARTICLE_BASE):
        return ""
    if iri.startswith("file:"):
        return unquote(urlsplit(iri).path)
    return iri


def annotation_object(a: Annotation) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "TextualBody", "purpose": a.motivation}
    if a.motivation == TAGGING:
        body["value"] = a.label
    else:
        body |= {"value": a.note, "format": "text/plain"}
    target = _target(a.article, a.article_sha256, a.source, a.title, a.start, a.end)
    target["selector"] = _selectors(a.quote, a.prefix, a.suffix, a.start, a.end)
    target |= {"reader:anchor": a.anchor, "reader:anchorScore": a.anchor_score}
    if a.previous_start is not None:
        target |= {"reader:previousStart": a.previous_start, "reader:previousEnd": a.previous_end}
    if a.previous_quote:
        target["reader:previousQuote"] = a.previous_quote
    if a.previous_sha256:
        target["reader:previousSha256"] = a.previous_sha256
    return {
        "id": annotation_iri(a.id),
        "type": "Annotation",
        "motivation": a.motivation,
        "created": a.created,
        "modified": a.modified,
        **_creator(a.annotator),
        "body": body,
        "target": target,
    }


def correction_object(c: EntityCorrection, text: ExportArticle | None = None) -> dict[str, Any]:
    """A span correction as an Annotation (merges and splits have no target: not written).

    A correction keeps no source or title: those of its text version, if the export has it."""
    if c.kind not in SPAN_KINDS:
        raise ValueError(f"a {c.kind} correction has no span to be an annotation's target")
    source, title = (text.source, text.title) if text is not None else ("", "")
    target = _target(c.article, c.article_sha256, source, title, c.start, c.end)
    target["selector"] = _selectors(c.quote, c.prefix, c.suffix, c.start, c.end)
    written: dict[str, Any] = {
        "id": annotation_iri(c.id),
        "type": "Annotation",
        "motivation": EDITING if c.kind == REJECT else CLASSIFYING,
        "created": c.created,
        **_creator(c.annotator),
        "reader:correction": c.kind,
    }
    if c.kind != REJECT:
        written["body"] = {"type": "TextualBody", "purpose": CLASSIFYING, "value": c.label}
    written["target"] = target
    return written


def _creator(annotator: str) -> dict[str, Any]:
    return {"creator": {"type": "Person", "nickname": annotator}} if annotator else {}


def _target(
    article: str, sha256: str, source: str, title: str, start: int, end: int
) -> dict[str, Any]:
    iri = source_iri(source, article)
    text: dict[str, Any] = {"id": iri, "type": "Text", "format": "text/plain"}
    if title:
        text["label"] = title
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": text,
        "reader:article": article,
        "reader:sha256": sha256,
    }
    if source_of(iri) != source:
        target["reader:source"] = source
    return target


def _selectors(quote: str, prefix: str, suffix: str, start: int, end: int) -> list[Any]:
    return [
        {"type": "TextQuoteSelector", "exact": quote, "prefix": prefix, "suffix": suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


# -- reading -------------------------------------------------------------------------------------


class _Unreadable(ValueError):
    """A record that cannot be read; the message says why."""


class _Reading:
    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self.parsed = ParsedSet()
        self.file_time = ""
        try:
            mtime = path.stat().st_mtime
            self.file_time = timestamp(datetime.fromtimestamp(mtime, UTC))
        except OSError:
            pass

    def problem(self, origin: Origin, message: str) -> None:
        self.parsed.problems.append(Problem(origin, message))

    def record(self, value: Any, origin: Origin, where: str) -> None:
        """One Annotation object of the file (``where`` names it in messages: "record 3: ")."""
        try:
            self._record(value, origin)
        except (_Unreadable, InvalidRecordError, ValueError, TypeError) as error:
            self.problem(origin, f"{where}{error}")

    def _record(self, value: Any, origin: Origin) -> None:
        if not isinstance(value, dict):
            kind = "an IRI alone" if isinstance(value, str) else f"a {type(value).__name__}"
            raise _Unreadable(f"not an Annotation object but {kind}")
        if "Annotation" not in _list(value.get("type")):
            raise _Unreadable(f"its type is {value.get('type')!r}, not Annotation")
        key = value.get("id")
        if key is not None and not (isinstance(key, str) and key):
            raise _Unreadable(f"its id is {key!r}, not an IRI")
        if key is None:
            # No id (allowed in a hand-written file): one made from the content, so reading it
            # twice gives one id (the importer recognises a duplicate by content anyway).
            canonical = json.dumps(value, sort_keys=True, ensure_ascii=False)
            key = str(uuid.uuid5(_EXPORT_NAMESPACE, canonical))
        else:
            key = record_id(key)
        targets = [_target_fields(t) for t in _list(value.get("target"))]
        if not targets:
            raise _Unreadable("it has no target")
        if "reader:correction" in value:
            self._corrections(value, key, targets, origin)
            return
        bodies = self._bodies(value)
        if not bodies:
            self.parsed.unsupported["W3C annotation without a text body"] += 1
            return
        common = {
            "created": _text(value, "created", self.file_time or timestamp()),
            "annotator": _annotator(value.get("creator")),
        }
        common["modified"] = _text(value, "modified", common["created"])
        many = len(bodies) * len(targets) > 1
        for number, (target, body) in enumerate(((t, b) for t in targets for b in bodies), start=1):
            fields = {**target, **common, **body, "id": f"{key}#{number}" if many else key}
            annotation = _annotation(fields)
            self.parsed.annotations.append(ParsedAnnotation(annotation, origin))
            if annotation.motivation == TAGGING and annotation.label not in LABELS:
                self.parsed.labels.add(annotation.label)

    def _bodies(self, value: dict[str, Any]) -> list[dict[str, str]]:
        """Each text body as the fields it gives: motivation and label, or note."""
        motivations = _list(value.get("motivation"))
        default = TAGGING if TAGGING in motivations else COMMENTING
        found: list[dict[str, str]] = []
        raw = _list(value.get("body"))
        if "bodyValue" in value:
            raw.append({"type": "TextualBody", "value": value["bodyValue"]})
        for body in raw:
            if not isinstance(body, dict) or "value" not in body:
                self.parsed.unsupported["W3C body that is not text (an IRI or a resource)"] += 1
                continue
            text = body["value"]
            if not isinstance(text, str) or not text.strip():
                raise _Unreadable(f"a body's value is {text!r}, not a text")
            purposes = _list(body.get("purpose")) or [default]
            if TAGGING in purposes:
                found.append({"motivation": TAGGING, "label": text, "note": ""})
                continue
            if COMMENTING not in purposes:
                self.parsed.unsupported[f"W3C body purpose {purposes[0]!r}, read as a note"] += 1
            found.append({"motivation": COMMENTING, "label": "", "note": text})
        return found

    def _corrections(
        self, value: dict[str, Any], key: str, targets: list[dict[str, Any]], origin: Origin
    ) -> None:
        if len(targets) != 1:
            raise _Unreadable("an entity correction has one target")
        (target,) = targets
        bodies = [b for b in _list(value.get("body")) if isinstance(b, dict)]
        record = {
            "id": key,
            "kind": value["reader:correction"],
            "article": target["article"],
            "article_sha256": target["article_sha256"],
            "start": target["start"],
            "end": target["end"],
            "quote": target["quote"],
            "prefix": target["prefix"],
            "suffix": target["suffix"],
            "label": bodies[0].get("value", "") if bodies else "",
            "variants": ["", ""],
            "annotator": _annotator(value.get("creator")),
            "created": _text(value, "created", self.file_time or timestamp()),
        }
        assert tuple(record) == CORRECTION_FIELDS
        correction = EntityCorrection.from_record(record)
        self.parsed.corrections.append(ParsedCorrection(correction, origin))


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: Mapping[str, Any], key: str, default: str) -> str:
    found = value.get(key, default)
    if not isinstance(found, str):
        raise _Unreadable(f"its {key} is {found!r}, not a text")
    return found


def _annotator(creator: Any) -> str:
    """The annotator's name: a creator's nickname, else its name, else its IRI."""
    for each in _list(creator):
        if isinstance(each, str):
            return each
        if isinstance(each, dict):
            for key in ("nickname", "name", "id"):
                name = next((n for n in _list(each.get(key)) if isinstance(n, str) and n), "")
                if name:
                    return name
    return ""


def _target_fields(target: Any) -> dict[str, Any]:
    """What a target says of the annotation's place: article, text version, span, words."""
    if not isinstance(target, dict):
        raise _Unreadable("its target is an IRI alone, with no selector to find the words by")
    selectors = [s for s in _list(target.get("selector")) if isinstance(s, dict)]
    by_type = {s.get("type"): s for s in reversed(selectors)}  # the first of each type
    found = by_type.get("TextQuoteSelector")
    if found is None:
        raise _Unreadable("its target has no TextQuoteSelector, the words to find it by")
    words = {key: found.get(key, "") for key in ("exact", "prefix", "suffix")}
    for key, text in words.items():
        if not isinstance(text, str):
            raise _Unreadable(f"its TextQuoteSelector's {key} is {text!r}, not a text")
    if not words["exact"]:
        raise _Unreadable("its TextQuoteSelector has no exact text")
    source = target.get("source")
    text = source if isinstance(source, dict) else {"id": source}
    iri = text.get("id")
    if not isinstance(iri, str) or not iri:
        raise _Unreadable("its target names no source")
    # Our article IRI gives the id; a relative reference may be an article id; an IRI names
    # itself (the importer then finds the article by the quote).
    ours = iri.startswith(ARTICLE_BASE)
    article = unquote(iri.removeprefix(ARTICLE_BASE)) if ours else iri
    title = next((t for t in _list(text.get("label")) if isinstance(t, str)), "")
    fields: dict[str, Any] = {
        "article": target.get("reader:article", article),
        "article_sha256": target.get("reader:sha256", ""),
        "source": target.get("reader:source", source_of(iri) if _SCHEME(iri) else iri),
        "title": title,
        "start": -1,
        "end": -1,
        "quote": words["exact"],
        "prefix": words["prefix"],
        "suffix": words["suffix"],
        "anchor": target.get("reader:anchor", "orphan"),
        "anchor_score": target.get("reader:anchorScore", 0.0),
        "previous_start": target.get("reader:previousStart"),
        "previous_end": target.get("reader:previousEnd"),
        "previous_quote": target.get("reader:previousQuote", ""),
        "previous_sha256": target.get("reader:previousSha256", ""),
    }
    position = by_type.get("TextPositionSelector")
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (_is_offset(start) and _is_offset(end)):
            raise _Unreadable(f"its TextPositionSelector is ({start!r}, {end!r}), not offsets")
        # Offsets that do not cover the quote's length are not ours (another tool counted
        # otherwise): the quote, and the importer, find the place.
        if 0 <= start < end and end - start == len(words["exact"]):
            fields |= {"start": start, "end": end}
            if "reader:anchor" not in target:
                fields |= {"anchor": "exact", "anchor_score": 1.0}
    return fields


def _is_offset(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _annotation(fields: dict[str, Any]) -> Annotation:
    """The record, checked; one whose offsets are unknown (-1) is checked with the span its
    quote would have at 0, then given -1 back (the model requires a span; see read)."""
    record = {name: fields[name] for name in Annotation._fields}
    if record["start"] == -1 and record["end"] == -1 and isinstance(record["quote"], str):
        placed = Annotation.from_record({**record, "start": 0, "end": len(record["quote"])})
        return placed._replace(start=-1, end=-1)
    return Annotation.from_record(record)


def read(path: Path) -> ParsedSet:
    """Every Annotation of a W3C file (any shape the module docstring lists)."""
    reading = _Reading(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        reading.problem(Origin(reading.name), f"cannot read the file: {error.strerror}")
        return reading.parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        reading.problem(Origin(reading.name), "not UTF-8 text")
        return reading.parsed
    if _is_json_lines(text):
        _read_lines(reading, text)
        return reading.parsed
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        if _lines_of_objects(text):
            # JSON Lines whose first line is broken: the other lines are still read.
            _read_lines(reading, text)
            return reading.parsed
        message = f"not JSON: {error.msg} at column {error.colno}"
        reading.problem(Origin(reading.name, error.lineno), message)
        return reading.parsed
    missing_page = partial(reading.problem, Origin(reading.name))
    records = list(_records(document, missing_page))
    bad: list[tuple[int, int]] = []  # (the record's index, its problem's index)
    for index, record in enumerate(records):
        before = len(reading.parsed.problems)
        reading.record(record, Origin(reading.name), f"record {index + 1}: ")
        if len(reading.parsed.problems) > before:
            bad.append((index, before))
    if bad:
        # Only now is the file parsed again for where its records start (slower): a file
        # with nothing bad is read at the C parser's speed.
        lines = _record_lines(text)
        problems = reading.parsed.problems
        for index, at in bad:
            line = lines[index] if index < len(lines) else None
            problems[at] = Problem(Origin(reading.name, line), problems[at].message)
    return reading.parsed


def _is_json_lines(text: str) -> bool:
    """Whether the first line that is not blank is a whole JSON object (a pretty-printed
    document's first line is not)."""
    for line in text.split("\n"):
        if line.strip():
            try:
                return isinstance(json.loads(line), dict) and bool(text.strip().count("\n"))
            except json.JSONDecodeError:
                return False
    return False


def _lines_of_objects(text: str) -> bool:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    return len(lines) > 1 and all(line.startswith("{") for line in lines)


def _read_lines(reading: _Reading, text: str) -> None:
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip():
            continue
        origin = Origin(reading.name, number)
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            reading.problem(origin, f"not JSON: {error.msg} at column {error.colno}")
            continue
        reading.record(record, origin, "")


def _records(document: Any, missing_page: Callable[[str], object]) -> Iterator[Any]:
    """The Annotation objects of a document, in order: a collection's pages', a page's, an
    array's, or the document itself. A page the file does not hold is said to
    ``missing_page``."""
    if isinstance(document, list):
        yield from document
        return
    types = _list(document.get("type")) if isinstance(document, dict) else []
    if "AnnotationCollection" in types:
        first = document.get("first")
        if first is None:
            return
        included = [p for p in _list(document.get("@included")) if isinstance(p, dict)]
        yield from _pages(first, {p.get("id"): p for p in included}, missing_page)
    elif "AnnotationPage" in types:
        yield from _pages(document, {}, missing_page)
    else:
        yield document


def _pages(
    first: Any, included: Mapping[Any, Any], missing_page: Callable[[str], object]
) -> Iterator[Any]:
    page, seen = first, set[int]()
    while page is not None:
        if isinstance(page, str):
            if page not in included:
                missing_page(f"page {page} is not in the file: its items are not read")
                return
            page = included[page]
        if not isinstance(page, dict) or id(page) in seen:
            return
        seen.add(id(page))
        items = page.get("items", [])
        yield from items if isinstance(items, Sequence) and not isinstance(items, str) else []
        page = page.get("next")


# -- where records start -------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _record_lines(text: str) -> list[int | None]:
    """The 1-based line each record of the JSON document ``text`` starts on, in the order
    `_records` gives them (None where it cannot be told)."""
    try:
        document, starts = _PlacedDocument(text).parse()
    except (ValueError, RecursionError):
        return []  # json.loads read it, so this does not happen; the records keep no line
    newlines = [match.start() for match in re.finditer("\n", text)]
    lines: list[int | None] = []
    for record in _records(document, lambda _message: None):
        start = starts.get(id(record))
        lines.append(None if start is None else bisect_left(newlines, start) + 1)
    return lines


class _PlacedDocument:
    """A JSON document parsed as json.loads parses it, noting where each record starts.

    The json module tells no positions, and walking every value in Python is slow, so this
    walks only the containers around the records (a collection, its pages, an array) and
    hands each record whole to `json.JSONDecoder.raw_decode` (the C parser), at a position it
    knows. The records are the elements of ``items`` arrays and of a top-level array, and a
    top-level object; `starts` maps each one's ``id()`` (while the document lives) to its
    offset in the text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.decoder = json.JSONDecoder()
        self.starts: dict[int, int] = {}

    def parse(self) -> tuple[Any, dict[int, int]]:
        start = self._skip(0)
        document, end = self._value(start, records=self.text.startswith("[", start))
        if self._skip(end) != len(self.text):
            raise ValueError("extra data after the document")
        self.starts[id(document)] = start
        return document, self.starts

    def _skip(self, at: int) -> int:
        found = _WHITESPACE.match(self.text, at)
        return found.end() if found is not None else at

    def _value(self, at: int, *, records: bool = False) -> tuple[Any, int]:
        """The value at ``at`` (no whitespace before it) and where it ends; an array's
        elements are records, decoded whole and placed, if ``records``."""
        char = self.text[at : at + 1]
        if char == "{":
            return self._object(at)
        if char == "[":
            return self._array(at, records=records)
        value, end = self.decoder.raw_decode(self.text, at)
        return value, end

    def _object(self, at: int) -> tuple[dict[str, Any], int]:
        found: dict[str, Any] = {}
        at = self._skip(at + 1)
        if self.text.startswith("}", at):
            return found, at + 1
        while True:
            key, at = self.decoder.raw_decode(self.text, at)
            if not isinstance(key, str):
                raise ValueError("an object's key is not a string")
            at = self._skip(at)
            if not self.text.startswith(":", at):
                raise ValueError("no ':' after an object's key")
            at = self._skip(at + 1)
            found[key], at = self._value(at, records=key == "items")
            at = self._skip(at)
            if self.text.startswith("}", at):
                return found, at + 1
            if not self.text.startswith(",", at):
                raise ValueError("no ',' between an object's members")
            at = self._skip(at + 1)

    def _array(self, at: int, *, records: bool) -> tuple[list[Any], int]:
        found: list[Any] = []
        at = self._skip(at + 1)
        if self.text.startswith("]", at):
            return found, at + 1
        while True:
            if records:
                value, end = self.decoder.raw_decode(self.text, at)
                self.starts[id(value)] = at
            else:
                value, end = self._value(at)
            found.append(value)
            at = self._skip(end)
            if self.text.startswith("]", at):
                return found, at + 1
            if not self.text.startswith(",", at):
                raise ValueError("no ',' between an array's elements")
            at = self._skip(at + 1)
