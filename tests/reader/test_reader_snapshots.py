"""Snapshot tests: what the screens look like, at 160x45, compared with reviewed SVG baselines.

Deterministic on purpose: entities come from the pre-filled cache (no spinner, no spaCy), the
database is a relative path in a temporary working directory (so the status line reads "saved to
annotations.json"), the annotator is fixed and no timestamp is ever drawn.
Regenerate with `python -m pytest tests/reader/test_reader_snapshots.py --snapshot-update`, then
look at the SVGs under __snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable

from reader.app import NewsReaderApp

SNAPSHOT_SIZE = (160, 45)

Compare = Callable[..., bool]


def test_main_screen_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """Three panes side by side: the Telegraph, Rogin's column and Worldcrunch, each framed by
    "outlet · title" in the top border (the title cut with "…"), "author · n/5" in the bottom
    border (italic, muted) and the text in entity colours.
    In the first pane the second sentence has a claim tint and "Vladimir Putin" inside it an
    opinion tint too, underlined where the two overlap, with "CO" in the gutter; the fourth
    sentence an opinion tint and an O; the second pane (focused, accent border) shows its "site
    chrome folded" line at the top and an unverified U on the sentence under its cursor bar,
    its first word in reverse (the word cursor).
    The legend lists the entity kinds on screen; the status line reads "This article claim 0
    opinion 0 unverified 1 │ all: 3 tags │ entities: en_core_web_sm 3.8.0 │ you: tester │ saved
    to annotations.json"; the key bar shows the keys, "? Keys" and "^p palette" at the right."""
    assert snap_compare(
        snapshot_app,
        press=["j", "c", "v", "w", "o", "j", "j", "o", "tab", "j", "u"],
        terminal_size=SNAPSHOT_SIZE,
    )


def test_narrow_main_screen_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """At 100x30: two panes only (the Telegraph and Rogin's column), their headings cut with
    "…"; the second sentence of the first pane carries a claim and a note, so the status line
    shows "✎ check the date" after the counts; the key bar ends its list with "…" and keeps
    "? Keys" and "^p palette" at the right."""
    assert snap_compare(
        snapshot_app,
        press=["j", "c", "enter", *"check the date", "ctrl+s"],
        terminal_size=(100, 30),
    )


def test_help_screen_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """A "Keys" dialog over the dimmed main screen: the live bindings grouped under headings
    (Move, Select, Annotate, Annotations, Search, Panes and articles, View, App), keys in bold,
    no class names, and a hint about the mouse, ctrl+p and Escape."""
    assert snap_compare(snapshot_app, press=["question_mark"], terminal_size=SNAPSHOT_SIZE)


def test_export_dialog_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """An "Export 1 annotation" dialog: JSONL selected and CSV not, the path box reading
    "exports/annotations.jsonl", an empty error line, and Export / Cancel buttons."""
    assert snap_compare(snapshot_app, press=["j", "c", "E"], terminal_size=SNAPSHOT_SIZE)


def test_article_picker_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """The "Show which article in this pane?" dialog over the main screen: the five bundled
    articles, each a bold title over its italic outlet ("outlet not stated" for two of them),
    with the second pane's own article (Rogin's column, The Washington Post) highlighted."""
    assert snap_compare(snapshot_app, press=["tab", "a"], terminal_size=SNAPSHOT_SIZE)


def test_note_dialog_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """A centred note dialog over the main screen: the second sentence of the Telegraph piece
    quoted in italics, and a multi-line editor holding the typed "check [IDF] figures"
    literally (brackets shown, not markup), with Save / Cancel and the hint line."""
    assert snap_compare(
        snapshot_app,
        press=["j", "c", "u", "enter", *"check [IDF] figures"],
        terminal_size=SNAPSHOT_SIZE,
    )


def test_search_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """After "/Moscow" and Enter: the search bar closed, every "Moscow" in the three panes on a
    green band, the first one after the cursor selected (reversed) in the first pane."""
    assert snap_compare(
        snapshot_app, press=["slash", *"Moscow", "enter"], terminal_size=SNAPSHOT_SIZE
    )


def test_small_screen_selection_and_search_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp
) -> None:
    """At 80x24: two panes; in the first "Vladimir Putin sought" selected (reversed); the
    search bar open over the status line, below the legend, reading "/ Hamas", "[w]" and
    "1 of N in 2 articles"; the legend wraps onto two lines rather than cutting entity types."""
    assert snap_compare(
        snapshot_app,
        press=["j", "v", "w", "w", "slash", *"Hamas"],
        terminal_size=(80, 24),
    )


def test_small_help_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """At 80x24 the Keys dialog fits the screen and scrolls: its first groups (Move, Select)."""
    assert snap_compare(snapshot_app, press=["question_mark"], terminal_size=(80, 24))


def test_small_export_dialog_snapshot(snap_compare: Compare, snapshot_app: NewsReaderApp) -> None:
    """At 80x24 the export dialog: format buttons (focused), the path, Export / Cancel."""
    assert snap_compare(snapshot_app, press=["j", "c", "E"], terminal_size=(80, 24))
