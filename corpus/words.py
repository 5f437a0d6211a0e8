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

# Combining marks of the scripts news text is written in (accents, Arabic vowels, Devanagari
# signs): part of the letter before them, never words of their own. `\w` does not include them.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983"
    "\u09bc-\u09d7\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_LETTER = rf"[\w{_MARKS}]"
_KEYCAP = "\u20e3"  # COMBINING ENCLOSING KEYCAP: 1️⃣ #️⃣ *️⃣ are a character, VS16, this
_WORD = re.compile(
    rf"""
    [0-9#*]\ufe0f?{_KEYCAP}                  # a keycap emoji, one word (before the numbers)
    | (?:[^\W\d_][{_MARKS}]*\.){{2,}}      # U.S., U.K., a.m. (an abbreviation keeps its dots)
    | \d+(?:[.,:/]\d+)*%?(?![\w'’\-‐‑])     # 1,000.5  10:30  27/10  5% (not 1990s: a word)
    | {_LETTER}+(?:['’\-‐‑\xad]{_LETTER}+)*   # Abu-Marzouk, Russia’s, 1990s, 19-year-old
    | [^\w\s]+                               # symbols and emoji; punctuation is dropped below
    """,
    re.VERBOSE,
)


def _is_punctuation(char: str) -> bool:
    # Punctuation, and invisible format characters (a BOM, zero-width space, direction marks).
    category = unicodedata.category(char)
    return category.startswith("P") or category == "Cf"


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The words of ``text[start:end]``, in order, as spans of ``text``."""
    stop = len(text) if end is None else end
    spans: list[Span] = []
    for match in _WORD.finditer(text, start, stop):
        left, right = match.span()
        first = text[left]
        keycap = text[right - 1] == _KEYCAP
        if not (
            keycap or first.isalnum() or first == "_" or unicodedata.category(first).startswith("M")
        ):
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
        # The words around the span, from and to whitespace (no word crosses it): a window cut
        # inside a long word would see only part of it.
        low, high = max(0, start - 200), min(len(text), end + 200)
        while low > 0 and not text[low - 1].isspace():
            low -= 1
        while high < len(text) and not text[high].isspace():
            high += 1
        words = word_spans(text, low, high)
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
