"""corpus.words: the words of hard text (quotes, dotted abbreviations, dashes, hyphenated names,
apostrophes, numbers, emoji, CRLF) and snapping a span to whole words.

A word is what a reader would double-click; offsets index the verbatim text. A known bug is kept
as a strict xfail until it is fixed (it then starts passing, and so fails).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

import pytest

from corpus.loader import bundled_articles
from corpus.model import Article
from corpus.words import Span, snap_to_words, word_spans


def words(text: str, start: int = 0, end: int | None = None) -> list[str]:
    return [text[left:right] for left, right in word_spans(text, start, end)]


def bundled(article_id: str) -> Article:
    return next(a for a in bundled_articles() if a.id == article_id)


def sequential_spans(text: str, expected: list[str]) -> list[Span]:
    """Where each expected word lies, searching on from the end of the one before."""
    spans: list[Span] = []
    position = 0
    for word in expected:
        start = text.index(word, position)
        spans.append((start, start + len(word)))
        position = start + len(word)
    return spans


# -- words of hard text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "He called it “an obscene step,” and left.",
            ["He", "called", "it", "an", "obscene", "step", "and", "left"],
            id="curly-double-quotes",
        ),
        pytest.param(
            "‘Single curly’ quotes",
            ["Single", "curly", "quotes"],
            id="curly-single-quotes",
        ),
        pytest.param(
            "She said 'quoted' and \"straight\".",
            ["She", "said", "quoted", "and", "straight"],
            id="straight-quotes",
        ),
        pytest.param(
            "Troops arrived in the U.S. The talks began.",
            ["Troops", "arrived", "in", "the", "U.S.", "The", "talks", "began"],
            id="U.S.-ending-a-sentence-keeps-its-dot",
        ),
        pytest.param(
            "the U.K. and the U.S. agreed",
            ["the", "U.K.", "and", "the", "U.S.", "agreed"],
            id="U.K.-and-U.S.",
        ),
        pytest.param(
            "e.g. at 10 a.m. in the U.S.A.",
            ["e.g.", "at", "10", "a.m.", "in", "the", "U.S.A."],
            id="dotted-abbreviations",
        ),
        pytest.param(
            "On Oct. 27, a delegation came.",
            ["On", "Oct", "27", "a", "delegation", "came"],
            id="Oct.-27",
        ),
        pytest.param(
            "Iran—and Russia — and",
            ["Iran", "and", "Russia", "and"],
            id="em-dashes-with-and-without-spaces",
        ),
        pytest.param(
            "Hamas–Israel, 1990–2000, Israel – like Ukraine –",
            ["Hamas", "Israel", "1990", "2000", "Israel", "like", "Ukraine"],
            id="en-dashes",
        ),
        pytest.param(
            "Abu-Marzouk and the Bogdanov-led team",
            ["Abu-Marzouk", "and", "the", "Bogdanov-led", "team"],
            id="hyphenated-names",
        ),
        pytest.param(
            "state-of-the-art well‐known non‑breaking F-16s COVID-19",
            ["state-of-the-art", "well‐known", "non‑breaking", "F-16s", "COVID-19"],
            id="hyphens-of-every-kind",
        ),
        pytest.param(
            "Russia’s war, don’t and don't, Israel's",
            ["Russia’s", "war", "don’t", "and", "don't", "Israel's"],
            id="apostrophes",
        ),
        pytest.param(
            "Hamas’ rockets and ’quoted’ words",
            ["Hamas", "rockets", "and", "quoted", "words"],
            id="apostrophes-at-word-edges-are-not-the-word",
        ),
        pytest.param(
            "1,000.5 people at 10:30 paid 5% on 27/10, 3.5 percent",
            ["1,000.5", "people", "at", "10:30", "paid", "5%", "on", "27/10", "3.5", "percent"],
            id="numbers",
        ),
        pytest.param(
            "€5 and $2.90",
            ["€", "5", "and", "$", "2.90"],
            id="currency-symbols-are-words-of-their-own",
        ),
        pytest.param(
            "end... wait… (paren) [x] “Islamic Jihad.”",
            ["end", "wait", "paren", "x", "Islamic", "Jihad"],
            id="ellipses-and-brackets",
        ),
        pytest.param(
            "café Zoë ΑΘΗΝΑ Москва 中文字符",
            ["café", "Zoë", "ΑΘΗΝΑ", "Москва", "中文字符"],
            id="precomposed-accents-and-other-scripts",
        ),
        pytest.param("— … “ ” ,", [], id="punctuation-only"),
        pytest.param("", [], id="empty"),
    ],
)
def test_words_of_hard_text(text: str, expected: list[str]) -> None:
    assert words(text) == expected
    # And each one exactly where it is in the text.
    assert word_spans(text) == sequential_spans(text, expected)


EMOJI_TEXT = "ok 👍🏽 family 👨‍👩‍👧‍👦 coder 👩🏽‍💻 flag 🇺🇦 pride 🏳️‍🌈 heart ❤️ done"


def test_emoji_with_skin_tones_zwj_sequences_and_flags_are_one_word_each() -> None:
    expected = [
        "ok",
        "👍🏽",
        "family",
        "👨\u200d👩\u200d👧\u200d👦",
        "coder",
        "👩🏽\u200d💻",
        "flag",
        "🇺🇦",
        "pride",
        "🏳️\u200d🌈",
        "heart",
        "❤️",
        "done",
    ]
    assert words(EMOJI_TEXT) == expected
    spans = word_spans(EMOJI_TEXT)
    assert spans == sequential_spans(EMOJI_TEXT, expected)
    # Exact code point offsets: the family is 7 code points, the coder 4, the flag 2.
    family = spans[3]
    assert family == (13, 20)  # "ok " 3, the thumb 2, " family " 8
    assert [right - left for left, right in spans[1::2]] == [2, 7, 4, 2, 4, 2]


def test_emoji_next_to_words_and_punctuation() -> None:
    text = "hi👍🏽! “👨‍👩‍👧‍👦”"
    assert words(text) == ["hi", "👍🏽", "👨\u200d👩\u200d👧\u200d👦"]
    assert word_spans(text) == [(0, 2), (2, 4), (7, 14)]


def test_crlf_text_words_never_hold_line_ends() -> None:
    text = "One.\r\nTwo words.\r\n\r\nThree U.S.\r\n"
    assert words(text) == ["One", "Two", "words", "Three", "U.S."]
    assert word_spans(text) == [(0, 3), (6, 9), (10, 15), (20, 25), (26, 30)]


def test_words_of_a_range_are_offsets_into_the_whole_text() -> None:
    text = "He left. She said “an obscene step,” then left."
    start = text.index("She")
    end = text.index(" then")
    assert words(text, start, end) == ["She", "said", "an", "obscene", "step"]
    assert word_spans(text, start, end)[0] == (start, start + 3)
    assert word_spans(text, start, start) == []


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
            "rogin-putin-helping-hamas-hurt-west",
            "more the 1,300 civilians. Russia’s main",
            ["more", "the", "1,300", "civilians", "Russia’s", "main"],
        ),
        (
            "russia-hamas-alliance-of-convenience",
            "Washington’s battle as Tel Aviv’s – a weakened Israel",
            ["Washington’s", "battle", "as", "Tel", "Aviv’s", "a", "weakened", "Israel"],
        ),
        (
            "kuzio-iran-war-russia-backing",
            "portraying Israel – like Ukraine – as akin to Nazi-run",
            ["portraying", "Israel", "like", "Ukraine", "as", "akin", "to", "Nazi-run"],
        ),
        (
            "worldcrunch-russia-hamas-alliance-undermining",
            "PARIS — It’s a parallel war",
            ["PARIS", "It’s", "a", "parallel", "war"],
        ),
        (
            "worldcrunch-russia-hamas-alliance-undermining",
            'organization "Islamic Jihad."',
            ["organization", "Islamic", "Jihad"],
        ),
        (
            "worldcrunch-russia-hamas-alliance-undermining",
            "You've reached your limit",
            ["You've", "reached", "your", "limit"],
        ),
        (
            "telegraph-putin-axis-of-terror",
            "with 6,000 Palestinians",
            ["with", "6,000", "Palestinians"],
        ),
    ],
)
def test_words_of_bundled_passages(article_id: str, passage: str, expected: list[str]) -> None:
    text = bundled(article_id).text
    start = text.index(passage)
    assert words(text, start, start + len(passage)) == expected


@pytest.mark.parametrize("article", bundled_articles(), ids=lambda a: a.id)
def test_bundled_words_are_ordered_trimmed_and_cover_every_letter_and_digit(
    article: Article,
) -> None:
    text = article.text
    spans = word_spans(text)
    covered = bytearray(len(text))
    previous_end = 0
    for left, right in spans:
        assert previous_end <= left < right, (left, right)
        previous_end = right
        word = text[left:right]
        assert not any(char.isspace() for char in word), repr(word)
        # A word never starts with punctuation, and ends with it only as an abbreviation's dot
        # or a percent sign.
        assert not unicodedata.category(word[0]).startswith("P"), repr(word)
        assert not unicodedata.category(word[-1]).startswith("P") or word[-1] in ".%", word
        covered[left:right] = b"\x01" * (right - left)
    missed = [i for i, char in enumerate(text) if char.isalnum() and not covered[i]]
    assert missed == []


# -- snapping spans to words --------------------------------------------------------------------

QUOTED = "He called it “an obscene step,” and left."


def at(text: str, passage: str, occurrence_start: int = 0) -> int:
    return text.index(passage, occurrence_start)


@pytest.mark.parametrize(
    ("text", "span_of", "expected"),
    [
        pytest.param(
            QUOTED,
            lambda t: (at(t, "scene"), at(t, "tep")),
            "obscene step",
            id="both-ends-mid-word",
        ),
        pytest.param(
            QUOTED,
            lambda t: (at(t, "“"), at(t, "”") + 1),
            "“an obscene step,”",
            id="punctuation-at-the-edges-is-kept",
        ),
        pytest.param(
            QUOTED,
            lambda t: (at(t, " obscene"), at(t, " step") + 1),
            "obscene",
            id="whitespace-trimmed",
        ),
        pytest.param(
            "in the U.S. The talks",
            lambda t: (at(t, "S."), at(t, "S.") + 1),
            "U.S.",
            id="inside-an-abbreviation",
        ),
        pytest.param(
            EMOJI_TEXT,
            lambda t: (at(t, "👩\u200d👧"), at(t, "👩\u200d👧") + 1),
            "👨\u200d👩\u200d👧\u200d👦",
            id="inside-a-zwj-sequence",
        ),
        pytest.param(
            EMOJI_TEXT,
            lambda t: (at(t, "🏽"), at(t, "🏽") + 1),
            "👍🏽",
            id="on-a-skin-tone-modifier",
        ),
        pytest.param(
            "One.\r\nTwo words.\r\n",
            lambda t: (0, at(t, "Two")),
            "One.",
            id="crlf-line-end-trimmed",
        ),
        pytest.param(
            "One.\r\nTwo words.\r\n",
            lambda t: (2, at(t, "wo w") + 1),
            "One.\r\nTwo",
            id="across-a-crlf-line-end",
        ),
    ],
)
def test_snap_to_words(text: str, span_of: Callable[[str], Span], expected: str) -> None:
    span = span_of(text)
    snapped = snap_to_words(text, span)
    assert text[snapped[0] : snapped[1]] == expected
    # The same when the caller hands over the words it already has.
    assert snap_to_words(text, span, word_spans(text)) == snapped


def test_snapping_only_whitespace_gives_an_empty_span() -> None:
    text = "One.\r\n\r\nTwo."
    start, end = snap_to_words(text, (4, 8))
    assert start == end


@pytest.mark.parametrize("seed", range(4))
def test_snapped_random_spans_are_whole_words_without_edge_whitespace(seed: int) -> None:
    rng = random.Random(seed)
    articles = bundled_articles()
    for _ in range(300):
        text = rng.choice(articles).text
        start = rng.randrange(len(text))
        end = rng.randrange(start + 1, min(len(text), start + 300) + 1)
        left, right = snap_to_words(text, (start, end))
        assert snap_to_words(text, (left, right)) == (left, right)  # idempotent
        visible = [i for i in range(start, end) if not text[i].isspace()]
        if not visible:
            assert left == right
            continue
        # It holds every visible character of the span, and no whitespace at its edges.
        assert left <= visible[0] and right >= visible[-1] + 1
        assert not text[left].isspace() and not text[right - 1].isspace()
        # And cuts no word in two.
        for w_left, w_right in word_spans(text, max(0, left - 100), min(len(text), right + 100)):
            assert not w_left < left < w_right and not w_left < right < w_right


# -- hard cases that were bugs, then the known ones ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the 1990s", ["the", "1990s"]),
        ("the ’90s", ["the", "90s"]),
        ("on the 21st", ["on", "the", "21st"]),
        ("a 19-year-old", ["a", "19-year-old"]),
        ("5G masts", ["5G", "masts"]),
    ],
)
def test_numbers_joined_to_letters_are_one_word(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    "word",
    [
        "cafe\u0301",  # café, decomposed (NFD), as macOS file names and some feeds have it
        "nai\u0308ve",
        "हिन्दी",
        "مَرْحَبًا",
    ],
)
def test_combining_characters_stay_in_their_word(word: str) -> None:
    text = f"the {word} here"
    assert words(text) == ["the", word, "here"]


def test_snapping_inside_a_decomposed_word_takes_its_accent() -> None:
    text = "the cafe\u0301 here"
    assert snap_to_words(text, (5, 6)) == (4, 9)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffHello world",  # a BOM: files are decoded as strict utf-8, which keeps it
        "zero\u200bwidth space",
        "co\u00adoperation",  # a soft hyphen, common in text copied from web pages
        "Tel Aviv\u200e said",  # a left-to-right mark, common around Hebrew and Arabic names
    ],
)
def test_invisible_characters_are_never_a_word_of_their_own(text: str) -> None:
    invisible = [word for word in words(text) if all(unicodedata.category(c) == "Cf" for c in word)]
    assert invisible == []


@pytest.mark.parametrize("keycap", ["1\ufe0f\u20e3", "#\ufe0f\u20e3", "*\ufe0f\u20e3"])
def test_a_keycap_emoji_is_one_word(keycap: str) -> None:
    text = f"{keycap} trending"
    assert word_spans(text) == [(0, 3), (4, 12)]


def test_snapping_inside_a_very_long_word_finds_its_start() -> None:
    text = "x" * 300 + " tail"
    assert snap_to_words(text, (250, 260)) == (0, 300)


def test_snapping_inside_a_very_long_word_finds_its_end() -> None:
    text = "head " + "y" * 300
    assert snap_to_words(text, (10, 20)) == (5, 305)
