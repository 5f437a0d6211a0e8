"""A pane: an article view framed by outlet, title and author; its article can be switched in
place."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.geometry import Region
from textual.message import Message

from annotations.labels import LabelSet
from corpus.model import Article
from reader.document import SpanMarks
from reader.entities import Entity
from reader.literal import display_text
from reader.widgets.article_view import ArticleView


# How an article is named on screen (pane headings, the picker). display_text: titles come from
# files, and an escape sequence in one is shown, never sent to the terminal.
def shown_title(article: Article) -> str:
    return display_text(article.title or "(untitled)")


def shown_outlet(article: Article) -> str:
    return display_text(article.outlet or "outlet not stated")


def heading(article: Article) -> Text:
    """The top border label: outlet first, as panes are compared by outlet, then the title."""
    # A Text object, not a string: titles are never parsed as markup.
    outlet = Text(shown_outlet(article), style="bold" if article.outlet else "")
    return Text.assemble(outlet, " · ", shown_title(article))


def footing(article: Article, position: int, total: int) -> Text:
    """The bottom border label: the author where known, and where the article is in the list."""
    parts = [display_text(article.author or ""), f"{position}/{total}"]
    return Text(" · ".join(part for part in parts if part))


class ArticlePane(ArticleView):
    """An ArticleView framed by its own border: outlet and title on top, author below.

    `a` picks another article, `[` and `]` step through them. The view draws the frame itself
    (border labels, not header widgets, and no container around the view): Textual renders
    every widget under a line, so a frame widget behind the view had each of its lines drawn,
    styled and cut away again, some 5 ms of the first frame and of every resize.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "choose_article", "Article…", id="pane.choose_article"),
        Binding(
            "right_square_bracket",
            "step_article(1)",
            "Next article",
            show=False,
            id="pane.next_article",
        ),
        Binding(
            "left_square_bracket",
            "step_article(-1)",
            "Previous article",
            show=False,
            id="pane.previous_article",
        ),
    ]

    class ArticleShown(Message):
        """The pane now shows a different article: the app supplies its tags and entities."""

        def __init__(self, pane: ArticlePane) -> None:
            super().__init__()
            self.pane = pane

    def __init__(
        self,
        articles: Sequence[Article],
        index: int,
        *,
        entities: Sequence[Entity] = (),
        marks: SpanMarks | None = None,
        labels: LabelSet | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(
            articles[index],
            entities=entities,
            marks=marks,
            labels=labels,
            id=id,
            classes="article-pane",
        )
        self.articles = articles
        self.index = index
        self._label_frame()

    def _bind_label_keys(self) -> None:
        super()._bind_label_keys()
        # The label keys come before the pane's own in the key bar, which is cut at 80 columns:
        # tagging is what the keys line is for.
        bindings = self._bindings.key_to_bindings
        pane_keys = [
            key
            for key, found in bindings.items()
            if any(binding.id and binding.id.startswith("pane.") for binding in found)
        ]
        for key in pane_keys:
            bindings[key] = bindings.pop(key)

    # The top and bottom edges of the pane holding the focus (its title and position) are
    # drawn in the accent colour. Not with a `:focus` rule: Textual restyles the whole view for
    # it, scrollbars included, and a restyled scrollbar asks for a new layout of the screen, so
    # each Tab repainted every pane in full. Not the sides either: Textual redraws a widget by
    # whole lines, so a changed left or right edge redraws and re-composites every line of the
    # pane (about 45% of a Tab's work, profiled), where the top and bottom edges are two lines.
    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._show_focus())
        self._show_focus()

    def watch_has_focus(self, _has_focus: bool) -> None:
        self._show_focus()

    def _show_focus(self) -> None:
        variables = self.app.theme_variables
        colour = Color.parse(
            variables["accent"] if self.has_focus else variables["panel-lighten-2"]
        )
        edge = ("round", colour)
        inline = self.styles.inline
        changed = False
        for side in ("border_top", "border_bottom"):
            changed = inline.set_rule(side, edge) or changed
        if changed and self.is_mounted:
            # Only those two lines: a refresh of the whole pane would redraw the text in it.
            # Regions are given relative to the content, which the frame surrounds.
            width, height = self.outer_size
            x, y = -self.content_offset.x, -self.content_offset.y
            self.refresh(Region(x, y, width, 1), Region(x, y + height - 1, width, 1))

    def _label_frame(self) -> None:
        self.border_title = heading(self.article)
        self.border_subtitle = footing(self.article, self.index + 1, len(self.articles))

    def show_index(self, index: int) -> None:
        if index == self.index:
            return
        self.index = index
        self.show_article(self.articles[index])
        self._label_frame()
        self.post_message(self.ArticleShown(self))

    def action_step_article(self, step: int) -> None:
        self.show_index((self.index + step) % len(self.articles))

    def action_choose_article(self) -> None:
        from reader.screens.article_picker import ArticlePickerScreen

        def chosen(index: int | None) -> None:
            if index is not None:
                self.show_index(index)
            self.focus()

        self.app.push_screen(ArticlePickerScreen(self.articles, self.index), chosen)
