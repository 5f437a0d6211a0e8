"""Shared test set-up: no test may read or write the real user's data or cache directories."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# This file (and tests/test_import_hygiene.py) puts tests/ itself on sys.path, where tests/corpus,
# tests/annotations and tests/reader (folders without __init__.py) would be found as namespace
# packages named like the real ones whenever the checkout is not on sys.path too: that is the
# case under a bare `pytest` (`python -m pytest` adds the working directory). Put it there.
_CHECKOUT = str(Path(__file__).resolve().parent.parent)
if _CHECKOUT not in sys.path:
    sys.path.insert(0, _CHECKOUT)


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point HOME, the XDG directories and every READER_* variable into a throw-away folder.

    reader.locations resolves paths when called (never at import), so setting the environment
    per test is enough; the fixture yields the fake home for tests that want to look inside it.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("READER_DB", str(home / "reader-db.json"))
    monkeypatch.setenv("READER_CACHE_DIR", str(home / "reader-entities"))
    monkeypatch.delenv("READER_ANNOTATOR", raising=False)
    monkeypatch.delenv("READER_TRACE_FILE", raising=False)
    yield home
