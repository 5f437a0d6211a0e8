"""Snapshot tests of the export dialog and the help screen, at 80x24 (the smallest terminal the
reader promises to fit) and at 160x45.

Deterministic as in test_reader_snapshots.py: cached entities, a relative database path and a
relative export folder ("exports") in a temporary working directory, a fixed annotator.
The dialogs are drawn over the dimmed main screen, so a change to the main screen changes these
too. Regenerate with `python -m pytest tests/reader/test_reader_dialog_snapshots.py
--snapshot-update`, then look at the SVGs under __snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.app import NewsReaderApp

SMALL = (80, 24)
LARGE = (160, 45)

Compare = Callable[..., bool]


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_export_dialog_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The dialog "Export 1 annotation": the format buttons focused (JSONL chosen, CSV not),
    "Write to (a name ending .csv or .jsonl picks the format):" over the path box reading
    "exports/annotations.jsonl", an empty message line and the Export / Cancel buttons, all
    inside the dialog's frame (at 80x24 too)."""
    assert snap_compare(snapshot_app, press=["j", "c", "E"], terminal_size=size)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_export_dialog_asks_before_replacing_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """After Export with "exports/annotations.jsonl" already there: the dialog stays open, the
    message line says "annotations.jsonl exists: press Export again to replace it." in the
    error colour, and nothing else moved."""
    Path("exports").mkdir()
    Path("exports/annotations.jsonl").write_text("kept\n", encoding="utf-8")
    assert snap_compare(snapshot_app, press=["j", "c", "E", "tab", "enter"], terminal_size=size)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_help_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The dialog "Keys": headings in the accent colour (Move, Select, Annotate, ...), under
    each the keys in bold in one column ("j, ↓", "k, ↑", "g, home", ...) and what they do beside
    them, the descriptions lined up from group to group; no class names. At 80x24 the dialog
    fits the screen, shows Move and the start of Select, and has a scroll bar; at 160x45 it
    reaches Annotations."""
    assert snap_compare(snapshot_app, press=["question_mark"], terminal_size=size)


def test_help_scrolled_to_its_end_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp
) -> None:
    """At 80x24 after End: the last groups (Panes and articles, View, App: Quit "q, ^q", Keys,
    Orphans, Annotations, Export "E", Undo, Redo, Command palette "^p") and the closing hint
    about the mouse, ctrl+p and Escape."""
    assert snap_compare(snapshot_app, press=["question_mark", "end"], terminal_size=SMALL)
