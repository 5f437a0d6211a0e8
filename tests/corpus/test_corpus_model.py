"""The Article dataclass: frozen, cached spans, chrome lookup."""

from __future__ import annotations

import dataclasses

import pytest

from corpus.model import Article


def make(text: str, chrome: tuple[tuple[int, int], ...] = ()) -> Article:
    return Article(
        id="a",
        title="T",
        outlet=None,
        author=None,
        source="a.txt",
        text=text,
        sha256="0" * 64,
        chrome=chrome,
    )


def test_article_is_frozen() -> None:
    article = make("One. Two.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.text = "changed"  # type: ignore[misc]


def test_paragraphs_and_sentences_are_computed_once_and_cached() -> None:
    article = make("Head\n\nOne. Two.")
    assert article.paragraphs == ((0, 4), (6, 15))
    assert article.sentences == ((0, 4), (6, 10), (11, 15))
    assert article.sentences is article.sentences
    assert article.paragraphs is article.paragraphs


def test_is_chrome_requires_the_span_inside_one_region() -> None:
    text = "Subscribe now\n\nBody one.\n\nShare this"
    chrome = ((0, 13), (26, 36))
    article = make(text, chrome)
    assert article.is_chrome(0, 13)
    assert article.is_chrome(3, 5)
    assert article.is_chrome(26, 36)
    assert not article.is_chrome(15, 24)  # body
    assert not article.is_chrome(10, 20)  # straddles the end of a region
    assert not article.is_chrome(20, 30)  # straddles the start of a region
    assert not make(text).is_chrome(0, 13)


def test_chrome_must_be_sorted_disjoint_and_inside_the_text() -> None:
    with pytest.raises(ValueError):
        make("abcdef", ((3, 5), (0, 2)))
    with pytest.raises(ValueError):
        make("abcdef", ((0, 4), (3, 5)))
    with pytest.raises(ValueError):
        make("abc", ((0, 9),))


def test_repr_leaves_out_the_text() -> None:
    assert "secret body" not in repr(make("secret body"))


def test_equal_articles_hash_alike() -> None:
    assert make("x") == make("x")
    assert hash(make("x")) == hash(make("x"))
