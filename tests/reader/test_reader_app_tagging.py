"""Pilot tests: tagging sentences is saved at once, shown in the gutter, counted, undoable."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from reader_helpers import (
    SIZE,
    cursor_rows,
    gutter,
    record_notifications,
    saved,
    status_text,
    toasts,
    view_lines,
    view_of,
    wait_for,
)

from annotations.model import CONTEXT_CHARS, Annotation
from annotations.store import AnnotationStore
from corpus.loader import load_article
from corpus.model import Article
from reader.widgets.article_view import ArticleView

LETTER_COLUMN = {"claim": 1, "opinion": 2, "unverified": 3}


def letters_by_row(view: ArticleView) -> list[str]:
    """The tag letters drawn in the gutter of each screen row (e.g. "CO", or "")."""
    return [gutter(line)[1:4].replace(" ", "") for line in view_lines(view)]


def parse_time(stamp: str) -> datetime:
    parsed = datetime.fromisoformat(stamp)
    assert parsed.tzinfo is not None and parsed.utcoffset() == UTC.utcoffset(parsed)
    return parsed


async def test_c_saves_a_claim_to_the_database_before_the_next_key(
    make_app, db_path: Path, bundled: list[Article]
) -> None:
    article = bundled[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        span = view_of(app, 0).current_span
        assert span == article.sentences[1]
        before = datetime.now(UTC)
        await pilot.press("c")
        # No pause, no quit: a second store opened on the file right now must see it.
        on_disk = saved(db_path)
        assert len(on_disk) == 1
        annotation = on_disk[0]
        start, end = span
        assert (annotation.article, annotation.start, annotation.end) == (article.id, start, end)
        assert annotation.quote == article.text[start:end]
        assert annotation.prefix == article.text[max(0, start - CONTEXT_CHARS) : start]
        assert annotation.suffix == article.text[end : end + CONTEXT_CHARS]
        assert annotation.prefix and annotation.suffix
        assert annotation.label == "claim"
        assert annotation.annotator == "tester"
        assert annotation.note == ""
        assert annotation.article_sha256 == article.sha256
        created = parse_time(annotation.created)
        assert before <= created <= datetime.now(UTC)
        assert annotation.modified == annotation.created


async def test_c_again_removes_the_claim(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c")
        assert len(saved(db_path)) == 1
        assert view.marks.tags == {view.current_span: ("claim",)}
        await pilot.press("c")
        assert saved(db_path) == []
        assert view.marks.tags == {}


async def test_claim_and_opinion_on_one_sentence(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c", "o")
        span = view.current_span
        on_disk = saved(db_path)
        assert sorted(a.label for a in on_disk) == ["claim", "opinion"]
        assert {(a.start, a.end) for a in on_disk} == {span}
        assert view.marks.tags == {span: ("claim", "opinion")}
        await pilot.press("u")
        assert sorted(a.label for a in saved(db_path)) == ["claim", "opinion", "unverified"]


async def test_ctrl_z_undoes_the_last_change_and_then_the_one_before(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c", "o")
        span = view.current_span
        await pilot.press("ctrl+z")
        assert [a.label for a in saved(db_path)] == ["claim"]
        assert view.marks.tags == {span: ("claim",)}
        await pilot.press("ctrl+z")
        assert saved(db_path) == []
        assert view.marks.tags == {}
        assert not any(letters_by_row(view))


async def test_undo_of_a_removal_restores_the_same_annotation(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "c")
        [original] = saved(db_path)
        await pilot.press("c")
        assert saved(db_path) == []
        await pilot.press("ctrl+z")
        assert saved(db_path) == [original]  # same id, same timestamps
        await pilot.press("ctrl+z")
        assert saved(db_path) == []


async def test_ctrl_y_redoes_an_undone_tag(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j", "c")
        [original] = saved(db_path)
        span = view.current_span
        await pilot.press("ctrl+z")
        assert saved(db_path) == []
        await pilot.press("ctrl+y")
        # Saved again before the next key: the same record, and shown again.
        assert saved(db_path) == [original]
        assert view.marks.tags == {span: ("claim",)}
        assert [letters_by_row(view)[y] for y in cursor_rows(view)] == ["C"] * len(
            cursor_rows(view)
        )
        # Undo and redo go on taking turns; ctrl+shift+z is redo too.
        await pilot.press("ctrl+z")
        assert saved(db_path) == []
        await pilot.press("ctrl+shift+z")
        assert saved(db_path) == [original]


async def test_redo_with_nothing_to_redo_says_so_and_a_new_edit_clears_it(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        await pilot.press("ctrl+y")
        assert [n.message for n in notices] == ["Nothing to redo."]
        await pilot.press("j", "c", "ctrl+z", "o")  # a new edit after an undo...
        await pilot.press("ctrl+y")  # ...leaves nothing to redo: the claim stays undone
        assert notices[-1].message == "Nothing to redo."
        assert [a.label for a in saved(db_path)] == ["opinion"]


async def test_undo_works_across_panes(make_app, db_path: Path, bundled: list[Article]) -> None:
    """Undo is app-wide: it takes back the last tag even if it was made in another pane."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "tab", "o")
        assert {(a.article, a.label) for a in saved(db_path)} == {
            (bundled[0].id, "claim"),
            (bundled[1].id, "opinion"),
        }
        await pilot.press("shift+tab", "ctrl+z")
        assert [(a.article, a.label) for a in saved(db_path)] == [(bundled[0].id, "claim")]
        assert view_of(app, 1).marks.tags == {}


async def test_undo_with_nothing_to_undo_says_so_and_changes_nothing(
    make_app, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        await pilot.press("ctrl+z")
        assert [n.message for n in notices] == ["Nothing to undo."]
        assert not db_path.exists() or saved(db_path) == []


async def test_tag_letters_are_drawn_in_the_gutter_of_the_tagged_sentence_only(
    make_app, bundled: list[Article]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j")
        rows = cursor_rows(view)
        assert len(rows) >= 2  # a sentence wrapped over several rows
        assert not any(letters_by_row(view))
        await pilot.press("c")
        letters = letters_by_row(view)
        assert [letters[y] for y in rows] == ["C"] * len(rows)
        assert all(letters[y] == "" for y in range(len(letters)) if y not in rows)
        for y in rows:
            assert view_lines(view)[y][LETTER_COLUMN["claim"]] == "C"
        await pilot.press("o")
        letters = letters_by_row(view)
        assert [letters[y] for y in rows] == ["CO"] * len(rows)
        # Moving on keeps the letters where the tag is.
        await pilot.press("j")
        letters = letters_by_row(view)
        assert [letters[y] for y in rows] == ["CO"] * len(rows)
        assert not set(cursor_rows(view)) & set(rows)


async def test_status_line_counts_tags(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        status = status_text(app)
        assert re.search(r"claim 0\b", status) and re.search(r"opinion 0\b", status)
        await pilot.press("j", "c", "j", "c", "o")
        status = status_text(app)
        assert re.search(r"claim 2\b", status), status
        assert re.search(r"opinion 1\b", status), status
        assert re.search(r"unverified 0\b", status), status
        # The counts are for the focused article; the next pane has none of its own.
        await pilot.press("tab")
        status = status_text(app)
        assert re.search(r"claim 0\b", status), status
        assert "3 tags" in status, status  # ...but the total still counts all three


async def test_status_line_says_where_annotations_are_saved(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with AnnotationStore(Path("notes") / "annotations.json") as relative:
        app = make_app(store=relative)
        async with app.run_test(size=SIZE) as pilot:
            assert "saved to notes/annotations.json" in status_text(app)
            await pilot.press("c")
        assert (tmp_path / "notes" / "annotations.json").exists()


async def test_status_line_shows_the_start_of_a_long_database_path(
    make_app, tmp_path: Path
) -> None:
    deep = tmp_path / "a" / "fairly" / "deep" / "folder" / "tree" / "for" / "the" / "database"
    with AnnotationStore(deep / "annotations.json") as far_away:
        app = make_app(store=far_away)
        async with app.run_test(size=SIZE):
            assert f"saved to {str(tmp_path)[:12]}" in status_text(app)


async def test_a_saved_tag_is_shown_in_place_after_quitting_and_reopening(
    make_app, db_path: Path, store: AnnotationStore
) -> None:
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "u")
        span = view_of(first, 0).current_span
        tagged_rows = cursor_rows(view_of(first, 0))
        await pilot.press("q")
        await pilot.pause()
        assert not first.is_running
    store.close()

    with AnnotationStore(db_path) as reopened:
        second = make_app(store=reopened)
        async with second.run_test(size=SIZE):
            view = view_of(second, 0)
            assert view.marks.tags == {span: ("unverified",)}
            letters = letters_by_row(view)
            assert [letters[y] for y in tagged_rows] == ["U"] * len(tagged_rows)
            assert re.search(r"unverified 1\b", status_text(second))


async def test_the_same_article_in_two_panes_shows_the_same_tags(
    make_app, db_path: Path, bundled: list[Article]
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("]")  # pane 0 now shows the article pane 1 shows
        assert view_of(app, 0).article.id == view_of(app, 1).article.id == bundled[1].id
        await pilot.press("c")
        span = view_of(app, 0).current_span
        assert view_of(app, 1).marks.tags == {span: ("claim",)}
        assert letters_by_row(view_of(app, 1)) == letters_by_row(view_of(app, 0))


async def test_a_failed_save_is_reported_and_not_shown(tmp_path: Path, make_app) -> None:
    folder = tmp_path / "db-folder"
    folder.mkdir()
    with AnnotationStore(folder / "annotations.json") as failing:
        app = make_app(store=failing)
        async with app.run_test(size=SIZE) as pilot:
            notices = record_notifications(app)
            folder.rmdir()
            folder.write_text("a file where the database folder was")  # writes now fail
            await pilot.press("c")
            view = view_of(app, 0)
            assert view.marks.tags == {}
            assert not any(letters_by_row(view))
            assert [n.severity for n in notices] == ["error"]
            assert notices[0].message.startswith("Not saved")
            await pilot.press("ctrl+z")  # nothing was recorded to undo
            assert notices[-1].message == "Nothing to undo."


async def test_c_on_an_article_with_no_reachable_sentence_saves_nothing(
    tmp_path: Path, make_app, quiet_cache, db_path: Path
) -> None:
    source = tmp_path / "plugs.txt"
    source.write_text("Subscribe now\n\nSign in\n", encoding="utf-8")
    article = load_article(source)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "j", "c")
        assert not db_path.exists() or saved(db_path) == []
        assert "site chrome folded" in view_lines(view_of(app, 0))[0]


async def test_undo_notification_shows_article_text_literally(
    tmp_path: Path, make_app, quiet_cache, db_path: Path
) -> None:
    source = tmp_path / "brackets.txt"
    source.write_text("Headline\n\nPrices [/] rose [red]sharply[/red] today.\n", encoding="utf-8")
    article = load_article(source)
    app = make_app([article], cache=quiet_cache([article]))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "c", "ctrl+z")
        assert saved(db_path) == []
        await wait_for(pilot, lambda: any(toasts(app)), timeout=3, what="the undo toast")
        assert any("Prices [/] rose [red]sharply" in toast for toast in toasts(app))
        await pilot.press("j")  # the app is still alive and answering keys
        assert app.is_running


async def test_another_annotators_label_is_shown_and_yours_is_added_beside_it(
    make_app, db_path: Path, bundled: list[Article]
) -> None:
    """Two annotators, one database: bob's label (saved by another process while the app
    runs) shows in lower case; ana's key adds her own label and never touches bob's."""
    article = bundled[0]
    app = make_app(annotator="ana")
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        await pilot.press("j")
        span = view.current_span
        rows = cursor_rows(view)
        assert status_text(app).count("you: ana") == 1
        with AnnotationStore(db_path) as bobs:
            bob = Annotation.create(
                article=article.id,
                text=article.text,
                start=span[0],
                end=span[1],
                label="claim",
                annotator="bob",
                article_sha256=article.sha256,
            )
            bobs.add(bob)
        # The app looks for other processes' saves on its own (every few seconds).
        await wait_for(
            pilot,
            lambda: [letters_by_row(view)[y] for y in rows] == ["c"] * len(rows),
            what="bob's claim in the gutter",
        )
        assert view.marks.tags == {}
        assert view.marks.others == {span: ("claim",)}
        assert re.search(r"claim 1\b", status_text(app))

        await pilot.press("c")  # ana's claim, beside bob's: not a toggle of his
        on_disk = saved(db_path)
        assert sorted((a.annotator, a.label) for a in on_disk) == [
            ("ana", "claim"),
            ("bob", "claim"),
        ]
        assert bob in on_disk  # untouched
        assert view.marks.tags == {span: ("claim",)}
        assert [letters_by_row(view)[y] for y in rows] == ["C"] * len(rows)  # yours shows

        await pilot.press("c")  # takes back ana's claim only
        assert saved(db_path) == [bob]
        assert [letters_by_row(view)[y] for y in rows] == ["c"] * len(rows)
        await pilot.press("ctrl+z", "ctrl+z")  # undo reaches only ana's own edits
        assert saved(db_path) == [bob]
