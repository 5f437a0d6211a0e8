"""Paragraph and sentence spans over verbatim article text.

Rule-based on purpose: it runs on every article as the app starts (and on multi-megabyte files),
so it must be instant, with no model to load. All spans are half-open `(start, end)` Python str
offsets into the text, trimmed of surrounding whitespace.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

Span = tuple[int, int]

# A paragraph break is a newline followed by one or more blank lines; a blank line holds only
# whitespace (`\s` is Unicode-aware, so "\r" and no-break spaces count, as str.isspace says).
_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")
_LINE = re.compile(r"[^\n]+")

# A candidate sentence end: terminal punctuation, any closing quotes or brackets, then spaces.
# `[^\S\n]` keeps the match on one line (sentences never cross a line break anyway).
_CANDIDATE = re.compile(r"(\.\.\.|[.?!…]+)([”\"’')\]]*)([^\S\n]+)")
_OPENERS = "“\"‘'([—"
_NEXT_WORD = re.compile(r"\w+")
_LOOKAHEAD = 40


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations after which a full stop never ends a sentence (titles, "e.g.", "No. 5").
_NEVER_END = _words(
    "Mr Mrs Ms Mx Dr Prof Gen Sen Rep Gov Lt Col Sgt Capt Cmdr Adm Maj Rev Hon Pres Supt Insp "
    "St Mt Ft vs v e.g i.e cf No Nos nos Vol vol pp Fig fig approx ca Ph.D"
)
# Abbreviations that often do end a sentence ("... in the U.S. The talks"): they end one only
# when the next word is a common sentence opener, so "U.S. officials" and "Oct. 7" stay whole.
# Dotted acronyms (U.S., a.m.) and initials (J. Smith) are treated the same way.
_END_BEFORE_OPENER = _words(
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thurs Fri Sat "
    "Inc Ltd Co Corp Bros Jr Sr etc al"
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # U.S, U.N, a.m, J.R.R
_COMMON_OPENERS = _words(
    "A An The This That These Those There Then It Its He She His Her They Their We Our I You "
    "In On At As After Before When While If But And So Yet Now However Meanwhile Still Also "
    "For With What Why How Who Where Some Many Most Both"
)


def paragraph_spans(text: str) -> list[Span]:
    """Blocks of text separated by one or more blank lines, each trimmed of whitespace."""
    spans: list[Span] = []
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        _append_trimmed(text, start, match.start(), spans)
        start = match.end()
    _append_trimmed(text, start, len(text), spans)
    return spans


def sentence_spans(text: str) -> list[Span]:
    """Sentences, each inside one line: a line break always ends a sentence.

    Headlines, bylines and list items are lines of their own, so they are sentences of their
    own; a sentence also never crosses a paragraph break, which is a line break too.
    """
    spans: list[Span] = []
    _append_sentences(text, 0, len(text), spans)
    return spans


def sentences_in(text: str, span: Span) -> list[Span]:
    """The spans of `sentence_spans(text)` that lie in `span`, without segmenting the rest.

    `span` must not cut a line in two except in whitespace: a paragraph from `paragraph_spans`,
    a run of them, or whole lines. Sentences never cross a line break, so each line is judged
    alone and these are exactly the sentences the whole text has there (a 5 MB article takes
    a third of a second to segment whole; a paragraph, microseconds).
    """
    spans: list[Span] = []
    _append_sentences(text, max(span[0], 0), min(span[1], len(text)), spans)
    return spans


def sentences_touching(text: str, paragraphs: Sequence[Span], spans: Iterable[Span]) -> list[Span]:
    """The sentences of every paragraph that one of `spans` touches, in text order: the part
    of `sentence_spans(text)` that passages can be compared on, without segmenting the rest.

    `paragraphs` is the text's `paragraph_spans`. A span in the blank between two paragraphs
    touches neither.
    """
    starts = [start for start, _ in paragraphs]
    wanted: set[int] = set()
    for start, end in spans:
        first = max(bisect.bisect_right(starts, start) - 1, 0)
        if paragraphs and paragraphs[first][1] <= start:
            first += 1  # it starts after that paragraph's end
        wanted.update(range(first, bisect.bisect_left(starts, max(end, start + 1))))
    found: list[Span] = []
    for index in sorted(wanted):
        paragraph = paragraphs[index]
        found.extend(sentences_in(text, paragraph))
    return found


def _append_sentences(text: str, start: int, end: int, spans: list[Span]) -> None:
    """Append the sentences of the lines in text[start:end], one line at a time."""
    for line in _LINE.finditer(text, start, end):
        sentence_start = line.start()
        for candidate in _CANDIDATE.finditer(text, line.start(), line.end()):
            if _ends_sentence(text, sentence_start, candidate, line.end()):
                _append_trimmed(text, sentence_start, candidate.start(3), spans)
                sentence_start = candidate.end()
        _append_trimmed(text, sentence_start, line.end(), spans)


def _append_trimmed(text: str, start: int, end: int, spans: list[Span]) -> None:
    # Trim by hand rather than with a regex: this runs once per sentence of big files.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def _ends_sentence(text: str, sentence_start: int, candidate: re.Match[str], line_end: int) -> bool:
    """Whether the punctuation matched by `candidate` ends a sentence, judged on what follows."""
    after = candidate.end()
    # A short window is enough to see the next word; slicing to the line end would make a
    # file with very long lines quadratic.
    following = text[after : min(line_end, after + _LOOKAHEAD)].lstrip(_OPENERS)
    if not following:
        return False  # nothing follows on this line; the line end closes the sentence anyway
    punctuation, closers = candidate.group(1), candidate.group(2)
    starts_upper = following[0].isupper() or following[0].isdigit()
    if punctuation != ".":
        # "?", "!", "…", "...": only a capital starts a new sentence ("Why? Because ..."), so
        # "“Really?” he asked" stays one sentence.
        return starts_upper
    word = _word_before(text, sentence_start, candidate.start())
    if word in _NEVER_END:
        return False
    if word in _END_BEFORE_OPENER or _DOTTED.fullmatch(word) or _is_initial(word):
        next_word = _NEXT_WORD.match(following)
        return next_word is not None and next_word.group(0) in _COMMON_OPENERS
    if starts_upper:
        return True
    # A lowercase start after a plain word is a typo'd sentence ("weaponry. in Moscow’s eyes");
    # short words are left alone because unknown abbreviations ("est.", "dept.") are short.
    return not closers and len(word) >= 4 and word.isalpha() and word.islower()


def _word_before(text: str, sentence_start: int, dot: int) -> str:
    """The token that the full stop at `dot` closes, without opening quotes or brackets."""
    start = dot
    while start > sentence_start and not text[start - 1].isspace():
        start -= 1
    return text[start:dot].lstrip(_OPENERS)


def _is_initial(word: str) -> bool:
    return len(word) == 1 and word.isupper()
