"""The main screen: two or three article panes side by side, the legend and the status line."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from corpus.model import Article
from reader.document import SpanMarks
from reader.entities import LABEL_NAMES, Entity
from reader.widgets.article_pane import ArticlePane
from reader.widgets.article_view import ArticleView
from reader.widgets.entity_legend import EntityLegend
from reader.widgets.status_line import StatusLine


def entity_component(label: str) -> str:
    return f"reader-screen--entity-{label.lower().replace('_', '-')}"


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

    # The one home of the entity colours (styles/reader.tcss), read by the views and the legend
    # through `entity_style`, as Textual's own widgets read "screen--selection".
    COMPONENT_CLASSES: ClassVar[set[str]] = {entity_component(label) for label in LABEL_NAMES}

    def __init__(
        self,
        articles: Sequence[Article],
        width: int,
        *,
        entities: Mapping[str, Sequence[Entity]],
        marks: Callable[[str], SpanMarks],
    ) -> None:
        # The layout class is set before mounting: toggling it later restyles every widget.
        super().__init__(classes="-narrow" if width < THREE_PANE_WIDTH else None)
        self.articles = articles
        self.initial_entities = entities
        self.initial_marks = marks

    def entity_style(self, label: str) -> Style:
        return self.get_component_rich_style(entity_component(label), partial=True)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for index in range(min(MAX_PANES, len(self.articles))):
                article = self.articles[index]
                yield ArticlePane(
                    self.articles,
                    index,
                    entities=self.initial_entities.get(article.id, ()),
                    marks=self.initial_marks(article.id),
                    id=f"pane-{index}",
                )
        yield EntityLegend(id="legend")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        views = self.query(ArticleView)
        if views:
            views.first().focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_panes(event.size.width)

    def _fit_panes(self, width: int) -> None:
        if self.has_class("-narrow") == (width < THREE_PANE_WIDTH):
            return
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
