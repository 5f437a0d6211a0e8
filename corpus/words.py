"""Words of the verbatim article text, for the word cursor and for snapping selections.

A word here is what a reader would double-click: "Abu-Marzouk", "Russia’s", "U.S.", "1,000.5",
"10:30", an emoji. Punctuation and spaces are not words, so a passage selected word by word
starts and ends on letters ("an obscene step", not "“an obscene step”,"). Offsets are Python str
indices into the text the function is given.
"""

from __future__ import annotations

import bisect
import re
import unicodedata

Span = tuple[int, int]

_WORD = re.compile(
    r"""
    (?:[^\W\d_]\.){2,}                    # U.S., U.K., a.m. (an abbreviation keeps its dots)
    | \d+(?:[.,:/]\d+)*%?                 # 1,000.5  10:30  27/10  5%
    | \w+(?:['’\-‐‑]\w+)*                 # Abu-Marzouk, Russia’s, don't (inner joiners only)
    | [^\w\s]+                            # symbols and emoji; punctuation is dropped below
    """,
    re.VERBOSE,
)


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The words of ``text[start:end]``, in order, as spans of ``text``."""
    stop = len(text) if end is None else end
    spans: list[Span] = []
    for match in _WORD.finditer(text, start, stop):
        left, right = match.span()
        if not (text[left].isalnum() or text[left] == "_"):
            # A run of symbols: keep what is not punctuation ("👍🏽", "$", "€"), trimmed.
            while left < right and _is_punctuation(text[left]):
                left += 1
            while right > left and _is_punctuation(text[right - 1]):
                right -= 1
            if left == right:
                continue
        spans.append((left, right))
    return spans


def snap_to_words(text: str, span: Span, words: list[Span] | None = None) -> Span:
    """``span`` grown to whole words at both ends and trimmed of surrounding whitespace.

    Punctuation inside or at the edge of the span is kept as the span has it (a sentence keeps
    its full stop); only a word cut in two is made whole. Empty if only whitespace is covered.
    """
    start, end = span
    if words is None:
        words = word_spans(text, max(0, start - 200), min(len(text), end + 200))
    starts = [left for left, _ in words]
    index = bisect.bisect_right(starts, start) - 1
    if index >= 0 and words[index][0] <= start < words[index][1]:
        start = words[index][0]
    index = bisect.bisect_left(starts, end) - 1
    if index >= 0 and words[index][0] < end < words[index][1]:
        end = words[index][1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end)
