"""Locating site chrome (paywalls, share widgets, captions) as whole-paragraph regions.

The text is never edited: chrome is a list of `(start, end)` regions over it, so offsets stay
those of the file. Regions always cover whole paragraphs, because the article view folds whole
paragraphs, and a sentence is then either wholly chrome or wholly article.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from corpus.segment import Span, paragraph_spans


class ChromeRuleError(ValueError):
    """A manifest rule that matches nothing, or more places than it says."""


@dataclass(frozen=True)
class ChromeRule:
    start_text: str  # "from" in the manifest: text that begins a paragraph
    end_text: str | None  # "to": text that ends a paragraph; None with `to_end` unset: same one
    to_end: bool = False  # "to": null, the region runs to the end of the file
    count: int = 1  # how many paragraphs begin with `start_text`
    why: str = ""


def resolve_rules(text: str, rules: Iterable[ChromeRule]) -> tuple[Span, ...]:
    """Regions for `rules`; raises ChromeRuleError for a rule that does not match as stated."""
    paragraphs = paragraph_spans(text)
    regions: list[Span] = []
    for rule in rules:
        starts = [p for p in paragraphs if text.startswith(rule.start_text, p[0])]
        if len(starts) != rule.count:
            raise ChromeRuleError(
                f"chrome rule from {rule.start_text!r} should begin {rule.count} paragraph(s), "
                f"begins {len(starts)}"
            )
        for first in starts:
            regions.append((first[0], _region_end(text, paragraphs, first, rule)))
    return merge_regions(text, regions)


def _region_end(text: str, paragraphs: Sequence[Span], first: Span, rule: ChromeRule) -> int:
    if rule.to_end:
        return paragraphs[-1][1]
    if rule.end_text is None:
        return first[1]
    for start, end in paragraphs:
        if end > first[0] and text.endswith(rule.end_text, start, end):
            return end
    raise ChromeRuleError(
        f"chrome rule from {rule.start_text!r}: no paragraph after it ends with {rule.end_text!r}"
    )


def merge_regions(text: str, regions: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted, disjoint regions; ones that overlap or have only whitespace between them join,
    so a run of chrome paragraphs folds into one line."""
    merged: list[Span] = []
    for start, end in sorted(regions):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


# Whole lines that are boilerplate wherever they appear. Every pattern must match the entire
# (trimmed) line, and a paragraph counts only if all its lines match: a sentence that merely
# mentions subscribing ("Millions subscribe to the service.") is never hidden.
# Compiled on first use (~9 ms): only user files need it, and imports delay the first paint.
@functools.cache
def _boilerplate() -> re.Pattern[str]:
    return re.compile(
        "|".join(
            f"(?:{pattern})"
            for pattern in (
                r"(?:sign up|subscribe|register)(?: now| today| here| for free)?[.!]?",
                r"(?:sign up|subscribe)(?: now| today)? (?:to|for) (?:our|the|my) [\w &'’-]{0,40}"
                r"newsletters?[.!]?",
                r"subscribe to [\w &'’-]{1,40}",
                r"already a subscriber\??(?: (?:log|sign) ?in ?[.!]?)?",
                r"(?:log|sign) ?(?:in|out)(?: here| now)? ?[.!]?",
                r"you['’]ve reached your (?:\w+ )?limit of [\w ]{0,20}free articles?[.!]?",
                r"get unlimited access(?: to [\w ]{1,40})?[.!]?",
                r"(?:you can )?cancel (?:at )?any ?time ?[.!]?",
                r"related(?: (?:posts|articles|stories|topics|content|coverage|reading|links))?:?",
                r"share(?: this(?: article| story| post| page)?)?(?: on \w+)?:?",
                r"advertisements?|sponsored(?: content)?",
                r"(?:continue|keep) reading[.…]*(?:show (?:more|less))?|read (?:more|next)[:.…]*",
                r"show (?:more|less)|you (?:may|might) also like:?|check also"
                r"|spread the (?:news|word)",
                r"(?:most (?:popular|read)|trending(?: now)?|recommended(?: for you)?):?",
                r"print|e-?mail|tweet|comments?(?: \(\d+\))?|menu|search|skip to (?:main )?content",
                r"(?:photo|image|picture)(?: credit)?: .{1,100}|(?:photo|image) of [^.!?]{1,150}",
                r"(?:getty images|wikimedia commons|reuters|ap photo|afp)(?: via [\w ]{1,40})?",
                r"[\w .'’-]{1,60}(?:/(?:getty images|reuters|afp|ap|zuma|tass|epa|sipa))+",
                r"[\w .'’-]{1,60} via zuma(?: wire| press)?",
            )
        ),
        re.IGNORECASE,
    )


# A newsletter pitch ending in a call to sign up. Its `.{0,250}` tries every length on every
# line, two thirds of the time of the whole test (0.1 s on a 5 MB article), so it is tried only
# on lines that hold the word at all. `casefold` and `in` find it ten times faster than a
# case-blind search, and miss nothing that search finds (ſ and the Kelvin sign fold too).
_NEWSLETTER_PITCH = re.compile(
    r".{0,250}\bnewsletters?\b.{0,100}[.!] (?:sign up|subscribe) (?:here|now|today)[.!]?",
    re.IGNORECASE,
)


# The longest line each test can match, give or take: the patterns above stop at 165
# characters but for a long run of agency names or one very long word, the pitch at about 380.
# Longer lines (over half of a news article's) are prose, and are not tried at all: that halves
# the time to find the chrome of a 5 MB article, which its first frame waits for.
_LONGEST_BOILERPLATE = 200
_LONGEST_PITCH = 400


def is_boilerplate(line: str) -> bool:
    """Whether a whole (trimmed) line is boilerplate."""
    if len(line) > _LONGEST_PITCH:
        return False
    if len(line) <= _LONGEST_BOILERPLATE and _boilerplate().fullmatch(line):
        return True
    return "newsletter" in line.casefold() and _NEWSLETTER_PITCH.fullmatch(line) is not None


def guess_chrome(text: str, paragraphs: Sequence[Span] | None = None) -> tuple[Span, ...]:
    """Conservative chrome for a text with no manifest: paragraphs made only of boilerplate.

    `paragraphs`: the text's `paragraph_spans`, if the caller has them already."""
    regions = []
    for start, end in paragraph_spans(text) if paragraphs is None else paragraphs:
        lines = text[start:end].split("\n")
        if all(is_boilerplate(line.strip()) for line in lines):
            regions.append((start, end))
    return merge_regions(text, regions)
