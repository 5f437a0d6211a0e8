"""The App's memory of where the reader was: pane articles, cursors, scroll, folded chrome, the
focused pane, the theme and the entity highlights, restored at the next start.

A mixin of `NewsReaderApp`, like reader.app_search. The file and its format are
reader.session_state's; this reads the state as the app is made (the theme must be set before
any stylesheet is parsed), applies it once the panes are mounted and saves it as the app
closes and whenever the theme changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App

from corpus.loader import ArticleShelf
from reader.entity_highlights import EntityHighlights
from reader.widgets.article_pane import ArticlePane

if TYPE_CHECKING:
    from reader.screens.reader_screen import ReaderScreen
    from reader.session_state import SessionState


class SessionFeatures(App[None]):
    """Where the reader was, for NewsReaderApp, which sets these attributes."""

    articles: ArticleShelf
    reader_screen: ReaderScreen
    _highlights: EntityHighlights

    if TYPE_CHECKING:
        # Defined by EntityFeatures; declared for the type checker only (see app_search).
        def _entities_changed(self) -> None: ...

    def _init_session(self, state_path: Path | None) -> None:
        """Read the last session's state and take its theme: call before the stylesheet is
        made (NewsReaderApp.__init__)."""
        self.state_path = state_path  # None: nothing restored or saved (tests, scripts)
        self._state_saved = False
        self._state_restored = False  # nothing is saved over the last state before it is read
        self._session_problem: str | None = None
        self._saved_state = self._read_session()
        if self._saved_state is not None and self._saved_state.theme in self.available_themes:
            # The last session's theme, before any stylesheet is parsed: set once the screen
            # was up, it had every stylesheet parsed again and every widget restyled before
            # the first frame.
            self.theme = self._saved_state.theme

    def _read_session(self) -> SessionState | None:
        """The last session's state, read as the app is made (it says the theme and which
        entity highlights are off); a problem with the file is told once the screen is up."""
        from reader.session_state import load_state

        if self.state_path is None:
            return None
        state, self._session_problem = load_state(self.state_path)
        return state

    def _restore_session(self) -> None:
        """Open each pane where the last session left it (article, chrome, cursor, scroll),
        focus the pane that had focus, and bring back the theme."""
        if self.state_path is None:
            return
        state, problem = self._saved_state, self._session_problem
        try:
            if problem is not None:
                self.notify(problem, title="Session", severity="warning", timeout=6)
            if state is not None:
                self._apply_session(state)
        finally:
            self._state_restored = True

    def _apply_session(self, state: SessionState) -> None:
        # The theme was set as the app was made (__init__).
        # By text among the articles read so far (a moved file), else by id (from the paths).
        by_sha = {article.sha256: article.id for article in self.articles.read_so_far()}
        panes = list(self.reader_screen.query(ArticlePane))
        for pane, saved in zip(panes, state.panes, strict=False):
            index = self.articles.index_of(by_sha.get(saved.article_sha256, saved.article_id))
            if index is None:
                continue  # the article is not among those opened this time
            pane.show_index(index)
            if pane.document.show_chrome != saved.show_chrome:
                pane.action_toggle_chrome()
            pane.move_cursor_to(min(saved.cursor_offset, len(pane.article.text)))
            self.call_after_refresh(pane.scroll_to, y=saved.scroll_y, animate=False)
        if 0 <= state.focused_pane < len(panes):
            pane = panes[state.focused_pane]
            if all(node.display for node in pane.ancestors_with_self):
                pane.focus()
        if state.highlighted_entity is not None:
            # One entry highlighted alone: its mentions are found again by grouping.
            self._entities_changed()

    def watch_theme(self, theme: str) -> None:
        self._save_session(closing=False)  # the chosen theme is kept even if the app dies later

    def _save_session(self, *, closing: bool = True) -> None:
        """Remember where the reader is: as the app closes (once), and when the theme changes."""
        from reader.session_state import PaneState, SessionState, save_state

        if self.state_path is None or self._state_saved or not self._state_restored:
            return
        panes = list(self.reader_screen.query(ArticlePane))
        if not panes:
            # Textual removes the screens before on_unmount: with nothing left to read, the
            # last save stands rather than an empty one (action_quit, `q`, saves with the panes).
            return
        self._state_saved = closing
        focused = next((i for i, pane in enumerate(panes) if pane is self.reader_screen.focused), 0)
        state = SessionState(
            tuple(
                PaneState(
                    pane.article.sha256,
                    pane.article.id,
                    pane.document.caret,
                    round(pane.scroll_offset.y),
                    pane.document.show_chrome,
                )
                for pane in panes
            ),
            focused,
            self.theme,
            hidden_entity_types=tuple(sorted(self._highlights.hidden_types)),
            entities_hidden=self._highlights.all_hidden,
            highlighted_entity=self._highlights.only_entry,
        )
        try:
            save_state(self.state_path, state)
        except OSError as error:
            reason = error.strerror or error
            problem = f"{self.state_path}: where you were could not be saved ({reason})"
            self.notify(problem, title="Session", severity="warning", timeout=6)
