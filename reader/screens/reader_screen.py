"""The main screen: two or three article panes side by side, the legend and the status line."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import AwaitMount, Widget

from annotations.labels import LabelSet
from corpus.model import Article
from reader.document import SpanMarks
from reader.entities import Entity
from reader.widgets.article_pane import ArticlePane
from reader.widgets.article_view import ArticleView
from reader.widgets.entity_legend import EntityLegend
from reader.widgets.key_bar import KeyBar
from reader.widgets.line_painting import VIEW_COMPONENTS, entity_component
from reader.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from reader.widgets.search_bar import SearchBar

MAX_PANES = 3
# Below this many columns a third pane would leave each under ~50 columns of text.
THREE_PANE_WIDTH = 150


class ReaderScreen(Screen[None]):
    """Lays out the panes; the app decides what they show and what is saved."""

    # The panes and the docked lines cover the whole screen, yet Textual renders the screen's
    # own background under them at every full frame (some 1.3 ms of each resize at 160x45, and
    # of the first frame). Blank, it is the same background drawn as one blank strip per line.
    BLANK: ClassVar[bool] = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next pane", show=False, id="pane.focus_next"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous pane", show=False, id="pane.focus_previous"
        ),
    ]

    # Textual's Screen repaints the whole screen whenever the focus moves (its `focused` is a
    # repainting reactive), so Tab between panes redrew and re-sent all three panes. Here the
    # widgets whose look depends on focus repaint themselves: the views (the cursor dims,
    # ArticleView.on_focus/on_blur) and the panes' frames (ArticlePane._show_focus).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    # The article views' colours live here, once for all views (see VIEW_COMPONENTS); the legend
    # reads the entity colours through `entity_style`.
    COMPONENT_CLASSES: ClassVar[set[str]] = set(VIEW_COMPONENTS)

    def __init__(
        self,
        articles: Sequence[Article],
        width: int,
        *,
        entities: Mapping[str, Sequence[Entity]],
        marks: Callable[[str], SpanMarks],
        labels: LabelSet | None = None,
        when_mounted: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self._when_mounted = when_mounted
        self._narrow = width < THREE_PANE_WIDTH
        self.articles = articles
        self.initial_entities = entities
        self.initial_marks = marks
        self.labels = labels
        self._resumed_before = False
        self._search_bar: SearchBar | None = None
        self._search_bar_mounted: AwaitMount | None = None

    def entity_style(self, label: str) -> Style:
        return self.get_component_rich_style(entity_component(label), partial=True)

    def compose(self) -> ComposeResult:
        # No search bar yet: it is added after the first frame (see _add_search_bar).
        for index in range(min(MAX_PANES, len(self.articles))):
            article = self.articles[index]
            pane = ArticlePane(
                self.articles,
                index,
                entities=self.initial_entities.get(article.id, ()),
                marks=self.initial_marks(article.id),
                labels=self.labels,
                id=f"pane-{index}",
            )
            pane.display = not (index == 2 and self._narrow)
            yield pane
        yield EntityLegend(id="legend")
        yield StatusLine(id="status")
        yield KeyBar(pinned=("app.help",), id="keys")

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Screen's own handler. On the first resume every widget was styled moments
        # ago as it mounted; Textual's full restyle would style them all (and each component
        # class) a second time before the first frame. Later resumes restyle as usual.
        if not self._resumed_before:
            self._resumed_before = True
            event.refresh_styles = False

    def on_mount(self) -> None:
        views = self.query(ArticleView)
        if views:
            views.first().focus()
        if self._when_mounted is not None:
            # Called, not a message: what it fills in (status, legend) is in the first frame.
            self._when_mounted()
        self.call_after_refresh(self._add_search_bar)

    def _add_search_bar(self) -> None:
        """Build the search bar (hidden until `/`), once. Not in the first frame: its module,
        its stylesheet, Textual's Input and its CSS, and five widgets to style were some 6 ms
        of start-up; after the first frame they are ready before anyone can press `/`."""
        if self._search_bar_mounted is not None or not self.is_attached:
            return  # built already, or the app quit at its first frame
        from reader.widgets.search_bar import SearchBar

        SearchBar.load_stylesheet(self.app.stylesheet)
        self._search_bar = SearchBar(id="search")
        # Placed first: Textual numbers the painting order of a screen's children from the
        # last one placed, so a bar shown or hidden after them renumbers every pane, and the
        # compositor then repaints them all (see styles/search.tcss for its own layer). Hidden,
        # it is not placed at all, so mounting it repaints nothing.
        # Not awaited here: this runs in the screen's own message loop, which the mount needs.
        self._search_bar_mounted = self.mount(self._search_bar, before=0)

    async def search_bar_ready(self) -> SearchBar:
        """The search bar, mounted now if `/` came before the first frame was out."""
        self._add_search_bar()
        assert self._search_bar is not None and self._search_bar_mounted is not None
        if not self._search_bar.is_mounted:
            # Only then: awaiting a mount refreshes the screen's layout, and so repaints all of
            # it, each time (a full frame at every `/`).
            await self._search_bar_mounted
        return self._search_bar

    def on_resize(self, event: events.Resize) -> None:
        self._fit_panes(event.size.width)

    class PanesShown(Message):
        """The third pane was hidden or shown again: what the legend lists may change."""

    def _fit_panes(self, width: int) -> None:
        # The third pane's display, not a class on the screen: a class toggled there restyles
        # every widget (some 8 ms of a resize across the width).
        if self._narrow == (width < THREE_PANE_WIDTH):
            return
        self._narrow = width < THREE_PANE_WIDTH
        for pane in self.query("#pane-2"):
            pane.display = not self._narrow
        self.post_message(self.PanesShown())
        focused = self.focused
        if focused is not None and not all(node.display for node in focused.ancestors_with_self):
            self.query(ArticleView).first().focus()

    @property
    def visible_views(self) -> list[ArticleView]:
        return [view for view in self.query(ArticleView) if view.display]

    @property
    def legend(self) -> EntityLegend:
        return self.query_one(EntityLegend)

    @property
    def search_bar(self) -> SearchBar | None:
        """The search bar, None until it is mounted (just after the first frame)."""
        bar = self._search_bar
        return bar if bar is not None and bar.is_mounted else None

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)
