from pathlib import Path

import pytest

from annotations.model import Annotation
from annotations.store import AnnotationStore
from annotations.tagging import Change, UndoHistory, apply, note_changes, toggle_change, undo

TEXT = "Officials insist the plan works. Critics say it is “a disaster”."
SPAN = (0, 32)


def toggle(store: AnnotationStore, label: str, span: tuple[int, int] = SPAN) -> Change:
    change = toggle_change(
        store, article="plan", text=TEXT, start=span[0], end=span[1], label=label, annotator="ana"
    )
    apply(store, change)
    return change


def test_toggle_adds_then_removes(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    added = toggle(store, "claim")
    assert added.kind == "add"
    assert added.annotation.quote == TEXT[0:32]
    assert store.for_article("plan") == [added.annotation]

    removed = toggle(store, "claim")
    assert removed == Change("remove", added.annotation)
    assert store.for_article("plan") == []
    assert len(AnnotationStore(store.path)) == 0


def test_several_labels_on_one_span_are_independent(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    claim = toggle(store, "claim").annotation
    opinion = toggle(store, "opinion").annotation
    assert [a.label for a in store.for_article("plan")] == ["claim", "opinion"]

    toggle(store, "claim")
    assert store.for_article("plan") == [opinion]
    assert store.get(claim.id) is None


def test_toggle_on_a_different_span_adds(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    toggle(store, "claim")
    other = toggle(store, "claim", (33, 64))
    assert other.kind == "add"
    assert len(store) == 2


def test_toggle_with_a_bad_span_changes_nothing(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    with pytest.raises(ValueError):
        toggle(store, "claim", (10, 10))
    with pytest.raises(ValueError):
        toggle(store, "fact")
    assert len(store) == 0


def test_undo_add_removes_it(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    history = UndoHistory()
    history.record(toggle(store, "claim"))
    applied = undo(store, history)
    assert applied is not None and [c.kind for c in applied] == ["remove"]
    assert len(store) == 0
    assert len(AnnotationStore(store.path)) == 0
    assert undo(store, history) is None


def test_undo_remove_restores_the_exact_record(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    history = UndoHistory()
    original = toggle(store, "unverified").annotation
    store.update(original.with_note("ask the council"))
    original = store.get(original.id)  # type: ignore[assignment]
    history.record(toggle(store, "unverified"))
    assert store.get(original.id) is None

    applied = undo(store, history)
    assert applied == (Change("add", original),)
    restored = AnnotationStore(store.path).get(original.id)
    assert restored is not None
    assert restored.to_record() == original.to_record()  # same id, note and timestamps


def test_change_inverse() -> None:
    annotation = Annotation.create(
        article="plan", text=TEXT, start=0, end=9, label="claim", annotator="ana"
    )
    assert Change("add", annotation).inverse() == Change("remove", annotation)
    assert Change("remove", annotation).inverse() == Change("add", annotation)
    assert Change("add", annotation).inverse().inverse() == Change("add", annotation)


def test_applying_a_stale_removal_raises(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    annotation = Annotation.create(
        article="plan", text=TEXT, start=0, end=9, label="claim", annotator="ana"
    )
    with pytest.raises(KeyError):
        apply(store, Change("remove", annotation))


def test_history_is_bounded_and_pops_newest_first() -> None:
    annotations = [
        Annotation.create(
            article="plan", text=TEXT, start=i, end=i + 1, label="claim", annotator="a"
        )
        for i in range(5)
    ]
    history = UndoHistory(limit=3)
    for annotation in annotations:
        history.record(Change("add", annotation))
    assert len(history) == 3
    popped = [history.pop(), history.pop(), history.pop(), history.pop()]
    assert popped == [(Change("add", a),) for a in reversed(annotations[2:])] + [None]
    history.record(Change("add", annotations[0]))
    history.clear()
    assert len(history) == 0
    assert history.pop() is None


def test_default_history_limit_is_500() -> None:
    annotation = Annotation.create(
        article="plan", text=TEXT, start=0, end=1, label="claim", annotator="a"
    )
    history = UndoHistory()
    for _ in range(501):
        history.record(Change("add", annotation))
    assert len(history) == 500
    with pytest.raises(ValueError):
        UndoHistory(limit=0)


def test_a_note_updates_every_label_of_the_span_and_undoes_as_one_step(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    claim = toggle(store, "claim").annotation
    opinion = toggle(store, "opinion").annotation
    other = toggle(store, "claim", (10, 14)).annotation
    history = UndoHistory()

    changes = note_changes(store, article="plan", start=0, end=32, note="check the minutes")
    assert {c.annotation.id for c in changes} == {claim.id, opinion.id}
    for change in changes:
        apply(store, change)
    history.record(*changes)
    reopened = AnnotationStore(store.path)
    assert reopened.get(claim.id).note == "check the minutes"  # type: ignore[union-attr]
    assert reopened.get(opinion.id).note == "check the minutes"  # type: ignore[union-attr]
    assert reopened.get(other.id).note == ""  # type: ignore[union-attr]
    assert note_changes(store, article="plan", start=0, end=32, note="check the minutes") == ()

    undone = undo(store, history)
    assert undone is not None and len(undone) == 2
    assert AnnotationStore(store.path).get(claim.id) == claim
    assert AnnotationStore(store.path).get(opinion.id) == opinion
    assert len(history) == 0


def test_update_inverse_swaps_versions() -> None:
    before = Annotation.create(
        article="plan", text=TEXT, start=0, end=9, label="claim", annotator="ana"
    )
    after = before.with_note("n")
    assert Change("update", after, before).inverse() == Change("update", before, after)
