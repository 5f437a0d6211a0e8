"""The README's quick start stays true: CI runs its second line, and the pins agree."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "README quick start has no sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_lines_install_and_open_then_test() -> None:
    first, second = quick_start_lines()
    assert "pip install" in first and first.rstrip().endswith("reader")
    assert "[test]" in second and "pytest" in second


def test_ci_runs_the_readme_test_line_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quick_start_lines()[1] in ci


def test_every_direct_dependency_is_pinned_and_locked_at_the_same_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            lock[name.lower().replace("_", "-")] = version.strip()
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in requirements:
        assert "==" in requirement, f"{requirement} is not pinned"
        name, version = requirement.split("==")
        assert lock.get(name.lower().replace("_", "-")) == version, requirement
