"""Entity corrections: the record, how they change the model's entities and the grouping, how
they are edited (undo, redo, no duplicates), stored (reopened, two processes) and exported."""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from annotations.editing import EditRefused, EditSession
from annotations.entity_corrections import (
    CORRECTION_KINDS,
    ENTITY_CORRECTIONS,
    FIELDS,
    EntityCorrection,
    apply_corrections,
    grouping_constraints,
)
from annotations.export import export_to_path, verify_quotes, write_export
from annotations.formats.csv_format import FIELDS_WITH_CORRECTIONS as CSV_FIELDS_WITH_CORRECTIONS
from annotations.model import FIELDS as ANNOTATION_FIELDS
from annotations.model import Annotation, InvalidRecordError, text_sha256, timestamp
from annotations.store import AnnotationStore

TEXT = "Kuzio said Putin met Sergei Lavrov in Moscow on Tuesday, and Hamas was not there."
T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)


def span_of(words: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(words)
    return (start, start + len(words))


KUZIO, PUTIN, LAVROV, SERGEI_LAVROV, MOSCOW, TUESDAY, HAMAS = (
    span_of(w) for w in ("Kuzio", "Putin", "Lavrov", "Sergei Lavrov", "Moscow", "Tuesday", "Hamas")
)
# What the small English model might say about TEXT: "Kuzio" as a place, "Lavrov" alone.
MODEL = [(*KUZIO, "GPE"), (*PUTIN, "PERSON"), (*LAVROV, "PERSON"), (*MOSCOW, "GPE")]
MODEL += [(*TUESDAY, "DATE")]


@dataclass(frozen=True)
class Doc:
    id: str = "doc"
    text: str = TEXT
    sha256: str = text_sha256(TEXT)
    source: str = "/articles/doc.txt"
    title: str = "Lavrov in Moscow"


DOC = Doc()


def on_span(
    kind: str, span: tuple[int, int], label: str = "", *, at: int = 0, **kwargs: Any
) -> EntityCorrection:
    options: dict[str, Any] = {"article": DOC.id, "text": TEXT, "annotator": "ana"}
    options.update(kwargs)
    start, end = span
    return EntityCorrection.create(
        kind=kind, start=start, end=end, label=label, now=T0 + timedelta(seconds=at), **options
    )


def on_pair(kind: str, a: str, b: str, *, at: int = 0) -> EntityCorrection:
    return EntityCorrection.create(
        kind=kind, variants=(a, b), annotator="ana", now=T0 + timedelta(seconds=at)
    )


def corrected(*corrections: EntityCorrection, text: str = TEXT) -> list[tuple[int, int, str]]:
    return apply_corrections(DOC.id, text_sha256(text), text, MODEL, corrections)


def model_without(*spans: tuple[int, int]) -> list[tuple[int, int, str]]:
    return [e for e in MODEL if (e[0], e[1]) not in spans]


# -- the record -----------------------------------------------------------------------------


def test_fields_and_kinds_are_the_documented_ones() -> None:
    assert CORRECTION_KINDS == ("reject", "retype", "add", "merge", "split")
    assert FIELDS == (
        "id",
        "kind",
        "article",
        "article_sha256",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "label",
        "variants",
        "annotator",
        "created",
    )
    assert ENTITY_CORRECTIONS.table == "entity_corrections"


def test_a_span_correction_keeps_its_quote_context_and_round_trips_through_json() -> None:
    retype = on_span("retype", KUZIO, "PERSON")
    assert (retype.quote, retype.prefix, retype.suffix[:6]) == ("Kuzio", "", " said ")
    assert (retype.article, retype.article_sha256, retype.span) == ("doc", DOC.sha256, KUZIO)
    assert (retype.label, retype.variants, retype.annotator) == ("PERSON", ("", ""), "ana")
    assert retype.created == "2026-12-01T09:00:00.000000+00:00"
    record = json.loads(json.dumps(retype.to_record()))
    assert list(record) == list(FIELDS)
    assert EntityCorrection.from_record(record) == retype
    assert ENTITY_CORRECTIONS.parse(ENTITY_CORRECTIONS.dump(retype)) == retype


def test_a_merge_names_two_variants_and_no_article() -> None:
    merge = on_pair("merge", "vladimir putin", "putin")
    assert (merge.article, merge.article_sha256, merge.span, merge.quote) == ("", "", (0, 0), "")
    assert merge.variants == ("vladimir putin", "putin")
    assert merge.pair == ("putin", "vladimir putin")  # merge(a, b) is merge(b, a)
    record = json.loads(json.dumps(merge.to_record()))
    assert record["variants"] == ["vladimir putin", "putin"]
    assert EntityCorrection.from_record(record) == merge


def valid_record(**changes: Any) -> dict[str, Any]:
    return {**on_span("retype", KUZIO, "PERSON").to_record(), **changes}


def merge_record(**changes: Any) -> dict[str, Any]:
    return {**on_pair("merge", "putin", "vladimir putin").to_record(), **changes}


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (valid_record(kind="rename"), "kind 'rename'"),
        (valid_record(label=""), "needs an entity type"),
        (valid_record(kind="reject"), "reject correction has no label"),
        (valid_record(end=7), "quote has 5 characters"),
        (valid_record(start=5, end=5, quote=""), "non-empty, forward span"),
        (valid_record(article=""), "empty article id"),
        (valid_record(article_sha256=""), "no text version"),
        (valid_record(variants=["putin", "mr putin"]), "names no variants"),
        (valid_record(annotator=""), "no annotator"),
        (valid_record(id=""), "empty id"),
        (valid_record(created="2026-12-01T09:00:00"), "no timezone"),
        (valid_record(created="yesterday"), "not an ISO 8601"),
        (valid_record(start=True), "'start' is bool"),
        (valid_record(label=None), "'label' is NoneType"),
        (valid_record(colour="red"), "unknown fields colour"),
        ({k: v for k, v in valid_record().items() if k != "quote"}, "lacks quote"),
        (merge_record(variants=["putin", "putin"]), "two different variants"),
        (merge_record(variants=["putin", ""]), "two non-empty variants"),
        (merge_record(variants=["putin"]), "a list of two strings"),
        (merge_record(variants="putin"), "a list of two strings"),
        (merge_record(article="doc"), "no article and no span"),
        (merge_record(label="PERSON"), "has no label"),
    ],
)
def test_bad_records_are_refused_saying_what_is_wrong(record: Any, problem: str) -> None:
    with pytest.raises(InvalidRecordError, match=problem):
        EntityCorrection.from_record(record)


def test_create_refuses_a_bad_span_kind_or_mix() -> None:
    with pytest.raises(ValueError, match="not a non-empty span"):
        on_span("reject", (5, 5))
    with pytest.raises(ValueError, match="not a non-empty span"):
        on_span("add", (0, len(TEXT) + 1), "ORG")
    with pytest.raises(ValueError, match="not one of"):
        on_span("rename", KUZIO, "PERSON")
    with pytest.raises(ValueError, match="no article or span"):
        EntityCorrection.create(kind="split", article="doc", variants=("a", "b"), annotator="a")


# -- applying span corrections to the model's entities ---------------------------------------


def test_no_corrections_leave_the_model_as_it_is() -> None:
    assert corrected() == MODEL


def test_reject_removes_the_entity_on_exactly_that_span_whatever_its_type() -> None:
    assert corrected(on_span("reject", KUZIO)) == model_without(KUZIO)
    # A span that only overlaps an entity, or where there is none, removes nothing.
    assert corrected(on_span("reject", SERGEI_LAVROV)) == MODEL
    assert corrected(on_span("reject", HAMAS)) == MODEL


def test_retype_changes_the_type_or_adds_the_entity_the_model_missed() -> None:
    result = corrected(on_span("retype", KUZIO, "PERSON"))
    assert result == [(*KUZIO, "PERSON"), *model_without(KUZIO)]
    assert (*HAMAS, "ORG") in corrected(on_span("retype", HAMAS, "ORG"))


def test_add_puts_an_entity_on_the_span_and_drops_the_model_entities_it_overlaps() -> None:
    assert corrected(on_span("add", HAMAS, "ORG")) == [*MODEL, (*HAMAS, "ORG")]
    result = corrected(on_span("add", SERGEI_LAVROV, "PERSON"))
    assert (*SERGEI_LAVROV, "PERSON") in result
    assert (*LAVROV, "PERSON") not in result  # the partial "Lavrov" went
    assert result == sorted(result)


def test_the_later_correction_of_a_span_wins_whatever_order_they_come_in() -> None:
    reject = on_span("reject", KUZIO, at=1)
    add = on_span("add", KUZIO, "PERSON", at=2)
    assert corrected(add, reject) == [(*KUZIO, "PERSON"), *model_without(KUZIO)]
    reject_later = on_span("reject", KUZIO, at=3)
    assert corrected(reject_later, add) == model_without(KUZIO)
    retypes = [on_span("retype", KUZIO, label, at=n) for n, label in enumerate(("ORG", "NORP"))]
    assert corrected(*reversed(retypes))[0] == (*KUZIO, "NORP")


def test_ties_in_time_are_broken_by_id_so_every_run_agrees() -> None:
    one = on_span("retype", KUZIO, "ORG")._replace(id="a")
    two = on_span("retype", KUZIO, "NORP")._replace(id="b")
    assert corrected(one, two)[0] == corrected(two, one)[0] == (*KUZIO, "NORP")


def test_result_is_sorted_without_duplicate_spans() -> None:
    doubled = [*reversed(MODEL), (*KUZIO, "ORG")]
    result = apply_corrections(DOC.id, DOC.sha256, TEXT, doubled, [])
    assert result == sorted(result)
    assert len({(s, e) for s, e, _ in result}) == len(result) == len(MODEL)


def test_only_this_articles_corrections_count() -> None:
    elsewhere = on_span("reject", KUZIO, article="other", text="x" + TEXT)
    grouping = on_pair("merge", "kuzio", "taras kuzio")
    assert corrected(elsewhere, grouping) == MODEL
    # The same text under another id (a copied file): its corrections hold, by hash.
    copied = on_span("reject", KUZIO, article="copy-of-doc")
    assert corrected(copied) == model_without(KUZIO)


def test_a_correction_made_on_an_older_text_is_found_again_by_its_quote_and_context() -> None:
    reject = on_span("reject", KUZIO, at=1)
    add = on_span("add", HAMAS, "ORG", at=2)
    edited = "UPDATED with a correction. " + TEXT.replace("Tuesday", "Wednesday")
    shift = len("UPDATED with a correction. ")
    model = [(s + shift, e + shift, label) for s, e, label in MODEL if label != "DATE"]
    result = apply_corrections(DOC.id, text_sha256(edited), edited, model, [reject, add])
    found = [(edited[s:e], label) for s, e, label in result]
    assert ("Kuzio", "GPE") not in found
    assert ("Hamas", "ORG") in found
    assert result == [e for e in model if edited[e[0] : e[1]] != "Kuzio"] + [
        (HAMAS[0] + shift + 2, HAMAS[1] + shift + 2, "ORG")  # "Wednesday" is 2 longer
    ]


def test_a_correction_whose_words_are_gone_is_skipped_not_applied_elsewhere() -> None:
    add = on_span("add", HAMAS, "ORG")
    reject = on_span("reject", KUZIO)
    rewritten = "Taras Kuzio said Putin met Sergei Lavrov in Moscow on Tuesday; nobody else came."
    model = [(*span_of("Taras Kuzio", rewritten), "PERSON"), (*span_of("Putin", rewritten), "X")]
    result = apply_corrections(DOC.id, text_sha256(rewritten), rewritten, model, [add, reject])
    assert result == model


def replayed_one_by_one(
    entities: list[tuple[int, int, str]], corrections: list[EntityCorrection]
) -> list[tuple[int, int, str]]:
    """The rule as stated, slowly: every correction in turn over every entity (same text)."""
    current: dict[tuple[int, int], tuple[int, int, str]] = {}
    for entity in entities:
        current.setdefault(entity[:2], entity)
    for c in sorted(corrections, key=lambda c: (c.created, c.id)):
        if c.kind == "reject":
            current.pop(c.span, None)
            continue
        for other in [s for s in current if s[0] < c.end and c.start < s[1]]:
            del current[other]
        current[c.span] = (c.start, c.end, c.label)
    return sorted(current.values(), key=lambda e: e[:2])


@pytest.mark.parametrize("seed", range(40))
def test_applying_agrees_with_replaying_each_correction_over_every_entity(seed: int) -> None:
    rng = random.Random(seed)

    def some_span() -> tuple[int, int]:
        start = rng.randrange(0, 60)
        return (start, start + rng.randrange(1, 12))

    # Overlapping and repeated spans too, in any order: the input is not trusted to be tidy.
    entities = [(*some_span(), rng.choice(("PERSON", "ORG", "GPE"))) for _ in range(25)]
    corrections = [
        on_span(kind, some_span(), "" if kind == "reject" else rng.choice(("ORG", "NORP")), at=n)
        for n, kind in enumerate(rng.choice(("reject", "retype", "add")) for _ in range(8))
    ]
    rng.shuffle(corrections)
    result = apply_corrections(DOC.id, DOC.sha256, TEXT, entities, corrections)
    assert result == replayed_one_by_one(entities, corrections)


class Entity(NamedTuple):
    start: int
    end: int
    label: str


def test_make_builds_the_callers_entity_type() -> None:
    entities = [Entity(*e) for e in MODEL]
    result = apply_corrections(
        DOC.id, DOC.sha256, TEXT, entities, [on_span("add", HAMAS, "ORG")], make=Entity
    )
    assert all(type(e) is Entity for e in result)
    assert result[-1] == Entity(*HAMAS, "ORG")


# -- corrections of the grouping --------------------------------------------------------------


def test_merges_and_splits_become_constraints_for_the_grouping() -> None:
    together, apart = grouping_constraints(
        [
            on_pair("merge", "moussa abu marzouk", "musa abu marzouk"),
            on_pair("split", "lvov", "lavrov"),
            on_span("reject", KUZIO),  # not about grouping
        ]
    )
    assert together == [("moussa abu marzouk", "musa abu marzouk")]
    assert apart == [("lavrov", "lvov")]


def test_a_later_split_undoes_an_earlier_merge_of_the_same_pair_and_vice_versa() -> None:
    merge = on_pair("merge", "putin", "vladimir putin", at=1)
    split = on_pair("split", "vladimir putin", "putin", at=2)  # the pair in the other order
    assert grouping_constraints([split, merge]) == ([], [("putin", "vladimir putin")])
    merge_again = on_pair("merge", "putin", "vladimir putin", at=3)
    assert grouping_constraints([merge_again, split, merge]) == ([("putin", "vladimir putin")], [])


# -- editing: steps, undo and redo, no duplicates ---------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "db.json")


def reopened(store: AnnotationStore) -> AnnotationStore:
    return AnnotationStore(store.path)


def stored(store: AnnotationStore) -> list[tuple[str, str, str]]:
    """(kind, quote or variants, label) of the corrections on disk, in replay order."""
    return [
        (c.kind, c.quote or "+".join(c.variants), c.label)
        for c in reopened(store).entity_corrections()
    ]


@pytest.mark.parametrize(
    ("edit", "expected", "description"),
    [
        (lambda s: s.reject_entity(DOC, KUZIO), ("reject", "Kuzio", ""), "not an entity"),
        (
            lambda s: s.retype_entity(DOC, KUZIO, "PERSON"),
            ("retype", "Kuzio", "PERSON"),
            "entity type → PERSON",
        ),
        (lambda s: s.add_entity(DOC, HAMAS, "ORG"), ("add", "Hamas", "ORG"), "ORG entity added"),
        (
            lambda s: s.merge_entities("putin", "vladimir putin"),
            ("merge", "putin+vladimir putin", ""),
            "merged “putin” and “vladimir putin”",
        ),
        (
            lambda s: s.split_entities("lavrov", "lvov"),
            ("split", "lavrov+lvov", ""),
            "split “lavrov” from “lvov”",
        ),
    ],
)
def test_each_correction_is_a_saved_step_that_undo_removes_and_redo_restores(
    store: AnnotationStore, edit: Any, expected: tuple[str, str, str], description: str
) -> None:
    ana = EditSession(store, "ana")
    step = edit(ana)
    assert step.description == description
    assert stored(store) == [expected]
    [correction] = reopened(store).entity_corrections()
    assert correction.annotator == "ana" and correction.created.endswith("+00:00")
    assert step.where == correction
    undone = ana.undo()
    assert undone is not None and undone.description == f"undone: {description}"
    assert stored(store) == []
    redone = ana.redo()
    assert redone is not None
    assert reopened(store).entity_corrections() == [correction]  # the same record, same id


def test_a_span_steps_where_is_its_passage_and_a_merges_names_no_article(
    store: AnnotationStore,
) -> None:
    ana = EditSession(store, "ana")
    where = ana.add_entity(DOC, HAMAS, "ORG").where
    assert (where.article, where.article_sha256, where.start, where.end) == (
        "doc",
        DOC.sha256,
        *HAMAS,
    )
    assert where.quote == "Hamas"
    merged = ana.merge_entities("putin", "vladimir putin").where
    assert (merged.article, merged.article_sha256, merged.quote) == ("", "", "")


def test_corrections_and_annotations_share_one_history(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    ana.toggle(DOC, (0, 56), "claim")
    ana.reject_entity(DOC, KUZIO)
    ana.toggle(DOC, (58, len(TEXT)), "opinion")
    assert ana.undo() is not None
    assert ana.undo() is not None  # the reject
    assert stored(store) == [] and [a.label for a in reopened(store).all()] == ["claim"]
    assert ana.redo() is not None
    assert stored(store) == [("reject", "Kuzio", "")]
    assert ana.undo() is not None and ana.undo() is not None
    assert len(reopened(store)) == 0 and stored(store) == []


def test_the_same_correction_twice_is_refused_and_saves_nothing(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    ana.reject_entity(DOC, KUZIO)
    ana.retype_entity(DOC, MOSCOW, "LOC")
    ana.merge_entities("putin", "vladimir putin")
    ana.split_entities("lavrov", "lvov")
    before = stored(store)
    with pytest.raises(EditRefused, match="already rejected"):
        ana.reject_entity(DOC, KUZIO)
    with pytest.raises(EditRefused, match="already a LOC"):
        ana.add_entity(DOC, MOSCOW, "LOC")  # add and retype to one type do the same
    with pytest.raises(EditRefused, match="already merged"):
        ana.merge_entities("vladimir putin", "putin")
    with pytest.raises(EditRefused, match="already apart"):
        ana.split_entities("lavrov", "lvov")
    with pytest.raises(EditRefused):
        ana.merge_entities("putin", "putin")
    with pytest.raises(EditRefused):
        ana.reject_entity(DOC, (3, 3))
    with pytest.raises(EditRefused):
        ana.add_entity(DOC, HAMAS, " ")
    assert stored(store) == before
    assert ana.undo() is not None and ana.undo() is not None  # only the four edits are steps
    assert ana.undo() is not None and ana.undo() is not None
    assert ana.undo() is None


def test_your_new_correction_of_a_span_replaces_your_old_one_and_undo_brings_it_back(
    store: AnnotationStore,
) -> None:
    ana = EditSession(store, "ana")
    ana.retype_entity(DOC, KUZIO, "PERSON")
    [person] = reopened(store).entity_corrections()
    step = ana.reject_entity(DOC, KUZIO)
    assert len(step.changes) == 2
    assert stored(store) == [("reject", "Kuzio", "")]
    assert step.where == reopened(store).entity_corrections()[0]  # the new one, not the old
    ana.undo()
    assert reopened(store).entity_corrections() == [person]
    ana.split_entities("putin", "vladimir putin")
    ana.merge_entities("putin", "vladimir putin")  # a merge after your split replaces it
    assert [c.kind for c in reopened(store).entity_corrections()] == ["retype", "merge"]


def test_anothers_correction_stays_and_yours_wins_by_being_later(store: AnnotationStore) -> None:
    bob = EditSession(store, "bob")
    ana = EditSession(store, "ana")
    bob.retype_entity(DOC, KUZIO, "PERSON")
    with pytest.raises(EditRefused, match=r"already a PERSON \(by bob\)"):
        ana.retype_entity(DOC, KUZIO, "PERSON")
    ana.reject_entity(DOC, KUZIO)
    corrections = reopened(store).entity_corrections()
    assert [(c.annotator, c.kind) for c in corrections] == [("bob", "retype"), ("ana", "reject")]
    assert apply_corrections(DOC.id, DOC.sha256, TEXT, MODEL, corrections) == model_without(KUZIO)


def test_a_correction_wins_over_one_whose_clock_ran_ahead(store: AnnotationStore) -> None:
    # Bob's machine is an hour fast: ana's correction, made after his, must still decide.
    ahead = datetime.now(UTC) + timedelta(hours=1)
    bobs = on_span("reject", KUZIO, annotator="bob")._replace(created=timestamp(ahead))
    with store.transaction() as transaction:
        transaction.add(ENTITY_CORRECTIONS, bobs)
    EditSession(store, "ana").add_entity(DOC, KUZIO, "PERSON")
    corrections = reopened(store).entity_corrections()
    assert [c.annotator for c in corrections] == ["bob", "ana"]
    assert corrected(*corrections)[0] == (*KUZIO, "PERSON")


# -- the store --------------------------------------------------------------------------------


def test_the_store_answers_by_article_by_text_and_in_all(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    copy = Doc(id="copy")  # the same text under another id
    other_text = "Mr Kuzio disagreed."
    other = Doc(id="other", text=other_text, sha256=text_sha256(other_text))
    ana.reject_entity(DOC, KUZIO)
    ana.add_entity(copy, HAMAS, "ORG")
    ana.add_entity(other, span_of("Kuzio", other_text), "PERSON")
    ana.merge_entities("putin", "vladimir putin")
    again = reopened(store)
    assert [c.kind for c in again.entity_corrections()] == ["reject", "add", "add", "merge"]
    assert [c.quote for c in again.entity_corrections("doc")] == ["Kuzio"]
    assert [c.quote for c in again.entity_corrections("doc", DOC.sha256)] == ["Kuzio", "Hamas"]
    assert [c.article for c in again.entity_corrections(sha256=other.sha256)] == ["other"]
    assert again.entity_corrections("nowhere") == []
    assert len(again) == 0  # corrections are not annotations


def test_corrections_and_annotations_survive_compaction_side_by_side(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with AnnotationStore(path) as store:
        ana = EditSession(store, "ana")
        ana.toggle(DOC, (0, 56), "claim")
        ana.retype_entity(DOC, KUZIO, "PERSON")
        ana.merge_entities("putin", "vladimir putin")
        corrections = store.entity_corrections()
        annotations = store.all()
        store.compact()
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    assert len(snapshot["entity_corrections"]) == 2 and len(snapshot["annotations"]) == 1
    with AnnotationStore(path) as again:
        assert again.entity_corrections() == corrections
        assert again.all() == annotations
        assert again.notices == []


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from annotations.editing import EditSession
    from annotations.model import text_sha256
    from annotations.store import AnnotationStore

    class Doc:
        def __init__(self, name, text):
            self.id, self.text, self.sha256 = name, text, text_sha256(text)
            self.source, self.title = "", ""

    db, name, count, barrier = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
    text = name + ": " + " ".join(f"Name{n}" for n in range(count))  # a text of its own
    doc = Doc(f"doc-{name}", text)
    with AnnotationStore(db) as store:
        session = EditSession(store, name)
        while not Path(barrier).exists():
            time.sleep(0.001)
        for n in range(count):
            start = text.index(f"Name{n}")
            if n % 2:
                session.add_entity(doc, (start, start + len(f"Name{n}")), "PERSON")
            else:
                session.merge_entities(f"{name}-{n}", f"{name}-{n}-b")
            if n % 10 == 9:
                store.compact()  # both tables rewritten while the other process saves
    print("done", flush=True)
    """
)


def test_two_processes_adding_corrections_at_once_keep_every_one(tmp_path: Path) -> None:
    db, barrier, count = tmp_path / "db.json", tmp_path / "go", 40
    checkout = str(Path(__file__).resolve().parents[2])
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), name, str(count), str(barrier)],
            cwd=checkout,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("ana", "bob")
    ]
    barrier.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    corrections = AnnotationStore(db).entity_corrections()
    assert len(corrections) == 2 * count
    for name in ("ana", "bob"):
        mine = [c for c in corrections if c.annotator == name]
        assert sum(c.kind == "add" for c in mine) == count // 2
        assert sum(c.kind == "merge" for c in mine) == count - count // 2


# -- export -----------------------------------------------------------------------------------


def corrections_and_annotations(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    ana.toggle(DOC, (0, 56), "claim")
    ana.reject_entity(DOC, KUZIO)
    ana.add_entity(DOC, HAMAS, "ORG")
    ana.split_entities("lavrov", "lvov")


def test_jsonl_export_has_a_line_per_correction_beside_unchanged_annotation_lines(
    store: AnnotationStore, tmp_path: Path
) -> None:
    corrections_and_annotations(store)
    path = tmp_path / "out.jsonl"
    count = export_to_path(store.all(), "jsonl", path, corrections=store.entity_corrections())
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert count == len(lines) == 4
    annotations = [line for line in lines if "type" not in line]
    assert [Annotation.from_record(a) for a in annotations] == store.all()
    typed = [line for line in lines if "type" in line]
    assert all(next(iter(line)) == "type" and line["type"] == "EntityCorrection" for line in typed)
    back = [
        EntityCorrection.from_record({k: v for k, v in t.items() if k != "type"}) for t in typed
    ]
    assert back == store.entity_corrections()
    assert [c.kind for c in back] == ["reject", "add", "split"]


def test_csv_export_with_corrections_adds_their_columns_and_rows(store: AnnotationStore) -> None:
    corrections_and_annotations(store)
    out = io.StringIO(newline="")
    assert write_export(store.all(), "csv", out, corrections=store.entity_corrections()) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert (
        tuple(rows[0])
        == CSV_FIELDS_WITH_CORRECTIONS
        == (
            *ANNOTATION_FIELDS,
            "type",
            "kind",
            "variant_a",
            "variant_b",
        )
    )
    assert [row["type"] for row in rows] == ["Annotation", *["EntityCorrection"] * 3]
    reject, add, split = rows[1:]
    assert (reject["kind"], reject["quote"], reject["start"], reject["label"]) == (
        "reject",
        "Kuzio",
        str(KUZIO[0]),
        "",
    )
    assert (add["kind"], add["quote"], add["label"], add["annotator"]) == (
        "add",
        "Hamas",
        "ORG",
        "ana",
    )
    assert (split["kind"], split["variant_a"], split["variant_b"], split["article"]) == (
        "split",
        "lavrov",
        "lvov",
        "",
    )
    # Without corrections the CSV is the annotations' alone, as before.
    plain = io.StringIO(newline="")
    write_export(store.all(), "csv", plain)
    assert plain.getvalue().startswith(",".join(ANNOTATION_FIELDS) + "\r\n")


def test_verify_quotes_checks_correction_quotes_and_skips_merges(
    store: AnnotationStore,
) -> None:
    corrections_and_annotations(store)
    records: list[Annotation | EntityCorrection] = [*store.all(), *store.entity_corrections()]
    assert verify_quotes(records, {DOC.sha256: TEXT}) == []
    wrong = on_span("add", HAMAS, "ORG")._replace(quote="Hamaz", id="wrong")
    problems = verify_quotes([*records, wrong], {DOC.sha256: TEXT})
    assert len(problems) == 1 and problems[0].startswith("wrong:") and "Hamaz" in problems[0]
