"""Start-up benchmark: launch → the first complete frame at the terminal, → first paint of
article text, → entity highlights; and a 5 MB article's first frame.

Every run starts a fresh process in a real pseudo-terminal (160x45, TERM=xterm-256color) with
HOME and the XDG directories in a temporary directory. The benchmark reads everything the
process writes to the terminal, answers its query for synchronized output as modern terminals
do (so each frame arrives between "begin" and "end" marks), and notes when the bytes completing
the first frame have arrived. It also reads the times the process itself wrote through the
opt-in trace hook (`READER_TRACE_FILE`, see reader/trace.py). Both sides of each difference
come from `time.time()`: the benchmark takes t0 just before spawning. Runs of the different
kinds alternate so that machine drift hits them all alike; one warm-up run of each kind is not
counted.

    python benchmarks/startup.py [--runs N] [--long-size 5MB] [--json [FILE]]

See benchmarks/README.md for what each row means and the targets.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import fcntl
import json
import os
import platform
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_folder import make_folder
from make_long_article import long_article_text, parse_size

from corpus.loader import bundled_articles, load_article
from reader.entities import EntityCache, model_identity
from reader.locations import CACHE_ENV, DB_ENV, STATE_ENV
from reader.trace import TRACE_ENV
from reader.widgets.article_pane import footing, heading

COLUMNS, ROWS = 160, 45
RUN_TIMEOUT = 60.0  # seconds per run until the wanted marks appear
FILL_TIMEOUT = 180.0  # seconds for the run that fills the entity cache
TERM_GRACE = 2.0  # seconds between SIGTERM and SIGKILL
POLL_INTERVAL = 0.005
RATIO_TARGET = 1.3
# A folder opens as fast as the bundled corpus: only the first screen's articles are read
# before the first frame (corpus.loader.shelve_paths), the rest as they are needed.
FOLDER_RATIO_TARGET = 1.1
LONG_TARGET_MS = 500.0  # issue 14: a 5 MB article's text on screen in under half a second
FRAME_MS = 1000 / int(os.environ.get("TEXTUAL_FPS", "60"))  # Textual's minimum update interval

TEXT = "text_painted"
ENTITIES = "entities_painted"
# What the user sees: the time the bytes completing the first frame reach the terminal (read
# from the pty), not when the app drew it. A frame is complete when these are all in the output:
# the first pane's title, article text, the last pane's byline (bottom border) and the key bar.
# Then the frame that brought the last of them ends: at its "end synchronized update" mark
# (FRAME), or, if the app did not bracket its frames, right there (FRAME = NEEDLES).
FRAME = "frame_bytes"
NEEDLES = "needles_bytes"
SYNCED = "frame_synced"  # present when the first frame came bracketed (the time of its end)
# Not a time: the bytes the process wrote up to the end of the first complete frame (taken out
# of the marks into Run.frame_size by `measure`).
FRAME_SIZE = "frame_size"
FRAME_NEEDLES: dict[str, tuple[bytes, ...]] = {
    "ours": (b"The Telegraph", b"axis of terror", b"3/5", b"palette"),
    "minimal": (b"Hello from a minimal",),
    "textual": (b"The Telegraph", b"axis of terror", b"3/5", b"palette"),  # as "ours"
    "cold": (),
    "long": (),  # from the generated article: see Workspace.needles
    "folder": (),  # from the generated folder: see Workspace.needles
}
# DECRQM for mode 2026 (synchronized output), and the answer of a terminal that has it.
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"
SYNC_BEGIN = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"

# The baseline: Textual and nothing else. One widget draws one line through the line API, as
# reader/widgets/article_view.py does, and writes the same mark with the same clock.
MINIMAL_APP = """\
import os
import time

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widget import Widget

TRACE = os.environ.get("READER_TRACE_FILE")
_marked = False


class OneLine(Widget):
    def render_line(self, y: int) -> Strip:
        global _marked
        if not _marked and TRACE:
            _marked = True
            with open(TRACE, "a", encoding="utf-8") as handle:
                handle.write(f"text_painted {time.time():.6f}\\n")
        width = self.size.width
        if y == 0:
            return Strip([Segment("Hello from a minimal Textual app.")]).extend_cell_length(width)
        return Strip.blank(width)


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield OneLine()


if __name__ == "__main__":
    MinimalApp().run()
"""

# For information: the same screen built from Textual's own widgets, written the usual way (three
# bordered Logs, the line-API widget keys.py compares with, holding the first three articles'
# text wrapped to the pane; a legend and a status line as Statics; Textual's Footer). What a
# screen of this shape costs in Textual itself, beside what the one-line baseline costs.
TEXTUAL_APP = """\
import json
import sys

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Log, Static

PANES = json.loads(open(sys.argv[1], encoding="utf-8").read())


class SameScreenApp(App[None]):
    CSS = \"\"\"
    Horizontal { height: 1fr; }
    Log { width: 1fr; height: 1fr; border: round $panel-lighten-2; background: $surface; }
    Log:focus { border: round $accent; }
    Static { height: 1; }
    \"\"\"
    BINDINGS = [("c", "bell", "Claim"), ("o", "bell", "Opinion"), ("u", "bell", "Unverified")]

    def compose(self) -> ComposeResult:
        with Horizontal():
            for pane in PANES:
                log = Log()
                log.border_title = pane["title"]
                log.border_subtitle = pane["subtitle"]
                yield log
        yield Static("PERSON  NORP  ORG  GPE  DATE  CARDINAL")
        yield Static("This article claim 0  opinion 0  unverified 0")
        yield Footer()

    def on_mount(self) -> None:
        for log, pane in zip(self.query(Log), PANES):
            log.write_lines(pane["lines"])


if __name__ == "__main__":
    SameScreenApp().run()
"""

Kind = Literal["ours", "minimal", "textual", "cold", "long", "folder"]
KIND_MARKS: dict[Kind, tuple[str, ...]] = {
    "ours": (TEXT, ENTITIES, FRAME),  # warm entity cache: both marks, and their difference
    "minimal": (TEXT, FRAME),
    "textual": (FRAME,),  # Textual's own widgets: no trace hook, the terminal's bytes only
    "cold": (TEXT, ENTITIES),  # empty entity cache: spaCy loads and parses in its subprocess
    "long": (TEXT, FRAME),  # `reader long.txt`: one pane, a generated article (5 MB)
    "folder": (TEXT, FRAME),  # `reader folder/`: three panes of a generated folder (1,000)
}


@dataclass
class Run:
    """One launch: t0 and the marks are time.time() values; the *_ms fields are mark - t0."""

    kind: Kind
    index: int  # 0 is the warm-up, not counted
    t0: float
    marks: dict[str, float] = field(default_factory=dict)
    error: str | None = None  # "timeout …" or "exited …": the run gave no (complete) numbers
    frame_size: int | None = None  # bytes written up to the end of the first complete frame

    @property
    def warmup(self) -> bool:
        return self.index == 0

    def ms(self, name: str) -> float | None:
        value = self.marks.get(name)
        return None if value is None else (value - self.t0) * 1000

    @property
    def same_frame_ms(self) -> float | None:
        """entities_painted - text_painted, in ms."""
        if TEXT in self.marks and ENTITIES in self.marks:
            return (self.marks[ENTITIES] - self.marks[TEXT]) * 1000
        return None


@dataclass
class Workspace:
    """Everything the children see lives under one temporary directory."""

    root: Path
    warm_cache: Path
    minimal_app: Path
    env: dict[str, str]
    long_article: Path | None = None
    long_needles: tuple[bytes, ...] = ()
    folder: Path | None = None
    folder_needles: tuple[bytes, ...] = ()
    _counter: int = 0

    @classmethod
    @contextlib.contextmanager
    def create(cls, long_size: int = 0, folder_size: int = 0) -> Iterator[Workspace]:
        with tempfile.TemporaryDirectory(prefix="reader-bench-") as name:
            root = Path(name)
            home = root / "home"
            env = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("TEXTUAL", "READER_", "XDG_"))
                and key not in {"COLUMNS", "LINES"}
            }
            env.update(TERM="xterm-256color", HOME=str(home))
            for var, sub in [
                ("XDG_CONFIG_HOME", ".config"),
                ("XDG_CACHE_HOME", ".cache"),
                ("XDG_DATA_HOME", ".local/share"),
                ("XDG_STATE_HOME", ".local/state"),
                ("XDG_RUNTIME_DIR", "runtime"),
            ]:
                path = home / sub
                path.mkdir(parents=True, mode=0o700)
                env[var] = str(path)
            minimal_app = root / "minimal_app.py"
            minimal_app.write_text(MINIMAL_APP, encoding="utf-8")
            (root / "textual_app.py").write_text(TEXTUAL_APP, encoding="utf-8")
            write_textual_panes(root / "textual_panes.json")
            warm_cache = root / "warm-cache"
            warm_cache.mkdir()
            workspace = cls(root, warm_cache, minimal_app, env)
            if long_size:
                workspace.write_long_article(long_size)
            if folder_size:
                workspace.write_folder(folder_size)
            yield workspace

    def write_long_article(self, size: int) -> None:
        """The long article, and what its first frame shows: the title (its first line) in the
        top border, the start of its first unfolded paragraph after the first, the byline's 1/1
        and the key bar."""
        text = long_article_text(size)
        self.long_article = self.root / f"long-{size}.txt"
        self.long_article.write_text(text, encoding="utf-8")
        article = load_article(self.long_article)
        shown = [p for p in article.paragraphs[1:] if not article.is_chrome(*p)]
        start = shown[0][0] if shown else article.paragraphs[0][0]
        self.long_needles = (
            text[:12].encode("utf-8"),
            text[start : start + 12].encode("utf-8"),
            b"1/1",
            b"palette",
        )

    def write_folder(self, count: int) -> None:
        """A folder of news-sized articles (benchmarks/make_folder.py), and what its first
        frame shows: the first article's title and opening words, the third pane's byline
        (3/count) and the key bar."""
        self.folder = self.root / "folder"
        files = make_folder(self.folder, count)
        first = load_article(files[0])
        self.folder_needles = (
            first.title[:12].encode("utf-8"),
            first.text[first.paragraphs[1][0] :][:12].encode("utf-8"),
            f"3/{count}".encode(),
            b"palette",
        )

    def needles(self, kind: Kind) -> tuple[bytes, ...]:
        if kind == "long":
            return self.long_needles
        if kind == "folder":
            return self.folder_needles
        return FRAME_NEEDLES[kind]

    def run_dir(self, label: str) -> Path:
        self._counter += 1
        path = self.root / "runs" / f"{self._counter:03d}-{label}"
        path.mkdir(parents=True)
        return path

    def command(self, kind: Kind) -> list[str]:
        if kind == "minimal":
            return [sys.executable, str(self.minimal_app)]
        if kind == "textual":
            return [
                sys.executable,
                str(self.root / "textual_app.py"),
                str(self.root / "textual_panes.json"),
            ]
        if kind == "long":
            assert self.long_article is not None
            return [sys.executable, "-m", "reader", str(self.long_article)]
        if kind == "folder":
            assert self.folder is not None
            return [sys.executable, "-m", "reader", str(self.folder)]
        return [sys.executable, "-m", "reader"]

    def run_env(self, run_dir: Path, cache_dir: Path) -> dict[str, str]:
        return {
            **self.env,
            TRACE_ENV: str(run_dir / "trace.txt"),
            DB_ENV: str(run_dir / "annotations.json"),  # fresh, not yet existing
            STATE_ENV: str(run_dir / "state.json"),  # a first start: nothing to restore
            CACHE_ENV: str(cache_dir),
        }


# -- one launch in a pseudo-terminal ----------------------------------------------------------


def write_textual_panes(path: Path) -> None:
    """The Textual-widgets app's three panes: the reader's own pane titles and bylines, and
    each article's paragraphs wrapped to the pane's width (a Log does not wrap)."""
    articles = bundled_articles()
    width = COLUMNS // 3 - 4  # borders and the scrollbar
    panes = []
    for position, article in enumerate(articles[:3], 1):
        lines: list[str] = []
        for start, end in article.paragraphs:
            lines += [*textwrap.wrap(article.text[start:end], width), ""]
        panes.append(
            {
                "title": heading(article).plain,
                "subtitle": footing(article, position, len(articles)).plain,
                "lines": lines,
            }
        )
    first_screen = "\n".join(panes[0]["lines"][: ROWS - 5])
    text_needle = FRAME_NEEDLES["textual"][1].decode()
    if text_needle not in first_screen:  # the benchmark would wait for it until its timeout
        raise SystemExit(f"startup.py: the Textual-widgets app would not show {text_needle!r}")
    path.write_text(json.dumps(panes), encoding="utf-8")


def _drain(
    master: int,
    stop: threading.Event,
    tail: bytearray,
    needles: tuple[bytes, ...] = (),
    seen: dict[str, float] | None = None,
) -> None:
    """Read everything the child writes so it never blocks on a full pty; keep the last 4 KiB.
    Answer its query for synchronized output: supported.

    Until the first complete frame has arrived, the whole output is kept and searched: the
    moment the last of `needles` arrives is `seen[NEEDLES]`, and `seen[FRAME]` (time.time())
    the moment the "end synchronized update" closing that frame does (the same moment if the
    frames are not bracketed).
    """
    stream = bytearray()
    frame_done = not needles or seen is None
    needles_end = -1  # where in `stream` the last of the needles (first seen) ends
    answered = False
    while not stop.is_set():
        try:
            ready, _, _ = select.select([master], [], [], 0.1)
            if not ready:
                continue
            data = os.read(master, 65536)
        except OSError:  # EIO: every slave fd is closed, i.e. the whole process group is gone
            return
        if not data:
            return
        now = time.time()
        if not answered and SYNC_QUERY in bytes(tail[-16:]) + data:
            answered = True
            with contextlib.suppress(OSError):
                os.write(master, SYNC_REPLY)
        if not frame_done and seen is not None:
            stream.extend(data)
            if needles_end < 0 and all(needle in stream for needle in needles):
                seen[NEEDLES] = now
                needles_end = max(stream.find(needle) + len(needle) for needle in needles)
            if needles_end >= 0:
                begin = stream.find(SYNC_BEGIN, 0, needles_end)
                end = stream.find(SYNC_END, needles_end)
                if begin < 0:  # frames not bracketed: the needles complete it
                    seen[FRAME] = seen[NEEDLES]
                    # The frame goes on past the needles (the minimal app's is in its first
                    # row): counted to the end of what was read with them, which Textual
                    # wrote in one go. Counted to the needle, it read 0.2 KB, not 7.8.
                    seen[FRAME_SIZE] = len(stream)
                    frame_done = True
                elif end >= 0:
                    seen[SYNCED] = now
                    seen[FRAME] = now
                    seen[FRAME_SIZE] = end + len(SYNC_END)
                    frame_done = True
            if frame_done:
                stream = bytearray()
        tail.extend(data)
        del tail[:-4096]


def _read_marks(trace: Path) -> dict[str, float]:
    marks: dict[str, float] = {}
    with contextlib.suppress(OSError):
        for line in trace.read_text(encoding="utf-8").splitlines():
            name, _, stamp = line.partition(" ")
            with contextlib.suppress(ValueError):
                marks.setdefault(name, float(stamp))
    return marks


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL it after TERM_GRACE, and wait until it is empty.

    The child is a session leader (start_new_session), so its group id is its pid and the group
    holds the entity subprocess (`python -m reader.entities`) too.
    """
    group = process.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=TERM_GRACE)
    # Whether or not the app went quietly, nothing of its group may outlive the run.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.01)
    print(f"warning: process group {group} still has members after SIGKILL", file=sys.stderr)


def launch(
    command: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    done: Callable[[dict[str, float]], bool],
    timeout: float,
    needles: tuple[bytes, ...] = (),
) -> tuple[float, dict[str, float], str | None]:
    """Run `command` in a fresh 160x45 pty until `done(marks)`; return t0, marks and any error."""
    trace = Path(env[TRACE_ENV])
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    stop = threading.Event()
    tail = bytearray()
    seen: dict[str, float] = {}
    drainer = threading.Thread(target=_drain, args=(master, stop, tail, needles, seen), daemon=True)
    drainer.start()
    error: str | None = None
    try:
        t0 = time.time()
        process = subprocess.Popen(
            list(command),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        slave = -1
        try:
            deadline = time.monotonic() + timeout
            while True:
                marks = {**_read_marks(trace), **seen}
                if done(marks):
                    break
                if process.poll() is not None:
                    error = f"exited with status {process.returncode} before its marks"
                    break
                if time.monotonic() > deadline:
                    error = f"timeout after {timeout:.0f} s"
                    break
                time.sleep(POLL_INTERVAL)
        finally:
            _stop(process)
    finally:
        if slave >= 0:
            os.close(slave)
        drainer.join(timeout=2)
        stop.set()
        drainer.join(timeout=2)
        os.close(master)
    if error is not None and "exited" in error:
        shown = bytes(tail[-600:]).decode("utf-8", "replace")
        error += f"; last output: {shown!r}"
    return t0, marks, error


def measure(workspace: Workspace, kind: Kind, index: int) -> Run:
    run_dir = workspace.run_dir(kind)
    if kind == "cold":
        cache = run_dir / "entity-cache"
        cache.mkdir()  # fresh and empty: spaCy has to run
    else:
        cache = workspace.warm_cache
    wanted = KIND_MARKS[kind]
    t0, marks, error = launch(
        workspace.command(kind),
        workspace.run_env(run_dir, cache),
        run_dir,
        lambda marks: all(name in marks for name in wanted),
        RUN_TIMEOUT,
        workspace.needles(kind),
    )
    size = marks.pop(FRAME_SIZE, None)
    return Run(kind, index, t0, marks, error, None if size is None else int(size))


def fill_cache(workspace: Workspace) -> None:
    """One earlier run of `reader` that stays up until every bundled article is cached."""
    identity = model_identity()
    if identity is None:
        sys.exit("the spaCy model is not installed: entity highlights cannot be measured")
    cache = EntityCache(workspace.warm_cache)
    paths = [cache.path_for(article.sha256, identity) for article in bundled_articles()]
    run_dir = workspace.run_dir("fill-cache")
    _, _, error = launch(
        workspace.command("ours"),
        workspace.run_env(run_dir, workspace.warm_cache),
        run_dir,
        lambda _marks: all(path.exists() for path in paths),
        FILL_TIMEOUT,
    )
    if error is not None:
        sys.exit(f"filling the entity cache failed: {error}")


# -- the table ----------------------------------------------------------------------------


def _values(runs: Sequence[Run], kind: Kind, pick: Callable[[Run], float | None]) -> list[float]:
    picked = (pick(run) for run in runs if run.kind == kind and not run.warmup)
    return [value for value in picked if value is not None]


def _failures(runs: Sequence[Run], kind: Kind) -> str:
    failed = [run for run in runs if run.kind == kind and not run.warmup and run.error]
    if not failed:
        return ""
    counted = sum(1 for run in runs if run.kind == kind and not run.warmup)
    return f"; **{len(failed)}/{counted} runs failed** ({(failed[0].error or '').split(';')[0]})"


def _between(run: Run, first: str, second: str) -> float | None:
    if first in run.marks and second in run.marks:
        return (run.marks[second] - run.marks[first]) * 1000
    return None


def _ms(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f} ms"


def summarise(
    runs: Sequence[Run], count: int, long_label: str = "5 MB", folder_label: str = "1,000"
) -> tuple[list[list[str]], dict[str, Any]]:
    """The rows of the markdown table, and the same numbers for --json."""
    rows: list[list[str]] = []
    summary: dict[str, Any] = {}

    def timing(
        key: str, label: str, kind: Kind, pick: Callable[[Run], float | None], target: str
    ) -> list[float]:
        values = _values(runs, kind, pick)
        note = _failures(runs, kind)
        if values:
            median, low, high = statistics.median(values), min(values), max(values)
            rows.append([label, _ms(median), _ms(low), _ms(high), target + note])
            summary[key] = {"median_ms": median, "min_ms": low, "max_ms": high, "n": len(values)}
        else:
            rows.append([label, "—", "—", "—", target + note])
            summary[key] = None
        return values

    ours_frame = timing(
        "ours_frame",
        "0. launch → first complete frame's bytes at the terminal: `reader`",
        "ours",
        lambda run: run.ms(FRAME),
        "see ratio",
    )
    minimal_frame = timing(
        "minimal_frame",
        "0. launch → first frame's bytes at the terminal: minimal Textual app (baseline)",
        "minimal",
        lambda run: run.ms(FRAME),
        "baseline",
    )
    if ours_frame and minimal_frame:
        ratio = statistics.median(ours_frame) / statistics.median(minimal_frame)
        verdict = "**pass**" if ratio <= RATIO_TARGET else "**FAIL**"
        rows.append(
            [
                "0. ratio at the terminal `reader` / minimal (of the medians)",
                f"{ratio:.2f}×",
                "",
                "",
                f"≤ {RATIO_TARGET}×: {verdict}",
            ]
        )
        summary["terminal_ratio"] = {"of_medians": ratio, "pass": ratio <= RATIO_TARGET}
    textual_frame = timing(
        "textual_frame",
        "0. launch → first complete frame's bytes: the same screen from Textual's own widgets",
        "textual",
        lambda run: run.ms(FRAME),
        "for information",
    )
    if ours_frame and textual_frame and minimal_frame:
        shape = statistics.median(textual_frame)
        rows.append(
            [
                "0. ratios: `reader` / Textual's widgets; Textual's widgets / minimal",
                f"{statistics.median(ours_frame) / shape:.2f}×",
                f"{shape / statistics.median(minimal_frame):.2f}×",
                "",
                "for information",
            ]
        )
        summary["textual_ratios"] = {
            "ours_over_textual_widgets": statistics.median(ours_frame) / shape,
            "textual_widgets_over_minimal": shape / statistics.median(minimal_frame),
        }
    tails = _values(runs, "ours", lambda run: _between(run, NEEDLES, FRAME))
    if tails:
        synced = sum(
            1 for run in runs if run.kind == "ours" and not run.warmup and SYNCED in run.marks
        )
        rows.append(
            [
                "0. `reader`: last title/text/byline bytes → the end of that frame",
                _ms(statistics.median(tails), 1),
                _ms(min(tails), 1),
                _ms(max(tails), 1),
                f"frames bracketed (synchronized output) in {synced}/{len(tails)} runs",
            ]
        )
        summary["ours_frame_tail"] = {
            "median_ms": statistics.median(tails),
            "synced_runs": synced,
            "n": len(tails),
        }
    sizes = _values(runs, "ours", lambda run: run.frame_size)
    minimal_sizes = _values(runs, "minimal", lambda run: run.frame_size)
    if sizes and minimal_sizes:
        rows.append(
            [
                "0. bytes written up to the end of the first complete frame: `reader`",
                f"{statistics.median(sizes) / 1000:.1f} KB",
                f"{min(sizes) / 1000:.1f} KB",
                f"{max(sizes) / 1000:.1f} KB",
                f"minimal app: {statistics.median(minimal_sizes) / 1000:.1f} KB",
            ]
        )
        summary["frame_size"] = {
            "ours_median_bytes": statistics.median(sizes),
            "minimal_median_bytes": statistics.median(minimal_sizes),
        }
    ours = timing(
        "ours_text",
        "1. launch → article text painted: `reader`, warm entity cache",
        "ours",
        lambda run: run.ms(TEXT),
        "see ratio",
    )
    minimal = timing(
        "minimal_text",
        "1. launch → text painted: minimal Textual app (baseline)",
        "minimal",
        lambda run: run.ms(TEXT),
        "baseline",
    )
    if ours and minimal:
        ratio = statistics.median(ours) / statistics.median(minimal)
        # min/max over the runs paired by launch order (ours i next to minimal i)
        by_index = {r.index: r.ms(TEXT) for r in runs if r.kind == "minimal" and not r.warmup}
        paired: list[float] = []
        for run in runs:
            ours_ms, minimal_ms = run.ms(TEXT), by_index.get(run.index)
            if run.kind == "ours" and not run.warmup and ours_ms and minimal_ms:
                paired.append(ours_ms / minimal_ms)
        verdict = "**pass**" if ratio <= RATIO_TARGET else "**FAIL**"
        rows.append(
            [
                "1. ratio `reader` / minimal (of the medians; min/max of paired runs)",
                f"{ratio:.2f}×",
                f"{min(paired):.2f}×",
                f"{max(paired):.2f}×",
                f"≤ {RATIO_TARGET}×: {verdict}",
            ]
        )
        summary["ratio"] = {
            "of_medians": ratio,
            "paired": paired,
            "target": RATIO_TARGET,
            "pass": ratio <= RATIO_TARGET,
        }
    timing(
        "entities_cold",
        "2. launch → entity highlights painted, cold (empty cache: spaCy loads and parses)",
        "cold",
        lambda run: run.ms(ENTITIES),
        "informational",
    )
    timing(
        "entities_cached",
        "2. launch → entity highlights painted, cached",
        "ours",
        lambda run: run.ms(ENTITIES),
        "same frame as the text (next row)",
    )
    gaps = _values(runs, "ours", lambda run: run.same_frame_ms)
    if gaps:
        same = sum(1 for gap in gaps if 0 <= gap < FRAME_MS)
        verdict = "**pass**" if same == len(gaps) else "**FAIL**"
        rows.append(
            [
                "2. cached: same frame as text? (highlights − text)",
                _ms(statistics.median(gaps), 3),
                _ms(min(gaps), 3),
                _ms(max(gaps), 3),
                f"same frame (< {FRAME_MS:.1f} ms) in {same}/{len(gaps)} runs: {verdict}",
            ]
        )
        summary["cached_same_frame"] = {
            "median_ms": statistics.median(gaps),
            "min_ms": min(gaps),
            "max_ms": max(gaps),
            "same_frame_runs": same,
            "n": len(gaps),
            "frame_ms": FRAME_MS,
        }
    if any(run.kind == "long" for run in runs):
        long_frame = timing(
            "long_frame",
            f"3. launch → first complete frame's bytes: `reader long.txt`, a generated "
            f"{long_label} article",
            "long",
            lambda run: run.ms(FRAME),
            f"< {LONG_TARGET_MS:.0f} ms",
        )
        if long_frame:
            median = statistics.median(long_frame)
            rows[-1][-1] += ": **pass**" if median < LONG_TARGET_MS else ": **FAIL**"
            if ours_frame:
                extra = median - statistics.median(ours_frame)
                rows.append(
                    [
                        f"3. the {long_label} article's frame − the bundled corpus's (medians)",
                        _ms(extra),
                        "",
                        "",
                        "what the size costs",
                    ]
                )
                summary["long_over_ours_ms"] = extra
            if minimal_frame:
                ratio = median / statistics.median(minimal_frame)
                label = f"3. ratio {long_label} `reader` / minimal (of the medians)"
                rows.append([label, f"{ratio:.2f}×", "", "", ""])
                summary["long_ratio"] = ratio
    if any(run.kind == "folder" for run in runs):
        folder_frame = timing(
            "folder_frame",
            f"4. launch → first complete frame's bytes: `reader folder/`, {folder_label} articles",
            "folder",
            lambda run: run.ms(FRAME),
            "see ratio",
        )
        if folder_frame and ours_frame:
            ratio = statistics.median(folder_frame) / statistics.median(ours_frame)
            verdict = "**pass**" if ratio <= FOLDER_RATIO_TARGET else "**FAIL**"
            rows.append(
                [
                    "4. ratio folder / bundled corpus `reader` (of the medians)",
                    f"{ratio:.2f}×",
                    "",
                    "",
                    f"≤ {FOLDER_RATIO_TARGET}×: {verdict}",
                ]
            )
            summary["folder_ratio"] = {"of_medians": ratio, "pass": ratio <= FOLDER_RATIO_TARGET}
    summary["runs_per_kind"] = count
    return rows, summary


def markdown(rows: Sequence[Sequence[str]]) -> str:
    header = ["measurement", "median", "min", "max", "target / result"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---", *["---:"] * 3, "---"]) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine_info(count: int) -> dict[str, str]:
    return {
        "nproc": str(os.cpu_count()),
        "python": platform.python_version(),
        "textual": metadata.version("textual"),
        "spacy": metadata.version("spacy"),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "runs": str(count),
    }


# -- main ---------------------------------------------------------------------------------


def compile_bytecode() -> list[str]:
    """Compile the app's packages to bytecode, as `pip install` does for an installed app.

    From a checkout nothing may have written .pyc files yet (PYTHONDONTWRITEBYTECODE, a fresh
    clone), and every launch would then compile our modules from source: tens of milliseconds
    that no installed user pays. Returns the packages compiled.
    """
    import corpus

    root = Path(corpus.__file__).resolve().parent.parent
    done = []
    for package in ("reader", "corpus", "annotations", "styles"):
        if (root / package).is_dir() and compileall.compile_dir(root / package, quiet=1, workers=1):
            done.append(package)
    return done


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, metavar="N", help="runs of each kind")
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        default=None,
        metavar="FILE",
        help="also write the raw numbers as JSON to FILE; with no FILE, print the JSON on "
        "stdout and the table on stderr",
    )
    parser.add_argument(
        "--long-size",
        default="5MB",
        metavar="SIZE",
        help="the generated article launched as `reader FILE` (50KB, 1MB, ...; 0: none)",
    )
    parser.add_argument(
        "--folder-size",
        type=int,
        default=1000,
        metavar="N",
        help="articles in the generated folder launched as `reader FOLDER` (0: none)",
    )
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    long_size = parse_size(options.long_size)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    runs: list[Run] = []
    kinds: tuple[Kind, ...] = (
        ("ours", "minimal", "textual", "cold")
        + (("long",) if long_size else ())
        + (("folder",) if options.folder_size else ())
    )
    log(f"bytecode for: {', '.join(compile_bytecode()) or 'nothing (not writable?)'}")
    with Workspace.create(long_size, options.folder_size) as workspace:
        log("filling the entity cache (one run of reader until every article is cached)…")
        fill_cache(workspace)
        for index in range(options.runs + 1):
            for kind in kinds:
                run = measure(workspace, kind, index)
                runs.append(run)
                what = "warm-up" if run.warmup else f"run {index}/{options.runs}"
                found = ", ".join(
                    f"{name} {run.ms(name):,.0f} ms" for name in KIND_MARKS[kind] if run.ms(name)
                )
                log(f"{kind:>7} {what}: {found or '-'}{'  ' + run.error if run.error else ''}")

    rows, summary = summarise(runs, options.runs, options.long_size, f"{options.folder_size:,}")
    info = machine_info(options.runs)
    table = markdown(rows)
    machine = (
        f"Machine: nproc {info['nproc']}, Python {info['python']}, Textual {info['textual']}, "
        f"spaCy {info['spacy']}, {info['platform']}; {options.runs} runs of each kind "
        f"(+1 warm-up), {COLUMNS}x{ROWS} pty."
    )
    raw = {
        "machine": info,
        "summary": summary,
        "runs": [
            {
                **asdict(run),
                "warmup": run.warmup,
                "text_ms": run.ms(TEXT),
                "entities_ms": run.ms(ENTITIES),
            }
            for run in runs
        ],
    }
    out = sys.stderr if options.json == "-" else sys.stdout
    print(f"\n{table}\n\n{machine}", file=out)
    if options.json == "-":
        print(json.dumps(raw, indent=2))
    elif options.json:
        Path(options.json).write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
        log(f"raw numbers written to {options.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
