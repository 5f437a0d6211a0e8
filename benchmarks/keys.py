"""Key latency: how much work the reader does per key, on the bundled corpus and on a 5 MB article.

The real app runs headless (`App.run_test`, 160x45) with a real TinyDB file in a temporary
directory and an entity cache filled first (spaCy runs once, before anything is timed). Each key
is pressed through the Pilot and timed until the app is idle again (`pilot.press` then
`pilot.pause`), in CPU time of the process: wall time includes the Pilot's own sleeps. Baselines,
measured in the same run, the same way:

- a key bound to nothing (what the Pilot and Textual's event loop cost by themselves);
- `j`, the cheapest key that changes the screen;
- Textual's own `Log` widget showing the same text in a minimal app, pressed with the keys that
  do the same there (down, page down): the floor for a text view built on Textual.

Then open, resize and fold (`f`) times of one pane at 50 KB, 1 MB and 5 MB (articles made from
the bundled paragraphs by make_long_article.py).

    python benchmarks/keys.py [--presses 15] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Log

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_long_article import long_article_text

from annotations.store import AnnotationStore
from corpus.loader import bundled_articles, load_article
from corpus.model import Article
from reader.app import NewsReaderApp
from reader.entities import (
    EntityCache,
    extract_entities,
    load_pipeline,
    model_identity,
)

SIZE = (160, 45)
BASELINE = "f12"  # bound to nothing in the reader (and in the Log app)
# (what the row says, the keys of one round); each round leaves the app as it found it.
ROUNDS: list[tuple[str, tuple[str, ...]]] = [
    ("j / k (next, previous sentence)", ("j", "k")),
    ("w / b (next, previous word)", ("w", "b")),
    ("pagedown / pageup (the cursor follows)", ("pagedown", "pageup")),
    ("tab / shift+tab (next, previous pane)", ("tab", "shift+tab")),
    ("v w w escape (select, extend by word)", ("v", "w", "w", "escape")),
    ("v j escape (extend by sentence)", ("v", "j", "escape")),
    ("v w c ctrl+z (tag a selection, undo)", ("v", "w", "c", "ctrl+z")),
    ("s s s (step through overlapping annotations)", ("s", "s", "s")),
    ("/ P u t escape (search as you type)", ("slash", "P", "u", "t", "escape")),
    ("c twice (tag, untag: each saved)", ("c", "c")),
    ("f twice (show, fold site chrome)", ("f", "f")),
]
# The Log widget's keys for the same movements, timed beside ours.
LOG_ROUNDS: list[tuple[str, tuple[str, ...]]] = [
    ("down / up (Log)", ("down", "up")),
    ("pagedown / pageup (Log)", ("pagedown", "pageup")),
]
SIZES = {"50 KB": 50_000, "1 MB": 1_000_000, "5 MB": 5_000_000}

Timing = float  # CPU ms


def fill_cache(directory: Path, articles: Sequence[Article]) -> EntityCache:
    cache = EntityCache(directory)
    identity = model_identity()
    if identity is None:
        sys.exit("the spaCy model is not installed; the benchmark needs it to fill the cache")
    nlp = load_pipeline()
    for article in bundled_articles():
        cache.put(article.sha256, identity, extract_entities(nlp, article.text))
    for article in articles:  # long articles: no entities (spaCy would take minutes)
        cache.put(article.sha256, identity, [])
    return cache


def long_article(root: Path, size: int) -> Article:
    path = root / f"long-{size}.txt"
    path.write_text(long_article_text(size), encoding="utf-8")
    return load_article(path)


async def timed(pilot: object, key: str) -> Timing:
    cpu = time.process_time()
    await pilot.press(key)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return (time.process_time() - cpu) * 1000


def overlaps(app: NewsReaderApp) -> None:
    """Two overlapping annotations under the cursor of the first pane, for `s`."""
    view = app.reader_screen.visible_views[0]
    span = view.current_span
    assert span is not None
    app.editing.toggle(view.article, span, "claim")
    app.editing.toggle(view.article, (span[0], min(span[0] + 12, span[1])), "opinion", exact=True)
    app._refresh_views()


async def measure_keys(
    presses: int, root: Path, cache: EntityCache, articles: Sequence[Article]
) -> dict[str, list[Timing]]:
    times: dict[str, list[Timing]] = {}
    with AnnotationStore(root / f"annotations-{len(times)}-{id(articles)}.json") as store:
        app = NewsReaderApp(articles, store, annotator="bench", entity_cache=cache)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)
            overlaps(app)
            for _ in range(2):  # warm-up: first draws fill caches
                for _, keys in ROUNDS:
                    for key in keys:
                        await timed(pilot, key)
            for _ in range(presses):
                times.setdefault(BASELINE, []).append(await timed(pilot, BASELINE))
                for label, keys in ROUNDS:
                    for position, key in enumerate(keys):
                        times.setdefault(row(label, position, key), []).append(
                            await timed(pilot, key)
                        )
    return times


class LogApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Log(max_lines=None)

    def on_mount(self) -> None:
        log = self.query_one(Log)
        log.write(self.text)
        log.scroll_home(animate=False)
        log.focus()


async def measure_log(presses: int, text: str) -> dict[str, list[Timing]]:
    times: dict[str, list[Timing]] = {}
    app = LogApp(text)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        for _ in range(2):
            for _, keys in LOG_ROUNDS:
                for key in keys:
                    await timed(pilot, key)
        for _ in range(presses):
            times.setdefault(BASELINE, []).append(await timed(pilot, BASELINE))
            for label, keys in LOG_ROUNDS:
                for position, key in enumerate(keys):
                    times.setdefault(row(label, position, key), []).append(await timed(pilot, key))
    return times


async def measure_sizes(root: Path, cache: EntityCache, sizes: dict[str, Article]) -> list[str]:
    """Open (to the first frame), resize and `f` of one pane showing each long article."""
    lines = ["| article | open, to the first frame | resize 160→120 columns | f (show chrome) |"]
    lines.append("|---|---:|---:|---:|")
    for label, article in sizes.items():
        with AnnotationStore(root / f"sizes-{len(article.text)}.json") as store:
            wall = time.perf_counter()
            app = NewsReaderApp([article], store, annotator="bench", entity_cache=cache)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                opened = (time.perf_counter() - wall) * 1000
                cpu = time.process_time()
                await pilot.resize_terminal(120, 45)
                await pilot.pause()
                resized = (time.process_time() - cpu) * 1000
                fold = await timed(pilot, "f")
        lines.append(f"| {label} | {opened:.0f} ms | {resized:.1f} ms | {fold:.1f} ms |")
    return lines


def row(label: str, position: int, key: str) -> str:
    return f"{label}|{position}|{key}"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def key_table(name: str, times: dict[str, list[Timing]], log: dict[str, list[Timing]]) -> str:
    base = statistics.median(times[BASELINE])
    j_p95 = p95(times[row(ROUNDS[0][0], 0, "j")])
    log_p95 = {
        "j": p95(log[row(LOG_ROUNDS[0][0], 0, "down")]),
        "pagedown": p95(log[row(LOG_ROUNDS[1][0], 0, "pagedown")]),
    }
    lines = [
        f"### {name}",
        "",
        "| key | CPU p50 | CPU p95 | p95 over the idle key | p95 / `j` | p95 / Log's |",
        "|---|---:|---:|---:|---:|---:|",
        f"| idle key `{BASELINE}` | {base:.1f} ms | {p95(times[BASELINE]):.1f} ms | — | — | — |",
    ]
    for label, keys in ROUNDS:
        for position, key in enumerate(keys):
            found = times[row(label, position, key)]
            high = p95(found)
            against_log = f"{high / log_p95[key]:.2f}×" if key in log_p95 else ""
            lines.append(
                f"| `{key}` in {label} | {statistics.median(found):.1f} ms | {high:.1f} ms "
                f"| +{high - p95(times[BASELINE]):.1f} ms | {high / j_p95:.2f}× | {against_log} |"
            )
    for label, keys in LOG_ROUNDS:
        for position, key in enumerate(keys):
            found = log[row(label, position, key)]
            lines.append(
                f"| `{key}` in {label} | {statistics.median(found):.1f} ms "
                f"| {p95(found):.1f} ms | | | 1.00× |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=15, help="timed presses of each key")
    parser.add_argument(
        "--quick", action="store_true", help="1 press each, 50 KB only (checks it runs)"
    )
    options = parser.parse_args(argv)
    presses = 1 if options.quick else options.presses
    if presses < 1:
        parser.error("--presses must be at least 1")
    sizes = {"50 KB": SIZES["50 KB"]} if options.quick else SIZES
    with tempfile.TemporaryDirectory(prefix="reader-keys-bench-") as name:
        root = Path(name)
        print("making long articles…", file=sys.stderr, flush=True)
        longs = {label: long_article(root, size) for label, size in sizes.items()}
        largest = list(longs.values())[-1]
        print("filling the entity cache (spaCy, once)…", file=sys.stderr, flush=True)
        cache = fill_cache(root / "entities", list(longs.values()))
        bundled = bundled_articles()
        print("timing keys: bundled corpus…", file=sys.stderr, flush=True)
        corpus_times = asyncio.run(measure_keys(presses, root, cache, bundled))
        corpus_log = asyncio.run(measure_log(presses, bundled[0].text))
        label = list(longs)[-1]
        print(f"timing keys: {label} article…", file=sys.stderr, flush=True)
        long_times = asyncio.run(measure_keys(presses, root, cache, [largest, *bundled[:2]]))
        long_log = asyncio.run(measure_log(presses, largest.text))
        print("timing open, resize, fold…", file=sys.stderr, flush=True)
        size_lines = asyncio.run(measure_sizes(root, cache, longs))
    print(key_table("Bundled corpus (three panes)", corpus_times, corpus_log))
    print()
    print(key_table(f"A {label} article in the first pane", long_times, long_log))
    print()
    print("### One pane, by article size")
    print()
    print("\n".join(size_lines))
    print(
        f"\nCPU per key, {presses} presses each, {SIZE[0]}x{SIZE[1]}, headless Pilot; the Log "
        "rows are Textual's Log widget with the same text, timed in the same run."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
