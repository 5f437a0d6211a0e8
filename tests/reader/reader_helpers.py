"""Helpers for the Pilot tests: read what a widget draws, wait for the app, watch notifications.

Everything here reads the app the way a user sees it (rendered lines, on-disk files) or through
the widgets' public attributes; nothing reaches into Textual's private state.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from annotations.entity_corrections import EntityCorrection
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.model import Article
from reader.app import NewsReaderApp
from reader.widgets.article_pane import ArticlePane
from reader.widgets.article_view import ArticleView
from reader.widgets.line_painting import GUTTER_WIDTH

SIZE = (160, 45)

# The record fields docs/STORE.md ("Records") promises, in this order (written out here, not
# taken from annotations.model, so a change to the model that breaks the promise fails a test).
DOCUMENTED_FIELDS = [
    "id",
    "article",
    "article_sha256",
    "source",
    "title",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "motivation",
    "label",
    "note",
    "annotator",
    "created",
    "modified",
    "anchor",
    "anchor_score",
    "previous_start",
    "previous_end",
    "previous_quote",
    "previous_sha256",
]
CURSOR_BAR = "▌"


def strip_text(strip: Strip | list[Segment]) -> str:
    return "".join(segment.text for segment in strip)


def widget_text(widget: Widget) -> str:
    """The text a widget draws, its lines joined with newlines."""
    return "\n".join(strip_text(widget.render_line(y)) for y in range(widget.size.height))


def view_lines(view: ArticleView) -> list[str]:
    """Every screen line of the article view, gutter included, as drawn right now."""
    return [strip_text(view.render_line(y)) for y in range(view.scrollable_content_region.height)]


def gutter(line: str) -> str:
    return line[:GUTTER_WIDTH]


def body(line: str) -> str:
    return line[GUTTER_WIDTH:].rstrip()


def cursor_rows(view: ArticleView) -> list[int]:
    """Screen rows on which the cursor bar is drawn."""
    return [y for y, line in enumerate(view_lines(view)) if line.startswith(CURSOR_BAR)]


def cursor_text(view: ArticleView) -> str:
    """The words on the rows that carry the cursor bar, joined as one line."""
    lines = view_lines(view)
    return " ".join(body(lines[y]) for y in cursor_rows(view))


def panes(app: NewsReaderApp) -> list[ArticlePane]:
    return list(app.reader_screen.query(ArticlePane))


def pane(app: NewsReaderApp, index: int) -> ArticlePane:
    return app.reader_screen.query_one(f"#pane-{index}", ArticlePane)


def view_of(app: NewsReaderApp, index: int) -> ArticleView:
    """The view of pane `index`: the pane itself (an ArticlePane is an ArticleView)."""
    return pane(app, index)


def on_text(view: ArticleView, column: int, row: int) -> tuple[int, int]:
    """A pilot offset for the cell at (column, row) of the view's text: inside its frame."""
    return view.content_offset.x + column, view.content_offset.y + row


def pane_frame_label(app: NewsReaderApp, index: int, *, top: bool) -> str:
    """The label drawn in a pane's top (title) or bottom (byline) border, without the border."""
    frame = pane(app, index)
    width, height = frame.outer_size
    [strip] = frame.render_lines(Region(0, 0 if top else height - 1, width, 1))
    return strip_text(strip).strip("╭╮╰╯─ ")


def pane_heading(app: NewsReaderApp, index: int) -> str:
    """The pane's top border label: "outlet · title" (the title cut with "…" to fit)."""
    return pane_frame_label(app, index, top=True)


def heads(heading: str, article: Article) -> bool:
    """Whether a pane heading names this article's outlet and (the start of) its title."""
    outlet = f"{article.outlet or 'outlet not stated'} · "
    return heading.startswith(outlet) and shows(heading[len(outlet) :], article.title)


def shows(drawn: str, text: str) -> bool:
    """Whether a one-line widget drew `text`, or its start cut with an ellipsis to fit."""
    return drawn == text or (drawn.endswith("…") and len(drawn) > 1 and text.startswith(drawn[:-1]))


def pane_footing(app: NewsReaderApp, index: int) -> str:
    """The pane's bottom border label: "author · n/N"."""
    return pane_frame_label(app, index, top=False)


def status_text(app: NewsReaderApp) -> str:
    return widget_text(app.reader_screen.status)


def legend_text(app: NewsReaderApp) -> str:
    return widget_text(app.reader_screen.legend)


def saved(db_path: Path) -> list[Annotation]:
    """What is on disk right now, read through a second, independent store."""
    with AnnotationStore(db_path) as other:
        return other.all()


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10.0, what: str = ""
) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or condition}")
        await pilot.pause(0.05)
        await asyncio.sleep(0)


def toasts(app: NewsReaderApp, severity: str | None = None) -> list[str]:
    """The text of each notification on screen (needs run_test(notifications=True)), with
    its wrapped lines joined by single spaces; only those of `severity` if given."""
    found = app.screen.query("Toast")
    if severity is not None:
        found = found.filter(f".-{severity}")
    return [" ".join(widget_text(toast).split()) for toast in found]


@dataclass(frozen=True)
class Notice:
    message: str
    title: str
    severity: str


def record_notifications(app: NewsReaderApp) -> list[Notice]:
    """Every app.notify call from now on (from the UI thread or call_from_thread)."""
    notices: list[Notice] = []
    original = app.notify

    def notify(message: str, *, title: str = "", severity: Any = "information", **kw: Any) -> None:
        notices.append(Notice(message, title, severity))
        original(message, title=title, severity=severity, **kw)

    app.notify = notify  # type: ignore[method-assign]
    return notices


# -- WCAG 2.x contrast, written out here rather than taken from the app (reader.colours) ------


def luminance(rgb: ColorTriplet) -> float:
    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(value) for value in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: ColorTriplet, b: ColorTriplet) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def putin_retyped(article: Article, annotator: str = "ana") -> EntityCorrection:
    """An entity correction on `article`'s first "Putin": retyped as a PERSON."""
    at = article.text.index("Putin")
    return EntityCorrection.create(
        kind="retype",
        annotator=annotator,
        article=article.id,
        text=article.text,
        start=at,
        end=at + len("Putin"),
        label="PERSON",
    )
