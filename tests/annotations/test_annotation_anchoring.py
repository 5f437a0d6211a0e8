"""Re-anchoring annotations in edited copies of the bundled articles.

Every sentence of every article is annotated, and so are short phrases, every "Hamas" and
"Russia" and multi-sentence spans, exactly as the app does (Annotation.create). Each edited copy
is built from pieces of the old text and new strings, so where every old character went is known:
that is the ground truth each anchor is checked against.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import FrozenInstanceError, dataclass
from datetime import UTC, datetime
from functools import cache, cached_property

import pytest

from annotations import anchoring
from annotations.anchoring import Anchor, anchor_quote
from annotations.model import CONTEXT_CHARS, Annotation
from corpus.loader import bundled_articles
from corpus.model import Article

ARTICLES = bundled_articles()
IDS = [article.id for article in ARTICLES]
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
_WORD = re.compile(r"\w[\w'’-]*\w|\w")


# -- annotations ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    kind: str  # "sentence", "phrase", "repeat" (a "Hamas" or "Russia"), "span" (sentences)
    annotation: Annotation

    @property
    def start(self) -> int:
        return self.annotation.start

    @property
    def end(self) -> int:
        return self.annotation.end


def annotate(text: str, start: int, end: int) -> Annotation:
    return Annotation.create(
        article="a", text=text, start=start, end=end, label="claim", annotator="t", now=NOW
    )


def anchor(text: str, annotation: Annotation) -> Anchor:
    return anchor_quote(
        text,
        quote=annotation.quote,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start,
        end=annotation.end,
    )


@cache
def cases(article_id: str) -> tuple[Case, ...]:
    article = by_id(article_id)
    text = article.text
    found: dict[tuple[int, int], Case] = {}

    def add(kind: str, start: int, end: int) -> None:
        if (start, end) not in found:
            found[start, end] = Case(kind, annotate(text, start, end))

    for start, end in article.sentences:
        add("sentence", start, end)
    for number, (start, end) in enumerate(article.sentences):
        words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]
        if len(words) < 4:
            continue
        middle = len(words) // 2
        picks = (words[middle : middle + 1], words[1:3], words[-3:])
        for chosen in picks[: 1 + number % 3]:  # one, two or three phrases per sentence
            add("phrase", chosen[0][0], chosen[-1][1])
    for name in ("Hamas", "Russia"):
        for match in re.finditer(rf"\b{name}\b", text):
            add("repeat", match.start(), match.end())
    for paragraph_start, paragraph_end in article.paragraphs:
        inside = [s for s in article.sentences if paragraph_start <= s[0] < paragraph_end]
        for first in range(0, len(inside) - 1, 2):
            add("span", inside[first][0], inside[first + 1][1])
        if len(inside) >= 4:
            add("span", inside[0][0], inside[2][1])
    paragraphs = article.paragraphs
    for left, right in zip(paragraphs[2::5], paragraphs[3::5], strict=False):
        add("span", last_sentence(article, left)[0], first_sentence(article, right)[1])
    return tuple(found.values())


def by_id(article_id: str) -> Article:
    return next(article for article in ARTICLES if article.id == article_id)


def sentences_in(article: Article, paragraph: tuple[int, int]) -> list[tuple[int, int]]:
    return [s for s in article.sentences if paragraph[0] <= s[0] < paragraph[1]]


def first_sentence(article: Article, paragraph: tuple[int, int]) -> tuple[int, int]:
    return sentences_in(article, paragraph)[0]


def last_sentence(article: Article, paragraph: tuple[int, int]) -> tuple[int, int]:
    return sentences_in(article, paragraph)[-1]


# -- edited copies ---------------------------------------------------------------------------------

Piece = tuple[int, int] | str  # a span copied from the old text, or new text
Change = tuple[int, int, str]  # old[start:end] replaced by the string


@dataclass(frozen=True)
class Edited:
    old: str
    pieces: tuple[Piece, ...]
    changes: tuple[Change, ...] = ()  # what made it, when it was made by replacing spans

    @cached_property
    def new(self) -> str:
        return "".join(p if isinstance(p, str) else self.old[p[0] : p[1]] for p in self.pieces)

    def fragments(self, start: int, end: int) -> list[tuple[int, int]]:
        """Where the characters of old[start:end] are in the new text, as new-text spans."""
        spans: list[tuple[int, int]] = []
        position = 0
        for piece in self.pieces:
            if isinstance(piece, str):
                position += len(piece)
                continue
            a, b = piece
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                spans.append((position + lo - a, position + hi - a))
            position += b - a
        return spans

    def shifted(self, start: int, end: int) -> tuple[int, int]:
        """Where old[start:end] is after the changes, when none crosses either end of it."""
        return (
            start + sum(len(new) - (b - a) for a, b, new in self.changes if b <= start),
            end + sum(len(new) - (b - a) for a, b, new in self.changes if a < end),
        )


def replaced(old: str, changes: Sequence[Change]) -> Edited:
    """`old` with each (start, end) span replaced by its string; spans sorted and disjoint."""
    pieces: list[Piece] = []
    position = 0
    for start, end, new in sorted(changes):
        assert start >= position
        pieces += [(position, start), new]
        position = end
    pieces.append((position, len(old)))
    kept = tuple(p for p in pieces if (p if isinstance(p, str) else p[0] < p[1]))
    return Edited(old, kept, tuple(sorted(changes)))


def other_article(article: Article) -> Article:
    return ARTICLES[(ARTICLES.index(article) + 1) % len(ARTICLES)]


def longest_paragraph(article: Article) -> str:
    start, end = max(article.paragraphs, key=lambda p: p[1] - p[0])
    return article.text[start:end]


def near_top(article: Article) -> int:
    """Where paragraphs are inserted "near the top": after the second paragraph."""
    return article.paragraphs[1][1]


def deleted_paragraph(article: Article) -> tuple[int, int]:
    """The paragraph of 2+ sentences nearest the middle, with the break after it."""
    middle = len(article.text) // 2
    start, _ = min(
        (p for p in article.paragraphs if len(sentences_in(article, p)) >= 2),
        key=lambda p: abs(p[0] - middle),
    )
    return start, next(p[0] for p in article.paragraphs if p[0] > start)


def swapped_paragraphs(article: Article) -> tuple[tuple[int, int], tuple[int, int]]:
    paragraphs = [p for p in article.paragraphs if len(sentences_in(article, p)) >= 2]
    return paragraphs[len(paragraphs) // 3], paragraphs[2 * len(paragraphs) // 3]


def typo_changes(article: Article) -> list[Change]:
    """One to three one-character typo fixes inside every third sentence of 40+ characters.

    Each is inside a word (a letter after a letter, away from the sentence's ends), so no quote
    edge moves and no word is split or joined.
    """
    text = article.text
    changes: list[Change] = []
    long_sentences = [s for s in article.sentences if s[1] - s[0] >= 40]
    for number, (start, end) in enumerate(long_sentences[::3]):
        letters = [
            i for i in range(start + 6, end - 6) if text[i].isalpha() and text[i - 1].isalpha()
        ]
        for fix in range(1 + number % 3):
            i = letters[(fix + 1) * len(letters) // 4]
            kind = (number + fix) % 3
            if kind == 0:  # a wrong letter corrected
                changes.append((i, i + 1, "x" if text[i] != "x" else "y"))
            elif kind == 1:  # a missing letter added
                changes.append((i, i, text[i]))
            else:  # a doubled letter removed
                changes.append((i, i + 1, ""))
    return changes


def rewrite_changes(article: Article) -> list[Change]:
    """Every fourth sentence of 40+ characters with its middle words replaced by others.

    The words replaced are those touching its middle 60%, so more than half of it changes
    (between 60% and 60% plus a word at each end); the new words come from another article.
    """
    text = article.text
    donor = " ".join(other_article(article).text.split())
    changes: list[Change] = []
    long_sentences = [s for s in article.sentences if s[1] - s[0] >= 40]
    for number, (start, end) in enumerate(long_sentences[1::4]):
        fifth = (end - start) // 5
        words = [
            (start + m.start(), start + m.end())
            for m in re.finditer(r"\S+", text[start:end])
            if m.end() > fifth and m.start() < end - start - fifth
        ]
        lo, hi = words[0][0], words[-1][1]
        offset = donor.index(" ", 997 * number % (len(donor) // 2)) + 1
        stop = donor.index(" ", offset + hi - lo)  # whole words, at least as many characters
        changes.append((lo, hi, donor[offset:stop]))
    return changes


def removed_sentences(article: Article) -> list[Change]:
    """The second sentence, with the space after it, of the first three 3+ sentence paragraphs."""
    changes: list[Change] = []
    for paragraph in [p for p in article.paragraphs if len(sentences_in(article, p)) >= 3][:3]:
        inside = sentences_in(article, paragraph)
        changes.append((inside[1][0], inside[2][0], ""))
    return changes


def repeat_changes(article: Article) -> list[Change]:
    """Decoy "Hamas" and "Russia" near the top, and context edits around the real ones.

    A letter is changed a few characters before three in four occurrences (and after one in
    three), so no context survives intact and the scores must weigh what is left.
    """
    text = article.text
    repeats = [case for case in cases(article.id) if case.kind == "repeat"]
    protected = [(case.start, case.end) for case in repeats]

    def free(i: int) -> bool:
        return text[i].isalpha() and not any(s - 1 <= i <= e for s, e in protected)

    changes: dict[int, Change] = {}
    for number, case in enumerate(repeats):
        if number % 4 == 3:
            continue  # left with both contexts intact
        spots = [case.start - 6, case.start - 9, case.start - 12]
        if number % 3 == 0:
            spots += [case.end + 7, case.end + 10]
        for i in spots:
            if 0 <= i < len(text) and free(i):
                changes[i] = (i, i + 1, "Q")
                break
    # Not "Hamas ..." at the start: a paragraph inserted just before one that starts with
    # "Hamas" would give that word's prefix to the new one, and then only 32 characters of
    # suffix tell them apart.
    decoys = "Decoys: " + " ".join(["Hamas and Russia, Russia and Hamas."] * 4)
    at = article.paragraphs[0][1]
    inserted = f"\n\n{decoys}\n\nMore on Russia and Hamas here."
    return [(at, at, inserted), *changes.values()]


def far_typo_changes(article: Article) -> list[Change]:
    """The typo fixes, and four long paragraphs of the other articles inserted near the top.

    That moves everything after them further than the first, local search looks, so those
    typo-fixed sentences are found by the search of the whole text.
    """
    at = near_top(article)
    inserted = "".join("\n\n" + longest_paragraph(o) for o in ARTICLES if o is not article)
    assert len(inserted) > 2_000
    return [*typo_changes(article), (at, at, inserted)]


def swap(article: Article) -> Edited:
    (a1, b1), (a2, b2) = swapped_paragraphs(article)
    old = article.text
    return Edited(old, ((0, a1), (a2, b2), (b1, a2), (a1, b1), (b2, len(old))))


SCENARIOS: dict[str, Callable[[Article], Edited]] = {
    "unchanged": lambda a: replaced(a.text, []),
    # A real paragraph of another article, full of "Hamas" and "Russia": decoys for short quotes.
    "insert": lambda a: replaced(
        a.text, [(near_top(a), near_top(a), "\n\n" + longest_paragraph(other_article(a)))]
    ),
    "delete paragraph": lambda a: replaced(a.text, [(*deleted_paragraph(a), "")]),
    "typos": lambda a: replaced(a.text, typo_changes(a)),
    "typos far": lambda a: replaced(a.text, far_typo_changes(a)),
    "swap": swap,
    "remove sentence": lambda a: replaced(a.text, removed_sentences(a)),
    "repeats": lambda a: replaced(a.text, repeat_changes(a)),
    "rewrite": lambda a: replaced(a.text, rewrite_changes(a)),
}


# -- judging --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    """Where the annotated words are in the edited text."""

    kept: tuple[int, int] | None  # the whole quote copied verbatim, here
    fragments: tuple[tuple[int, int], ...]  # every new span holding characters of the quote

    @property
    def gone(self) -> bool:
        return not self.fragments


def truth(edited: Edited, start: int, end: int) -> Truth:
    fragments = edited.fragments(start, end)
    whole = len(fragments) == 1 and fragments[0][1] - fragments[0][0] == end - start
    return Truth(fragments[0] if whole else None, tuple(fragments))


def equivalents(old: str, case: Case) -> list[tuple[int, int]]:
    """Other copies of the quote that no anchoring could tell apart from the annotated one.

    The Worldcrunch article repeats a newsletter blurb ending "...newsletter. Sign up here.":
    with the same words and the same 32 characters on one side, either copy is as right.
    """
    quote, prefix, suffix = case.annotation.quote, case.annotation.prefix, case.annotation.suffix
    found = []
    for match in re.finditer(re.escape(quote), old):
        s, e = match.span()
        if s != case.start and (
            old[max(0, s - CONTEXT_CHARS) : s] == prefix or old[e : e + CONTEXT_CHARS] == suffix
        ):
            found.append((s, e))
    return found


@dataclass(frozen=True)
class Outcome:
    case: Case
    truth: Truth
    copies: tuple[Truth, ...]  # where its equivalents went
    anchor: Anchor

    @property
    def quote(self) -> str:
        return self.case.annotation.quote


@cache
def edited_copy(article_id: str, scenario: str) -> Edited:
    return SCENARIOS[scenario](by_id(article_id))


@cache
def outcomes(article_id: str, scenario: str) -> tuple[Outcome, ...]:
    """Every case of the article anchored in the scenario's edited copy."""
    edited = edited_copy(article_id, scenario)
    return tuple(
        Outcome(
            case,
            truth(edited, case.start, case.end),
            tuple(truth(edited, s, e) for s, e in equivalents(edited.old, case)),
            anchor(edited.new, case.annotation),
        )
        for case in cases(article_id)
    )


def wrong(edited: Edited, outcome: Outcome) -> str | None:
    """Why the anchor is on the wrong words, or None: the check applied to every anchor."""
    result = outcome.anchor
    if result.status == "orphan":
        return None
    assert result.start is not None and result.end is not None
    places = (outcome.truth, *outcome.copies)
    if result.status in ("exact", "moved"):
        if edited.new[result.start : result.end] != outcome.quote:
            return "anchored verbatim to other text"
        if any(place.kept == (result.start, result.end) for place in places):
            return None
        return "the same words, but not the annotated ones"
    for place in places:
        for a, b in place.fragments:
            if result.start < b and a < result.end:
                return None
    return "a fuzzy match that shares no character with the annotated words"


def check(article: Article, scenario: str) -> tuple[Outcome, ...]:
    """The checks every scenario passes; returns the outcomes for its own."""
    edited = edited_copy(article.id, scenario)
    results = outcomes(article.id, scenario)
    for outcome in results:
        check_shape(outcome.anchor)
        if outcome.truth.kept is not None:
            check_kept(outcome)
    problems = [f"{o.quote!r}: {wrong(edited, o)}" for o in results if wrong(edited, o)]
    assert not problems, problems
    return results


def check_shape(result: Anchor) -> None:
    if result.status == "orphan":
        assert (result.start, result.end, result.score) == (None, None, 0.0)
    else:
        assert result.start is not None and result.end is not None
        assert 0 <= result.start < result.end
    if result.status in ("exact", "moved"):
        assert result.score == 1.0
    if result.status == "fuzzy":
        assert 0.0 < result.score < 1.0


def check_kept(outcome: Outcome) -> None:
    """Words that survived verbatim are exact (same offsets) or moved to where they went."""
    result, case = outcome.anchor, outcome.case
    span = (result.start, result.end)
    if span == outcome.truth.kept:
        expected = "exact" if span == (case.start, case.end) else "moved"
        assert result.status == expected, (outcome.quote, result, outcome.truth)
    else:  # only an indistinguishable copy will do
        assert result.status == "moved", (outcome.quote, result, outcome.truth)
        assert span in [copy.kept for copy in outcome.copies], (outcome.quote, result)


# -- the scenarios --------------------------------------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
def test_unchanged_text_anchors_every_annotation_exactly(article: Article) -> None:
    results = check(article, "unchanged")
    assert {outcome.anchor.status for outcome in results} == {"exact"}


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
def test_paragraph_inserted_near_the_top(article: Article) -> None:
    results = check(article, "insert")
    at = near_top(article)
    before = {o.anchor.status for o in results if o.case.end <= at}
    after = {o.anchor.status for o in results if o.case.start >= at}
    assert before == {"exact"}
    assert after == {"moved"}


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
def test_paragraph_deleted(article: Article) -> None:
    results = check(article, "delete paragraph")
    gone = [o for o in results if o.truth.gone]
    assert len(gone) >= 3
    for outcome in gone:
        if not outcome.copies:
            assert outcome.anchor.status == "orphan", (outcome.quote, outcome.anchor)


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
@pytest.mark.parametrize("scenario", ["typos", "typos far"])
def test_typo_fixes_anchor_fuzzily_to_the_corrected_words(article: Article, scenario: str) -> None:
    results = check(article, scenario)
    edited = edited_copy(article.id, scenario)
    at = near_top(article)
    touched = 0
    for outcome in results:
        case, result = outcome.case, outcome.anchor
        if outcome.truth.kept is not None:
            continue
        if scenario == "typos far" and case.start - CONTEXT_CHARS < at < case.end + CONTEXT_CHARS:
            continue  # the insertion cut its words or its context: not a typo fix alone
        touched += 1
        # The span is exactly the corrected words, from the old start to the old end.
        expected = edited.shifted(case.start, case.end)
        assert result.status == "fuzzy", (outcome.quote, result)
        assert (result.start, result.end) == expected, (
            outcome.quote,
            edited.new[result.start : result.end],
            edited.new[expected[0] : expected[1]],
        )
    assert touched >= len(typo_changes(article)) // 2


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
def test_paragraphs_swapped(article: Article) -> None:
    results = check(article, "swap")
    (start, end), _ = swapped_paragraphs(article)
    moved = [o.anchor.status for o in results if start <= o.case.start and o.case.end <= end]
    assert moved and set(moved) == {"moved"}


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
def test_sentence_removed(article: Article) -> None:
    results = check(article, "remove sentence")
    removed = removed_sentences(article)
    assert removed
    orphans = 0
    for outcome in results:
        if outcome.case.kind == "sentence" and any(
            a <= outcome.case.start < b for a, b, _ in removed
        ):
            assert outcome.truth.gone
            assert outcome.anchor.status == "orphan", (outcome.quote, outcome.anchor)
            orphans += 1
    assert orphans == len(removed)


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
def test_repeated_words_anchor_to_the_occurrence_with_their_context(article: Article) -> None:
    results = check(article, "repeats")
    at = article.paragraphs[0][1]
    repeats = [o for o in results if o.case.kind == "repeat"]
    assert len(repeats) >= 8
    for outcome in repeats:
        assert outcome.anchor.status == ("exact" if outcome.case.end <= at else "moved")
        assert (outcome.anchor.start, outcome.anchor.end) == outcome.truth.kept, outcome.quote


@pytest.mark.parametrize("article", ARTICLES, ids=IDS)
def test_heavily_rewritten_sentence_is_an_orphan(article: Article) -> None:
    results = check(article, "rewrite")
    changes = rewrite_changes(article)
    rewritten = [
        o
        for o in results
        if o.case.kind == "sentence" and any(o.case.start < lo < o.case.end for lo, _, _ in changes)
    ]
    assert len(rewritten) == len(changes)
    for outcome in rewritten:
        assert outcome.anchor.status == "orphan", (outcome.quote, outcome.anchor)


def test_no_wrong_anchor_across_all_articles_and_edits() -> None:
    wrongs = []
    statuses = Counter[str]()
    for article in ARTICLES:
        for scenario in SCENARIOS:
            edited = edited_copy(article.id, scenario)
            for outcome in outcomes(article.id, scenario):
                statuses[outcome.anchor.status] += 1
                if problem := wrong(edited, outcome):
                    wrongs.append(f"{article.id}, {scenario}: {outcome.quote!r}: {problem}")
    assert wrongs == []
    # All four outcomes, and in bulk: the scenarios exercise every path.
    assert sum(statuses.values()) > 10_000
    assert min(statuses[s] for s in ("exact", "moved", "fuzzy", "orphan")) >= 300, statuses


# -- small, exact cases ---------------------------------------------------------------------------


SENTENCE = "Moscow has welcomed a Hamas delegation, the foreign ministry said on Thursday."
TEXT = f"Intro words here. {SENTENCE} Then the talks went on for hours. Closing words."


def annotation_of(text: str, words: str, occurrence: int = 0) -> Annotation:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return annotate(text, start, start + len(words))


def test_anchor_is_a_frozen_slotted_value() -> None:
    result = Anchor("exact", 1, 2, 1.0)
    with pytest.raises(FrozenInstanceError):
        result.start = 3  # type: ignore[misc]
    assert not hasattr(result, "__dict__")
    assert anchoring.CONTEXT_CHARS == CONTEXT_CHARS


def test_empty_quote_is_an_orphan() -> None:
    result = anchor_quote(TEXT, quote="", prefix="", suffix="", start=0, end=0)
    assert result == Anchor("orphan", None, None, 0.0)


def test_exact_whatever_changed_elsewhere() -> None:
    annotation = annotation_of(TEXT, SENTENCE)
    new = TEXT.replace("Intro", "Intra").replace("Closing", "Final")
    assert anchor(new, annotation) == Anchor("exact", annotation.start, annotation.end, 1.0)


def test_title_at_the_very_start_moves_with_an_insertion_above() -> None:
    text = ARTICLES[0].text
    start, end = ARTICLES[0].sentences[0]
    annotation = annotate(text, start, end)
    assert annotation.prefix == ""
    new = "Updated 5 March\n\n" + text
    assert anchor(new, annotation) == Anchor("moved", 17, 17 + end, 1.0)


def test_fuzzy_boundaries_do_not_cut_words() -> None:
    # "Russi" corrected to "Russia": "support of Russi" is still there verbatim, but it now
    # ends in the middle of a word, which the quote did not; the anchor takes the whole word.
    old = "The West watched the support of Russi for the group grow all year long."
    annotation = annotation_of(old, "support of Russi")
    new = old.replace("Russi ", "Russia ")
    result = anchor(new, annotation)
    assert result.status == "fuzzy"
    assert new[result.start : result.end] == "support of Russia"
    # The same at the start: "ussia backs" began at a word boundary.
    old = "Officials say ussia backs the group, and more."
    annotation = annotation_of(old, "ussia backs the group")
    new = old.replace("ussia", "Russia")
    result = anchor(new, annotation)
    assert result.status == "fuzzy"
    assert new[result.start : result.end] == "Russia backs the group"


def test_a_quote_that_began_inside_a_word_may_still_do_so() -> None:
    old = "Officials say Russia backs the group, and more."
    annotation = annotation_of(old, "ussia backs")
    new = "Update. " + old
    assert anchor(new, annotation) == Anchor("moved", annotation.start + 8, annotation.end + 8, 1.0)


def test_repeated_short_quote_without_its_context_is_an_orphan() -> None:
    # The sentence holding this "Hamas" is deleted; two other "Hamas" remain, in other words.
    old = f"{TEXT} Hamas rejected it. Analysts doubt Hamas will agree."
    annotation = annotation_of(old, "Hamas", 0)
    new = old.replace(SENTENCE + " ", "")
    assert anchor(new, annotation).status == "orphan"
    # With its sentence intact but shifted, the right one of the three is found.
    new = "Breaking: Hamas talks. " + old
    assert anchor(new, annotation) == Anchor(
        "moved", annotation.start + 23, annotation.end + 23, 1.0
    )


def test_deleted_sentence_does_not_land_on_its_neighbour() -> None:
    # The neighbours share the deleted sentence's context on one side each, and some words.
    old = (
        "Moscow said on Thursday that the Hamas delegation had arrived for talks. "
        "The foreign ministry said on Thursday that the delegation met the deputy minister. "
        "Later the ministry said on Friday that the talks had ended without a statement."
    )
    middle = "The foreign ministry said on Thursday that the delegation met the deputy minister."
    annotation = annotation_of(old, middle)
    new = old.replace(middle + " ", "")
    assert anchor(new, annotation).status == "orphan"


def test_half_of_a_multi_sentence_span_deleted_keeps_the_rest() -> None:
    first = "The delegation arrived in Moscow on Thursday for two days of talks."
    second = "It met the deputy foreign minister."
    third = "No statement followed the meeting, officials said later that evening."
    old = f"Before this. {first} {second} {third} After that."
    annotation = annotation_of(old, f"{first} {second} {third}")
    new = old.replace(f" {second}", "")
    result = anchor(new, annotation)
    assert result.status == "fuzzy"
    assert new[result.start : result.end] == f"{first} {third}"


# -- speed ----------------------------------------------------------------------------------------


def fifty_kilobytes() -> str:
    """The five articles (42 KB), then their words backwards: real words, no repeated quote."""
    text = "\n\n".join(article.text for article in ARTICLES)
    return (text + "\n\n" + " ".join(reversed(text.split())))[:50_000]


def median_ms(call: Callable[[], Anchor], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def two_hundred_characters(text: str) -> tuple[int, int]:
    start = text.index("Kasra Aarabi")
    return start, start + 200


def test_common_paths_are_fast_in_a_fifty_kilobyte_article() -> None:
    text = fifty_kilobytes()
    start, end = two_hundred_characters(text)
    annotation = annotate(text, start, end)
    moved = "A new first paragraph.\n\n" + text
    assert anchor(text, annotation).status == "exact"
    assert anchor(moved, annotation).status == "moved"
    assert median_ms(lambda: anchor(text, annotation)) < 5
    assert median_ms(lambda: anchor(moved, annotation)) < 5


def test_fuzzy_and_orphan_paths_are_bounded() -> None:
    text = fifty_kilobytes()
    start, end = two_hundred_characters(text)
    annotation = annotate(text, start, end)
    typo = text[: start + 100] + "x" + text[start + 101 :]
    assert anchor(typo, annotation).status == "fuzzy"
    gone = text[:start] + text[end:]
    assert anchor(gone, annotation).status == "orphan"
    assert median_ms(lambda: anchor(typo, annotation)) < 50
    assert median_ms(lambda: anchor(gone, annotation)) < 100


def test_five_megabyte_text_is_bounded() -> None:
    text = fifty_kilobytes()
    start, end = two_hundred_characters(text)
    annotation = annotate(text, start, end)
    huge = (text * 100)[:5_000_000]
    gone = huge.replace(text[start:end], "")
    began = time.perf_counter()
    assert anchor(gone, annotation).status == "orphan"
    assert time.perf_counter() - began < 2.0
    began = time.perf_counter()
    assert anchor(huge, annotate(huge, 10, 15)).status == "exact"
    short = annotate(huge, start, start + 6)  # "Kasra " repeats a hundred times
    assert anchor("x" + huge, short).status == "moved"
    assert time.perf_counter() - began < 2.0
