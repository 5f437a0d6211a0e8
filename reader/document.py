"""The reading state of one article: sentences, which are reachable, the cursor, tags shown.

Plain Python (no textual): the article view draws this and forwards keys to it; tests drive it
directly. Tag *persistence* is not here: the app owns the store and hands the view tag sets.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotations.model import LABELS, Annotation
from corpus.model import Article

Span = tuple[int, int]


@dataclass(frozen=True)
class SpanMarks:
    """Per sentence span: your labels, other annotators' labels, and the notes on it.

    An annotation is shown on every sentence it overlaps (after re-anchoring, or once spans are
    free, it need not be one whole sentence).
    """

    tags: dict[Span, tuple[str, ...]] = field(default_factory=dict)  # yours
    others: dict[Span, tuple[str, ...]] = field(default_factory=dict)  # theirs, not yours
    notes: dict[Span, str] = field(default_factory=dict)  # yours first, theirs with their name

    @classmethod
    def of(
        cls, annotations: Iterable[Annotation], sentences: Sequence[Span], annotator: str
    ) -> SpanMarks:
        starts = [start for start, _ in sentences]
        mine: dict[Span, set[str]] = {}
        theirs: dict[Span, set[str]] = {}
        notes: dict[Span, list[tuple[bool, str]]] = {}
        for annotation in annotations:
            own = annotation.annotator == annotator
            first = max(bisect.bisect_right(starts, annotation.start) - 1, 0)
            last = bisect.bisect_left(starts, annotation.end)
            for index in range(first, last):
                span = sentences[index]
                if span[1] <= annotation.start:
                    continue
                if annotation.is_note:
                    text = annotation.note if own else f"{annotation.annotator}: {annotation.note}"
                    notes.setdefault(span, []).append((not own, text))
                else:
                    (mine if own else theirs).setdefault(span, set()).add(annotation.label)
        return cls(
            {span: _ordered(labels) for span, labels in mine.items()},
            {
                span: ordered
                for span, labels in theirs.items()
                if (ordered := _ordered(labels - mine.get(span, set())))
            },
            {span: " · ".join(text for _, text in sorted(texts)) for span, texts in notes.items()},
        )


def _ordered(labels: set[str]) -> tuple[str, ...]:
    """Known labels in LABELS order (claim, opinion, unverified), then any others by name."""
    return tuple(label for label in LABELS if label in labels) + tuple(sorted(labels - set(LABELS)))


class ReadingDocument:
    """Sentences of an article and a cursor over those not folded away as site chrome."""

    def __init__(self, article: Article, *, show_chrome: bool = False) -> None:
        self.article = article
        self.sentences: Sequence[Span] = article.sentences
        self._sentence_starts = [start for start, _ in self.sentences]
        self._in_chrome = [article.is_chrome(start, end) for start, end in self.sentences]
        self._show_chrome = show_chrome
        self._reachable: list[int] = []
        self._update_reachable()
        self.cursor: int | None = self._reachable[0] if self._reachable else None

    @property
    def show_chrome(self) -> bool:
        return self._show_chrome

    @show_chrome.setter
    def show_chrome(self, value: bool) -> None:
        self._show_chrome = value
        self._update_reachable()
        if self.cursor is None:
            self.cursor = self._reachable[0] if self._reachable else None
        elif self.cursor not in self._reachable_set:
            self.cursor = self._nearest_reachable(self.cursor)

    def _update_reachable(self) -> None:
        self._reachable = [
            index
            for index, in_chrome in enumerate(self._in_chrome)
            if self._show_chrome or not in_chrome
        ]
        self._reachable_set = set(self._reachable)

    def _nearest_reachable(self, index: int) -> int | None:
        if not self._reachable:
            return None
        position = bisect.bisect_left(self._reachable, index)
        return self._reachable[min(position, len(self._reachable) - 1)]

    @property
    def current(self) -> Span | None:
        return None if self.cursor is None else self.sentences[self.cursor]

    def move(self, delta: int) -> bool:
        """Move by `delta` reachable sentences, stopping at the ends; True if it moved."""
        if self.cursor is None:
            return False
        position = bisect.bisect_left(self._reachable, self.cursor)
        target = max(0, min(len(self._reachable) - 1, position + delta))
        moved = self._reachable[target] != self.cursor
        self.cursor = self._reachable[target]
        return moved

    def move_to_end(self, last: bool) -> bool:
        if not self._reachable:
            return False
        target = self._reachable[-1 if last else 0]
        moved = target != self.cursor
        self.cursor = target
        return moved

    def sentence_at(self, offset: int) -> int | None:
        """The reachable sentence containing `offset`, else the nearest one after it."""
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index][1] and index in self._reachable_set:
            return index
        return self._nearest_reachable(max(index + 1, 0))

    def move_to_offset(self, offset: int) -> bool:
        target = self.sentence_at(offset)
        if target is None or target == self.cursor:
            return False
        self.cursor = target
        return True
