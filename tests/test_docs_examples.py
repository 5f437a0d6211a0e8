"""The worked example in docs/STORE.md runs as written and prints what its comment says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_store_page_example_runs(tmp_path: Path) -> None:
    page = (ROOT / "docs" / "STORE.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```python\n(from pathlib import Path\n.*?)```", page, re.DOTALL)
    result = subprocess.run(
        [sys.executable, "-c", example],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 Counter({'opinion': 1})"
    assert (tmp_path / "project.json").exists()
