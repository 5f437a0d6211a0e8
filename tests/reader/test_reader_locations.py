"""reader.locations: every user path is overridable, and looking one up creates nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.locations import database_path, entity_cache_dir


def test_db_option_wins_over_the_environment(tmp_path: Path) -> None:
    assert database_path(tmp_path / "given.json") == tmp_path / "given.json"
    assert database_path(str(tmp_path / "given.json")) == tmp_path / "given.json"


def test_db_option_expands_the_home_directory(isolated_user_dirs: Path) -> None:
    assert database_path("~/notes.json") == isolated_user_dirs / "notes.json"


def test_reader_db_is_used_without_an_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_DB", str(tmp_path / "env.json"))
    assert database_path() == tmp_path / "env.json"
    assert database_path("") == tmp_path / "env.json"


def test_default_database_is_under_the_user_data_directory(
    isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_DB")
    path = database_path()
    assert path == isolated_user_dirs / "data" / "news-reader" / "annotations.json"
    assert not path.parent.exists()  # nothing is created by asking


def test_entity_cache_dir_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    assert entity_cache_dir() == tmp_path / "cache"


def test_default_entity_cache_is_under_the_user_cache_directory(
    isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_CACHE_DIR")
    path = entity_cache_dir()
    assert path == isolated_user_dirs / "cache" / "news-reader" / "entities"
    assert not path.parent.exists()
