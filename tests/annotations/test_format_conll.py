"""The CoNLL export, read back: its shape, BIO well-formedness, and runs that are the tags'."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import spacy
from spacy.training import iob_to_biluo
from spacy.training.iob_utils import tags_to_entities

from annotations.entity_corrections import apply_corrections
from annotations.export import export_to_path, write_export
from annotations.formats import ExportSet, conll
from annotations.model import Annotation
from annotations.store import AnnotationStore
from reader.entities import extract_entities, load_pipeline
from tests.annotations.token_format_samples import (
    GOLDEN,
    ROGIN,
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

Run = tuple[str, int, int]  # label, first token, one past the last (token positions in the doc)


@dataclass
class Document:
    article_id: str
    sha256: str
    comments: list[str] = field(default_factory=list)
    sentences: list[list[list[str]]] = field(default_factory=list)  # rows of cells

    @property
    def rows(self) -> list[list[str]]:
        return [row for sentence in self.sentences for row in sentence]

    @property
    def tokens(self) -> list[str]:
        return [row[0] for row in self.rows]

    def runs(self, column: int) -> list[Run]:
        """The column's runs, read strictly (IOB2) sentence by sentence."""
        found: list[Run] = []
        position = 0
        for sentence in self.sentences:
            tags = [row[column] for row in sentence]
            for label, first, last in strict_runs(tags):
                found.append((label, position + first, position + last))
            position += len(sentence)
        return found


@dataclass
class ConllFile:
    columns: list[str]
    comments: list[str]
    documents: list[Document]


def read_conll(text: str) -> ConllFile:
    """Parse the file as a reader would, asserting its shape line by line."""
    assert "\r" not in text and text.endswith("\n")
    lines = text.split("\n")[:-1]
    header = re.fullmatch(r"# global\.columns = (.+)", lines[0])
    assert header, lines[0]
    parsed = ConllFile(header.group(1).split(" "), [], [])
    sentence: list[list[str]] = []
    for number, line in enumerate(lines[1:], 2):
        where = f"line {number}: {line!r}"
        if line.startswith("-DOCSTART-\t"):
            assert not sentence, where
            _, article_id, sha256 = line.split("\t")
            parsed.documents.append(Document(article_id, sha256))
        elif line.startswith("# "):
            assert not sentence, where  # comments come before a document's first sentence
            if parsed.documents:
                assert not parsed.documents[-1].sentences, where
                parsed.documents[-1].comments.append(line[2:])
            else:
                parsed.comments.append(line[2:])
        elif line == "":
            if sentence:
                parsed.documents[-1].sentences.append(sentence)
            sentence = []
        else:
            cells = line.split("\t")
            assert len(cells) == len(parsed.columns), where
            assert not any(ch.isspace() for cell in cells for ch in cell), where
            sentence.append(cells)
    assert not sentence, "the file ends in the middle of a sentence"
    return parsed


def strict_runs(tags: list[str]) -> list[Run]:
    """IOB2 runs; an I- that does not continue a run of its label fails the test."""
    runs: list[Run] = []
    for index, value in enumerate(tags):
        if value == "O":
            continue
        prefix, _, label = value.partition("-")
        assert prefix in ("B", "I") and label, f"tag {value!r} at {index}"
        if prefix == "I":
            assert runs and runs[-1][0] == label and runs[-1][2] == index, f"{value} at {index}"
            runs[-1] = (label, runs[-1][1], index + 1)
        else:
            runs.append((label, index, index + 1))
    # spaCy's own reading of IOB (what `spacy convert` uses) finds the same runs.
    biluo = iob_to_biluo(tags)
    assert [(label, s, e + 1) for label, s, e in tags_to_entities(biluo)] == runs
    return runs


def shown_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the text's tokens that are not whitespace, as spaCy cuts them."""
    doc = spacy.blank("en")(text)
    return [(t.idx, t.idx + len(t), t.text) for t in doc if not t.is_space]


def positions(tokens: list[tuple[int, int, str]], start: int, end: int) -> list[int]:
    """The tokens the span touches."""
    return [i for i, (s, e, _) in enumerate(tokens) if s < end and e > start]


@pytest.fixture(scope="module")
def made() -> Sample:
    return sample()


@pytest.fixture(scope="module")
def written(made: Sample) -> str:
    return "".join(conll.write(made.export))


@pytest.fixture(scope="module")
def parsed(written: str) -> ConllFile:
    return read_conll(written)


def document(parsed: ConllFile, article_id: str) -> Document:
    return next(d for d in parsed.documents if d.article_id == article_id)


def test_header_names_the_columns_and_each_text_is_a_document(
    made: Sample, parsed: ConllFile
) -> None:
    assert parsed.columns == [
        "TOKEN",
        "ENTITY",
        "TAG:claim",
        "TAG:false_context",
        "TAG:opinion",
        "TAG:unverified",
    ]
    assert parsed.comments == ['label "false context" is written false_context']
    wanted = made.export.in_reading_order()
    assert [(d.article_id, d.sha256) for d in parsed.documents] == [
        (a.id, a.sha256) for a in wanted
    ]


def test_tokens_are_the_text_less_its_whitespace(made: Sample, parsed: ConllFile) -> None:
    for exported in made.export.articles.values():
        tokens = document(parsed, exported.id).tokens
        assert tokens == [t for _, _, t in shown_tokens(exported.text)]
        # Independently of spaCy: nothing but whitespace is left out, in order.
        assert "".join(tokens) == re.sub(r"\s", "", exported.text)


def test_every_column_is_well_formed_bio(parsed: ConllFile) -> None:
    for doc in parsed.documents:
        for column in range(2, len(parsed.columns)):
            doc.runs(column)  # asserts
        entity_column = [row[1] for row in doc.rows]
        if "entities not known for this text: ENTITY is _" in doc.comments:
            assert set(entity_column) == {"_"}
        else:
            doc.runs(1)


def test_runs_are_the_tags_tokens(made: Sample, parsed: ConllFile) -> None:
    by_article: dict[str, list[Annotation]] = {}
    for record in made.export.annotations:
        if record.is_tag and record.id not in made.unplaced:
            by_article.setdefault(record.article, []).append(record)
    checked = 0
    for article_id, tags in by_article.items():
        exported = next(a for a in made.export.articles.values() if a.id == article_id)
        doc = document(parsed, article_id)
        tokens = shown_tokens(exported.text)
        for column, name in enumerate(parsed.columns[2:], 2):
            label = next((t.label for t in tags if t.label.replace(" ", "_") == name[4:]), None)
            runs = doc.runs(column)
            assert all(run[0] == name[4:] for run in runs)
            mine = [t for t in tags if t.label == label]
            expected = [positions(tokens, t.start, t.end) for t in mine]
            # The tokens marked are exactly those the tags touch, left-out ones excepted.
            marked = {i for _, first, last in runs for i in range(first, last)}
            assert marked == {i for where in expected for i in where}
            spans = [range(first, last) for _, first, last in runs]
            for record, where in zip(mine, expected, strict=True):
                overlapping = [
                    other for other in mine if other is not record and overlaps(other, record)
                ]
                if overlapping:
                    # Tags of one label that share tokens are one run: it holds them all.
                    (run,) = [r for r in spans if where[0] in r]
                    assert set(where) <= set(run)
                    continue
                assert range(where[0], where[-1] + 1) in spans
                joined = [tokens[i][2] for i in where]
                if record.id in made.exact:
                    assert "".join(joined) == re.sub(r"\s", "", record.quote)
                else:  # widened or trimmed: the quote's characters are all in the run
                    assert re.sub(r"\s", "", record.quote) in "".join(joined)
                checked += 1
    assert checked >= 6


def overlaps(a: Annotation, b: Annotation) -> bool:
    return a.start < b.end and b.start < a.end


def test_overlaps_merges_and_widenings_are_counted(parsed: ConllFile) -> None:
    assert document(parsed, TELEGRAPH).comments == [
        "1 tag of claim overlapping another merged into one run with it",
        "1 tag widened to whole tokens",
        "1 entity widened to whole tokens",
        "2 tags on no token (whitespace alone, or a quote not at its offsets): left out",
        "1 entity on no token or overlapping another once widened: left out",
    ]
    assert document(parsed, ROGIN).comments == ["1 tag widened to whole tokens"]


def test_a_run_is_never_cut_by_a_sentence_break(made: Sample, parsed: ConllFile) -> None:
    doc = document(parsed, TELEGRAPH)
    telegraph = made.export.articles[article(TELEGRAPH).sha256]
    headline = telegraph.text[: telegraph.text.index("\n")]
    # A line break ends a sentence though no full stop does.
    assert [row[0] for row in doc.sentences[0]] == [t for _, _, t in shown_tokens(headline)]
    # The claim across the paragraph break keeps both paragraphs in one sentence.
    joined = ["".join(row[0] for row in sentence) for sentence in doc.sentences]
    assert any("toMoscow.InamovecondemnedbyIsrael" in sentence for sentence in joined)
    # Elsewhere sentences follow the text's: no untagged paragraph shares a sentence.
    untagged = document(parsed, "kuzio-iran-war-russia-backing")
    paragraphs = [
        p for p in re.split(r"\n\s*\n", made_text(made, untagged.article_id)) if p.strip()
    ]
    assert len(untagged.sentences) >= len(paragraphs)


def made_text(made: Sample, article_id: str) -> str:
    return next(a.text for a in made.export.articles.values() if a.id == article_id)


def test_entities_known_none_and_unknown(made: Sample, parsed: ConllFile) -> None:
    telegraph = made.export.articles[article(TELEGRAPH).sha256]
    tokens = shown_tokens(telegraph.text)
    expected = sorted(
        (label, positions(tokens, s, e)[0], positions(tokens, s, e)[-1] + 1)
        for s, e, label in (*made.exact_entities, *made.expanded_entities)
    )
    assert sorted(document(parsed, TELEGRAPH).runs(1)) == expected
    assert {row[1] for row in document(parsed, ROGIN).rows} == {"O"}
    unknown = [a.id for a in made.export.articles.values() if a.entities is None]
    for article_id in unknown:
        doc = document(parsed, article_id)
        assert {row[1] for row in doc.rows} == {"_"}
        assert doc.comments[0] == "entities not known for this text: ENTITY is _"


def test_real_model_entities_are_the_entity_runs() -> None:
    telegraph = article(TELEGRAPH)
    found = [(e.start, e.end, e.label) for e in extract_entities(load_pipeline(), telegraph.text)]
    corrected = apply_corrections(telegraph.id, telegraph.sha256, telegraph.text, found, [])
    export = ExportSet(
        annotations=[], articles={telegraph.sha256: export_article(telegraph, tuple(corrected))}
    )
    (doc,) = read_conll("".join(conll.write(export))).documents
    assert doc.comments == []  # the model's entities lie on the blank pipeline's tokens
    tokens = shown_tokens(telegraph.text)
    runs = doc.runs(1)
    assert len(runs) == len(corrected) > 20
    for (label, first, last), (start, end, entity_label) in zip(runs, corrected, strict=True):
        assert label == entity_label
        assert "".join(t for _, _, t in tokens[first:last]) == re.sub(
            r"\s", "", telegraph.text[start:end]
        )


def test_labels_that_collide_once_spaces_go_are_kept_apart() -> None:
    assert conll.column_labels(["a b", "a_b", "a\tb", "c"]) == {
        "a b": "a_b",
        "a_b": "a_b_2",
        "a\tb": "a_b_3",
        "c": "c",
    }
    telegraph = article(TELEGRAPH)
    words = span_of(telegraph.text, "Vladimir Putin")
    export = ExportSet(
        annotations=[
            tag(telegraph, words, "a b", "one"),
            tag(telegraph, words, "a_b", "two"),
        ],
        articles={telegraph.sha256: export_article(telegraph, None)},
    )
    parsed = read_conll("".join(conll.write(export)))
    assert parsed.columns == ["TOKEN", "ENTITY", "TAG:a_b", "TAG:a_b_2"]
    assert parsed.comments == ['label "a b" is written a_b', 'label "a_b" is written a_b_2']
    (doc,) = parsed.documents
    where = positions(shown_tokens(telegraph.text), *words)
    first, last = where[0], where[-1] + 1
    assert doc.tokens[first:last] == ["Vladimir", "Putin"]
    assert doc.runs(2) == [("a_b", first, last)] and doc.runs(3) == [("a_b_2", first, last)]


def test_export_to_path_and_a_stream(made: Sample, written: str, tmp_path: Path) -> None:
    out = tmp_path / "sample.conll"
    assert export_to_path(made.export, "conll", out) == len(made.export.annotations)
    assert out.read_bytes().decode("utf-8") == written
    stream = io.StringIO()
    write_export(made.export, "conll", stream)
    assert stream.getvalue() == written


def test_export_command_to_a_pipe(tmp_path: Path) -> None:
    """`reader export --format conll` from a real store, in a subprocess, to a pipe."""
    rogin = article(ROGIN)
    db = tmp_path / "annotations.json"
    claim = span_of(rogin.text, "Russia is on the side of Hamas")
    with AnnotationStore(db) as store:
        store.add(
            Annotation.create(
                article=rogin.id,
                text=rogin.text,
                start=claim[0],
                end=claim[1],
                annotator="ann",
                label="claim",
            )
        )
    result = subprocess.run(
        [sys.executable, "-m", "reader", "export", "--db", str(db), "--format", "conll"],
        capture_output=True,
        text=True,
        env={**os.environ, "READER_CACHE_DIR": str(tmp_path / "cache")},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    parsed = read_conll(result.stdout)
    assert parsed.columns == ["TOKEN", "ENTITY", "TAG:claim"]
    (doc,) = parsed.documents
    (run,) = doc.runs(2)
    assert doc.tokens[run[1] : run[2]] == ["Russia", "is", "on", "the", "side", "of", "Hamas"]


def test_golden(made: Sample) -> None:
    # Two articles with tags and entities and one without either keep the file readable in
    # a diff; the other tests read the whole sample.
    kept = {TELEGRAPH, ROGIN, "kuzio-iran-war-russia-backing"}
    export = ExportSet(
        annotations=made.export.annotations,
        articles={sha: a for sha, a in made.export.articles.items() if a.id in kept},
    )
    written = "".join(conll.write(export))
    golden = GOLDEN / "conll" / "sample.conll"
    if os.environ.get(UPDATE_GOLDEN):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(written.encode("utf-8"))
    assert written == golden.read_bytes().decode("utf-8"), f"set {UPDATE_GOLDEN}=1 to rewrite"


def test_an_empty_export_is_the_header_alone() -> None:
    assert "".join(conll.write(ExportSet(annotations=[]))) == "# global.columns = TOKEN ENTITY\n"


def test_passes_over_the_tokens_do_not_grow_with_the_spans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each tag and entity is laid on the tokens by spaCy's binary search, never by a pass over
    the whole Doc: one a span made the export quadratic (4,000 spans on 2,000 sentences took
    27 s; benchmarks/formats.py). Counted, not timed: one tag and entity against 60 of each,
    nested and overlapping (a sentence, and words in it, of one label)."""
    telegraph = article(TELEGRAPH)
    t = telegraph.text
    words = [m.span() for m in re.finditer(r"\w+", t)][:60]
    sentence = span_of(t, "Vladimir Putin sought to intervene in the Middle Eastern conflict")

    def export(count: int) -> ExportSet:
        tags = [tag(telegraph, sentence, "claim", "t-sentence")]
        tags += [tag(telegraph, words[i], "claim", f"t{i}") for i in range(count - 1)]
        entities = tuple((*words[i], "ORG") for i in range(count))
        return ExportSet(
            annotations=tags, articles={telegraph.sha256: export_article(telegraph, entities)}
        )

    def passes(made: ExportSet) -> int:
        expected = "".join(conll.write(made))
        with monkeypatch.context() as patched:
            patched.setattr(conll, "make_doc", counting_make_doc)
            CountingDoc.passes = 0
            assert "".join(conll.write(made)) == expected  # the counting Doc changes nothing
            return CountingDoc.passes

    assert passes(export(60)) == passes(export(1))
