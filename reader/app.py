"""The App: owns the annotation store, the editing session and the entity results.

Widgets post messages up (`TagToggleRequested`, `NoteRequested`, `CursorMoved`,
`ArticleShown`); this class decides what to persist and calls down to the views. Slow work
(spaCy, export) runs in thread workers that post messages back; nothing here touches widgets
from a thread.

Reading and tagging are here; the rest is in mixins, one module each: where the reader was
(reader.app_session), the annotations panel (reader.app_annotations_panel), export
(reader.app_export), search (reader.app_search), entities (reader.app_entities) and the
comparison of annotators (reader.app_agreement).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path, PurePath
from typing import ClassVar

from rich.console import RenderableType
from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen

from annotations.editing import EditRefused, EditSession, Passage, Step
from annotations.labels import DEFAULT_LABELS, LabelSet
from annotations.reanchor import reanchor_article
from annotations.store import AnnotationStore, StoreError
from corpus.loader import ArticleShelf
from corpus.model import Article
from reader import input_clock, locations
from reader.annotator_view import AnnotatorView
from reader.app_agreement import AGREEMENT_BINDINGS, AgreementFeatures
from reader.app_annotations_panel import AnnotationsPanelFeatures
from reader.app_entities import ENTITY_BINDINGS, EntityFeatures, highlights_of
from reader.app_export import ExportFeatures
from reader.app_search import SearchFeatures
from reader.app_session import SessionFeatures
from reader.css_cache import CachedStylesheet
from reader.document import SpanMarks
from reader.entities import (
    INSTALL_HINT,
    Entity,
    EntityCache,
    EntityProcess,
    ModelIdentity,
    ModelMissingError,
    model_identity,
)
from reader.literal import display_text
from reader.screens.reader_screen import MAX_PANES, ReaderScreen
from reader.startup import collect_between_frames, collection_due, release_heap, settle_heap
from reader.widgets.article_pane import ArticlePane, shown_title
from reader.widgets.article_view import ArticleView
from styles import STYLES_DIR


class EntitiesFound(Message):
    """Entities for one article arrived from the spaCy process (posted from a worker thread)."""

    def __init__(self, article_id: str, entities: list[Entity]) -> None:
        super().__init__()
        self.article_id = article_id
        self.entities = entities


# While a long article is parsed, its entities so far reach the views at most this often.
PARTIAL_SECONDS = 0.5
# About a screenful of text: the span around the cursor that the spaCy child parses first.
SCREEN_CHARS = 8_000


class EntityStatus(Message):
    """The entity worker's state changed: a line for the legend or status line."""

    def __init__(self, text: str, *, busy: bool, problem: bool = False) -> None:
        super().__init__()
        self.text = text
        self.busy = busy
        self.problem = problem


def binding_commands() -> type[Provider]:
    """The palette's provider of every action a key does (imported on first use: start-up)."""
    from reader.commands import BindingCommands

    return BindingCommands


# How often an idle app looks for changes saved by other processes (one stat call when none).
POLL_SECONDS = 2.0


class NewsReaderApp(
    SessionFeatures,
    AnnotationsPanelFeatures,
    ExportFeatures,
    SearchFeatures,
    EntityFeatures,
    AgreementFeatures,
):
    """Side-by-side reading, entity highlights, claim/opinion/unverified tagging, export."""

    TITLE = "News Reader"
    # styles/search.tcss is read when the search bar is first mounted (SearchBar.load_stylesheet).
    CSS_PATH: ClassVar[list[str | PurePath]] = [STYLES_DIR / "reader.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("ctrl+z", "undo", "Undo", id="app.undo"),
        Binding("ctrl+y,ctrl+shift+z", "redo", "Redo", show=False, id="app.redo"),
        Binding("O", "orphans", "Orphans", show=False, id="app.orphans"),
        Binding("A", "annotations", "Annotations", id="app.annotations"),
        Binding("E", "export", "Export", id="app.export"),
        *ENTITY_BINDINGS,
        *AGREEMENT_BINDINGS,
    ]
    # Every action a key does is in the palette too, by name; loaded when the palette opens.
    COMMANDS = App.COMMANDS | {binding_commands}

    def __init__(
        self,
        articles: Sequence[Article],
        store: AnnotationStore,
        *,
        annotator: str,
        entity_cache: EntityCache,
        export_directory: Path | None = None,
        startup_messages: Sequence[str] = (),
        labels: LabelSet | None = None,
        state_path: Path | None = None,
        css_cache: Path | None = None,
    ) -> None:
        super().__init__()
        self._init_session(state_path)  # its theme, before the stylesheet below is made
        if css_cache is not None:
            # Parsed stylesheets read back from the last run (reader.css_cache). Replaced before
            # any source is added: Textual adds them as the app starts running. With the
            # variables Textual's own was made with (building them again costs 0.5 ms): a theme
            # set above reaches it as any theme change does, through Textual's refresh_css.
            self.stylesheet = CachedStylesheet(variables=self.theme_variables, cache_path=css_cache)
        if not articles:
            raise ValueError("the reader needs at least one article")
        # A shelf reads each file when first needed: a folder of thousands opens at once.
        self.articles = ArticleShelf.of(articles)
        self.store = store
        self.annotator = annotator
        self.annotator_view = AnnotatorView()  # everyone's tags until W chooses
        self.entity_cache = entity_cache
        self.export_directory = export_directory or locations.export_directory()
        self.startup_messages = list(startup_messages)
        self.editing = EditSession(store, annotator)
        # The configured labels, plus any the database holds that the configuration lacks (from
        # another tool or an older configuration): those are shown and exported too.
        configured = labels if labels is not None else LabelSet(DEFAULT_LABELS)
        self.labels = configured.with_names(store.label_counts())
        self.entities: dict[str, list[Entity]] = {}
        self._init_entity_features()
        self._entity_process: EntityProcess | None = None
        self._init_search()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Literal by default: notifications carry article text, file paths and error messages,
        and a "[/]" in any of them would crash Textual's markup parser; an escape sequence in
        them is shown as control pictures, never sent to the terminal."""
        super().notify(
            display_text(message),
            title=display_text(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def export_screenshot(self, *, title: str | None = None, simplify: bool = False) -> str:
        """Textual's SVG screenshot (also what `save_screenshot` and the palette's "Save
        screenshot" write), marked to keep its spaces: Rich writes each run of text as it is
        drawn, a space after an entity name starting the next run, and librsvg (GNOME's image
        viewer, rsvg-convert) drops the spaces that start a run unless told to preserve them,
        so "Putin sought" showed as "Putinsought"."""
        svg = super().export_screenshot(title=title, simplify=simplify)
        return svg.replace("<svg ", '<svg xml:space="preserve" ', 1)

    # -- start-up ----------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Background work waits while the user is pressing keys (see reader.input_clock).
        if isinstance(event, (events.InputEvent, events.Resize)):
            input_clock.note_input()
        await super().on_event(event)

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        super()._display(screen, renderable)
        # The collection the last key's work made due, once its frame is out (see
        # reader.startup.collect_between_frames); a key already waiting goes first.
        if renderable is not None and collection_due():
            self.call_later(collect_between_frames)

    def get_default_screen(self) -> Screen[None]:
        # The reader screen is the app's first screen, not pushed over Textual's blank default
        # one: no second screen to compose, style, mount and lay out before the first frame
        # (some 3 ms in-process; at the terminal the same as pushing it, within noise, but
        # the first frame now comes bracketed by synchronized output, drawn at once).
        # Everything the first frame shows is ready before it is built: cached entities (a
        # small file read each, no spaCy) and saved tags go in with the views. Only for the
        # articles on screen: the others are read after the first frame.
        shown = self.articles[:MAX_PANES]
        found_again = self._reanchor(shown)
        identity = model_identity()
        missing: list[Article] = []
        if identity is not None:
            for article in shown:
                cached = self.entity_cache.get(article.sha256, identity)
                if cached is None:
                    missing.append(article)
                else:
                    self.entities[article.id] = cached
        if self._saved_state is not None:
            self._highlights = highlights_of(self._saved_state)
        self.reader_screen = ReaderScreen(
            self.articles,
            self.size.width,
            entities={article.id: self.shown_entities(article) for article in shown},
            marks=self._marks_for,
            labels=self.labels,
            when_mounted=partial(self._reader_screen_mounted, found_again, identity, missing),
        )
        return self.reader_screen

    def _reader_screen_mounted(
        self, found_again: list[str], identity: ModelIdentity | None, missing: list[Article]
    ) -> None:
        """The screen's widgets are mounted, not yet drawn: what the first frame shows besides
        the panes (status, legend), and what starts after it. The arguments are what building
        the screen found: notices of re-anchored annotations, the entity model, and the
        articles on screen with no cached entities."""
        screen = self.reader_screen
        # The first frame is drawn by the refresh that follows: only then is the collector,
        # paused by the launcher to speed up start-up, turned back on (see settle_heap).
        self.call_after_refresh(settle_heap)
        self.call_after_refresh(self._save_parsed_css)
        shown = self.articles[:MAX_PANES]
        screen.status.show_database(self.store.path, read_only=self.store.read_only_reason)
        screen.status.show_annotator(self.annotator)
        if identity is None:
            message = f"Entities off, {INSTALL_HINT} (the spaCy model is not installed)"
            screen.legend.show_message(message)
            self.notify(message, title="No entity model", severity="warning", timeout=10)
        elif missing or len(self.articles) > len(shown):
            screen.status.show_entity_state("finding entities…", busy=True)
            # The other articles' cached entities are read, and spaCy started for any that
            # have none, only after the text is on screen: neither may delay first paint.
            self.call_after_refresh(
                self._read_cached_entities, range(len(shown), len(self.articles)), missing, identity
            )
        else:
            screen.status.show_entity_state(f"entities: {identity.label}")
        self._show_entity_legend()
        self._update_status()
        for message in self.startup_messages:
            self.notify(message, severity="warning", timeout=10)
        for notice in self.store.notices:
            self.notify(notice, title="Annotation database", severity="warning", timeout=10)
        for message in found_again:
            self.notify(message, title="Article changed", timeout=10)
        self.set_interval(POLL_SECONDS, self._take_in_other_changes)
        self._restore_session()

    @work(thread=True, exclusive=True, group="entity-cache", exit_on_error=False)
    def _read_cached_entities(
        self, indexes: range, missing: list[Article], identity: ModelIdentity
    ) -> None:
        """Thread worker: the cached entities of the articles not on screen at start (each
        file read here, off the UI thread); then spaCy for every article with none."""
        missing = list(missing)
        for index in indexes:
            article = self.articles[index]
            cached = self.entity_cache.get(article.sha256, identity)
            if cached is None:
                missing.append(article)
            else:
                self.post_message(EntitiesFound(article.id, cached))
        if missing:
            self.call_from_thread(self._start_entity_worker, missing, identity)
        else:
            self.post_message(EntityStatus(f"entities: {identity.label}", busy=False))

    def _marks_for(self, article_id: str) -> SpanMarks:
        """Labels and notes per sentence span, from one read of the article's annotations.

        By text, not only by id: a moved or copied file shows the annotations made on it.
        """
        article = self.articles.by_id(article_id)
        if article is None:
            return SpanMarks()
        annotations = self.store.for_article(article.id, article.sha256)
        shown = self.annotator_view.shown(annotations, self.annotator)
        return SpanMarks.of(shown, (), self.annotator)

    def _reanchor(self, articles: Sequence[Article]) -> list[str]:
        """Find again the annotations of articles whose text changed; what to tell the user."""
        messages: list[str] = []
        for article in articles:
            try:
                report = reanchor_article(self.store, article)
            except StoreError as error:
                messages.append(f"{shown_title(article)}: annotations not re-anchored: {error}")
                continue
            if report.changed:
                orphans = " (O lists orphans)" if report.counts["orphan"] else ""
                unsaved = "" if report.saved else " (read-only database: not saved)"
                messages.append(f"{shown_title(article)}: {report.summary()}{orphans}{unsaved}")
        return messages

    def _set_entities(self, article_id: str, entities: list[Entity]) -> None:
        self.entities[article_id] = entities
        self._index = None  # grouped again when next asked for
        for view in self.reader_screen.query(ArticleView):
            if view.article.id == article_id:
                self._show_entities_in(view)
        self._refresh_entity_index_screen()

    def _start_entity_worker(self, articles: list[Article], identity: ModelIdentity) -> None:
        # The child is started here, on the UI thread, which alone owns _entity_process (quitting
        # kills it); the worker thread only talks to it.
        try:
            self._entity_process = EntityProcess()
        except OSError as error:
            self.post_message(
                EntityStatus(f"entities unavailable: {error}", busy=False, problem=True)
            )
            return
        # The articles on screen first, and in each the part around the cursor (on screen).
        first: dict[str, tuple[int, int]] = {}
        for view in self.reader_screen.visible_views:
            cursor = view.current_span
            if cursor is not None and view.article.id not in first:
                start = max(0, cursor[0] - SCREEN_CHARS // 4)
                first[view.article.id] = (start, start + SCREEN_CHARS)
        articles = sorted(articles, key=lambda article: article.id not in first)
        self._find_entities(self._entity_process, articles, identity, first)

    # exit_on_error=False: whatever goes wrong in here, reading and tagging go on.
    @work(thread=True, exclusive=True, group="entities", exit_on_error=False)
    def _find_entities(
        self,
        process: EntityProcess,
        articles: list[Article],
        identity: ModelIdentity,
        first: dict[str, tuple[int, int]],
    ) -> None:
        """Thread worker: drive the spaCy process, showing each article's entities as batches of
        it are parsed (merged, at most every PARTIAL_SECONDS) and caching them once complete."""
        try:
            by_id = {article.id: article for article in articles}
            requests = [(article.id, article.text) for article in articles]
            known: list[Entity] = []  # the article in progress: entities found so far
            shown_at = 0.0
            done = 0
            for result in process.extract(requests, first=first, partial=True):
                if not result.done:
                    known.extend(result.entities or ())
                    now = time.monotonic()
                    if now - shown_at >= PARTIAL_SECONDS:  # the first batch at once
                        shown_at = now
                        self.post_message(EntitiesFound(result.key, list(known)))
                    continue
                known, shown_at = [], 0.0
                done += 1
                if result.entities is None:
                    self.post_message(
                        EntityStatus(
                            f"entities failed for {result.key}: {result.error}",
                            busy=False,
                            problem=True,
                        )
                    )
                    continue
                article = by_id[result.key]
                self.entity_cache.put(article.sha256, identity, result.entities)
                self.post_message(EntitiesFound(result.key, result.entities))
                if done < len(requests):
                    self.post_message(
                        EntityStatus(f"finding entities… {done}/{len(requests)}", busy=True)
                    )
            self.post_message(EntityStatus(f"entities: {identity.label}", busy=False))
        except ModelMissingError as error:
            self.post_message(EntityStatus(str(error), busy=False, problem=True))
        except Exception as error:  # the child crashed or garbled a reply, or a bug of ours
            self.post_message(EntityStatus(f"entities stopped: {error}", busy=False, problem=True))
        finally:
            process.close()

    @on(EntitiesFound)
    def _entities_found(self, message: EntitiesFound) -> None:
        if not self._reading():
            return
        self._set_entities(message.article_id, message.entities)
        self._show_entity_legend()

    def _reading(self) -> bool:
        """The reader screen is up: results from a worker may arrive as the app closes."""
        return self.reader_screen.is_attached

    @on(EntityStatus)
    def _entity_status(self, message: EntityStatus) -> None:
        if not self._reading():
            return
        self.reader_screen.status.show_entity_state(message.text, busy=message.busy)
        if message.problem:
            self.notify(message.text, title="Entities", severity="warning", timeout=10)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, less those a key here already does (BindingCommands
        offers them with their keys): its "Keys" panel would show widget classes, not our help."""
        from reader.commands import live_actions

        ours = {entry.description for entry in live_actions(screen)}
        for command in super().get_system_commands(screen):
            if command.title not in ours:
                yield command

    def action_help_quit(self) -> None:
        """ctrl+c: say how to quit (and copy), in plain text. Textual's own message is markup,
        which our literal notify would show raw; the keys are the ones in force."""
        bindings = self.screen.active_bindings
        quit_keys = [key for key, a in bindings.items() if a.binding.action in ("quit", "app.quit")]
        quit_keys.sort(key=lambda key: "+" in key)  # q, then ctrl+q
        message = f"Press {' or '.join(quit_keys or ['ctrl+q'])} to quit"
        copy_keys = [key for key, a in bindings.items() if a.binding.id == "copy.selection"]
        if copy_keys:
            message += f" · {copy_keys[0]} copies the selection"
        self.notify(message, title="Do you want to quit?", timeout=4)

    async def action_quit(self) -> None:
        self._save_session()
        self._stop_entity_process()
        self.exit()

    def on_unmount(self) -> None:
        self._save_session()
        self._save_parsed_css()  # what dialogs opened since the first frame parsed
        self._stop_entity_process()
        release_heap()

    def _save_parsed_css(self) -> None:
        if isinstance(self.stylesheet, CachedStylesheet):
            self.stylesheet.save()

    def _stop_entity_process(self) -> None:
        # Quitting must not wait for spaCy; the worker sees the pipe close and ends.
        process = self._entity_process
        if process is not None:
            process.close()

    # -- tagging -----------------------------------------------------------------------------

    @on(ArticleView.TagToggleRequested)
    def _toggle_tag(self, message: ArticleView.TagToggleRequested) -> None:
        self._edit(
            lambda: self.editing.toggle(
                message.article, message.span, message.label, exact=message.exact
            )
        )

    @on(ArticleView.ResizeRequested)
    def _resize(self, message: ArticleView.ResizeRequested) -> None:
        view = message.view
        self._edit(lambda: self.editing.resize(message.annotation_id, view.article, message.span))

    @on(ArticleView.DeleteRequested)
    def _delete(self, message: ArticleView.DeleteRequested) -> None:
        self._edit(lambda: self.editing.delete(message.annotation_id))

    def _edit(self, edit: Callable[[], Step | None]) -> Step | None:
        """Run one edit of the session: saved (atomically) before the screen shows it."""
        try:
            step = edit()
        except EditRefused as error:
            self.notify(str(error), timeout=4)
            return None
        except StoreError as error:
            self.notify(f"Not saved: {error}", title="Annotation store", severity="error")
            self._refresh_views()
            return None
        if step is not None:
            self._refresh_views(step)
        return step

    @on(ArticleView.NoteRequested)
    def _edit_note(self, message: ArticleView.NoteRequested) -> None:
        from reader.screens.note_screen import NoteScreen  # not needed for the first paint

        article, span = message.article, message.span
        focused = self.store.annotation(message.annotation_id) if message.annotation_id else None
        # A focused note is edited as that record; otherwise the note is yours on the passage
        # (the selection, the focused label's passage, or the sentence).
        existing = focused if focused is not None and focused.is_note else None
        if existing is None:
            existing = self.editing.note_on(article, span)
        marks = message.view.marks.overlapping(*span)
        labels = tuple(dict.fromkeys(m.label for m in marks if m.label and m.span == span))

        def edited(note: str | None) -> None:
            if note is None:
                return
            if existing is not None and existing is focused:
                self._edit(lambda: self.editing.edit_note(existing.id, note))
            else:
                self._edit(lambda: self.editing.set_note(article, span, note))

        quote = article.text[span[0] : span[1]]
        self.push_screen(NoteScreen(quote, labels, existing.note if existing else ""), edited)

    def action_undo(self) -> None:
        if not self.editing.can_undo:
            self.notify("Nothing to undo.", timeout=2)
            return
        self._went_back_or_forth(self._edit(self.editing.undo))

    def action_redo(self) -> None:
        if not self.editing.can_redo:
            self.notify("Nothing to redo.", timeout=2)
            return
        self._went_back_or_forth(self._edit(self.editing.redo))

    def _went_back_or_forth(self, step: Step | None) -> None:
        if step is None:
            return
        where = step.where
        self._show_passage(where)
        if not where.quote:  # a merge or split of entity names is on no passage
            self.notify(step.description.capitalize(), timeout=3)
            return
        quote = where.quote if len(where.quote) <= 40 else where.quote[:39] + "…"
        self.notify(f"{step.description.capitalize()} on “{quote}”", timeout=3)

    def _show_passage(self, annotation: Passage) -> None:
        """Take the cursor to the annotation, in the pane that shows its article (if any)."""
        for view in self.reader_screen.visible_views:
            article = view.article
            if article.sha256 == annotation.article_sha256 or article.id == annotation.article:
                view.move_cursor_to(annotation.start)
                view.focus()
                return

    def action_orphans(self) -> None:
        from reader.screens.orphans_screen import OrphanChoice, OrphansScreen

        focused = self.focused
        view = focused if isinstance(focused, ArticleView) else None
        orphans = self.store.orphans()
        if not orphans:
            self.notify("No orphans: every annotation was found in its article.", timeout=3)
            return

        def chosen(choice: OrphanChoice | None) -> None:
            if choice is None:
                return
            if choice.action == "delete":
                self._edit(lambda: self.editing.delete(choice.annotation_id))
            elif view is None or view.current_span is None:
                self.notify("Put the cursor on a sentence in a pane first.", timeout=4)
            else:
                span = view.current_span
                self._edit(lambda: self.editing.reattach(choice.annotation_id, view.article, span))

        target = view.article if view is not None else None
        self.push_screen(OrphansScreen(orphans, self.annotator, target), chosen)

    def _take_in_other_changes(self) -> None:
        """Show what other processes saved (the app and a script on one database, say)."""
        try:
            refresh = self.store.refresh()
        except StoreError as error:
            self.notify(str(error), title="Annotation database", severity="error", timeout=10)
            return
        if refresh:
            self._refresh_views()

    def _refresh_views(self, step: Step | None = None) -> None:
        """Redraw the marks of the views a step touched (every view when not known)."""
        touched = None
        if step is not None:
            touched = {
                key
                for change in step.changes
                for a in (change.old, change.new)
                if a is not None
                for key in (a.article, a.article_sha256)
            }
        for view in self.reader_screen.query(ArticleView):
            article = view.article
            if touched is None or article.id in touched or article.sha256 in touched:
                self._show_tags(view)
        if self.step_touches_entities(step):
            self._entities_changed()
        self._update_status()

    def _show_tags(self, view: ArticleView) -> None:
        view.set_marks(self._marks_for(view.article.id))

    def _update_status(self) -> None:
        """Tag counts (the focused article's and all), and the note under the focused cursor."""
        # The reader screen's focus, not the app's: the status line is that screen's, and a
        # dialog over it does not change which pane it describes. A view's message can still
        # arrive as the app closes, when the screen is gone and there is nothing to describe.
        if not self.reader_screen.is_attached:
            return
        focused = self.reader_screen.focused
        view = focused if isinstance(focused, ArticleView) else None
        here = self.store.label_counts(view.article.id, view.article.sha256) if view else Counter()
        status = self.reader_screen.status
        status.show_counts(here, self.store.label_counts())
        status.show_note(view.current_note if view else "")

    @on(ArticleView.CursorMoved)
    def _cursor_moved(self, message: ArticleView.CursorMoved) -> None:
        if message.view is self.reader_screen.focused:  # see _update_status
            self.reader_screen.status.show_note(message.view.current_note)

    @on(ArticlePane.ArticleShown)
    def _article_shown(self, message: ArticlePane.ArticleShown) -> None:
        view = message.pane
        found_again = self._reanchor([view.article])
        for text in found_again:
            self.notify(text, title="Article changed", timeout=10)
        self._show_entities_in(view)
        self._show_tags(view)
        self._show_entity_legend()
        self._update_status()

    @on(ReaderScreen.PanesShown)
    def _panes_shown(self) -> None:
        # The legend lists the entity types of the panes on screen.
        self._show_entity_legend()

    def on_descendant_focus(self) -> None:
        if self.screen is self.reader_screen:
            self._update_status()

    def _focused_view(self) -> ArticleView | None:
        focused = self.focused
        if isinstance(focused, ArticleView):
            return focused
        views = self.reader_screen.visible_views
        return views[0] if views else None

    # -- help --------------------------------------------------------------------------------

    def action_help(self) -> None:
        from reader.screens.help_screen import HelpScreen  # not needed for the first paint

        self.push_screen(HelpScreen.of_active_bindings(self.screen))
