"""reader.document on hard text: the word caret (w/b/e), sentence and paragraph motions,
selections that snap to whole words and never reach into folded chrome, and SpanMarks over
overlapping and nested annotations.

Plain Python, no app: the article view forwards keys to a ReadingDocument, so the model is
tested here directly. Known bugs are strict xfails (they fail the day the bug is fixed).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import pytest

from annotations.model import Annotation
from corpus.loader import bundled_articles
from corpus.model import Article
from corpus.segment import paragraph_spans
from corpus.words import Span, word_spans
from reader.document import Mark, ReadingDocument, SpanMarks

CRLF = "\r\n"

# Paragraphs of the hard article: chrome at the start, in the middle and at the end; CRLF line
# ends throughout, one paragraph of two lines.
HARD_PARAGRAPHS = (
    "Saved Web Pages",
    "He called it “an obscene step,” in the U.S. The talks began on Oct. 27 with Abu-Marzouk.",
    f"Advertisement{CRLF}Subscribe now",
    "Russia’s Bogdanov-led team—and the U.K.–based envoy—don't agree. "
    "1,000.5 people at 10:30 paid 5% 👍🏽 and 👨‍👩‍👧‍👦 cheered.",
    f"She said 'quoted' and left.{CRLF}A second line of the same paragraph.",
    "Spread the News",
)
HARD_CHROME = (0, 2, 5)  # indices of the paragraphs that are site chrome
FIRST = HARD_PARAGRAPHS[1]
FOURTH = HARD_PARAGRAPHS[4]

HARD_WORDS = [
    "He", "called", "it", "an", "obscene", "step", "in", "the", "U.S.",
    "The", "talks", "began", "on", "Oct", "27", "with", "Abu-Marzouk",
    "Russia’s", "Bogdanov-led", "team", "and", "the", "U.K.", "based", "envoy", "don't", "agree",
    "1,000.5", "people", "at", "10:30", "paid", "5%", "👍🏽", "and", "👨‍👩‍👧‍👦", "cheered",
    "She", "said", "quoted", "and", "left",
    "A", "second", "line", "of", "the", "same", "paragraph",
]  # fmt: skip


def make_article(paragraphs: tuple[str, ...], chrome: tuple[int, ...] = ()) -> Article:
    text = (CRLF + CRLF).join(paragraphs) + CRLF
    spans = paragraph_spans(text)
    assert [text[start:end] for start, end in spans] == list(paragraphs)
    return Article(
        id="hard",
        title="Hard text",
        outlet=None,
        author=None,
        source="hard.txt",
        text=text,
        sha256="0" * 64,
        chrome=tuple(spans[index] for index in chrome),
    )


@pytest.fixture
def hard() -> Article:
    return make_article(HARD_PARAGRAPHS, HARD_CHROME)


def bundled(article_id: str) -> Article:
    return next(a for a in bundled_articles() if a.id == article_id)


def text_of(article: Article, span: Span | None) -> str | None:
    return None if span is None else article.text[span[0] : span[1]]


def selected(document: ReadingDocument) -> str | None:
    return text_of(document.article, document.selection)


def caret_word(document: ReadingDocument) -> str | None:
    return text_of(document.article, document.caret_word)


def caret_to(document: ReadingDocument, passage: str) -> None:
    """The caret on the first character of `passage` (no selection)."""
    document.move_to_offset(document.text.index(passage))
    assert document.text[document.caret :].startswith(passage)


MAX_STEPS = 5000  # more than any test article has words: a motion that never ends is a bug


def until_stuck(step: Callable[[], bool]) -> Iterator[int]:
    """Press `step` until it no longer moves, yielding after each move (failing, not hanging,
    if it moves forever)."""
    for count in range(MAX_STEPS):
        if not step():
            return
        yield count
    pytest.fail("the motion kept moving: it never reached an end")


def walk(document: ReadingDocument, step: Callable[[], bool]) -> list[str]:
    """The caret's word before and after each `step`, until the step no longer moves."""
    seen = [caret_word(document) or ""]
    for _ in until_stuck(step):
        seen.append(caret_word(document) or "")
    return seen


def chrome_sentences(article: Article) -> set[int]:
    return {i for i, span in enumerate(article.sentences) if article.is_chrome(*span)}


def overlaps_folded_chrome(document: ReadingDocument, span: Span) -> bool:
    if document.show_chrome:
        return False
    return any(span[0] < end and start < span[1] for start, end in document.article.chrome)


# -- the hard article's sentences -----------------------------------------------------------------


def test_hard_sentences_split_after_U_S_before_The_but_not_after_Oct(hard: Article) -> None:
    assert [text_of(hard, span) for span in hard.sentences] == [
        "Saved Web Pages",
        "He called it “an obscene step,” in the U.S.",
        "The talks began on Oct. 27 with Abu-Marzouk.",
        "Advertisement",
        "Subscribe now",
        "Russia’s Bogdanov-led team—and the U.K.–based envoy—don't agree.",
        "1,000.5 people at 10:30 paid 5% 👍🏽 and 👨‍👩‍👧‍👦 cheered.",
        "She said 'quoted' and left.",
        "A second line of the same paragraph.",
        "Spread the News",
    ]


def test_j_visits_the_reachable_sentences_and_k_comes_back(hard: Article) -> None:
    document = ReadingDocument(hard)
    visited = [document.cursor]
    for _ in until_stuck(lambda: document.move(1)):
        visited.append(document.cursor)
    assert visited == [1, 2, 5, 6, 7, 8]
    assert not document.move(1)
    for _ in until_stuck(lambda: document.move(-1)):
        visited.append(document.cursor)
    assert visited[6:] == [7, 6, 5, 2, 1]
    # Each sentence motion puts the caret on the sentence's first word.
    assert caret_word(document) == "He"


# -- word motions ---------------------------------------------------------------------------------


def test_w_visits_every_word_in_order_across_sentences_and_past_folded_chrome(
    hard: Article,
) -> None:
    document = ReadingDocument(hard)
    assert walk(document, lambda: document.move_word(1)) == HARD_WORDS
    assert not document.move_word(1)  # the last word: nowhere further to go


def test_b_visits_the_same_words_backwards(hard: Article) -> None:
    document = ReadingDocument(hard)
    for _ in until_stuck(lambda: document.move_word(1)):
        pass
    assert walk(document, lambda: document.move_word(-1)) == HARD_WORDS[::-1]
    assert not document.move_word(-1)


def test_w_and_b_land_in_chrome_when_it_is_shown(hard: Article) -> None:
    document = ReadingDocument(hard, show_chrome=True)
    forward = walk(document, lambda: document.move_word(1))
    assert forward == [
        "Saved", "Web", "Pages", *HARD_WORDS[:17],
        "Advertisement", "Subscribe", "now", *HARD_WORDS[17:],
        "Spread", "the", "News",
    ]  # fmt: skip
    assert walk(document, lambda: document.move_word(-1)) == forward[::-1]


def test_word_caret_follows_the_sentence_cursor_across_U_S_but_not_across_Oct(
    hard: Article,
) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "U.S.")
    assert (caret_word(document), document.cursor) == ("U.S.", 1)
    document.move_word(1)
    assert (caret_word(document), document.cursor) == ("The", 2)
    document.move_word(-1)
    assert (caret_word(document), document.cursor) == ("U.S.", 1)
    caret_to(document, "Oct")
    document.move_word(1)
    assert (caret_word(document), document.cursor) == ("27", 2)  # "Oct. 27" is one sentence


def test_w_from_the_last_word_before_folded_chrome_jumps_over_it(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "Abu-Marzouk")
    assert document.move_word(1)
    assert (caret_word(document), document.cursor) == ("Russia’s", 5)
    assert document.move_word(-1)
    assert (caret_word(document), document.cursor) == ("Abu-Marzouk", 2)


def test_e_goes_to_the_last_character_of_each_word_in_turn(hard: Article) -> None:
    document = ReadingDocument(hard)
    ends: list[tuple[str | None, int]] = []
    for _ in until_stuck(document.move_word_end):
        word = document.caret_word
        assert word is not None
        ends.append((text_of(hard, word), word[1] - 1 - document.caret))
    # "He" is two characters long, so the first `e` goes to its end; every word is visited,
    # always with the caret on the word's last code point.
    assert [word for word, _ in ends] == HARD_WORDS
    assert {offset for _, offset in ends} == {0}


def test_e_inside_a_word_goes_to_its_end_and_on_a_one_letter_word_to_the_next(
    hard: Article,
) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "Marzouk")  # the middle of "Abu-Marzouk"
    document.move_word_end()
    assert document.text[document.caret - 10 : document.caret + 1] == "Abu-Marzouk"
    caret_to(document, "A second")
    document.move_word_end()
    assert document.text[document.caret - 5 : document.caret + 1] == "second"
    caret_to(document, "👨")
    document.move_word_end()  # onto the family's last code point, still the same word
    assert caret_word(document) == "👨‍👩‍👧‍👦"
    assert document.text[document.caret] == "👦"


def test_e_skips_folded_chrome_and_visits_it_when_shown(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "Marzouk")
    document.move_word_end()
    assert document.move_word_end()
    assert caret_word(document) == "Russia’s"
    document = ReadingDocument(hard, show_chrome=True)
    caret_to(document, "Marzouk")
    document.move_word_end()
    document.move_word_end()
    assert caret_word(document) == "Advertisement"


@pytest.mark.parametrize(
    ("article_id", "passage", "expected"),
    [
        (
            "worldcrunch-russia-hamas-alliance-undermining",
            "On Oct. 27, a Hamas delegation",
            ["On", "Oct", "27", "a", "Hamas", "delegation"],
        ),
        (
            "rogin-putin-helping-hamas-hurt-west",
            "an end to U.S. military assistance",
            ["an", "end", "to", "U.S.", "military", "assistance"],
        ),
        (
            "rogin-putin-helping-hamas-hurt-west",
            "its patron, Iran — in part",
            ["its", "patron", "Iran", "in", "part"],
        ),
        (
            "kuzio-iran-war-russia-backing",
            "portraying Israel – like Ukraine – as akin to Nazi-run",
            ["portraying", "Israel", "like", "Ukraine", "as", "akin", "to", "Nazi-run"],
        ),
    ],
)
def test_w_through_bundled_passages_stays_in_one_sentence(
    article_id: str, passage: str, expected: list[str]
) -> None:
    document = ReadingDocument(bundled(article_id))
    caret_to(document, passage)
    sentence = document.cursor
    seen = [caret_word(document)]
    for _ in expected[1:]:
        assert document.move_word(1)
        seen.append(caret_word(document))
        assert document.cursor == sentence
    assert seen == expected


def test_w_crosses_a_bundled_sentence_end() -> None:
    document = ReadingDocument(bundled("rogin-putin-helping-hamas-hurt-west"))
    caret_to(document, "1,300 civilians. Russia’s")
    sentence = document.cursor
    assert sentence is not None
    document.move_word(1)
    assert (caret_word(document), document.cursor) == ("civilians", sentence)
    document.move_word(1)
    assert (caret_word(document), document.cursor) == ("Russia’s", sentence + 1)


def reachable_words(article: Article, show_chrome: bool) -> list[Span]:
    chrome = chrome_sentences(article)
    return [
        word
        for index, (start, end) in enumerate(article.sentences)
        if show_chrome or index not in chrome
        for word in word_spans(article.text, start, end)
    ]


@pytest.mark.parametrize("show_chrome", [False, True], ids=["folded", "shown"])
@pytest.mark.parametrize("article", bundled_articles(), ids=lambda a: a.id)
def test_w_and_b_visit_every_word_of_every_reachable_bundled_sentence(
    article: Article, show_chrome: bool
) -> None:
    document = ReadingDocument(article, show_chrome=show_chrome)
    expected = reachable_words(article, show_chrome)
    forward: list[Span | None] = [document.caret_word]
    for _ in until_stuck(lambda: document.move_word(1)):
        forward.append(document.caret_word)
    assert forward == expected
    backward = [document.caret_word]
    for _ in until_stuck(lambda: document.move_word(-1)):
        backward.append(document.caret_word)
    assert backward == expected[::-1]
    if not show_chrome:
        assert not any(article.is_chrome(*word) for word in expected)
    elif article.chrome:
        assert any(article.is_chrome(*word) for word in expected)


# -- selecting by word ----------------------------------------------------------------------------


def test_v_then_w_and_b_grow_and_shrink_by_whole_words(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "an obscene")
    assert document.start_selection(mode=True)
    assert document.selecting
    seen = [selected(document)]
    for delta in (1, 1, -1, -1, -1, -1, 1, 1):
        assert document.move_word(delta)
        seen.append(selected(document))
    # Past the anchor word the selection grows backwards from it, then shrinks back to it.
    assert seen == [
        "an",
        "an obscene",
        "an obscene step",
        "an obscene",
        "an",
        "it “an",
        "called it “an",
        "it “an",
        "an",
    ]
    assert document.target == document.selection


def test_v_then_e_extends_to_the_end_of_the_next_word(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "Bogdanov-led")
    document.start_selection(mode=True)
    assert selected(document) == "Bogdanov-led"
    document.move_word_end()
    assert selected(document) == "Bogdanov-led team"
    document.move_word_end()
    assert selected(document) == "Bogdanov-led team—and"


def test_a_word_selection_crosses_sentences_and_lines_literally(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "U.S.")
    document.start_selection(mode=True)
    document.move_word(1)
    assert selected(document) == "U.S. The"
    document.cancel_selection()
    caret_to(document, "left.")
    document.start_selection(mode=True)
    document.move_word(1)
    assert selected(document) == f"left.{CRLF}A"


def test_emoji_are_selected_whole(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "👍🏽")
    document.start_selection(mode=True)
    assert selected(document) == "👍🏽"
    document.move_word(1)
    document.move_word(1)
    assert selected(document) == "👍🏽 and 👨‍👩‍👧‍👦"
    selection = document.selection
    assert selection is not None
    start = hard.text.index("👍🏽")
    assert selection == (start, start + 2 + 5 + 7)


def test_a_selection_anchored_on_whitespace_starts_at_the_next_word(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, " obscene")
    assert document.caret_word is None
    document.start_selection(mode=True)
    assert document.selection is None  # only a space so far: nothing to tag
    assert document.target == document.current
    document.move_word(1)
    assert selected(document) == "obscene"


def test_escape_drops_the_selection_and_the_caret_stays(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "obscene")
    document.start_selection(mode=True)
    document.move_word(1)
    caret = document.caret
    assert document.cancel_selection()
    assert (document.selection, document.selecting, document.anchor) == (None, False, None)
    assert document.caret == caret
    assert document.target == document.current
    assert not document.cancel_selection()
    # Motions move the caret again.
    document.move_word(1)
    assert document.selection is None


# -- selecting by sentence --------------------------------------------------------------------


def test_j_and_k_grow_and_shrink_by_sentence_back_to_the_anchor_word(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "an obscene")
    document.start_selection(mode=True)
    steps: list[tuple[int, bool, str | None]] = [(0, True, "an")]
    for delta in (1, 1, 1, -1, -1, -1, -1, 1, 1):
        moved = document.move(delta)
        steps.append((delta, moved, selected(document)))
    assert steps == [
        (0, True, "an"),
        (1, True, "an obscene step,” in the U.S."),
        (1, True, "an obscene step,” in the U.S. The talks began on Oct. 27 with Abu-Marzouk."),
        (1, False, "an obscene step,” in the U.S. The talks began on Oct. 27 with Abu-Marzouk."),
        (-1, True, "an obscene step,” in the U.S."),
        (-1, True, "an"),  # back to the anchor word, not past it
        (-1, True, "He called it “an"),
        (-1, False, "He called it “an"),  # the first sentence before folded chrome
        (1, True, "an"),
        (1, True, "an obscene step,” in the U.S."),
    ]


def test_j_while_selecting_crosses_chrome_when_it_is_shown(hard: Article) -> None:
    document = ReadingDocument(hard, show_chrome=True)
    caret_to(document, "Abu-Marzouk")
    document.start_selection(mode=True)
    document.move(1)
    document.move(1)
    assert selected(document) == f"Abu-Marzouk.{CRLF}{CRLF}Advertisement"


def test_j_in_a_crlf_paragraph_never_ends_on_a_carriage_return(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "She")
    document.start_selection(mode=True)
    document.move(1)
    assert selected(document) == "She said 'quoted' and left."
    document.move(1)
    assert selected(document) == HARD_PARAGRAPHS[4]
    assert document.selection == hard.paragraphs[4]


def test_move_by_several_sentences_while_selecting(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "Russia’s")
    document.start_selection(mode=True)
    document.move(3)
    assert selected(document) == (HARD_PARAGRAPHS[3] + CRLF + CRLF + "She said 'quoted' and left.")


# -- selecting to the ends ------------------------------------------------------------------


def test_G_and_g_while_selecting_stop_before_folded_chrome(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "Oct")
    document.start_selection(mode=True)
    assert document.move_to_end(last=True)
    assert selected(document) == "Oct. 27 with Abu-Marzouk."
    assert document.move_to_end(last=False)
    assert selected(document) == FIRST[: FIRST.index(". 27")]
    document.cancel_selection()
    caret_to(document, "1,000.5")
    document.start_selection(mode=True)
    document.move_to_end(last=True)
    assert selected(document) == (
        "1,000.5 people at 10:30 paid 5% 👍🏽 and 👨‍👩‍👧‍👦 cheered."
        + CRLF
        + CRLF
        + HARD_PARAGRAPHS[4]
    )
    document.move_to_end(last=False)
    assert selected(document) == (
        "Russia’s Bogdanov-led team—and the U.K.–based envoy—don't agree. 1,000.5"
    )


def test_G_while_selecting_with_chrome_shown_goes_to_the_last_word(hard: Article) -> None:
    document = ReadingDocument(hard, show_chrome=True)
    caret_to(document, "She")
    document.start_selection(mode=True)
    document.move_to_end(last=True)
    assert selected(document) == HARD_PARAGRAPHS[4] + CRLF + CRLF + "Spread the News"


# -- paragraphs -----------------------------------------------------------------------------------


def test_p_selects_the_paragraph_and_again_extends_to_the_next(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "10:30")  # the middle of a two-sentence paragraph
    assert document.select_paragraph()
    assert document.selection == hard.paragraphs[3]
    assert selected(document) == HARD_PARAGRAPHS[3]
    assert document.select_paragraph()
    assert document.selection == (hard.paragraphs[3][0], hard.paragraphs[4][1])
    assert selected(document) == HARD_PARAGRAPHS[3] + CRLF + CRLF + HARD_PARAGRAPHS[4]
    # The next paragraph is folded chrome: the selection stays.
    assert not document.select_paragraph()
    assert selected(document) == HARD_PARAGRAPHS[3] + CRLF + CRLF + HARD_PARAGRAPHS[4]


def test_p_before_folded_chrome_does_not_extend_but_does_when_chrome_is_shown(
    hard: Article,
) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "obscene")
    document.select_paragraph()
    assert selected(document) == HARD_PARAGRAPHS[1]
    assert not document.select_paragraph()
    assert selected(document) == HARD_PARAGRAPHS[1]
    document = ReadingDocument(hard, show_chrome=True)
    caret_to(document, "obscene")
    document.select_paragraph()
    document.select_paragraph()
    assert selected(document) == HARD_PARAGRAPHS[1] + CRLF + CRLF + HARD_PARAGRAPHS[2]


def test_p_then_w_and_b_move_the_head_by_words(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "She")
    document.select_paragraph()
    # The head goes to word starts: the first `b` gives back only the full stop.
    assert FOURTH.endswith(" same paragraph.")
    document.move_word(-1)
    assert selected(document) == FOURTH[:-1]
    document.move_word(-1)
    assert selected(document) == FOURTH[: -len(" paragraph.")]
    document.move_word(1)
    assert selected(document) == FOURTH[:-1]


@pytest.mark.parametrize("article", bundled_articles(), ids=lambda a: a.id)
def test_p_selects_exactly_each_bundled_paragraph_and_extends_to_the_next(
    article: Article,
) -> None:
    document = ReadingDocument(article)
    paragraphs = article.paragraphs
    checked = 0
    for index, (start, end) in enumerate(paragraphs):
        if article.is_chrome(start, end):
            continue
        # From a word in its middle, not only from its start.
        words = word_spans(article.text, start, end)
        document.cancel_selection()
        document.move_to_offset(words[len(words) // 2][0])
        assert document.select_paragraph()
        assert document.selection == (start, end)
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        extended = document.select_paragraph()
        if following is not None and not article.is_chrome(*following):
            assert extended
            assert document.selection == (start, following[1])
        else:
            assert not extended
            assert document.selection == (start, end)
        checked += 1
    assert checked >= 10


# -- folded chrome and selections ---------------------------------------------------------------


def test_selecting_a_span_across_folded_chrome_clamps_it_before_the_fold(hard: Article) -> None:
    document = ReadingDocument(hard)
    start = hard.text.index("obscene")
    end = hard.text.index("agree") + len("agree")
    assert document.select((start, end))
    assert selected(document) == FIRST[FIRST.index("obscene") :]
    assert document.cursor == 2
    assert overlaps_folded_chrome(document, (start, end))  # the span asked for crosses it
    selection = document.selection
    assert selection is not None and not overlaps_folded_chrome(document, selection)


def test_select_snaps_a_mid_word_span_to_whole_words(hard: Article) -> None:
    document = ReadingDocument(hard)
    start = hard.text.index("bscene")
    end = hard.text.index("tep,") + 1
    assert document.select((start, end))
    assert selected(document) == "obscene step"
    assert not document.select((start, start))  # an empty span selects nothing


def test_b_cannot_pull_a_selection_back_over_folded_chrome(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "Russia’s")
    document.start_selection(mode=True)
    document.move_word(-1)  # the head onto the anchor word's start
    assert selected(document) == "Russia’s"
    assert not document.move_word(-1)  # "Abu-Marzouk" is past the fold
    document.move(-1)
    document.move_to_end(last=False)
    assert selected(document) == "Russia’s"
    assert document.cursor == 5


def test_showing_chrome_lets_a_selection_cross_it_and_folding_cancels_that_selection(
    hard: Article,
) -> None:
    document = ReadingDocument(hard, show_chrome=True)
    caret_to(document, "Abu-Marzouk")
    document.start_selection(mode=True)
    for _ in range(3):
        document.move_word(1)
    assert selected(document) == f"Abu-Marzouk.{CRLF}{CRLF}Advertisement{CRLF}Subscribe now"
    document.show_chrome = False
    assert (document.selection, document.anchor, document.selecting) == (None, None, False)
    assert document.cursor == 5  # the head was on "now": the next reachable sentence
    current = document.current
    assert current is not None and current[0] <= document.caret < current[1]
    assert not hard.is_chrome(*current)


def test_folding_cancels_a_selection_anchored_in_chrome(hard: Article) -> None:
    document = ReadingDocument(hard, show_chrome=True)
    caret_to(document, "Subscribe")
    document.start_selection(mode=True)
    document.move(1)
    assert selected(document) == "Subscribe now"
    document.move(1)
    assert selected(document) == f"Subscribe now{CRLF}{CRLF}" + HARD_PARAGRAPHS[3].split(" 1,")[0]
    document.show_chrome = False
    assert document.selection is None
    assert document.cursor == 5


def test_folding_keeps_a_selection_that_does_not_cross_chrome(hard: Article) -> None:
    document = ReadingDocument(hard)
    caret_to(document, "an obscene")
    document.start_selection(mode=True)
    document.move_word(1)
    document.show_chrome = True
    document.show_chrome = False
    assert selected(document) == "an obscene"
    assert document.selecting


# -- random motions keep the model's promises ----------------------------------------------------


def check_invariants(document: ReadingDocument, history: list[str]) -> None:
    article = document.article
    text = article.text
    cursor = document.cursor
    assert cursor is not None, history
    start, end = article.sentences[cursor]
    # The current sentence is reachable and holds the caret.
    assert document.show_chrome or not article.is_chrome(start, end), history
    assert start <= document.caret < end, history
    selection = document.selection
    if selection is None:
        return
    left, right = selection
    assert left < right, history
    assert not overlaps_folded_chrome(document, selection), (selection, history)
    assert not text[left].isspace() and not text[right - 1].isspace(), (selection, history)
    for w_left, w_right in word_spans(text, max(0, left - 60), min(len(text), right + 60)):
        assert not w_left < left < w_right, (selection, history)
        assert not w_left < right < w_right, (selection, history)


def random_walk(article: Article, seed: int, steps: int = 150) -> None:
    rng = random.Random(seed)
    document = ReadingDocument(article, show_chrome=rng.random() < 0.3)
    size = len(article.text)
    history: list[str] = []
    actions: dict[str, Callable[[], object]] = {
        "j": lambda: document.move(1),
        "k": lambda: document.move(-1),
        "3j": lambda: document.move(3),
        "3k": lambda: document.move(-3),
        "g": lambda: document.move_to_end(last=False),
        "G": lambda: document.move_to_end(last=True),
        "w": lambda: document.move_word(1),
        "b": lambda: document.move_word(-1),
        "e": lambda: document.move_word_end(),
        "v": lambda: document.start_selection(mode=True),
        "shift": lambda: document.start_selection(),
        "escape": document.cancel_selection,
        "p": document.select_paragraph,
    }
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.1:
            offset = rng.randrange(size)
            history.append(f"move_to_offset({offset})")
            document.move_to_offset(offset)
        elif roll < 0.15:
            history.append("f")
            document.show_chrome = not document.show_chrome
        elif roll < 0.2 and document.cursor is not None:
            # A span from a word the caret could reach (a search hit, an annotation) to
            # anywhere after it; the view selects no other kind.
            words = document.words(document.cursor)
            start = rng.choice(words)[0]
            end = rng.randrange(start + 1, min(size, start + 400) + 1)
            history.append(f"select({start}, {end})")
            document.select((start, end))
        else:
            key = rng.choice(list(actions))
            history.append(key)
            actions[key]()
        check_invariants(document, history[-15:])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(
    "article",
    [make_article(HARD_PARAGRAPHS, HARD_CHROME), *bundled_articles()],
    ids=lambda a: a.id,
)
def test_random_motions_keep_the_caret_in_a_reachable_sentence_and_selections_clean(
    article: Article, seed: int
) -> None:
    random_walk(article, seed)


# -- known bugs -----------------------------------------------------------------------------------


def test_select_from_inside_folded_chrome_never_selects_the_chrome(hard: Article) -> None:
    document = ReadingDocument(hard)
    chrome_start = hard.paragraphs[2][0]
    document.select((chrome_start, hard.paragraphs[3][1]))
    selection = document.selection
    # Either nothing, or the reachable part only ("Russia’s ... cheered.").
    assert selection is None or not overlaps_folded_chrome(document, selection)


def test_select_wholly_inside_folded_chrome_is_refused(hard: Article) -> None:
    document = ReadingDocument(hard)
    assert not document.select(hard.paragraphs[5])
    assert document.selection is None
    current = document.current
    assert current is not None and current[0] <= document.caret < current[1]


def test_select_from_whitespace_across_folded_chrome_keeps_the_caret_in_its_sentence(
    hard: Article,
) -> None:
    document = ReadingDocument(hard)
    gap = hard.paragraphs[1][1]  # the "\r" after "Abu-Marzouk."
    document.select((gap, hard.paragraphs[3][1]))
    current = document.current
    assert current is not None and current[0] <= document.caret < current[1]


# -- SpanMarks: overlapping and nested annotations ------------------------------------------------

MARKS_TEXT = (
    "He called it “an obscene step,” in the U.S. The talks began on Oct. 27 with Abu-Marzouk. "
    "Russia’s Bogdanov-led team agreed."
)


def span_of(passage: str) -> Span:
    start = MARKS_TEXT.index(passage)
    return (start, start + len(passage))


def annotate(passage: str, label: str = "", note: str = "", annotator: str = "ana") -> Annotation:
    start, end = span_of(passage)
    return Annotation.create(
        article="hard",
        text=MARKS_TEXT,
        start=start,
        end=end,
        label=label,
        note=note,
        annotator=annotator,
    )


SENTENCE_ONE = "He called it “an obscene step,” in the U.S."
PHRASE = "an obscene step"
CROSSING = "in the U.S. The talks"  # across a sentence end, overlapping the first sentence
LONG = MARKS_TEXT[: MARKS_TEXT.index(" Russia’s")]


@pytest.fixture
def layered() -> dict[str, Annotation]:
    return {
        "sentence": annotate(SENTENCE_ONE, "claim"),
        "phrase": annotate(PHRASE, "opinion"),
        "phrase note": annotate(PHRASE, note="loaded words"),
        "crossing": annotate(CROSSING, "unverified", annotator="bob"),
        "long": annotate(LONG, "claim", annotator="bob"),
        "name": annotate("Bogdanov-led", "claim"),
        "orphan": annotate("Abu-Marzouk", "claim").evolve(anchor="orphan", anchor_score=0.0),
    }


def spans(marks: list[Mark]) -> list[str]:
    return [MARKS_TEXT[mark.start : mark.end] for mark in marks]


def test_marks_exclude_orphans_and_are_ordered_by_start_longest_first(
    layered: dict[str, Annotation],
) -> None:
    marks = SpanMarks.of(layered.values(), (), "ana")
    assert marks.by_id(layered["orphan"].id) is None
    assert [m.id for m in marks.marks] == [
        layered["long"].id,  # starts at 0 and is the longest
        layered["sentence"].id,
        layered["phrase note"].id,  # the same span as the phrase label: a note sorts first
        layered["phrase"].id,
        layered["crossing"].id,
        layered["name"].id,
    ]
    assert marks.at(span_of("Abu-Marzouk")[0]) == [
        m for m in marks.marks if m.id == layered["long"].id
    ]
    mark = marks.by_id(layered["crossing"].id)
    assert mark is not None
    assert (mark.label, mark.own, mark.annotator) == ("unverified", False, "bob")


def test_at_lists_the_marks_under_an_offset_innermost_first(
    layered: dict[str, Annotation],
) -> None:
    marks = SpanMarks.of(layered.values(), (), "ana")
    inside_phrase = span_of("obscene")[0]
    assert spans(marks.at(inside_phrase)) == [PHRASE, PHRASE, SENTENCE_ONE, LONG]
    assert [m.label for m in marks.at(inside_phrase)][:2] == ["", "opinion"]
    # Where the crossing annotation overlaps the first sentence: three layers.
    inside_crossing = span_of("U.S.")[0]
    assert spans(marks.at(inside_crossing)) == [CROSSING, SENTENCE_ONE, LONG]
    # The space after "U.S." is still inside the crossing annotation but past the sentence.
    after_sentence = span_of(" The talks")[0]
    assert spans(marks.at(after_sentence)) == [CROSSING, LONG]
    assert marks.at(span_of(" Russia’s")[0]) == []
    assert spans(marks.at(span_of("Bogdanov")[0])) == ["Bogdanov-led"]


def test_overlapping_is_half_open_and_finds_long_marks_that_start_far_back(
    layered: dict[str, Annotation],
) -> None:
    marks = SpanMarks.of(layered.values(), (), "ana")
    talks = span_of("talks")
    assert spans(marks.overlapping(*talks)) == [LONG, CROSSING]
    end_of_phrase = span_of(PHRASE)[1]
    # [end, end+1) is the comma after the phrase: the phrase marks end there, so are not on it.
    assert PHRASE not in spans(marks.overlapping(end_of_phrase, end_of_phrase + 1))
    # An empty span finds the marks that contain its position.
    assert spans(marks.overlapping(end_of_phrase - 1, end_of_phrase - 1)) == [
        LONG,
        SENTENCE_ONE,
        PHRASE,
        PHRASE,
    ]
    assert marks.overlapping(len(MARKS_TEXT) - 1, len(MARKS_TEXT)) == []


def test_next_start_steps_forward_and_back_through_mark_starts(
    layered: dict[str, Annotation],
) -> None:
    marks = SpanMarks.of(layered.values(), (), "ana")
    forward: list[str] = []
    mark = marks.next_start(-1, forward=True)
    for _ in range(len(marks.marks)):  # bounded: a stuck step would repeat one mark forever
        if mark is None:
            break
        forward.append(MARKS_TEXT[mark.start : mark.end])
        mark = marks.next_start(mark.start, forward=True)
    # One stop per starting offset (the view's `s` steps through marks sharing a start).
    assert forward == [LONG, PHRASE, CROSSING, "Bogdanov-led"]
    backward: list[str] = []
    mark = marks.next_start(len(MARKS_TEXT), forward=False)
    for _ in range(len(marks.marks)):
        if mark is None:
            break
        backward.append(MARKS_TEXT[mark.start : mark.end])
        mark = marks.next_start(mark.start, forward=False)
    assert backward == ["Bogdanov-led", CROSSING, PHRASE, SENTENCE_ONE]
    # From inside a mark: the next one starting after the offset, the last one before it.
    inside = span_of("talks")[0]
    after = marks.next_start(inside, forward=True)
    before = marks.next_start(inside, forward=False)
    assert after is not None and MARKS_TEXT[after.start : after.end] == "Bogdanov-led"
    assert before is not None and MARKS_TEXT[before.start : before.end] == CROSSING
    # Orphans are not stops.
    assert marks.next_start(span_of("with")[0], forward=True) == after


def test_tags_others_and_notes_of_nested_marks(layered: dict[str, Annotation]) -> None:
    marks = SpanMarks.of(layered.values(), (), "ana")
    assert marks.tags == {
        span_of(SENTENCE_ONE): ("claim",),
        span_of(PHRASE): ("opinion",),
        span_of("Bogdanov-led"): ("claim",),
    }
    assert marks.others == {span_of(CROSSING): ("unverified",), span_of(LONG): ("claim",)}
    assert marks.notes == {span_of(PHRASE): "loaded words"}


@pytest.mark.parametrize("seed", range(5))
def test_span_marks_queries_match_a_plain_scan(seed: int) -> None:
    rng = random.Random(seed)
    size = len(MARKS_TEXT)
    annotations = []
    for _ in range(40):
        start = rng.randrange(size - 1)
        end = rng.randrange(start + 1, min(size, start + rng.choice((3, 20, 120))) + 1)
        annotation = Annotation.create(
            article="hard",
            text=MARKS_TEXT,
            start=start,
            end=end,
            label=rng.choice(("claim", "opinion", "unverified")),
            annotator=rng.choice(("ana", "bob")),
        )
        if rng.random() < 0.15:
            annotation = annotation.evolve(anchor="orphan", anchor_score=0.0)
        annotations.append(annotation)
    kept = [a for a in annotations if a.anchor != "orphan"]
    marks = SpanMarks.of(annotations, (), "ana")
    assert sorted(m.id for m in marks.marks) == sorted(a.id for a in kept)
    for _ in range(200):
        start = rng.randrange(size)
        end = rng.randrange(start, min(size, start + 50) + 1)
        probe_end = max(end, start + 1)
        expected = {a.id for a in kept if a.start < probe_end and a.end > start}
        assert {m.id for m in marks.overlapping(start, end)} == expected
        under = marks.at(start)
        assert {m.id for m in under} == {a.id for a in kept if a.start <= start < a.end}
        lengths = [m.end - m.start for m in under]
        assert lengths == sorted(lengths)
        following = marks.next_start(start, forward=True)
        later = [a.start for a in kept if a.start > start]
        assert (following.start if following else None) == (min(later) if later else None)
        preceding = marks.next_start(start, forward=False)
        earlier = [a.start for a in kept if a.start < start]
        assert (preceding.start if preceding else None) == (max(earlier) if earlier else None)


def test_folds_are_found_by_bisection_exactly_as_by_a_scan_of_every_region() -> None:
    """crosses_fold and the head's clamping bisect the chrome regions (a 5 MB article has
    thousands, and search asks of every hit); checked against the plain scan they replace."""
    generator = random.Random(7)
    paragraphs = tuple(f"Paragraph {i} has words in it." for i in range(60))
    chrome = tuple(sorted(generator.sample(range(1, 60), 25)))
    article = make_article(paragraphs, chrome)
    document = ReadingDocument(article)
    regions = article.chrome
    assert len(regions) > 5

    def crosses(a: int, b: int) -> bool:
        low, high = sorted((a, b))
        return any(low < end and start <= high for start, end in regions)

    def clamped(anchor: int, head: int) -> int:
        head = max(0, min(head, len(article.text) - 1))
        for start, end in regions:
            if anchor < start <= head:
                head = start - 1
            elif head < end <= anchor:
                head = end
        while head > anchor and article.text[head].isspace():
            head -= 1
        while head < anchor and article.text[head].isspace():
            head += 1
        return head

    length = len(article.text)
    reachable = [offset for offset in range(length) if not crosses(offset, offset)]
    for _ in range(3000):
        a, b = generator.randrange(length), generator.randrange(length)
        assert document.crosses_fold(a, b) == crosses(a, b), (a, b)
        anchor = generator.choice(reachable)
        document.anchor = anchor
        assert document._clamp_head(b) == clamped(anchor, b), (anchor, b)
    document.show_chrome = True
    assert not document.crosses_fold(0, length - 1)


@pytest.mark.parametrize("show_chrome", [False, True])
def test_sentences_found_as_reached_move_exactly_as_all_found_at_once(
    monkeypatch: pytest.MonkeyPatch, show_chrome: bool
) -> None:
    """A long article's sentences are found a slice at a time (reader.document.SEGMENT_CHARS);
    with tiny slices, every motion over every bundled article goes exactly where it goes when
    all are found at once, and the sentences end up those of the whole text."""
    from corpus.segment import sentence_spans
    from reader import document as document_module

    def pair(article: Article) -> tuple[ReadingDocument, ReadingDocument]:
        monkeypatch.setattr(document_module, "SEGMENT_CHARS", 10**9)
        whole = ReadingDocument(article, show_chrome=show_chrome)
        monkeypatch.setattr(document_module, "SEGMENT_CHARS", 150)
        return ReadingDocument(article, show_chrome=show_chrome), whole

    def by_sentence(document: ReadingDocument) -> list[str]:
        return walk(document, lambda: document.move(1))

    def by_word(document: ReadingDocument) -> list[str]:
        return walk(document, lambda: document.move_word(1))

    for article in bundled_articles():
        lazy, whole = pair(article)
        assert not lazy.complete and len(lazy.sentences) < len(whole.sentences)
        assert by_sentence(lazy) == by_sentence(whole)
        lazy, whole = pair(article)
        assert by_word(lazy) == by_word(whole)
        lazy, whole = pair(article)
        far = len(article.text) * 3 // 4
        assert lazy.sentence_at(far) == whole.sentence_at(far)
        lazy, whole = pair(article)
        lazy.move_to_end(True)
        whole.move_to_end(True)
        assert lazy.cursor == whole.cursor
        assert lazy.complete
        assert lazy.sentences == whole.sentences == sentence_spans(article.text)
        lazy, whole = pair(article)
        lazy.start_selection(mode=True)
        whole.start_selection(mode=True)
        for _ in range(40):
            lazy.move(1)
            whole.move(1)
        assert lazy.selection == whole.selection
        while not lazy.segment_more(150):
            pass
        assert lazy.sentences == sentence_spans(article.text)
