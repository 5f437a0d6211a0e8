"""The rows of an article pane between its top and bottom borders, framed without Textual's
general path.

Textual's styles cache (textual 8.2, `StylesCache.render_line`) draws every line of a widget
through one general routine: it reads the border, outline, padding, tint, hatch and opacity
styles, builds the border's styles and boxes afresh, then wraps the widget's line. For a pane
that was about as long as drawing the line itself: some 2 ms of every full repaint of a pane
(`f`, a page, a resize, closing a search over hits).

A pane's frame has a one-cell border on the left and the right and none of the rest, so its
content rows are the border's left cell, the widget's line and the border's right cell. This
draws those rows, reading the styles once per call, into the styles cache's own line cache and
dirty set, so Textual's partial updates see exactly what its own path would have left there.
The top and bottom rows (titles, focus colours) still go through Textual. Any style this does
not draw (padding, tint, opacity, outline, hatch, text opacity, a border that is not one cell
on both sides, a hovered link) returns None: the caller then draws the way Textual does.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from textual._border import get_box
from textual.geometry import Region, Spacing
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from reader.widgets.lean_strip import LeanStrip

NO_SPACING = Spacing(0, 0, 0, 0)


def framed_rows(
    widget: Widget, crop: Region, render_line: Callable[[int], Strip]
) -> list[Strip] | None:
    """`widget.render_lines(crop)` as Textual would draw it, or None if the widget's styles
    need Textual's own path (see the module's docstring)."""
    styles = widget.styles
    (top, _), (right, right_color), (bottom, _), (left, left_color) = styles.border
    if (
        not (top and bottom and left and right)
        or styles.padding != NO_SPACING
        or styles.tint.a
        or styles.text_opacity != 1.0
        or any(edge for edge, _ in styles.outline)
        or (styles.has_rule("hatch") and styles.hatch != "none")
        or widget.opacity != 1.0
        or (widget.auto_links and widget.hover_style.link_id)
    ):
        return None
    width, height = widget.region.size
    if height < 3 or crop.height <= 0:
        return None
    cache = widget._styles_cache
    # The border rows, through Textual (they carry the titles).
    first, end = crop.y, crop.y + crop.height
    edges = [y for y in (0, height - 1) if first <= y < end]
    edge_strips = {
        y: cache.render_widget(widget, Region(crop.x, y, crop.width, 1))[0] for y in edges
    }
    if width != cache._width:  # as StylesCache.render does (render_widget did, if it ran)
        cache.clear()
        cache._width = width
    base_background, background = widget.background_colors
    inner, outer = cache.get_inner_outer(base_background, background)
    # The middle row of each side's box (as StylesCache.render_line picks them).
    left_box = get_box(left, inner, outer, Style(foreground=base_background + left_color))
    right_box = get_box(right, inner, outer, Style(foreground=base_background + right_color))
    left_cell, right_cell = left_box[1][0], right_box[1][2]
    content_width = widget.content_region.width
    inner_style = inner.rich_style
    filters = widget.get_line_filters()
    dirty = cache._dirty_lines
    cached = cache._cache
    rows = range(max(first, 1), min(end, height - 1))
    strips: list[Strip] = []
    for y in range(first, end):
        edge = edge_strips.get(y)
        if edge is not None:
            strips.append(edge)
            continue
        strip = cached.get(y)
        if strip is None or y in dirty:
            line = render_line(y - 1)
            length = line.cell_length
            if length < content_width:  # the scrollbar's column, which the scrollbar covers
                padding = Segment(" " * (content_width - length), inner_style)
                segments = [left_cell, *line, padding, right_cell]
            else:
                if length > content_width:
                    line = line.adjust_cell_length(content_width, inner_style)
                segments = [left_cell, *line, right_cell]
            strip = cached[y] = LeanStrip(segments, width)
        for line_filter in filters:
            strip = strip.apply_filter(line_filter, background)
        if crop.column_span != (0, width):
            strip = strip.crop(crop.x, crop.x + crop.width)
        strips.append(strip)
    dirty.difference_update(rows)
    return strips
