"""Every path the reader writes to, each overridable; nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_path, user_data_path

APP_NAME = "news-reader"
DB_ENV = "READER_DB"
CACHE_ENV = "READER_CACHE_DIR"


def database_path(option: str | os.PathLike[str] | None = None) -> Path:
    """`--db`, else `READER_DB`, else annotations.json under the user's data directory."""
    if option:
        return Path(option).expanduser()
    if env := os.environ.get(DB_ENV):
        return Path(env).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "annotations.json"


def entity_cache_dir() -> Path:
    """`READER_CACHE_DIR`, else entities/ under the user's cache directory."""
    if env := os.environ.get(CACHE_ENV):
        return Path(env).expanduser()
    return user_cache_path(APP_NAME, appauthor=False) / "entities"
