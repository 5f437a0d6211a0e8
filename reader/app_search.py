"""The App's search: `/` searches the open articles as you type, n/N step through the hits
across panes, Enter makes one the selection, `*` tags them all as one step.

A mixin of `NewsReaderApp`, like reader.app_entities. Finding the hits is corpus.search; the bar
only collects the query (reader.widgets.search_bar) and the views mark what they are given
(ArticleView.set_search). The search's hits and an entity's mention tour share the views' marks:
with no search, the tour's are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import App

from annotations.editing import EditSession, Step
from annotations.labels import LabelSet
from reader.document import Span
from reader.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from corpus.search import SearchResults
    from reader.screens.reader_screen import ReaderScreen
    from reader.widgets.search_bar import SearchBar


class SearchFeatures(App[None]):
    """The search of NewsReaderApp, which sets these attributes."""

    reader_screen: ReaderScreen
    editing: EditSession
    labels: LabelSet

    if TYPE_CHECKING:
        # Defined by NewsReaderApp and EntityFeatures. Declared for the type checker only: a
        # stub here would come first in NewsReaderApp's method order and hide them.
        def _edit(self, edit: Callable[[], Step | None]) -> Step | None: ...

        def _focused_view(self) -> ArticleView | None: ...

        def tour_hits(self, article_id: str) -> tuple[list[Span], Span | None]: ...

        def end_tour(self) -> bool: ...

    def _init_search(self) -> None:
        self._search: SearchResults | None = None
        self._current_hit: tuple[str, Span] | None = None
        self._search_origin: ArticleView | None = None

    @on(ArticleView.SearchRequested)
    async def _open_search(self, message: ArticleView.SearchRequested) -> None:
        self._search_origin = message.view
        self.end_tour()  # one set of marked hits at a time
        bar = await self.reader_screen.search_bar_ready()
        bar.open(self._search.query if self._search else "")

    # The bar's messages are handled by name (on_search_bar_…), not with @on(SearchBar.…):
    # that would import the bar with the app, and it is built after the first frame.

    def on_search_bar_changed(self, message: SearchBar.Changed) -> None:
        """As you type: every hit in every open article marked, the first after the cursor
        brought into view."""
        from corpus.search import SearchResults  # not needed for the first frame

        views = self.reader_screen.visible_views
        texts = {view.article.id: view.article.text for view in views}
        results = SearchResults(message.query, message.whole_words, list(texts.items()))
        # Hits in folded chrome are not on screen: they are not hits until it is shown.
        for view in views:
            hits = results.hits.get(view.article.id, [])
            results.hits[view.article.id] = [h for h in hits if view.can_select(h)]
        self._search = results
        origin = self._search_origin or self._focused_view()
        found = None
        if origin is not None and message.query.strip():
            found = results.next_hit(
                origin.article.id,
                origin.document.caret - 1,
                forward=True,
                order=[view.article.id for view in views],
            )
        self._current_hit = found
        self._show_hits()
        shown_in = self._view_showing(found[0]) if found is not None else None
        if found is not None and shown_in is not None:
            shown_in.scroll_to_passage(found[1])

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        """Enter: the bar closes and the current hit becomes the selection."""
        self._close_search_bar()
        found = self._current_hit
        if found is None:
            view = self._search_origin or self._focused_view()
            if view is not None:
                view.focus()
            return
        self._go_to_hit(found)

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        self._close_search_bar()
        self._search = None
        self._current_hit = None
        self._show_hits()
        view = self._search_origin or self._focused_view()
        if view is not None:
            view.focus()

    @on(ArticleView.SearchStepRequested)
    def _search_step(self, message: ArticleView.SearchStepRequested) -> None:
        results = self._search
        if results is None or not results.total:
            self.notify("No search hits: / searches the open articles.", timeout=3)
            return
        view = message.view
        document = view.document
        offset = document.caret if document.anchor is None else min(document.anchor, document.caret)
        found = results.next_hit(
            view.article.id,
            offset,
            forward=message.forward,
            order=[v.article.id for v in self.reader_screen.visible_views],
        )
        if found is not None:
            self._go_to_hit(found)

    @on(ArticleView.TagHitsRequested)
    def _tag_hits(self, message: ArticleView.TagHitsRequested) -> None:
        from reader.screens.label_picker import LabelPicker  # not needed for the first paint

        results = self._search
        if results is None or not results.total:
            self.notify("No search hits to tag: / searches the open articles.", timeout=3)
            return
        passages = [
            (view.article, hit)
            for view in self.reader_screen.visible_views
            for hit in results.hits.get(view.article.id, [])
        ]
        passages = list({(a.id, h): (a, h) for a, h in passages}.values())

        def chosen(label: str | None) -> None:
            if label is not None:
                self._edit(lambda: self.editing.tag_many(passages, label))

        articles = len({article.id for article, _ in passages})
        title = f"Tag all {len(passages)} hits of “{results.query}” in {articles} article(s) as"
        choices = [(label.name, label.key, label.description) for label in self.labels]
        self.push_screen(LabelPicker(title, choices), chosen)

    def _go_to_hit(self, found: tuple[str, Span]) -> None:
        article_id, span = found
        view = self._view_showing(article_id)
        if view is None:
            return
        self._current_hit = found
        view.focus()
        view.select_span(span)
        self._show_hits()

    def _show_hits(self) -> None:
        results = self._search
        current = self._current_hit
        for view in self.reader_screen.visible_views:
            if results is None:
                # No search: the mentions of the entity being stepped through, if any.
                hits, here = self.tour_hits(view.article.id)
                view.set_search(hits, here)
                continue
            hits = results.hits.get(view.article.id, [])
            here = current[1] if current is not None and current[0] == view.article.id else None
            view.set_search(hits, here)
        bar = self.reader_screen.search_bar
        if bar is not None:
            bar.show_count(results.summary(current) if results is not None else "")

    def _close_search_bar(self) -> None:
        bar = self.reader_screen.search_bar
        if bar is not None:
            bar.close()

    def _view_showing(self, article_id: str) -> ArticleView | None:
        return next(
            (v for v in self.reader_screen.visible_views if v.article.id == article_id), None
        )
