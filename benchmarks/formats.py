"""Export formats at scale: every registered format on one long article with many annotations,
against the JSON Lines export timed in the same run.

For each size (spans on an article of so many sentences) the script builds an `ExportSet` in
this process, seeded, so every run writes the same thing:

- the article: the bundled articles' paragraphs in make_long_article.py's order, cut after its
  first N sentences (corpus.segment.sentence_spans), so it is real news text at any length;
- the annotations, through `Annotation.create`: tags of three labels and one with a space,
  three annotators, nine in ten tags, one in ten notes. A tag is a whole sentence (about half),
  a run of 1 to 6 words inside one (some cut inside their last word, which the token formats
  must widen), or two sentences across their break; many overlap and nest, as a real
  annotator's do;
- the entities: every run of capitalised words (what a model's entities look like in number
  and place), labels in turn, so the token formats have entities to lay on tokens too.

Each format's writer (annotations.formats `FORMATS`, the module's `write`, `write_lines`...) is
called as the export command calls it, its output made whole (text chunks joined, files of a
folder format built): the best of `--repeat` runs, the formats taking turns so that drift in
the machine's speed hits them alike. spaCy is imported, and each module loaded, before anything
is timed: the table is the cost of the export, not of Python's imports. Then one more run of
each with `tracemalloc` gives its peak of traced memory (spaCy's tokens are allocated through
Python's allocator, so they count). The ratio is the format's time over the JSON Lines export
of the same set in the same run.

    python benchmarks/formats.py                       # 100 to 4,000 spans: ~40 s
    python benchmarks/formats.py --quick               # 100 spans, once: does it still run?
    python benchmarks/formats.py --sizes 4000:2000 --repeat 5 --formats jsonl,spacy,conll
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import re
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_long_article import long_article_text

from annotations.formats import FORMATS, ExportArticle, ExportSet, Format
from annotations.model import LABELS, Annotation, text_sha256
from corpus.segment import sentence_spans

BASELINE = "jsonl"
# (spans, sentences): the two cases are the last two.
DEFAULT_SIZES = ((100, 50), (1_000, 300), (2_400, 300), (4_000, 2_000))
TAG_LABELS = (*LABELS, "false context")
ANNOTATORS = ("amira", "ben", "chen")
NOTE_SHARE = 0.1
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP")
NOW = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)
# Capitalised words in a row, on one line: about as many as a model's entities, where they are.
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w’'-]*(?:[^\S\n][A-Z][\w’'-]*)*")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Size:
    spans: int
    sentences: int

    def __str__(self) -> str:
        return f"{self.spans:,} spans, {self.sentences:,} sentences"


def article_text(sentences: int, seed: int = 0) -> str:
    """The long article's text up to the end of its ``sentences``-th sentence (and a line end)."""
    size = 200 * sentences + 10_000
    while True:
        text = long_article_text(size, seed)
        spans = sentence_spans(text)
        if len(spans) >= sentences:
            return text[: spans[sentences - 1][1]] + "\n"
        size *= 2


def make_export(size: Size, seed: int = 0) -> ExportSet:
    """One article of ``size.sentences`` sentences with ``size.spans`` annotations on it."""
    text = article_text(size.sentences, seed)
    sha256 = text_sha256(text)
    sentences = sentence_spans(text)
    rng = random.Random(seed)
    annotations: list[Annotation] = []
    for number in range(size.spans):
        start, end = _span(text, sentences, rng)
        is_note = rng.random() < NOTE_SHARE
        made = Annotation.create(
            article="long-article",
            text=text,
            start=start,
            end=end,
            annotator=rng.choice(ANNOTATORS),
            label="" if is_note else rng.choice(TAG_LABELS),
            note=f"note {number}" if is_note else "",
            article_sha256=sha256,
            source="long.txt",
            title="A long article",
            now=NOW,
        )
        annotations.append(made.evolve(id=f"a{number:06d}"))
    entities = tuple(
        (match.start(), match.end(), ENTITY_LABELS[index % len(ENTITY_LABELS)])
        for index, match in enumerate(_CAPITALISED_RUN.finditer(text))
    )
    article = ExportArticle(
        id="long-article",
        sha256=sha256,
        title="A long article",
        source="long.txt",
        text=text,
        outlet="Bundled paragraphs",
        entities=entities,
    )
    return ExportSet(annotations=annotations, articles={sha256: article})


def _span(text: str, sentences: Sequence[tuple[int, int]], rng: random.Random) -> tuple[int, int]:
    """A tag's span: a sentence, words inside one (perhaps cut in a word), or two sentences."""
    index = rng.randrange(len(sentences))
    start, end = sentences[index]
    kind = rng.random()
    if kind < 0.5:
        return start, end
    if kind < 0.9 or index + 1 == len(sentences):
        words = [m.span() for m in _WORD.finditer(text, start, end)]
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randrange(6))
        word_start, word_end = words[first][0], words[last][1]
        if rng.random() < 0.2 and word_end - word_start > 1:
            word_end -= 1  # ends inside its last word: the token formats widen it
        return word_start, word_end
    return start, sentences[index + 1][1]


def writer_of(fmt: Format) -> Callable[[ExportSet], object]:
    """The format's writer, its output made whole (an iterator of chunks is joined)."""
    write = getattr(fmt.load(), fmt.writer)

    def run(export: ExportSet) -> object:
        made = write(export)
        if fmt.kind == "text":
            return "".join(made)
        return made

    return run


@dataclass
class Result:
    seconds: float = float("inf")
    peak_bytes: int = 0


def measure(
    sizes: Sequence[Size], formats: Sequence[Format], repeat: int
) -> dict[tuple[Size, str], Result]:
    writers = {fmt.name: writer_of(fmt) for fmt in formats}
    import spacy  # noqa: F401 - imported before timing, as the modules import it on first write

    results: dict[tuple[Size, str], Result] = {}
    for size in sizes:
        export = make_export(size)
        print(f"{size}: {len(export.annotations):,} annotations", file=sys.stderr)
        for name in writers:
            results[size, name] = Result()
        for _ in range(repeat):
            for name, write in writers.items():
                gc.collect()
                start = time.perf_counter()
                write(export)
                elapsed = time.perf_counter() - start
                result = results[size, name]
                result.seconds = min(result.seconds, elapsed)
                print(f"  {name}: {elapsed * 1000:,.1f} ms", file=sys.stderr)
        for name, write in writers.items():
            gc.collect()
            tracemalloc.start()
            write(export)
            results[size, name].peak_bytes = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return results


def table(
    sizes: Sequence[Size], formats: Sequence[Format], results: dict[tuple[Size, str], Result]
) -> str:
    lines = [
        "| format | " + " | ".join(str(size) for size in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for fmt in formats:
        cells = []
        for size in sizes:
            result = results[size, fmt.name]
            baseline = results[size, BASELINE].seconds
            ratio = "baseline" if fmt.name == BASELINE else f"{result.seconds / baseline:,.1f}×"
            cells.append(
                f"{result.seconds * 1000:,.0f} ms ({ratio}), {result.peak_bytes / 1e6:,.0f} MB"
            )
        lines.append(f"| `{fmt.name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse_sizes(text: str) -> tuple[Size, ...]:
    sizes = []
    for part in text.split(","):
        spans, _, sentences = part.partition(":")
        sizes.append(Size(int(spans), int(sentences or max(1, int(spans) // 2))))
    return tuple(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=tuple(Size(*pair) for pair in DEFAULT_SIZES),
        help="spans:sentences, comma-separated (default 100:50,1000:300,2400:300,4000:2000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each; the best kept")
    parser.add_argument("--formats", help="comma-separated format names (default: all)")
    parser.add_argument("--quick", action="store_true", help="100 spans on 50 sentences, once")
    options = parser.parse_args()
    sizes: tuple[Size, ...] = options.sizes
    repeat: int = options.repeat
    if options.quick:
        sizes, repeat = (Size(100, 50),), 1
    names = options.formats.split(",") if options.formats else list(FORMATS)
    unknown = [name for name in names if name not in FORMATS]
    if unknown:
        parser.error(f"no format named {', '.join(unknown)}; formats: {', '.join(FORMATS)}")
    if BASELINE not in names:
        names.insert(0, BASELINE)
    formats = [FORMATS[name] for name in names]
    results = measure(sizes, formats, repeat)
    print(table(sizes, formats, results))
    print()
    print(
        f"Best of {repeat}, in-process, writer output made whole; peak traced memory "
        f"(tracemalloc) of one more run; ratio: time / `{BASELINE}` of the same set. Machine: "
        f"Python {platform.python_version()}, spaCy {metadata.version('spacy')}, "
        f"{platform.system()} {platform.machine()}."
    )


if __name__ == "__main__":
    main()
