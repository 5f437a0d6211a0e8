"""The entity features of the app: the index (I, i), touring one entity's mentions across panes
(Enter, `.` and `,`), highlights (H, T, one entry alone, remembered), and corrections (#, merges
and splits from the index), all undoable and kept in the store.

Real app, real TinyDB file, the bundled corpus with its real (cached) spaCy entities.
"""

from __future__ import annotations

import json
from pathlib import Path

from reader_helpers import SIZE, status_text, view_of, wait_for

from annotations.entity_corrections import MERGE, REJECT, RETYPE, SPLIT
from annotations.store import AnnotationStore
from corpus.entity_index import variant_key
from reader.app import NewsReaderApp
from reader.screens.entity_index_screen import EntityIndexScreen
from reader.screens.entity_types_screen import EntityTypesScreen
from reader.screens.label_picker import LabelPicker
from reader.widgets.article_view import ArticleView


def shown_articles(app: NewsReaderApp) -> list[str]:
    return [view.article.id for view in app.reader_screen.visible_views]


def entry_named(app: NewsReaderApp, needle: str) -> str:
    """The key of the index entry one of whose variants contains `needle`."""
    for entry in app.entity_index().entries:
        if any(needle in variant for variant in entry.variants):
            return entry.key
    raise AssertionError(f"no entry for {needle!r}")


def focused_view(app: NewsReaderApp) -> ArticleView:
    focused = app.focused
    assert isinstance(focused, ArticleView)
    return focused


async def test_I_opens_the_index_and_enter_tours_the_mentions_across_panes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        key = entry_named(app, "Marzouk")
        entry = app.entity_index().by_key(key)
        assert entry is not None
        articles_with = {m.article for m in entry.mentions}
        assert len(articles_with) >= 2  # the same man, spelt variously by several outlets
        await pilot.press("I")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityIndexScreen))
        for character in "Marzouk":
            await pilot.press(character)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is app.reader_screen)
        await pilot.pause()
        view = focused_view(app)
        selection = view.document.selection
        assert selection is not None
        assert "Marzouk" in view.article.text[selection[0] : selection[1]]
        assert f"mention 1 of {len(entry.mentions)}" in status_text(app)
        # `.` steps on through every mention, opening articles that no pane shows.
        seen = {(view.article.id, selection)}
        for _ in range(len(entry.mentions) - 1):
            await pilot.press("full_stop")
            await pilot.pause()
            view = focused_view(app)
            selection = view.document.selection
            assert selection is not None
            text = view.article.text[selection[0] : selection[1]]
            assert (view.article.id, selection[0], selection[1]) in {
                (m.article, m.start, m.end) for m in entry.mentions
            }, text
            seen.add((view.article.id, selection))
        assert len(seen) == len(entry.mentions)
        assert {article for article, _ in seen} == articles_with
        # Past the last, back to the first; `,` goes back.
        await pilot.press("full_stop")
        await pilot.pause()
        assert f"mention 1 of {len(entry.mentions)}" in status_text(app)
        await pilot.press("comma")
        await pilot.pause()
        assert f"mention {len(entry.mentions)} of {len(entry.mentions)}" in status_text(app)


async def test_i_on_an_entity_opens_the_index_on_its_entry(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app, 0)
        person = next(e for e in view.entities if e.label == "PERSON")
        view.move_cursor_to(person.start)
        await pilot.pause()
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityIndexScreen))
        expected = app.entity_index().entry_at(view.article.id, person.start)
        assert expected is not None
        screen = app.screen
        assert isinstance(screen, EntityIndexScreen)
        assert screen.selected is not None and screen.selected.key == expected.key
        await pilot.press("escape")
        # Off any entity, `i` says so.
        view.move_cursor_to(0)
        while any(e.start <= view.document.caret < e.end for e in view.entities):
            view.document.move_word(1)
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is app.reader_screen


async def test_H_hides_every_highlight_and_T_turns_types_off_remembered(
    make_app, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    app = make_app(state_path=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app, 0)
        every = list(view.entities)
        assert any(e.label == "PERSON" for e in every)
        await pilot.press("H")
        await pilot.pause()
        assert view.entities == []
        assert "entities hidden" in status_text(app)
        await pilot.press("H")
        await pilot.pause()
        assert view.entities == every
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityTypesScreen))
        types_screen = app.screen
        assert isinstance(types_screen, EntityTypesScreen)
        types_screen.dismiss(frozenset({"PERSON"}))
        await pilot.pause()
        assert view.entities and all(e.label != "PERSON" for e in view.entities)
        await pilot.press("q")
    # The next start draws the text without people from its first frame.
    again = make_app(state_path=state)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(again, 0)
        assert view.entities and all(e.label != "PERSON" for e in view.entities)


async def test_one_entry_highlighted_alone(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        key = entry_named(app, "Putin")
        app._highlight_only(key)
        await pilot.pause()
        for view in app.reader_screen.visible_views:
            assert all("Putin" in view.article.text[e.start : e.end] for e in view.entities), (
                view.article.id
            )
        assert any(view.entities for view in app.reader_screen.visible_views)
        await pilot.press("H")
        await pilot.pause()
        assert any(e.label == "GPE" for e in view_of(app, 0).entities)


async def test_hash_rejects_an_entity_undoably_and_it_stays_rejected(
    make_app, store: AnnotationStore, db_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app, 0)
        view.focus()
        wrong = next(e for e in view.entities if e.label == "GPE")
        view.move_cursor_to(wrong.start)
        await pilot.pause()
        await pilot.press("number_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelPicker))
        await pilot.press("n")  # not an entity
        await pilot.pause()
        assert wrong not in view.entities
        [correction] = store.entity_corrections()
        assert correction.kind == REJECT and correction.annotator == "tester"
        assert correction.quote == view.article.text[wrong.start : wrong.end]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert wrong in view.entities
        assert store.entity_corrections() == []
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert wrong not in view.entities
    # Another run over the same store and cache: the correction still wins over the model.
    with AnnotationStore(db_path) as reopened:
        again = make_app(store=reopened)
        async with again.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert wrong not in view_of(again, 0).entities


async def test_hash_changes_a_type_and_adds_a_missed_entity(
    make_app, store: AnnotationStore
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app, 0)
        view.focus()
        person = next(e for e in view.entities if e.label == "PERSON")
        view.move_cursor_to(person.start)
        await pilot.pause()
        await pilot.press("number_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelPicker))
        picker = app.screen
        assert isinstance(picker, LabelPicker)
        picker.dismiss("organisation")
        await pilot.pause()
        retyped = next(e for e in view.entities if e.start == person.start)
        assert (retyped.end, retyped.label) == (person.end, "ORG")
        assert store.entity_corrections()[-1].kind == RETYPE
        # A selection that is no entity: added with the type chosen.
        text = view.article.text
        start = text.index("obscene step")
        view.select_span((start, start + len("obscene step")))
        await pilot.pause()
        await pilot.press("number_sign")
        await wait_for(pilot, lambda: isinstance(app.screen, LabelPicker))
        picker = app.screen
        assert isinstance(picker, LabelPicker)
        picker.dismiss("event")
        await pilot.pause()
        assert any((e.start, e.label) == (start, "EVENT") for e in view.entities), (
            "the added entity is drawn"
        )
        assert app.entity_index().entry_at(view.article.id, start) is not None


async def test_merge_and_split_from_the_index_regroup_and_undo(
    make_app, store: AnnotationStore
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        index = app.entity_index()
        russia = entry_named(app, "Russia")
        moscow = entry_named(app, "Moscow")
        assert russia != moscow
        await pilot.press("I")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityIndexScreen))
        app.screen.post_message(EntityIndexScreen.MergeRequested(moscow, russia))
        await pilot.pause()
        merged = app.entity_index()
        assert merged.by_key(moscow) is None or merged.by_key(russia) is None
        [correction] = store.entity_corrections()
        assert correction.kind == MERGE
        assert set(correction.variants) == {
            variant_key(index.by_key(moscow).name),  # type: ignore[union-attr]
            variant_key(index.by_key(russia).name),  # type: ignore[union-attr]
        }
        screen = app.screen
        assert isinstance(screen, EntityIndexScreen)
        assert not {moscow, russia} <= {row.key for row in screen.rows}
        # ctrl+z in the index (its filter has the focus) undoes the merge, and the list shows it.
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.screen is screen
        assert app.entity_index().by_key(moscow) is not None
        assert app.entity_index().by_key(russia) is not None
        assert {moscow, russia} <= {row.key for row in screen.rows}
        assert store.entity_corrections() == []
        await pilot.press("escape")
        # Split a variant off an entry that has several.
        several = next(e for e in app.entity_index().entries if len(e.variants) >= 2)
        odd = several.variants[-1]
        await pilot.press("I")
        await wait_for(pilot, lambda: isinstance(app.screen, EntityIndexScreen))
        app.screen.post_message(EntityIndexScreen.SplitRequested(several.key, odd))
        await pilot.pause()
        assert store.entity_corrections()[-1].kind == SPLIT
        regrouped = app.entity_index()
        owner = next(e for e in regrouped.entries if odd in e.variants)
        assert several.name not in owner.variants or owner.name == odd


async def test_a_correction_is_in_the_apps_export(make_app, tmp_path: Path, monkeypatch) -> None:
    from reader_helpers import wait_for as wait

    from reader.screens.export_screen import ExportScreen

    monkeypatch.chdir(tmp_path)
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = view_of(app, 0)
        view.focus()
        wrong = next(e for e in view.entities if e.label == "GPE")
        view.move_cursor_to(wrong.start)
        await pilot.press("number_sign")
        await wait(pilot, lambda: isinstance(app.screen, LabelPicker))
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("E")
        await wait(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.press("tab")
        for character in "out.jsonl":
            await pilot.press(character)
        assert await pilot.click("#export-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    [record] = [json.loads(line) for line in lines]
    assert record["type"] == "EntityCorrection" and record["kind"] == "reject"
    assert (record["start"], record["end"]) == (wrong.start, wrong.end)
