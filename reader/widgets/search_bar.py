"""The search bar: `/` opens it, typing searches every open article, Enter goes to the hit.

It only collects the query and shows what it is given: the app searches (corpus.search), marks
the hits in the views and sends the count down through `show_count`. Messages carry the query
and the whole-word switch up.
"""

from __future__ import annotations

import os
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.stylesheet import Stylesheet
from textual.message import Message
from textual.widgets import Input, Label

from reader.literal import display_text
from styles import STYLES_DIR

# The bar's stylesheet, for the app's CSS_PATH.
SEARCH_CSS_PATH = STYLES_DIR / "search.tcss"

WHOLE_WORDS_ON = "[W]"
WHOLE_WORDS_OFF = "[w]"


class SearchField(Input):
    """Textual's Input, not restyled when it loses the focus while the bar is hidden.

    Textual restyles a widget whenever it gains or loses the focus; an Input, with its four
    component classes, took 1.5 ms, a tenth of Escape closing the search. Escape hides the
    bar and then moves the focus, so the styles computed then would never be seen: the next
    `/` shows the bar and focuses the field, which restyles it for what is on screen."""

    def watch_has_focus(self, has_focus: bool) -> None:
        bar = self.parent
        if bar is not None and not bar.display:
            return
        super().watch_has_focus(has_focus)


class SearchBar(Horizontal):
    """One line docked above the keys: the query, the whole-word switch, the count."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+w", "toggle_whole_words", "Whole words", id="search.whole_words"),
        # Some terminals keep alt for themselves. ctrl+w would delete a word in the Input (as
        # ctrl+backspace still does), so it must take priority over the Input's binding.
        Binding(
            "ctrl+w",
            "toggle_whole_words",
            "Whole words",
            show=False,
            priority=True,
            id="search.whole_words_ctrl",
        ),
        Binding("escape", "close", "Close search", id="search.close"),
    ]

    class Changed(Message):
        """The query or the whole-word switch changed (posted at every key)."""

        def __init__(self, query: str, whole_words: bool) -> None:
            super().__init__()
            self.query = query
            self.whole_words = whole_words

        def can_replace(self, message: Message) -> bool:
            # Each carries the whole query: when typing outruns the search, only the newest
            # waiting one needs searching.
            return isinstance(message, SearchBar.Changed)

    class Submitted(Message):
        """Enter: go to the current hit."""

        def __init__(self, query: str, whole_words: bool) -> None:
            super().__init__()
            self.query = query
            self.whole_words = whole_words

    class Closed(Message):
        """Escape: drop the search."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._whole_words = False

    @staticmethod
    def load_stylesheet(stylesheet: Stylesheet) -> None:
        """Add styles/search.tcss to the app's stylesheet, as Textual does for a screen's
        CSS_PATH: the bar is mounted after the first frame, and its rules are not parsed
        before they are needed. Only this file is parsed (Textual caches the others'
        rules); no widget is restyled, as no other widget matches its rules."""
        path = os.path.abspath(SEARCH_CSS_PATH)
        if not stylesheet.has_source(path):
            # add_source, not Stylesheet.read, which keeps the old map of selectors to rules.
            css = SEARCH_CSS_PATH.read_text(encoding="utf-8")
            stylesheet.add_source(css, read_from=(path, ""), is_default_css=False)

    def compose(self) -> ComposeResult:
        yield Label("/", id="search-prompt", markup=False)
        # No validators, so nothing to validate: Textual would still set a -valid class at
        # the first key or blur, restyling the field once more.
        field = SearchField(
            placeholder="search the open articles", id="search-input", validate_on=()
        )
        # Not focusable while hidden: a screen's auto-focus would otherwise give a hidden bar
        # the keys (it looks for focusable widgets, shown or not).
        field.can_focus = False
        yield field
        words = Label(WHOLE_WORDS_OFF, id="search-words", markup=False)
        words.tooltip = "Whole words only (alt+w or ctrl+w, or click)"
        yield words
        yield Label("", id="search-count", markup=False)

    @property
    def search_text(self) -> str:
        """The query as typed."""
        return self.query_one(Input).value

    @property
    def whole_words(self) -> bool:
        return self._whole_words

    @property
    def is_open(self) -> bool:
        return self.display

    def open(self, query: str = "") -> None:
        """Show the bar holding `query` (selected, so typing replaces it) and focus it."""
        self.display = True
        field = self.query_one(Input)
        field.can_focus = True
        field.value = query  # posts Changed when it differs: the app searches it again
        field.focus()
        field.select_all()

    def close(self) -> None:
        """Hide the bar; the caller moves the focus where it belongs."""
        self.display = False
        self.query_one(Input).can_focus = False

    def show_count(self, text: str) -> None:
        """Show `text` as the count, literally ("3 of 17 in 2 articles", "no matches")."""
        self.query_one("#search-count", Label).update(Text(display_text(text)))

    def action_toggle_whole_words(self) -> None:
        self._whole_words = not self._whole_words
        words = self.query_one("#search-words", Label)
        words.update(WHOLE_WORDS_ON if self._whole_words else WHOLE_WORDS_OFF)
        words.set_class(self._whole_words, "-on")
        self.post_message(self.Changed(self.search_text, self._whole_words))

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "search-words":
            self.action_toggle_whole_words()

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value, self._whole_words))

    @on(Input.Submitted, "#search-input")
    def _query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value, self._whole_words))
