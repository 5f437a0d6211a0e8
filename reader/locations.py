"""Every path the reader writes to, each overridable; nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import (
    user_cache_path,
    user_config_path,
    user_data_path,
    user_documents_path,
)

APP_NAME = "news-reader"
DB_ENV = "READER_DB"
CACHE_ENV = "READER_CACHE_DIR"
CONFIG_ENV = "READER_CONFIG_DIR"
EXPORT_ENV = "READER_EXPORT_DIR"
STATE_ENV = "READER_STATE"


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


def css_cache_path() -> Path:
    """Parsed stylesheets (reader.css_cache): in `READER_CACHE_DIR` when set, else in the
    user's cache directory."""
    if env := os.environ.get(CACHE_ENV):
        return Path(env).expanduser() / "parsed-css.pickle"
    return user_cache_path(APP_NAME, appauthor=False) / "parsed-css.pickle"


def labels_config_path() -> Path:
    """`READER_CONFIG_DIR`/labels.toml, else labels.toml in the user's config directory."""
    if env := os.environ.get(CONFIG_ENV):
        return Path(env).expanduser() / "labels.toml"
    return user_config_path(APP_NAME, appauthor=False) / "labels.toml"


def export_directory() -> Path:
    """Where the export dialog proposes to write: `READER_EXPORT_DIR`, else news-reader/ in the
    user's documents folder; never the current directory unless asked. Created on export."""
    if env := os.environ.get(EXPORT_ENV):
        return Path(env).expanduser()
    return user_documents_path() / "news-reader"


def state_path() -> Path:
    """`READER_STATE`, else state.json under the user's data directory (where the reader was)."""
    if env := os.environ.get(STATE_ENV):
        return Path(env).expanduser()
    return user_data_path(APP_NAME, appauthor=False) / "state.json"
