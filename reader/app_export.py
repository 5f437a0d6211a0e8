"""The App's export (`E`): the dialog chooses the format, path and filters; the annotations are
written in a thread worker, and the result or the problem is told in a notification.

A mixin of `NewsReaderApp`, like reader.app_search. What goes in an export set and how each
format writes it are annotations.export's and annotations.formats'; the same set is built for
`reader export` (reader.export_command.build_export_set).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App

from annotations.entity_corrections import EntityCorrection
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.loader import ArticleShelf
from reader.entities import EntityCache

if TYPE_CHECKING:
    from reader.screens.export_screen import ExportRequest


class ExportFeatures(App[None]):
    """The export of NewsReaderApp, which sets these attributes."""

    articles: ArticleShelf
    store: AnnotationStore
    entity_cache: EntityCache
    export_directory: Path

    def action_export(self) -> None:
        from annotations.formats.filters import FilterIndex
        from annotations.store import ANNOTATIONS
        from reader.screens.export_screen import ExportScreen  # not needed for the first paint

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                # Read on the UI thread: the store has one user at a time.
                self._export(request, self.store.all(), self.store.entity_corrections())

        # What the dialog's filters offer and count, in one pass (no sort, unlike all()).
        records = FilterIndex.of(
            self.store.records(ANNOTATIONS).values(), self.store.entity_corrections()
        )
        self.push_screen(ExportScreen(self.export_directory, records), chosen)

    @work(thread=True, exclusive=True, group="export")
    def _export(
        self,
        request: ExportRequest,
        annotations: list[Annotation],
        corrections: list[EntityCorrection],
    ) -> None:
        from annotations.export import ExportError, export_to_path, verify_quotes
        from annotations.formats import FORMATS
        from reader.export_command import build_export_set

        chosen = request.filter  # filtered here, off the UI thread
        export = build_export_set(
            chosen.annotations(annotations),
            chosen.corrections(corrections),
            self.articles.read_so_far(),
            with_corrections=bool(corrections),
            entities=FORMATS[request.format].shows_entities,
            all_corrections=corrections,
            named=chosen.articles,
            cache=self.entity_cache,
        )
        texts = {sha: article.text for sha, article in export.articles.items()}
        problems = verify_quotes([*export.annotations, *export.corrections], texts)
        try:
            if request.path.parent == self.export_directory:
                # The proposed folder is made when first used, never at start-up.
                request.path.parent.mkdir(parents=True, exist_ok=True)
            count = export_to_path(export, request.format, request.path)
        except ExportError as error:
            self.call_from_thread(self.notify, str(error), title="Export failed", severity="error")
            return
        except OSError as error:
            message = f"cannot create {request.path.parent}: {error.strerror}"
            self.call_from_thread(self.notify, message, title="Export failed", severity="error")
            return
        note = f" ({len(problems)} quotes no longer match their article)" if problems else ""
        plural = "" if count == 1 else "s"
        fixed = len(export.corrections)
        fixes = f" (entity corrections among them: {fixed})" if fixed else ""
        self.call_from_thread(
            self.notify,
            f"Exported {count} record{plural} to {request.path}{fixes}{note}",
            title="Export",
        )
