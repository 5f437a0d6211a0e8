"""Search across the open articles: as you type, hits marked, n/N across panes, a hit becomes the
selection, every hit tagged as one undoable step."""

from __future__ import annotations

from reader_helpers import SIZE, saved, view_of, wait_for, widget_text

from corpus.search import find_all
from reader.widgets.search_bar import SearchBar


def count_text(app) -> str:
    return widget_text(app.reader_screen.query_one("#search-count"))


async def type_query(pilot, query: str) -> None:
    await pilot.press("slash", *query)
    await pilot.pause()


async def test_typing_marks_every_hit_in_every_open_pane(make_app, bundled) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, "moscow")
        bar = app.reader_screen.search_bar
        assert bar.is_open and isinstance(app.focused.parent, SearchBar)
        total = 0
        for index in range(3):
            view = view_of(app, index)
            expected = [
                hit for hit in find_all(view.article.text, "moscow") if view.can_select(hit)
            ]
            assert view.search_hits == expected
            assert all(view.article.text[s:e].lower() == "moscow" for s, e in expected)
            total += len(expected)
        assert total > 10
        assert f"1 of {total} in 3 articles" in count_text(app)
        # Each keystroke searches again: one more letter, fewer hits.
        await pilot.press("backspace", "backspace")
        assert view_of(app, 0).search_hits == find_all(view_of(app, 0).article.text, "mosc")


async def test_enter_selects_the_hit_and_n_steps_across_panes(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, "Marzouk")
        await pilot.press("enter")
        first = view_of(app, 0)
        assert app.focused is first
        text = first.article.text
        assert text[slice(*first.target_span)] == "Marzouk"
        seen = [(first.article.id, first.target_span)]
        for _ in range(8):
            await pilot.press("n")
            view = app.focused
            seen.append((view.article.id, view.target_span))
            assert view.article.text[slice(*view.target_span)].lower() == "marzouk"
        # The hits run on from one pane to the next and wrap around.
        assert len({article for article, _ in seen}) >= 2
        await pilot.press("N")
        assert (app.focused.article.id, app.focused.target_span) == seen[-2]
        # The selected hit is tagged like any selection.
        await pilot.press("c")
        [tag] = saved(db_path)
        assert tag.quote == "Marzouk" and tag.label == "claim"


async def test_star_tags_every_hit_as_one_step(make_app, db_path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, "Putin")
        await pilot.press("enter", "asterisk")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LabelPicker")
        await pilot.press("o")
        hits = sum(len(view_of(app, i).search_hits) for i in range(3))
        assert hits >= 2
        tags = saved(db_path)
        assert len(tags) == hits and {t.label for t in tags} == {"opinion"}
        assert {t.quote for t in tags} == {"Putin"}
        await pilot.press("ctrl+z")  # one step: all of them go
        assert saved(db_path) == []


async def test_whole_words_and_escape(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await type_query(pilot, "Hama")
        assert view_of(app, 0).search_hits  # inside "Hamas"
        await pilot.press("alt+w")
        assert all(not view_of(app, i).search_hits for i in range(3))
        assert "no matches" in count_text(app)
        await pilot.press("escape")
        assert not app.reader_screen.search_bar.is_open
        assert app.focused is view_of(app, 0)
        await pilot.press("n")  # nothing to step through: a message, no crash
        assert app.focused is view_of(app, 0)


async def test_hits_in_folded_chrome_are_not_hits_until_shown(make_app, bundled) -> None:
    worldcrunch = bundled[2]
    app = make_app([worldcrunch, *bundled[:2]])
    async with app.run_test(size=SIZE) as pilot:
        view = view_of(app, 0)
        everywhere = find_all(worldcrunch.text, "the")
        in_chrome = [h for h in everywhere if worldcrunch.is_chrome(*h)]
        assert in_chrome
        await type_query(pilot, "the")
        assert not set(view.search_hits) & set(in_chrome)
        await pilot.press("escape", "f")
        await type_query(pilot, "the")
        assert set(in_chrome) <= set(view.search_hits)
