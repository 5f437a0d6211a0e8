"""The App's comparison of annotators: whose tags are shown (`W`) and their disagreements (`D`).

A mixin of `NewsReaderApp`, like reader.app_entities. Which sentences two or more annotators
tagged differently is decided by annotations.agreement (the same units `reader agree` counts);
this only chooses whose annotations go in, moves the cursor and says what differs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding, BindingType

from annotations.store import AnnotationStore
from reader.annotator_view import AnnotatorView
from reader.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from annotations.agreement import Disagreement
    from reader.screens.reader_screen import ReaderScreen

AGREEMENT_BINDINGS: list[BindingType] = [
    Binding("W", "whose_tags", "Whose tags", show=False, id="annotation.whose"),
    Binding(
        "D", "disagreement(True)", "Next disagreement", show=False, id="annotation.disagreement"
    ),
    Binding(
        "ctrl+d",
        "disagreement(False)",
        "Previous disagreement",
        show=False,
        id="annotation.disagreement_back",
    ),
]


class AgreementFeatures(App[None]):
    """Set by NewsReaderApp: the store, who you are; it calls _show_tags on every view."""

    store: AnnotationStore
    annotator: str
    annotator_view: AnnotatorView
    reader_screen: ReaderScreen

    if TYPE_CHECKING:
        # Defined by NewsReaderApp; declared for the type checker only (see app_entities).
        def _focused_view(self) -> ArticleView | None: ...

        def _show_tags(self, view: ArticleView) -> None: ...

    def action_whose_tags(self) -> None:
        others = sorted(self.store.annotators() - {self.annotator})
        self.annotator_view = self.annotator_view.following(others)
        for view in self.reader_screen.query(ArticleView):
            self._show_tags(view)
        shown = self.annotator_view.describe(self.annotator)
        hint = "" if others else " (nobody else has annotated in this database)"
        self.notify(f"Showing {shown}{hint}", title="Whose tags", timeout=4)

    def action_disagreement(self, forward: bool) -> None:
        view = self._focused_view()
        if view is None:
            return
        found = self._disagreements(view)
        if not found:
            compared = self.annotator_view.annotators(self._annotators_on(view), self.annotator)
            if len(compared) < 2:
                why = "only one annotator has tagged this article"
                if self.annotator_view.other == "":
                    why = "only your tags are shown (W shows others')"
            else:
                why = f"{', '.join(compared)} agree on every sentence"
            self.notify(f"No disagreements here: {why}", title="Disagreements", timeout=4)
            return
        here = view.current_span
        at = here[0] if here is not None else -1
        if forward:
            ahead = [d for d in found if d.start > at]
            chosen = ahead[0] if ahead else found[0]
        else:
            behind = [d for d in found if d.start < at]
            chosen = behind[-1] if behind else found[-1]
        view.move_cursor_to(chosen.start)
        number = found.index(chosen) + 1
        who = " · ".join(
            f"{name if name != self.annotator else 'you'}: "
            f"{', '.join(sorted(labels)) if labels else 'no tag'}"
            for name, labels in sorted(
                chosen.labels.items(), key=lambda item: (item[0] != self.annotator, item[0])
            )
        )
        self.notify(f"{number} of {len(found)}: {who}", title="Disagreement", timeout=6)

    def _annotators_on(self, view: ArticleView) -> set[str]:
        article = view.article
        return {a.annotator for a in self.store.for_article(article.id, article.sha256)}

    def _disagreements(self, view: ArticleView) -> list[Disagreement]:
        from annotations.agreement import disagreements
        from annotations.model import TAGGING
        from corpus.segment import sentences_touching

        article = view.article
        annotations = self.store.for_article(article.id, article.sha256)
        compared = self.annotator_view.annotators(
            {a.annotator for a in annotations}, self.annotator
        )
        if len(compared) < 2:
            return []
        # Only sentences someone tagged can differ: those are segmented, not the whole text
        # (a third of a second at 5 MB).
        tagged = [(a.start, a.end) for a in annotations if a.motivation == TAGGING]
        sentences = sentences_touching(article.text, article.paragraphs, tagged)
        texts = {article.sha256: (article.id, article.text, sentences)}
        return disagreements(annotations, texts, compared)
