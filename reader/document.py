"""The reading state of one article: sentences, which are reachable, the cursor, tags shown.

Plain Python (no textual): the article view draws this and forwards keys to it; tests drive it
directly. Tag *persistence* is not here: the app owns the store and hands the view tag sets.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from annotations.model import LABELS, Annotation
from corpus.model import Article
from corpus.segment import sentences_in
from corpus.words import snap_to_words, word_spans

Span = tuple[int, int]


class Mark(NamedTuple):
    """One annotation as the view draws it: where, what, whose.

    A NamedTuple rather than a dataclass here and in the other small records on the start-up
    path: a frozen dataclass costs about 0.7 ms to define (its methods are generated with
    `exec`), a NamedTuple about 0.1 ms, and twenty of them were a tenth of the start-up gap to
    a bare Textual app (issue 14).
    """

    start: int
    end: int
    label: str  # "" for a note
    note: str  # the note's text ("" for a label)
    own: bool
    annotator: str
    id: str

    @property
    def span(self) -> Span:
        return (self.start, self.end)


class SpanMarks:
    """The annotations of one article, ordered by where they start, for drawing and stepping.

    Spans are free: annotations may be phrases, sentences or paragraphs, and may overlap and
    nest. `tags`, `others` and `notes` are the same marks keyed by span, for callers that ask
    "what is on this passage". Immutable by convention; equal when the marks are.
    """

    __slots__ = ("_longest", "_starts", "marks")

    def __init__(self, marks: tuple[Mark, ...] = ()) -> None:
        self.marks = marks
        self._starts = [mark.start for mark in marks]
        self._longest = max((mark.end - mark.start for mark in marks), default=0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpanMarks) and self.marks == other.marks

    def __hash__(self) -> int:
        return hash(self.marks)

    def __repr__(self) -> str:
        return f"SpanMarks({self.marks!r})"

    @classmethod
    def of(
        cls,
        annotations: Iterable[Annotation],
        sentences: Sequence[Span] = (),
        annotator: str = "",
    ) -> SpanMarks:
        """Marks of `annotations` as `annotator` sees them (`sentences` is no longer needed)."""
        del sentences
        marks = [
            Mark(
                a.start,
                a.end,
                "" if a.is_note else a.label,
                a.note,
                a.annotator == annotator,
                a.annotator,
                a.id,
            )
            for a in annotations
            if a.anchor != "orphan"
        ]
        marks.sort(key=lambda m: (m.start, -m.end, not m.own, m.label, m.id))
        return cls(tuple(marks))

    def overlapping(self, start: int, end: int) -> list[Mark]:
        """Marks that share at least one character with [start, end) (or contain an empty
        span's position), in order."""
        starts = self._starts
        first = bisect.bisect_left(starts, start - self._longest)
        last = bisect.bisect_left(starts, max(end, start + 1))
        return [m for m in self.marks[first:last] if m.end > start]

    def at(self, offset: int) -> list[Mark]:
        """Marks covering the character at `offset`, innermost (shortest) first."""
        found = [m for m in self.overlapping(offset, offset + 1) if m.start <= offset]
        return sorted(found, key=lambda m: (m.end - m.start, m.start))

    def by_id(self, mark_id: str) -> Mark | None:
        return next((m for m in self.marks if m.id == mark_id), None)

    def next_start(self, offset: int, forward: bool) -> Mark | None:
        """The first mark starting after `offset` (forward) or the last starting before it."""
        starts = self._starts
        if forward:
            index = bisect.bisect_right(starts, offset)
            return self.marks[index] if index < len(self.marks) else None
        index = bisect.bisect_left(starts, offset) - 1
        return self.marks[index] if index >= 0 else None

    @property
    def tags(self) -> dict[Span, tuple[str, ...]]:
        """Your labels per annotated span."""
        found: dict[Span, set[str]] = {}
        for m in self.marks:
            if m.own and m.label:
                found.setdefault(m.span, set()).add(m.label)
        return {span: _ordered(labels) for span, labels in found.items()}

    @property
    def others(self) -> dict[Span, tuple[str, ...]]:
        """Other annotators' labels per span, less those you gave the same span."""
        mine = self.tags
        found: dict[Span, set[str]] = {}
        for m in self.marks:
            if not m.own and m.label:
                found.setdefault(m.span, set()).add(m.label)
        return {
            span: ordered
            for span, labels in found.items()
            if (ordered := _ordered(labels - set(mine.get(span, ()))))
        }

    @property
    def notes(self) -> dict[Span, str]:
        """Notes per span: yours first, then others' with their name."""
        found: dict[Span, list[tuple[bool, str]]] = {}
        for m in self.marks:
            if m.note:
                text = m.note if m.own else f"{m.annotator}: {m.note}"
                found.setdefault(m.span, []).append((not m.own, text))
        return {
            span: " · ".join(text for _, text in sorted(texts)) for span, texts in found.items()
        }


def _ordered(labels: set[str]) -> tuple[str, ...]:
    """Known labels in LABELS order (claim, opinion, unverified), then any others by name."""
    return tuple(label for label in LABELS if label in labels) + tuple(sorted(labels - set(LABELS)))


# Sentences are found this many characters at a time: all at once for a news-sized article, the
# rest of a long one as it is reached (a 5 MB article takes 0.2 s to segment whole).
SEGMENT_CHARS = 200_000
# ... and this many at a time in the background, between deadline checks (about 0.7 ms).
SEGMENT_SLICE_CHARS = 20_000


class ReadingDocument:
    """Sentences of an article, a sentence cursor over those not folded away as site chrome,
    a word caret inside it, and a selection that snaps to whole words.

    The caret is a character offset inside the current sentence; the sentence cursor always
    holds the caret. A selection runs from an anchor to the caret (the head): word motions move
    the head by words, sentence motions by sentences. It never reaches into folded chrome.
    """

    def __init__(self, article: Article, *, show_chrome: bool = False) -> None:
        self.article = article
        self.text = article.text
        # Sentences are found as far as they are needed (a line at a time: none crosses a
        # line break), so the lists below grow at their ends and an index never changes.
        self.sentences: list[Span] = []
        self._sentence_starts: list[int] = []
        self._in_chrome: list[bool] = []
        self._segmented_to = 0  # text before this offset is segmented
        self._show_chrome = show_chrome
        self._reachable: list[int] = []
        self._reachable_set: set[int] = set()
        self._reachable_starts: list[int] = []
        # The lists above for the other setting of show_chrome, and how many sentences they
        # cover: `f` on a long article then costs only the sentences found since.
        self._other_reachable: tuple[list[int], set[int], list[int], int] | None = None
        self._segment_to(SEGMENT_CHARS)
        self.cursor: int | None = self._nearest_reachable(0)  # found as far as need be
        self.caret: int = 0
        self.anchor: int | None = None  # a selection runs from here to the caret
        self.selecting = False  # selection mode: motions extend the selection
        self._words: dict[int, list[Span]] = {}  # per sentence, as reached
        self._caret_to_sentence_start()

    # -- sentences, found as they are reached ----------------------------------------------

    @property
    def complete(self) -> bool:
        """Every sentence of the text is found."""
        return self._segmented_to >= len(self.text)

    @property
    def sentence_starts(self) -> list[int]:
        """Where the sentences found so far start (the list grows as more are found)."""
        return self._sentence_starts

    def segment_more(self, chars: int | None = None) -> bool:
        """Find the sentences of about `chars` (SEGMENT_CHARS) more characters; True once all
        are found."""
        self._segment_to(self._segmented_to + (chars or SEGMENT_CHARS))
        return self.complete

    def segment_some(self, budget_seconds: float) -> bool:
        """Find more sentences for about `budget_seconds` (a background slice); True once all
        are found. SEGMENT_SLICE_CHARS at a time: a whole SEGMENT_CHARS took 7-13 ms at once."""
        deadline = time.perf_counter() + budget_seconds
        while not self.complete:
            self.segment_more(SEGMENT_SLICE_CHARS)
            if time.perf_counter() > deadline:
                break
        return self.complete

    def segment_through(self, offset: int) -> None:
        """Find every sentence that starts at or before `offset`."""
        if offset >= self._segmented_to:
            self._segment_to(offset)

    def _segment_to(self, offset: int) -> None:
        """Find the sentences up to the end of the line holding `offset` (whole lines: exactly
        the sentences a whole-text segmentation finds there)."""
        text = self.text
        if self._segmented_to >= len(text):
            return
        cut = text.find("\n", min(max(offset, self._segmented_to), len(text)))
        cut = len(text) if cut < 0 else cut + 1
        found = sentences_in(text, (self._segmented_to, cut))
        self._segmented_to = cut
        first = len(self.sentences)
        self.sentences.extend(found)
        for index, (start, end) in enumerate(found, start=first):
            self._sentence_starts.append(start)
            in_chrome = self.article.is_chrome(start, end)
            self._in_chrome.append(in_chrome)
            if self._show_chrome or not in_chrome:
                self._reachable.append(index)
                self._reachable_set.add(index)
                self._reachable_starts.append(start)

    def _complete(self) -> None:
        self._segment_to(len(self.text))

    @property
    def show_chrome(self) -> bool:
        return self._show_chrome

    @show_chrome.setter
    def show_chrome(self, value: bool) -> None:
        if value == self._show_chrome:
            return  # (and _update_reachable swaps its lists for the other setting's)
        self._show_chrome = value
        self._update_reachable()
        if self.cursor is None:
            self.cursor = self._nearest_reachable(0)
            self._caret_to_sentence_start()
        elif self.cursor not in self._reachable_set:
            self.cursor = self._nearest_reachable(self.cursor)
            self.cancel_selection()
            self._caret_to_sentence_start()
        elif self.anchor is not None and self.crosses_fold(self.anchor, self.caret):
            self.cancel_selection()

    def _update_reachable(self) -> None:
        """The reachable sentences after show_chrome changed: the ones kept for this setting,
        brought up to date, and the ones until now kept for the other."""
        current = (self._reachable, self._reachable_set, self._reachable_starts)
        kept = self._caught_up(self._other_reachable, self._show_chrome)
        self._other_reachable = (*current, len(self.sentences))
        self._reachable, self._reachable_set, self._reachable_starts, _ = kept

    def prepare_other_chrome(self) -> None:
        """Find now the sentences reachable with show_chrome the other way (the view does this
        in the background), so that a first `f` on a long article costs no more than the next."""
        self._other_reachable = self._caught_up(self._other_reachable, not self._show_chrome)

    def _caught_up(
        self, kept: tuple[list[int], set[int], list[int], int] | None, show_chrome: bool
    ) -> tuple[list[int], set[int], list[int], int]:
        """Reachable sentences kept for `show_chrome` (None: none yet), brought up to date with
        the sentences found since."""
        reachable, in_set, starts, covered = kept if kept is not None else ([], set(), [], 0)
        found = len(self.sentences)
        if show_chrome:
            reachable.extend(range(covered, found))
            in_set.update(range(covered, found))
            starts.extend(self._sentence_starts[covered:found])
        else:  # (in bulk: at 5 MB, 40,000 sentences one by one took 3 ms)
            outside = list(map(operator.not_, self._in_chrome[covered:found]))
            reachable.extend(itertools.compress(range(covered, found), outside))
            in_set.update(itertools.compress(range(covered, found), outside))
            starts.extend(itertools.compress(self._sentence_starts[covered:found], outside))
        return reachable, in_set, starts, found

    def _nearest_reachable(self, index: int) -> int | None:
        while (not self._reachable or self._reachable[-1] < index) and not self.complete:
            self.segment_more()
        if not self._reachable:
            return None
        position = bisect.bisect_left(self._reachable, index)
        return self._reachable[min(position, len(self._reachable) - 1)]

    @property
    def current(self) -> Span | None:
        return None if self.cursor is None else self.sentences[self.cursor]

    # -- sentence motions ------------------------------------------------------------------

    def move(self, delta: int) -> bool:
        """Move by `delta` reachable sentences, stopping at the ends; True if it moved.

        While selecting, the selection's head goes to the far end of the sentence reached.
        """
        if self.cursor is None:
            return False
        position = bisect.bisect_left(self._reachable, self.cursor)
        while position + delta >= len(self._reachable) and not self.complete:
            self.segment_more()
        target = self._reachable[max(0, min(len(self._reachable) - 1, position + delta))]
        if self.selecting or self.anchor is not None:
            moved = False
            for _ in range(abs(delta)):
                moved = self._sentence_step(delta > 0) or moved
            return moved
        moved = target != self.cursor
        self.cursor = target
        self._caret_to_sentence_start()
        return moved

    def move_to_end(self, last: bool) -> bool:
        if last:
            self._complete()
        if not self._reachable:
            return False
        if self.selecting or self.anchor is not None:
            # To the end (or start) of the article, stopping short of folded chrome.
            goal = len(self.text) if last else 0
            return self._set_head(self._clamp_head(goal - 1 if last else goal))
        target = self._reachable[-1 if last else 0]
        moved = target != self.cursor
        self.cursor = target
        self._caret_to_sentence_start()
        return moved

    def sentence_at(self, offset: int) -> int | None:
        """The reachable sentence containing `offset`, else the nearest one after it."""
        self.segment_through(offset)
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index][1] and index in self._reachable_set:
            return index
        return self._nearest_reachable(max(index + 1, 0))

    def move_to_offset(self, offset: int) -> bool:
        """Put the caret at `offset` (the sentence cursor on its sentence); ends a selection."""
        target = self.sentence_at(offset)
        if target is None:
            return False
        had_selection = self.anchor is not None
        self.cancel_selection()
        before = (self.cursor, self.caret)
        self.cursor = target
        s_start, s_end = self.sentences[target]
        self.caret = min(max(offset, s_start), s_end - 1)
        return had_selection or before != (self.cursor, self.caret)

    # -- words -----------------------------------------------------------------------------

    def words(self, index: int) -> list[Span]:
        """The words of sentence `index` (found once, when first needed)."""
        found = self._words.get(index)
        if found is None:
            start, end = self.sentences[index]
            found = self._words[index] = word_spans(self.text, start, end) or [(start, end)]
        return found

    def word_at(self, offset: int) -> Span | None:
        """The word covering `offset`, if the offset is in a word of a sentence."""
        self.segment_through(offset)
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index < 0 or offset >= self.sentences[index][1]:
            return None
        for word in self.words(index):
            if word[0] <= offset < word[1]:
                return word
        return None

    @property
    def caret_word(self) -> Span | None:
        """The word the caret is on (what the view marks as the word cursor)."""
        return self.word_at(self.caret) if self.cursor is not None else None

    def move_word(self, delta: int) -> bool:
        """`w` (+1) and `b` (-1): the caret to the start of the next or previous word, across
        sentences (reachable ones only). While selecting, this extends or shrinks the
        selection by a word."""
        if self.cursor is None:
            return False
        target = self._word_start_from(self.caret, delta)
        if target is None:
            return False
        if self.selecting or self.anchor is not None:
            return self._set_head(self._clamp_head(target))
        return self._put_caret(target)

    def move_word_end(self) -> bool:
        """`e`: the caret to the end of this word, or of the next one if already there."""
        if self.cursor is None:
            return False
        word = self.word_at(self.caret)
        if word is not None and self.caret < word[1] - 1:
            target = word[1] - 1
        else:
            start = self._word_start_from(self.caret, 1)
            if start is None:
                return False
            following = self.word_at(start)
            target = start if following is None else following[1] - 1
        if self.selecting or self.anchor is not None:
            return self._set_head(self._clamp_head(target))
        return self._put_caret(target)

    def _word_start_from(self, offset: int, delta: int) -> int | None:
        """The start of the word `delta` (+1 or -1) words from the one at `offset`."""
        index = self.sentence_at(offset)
        if index is None:
            return None
        position = bisect.bisect_left(self._reachable, index)
        while True:
            if delta > 0 and position >= len(self._reachable) and not self.complete:
                self.segment_more()
                continue
            if not 0 <= position < len(self._reachable):
                break
            sentence = self._reachable[position]
            words = self.words(sentence)
            if delta > 0:
                found = next((w[0] for w in words if w[0] > offset), None)
            else:
                found = next((w[0] for w in reversed(words) if w[0] < offset), None)
            if found is not None:
                return found
            position += 1 if delta > 0 else -1
        return None

    def _put_caret(self, offset: int) -> bool:
        target = self.sentence_at(offset)
        if target is None or offset == self.caret:
            return False
        self.cursor = target
        self.caret = offset
        return True

    def _caret_to_sentence_start(self) -> None:
        if self.cursor is None:
            self.caret = 0
            return
        self.caret = self.words(self.cursor)[0][0]

    # -- selection -------------------------------------------------------------------------

    def start_selection(self, *, mode: bool = False) -> bool:
        """Anchor a selection at the caret's word (`v`, or the first shift+arrow); True if
        anything changed."""
        if self.cursor is None:
            return False
        changed = False
        if self.anchor is None:
            word = self.word_at(self.caret)
            self.anchor = word[0] if word is not None else self.caret
            self.caret = word[1] - 1 if word is not None else self.caret
            changed = True
        if mode and not self.selecting:
            self.selecting = changed = True
        return changed

    def stop_selecting(self) -> bool:
        """Leave selection mode, keeping the selection (motions move the caret again... once
        the selection is dropped)."""
        was = self.selecting
        self.selecting = False
        return was

    def cancel_selection(self) -> bool:
        """Drop the selection (the caret stays); True if there was one."""
        had = self.anchor is not None or self.selecting
        self.anchor = None
        self.selecting = False
        return had

    def select(self, span: Span) -> bool:
        """Make `span` the selection (a paragraph, a search hit, an annotation), cut short
        where folded chrome begins; False if it starts on no reachable text."""
        start, end = span
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        if end <= start or self.crosses_fold(start, start):
            return False
        index = self.sentence_at(start)
        if index is None or not self.sentences[index][0] <= start < self.sentences[index][1]:
            # Between sentences (a line break, say): from the next reachable one on.
            if index is None or self.sentences[index][0] >= end:
                return False
            start = self.sentences[index][0]
        self.cancel_selection()
        self.cursor, self.caret = index, start
        self.anchor = start
        self._set_head(self._clamp_head(end - 1))
        return True

    def select_paragraph(self) -> bool:
        """`p`: select the caret's paragraph; when already selecting, extend to the end of the
        next paragraph."""
        paragraphs = self.article.paragraphs
        if not paragraphs or self.cursor is None:
            return False
        starts = [start for start, _ in paragraphs]
        head = self.caret
        index = max(bisect.bisect_right(starts, head) - 1, 0)
        if self.anchor is None:
            start, end = paragraphs[index]
            return self.select((start, end))
        if head >= paragraphs[index][1] - 1 and index + 1 < len(paragraphs):
            index += 1
        return self._set_head(self._clamp_head(paragraphs[index][1] - 1))

    @property
    def selection(self) -> Span | None:
        """The selected passage, whole words at both ends; None when nothing is selected."""
        if self.anchor is None:
            return None
        low, high = sorted((self.anchor, self.caret))
        span = snap_to_words(self.text, (low, high + 1))
        return span if span[1] > span[0] else None

    @property
    def target(self) -> Span | None:
        """What a tag key acts on: the selection, else the current sentence."""
        return self.selection or self.current

    def _sentence_step(self, forward: bool) -> bool:
        """Grow or shrink the selection by one sentence at its head (`j`/`k` while selecting).

        Growing takes in the rest of the head's sentence, then the next; shrinking gives back
        whole sentences but never crosses the anchor.
        """
        if self.anchor is None:
            self.start_selection()
        assert self.anchor is not None
        head, anchor = self.caret, self.anchor
        if forward:
            if head >= anchor:
                found = next(
                    (end - 1 for _, end in self._reachable_from(head, 1) if end - 1 > head), None
                )
            else:
                found = next(
                    (start for start, _ in self._reachable_from(head, 1) if start > head), None
                )
                found = anchor if found is None or found > anchor else found
        elif head > anchor:
            found = next(
                (end - 1 for _, end in self._reachable_from(head, -1) if end - 1 < head), None
            )
            found = anchor if found is None or found < anchor else found
        else:
            found = next(
                (start for start, _ in self._reachable_from(head, -1) if start < head), None
            )
        if found is None:
            return False
        return self._set_head(self._clamp_head(found))

    def _reachable_from(self, offset: int, step: int) -> Iterator[Span]:
        """Reachable sentences from the one at or before `offset`, going forwards (step 1) or
        backwards (-1); a few bisects, not a scan of every sentence."""
        position = bisect.bisect_right(self._reachable_starts, offset) - 1
        position = max(position - 1, 0) if step > 0 else min(position + 1, len(self._reachable) - 1)
        while True:
            if step > 0 and position >= len(self._reachable) and not self.complete:
                self.segment_more()
                continue
            if not 0 <= position < len(self._reachable):
                return
            yield self.sentences[self._reachable[position]]
            position += step

    def _set_head(self, head: int) -> bool:
        index = self.sentence_at(head)
        if index is None or head == self.caret:
            return False
        self.cursor = index
        self.caret = head
        return True

    @functools.cached_property
    def _chrome_bounds(self) -> tuple[list[int], list[int]]:
        """The chrome regions' starts and ends (both ascending: the regions are sorted and
        disjoint), so that a fold is found by bisection. A long article has thousands of
        regions, and search asks this of every hit."""
        return [start for start, _ in self.article.chrome], [end for _, end in self.article.chrome]

    def crosses_fold(self, a: int, b: int) -> bool:
        if self._show_chrome:
            return False
        low, high = sorted((a, b))
        starts, ends = self._chrome_bounds
        index = bisect.bisect_right(ends, low)  # the first region that ends after `low`
        return index < len(starts) and starts[index] <= high

    def _clamp_head(self, head: int) -> int:
        """`head`, moved back towards the anchor so that the selection holds no folded chrome
        and stays inside the text."""
        head = max(0, min(head, len(self.text) - 1))
        anchor = self.anchor if self.anchor is not None else self.caret
        if not self._show_chrome:
            starts, ends = self._chrome_bounds
            if head > anchor:
                index = bisect.bisect_right(starts, anchor)  # the first region after the anchor
                if index < len(starts) and starts[index] <= head:
                    head = starts[index] - 1
            elif head < anchor:
                index = bisect.bisect_right(ends, anchor) - 1  # the last one before it
                if index >= 0 and ends[index] > head:
                    head = ends[index]
        while head > anchor and self.text[head].isspace():
            head -= 1
        while head < anchor and self.text[head].isspace():
            head += 1
        return head
