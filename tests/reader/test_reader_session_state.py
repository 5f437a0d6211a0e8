"""Come back where you were: panes, cursor, scroll, folding, focus and theme survive a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from reader_helpers import SIZE, pane, toasts, view_of, wait_for

import reader.app
from corpus.model import Article
from reader.cli import main
from reader.locations import state_path
from reader.session_state import PaneState, SessionState, load_state, save_state


async def test_a_restart_opens_where_the_last_session_ended(make_app, tmp_path: Path) -> None:
    state = tmp_path / "state" / "state.json"  # its folder is made on the first save
    app = make_app(state_path=state)
    async with app.run_test(size=SIZE) as pilot:
        default_theme = app.theme
        app.theme = "textual-light"  # saved now; all the rest is saved by `q`
        assert app.theme != default_theme
        await pilot.press("tab")  # the second pane
        await pilot.press("right_square_bracket")  # shows the next article
        await pilot.press("j", "j", "j", "f")  # chrome shown
        await pilot.press("pagedown")  # scrolled, the cursor to the top of the view
        await pilot.press("j", "w", "w")  # the cursor where scrolling alone would not put it
        await pilot.pause()
        view = view_of(app, 1)
        article, caret, sentence = view.article, view.document.caret, view.current_span
        scroll = round(view.scroll_offset.y)
        assert scroll > 0 and view.document.show_chrome is True
        assert pane(app, 1).article.id != view_of(app, 0).article.id
        await pilot.press("q")
    left, problem = load_state(state)
    assert problem is None and left is not None

    again = make_app(state_path=state)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert load_state(state) == (left, None)  # not written over while it was being read
        view = view_of(again, 1)
        assert pane(again, 1).article.id == article.id
        assert view.article.id == article.id
        assert view.document.show_chrome is True
        assert view_of(again, 0).document.show_chrome is False  # each pane its own folding
        assert view.current_span == sentence
        assert view.document.caret == caret
        await wait_for(pilot, lambda: round(view.scroll_offset.y) == scroll, what="the scroll")
        assert again.focused is view
        assert again.theme == "textual-light"
    assert load_state(state) == (left, None)  # closed without `q`: the last save stands


async def test_the_chosen_theme_is_saved_when_chosen(make_app, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    app = make_app(state_path=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        app.theme = "nord"
        saved, problem = load_state(state)  # on disk before the app closes: a crash keeps it
        assert problem is None and saved is not None and saved.theme == "nord"
        app.theme = "gruvbox"
        await pilot.press("q")
    saved, problem = load_state(state)
    assert problem is None and saved is not None and saved.theme == "gruvbox"


async def test_a_bad_state_file_is_reported_and_the_app_starts_as_usual(
    make_app, bundled: list[Article], tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    plain = make_app()
    async with plain.run_test(size=SIZE):
        default_theme = plain.theme
    app = make_app(state_path=state)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: any(toasts(app, "warning")))
        [warning] = toasts(app, "warning")
        assert "not a reader state file" in warning and "state.json" in warning
        assert [view_of(app, i).article.id for i in (0, 1)] == [bundled[0].id, bundled[1].id]
        assert app.focused is view_of(app, 0)
        assert app.theme == default_theme
        await pilot.press("q")
    saved, problem = load_state(state)  # replaced by a good one
    assert problem is None and saved is not None


async def test_articles_that_are_gone_are_skipped(
    make_app, bundled: list[Article], tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    save_state(
        state,
        SessionState(
            (
                PaneState("0" * 64, "gone-article", 10, 0, True),
                PaneState(bundled[4].sha256, "renamed", 0, 0, False),  # moved: found by text
                PaneState("1" * 64, bundled[3].id, 10**9, 0, False),  # edited: found by id
            ),
            1,
            "no-such-theme",
        ),
    )
    app = make_app(state_path=state)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert view_of(app, 0).article.id == bundled[0].id  # kept its default
        assert view_of(app, 0).document.show_chrome is False
        assert view_of(app, 1).article.id == bundled[4].id
        assert view_of(app, 2).article.id == bundled[3].id
        assert view_of(app, 2).current_span is not None
        assert app.focused is view_of(app, 1)
        assert app.theme != "no-such-theme"
        assert toasts(app, "warning") == []  # skipped silently


async def test_a_state_that_cannot_be_saved_is_reported_and_the_app_goes_on(
    make_app, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    # A file where the folder should be: unwritable even for root, unlike a chmod'ed folder.
    app = make_app(state_path=blocker / "state" / "state.json")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: any(toasts(app, "warning")))
        [unreadable] = toasts(app, "warning")  # said at once, not only when it is too late
        assert "cannot be read" in unreadable and "state.json" in unreadable
        app.theme = "nord"
        # A toast just mounted has not drawn its text yet: wait for it.
        await wait_for(
            pilot, lambda: len(toasts(app, "warning")) == 2 and all(toasts(app, "warning"))
        )
        [_, unsaved] = toasts(app, "warning")
        assert "could not be saved" in unsaved and "state.json" in unsaved
        await pilot.press("j")
        assert view_of(app, 0).current_span is not None
        await pilot.press("q")
    assert app.return_code in (None, 0)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_state_round_trips_and_a_missing_file_is_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.json"
    assert load_state(path) == (None, None)
    state = SessionState((PaneState("a" * 64, "x", 5, 3, True),), 0, None)
    save_state(path, state)
    assert load_state(path) == (state, None)


def test_load_state_reports_wrong_shapes_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    pane = '"article_sha256": "a", "article_id": "b", "cursor_offset": 1, "scroll_y": 0'
    for content in (
        b'{"version": 1}',
        b"[]",
        b'{"version": 2, "panes": [], "focused_pane": 0, "theme": null}',
        b'{"version": 1, "panes": {}, "focused_pane": 0, "theme": null}',
        b'{"version": 1, "panes": [], "focused_pane": "0", "theme": null}',
        b'{"version": 1, "panes": [], "focused_pane": 0, "theme": 7}',
        b'{"version": 1, "panes": [3], "focused_pane": 0, "theme": null}',
        f'{{"version": 1, "panes": [{{{pane}}}], "focused_pane": 0}}'.encode(),
        f'{{"version": 1, "panes": [{{{pane}, "show_chrome": 1}}], "focused_pane": 0}}'.encode(),
        f'{{"version": 1, "panes": [{{{pane.replace(": 1", ": -1")}, "show_chrome": true}}], '
        '"focused_pane": 0}'.encode(),
        b"\xff",
        b"",
    ):
        path.write_bytes(content)
        state, problem = load_state(path)
        assert state is None, content
        assert problem is not None and "\n" not in problem and str(path) in problem
    unreadable = tmp_path / "a-folder"
    unreadable.mkdir()
    state, problem = load_state(unreadable)
    assert state is None and problem is not None and "cannot be read" in problem


def test_the_state_file_is_in_the_user_data_directory_unless_reader_state_names_one(
    isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_STATE", raising=False)
    path = state_path()
    assert path == isolated_user_dirs / "data" / "news-reader" / "state.json"
    assert not path.parent.exists()  # nothing is created by asking
    monkeypatch.setenv("READER_STATE", "~/elsewhere.json")
    assert state_path() == isolated_user_dirs / "elsewhere.json"


def test_the_reader_command_gives_the_app_its_state_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Path | None] = []

    def fake_run(self: reader.app.NewsReaderApp, *args: object, **kwargs: object) -> None:
        seen.append(self.state_path)

    monkeypatch.setattr(reader.app.NewsReaderApp, "run", fake_run)
    monkeypatch.setenv("READER_STATE", str(tmp_path / "mine.json"))
    article = tmp_path / "mine.txt"
    article.write_text("My own headline\n\nBody text.\n", encoding="utf-8")
    assert main([str(article), "--db", str(tmp_path / "db.json")]) == 0
    assert seen == [tmp_path / "mine.json"]
