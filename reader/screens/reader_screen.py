"""The main screen: two or three article panes side by side, the legend and the status line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from corpus.model import Article
from reader.widgets.article_pane import ArticlePane
from reader.widgets.article_view import ArticleView
from reader.widgets.entity_legend import EntityLegend
from reader.widgets.status_line import StatusLine

MAX_PANES = 3
# Below this many columns a third pane would leave each under ~50 columns of text.
THREE_PANE_WIDTH = 150


class ReaderScreen(Screen[None]):
    """Lays out the panes; the app decides what they show and what is saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False, id="pane.focus_next"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous pane", show=False, id="pane.focus_previous"
        ),
    ]

    def __init__(self, articles: Sequence[Article]) -> None:
        super().__init__()
        self.articles = articles

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for index in range(min(MAX_PANES, len(self.articles))):
                yield ArticlePane(self.articles, index, id=f"pane-{index}")
        yield EntityLegend(id="legend")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._fit_panes(self.size.width)
        views = self.query(ArticleView)
        if views:
            views.first().focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_panes(event.size.width)

    def _fit_panes(self, width: int) -> None:
        self.set_class(width < THREE_PANE_WIDTH, "-narrow")
        focused = self.focused
        if focused is not None and not all(node.display for node in focused.ancestors_with_self):
            self.query(ArticleView).first().focus()

    @property
    def visible_views(self) -> list[ArticleView]:
        return [view for view in self.query(ArticleView) if view.parent and view.parent.display]

    @property
    def legend(self) -> EntityLegend:
        return self.query_one(EntityLegend)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)
