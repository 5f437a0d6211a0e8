"""Start-up phases in-process: where the reader's first frame spends its time, beside the
minimal Textual app's, measured the same way in the same run.

startup.py times what the user sees, at the terminal. This script explains that number: each
run is a fresh interpreter (headless, 160x45) that notes `time.perf_counter()` around the
imports, `App.run` up to the first frame Textual displays, Textual's stylesheet parse and the
first full composite, and the time each widget class took to render its lines in that frame.
Runs of the two apps alternate; the table shows medians.

    python benchmarks/phases.py [--runs 9]

See benchmarks/README.md ("Phases").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZE = (160, 45)
KINDS = ("reader", "minimal")


def child(kind: str) -> None:
    """One start of `kind`, its phases printed as one JSON line (ms)."""
    began = time.perf_counter()
    import textual.app  # noqa: F401  (the import both apps pay)

    textual_done = time.perf_counter()
    if kind == "reader":
        import reader.app
        import reader.cli  # noqa: F401
    ours_done = time.perf_counter()

    from textual._compositor import Compositor
    from textual.app import App
    from textual.css.stylesheet import Stylesheet
    from textual.widget import Widget

    spent: Counter[str] = Counter()
    first_frame_done = [False]

    def timed(owner: Any, name: str, label: Callable[[Any], str]) -> None:
        original = getattr(owner, name)

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(self, *args, **kwargs)
            finally:
                if not first_frame_done[0]:
                    spent[label(self)] += time.perf_counter() - start

        setattr(owner, name, wrapper)

    timed(Stylesheet, "parse", lambda _self: "CSS parse")
    timed(Compositor, "render_full_update", lambda _self: "first full composite")
    timed(Widget, "render_lines", lambda self: f"  of which {type(self).__name__}")
    if kind == "reader":
        from reader.widgets.article_view import ArticleView  # frames its rows without Widget's
        from reader.widgets.line_scrollbar import LineScrollBar  # draws without Widget's

        timed(LineScrollBar, "render_lines", lambda self: f"  of which {type(self).__name__}")
        timed(ArticleView, "render_lines", lambda self: f"  of which {type(self).__name__}")
    marks: dict[str, float] = {}
    original_run = App.run

    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        marks["run"] = time.perf_counter()
        display = self._display

        def noting(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if renderable is not None and not self._batch_count and not first_frame_done[0]:
                marks["frame"] = time.perf_counter()
                first_frame_done[0] = True
                self.call_later(self.exit)

        self._display = noting
        kwargs.update(headless=True, size=SIZE)
        return original_run(self, *args, **kwargs)

    App.run = run  # type: ignore[method-assign]
    if kind == "reader":
        from reader.startup import launch

        launch([])
    else:
        from rich.segment import Segment
        from textual.strip import Strip

        class OneLine(Widget):
            def render_line(self, y: int) -> Strip:
                text = "Hello from a minimal Textual app." if y == 0 else ""
                return Strip([Segment(text)]).extend_cell_length(self.size.width)

        class MinimalApp(App[None]):
            def compose(self) -> Any:
                yield OneLine()

        MinimalApp().run()
    phases = {
        "import textual.app": textual_done - began,
        "our imports": ours_done - textual_done,
        "our set-up before App.run": marks["run"] - ours_done,
        "App.run → first frame": marks["frame"] - marks["run"],
        **spent,
    }
    print(json.dumps({name: seconds * 1000 for name, seconds in phases.items()}))


def measure(kind: str, env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def table(runs: dict[str, list[dict[str, float]]]) -> list[list[str]]:
    names: list[str] = []
    for kind in KINDS:
        for run in runs[kind]:
            names += [name for name in run if name not in names]
    # Each widget's rows under the composite they are part of.
    names.sort(key=lambda name: name.startswith("  of which"))
    rows = []
    for name in names:
        medians = []
        for kind in KINDS:
            values = [run[name] for run in runs[kind] if name in run]
            medians.append(statistics.median(values) if values else None)
        ours, minimal = medians
        difference = "" if ours is None or minimal is None else f"{ours - minimal:+.1f} ms"
        rows.append([name, *(f"{m:.1f} ms" if m is not None else "—" for m in medians), difference])
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, metavar="N", help="runs of each app")
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child:
        child(options.child)
        return 0
    from keys import fill_cache
    from startup import compile_bytecode

    from reader.locations import CACHE_ENV, DB_ENV, STATE_ENV

    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="reader-phases-") as name:
        root = Path(name)
        print("filling the entity cache (spaCy, once)…", file=sys.stderr, flush=True)
        fill_cache(root / "entities", [])
        runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
        for index in range(options.runs + 1):  # the first round warms the disk cache
            for kind in KINDS:
                env = {
                    **os.environ,
                    "HOME": str(root / "home"),
                    CACHE_ENV: str(root / "entities"),
                    DB_ENV: str(root / f"db-{index}-{kind}.json"),  # fresh: a first start
                    STATE_ENV: str(root / f"state-{index}-{kind}.json"),
                }
                phases = measure(kind, env)
                if index:
                    runs[kind].append(phases)
            print(f"round {index}/{options.runs}", file=sys.stderr, flush=True)
    rows = [["phase", "reader", "minimal app", "reader − minimal"], ["---", "---:", "---:", "---:"]]
    rows += table(runs)
    print("\n".join("| " + " | ".join(row) + " |" for row in rows))
    print(
        f"\nMedians of {options.runs} runs of each (+1 warm-up), alternating, fresh "
        f"interpreters, headless {SIZE[0]}x{SIZE[1]}; widget rows: the first frame only."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
