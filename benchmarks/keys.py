"""Key latency: how much work the reader does per key, on the bundled corpus and on a 5 MB article.

The real app runs headless (`App.run_test`, 160x45) with a real TinyDB file in a temporary
directory and an entity cache filled first (spaCy runs once, before anything is timed). Each key
is pressed through the Pilot, in CPU time of the process (wall time would include the Pilot's
own sleeps and Textual's frame pacing), timed twice:

- to its first frame: until the app has rendered the next screen update after the key (the
  compositor's update, as it would be written to a terminal); what the user waits for;
- until idle (`pilot.press` then `pilot.pause`): everything the key set off, background work
  such as wrapping the rest of a long article in slices included.

Baselines, measured in the same run, the same way, in turns with our keys (`--blocks`: our
app, then the Log's, then ours again, each block pressing its share of `--presses`):

- a key bound to nothing (what the Pilot and Textual's event loop cost by themselves);
- `j`, the cheapest key that changes the screen;
- Textual's own `Log` widget showing the same text in a minimal app (animations off, as our
  scrolling has none), pressed with the key that does the same there (down, page down, end),
  else with `down`: the floor for a text view built on Textual.

Then open, resize and fold (`f`) of one pane at 50 KB, 1 MB and 5 MB (articles made from the
bundled paragraphs, site chrome included, by make_long_article.py), beside the Log's open and
resize of the same text. Resizes (160 -> 120 -> 160 ... columns) and `f` are repeated
`--presses` times: one of each was a sample of the machine's noise (24-28 ms for a resize in
one run, 11-17 ms at p50-p95 over 30 in the next). Beside them, every slice of the background
work a long article sets off, from its opening until the work is done: a key pressed during a
slice waits for its end.

The keys are data (ROUNDS): add a Round to time a new key. A round whose keys the app does not
bind yet is printed as n/a.

    python benchmarks/keys.py [--presses 15] [--blocks 3] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from textual.app import App, ComposeResult
from textual.pilot import Pilot
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
from reader.widgets.article_text_view import ArticleTextView

SIZE = (160, 45)
BASELINE = "f12"  # bound to nothing in the reader (and in the Log app)
FRAME_MS = 16.0  # the target: the CPU to a key's first frame within one frame at 60 Hz (p95)
LOG_RATIO_TARGET = 1.2  # ... and at most this many times the Log's p95


@dataclass(frozen=True)
class Round:
    """Keys pressed in a row, timed one by one; a round leaves the app as it found it."""

    label: str
    keys: tuple[str, ...]
    # Keys the focused view must bind when the round starts, or the round is n/a (a key not
    # yet implemented). By default the round's first key: later ones may be typed into a
    # widget the first one opened (the search bar).
    needs: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        return self.needs or self.keys[:1]


ROUNDS: list[Round] = [
    Round("j / k (next, previous sentence)", ("j", "k")),
    Round("w / b (next, previous word)", ("w", "b")),
    Round("pagedown / pageup (the cursor follows)", ("pagedown", "pageup")),
    Round("G / g (last, first sentence)", ("G", "g")),
    Round("tab / shift+tab (next, previous pane)", ("tab", "shift+tab")),
    Round("v w w escape (select, extend by word)", ("v", "w", "w", "escape")),
    Round("v j escape (extend by sentence)", ("v", "j", "escape")),
    Round("v w c ctrl+z (tag a selection, undo)", ("v", "w", "c", "ctrl+z"), ("v", "c")),
    Round("s s s (step through overlapping annotations)", ("s", "s", "s")),
    Round("/ P u t escape (search as you type)", ("slash", "P", "u", "t", "escape")),
    Round("c twice (tag, untag: each saved)", ("c", "c")),
    Round("f twice (show, fold site chrome)", ("f", "f")),
]
# The Log widget's keys for the same movements, timed beside ours.
LOG_ROUNDS: list[Round] = [
    Round("down / up (Log)", ("down", "up")),
    Round("pagedown / pageup (Log)", ("pagedown", "pageup")),
    Round("end / home (Log)", ("end", "home")),
]
# Our key -> the Log's key that does the same; any other key is set against the Log's `down`,
# the cheapest key that changes its screen.
LOG_EQUIVALENT = {
    "j": "down",
    "k": "up",
    "pagedown": "pagedown",
    "pageup": "pageup",
    "G": "end",
    "g": "home",
}
SIZES = {"50 KB": 50_000, "1 MB": 1_000_000, "5 MB": 5_000_000}
RESIZED_WIDTH = 120  # the one-pane table resizes 160 -> 120 -> 160 ...
PAUSED_WIDTH = 140  # ... then to this width, and presses `f` after a pause


class Press(NamedTuple):
    first_frame: float | None  # CPU ms to the first frame after the key; None: nothing drawn
    idle: float  # CPU ms until the app was idle again
    collected: bool = False  # a garbage collection started between the key and that frame


# CPU times (time.process_time()) at which a garbage collection started: see Frames.
_collections: list[float] = []


def _note_collection(phase: str, _info: dict[str, int]) -> None:
    if phase == "start":
        _collections.append(time.process_time())


Times = dict[str, list[Press]]  # row(label, position, key) -> one per press


class Frames:
    """The moments the app finishes a screen update: Textual's screen calls `App._display`
    with each rendered update (headless, it then writes nothing)."""

    def __init__(self, app: App[object]) -> None:
        self.cpu: list[float] = []  # time.process_time() after each update
        self.wall: list[float] = []  # time.perf_counter() after each update
        display = app._display

        def timed_display(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            if renderable is not None:
                self.cpu.append(time.process_time())
                self.wall.append(time.perf_counter())

        app._display = timed_display  # type: ignore[method-assign]

    def clear(self) -> None:
        self.cpu.clear()
        self.wall.clear()
        _collections.clear()

    def first_after(self, cpu: float) -> float | None:
        """CPU ms from `cpu` to the first update after it."""
        later = [done for done in self.cpu if done >= cpu]
        return (later[0] - cpu) * 1000 if later else None

    def press_since(self, cpu: float) -> Press:
        """What the key (or resize) that came at `cpu` cost, the app now idle."""
        first = self.first_after(cpu)
        frame_at = cpu + first / 1000 if first is not None else float("inf")
        collected = any(cpu <= started <= frame_at for started in _collections)
        return Press(first, (time.process_time() - cpu) * 1000, collected)


def fill_cache(directory: Path, articles: Sequence[Article], spacy: bool = True) -> EntityCache:
    cache = EntityCache(directory)
    identity = model_identity()
    if identity is None:
        sys.exit("the spaCy model is not installed; the benchmark needs it to fill the cache")
    nlp = load_pipeline() if spacy else None
    for article in bundled_articles():
        found = extract_entities(nlp, article.text) if nlp is not None else []
        cache.put(article.sha256, identity, found)
    for article in articles:  # long articles: no entities (spaCy would take minutes)
        cache.put(article.sha256, identity, [])
    return cache


def own_heap() -> None:
    """Let the next app's cyclic GC see only its own objects. What this process made before
    (spaCy's pipeline, the other runs' apps and articles) is not in the real app's process,
    and full collections over it would land on random keys."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def long_article_path(root: Path, size: int) -> Path:
    path = root / f"long-{size}.txt"
    path.write_text(long_article_text(size), encoding="utf-8")
    return path


async def timed(pilot: Pilot[object], frames: Frames, key: str) -> Press:
    frames.clear()
    cpu = time.process_time()
    await pilot.press(key)
    await pilot.pause()
    return frames.press_since(cpu)


def overlaps(app: NewsReaderApp) -> None:
    """Two overlapping annotations under the cursor of the first pane, for `s`."""
    view = app.reader_screen.visible_views[0]
    span = view.current_span
    assert span is not None
    app.editing.toggle(view.article, span, "claim")
    app.editing.toggle(view.article, (span[0], min(span[0] + 12, span[1])), "opinion", exact=True)
    app._refresh_views()


def row(label: str, position: int, key: str) -> str:
    return f"{label}|{position}|{key}"


async def press_rounds(
    pilot: Pilot[object], frames: Frames, rounds: Sequence[Round], presses: int, warmups: int
) -> Times:
    """The idle key, then every round, `presses` times over (after `warmups` untimed)."""
    times: Times = {}
    for _ in range(warmups):  # first draws fill caches
        for each in rounds:
            for key in each.keys:
                await timed(pilot, frames, key)
    for _ in range(presses):
        times.setdefault(BASELINE, []).append(await timed(pilot, frames, BASELINE))
        for each in rounds:
            for position, key in enumerate(each.keys):
                found = await timed(pilot, frames, key)
                times.setdefault(row(each.label, position, key), []).append(found)
    return times


async def measure_keys(
    presses: int,
    warmups: int,
    root: Path,
    cache: EntityCache,
    articles: Sequence[Article],
    block: int = 0,
) -> Times:
    """Our keys, in the real app; a round whose keys are not bound gets no timings (n/a).
    Each block starts from a store of its own (the rounds add annotations)."""
    own_heap()
    with AnnotationStore(root / f"annotations-{id(articles)}-{block}.json") as store:
        app = NewsReaderApp(articles, store, annotator="bench", entity_cache=cache)
        frames = Frames(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.5)
            overlaps(app)
            bound = set(app.active_bindings)  # the first pane is focused
            rounds = [each for each in ROUNDS if set(each.required) <= bound]
            return await press_rounds(pilot, frames, rounds, presses, warmups)


class LogApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        # Our view scrolls without animating: so must the baseline, or a page down here would
        # be a dozen frames of animation.
        self.animation_level = "none"

    def compose(self) -> ComposeResult:
        yield Log(max_lines=None)

    def on_mount(self) -> None:
        log = self.query_one(Log)
        log.write(self.text)
        log.scroll_home(animate=False)
        log.focus()


async def measure_log(presses: int, warmups: int, text: str) -> Times:
    own_heap()
    app = LogApp(text)
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        return await press_rounds(pilot, frames, LOG_ROUNDS, presses, warmups)


async def resized(pilot: Pilot[object], frames: Frames, width: int) -> Press:
    frames.clear()
    cpu = time.process_time()
    await pilot.resize_terminal(width, SIZE[1])
    await pilot.pause()
    return frames.press_since(cpu)


async def resize_turns(pilot: Pilot[object], frames: Frames, count: int) -> list[Press]:
    """`count` resizes, 160 -> 120 -> 160 ... columns (one is a sample of the machine's
    noise, not of the app)."""
    return [
        await resized(pilot, frames, RESIZED_WIDTH if turn % 2 == 0 else SIZE[0])
        for turn in range(count)
    ]


class BackgroundSlices:
    """Wall ms of each slice of the views' background work on a long article (wrapping, then
    sentences, then the other folding), while in a `with`: a key pressed during a slice waits
    for its end, so the longest slice is added to the slowest keys."""

    def __init__(self) -> None:
        self.slices: list[float] = []
        self._original = ArticleTextView._wrap_more

    def __enter__(self) -> BackgroundSlices:
        original, slices = self._original, self.slices

        def timed_slice(view: ArticleTextView) -> None:
            started = time.perf_counter()
            original(view)
            slices.append((time.perf_counter() - started) * 1000)

        ArticleTextView._wrap_more = timed_slice  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        ArticleTextView._wrap_more = self._original  # type: ignore[method-assign]

    async def until_done(self, pilot: Pilot[object], limit_seconds: float = 30.0) -> None:
        """Wait until no slice has run for a while (the work is done), at most `limit_seconds`."""
        quiet = 0
        waited = 0.0
        while quiet < 3 and waited < limit_seconds:
            seen = len(self.slices)
            await pilot.pause(0.2)
            waited += 0.2
            quiet = quiet + 1 if len(self.slices) == seen else 0

    def summary(self) -> str:
        if not self.slices:
            return "none"
        return (
            f"{len(self.slices)}: {statistics.median(self.slices):.1f} / {max(self.slices):.1f} ms"
        )


async def open_resize_fold(
    root: Path, cache: EntityCache, path: Path, count: int
) -> tuple[float, list[Press], Press, list[Press], Press, BackgroundSlices]:
    """Ours: open (wall ms from loading the file to the first frame), `count` resizes, `f`
    once, then `count` more times, then a resize to a new width and `f` after a pause; every
    background slice from the open until the work is done."""
    own_heap()
    with AnnotationStore(root / f"sizes-{path.stem}.json") as store, BackgroundSlices() as slices:
        wall = time.perf_counter()
        article = load_article(path)  # a fresh Article: nothing of it computed yet
        app = NewsReaderApp([article], store, annotator="bench", entity_cache=cache)
        frames = Frames(app)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            opened = (frames.wall[0] - wall) * 1000
            resizes = await resize_turns(pilot, frames, count)
            first_show = await timed(pilot, frames, "f")
            toggles = [await timed(pilot, frames, "f") for _ in range(count)]
            # As a reader would: a resize to a width not laid out yet, a pause, then `f`.
            await pilot.resize_terminal(PAUSED_WIDTH, SIZE[1])
            await pilot.pause(0.3)
            after_pause = await timed(pilot, frames, "f")
            await slices.until_done(pilot)
    return opened, resizes, first_show, toggles, after_pause, slices


async def log_open_resize(path: Path, count: int) -> tuple[float, list[Press]]:
    """The Log's open (wall ms from reading the file to the first frame) and resizes."""
    own_heap()
    wall = time.perf_counter()
    app = LogApp(path.read_bytes().decode("utf-8"))
    frames = Frames(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        opened = (frames.wall[0] - wall) * 1000
        resizes = await resize_turns(pilot, frames, count)
    return opened, resizes


def first_ms(press: Press) -> str:
    return "no frame" if press.first_frame is None else f"{press.first_frame:.1f} ms"


def spread(presses: Sequence[Press]) -> str:
    """First frames' p50 / p95."""
    frames = first_frames(presses)
    if not frames:
        return "no frame"
    return f"{statistics.median(frames):.1f} / {p95(frames):.1f} ms"


async def measure_sizes(
    root: Path, cache: EntityCache, paths: dict[str, Path], count: int
) -> list[str]:
    """Open (to the first frame), resize and `f` of one pane showing each long article."""
    lines = [
        f"| article | folded chrome | open, to the first frame (wall) | Log's open | ratio "
        f"| resize 160↔{RESIZED_WIDTH}: first frame p50 / p95 | Log's resize p50 / p95 "
        "| resize p95 / Log's | f, first (show chrome): first frame / idle "
        "| f again: first frame p50 / p95 "
        f"| f 0.3 s after a resize to {PAUSED_WIDTH}: first frame "
        "| background slices: count: p50 / max |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, path in paths.items():
        opened, resizes, first_show, toggles, after_pause, slices = await open_resize_fold(
            root, cache, path, count
        )
        log_opened, log_resizes = await log_open_resize(path, count)
        regions = len(load_article(path).chrome)
        ours, theirs = first_frames(resizes), first_frames(log_resizes)
        against = f"{p95(ours) / p95(theirs):.2f}×" if ours and theirs else "—"
        lines.append(
            f"| {label} | {regions:,} runs | {opened:.0f} ms | {log_opened:.0f} ms "
            f"| {opened / log_opened:.2f}× | {spread(resizes)} | {spread(log_resizes)} "
            f"| {against} | {first_ms(first_show)} / {first_show.idle:.1f} ms "
            f"| {spread(toggles)} | {first_ms(after_pause)} | {slices.summary()} |"
        )
    return lines


def interleaved(
    ours: Callable[[int, int], Coroutine[None, None, Times]],
    log: Callable[[int], Coroutine[None, None, Times]],
    presses: int,
    blocks: int,
) -> tuple[Times, Times]:
    """Our keys and the Log's, timed in turns: `blocks` blocks of each, alternating, their
    presses pooled. One long run of each, minutes apart, compared two moments of a machine
    whose speed drifts (up to 2x between runs here) as much as it compared two apps."""
    our_times: Times = {}
    log_times: Times = {}
    per_block = max(1, -(-presses // blocks))  # presses / blocks, rounded up
    for block in range(blocks):
        for timed_row, found in asyncio.run(ours(per_block, block)).items():
            our_times.setdefault(timed_row, []).extend(found)
        for timed_row, found in asyncio.run(log(per_block)).items():
            log_times.setdefault(timed_row, []).extend(found)
    return our_times, log_times


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def first_frames(presses: Sequence[Press]) -> list[float]:
    return [press.first_frame for press in presses if press.first_frame is not None]


def idles(presses: Sequence[Press]) -> list[float]:
    return [press.idle for press in presses]


def log_row(key: str) -> tuple[str, str]:
    """The Log's row timed against our `key`, and the Log's key."""
    log_key = LOG_EQUIVALENT.get(key, "down")
    for each in LOG_ROUNDS:
        if log_key in each.keys:
            return row(each.label, each.keys.index(log_key), log_key), log_key
    raise ValueError(f"no Log round presses {log_key!r}")


def collected(presses: Sequence[Press]) -> str:
    return f"{sum(press.collected for press in presses)}/{len(presses)}"


def frame_cells(presses: Sequence[Press]) -> tuple[str, str]:
    frames = first_frames(presses)
    if not frames:
        return "no frame", "no frame"
    return f"{statistics.median(frames):.1f} ms", f"{p95(frames):.1f} ms"


def key_table(name: str, times: Times, log: Times) -> str:
    """Per key: CPU to the first frame (p50, p95) and until idle (p95); the first frame's p95
    over `j`'s and over the Log's doing the same; the target's verdict."""
    idle_p95 = p95(idles(times[BASELINE]))
    log_idle_p95 = p95(idles(log[BASELINE]))
    j_frames = first_frames(times.get(row(ROUNDS[0].label, 0, "j"), []))
    j_p95 = p95(j_frames) if j_frames else None
    lines = [
        f"### {name}",
        "",
        "| key | first frame: CPU p50 | CPU p95 | until idle: CPU p95 | over the idle key's "
        "| p95 / `j` | Log's key: first frame p95 | p95 / Log's "
        f"| target: p95 < {FRAME_MS:.0f} ms and ≤ {LOG_RATIO_TARGET}× Log's "
        "| presses with a collection before the frame |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
        f"| idle key `{BASELINE}` | — | — | {idle_p95:.1f} ms | — | — "
        f"| `{BASELINE}` until idle {log_idle_p95:.1f} ms | — | | |",
    ]
    for each in ROUNDS:
        for position, key in enumerate(each.keys):
            presses = times.get(row(each.label, position, key))
            if presses is None:
                lines.append(
                    f"| `{key}` in {each.label} | n/a | n/a | n/a | n/a | n/a | | | not bound | |"
                )
                continue
            until_idle = p95(idles(presses))
            frames = first_frames(presses)
            high = p95(frames) if frames else None
            log_key_row, log_key = log_row(key)
            log_frames = first_frames(log[log_key_row])
            log_p95 = p95(log_frames) if log_frames else None
            if high is not None and log_p95 is not None:
                passed = high < FRAME_MS and high <= LOG_RATIO_TARGET * log_p95
                verdict = "pass" if passed else "**FAIL**"
                against_log = f"{high / log_p95:.2f}×"
            else:
                verdict = against_log = "—"
            cells = [
                f"`{key}` in {each.label}",
                *frame_cells(presses),
                f"{until_idle:.1f} ms",
                f"+{until_idle - idle_p95:.1f} ms",
                f"{high / j_p95:.2f}×" if high is not None and j_p95 else "—",
                f"`{log_key}` {log_p95:.1f} ms" if log_p95 is not None else f"`{log_key}` —",
                against_log,
                verdict,
                collected(presses),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    for each in LOG_ROUNDS:
        for position, key in enumerate(each.keys):
            presses = log[row(each.label, position, key)]
            until_idle = p95(idles(presses))
            p50_cell, p95_cell = frame_cells(presses)
            lines.append(
                f"| `{key}` in {each.label} | {p50_cell} | {p95_cell} | {until_idle:.1f} ms "
                f"| +{until_idle - log_idle_p95:.1f} ms | | | | | {collected(presses)} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=15, help="timed presses of each key")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1 press each, no warm-up, no spaCy, 50 KB only (checks it runs)",
    )
    parser.add_argument(
        "--blocks",
        type=int,
        default=3,
        help="our keys and the Log's are timed in turns, in this many blocks each",
    )
    options = parser.parse_args(argv)
    presses = 1 if options.quick else options.presses
    blocks = 1 if options.quick else options.blocks
    warmups = 0 if options.quick else 2
    if presses < 1:
        parser.error("--presses must be at least 1")
    if blocks < 1:
        parser.error("--blocks must be at least 1")
    sizes = {"50 KB": SIZES["50 KB"]} if options.quick else SIZES
    gc.callbacks.append(_note_collection)
    with tempfile.TemporaryDirectory(prefix="reader-keys-bench-") as name:
        root = Path(name)
        print("making long articles…", file=sys.stderr, flush=True)
        paths = {label: long_article_path(root, size) for label, size in sizes.items()}
        label = list(paths)[-1]
        largest = load_article(paths[label])
        print("filling the entity cache (spaCy, once)…", file=sys.stderr, flush=True)
        longs = [load_article(path) for path in paths.values()]
        cache = fill_cache(root / "entities", longs, spacy=not options.quick)
        bundled = bundled_articles()
        print("timing keys: bundled corpus…", file=sys.stderr, flush=True)
        corpus_times, corpus_log = interleaved(
            lambda count, block: measure_keys(count, warmups, root, cache, bundled, block),
            lambda count: measure_log(count, warmups, bundled[0].text),
            presses,
            blocks,
        )
        print(f"timing keys: {label} article…", file=sys.stderr, flush=True)
        long_articles = [largest, *bundled[:2]]
        long_times, long_log = interleaved(
            lambda count, block: measure_keys(count, warmups, root, cache, long_articles, block),
            lambda count: measure_log(count, warmups, largest.text),
            presses,
            blocks,
        )
        print("timing open, resize, fold…", file=sys.stderr, flush=True)
        size_lines = asyncio.run(measure_sizes(root, cache, paths, presses))
    print(
        key_table(
            "Bundled corpus (three panes; the Log shows the first article)",
            corpus_times,
            corpus_log,
        )
    )
    print()
    print(
        key_table(f"A {label} article in the first pane (the Log shows it)", long_times, long_log)
    )
    print()
    print("### One pane, by article size")
    print()
    print("\n".join(size_lines))
    print(
        f"\nCPU per key, {presses} presses each after {warmups} untimed rounds, "
        f"{SIZE[0]}x{SIZE[1]}, headless Pilot; the Log rows are Textual's Log widget with the "
        "same text, timed in the same run. Open is wall time from loading the file to the "
        f"first frame; resize and f are CPU time, {presses} of each per article."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
