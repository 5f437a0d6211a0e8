"""Make a folder of news-sized articles from the bundled articles' paragraphs (for `ner.py`).

    python benchmarks/make_folder.py /tmp/articles            # 1,000 articles, ~750 words each
    python benchmarks/make_folder.py /tmp/articles -n 20 --words 500

Each article is whole paragraphs of the bundled articles drawn in a fixed pseudo-random order
(same seed, same folder), separated by blank lines, until it has about `--words` words: real news
sentences, names and quotes, so spaCy has the work it has on real articles. Files are named
`article-0001.txt`, ... and written as UTF-8, as `reader` reads them.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from corpus.loader import bundled_articles

DEFAULT_COUNT = 1_000
DEFAULT_WORDS = 750


def bundled_paragraphs() -> list[str]:
    return [
        article.text[start:end]
        for article in bundled_articles()
        for start, end in article.paragraphs
    ]


def article_texts(count: int, words: int = DEFAULT_WORDS, seed: int = 0) -> list[str]:
    """`count` texts of about `words` words each (never fewer), always the same for a seed."""
    paragraphs = bundled_paragraphs()
    rng = random.Random(seed)
    texts: list[str] = []
    for _ in range(count):
        parts: list[str] = []
        total = 0
        while total < words:
            paragraph = rng.choice(paragraphs)
            parts.append(paragraph)
            total += len(paragraph.split())
        texts.append("\n\n".join(parts) + "\n")
    return texts


def make_folder(
    folder: Path, count: int = DEFAULT_COUNT, words: int = DEFAULT_WORDS, seed: int = 0
) -> list[Path]:
    """Write the articles into `folder` (made if needed); the files written, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(count)))
    files: list[Path] = []
    for number, text in enumerate(article_texts(count, words, seed), start=1):
        path = folder / f"article-{number:0{width}d}.txt"
        path.write_bytes(text.encode("utf-8"))
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", "--count", type=int, default=DEFAULT_COUNT)
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS, help="words per article")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    files = make_folder(options.folder, options.count, options.words, options.seed)
    words = sum(len(path.read_text(encoding="utf-8").split()) for path in files)
    print(f"{options.folder}: {len(files):,} articles, {words:,} words", file=sys.stderr)


if __name__ == "__main__":
    main()
