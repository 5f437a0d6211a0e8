"""The colours a view's lines are painted with, read from its screen's stylesheet and cached."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.dom import NoScreen

from reader.colours import mixed_component, tag_style
from reader.widgets.line_painting import STYLED_LABELS

if TYPE_CHECKING:
    from reader.widgets.article_view import ArticleView


class ViewPalette:
    """The line painter's colours for one view (a reader.widgets.line_painting.Palette).

    The Textual side of painting, kept out of the painter: VIEW_COMPONENTS as the view's screen
    styles them and label tints, each mixed into the view's own colours (reader.colours) so one
    stylesheet suits light and dark themes. Everything is cached until a restyle changes a style
    the lines were drawn with (`forget_if_restyled`): a line costs dictionary look-ups only.
    """

    def __init__(self, view: ArticleView) -> None:
        self._view = view
        self._base: Style | None = None  # the view's rich_style, read once per restyle
        # As the stylesheet gives them: a restyle is compared with these.
        self._stylesheet: dict[str, Style] = {}
        self._components: dict[str, Style] = {}  # as drawn: mixed into the base
        self._tags: dict[str, Style] = {}
        self._terminal: TerminalTheme | None = None  # in the ANSI themes, what was drawn for

    @property
    def base(self) -> Style:
        """The view's own style. Read once per restyle: rich_style blends every ancestor's
        background (half a millisecond)."""
        base = self._base
        if base is None:
            base = self._base = self._view.rich_style
            self._components.clear()
            self._tags.clear()
        return base

    def component(self, name: str) -> Style:
        """One of VIEW_COMPONENTS, as styled on the host screen and mixed into the base."""
        style = self._components.get(name)
        if style is None:
            style = self._components[name] = self._mixed(name)
        return style

    def _mixed(self, name: str) -> Style:
        view = self._view
        style = self._stylesheet.get(name)
        if style is None:
            # The stylesheet's own style is kept: forget_if_restyled compares with it.
            style = view.screen.get_component_rich_style(name, partial=True)
            self._stylesheet[name] = style
        # Tints, the cursor and chrome are mixed with the view's own colours, so one stylesheet
        # suits light and dark themes (cached by value in reader.colours). The ANSI themes
        # leave the colours to the terminal; the app's ANSI theme stands in for its palette.
        base = self.base
        if base.bgcolor is not None and base.bgcolor.triplet is not None:
            return mixed_component(name, style, base)
        terminal = self._terminal = view.app.ansi_theme
        return mixed_component(name, style, base, terminal)

    def tag(self, label: str) -> Style:
        """The tint of a label: the built-in ones from the stylesheet, configured ones from
        their colour blended into the background, others one neutral tint."""
        style = self._tags.get(label)
        if style is None:
            configured = self._view.labels.by_name(label)
            if label in STYLED_LABELS and (configured is None or configured.colour is None):
                style = self.component(f"article-view--tag-{label}")
            elif configured is not None and configured.colour is not None:
                base = self.base
                # tag_tint cannot see an ANSI theme's colours: the app's ANSI theme stands in.
                known = base.bgcolor is not None and base.bgcolor.triplet is not None
                terminal = None if known else self._view.app.ansi_theme
                style = tag_style(configured.colour, base, terminal)
            else:
                style = self.component("article-view--tag-other")
            self._tags[label] = style
        return style

    def forget_tags(self) -> None:
        """The labels changed (configured colours among them)."""
        self._tags.clear()

    def forget_if_restyled(self) -> bool:
        """After a restyle: whether a style the lines were drawn with changed (then everything
        is forgotten, to be read again)."""
        if self._base is not None and self._drawn_styles_unchanged():
            return False
        self._base = None
        self._stylesheet.clear()
        self._components.clear()
        self._tags.clear()
        self._terminal = None
        return True

    def _drawn_styles_unchanged(self) -> bool:
        view = self._view
        try:
            screen = view.screen
            # In the ANSI themes the lines were drawn for the app's ANSI theme too (see _mixed);
            # ansi-dark and ansi-light differ in little else.
            terminal = self._terminal
            return (
                view.rich_style == self._base
                and (terminal is None or terminal is view.app.ansi_theme)
                and all(
                    screen.get_component_rich_style(name, partial=True) == style
                    for name, style in self._stylesheet.items()
                )
            )
        except (NoScreen, KeyError):
            return False
