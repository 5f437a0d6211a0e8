"""Key latency: how long the reader takes to answer a key, against a key it ignores.

The real app runs headless (`App.run_test`, 160x45) on the bundled corpus with a real TinyDB file
in a temporary directory and an entity cache filled first (spaCy runs once, before anything is
timed, so it never competes for the CPU). Each key is pressed through the Pilot and timed until
the app is idle again (`pilot.press` then `pilot.pause`), both in wall time and in CPU time of
the process. Wall time includes the Pilot's own waits (sleeps that cost no CPU), so CPU time is
the measure of the work a key causes. The baseline is a key bound to nothing, timed the same way
in the same run: what the Pilot and Textual's event loop cost by themselves. The table gives
each key's medians and its CPU time over the baseline's.

    python benchmarks/keys.py [--presses 15]
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

from annotations.store import AnnotationStore
from corpus.loader import bundled_articles
from reader.app import NewsReaderApp
from reader.entities import EntityCache, extract_entities, load_pipeline, model_identity

SIZE = (160, 45)
BASELINE = "x"  # bound to nothing in the reader
# (what the row says, the keys of one round); each round leaves the app as it found it.
ROUNDS: list[tuple[str, tuple[str, ...]]] = [
    ("j / k (next, previous sentence)", ("j", "k")),
    ("tab / shift+tab (next, previous pane)", ("tab", "shift+tab")),
    ("c twice (tag, untag: each saved)", ("c", "c")),
    ("f twice (show, fold site chrome)", ("f", "f")),
]


def fill_cache(directory: Path) -> EntityCache:
    cache = EntityCache(directory)
    identity = model_identity()
    if identity is None:
        sys.exit("the spaCy model is not installed; the benchmark needs it to fill the cache")
    nlp = load_pipeline()
    for article in bundled_articles():
        cache.put(article.sha256, identity, extract_entities(nlp, article.text))
    return cache


Timing = tuple[float, float]  # wall ms, CPU ms


def row_key(label: str, position: int, key: str) -> str:
    return f"{label}|{position}|{key}"


async def measure(presses: int, root: Path, cache: EntityCache) -> dict[str, list[Timing]]:
    times: dict[str, list[Timing]] = {BASELINE: []}
    with AnnotationStore(root / "annotations.json") as store:
        app = NewsReaderApp(bundled_articles(), store, annotator="bench", entity_cache=cache)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)

            async def press(key: str) -> Timing:
                wall, cpu = time.perf_counter(), time.process_time()
                await pilot.press(key)
                await pilot.pause()
                return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000

            for _ in range(2):  # warm-up: first draws fill caches
                for _, keys in ROUNDS:
                    for key in keys:
                        await press(key)
            for _ in range(presses):
                times[BASELINE].append(await press(BASELINE))
                for label, keys in ROUNDS:
                    for position, key in enumerate(keys):
                        timing = await press(key)
                        times.setdefault(row_key(label, position, key), []).append(timing)
    return times


def medians(timings: list[Timing]) -> Timing:
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def table(times: dict[str, list[Timing]]) -> str:
    base_wall, base_cpu = medians(times[BASELINE])
    lines = [
        "| key | wall | CPU | CPU over the baseline |",
        "|---|---:|---:|---:|",
        f"| baseline: `{BASELINE}`, bound to nothing "
        f"| {base_wall:.1f} ms | {base_cpu:.1f} ms | — |",
    ]
    for label, keys in ROUNDS:
        for position, key in enumerate(keys):
            wall, cpu = medians(times[row_key(label, position, key)])
            lines.append(
                f"| `{key}` in {label} | {wall:.1f} ms | {cpu:.1f} ms | +{cpu - base_cpu:.1f} ms |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=15, help="timed presses of each key")
    options = parser.parse_args(argv)
    if options.presses < 1:
        parser.error("--presses must be at least 1")
    with tempfile.TemporaryDirectory(prefix="reader-keys-bench-") as name:
        root = Path(name)
        print("filling the entity cache (spaCy, once)…", file=sys.stderr, flush=True)
        cache = fill_cache(root / "entities")
        print("timing keys…", file=sys.stderr, flush=True)
        times = asyncio.run(measure(options.presses, root, cache))
    print(table(times))
    print(f"\nMedians of {options.presses} presses each, {SIZE[0]}x{SIZE[1]}, headless Pilot.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
