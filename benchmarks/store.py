"""Store benchmark: what AnnotationStore costs at 1,000 to 100,000 annotations, against floors.

For each size N it builds a realistic database through the store itself: N annotations (quotes of
100 to 250 characters of the bundled articles' real text, spread over 300 articles, three labels,
one record in ten a note, three annotators) in the snapshot. Then, in order:

- saves: a store opened on that snapshot makes `--saves` durable saves (two thirds adds, a sixth
  updates, a sixth removes, in random order), each timed with time.perf_counter. After each one
  the floor is timed: appending one line of the same length to a file and fdatasyncing it (what
  the store's journal does, and nothing else). The saves stay in the journal, uncompacted.
- open: in a fresh Python process each time (so imports and memory are real), the store opens
  the database (snapshot + the journal of the saves) and answers `for_article` and
  `label_counts`; the child reports its time and peak RSS (VmHWM: see CHILD_EPILOGUE). The
  baselines read the same snapshot in fresh processes too: plain TinyDB's
  `.table("annotations").all()`, `json.loads` and `orjson.loads`.
- compaction: `store.compact()`, for information.
- plain TinyDB: a `TinyDB(path)` file (its default JSONStorage) with the same N records, timed
  on `table.insert(record)`. Each insert reads and rewrites the whole file, so fewer are measured
  at the larger sizes (`--tinydb-saves`).

The targets (for the store at 100,000 annotations) are in the table's last column.

    python benchmarks/store.py                 # 1,000, 10,000 and 100,000: a few minutes
    python benchmarks/store.py --quick         # 1,000 only, few repetitions: seconds
    python benchmarks/store.py --sizes 1000,10000 --saves 3000 --repeat 5 --dir /somewhere
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import hashlib
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from annotations.model import LABELS, Annotation
from annotations.store import ANNOTATIONS, AnnotationStore
from corpus.loader import bundled_articles

TABLE = "annotations"
ARTICLES = 300
ANNOTATORS = ("amira", "ben", "chen")
ANNOTATOR_WEIGHTS = (5, 3, 2)
NOTE_SHARE = 0.1
QUOTE_CHARS = (100, 250)
WARMUP_SAVES = 5  # before the measured ones: the first save opens the journal's file

# The targets, checked at 100,000 annotations.
TARGET_SIZE = 100_000
SAVE_MEDIAN_MS = 1.0
SAVE_P99_MS = 10.0
FLOOR_RATIO = 5.0
OPEN_MS = 1000.0
OPEN_MB = 300.0

ROOT = Path(__file__).resolve().parents[1]
# What the measured code is made of, for the hash printed with the table.
STORE_MODULES = sorted(name for name in sys.modules if name.startswith("annotations."))
SYNC = getattr(os, "fdatasync", None) or os.fsync  # what the store's journal calls


# -- realistic records ------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One of the ~300 articles: a bundled text under an id (and hash) of its own."""

    id: str
    text: str
    sha256: str
    source: str
    title: str
    spans: tuple[tuple[int, int], ...]  # passages of 100 to 250 characters


def quote_spans(text: str, sentences: Sequence[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sentences of 100 to 250 characters, and short ones joined to the next when that fits."""
    low, high = QUOTE_CHARS
    spans = []
    for index, (start, end) in enumerate(sentences):
        if low <= end - start <= high:
            spans.append((start, end))
        elif end - start < low and index + 1 < len(sentences):
            joined_end = sentences[index + 1][1]
            if low <= joined_end - start <= high:
                spans.append((start, joined_end))
    return tuple(spans)


class Maker:
    """Annotations as the app makes them, over ARTICLES articles; deterministic per seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        bundled = bundled_articles()
        self.sources = []
        for number in range(ARTICLES):
            article = bundled[number % len(bundled)]
            copy = number // len(bundled)
            self.sources.append(
                Source(
                    id=article.id if copy == 0 else f"{article.id}-{copy}",
                    text=article.text,
                    sha256=hashlib.sha256(f"{article.sha256}:{copy}".encode()).hexdigest(),
                    source=str(article.source),
                    title=article.title,
                    spans=quote_spans(article.text, article.sentences),
                )
            )
        self.notes = [
            article.text[start:end]
            for article in bundled
            for start, end in article.sentences
            if 20 <= end - start <= 200
        ]
        self.clock = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

    def annotation(self) -> Annotation:
        rng = self.rng
        source = rng.choice(self.sources)
        start, end = rng.choice(source.spans)
        self.clock += timedelta(seconds=rng.randint(5, 900))
        note = rng.choice(self.notes) if rng.random() < NOTE_SHARE else ""
        return Annotation.create(
            article=source.id,
            text=source.text,
            start=start,
            end=end,
            label="" if note else rng.choice(LABELS),
            note=note,
            annotator=rng.choices(ANNOTATORS, ANNOTATOR_WEIGHTS)[0],
            article_sha256=source.sha256,
            source=source.source,
            title=source.title,
            now=self.clock,
        )

    def changed(self, annotation: Annotation) -> Annotation:
        """An edit the app makes: another label, or a rewritten note."""
        if annotation.label:
            label = self.rng.choice([other for other in LABELS if other != annotation.label])
            return annotation.evolve(label=label, modified=_now())
        return annotation.with_note(self.rng.choice(self.notes))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


# -- statistics -------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: of 20 values, p99 is the largest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Latencies:
    ms: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.ms)

    @property
    def p99(self) -> float:
        return percentile(self.ms, 0.99)


@dataclass
class OpenRun:
    ms: float  # in the child, from before the first import to the last answer
    import_ms: float
    rss_mb: float
    process_ms: float  # spawn to exit, from the parent
    answers: dict[str, Any]


@dataclass
class SizeResult:
    size: int
    snapshot_mb: float = 0.0
    journal_mb: float = 0.0
    journal_lines: int = 0
    opened_count: int = 0
    article_count: int = 0
    saves: dict[str, int] = field(default_factory=dict)
    ours: Latencies = field(default_factory=Latencies)
    floor: Latencies = field(default_factory=Latencies)
    tinydb: Latencies = field(default_factory=Latencies)
    tinydb_mb: float = 0.0
    opens: dict[str, list[OpenRun]] = field(default_factory=dict)
    compaction: Latencies = field(default_factory=Latencies)


# -- measuring --------------------------------------------------------------------------------


def build_database(path: Path, annotations: Sequence[Annotation]) -> None:
    """A snapshot of these annotations, written by the store (one transaction, compacted)."""
    with AnnotationStore(path) as store:
        with store.transaction() as transaction:
            for annotation in annotations:
                transaction.add(ANNOTATIONS, annotation)
        store.compact()


def measure_saves(
    store: AnnotationStore,
    maker: Maker,
    live: list[str],
    count: int,
    floor_path: Path,
    result: SizeResult,
) -> None:
    """`count` saves (adds, updates, removes in random order), each followed by the floor."""
    removes = updates = count // 6
    plan = ["add"] * (count - removes - updates) + ["update"] * updates + ["remove"] * removes
    maker.rng.shuffle(plan)
    for _ in range(WARMUP_SAVES):
        warm = maker.annotation()
        store.add(warm)
        live.append(warm.id)
    floor_fd = os.open(floor_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    journal = store.journal_path
    done = {"add": 0, "update": 0, "remove": 0}
    try:
        for kind in plan:
            if kind != "add" and not live:
                kind = "add"
            before = os.stat(journal).st_size
            if kind == "add":
                annotation = maker.annotation()
                start = time.perf_counter()
                store.add(annotation)
                elapsed = time.perf_counter() - start
                live.append(annotation.id)
            else:
                index = maker.rng.randrange(len(live))
                if kind == "update":
                    current = store.annotation(live[index])
                    assert current is not None
                    changed = maker.changed(current)
                    start = time.perf_counter()
                    store.update(changed)
                    elapsed = time.perf_counter() - start
                else:
                    live[index], live[-1] = live[-1], live[index]
                    start = time.perf_counter()
                    store.remove(live[-1])
                    elapsed = time.perf_counter() - start
                    live.pop()
            done[kind] += 1
            result.ours.ms.append(elapsed * 1000)
            length = os.stat(journal).st_size - before
            line = b"x" * (length - 1) + b"\n"
            start = time.perf_counter()
            os.write(floor_fd, line)
            SYNC(floor_fd)
            result.floor.ms.append((time.perf_counter() - start) * 1000)
    finally:
        os.close(floor_fd)
    result.saves = done


def measure_tinydb(
    path: Path, annotations: Sequence[Annotation], new: Sequence[Annotation], result: SizeResult
) -> None:
    """Plain TinyDB with its default JSONStorage: `table.insert(record)`, one per new record."""
    from tinydb import TinyDB

    with TinyDB(path) as db:
        db.table(TABLE).insert_multiple(a.to_record() for a in annotations)
    result.tinydb_mb = path.stat().st_size / 1e6
    records = [a.to_record() for a in new]
    with TinyDB(path) as db:
        table = db.table(TABLE)
        table.insert(records[0])  # warm-up: the first insert also reads the table for its next id
        for record in records[1:]:
            start = time.perf_counter()
            table.insert(record)
            result.tinydb.ms.append((time.perf_counter() - start) * 1000)


# Run as `python -c`, one fresh process per measurement: argv is the database path and an
# article id; prints one JSON line. The clock starts before the first import of what is measured.
CHILD_PRELUDE = """\
import json, resource, sys, time
sys.path.insert(0, {root!r})
path, article = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
"""
CHILD_EPILOGUE = """
def peak_rss_kb():
    # VmHWM: this program's own high-water mark. ru_maxrss would do on its own, but Linux
    # carries it over fork and exec, so a child reports at least its parent's size at the fork.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"ms": (t2 - t0) * 1000, "import_ms": (t1 - t0) * 1000,
    "rss_kb": peak_rss_kb(), "answers": answers}}))
"""
CHILD_BODIES = {
    "ours": """
from pathlib import Path
from annotations.store import AnnotationStore
t1 = time.perf_counter()
store = AnnotationStore(Path(path))
tags = store.for_article(article)
totals = store.label_counts()
here = store.label_counts(article)
t2 = time.perf_counter()
answers = {"count": len(store), "article": len(tags), "notices": len(store.notices)}
""",  # never closed: close() may compact, which would change the database under the next run
    "tinydb": """
from tinydb import TinyDB
t1 = time.perf_counter()
documents = TinyDB(path).table("annotations").all()
t2 = time.perf_counter()
answers = {"count": len(documents)}
""",
    "json": """
t1 = time.perf_counter()
with open(path, "rb") as file:
    data = json.loads(file.read())
t2 = time.perf_counter()
answers = {"count": len(data["annotations"])}
""",
    "orjson": """
import orjson
t1 = time.perf_counter()
with open(path, "rb") as file:
    data = orjson.loads(file.read())
t2 = time.perf_counter()
answers = {"count": len(data["annotations"])}
""",
}


def measure_open(kind: str, path: Path, article: str) -> OpenRun:
    code = CHILD_PRELUDE.format(root=str(ROOT)) + CHILD_BODIES[kind] + CHILD_EPILOGUE.format()
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", code, str(path), article],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    process_ms = (time.perf_counter() - start) * 1000
    if completed.returncode != 0:
        raise RuntimeError(f"{kind} open failed:\n{completed.stderr}")
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    return OpenRun(
        ms=report["ms"],
        import_ms=report["import_ms"],
        rss_mb=report["rss_kb"] * 1024 / 1e6,
        process_ms=process_ms,
        answers=report["answers"],
    )


def measure(size: int, options: argparse.Namespace, directory: Path) -> SizeResult:
    result = SizeResult(size)
    started = time.perf_counter()

    def progress(what: str) -> None:
        seconds = time.perf_counter() - started
        print(f"  {size:,}: {what} ({seconds:.1f} s)", file=sys.stderr, flush=True)

    maker = Maker(seed=size)
    annotations = [maker.annotation() for _ in range(size)]
    tinydb_new = [maker.annotation() for _ in range(tinydb_saves(size, options) + 1)]
    path = directory / "annotations.json"
    build_database(path, annotations)
    result.snapshot_mb = path.stat().st_size / 1e6
    progress(f"snapshot written, {result.snapshot_mb:.1f} MB")

    article = maker.sources[0].id
    with AnnotationStore(path) as store:
        live = [a.id for a in annotations]
        measure_saves(store, maker, live, options.saves, directory / "floor.jsonl", result)
        result.journal_mb = store.journal_path.stat().st_size / 1e6
        result.journal_lines = store.journal_path.read_bytes().count(b"\n")
        progress(f"{len(result.ours.ms)} saves and floors")

        kinds = ["ours", "tinydb", "json", "orjson"]
        result.opens = {kind: [] for kind in kinds}
        for _ in range(options.repeat):
            for kind in kinds:  # in turns, so that drift in the machine's speed hits all alike
                result.opens[kind].append(measure_open(kind, path, article))
        answers = result.opens["ours"][0].answers
        result.opened_count, result.article_count = answers["count"], answers["article"]
        if answers["count"] != len(store) or answers["notices"]:
            raise RuntimeError(f"the child opened something else: {answers}")
        progress(f"{options.repeat} opens of each kind")

        for _ in range(options.repeat):
            start = time.perf_counter()
            store.compact()
            result.compaction.ms.append((time.perf_counter() - start) * 1000)
        progress("compaction")

    measure_tinydb(directory / "tinydb.json", annotations, tinydb_new, result)
    progress(f"{len(result.tinydb.ms)} plain TinyDB inserts")
    return result


def tinydb_saves(size: int, options: argparse.Namespace) -> int:
    if options.tinydb_saves:
        return int(options.tinydb_saves)
    # Each insert rewrites the whole file: 200 at 1,000, 50 at 10,000, 20 at 100,000.
    return max(20, min(200, 500_000 // size))


# -- the table --------------------------------------------------------------------------------


def ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def ratio(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}×"
    if value >= 1:
        return f"{value:.1f}×"
    return f"{value:.{max(2, 1 - math.floor(math.log10(value)))}f}×"  # two significant digits


def verdict(ok: bool) -> str:
    return "**pass**" if ok else "**FAIL**"


@dataclass(frozen=True)
class Row:
    label: str
    cell: Callable[[SizeResult], str]
    target: str = ""  # what the issue asks of the store at TARGET_SIZE
    passes: Callable[[SizeResult], bool] | None = None


def open_ms(r: SizeResult, kind: str) -> float:
    return statistics.median(run.ms for run in r.opens[kind])


def open_mb(r: SizeResult, kind: str) -> float:
    return max(run.rss_mb for run in r.opens[kind])


def spread(runs: Sequence[OpenRun]) -> str:
    times = [run.ms for run in runs]
    return f"{min(times):,.0f}–{max(times):,.0f}"


def open_cell(kind: str) -> Callable[[SizeResult], str]:
    return lambda r: f"{ms(open_ms(r, kind))}, {open_mb(r, kind):,.0f} MB"


ROWS = [
    Row(
        "annotations when opened: in all (snapshot + saves in the journal)",
        lambda r: f"{r.opened_count:,} ({r.size:,} + {r.journal_lines - 1:,})",
    ),
    Row("files: snapshot, journal", lambda r: f"{r.snapshot_mb:.1f} MB, {r.journal_mb:.2f} MB"),
    Row(
        "save, ours: median",
        lambda r: ms(r.ours.median),
        "≤ 1 ms",
        lambda r: r.ours.median <= SAVE_MEDIAN_MS,
    ),
    Row(
        "save, ours: p99", lambda r: ms(r.ours.p99), "≤ 10 ms", lambda r: r.ours.p99 <= SAVE_P99_MS
    ),
    Row("floor, append + fdatasync a line as long: median", lambda r: ms(r.floor.median)),
    Row("floor: p99", lambda r: ms(r.floor.p99)),
    Row(
        "ours / floor: median",
        lambda r: ratio(r.ours.median / r.floor.median),
        "≤ 5×",
        lambda r: r.ours.median / r.floor.median <= FLOOR_RATIO,
    ),
    Row("ours / floor: p99", lambda r: ratio(r.ours.p99 / r.floor.p99)),
    Row("save, plain TinyDB insert: median", lambda r: ms(r.tinydb.median)),
    Row("save, plain TinyDB insert: p99", lambda r: ms(r.tinydb.p99)),
    Row("plain TinyDB: inserts measured", lambda r: f"{len(r.tinydb.ms)}"),
    Row("ours / plain TinyDB: median", lambda r: ratio(r.ours.median / r.tinydb.median)),
    Row("ours / plain TinyDB: p99", lambda r: ratio(r.ours.p99 / r.tinydb.p99)),
    Row(
        "open + one article's tags + label counts, ours: time (min–max)",
        lambda r: f"{ms(open_ms(r, 'ours'))} ({spread(r.opens['ours'])})",
        "< 1 s",
        lambda r: open_ms(r, "ours") < OPEN_MS,
    ),
    Row(
        "open, ours: peak RSS",
        lambda r: f"{open_mb(r, 'ours'):,.0f} MB",
        "< 300 MB",
        lambda r: open_mb(r, "ours") < OPEN_MB,
    ),
    Row(
        "open, ours: of which importing annotations.store",
        lambda r: ms(statistics.median(run.import_ms for run in r.opens["ours"])),
    ),
    Row(
        "open, ours: whole process, spawn to exit",
        lambda r: ms(statistics.median(run.process_ms for run in r.opens["ours"])),
    ),
    Row("open, ours: the article's annotations", lambda r: f"{r.article_count:,}"),
    Row("baseline: plain TinyDB .all() of the snapshot: time, peak RSS", open_cell("tinydb")),
    Row("baseline: json.loads of the snapshot: time, peak RSS", open_cell("json")),
    Row("baseline: orjson.loads of the snapshot: time, peak RSS", open_cell("orjson")),
    Row("compaction", lambda r: ms(r.compaction.median), "informational"),
]


def table(results: Sequence[SizeResult]) -> str:
    at_target = next((r for r in results if r.size == TARGET_SIZE), None)
    header = ["measurement", *(f"{r.size:,}" for r in results), f"target at {TARGET_SIZE:,}"]
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * len(results) + "|---|"]
    for row in ROWS:
        goal = row.target
        if row.passes is not None:
            if at_target is None:
                goal += f" (not measured: {TARGET_SIZE:,} not in --sizes)"
            else:
                goal += f": {verdict(row.passes(at_target))}"
        cells = " | ".join(row.cell(r) for r in results)
        lines.append(f"| {row.label} | {cells} | {goal} |")
    return "\n".join(lines)


def notes(results: Sequence[SizeResult], options: argparse.Namespace, directory: Path) -> str:
    saves = results[0].saves
    tinydb = ", ".join(f"{len(r.tinydb.ms)} at {r.size:,}" for r in results)
    return "\n".join(
        [
            f"Saves of ours: {sum(saves.values()):,} per size ({saves['add']:,} adds, "
            f"{saves['update']:,} updates, {saves['remove']:,} removes, in random order) after "
            f"{WARMUP_SAVES} not counted, each timed alone; after each, the floor: a line of the "
            "same length appended to another file and fdatasynced, as the journal is. p99 is "
            "the nearest rank (of 20 values, the largest).",
            f"Plain TinyDB inserts measured: {tinydb}, after 1 not counted; each reads and "
            f"rewrites the whole file. Its JSONStorage (TinyDB {_version('tinydb')}) fsyncs "
            "every write, but overwrites the file in place: a crash mid-write can leave it torn.",
            f"Open: median time of {options.repeat} fresh processes of each kind, in turns; peak "
            "RSS is the largest VmHWM a child read of itself. The files are in the page cache "
            "(a warm open). The time runs from before the first import of the store (or of "
            "tinydb, orjson) to the last answer; the whole-process row adds Python's start-up "
            "and exit.",
            f"Compaction: median of {options.repeat}, after the opens.",
            "",
            machine(directory),
        ]
    )


def machine(directory: Path) -> str:
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count() or 0
    return (
        f"Machine: nproc {affinity}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()} {platform.machine()}; TinyDB "
        f"{_version('tinydb')}, orjson {_version('orjson')}, filelock {_version('filelock')}; "
        f"temporary files on {filesystem(directory)}."
    )


def store_code_hash() -> str:
    """A hash of the store's code as it is on disk now: annotations.store and what it imports."""
    digest = hashlib.sha256()
    for module in STORE_MODULES:
        source = Path(sys.modules[module].__file__ or "")
        digest.update(module.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:12]


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout"


def load_average() -> str:
    """Other processes on the machine make fdatasync and the opens slower: say how busy it was."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def filesystem(directory: Path) -> str:
    """The filesystem type (and device) the directory is on, from /proc/mounts."""
    real = os.path.realpath(directory)
    best = ("", "?", "?")
    try:
        with open("/proc/mounts", encoding="utf-8") as mounts:
            for line in mounts:
                device, mount, kind = line.split()[:3]
                mount = mount.replace("\\040", " ")
                inside = real == mount or real.startswith(mount.rstrip("/") + "/")
                if inside and len(mount) > len(best[0]):
                    best = (mount, kind, device)
    except OSError:
        return "an unknown filesystem"
    return f"{best[1]} ({best[2]} on {best[0]})"


# -- main -------------------------------------------------------------------------------------


def compile_bytecode() -> None:
    """As `pip install` does: so that the children import our modules as an installed app does."""
    for package in ("annotations", "corpus"):
        compileall.compile_dir(ROOT / package, quiet=1, workers=1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated sizes")
    parser.add_argument("--saves", type=int, default=1500, help="saves of ours timed per size")
    parser.add_argument(
        "--tinydb-saves",
        type=int,
        default=0,
        help="plain TinyDB inserts per size (default: 200 at 1,000, 50 at 10,000, 20 at 100,000)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="fresh-process opens of each kind, and compactions"
    )
    parser.add_argument("--dir", type=Path, help="where to put the files (default: a temp dir)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,000 only: 120 saves, 10 TinyDB inserts, one open of each kind (the smoke test)",
    )
    options = parser.parse_args(argv)
    if options.quick:
        options.sizes, options.saves, options.repeat = "1000", 120, 1
        options.tinydb_saves = options.tinydb_saves or 10
    sizes = sorted({int(size) for size in options.sizes.split(",") if size.strip()})
    if not sizes or min(sizes) < 1 or options.saves < 6 or options.repeat < 1:
        parser.error("sizes and --repeat must be positive, --saves at least 6")
    made_dir = options.dir is not None and not options.dir.exists()
    if made_dir:
        options.dir.mkdir(parents=True)
    compile_bytecode()
    commit, code, load = git_commit(), store_code_hash(), load_average()
    results = []
    top = Path(tempfile.mkdtemp(prefix="reader-store-bench-", dir=options.dir))
    try:
        for size in sizes:
            print(f"measuring {size:,} annotations…", file=sys.stderr, flush=True)
            directory = top / str(size)
            directory.mkdir()
            results.append(measure(size, options, directory))
            shutil.rmtree(directory)
        print(table(results))
        print()
        print(notes(results, options, top))
        print(
            f"Code: {commit} at the start; sha256 of the store's modules {code}. "
            f"Load average (1 min) at the start {load}, at the end {load_average()}."
        )
        if store_code_hash() != code:
            print("WARNING: the store's code changed during the run; the numbers mix versions.")
    finally:
        shutil.rmtree(top, ignore_errors=True)
        if made_dir:
            with contextlib.suppress(OSError):
                options.dir.rmdir()  # only if still empty
    return 0


if __name__ == "__main__":
    sys.exit(main())
