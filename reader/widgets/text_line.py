"""One line of Rich Text drawn as a Strip, as Textual's Visual path draws it, without the path.

Textual draws a widget's `render()` by converting the Text to Content and rendering that through
its Visual pipeline: about 0.5-1 ms for one line of the key bar or the status line, paid at every
key that changes them (Escape closing the search, a tag changing the counts). The same line is
the Text's own segments laid over the widget's style, cut or ended with "…" at the widget's
width, with the offsets Textual adds for text selection; the styles cache pads it."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget


def text_line(widget: Widget, text: Text, y: int = 0) -> Strip:
    """`text` (one line: no line breaks in it) as line `y` of `widget`, `widget`'s width wide."""
    base = widget.visual_style.rich_style
    width = widget.size.width
    if text.cell_len > width:
        text.truncate(width, overflow=text.overflow or "crop")
    segments = [
        Segment(segment.text, base + segment.style if segment.style else base)
        for segment in text.render(widget.app.console, end="")
    ]
    # Not padded: the styles cache pads every line to the width, as for Textual's own.
    return Strip(segments).apply_offsets(0, y)
