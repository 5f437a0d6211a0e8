"""The search bar on its own, in a tiny app laid out like the reader's (text, the bar, the keys
line): hidden until opened, one line just above the keys; it posts what is typed, the
whole-word switch, Enter and escape as messages, and shows the count it is given literally,
readable in every built-in theme."""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

import pytest
from reader_helpers import contrast, widget_text
from rich.color import Color
from rich.color_triplet import ColorTriplet
from rich.style import Style
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES
from textual.widgets import Input, Static

from reader.widgets.key_bar import KeyBar
from reader.widgets.search_bar import SEARCH_CSS_PATH, SearchBar
from styles import STYLES_DIR

SIZE = (80, 24)
AA = 4.5


class SearchBarApp(App[None]):
    """The bar between some text and the keys line, as on the reader's screen; it keeps every
    message the bar sends, in order."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "reader.tcss", SEARCH_CSS_PATH]

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Message] = []

    def compose(self) -> ComposeResult:
        yield Static("Hamas met Russia's envoys.", id="text")
        yield SearchBar(id="search")
        yield KeyBar(id="keys")

    @property
    def bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @on(SearchBar.Changed)
    @on(SearchBar.Submitted)
    @on(SearchBar.Closed)
    def _keep(self, message: Message) -> None:
        self.received.append(message)

    def of_kind(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.received if isinstance(m, kind)]

    def changes(self) -> list[tuple[str, bool]]:
        found = self.of_kind(SearchBar.Changed)
        return [(m.query, m.whole_words) for m in found if isinstance(m, SearchBar.Changed)]


def count_text(app: SearchBarApp) -> str:
    return widget_text(app.bar.query_one("#search-count"))


def words_text(app: SearchBarApp) -> str:
    return widget_text(app.bar.query_one("#search-words")).strip()


async def opened(pilot: Pilot[None], app: SearchBarApp, query: str = "") -> None:
    app.bar.open(query)
    await pilot.pause()


async def test_hidden_until_opened_then_one_line_just_above_the_keys() -> None:
    app = SearchBarApp()
    async with app.run_test(size=SIZE) as pilot:
        bar = app.bar
        assert not bar.display and not bar.is_open
        assert bar.region.height == 0
        await pilot.press("h")  # keys go nowhere near the hidden bar
        assert app.received == []
        await opened(pilot, app)
        keys = app.query_one(KeyBar)
        assert bar.is_open and bar.display
        assert bar.region.height == 1 and bar.region.width == SIZE[0]
        assert keys.region.y == SIZE[1] - 1
        assert bar.region.y == keys.region.y - 1
        # The text above gives the bar its line instead of lying under it.
        assert app.query_one("#text").region.bottom <= bar.region.y
        assert isinstance(app.focused, Input) and app.focused.parent is bar
        # The keys line shows the bar's keys while it has the focus.
        assert "Whole words" in widget_text(keys) and "Close search" in widget_text(keys)
        bar.close()
        await pilot.pause()
        assert not bar.is_open and bar.region.height == 0


async def test_typing_posts_changed_with_the_query_at_every_key() -> None:
    app = SearchBarApp()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        typed = ""
        for key, char in [("A", "A"), ("b", "b"), ("u", "u"), ("space", " "), ("M", "M")]:
            await pilot.press(key)
            typed += char
            assert app.changes()[-1] == (typed, False)
        # In order, each what was typed so far (a burst may fold into its newest: see below).
        changes = [query for query, _ in app.changes()]
        assert all("Abu M".startswith(query) for query in changes)
        assert changes == sorted(changes, key=len)
        await pilot.press("backspace")
        assert app.changes()[-1] == ("Abu ", False)
        assert app.bar.search_text == "Abu "
        assert app.of_kind(SearchBar.Submitted) == [] and app.of_kind(SearchBar.Closed) == []


def test_a_newer_change_replaces_an_older_one_still_waiting() -> None:
    older, newer = SearchBar.Changed("Ab", False), SearchBar.Changed("Abu", False)
    assert older.can_replace(newer)
    assert not SearchBar.Submitted("Ab", False).can_replace(newer)
    assert not older.can_replace(SearchBar.Submitted("Abu", False))
    assert not older.can_replace(SearchBar.Closed())


async def test_the_whole_word_switch_posts_changed_and_shows_its_state() -> None:
    app = SearchBarApp()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press(*"hama")
        assert words_text(app) == "[w]" and not app.bar.whole_words
        await pilot.press("alt+w")
        assert app.changes()[-1] == ("hama", True)
        assert app.bar.whole_words and words_text(app) == "[W]"
        words = app.bar.query_one("#search-words")
        assert words.has_class("-on")
        await pilot.pause()
        # On is drawn bold and reversed (the CSS's -on), off is not.
        drawn_on = [segment for segment in words.render_line(0) if segment.text.strip()]
        assert drawn_on and all(s.style and s.style.reverse and s.style.bold for s in drawn_on)
        # ctrl+w too (for terminals that keep alt): it toggles, and deletes no word.
        await pilot.press("ctrl+w")
        assert app.changes()[-1] == ("hama", False)
        assert words_text(app) == "[w]" and app.bar.search_text == "hama"
        await pilot.pause()
        drawn_off = [segment for segment in words.render_line(0) if segment.text.strip()]
        assert drawn_off and not any(s.style and s.style.reverse for s in drawn_off)
        # A click on the switch toggles it as well.
        await pilot.click("#search-words")
        assert app.changes()[-1] == ("hama", True) and words_text(app) == "[W]"
        # Typing on keeps the switch.
        await pilot.press("s")
        assert app.changes()[-1] == ("hamas", True)


async def test_enter_posts_submitted_and_escape_closed() -> None:
    app = SearchBarApp()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press(*"Putin", "alt+w", "enter")
        [submitted] = app.of_kind(SearchBar.Submitted)
        assert isinstance(submitted, SearchBar.Submitted)
        assert (submitted.query, submitted.whole_words) == ("Putin", True)
        assert app.of_kind(SearchBar.Closed) == []
        await pilot.press("escape")
        assert len(app.of_kind(SearchBar.Closed)) == 1
        # The bar asks; the app closes it (calls down).
        assert app.bar.is_open
        app.bar.close()
        await pilot.pause()
        assert not app.bar.is_open


async def test_open_holds_the_last_query_selected_so_typing_replaces_it() -> None:
    app = SearchBarApp()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app, "Moscow")
        assert app.bar.search_text == "Moscow"
        assert app.changes()[-1] == ("Moscow", False)  # the app searches it again
        await pilot.press("K")
        assert app.bar.search_text == "K"
        assert app.changes()[-1] == ("K", False)


async def test_query_and_count_are_shown_literally() -> None:
    app = SearchBarApp()
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app)
        await pilot.press(*"[b]x[/b]")
        assert app.changes()[-1] == ("[b]x[/b]", False)
        assert "[b]x[/b]" in widget_text(app.bar.query_one(Input))
        app.bar.show_count("no matches for “[b]x[/b]”")
        await pilot.pause()
        assert count_text(app).strip() == "no matches for “[b]x[/b]”"
        app.bar.show_count("3 of 17 in 2 articles")
        await pilot.pause()
        assert count_text(app).strip() == "3 of 17 in 2 articles"
        # Control characters are drawn as pictures, not sent to the terminal.
        app.bar.show_count("bell\x07")
        await pilot.pause()
        assert count_text(app).strip() == "bell␇"
        app.bar.show_count("")
        await pilot.pause()
        assert count_text(app).strip() == ""


# -- readable in every theme ------------------------------------------------------------------


def unreadable(app: SearchBarApp, theme: str) -> list[str]:
    """Every piece of text the bar draws whose colours are under AA."""
    terminal = app.ansi_theme
    problems = []
    for part in app.bar.children:
        for segment in part.render_line(0):
            if not segment.text.strip() or segment.control:
                continue
            style = segment.style or Style()
            fg = (style.color or Color.default()).get_truecolor(terminal, True)
            bg = (style.bgcolor or Color.default()).get_truecolor(terminal, False)
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:  # a terminal draws dim text about halfway to the background
                fg = ColorTriplet(*(round((f + b) / 2) for f, b in zip(fg, bg, strict=True)))
            if contrast(fg, bg) < AA:
                ratio = contrast(fg, bg)
                problems.append(f"{theme}: {segment.text!r} {fg.hex} on {bg.hex} = {ratio:.2f}")
    return problems


@pytest.mark.parametrize("state", ["empty", "typed", "selected", "whole words"])
async def test_readable_in_every_builtin_theme(state: str) -> None:
    """The prompt, the placeholder, the query (typed with the cursor after it, or selected as
    when the bar reopens on it), the switch off and on, and the count meet WCAG AA (4.5:1) in
    every built-in theme, light and dark."""
    app = SearchBarApp()
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, app, "Marzouk" if state == "selected" else "")
        app.bar.query_one(Input).cursor_blink = False  # the cursor drawn, at every check
        if state in ("typed", "whole words"):
            await pilot.press(*"Marzouk")
        if state == "typed":
            await pilot.press("home")  # the cursor on a letter
        if state == "whole words":
            await pilot.press("alt+w")
        app.bar.show_count("3 of 17 in 2 articles")
        expected = "search the open articles" if state == "empty" else "Marzouk"
        themes = sorted(BUILTIN_THEMES)
        assert any(BUILTIN_THEMES[t].dark for t in themes)
        assert any(not BUILTIN_THEMES[t].dark for t in themes)
        for theme in themes:
            app.theme = theme
            await pilot.pause()
            drawn = " ".join(widget_text(part) for part in app.bar.children)
            assert expected in drawn and "3 of 17" in drawn, theme
            assert ("[W]" if state == "whole words" else "[w]") in drawn, theme
            problems += unreadable(app, theme)
    assert problems == []


async def test_the_field_looks_focused_whenever_the_bar_is_open_and_is_not_restyled_hidden(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Closing the bar then moving the focus does not restyle the hidden field (1.5 ms of
    Escape); opened again it has its focused look, and losing the focus while the bar shows
    (a click on the text) gives it the unfocused look as usual."""
    from textual.widget import Widget

    restyled: list[Widget] = []
    original = Widget.update_node_styles

    def recorded(self: Widget, animate: bool = True) -> None:
        restyled.append(self)
        original(self, animate)

    monkeypatch.setattr(Widget, "update_node_styles", recorded)
    app = SearchBarApp()
    async with app.run_test(size=SIZE) as pilot:
        field = app.bar.query_one(Input)
        text = app.query_one("#text")
        text.can_focus = True
        await opened(pilot, app)
        focused_look = field.styles.background
        app.bar.close()
        restyled.clear()
        text.focus()
        await pilot.pause()
        assert field not in restyled and not field.has_focus
        await opened(pilot, app)
        assert field.has_focus and field.styles.background == focused_look
        text.focus()  # the bar still open
        await pilot.pause()
        assert field in restyled and field.styles.background != focused_look
        field.focus()
        await pilot.pause()
        assert field.styles.background == focused_look
