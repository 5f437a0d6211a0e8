"""The rules of editing annotations, in one object the app calls: `EditSession`.

Toggle a label, write or delete a note, delete an annotation, re-attach an orphan; undo and redo
any of them. Each edit is one `Step` of changes saved as one transaction (on disk whole or not
at all), and undone as one. An annotator's keys change only their own annotations: the session
refuses to remove or change anyone else's.

A label and a note are separate records on the same passage (annotations.model), so removing
labels never deletes a note; deleting a note is an edit of its own, undoable like any other.

Entity corrections (annotations.entity_corrections: reject, retype, add, merge, split) are edits
too: each is a step of its own, undone and redone like the others, and only your own earlier
correction of the same span or pair is replaced by a new one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple, Protocol, TypeAlias

from annotations.entity_corrections import (
    ADD,
    ENTITY_CORRECTIONS,
    MERGE,
    REJECT,
    RETYPE,
    SPAN_KINDS,
    SPLIT,
    EntityCorrection,
)
from annotations.errors import ConflictError
from annotations.model import (
    COMMENTING,
    CONTEXT_CHARS,
    TAGGING,
    Annotation,
    ArticleText,
    timestamp,
)
from annotations.store import ANNOTATIONS, AnnotationStore, Op

Span = tuple[int, int]
# What a step changes: annotations and entity corrections, each in its own table.
Record: TypeAlias = Annotation | EntityCorrection


class Passage(Protocol):
    """Where a step happened, for the cursor and the message (Annotation and EntityCorrection
    have it; a merge or split names no article, an empty quote and offset 0)."""

    @property
    def article(self) -> str: ...
    @property
    def article_sha256(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def quote(self) -> str: ...


class EditRefused(Exception):
    """An edit that is not allowed (another annotator's record, nothing to do); one line."""


class Change(NamedTuple):
    """One record before and after (None: absent); its inverse undoes it exactly.

    Both are the same record (same id) of one table: an annotation or an entity correction.
    """

    old: Record | None
    new: Record | None

    @property
    def record(self) -> Record:
        found = self.new if self.new is not None else self.old
        assert found is not None
        return found

    @property
    def annotation(self) -> Annotation:
        """The annotation changed; TypeError for a change of an entity correction."""
        found = self.record
        if not isinstance(found, Annotation):
            raise TypeError("this change is of an entity correction, not an annotation")
        return found

    def inverse(self) -> Change:
        return Change(self.new, self.old)


class Step(NamedTuple):
    """Changes saved together, with what to tell the user about them."""

    description: str  # "claim added", "note deleted", ...
    changes: tuple[Change, ...]

    @property
    def where(self) -> Passage:
        """The record to take the cursor to (for a merge or split: no article, no passage)."""
        return self.changes[0].record

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

    # -- entity corrections ----------------------------------------------------------------

    def reject_entity(self, article: ArticleText, span: Span) -> Step:
        """Say the span is not an entity (of any type); see annotations.entity_corrections.

        EditRefused if the correction that now decides the span already rejects it.
        """
        return self._correct_span(article, span, REJECT, "")

    def retype_entity(self, article: ArticleText, span: Span, label: str) -> Step:
        """Say the span is an entity of type ``label`` (added if the model missed it).

        EditRefused if the correction that now decides the span already gives it that type.
        """
        return self._correct_span(article, span, RETYPE, label)

    def add_entity(self, article: ArticleText, span: Span, label: str) -> Step:
        """Add an entity of type ``label`` the model missed (a selection, typically).

        EditRefused if the correction that now decides the span already gives it that type.
        """
        return self._correct_span(article, span, ADD, label)

    def merge_entities(self, variant_a: str, variant_b: str) -> Step:
        """Say two variant keys name one entity (corpus-wide); EditRefused if already so."""
        return self._correct_pair(MERGE, variant_a, variant_b)

    def split_entities(self, variant_a: str, variant_b: str) -> Step:
        """Say two variant keys name different entities; EditRefused if already so."""
        return self._correct_pair(SPLIT, variant_a, variant_b)

    def _correct_span(self, article: ArticleText, span: Span, kind: str, label: str) -> Step:
        start, end = span
        if not 0 <= start < end <= len(article.text):
            raise EditRefused("an entity needs at least one character")
        if kind != REJECT and not label.strip():
            raise EditRefused("an entity needs a type")
        quote = article.text[start:end]
        on_span = [
            c
            for c in self.store.entity_corrections(article.id, article.sha256)
            if c.article_sha256 == article.sha256 and c.span == span
        ]
        if on_span:
            deciding = on_span[-1]
            if (deciding.kind == REJECT) == (kind == REJECT) and deciding.label == label:
                # Re-applying what already holds would only pile up records.
                already = "rejected" if kind == REJECT else f"a {label}"
                raise EditRefused(f"“{_short(quote)}” is already {already}{_by(deciding, self)}")
        new = EntityCorrection.create(
            kind=kind,
            article=article.id,
            text=article.text,
            start=start,
            end=end,
            label=label,
            annotator=self.annotator,
            article_sha256=article.sha256,  # never hashed again: the article knows its hash
            now=_later_than(on_span),
        )
        described = {
            REJECT: "not an entity",
            RETYPE: f"entity type → {label}",
            ADD: f"{label} entity added",
        }[kind]
        replaced = [c for c in on_span if c.annotator == self.annotator]
        return self._commit(Step(described, _replacing(new, replaced)))

    def _correct_pair(self, kind: str, variant_a: str, variant_b: str) -> Step:
        if not variant_a or not variant_b:
            raise EditRefused("name two variants")
        if variant_a == variant_b:
            raise EditRefused("a variant is always grouped with itself")
        pair = (variant_a, variant_b) if variant_a <= variant_b else (variant_b, variant_a)
        on_pair = [
            c
            for c in self.store.entity_corrections()
            if c.kind not in SPAN_KINDS and c.pair == pair
        ]
        if on_pair and on_pair[-1].kind == kind:
            done = "merged" if kind == MERGE else "apart"
            raise EditRefused(
                f"“{_short(variant_a)}” and “{_short(variant_b)}” are already {done}"
                f"{_by(on_pair[-1], self)}"
            )
        new = EntityCorrection.create(
            kind=kind,
            variants=(variant_a, variant_b),
            annotator=self.annotator,
            now=_later_than(on_pair),
        )
        described = (
            f"merged “{_short(variant_a)}” and “{_short(variant_b)}”"
            if kind == MERGE
            else f"split “{_short(variant_a)}” from “{_short(variant_b)}”"
        )
        replaced = [c for c in on_pair if c.annotator == self.annotator]
        return self._commit(Step(described, _replacing(new, replaced)))

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
        return Annotation.on_article(
            article, span, annotator=self.annotator, label=label, note=note
        )

    def _commit(self, step: Step) -> Step:
        self._save(step)
        self._undo.append(step)
        self._redo.clear()
        return step

    def _save(self, step: Step) -> None:
        ops: Sequence[Op] = [
            Op(
                ANNOTATIONS if isinstance(change.record, Annotation) else ENTITY_CORRECTIONS,
                change.record.id,
                change.new,
                change.old,
            )
            for change in step.changes
        ]
        self.store.commit(ops)


def _replacing(new: EntityCorrection, replaced: Sequence[EntityCorrection]) -> tuple[Change, ...]:
    # Your own earlier corrections of the same span or pair go (undo brings them back): the
    # new one says all there is to say. Others' stay; the new one wins over them by time.
    return (Change(None, new), *(Change(old, None) for old in replaced))


def _later_than(corrections: Sequence[EntityCorrection]) -> datetime:
    """Now, or just after the latest of ``corrections`` if its clock ran ahead of ours.

    The later correction wins, by ``created``: one made now must win over every one the user
    sees, even made in the same microsecond or on a machine whose clock is ahead.
    """
    now = datetime.now(UTC)
    if corrections:
        latest = datetime.fromisoformat(corrections[-1].created) + timedelta(microseconds=1)
        if latest > now:
            return latest
    return now


def _by(correction: EntityCorrection, session: EditSession) -> str:
    return "" if correction.annotator == session.annotator else f" (by {correction.annotator})"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
