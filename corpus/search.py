"""Literal, case-insensitive search over verbatim article text, with offsets into that text.

News text mixes typographic and plain punctuation, so a straight quote in the query finds curly
ones (and the reverse), a hyphen finds the Unicode hyphens, and a space finds any run of
whitespace (a line break, "\\r\\n" included). Dashes stay dashes: "-" never finds "—" or "–".
An accented letter finds itself whether the text stores it composed ("é") or decomposed ("e" and
a combining accent), and a hit never ends between a letter and its accent.

Every hit is a true Python str span of the text as given. The text is never normalised; the
pattern is built to match it in any case and either form. `str.lower()` can change lengths ("İ"
becomes two characters, and offsets found in such a lowered copy would drift), so a lowered copy
is searched (for speed, ASCII queries only) just when lowering kept every character one character.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

Span = tuple[int, int]

LIMIT = 10_000  # hits per text: enough for any reader, and a one-letter query stays quick

_SINGLE_QUOTES = "['‘’‛ʼ]"
_DOUBLE_QUOTES = '["“”„‟]'
_HYPHENS = "[-‐‑]"  # hyphen-minus, hyphen, non-breaking hyphen; not the dashes
# What one query character stands for in the text.
_EQUIVALENT = {
    **dict.fromkeys("'‘’‛ʼ", _SINGLE_QUOTES),
    **dict.fromkeys('"“”„‟', _DOUBLE_QUOTES),
    **dict.fromkeys("-‐‑", _HYPHENS),
}
# The letters besides "x" and "X" that IGNORECASE matches to an ASCII letter and that keep their
# length when lowered ("İ" does not: such a text is never searched lowered). A test checks
# this table against Python's own case rules.
_LOWERED_EXTRA = {"i": "ı", "s": "ſ"}
# Emoji presentation selectors: "❤" and "❤️" are the same symbol to a reader.
_VARIATION_SELECTORS = "\ufe0e\ufe0f"
_OPTIONAL_SELECTOR = f"[{_VARIATION_SELECTORS}]?"
_SPACES = re.compile(r"\s+")


def _is_mark(char: str) -> bool:
    """A combining character (accent, vowel sign, enclosing mark): part of the one before it."""
    return unicodedata.category(char).startswith("M")


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what `\w` matches in a str pattern


def _atom(char: str) -> str:
    """The pattern for one character of the query, matching the text as it is (IGNORECASE)."""
    pattern = _EQUIVALENT.get(char) or re.escape(char)
    decomposed = unicodedata.normalize("NFD", char)
    if decomposed != char:
        pattern = f"(?:{pattern}|{re.escape(decomposed)})"
    if unicodedata.category(char).startswith("S"):
        pattern += _OPTIONAL_SELECTOR
    return pattern


def _lowered_atom(char: str) -> str:
    """The pattern for one ASCII (or quote, or hyphen) character of the query, matching the
    lowered text case-sensitively exactly where `_atom` matches the text."""
    if char in _EQUIVALENT:
        return _EQUIVALENT[char]
    lowered = char.lower()
    extra = _LOWERED_EXTRA.get(lowered)
    return f"[{lowered}{extra}]" if extra else re.escape(lowered)


@dataclass(frozen=True)
class _Patterns:
    exact: re.Pattern[str]  # for the text itself, IGNORECASE
    lowered: re.Pattern[str] | None  # for `text.lower()`; None: the query needs `exact`


@functools.lru_cache(maxsize=64)
def _patterns(query: str, whole_words: bool) -> _Patterns | None:
    query = unicodedata.normalize("NFC", query)
    query = query.translate(dict.fromkeys(map(ord, _VARIATION_SELECTORS)))
    # Leading and trailing spaces are dropped: while a phrase is being typed ("Abu "), the hits
    # stay those of what is typed so far instead of vanishing.
    words = _SPACES.split(query.strip())
    if words == [""]:
        return None
    # A word boundary at the end costs nothing; one at the start would stop `re` from scanning
    # for the query's first character (five times slower), so `find_all` checks the start.
    end = r"(?!\w)" if whole_words else ""
    exact = r"\s+".join("".join(map(_atom, word)) for word in words)
    lowered = None
    if all(char.isascii() or char in _EQUIVALENT for word in words for char in word):
        # Case-sensitive search of a lowered copy is six to eight times faster than IGNORECASE,
        # which matters as you type in a long article.
        lowered = re.compile(r"\s+".join("".join(map(_lowered_atom, w)) for w in words) + end)
    return _Patterns(re.compile(exact + end, re.IGNORECASE), lowered)


@functools.lru_cache(maxsize=8)
def _lowered_text(text: str) -> str | None:
    """`text.lower()` when every character keeps its length (so offsets agree), else None.

    Kept for the last few texts: the open articles are searched again at every keystroke."""
    lowered = text.lower()  # lower() never drops a character: equal length is one to one
    return lowered if len(lowered) == len(text) else None


_FIRST_MARK = "\u0300"  # no combining mark comes before it: a cheap test for most text


def _splits_a_word(text: str, start: int, end: int, whole_words: bool) -> bool:
    """True when the hit ends before a combining mark (it would cut "é" written as e + ◌́) or,
    for whole words, starts inside a word (after a letter, or after a letter's marks)."""
    if end < len(text) and text[end] >= _FIRST_MARK and _is_mark(text[end]):
        return True
    if whole_words and start > 0:
        before = start
        while before > 0 and text[before - 1] >= _FIRST_MARK and _is_mark(text[before - 1]):
            before -= 1
        return before > 0 and _is_word_char(text[before - 1])
    return False


def find_all(text: str, query: str, *, whole_words: bool = False, limit: int = LIMIT) -> list[Span]:
    """Every non-overlapping occurrence of `query` in `text`, in order, at most `limit`.

    Literal and case-insensitive, with the typographic equivalences of this module's docstring.
    With `whole_words`, a hit neither starts nor ends inside a word (no word character on
    either side). An empty or blank query finds nothing.
    """
    patterns = _patterns(query, whole_words)
    if patterns is None or limit <= 0:
        return []
    haystack, pattern = text, patterns.exact
    if patterns.lowered is not None:
        lowered = _lowered_text(text)
        if lowered is not None:
            haystack, pattern = lowered, patterns.lowered
    hits: list[Span] = []
    position: int | None = 0
    while position is not None:
        resume, position = position, None
        for match in pattern.finditer(haystack, resume):
            start, end = match.span()
            if _splits_a_word(text, start, end, whole_words):
                position = start + 1  # a true hit may still start inside this one
                break
            hits.append((start, end))
            if len(hits) >= limit:
                return hits
    return hits


@dataclass
class SearchResults:
    """One query's hits in the open articles, stepped through in pane order.

    `hits` is computed once, at construction, and may be narrowed by the caller afterwards
    (hits in folded chrome, say); the counts and steps read it as it is.
    """

    query: str
    whole_words: bool
    texts: Sequence[tuple[str, str]] = field(repr=False)  # (article id, text), in pane order
    hits: dict[str, list[Span]] = field(init=False, repr=False)
    # Articles with more than LIMIT hits: their lists stop at LIMIT ("10000+").
    truncated: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.hits = {}
        self.truncated = set()
        for article_id, text in self.texts:
            if article_id in self.hits:
                continue  # the same article open in two panes
            found = find_all(text, self.query, whole_words=self.whole_words, limit=LIMIT + 1)
            if len(found) > LIMIT:
                del found[LIMIT:]
                self.truncated.add(article_id)
            self.hits[article_id] = found

    @property
    def order(self) -> list[str]:
        """The articles searched, in the order given (each once)."""
        return list(self.hits)

    @property
    def total(self) -> int:
        return sum(len(found) for found in self.hits.values())

    @property
    def articles_with_hits(self) -> list[str]:
        return [article_id for article_id, found in self.hits.items() if found]

    def next_hit(
        self, article_id: str, offset: int, *, forward: bool, order: Sequence[str]
    ) -> tuple[str, Span] | None:
        """The first hit starting after `offset` (forward) or the last starting before it, in
        `article_id`; else the first (last) hit of the next (previous) article in `order` that
        has any, wrapping around, back to this article's own first (last) hit. None: no hits.
        An article not in `order` steps into it from its start (forward) or end (backward)."""
        here = self.hits.get(article_id, [])
        starts = [start for start, _ in here]
        if forward:
            index = bisect.bisect_right(starts, offset)
            if index < len(here):
                return article_id, here[index]
        else:
            index = bisect.bisect_left(starts, offset) - 1
            if index >= 0:
                return article_id, here[index]
        ring = list(order) or self.order
        count = len(ring)
        # Not in `order`: as if just before the first article (forward) or after the last.
        outside = -1 if forward else count
        position = ring.index(article_id) if article_id in ring else outside
        for step in range(1, count + 1):
            candidate = ring[(position + step if forward else position - step) % count]
            found = self.hits.get(candidate)
            if found:
                return candidate, found[0] if forward else found[-1]
        return None

    def position(self, article_id: str, span: Span) -> int:
        """1-based rank of a hit among all hits, articles in the order searched (for "3 of 17");
        0 if it is not a hit."""
        rank = 0
        for candidate, found in self.hits.items():
            if candidate == article_id:
                index = bisect.bisect_left(found, span)
                if index < len(found) and found[index] == span:
                    return rank + index + 1
                return 0
            rank += len(found)
        return 0

    def summary(self, current: tuple[str, Span] | None = None) -> str:
        """What the search bar says: "3 of 17 in 2 articles", "17 in 1 article" (no current
        hit), "no matches", or "" for a blank query."""
        if not self.query.strip():
            return ""
        total = self.total
        if not total:
            return "no matches"
        counted = f"{total}+" if self.truncated else str(total)
        rank = self.position(*current) if current is not None else 0
        where = f"{rank} of " if rank else ""
        articles = len(self.articles_with_hits)
        return f"{where}{counted} in {articles} article{'' if articles == 1 else 's'}"
