"""The benchmark scripts still run (tiny sizes, no timing asserted: numbers live in benchmarks/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    assert headers[0].endswith("| p95 / `j` | p95 / Log's |")
    assert sum(line.startswith("| idle key `f12`") for line in lines) == 2
    keys = sum(len(keys) for _, keys in ROUNDS) + sum(len(keys) for _, keys in LOG_ROUNDS)
    # Every key of every round, and the Log's, in both tables.
    assert sum(line.startswith("| `") for line in lines) == 2 * keys
    assert any(line.startswith("| 50 KB | ") for line in lines)
