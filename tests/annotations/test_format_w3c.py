"""The W3C Web Annotation export and reader: the W3C test suite's MUST assertions, JSON-LD
expansion with the bundled context, lossless round trips, hand-written spec-shaped records,
and bad records reported where they are."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker  # type: ignore[import-untyped]
from pyld import jsonld
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from annotations.entity_corrections import EntityCorrection
from annotations.formats import ExportSet, jsonl, w3c
from annotations.formats.parsed import Origin, ParsedSet
from annotations.importing import Texts, import_records
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.loader import bundled_articles
from tests.annotations.token_format_samples import (
    GOLDEN,
    T0,
    TELEGRAPH,
    UPDATE_GOLDEN,
    article,
    sample,
    span_of,
    tag,
)

SUITE = Path(__file__).parents[2].parent / "shared" / "schemas" / "web-annotation-tests"
needs_suite = pytest.mark.skipif(
    not SUITE.is_dir(), reason=f"the W3C web-annotation-tests suite is not at {SUITE}"
)


# -- the W3C test suite --------------------------------------------------------------------------


@cache
def registry() -> Registry[Any]:
    """Every schema of the suite, by file name (how they refer to each other) and by id."""
    resources: list[tuple[str, Resource[Any]]] = []
    # tools/ holds sample annotations (some deliberately not JSON), not schemas.
    folders = ("annotations", "collections", "definitions")
    for path in sorted(p for folder in folders for p in (SUITE / folder).rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT4)
        resources.append((path.name, resource))
        if contents.get("id") and contents["id"] != path.name:
            resources.append((contents["id"], resource))
    return Registry().with_resources(resources)


# The suite's "format"s, checked here: jsonschema checks "uri" only with rfc3987 and
# "date-time" only with rfc3339-validator, neither of which the project installs.
# RFC 3986 absolute URI:
_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.\-]*:([A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"
)
# RFC 3339 date-time:
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.fullmatch(value))


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


FORMATS = FormatChecker(formats=())
FORMATS.checks("uri")(_is_uri)
FORMATS.checks("date-time")(_is_date_time)


def must_failures(document: dict[str, Any], test_file: str) -> list[str]:
    """The MUST assertions of one of the suite's .test files that ``document`` fails."""
    test = json.loads((SUITE / test_file).read_text(encoding="utf-8"))
    failures = []
    for assertion in test["assertions"]:
        schema = json.loads((SUITE / assertion).read_text(encoding="utf-8"))
        if schema.get("assertionType", "must") != "must":
            continue  # SHOULD and MAY: a missing optional feature is not a failure
        validator = Draft4Validator(schema, registry=registry(), format_checker=FORMATS)
        valid = validator.is_valid(document)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            failures.append(f"{assertion}: {schema.get('errorMessage', schema.get('title'))}")
    return failures


ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"


def assert_conforms(document: dict[str, Any], *, pages: int = 1) -> None:
    """A collection, its pages and each of its annotations pass every MUST assertion."""
    assert must_failures(document, COLLECTION_MUSTS) == []
    assert must_failures(document, PAGE_MUSTS) == []  # the collection with its first page
    context = document["@context"]
    included = document.get("@included", [])
    assert len(included) == pages - 1
    for page in included:
        assert must_failures({"@context": context, **page}, PAGE_MUSTS) == []
    annotations = [a for page in [document["first"], *included] for a in page["items"]]
    assert len(annotations) == document["total"]
    for each in annotations:
        # As a client holding one annotation of the collection has it: with the context.
        assert must_failures({"@context": context, **each}, ANNOTATION_MUSTS) == [], each["id"]


# -- what is exported ----------------------------------------------------------------------------


def corrections() -> list[EntityCorrection]:
    telegraph = article(TELEGRAPH)
    made = []
    for number, (kind, words, label) in enumerate(
        [("reject", "Thursday", ""), ("add", "axis of terror", "EVENT")], start=1
    ):
        start, end = span_of(telegraph.text, words)
        made.append(
            EntityCorrection.create(
                kind=kind,
                annotator="ann",
                article=telegraph.id,
                text=telegraph.text,
                start=start,
                end=end,
                label=label,
                now=T0,
            )._replace(id=f"00000000-0000-4000-8000-00000000000{number}")
        )
    made.append(
        EntityCorrection.create(
            kind="merge", annotator="ann", variants=("putin", "vladimir putin"), now=T0
        )
    )
    return made


def golden_export() -> ExportSet:
    made = sample().export
    return ExportSet(
        annotations=made.annotations,
        corrections=corrections(),
        articles=made.articles,
        with_corrections=True,
    )


def odd_records() -> list[Annotation]:
    """Records with every field away from its usual value: re-anchored, no annotator or
    title, sources of every kind, ids that are UUIDs and that need escaping."""
    telegraph = article(TELEGRAPH)
    claim = span_of(telegraph.text, "Hamas and Iranian leaders")
    base = tag(telegraph, claim, "claim", "x")
    moved = base.moved_to(
        telegraph.text,
        claim[0] + 6,
        claim[1],
        sha256=telegraph.sha256,
        anchor="fuzzy",
        score=0.8125,
        now=datetime(2026, 12, 2, tzinfo=UTC),
    )
    return [
        moved.evolve(id="a/b c?d#e%", source="/srv/news/Putin 100% «axis».txt", annotator=""),
        base.evolve(id="6f1c1a9e-3f55-4a3a-9e3b-0c1d2e3f4a5b", source="https://ex.org/a?b=1"),
        base.evolve(id="no-source", source="", title=""),
        base.evolve(id="windows", source="C:\\news\\a.txt", title="Ünïcode ‘title’"),
        base.evolve(
            id="note",
            motivation="commenting",
            label="",
            note="line one\nline two\u2028",
            created="2026-01-01T00:00:00+02:00",
        ),
    ]


def written(export: ExportSet, **options: Any) -> str:
    return "".join(w3c.write(export, **options))


def read_back(text: str, tmp_path: Path, name: str = "read.jsonld") -> ParsedSet:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return w3c.read(path)


def as_export(parsed: ParsedSet, like: ExportSet) -> ExportSet:
    return ExportSet(
        annotations=[p.annotation for p in parsed.annotations],
        corrections=[p.correction for p in parsed.corrections],
        articles=like.articles,
    )


# -- tests ---------------------------------------------------------------------------------------


@needs_suite
def test_the_export_passes_every_must_assertion() -> None:
    assert_conforms(w3c.collection(golden_export()))


@needs_suite
def test_odd_records_and_several_pages_pass_every_must_assertion() -> None:
    export = ExportSet(annotations=[*sample().export.annotations, *odd_records()])
    document = w3c.collection(export, page_size=5)
    assert_conforms(document, pages=4)


@needs_suite
def test_an_empty_export_is_a_valid_empty_collection() -> None:
    document = w3c.collection(ExportSet(annotations=[]))
    assert document["total"] == 0 and "first" not in document
    assert must_failures(document, COLLECTION_MUSTS) == []


@needs_suite
def test_json_lines_each_line_is_a_conforming_annotation(tmp_path: Path) -> None:
    lines = "".join(w3c.write_lines(golden_export())).splitlines()
    assert len(lines) == len(sample().export.annotations) + 2  # the merge is not written
    for line in lines:
        assert must_failures(json.loads(line), ANNOTATION_MUSTS) == []
    parsed = read_back("\n".join(lines) + "\n", tmp_path, "lines.jsonl")
    assert [p.annotation for p in parsed.annotations] == list(sample().export.annotations)
    assert [p.origin.line for p in parsed.annotations] == list(range(1, len(lines) - 1))


@needs_suite
@pytest.mark.parametrize(
    ("breakage", "failed"),
    [
        (lambda a: a.pop("target"), "3.1-targetKeyFound"),
        (lambda a: a.update(created="1 December 2026"), "3.3.1-annotationCreatedValidated"),
        (lambda a: a.update(id="t-claim-sentence"), "3.1-annotationIdValidated"),
        (lambda a: a["target"]["selector"][0].pop("exact"), "textQuoteSelectorValid"),
        (lambda a: a.update(bodyValue="also"), "3.2.5-notBodyBodyValue"),
    ],
)
def test_the_suite_harness_catches_a_broken_annotation(breakage: Any, failed: str) -> None:
    annotation = {"@context": w3c.CONTEXT, **w3c.annotation_object(sample().export.annotations[0])}
    assert must_failures(annotation, ANNOTATION_MUSTS) == []
    breakage(annotation)
    assert any(failed in failure for failure in must_failures(annotation, ANNOTATION_MUSTS))


def offline_loader(url: str, options: Any = None) -> dict[str, Any]:
    """Serves the bundled anno.jsonld and nothing else: JSON-LD processing never fetches."""
    if url != w3c.ANNO_CONTEXT:
        raise RuntimeError(f"tried to fetch {url}")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": w3c.context_document(),
    }


OA = "http://www.w3.org/ns/oa#"
AS = "http://www.w3.org/ns/activitystreams#"


def test_json_ld_expansion_gives_the_vocabulary_terms() -> None:
    document = w3c.collection(golden_export(), page_size=5)
    (expanded,) = jsonld.expand(document, {"documentLoader": offline_loader})
    assert expanded["@type"] == [AS + "OrderedCollection"]
    assert expanded[AS + "totalItems"][0]["@value"] == 14
    first = expanded[AS + "first"][0]
    pages = [first, *expanded["@included"]]
    assert [p["@type"] for p in pages] == [[AS + "OrderedCollectionPage"]] * 3
    assert first[AS + "next"] == [{"@id": pages[1]["@id"]}]
    assert pages[1][AS + "prev"] == [{"@id": first["@id"]}]
    items = [a for p in pages for a in p[AS + "items"][0]["@list"]]
    assert len(items) == 14 and all(a["@type"] == [OA + "Annotation"] for a in items)
    one = items[0]
    assert one[OA + "motivatedBy"] == [{"@id": OA + "tagging"}]
    (body,) = one[OA + "hasBody"]
    assert body[OA + "hasPurpose"] == [{"@id": OA + "tagging"}]
    (target,) = one[OA + "hasTarget"]
    assert target["@type"] == [OA + "SpecificResource"]
    assert target[OA + "hasSource"][0]["@type"] == ["http://purl.org/dc/dcmitype/Text"]
    quote, position = target[OA + "hasSelector"]
    assert quote["@type"] == [OA + "TextQuoteSelector"]
    assert quote[OA + "exact"][0]["@value"] == sample().export.annotations[0].quote
    assert position["@type"] == [OA + "TextPositionSelector"]
    assert target[w3c.NAMESPACE + "sha256"][0]["@value"] == article(TELEGRAPH).sha256
    corrected = items[-1]
    assert corrected[OA + "motivatedBy"] == [{"@id": OA + "classifying"}]
    assert corrected[w3c.NAMESPACE + "correction"][0]["@value"] == "add"


def test_every_key_written_is_a_term_of_the_context_or_ours() -> None:
    """JSON-LD drops a key its context does not define, silently: none may be written."""
    terms = set(w3c.context_document()["@context"])
    document = w3c.collection(
        ExportSet(annotations=[*golden_export().annotations, *odd_records()]), page_size=5
    )
    used = set(keys(document))
    assert used - terms - {"@context", "@included"} == {
        f"reader:{name}"
        for name in (
            "article",
            "sha256",
            "source",
            "anchor",
            "anchorScore",
            "previousStart",
            "previousEnd",
            "previousQuote",
            "previousSha256",
        )
    }
    # And expanded, every one of ours is an IRI of our namespace.
    expanded = json.dumps(jsonld.expand(document, {"documentLoader": offline_loader}))
    assert "reader:" not in expanded and w3c.NAMESPACE + "previousSha256" in expanded


def keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            if key != "@context":
                yield from keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys(inner)


def test_golden() -> None:
    golden = GOLDEN / "w3c" / "sample.jsonld"
    got = written(golden_export())
    if os.environ.get(UPDATE_GOLDEN):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8"), f"set {UPDATE_GOLDEN}=1 to rewrite"


@pytest.mark.parametrize("page_size", [w3c.PAGE_SIZE, 1, 5])
def test_write_read_write_is_identical(tmp_path: Path, page_size: int) -> None:
    export = ExportSet(
        annotations=[*golden_export().annotations, *odd_records()],
        corrections=golden_export().corrections,
    )
    first = written(export, page_size=page_size)
    parsed = read_back(first, tmp_path)
    assert parsed.problems == [] and not parsed.unsupported
    assert [p.annotation for p in parsed.annotations] == list(export.annotations)
    # The merge is not written, so not read; the span corrections are, exactly.
    assert [p.correction for p in parsed.corrections] == list(export.corrections[:2])
    assert written(as_export(parsed, export), page_size=page_size) == first
    assert parsed.labels == {"false context"}


def test_json_lines_export_import_export_is_identical(tmp_path: Path) -> None:
    """JSONL -> W3C -> JSONL gives the same lines: nothing is lost on the way."""
    export = ExportSet(
        annotations=[*golden_export().annotations, *odd_records()],
        corrections=golden_export().corrections[:2],
    )
    lines = "".join(jsonl.write(export))
    (tmp_path / "a.jsonl").write_text(lines, encoding="utf-8")
    from_jsonl = jsonl.read(tmp_path / "a.jsonl")
    parsed = read_back(written(as_export(from_jsonl, export)), tmp_path)
    assert "".join(jsonl.write(as_export(parsed, export))) == lines


# Quotes under 32 characters need their context (annotations.anchoring): this one does not.
SPEC_QUOTE = "“obscene step” that “gives support to terrorism”"
SPEC_SHAPED: dict[str, Any] = {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    "id": "http://example.org/anno23",
    "type": "Annotation",
    "body": {"type": "TextualBody", "purpose": "tagging", "value": "propaganda"},
    "target": {
        "source": TELEGRAPH,
        "selector": {
            "type": "TextQuoteSelector",
            "exact": SPEC_QUOTE,
            "prefix": "as an ",
            "suffix": ", Russian",
        },
    },
}


def test_a_hand_written_spec_shaped_record_is_read(tmp_path: Path) -> None:
    parsed = read_back(json.dumps(SPEC_SHAPED), tmp_path, "hand.jsonld")
    assert parsed.problems == []
    ((read, origin),) = [(p.annotation, p.origin) for p in parsed.annotations]
    assert origin == Origin(str(tmp_path / "hand.jsonld"))
    assert (read.id, read.article, read.article_sha256) == (
        "http://example.org/anno23",
        TELEGRAPH,
        "",
    )
    assert (read.start, read.end) == (-1, -1)
    assert read.quote == SPEC_QUOTE
    assert (read.motivation, read.label, read.note, read.annotator) == (
        "tagging",
        "propaganda",
        "",
        "",
    )
    # No created: the file's time, so reading it again gives the same record.
    mtime = (tmp_path / "hand.jsonld").stat().st_mtime
    assert datetime.fromisoformat(read.created) == datetime.fromtimestamp(mtime, UTC)
    assert read.modified == read.created
    assert parsed.labels == {"propaganda"}


def test_hand_written_records_import_where_their_words_are(tmp_path: Path) -> None:
    telegraph = article(TELEGRAPH)
    words = span_of(telegraph.text, "Hamas praised Putin personally for his “stance”")
    records = [
        SPEC_SHAPED,
        {  # an unknown URL as source, the quote alone; a tag and a comment: two records
            "type": "Annotation",
            "motivation": "commenting",
            "created": "2026-12-01T10:00:00Z",
            "creator": {"type": "Person", "name": "Ann Other"},
            "body": [
                {"type": "TextualBody", "value": "disputed", "purpose": "tagging"},
                {"type": "TextualBody", "value": "Who said so?"},
            ],
            "target": {
                "source": "https://example.org/somewhere",
                "selector": {
                    "type": "TextQuoteSelector",
                    "exact": "Hamas praised Putin personally for his “stance”",
                },
            },
        },
        {  # offsets from a TextPositionSelector, a bodyValue note
            "type": "Annotation",
            "bodyValue": "The date.",
            "target": {
                "source": telegraph.id,
                "selector": [
                    {"type": "TextPositionSelector", "start": words[0], "end": words[1]},
                    {"type": "TextQuoteSelector", "exact": telegraph.text[words[0] : words[1]]},
                ],
            },
        },
    ]
    parsed = read_back(json.dumps(records), tmp_path, "hand.jsonld")
    assert parsed.problems == []
    read = [p.annotation for p in parsed.annotations]
    assert [(a.motivation, a.label or a.note) for a in read] == [
        ("tagging", "propaganda"),
        ("tagging", "disputed"),
        ("commenting", "Who said so?"),
        ("commenting", "The date."),
    ]
    assert (
        read[1].id.endswith("#1") and read[2].id.endswith("#2") and read[1].annotator == "Ann Other"
    )
    assert (read[3].start, read[3].end) == words
    with AnnotationStore(tmp_path / "annotations.json") as store:
        report = import_records(store, parsed, Texts(bundled_articles()))
        assert report.problems == [] and report.added == 4
        stored = sorted(store.all(), key=lambda a: (a.start, a.motivation))
    obscene = span_of(telegraph.text, SPEC_QUOTE)
    assert {(a.article, a.article_sha256) for a in stored} == {(telegraph.id, telegraph.sha256)}
    assert sorted((a.start, a.end) for a in stored) == sorted([obscene, words, words, words])
    for record in stored:
        assert telegraph.text[record.start : record.end] == record.quote


def test_bad_records_are_problems_with_their_line_and_the_rest_is_read(tmp_path: Path) -> None:
    good = json.loads(
        "".join(w3c.write_lines(ExportSet(annotations=sample().export.annotations[:1])))
    )
    no_selector = {**good, "target": {"source": TELEGRAPH}}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps(no_selector),
        "",
        json.dumps({**good, "target": "http://example.org/page1"}),
        json.dumps(["a list"]),
        json.dumps({**good, "type": "Note"}),
        json.dumps({**good, "created": "yesterday"}),
        json.dumps({**good, "body": "http://example.org/comment1"}),  # an IRI body: unsupported
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = w3c.read(path)
    assert [p.origin.line for p in parsed.annotations] == [1]
    problems = {p.origin.line: p.message for p in parsed.problems}
    assert all(p.origin.file == str(path) for p in parsed.problems)
    assert list(problems) == [2, 3, 5, 6, 7, 8]
    assert problems[2].startswith("not JSON")
    assert "TextQuoteSelector" in problems[3]
    assert "IRI alone" in problems[5]
    assert "not an Annotation object" in problems[6]
    assert "not Annotation" in problems[7]
    assert "created" in problems[8]
    assert sum(parsed.unsupported.values()) == 2  # the IRI body, and so no text body


def line_of_record(text: str, iri: str) -> int:
    """The 1-based line of the brace that opens the record ``iri`` in a pretty-printed file:
    the line above its ``"id"`` (json.dumps with indent puts each key on its own line)."""
    lines = text.split("\n")
    (at,) = [n for n, line in enumerate(lines) if line.strip() == f'"id": "{iri}",']
    assert lines[at - 1].strip() == "{"
    return at  # the line above, counted from 1


def test_a_bad_record_in_a_collection_is_named_by_its_line_and_place(tmp_path: Path) -> None:
    document = w3c.collection(ExportSet(annotations=sample().export.annotations[:3]))
    del document["first"]["items"][1]["target"]["selector"][0]["exact"]
    text = json.dumps(document, indent=2)
    parsed = read_back(text, tmp_path)
    assert len(parsed.annotations) == 2
    ((problem,),) = [parsed.problems]
    line = line_of_record(text, document["first"]["items"][1]["id"])
    assert problem.origin == Origin(str(tmp_path / "read.jsonld"), line)
    assert problem.message.startswith("record 2: ")


def test_records_without_selectors_are_placed_on_their_lines_on_any_page(tmp_path: Path) -> None:
    """Pretty-printed, several pages (the later ones under @included): each bad record is
    reported at the line its object opens on, as an editor would go to it."""
    annotations = sample().export.annotations
    document = w3c.collection(ExportSet(annotations=annotations), page_size=4)
    first_bad = document["first"]["items"][2]
    later_bad = document["@included"][1]["items"][0]
    for bad in (first_bad, later_bad):
        del bad["target"]["selector"]
    text = json.dumps(document, indent=2, ensure_ascii=False)
    parsed = read_back(text, tmp_path)
    assert len(parsed.annotations) == len(annotations) - 2
    assert [(p.origin.line, p.message.split(":")[0]) for p in parsed.problems] == [
        (line_of_record(text, first_bad["id"]), "record 3"),
        (line_of_record(text, later_bad["id"]), "record 9"),
    ]
    assert all("no TextQuoteSelector" in p.message for p in parsed.problems)


def test_a_bad_record_in_a_top_level_array_is_placed_on_its_line(tmp_path: Path) -> None:
    items = [w3c.annotation_object(a) for a in sample().export.annotations[:3]]
    items[1]["target"] = "http://example.org/page1"
    text = "[\n" + ",\n".join(json.dumps(item, indent=1) for item in items) + "\n]\n"
    ((problem,),) = [read_back(text, tmp_path, "array.json").problems]
    assert problem.origin.line == line_of_record(text, items[1]["id"])
    assert "IRI alone" in problem.message


def test_broken_json_is_one_problem_at_its_line(tmp_path: Path) -> None:
    text = written(ExportSet(annotations=sample().export.annotations[:2]))
    broken = text.replace('"type": "TextualBody",', '"type": "TextualBody"', 1)
    parsed = read_back(broken, tmp_path)
    ((problem,),) = [parsed.problems]
    assert problem.origin.line == broken[: broken.index('"purpose"')].count("\n") + 1
    assert problem.message.startswith("not JSON") and parsed.annotations == []


def test_a_missing_page_is_reported(tmp_path: Path) -> None:
    document = w3c.collection(ExportSet(annotations=sample().export.annotations), page_size=5)
    document["@included"].pop()
    parsed = read_back(json.dumps(document), tmp_path)
    assert len(parsed.annotations) == 10
    ((problem,),) = [parsed.problems]
    assert "page/3 is not in the file" in problem.message


def test_not_utf8_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonld"
    path.write_bytes(b'{"label": "caf\xe9"}')
    assert [p.message for p in w3c.read(path).problems] == ["not UTF-8 text"]


@needs_suite
def test_export_command_writes_a_conforming_file(tmp_path: Path) -> None:
    """`reader export --format w3c -o FILE` from a real store (READER_DB), in a subprocess."""
    telegraph = article(TELEGRAPH)
    claim = span_of(telegraph.text, "Hamas praised Putin personally for his “stance”")
    made = Annotation.create(
        article=telegraph.id,
        text=telegraph.text,
        start=claim[0],
        end=claim[1],
        annotator="ann",
        label="claim",
        source=telegraph.source,
        title=telegraph.title,
    )
    db = tmp_path / "annotations.json"
    with AnnotationStore(db) as store:
        store.add(made)
    out = tmp_path / "x.jsonld"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--format", "w3c", "-o", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "READER_DB": str(db), "READER_CACHE_DIR": str(tmp_path / "cache")},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert_conforms(document)
    (item,) = document["first"]["items"]
    assert item["target"]["source"]["id"] == Path(telegraph.source).resolve().as_uri()
    assert [p.annotation for p in w3c.read(out).annotations] == [made]


# -- W3C JSON Lines as a format of its own (w3c-jsonl) -----------------------------------------


def run_reader(*args: str, db: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m reader ARGS` in a real process, on the store ``db``."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "READER_DB": str(db), "READER_CACHE_DIR": str(tmp_path / "cache")},
        timeout=120,
    )


def test_export_help_offers_w3c_json_lines(tmp_path: Path) -> None:
    result = run_reader("export", "--help", db=tmp_path / "none.json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "w3c-jsonl" in result.stdout


def test_the_ending_w3c_jsonl_names_w3c_json_lines_and_jsonl_stays_ours() -> None:
    from annotations.formats import format_for_path

    named = {name: format_for_path(Path(name)) for name in ("a.w3c.jsonl", "A.W3C.JSONL")}
    assert {name: fmt and fmt.name for name, fmt in named.items()} == {
        "a.w3c.jsonl": "w3c-jsonl",
        "A.W3C.JSONL": "w3c-jsonl",
    }
    for ours in ("a.jsonl", "w3c.jsonl", "a.w3c.json"):
        found = format_for_path(Path(ours))
        assert found is not None and found.name == "jsonl", ours
    assert format_for_path(Path("a.jsonld")) is not None


def round_trip_store(path: Path) -> Path:
    """Two annotators' tags, a note and an entity correction on the Telegraph article."""
    telegraph = article(TELEGRAPH)
    claim = span_of(telegraph.text, "Hamas praised Putin personally for his “stance”")
    terror = span_of(telegraph.text, "axis of terror")
    with AnnotationStore(path) as store:
        store.add(tag(telegraph, claim, "claim", "w3c-line-1"))
        store.add(tag(telegraph, claim, "opinion", "w3c-line-2", annotator="bo"))
        store.add(
            tag(telegraph, terror, "claim", "w3c-line-3").evolve(
                motivation="commenting", label="", note="a note\non two lines"
            )
        )
        from annotations.entity_corrections import ENTITY_CORRECTIONS

        with store.transaction() as transaction:
            transaction.add(ENTITY_CORRECTIONS, corrections()[1])
    return path


@needs_suite
def test_w3c_json_lines_from_the_command_conform_and_import_back_identically(
    tmp_path: Path,
) -> None:
    """`reader export -o set.w3c.jsonl` (the format from the name): one conforming Annotation
    a line; `reader import set.w3c.jsonl` into an empty store, exported as JSON Lines, gives
    the JSON Lines export of the original store byte for byte."""
    db = round_trip_store(tmp_path / "annotations.json")
    original = tmp_path / "original.jsonl"
    assert run_reader("export", "-o", str(original), db=db, tmp_path=tmp_path).returncode == 0
    lines_file = tmp_path / "set.w3c.jsonl"
    result = run_reader("export", "-o", str(lines_file), db=db, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = lines_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4  # three annotations and the correction
    for line in lines:
        annotation = json.loads(line)
        assert annotation["type"] == "Annotation"
        assert must_failures(annotation, ANNOTATION_MUSTS) == [], annotation["id"]

    empty = tmp_path / "empty.json"
    result = run_reader("import", str(lines_file), db=empty, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "3 added" in result.stdout and "entity corrections: 1 added" in result.stdout
    again = tmp_path / "again.jsonl"
    assert run_reader("export", "-o", str(again), db=empty, tmp_path=tmp_path).returncode == 0
    assert again.read_bytes() == original.read_bytes()
