"""corpus.search: literal, case-insensitive hits whose offsets are true spans of the text."""

from __future__ import annotations

import pytest

from corpus.loader import bundled_articles
from corpus.search import SearchResults, find_all


def texts(text: str, hits: list[tuple[int, int]]) -> list[str]:
    return [text[start:end] for start, end in hits]


def test_case_insensitive_and_literal() -> None:
    text = "Moscow, MOSCOW and moscow (a.k.a. the Kremlin) a.k.a"
    assert texts(text, find_all(text, "moscow")) == ["Moscow", "MOSCOW", "moscow"]
    assert texts(text, find_all(text, "(a.k.a.)")) == []
    assert texts(text, find_all(text, "(a.k.a.")) == ["(a.k.a."]
    assert find_all(text, "   ") == [] and find_all(text, "") == []


def test_straight_quotes_find_curly_ones_and_spaces_find_line_breaks() -> None:
    text = "Russia’s “obscene step” and Russia's 'axis'\r\nof terror"
    assert texts(text, find_all(text, "russia's")) == ["Russia’s", "Russia's"]
    assert texts(text, find_all(text, '"obscene step"')) == ["“obscene step”"]
    assert texts(text, find_all(text, "'axis' of")) == ["'axis'\r\nof"]


def test_offsets_stay_exact_where_lowercasing_changes_lengths() -> None:
    text = "İstanbul talks — STRASSE, Straße; then Moscow 👍🏽 Moscow"
    hits = find_all(text, "moscow")
    assert texts(text, hits) == ["Moscow", "Moscow"]
    assert hits[0][0] == text.index("Moscow")
    assert texts(text, find_all(text, "straße")) == ["Straße"]


def test_whole_words() -> None:
    text = "Hamas and Hamas-linked men; Abu-Marzouk met Abu Marzouk."
    assert texts(text, find_all(text, "hama")) == ["Hama", "Hama"]
    assert find_all(text, "hama", whole_words=True) == []
    # A hyphen is not a word character: "Abu" stands as a word in "Abu-Marzouk".
    assert len(find_all(text, "abu", whole_words=True)) == 2
    assert texts(text, find_all(text, "abu-marzouk", whole_words=True)) == ["Abu-Marzouk"]


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, str]]:
    return [(article.id, article.text) for article in bundled_articles()]


def test_results_over_the_bundled_corpus_step_across_articles(corpus) -> None:
    results = SearchResults("Marzouk", False, corpus)
    assert len(results.articles_with_hits) >= 2
    for article_id, text in corpus:
        for start, end in results.hits[article_id]:
            assert text[start:end].casefold() == "marzouk"
    order = [article_id for article_id, _ in corpus]
    first_id = results.articles_with_hits[0]
    first = results.hits[first_id][0]
    assert results.position(first_id, first) == 1
    # Forward from the last hit of one article: the first hit of the next one with hits.
    last = results.hits[first_id][-1]
    nxt = results.next_hit(first_id, last[0], forward=True, order=order)
    assert nxt == (results.articles_with_hits[1], results.hits[results.articles_with_hits[1]][0])
    # Backward from the very first hit wraps to the very last.
    final_id = results.articles_with_hits[-1]
    assert results.next_hit(first_id, first[0], forward=False, order=order) == (
        final_id,
        results.hits[final_id][-1],
    )
    assert results.position(final_id, results.hits[final_id][-1]) == results.total
    assert (
        SearchResults("zzzz", False, corpus).next_hit(first_id, 0, forward=True, order=order)
        is None
    )
