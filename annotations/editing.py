"""The rules of editing annotations, in one object the app calls: `EditSession`.

Toggle a label, write or delete a note, delete an annotation, re-attach an orphan; undo and redo
any of them. Each edit is one `Step` of changes saved as one transaction (on disk whole or not
at all), and undone as one. An annotator's keys change only their own annotations: the session
refuses to remove or change anyone else's.

A label and a note are separate records on the same passage (annotations.model), so removing
labels never deletes a note; deleting a note is an edit of its own, undoable like any other.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from annotations.errors import ConflictError
from annotations.model import COMMENTING, CONTEXT_CHARS, TAGGING, Annotation, timestamp
from annotations.store import ANNOTATIONS, AnnotationStore, Op

Span = tuple[int, int]


class ArticleText(Protocol):
    """What an edit needs of the article (corpus.model.Article has it)."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def title(self) -> str: ...


class EditRefused(Exception):
    """An edit that is not allowed (another annotator's record, nothing to do); one line."""


@dataclass(frozen=True)
class Change:
    """One record before and after (None: absent); its inverse undoes it exactly."""

    old: Annotation | None
    new: Annotation | None

    @property
    def annotation(self) -> Annotation:
        found = self.new if self.new is not None else self.old
        assert found is not None
        return found

    def inverse(self) -> Change:
        return Change(self.new, self.old)


@dataclass(frozen=True)
class Step:
    """Changes saved together, with what to tell the user about them."""

    description: str  # "claim added", "note deleted", ...
    changes: tuple[Change, ...]

    @property
    def where(self) -> Annotation:
        """The record to take the cursor to."""
        return self.changes[0].annotation

    def inverse(self, description: str) -> Step:
        return Step(description, tuple(change.inverse() for change in reversed(self.changes)))


class EditSession:
    """One annotator's edits to one store, with an undo and a redo history."""

    def __init__(self, store: AnnotationStore, annotator: str, *, limit: int = 500) -> None:
        if limit < 1:
            raise ValueError("undo history limit must be at least 1")
        self.store = store
        self.annotator = annotator
        self._undo: deque[Step] = deque(maxlen=limit)
        self._redo: list[Step] = []

    # -- edits -----------------------------------------------------------------------------

    def toggle(self, article: ArticleText, span: Span, label: str, *, exact: bool = False) -> Step:
        """Remove your ``label`` from the passage if you gave it one, else add it.

        For a sentence (``exact`` False) a label of yours that overlaps the passage counts as
        on it (it is shown there), so the key that shows it also takes it away. For a selected
        passage (``exact``) only a label on exactly that passage is taken away: annotations may
        overlap and nest, so selecting a phrase inside a tagged sentence and tagging it adds.
        Others' labels are never touched.
        """
        mine = [
            a
            for a in self._shown_on(article, span)
            if a.motivation == TAGGING and a.label == label and (not exact or a.span == span)
        ]
        if mine:
            changes = tuple(Change(a, None) for a in mine)
            return self._commit(Step(f"{label} removed", changes))
        new = self._create(article, span, label=label)
        return self._commit(Step(f"{label} added", (Change(None, new),)))

    def note_on(self, article: ArticleText, span: Span) -> Annotation | None:
        """Your note on exactly this passage, if any."""
        return next(
            (
                a
                for a in self._shown_on(article, span)
                if a.motivation == COMMENTING and (a.start, a.end) == span
            ),
            None,
        )

    def set_note(self, article: ArticleText, span: Span, note: str) -> Step | None:
        """Write, change or (with an empty ``note``) delete your note on the passage.

        None if that changes nothing.
        """
        existing = self.note_on(article, span)
        if existing is None:
            if not note.strip():
                return None
            new = self._create(article, span, note=note)
            return self._commit(Step("note added", (Change(None, new),)))
        if note == existing.note:
            return None
        if not note.strip():
            return self._commit(Step("note deleted", (Change(existing, None),)))
        return self._commit(Step("note changed", (Change(existing, existing.with_note(note)),)))

    def tag_many(self, passages: Sequence[tuple[ArticleText, Span]], label: str) -> Step | None:
        """Add your ``label`` on every passage that lacks it, in any articles, as one step
        (saved in one transaction, undone as one). None if every passage already has it."""
        added: list[Change] = []
        have: dict[str, set[Span]] = {}
        for article, span in passages:
            spans = have.get(article.sha256)
            if spans is None:
                spans = have[article.sha256] = {
                    a.span
                    for a in self.store.for_article(article.id, article.sha256)
                    if a.annotator == self.annotator
                    and a.motivation == TAGGING
                    and a.label == label
                }
            if span in spans:
                continue
            spans.add(span)
            added.append(Change(None, self._create(article, span, label=label)))
        if not added:
            return None
        plural = "" if len(added) == 1 else "s"
        return self._commit(Step(f"{label} added on {len(added)} passage{plural}", tuple(added)))

    def resize(self, annotation_id: str, article: ArticleText, span: Span) -> Step | None:
        """Move one of your annotation's ends: same id, label, note and creation time.

        None if the span is unchanged; refused if it would be empty.
        """
        annotation = self._own(annotation_id)
        start, end = span
        if not 0 <= start < end <= len(article.text):
            raise EditRefused("a passage needs at least one character")
        if annotation.span == span:
            return None
        text = article.text
        # Not moved_to: the passage was not lost and found again, so the previous_* fields
        # (where re-anchoring last found it) stay as they were.
        moved = annotation.evolve(
            article_sha256=article.sha256,
            start=start,
            end=end,
            quote=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            anchor="exact",
            anchor_score=1.0,
            modified=timestamp(),
        )
        what = annotation.label if annotation.motivation == TAGGING else "note"
        grown = "grown" if end - start > annotation.end - annotation.start else "shrunk"
        return self._commit(Step(f"{what} {grown}", (Change(annotation, moved),)))

    def relabel(self, annotation_id: str, label: str) -> Step | None:
        """Give one of your labels another name (claim -> opinion); None if it already has it."""
        annotation = self._own(annotation_id)
        if annotation.motivation != TAGGING:
            raise EditRefused("a note has no label to change")
        if annotation.label == label:
            return None
        changed = annotation.evolve(label=label, modified=timestamp())
        return self._commit(Step(f"{annotation.label} → {label}", (Change(annotation, changed),)))

    def edit_note(self, annotation_id: str, note: str) -> Step | None:
        """Change (or, with an empty ``note``, delete) one of your notes, found by id."""
        annotation = self._own(annotation_id)
        if annotation.motivation != COMMENTING:
            raise EditRefused("that annotation is a label, not a note")
        if note == annotation.note:
            return None
        if not note.strip():
            return self._commit(Step("note deleted", (Change(annotation, None),)))
        return self._commit(Step("note changed", (Change(annotation, annotation.with_note(note)),)))

    def delete(self, annotation_id: str) -> Step:
        """Delete one of your annotations (a label or a note)."""
        annotation = self._own(annotation_id)
        what = annotation.label if annotation.motivation == TAGGING else "note"
        return self._commit(Step(f"{what} deleted", (Change(annotation, None),)))

    def reattach(self, annotation_id: str, article: ArticleText, span: Span) -> Step:
        """Put one of your annotations (an orphan, typically) on a passage of the article."""
        annotation = self._own(annotation_id)
        moved = annotation.moved_to(
            article.text,
            *span,
            sha256=article.sha256,
            anchor="exact",
            score=1.0,
            source=article.source,
            title=article.title,
        )
        return self._commit(Step("re-attached", (Change(annotation, moved),)))

    # -- history ---------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> Step | None:
        """Take back the last step; returns what was applied to do so, None if nothing left.

        ConflictError (the step is then dropped) if another process changed its records since.
        """
        if not self._undo:
            return None
        step = self._undo[-1]
        inverse = step.inverse(f"undone: {step.description}")
        try:
            self._save(inverse)
        except ConflictError:
            self._undo.pop()
            raise
        self._undo.pop()
        self._redo.append(step)
        return inverse

    def redo(self) -> Step | None:
        """Do again the last undone step; None if nothing to redo."""
        if not self._redo:
            return None
        step = self._redo[-1]
        redone = Step(f"redone: {step.description}", step.changes)
        try:
            self._save(redone)
        except ConflictError:
            self._redo.pop()
            raise
        self._redo.pop()
        self._undo.append(step)
        return redone

    # -- internals -------------------------------------------------------------------------

    def _shown_on(self, article: ArticleText, span: Span) -> list[Annotation]:
        start, end = span
        return [
            a
            for a in self.store.for_article(article.id, article.sha256)
            if a.annotator == self.annotator and a.start < end and start < a.end
        ]

    def _own(self, annotation_id: str) -> Annotation:
        annotation = self.store.annotation(annotation_id)
        if annotation is None:
            raise EditRefused("that annotation is no longer stored")
        if annotation.annotator != self.annotator:
            raise EditRefused(
                f"that annotation is {annotation.annotator}'s; you can change only your own"
            )
        return annotation

    def _create(
        self, article: ArticleText, span: Span, *, label: str = "", note: str = ""
    ) -> Annotation:
        start, end = span
        return Annotation.create(
            article=article.id,
            text=article.text,
            start=start,
            end=end,
            label=label,
            note=note,
            annotator=self.annotator,
            article_sha256=article.sha256,  # never hashed again: the article knows its hash
            source=article.source,
            title=article.title,
        )

    def _commit(self, step: Step) -> Step:
        self._save(step)
        self._undo.append(step)
        self._redo.clear()
        return step

    def _save(self, step: Step) -> None:
        ops: Sequence[Op] = [
            Op(ANNOTATIONS, change.annotation.id, change.new, change.old) for change in step.changes
        ]
        self.store.commit(ops)
