"""Readable colours in every theme: WCAG 2.x contrast, tints mixed into the view's background.

No textual import: these work on Rich colours and styles, which is what the article view draws
with. Everything is cached by value (a Style, a colour pair), so once a theme's colours have been
seen the per-segment cost is one dictionary look-up (about 7 us for a line of ten segments; a
new pair costs about 40 us once).

- `readable_segments` is the last step of drawing a line: each segment's text colour that is
  under `AA_CONTRAST` (WCAG AA, 4.5:1) on its background is moved toward white or black, its
  hue and saturation kept, to `LIFTED_CONTRAST`.
- `mixed_component` (called by ArticleView._style) and `tag_tint` / `tag_style` make one
  stylesheet suit light and dark themes: a tint or the cursor is its colour mixed into the
  view's actual background, so light themes get light tints and dark themes dark ones
  (component styles reach the view as partial Rich styles, which drop alpha, so a tint cannot
  simply be a translucent colour in the stylesheet); site chrome is mixed toward the background
  so that it recedes, at AA.
- The ANSI themes leave the colours to the terminal, which no one here can see; the app's ANSI
  theme (a Rich TerminalTheme, Textual's stand-in for the terminal's palette) is taken for it.
- `faint` is secondary text for widgets (what Rich's dim was used for), readable.
"""

from __future__ import annotations

import colorsys
from functools import lru_cache

from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import TerminalTheme

AA_CONTRAST = 4.5
"""WCAG 2.x level AA minimum contrast for normal text."""

LIFTED_CONTRAST = 5.0
"""What text under AA is lifted to: a margin above AA, so that text drawn to recede (site
chrome, at AA itself) stays dimmer than the article's text in themes whose own text colour is
under AA (solarized-dark's is 4.1:1)."""

TAG_TINT = 0.32
"""How much of a label's colour its tint takes; the rest is the view's background."""

# Components whose stylesheet background is a colour to mix into the view's background rather
# than to paint as it is: (the colour's share, the least contrast the band must have with the
# view's background, more share being taken until it does). The cursor must show in themes
# whose text is close to their background (solarized) as well as in the others.
BACKGROUND_MIX: dict[str, tuple[float, float]] = {
    "article-view--cursor": (0.2, 1.4),
    "article-view--cursor-blurred": (0.1, 1.15),
    "article-view--search-hit": (0.35, 1.2),
    "article-view--search-current": (0.6, 1.6),
}
TAG_PREFIX = "article-view--tag-"
# The cursor is laid under the tags (so a tag under it shows), yet must show over them too: its
# style carries this meta key (its colour, share and least contrast), and readable_style mixes
# that colour into whatever background was laid over the cursor's, as it was into the view's.
UNDER_CURSOR = "reader.under-cursor"
CURSOR_COMPONENTS = frozenset({"article-view--cursor", "article-view--cursor-blurred"})
# Components whose stylesheet colour is mixed into the view's background for their text (the
# share of the colour): site chrome and the fold line recede, the unfocused cursor bar is faint
# (readable_segments then lifts each back to AA where a theme needs it).
FOREGROUND_MIX: dict[str, float] = {
    "article-view--chrome": 0.55,
    "article-view--fold": 0.6,
    "article-view--cursor-bar-blurred": 0.45,
}

# Rich's dim is drawn by the terminal, typically as the colour halfway to the background.
DIM_FACTOR = 0.5
WHITE = ColorTriplet(255, 255, 255)
BLACK = ColorTriplet(0, 0, 0)


def triplet(color: Color | None) -> ColorTriplet | None:
    """The RGB a colour is drawn in, or None where the terminal decides (default, 16 ANSI)."""
    if color is None:
        return None
    if color.type is ColorType.TRUECOLOR:
        return color.triplet
    if color.type is ColorType.EIGHT_BIT and color.number is not None and color.number >= 16:
        return color.get_truecolor()
    return None


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: ColorTriplet) -> float:
    """WCAG 2.x relative luminance, 0 (black) to 1 (white)."""
    red, green, blue = rgb
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: ColorTriplet, second: ColorTriplet) -> float:
    """WCAG 2.x contrast ratio of two colours, 1 (same) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def mix(first: ColorTriplet, second: ColorTriplet, share: float) -> ColorTriplet:
    """`share` of `second` in `first` (0 gives `first`, 1 gives `second`), per sRGB channel."""
    return ColorTriplet(*(round(a + (b - a) * share) for a, b in zip(first, second, strict=True)))


def blend(first: Color, second: Color, share: float) -> Color:
    """Rich colours mixed as `mix` does; `first` unchanged if either has no known RGB."""
    a, b = triplet(first), triplet(second)
    if a is None or b is None:
        return first
    return Color.from_triplet(mix(a, b, share))


def _with_lightness(hue: float, saturation: float, lightness: float) -> ColorTriplet:
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return ColorTriplet(round(red * 255), round(green * 255), round(blue * 255))


@lru_cache(maxsize=4096)
def readable_colour(
    foreground: ColorTriplet,
    background: ColorTriplet,
    minimum: float = AA_CONTRAST,
    target: float = LIFTED_CONTRAST,
) -> ColorTriplet:
    """`foreground` if its contrast with `background` reaches `minimum`; else the nearest
    colour of its hue and saturation that is lighter or darker enough to reach `target`.

    It moves away from the background (lighter on a darker background, darker on a lighter
    one) unless only the other way can reach `minimum`; on a mid-tone background that neither
    white nor black reaches `target` on, it goes as far as that way allows. Each channel grows
    with HLS lightness, so contrast does too and a bisection finds the smallest change.
    """
    if contrast_ratio(foreground, background) >= minimum:
        return foreground
    lighter = relative_luminance(foreground) >= relative_luminance(background)
    if contrast_ratio(WHITE if lighter else BLACK, background) < minimum:
        lighter = not lighter
    # White or black, the far end of the search, always reaches `goal`.
    goal = min(max(minimum, target), contrast_ratio(WHITE if lighter else BLACK, background))
    hue, lightness, saturation = colorsys.rgb_to_hls(*(channel / 255 for channel in foreground))
    near, far = lightness, (1.0 if lighter else 0.0)
    for _ in range(12):  # to 1/4096 of lightness: finer than 8-bit channels
        middle = (near + far) / 2
        if contrast_ratio(_with_lightness(hue, saturation, middle), background) >= goal:
            far = middle
        else:
            near = middle
    return _with_lightness(hue, saturation, far)


@lru_cache(maxsize=4096)
def readable_style(style: Style) -> Style:
    """`style` with its text colour made readable on its background (dim resolved into the
    colour, since how far a terminal dims is not ours to know); unchanged if a colour is
    unknown (terminal default or one of the 16 ANSI colours).

    Under the cursor (see UNDER_CURSOR) a background laid over the cursor's band, a tag's
    tint say, gets the cursor's colour mixed in. Reversed text keeps the colours it would have
    unreversed, swapped (contrast is the same both ways): a reversed entity is a block of the
    colour the entity is drawn in."""
    if style.meta.get(UNDER_CURSOR) is not None:
        style = _cursor_shown(style)
    foreground, behind = triplet(style.color), triplet(style.bgcolor)
    if foreground is None or behind is None:
        return style
    if style.dim:
        foreground = mix(behind, foreground, DIM_FACTOR)
    readable = readable_colour(foreground, behind)
    if readable == foreground and not style.dim:
        return style
    fixed = style + Style(dim=False) if style.dim else style
    return fixed + Style(color=Color.from_triplet(readable))


def _cursor_shown(style: Style) -> Style:
    """`style` (under the cursor) with the cursor's colour mixed into any background that was
    laid over the cursor's band, and without the UNDER_CURSOR meta."""
    meta = dict(style.meta)
    colour, share, least, band = meta.pop(UNDER_CURSOR)
    plain = style.clear_meta_and_links()
    if style.link:
        plain += Style(link=style.link)
    if meta:
        plain += Style.from_meta(meta)
    behind = triplet(style.bgcolor)
    if behind is None or behind.hex == band:
        return plain
    source = Color.parse(colour).get_truecolor()
    return plain + Style(bgcolor=Color.from_triplet(visible_band(behind, source, share, least)))


def readable_segments(segments: list[Segment]) -> list[Segment]:
    """Each segment's foreground adjusted to be readable on its background."""
    return [
        Segment(text, readable_style(style), control)
        if style is not None and not control
        else Segment(text, style, control)
        for text, style, control in segments
    ]


def tag_tint(
    label_colour: str, background: Color | None, terminal: TerminalTheme | None = None
) -> Color:
    """The tint for a label of colour `label_colour` ("#rrggbb") on `background` (the view's):
    `TAG_TINT` of the label's colour mixed into the background, so light themes get light
    tints and dark themes dark ones. In the ANSI themes the background is the terminal's,
    taken from `terminal` (the app's ANSI theme); without one, the label colour itself."""
    colour = Color.parse(label_colour)
    found = triplet(colour)
    behind = triplet(background)
    if behind is None and terminal is not None:
        behind = drawn_rgb(background, terminal, foreground=False)
    if behind is None or found is None:
        return colour
    return Color.from_triplet(mix(behind, found, TAG_TINT))


def tag_style(label_colour: str, base: Style, terminal: TerminalTheme | None = None) -> Style:
    """The style of a label's tint over `base` (the view's own style): `tag_tint`'s
    background, and in the ANSI themes (give `terminal`, the app's ANSI theme) a text colour
    readable on it, since readable_segments cannot see the terminal's own colours."""
    return mixed_component(TAG_PREFIX, Style(bgcolor=Color.parse(label_colour)), base, terminal)


def visible_band(
    background: ColorTriplet, colour: ColorTriplet, share: float, least: float
) -> ColorTriplet:
    """`share` of `colour` mixed into `background`, or more of it until the band's contrast
    with the background reaches `least`; where the colour cannot get there, white or black
    (whichever is further from the background) is mixed in instead."""
    extreme = (
        WHITE if contrast_ratio(WHITE, background) > contrast_ratio(BLACK, background) else BLACK
    )
    for source in (colour, extreme):
        for step in range(21):
            band = mix(background, source, min(share + step * 0.05, 1.0))
            if contrast_ratio(band, background) >= least:
                return band
            if share + step * 0.05 >= 0.6:
                break  # more of this colour would no longer read as a band behind text
    return mix(background, extreme, 0.5)


def drawn_rgb(
    color: Color | None, terminal: TerminalTheme | None, *, foreground: bool
) -> ColorTriplet:
    """The RGB a colour is drawn in, taking the terminal's own colours (default, the 16 ANSI)
    from `terminal`: the app's ANSI theme, Textual's stand-in for the terminal's palette."""
    return (color or Color.default()).get_truecolor(terminal, foreground)


def readable_on(style: Style, background: ColorTriplet) -> Style:
    """`style` with its text colour readable on its own background, or on `background` where
    it has none; an explicit colour is added only where one had to change."""
    behind = triplet(style.bgcolor) or background
    colour = triplet(style.color)
    if colour is None:
        return style
    readable = readable_colour(colour, behind)
    return style if readable == colour else style + Style(color=Color.from_triplet(readable))


@lru_cache(maxsize=1024)
def mixed_component(
    component: str, style: Style, base: Style, terminal: TerminalTheme | None = None
) -> Style:
    """A view component's stylesheet style as drawn on `base` (the view's own style): tints
    and the cursor mixed into the background, receding text mixed toward it (see
    BACKGROUND_MIX, FOREGROUND_MIX, TAG_TINT); any other component unchanged.

    In the ANSI themes the view's colours are the terminal's own, which `readable_segments`
    cannot see; there they are taken from `terminal` (the app's ANSI theme), the component's
    colours are given as RGB and its text colour is made readable on the view's background
    (or its own) here.
    """
    base_text = drawn_rgb(base.color, terminal, foreground=True)
    base_background = drawn_rgb(base.bgcolor, terminal, foreground=False)
    if style.bgcolor is not None:
        colour = drawn_rgb(style.bgcolor, terminal, foreground=False)
        if component.startswith(TAG_PREFIX):
            style += Style(bgcolor=Color.from_triplet(mix(base_background, colour, TAG_TINT)))
        elif component in BACKGROUND_MIX:
            share, least = BACKGROUND_MIX[component]
            band = visible_band(base_background, colour, share, least)
            style += Style(bgcolor=Color.from_triplet(band))
            if component in CURSOR_COMPONENTS:
                cursor = (colour.hex, share, least, band.hex)
                style += Style.from_meta({UNDER_CURSOR: cursor})
    text_share = FOREGROUND_MIX.get(component)
    if text_share is not None and style.color is not None:
        text = mix(base_background, drawn_rgb(style.color, terminal, foreground=True), text_share)
        # Lifted to AA itself, not past it: receding text stays dimmer than the article's.
        text = readable_colour(text, base_background, target=AA_CONTRAST)
        style += Style(color=Color.from_triplet(text))
    if triplet(base.bgcolor) is None and (style.color is not None or style.bgcolor is not None):
        # The component's own colours as RGB, so that readable_segments can judge any segment
        # it colours; text on a background of its own gets a colour readable on it.
        text = (
            base_text if style.color is None else drawn_rgb(style.color, terminal, foreground=True)
        )
        behind = drawn_rgb(style.bgcolor or base.bgcolor, terminal, foreground=False)
        if style.bgcolor is not None:
            style += Style(bgcolor=Color.from_triplet(behind))
        style += Style(color=Color.from_triplet(readable_colour(text, behind)))
    return style


def faint(base: Style, terminal: TerminalTheme | None = None) -> Style:
    """A colour for secondary text on `base` (a widget's own style), in place of Rich's dim:
    halfway to the background like a terminal's faint text, but lifted to AA where that is
    under it (it mostly is), and no further, so it stays fainter than the text around it."""
    text = drawn_rgb(base.color, terminal, foreground=True)
    background = drawn_rgb(base.bgcolor, terminal, foreground=False)
    colour = readable_colour(mix(background, text, DIM_FACTOR), background, target=AA_CONTRAST)
    return Style(color=Color.from_triplet(colour))
