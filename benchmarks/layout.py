"""Layout and text model costs of a long article, without the UI: what a resize, `f` or opening
a 5 MB article must pay before its first frame, and what may wait.

For articles of 50 KB, 1 MB and 5 MB made from the bundled paragraphs (make_long_article.py),
in this process, with `time.perf_counter`:

- what opening computes over the whole text: `Article.paragraphs`, `Article.sentences` (a fresh
  Article each time, so nothing is cached), `display_text`, `is_chrome` of every sentence, and
  `Blocks` (once per folding);
- the lazy alternatives: `sentences_in` for the paragraphs of the first screen, and a
  `LazyLayout`'s first screen (`lines(0, 45)`), a jump to the middle (`y_of_offset` then a
  screen), pages down through text not yet wrapped, and background slices (`wrap_some`, the
  view's 6 ms budget, the cyclic GC on as in the app);
- the baseline: `layout_lines` of the whole article, what every resize and `f` cost before.

    python benchmarks/layout.py [--quick]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_long_article import long_article_text

from corpus.chrome import guess_chrome
from corpus.model import Article
from corpus.segment import sentences_in
from reader.literal import display_text
from reader.text_layout import Blocks, DisplayLine, LazyLayout, layout_lines
from reader.widgets.article_text_view import SLICE_SECONDS

SIZES = {"50 KB": 50_000, "1 MB": 1_000_000, "5 MB": 5_000_000}
WIDTH = 150  # a 160-column terminal, one pane: borders and gutter taken off
HEIGHT = 43
FIRST_SCREEN_TARGET_MS = 5.0
WHOLE_TEXT_LIMIT_MS = 50.0  # over this, opening a 5 MB article should not pay it up front


def best_ms(work: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs: the cost itself, without the machine's hiccups."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def fresh_article(text: str, chrome: tuple[tuple[int, int], ...]) -> Article:
    return Article("long", "Long", None, None, "long.txt", text, "0" * 64, chrome)


def measure(text: str, repeat: int) -> dict[str, str]:
    # The collector sees this size's objects only, not the other sizes' (as in keys.py).
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    chrome = guess_chrome(text)
    article = fresh_article(text, chrome)
    paragraphs = article.paragraphs
    sentences = article.sentences
    display = display_text(text)
    found: dict[str, str] = {}

    def ms(label: str, value: float, digits: int = 1) -> None:
        found[label] = f"{value:,.{digits}f} ms"

    ms(
        "Article.paragraphs (whole text)",
        best_ms(lambda: fresh_article(text, chrome).paragraphs, repeat),
    )
    ms(
        "Article.sentences (whole text)",
        best_ms(lambda: fresh_article(text, chrome).sentences, repeat),
    )
    ms("display_text (whole text)", best_ms(lambda: display_text(text), repeat))
    ms(
        "is_chrome of every sentence",
        best_ms(lambda: [article.is_chrome(s, e) for s, e in sentences], repeat),
    )
    ms(
        "Blocks, chrome folded (once per folding)",
        best_ms(lambda: Blocks(display, paragraphs, chrome), repeat),
    )
    folded_blocks = Blocks(display, paragraphs, chrome)
    ms(
        "Blocks, the other folding (from the same paragraphs: the first `f`)",
        best_ms(lambda: folded_blocks.refolded(()), repeat),
    )
    first_paragraphs = paragraphs[:HEIGHT]
    ms(
        f"sentences_in, the first {len(first_paragraphs)} paragraphs",
        best_ms(lambda: [sentences_in(text, p) for p in first_paragraphs], repeat),
        3,
    )
    blocks = Blocks(display, paragraphs, chrome)

    widths = iter(range(WIDTH + 1, WIDTH + 1000))

    def first_screen(width: int = WIDTH) -> LazyLayout:
        layout = LazyLayout(display, (), width, blocks=blocks)
        layout.lines(0, HEIGHT)
        return layout

    # A resize: a width never seen, so the blocks' height estimates are made too.
    ms(
        "LazyLayout: first screen at a new width (made + lines(0, 45))",
        best_ms(lambda: first_screen(next(widths)), repeat),
        2,
    )
    ms("LazyLayout: first screen at a width seen before", best_ms(first_screen, repeat), 2)

    def middle() -> None:
        layout = LazyLayout(display, (), next(widths), blocks=blocks)
        y = layout.y_of_offset(len(display) // 2)
        layout.lines(y, y + HEIGHT)

    ms("LazyLayout: a new width, then a screen at the middle", best_ms(middle, repeat), 2)
    kept: dict[int, list[DisplayLine]] = {}
    LazyLayout(display, (), WIDTH, blocks=blocks, wrapped=kept).lines(0, 10**9)

    def again() -> None:  # what `f` or resizing back costs: every paragraph kept at this width
        LazyLayout(display, (), WIDTH, blocks=blocks, wrapped=kept).lines(0, HEIGHT)

    ms(
        "LazyLayout: first screen again, all paragraphs kept (f, resize back)",
        best_ms(again, repeat),
        2,
    )
    layout = first_screen()
    y = layout.y_of_offset(len(display) // 3)
    pages = []
    for _ in range(30):
        start = time.perf_counter()
        layout.lines(y, y + HEIGHT)
        pages.append((time.perf_counter() - start) * 1000)
        y += HEIGHT
    found["LazyLayout: page down into unwrapped text, p50 / max of 30"] = (
        f"{statistics.median(pages):.2f} / {max(pages):.2f} ms"
    )
    slices = []
    while True:
        start = time.perf_counter()
        done = layout.wrap_some(SLICE_SECONDS)
        # What the view's timer does after each slice: where lines moved, the new length.
        layout.take_first_change()
        _ = layout.line_count
        slices.append((time.perf_counter() - start) * 1000)
        if done:
            break
    found[f"LazyLayout: background slices ({SLICE_SECONDS * 1000:.0f} ms), count, p50 / max"] = (
        f"{len(slices)}, {statistics.median(slices):.1f} / {max(slices):.1f} ms"
    )
    ms("LazyLayout: all slices together", sum(slices), 0)
    ms(
        "baseline: layout_lines of the whole article",
        best_ms(lambda: layout_lines(display, paragraphs, WIDTH, chrome), max(1, repeat // 3)),
        0,
    )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="50 KB only, once (checks it runs)")
    options = parser.parse_args(argv)
    sizes = {"50 KB": SIZES["50 KB"]} if options.quick else SIZES
    repeat = 1 if options.quick else 5
    columns: dict[str, dict[str, str]] = {}
    for label, size in sizes.items():
        print(f"{label}…", file=sys.stderr, flush=True)
        columns[label] = measure(long_article_text(size), repeat)
    rows = list(next(iter(columns.values())))
    print("| measurement | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name in rows:
        print(f"| {name} | " + " | ".join(column[name] for column in columns.values()) + " |")
    print(
        f"\nBest of {repeat} (medians for pages and slices), width {WIDTH}, {HEIGHT} lines a "
        f"screen. Targets: a first screen under {FIRST_SCREEN_TARGET_MS:.0f} ms; a whole-text "
        f"pass over {WHOLE_TEXT_LIMIT_MS:.0f} ms at 5 MB must not be paid before the first frame."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
