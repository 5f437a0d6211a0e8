"""Stepping through one entity's mentions across every loaded article, in reading order.

No textual import: the app keeps the tour and asks it where the next mention is; the views show
it. Articles are visited in the order they were loaded (the order `a` and `[`/`]` use), each from
its start, and the tour wraps around at the ends.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass
class MentionTour:
    key: str  # the entity index entry
    name: str
    article_order: Sequence[str]
    mentions: dict[str, list[Span]] = field(default_factory=dict)
    current: tuple[str, Span] | None = None

    @classmethod
    def of(
        cls,
        key: str,
        name: str,
        mentions: Iterable[tuple[str, int, int]],
        article_order: Sequence[str],
    ) -> MentionTour:
        by_article: dict[str, list[Span]] = {}
        for article, start, end in mentions:
            by_article.setdefault(article, []).append((start, end))
        for spans in by_article.values():
            spans.sort()
        order = list(article_order) + sorted(set(by_article) - set(article_order))
        return cls(key, name, order, by_article)

    @property
    def total(self) -> int:
        return sum(len(spans) for spans in self.mentions.values())

    def step(self, article: str | None, offset: int, *, forward: bool) -> tuple[str, Span] | None:
        """The mention after (or before) `offset` in `article`, else in the next (previous)
        article that has one, wrapping around; None if there are no mentions."""
        if not self.mentions:
            return None
        spans = self.mentions.get(article or "", [])
        starts = [start for start, _ in spans]
        if forward:
            index = bisect.bisect_right(starts, offset)
            if index < len(spans):
                return self._at(article or "", spans[index])
        else:
            index = bisect.bisect_left(starts, offset) - 1
            if index >= 0:
                return self._at(article or "", spans[index])
        # On to the next (previous) article that has mentions, wrapping around.
        order = self.article_order
        count = len(order)
        position = order.index(article) if article in order else (-1 if forward else count)
        for distance in range(1, count + 1):
            other = order[(position + distance if forward else position - distance) % count]
            found = self.mentions.get(other)
            if found:
                return self._at(other, found[0] if forward else found[-1])
        return None

    def _at(self, article: str, span: Span) -> tuple[str, Span]:
        self.current = (article, span)
        return self.current

    def position(self) -> int:
        """1-based place of the current mention in the whole tour; 0 before the first step."""
        if self.current is None:
            return 0
        article, span = self.current
        before = 0
        for other in self.article_order:
            if other == article:
                return before + self.mentions[other].index(span) + 1
            before += len(self.mentions.get(other, ()))
        return 0

    def summary(self, title_of: dict[str, str]) -> str:
        """ "Abu Marzouk: mention 3 of 17 · The Telegraph" for the status line."""
        place = self.position()
        where = f" · {title_of.get(self.current[0], '')}" if self.current is not None else ""
        return f"{self.name}: mention {place} of {self.total}{where}"
