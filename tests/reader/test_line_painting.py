"""The line painter on its own: no app, no Pilot, a palette of plain colours.

Every component gets a colour or attribute of its own, from the 16 ANSI colours (which
reader.colours.readable_segments leaves as they are, the terminal's RGB being unknown), so the
style of a cell says which layer won there. The line starts at offset 100, not 0: the painter
turns article offsets into line offsets.
"""

from __future__ import annotations

import itertools
from typing import Any

from rich.color import Color
from rich.style import Style
from textual.strip import Strip

from annotations.labels import DEFAULT_LABELS, Label, LabelSet
from reader.document import Mark
from reader.entities import Entity
from reader.text_layout import DisplayLine, LineKind
from reader.widgets.line_painting import (
    CURSOR_BAR,
    GUTTER_WIDTH,
    LABEL_SLOTS,
    MORE_LABELS,
    NOTE_MARK,
    VIEW_COMPONENTS,
    LineContent,
    entity_component,
    near,
    paint_line,
)

BASE = Style(color="white", bgcolor="black")
COMPONENTS: dict[str, Style] = {
    "article-view--cursor": Style(bgcolor="blue"),
    "article-view--cursor-blurred": Style(bgcolor="bright_black"),
    "article-view--cursor-bar": Style(color="bright_yellow"),
    "article-view--cursor-bar-blurred": Style(color="bright_white"),
    "article-view--caret": Style(strike=True),
    "article-view--selection": Style(reverse=True),
    "article-view--focus": Style(overline=True),
    "article-view--overlap": Style(underline=True),
    "article-view--search-hit": Style(bgcolor="green"),
    "article-view--search-current": Style(bgcolor="bright_green"),
    "article-view--chrome": Style(italic=True),
    "article-view--fold": Style(color="bright_blue", italic=True),
    "article-view--note": Style(color="yellow", bold=True),
    entity_component("PERSON"): Style(color="bright_red"),
    entity_component("GPE"): Style(color="bright_cyan"),
}
TINTS: dict[str, Style] = {
    "claim": Style(bgcolor="red"),
    "opinion": Style(bgcolor="magenta"),
    "unverified": Style(bgcolor="yellow"),
    "source": Style(bgcolor="cyan"),
}
LABELS = LabelSet((*DEFAULT_LABELS, Label("source", "s", None, "Who said it")))

TEXT = "The mayor said the budget was balanced."
START = 100
LINE = DisplayLine(LineKind.TEXT, START, START + len(TEXT))


class ListedPalette:
    """The palette the painter asks: a fixed style per name, each name asked for recorded."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def component(self, name: str) -> Style:
        self.asked.append(name)
        return COMPONENTS[name]

    def tag(self, label: str) -> Style:
        return TINTS[label]


def span(words: str) -> tuple[int, int]:
    """The article offsets of `words` in the line (each test's words are found once)."""
    at = TEXT.index(words)
    return START + at, START + at + len(words)


def columns(words: str) -> range:
    """The cells of the line's text (after the gutter) that show `words`."""
    first, last = span(words)
    return range(first - START, last - START)


def mark(
    where: tuple[int, int],
    label: str = "claim",
    *,
    own: bool = True,
    note: str = "",
    annotator: str = "tester",
) -> Mark:
    return Mark(where[0], where[1], label, note, own, annotator, f"{label}-{where}-{annotator}")


def paint(**shown: Any) -> Strip:
    """LINE painted with these LineContent fields."""
    return paint_line(LineContent(LINE, TEXT)._replace(**shown), BASE, ListedPalette(), LABELS)


def cells(strip: Strip) -> list[tuple[str, Style]]:
    """Each cell of the strip: its character and style (the test text is one cell a letter)."""
    found: list[tuple[str, Style]] = []
    for segment in strip:
        assert segment.style is not None
        found.extend((character, segment.style) for character in segment.text)
    return found


def gutter(strip: Strip) -> list[tuple[str, Style]]:
    return cells(strip)[:GUTTER_WIDTH]


def body(strip: Strip) -> list[tuple[str, Style]]:
    return cells(strip)[GUTTER_WIDTH:]


def pieces(strip: Strip) -> list[str]:
    """The texts of the line's segments after the gutter's cells."""
    return [segment.text for segment in strip.crop(GUTTER_WIDTH)]


def backgrounds(strip: Strip, where: range) -> set[Color | None]:
    shown = body(strip)
    return {shown[x][1].bgcolor for x in where}


def colour(name: str) -> Color:
    return Color.parse(name)


# -- kinds of line -------------------------------------------------------------------------------


def test_a_gap_line_is_empty() -> None:
    strip = paint_line(
        LineContent(DisplayLine(LineKind.GAP, 50, 50)), BASE, ListedPalette(), LABELS
    )
    assert strip.cell_length == 0
    assert "".join(text for text, _ in cells(strip)) == ""


def test_a_fold_line_says_how_many_words_it_hides_behind_a_blank_gutter() -> None:
    fold = DisplayLine(LineKind.FOLD, 10, 10, (10, 90))
    palette = ListedPalette()
    strip = paint_line(LineContent(fold, folded_words=12), BASE, palette, LABELS)
    label = "⋯ site chrome folded (12 words) · f shows it"
    [segment] = strip
    assert segment.text == " " * GUTTER_WIDTH + label
    assert segment.style == BASE + COMPONENTS["article-view--fold"]
    assert strip.cell_length == GUTTER_WIDTH + len(label)
    assert palette.asked == ["article-view--fold"]


def test_a_plain_line_is_its_text_behind_an_empty_gutter() -> None:
    strip = paint()
    assert "".join(text for text, _ in cells(strip)) == " " * GUTTER_WIDTH + TEXT
    assert strip.cell_length == GUTTER_WIDTH + len(TEXT)
    assert {style for _, style in cells(strip)} == {BASE}


def test_the_gutters_neighbouring_cells_of_one_style_are_one_segment() -> None:
    # Textual writes each segment as its style, its text and a reset: a blank gutter cell by
    # cell was a quarter of the first frame's bytes. The text starts a segment of its own.
    assert [segment.text for segment in paint()] == [" " * GUTTER_WIDTH, TEXT]
    strip = paint(marks=[mark(span("mayor"), "claim")])
    # The cursor bar's cell, the label's letter, the blank cells, then the text.
    texts = [segment.text for segment in strip]
    assert texts == [" ", "C", "   ", "The ", "mayor", " said the budget was balanced."]
    gutter = list(strip.crop(0, GUTTER_WIDTH))
    assert all(a.style != b.style for a, b in itertools.pairwise(gutter))


def test_wide_characters_count_two_cells() -> None:
    text = "東京で会議"
    line = DisplayLine(LineKind.TEXT, 0, len(text))
    strip = paint_line(LineContent(line, text), BASE, ListedPalette(), LABELS)
    assert strip.cell_length == GUTTER_WIDTH + 2 * len(text)


def test_site_chrome_shown_recedes_over_the_whole_line() -> None:
    strip = paint(chrome=True)
    assert all(style.italic for _, style in body(strip))
    assert not any(style.italic for _, style in gutter(strip))


# -- annotations ---------------------------------------------------------------------------------


def test_nested_tags_show_the_innermost_tint_whatever_order_they_come_in() -> None:
    outer = mark((span("mayor")[0], span("budget")[1]), "claim")
    inner = mark(span("said"), "opinion")
    for marks in ([outer, inner], [inner, outer]):
        strip = paint(marks=marks)
        assert backgrounds(strip, columns("said")) == {colour("magenta")}
        assert backgrounds(strip, columns("mayor")) == {colour("red")}
        assert backgrounds(strip, columns("budget")) == {colour("red")}
        assert backgrounds(strip, columns("balanced")) == {colour("black")}


def test_text_under_two_labels_is_underlined_and_only_there() -> None:
    claim = mark((span("mayor")[0], span("the")[1]), "claim")
    opinion = mark((span("said")[0], span("budget")[1]), "opinion", own=False)
    shown = body(paint(marks=[claim, opinion]))
    underlined = {x for x, (_, style) in enumerate(shown) if style.underline}
    assert underlined == set(range(span("said")[0] - START, span("the")[1] - START))


def test_one_label_given_twice_is_not_an_overlap() -> None:
    mine = mark(span("mayor said"), "claim")
    theirs = mark(span("said the"), "claim", own=False, annotator="bob")
    strip = paint(marks=[mine, theirs])
    assert not any(style.underline for _, style in body(strip))
    assert backgrounds(strip, columns("said")) == {colour("red")}


def test_a_tag_running_past_the_line_tints_up_to_its_edge() -> None:
    strip = paint(marks=[mark((START - 40, span("mayor")[1]), "unverified")])
    assert pieces(strip) == ["The mayor", " said the budget was balanced."]
    assert backgrounds(strip, columns("The mayor")) == {colour("yellow")}
    assert backgrounds(strip, columns("said")) == {colour("black")}
    strip = paint(marks=[mark((span("budget")[0], LINE.end + 40), "unverified")])
    assert pieces(strip) == ["The mayor said the ", "budget was balanced."]
    assert backgrounds(strip, columns("budget was balanced.")) == {colour("yellow")}


def test_the_gutter_has_your_labels_upper_case_and_others_lower_case() -> None:
    strip = paint(
        marks=[
            mark(span("budget"), "opinion", own=False, annotator="bob"),
            mark(span("mayor"), "claim"),
        ]
    )
    slots = gutter(strip)[1 : 1 + LABEL_SLOTS]
    assert [text for text, _ in slots] == ["C", "o", " "]
    assert slots[0][1] == BASE + TINTS["claim"] + Style(bold=True)
    assert slots[1][1] == BASE + TINTS["opinion"]
    assert not slots[1][1].bold


def test_a_label_both_you_and_another_gave_is_lettered_once_as_yours() -> None:
    strip = paint(
        marks=[
            mark(span("mayor"), "claim", own=False, annotator="bob"),
            mark(span("said"), "claim"),
        ]
    )
    assert "".join(text for text, _ in gutter(strip)[1 : 1 + LABEL_SLOTS]) == "C  "


def test_the_gutter_orders_labels_as_configured_yours_first() -> None:
    strip = paint(
        marks=[
            mark(span("mayor"), "unverified"),
            mark(span("said"), "source", own=False, annotator="bob"),
            mark(span("the"), "claim"),
        ]
    )
    assert "".join(text for text, _ in gutter(strip)[1 : 1 + LABEL_SLOTS]) == "CUs"


def test_more_labels_than_slots_end_in_a_plus() -> None:
    marks = [
        mark(span("mayor"), "claim"),
        mark(span("said"), "opinion"),
        mark(span("budget"), "unverified", own=False, annotator="bob"),
        mark(span("balanced"), "source", own=False, annotator="bob"),
    ]
    slots = gutter(paint(marks=marks))[1 : 1 + LABEL_SLOTS]
    assert "".join(text for text, _ in slots) == "CO" + MORE_LABELS
    assert slots[-1][1] == BASE + Style(bold=True)
    # As many labels as slots: all shown.
    slots = gutter(paint(marks=marks[:LABEL_SLOTS]))[1 : 1 + LABEL_SLOTS]
    assert "".join(text for text, _ in slots) == "COu"


def test_a_label_not_in_the_set_is_lettered_by_its_name() -> None:
    marks = [mark(span("mayor"), "source", own=False)]
    strip = paint_line(LineContent(LINE, TEXT, marks=marks), BASE, ListedPalette(), LabelSet(()))
    assert gutter(strip)[1][0] == "s"


def test_a_note_is_marked_in_the_gutter_and_does_not_tint_the_text() -> None:
    note = mark(span("budget"), "", note="Which budget?")
    strip = paint(marks=[note])
    assert gutter(strip)[-1] == (NOTE_MARK, BASE + COMPONENTS["article-view--note"])
    assert "".join(text for text, _ in gutter(strip)[1 : 1 + LABEL_SLOTS]) == "   "
    assert backgrounds(strip, columns("budget")) == {colour("black")}
    assert gutter(paint())[-1] == (" ", BASE)


def test_the_focused_annotation_is_marked_over_its_span() -> None:
    claim = mark(span("mayor said"), "claim")
    shown = body(paint(marks=[claim], focused_mark=claim))
    assert {x for x, (_, style) in enumerate(shown) if style.overline} == set(columns("mayor said"))


# -- the cursor ----------------------------------------------------------------------------------


def test_the_cursor_sentence_is_barred_and_banded_bright_in_the_focused_view() -> None:
    sentence = (START, LINE.end)
    strip = paint(cursor=sentence, view_focused=True)
    assert gutter(strip)[0] == (CURSOR_BAR, BASE + COMPONENTS["article-view--cursor-bar"])
    assert backgrounds(strip, range(len(TEXT))) == {colour("blue")}


def test_the_cursor_dims_in_a_view_without_focus() -> None:
    strip = paint(cursor=(START, LINE.end), view_focused=False)
    assert gutter(strip)[0] == (CURSOR_BAR, BASE + COMPONENTS["article-view--cursor-bar-blurred"])
    assert backgrounds(strip, range(len(TEXT))) == {colour("bright_black")}


def test_a_cursor_sentence_ending_where_the_line_starts_is_not_on_it() -> None:
    strip = paint(cursor=(START - 30, START), view_focused=True)
    assert gutter(strip)[0] == (" ", BASE)
    assert backgrounds(strip, range(len(TEXT))) == {colour("black")}


def test_a_tag_shows_over_the_cursor() -> None:
    strip = paint(cursor=(START, LINE.end), view_focused=True, marks=[mark(span("said"))])
    assert backgrounds(strip, columns("said")) == {colour("red")}
    assert backgrounds(strip, columns("mayor")) == {colour("blue")}


# -- search, selection, caret --------------------------------------------------------------------


def test_search_hits_are_marked_and_the_current_one_over_them_and_over_tags() -> None:
    hits = [span("The"), span("the")]
    strip = paint(hits=hits, current_hit=hits[1], marks=[mark(span("the budget"))])
    assert backgrounds(strip, columns("the")) == {colour("bright_green")}
    assert backgrounds(strip, columns("The")) == {colour("green")}
    assert backgrounds(strip, columns("budget")) == {colour("red")}


def test_hits_before_the_line_are_skipped() -> None:
    before = (START - 10, START - 5)
    strip = paint(hits=[before, span("mayor")], current_hit=before)
    assert pieces(strip) == ["The ", "mayor", " said the budget was balanced."]
    assert backgrounds(strip, columns("mayor")) == {colour("green")}


def test_the_selection_is_drawn_and_the_caret_word_is_not_beside_it() -> None:
    shown = body(paint(selection=span("said the"), caret_word=span("the"), view_focused=True))
    assert {x for x, (_, style) in enumerate(shown) if style.reverse} == set(columns("said the"))
    assert not any(style.strike for _, style in shown)


def test_the_caret_word_is_drawn_in_the_focused_view_only() -> None:
    focused = body(paint(caret_word=span("budget"), view_focused=True))
    assert {x for x, (_, style) in enumerate(focused) if style.strike} == set(columns("budget"))
    blurred = body(paint(caret_word=span("budget"), view_focused=False))
    assert not any(style.strike for _, style in blurred)


# -- entities ------------------------------------------------------------------------------------


def test_entities_colour_their_text_over_every_tint() -> None:
    mayor = Entity(*span("mayor"), "PERSON")
    strip = paint(
        entities=[Entity(START - 20, START - 5, "GPE"), mayor],
        marks=[mark(span("The mayor"))],
        cursor=(START, LINE.end),
        view_focused=True,
    )
    assert pieces(strip) == ["The ", "mayor", " said the budget was balanced."]
    shown = body(strip)
    assert {shown[x][1].color for x in columns("mayor")} == {colour("bright_red")}
    assert backgrounds(strip, columns("mayor")) == {colour("red")}
    assert {style.color for _, style in shown[: columns("mayor")[0]]} == {colour("white")}
    assert {style.color for _, style in shown[columns("mayor")[-1] + 1 :]} == {colour("white")}


def test_near_finds_what_starts_on_the_line_and_the_last_before_it() -> None:
    spans = [(0, 5), (10, 40), (45, 50), (60, 70), (120, 130)]
    starts = [start for start, _ in spans]
    assert near(spans, starts, 42, 100) == [(10, 40), (45, 50), (60, 70)]
    assert near(spans, starts, 0, 10) == [(0, 5)]
    assert near(spans, starts, 200, 300) == [(120, 130)]
    assert near([], [], 0, 10) == []


# -- the palette ---------------------------------------------------------------------------------


def test_the_painter_asks_only_for_names_the_screen_declares() -> None:
    palette = ListedPalette()
    content = LineContent(
        LINE,
        TEXT,
        chrome=True,
        cursor=(START, LINE.end),
        view_focused=True,
        marks=[mark(span("mayor")), mark(span("mayor said"), "opinion", note="?")],
        hits=[span("the")],
        current_hit=span("the"),
        focused_mark=mark(span("mayor")),
        caret_word=span("budget"),
        entities=[Entity(*span("mayor"), "PERSON")],
    )
    paint_line(content, BASE, palette, LABELS)
    assert palette.asked
    assert set(palette.asked) <= VIEW_COMPONENTS
