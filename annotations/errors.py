"""Errors raised by the annotation store, kept apart so storage and store can both raise them."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Something the user must act on before annotations can be read or saved."""


class CorruptDatabaseError(StoreError):
    """The database file does not parse; it has been left exactly as it was."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(
            f"annotation database {path} is corrupt ({detail}); it has not been modified"
            " — move it aside or pass --db to use another file"
        )
