"""Pilot tests: the annotations panel (A) lists, filters, jumps to and edits annotations.

Annotations are made through editing sessions on the test's own TinyDB file (the app's session
for "tester", a second one for another annotator, "ana") before or while the app runs; what the
panel changes is read back from disk through a second store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_helpers import SIZE, cursor_text, pane, saved, toasts, view_of, wait_for, widget_text
from textual.widgets import DataTable, TextArea
from textual.widgets.data_table import ColumnKey

from annotations.editing import EditSession
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.loader import load_article
from corpus.model import Article
from reader.app import NewsReaderApp
from reader.screens.annotations_screen import AnnotationsScreen
from reader.screens.label_picker import LabelPicker
from reader.screens.note_screen import NoteScreen


def panel(app: NewsReaderApp) -> AnnotationsScreen:
    screen = app.screen
    assert isinstance(screen, AnnotationsScreen), f"expected the panel, not {screen}"
    return screen


def table_text(app: NewsReaderApp) -> str:
    """The table as drawn: header and rows."""
    return widget_text(panel(app).query_one(DataTable))


def detail_text(app: NewsReaderApp) -> str:
    return widget_text(panel(app).query_one("#annotations-detail-text"))


def heading(app: NewsReaderApp) -> str:
    return widget_text(panel(app).query_one("#annotations-title")).strip()


def shown_ids(app: NewsReaderApp) -> list[str]:
    return [row.annotation.id for row in panel(app).shown_rows]


def sentence(article: Article, index: int) -> tuple[int, int]:
    return article.sentences[index]


def quote_start(article: Article, index: int, words: int = 3) -> str:
    start, end = sentence(article, index)
    return " ".join(article.text[start:end].split()[:words])


async def select(pilot, app: NewsReaderApp, annotation_id: str) -> None:
    """Put the table's cursor on the annotation's row, with the keys a user would press."""
    await pilot.press("ctrl+home")
    for _ in range(len(shown_ids(app))):
        if panel(app).selected is not None and panel(app).selected.annotation.id == annotation_id:
            return
        await pilot.press("down")
    raise AssertionError(f"{annotation_id} is not listed")


@pytest.fixture
def ana(store: AnnotationStore) -> EditSession:
    """Another annotator's session on the same database."""
    return EditSession(store, "ana")


def add(session: EditSession, article: Article, index: int, label: str = "", note: str = ""):
    span = sentence(article, index)
    step = session.toggle(article, span, label) if label else session.set_note(article, span, note)
    assert step is not None
    return step.changes[0].annotation


async def test_A_lists_the_focused_article_then_all_open_then_every_article(
    make_app, bundled: list[Article], ana: EditSession
) -> None:
    app = make_app()
    first, second, unopened = bundled[0], bundled[1], bundled[4]
    async with app.run_test(size=SIZE) as pilot:
        claim = add(app.editing, first, 1, "claim")
        note = add(app.editing, first, 2, note="who said this?")
        theirs = add(ana, second, 0, "opinion")
        elsewhere = add(ana, unopened, 3, "unverified")
        await pilot.press("A")
        screen = panel(app)
        assert screen.scope == "article"
        assert shown_ids(app) == [claim.id, note.id]
        assert heading(app).startswith("2 annotations in “")
        assert "this article" in widget_text(screen.query_one("#annotations-scope"))
        drawn = table_text(app)
        assert "Label" in drawn and "Quote" in drawn and "Found" in drawn
        assert quote_start(first, 1) in drawn and "who said this?" in drawn
        assert "claim" in drawn and "note" in drawn and "tester" in drawn and "exact" in drawn
        # The whole quote and note of the selected row are shown below the table.
        assert "claim by you" in " ".join(detail_text(app).split())

        await pilot.press("tab")  # every article open in a pane
        assert screen.scope == "open"
        assert shown_ids(app) == [claim.id, note.id, theirs.id]
        drawn = table_text(app)
        assert "Article" in drawn and "ana" in drawn
        assert "all open articles" in widget_text(screen.query_one("#annotations-scope"))

        await pilot.press("tab")  # and those of loaded articles no pane shows
        assert screen.scope == "all"
        assert shown_ids(app) == [claim.id, note.id, theirs.id, elsewhere.id]
        await pilot.press("tab")
        assert screen.scope == "article"
        assert await pilot.click("#annotations-scope")  # the mouse toggles it too
        assert screen.scope == "open"
        await pilot.press("escape")
        assert not isinstance(app.screen, AnnotationsScreen)


async def test_the_filter_narrows_by_label_annotator_and_text_as_you_type(
    make_app, bundled: list[Article], ana: EditSession
) -> None:
    app = make_app()
    first = bundled[0]
    async with app.run_test(size=SIZE) as pilot:
        claim = add(app.editing, first, 1, "claim")
        opinion = add(app.editing, first, 2, "opinion")
        note = add(app.editing, first, 2, note="Ask the IDF spokesman")
        theirs = add(ana, first, 3, "claim")
        await pilot.press("A", "slash")
        assert isinstance(app.focused, type(panel(app).query_one("#annotations-filter")))
        await pilot.press("#", "c")  # a label by its start, as you type
        assert shown_ids(app) == [claim.id, theirs.id]
        assert "matching the filter" in heading(app)
        await pilot.press("space", "@", "a", "n", "a")  # and by annotator
        assert shown_ids(app) == [theirs.id]
        await pilot.press("ctrl+u", *"#note")
        assert shown_ids(app) == [note.id]
        await pilot.press("ctrl+u", *"SPOKESMAN")  # text: quote, note or title, any case
        assert shown_ids(app) == [opinion.id, note.id]  # the opinion's passage has that note
        await pilot.press("ctrl+u", *"vladimir")
        assert shown_ids(app) == [claim.id]
        await pilot.press("ctrl+u", *"#opinion #claim @tester")
        assert shown_ids(app) == [claim.id, opinion.id]
        await pilot.press("ctrl+u", *"nothing like this")
        assert shown_ids(app) == []
        assert "Nothing matches the filter." in detail_text(app)
        await pilot.press("ctrl+u")
        assert len(shown_ids(app)) == 4
        await pilot.press("enter")  # the filter hands over to the list
        assert isinstance(app.focused, DataTable)


async def test_enter_jumps_to_the_annotation_in_the_pane_showing_its_article(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    second = bundled[1]
    async with app.run_test(size=SIZE) as pilot:
        first_claim = add(app.editing, bundled[0], 1, "claim")
        target = add(app.editing, second, 5, "opinion")
        await pilot.press("A", "tab")
        await select(pilot, app, target.id)
        assert panel(app).selected.annotation.id == target.id
        await pilot.press("enter")
        assert not isinstance(app.screen, AnnotationsScreen)
        view = view_of(app, 1)
        await wait_for(pilot, lambda: app.focused is view, what="the second pane focused")
        assert view.current_span == target.span
        assert quote_start(second, 5) in cursor_text(view)
        assert first_claim.span != view_of(app, 0).current_span  # the other pane stayed put


async def test_a_click_selects_a_row_and_a_second_click_jumps(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    first = bundled[0]
    async with app.run_test(size=SIZE) as pilot:
        made = [add(app.editing, first, index, "claim") for index in (1, 2, 3)]
        await pilot.press("A")
        table = panel(app).query_one(DataTable)
        row_y = 1 + 2  # below the header: the third row
        assert await pilot.click(table, offset=(4, row_y))
        assert panel(app).selected.annotation.id == made[2].id, "selected, not jumped to"
        assert quote_start(first, 3) in detail_text(app)
        assert await pilot.click(table, offset=(4, row_y))
        assert not isinstance(app.screen, AnnotationsScreen)
        view = view_of(app, 0)
        await wait_for(pilot, lambda: view.current_span == made[2].span, what="the jump")


async def test_enter_opens_an_article_no_pane_shows_in_the_focused_pane(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    unopened = bundled[4]
    async with app.run_test(size=SIZE) as pilot:
        target = add(app.editing, unopened, 6, "unverified")
        assert unopened.id not in {v.article.id for v in app.reader_screen.visible_views}
        await pilot.press("tab")  # the second pane has the focus
        await pilot.press("A")
        assert panel(app).scope == "article" and shown_ids(app) == []
        assert "No annotations" not in detail_text(app)  # there are some, elsewhere
        await pilot.press("tab", "tab")
        assert panel(app).scope == "all"
        await select(pilot, app, target.id)
        await pilot.press("enter")
        view = view_of(app, 1)
        await wait_for(pilot, lambda: view.article.id == unopened.id, what="the article shown")
        assert pane(app, 1).article.id == unopened.id
        assert view_of(app, 0).article.id == bundled[0].id
        await wait_for(pilot, lambda: view.current_span == target.span, what="the cursor moved")
        assert app.focused is view
        assert quote_start(unopened, 6) in cursor_text(view)


async def test_r_relabels_through_the_picker_keeping_the_record(
    make_app, bundled: list[Article], db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        claim = add(app.editing, bundled[0], 1, "claim")
        await pilot.press("A", "r")
        picker = app.screen
        assert isinstance(picker, LabelPicker)
        assert [name for name, _, _ in picker.choices][:3] == ["claim", "opinion", "unverified"]
        await pilot.press("escape")  # nothing chosen: nothing changes
        assert panel(app) and [a.label for a in saved(db_path)] == ["claim"]

        await pilot.press("r", "o")  # a label's own key picks it
        assert isinstance(app.screen, AnnotationsScreen), "the panel stays open"
        [relabelled] = saved(db_path)
        assert (relabelled.id, relabelled.label) == (claim.id, "opinion")
        assert (relabelled.created, relabelled.span) == (claim.created, claim.span)
        assert "opinion" in table_text(app) and "claim" not in table_text(app)

        await pilot.press("r", "down", "down", "enter")  # or the list: opinion -> unverified
        assert [(a.id, a.label) for a in saved(db_path)] == [(claim.id, "unverified")]
        await pilot.press("ctrl+z")  # undone from the panel, which shows it at once
        assert [a.label for a in saved(db_path)] == ["opinion"]
        assert "opinion" in table_text(app)
        await pilot.press("escape", "ctrl+z")
        assert saved(db_path) == [claim]


async def test_d_deletes_and_ctrl_z_brings_the_same_record_back(
    make_app, bundled: list[Article], db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        claim = add(app.editing, bundled[0], 1, "claim")
        opinion = add(app.editing, bundled[0], 2, "opinion")
        await pilot.press("A", "down")
        assert panel(app).selected.annotation.id == opinion.id
        await pilot.press("d")
        assert saved(db_path) == [claim]
        assert shown_ids(app) == [claim.id]
        assert panel(app).selected.annotation.id == claim.id  # the cursor stays near
        await pilot.press("ctrl+z")
        assert sorted(saved(db_path)) == sorted([claim, opinion])
        assert shown_ids(app) == [claim.id, opinion.id]
        assert panel(app).selected.annotation.id == claim.id  # the cursor keeps its record
        await pilot.press("down", "delete", "escape")  # the delete key too; undone in the app
        assert saved(db_path) == [claim]
        await pilot.press("ctrl+z")
        assert sorted(saved(db_path)) == sorted([claim, opinion])
        await pilot.pause()
        view = view_of(app, 0)
        assert view.current_span == opinion.span, "undo takes the cursor to it"


async def test_n_writes_a_multi_line_note_on_a_label_and_edits_a_note_by_id(
    make_app, bundled: list[Article], db_path: Path
) -> None:
    app = make_app()
    first = bundled[0]
    async with app.run_test(size=SIZE) as pilot:
        claim = add(app.editing, first, 1, "claim")
        await pilot.press("A", "n")
        editor = app.screen
        assert isinstance(editor, NoteScreen)
        assert widget_text(editor.query_one(".dialog-title")).strip() == "Your note on this claim"
        await pilot.press(*"line one", "enter", *"line [two]", "ctrl+s")
        assert isinstance(app.screen, AnnotationsScreen)
        [note] = [a for a in saved(db_path) if a.is_note]
        assert (note.note, note.span, note.annotator) == (
            "line one\nline [two]",
            claim.span,
            "tester",
        )
        assert shown_ids(app) == [claim.id, note.id]
        assert "line one …" in table_text(app)  # the first line in the table
        assert "✎ line one\n  line [two]" in detail_text(app)  # the whole note below

        await pilot.press("down", "n")  # the note's own row: that record is edited
        assert app.screen.query_one(TextArea).text == "line one\nline [two]"
        await pilot.press("enter", *"three", "ctrl+s")
        [edited] = [a for a in saved(db_path) if a.is_note]
        assert (edited.id, edited.note) == (note.id, "line one\nline [two]\nthree")
        await pilot.press("n", "escape")  # escape leaves it as it was
        assert [a.note for a in saved(db_path) if a.is_note] == ["line one\nline [two]\nthree"]
        await pilot.press("ctrl+z")
        assert [a.note for a in saved(db_path) if a.is_note] == ["line one\nline [two]"]


async def test_others_annotations_cannot_be_changed_from_the_panel(
    make_app, bundled: list[Article], ana: EditSession, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        theirs = add(ana, bundled[0], 1, "claim")
        await pilot.press("A", "r")
        assert isinstance(app.screen, AnnotationsScreen), "no picker for another's label"
        await pilot.press("d", "n")
        assert isinstance(app.screen, AnnotationsScreen), "no editor either"
        assert saved(db_path) == [theirs]
        await pilot.pause()
        refusals = [t for t in toasts(app) if "you can change only your own" in t]
        assert len(refusals) == 3 and all("ana's" in t for t in refusals)


async def test_quotes_notes_and_titles_are_shown_literally(
    make_app, quiet_cache, tmp_path: Path, db_path: Path
) -> None:
    source = tmp_path / "markup.txt"
    source.write_bytes(
        b"A [b]bold[/b] title \x1b[31m\n\nThe [red]first[/red] sentence \x1b]0;owned\x07 ends.\n"
    )
    article = load_article(source)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        span = article.sentences[-1]
        assert app.editing.toggle(article, span, "claim") is not None
        assert app.editing.set_note(article, span, "[b]x[/b] \x1b[2J done") is not None
        await pilot.press("A")
        drawn = table_text(app) + detail_text(app) + heading(app)
        assert "\x1b" not in drawn and "\x07" not in drawn
        assert "The [red]first[/red] sentence ␛]0;owned␇ ends." in detail_text(app)
        assert "[b]x[/b] ␛[2J done" in detail_text(app)
        assert "[b]x[/b] ␛[2J done" in table_text(app)
        assert "A [b]bold[/b] title ␛[31m" in heading(app)


async def test_the_panel_fits_80x24(make_app, bundled: list[Article], ana: EditSession) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for index in range(1, 9):
            add(app.editing, bundled[0], index, ("claim", "opinion", "unverified")[index % 3])
        add(ana, bundled[0], 9, "claim")
        await pilot.press("A", "tab")
        screen = panel(app)
        table = screen.query_one(DataTable)
        drawn = table_text(app).splitlines()
        header = drawn[0]
        for title in ("Label", "By", "Quote", "Note", "Found", "Article"):
            assert title in header
        assert fits_without_scrolling(table)
        assert any("…" in line for line in drawn[1:]), "long quotes are cut with an ellipsis"
        assert table.size.height >= 6, "room for the header and several rows"
        hint = widget_text(screen.query_one(".dialog-hint"))
        assert "esc close" in hint
        region = screen.query_one("#annotations-dialog").region
        assert region.bottom <= 24 and region.right <= 80
        narrow = quote_width(table)

        await pilot.resize_terminal(160, 45)  # the columns follow the terminal's size
        await wait_for(pilot, lambda: quote_width(table) > narrow, what="wider columns")
        assert fits_without_scrolling(table)
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: quote_width(table) == narrow, what="narrow columns")
        assert fits_without_scrolling(table)


def quote_width(table: DataTable[object]) -> int:
    return table.columns[ColumnKey("quote")].width


def fits_without_scrolling(table: DataTable[object]) -> bool:
    """Every column is on screen: the table never needs scrolling sideways."""
    return table.virtual_size.width <= table.scrollable_content_region.width


async def test_the_cursor_keeps_its_row_and_the_filter_when_rows_come_back(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        made = [add(app.editing, bundled[0], index, "claim") for index in range(1, 6)]
        await pilot.press("A", "slash", *"#cl", "enter")  # a filter, kept across the edits
        await select(pilot, app, made[3].id)
        await pilot.press("r", "u")
        # Relabelled, the row left the "#cl" filter: the cursor is on the row in its place.
        assert shown_ids(app) == [a.id for a in made if a.id != made[3].id]
        assert panel(app).selected.annotation.id == made[4].id
        await pilot.press("slash", "ctrl+u", "enter")
        assert panel(app).selected.annotation.id == made[4].id
        await select(pilot, app, made[1].id)
        await pilot.press("d")
        assert panel(app).selected.annotation.id == made[2].id  # the row in its place
        await select(pilot, app, made[3].id)
        await pilot.press("ctrl+z")  # made[1] comes back above: the cursor stays on made[3]
        assert shown_ids(app) == [a.id for a in made]
        assert panel(app).selected.annotation.id == made[3].id
        assert panel(app).query_one(DataTable).cursor_row == 3
        assert isinstance(app.focused, DataTable)


async def test_an_orphan_is_listed_as_such_and_enter_says_where_to_fix_it(
    make_app, bundled: list[Article], store: AnnotationStore, db_path: Path
) -> None:
    first = bundled[0]
    lost = Annotation.create(
        article=first.id,
        text="A sentence that the article never had, from an older version.",
        start=2,
        end=10,
        label="claim",
        annotator="tester",
        article_sha256="0" * 64,
        title=first.title,
    )
    store.add(lost)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert app.store.annotation(lost.id).anchor == "orphan"  # re-anchored when shown
        await pilot.press("A")
        assert shown_ids(app) == [lost.id], "an orphan of the focused article is listed"
        assert "orphan" in table_text(app)
        assert "orphan: not found in the current text" in " ".join(detail_text(app).split())
        await pilot.press("n")  # no note on a passage that is not in the text
        await pilot.pause()
        assert isinstance(app.screen, AnnotationsScreen)
        await pilot.press("enter")
        assert not isinstance(app.screen, AnnotationsScreen)
        await pilot.pause()
        said = " ".join(toasts(app))
        assert "O re-attaches it first" in said
        assert "not found in the article's current text" in said and "O lists orphans" in said
        assert [a.id for a in saved(db_path)] == [lost.id]
