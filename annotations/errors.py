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


class ReadOnlyDatabaseError(StoreError):
    """An edit was asked of a database opened read-only; nothing was written."""

    def __init__(self, path: Path, why: str) -> None:
        self.path = path
        super().__init__(f"annotation database {path} is read-only ({why}); nothing was saved")


class ConflictError(StoreError):
    """Another process changed a record this edit expected unchanged; nothing was written."""


class BusyDatabaseError(StoreError):
    """Another process held the database's lock for longer than we wait."""
