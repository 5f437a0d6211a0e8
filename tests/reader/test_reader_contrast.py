"""Every built-in theme keeps the reader readable (issue 14, "Looks right everywhere").

The app runs for real (three panes at 160x45), with tags of every label (nested and
overlapping, yours and another annotator's), notes, site chrome shown and entities of all 18
types, in each theme of `app.available_themes`. Each view is drawn from top to bottom and every
(text colour, background) pair of text that is not only spaces is held to WCAG AA (4.5:1), as
are a selection, search hits and the legend; site chrome must be dimmer than the article's text,
the cursor, each label's tint and search hits bands of their own, and each entity type drawn its
own way. The terminal's own colours (ANSI themes) are taken from the app's ANSI theme, dim text
as a terminal draws it (halfway to the background). Contrast is computed here from the WCAG 2.x
definition, not with the app's own helper, so a mistake there cannot hide itself.
"""

from __future__ import annotations

import bisect
import colorsys
import re
from dataclasses import dataclass

from reader_helpers import SIZE, contrast, legend_text, luminance, view_of, wait_for, widget_text
from rich.cells import cell_len
from rich.color import Color
from rich.color_triplet import ColorTriplet
from rich.segment import ControlType, Segment
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.color import Color as ThemeColor
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES
from textual.widget import Widget

from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.model import Article
from reader import colours
from reader.app import NewsReaderApp
from reader.entities import LABEL_NAMES, Entity
from reader.literal import display_text
from reader.widgets.article_view import ArticleView
from reader.widgets.line_painting import GUTTER_WIDTH

AA = 4.5
LABELS = ("claim", "opinion", "unverified")
# A terminal draws faint (dim) text about halfway to its background (Textual's DimFilter too).
DIM_SHARE = 0.5
# How different two backgrounds must be to read as a band: the cursor over the text around it.
CURSOR_BAND = 1.3
BLURRED_CURSOR_BAND = 1.1
# A label's tint must show too.
TINT_BAND = 1.1


# -- WCAG 2.x, written out ----------------------------------------------------------------------


def test_contrast_is_wcag_2() -> None:
    """Reference values: black on white, and the classic #777 on white just under AA."""
    white, black = ColorTriplet(255, 255, 255), ColorTriplet(0, 0, 0)
    assert round(contrast(black, white), 2) == 21.0
    assert round(contrast(ColorTriplet(0x77, 0x77, 0x77), white), 2) == 4.48
    assert round(contrast(ColorTriplet(0x76, 0x76, 0x76), white), 2) == 4.54
    assert contrast(white, white) == 1.0
    # The app's helper agrees with this one.
    for rgb in [(0x1D, 0x3B, 0x63), (0xF5, 0xA9, 0x7F), (0x58, 0x6E, 0x75), (0xEE, 0xE8, 0xD5)]:
        for other in [white, black, ColorTriplet(0x80, 0x40, 0xC0)]:
            mine = contrast(ColorTriplet(*rgb), other)
            assert abs(colours.contrast_ratio(ColorTriplet(*rgb), other) - mine) < 1e-9


def hue(rgb: ColorTriplet) -> float:
    return colorsys.rgb_to_hls(*(channel / 255 for channel in rgb))[0] * 360


def test_readable_colours_keep_their_hue_and_stay_put_when_readable() -> None:
    """Too faint a colour is moved toward black or white just enough (to a little over AA),
    its hue kept; a readable one is left alone; mid-tone backgrounds get whichever works."""
    white, black = ColorTriplet(255, 255, 255), ColorTriplet(0, 0, 0)
    for colour in ["#f5a97f", "#eed49f", "#8bd5ca", "#a6da95", "#c6a0f6", "#7dc4e4", "#ed8796"]:
        pastel = Color.parse(colour).get_truecolor()
        on_white = colours.readable_colour(pastel, white)
        assert AA <= contrast(on_white, white) < 5.3
        assert abs(hue(on_white) - hue(pastel)) < 4
        assert colours.readable_colour(pastel, black) == pastel
    for background in [(0x78, 0x70, 0x8A), (0x80, 0x80, 0x80), (0x4A, 0x90, 0xD9)]:
        mid = ColorTriplet(*background)
        assert contrast(colours.readable_colour(mid, mid), mid) >= AA


def test_tints_follow_the_theme_light_or_dark() -> None:
    """A label's tint is light on a light background and dark on a dark one, and shows."""
    light, dark = Color.parse("#fafafa"), Color.parse("#1e1e1e")
    for label in ["#4a90d9", "#b05cc8", "#d9a13b"]:
        on_light = colours.tag_tint(label, light).get_truecolor()
        on_dark = colours.tag_tint(label, dark).get_truecolor()
        assert luminance(on_light) > 0.4 > 0.1 > luminance(on_dark)
        assert contrast(on_light, light.get_truecolor()) >= TINT_BAND
        assert contrast(on_dark, dark.get_truecolor()) >= TINT_BAND


def test_readable_segments_changes_only_what_is_unreadable() -> None:
    """Segments already at AA come back as they were; faint and dim ones are lifted."""
    base = Style(color="#e0e0e0", bgcolor="#1e1e1e")
    segments = [
        Segment("plain", base),
        Segment("entity", base + Style(color="#a6da95", italic=True)),
        Segment("faint", base + Style(color="#444444")),
        Segment("dim", base + Style(dim=True)),
        Segment("\x1b", None, [(ControlType.BELL,)]),
    ]
    out = colours.readable_segments(segments)
    assert out[:2] == segments[:2]
    assert [segment.text for segment in out] == [segment.text for segment in segments]
    assert out[4] == segments[4]
    for segment in out[2:4]:
        assert segment.style is not None
        assert not segment.style.dim
        fg, bg = colours_drawn(segment.style, base, TerminalTheme((0, 0, 0), (255, 255, 255), []))
        assert contrast(fg, bg) >= AA
    assert out[1].style is not None and out[1].style.italic


def test_faint_text_is_fainter_than_the_text_yet_aa() -> None:
    """Secondary text (what Rich's dim was for): halfway to the background, lifted to AA and
    no further; fainter than the text unless the text itself is under AA."""
    pairs = [("#e0e0e0", "#141f27"), ("#1f1f1f", "#bbbbbb"), ("#586e75", "#d8d2c0")]
    pairs += [("#ffffff", "#000000")]
    for text, background in pairs:
        faint = colours.faint(Style(color=text, bgcolor=background)).color
        assert faint is not None
        bg = Color.parse(background).get_truecolor()
        faint_contrast = contrast(faint.get_truecolor(), bg)
        text_contrast = contrast(Color.parse(text).get_truecolor(), bg)
        assert faint_contrast >= AA
        assert faint_contrast < text_contrast or faint_contrast < AA + 0.1


# -- what is drawn ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drawn:
    """One segment as the terminal shows it."""

    text: str
    start: int  # offset in the article's display text; -1 in the gutter or outside a view
    fg: ColorTriplet
    bg: ColorTriplet
    style: Style

    @property
    def ratio(self) -> float:
        return contrast(self.fg, self.bg)

    def __str__(self) -> str:
        return f"{self.text!r} {self.fg.hex} on {self.bg.hex} = {self.ratio:.2f}"


def colours_drawn(
    style: Style, base: Style, terminal: TerminalTheme
) -> tuple[ColorTriplet, ColorTriplet]:
    """(text, background) RGB of `style` over the widget's `base`; the terminal's own colours
    (default, ANSI) as the app's ANSI theme draws them, reverse and dim as terminals do."""
    fg = (style.color or base.color or Color.default()).get_truecolor(terminal, True)
    bg = (style.bgcolor or base.bgcolor or Color.default()).get_truecolor(terminal, False)
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = ColorTriplet(*(round(b + (f - b) * DIM_SHARE) for f, b in zip(fg, bg, strict=True)))
    return fg, bg


def shown(segment: Segment) -> bool:
    return bool(segment.text.strip()) and not segment.control


def widget_drawn(widget: Widget, terminal: TerminalTheme) -> list[Drawn]:
    base = widget.rich_style
    found = []
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            if shown(segment):
                fg, bg = colours_drawn(segment.style or Style(), base, terminal)
                found.append(Drawn(segment.text, -1, fg, bg, segment.style or Style()))
    return found


def view_drawn(
    view: ArticleView, terminal: TerminalTheme, screens: int | None = None
) -> list[Drawn]:
    """Every line of the article (or of its first `screens` screens), drawn a screen at a time
    from the top; each segment placed in the text by finding each line's words in order."""
    base = view.rich_style
    display = display_text(view.article.text)
    height = view.scrollable_content_region.height
    found: list[Drawn] = []
    position = 0
    total = view.virtual_size.height
    if screens is not None:
        total = min(total, screens * height)
    row = 0
    while row < total:
        view.scroll_to(y=row, animate=False, immediate=True)
        top = view.scroll_offset.y  # the last screen stops at the end: it starts higher
        first, row = row - top, min(top + height, total)
        for y in range(first, row - top):
            segments = list(view.render_line(y))
            cells = 0
            gutter: list[Segment] = []
            text: list[Segment] = []
            for segment in segments:
                width = cell_len(segment.text)
                if cells >= GUTTER_WIDTH:
                    text.append(segment)
                elif cells + width <= GUTTER_WIDTH:
                    gutter.append(segment)
                else:
                    left, right = segment.split_cells(GUTTER_WIDTH - cells)
                    gutter.append(left)
                    text.append(right)
                cells += width
            for segment in gutter:
                if shown(segment):
                    fg, bg = colours_drawn(segment.style or Style(), base, terminal)
                    found.append(Drawn(segment.text, -1, fg, bg, segment.style or Style()))
            line = "".join(segment.text for segment in text).rstrip()
            if not line.strip():
                continue
            at = display.find(line, position)
            assert at >= 0, (
                f"row {top + y} of {view.article.id} is not the article's text: {line!r}"
            )
            position = at + len(line)
            offset = at
            for segment in text:
                if shown(segment):
                    fg, bg = colours_drawn(segment.style or Style(), base, terminal)
                    found.append(Drawn(segment.text, offset, fg, bg, segment.style or Style()))
                offset += len(segment.text)
    view.scroll_to(y=0, animate=False, immediate=True)
    return found


# -- the scene -----------------------------------------------------------------------------


def annotate(store: AnnotationStore, article: Article) -> dict[str, tuple[int, int]]:
    """Tags of all three labels (one sentence each, all three on one, a phrase nested in a
    tagged sentence, another annotator's), notes, and a tag on site chrome. Returns the
    sentence that carries only each label, and an untagged one ("none")."""
    body = [s for s in article.sentences if not article.is_chrome(*s)]
    chrome = [s for s in article.sentences if article.is_chrome(*s)]

    def add(span: tuple[int, int], annotator: str = "tester", **what: str) -> None:
        store.add(
            Annotation.create(
                article=article.id,
                text=article.text,
                start=span[0],
                end=span[1],
                annotator=annotator,
                **what,
            )
        )

    for index, label in enumerate(LABELS):
        add(body[index + 1], label=label)
        add(body[4], label=label)
    phrase = re.search(r"\w+ \w+ \w+", article.text[body[5][0] : body[5][1]])
    assert phrase is not None
    add(body[5], label="claim")
    add((body[5][0] + phrase.start(), body[5][0] + phrase.end()), label="opinion")
    add(body[6], annotator="someone else", label="unverified")
    add(body[7], note="A note.")
    add(body[2], note="A note on a tagged sentence.")
    if chrome:
        add(chrome[0], label="opinion")
        add(chrome[-1], note="A note on chrome.")
    return {"none": body[0]} | {label: body[index + 1] for index, label in enumerate(LABELS)}


def every_type_entities(article: Article) -> list[Entity]:
    """Entities of all 18 types, a word each, over tagged, untagged and chrome text."""
    types = list(LABEL_NAMES)
    words = [m.span() for m in re.finditer(r"\w+", article.text)]
    return [Entity(start, end, types[i % len(types)]) for i, (start, end) in enumerate(words)]


async def show_chrome(pilot: Pilot[None], app: NewsReaderApp) -> None:
    for view in app.reader_screen.visible_views:
        view.focus()
        await pilot.pause()
        await pilot.press("f")
    view_of(app, 0).focus()
    await pilot.pause()


async def set_theme(pilot: Pilot[None], app: NewsReaderApp, name: str) -> None:
    app.theme = name
    view = view_of(app, 0)
    surface = app.current_theme.surface
    await wait_for(
        pilot,
        lambda: surface is None or view.rich_style.bgcolor == ThemeColor.parse(surface).rich_color,
        what=f"the views to take on {name}",
    )
    await pilot.pause()


def themes(app: NewsReaderApp) -> list[str]:
    # Every built-in theme is among them (a new Textual version may add some: they are tested).
    assert set(BUILTIN_THEMES) <= set(app.available_themes)
    return sorted(app.available_themes)


def inside(drawn: Drawn, span: tuple[int, int] | None) -> bool:
    return span is not None and span[0] <= drawn.start < span[1]


class EntityIndex:
    """The view's entities by offset (sorted by start and, here, not overlapping)."""

    def __init__(self, view: ArticleView) -> None:
        self.entities = view.entities
        self.starts = [entity.start for entity in self.entities]

    def at(self, offset: int) -> Entity | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.entities[index].end:
            return self.entities[index]
        return None


def covered(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether `offset` lies in one of `spans` (sorted, not overlapping)."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and offset < spans[index][1]


def unreadable(drawn: list[Drawn], where: str) -> list[str]:
    return [f"{where}: under AA: {d}" for d in drawn if d.ratio < AA]


def chrome_not_receding(
    view: ArticleView, drawn: list[Drawn], base_bg: ColorTriplet, where: str
) -> list[str]:
    """Site chrome's plain text must have less contrast than the article's (and AA, above)."""
    entities = EntityIndex(view)
    plain = [
        d
        for d in drawn
        if d.start >= 0
        and d.bg == base_bg
        and entities.at(d.start) is None
        and not inside(d, view.current_span)
    ]
    chrome = {d.fg for d in plain if view.article.is_chrome(d.start, d.start + 1)}
    body = {d.fg for d in plain if not view.article.is_chrome(d.start, d.start + 1)}
    if len(body) != 1:
        return [f"{where}: the article's text in several colours {body}"]
    if not view.article.chrome:
        return []
    if len(chrome) != 1:
        return [f"{where}: chrome in several colours {chrome}"]
    [chrome_fg], [body_fg] = chrome, body
    if contrast(chrome_fg, base_bg) < contrast(body_fg, base_bg):
        return []
    return [
        f"{where}: chrome {chrome_fg.hex} ({contrast(chrome_fg, base_bg):.2f}) is not dimmer "
        f"than the text {body_fg.hex} ({contrast(body_fg, base_bg):.2f}) on {base_bg.hex}"
    ]


def bands_not_showing(
    view: ArticleView,
    drawn: list[Drawn],
    base_bg: ColorTriplet,
    tagged: dict[str, tuple[int, int]],
    where: str,
) -> list[str]:
    """The cursor and each label's tint are backgrounds of their own: each shows on the
    view's background, and none is the same as another."""
    problems = []
    # The word caret inside the cursor is drawn reversed (a block of the text's colour).
    cursor = {d.bg for d in drawn if inside(d, view.current_span) and not d.style.reverse}
    if len(cursor) != 1:
        return [f"{where}: the cursor's sentence on several backgrounds {cursor}"]
    [cursor_bg] = cursor
    least = CURSOR_BAND if view.has_focus else BLURRED_CURSOR_BAND
    if contrast(cursor_bg, base_bg) < least:
        problems.append(
            f"{where}: the cursor {cursor_bg.hex} barely shows on {base_bg.hex} "
            f"({contrast(cursor_bg, base_bg):.2f} < {least})"
        )
    tints = []
    for label in LABELS:
        span = tagged[label]
        found = {d.bg for d in drawn if inside(d, span)}
        if len(found) != 1:
            problems.append(f"{where}: the {label} sentence on several backgrounds {found}")
            continue
        [tint] = found
        if contrast(tint, base_bg) < TINT_BAND:
            problems.append(
                f"{where}: the {label} tint {tint.hex} barely shows on {base_bg.hex} "
                f"({contrast(tint, base_bg):.2f} < {TINT_BAND})"
            )
        tints.append(tint)
    if len({*tints, cursor_bg}) != len(tints) + 1:
        problems.append(
            f"{where}: tints {[t.hex for t in tints]} and cursor {cursor_bg.hex} repeat"
        )
    return problems


def cursor_not_showing_over_a_tint(
    view: ArticleView, drawn: list[Drawn], tint: ColorTriplet, where: str
) -> list[str]:
    """The cursor, on a tagged sentence, still shows: the tint under it is changed by it."""
    under = {d.bg for d in drawn if inside(d, view.current_span) and not d.style.reverse}
    least = CURSOR_BAND if view.has_focus else BLURRED_CURSOR_BAND
    return [
        f"{where}: the cursor barely shows over the tint {tint.hex}: {bg.hex} "
        f"({contrast(bg, tint):.2f} < {least})"
        for bg in under
        if contrast(bg, tint) < least
    ]


def entity_looks_shared(
    view: ArticleView, drawn: list[Drawn], base_bg: ColorTriplet, where: str
) -> list[str]:
    """Each of the 18 entity types is drawn its own way (colour, italic, underline, bold) on
    the view's plain background."""
    looks: dict[str, set[tuple[object, ...]]] = {}
    entities = EntityIndex(view)
    for d in drawn:
        entity = entities.at(d.start) if d.start >= 0 else None
        if (
            entity is not None
            and d.bg == base_bg
            and not inside(d, view.current_span)
            and not view.article.is_chrome(d.start, d.start + 1)  # italic there
        ):
            look = (d.fg.hex, bool(d.style.italic), bool(d.style.underline), bool(d.style.bold))
            looks.setdefault(entity.label, set()).add(look)
    if set(looks) != set(LABEL_NAMES):
        return [f"{where}: types never drawn plainly: {set(LABEL_NAMES) - set(looks)}"]
    problems = [
        f"{where}: {label} drawn in several ways {seen}"
        for label, seen in looks.items()
        if len(seen) != 1
    ]
    by_look: dict[tuple[object, ...], list[str]] = {}
    for label, seen in looks.items():
        for look in seen:
            by_look.setdefault(look, []).append(label)
    problems += [
        f"{where}: {labels} all drawn as {look}"
        for look, labels in by_look.items()
        if len(labels) > 1
    ]
    return problems


async def test_every_theme_keeps_the_article_views_readable(make_app, store, bundled) -> None:
    """Text, tags, entities, notes, chrome and the cursor meet WCAG AA in every built-in
    theme; chrome is dimmer than the article's text; the cursor and each label's tint are
    bands of their own, the cursor over a tint too; each entity type is drawn its own way.
    The legend's type names, each in its type's colour and style, meet AA on its background."""
    tagged = {article.id: annotate(store, article) for article in bundled[:3]}
    app = make_app()
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        views = app.reader_screen.visible_views
        assert len(views) == 3
        await show_chrome(pilot, app)
        views[1].set_entities(every_type_entities(views[1].article))
        for view in views:
            view.move_cursor_to(tagged[view.article.id]["none"][0])
        # All 18 types, so that every entity colour is judged on the legend's background.
        legend = app.reader_screen.legend
        legend.show_labels(LABEL_NAMES)
        await pilot.pause()
        assert all(name in legend_text(app) for name in LABEL_NAMES.values())
        for name in themes(app):
            await set_theme(pilot, app, name)
            terminal = app.ansi_theme
            for view in views:
                where = f"{name} {view.article.id}"
                scene = tagged[view.article.id]
                _, base_bg = colours_drawn(view.rich_style, Style(), terminal)
                drawn = view_drawn(view, terminal)
                assert len(drawn) > 500, f"{where}: too little drawn to judge"
                problems += unreadable(drawn, where)
                problems += chrome_not_receding(view, drawn, base_bg, where)
                problems += bands_not_showing(view, drawn, base_bg, scene, where)
                if view is views[1]:
                    problems += entity_looks_shared(view, drawn, base_bg, where)
                if view in views[:2]:
                    # The cursor (focused, then not) on the claim sentence.
                    [claim_tint] = {d.bg for d in drawn if inside(d, scene["claim"])}
                    view.move_cursor_to(scene["claim"][0])
                    drawn = view_drawn(view, terminal)
                    problems += unreadable(drawn, f"{where}, cursor on a claim")
                    problems += cursor_not_showing_over_a_tint(view, drawn, claim_tint, where)
                    view.move_cursor_to(scene["none"][0])
            problems += unreadable(widget_drawn(legend, terminal), f"{name} #legend")

    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])


async def every_theme_drawn(app: NewsReaderApp, pilot: Pilot[None], widget: Widget) -> list[str]:
    """What in `widget` is under AA, in each theme."""
    problems = []
    for name in themes(app):
        await set_theme(pilot, app, name)
        drawn = widget_drawn(widget, app.ansi_theme)
        assert len(drawn) > 5
        problems += unreadable(drawn, f"{name} #{widget.id}")
    return problems


async def test_every_theme_keeps_the_status_line_readable(make_app, store, bundled) -> None:
    """The status line's text, its secondary parts included, meets WCAG AA in every theme."""
    annotate(store, bundled[0])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        status = app.reader_screen.status
        assert "claim" in widget_text(status)
        problems = await every_theme_drawn(app, pilot, status)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])


def legend_names(app: NewsReaderApp) -> list[str]:
    """The type names the legend shows on screen, in order (its lines joined)."""
    text = legend_text(app)
    assert text.startswith("Entities")
    return [name for name in re.split(r"\s{2,}|\n", text.removeprefix("Entities")) if name]


async def test_the_legend_shows_every_type_at_80x24(make_app) -> None:
    """At 80x24 the legend wraps onto a second or third line instead of cutting types off
    (it stopped after 5 of 14); even all 18 types fit in its three lines."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.reader_screen
        present = {e.label for view in screen.visible_views for e in view.entities}
        assert len(present) >= 10
        expected = [name for label, name in LABEL_NAMES.items() if label in present]
        assert legend_names(app) == expected
        assert 2 <= screen.legend.size.height <= 3
        screen.legend.show_labels(LABEL_NAMES)
        await pilot.pause()
        assert legend_names(app) == list(LABEL_NAMES.values())
        assert screen.legend.size.height == 3
        # The panes keep the rest of the screen: the status line and keys stay on it.
        assert screen.status.region.bottom <= 23


async def test_every_theme_keeps_selections_and_search_hits_readable(
    make_app, store, bundled
) -> None:
    """A selection over tagged and plain text, search hits (the current one too) and the
    annotation stepped to meet WCAG AA in every theme; the selection and the hits show, and
    no hit looks like a label's tint."""
    tagged = {article.id: annotate(store, article) for article in bundled[:3]}
    app = make_app()
    problems: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        views = app.reader_screen.visible_views
        await show_chrome(pilot, app)
        hits: dict[str, list[tuple[int, int]]] = {}
        for view in views:
            display = display_text(view.article.text)
            hits[view.article.id] = [m.span() for m in re.finditer(r"Hamas|Russia|the", display)]
            view.set_search(hits[view.article.id], hits[view.article.id][1])
        # On the first view: the annotations under the cursor stepped through, then a
        # selection from the cursor down two sentences (over tagged text and plain).
        await pilot.press("s", "j", "v", "shift+down", "shift+down")
        await pilot.pause()
        selected = views[0].document.selection
        assert selected is not None
        for name in themes(app):
            await set_theme(pilot, app, name)
            for view in views:
                where = f"{name} {view.article.id}"
                _, base_bg = colours_drawn(view.rich_style, Style(), app.ansi_theme)
                # The selection and the stepped annotation are near the top; hits everywhere.
                drawn = view_drawn(view, app.ansi_theme, screens=2)
                problems += unreadable(drawn, where)
                hit_spans = hits[view.article.id]
                if view is views[0]:
                    # (Where a search hit is selected too, the hit's band is what reverses.)
                    shown_as = {
                        d.bg
                        for d in drawn
                        if inside(d, selected) and not covered(hit_spans, d.start)
                    }
                    assert shown_as, f"{where}: the selection is not on the screens drawn"
                    problems += [
                        f"{where}: the selection {bg.hex} barely shows on {base_bg.hex}"
                        for bg in shown_as
                        if contrast(bg, base_bg) < TINT_BAND
                    ]
                    continue

                def on_hit(d: Drawn, hit_spans: list[tuple[int, int]] = hit_spans) -> bool:
                    return covered(hit_spans, d.start)

                plain = [d for d in drawn if not inside(d, view.current_span)]
                hit_bgs = {d.bg for d in plain if on_hit(d)}
                tints = {
                    d.bg
                    for d in plain
                    for label in LABELS
                    if inside(d, tagged[view.article.id][label]) and not on_hit(d)
                }
                problems += [
                    f"{where}: a search hit {bg.hex} barely shows on {base_bg.hex}"
                    for bg in hit_bgs
                    if contrast(bg, base_bg) < TINT_BAND
                ]
                problems += [
                    f"{where}: search hits look like a tint: {bg.hex}" for bg in hit_bgs & tints
                ]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:80])


async def test_switching_between_the_ansi_themes_redraws_the_tints(
    make_app, store, bundled
) -> None:
    """ansi-dark and ansi-light leave the colours to the terminal (its palette taken from the
    app's ANSI theme): going from one to the other, the tints are mixed again, dark then light."""
    article = bundled[0]
    claim = [s for s in article.sentences if not article.is_chrome(*s)][1]  # not the cursor's
    store.add(
        Annotation.create(
            article=article.id,
            text=article.text,
            start=claim[0],
            end=claim[1],
            annotator="tester",
            label="claim",
        )
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        tints = {}
        for name in ("ansi-dark", "ansi-light"):
            await set_theme(pilot, app, name)
            drawn = view_drawn(view, app.ansi_theme)
            [tints[name]] = {d.bg for d in drawn if inside(d, claim) and not d.style.reverse}
        assert luminance(tints["ansi-dark"]) < 0.1 < 0.4 < luminance(tints["ansi-light"])
