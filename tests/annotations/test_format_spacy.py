"""The spaCy DocBin export, read back by spaCy itself: spans, entities, user data, training."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc, DocBin
from spacy.training import Corpus, Example

from annotations.entity_corrections import ENTITY_CORRECTIONS, EntityCorrection, apply_corrections
from annotations.export import export_to_path
from annotations.formats import ExportArticle, ExportSet, spacy_docbin
from annotations.formats.tokens import blank_english
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.loader import bundled_articles
from reader.entities import MODEL_PACKAGE, extract_entities, load_pipeline
from tests.annotations.token_format_samples import (
    GOLDEN,
    TELEGRAPH,
    UPDATE_GOLDEN,
    CountingDoc,
    Sample,
    article,
    counting_make_doc,
    export_article,
    sample,
    span_of,
    tag,
)


@pytest.fixture(scope="module")
def made() -> Sample:
    return sample()


@pytest.fixture(scope="module")
def docs(made: Sample, tmp_path_factory: pytest.TempPathFactory) -> list[Doc]:
    """The sample exported to a .spacy file and loaded back as spaCy loads training data."""
    path = tmp_path_factory.mktemp("spacy") / "sample.spacy"
    path.write_bytes(spacy_docbin.write(made.export))
    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def doc_of(docs: list[Doc], article_id: str) -> Doc:
    return next(d for d in docs if d.user_data["article"]["id"] == article_id)


def test_one_doc_per_text_version_verbatim_in_reading_order(made: Sample, docs: list[Doc]) -> None:
    wanted = made.export.in_reading_order()
    assert [d.user_data["article"]["sha256"] for d in docs] == [a.sha256 for a in wanted]
    for doc, exported in zip(docs, wanted, strict=True):
        assert doc.text == exported.text
        assert doc.user_data["article"] == {
            "id": exported.id,
            "sha256": exported.sha256,
            "title": exported.title,
            "source": exported.source,
            "outlet": exported.outlet,
        }


def test_every_tag_is_a_span_with_its_quote_or_is_recorded(made: Sample, docs: list[Doc]) -> None:
    tags = {a.id: a for a in made.export.annotations if a.is_tag}
    spans = {s.id_: s for d in docs for s in d.spans["sc"]}
    for tag_id in made.exact:
        assert spans[tag_id].text == tags[tag_id].quote
        assert spans[tag_id].label_ == tags[tag_id].label
    for tag_id in made.trimmed:
        assert spans[tag_id].text == tags[tag_id].quote.strip()
    for tag_id in (*made.trimmed, *made.expanded):
        span, record = spans[tag_id], tags[tag_id]
        assert record.quote.strip() in span.text
        moved = adjusted(span.doc, tag_id)
        assert (moved["start"], moved["end"]) == (record.start, record.end)
        assert (moved["span_start"], moved["span_end"]) == (span.start_char, span.end_char)
    for tag_id in made.unplaced:
        assert tag_id not in spans
        doc = doc_of(docs, tags[tag_id].article)
        left_out = {u["id"]: u for u in doc.user_data["tags"]["unplaced"]}
        assert left_out[tag_id]["quote"] == tags[tag_id].quote
        assert left_out[tag_id]["reason"]
    assert len(spans) + len(made.unplaced) == len(tags)
    # Each tag's annotator is kept beside its span.
    for span in spans.values():
        annotators = span.doc.user_data["tags"]["annotators"]
        assert annotators[span.id_] == tags[span.id_].annotator


def adjusted(doc: Doc, tag_id: str) -> dict[str, Any]:
    return next(a for a in doc.user_data["tags"]["adjusted"] if a["id"] == tag_id)


def test_overlapping_and_nested_tags_are_all_kept(docs: list[Doc]) -> None:
    group = doc_of(docs, TELEGRAPH).spans["sc"]
    by_id = {s.id_: s for s in group}
    sentence, nested, across = by_id["t-claim-sentence"], by_id["t-op"], by_id["t-claim-across"]
    assert sentence.start <= nested.start and nested.end <= sentence.end
    assert across.start < sentence.end < across.end
    assert group.has_overlap


def test_counts_in_user_data_match_the_cases(made: Sample, docs: list[Doc]) -> None:
    counts = {"exact": 0, "trimmed": 0, "expanded": 0, "unplaced": 0}
    for doc in docs:
        for key, value in doc.user_data["tags"]["counts"].items():
            counts[key] += value
    assert counts == {
        "exact": len(made.exact),
        "trimmed": len(made.trimmed),
        "expanded": len(made.expanded),
        "unplaced": len(made.unplaced),
    }


def test_entities_are_ents_widened_or_recorded(made: Sample, docs: list[Doc]) -> None:
    doc = doc_of(docs, TELEGRAPH)
    ents = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
    assert set(made.exact_entities) <= ents
    ((start, end, label),) = made.expanded_entities
    widened = next(e for e in doc.ents if e.start_char == start)
    assert (widened.text, widened.label_) == ("Iranian", label)
    assert len(ents) == len(made.exact_entities) + len(made.expanded_entities)
    report = doc.user_data["entities"]
    assert report["known"] is True
    assert [(u["start"], u["end"], u["label"]) for u in report["unplaced"]] == list(
        made.unplaced_entities
    )
    assert [(a["start"], a["end"], a["span_end"]) for a in report["adjusted"]] == [
        (start, end, widened.end_char)
    ]
    # Known entities make a complete annotation: every other token is O, not missing.
    assert doc.has_annotation("ENT_IOB", require_complete=True)


def test_no_entities_found_is_all_outside_and_unknown_is_missing(
    made: Sample, docs: list[Doc]
) -> None:
    blank = spacy.blank("en")
    for exported in made.export.articles.values():
        doc = doc_of(docs, exported.id)
        # What ner is taught from the Doc, as spaCy's training aligns it.
        aligned = set(Example(blank.make_doc(doc.text), doc).get_aligned_ner())
        if exported.entities == ():
            assert doc.user_data["entities"]["known"] is True
            assert doc.ents == ()
            assert {t.ent_iob_ for t in doc} == {"O"}
            assert aligned == {"O"}
        elif exported.entities is None:
            assert doc.user_data["entities"]["known"] is False
            assert not doc.has_annotation("ENT_IOB")
            assert {t.ent_iob_ for t in doc} == {""}
            assert aligned == {None}  # missing: neither entity nor O


def test_notes_are_in_user_data_with_their_spans(made: Sample, docs: list[Doc]) -> None:
    for record in (a for a in made.export.annotations if a.is_note):
        doc = doc_of(docs, record.article)
        (kept,) = [n for n in doc.user_data["notes"] if n["id"] == record.id]
        assert doc.text[kept["start"] : kept["end"]] == kept["quote"] == record.quote
        assert kept["note"] == record.note
        assert record.id not in {s.id_ for s in doc.spans["sc"]}


def test_spancat_and_ner_train_one_step_on_the_file(made: Sample, tmp_path: Path) -> None:
    """`spacy train` reads the file through Corpus; spancat (key "sc") and ner learn from it."""
    # The two tagged articles: a training step over all five takes three times as long.
    tagged = {a.article_sha256 for a in made.export.annotations}
    export = ExportSet(
        annotations=made.export.annotations,
        articles={sha: a for sha, a in made.export.articles.items() if sha in tagged},
    )
    path = tmp_path / "train.spacy"
    path.write_bytes(spacy_docbin.write(export))
    nlp = spacy.blank("en")
    spancat: Any = nlp.add_pipe("spancat")  # no spans_key given: its default
    ner: Any = nlp.add_pipe("ner")
    assert spancat.key == spacy_docbin.SPANS_KEY
    examples = list(Corpus(str(path))(nlp))
    assert len(examples) == len(tagged) == 2
    assert sum(len(e.reference.spans["sc"]) for e in examples) > 0
    nlp.initialize(lambda: examples)
    tag_labels = {a.label for a in made.export.annotations if a.is_tag}
    assert set(spancat.labels) == tag_labels
    assert "GPE" in ner.labels
    losses: dict[str, float] = {}
    nlp.update(examples, losses=losses)
    assert losses["spancat"] > 0 and math.isfinite(losses["spancat"])
    assert losses["ner"] > 0 and math.isfinite(losses["ner"])


def test_real_model_entities_with_corrections_come_back_as_ents(tmp_path: Path) -> None:
    telegraph = article(TELEGRAPH)
    found = [(e.start, e.end, e.label) for e in extract_entities(load_pipeline(), telegraph.text)]
    assert found
    first = found[0]
    added = span_of(telegraph.text, "axis of terror")
    fixes = [
        correction("reject", first[:2]),
        correction("add", added, "EVENT"),
    ]
    corrected = apply_corrections(telegraph.id, telegraph.sha256, telegraph.text, found, fixes)
    assert first not in corrected and (*added, "EVENT") in corrected
    export = ExportSet(
        annotations=[tag(telegraph, added, "claim", "claim-axis")],
        articles={telegraph.sha256: export_article(telegraph, tuple(corrected))},
    )
    path = tmp_path / "model.spacy"
    path.write_bytes(spacy_docbin.write(export))
    (doc,) = DocBin().from_disk(path).get_docs(spacy.blank("en").vocab)
    # The model's tokens are the blank pipeline's: every entity lies on token boundaries.
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == corrected
    assert doc.user_data["entities"]["counts"]["exact"] == len(corrected)


def correction(kind: str, span: tuple[int, int], label: str = "") -> EntityCorrection:
    telegraph = article(TELEGRAPH)
    return EntityCorrection.create(
        kind=kind,
        article=telegraph.id,
        text=telegraph.text,
        start=span[0],
        end=span[1],
        label=label,
        annotator="ann",
    )


def test_export_command_writes_a_loadable_file(tmp_path: Path) -> None:
    """`reader export -o FILE.spacy` from a real store, in a subprocess."""
    telegraph = article(TELEGRAPH)
    db = tmp_path / "annotations.json"
    claim = span_of(telegraph.text, "Hamas praised Putin personally")
    with AnnotationStore(db) as store:
        store.add(
            Annotation.create(
                article=telegraph.id,
                text=telegraph.text,
                start=claim[0],
                end=claim[1],
                annotator="ann",
                label="claim",
            )
        )
        with store.transaction() as transaction:
            transaction.add(ENTITY_CORRECTIONS, correction("add", claim, "EVENT"))
    out = tmp_path / "out.spacy"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--db", str(db), "-o", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "READER_CACHE_DIR": str(tmp_path / "cache")},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("en").vocab)
    assert [(s.text, s.label_) for s in doc.spans["sc"]] == [
        ("Hamas praised Putin personally", "claim")
    ]
    assert doc.user_data["entities"]["known"] is False  # nothing cached: `reader ner` never ran


def test_export_to_path_writes_the_binary_format(made: Sample, tmp_path: Path) -> None:
    out = tmp_path / "sample.spacy"
    assert export_to_path(made.export, "spacy", out) == len(made.export.annotations)
    loaded = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert len(loaded) == len(made.export.articles)


def test_golden(docs: list[Doc]) -> None:
    """What spaCy reads back, as JSON: the DocBin's bytes themselves vary with hash seeds."""
    golden = GOLDEN / "spacy" / "sample.json"
    got = json.dumps([summary(d) for d in docs], indent=1, ensure_ascii=False) + "\n"
    if os.environ.get(UPDATE_GOLDEN):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8"), f"set {UPDATE_GOLDEN}=1 to rewrite"


def summary(doc: Doc) -> dict[str, Any]:
    return {
        "tokens": len(doc),
        "spans": [[s.start_char, s.end_char, s.label_, s.id_, s.text] for s in doc.spans["sc"]],
        "ents": [[e.start_char, e.end_char, e.label_, e.text] for e in doc.ents],
        "user_data": plain(doc.user_data),
    }


def plain(value: Any) -> Any:
    """User data as JSON has it (msgpack gives lists back as tuples)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def test_the_module_does_not_import_spacy_until_it_writes() -> None:
    code = (
        "import sys, annotations.formats.spacy_docbin, annotations.formats.conll; "
        "print('spacy' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_blank_tokenizer_is_the_models() -> None:
    """The docstring's claim: en_core_web_sm cuts the bundled articles into the same tokens, so
    a model trained on the file, or started from that model, sees the tokens it was taught."""
    model = spacy.load(MODEL_PACKAGE, exclude=["tok2vec", "tagger", "parser", "ner"])
    blank = blank_english()
    for each in bundled_articles():
        ours = [(t.idx, t.text) for t in blank.make_doc(each.text)]
        assert ours == [(t.idx, t.text) for t in model.make_doc(each.text)], each.id


def test_a_text_over_spacys_length_limit_is_written_whole() -> None:
    # spaCy refuses texts over nlp.max_length (1,000,000 characters) unless told otherwise.
    text = "Putin met Hamas in Moscow.\n" * 40_000
    start = text.rindex("Hamas")
    record = Annotation.create(
        article="big", text=text, start=start - 2, end=start + 3, annotator="ann", label="claim"
    )
    export = ExportSet(
        annotations=[record],
        articles={
            record.article_sha256: ExportArticle(
                "big", record.article_sha256, "Big", "big.txt", text
            )
        },
    )
    (doc,) = DocBin().from_bytes(spacy_docbin.write(export)).get_docs(spacy.blank("en").vocab)
    assert len(doc.text) > 1_000_000 and doc.text == text
    assert [s.text for s in doc.spans["sc"]] == ["met Hamas"]


def test_an_empty_export_is_an_empty_docbin() -> None:
    assert len(DocBin().from_bytes(spacy_docbin.write(ExportSet(annotations=[])))) == 0


def test_passes_over_the_tokens_do_not_grow_with_the_spans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each tag and entity is laid on the tokens by spaCy's binary search, never by a pass over
    the whole Doc: one a span made the export quadratic (4,000 spans on 2,000 sentences took
    27 s; benchmarks/formats.py). Counted, not timed: one tag and entity against 60 of each."""
    telegraph = article(TELEGRAPH)
    words = [m.span() for m in re.finditer(r"\w+", telegraph.text)][:60]

    def export(count: int) -> ExportSet:
        tags = [tag(telegraph, words[i], "claim", f"t{i}") for i in range(count)]
        entities = tuple((*words[i], "ORG") for i in range(count))
        return ExportSet(
            annotations=tags, articles={telegraph.sha256: export_article(telegraph, entities)}
        )

    def read(written: bytes) -> list[dict[str, Any]]:
        return [summary(d) for d in DocBin().from_bytes(written).get_docs(spacy.blank("en").vocab)]

    def passes(made: ExportSet) -> int:
        expected = read(spacy_docbin.write(made))
        with monkeypatch.context() as patched:
            patched.setattr(spacy_docbin, "make_doc", counting_make_doc)
            CountingDoc.passes = 0
            written = spacy_docbin.write(made)
            assert read(written) == expected  # the counting Doc changes nothing
            return CountingDoc.passes

    assert passes(export(60)) == passes(export(1))
