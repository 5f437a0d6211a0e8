"""Tag toggling, notes and undo as plain Python, so the UI only maps keys to these calls.

An undo step is a tuple of changes applied together (a note on a sentence with two labels
updates both annotations, and one ctrl+z takes both back).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from annotations.model import Annotation
from annotations.store import AnnotationStore


@dataclass(frozen=True)
class Change:
    """One applied (or to-be-applied) edit; its inverse undoes it exactly."""

    kind: Literal["add", "remove", "update"]
    annotation: Annotation
    previous: Annotation | None = None  # for "update": the stored version it replaces

    def inverse(self) -> Change:
        if self.kind == "update":
            assert self.previous is not None
            return Change("update", self.previous, self.annotation)
        return Change("remove" if self.kind == "add" else "add", self.annotation)


def toggle_change(
    store: AnnotationStore,
    *,
    article: str,
    text: str,
    start: int,
    end: int,
    label: str,
    annotator: str,
) -> Change:
    """Remove the span's annotation with this label if there is one, else add a new one."""
    existing = store.find(article, start, end, label)
    if existing is not None:
        return Change("remove", existing)
    annotation = Annotation.create(
        article=article, text=text, start=start, end=end, label=label, annotator=annotator
    )
    return Change("add", annotation)


def note_changes(
    store: AnnotationStore, *, article: str, start: int, end: int, note: str
) -> tuple[Change, ...]:
    """Set `note` on every annotation of the span (one per label); unchanged ones are skipped."""
    return tuple(
        Change("update", annotation.with_note(note), annotation)
        for annotation in store.for_article(article)
        if (annotation.start, annotation.end) == (start, end) and annotation.note != note
    )


def apply(store: AnnotationStore, change: Change) -> None:
    """Persist a change; KeyError if it removes or updates an annotation that is not stored."""
    if change.kind == "add":
        store.add(change.annotation)
    elif change.kind == "update":
        store.update(change.annotation)
    elif store.remove(change.annotation.id) is None:
        raise KeyError(change.annotation.id)


class UndoHistory:
    """The most recent undo steps, newest last; the oldest fall off past ``limit``."""

    def __init__(self, limit: int = 500) -> None:
        if limit < 1:
            raise ValueError("undo history limit must be at least 1")
        self._steps: deque[tuple[Change, ...]] = deque(maxlen=limit)

    def record(self, *changes: Change) -> None:
        """Record changes that were applied together as one step (nothing if none)."""
        if changes:
            self._steps.append(changes)

    def pop(self) -> tuple[Change, ...] | None:
        """The most recent step (undone by applying inverses in reverse order), or None."""
        return self._steps.pop() if self._steps else None

    def clear(self) -> None:
        self._steps.clear()

    def __len__(self) -> int:
        return len(self._steps)


def inverse_step(step: tuple[Change, ...]) -> tuple[Change, ...]:
    """The changes that undo `step`, in the order to apply them."""
    return tuple(change.inverse() for change in reversed(step))


def undo(store: AnnotationStore, history: UndoHistory) -> tuple[Change, ...] | None:
    """Undo the most recent step; returns the changes applied to do so, or None if none."""
    step = history.pop()
    if step is None:
        return None
    inverse = inverse_step(step)
    for change in inverse:
        apply(store, change)
    return inverse
