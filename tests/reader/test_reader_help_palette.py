"""Help (`?`) and the command palette (ctrl+p), both built from the bindings in force: help
grouped by what the keys do, without class names; every action a key does in the palette, run
where its key would run it; ctrl+c says in plain words how to quit."""

from __future__ import annotations

from typing import ClassVar

from reader_helpers import SIZE, toasts, view_of, wait_for, widget_text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.style import Style
from textual.widgets import Static

from reader.app import NewsReaderApp
from reader.commands import GROUP_ORDER, highlighted, live_actions
from reader.screens.export_screen import ExportScreen
from reader.screens.help_screen import HelpScreen

SMALL = (80, 24)
CLASS_NAMES = ("ArticleView", "ArticlePane", "ReaderScreen", "NewsReaderApp", "Screen", "App")


# -- grouping, on a small app of its own -------------------------------------------------------


class Focusable(Static, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "bell", "Ring from the widget", id="tag.ring"),
        Binding("j,down", "bell", "Next thing", id="sentence.next"),
        Binding("z", "bell", "No id at all"),
        Binding("m", "bell", "", id="chrome.undescribed"),
    ]


class GroupingApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "bell", "App thing", id="app.thing"),
        Binding("f", "bell", "Fold", id="chrome.fold"),
        Binding("s", "bell", "Find", id="search.find"),
        Binding("k", "bell", "Odd prefix", id="mystery.thing"),
        Binding("y", "bell", "Shared"),
        Binding("ctrl+y", "bell", "Shared", id="search.shared"),
    ]

    def compose(self) -> ComposeResult:
        yield Focusable("x")


async def test_actions_are_grouped_by_the_prefix_of_their_binding_id() -> None:
    app = GroupingApp()
    async with app.run_test():
        actions = {entry.description: entry for entry in live_actions(app.screen)}
        groups = {description: entry.group for description, entry in actions.items()}
        assert groups["Ring from the widget"] == "Annotate"
        assert groups["Next thing"] == "Move"
        assert groups["Fold"] == "View"
        assert groups["Find"] == "Search"
        assert groups["App thing"] == "App"
        # An unknown prefix, or no id, is "Other"; Textual's own ctrl+q joins the App group.
        assert groups["Odd prefix"] == groups["No id at all"] == "Other"
        assert groups["Quit"] == groups["Command palette"] == "App"
        # One action under two bindings, one of them without an id: where the id says.
        assert groups["Shared"] == "Search"
        assert actions["Shared"].keys == ("y", "^y")
        # A binding without a description is no action to look up.
        assert "" not in actions
        # Both keys of one binding, the letter first; the widget holding it is where it runs.
        assert actions["Next thing"].keys == ("j", "↓")
        assert actions["Ring from the widget"].node is app.query_one(Focusable)
        assert actions["App thing"].node is app
        # Groups in a fixed order, whatever order the bindings come in.
        order = [GROUP_ORDER.index(entry.group) for entry in live_actions(app.screen)]
        assert order == sorted(order)


def test_palette_labels_highlight_matches_without_reading_markup() -> None:
    from textual.fuzzy import Matcher

    text = "Tag [b]bold[/] as [red]x  (!)"
    shown = highlighted(Matcher("bold", match_style=Style(bold=True)), text)
    assert shown.plain == text
    assert shown.spans  # the matched letters are styled


# -- help ---------------------------------------------------------------------------------------


def help_rows(app: NewsReaderApp) -> dict[str, tuple[str, str]]:
    """What the open help lists: description -> (group, keys)."""
    screen = app.screen
    assert isinstance(screen, HelpScreen)
    return {description: (group, keys) for group, keys, description in screen.rows}


async def test_help_groups_the_keys_by_what_they_do_under_headings(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        rows = help_rows(app)
        assert rows["Next sentence"] == ("Move", "j, ↓")
        assert rows["End of word"] == ("Move", "e")
        assert rows["Select"] == ("Select", "v")
        assert rows["Select paragraph"] == ("Select", "p")
        assert rows["Claim"] == ("Annotate", "c")
        assert rows["Note"][0] == rows["Copy"][0] == "Annotate"
        assert rows["Copy"][1] == "y"
        assert rows["Annotations here"] == ("Annotations", "s")
        assert rows["Delete annotation"][0] == "Annotations"
        assert rows["Search"] == ("Search", "/")
        assert rows["Next hit"] == ("Search", "n")
        assert rows["Article…"] == ("Panes and articles", "a")
        assert rows["Next pane"] == ("Panes and articles", "tab")
        assert rows["Site chrome"] == ("View", "f")
        assert rows["Entities"] == ("Entities", "I")
        assert rows["Next mention"] == ("Entities", ".")
        assert rows["Correct entity"] == ("Entities", "#")
        assert rows["Export"] == ("App", "E")
        assert rows["Quit"] == ("App", "q, ^q")
        assert rows["Command palette"] == ("App", "^p")
        # Textual's copy of its own mouse selection does nothing in the article views.
        assert "Copy selected text" not in rows
        # Under a heading per group, in the order of what a reader does first.
        headings = [widget_text(h).strip() for h in app.screen.query(".help-group")]
        assert headings == [
            "Move",
            "Select",
            "Annotate",
            "Annotations",
            "Search",
            "Entities",
            "Panes and articles",
            "View",
            "App",
        ]
        drawn = "\n".join(widget_text(table) for table in app.screen.query(".help-table"))
        for description in ("Next sentence", "Claim", "Tag every hit", "Site chrome", "Export"):
            assert description in drawn
        for class_name in CLASS_NAMES:
            assert class_name not in drawn
        assert "Copy selected text" not in drawn


async def test_help_fits_an_80x24_terminal_and_scrolls_to_its_end(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("question_mark")
        dialog = app.screen.query_one("#help-dialog")
        assert app.screen.region.contains_region(dialog.region)
        assert dialog.max_scroll_y > 0  # more keys than lines: it scrolls
        hint = app.screen.query_one(".dialog-hint")
        assert not dialog.region.contains_region(hint.region)
        await pilot.press("end")
        await wait_for(pilot, lambda: dialog.scroll_y == dialog.max_scroll_y, what="the end")
        assert dialog.region.contains_region(hint.region)
        assert "ctrl+p finds any action by name" in widget_text(hint)
        await pilot.press("escape")
        assert app.screen is app.reader_screen


# -- ctrl+c -------------------------------------------------------------------------------------


async def test_ctrl_c_says_how_to_quit_in_plain_words(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: bool(toasts(app)), what="the notification")
        [shown] = toasts(app)
        assert "Press q or ctrl+q to quit · y copies the selection" in shown
        assert "[b]" not in shown and "[/b]" not in shown
        assert app.is_running


async def test_ctrl_c_names_the_quit_key_in_force(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.set_keymap({"app.quit": "Q"})
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: bool(toasts(app)), what="the notification")
        [shown] = toasts(app)
        assert "Press Q or ctrl+q to quit" in shown


# -- the command palette ----------------------------------------------------------------------


def palette_options(app: NewsReaderApp) -> list[str]:
    """Each command the open palette lists, as "label | help"."""
    options = app.screen.query_one(CommandList)
    return [
        str(options.get_option_at_index(index).prompt).replace("\n", " | ")
        for index in range(options.option_count)
    ]


async def open_palette(pilot: Pilot[None], app: NewsReaderApp, query: str = "") -> None:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    if query:
        await pilot.press(*query)


async def run_from_palette(pilot: Pilot[None], app: NewsReaderApp, query: str, label: str) -> None:
    """Type `query`, wait until `label` is the first command listed, and run it with Enter."""
    await open_palette(pilot, app, query)
    await wait_for(
        pilot,
        lambda: bool(palette_options(app)) and palette_options(app)[0].startswith(label),
        what=f"{label!r} first in the palette",
    )
    await pilot.press("down", "enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette), what="it to close")


async def test_the_palette_lists_every_action_a_key_does_with_its_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        expected = [
            entry.label
            for entry in live_actions(app.reader_screen)
            if entry.action != "command_palette"
        ]
        await open_palette(pilot, app)
        await wait_for(
            pilot,
            lambda: all(any(o.startswith(x) for o in palette_options(app)) for x in expected),
            what="every action in the palette",
        )
        listed = palette_options(app)
        for shown in (
            "Site chrome  (f) | View",
            "Next sentence  (j, ↓) | Move",
            "Select  (v) | Select",
            "Claim  (c) | Annotate",
            "Next annotation  (}) | Annotations",
            "Tag every hit  (*) | Search",
            "Article…  (a) | Panes and articles",
            "Export  (E) | App",
            "Keys  (?) | App",
            "Quit  (q, ^q) | App",
        ):
            assert shown in listed, shown
        assert not any("Copy selected text" in option for option in listed)
        # The palette does not offer itself.
        assert not any(option.startswith("Command palette") for option in listed)
        # Textual's own "Keys" panel shows widget classes: our help replaces it, once.
        assert [o for o in listed if o.startswith("Keys")] == ["Keys  (?) | App"]
        assert [o for o in listed if o.startswith("Quit")] == ["Quit  (q, ^q) | App"]
        assert any(option.startswith("Theme") for option in listed)  # Textual's own stay


async def test_a_palette_command_runs_on_the_focused_pane(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        second, first = view_of(app, 1), view_of(app, 0)
        assert app.focused is second
        assert not second.document.show_chrome and not first.document.show_chrome
        await run_from_palette(pilot, app, "site chrome", "Site chrome  (f)")
        await wait_for(pilot, lambda: second.document.show_chrome, what="the chrome to show")
        assert not first.document.show_chrome
        assert app.focused is second
        caret = second.document.caret
        await run_from_palette(pilot, app, "next sentence", "Next sentence  (j, ↓)")
        await wait_for(pilot, lambda: second.document.caret > caret, what="the cursor to move")


async def test_app_actions_run_from_the_palette(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await run_from_palette(pilot, app, "export", "Export  (E)")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="the dialog")
        await pilot.press("escape")
        await run_from_palette(pilot, app, "keys", "Keys  (?)")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="our help")
        # Opened from the palette, help still lists the pane's keys.
        assert help_rows(app)["Next sentence"] == ("Move", "j, ↓")
