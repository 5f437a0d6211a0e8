"""The command palette finds every action a key does, by name, and runs it where the key would."""

from __future__ import annotations

from reader_helpers import SIZE, view_of, wait_for
from textual.command import CommandPalette


async def open_palette_and_run(pilot, app, words: str) -> None:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    await pilot.press(*words)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause(0.2)


async def test_the_palette_lists_the_views_the_panes_and_the_apps_actions(make_app) -> None:
    from reader.commands import binding_commands

    app = make_app()
    async with app.run_test(size=SIZE):
        titles = {command.title for command in binding_commands(app, app.reader_screen)}
        for title in (
            "Site chrome",
            "Select",
            "Search",
            "Claim",
            "Next annotation",
            "Article…",
            "Export",
            "Annotations",
            "Undo",
            "Keys",
        ):
            assert title in titles, title
        assert "Copy selected text" not in titles


async def test_a_palette_command_runs_on_the_focused_pane(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        assert view.document.show_chrome is False
        await open_palette_and_run(pilot, app, "site chrome")
        await wait_for(pilot, lambda: view.document.show_chrome, what="the chrome to show")
        assert app.focused is view
        await open_palette_and_run(pilot, app, "export")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ExportScreen", what="export")
