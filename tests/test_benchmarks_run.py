"""The benchmark scripts still run (tiny sizes, no timing asserted: numbers live in benchmarks/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_store_benchmark_prints_its_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "store.py"),
            "--sizes",
            "30,60",
            "--repeat",
            "2",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=120,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "| operation | 30 | 60 |"
    rows = {line.split(" | ")[0].lstrip("| ") for line in lines[2:] if line.startswith("|")}
    assert {"open the store", "add one annotation (saved)", "all annotations"} <= rows
    assert "× append" in result.stdout and "× parse" in result.stdout


def test_keys_benchmark_prints_its_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "keys.py"), "--presses", "1"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "| key | wall | CPU | CPU over the baseline |"
    assert lines[2].startswith("| baseline: `x`")
    assert sum(line.startswith("| `") for line in lines) == 8  # every key of every round
