"""Come back where you were: panes, cursor, scroll, folding, focus and theme survive a restart."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import SIZE, pane, toasts, view_of, wait_for

from reader.session_state import PaneState, SessionState, load_state, save_state


async def test_a_restart_opens_where_the_last_session_ended(make_app, tmp_path: Path) -> None:
    state = tmp_path / "state" / "state.json"
    app = make_app(state_path=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # the second pane
        await pilot.press("right_square_bracket")  # shows the fourth article
        await pilot.press("j", "j", "j", "j", "w", "w", "f")
        view = view_of(app, 1)
        article, caret = view.article, view.document.caret
        await pilot.press("pagedown")
        await pilot.pause()
        caret = view.document.caret
        scroll = round(view.scroll_offset.y)
        assert scroll > 0
        app.theme = "textual-light"
        await pilot.press("q")
    assert state.is_file()

    again = make_app(state_path=state)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(again, 1)
        assert view.article.id == article.id
        assert pane(again, 1).article.id == article.id
        assert view.document.show_chrome is True
        assert view.document.caret == caret
        await wait_for(pilot, lambda: round(view.scroll_offset.y) == scroll, what="the scroll")
        assert again.focused is view
        assert again.theme == "textual-light"
        assert view_of(again, 0).document.show_chrome is False


async def test_a_bad_state_file_is_reported_and_the_app_starts_as_usual(
    make_app, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    app = make_app(state_path=state)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        [warning] = toasts(app, "warning")
        assert "not a reader state file" in warning and "state.json" in warning
        assert app.focused is view_of(app, 0)
        await pilot.press("q")
    assert load_state(state) == (load_state(state)[0], None)  # rewritten as a good one


async def test_articles_that_are_gone_are_skipped(make_app, bundled, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    save_state(
        state,
        SessionState(
            (
                PaneState("0" * 64, "gone-article", 10, 0, True),
                PaneState(bundled[4].sha256, "renamed", 0, 0, False),
            ),
            1,
            "no-such-theme",
        ),
    )
    app = make_app(state_path=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert view_of(app, 0).article.id == bundled[0].id  # kept its default
        assert view_of(app, 1).article.id == bundled[4].id  # found by its text
        assert app.focused is view_of(app, 1)
        assert app.theme != "no-such-theme"


async def test_a_state_that_cannot_be_saved_does_not_stop_the_app(make_app, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    app = make_app(state_path=blocker / "state.json")  # its folder cannot be made
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "q")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_load_state_reports_wrong_shapes_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert load_state(path) == (None, None)
    for text in ('{"version": 1}', "[]", '{"version": 2, "panes": []}', "\xff"):
        path.write_bytes(text.encode("utf-8", "surrogateescape") if text != "\xff" else b"\xff")
        state, problem = load_state(path)
        assert state is None and problem is not None and "\n" not in problem
