"""corpus.search: literal, case-insensitive hits whose offsets are true spans of the text, and
stepping through them across the open articles."""

from __future__ import annotations

import re
import string
import sys

import pytest

from corpus.loader import bundled_articles
from corpus.search import LIMIT, SearchResults, find_all


def found(text: str, query: str, *, whole_words: bool = False) -> list[str]:
    """What each hit covers, read back from the text by its offsets."""
    return [text[start:end] for start, end in find_all(text, query, whole_words=whole_words)]


# -- find_all on hard text ------------------------------------------------------------------


def test_case_insensitive_literal_in_order_without_overlaps() -> None:
    text = "Moscow, MOSCOW and moscow; MoScOw."
    assert found(text, "moscow") == ["Moscow", "MOSCOW", "moscow", "MoScOw"]
    assert find_all(text, "MOSCOW") == find_all(text, "moscow")
    assert find_all("aaaa", "aa") == [(0, 2), (2, 4)]
    assert find_all("aaa", "aa") == [(0, 2)]


def test_regex_metacharacters_are_literal() -> None:
    text = "Hamas (a.k.a. the Islamic Resistance Movement) and aXkXaX; $5+ [sic] a|b \\d"
    assert found(text, "(a.k.a.") == ["(a.k.a."]
    assert found(text, "(a.k.a.)") == []  # the text has "(a.k.a. the", no ")" after the dot
    assert found(text, "a.k.a") == ["a.k.a"]  # "." is a dot, not any character: not "aXkXa"
    assert found(text, "$5+") == ["$5+"]
    assert found(text, "[sic]") == ["[sic]"]
    assert found(text, "a|b") == ["a|b"]
    assert found(text, "\\d") == ["\\d"]
    assert found("*.* (.*) ^$", "(.*)") == ["(.*)"]


def test_empty_and_blank_queries_find_nothing() -> None:
    text = "a b\n c"
    for query in ["", " ", "\t", "\n", "\r\n", "   \u00a0 "]:
        assert find_all(text, query) == []
        assert find_all(text, query, whole_words=True) == []


def test_straight_quotes_find_curly_ones_and_curly_find_straight() -> None:
    text = 'Russia’s “obscene step”, Russia\'s "axis" and Russia‘s ʼtypoʼ'
    assert found(text, "russia's") == ["Russia’s", "Russia's", "Russia‘s"]
    assert found(text, "russia’s") == found(text, "russia's")
    assert found(text, '"obscene step"') == ["“obscene step”"]
    assert found(text, '"axis"') == ['"axis"']
    assert found(text, "“axis”") == ['"axis"']
    assert found(text, "'typo'") == ["ʼtypoʼ"]
    # A single quote never finds a double one.
    assert found(text, "'obscene") == []


def test_hyphens_find_unicode_hyphens_but_not_dashes() -> None:
    text = "Abu-Marzouk, Abu‐Marzouk, Abu‑Marzouk, Abu–Marzouk, Abu—Marzouk"
    assert found(text, "abu-marzouk") == ["Abu-Marzouk", "Abu‐Marzouk", "Abu‑Marzouk"]
    assert found(text, "abu‐marzouk") == found(text, "abu-marzouk")
    assert found(text, "abu—marzouk") == ["Abu—Marzouk"]  # an em dash finds only itself
    assert found(text, "abu–marzouk") == ["Abu–Marzouk"]
    assert found("war — and peace", "war - and") == []


def test_any_whitespace_run_finds_any_whitespace_run() -> None:
    text = "Khaled\r\nMashal, Khaled  Mashal, Khaled\u00a0Mashal, Khaled\tMashal, KhaledMashal"
    hits = found(text, "khaled mashal")
    assert hits == ["Khaled\r\nMashal", "Khaled  Mashal", "Khaled\u00a0Mashal", "Khaled\tMashal"]
    assert found(text, "khaled \n  mashal") == hits
    # Spaces around the query do not count (while a phrase is being typed, hits stay put).
    assert found(text, " khaled ") == found(text, "khaled")


def test_crlf_offsets_are_offsets_of_the_verbatim_text() -> None:
    text = "First line.\r\nSecond line, about Hamas.\r\n\r\nHamas again."
    first, last = text.index("Hamas"), text.rindex("Hamas")
    assert find_all(text, "hamas") == [(first, first + 5), (last, last + 5)]
    assert found(text, "hamas. hamas") == ["Hamas.\r\n\r\nHamas"]


def test_offsets_stay_exact_where_lowering_changes_lengths() -> None:
    # "İ".lower() is two characters: offsets found in a lowered copy would drift by one.
    text = "İstanbul talks; ISTANBUL talks. Then Moscow 👍🏽, İzmir and Moscow."
    assert len(text.lower()) != len(text)
    hits = find_all(text, "moscow")
    assert [text[s:e] for s, e in hits] == ["Moscow", "Moscow"]
    assert hits[1][0] == text.rindex("Moscow")
    assert found(text, "istanbul") == ["İstanbul", "ISTANBUL"]
    assert found(text, "İSTANBUL") == ["İstanbul", "ISTANBUL"]
    assert found(text, "izmir") == ["İzmir"]


def test_sharp_s_matches_itself_in_any_case_not_ss() -> None:
    text = "Die Straße, DIE STRAẞE, die Strasse"
    assert found(text, "straße") == ["Straße", "STRAẞE"]
    assert found(text, "STRAẞE") == ["Straße", "STRAẞE"]
    assert found(text, "strasse") == ["Strasse"]  # literal: no folding of ß into ss


def test_other_case_pairs_and_lookalikes() -> None:
    # Python's case rules pair "ſ" with s and the Kelvin sign with k; dotless ı with i.
    text = "Kyiv, \u212ayiv, Kyıv, kyiv"
    assert found(text, "kyiv") == ["Kyiv", "\u212ayiv", "Kyıv", "kyiv"]
    assert found("ſtep and STEP", "step") == ["ſtep", "STEP"]
    # Final sigma and sigma are one letter to IGNORECASE.
    assert found("ΟΔΥΣΣΕΥΣ οδυσσευς", "οδυσσευσ") == ["ΟΔΥΣΣΕΥΣ", "οδυσσευς"]


def test_emoji_keep_offsets_and_presentation_selectors() -> None:
    text = "I 👍🏽 this ❤️ and ❤ and 👨‍👩‍👧 ok"
    assert found(text, "👍") == ["👍"]
    assert found(text, "ok") == ["ok"]
    assert find_all(text, "ok")[0][0] == text.index("ok")
    # A heart found with or without its emoji-presentation selector, which comes along.
    assert found(text, "❤") == ["❤️", "❤"]
    assert found(text, "❤️") == ["❤️", "❤"]
    assert found(text, "👨‍👩‍👧") == ["👨‍👩‍👧"]


def test_combining_characters_composed_or_not() -> None:
    composed = "Café Noir and café au lait"
    decomposed = "Cafe\u0301 Noir and cafe\u0301 au lait"
    for text, cafes in ((composed, ["Café", "café"]), (decomposed, ["Cafe\u0301", "cafe\u0301"])):
        for query in ("café", "cafe\u0301", "CAFÉ"):
            assert found(text, query) == cafes
        # "cafe" is not "café", however the accent is stored: no hit cuts a letter from it.
        assert found(text, "cafe") == []
        # Offsets after a decomposed letter stay exact.
        assert found(text, "au lait") == ["au lait"]
    # A space in an accented query finds a line break too.
    assert found("Cafe\u0301\r\nNoir", "café noir") == ["Cafe\u0301\r\nNoir"]
    assert find_all(decomposed, "noir") == [(6, 10)]
    assert find_all(composed, "noir") == [(5, 9)]


def test_whole_words() -> None:
    text = "Hamas and Hamas-linked men; pro-Hamas; Abu-Marzouk met Abu Marzouk. Hamas’s"
    assert found(text, "hama") == ["Hama"] * 4
    assert found(text, "hama", whole_words=True) == []
    # A hyphen and an apostrophe are not word characters: "Hamas" stands in "Hamas-linked".
    assert len(found(text, "hamas", whole_words=True)) == 4
    assert len(found(text, "abu", whole_words=True)) == 2
    assert found(text, "abu-marzouk", whole_words=True) == ["Abu-Marzouk"]
    assert len(found(text, "marzouk", whole_words=True)) == 2
    assert found(text, "bu-marzou", whole_words=True) == []
    assert found(text, "abu marzouk", whole_words=True) == ["Abu Marzouk"]


def test_whole_words_at_the_ends_of_the_text_and_with_punctuation_at_the_ends() -> None:
    assert found("U.S.", "u.s.", whole_words=True) == ["U.S."]
    text = "The U.S. and the U.S.A. (a.k.a. America)"
    assert found(text, "u.s.", whole_words=True) == ["U.S."]  # not inside "U.S.A."
    assert found(text, "u.s", whole_words=True) == ["U.S", "U.S"]  # a "." after: not a word
    assert found(text, "(a.k.a.", whole_words=True) == ["(a.k.a."]
    assert found("x(a.k.a.", "(a.k.a.", whole_words=True) == []  # a word character before it
    assert found("the", "the", whole_words=True) == ["the"]


def test_whole_words_see_a_letters_accents_as_part_of_it() -> None:
    text = "e\u0301cole, cole, école"
    assert found(text, "cole", whole_words=True) == ["cole"]
    assert find_all(text, "cole", whole_words=True) == [(8, 12)]
    assert found(text, "école", whole_words=True) == ["e\u0301cole", "école"]


def test_a_hit_may_start_inside_a_rejected_one() -> None:
    # "a-a" after "b" starts inside a word; the one two characters on does not.
    assert find_all("ba-a-a", "a-a", whole_words=True) == [(3, 6)]
    assert find_all("xa-a-a", "A-A", whole_words=True) == [(3, 6)]


def test_limit_caps_the_hits() -> None:
    text = "a " * 25
    assert len(find_all(text, "a")) == 25
    assert find_all(text, "a", limit=3) == [(0, 1), (2, 3), (4, 5)]
    assert find_all(text, "a", limit=0) == []
    assert len(find_all("x" * (LIMIT + 5), "x")) == LIMIT


def test_lowered_search_agrees_with_python_case_rules() -> None:
    """ASCII queries search a lowered copy of the text (much faster than IGNORECASE). That is
    right only if lowering keeps word characters and spaces what they are, and if the letters
    IGNORECASE pairs with an ASCII letter are exactly those the lowered search finds."""
    # Every character that lowers to one character (the others send a text the slow way).
    kept = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if len(c.lower()) == 1)
    lowered = kept.lower()
    for kind in (re.compile(r"\w"), re.compile(r"\s")):
        assert [m.start() for m in kind.finditer(kept)] == [
            m.start() for m in kind.finditer(lowered)
        ]
    probe = " ".join(kept)  # each character alone, so every match is one character
    for letter in string.ascii_lowercase:  # an upper-case query is lowered the same way
        by_case_rules = {m.group() for m in re.finditer(letter, kept, re.IGNORECASE)}
        assert {probe[s:e] for s, e in find_all(probe, letter)} == by_case_rules, letter


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    return [(article.id, article.text) for article in bundled_articles()]


def reference_pattern(query: str) -> str:
    """The module's equivalences, written out the plain way."""
    classes = {"'‘’‛ʼ": "['‘’‛ʼ]", '"“”„‟': '["“”„‟]', "-‐‑": "[-‐‑]"}
    out = []
    for char in query:
        kind = next((c for chars, c in classes.items() if char in chars), None)
        out.append(r"\s+" if char.isspace() else kind or re.escape(char))
    return "".join(out)


def test_every_word_of_the_corpus_is_found_as_ignorecase_finds_it(corpus) -> None:
    """On the bundled articles (no combining marks in them), for a spread of their words and a
    few phrases, the hits are those of a plain IGNORECASE regex, and whole words those of the
    same regex between word boundaries."""
    for _, text in corpus:
        words = sorted(set(re.findall(r"\w[\w.’'-]*\w|\w", text)))
        for query in [*words[:: max(1, len(words) // 150)], "Abu Marzouk", "Russia's", "U.S"]:
            plain = reference_pattern(query)
            expected = [m.span() for m in re.finditer(plain, text, re.IGNORECASE)]
            assert find_all(text, query) == expected, query
            bounded = rf"(?<!\w){plain}(?!\w)"
            expected = [m.span() for m in re.finditer(bounded, text, re.IGNORECASE)]
            assert find_all(text, query, whole_words=True) == expected, query


def test_marzouk_across_the_bundled_corpus(corpus) -> None:
    results = SearchResults("Marzouk", False, corpus)
    assert len(results.articles_with_hits) >= 3
    for article_id, text in corpus:
        for start, end in results.hits[article_id]:
            assert text[start:end].lower() == "marzouk"
        assert len(results.hits[article_id]) == text.lower().count("marzouk")
    assert results.total == sum(text.lower().count("marzouk") for _, text in corpus)
    assert results.summary() == f"{results.total} in {len(results.articles_with_hits)} articles"


# -- SearchResults ----------------------------------------------------------------------------

TEXTS = [
    ("a", "Hamas met Hamas."),  # hits at 0 and 10
    ("b", "Nothing here."),
    ("c", "Hamas."),  # hit at 0
    ("d", "Then Hamas, Hamas, Hamas."),  # hits at 5, 12, 19
]
ORDER = ["a", "b", "c", "d"]


def test_results_count_hits_and_articles() -> None:
    results = SearchResults("hamas", False, TEXTS)
    assert results.hits == {
        "a": [(0, 5), (10, 15)],
        "b": [],
        "c": [(0, 5)],
        "d": [(5, 10), (12, 17), (19, 24)],
    }
    assert results.total == 6
    assert results.articles_with_hits == ["a", "c", "d"]
    assert results.order == ORDER
    assert [results.position(i, h) for i in ORDER for h in results.hits[i]] == [1, 2, 3, 4, 5, 6]
    assert results.position("a", (1, 5)) == 0
    assert results.position("zz", (0, 5)) == 0


def test_forward_steps_within_then_across_articles_and_wraps() -> None:
    results = SearchResults("hamas", False, TEXTS)
    step = results.next_hit
    assert step("a", -1, forward=True, order=ORDER) == ("a", (0, 5))
    assert step("a", 0, forward=True, order=ORDER) == ("a", (10, 15))  # strictly after
    assert step("a", 10, forward=True, order=ORDER) == ("c", (0, 5))  # "b" has none
    assert step("c", 0, forward=True, order=ORDER) == ("d", (5, 10))
    assert step("d", 12, forward=True, order=ORDER) == ("d", (19, 24))
    assert step("d", 19, forward=True, order=ORDER) == ("a", (0, 5))  # wraps around
    assert step("b", 3, forward=True, order=ORDER) == ("c", (0, 5))  # from an article with none


def test_backward_steps_within_then_across_articles_and_wraps() -> None:
    results = SearchResults("hamas", False, TEXTS)
    step = results.next_hit
    assert step("d", 19, forward=False, order=ORDER) == ("d", (12, 17))  # strictly before
    assert step("d", 5, forward=False, order=ORDER) == ("c", (0, 5))
    assert step("c", 0, forward=False, order=ORDER) == ("a", (10, 15))  # "b" has none
    assert step("a", 0, forward=False, order=ORDER) == ("d", (19, 24))  # wraps around
    assert step("a", 3, forward=False, order=ORDER) == ("a", (0, 5))
    assert step("b", 0, forward=False, order=ORDER) == ("a", (10, 15))


def test_stepping_follows_the_pane_order_given() -> None:
    results = SearchResults("hamas", False, TEXTS)
    panes = ["d", "a", "c"]  # the panes now show these, in this order
    assert results.next_hit("d", 19, forward=True, order=panes) == ("a", (0, 5))
    assert results.next_hit("c", 0, forward=True, order=panes) == ("d", (5, 10))
    assert results.next_hit("d", 5, forward=False, order=panes) == ("c", (0, 5))
    # An article that is not in `order` steps in from the first (last) pane.
    assert results.next_hit("b", 0, forward=True, order=panes) == ("d", (5, 10))
    assert results.next_hit("b", 0, forward=False, order=panes) == ("c", (0, 5))


def test_a_single_article_wraps_onto_itself_and_no_hits_is_none() -> None:
    results = SearchResults("hamas", False, TEXTS)
    assert results.next_hit("c", 0, forward=True, order=["c"]) == ("c", (0, 5))
    assert results.next_hit("c", 0, forward=False, order=["c"]) == ("c", (0, 5))
    assert results.next_hit("a", 10, forward=True, order=["a", "b"]) == ("a", (0, 5))
    none = SearchResults("zzzz", False, TEXTS)
    assert none.total == 0 and none.articles_with_hits == []
    assert none.next_hit("a", 0, forward=True, order=ORDER) is None
    assert none.next_hit("a", 0, forward=False, order=ORDER) is None
    assert SearchResults("", False, TEXTS).next_hit("a", 0, forward=True, order=ORDER) is None


def test_whole_words_and_an_article_open_twice() -> None:
    texts = [("a", "Hamas, Hamasnik"), ("b", "the Hamas"), ("a", "Hamas, Hamasnik")]
    results = SearchResults("hamas", True, texts)
    assert results.hits == {"a": [(0, 5)], "b": [(4, 9)]}
    assert results.total == 2


def test_a_caller_may_narrow_the_hits_and_counts_follow() -> None:
    results = SearchResults("hamas", False, TEXTS)
    results.hits["d"] = [(12, 17)]  # the others were in folded chrome
    assert results.total == 4
    assert results.position("d", (12, 17)) == 4
    assert results.next_hit("d", 12, forward=True, order=ORDER) == ("a", (0, 5))


def test_summary_says_what_the_bar_shows() -> None:
    results = SearchResults("hamas", False, TEXTS)
    assert results.summary() == "6 in 3 articles"
    assert results.summary(("c", (0, 5))) == "3 of 6 in 3 articles"
    assert SearchResults("hamas", False, TEXTS[2:3]).summary(("c", (0, 5))) == "1 of 1 in 1 article"
    assert SearchResults("zzzz", False, TEXTS).summary() == "no matches"
    assert SearchResults("  ", False, TEXTS).summary() == ""
    many = SearchResults("x", False, [("a", "x" * (LIMIT + 1))])
    assert many.total == LIMIT and many.truncated == {"a"}
    assert many.summary(("a", (0, 1))) == f"1 of {LIMIT}+ in 1 article"
    exactly = SearchResults("x", False, [("a", "x" * LIMIT)])
    assert exactly.truncated == set() and exactly.summary() == f"{LIMIT} in 1 article"
