"""A vertical scrollbar drawn once per change, not once per line.

Textual's ScrollBar goes through the styles cache line by line, each line asking `render()` for
the colours and the thumb again and rendering the result through Rich: about 2 ms for a 40-line
pane on every page key, as much as painting the article's text. LineScrollBar keeps Textual's
look, mouse handling and messages (it is a ScrollBar) and draws the same segments, from
`ScrollBarRender.render_bar`, once, kept until the thumb, the height or the colours change. A
scrollbar has no border, padding, tint or opacity, so the styles cache has nothing to add but
the app's line filters, which are applied here."""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

# ScrollBarRender's own fallbacks, for a style without colours.
_BACK = Color.parse("#555555")
_BAR = Color.parse("bright_magenta")


class LineScrollBar(ScrollBar):
    """A vertical ScrollBar drawn from `ScrollBarRender.render_bar`'s segments directly."""

    def __init__(self, *, thickness: int = 1) -> None:
        super().__init__(vertical=True, name="vertical", thickness=thickness)
        self._drawn_for: tuple[object, ...] | None = None
        self._drawn: list[Strip] = []

    def render_lines(self, crop: Region) -> list[Strip]:
        strips = self._strips()[crop.y : crop.bottom]
        background = self.background_colors[1]
        for line_filter in self.get_line_filters():
            strips = [strip.apply_filter(line_filter, background) for strip in strips]
        if crop.x or crop.width != self.thickness:
            strips = [strip.crop(crop.x, crop.right) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        strips = self._strips()
        return strips[y] if 0 <= y < len(strips) else Strip.blank(self.thickness)

    def _strips(self) -> list[Strip]:
        # ScrollBar.render picks the colours for the state (grabbed, hovered) and says what to
        # draw: building that small object is cheap, rendering it through Rich is not.
        bar = self.render()
        assert isinstance(bar, ScrollBarRender)
        style = bar.style if isinstance(bar.style, Style) else Style.parse(str(bar.style))
        height = self.size.height
        # Textual's Visual path lays each segment over the widget's own style, as here.
        base = self.visual_style.rich_style
        key = (height, bar.virtual_size, bar.window_size, bar.position, bar.thickness, style, base)
        if key != self._drawn_for:
            self._drawn_for = key
            self._drawn = _draw(bar, style, base, height)
        return self._drawn


def _draw(bar: ScrollBarRender, style: Style, base: Style, height: int) -> list[Strip]:
    if height <= 0:
        return []
    rendered = ScrollBarRender.render_bar(
        size=height,
        virtual_size=bar.virtual_size,
        window_size=bar.window_size,
        position=bar.position,
        thickness=bar.thickness,
        vertical=True,
        back_color=style.bgcolor or _BACK,
        bar_color=style.color or _BAR,
    )
    # Vertical: one segment per line (Rich puts the line breaks between them).
    return [
        Strip([Segment(segment.text, base + segment.style)], bar.thickness)
        for segment in rendered.segments
    ]
