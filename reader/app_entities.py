"""The App's entity features: the index of who and what, highlights, mention tours, corrections.

A mixin of `NewsReaderApp`, kept apart so that the App module stays about reading and tagging.
What the model found (`self.entities`) is never changed: the corrections in the store are laid
over it each time it is shown (`corrected_entities`), and the index groups the corrected
mentions (corpus.entity_index). Rules about corrections live in annotations/ (EditSession,
annotations.entity_corrections); this only asks for them and shows the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding, BindingType

from annotations.editing import EditSession, Step
from annotations.entity_corrections import (
    EntityCorrection,
    apply_corrections,
    grouping_constraints,
)
from annotations.store import AnnotationStore
from corpus.loader import ArticleShelf
from corpus.model import Article
from reader.entities import LABEL_NAMES, Entity
from reader.entity_highlights import EntityHighlights
from reader.literal import display_text
from reader.widgets.article_pane import ArticlePane
from reader.widgets.article_view import ArticleView

if TYPE_CHECKING:
    from corpus.entity_index import EntityEntry, EntityIndex
    from reader.mention_tour import MentionTour
    from reader.screens.entity_index_screen import EntityChoice, EntityIndexScreen, EntityRow
    from reader.screens.reader_screen import ReaderScreen
    from reader.session_state import SessionState

# Bar columns in the index, one per article: beyond this many loaded articles, only the
# articles in the panes get a column (the total counts them all).
MAX_OUTLET_COLUMNS = 6

ENTITY_BINDINGS: list[BindingType] = [
    Binding("I", "entity_index", "Entities", id="entities.index"),
    Binding("i", "entity_here", "Entity here", show=False, id="entities.here"),
    Binding("full_stop", "mention_step(True)", "Next mention", show=False, id="entities.next"),
    Binding("comma", "mention_step(False)", "Previous mention", show=False, id="entities.prev"),
    Binding("H", "toggle_entities", "Hide entities", show=False, id="entities.hide"),
    Binding("T", "entity_types", "Entity types", show=False, id="entities.types"),
    Binding("number_sign", "correct_entity", "Correct entity", show=False, id="entities.fix"),
]


class EntityFeatures(App[None]):
    """The entity half of NewsReaderApp, which sets these attributes and defines the methods
    stubbed here (shared with the reading and tagging half)."""

    articles: ArticleShelf
    entities: dict[str, list[Entity]]
    reader_screen: ReaderScreen
    store: AnnotationStore
    editing: EditSession
    _highlights: EntityHighlights
    _tour: MentionTour | None
    _index: EntityIndex | None

    if TYPE_CHECKING:
        # Defined by NewsReaderApp and its other mixins. Declared for the type checker only: a
        # stub here would hide them from any mixin after this one in NewsReaderApp's order.
        def _edit(self, edit: Callable[[], Step | None]) -> Step | None: ...

        def _focused_view(self) -> ArticleView | None: ...

        def _view_showing(self, article_id: str) -> ArticleView | None: ...

        def _show_hits(self) -> None: ...

        def _save_session(self, *, closing: bool = True) -> None: ...

        def action_undo(self) -> None: ...

        def action_redo(self) -> None: ...

    def _init_entity_features(self, highlights: EntityHighlights | None = None) -> None:
        self._highlights = highlights or EntityHighlights()
        self._tour = None
        self._index = None

    # -- what the text shows -------------------------------------------------------------

    def _corrections(self) -> list[EntityCorrection]:
        return self.store.entity_corrections()

    def corrected_entities(self, article: Article) -> list[Entity]:
        """The model's entities of `article` with the store's corrections laid over them."""
        found = self.entities.get(article.id, [])
        corrections = self.store.entity_corrections(article.id, article.sha256)
        if not corrections:
            return found
        return [
            Entity(start, end, label)
            for start, end, label in apply_corrections(
                article.id, article.sha256, article.text, found, corrections
            )
        ]

    def shown_entities(self, article: Article) -> list[Entity]:
        """What a view draws of `article`: corrected, then filtered by the highlight choices."""
        return self._highlights.shown(article.id, self.corrected_entities(article))

    def _show_entities_in(self, view: ArticleView) -> None:
        view.set_entities(self.shown_entities(view.article))

    def _entities_changed(self) -> None:
        """Entities or corrections changed: every view, the legend, an open index."""
        self._index = None
        if self._highlights.only_entry is not None:
            entry = self.entity_index().by_key(self._highlights.only_entry)
            # An entry that no longer exists (merged away, say) leaves every entity shown.
            self._highlights = (
                self._highlights.only(entry.key, _spans_of(entry))
                if entry is not None
                else self._highlights.only(None)
            )
        for view in self.reader_screen.query(ArticleView):
            self._show_entities_in(view)
        self._show_entity_legend()
        self._refresh_entity_index_screen()

    def _show_entity_legend(self) -> None:
        shown = {view.article.id for view in self.reader_screen.visible_views}
        labels = {e.label for article_id in shown for e in self.entities.get(article_id, ())} | {
            c.label
            for c in self._corrections()
            if c.label and (c.article in shown or not c.article)
        }
        self.reader_screen.legend.show_labels(labels, hidden=self._hidden_labels())
        self.reader_screen.status.show_highlights(self._highlights.describe())

    def _hidden_labels(self) -> frozenset[str]:
        if self._highlights.all_hidden:
            return frozenset(LABEL_NAMES)
        return self._highlights.hidden_types

    # -- the index -------------------------------------------------------------------------

    def entity_index(self) -> EntityIndex:
        """Every entity of the loaded articles, variants grouped (built once per change)."""
        if self._index is None:
            # Imported here: grouping (rapidfuzz, anyascii) is not needed for the first frame.
            from corpus.entity_index import EntityIndex

            together, apart = grouping_constraints(self._corrections())
            self._index = EntityIndex.build(
                {
                    article.id: self.corrected_entities(article)
                    for article in self.articles.read_so_far()
                    if article.id in self.entities or self._has_corrections(article)
                },
                {article.id: article.text for article in self.articles.read_so_far()},
                together=together,
                apart=apart,
            )
        return self._index

    def _has_corrections(self, article: Article) -> bool:
        return bool(self.store.entity_corrections(article.id, article.sha256))

    def _outlet_articles(self) -> list[Article]:
        if len(self.articles) <= MAX_OUTLET_COLUMNS:
            return list(self.articles)
        return [view.article for view in self.reader_screen.visible_views]

    def _entity_rows(self) -> tuple[list[EntityRow], list[str]]:
        from reader.screens.entity_index_screen import EntityRow

        columns = self._outlet_articles()
        rows = []
        for entry in self.entity_index().entries:
            counts = entry.counts()
            rows.append(
                EntityRow(
                    key=entry.key,
                    name=entry.name,
                    label=entry.label,
                    variants=entry.variants,
                    counts=tuple(counts.get(article.id, 0) for article in columns),
                )
            )
        return rows, [_outlet_name(article) for article in columns]

    def action_entity_index(self, selected_key: str | None = None) -> None:
        """`I`: the entity index of the loaded articles."""
        from reader.screens.entity_index_screen import EntityIndexScreen

        rows, outlets = self._entity_rows()

        def chosen(choice: EntityChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "highlight":
                self._highlight_only(choice.key)
            else:
                self._start_tour(choice.key)

        screen = EntityIndexScreen(
            rows,
            outlets,
            selected_key=selected_key,
            highlighted_key=self._highlights.only_entry,
        )
        self.push_screen(screen, chosen)

    def _refresh_entity_index_screen(self) -> None:
        from reader.screens.entity_index_screen import EntityIndexScreen

        # screen_stack, not screen: results may arrive from a worker as the app closes.
        top = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(top, EntityIndexScreen):
            rows, _ = self._entity_rows()
            top.update_rows(rows)

    def _entity_at_caret(self, view: ArticleView) -> tuple[Entity | None, tuple[int, int]]:
        """The entity the caret is in (as the text shows it, corrections applied), and the
        span a correction would act on: the selection, else that entity."""
        caret = view.document.caret
        shown = self.corrected_entities(view.article)
        here = next((e for e in shown if e.start <= caret < e.end), None)
        selection = view.document.selection
        if selection is not None:
            exact = next((e for e in shown if (e.start, e.end) == selection), None)
            return exact, selection
        return here, ((here.start, here.end) if here is not None else (caret, caret))

    def action_entity_here(self) -> None:
        """`i`: open the index on the entity under the caret."""
        view = self._focused_view()
        if view is None:
            return
        entity, _ = self._entity_at_caret(view)
        if entity is None:
            self.notify("No entity under the caret: I lists them all.", timeout=3)
            return
        entry = self.entity_index().entry_at(view.article.id, entity.start)
        self.action_entity_index(entry.key if entry is not None else None)

    # -- tours -----------------------------------------------------------------------------

    def _start_tour(self, key: str) -> None:
        from reader.mention_tour import MentionTour  # not needed for the first frame

        entry = self.entity_index().by_key(key)
        if entry is None:
            return
        self._tour = MentionTour.of(entry.key, entry.name, _spans_of(entry), self.articles.ids())
        self.action_mention_step(True)

    def action_mention_step(self, forward: bool) -> None:
        """`.` and `,`: the next or previous mention of the entity being toured."""
        tour = self._tour
        if tour is None:
            self.notify("No entity chosen: I lists them, Enter steps through one.", timeout=3)
            return
        view = self._focused_view()
        article = view.article.id if view is not None else None
        offset = view.document.caret if view is not None else -1
        current = tour.current
        on_current = (
            view is not None
            and current is not None
            and current[0] == article
            and current[1][0] <= view.document.caret < current[1][1]
        )
        if on_current and current is not None:
            # From the mention last shown (the caret sits inside it, at its end).
            offset = current[1][0]
        found = tour.step(article, offset, forward=forward)
        if found is None:
            self.notify(f"{tour.name}: no mentions in the loaded articles.", timeout=3)
            return
        self._go_to_mention(*found)

    def _go_to_mention(self, article_id: str, span: tuple[int, int]) -> None:
        view = self._view_showing(article_id)
        if view is None:
            view = self._focused_view()
            if not isinstance(view, ArticlePane):
                return
            index = self.articles.index_of(article_id)
            if index is None:
                return
            view.show_index(index)
            # The pane's ArticleShown gives the view its entities and marks first.
            self.call_after_refresh(self._select_mention, view, span)
        else:
            self._select_mention(view, span)
        view.focus()

    def _select_mention(self, view: ArticleView, span: tuple[int, int]) -> None:
        view.select_span(span)
        self._show_hits()
        tour = self._tour
        if tour is not None:
            titles = {a.id: _outlet_name(a) for a in self.articles.read_so_far()}
            self.reader_screen.status.show_tour(display_text(tour.summary(titles)))

    def tour_hits(self, article_id: str) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
        """The toured entity's mentions in one article (marked like search hits), and the
        current one if it is there."""
        tour = self._tour
        if tour is None:
            return [], None
        current = tour.current
        here = current[1] if current is not None and current[0] == article_id else None
        return list(tour.mentions.get(article_id, [])), here

    def end_tour(self) -> bool:
        if self._tour is None:
            return False
        self._tour = None
        self.reader_screen.status.show_tour("")
        self._show_hits()
        return True

    # -- highlights ------------------------------------------------------------------------

    def _set_highlights(self, highlights: EntityHighlights) -> None:
        self._highlights = highlights
        for view in self.reader_screen.query(ArticleView):
            self._show_entities_in(view)
        self._show_entity_legend()
        self._save_session(closing=False)

    def _highlight_only(self, key: str) -> None:
        entry = self.entity_index().by_key(key)
        if entry is None:
            return
        self._set_highlights(self._highlights.only(key, _spans_of(entry)))
        self.notify(f"Only {display_text(entry.name)} is highlighted: H shows every entity.")

    def action_toggle_entities(self) -> None:
        """`H`: hide every highlight, or show them again (also ends a one-entity highlight)."""
        if self._highlights.only_entry is not None:
            self._set_highlights(self._highlights.only(None))
        else:
            self._set_highlights(self._highlights.toggled_all())

    def action_entity_types(self) -> None:
        """`T`: turn entity types on and off."""
        from reader.screens.entity_types_screen import EntityTypesScreen

        counts: dict[str, int] = {}
        for view in self.reader_screen.visible_views:
            for entity in self.corrected_entities(view.article):
                counts[entity.label] = counts.get(entity.label, 0) + 1
        types = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))

        def chosen(hidden: frozenset[str] | None) -> None:
            if hidden is not None:
                self._set_highlights(self._highlights.with_hidden_types(hidden))

        self.push_screen(EntityTypesScreen(types, self._highlights.hidden_types), chosen)

    # -- corrections -----------------------------------------------------------------------

    def action_correct_entity(self) -> None:
        """`#`: the entity under the caret (or the selection) is not one, has another type,
        or is one the model missed."""
        from reader.screens.label_picker import LabelPicker

        view = self._focused_view()
        if view is None:
            return
        entity, span = self._entity_at_caret(view)
        if span[0] >= span[1]:
            self.notify("Put the caret on an entity, or select a passage to add one.", timeout=4)
            return
        article = view.article
        quote = display_text(article.text[span[0] : span[1]])
        if len(quote) > 40:
            quote = quote[:39] + "…"
        choices: list[tuple[str, str | None, str]] = []
        if entity is not None:
            choices.append(("not an entity", "n", "the model was wrong: no entity here"))
        choices += [
            (LABEL_NAMES[label], None, label)
            for label in LABEL_NAMES
            if entity is None or label != entity.label
        ]
        title = (
            f"“{quote}” ({LABEL_NAMES.get(entity.label, entity.label)}) is"
            if entity is not None
            else f"Add “{quote}” as"
        )
        names = {LABEL_NAMES[label]: label for label in LABEL_NAMES}

        def chosen(name: str | None) -> None:
            if name is None:
                return
            if name == "not an entity":
                self._edit(lambda: self.editing.reject_entity(article, span))
            elif entity is None:
                self._edit(lambda: self.editing.add_entity(article, span, names[name]))
            else:
                self._edit(lambda: self.editing.retype_entity(article, span, names[name]))

        self.push_screen(LabelPicker(title, choices), chosen)

    @staticmethod
    def step_touches_entities(step: Step | None) -> bool:
        return step is None or any(
            isinstance(change.record, EntityCorrection) for change in step.changes
        )

    def on_entity_index_screen_merge_requested(
        self, message: EntityIndexScreen.MergeRequested
    ) -> None:
        index = self.entity_index()
        entry, into = index.by_key(message.key), index.by_key(message.into_key)
        if entry is None or into is None or entry.key == into.key:
            return
        from corpus.entity_index import variant_key

        a, b = variant_key(entry.name), variant_key(into.name)
        self._edit(lambda: self.editing.merge_entities(a, b))

    def on_entity_index_screen_undo_requested(
        self, message: EntityIndexScreen.UndoRequested
    ) -> None:
        # The step's redraw (_refresh_views -> _entities_changed) refreshes the open index.
        if message.redo:
            self.action_redo()
        else:
            self.action_undo()

    def on_entity_index_screen_split_requested(
        self, message: EntityIndexScreen.SplitRequested
    ) -> None:
        entry = self.entity_index().by_key(message.key)
        if entry is None:
            return
        from corpus.entity_index import variant_key

        variant = variant_key(message.variant)
        others = [v for v in (variant_key(v) for v in entry.variants) if v != variant]
        if not others:
            self.notify("That entry has one name only: nothing to split.", timeout=3)
            return
        # Apart from the name the entry is known by (or, if that is the one split off, the
        # next most frequent).
        partner = variant_key(entry.name)
        partner = partner if partner != variant else others[0]
        self._edit(lambda: self.editing.split_entities(variant, partner))


def highlights_of(state: SessionState) -> EntityHighlights:
    """The highlight choices a saved session made (one entry's spans are found later)."""
    return EntityHighlights(
        hidden_types=frozenset(state.hidden_entity_types),
        all_hidden=state.entities_hidden,
        only_entry=state.highlighted_entity,
    )


def _spans_of(entry: EntityEntry) -> list[tuple[str, int, int]]:
    return [(m.article, m.start, m.end) for m in entry.mentions]


def _outlet_name(article: Article) -> str:
    return article.outlet or article.title or article.id


__all__: Sequence[str] = ["ENTITY_BINDINGS", "EntityFeatures", "highlights_of"]
