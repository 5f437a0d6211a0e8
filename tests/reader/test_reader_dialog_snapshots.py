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
from datetime import UTC, datetime
from pathlib import Path

import pytest

from annotations.model import Annotation
from reader.app import NewsReaderApp

SMALL = (80, 24)
LARGE = (160, 45)

Compare = Callable[..., bool]


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_export_dialog_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The dialog "Export 1 annotation": the nine format buttons in three columns, focused
    (JSONL (ours) chosen), "Write to (a file name's ending picks the format; brat: a folder):"
    over the one-line path box reading "exports/annotations.jsonl", then the filters, each
    field on a lighter band: Label "any label" and Annotator "anyone" with arrows, Article
    "any article", Anchoring "any", Modified "YYYY-MM-DD" to "YYYY-MM-DD" (placeholders, dim);
    an empty message line and the Export / Cancel buttons, all inside the dialog's frame (at
    80x24 too)."""
    assert snap_compare(snapshot_app, press=["j", "c", "E"], terminal_size=size)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_export_dialog_with_filters_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """Two opinions by "ana" besides the user's claim; Label set to "opinion" (the title says
    "Export 2 of 3 annotations"), and "2026-13-01" typed as the "from" date and Enter pressed:
    that field tinted red, the message line reading "The “from” date 2026-13-01 is not a date:
    write it as 2026-12-01." in the error colour, the dialog still open."""
    article = snapshot_app.articles[0]
    for sentence in (2, 3):
        start, end = article.sentences[sentence]
        made = Annotation.create(
            article=article.id,
            text=article.text,
            start=start,
            end=end,
            annotator="ana",
            label="opinion",
            now=datetime(2026, 12, 1, tzinfo=UTC),
        )
        snapshot_app.store.add(made)
    keys = ["j", "c", "E", "tab", "tab", "enter", *"opinion", "enter"]
    keys += ["tab", "tab", "tab", "tab", *"2026-13-01", "enter"]
    assert snap_compare(snapshot_app, press=keys, terminal_size=size)


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
