"""The status line: tag counts, where annotations are saved, and what the entity model is doing."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget

from annotations.model import LABELS
from reader.colours import faint
from reader.literal import display_text
from reader.widgets.text_line import text_line

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class StatusLine(Widget):
    """Counts per label (this article / all), the database path and the entity state."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._article_counts: Mapping[str, int] = {}
        self._total_counts: Mapping[str, int] = {}
        self._database: Path | None = None
        self._read_only: str | None = None
        self._annotator = ""
        self._entity_state = ""
        self._note = ""
        self._busy = False
        self._frame = 0
        self._tour = ""
        self._highlights = ""

    def on_mount(self) -> None:
        # Runs only while the entity model is busy: an idle reader should not redraw 10x a second.
        self._spinner = self.set_interval(0.1, self._tick, pause=not self._busy)

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER)
        self.refresh()

    def show_counts(
        self, article_counts: Mapping[str, int], total_counts: Mapping[str, int]
    ) -> None:
        # Called after every key that may change them (`/` and Escape included): the same
        # counts are not drawn again (0.5 ms). Compared as items: Counters count a label at 0
        # as equal to a missing one, which this line shows differently.
        if (
            article_counts.items() == self._article_counts.items()
            and total_counts.items() == self._total_counts.items()
        ):
            return
        self._article_counts, self._total_counts = article_counts, total_counts
        self.refresh()

    def show_note(self, note: str) -> None:
        """The note on the focused pane's current sentence, or "" for none."""
        note = display_text(" ".join(note.split()))  # one line, no control characters
        if note != self._note:
            self._note = note
            self.refresh()

    def show_database(self, path: Path, *, read_only: str | None = None) -> None:
        """Where annotations are saved; ``read_only`` says why they cannot be, if so."""
        self._database, self._read_only = path, read_only
        self.refresh()

    def show_annotator(self, name: str) -> None:
        """Who you are: your keys add and remove your own annotations only."""
        self._annotator = display_text(name)
        self.refresh()

    def show_entity_state(self, state: str, *, busy: bool = False) -> None:
        self._entity_state, self._busy = state, busy
        if self.is_mounted:
            (self._spinner.resume if busy else self._spinner.pause)()
        self.refresh()

    def show_tour(self, summary: str) -> None:
        """The entity being stepped through (`.` and `,`), e.g. "Putin: mention 3 of 17"."""
        self._tour = display_text(summary)
        self.refresh()

    def show_highlights(self, description: str) -> None:
        """What entity highlights are off, or "" when all are shown."""
        self._highlights = display_text(description)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        if y != 0:
            return Strip.blank(self.size.width, self.visual_style.rich_style)
        return text_line(self, self.render())

    def render(self) -> Text:
        # Drawn afresh on each refresh: one line of fixed height, so no relayout is needed.
        text = Text(no_wrap=True, overflow="ellipsis")
        # Rich's "dim" falls under 4.5:1 in several themes; faint is as recessive but readable.
        faint_style = faint(self.rich_style, self.app.ansi_theme)
        text.append("This article ", style="bold")
        # The built-in labels always, with their zero counts; others (configured or from
        # another tool) when the article has them.
        for label in (*LABELS, *sorted(set(self._article_counts) - set(LABELS))):
            count = self._article_counts.get(label, 0)
            text.append(f"{label} {count}  ", style="" if count else faint_style)
        total = sum(self._total_counts.values())
        text.append(f"│ all: {total} tag{'s' if total != 1 else ''} │ ")
        if self._annotator:
            text.append("you: ", style=faint_style)
            text.append(self._annotator, style="bold")
            text.append(" │ ")
        if self._note:
            # Before the entity state and the path: this is what the reader is looking at.
            text.append("✎ ", style="bold")
            text.append(self._note, style="italic")
            text.append(" │ ")
        if self._tour:
            text.append("◆ ", style="bold")
            text.append(self._tour + " │ ")
        if self._highlights:
            text.append(self._highlights + " │ ", style="italic")
        if self._entity_state:
            if self._busy:
                text.append(SPINNER[self._frame] + " ", style="bold")
            text.append(self._entity_state + " │ ")
        if self._read_only is not None:
            text.append("read-only: ", style="bold")
            text.append(display_text(self._read_only) + " │ ")
        if self._database is not None:
            where = display_text(_home_relative(self._database))
            text.append(
                f"{'read from' if self._read_only else 'saved to'} {where}", style=faint_style
            )
        return text


def _home_relative(path: Path) -> str:
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)
