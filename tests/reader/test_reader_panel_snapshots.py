"""Snapshot tests of the annotations panel, the label picker and the note editor, at 80x24 (the
smallest terminal the reader promises to fit) and at 160x45.

Deterministic as in test_reader_snapshots.py: cached entities, a relative database path in a
temporary working directory, fixed annotators, no timestamps drawn. The annotations are made
before the keys are pressed: three of "tester"'s on the Telegraph piece (a claim with a note of
two lines, an opinion, an unverified) and a claim of "ana"'s on Rogin's column.
Regenerate with `python -m pytest tests/reader/test_reader_panel_snapshots.py --snapshot-update`,
then look at the SVGs under __snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotations.editing import EditSession
from annotations.store import AnnotationStore
from reader.app import NewsReaderApp

SMALL = (80, 24)
LARGE = (160, 45)

Compare = Callable[..., bool]


@pytest.fixture
def snapshot_app(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NewsReaderApp]:
    monkeypatch.chdir(tmp_path)
    with AnnotationStore(Path("annotations.json")) as store:
        app = make_app(store=store, export_directory=Path("exports"))
        telegraph, rogin = app.articles[0], app.articles[1]
        own = EditSession(store, "tester")
        own.toggle(telegraph, telegraph.sentences[1], "claim")
        own.set_note(
            telegraph, telegraph.sentences[1], "Check the date [IDF]\nand who invited whom"
        )
        own.toggle(telegraph, telegraph.sentences[2], "opinion")
        own.toggle(telegraph, telegraph.sentences[4], "unverified")
        EditSession(store, "ana").toggle(rogin, rogin.sentences[3], "claim")
        yield app


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_annotations_panel_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The panel over the dimmed main screen, scope "this article" (the Telegraph piece): the
    heading "4 annotations in “Putin ‘forming axis of terror’…”" and "⇄ this article" at the
    right, an empty filter line ("Filter: #label @annotator words…"), then a table Label / By /
    Quote / Note / Found: claim, note, opinion and unverified by tester, quotes in italics cut
    with "…", the claim's and the note's Note cell "Check the date [IDF] …" (brackets shown),
    all "exact". The cursor is on the second row (the note), whose whole quote and both note
    lines are shown below the table; the key hint closes the dialog."""
    assert snap_compare(snapshot_app, press=["A", "down"], terminal_size=size)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_annotations_panel_all_open_filtered_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """Scope "all open articles" with the filter "#claim": two rows, tester's claim on the
    Telegraph piece and ana's claim (dimmed annotator) on Rogin's column, with an Article
    column; the heading says "2 annotations matching the filter"."""
    assert snap_compare(
        snapshot_app, press=["A", "tab", "slash", *"#claim", "enter"], terminal_size=size
    )


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_label_picker_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The label picker over the panel: "Relabel “Vladimir Putin sought to intervene in the…”
    (claim) as", then c claim, o opinion, u unverified, each key in bold before its name and
    description, claim highlighted, and the hint "A label's key or Enter picks it · Escape
    cancels"."""
    assert snap_compare(snapshot_app, press=["A", "r"], terminal_size=size)


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_note_editor_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The note editor opened from the panel on the claim: "Your note on this claim", the
    sentence quoted in italics, a text area holding the note's two lines plus a third typed
    line "[b]not bold[/b]" shown literally with the cursor after it, compact Save and Cancel
    buttons and the hint "ctrl+s saves (empty deletes the note) · Enter: new line · Escape
    cancels · ctrl+z undoes later"; at 80x24 all of it fits, the quote cut shorter."""
    assert snap_compare(
        snapshot_app, press=["A", "n", "enter", *"[b]not bold[/b]"], terminal_size=size
    )
