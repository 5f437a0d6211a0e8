"""EditSession: the rules of editing (toggle, notes, ownership, steps, undo and redo)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from annotations.editing import EditRefused, EditSession
from annotations.errors import ConflictError
from annotations.model import text_sha256
from annotations.store import ANNOTATIONS, AnnotationStore, Op

TEXT = "Moscow hosted Hamas. Officials met on Thursday. Critics called it an obscene step."
FIRST, SECOND, THIRD = (0, 20), (21, 47), (48, len(TEXT))


@dataclass(frozen=True)
class Doc:
    id: str = "doc"
    text: str = TEXT
    sha256: str = text_sha256(TEXT)
    source: str = "/articles/doc.txt"
    title: str = "Moscow hosts Hamas"


DOC = Doc()


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    return AnnotationStore(tmp_path / "db.json")


def reopened(store: AnnotationStore) -> AnnotationStore:
    return AnnotationStore(store.path)


def test_toggle_adds_then_removes_your_label_and_saves_each_time(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    step = ana.toggle(DOC, FIRST, "claim")
    assert step.description == "claim added"
    [claim] = reopened(store).all()
    assert (claim.quote, claim.label, claim.annotator) == ("Moscow hosted Hamas.", "claim", "ana")
    assert (claim.source, claim.title, claim.article_sha256) == (
        DOC.source,
        DOC.title,
        DOC.sha256,
    )
    assert ana.toggle(DOC, FIRST, "claim").description == "claim removed"
    assert len(reopened(store)) == 0


def test_your_keys_never_touch_another_annotators_labels(store: AnnotationStore) -> None:
    bob = EditSession(store, "bob")
    ana = EditSession(store, "ana")
    bob.toggle(DOC, FIRST, "claim")
    ana.toggle(DOC, FIRST, "claim")  # adds ana's own, leaves bob's
    labels = sorted((a.annotator, a.label) for a in reopened(store).all())
    assert labels == [("ana", "claim"), ("bob", "claim")]
    ana.toggle(DOC, FIRST, "claim")  # removes ana's only
    assert [(a.annotator, a.label) for a in reopened(store).all()] == [("bob", "claim")]
    [bobs] = store.all()
    with pytest.raises(EditRefused, match="bob's"):
        ana.delete(bobs.id)
    with pytest.raises(EditRefused, match="bob's"):
        ana.reattach(bobs.id, DOC, SECOND)
    assert store.all() == [bobs]


def test_removing_every_label_keeps_the_note(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    ana.toggle(DOC, SECOND, "claim")
    ana.toggle(DOC, SECOND, "opinion")
    ana.set_note(DOC, SECOND, "which officials?")
    ana.toggle(DOC, SECOND, "claim")
    ana.toggle(DOC, SECOND, "opinion")
    [note] = reopened(store).all()
    assert (note.motivation, note.note, note.label) == ("commenting", "which officials?", "")


def test_a_note_needs_no_label_and_an_empty_note_deletes_it_undoably(
    store: AnnotationStore,
) -> None:
    ana = EditSession(store, "ana")
    assert ana.set_note(DOC, THIRD, "   ") is None  # nothing to save
    assert ana.set_note(DOC, THIRD, "quote from whom?") is not None
    assert ana.set_note(DOC, THIRD, "quote from whom?") is None  # unchanged
    changed = ana.set_note(DOC, THIRD, "Kremlin spokesman")
    assert changed is not None and changed.description == "note changed"
    deleted = ana.set_note(DOC, THIRD, "")
    assert deleted is not None and deleted.description == "note deleted"
    assert len(reopened(store)) == 0
    ana.undo()
    assert [a.note for a in reopened(store).all()] == ["Kremlin spokesman"]
    ana.undo()
    assert [a.note for a in reopened(store).all()] == ["quote from whom?"]


def test_undo_and_redo_walk_the_history_and_a_new_edit_clears_redo(
    store: AnnotationStore,
) -> None:
    ana = EditSession(store, "ana")
    ana.toggle(DOC, FIRST, "claim")
    ana.toggle(DOC, SECOND, "opinion")
    undone = ana.undo()
    assert undone is not None and undone.description == "undone: opinion added"
    assert undone.where.span == SECOND  # where the app takes the cursor
    assert [a.label for a in reopened(store).all()] == ["claim"]
    redone = ana.redo()
    assert redone is not None and redone.where.span == SECOND
    assert sorted(a.label for a in reopened(store).all()) == ["claim", "opinion"]
    ana.undo()
    ana.toggle(DOC, THIRD, "unverified")
    assert not ana.can_redo
    assert ana.redo() is None
    assert ana.undo() is not None and ana.undo() is not None
    assert ana.undo() is None
    assert len(reopened(store)) == 0


def test_a_step_of_several_records_is_saved_as_one_journal_line(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    ana.toggle(DOC, FIRST, "claim")
    ana.toggle(DOC, (0, 47), "claim")  # overlaps FIRST: removes it (one record)
    ana.toggle(DOC, FIRST, "claim")
    ana.toggle(DOC, SECOND, "claim")
    lines_before = store.journal_path.read_bytes().count(b"\n")
    # A claim over both sentences overlaps both of yours: one key removes both, in one step.
    step = ana.toggle(DOC, (0, 47), "claim")
    assert len(step.changes) == 2
    assert store.journal_path.read_bytes().count(b"\n") == lines_before + 1
    ana.undo()
    assert store.journal_path.read_bytes().count(b"\n") == lines_before + 2
    assert len(reopened(store)) == 2


def test_a_step_that_conflicts_with_another_process_writes_nothing(
    store: AnnotationStore,
) -> None:
    ana = EditSession(store, "ana")
    ana.toggle(DOC, FIRST, "claim")
    ana.toggle(DOC, SECOND, "claim")
    # Another process (here a second store on the file) removes one of the two records.
    other = reopened(store)
    first = next(a for a in other.all() if a.span == FIRST)
    other.remove(first.id)
    lines_before = store.journal_path.read_bytes().count(b"\n")
    # Both records in one step, one of them already gone: all or nothing.
    with pytest.raises(ConflictError):
        ana.toggle(DOC, (0, 47), "claim")
    assert store.journal_path.read_bytes().count(b"\n") == lines_before
    assert [a.span for a in reopened(store).all()] == [SECOND]


def test_undo_of_a_record_changed_elsewhere_is_refused_and_dropped(
    store: AnnotationStore,
) -> None:
    ana = EditSession(store, "ana")
    ana.set_note(DOC, FIRST, "first thought")
    ana.set_note(DOC, FIRST, "second thought")
    other = reopened(store)
    [note] = other.all()
    other.update(note.with_note("third thought, from another terminal"))
    with pytest.raises(ConflictError):
        ana.undo()
    assert [a.note for a in reopened(store).all()] == ["third thought, from another terminal"]
    # The conflicting step is gone; the one before it still undoes (it too now conflicts,
    # since the note it would restore was changed: nothing is overwritten blindly).
    with pytest.raises(ConflictError):
        ana.undo()
    assert not ana.can_undo


def test_reattach_moves_your_orphan_and_keeps_where_it_was(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    ana.toggle(DOC, FIRST, "claim")
    [claim] = store.all()
    orphan = claim.evolve(anchor="orphan", anchor_score=0.0)
    store.commit([Op(ANNOTATIONS, claim.id, orphan, claim)])
    step = ana.reattach(claim.id, DOC, THIRD)
    [moved] = reopened(store).all()
    assert moved.quote == TEXT[THIRD[0] : THIRD[1]]
    assert (moved.anchor, moved.previous_start, moved.previous_quote) == (
        "exact",
        0,
        "Moscow hosted Hamas.",
    )
    assert step.description == "re-attached"
    ana.undo()
    assert reopened(store).annotation(claim.id) == orphan


# -- free passages: exact toggles, resizing, relabelling, many at once ---------------------------

PHRASE = (TEXT.index("an obscene step"), TEXT.index("an obscene step") + len("an obscene step"))


def test_a_selected_phrase_inside_a_tagged_sentence_is_added_not_a_removal(
    store: AnnotationStore,
) -> None:
    ana = EditSession(store, "ana")
    ana.toggle(DOC, THIRD, "claim")
    step = ana.toggle(DOC, PHRASE, "claim", exact=True)
    assert step.description == "claim added"
    assert sorted(a.quote for a in reopened(store).all()) == [
        "Critics called it an obscene step.",
        "an obscene step",
    ]
    # The same selection again takes away only the phrase's label.
    assert ana.toggle(DOC, PHRASE, "claim", exact=True).description == "claim removed"
    assert [a.quote for a in reopened(store).all()] == ["Critics called it an obscene step."]


def test_resize_keeps_id_label_note_and_creation_and_is_undoable(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    [added] = [c.new for c in ana.toggle(DOC, PHRASE, "opinion").changes]
    assert added is not None
    grown = (PHRASE[0], PHRASE[1] + 1)  # takes in the full stop
    step = ana.resize(added.id, DOC, grown)
    assert step is not None and step.description == "opinion grown"
    [stored] = reopened(store).all()
    assert (stored.id, stored.label, stored.created) == (added.id, "opinion", added.created)
    assert (stored.start, stored.end, stored.quote) == (*grown, "an obscene step.")
    assert stored.prefix.endswith("called it ") and stored.suffix == ""
    assert ana.resize(added.id, DOC, grown) is None  # nothing to do
    ana.undo()
    [back] = reopened(store).all()
    assert (back.id, back.quote) == (added.id, "an obscene step")


def test_resize_refuses_an_empty_passage_and_others_annotations(store: AnnotationStore) -> None:
    bob = EditSession(store, "bob")
    [theirs] = [c.new for c in bob.toggle(DOC, FIRST, "claim").changes]
    assert theirs is not None
    ana = EditSession(store, "ana")
    with pytest.raises(EditRefused):
        ana.resize(theirs.id, DOC, (0, 6))
    with pytest.raises(EditRefused):
        bob.resize(theirs.id, DOC, (5, 5))
    assert reopened(store).all()[0].span == FIRST


def test_relabel_keeps_the_record_and_undo_restores_the_label(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    [added] = [c.new for c in ana.toggle(DOC, SECOND, "claim").changes]
    assert added is not None
    step = ana.relabel(added.id, "unverified")
    assert step is not None and step.description == "claim → unverified"
    [stored] = reopened(store).all()
    assert (stored.id, stored.label, stored.span) == (added.id, "unverified", SECOND)
    assert ana.relabel(added.id, "unverified") is None
    ana.undo()
    assert reopened(store).all()[0].label == "claim"


def test_tag_many_is_one_step_across_articles_and_skips_what_is_tagged(
    store: AnnotationStore,
) -> None:
    other_text = "Hamas leaders flew to Moscow. Moscow said little."
    other = Doc(id="other", text=other_text, sha256=text_sha256(other_text))
    ana = EditSession(store, "ana")
    ana.toggle(DOC, (0, 6), "claim")  # "Moscow" in DOC already tagged
    hits = [(DOC, (0, 6)), (other, (22, 28)), (other, (30, 36))]
    step = ana.tag_many(hits, "claim")
    assert step is not None and step.description == "claim added on 2 passages"
    assert len(reopened(store)) == 3
    assert ana.tag_many(hits, "claim") is None
    ana.undo()  # the two added together go together
    assert [a.article for a in reopened(store).all()] == ["doc"]


def test_edit_note_by_id_changes_and_deletes_only_notes(store: AnnotationStore) -> None:
    ana = EditSession(store, "ana")
    ana.set_note(DOC, FIRST, "first")
    [note] = reopened(store).all()
    assert ana.edit_note(note.id, "line one\nline two") is not None
    assert reopened(store).all()[0].note == "line one\nline two"
    [label] = [c.new for c in ana.toggle(DOC, SECOND, "claim").changes]
    assert label is not None
    with pytest.raises(EditRefused):
        ana.edit_note(label.id, "x")
    assert ana.edit_note(note.id, "  ") is not None  # empty deletes
    assert [a.label for a in reopened(store).all()] == ["claim"]
