"""Article text as spaCy tokens, and character spans laid on them: what the token formats share.

The spaCy (annotations.formats.spacy_docbin) and CoNLL (annotations.formats.conll) exports
both cut the verbatim text into tokens with a blank English pipeline (``spacy.blank("en")``:
nothing to download). Its tokenizer is the one en_core_web_sm loads (the same prefix, suffix,
infix and exception rules; on the bundled articles the two give identical tokens), so a model
trained on these files, or one started from en_core_web_sm, sees the tokens it was taught on.

A tag or an entity is a span of ``str`` offsets; a token format can only mark whole tokens.
`place` lays a span on the tokens in one deliberate way, and says what it did:

- whitespace at either end is dropped first (``trimmed``): a token span that starts or ends on
  a whitespace token is noise for a tagger, and the text in between is the same;
- then the span is widened to the tokens it touches (``expanded``, spaCy's ``"expand"``
  alignment): a tag ending inside a token ("U.S" of "U.S.") keeps every character the user
  chose, where ``"contract"`` would shrink it or, inside a single token, drop it;
- a span of whitespace alone cannot be a token span: `place` returns the reason instead.

Cost: `place` finds the tokens by spaCy's binary search over token offsets and reads the text
it is given, never ``Doc.text`` (which spaCy joins from every token on each read), so an export
makes a fixed number of passes over a text's tokens, however many spans lie on it
(benchmarks/formats.py).

spaCy is imported only by the functions here that need it, never at import time.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal, NamedTuple

from annotations.formats import ExportSet
from annotations.model import Annotation

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# How a span was laid on the tokens (see the module docstring).
Adjustment = Literal["exact", "trimmed", "expanded"]

# str.splitlines() breaks a line at these; a whitespace token holding one ends a sentence.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class Placement(NamedTuple):
    """A span laid on a Doc's tokens: tokens ``[start, end)``, characters
    ``[start_char, end_char)``, and how they differ from the span asked for."""

    start: int
    end: int
    start_char: int
    end_char: int
    adjustment: Adjustment


def by_text(export: ExportSet) -> dict[str, list[Annotation]]:
    """The exported annotations by the sha256 of the text they are on (texts exported only:
    the others have no text to lay them on, and the export command reports them)."""
    found: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in export.annotations:
        if annotation.article_sha256 in export.articles:
            found[annotation.article_sha256].append(annotation)
    return found


def blank_english(*, sentences: bool = False) -> Language:
    """A blank English pipeline (the tokenizer alone, plus the rule-based sentencizer if
    ``sentences``): nothing is downloaded or loaded from a model package."""
    import spacy

    nlp = spacy.blank("en")
    if sentences:
        nlp.add_pipe("sentencizer")
    return nlp


def make_doc(nlp: Language, text: str) -> Doc:
    """The Doc of ``text`` verbatim (``doc.text == text``), whatever its length.

    spaCy refuses texts over ``nlp.max_length`` (a million characters) because a parser or
    NER needs memory in proportion; a tokenizer and the sentencizer do not, so the limit is
    raised for this text rather than the article left out.
    """
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    doc = nlp(text)
    if doc.text != text:  # pragma: no cover - spaCy's tokenizer is lossless
        raise ValueError("spaCy's tokens do not give the text back")
    return doc


def place(doc: Doc, text: str, start: int, end: int) -> Placement | str:
    """The span ``[start, end)`` of ``text`` on whole tokens of ``doc``, or why it cannot be.

    ``text`` is ``doc.text`` (what `make_doc` was given), passed in because spaCy builds
    ``Doc.text`` anew from every token each time it is read: read here, once a span, it made an
    export cost tokens × spans (over two minutes for 4,000 tags on 2,000 sentences).
    """
    if not 0 <= start < end <= len(text):
        return f"span ({start}, {end}) is not in the {len(text)}-character text"
    first, last = start, end
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    if first == last:
        return "the span holds only whitespace, which is no token span"
    span = doc.char_span(first, last, alignment_mode="expand")
    if span is None or len(span) == 0:  # pragma: no cover - trimmed spans always expand
        return f"spaCy found no tokens for characters ({first}, {last})"
    adjustment: Adjustment
    if (span.start_char, span.end_char) == (start, end):
        adjustment = "exact"
    elif (span.start_char, span.end_char) == (first, last):
        adjustment = "trimmed"
    else:
        adjustment = "expanded"
    return Placement(span.start, span.end, span.start_char, span.end_char, adjustment)
