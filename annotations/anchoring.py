"""Re-anchoring an annotation's quote in an article text that has changed since it was made.

The method is Hypothesis' (``match-quote.ts`` in its client): look for the quote verbatim, then
approximately with at most half its length in edit errors, and rank candidates by how well the
quote (weight 50), the 32 characters before it (20), the 32 after it (20) and its position (2)
agree. Hypothesis then takes the best candidate whatever it is; here the best candidate must also
carry enough evidence (see ``_Search.acceptable``), so that an annotation whose words were deleted
or rewritten becomes an orphan rather than landing on some other sentence.

- exact: the quote still stands at its old offsets. For a quote shorter than 32 characters its
  context must agree there too: an insertion can put another "Hamas" exactly where it was.
- moved: the quote stands verbatim elsewhere; the occurrence is chosen by the weights above.
- fuzzy: the best approximate match, its boundaries moved to where the edit distance is least
  and never splitting a word the quote kept whole; the score is the weighted one, in (0, 1).
- orphan: nothing carries enough evidence.

A verbatim occurrence that now splits a word the quote kept whole ("Russi" inside a corrected
"Russia") counts as neither exact nor moved: the approximate search then finds "Russia".

Pure Python over rapidfuzz: no edit distance is written here. Offsets are ``str`` indices, as
everywhere (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

__all__ = ["Anchor", "AnchorStatus", "anchor_quote"]

_Predicate = Callable[[int], bool]

AnchorStatus = Literal["exact", "moved", "fuzzy", "orphan"]


@dataclass(frozen=True, slots=True)
class Anchor:
    status: AnchorStatus
    start: int | None  # None only for orphan
    end: int | None
    score: float  # 1.0 for exact and moved, in (0, 1) for fuzzy, 0.0 for orphan


_ORPHAN = Anchor("orphan", None, None, 0.0)

# Hypothesis' weights. The position only breaks ties between otherwise equal candidates.
QUOTE_WEIGHT = 50.0
PREFIX_WEIGHT = 20.0
SUFFIX_WEIGHT = 20.0
POSITION_WEIGHT = 2.0
_TOTAL_WEIGHT = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT

# How much context annotations store on each side (annotations.model.CONTEXT_CHARS, and
# Hypothesis' too). A stored context shorter than this means the quote sat that close to the
# start or end of the text, so it is compared with the candidate's context up to this length:
# an empty prefix then agrees only with a candidate at the very start.
CONTEXT_CHARS = 32

# Hypothesis' bound: an approximate match may have at most half the quote's length in errors.
MAX_ERROR_RATE = 0.5

# -- acceptance thresholds (see _Search.acceptable) ----------------------------------------------
# A context side "agrees" at this normalised Levenshtein similarity. Unrelated 32-character
# stretches of the bundled articles score 0.13 on median, 0.31 at the 99th and 0.44 at the 99.9th
# percentile (10,000 random pairs, highest 0.66), while a context with a few characters edited
# (a typo fixed next to the quote) still scores 0.85 or more.
CONTEXT_AGREES = 0.7
# One side standing alone must agree more closely: phrases recur ("Russia's invasion of
# Ukraine, I" began two different 32-character suffixes at 0.81), and when a sentence is
# deleted the next one starts after the same words ("...Tel Aviv. After Hamas" deleted,
# "...Tel Aviv. Yet Hamas" kept: the prefixes agree at 0.81). A true match whose other side was
# edited away keeps this side intact, or nearly (three edits in 32 characters).
CONTEXT_ALONE = 0.9
# A quote at least as long as one stored context is, verbatim, as much evidence as that context.
LONG_QUOTE = CONTEXT_CHARS
# A long quote found with at most 10% errors needs no context: nothing but the same sentence,
# lightly edited, comes that close (unrelated sentences score about 0.4 to 0.6).
QUOTE_ALONE = 0.9
# From here down to MAX_ERROR_RATE one agreeing side of context is needed, and below it both.
QUOTE_ONE_SIDE = 0.75
# At least half the quote must survive as runs of identical characters. Levenshtein similarity
# alone cannot tell "half of it deleted" from "more than half rewritten": unrelated English text
# aligns at 35-45% similarity by chance, so a sentence with 60% of its characters replaced still
# scores 0.5 (median over the bundled sentences) and one with 45% replaced 0.62. Chance
# alignments come in short runs (" the", "tion"), surviving text in long ones: counting runs of 8
# or more, 60% replaced never kept half (0 of 286 sentences), 55% replaced did for 5 of 286,
# and 45% replaced always did.
MIN_KEPT = 0.5
KEPT_RUN = 8

# -- search bounds --------------------------------------------------------------------------------
# The approximate search looks within this many quote lengths (at least _LOCAL_MIN characters)
# of the old position first, and over the whole text only if that finds nothing acceptable.
_LOCAL_QUOTES = 4
_LOCAL_MIN = 512
# partial_ratio_alignment slides the whole quote along each window; its cost grows steeply with
# the quote's length (0.2 ms per window at 200 characters, 16 ms at 1,000), so longer quotes are
# located by exact seeds alone.
_ALIGN_MAX_QUOTE = 160
_ALIGN_CUTOFF = 60.0  # Indel ratio; half the quote surviving gives 70 or more
# Seeds: exact chunks of the quote (and of its context) found with str.find. A chunk found more
# often than this is too common to say anything and is skipped.
_LOCAL_SEED_HITS = 24
_GLOBAL_SEED_HITS = 64
_GLOBAL_SEED_CHUNKS = 16
_GLOBAL_SCAN_CHARS = 1_000_000  # beyond this many characters, fewer chunks are searched
_MAX_REFINED = 8  # rough candidates refined per search stage, best first (fewer when long)
_MAX_OCCURRENCES = 10_000  # verbatim occurrences scored, nearest the old position first
# Refining a boundary costs one Levenshtein distance per tried position, about 100 per rough
# span, and one distance costs about 4 us at 200 characters, 50 us at 1,000, 0.3 ms at 3,000
# and 0.9 ms at 5,000. So long quotes refine fewer spans, the radius is capped, and past
# _MAX_FUZZY_QUOTE characters (several paragraphs) only the verbatim search runs: an orphan of
# 3,000 characters costs about 80 ms in a 50 KB text, one of 5,000 would cost 650 ms.
_REFINE_BUDGET = 2_000  # quote characters: spans refined = this // len(quote), 2 to 8
_MAX_RADIUS = 512
_MAX_FUZZY_QUOTE = 3_000
_WORD_SEARCH = 64  # how far past the refining reach to look for a word boundary


def anchor_quote(
    text: str, *, quote: str, prefix: str, suffix: str, start: int, end: int
) -> Anchor:
    """Find the annotated words in `text` (the article's current text)."""
    if not quote:
        return _ORPHAN
    search = _Search(text, quote, prefix, suffix, start)
    if search.still_at(start, end):
        return Anchor("exact", start, end, 1.0)
    verbatim, rivals = search.best_verbatim()
    if verbatim is not None and search.acceptable(verbatim, rivals):
        return Anchor("moved", verbatim.start, verbatim.end, 1.0)
    if len(quote) > _MAX_FUZZY_QUOTE:
        return _ORPHAN
    found = search.best_approximate(verbatim)
    if found is None:
        return _ORPHAN
    if found.distance == 0:
        return Anchor("moved", found.start, found.end, 1.0)
    return Anchor("fuzzy", found.start, found.end, found.score)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    distance: int  # Levenshtein distance between the quote and text[start:end]
    quote_score: float
    prefix_score: float
    suffix_score: float
    score: float  # Hypothesis' weighted score, normalised to 0..1


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _cuts_word(left: str, right: str) -> bool:
    """Whether a boundary between these two characters splits a word ("" is a text edge)."""
    return bool(left) and bool(right) and _is_word(left) and _is_word(right)


class _Search:
    def __init__(self, text: str, quote: str, prefix: str, suffix: str, hint: int) -> None:
        self.text = text
        self.quote = quote
        self.prefix = prefix
        self.suffix = suffix
        self.hint = min(max(hint, 0), len(text))
        self.size = len(quote)
        self.max_errors = int(self.size * MAX_ERROR_RATE)
        # Where the quote began and ended on a word boundary, the new span must too.
        self.start_on_boundary = not _cuts_word(prefix[-1:], quote[0])
        self.end_on_boundary = not _cuts_word(quote[-1], suffix[:1])
        self._distances: dict[tuple[int, int], int] = {}
        self._verbatim: list[int] = []  # starts of the verbatim occurrences that keep words

    # -- scoring ---------------------------------------------------------------------------------

    def candidate(self, start: int, end: int, distance: int) -> _Candidate:
        prefix_score = self._prefix_score(start)
        suffix_score = self._suffix_score(end)
        quote_score = 1.0 - distance / self.size
        position_score = 1.0 - abs(start - self.hint) / max(len(self.text), 1)
        raw = (
            QUOTE_WEIGHT * quote_score
            + PREFIX_WEIGHT * prefix_score
            + SUFFIX_WEIGHT * suffix_score
            + POSITION_WEIGHT * position_score
        )
        return _Candidate(
            start, end, distance, quote_score, prefix_score, suffix_score, raw / _TOTAL_WEIGHT
        )

    # The stored context is compared with as much of the text before (after) the candidate: the
    # same length, or CONTEXT_CHARS where the stored one was cut short by the edge of the old text.

    def _prefix_score(self, start: int) -> float:
        width = max(len(self.prefix), CONTEXT_CHARS)
        before = self.text[max(0, start - width) : start]
        return Levenshtein.normalized_similarity(self.prefix, before)

    def _suffix_score(self, end: int) -> float:
        after = self.text[end : end + max(len(self.suffix), CONTEXT_CHARS)]
        return Levenshtein.normalized_similarity(self.suffix, after)

    def acceptable(self, found: _Candidate, rivals: int) -> bool:
        """Whether the evidence is strong enough to say these are the annotated words.

        The best-ranked candidate is always somewhere: when the annotated sentence was deleted
        it is a neighbour, whose context on one side is exactly the deleted sentence's context.
        So a weaker quote match must be backed by more context. Levels: none for a quote of
        LONG_QUOTE+ characters matched with at most 10% errors; one side (one context at
        CONTEXT_ALONE, or both at CONTEXT_AGREES) down to 75% similarity; both sides at
        CONTEXT_AGREES below that. A short quote ("Russia") says little by itself and needs
        one level more, and so does a quote with `rivals`, other places that match it as well
        (a caption repeated in the article). And at least half the quote must still be there
        in long runs (MIN_KEPT), whatever the context says.
        """
        if found.distance > self.max_errors:
            return False
        if found.distance and self._kept(found) < MIN_KEPT:
            return False
        if found.quote_score >= QUOTE_ALONE:
            needed = 0
        elif found.quote_score >= QUOTE_ONE_SIDE:
            needed = 1
        else:
            needed = 2
        if self.size < LONG_QUOTE or (needed == 0 and rivals):
            needed += 1
        sides = (found.prefix_score, found.suffix_score)
        if needed == 0:
            return True
        if needed == 1 and max(sides) >= CONTEXT_ALONE:
            return True
        return min(sides) >= CONTEXT_AGREES

    def _kept(self, found: _Candidate) -> float:
        """The share of the quote found in runs of at least KEPT_RUN identical characters."""
        # Short quotes, which need context anyway, count shorter runs: a two-letter word with
        # one letter changed keeps one.
        run = min(KEPT_RUN, max(1, self.size // 4))
        kept = sum(
            block.src_end - block.src_start
            for block in Levenshtein.opcodes(self.quote, self.text[found.start : found.end])
            if block.tag == "equal" and block.src_end - block.src_start >= run
        )
        return kept / self.size

    # -- verbatim --------------------------------------------------------------------------------

    def still_at(self, start: int, end: int) -> bool:
        """Whether the annotated words still stand at their old offsets."""
        text = self.text
        if not (0 <= start <= end <= len(text) and text[start:end] == self.quote):
            return False
        if not self.keeps_words(start):
            return False
        # A long quote at its offsets is the annotated words. A short one may be another "Hamas"
        # that an edit happened to put there, so it needs its context like anywhere else.
        return self.size >= LONG_QUOTE or self.acceptable(self.candidate(start, end, 0), 0)

    def keeps_words(self, start: int) -> bool:
        """Whether a span of the quote's length at `start` splits no word the quote kept whole.

        "Russi" corrected to "Russia" leaves "Russi" verbatim at its offsets, but those are no
        longer the annotated words: the approximate search then finds "Russia".
        """
        end = start + self.size
        return (not self.start_on_boundary or self._start_allowed(start)) and (
            not self.end_on_boundary or self._end_allowed(end)
        )

    def best_verbatim(self) -> tuple[_Candidate | None, int]:
        """The best verbatim occurrence and how many others there are."""
        text, quote = self.text, self.quote
        # With both contexts intact the candidate outranks any other occurrence (a single
        # context character is worth more than the whole position weight), so look for that
        # first: it keeps a common word in a huge text cheap.
        whole = self.prefix + quote + self.suffix
        hits = list(_occurrences(text, whole, 0, len(text), _MAX_OCCURRENCES))
        if hits:
            starts = [hit + len(self.prefix) for hit in hits]
        else:
            starts = _nearest_occurrences(text, quote, self.hint, _MAX_OCCURRENCES)
        starts = [start for start in starts if self.keeps_words(start)]
        self._verbatim = starts
        if not starts:
            return None, 0
        best = max((self.candidate(s, s + self.size, 0) for s in starts), key=lambda c: c.score)
        return best, len(starts) - 1

    # -- approximate -----------------------------------------------------------------------------

    def best_approximate(self, verbatim: _Candidate | None) -> _Candidate | None:
        """The best candidate near the old position, else anywhere; None unless acceptable."""
        text = self.text
        radius = max(_LOCAL_QUOTES * self.size, _LOCAL_MIN)
        lo = max(0, self.hint - radius)
        hi = min(len(text), self.hint + self.size + radius)
        found = {} if verbatim is None else {(verbatim.start, verbatim.end): verbatim}
        self._collect(self._local_roughs(lo, hi), found)
        best = self._acceptable_best(found)
        if best is not None or (lo == 0 and hi == len(text)):
            return best
        self._collect(self._global_roughs(), found)
        return self._acceptable_best(found)

    def _acceptable_best(self, found: dict[tuple[int, int], _Candidate]) -> _Candidate | None:
        best = max(found.values(), key=lambda c: c.score, default=None)
        if best is None:
            return None
        # Other places that match the quote as well, anywhere: the verbatim occurrences all
        # count, found near the old position or not.
        spans = {(c.start, c.end) for c in found.values() if c.quote_score >= QUOTE_ALONE}
        spans.update((start, start + self.size) for start in self._verbatim)
        rivals = sum(1 for a, b in spans if b <= best.start or a >= best.end)
        return best if self.acceptable(best, rivals) else None

    def _collect(
        self, roughs: Iterable[tuple[int, int]], found: dict[tuple[int, int], _Candidate]
    ) -> None:
        """Refine the most promising rough spans into scored candidates."""
        text, size = self.text, self.size
        ranked: dict[tuple[int, int], int] = {}
        for start, end in roughs:
            start = min(max(start, 0), len(text))
            end = min(max(end, start + 1), len(text))
            if start < end and (start, end) not in ranked:
                ranked[start, end] = self._distance(start, end)
        best_first = sorted(ranked, key=lambda span: (ranked[span], abs(span[0] - self.hint)))
        # A rough span may be off by whatever was inserted or deleted inside the quote, which an
        # acceptable match keeps below half its length.
        radius = min(size // 2 + 8, _MAX_RADIUS)
        count = max(2, min(_MAX_REFINED, _REFINE_BUDGET // size))
        for start, end in best_first[:count]:
            span = self._refine(start, end, radius)
            if span not in found:
                distance = self._distance(*span)
                if distance <= self.max_errors:
                    found[span] = self.candidate(*span, distance)

    def _local_roughs(self, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        chunk = max(4, min(8, self.size // 8))
        yield from self._seed_roughs(lo, hi, chunk, None, _LOCAL_SEED_HITS)
        if self.size <= _ALIGN_MAX_QUOTE:
            yield from self._aligned_roughs(lo, hi)

    def _global_roughs(self) -> Iterator[tuple[int, int]]:
        # Bound the scans of a huge text: each chunk is one pass of str.find over all of it.
        chunks = _GLOBAL_SEED_CHUNKS
        if len(self.text) > _GLOBAL_SCAN_CHARS:
            chunks = max(4, chunks * _GLOBAL_SCAN_CHARS // len(self.text))
        chunk = max(8, min(16, self.size // 6))
        yield from self._seed_roughs(0, len(self.text), chunk, chunks, _GLOBAL_SEED_HITS)

    def _seed_roughs(
        self, lo: int, hi: int, chunk: int, limit: int | None, max_hits: int
    ) -> Iterator[tuple[int, int]]:
        """Rough spans where exact chunks of the quote and its context line up in text[lo:hi].

        Like BLAST's seeds: each chunk found implies where the quote starts. Chunks of the
        context count too, so a short quote whose letters all changed is still found between
        its neighbours, and so is a long one whose every few words were edited.
        """
        stretch = self.prefix + self.quote + self.suffix
        head, size = len(self.prefix), self.size
        chunk = min(chunk, len(stretch))
        last = len(stretch) - chunk
        offsets = list(range(0, last + 1, max(1, chunk // 2)))
        if offsets[-1] != last:
            offsets.append(last)
        if limit is not None and len(offsets) > limit:
            offsets = [offsets[i * (len(offsets) - 1) // (limit - 1)] for i in range(limit)]
        seeds: list[tuple[int, int]] = []  # (implied quote start, chunk offset in stretch)
        for offset in offsets:
            needle = stretch[offset : offset + chunk]
            hits = list(_occurrences(self.text, needle, lo, hi, max_hits))
            if len(hits) <= max_hits:
                seeds.extend((hit - offset + head, offset) for hit in hits)
        seeds.sort()
        # Seeds of one match imply about the same start, give or take what was inserted or
        # deleted between them.
        gap = max(8, size // 8)
        groups: list[list[tuple[int, int]]] = []
        for seed in seeds:
            if groups and seed[0] - groups[-1][-1][0] <= gap:
                groups[-1].append(seed)
            else:
                groups.append([seed])
        groups.sort(key=lambda group: -len({offset for _, offset in group}))
        for group in groups[:_MAX_REFINED]:
            # The seeds nearest each end of the quote tell best where that end went.
            start = min(group, key=lambda seed: abs(seed[1] - head))[0]
            end = min(group, key=lambda seed: abs(seed[1] + chunk - head - size))[0] + size
            yield start, end
            median = group[len(group) // 2][0]
            yield median, median + size

    def _aligned_roughs(self, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        """Rough spans from rapidfuzz's best alignment of the quote in overlapping windows."""
        size = self.size
        window = 2 * size + 64
        step = max(1, window - (3 * size) // 2 - 1)  # a match up to 1.5 quotes long fits a window
        text = self.text
        for left in range(lo, max(lo, hi - window) + step, step):
            left = max(lo, min(left, hi - window))
            alignment = fuzz.partial_ratio_alignment(
                self.quote, text[left : left + window], score_cutoff=_ALIGN_CUTOFF
            )
            if alignment is not None:
                yield left + alignment.dest_start, left + alignment.dest_end

    # -- refining --------------------------------------------------------------------------------

    def _distance(self, start: int, end: int) -> int:
        key = (start, end)
        distance = self._distances.get(key)
        if distance is None:
            distance = Levenshtein.distance(self.quote, self.text[start:end])
            self._distances[key] = distance
        return distance

    def _refine(self, start: int, end: int, radius: int) -> tuple[int, int]:
        """Move each boundary to where the distance is least, coarse to fine, then snap."""
        # A rough span is mostly misplaced rather than mis-sized: slide it whole first.
        start, end = self._best_shift(start, end, radius)
        for reach in (radius, max(4, radius // 4), max(4, radius // 16)):
            end = self._best_end(start, end, reach, snap=False)
            start = self._best_start(start, end, reach, snap=False)
        end = self._best_end(start, end, 4, snap=True)
        start = self._best_start(start, end, 4, snap=True)
        end = self._best_end(start, end, 4, snap=True)
        return start, end

    # Among boundaries at the same distance ("that" edited to "tha" is one edit from both "tha"
    # and "tha "), the final pass prefers the one whose context agrees best with the stored one.

    def _best_shift(self, start: int, end: int, reach: int) -> tuple[int, int]:
        shifts = _positions(0, reach, -start, len(self.text) - end, None)
        shift = min(shifts, key=lambda d: (self._distance(start + d, end + d), abs(d)))
        return start + shift, end + shift

    def _best_end(self, start: int, guess: int, reach: int, *, snap: bool) -> int:
        allowed = self._end_allowed if snap and self.end_on_boundary else None
        ends = _positions(guess, reach, start + 1, len(self.text), allowed)
        return min(
            ends,
            key=lambda e: (
                self._distance(start, e),
                -self._suffix_score(e) if snap else 0.0,
                abs(e - start - self.size),
                abs(e - guess),
            ),
        )

    def _best_start(self, guess: int, end: int, reach: int, *, snap: bool) -> int:
        allowed = self._start_allowed if snap and self.start_on_boundary else None
        starts = _positions(guess, reach, 0, end - 1, allowed)
        return min(
            starts,
            key=lambda s: (
                self._distance(s, end),
                -self._prefix_score(s) if snap else 0.0,
                abs(end - s - self.size),
                abs(s - guess),
            ),
        )

    def _start_allowed(self, position: int) -> bool:
        text = self.text
        return not _cuts_word(text[position - 1 : position], text[position : position + 1])

    _end_allowed = _start_allowed  # both ask whether a boundary there would split a word


def _positions(guess: int, reach: int, lo: int, hi: int, allowed: _Predicate | None) -> list[int]:
    """Positions within `reach` of `guess` (coarsely spaced when far), clipped to lo..hi.

    With `allowed`, only those it allows, plus the nearest allowed one beyond each side (within
    _WORD_SEARCH), falling back to `guess` alone in a "word" longer than that.
    """
    guess = min(max(guess, lo), hi)
    if allowed is None:
        step = max(1, reach // 8)
        return [*range(max(lo, guess - reach), min(hi, guess + reach) + 1, step), guess]
    near = [p for p in range(max(lo, guess - reach), min(hi, guess + reach) + 1) if allowed(p)]
    far = reach + _WORD_SEARCH
    below = next(
        (p for p in range(guess - reach - 1, max(lo, guess - far) - 1, -1) if allowed(p)), None
    )
    above = next(
        (p for p in range(guess + reach + 1, min(hi, guess + far) + 1) if allowed(p)), None
    )
    extra = [p for p in (below, above) if p is not None]
    return near + extra or [guess]


def _nearest_occurrences(text: str, needle: str, hint: int, limit: int) -> list[int]:
    """Up to `limit` start offsets of `needle`, nearest `hint` first, scanning outwards."""
    reach = 1 << 16
    while True:
        lo, hi = max(0, hint - reach), min(len(text), hint + reach + len(needle))
        hits = list(_occurrences(text, needle, lo, hi, None))
        if len(hits) >= limit or (lo == 0 and hi == len(text)):
            return sorted(hits, key=lambda hit: abs(hit - hint))[:limit]
        reach *= 4


def _occurrences(text: str, needle: str, lo: int, hi: int, limit: int | None) -> Iterator[int]:
    """Start offsets of `needle` inside text[lo:hi]; stops after limit + 1 so callers can tell."""
    count = 0
    position = text.find(needle, lo, hi)
    while position != -1:
        yield position
        count += 1
        if limit is not None and count > limit:
            return
        position = text.find(needle, position + 1, hi)
