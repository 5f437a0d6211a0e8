"""The App's annotations panel (`A`): every annotation of the loaded articles, filtered as you
type; Enter jumps to one, opening its article in a pane if needed; relabel, delete and notes
from the list, each an undoable step.

A mixin of `NewsReaderApp`, like reader.app_search. The rules of each edit are
annotations.editing's (EditSession); the panel (reader.screens.annotations_screen) only shows
rows and posts what the user asked for, handled here by name: the panel's module is imported
when it first opens, not with the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App

from annotations.editing import EditSession, Step
from annotations.labels import LabelSet
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.loader import ArticleShelf
from corpus.model import Article
from reader.widgets.article_pane import ArticlePane
from reader.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from reader.screens.annotations_screen import AnnotationRow, AnnotationsScreen
    from reader.screens.reader_screen import ReaderScreen


class AnnotationsPanelFeatures(App[None]):
    """The annotations panel of NewsReaderApp, which sets these attributes."""

    articles: ArticleShelf
    store: AnnotationStore
    editing: EditSession
    annotator: str
    labels: LabelSet
    reader_screen: ReaderScreen

    if TYPE_CHECKING:
        # Defined by NewsReaderApp and SearchFeatures. Declared for the type checker only: a
        # stub here would come first in NewsReaderApp's method order and hide them.
        def _edit(self, edit: Callable[[], Step | None]) -> Step | None: ...

        def _focused_view(self) -> ArticleView | None: ...

        def _view_showing(self, article_id: str) -> ArticleView | None: ...

        def action_undo(self) -> None: ...

        def action_redo(self) -> None: ...

    def action_annotations(self) -> None:
        """`A`: every annotation of the loaded articles, the focused pane's first."""
        from reader.screens.annotations_screen import AnnotationJump, AnnotationsScreen

        focused = self.focused
        view = focused if isinstance(focused, ArticleView) else None

        def chosen(jump: AnnotationJump | None) -> None:
            if jump is not None:
                self.jump_to_annotation(jump.annotation_id)

        screen = AnnotationsScreen(
            self._annotation_rows(),
            focused_article=view.article.id if view is not None else None,
            annotator=self.annotator,
            labels=[(label.name, label.key, label.description) for label in self.labels],
        )
        self.push_screen(screen, chosen)

    def _article_of(self, annotation: Annotation) -> Article | None:
        """The loaded article an annotation belongs to: by text (a moved or copied file keeps
        its annotations), else by id (an orphan, or a text not re-anchored yet)."""
        if annotation.anchor != "orphan":
            # Among the articles read so far: a folder's others are not read to look.
            for article in self.articles.read_so_far():
                if article.sha256 == annotation.article_sha256:
                    return article
        return self.articles.by_id(annotation.article)

    def _annotation_rows(self) -> list[AnnotationRow]:
        """One row per annotation of a loaded article (orphans too), in article order."""
        from reader.screens.annotations_screen import AnnotationRow

        order = {article_id: index for index, article_id in enumerate(self.articles.ids())}
        shown = {view.article.id for view in self.reader_screen.visible_views}
        rows: list[tuple[int, AnnotationRow]] = []
        for annotation in self.store.all():
            article = self._article_of(annotation)
            if article is None:
                continue
            title = article.title or "(untitled)"
            row = AnnotationRow(annotation, title, article.id in shown, article.id)
            rows.append((order[article.id], row))
        rows.sort(key=lambda pair: (pair[0], pair[1].annotation.start, pair[1].annotation.end))
        return [row for _, row in rows]

    def jump_to_annotation(self, annotation_id: str) -> None:
        """Show an annotation: in the pane showing its article, else in the focused pane."""
        annotation = self.store.annotation(annotation_id)
        article = self._article_of(annotation) if annotation is not None else None
        if annotation is None or article is None:
            self.notify("That annotation is no longer stored.", timeout=3)
            return
        view = self._view_showing(article.id)
        if view is None:
            view = self._focused_view()
            if not isinstance(view, ArticlePane):
                return
            view.show_index(self.articles.index_of(article.id) or 0)
            # The pane's ArticleShown re-anchors the article and gives the view its marks;
            # the annotation is shown once that is done (where re-anchoring found it).
            self.call_after_refresh(self._show_annotation_in, view, annotation_id)
        else:
            self._show_annotation_in(view, annotation_id)
        view.focus()

    def _show_annotation_in(self, view: ArticleView, annotation_id: str) -> None:
        annotation = self.store.annotation(annotation_id)
        if annotation is None:
            return
        if annotation.anchor == "orphan":
            self.notify(
                "That annotation was not found in the article's current text: "
                "O lists orphans, to re-attach or delete.",
                timeout=5,
            )
            return
        view.show_annotation(annotation.id, annotation.start)

    def _refresh_panel(self) -> None:
        """The panel's rows again after an edit (it keeps its filter and cursor)."""
        from reader.screens.annotations_screen import AnnotationsScreen

        if isinstance(self.screen, AnnotationsScreen):
            self.screen.update_rows(self._annotation_rows())

    def _panel_edit(self, edit: Callable[[], Step | None]) -> None:
        self._edit(edit)
        self._refresh_panel()

    # Handlers by name: the panel's module is imported only when the panel first opens.
    def on_annotations_screen_relabel_requested(
        self, message: AnnotationsScreen.RelabelRequested
    ) -> None:
        self._panel_edit(lambda: self.editing.relabel(message.annotation_id, message.label))

    def on_annotations_screen_delete_requested(
        self, message: AnnotationsScreen.DeleteRequested
    ) -> None:
        self._panel_edit(lambda: self.editing.delete(message.annotation_id))

    def on_annotations_screen_undo_requested(
        self, message: AnnotationsScreen.UndoRequested
    ) -> None:
        if message.redo:
            self.action_redo()
        else:
            self.action_undo()
        self._refresh_panel()

    def on_annotations_screen_note_edit_requested(
        self, message: AnnotationsScreen.NoteEditRequested
    ) -> None:
        """A note's text, or (for a label) your note on the label's passage."""
        from reader.screens.note_screen import NoteScreen

        annotation = self.store.annotation(message.annotation_id)
        article = self._article_of(annotation) if annotation is not None else None
        if annotation is None or article is None:
            self.notify("That annotation is no longer stored.", timeout=3)
            return
        if annotation.annotator != self.annotator:
            owner = annotation.annotator
            self.notify(f"That is {owner}'s annotation: you can change only your own.", timeout=4)
            return
        if annotation.article_sha256 != article.sha256 or annotation.anchor == "orphan":
            self.notify("Not found in the article's current text: O re-attaches it first.")
            return
        span = annotation.span
        existing = annotation if annotation.is_note else self.editing.note_on(article, span)
        on_passage = self.store.for_article(article.id, article.sha256)
        labels = tuple(dict.fromkeys(a.label for a in on_passage if a.is_tag and a.span == span))

        def edited(note: str | None) -> None:
            if note is None:
                return
            if annotation.is_note:
                self._panel_edit(lambda: self.editing.edit_note(annotation.id, note))
            else:
                self._panel_edit(lambda: self.editing.set_note(article, span, note))

        note = existing.note if existing is not None else ""
        self.push_screen(NoteScreen(annotation.quote, labels, note), edited)
