"""Paragraph and sentence spans, on small texts and on the bundled articles."""

from __future__ import annotations

import random

import pytest

from corpus.loader import bundled_articles
from corpus.segment import paragraph_spans, sentence_spans, sentences_in


def texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in spans]


def article_text(article_id: str) -> str:
    return next(a.text for a in bundled_articles() if a.id == article_id)


# -- paragraphs ---------------------------------------------------------------------------------


def test_paragraphs_split_on_blank_lines_and_are_trimmed() -> None:
    text = "  Head line \n\n\nFirst para\nstill first.  \n \t \nSecond.\n"
    assert texts(text, paragraph_spans(text)) == [
        "Head line",
        "First para\nstill first.",
        "Second.",
    ]


def test_whitespace_only_lines_including_no_break_spaces_separate_paragraphs() -> None:
    text = "One.\n\u00a0\nTwo.\r\n\r\nThree."
    assert texts(text, paragraph_spans(text)) == ["One.", "Two.", "Three."]


def test_paragraph_offsets_index_the_verbatim_text_with_crlf() -> None:
    text = "A line\r\nnext line\r\n\r\nB para\r\n"
    spans = paragraph_spans(text)
    assert texts(text, spans) == ["A line\r\nnext line", "B para"]
    assert spans[1][0] == text.index("B para")


def test_no_paragraphs_in_blank_text() -> None:
    assert paragraph_spans("") == []
    assert paragraph_spans(" \n\n\u00a0\n") == []


# -- sentences on small texts -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He left. She stayed.", ["He left.", "She stayed."]),
        ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
        ("“It is over.” Then he left.", ["“It is over.”", "Then he left."]),
        ('"It is over." Then he left.', ['"It is over."', "Then he left."]),
        ("‘It is over.’ Then he left.", ["‘It is over.’", "Then he left."]),
        ("Wait… Then it came.", ["Wait…", "Then it came."]),
        ("Wait... Then it came.", ["Wait...", "Then it came."]),
        ("“Really?” he asked.", ["“Really?” he asked."]),
        ("He paused… and went on.", ["He paused… and went on."]),
    ],
)
def test_sentence_ends(text: str, expected: list[str]) -> None:
    assert texts(text, sentence_spans(text)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Mr. Smith met Mrs. Jones and Dr. Who at St. Paul's.",
        "On Oct. 7 and Jan. 19, Gen. Miller and Prof. Lee spoke.",
        "The U.S. and the U.N. disagreed with the U.K. again.",
        "It cost $2.90 per month, or 3.5 percent more.",
        "Putin aligned with the US after the 9/11 attacks.",
        "Fruit, e.g. apples, i.e. food, vs. nothing.",
        "A letter from J. Smith arrived.",
    ],
)
def test_abbreviations_numbers_and_initials_do_not_split(sentence: str) -> None:
    assert texts(sentence, sentence_spans(sentence)) == [sentence]


def test_dotted_abbreviation_ends_a_sentence_before_a_common_opener() -> None:
    text = "Troops arrived in the U.S. The talks began."
    assert texts(text, sentence_spans(text)) == ["Troops arrived in the U.S.", "The talks began."]


def test_line_breaks_end_sentences() -> None:
    text = "Headline without stop\nByline Name\nBody starts here and\ncontinues on a line."
    assert texts(text, sentence_spans(text)) == [
        "Headline without stop",
        "Byline Name",
        "Body starts here and",
        "continues on a line.",
    ]


def test_space_before_full_stop_stays_in_the_sentence() -> None:
    text = "Already a subscriber? Log in ."
    assert texts(text, sentence_spans(text)) == ["Already a subscriber?", "Log in ."]


def test_lowercase_after_long_word_is_a_new_sentence() -> None:
    text = "Iran sent drones and weaponry. in Moscow’s eyes, this mattered."
    assert texts(text, sentence_spans(text)) == [
        "Iran sent drones and weaponry.",
        "in Moscow’s eyes, this mattered.",
    ]


def test_sentences_in_crlf_text_exclude_the_carriage_return() -> None:
    text = "One. Two.\r\nThree.\r\n"
    assert texts(text, sentence_spans(text)) == ["One.", "Two.", "Three."]


# -- sentences on the bundled articles ----------------------------------------------------------


@pytest.mark.parametrize(
    ("article_id", "sentence"),
    [
        (
            "rogin-putin-helping-hamas-hurt-west",
            "The timing of the attack could not have been better for Putin, who coincidentally was "
            "celebrating his birthday on Oct. 7, when hundreds of Hamas terrorists entered Israel "
            "and slaughtered more the 1,300 civilians.",
        ),
        (
            "rogin-putin-helping-hamas-hurt-west",
            "Specifically, Moscow is pushing for an end to U.S. military assistance to Ukraine, "
            "which is hanging by a thin thread in Congress.",
        ),
        (
            "rogin-putin-helping-hamas-hurt-west",
            "On Oct. 13, Russia put forth a draft resolution in the U.N. Security Council that "
            "calls for an immediate cease-fire and condemns all acts of terrorism — but does not "
            "mention Hamas.",
        ),
        ("rogin-putin-helping-hamas-hurt-west", "So, we’re not alone on the battlefield.”"),
        (
            "telegraph-putin-axis-of-terror",
            "“The Islamic Republic of Iran stands ready to play its part in this very important "
            "humanitarian endeavour, along with Qatar and Turkey,” he said.",
        ),
        (
            "telegraph-putin-axis-of-terror",
            "They are not thinking yet about the damage that will be done to ties with Israel.”",
        ),
        (
            "telegraph-putin-axis-of-terror",
            "Putin ‘forming axis of terror’ as he welcomes Hamas and Iran to Moscow",
        ),
        (
            "worldcrunch-russia-hamas-alliance-undermining",
            "On Oct. 27, a Hamas delegation paid a visit to Moscow, where they met with Foreign "
            "Minister Sergey Lavrov and his deputy Mikhail Bohdanov.",
        ),
        (
            "worldcrunch-russia-hamas-alliance-undermining",
            "In March of last year, the Russian Federation also hosted a delegation from the "
            'terrorist organization "Islamic Jihad."',
        ),
        ("worldcrunch-russia-hamas-alliance-undermining", "Why is this the case?"),
        ("worldcrunch-russia-hamas-alliance-undermining", "30-days free access, then $2.90"),
        ("worldcrunch-russia-hamas-alliance-undermining", "Log in ."),
        (
            "worldcrunch-russia-hamas-alliance-undermining",
            "in Moscow’s eyes, this elevated Iran's role from a minor player to an equal partner, "
            "particularly in the Middle East.",
        ),
        (
            "russia-hamas-alliance-of-convenience",
            "Russian officials continued to use threatening rhetoric as part of efforts to deter "
            "the United …",
        ),
        (
            "russia-hamas-alliance-of-convenience",
            "Perhaps one of the most important aspects of the timing of Israel’s war on Gaza is "
            "the “international clock.”",
        ),
        (
            "kuzio-iran-war-russia-backing",
            "Putin aligned Russia with the US after the 9/11 terrorist attacks.",
        ),
        ("kuzio-iran-war-russia-backing", "[That Zelensky is Jewish] means absolutely nothing."),
        ("kuzio-iran-war-russia-backing", "‘I could be wrong, but Hitler also had Jewish blood."),
        ("kuzio-iran-war-russia-backing", "Taras Kuzio"),
    ],
)
def test_known_sentences_are_exact_spans(article_id: str, sentence: str) -> None:
    text = article_text(article_id)
    start = text.index(sentence)
    assert (start, start + len(sentence)) in sentence_spans(text)


@pytest.mark.parametrize("abbreviation", ["Oct. ", "U.S. ", "U.N. "])
def test_abbreviations_in_the_corpus_never_end_a_sentence(abbreviation: str) -> None:
    found = 0
    for article in bundled_articles():
        text = article.text
        ends = {end for _, end in sentence_spans(text)}
        position = text.find(abbreviation)
        while position >= 0:
            found += 1
            assert position + len(abbreviation) - 1 not in ends, text[position - 40 : position + 20]
            position = text.find(abbreviation, position + 1)
    assert found >= 2  # the corpus really exercises it


def test_bundled_sentences_are_trimmed_ordered_and_inside_one_line_of_a_paragraph() -> None:
    for article in bundled_articles():
        text = article.text
        sentences = sentence_spans(text)
        paragraphs = paragraph_spans(text)
        assert sentences == sorted(sentences)
        previous_end = 0
        for start, end in sentences:
            assert previous_end <= start < end
            previous_end = end
            chunk = text[start:end]
            assert chunk == chunk.strip() and "\n" not in chunk
            assert any(p_start <= start and end <= p_end for p_start, p_end in paragraphs)
        for start, end in paragraphs:
            assert text[start:end] == text[start:end].strip()
            assert "\n\n" not in text[start:end]


# -- sentences of one paragraph, as the reader reaches it ---------------------------------------

HARD_TEXT = (
    "  Mr. Putin met U.S. officials on Oct. 27.  “Really?” he asked — twice!  \r\n"
    "Abu-Marzouk’s aide said no…  Then he left 🙂. e.g. this stays.\u00a0\r\n"
    "\u00a0\r\n"
    "J. R. R. Tolkien wrote it. The end.   \n"
    "\t\n\n"
    "A line with no end punctuation\nand a second line... And more ‘quotes.’ Here"
)


def recombined_text(size: int, seed: int) -> str:
    """About `size` characters of the bundled paragraphs in a random order, joined by every
    kind of break the segmenter meets: blank lines (LF, CRLF, with spaces), single newlines
    inside a paragraph, trailing spaces, and the hard cases above."""
    paragraphs = [
        article.text[start:end]
        for article in bundled_articles()
        for start, end in article.paragraphs
    ]
    paragraphs.append(HARD_TEXT)
    breaks = ["\n\n", "\r\n\r\n", "\n \n", "  \n\n\n", "\n", " \n", "\r\n", "\n\u00a0\n"]
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        part = rng.choice(paragraphs) + rng.choice(breaks)
        parts.append(part)
        total += len(part)
    return "".join(parts)


def sentences_by_paragraph(text: str) -> list[tuple[int, int]]:
    return [s for paragraph in paragraph_spans(text) for s in sentences_in(text, paragraph)]


@pytest.mark.parametrize("text", [HARD_TEXT, HARD_TEXT.replace("\r\n", "\n"), "", " \n\n "])
def test_sentences_in_each_paragraph_are_the_whole_texts_sentences(text: str) -> None:
    assert sentences_by_paragraph(text) == sentence_spans(text)


def test_sentences_in_the_bundled_paragraphs_equal_the_whole_articles() -> None:
    for article in bundled_articles():
        text = article.text
        whole = sentence_spans(text)
        assert sentences_by_paragraph(text) == whole
        for start, end in article.paragraphs:
            inside = [(s, e) for s, e in whole if start <= s and e <= end]
            assert sentences_in(text, (start, end)) == inside


def test_sentences_in_a_megabyte_of_recombined_paragraphs_equal_the_whole_texts() -> None:
    text = recombined_text(1_000_000, seed=14)
    whole = sentence_spans(text)
    assert len(whole) > 5_000
    assert sentences_by_paragraph(text) == whole
    # Any run of whole paragraphs gives the sentences of that run.
    paragraphs = paragraph_spans(text)
    rng = random.Random(3)
    for _ in range(50):
        first = rng.randrange(len(paragraphs))
        last = min(first + rng.randrange(4), len(paragraphs) - 1)
        start, end = paragraphs[first][0], paragraphs[last][1]
        assert sentences_in(text, (start, end)) == [
            (s, e) for s, e in whole if start <= s and e <= end
        ]


def test_sentences_touching_are_exactly_the_whole_segmentation_s_there() -> None:
    """What `D` compares on a long article: the sentences of the paragraphs passages touch,
    found without segmenting the rest, equal to those of the whole text in those paragraphs."""
    import random

    from corpus.loader import bundled_articles
    from corpus.segment import paragraph_spans, sentence_spans, sentences_touching

    rng = random.Random(7)
    for article in bundled_articles():
        text = article.text
        paragraphs = paragraph_spans(text)
        whole = sentence_spans(text)
        for _ in range(20):
            spans = []
            for _ in range(rng.randint(1, 4)):
                start = rng.randrange(len(text))
                spans.append((start, min(len(text), start + rng.randint(1, 300))))
            touched = [
                p for p in paragraphs if any(s < p[1] and p[0] < max(e, s + 1) for s, e in spans)
            ]
            expected = [s for s in whole if any(p[0] <= s[0] and s[1] <= p[1] for p in touched)]
            assert sentences_touching(text, paragraphs, spans) == expected
    assert (
        sentences_touching("One. Two.\n\nThree.", paragraph_spans("One. Two.\n\nThree."), []) == []
    )
