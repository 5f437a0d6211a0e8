"""Choose which article a pane shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from corpus.model import Article
from reader.widgets.article_pane import shown_outlet, shown_title
from styles import STYLES_DIR


class ArticlePickerScreen(ModalScreen[int | None]):
    """A list of the loaded articles; enter picks, escape keeps the current one."""

    CSS_PATH = STYLES_DIR / "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss_picker", "Cancel")]

    def __init__(self, articles: Sequence[Article], current: int) -> None:
        super().__init__()
        self.articles = articles
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog"):
            yield Label("Show which article in this pane?", classes="dialog-title")
            options = []
            for index, article in enumerate(self.articles):
                prompt = Text(shown_title(article), style="bold")
                prompt.append(f"\n{shown_outlet(article)}", style="italic dim")
                options.append(Option(prompt, id=str(index)))
            yield OptionList(*options, id="picker-options")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.current
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_dismiss_picker(self) -> None:
        self.dismiss(None)
