"""The search bar: `/` opens it, typing searches every open article, Enter goes to the hit.

It only collects the query and shows the count; the app searches (corpus.search) and marks
the hits in the views. Messages carry the query up; `show_count` comes down.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from reader.literal import display_text


class SearchBar(Horizontal):
    """One line: the query, whether it matches whole words only, and how many hits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+w", "toggle_words", "Whole words", id="search.whole_words"),
        Binding("escape", "close", "Close search", show=False, id="search.close"),
    ]

    class Changed(Message):
        """The query or the whole-word switch changed (sent at every key)."""

        def __init__(self, query: str, whole_words: bool) -> None:
            super().__init__()
            self.query = query
            self.whole_words = whole_words

    class Submitted(Message):
        """Enter: go to the current hit."""

        def __init__(self, query: str, whole_words: bool) -> None:
            super().__init__()
            self.query = query
            self.whole_words = whole_words

    class Closed(Message):
        """Escape: the search is dropped."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.whole_words = False

    def compose(self) -> ComposeResult:
        yield Label("/", id="search-prompt")
        yield Input(placeholder="search the open articles", id="search-input")
        yield Label(self._words_text(), id="search-words")
        yield Label("", id="search-count")

    @property
    def search_text(self) -> str:
        return self.query_one(Input).value

    def open(self, query: str = "") -> None:
        self.add_class("-open")
        field = self.query_one(Input)
        field.value = query
        field.focus()
        field.select_all()

    def close(self) -> None:
        self.remove_class("-open")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def show_count(self, text: str) -> None:
        # Text, not markup: the count may quote the query.
        self.query_one("#search-count", Label).update(Text(display_text(text)))

    def _words_text(self) -> Text:
        return Text("[whole words]" if self.whole_words else "[any text]", style="dim")

    def action_toggle_words(self) -> None:
        self.whole_words = not self.whole_words
        self.query_one("#search-words", Label).update(self._words_text())
        self.post_message(self.Changed(self.search_text, self.whole_words))

    def on_click(self, event: events.Click) -> None:
        if event.widget is not None and event.widget.id == "search-words":
            self.action_toggle_words()

    def action_close(self) -> None:
        self.post_message(self.Closed())

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value, self.whole_words))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value, self.whole_words))
