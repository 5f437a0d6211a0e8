"""Literal, case-insensitive search over verbatim article text, with offsets into that text.

News text mixes typographic and plain punctuation, so a query typed with a straight quote finds
curly ones, and a space in the query finds any run of whitespace (a line break included). The
text is never lowered or normalised: the pattern is, so every hit is a true Python str span of
the text (`str.lower()` can change lengths: "İ" becomes two characters).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

Span = tuple[int, int]

# What one query character stands for in the text.
_EQUIVALENT = {
    "'": "['‘’ʼ]",
    "‘": "['‘’ʼ]",
    "’": "['‘’ʼ]",
    '"': '["“”„]',
    "“": '["“”„]',
    "”": '["“”„]',
    "-": "[-‐‑]",
}
_SPACES = re.compile(r"\s+")
LIMIT = 10_000


@functools.lru_cache(maxsize=64)
def _pattern(query: str, whole_words: bool) -> re.Pattern[str] | None:
    words = _SPACES.split(query.strip())
    if not words or words == [""]:
        return None
    parts = ["".join(_EQUIVALENT.get(char, re.escape(char)) for char in word) for word in words]
    body = r"\s+".join(parts)
    if whole_words:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, re.IGNORECASE)


def find_all(text: str, query: str, *, whole_words: bool = False, limit: int = LIMIT) -> list[Span]:
    """Every non-overlapping occurrence of `query` in `text`, in order (at most `limit`)."""
    pattern = _pattern(query, whole_words)
    if pattern is None:
        return []
    hits: list[Span] = []
    for match in pattern.finditer(text):
        hits.append(match.span())
        if len(hits) >= limit:
            break
    return hits


@dataclass
class SearchResults:
    """One query's hits in the open articles, stepped through in pane order."""

    query: str
    whole_words: bool
    texts: Sequence[tuple[str, str]]  # (article id, text), in pane order
    hits: dict[str, list[Span]] = field(init=False)

    def __post_init__(self) -> None:
        self.hits = {}
        for article_id, text in self.texts:
            if article_id not in self.hits:
                self.hits[article_id] = find_all(text, self.query, whole_words=self.whole_words)

    @property
    def order(self) -> list[str]:
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
        """The hit after `offset` (forward) or before it, in this article, else in the next
        (previous) article of `order` that has any, wrapping around."""
        ids = [i for i in order if self.hits.get(i)]
        if not ids:
            return None
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
        position = order.index(article_id) if article_id in order else -1
        count = len(order)
        for step in range(1, count + 1):
            candidate = order[(position + (step if forward else -step)) % count]
            found = self.hits.get(candidate)
            if found:
                return candidate, found[0] if forward else found[-1]
        return None

    def position(self, article_id: str, span: Span) -> int:
        """1-based rank of a hit among all hits (for "3 of 17"); 0 if it is not one."""
        rank = 0
        for candidate, found in self.hits.items():
            if candidate == article_id:
                index = bisect.bisect_left(found, span)
                if index < len(found) and found[index] == span:
                    return rank + index + 1
                return 0
            rank += len(found)
        return 0
