"""The benchmark scripts still run (tiny sizes, no timing asserted: numbers live in benchmarks/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from keys import LOG_ROUNDS, ROUNDS  # noqa: E402


def test_store_benchmark_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "store.py"), "--quick", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert lines[0] == "| measurement | 1,000 | target at 100,000 |"
    rows = [line.split(" | ")[0].removeprefix("| ") for line in lines[2:]]
    assert {
        "save, ours: median",
        "save, ours: p99",
        "floor, append + fdatasync a line as long: median",
        "ours / floor: median",
        "save, plain TinyDB insert: median",
        "ours / plain TinyDB: median",
        "open + one article's tags + label counts, ours: time (min–max)",
        "open, ours: peak RSS",
        "baseline: plain TinyDB .all() of the snapshot: time, peak RSS",
        "baseline: json.loads of the snapshot: time, peak RSS",
        "compaction",
    } <= set(rows)
    # Every line has the label, a cell for the one size, and the target column.
    assert all(line.count("|") == 4 for line in lines)
    assert "Machine: nproc" in result.stdout


def test_keys_benchmark_prints_its_tables() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "keys.py"), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    lines = result.stdout.splitlines()
    headers = [line for line in lines if line.startswith("| key |")]
    assert len(headers) == 2  # the bundled corpus and the long article
    assert "| p95 / `j` | Log's key: first frame p95 | p95 / Log's |" in headers[0]
    assert sum(line.startswith("| idle key `f12`") for line in lines) == 2
    keys = sum(len(each.keys) for each in ROUNDS) + sum(len(each.keys) for each in LOG_ROUNDS)
    # Every key of every round, and the Log's, in both tables: timed, or n/a if not yet bound.
    assert sum(line.startswith("| `") for line in lines) == 2 * keys
    # `j` moves the cursor: a frame was drawn and timed, and set against the Log's `down`.
    timed = [line for line in lines if line.startswith("| `j` in j / k")]
    assert len(timed) == 2
    assert all("no frame" not in line and "`down` " in line for line in timed)
    sized = [line for line in lines if line.startswith("| 50 KB | ")]
    assert len(sized) == 1
    # 50 KB is laid out whole when it opens: no background slices to wait for.
    assert sized[0].rstrip(" |").endswith("| none")


def test_an_unbound_key_is_reported_not_timed() -> None:
    from keys import Press, Round, key_table, row

    times = {
        "f12": [Press(None, 5.0)],
        row("j / k (next, previous sentence)", 0, "j"): [Press(9.0, 12.0, collected=True)],
    }
    log = {"f12": [Press(None, 4.0)]} | {
        row(each.label, position, key): [Press(8.0, 10.0)]
        for each in LOG_ROUNDS
        for position, key in enumerate(each.keys)
    }
    table = key_table("t", times, log).splitlines()
    j_line = next(line for line in table if line.startswith("| `j` in j / k"))
    assert j_line.endswith(
        "| 9.0 ms | 9.0 ms | 12.0 ms | +7.0 ms | 1.00× | `down` 8.0 ms | 1.12× | pass | 1/1 |"
    )
    down_line = next(line for line in table if line.startswith("| `down` in down / up (Log)"))
    assert down_line.endswith("| 0/1 |")
    # `k` was not timed, as a round whose keys are not bound yet is not.
    k_line = next(line for line in table if line.startswith("| `k` in j / k"))
    assert "n/a" in k_line and "not bound" in k_line
    assert Round("x", ("slash", "P")).required == ("slash",)


def test_long_article_is_bundled_paragraphs_up_to_the_size_and_always_the_same() -> None:
    from make_long_article import long_article_text, parse_size

    from corpus.loader import bundled_articles

    text = long_article_text(200_000)
    size = len(text.encode("utf-8"))
    assert 190_000 < size <= 200_000
    assert text == long_article_text(200_000)
    assert text != long_article_text(200_000, seed=1)
    paragraphs = {
        article.text[start:end]
        for article in bundled_articles()
        for start, end in article.paragraphs
    }
    pieces = text.removesuffix("\n").split("\n\n")
    assert set(pieces) <= paragraphs and len(pieces) > 100
    assert [parse_size(given) for given in ("5MB", "50KB", "1.5MB", "123")] == [
        5_000_000,
        50_000,
        1_500_000,
        123,
    ]


def test_layout_benchmark_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "layout.py"), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("|")]
    assert lines[0] == "| measurement | 50 KB |"
    rows = {line.split(" | ")[0].removeprefix("| ") for line in lines[2:]}
    assert {
        "Article.sentences (whole text)",
        "sentences_in, the first 43 paragraphs",
        "LazyLayout: first screen at a new width (made + lines(0, 45))",
        "baseline: layout_lines of the whole article",
    } <= rows
    assert all(line.count(" ms") >= 1 for line in lines[2:])


def test_formats_benchmark_prints_a_row_per_registered_format() -> None:
    from annotations.formats import FORMATS

    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "formats.py"), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    rows = [line for line in result.stdout.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == list(FORMATS)
    assert "(baseline)" in rows[0] and all(" ms (" in row for row in rows)


async def test_startup_textual_widgets_app_shows_what_the_benchmark_waits_for(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """startup.py's same-screen app (Textual's own widgets) draws the reader's titles, bylines
    and text: the benchmark's needles are all on its first screen."""
    import runpy

    from startup import FRAME_NEEDLES, TEXTUAL_APP, write_textual_panes
    from textual.widgets import Log

    panes = tmp_path / "panes.json"
    write_textual_panes(panes)
    script = tmp_path / "textual_app.py"
    script.write_text(TEXTUAL_APP, encoding="utf-8")
    monkeypatch.setattr(sys, "argv", [str(script), str(panes)])
    app = runpy.run_path(str(script))["SameScreenApp"]()
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        logs = list(app.query(Log))
        assert len(logs) == 3
        shown = "\n".join(
            [str(log.border_title) + str(log.border_subtitle) for log in logs]
            + [log.lines[y] for y in range(40) for log in logs[:1]]
        )
    for needle in FRAME_NEEDLES["textual"][:3]:
        assert needle.decode() in shown


def test_phases_benchmark_prints_the_reader_beside_the_minimal_app() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "phases.py"), "--runs", "1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    rows = {
        line.split(" | ")[0].removeprefix("| "): line.split(" | ")[1:]
        for line in result.stdout.splitlines()
        if line.startswith("| ")
    }
    for phase in ("our imports", "App.run → first frame", "CSS parse", "first full composite"):
        assert phase in rows, phase
        reader_ms, minimal_ms = (float(cell.removesuffix(" ms")) for cell in rows[phase][:2])
        assert reader_ms > 0 and minimal_ms >= 0
    # The first frame's widgets, the reader's own among them.
    assert "  of which ArticlePane" in rows and "  of which OneLine" in rows
