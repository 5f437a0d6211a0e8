"""Parsed stylesheets kept between runs (reader.css_cache): a second start parses nothing and
draws the same screen; a damaged, foreign or unwritable cache only means parsing as usual."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest
from conftest import AppFactory
from reader_helpers import SIZE
from textual.color import Color
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import StylesheetParseError

from reader import css_cache
from reader.app import NewsReaderApp
from reader.css_cache import FORMAT, CachedStylesheet


def screen_cells(app: NewsReaderApp) -> list[list[tuple[str, str]]]:
    """Every line on screen as (text, style) segments."""
    return [
        [(segment.text, str(segment.style)) for segment in strip]
        for strip in app.screen._compositor.render_strips()
    ]


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Textual's CSS parser, counted: one entry per stylesheet source it parses."""
    calls: list[object] = []
    parse = textual_stylesheet.parse

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args[2])  # read_from
        return parse(*args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counted)
    return calls


def stored_entries(path: Path) -> dict[str, bytes]:
    stored = pickle.loads(path.read_bytes())
    assert stored["format"] == FORMAT
    entries: dict[str, bytes] = stored["entries"]
    return entries


async def test_a_second_start_parses_no_css_and_draws_the_same_screen(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache" / "parsed-css.pickle"
    parses = count_parses(monkeypatch)
    app = make_app(css_cache=cache)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = screen_cells(app)
    assert any("reader.tcss" in str(where) for where in parses)
    assert len(stored_entries(cache)) == len(parses)  # each parse stored

    parses.clear()
    again = make_app(css_cache=cache)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_cells(again) == first
    assert parses == []


async def test_a_damaged_cache_is_parsed_over_and_replaced(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "parsed-css.pickle"
    plain = make_app()
    async with plain.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected = screen_cells(plain)
    for damage in (b"not a pickle", pickle.dumps({"format": FORMAT + 1, "entries": {}})):
        cache.write_bytes(damage)
        parses = count_parses(monkeypatch)
        app = make_app(css_cache=cache)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert screen_cells(app) == expected
        assert parses, "everything was parsed"
        assert stored_entries(cache)


def test_each_theme_has_its_own_entries(tmp_path: Path) -> None:
    cache = tmp_path / "parsed-css.pickle"
    css = "Screen { background: $accent; }"

    def background(accent: str) -> Color:
        sheet = CachedStylesheet(variables={"accent": accent}, cache_path=cache)
        sheet.add_source(css, read_from=("test.tcss", ""))
        sheet.parse()
        sheet.save()
        colour = sheet.rules[0].styles.background
        assert isinstance(colour, Color)
        return colour

    assert background("#ff0000") == Color.parse("#ff0000")
    assert background("#00ff00") == Color.parse("#00ff00")
    assert len(stored_entries(cache)) == 2
    assert background("#ff0000") == Color.parse("#ff0000")  # read back, not mixed up


def test_css_with_errors_is_not_stored(tmp_path: Path) -> None:
    cache = tmp_path / "parsed-css.pickle"
    for _attempt in range(2):  # reported again the second time: nothing was kept
        sheet = CachedStylesheet(cache_path=cache)
        sheet.add_source("Screen { colour: red; }", read_from=("bad.tcss", ""))
        with pytest.raises(StylesheetParseError):
            sheet.parse()
        sheet.save()
    assert not cache.exists()


def test_an_unwritable_cache_is_left_alone(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    sheet = CachedStylesheet(cache_path=blocker / "parsed-css.pickle")
    sheet.add_source("Screen { color: red; }", read_from=("ok.tcss", ""))
    sheet.parse()
    sheet.save()  # no error: the cache directory cannot be made
    assert blocker.read_text() == ""
    assert sheet.rules[0].styles.color == Color.parse("red")


async def first_frame_theme(app: NewsReaderApp) -> str | None:
    """Run the app to its first frame and a pause; the theme that first frame was drawn in."""
    themes: list[str] = []
    display = app._display

    def noting(screen: Any, renderable: Any) -> None:
        if renderable is not None and not themes:
            themes.append(app.theme)
        display(screen, renderable)

    app._display = noting  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    return themes[0] if themes else None


async def test_a_saved_theme_is_drawn_from_the_first_frame_with_no_css_parsed(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The last session's theme is set as the app is made, and Textual's reparse for it reads
    # the cache too: a second start in a light theme parses nothing, like one in the default.
    from reader.session_state import SessionState, save_state

    state = tmp_path / "state.json"
    save_state(state, SessionState((), 0, "textual-light"))
    cache = tmp_path / "parsed-css.pickle"
    parses = count_parses(monkeypatch)
    app = make_app(state_path=state, css_cache=cache)
    assert await first_frame_theme(app) == "textual-light"
    assert parses
    parses.clear()
    again = make_app(state_path=state, css_cache=cache)
    assert await first_frame_theme(again) == "textual-light"
    assert parses == []


def test_the_file_keeps_this_runs_parses_and_the_newest_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(css_cache, "MAX_ENTRIES", 3)
    cache = tmp_path / "parsed-css.pickle"

    def parse_in_own_run(name: str) -> CachedStylesheet:
        sheet = CachedStylesheet(cache_path=cache)
        sheet.add_source(f"#{name} {{ color: red; }}", read_from=(f"{name}.tcss", ""))
        sheet.parse()
        sheet.save()
        return sheet

    for name in ("a", "b", "c", "d"):
        parse_in_own_run(name)
    # Three kept, the oldest ("a") dropped; a run that only reads stored parses writes nothing.
    parses = count_parses(monkeypatch)
    parse_in_own_run("b")
    assert parses == []
    parse_in_own_run("e")
    kept = [
        pickle.loads(data)[0].selector_set[0].selectors[0].name
        for data in stored_entries(cache).values()
    ]
    assert kept == ["c", "d", "e"]
