"""Pilot tests of the entity index and the entity types dialog, pushed onto the real app.

The index shows the rows it is given (the grouping of names into entries is tested elsewhere):
here, entries as the bundled articles name them, several spellings each, counted in the five
bundled articles. What the screens post reaches the app: `RecordingApp` is the real app with the
two correction handlers replaced by ones that write the requests down. Snapshots at 80x24 (the
smallest terminal the reader promises to fit) and 160x45; regenerate them with
`python -m pytest tests/reader/test_reader_entity_screens.py --snapshot-update` and look at the
SVGs under __snapshots__/ before committing them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from reader_helpers import SIZE, record_notifications, wait_for, widget_text
from rich.style import Style
from textual.color import Color
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, SelectionList

from annotations.store import AnnotationStore
from corpus.model import Article
from reader.app import NewsReaderApp
from reader.entities import EntityCache
from reader.screens.entity_index_screen import (
    EMPTY_MESSAGE,
    UPWARD_EIGHTHS,
    EntityChoice,
    EntityIndexScreen,
    EntityRow,
    entity_type_style,
)
from reader.screens.entity_types_screen import EntityTypesScreen
from reader.screens.label_picker import LabelPicker
from reader.screens.reader_screen import ReaderScreen

SMALL = (80, 24)
LARGE = (160, 45)
Compare = Callable[..., bool]

OUTLETS = [
    "The Telegraph",
    "The Washington Post",
    "Worldcrunch",
    "Russia and Hamas: a strategic alliance of convenience",
    "Iran’s War Against Israel and the US Has Russia’s Backing",
]
ROWS = [
    EntityRow(
        "putin",
        "Vladimir Putin",
        "PERSON",
        ("Putin", "Vladimir Putin", "Mr Putin"),
        (14, 9, 6, 3, 5),
    ),
    EntityRow(
        "marzouk",
        "Musa Abu Marzouk",
        "PERSON",
        ("Abu Marzouk", "Musa Abu Marzouk", "Moussa Abu Marzouk"),
        (3, 0, 2, 4, 0),
    ),
    EntityRow("marzuk", "Mūsā Abū Marzūk", "PERSON", ("Mūsā Abū Marzūk",), (0, 0, 0, 1, 0)),
    EntityRow(
        "lavrov",
        "Sergei Lavrov",
        "PERSON",
        ("Lavrov", "Sergei Lavrov", "Sergey Lavrov"),
        (2, 0, 1, 3, 1),
    ),
    EntityRow(
        "bogdanov",
        "Mikhail Bogdanov",
        "PERSON",
        ("Bogdanov", "Mikhail Bogdanov", "Bohdanov"),
        (1, 0, 2, 2, 0),
    ),
    EntityRow("hamas", "Hamas", "ORG", ("Hamas",), (20, 12, 15, 18, 6)),
    EntityRow("kremlin", "Kremlin", "ORG", ("Kremlin", "the Kremlin"), (4, 2, 3, 5, 1)),
    EntityRow("wagner", "Wagner [PMC]", "ORG", ("Wagner [PMC]", "Wagner"), (0, 1, 2, 0, 0)),
    EntityRow("russia", "Russia", "GPE", ("Russia", "Russian Federation"), (11, 8, 12, 16, 14)),
    EntityRow("iran", "Iran", "GPE", ("Iran",), (6, 4, 5, 7, 19)),
    EntityRow("israel", "Israel", "GPE", ("Israel",), (5, 3, 4, 9, 8)),
    EntityRow("moscow", "Moscow", "GPE", ("Moscow",), (3, 2, 4, 6, 2)),
    EntityRow("gaza", "Gaza", "GPE", ("Gaza", "the Gaza Strip"), (2, 1, 1, 3, 0)),
    EntityRow(
        "october7", "October 7", "DATE", ("October 7", "Oct. 7", "7 October"), (2, 1, 1, 2, 1)
    ),
    EntityRow("kuzio", "Taras Kuzio", "PERSON", ("Kuzio", "Taras Kuzio"), (0, 0, 0, 0, 2)),
    EntityRow("russians", "Russians", "NORP", ("Russians", "Russian"), (1, 2, 3, 2, 4)),
]
BY_COUNT = [
    "hamas", "russia", "iran", "putin", "israel", "moscow", "kremlin", "russians", "marzouk",
    "gaza", "october7", "lavrov", "bogdanov", "wagner", "kuzio", "marzuk",
]  # fmt: skip
BY_NAME = [
    "gaza", "hamas", "iran", "israel", "kremlin", "bogdanov", "moscow", "marzouk", "marzuk",
    "october7", "russia", "russians", "lavrov", "kuzio", "putin", "wagner",
]  # fmt: skip
TYPES = [("GPE", 120), ("PERSON", 40), ("ORG", 33), ("DATE", 12), ("NORP", 9), ("WORK_OF_ART", 1)]


class RecordingApp(NewsReaderApp):
    """The reader, with the index's requests written down instead of made."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.merges: list[tuple[str, str]] = []
        self.splits: list[tuple[str, str]] = []

    def on_entity_index_screen_merge_requested(
        self, message: EntityIndexScreen.MergeRequested
    ) -> None:
        message.prevent_default()  # the real app's own handler is not run
        self.merges.append((message.key, message.into_key))

    def on_entity_index_screen_split_requested(
        self, message: EntityIndexScreen.SplitRequested
    ) -> None:
        message.prevent_default()
        self.splits.append((message.key, message.variant))


@pytest.fixture
def app(
    bundled: list[Article], store: AnnotationStore, entity_cache_dir: Path, tmp_path: Path
) -> RecordingApp:
    """As conftest's make_app builds the reader, on the bundled corpus."""
    return RecordingApp(
        bundled,
        store,
        annotator="tester",
        entity_cache=EntityCache(entity_cache_dir),
        export_directory=tmp_path,
    )


async def push(pilot: Pilot[Any], screen: Any) -> list[Any]:
    """Push `screen` over the reader once it is up; the list receives what it is dismissed with."""
    app = pilot.app
    assert isinstance(app, NewsReaderApp)
    await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen), what="the reader")
    # The app hands an open index its own rows as entities come in: these tests give theirs
    # once every article's cached entities are in.
    await wait_for(
        pilot,
        lambda: all(article.id in app.entities for article in app.articles),
        what="every article's entities",
    )
    await pilot.pause()
    results: list[Any] = []
    await app.push_screen(screen, results.append)
    await wait_for(pilot, lambda: app.screen is screen and screen.is_mounted, what="the dialog")
    await pilot.pause()
    return results


async def open_index(
    pilot: Pilot[Any], rows: Sequence[EntityRow] = ROWS, **options: Any
) -> tuple[EntityIndexScreen, list[EntityChoice | None]]:
    screen = EntityIndexScreen(rows, OUTLETS, **options)
    return screen, await push(pilot, screen)


def shown_keys(screen: EntityIndexScreen) -> list[str]:
    return [row.key for row in screen.shown_rows]


def table_lines(screen: EntityIndexScreen) -> list[str]:
    """The table as drawn: the header line, then a line per row on screen."""
    return widget_text(screen.query_one(DataTable)).split("\n")


def row_line(screen: EntityIndexScreen, name: str) -> str:
    lines = [line for line in table_lines(screen)[1:] if name in line]
    assert len(lines) == 1, f"{name!r} drawn on {len(lines)} lines"
    return lines[0]


def cursor_key(screen: EntityIndexScreen) -> str | None:
    row = screen.selected
    return None if row is None else row.key


def text_of(screen: EntityIndexScreen, selector: str) -> str:
    return " ".join(widget_text(screen.query_one(selector)).split())


async def type_filter(pilot: Pilot[Any], text: str) -> None:
    await pilot.press("ctrl+u", *text)


# -- the index -----------------------------------------------------------------------------------


async def test_the_index_lists_each_entry_with_type_spellings_bars_per_article_and_total(
    app: RecordingApp,
) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, _ = await open_index(pilot, selected_key="lavrov", highlighted_key="putin")
        assert text_of(screen, "#entity-index-title").startswith(
            "Entities in 5 articles · 16 entries"
        )
        assert shown_keys(screen) == BY_COUNT
        header = table_lines(screen)[0]
        for heading in ("Name", "Type", "Also written", "Telegraph", "Worldcrunch", "Total"):
            assert heading in header
        assert "The Telegraph" not in header  # the outlets' short names
        putin = row_line(screen, "Vladimir Putin")
        assert "◉" in putin  # the entry highlighted alone has a marker; no other has
        assert sum("◉" in line for line in table_lines(screen)) == 1
        assert "person" in putin and "Putin, Mr Putin" in putin
        # A bar and a count per article, the largest count (Hamas's 20) a full bar.
        assert "█████▋   14" in putin  # 14 of 20: five cells and five eighths
        assert putin.rstrip().endswith("37")
        assert "████████ 20" in row_line(screen, "Hamas")
        assert "·" in row_line(screen, "Musa Abu Marzouk")  # no mention in that article
        assert "Wagner [PMC]" in row_line(screen, "Wagner")  # literal, not markup
        # The cursor is on the entry asked for, and the line below says it all.
        assert cursor_key(screen) == "lavrov"
        assert text_of(screen, "#entity-index-detail") == (
            "Sergei Lavrov · person · 7 mentions · also Lavrov, Sergey Lavrov"
        )
        assert isinstance(app.focused, Input)  # typing filters at once
        hint = text_of(screen, "#entity-index-hint")
        for key in ("⏎ tour", "^l highlight", "^g merge", "^t split", "^s by name", "esc close"):
            assert key in hint


async def test_the_filter_matches_names_and_spellings_whatever_the_case_and_accents(
    app: RecordingApp,
) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, _ = await open_index(pilot)
        await type_filter(pilot, "marzouk")
        assert shown_keys(screen) == ["marzouk", "marzuk"]  # "Marzūk" too
        assert "Mūsā Abū Marzūk" in widget_text(screen.query_one(DataTable))
        assert "2 match" in text_of(screen, "#entity-index-title")
        await type_filter(pilot, "MUSA ABU")
        assert shown_keys(screen) == ["marzouk", "marzuk"]
        await type_filter(pilot, "marzo")  # half a word: the plain spelling still matches
        assert shown_keys(screen) == ["marzouk"]
        await type_filter(pilot, "sergey")  # a spelling that is not the name
        assert shown_keys(screen) == ["lavrov"]
        await type_filter(pilot, "lavrov sergei")  # every word, in any order
        assert shown_keys(screen) == ["lavrov"]
        await type_filter(pilot, "bohdanov")
        assert shown_keys(screen) == ["bogdanov"]
        await type_filter(pilot, "[pmc]")
        assert shown_keys(screen) == ["wagner"]
        await type_filter(pilot, "nobody")
        assert shown_keys(screen) == []
        assert text_of(screen, "#entity-index-detail") == "Nothing matches the filter."
        await pilot.press("enter")  # nothing to choose: the index stays
        assert app.screen is screen
        await pilot.press("ctrl+u")
        assert shown_keys(screen) == BY_COUNT


async def test_hash_words_keep_types_by_label_or_by_name(app: RecordingApp) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, _ = await open_index(pilot)
        people = ["putin", "marzouk", "lavrov", "bogdanov", "kuzio", "marzuk"]
        await type_filter(pilot, "#person")
        assert shown_keys(screen) == people
        await type_filter(pilot, "#PER")  # a prefix, any case
        assert shown_keys(screen) == people
        await type_filter(pilot, "#org #gpe")  # either type
        assert shown_keys(screen) == [
            "hamas", "russia", "iran", "israel", "moscow", "kremlin", "gaza", "wagner",
        ]  # fmt: skip
        await type_filter(pilot, "#country")  # the human name of GPE
        assert shown_keys(screen) == ["russia", "iran", "israel", "moscow", "gaza"]
        await type_filter(pilot, "#person marzouk")  # with words
        assert shown_keys(screen) == ["marzouk", "marzuk"]
        await type_filter(pilot, "russia #norp")
        assert shown_keys(screen) == ["russians"]
        for line in table_lines(screen)[1:]:
            assert "country/city" not in line


async def test_ctrl_s_sorts_by_name_then_by_count_again(app: RecordingApp) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, _ = await open_index(pilot, selected_key="putin")
        assert table_lines(screen)[1].split()[0] == "Hamas"
        await pilot.press("ctrl+s")
        assert shown_keys(screen) == BY_NAME
        assert table_lines(screen)[1].split()[0] == "Gaza"
        assert "by name" in text_of(screen, "#entity-index-title")
        assert "^s by count" in text_of(screen, "#entity-index-hint")
        assert cursor_key(screen) == "putin"  # the cursor stays on its entry
        await type_filter(pilot, "#person")  # the order holds while filtering
        assert shown_keys(screen) == ["bogdanov", "marzouk", "marzuk", "lavrov", "kuzio", "putin"]
        await pilot.press("ctrl+s")
        assert shown_keys(screen) == ["putin", "marzouk", "lavrov", "bogdanov", "kuzio", "marzuk"]


async def test_enter_dismisses_with_a_tour_of_the_entry_under_the_cursor(
    app: RecordingApp,
) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, chosen = await open_index(pilot)
        await pilot.press("down", "down", "down")
        assert cursor_key(screen) == "putin"
        await pilot.press("enter")
        await wait_for(pilot, lambda: chosen != [], what="the index dismissed")
        assert chosen == [EntityChoice("putin", "tour")]
        assert isinstance(app.screen, ReaderScreen)

        screen, chosen = await open_index(pilot)
        await type_filter(pilot, "lavrov")
        await pilot.press("enter")  # straight from the filter
        await wait_for(pilot, lambda: chosen != [], what="the index dismissed")
        assert chosen == [EntityChoice("lavrov", "tour")]


async def test_ctrl_l_highlights_the_entry_alone_and_escape_chooses_nothing(
    app: RecordingApp,
) -> None:
    async with app.run_test(size=LARGE) as pilot:
        _, chosen = await open_index(pilot, selected_key="iran")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: chosen != [], what="the index dismissed")
        assert chosen == [EntityChoice("iran", "highlight")]

        _, chosen = await open_index(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: chosen != [], what="the index dismissed")
        assert chosen == [None]
        assert isinstance(app.screen, ReaderScreen)


async def test_ctrl_g_marks_an_entry_then_merges_it_into_another(app: RecordingApp) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, chosen = await open_index(pilot)
        await type_filter(pilot, "marzouk")
        await pilot.press("down")
        assert cursor_key(screen) == "marzuk"
        await pilot.press("ctrl+g")
        assert text_of(screen, "#entity-index-detail") == (
            "merging: Mūsā Abū Marzūk — choose the entry to merge it into "
            "(ctrl+g on it; esc cancels)"
        )
        assert "⇢" in row_line(screen, "Mūsā Abū Marzūk")
        assert "esc cancel merge" in text_of(screen, "#entity-index-hint")
        assert app.merges == []
        await pilot.press("up", "ctrl+g")
        await wait_for(pilot, lambda: app.merges != [], what="the merge request")
        assert app.merges == [("marzuk", "marzouk")]
        assert "⇢" not in widget_text(screen.query_one(DataTable))  # the mark is gone
        assert app.screen is screen and chosen == []  # the index stays for the next one

        # Escape drops a mark and leaves the index open; the same key on the same entry too.
        await pilot.press("ctrl+g", "escape")
        assert "merging" not in text_of(screen, "#entity-index-detail")
        assert app.screen is screen
        await pilot.press("ctrl+g", "ctrl+g")
        assert "⇢" not in widget_text(screen.query_one(DataTable))
        assert app.merges == [("marzuk", "marzouk")]
        await pilot.press("escape")
        await wait_for(pilot, lambda: chosen == [None], what="the index dismissed")


async def test_ctrl_t_splits_a_spelling_off_through_the_picker(app: RecordingApp) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, chosen = await open_index(pilot, selected_key="putin")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelPicker), what="the picker")
        picker = app.screen
        assert "Vladimir Putin" in widget_text(picker.query_one(".dialog-title"))
        options = widget_text(picker.query_one(OptionList))
        for variant in ("Putin", "Vladimir Putin", "Mr Putin"):
            assert variant in options
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: app.splits != [], what="the split request")
        assert app.splits == [("putin", "Mr Putin")]
        assert app.screen is screen and chosen == []

        await pilot.press("ctrl+t", "escape")  # the picker cancelled: nothing asked
        await wait_for(pilot, lambda: app.screen is screen, what="back on the index")
        assert app.splits == [("putin", "Mr Putin")]

        notices = record_notifications(app)
        await type_filter(pilot, "hamas")  # one spelling: nothing to split
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.screen is screen
        assert [notice.message for notice in notices] == [
            "“Hamas” has one spelling: there is nothing to split off."
        ]


async def test_update_rows_keeps_the_filter_the_order_and_the_cursor(app: RecordingApp) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, _ = await open_index(pilot)
        await type_filter(pilot, "#person")
        await pilot.press("ctrl+s", "ctrl+home", "down", "down", "down")
        assert shown_keys(screen) == ["bogdanov", "marzouk", "marzuk", "lavrov", "kuzio", "putin"]
        assert cursor_key(screen) == "lavrov"
        # The app merged "Mūsā Abū Marzūk" into "Musa Abu Marzouk": one row fewer above.
        merged = [row for row in ROWS if row.key != "marzuk"]
        merged[1] = EntityRow(
            "marzouk",
            "Musa Abu Marzouk",
            "PERSON",
            (*merged[1].variants, "Mūsā Abū Marzūk"),
            (3, 0, 2, 5, 0),
        )
        screen.update_rows(merged)
        await pilot.pause()
        assert screen.query_one(Input).value == "#person"
        assert shown_keys(screen) == ["bogdanov", "marzouk", "lavrov", "kuzio", "putin"]
        assert cursor_key(screen) == "lavrov"
        assert row_line(screen, "Musa Abu Marzouk").rstrip().endswith("10")
        assert "Mūsā" in row_line(screen, "Musa Abu Marzouk")  # the spelling taken in
        assert "15 entries" in text_of(screen, "#entity-index-title")
        # The entry under the cursor gone: the cursor keeps its place in the list.
        screen.update_rows([row for row in merged if row.key != "lavrov"])
        await pilot.pause()
        assert shown_keys(screen) == ["bogdanov", "marzouk", "kuzio", "putin"]
        assert cursor_key(screen) == "kuzio"


async def test_the_bars_take_the_themes_accent_colour_even_after_a_theme_change(
    app: RecordingApp,
) -> None:
    async with app.run_test(size=SMALL) as pilot:
        screen, _ = await open_index(pilot)
        table = screen.query_one(DataTable)

        def bar_colour() -> tuple[int, int, int]:
            bars = {
                segment.style.color.get_truecolor()
                for segment in table.render_line(2)  # Russia (under Hamas, the cursor's row)
                if segment.style is not None
                and segment.style.color is not None
                and segment.text.strip()
                and segment.text.strip() in UPWARD_EIGHTHS
            }
            assert len(bars) == 1, bars
            red, green, blue = bars.pop()
            return red, green, blue

        def like_accent() -> bool:
            accent = Color.parse(app.current_theme.accent or "").rgb
            return all(abs(a - b) <= 2 for a, b in zip(bar_colour(), accent, strict=True))

        assert like_accent()
        before = bar_colour()
        app.theme = "nord"
        await wait_for(pilot, like_accent, what="the bars in the new accent colour")
        assert bar_colour() != before


async def test_a_long_list_comes_in_batches_and_a_new_filter_drops_the_old_ones(
    app: RecordingApp,
) -> None:
    rows = [
        EntityRow(f"e{i:04}", f"Name {i:04}", "ORG" if i % 2 else "PERSON", (), (i % 7, 1, 0, 0, 2))
        for i in range(1000)
    ]
    async with app.run_test(size=SMALL) as pilot:
        screen, chosen = await open_index(pilot, rows=rows, selected_key="e0501")
        table = screen.query_one(DataTable)
        assert table.row_count == len(screen.shown_rows) == 1000
        assert cursor_key(screen) == "e0501"
        # Scrolled to it (the table scrolls once it has laid the rows out).
        await wait_for(pilot, lambda: "Name 0501" in widget_text(table), what="scrolled")
        # Two changes of the filter before the first one's batches come in.
        search = screen.query_one(Input)
        search.value = "name"
        search.value = "#org"
        await wait_for(pilot, lambda: table.row_count == 500, what="the list filled")
        await pilot.pause()
        drawn = [
            table.coordinate_to_cell_key(Coordinate(index, 0)).row_key.value for index in range(500)
        ]
        assert drawn == shown_keys(screen) and len(set(drawn)) == 500
        assert cursor_key(screen) == "e0501"  # still shown: the cursor stays on it
        await pilot.press("ctrl+end", "enter")
        await wait_for(pilot, lambda: chosen != [], what="the index dismissed")
        assert chosen == [EntityChoice(shown_keys(screen)[-1], "tour")]


async def test_an_empty_index_says_why(app: RecordingApp) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen, chosen = await open_index(pilot, rows=[])
        assert text_of(screen, "#entity-index-title").startswith(
            "Entities in 5 articles · 0 entries"
        )
        assert text_of(screen, "#entity-index-detail") == EMPTY_MESSAGE
        await pilot.press("enter", "ctrl+l", "ctrl+g", "ctrl+t")
        assert app.screen is screen and chosen == [] and app.merges == []


async def test_at_80x24_every_column_fits_and_the_entry_is_whole_below(
    app: RecordingApp,
) -> None:
    async with app.run_test(size=SMALL) as pilot:
        screen, _ = await open_index(pilot, selected_key="bogdanov")
        table = screen.query_one(DataTable)
        assert table.max_scroll_x == 0  # no column off to the right
        header = table_lines(screen)[0]
        assert "Total" in header and "Tel…" in header
        line = row_line(screen, "Mikhail Bo…")
        assert "Mikhail Bogdanov" not in line and "…" in line  # cut to fit
        assert line.rstrip().endswith("5")
        # The hidden part is on the line under the table, and the keys are all there.
        assert text_of(screen, "#entity-index-detail") == (
            "Mikhail Bogdanov · person · 5 mentions · also Bogdanov, Bohdanov"
        )
        assert "esc close" in text_of(screen, "#entity-index-hint")
        assert table.region.bottom < screen.query_one("#entity-index-detail").region.y + 1
        await pilot.press("pagedown")
        assert cursor_key(screen) != "bogdanov"


# -- the types dialog ----------------------------------------------------------------------------


async def test_the_types_dialog_toggles_types_and_returns_the_hidden_set(
    app: RecordingApp,
) -> None:
    async with app.run_test(size=LARGE) as pilot:
        screen = EntityTypesScreen(TYPES, frozenset({"DATE", "MONEY"}))
        chosen = await push(pilot, screen)
        choices = screen.query_one(SelectionList)
        drawn = widget_text(choices)
        for name, count in (("country/city", "120 mentions"), ("work", "  1 mention")):
            assert name in drawn and count in drawn
        assert set(choices.selected) == {"GPE", "PERSON", "ORG", "NORP", "WORK_OF_ART"}
        await pilot.press("space")  # the first, country/city, hidden
        await pilot.press("down", "down", "down", "space")  # date shown
        assert screen.chosen_hidden == {"GPE", "MONEY"}  # MONEY, not listed, stays hidden
        await pilot.press("enter")
        await wait_for(pilot, lambda: chosen != [], what="the dialog dismissed")
        assert chosen == [frozenset({"GPE", "MONEY"})]

        screen = EntityTypesScreen(TYPES, frozenset({"DATE"}))
        chosen = await push(pilot, screen)
        await pilot.press("n")
        assert screen.query_one(SelectionList).selected == []
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: chosen != [], what="the dialog dismissed")
        assert chosen == [frozenset(label for label, _ in TYPES)]

        screen = EntityTypesScreen(TYPES, frozenset({"DATE", "ORG"}))
        chosen = await push(pilot, screen)
        await pilot.press("a", "enter")
        await wait_for(pilot, lambda: chosen != [], what="the dialog dismissed")
        assert chosen == [frozenset()]

        screen = EntityTypesScreen(TYPES, frozenset({"DATE"}))
        chosen = await push(pilot, screen)
        await pilot.press("space", "escape")  # nothing changes
        await wait_for(pilot, lambda: chosen != [], what="the dialog dismissed")
        assert chosen == [None]


async def test_each_type_is_drawn_as_the_text_draws_it(app: RecordingApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = app.screen_stack[-1]
        screen = EntityTypesScreen(TYPES, frozenset())
        await push(pilot, screen)
        choices = screen.query_one(SelectionList)
        assert isinstance(reader, ReaderScreen)

        def colour_of(name: str) -> Any:
            for y in range(choices.size.height):
                for segment in choices.render_line(y):
                    if segment.text.strip() == name and segment.style is not None:
                        return segment.style.color
            raise AssertionError(f"{name} is not drawn")

        for label, name in (("PERSON", "person"), ("ORG", "organisation"), ("GPE", "country/city")):
            expected = entity_type_style(reader, label, choices.rich_style).color
            assert expected is not None and colour_of(name) == expected
        assert colour_of("person") != colour_of("organisation")
        # With no reader screen below, plain.
        assert entity_type_style(None, "PERSON", Style()) == Style()


# -- snapshots -----------------------------------------------------------------------------------


def pushing(make: Callable[[], Any], *keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await push(pilot, make())
        if keys:
            await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_entity_index_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The index over the dimmed reader: "Entities in 5 articles · 16 entries · by count", an
    empty filter box ("Filter: words, #person #org #place…") with the text cursor, then the
    table Name / Type / Also written / a column per article headed by its outlet's short name
    (Telegraph, Washington Post, Worldcrunch, then the two untitled articles' titles, cut) /
    Total, Hamas first. Each count has a bar in the accent colour, Hamas's 20 the fullest:
    one cell rising by eighths at 80x24, up to 8 cells across at 160x45. "◉" marks Vladimir
    Putin; the cursor is on Sergei Lavrov, whose spellings are whole on the line under the
    table; the key hint at the bottom. At 80x24 the names and types are cut with "…" and every
    column fits."""
    assert snap_compare(
        snapshot_app,
        run_before=pushing(
            lambda: EntityIndexScreen(ROWS, OUTLETS, selected_key="lavrov", highlighted_key="putin")
        ),
        terminal_size=size,
    )


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_entity_index_filtered_and_merging_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The filter "#person marzouk" keeps two entries ("· 2 match"); the second, "Mūsā Abū
    Marzūk", is marked "⇢" to be merged and the line under the table reads "merging: Mūsā Abū
    Marzūk — choose the entry to merge it into (ctrl+g on it; esc cancels)"; the hint ends
    "esc cancel merge"."""
    assert snap_compare(
        snapshot_app,
        run_before=pushing(
            lambda: EntityIndexScreen(ROWS, OUTLETS), *"#person marzouk", "down", "ctrl+g"
        ),
        terminal_size=size,
    )


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x45"])
def test_entity_types_snapshot(
    snap_compare: Compare, snapshot_app: NewsReaderApp, size: tuple[int, int]
) -> None:
    """The dialog "Entity types shown in the text": a checkbox per type, checked but for
    "date", each type's name in the colour and style the text draws it in (country/city,
    person, organisation, date, group, work in italics), its mentions dimmed and lined up
    ("120 mentions" … "  1 mention"), the cursor on the first; the hint "space show/hide  a all
    n none  ⏎ apply  esc cancel"."""
    assert snap_compare(
        snapshot_app,
        run_before=pushing(lambda: EntityTypesScreen(TYPES, frozenset({"DATE"}))),
        terminal_size=size,
    )
