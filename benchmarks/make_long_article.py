"""Make a long article from the bundled articles' paragraphs (for the size benchmarks).

    python benchmarks/make_long_article.py 5MB -o /tmp/long.txt

Paragraphs are drawn in a fixed pseudo-random order (same seed, same text), kept whole and
separated by blank lines, until the UTF-8 size is reached: real news sentences, quotes, names and
punctuation, at any length. The pages' site chrome comes along as it does on the pages (share
prompts, paywall notes, photo credits), so the loader finds chrome to fold in the long article
too and `f` has work to do.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from corpus.loader import bundled_articles

UNITS = {"KB": 1_000, "MB": 1_000_000, "B": 1}


def long_article_text(size_bytes: int, seed: int = 0) -> str:
    """About `size_bytes` of UTF-8 text (never more, short by less than a paragraph), whole
    paragraphs of the bundled articles separated by blank lines."""
    paragraphs = [
        article.text[start:end]
        for article in bundled_articles()
        for start, end in article.paragraphs
    ]
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while True:
        paragraph = rng.choice(paragraphs)
        cost = len(paragraph.encode("utf-8")) + 2
        if size + cost > size_bytes:
            break
        parts.append(paragraph)
        size += cost
    return "\n\n".join(parts) + "\n"


def parse_size(text: str) -> int:
    upper = text.strip().upper()
    for unit, factor in UNITS.items():
        if upper.endswith(unit):
            return int(float(upper[: -len(unit)]) * factor)
    return int(upper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", help="e.g. 50KB, 1MB, 5MB")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    text = long_article_text(parse_size(options.size), options.seed)
    options.output.write_text(text, encoding="utf-8")
    print(f"{options.output}: {len(text.encode('utf-8')):,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
