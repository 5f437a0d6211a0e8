"""Tag toggling and undo as plain Python, so the UI only maps keys to these calls."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from annotations.model import Annotation
from annotations.store import AnnotationStore


@dataclass(frozen=True)
class Change:
    """One applied (or to-be-applied) edit; its inverse undoes it exactly."""

    kind: Literal["add", "remove"]
    annotation: Annotation

    def inverse(self) -> Change:
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


def apply(store: AnnotationStore, change: Change) -> None:
    """Persist a change; KeyError if it removes an annotation that is not stored."""
    if change.kind == "add":
        store.add(change.annotation)
    elif store.remove(change.annotation.id) is None:
        raise KeyError(change.annotation.id)


class UndoHistory:
    """The most recent changes, newest last; the oldest fall off past ``limit``."""

    def __init__(self, limit: int = 500) -> None:
        if limit < 1:
            raise ValueError("undo history limit must be at least 1")
        self._changes: deque[Change] = deque(maxlen=limit)

    def record(self, change: Change) -> None:
        self._changes.append(change)

    def pop(self) -> Change | None:
        """The most recent change (to be undone by applying its inverse), or None."""
        return self._changes.pop() if self._changes else None

    def clear(self) -> None:
        self._changes.clear()

    def __len__(self) -> int:
        return len(self._changes)


def undo(store: AnnotationStore, history: UndoHistory) -> Change | None:
    """Undo the most recent change; returns the change applied to do so, or None if none."""
    change = history.pop()
    if change is None:
        return None
    inverse = change.inverse()
    apply(store, inverse)
    return inverse
