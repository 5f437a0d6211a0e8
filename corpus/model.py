"""The article as the rest of the app sees it: verbatim text plus where its site chrome lies."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property

from corpus.segment import Span, paragraph_spans, sentence_spans


# Not `slots=True`: cached_property needs an instance __dict__. It stores its value there
# directly, bypassing the __setattr__ that `frozen` blocks, so the fields stay immutable.
@dataclass(frozen=True)
class Article:
    id: str
    title: str
    outlet: str | None
    author: str | None
    source: str  # where the text was read from (a file path)
    text: str = field(repr=False)  # verbatim: decoded strictly, newlines untouched
    sha256: str
    chrome: tuple[Span, ...]  # sorted, non-overlapping regions of site chrome, whole paragraphs

    def __post_init__(self) -> None:
        previous_end = 0
        for start, end in self.chrome:
            if not previous_end <= start < end <= len(self.text):
                raise ValueError(f"chrome regions must be sorted, disjoint, in the text: {start}")
            previous_end = end

    @cached_property
    def paragraphs(self) -> tuple[Span, ...]:
        return tuple(paragraph_spans(self.text))

    @cached_property
    def sentences(self) -> tuple[Span, ...]:
        return tuple(sentence_spans(self.text))

    @cached_property
    def _chrome_starts(self) -> list[int]:
        return [start for start, _ in self.chrome]

    def is_chrome(self, start: int, end: int) -> bool:
        """Whether the span `(start, end)` lies wholly inside one chrome region."""
        index = bisect.bisect_right(self._chrome_starts, start) - 1
        return index >= 0 and end <= self.chrome[index][1]
