"""Pilot tests: exporting from inside the app through the export dialog."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from reader_helpers import (
    DOCUMENTED_FIELDS,
    SIZE,
    putin_retyped,
    record_notifications,
    saved,
    toasts,
    widget_text,
)
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, RadioSet, Select

from annotations.entity_corrections import ENTITY_CORRECTIONS
from annotations.formats.filters import ExportFilter, FilterIndex
from annotations.model import Annotation
from annotations.store import AnnotationStore
from corpus.model import Article
from reader.app import NewsReaderApp
from reader.screens.export_screen import ExportScreen


async def tag_two_sentences(pilot: Pilot[None]) -> None:
    await pilot.press("j", "c", "tab", "j", "j", "o", "shift+tab")


async def type_path(pilot: Pilot[None], path: str) -> None:
    """Clear the path box and type `path` into it, key by key (short relative paths: every
    key is a round trip through the app)."""
    await pilot.press("home", "ctrl+k", *path)


def path_box(app: NewsReaderApp) -> Input:
    return app.screen.query_one("#export-path", Input)


async def export_to(pilot: Pilot[None], app: NewsReaderApp, target: Path) -> None:
    """In the open export dialog: type `target` as the path, press Enter, wait until written
    and the dialog has closed."""
    await pilot.click(path_box(app))
    await type_path(pilot, str(target))
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.screen is app.reader_screen


async def test_export_csv_from_the_dialog(
    make_app, db_path: Path, tmp_path: Path, bundled: list[Article], monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the typed relative path lands in tmp_path
    texts = {article.id: article.text for article in bundled}
    target = tmp_path / "out" / "tags.csv"
    target.parent.mkdir()
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        await tag_two_sentences(pilot)
        await pilot.press("E")
        assert isinstance(app.screen, ExportScreen)
        assert "Export 2 annotations" in widget_text(app.screen.query_one(".dialog-title"))
        assert path_box(app).value == str(tmp_path / "annotations.jsonl")
        [csv_button] = [b for b in app.screen.query(RadioButton) if b.name == "csv"]
        assert await pilot.click(csv_button)
        await pilot.pause()
        assert csv_button.value
        # The default name follows the format until the user types their own.
        assert path_box(app).value == str(tmp_path / "annotations.csv")
        assert await pilot.click(path_box(app))
        await type_path(pilot, "out/tags.csv")
        assert path_box(app).value == "out/tags.csv"
        await pilot.press("enter")
        assert app.screen is app.reader_screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(n.message.startswith("Exported 2 records to out/tags.csv") for n in notices)

    with target.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == DOCUMENTED_FIELDS
        rows = list(reader)
    assert len(rows) == 2
    assert {row["id"] for row in rows} == {a.id for a in saved(db_path)}
    assert {(row["article"], row["label"]) for row in rows} == {
        (bundled[0].id, "claim"),
        (bundled[1].id, "opinion"),
    }
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert row["quote"] == texts[row["article"]][start:end]
        assert row["annotator"] == "tester"
    assert not (tmp_path / "annotations.csv").exists()


async def test_export_jsonl_with_keys_and_the_export_button(
    make_app, tmp_path: Path, bundled: list[Article], monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    texts = {article.id: article.text for article in bundled}
    target = tmp_path / "tags.jsonl"
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await tag_two_sentences(pilot)
        await pilot.press("E")
        # The dialog opens on the format buttons: down picks CSV, up JSONL again.
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")
        assert path_box(app).value.endswith("annotations.csv")
        await pilot.press("up", "enter")
        assert path_box(app).value.endswith("annotations.jsonl")
        await pilot.press("tab")
        assert app.focused is path_box(app)
        await type_path(pilot, "tags.jsonl")
        assert await pilot.click("#export-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 2
    for record in records:
        assert list(record) == DOCUMENTED_FIELDS
        assert record["quote"] == texts[record["article"]][record["start"] : record["end"]]


async def test_export_to_a_missing_folder_shows_an_error_and_writes_nothing(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(export_directory=tmp_path)
    target = tmp_path / "no-such-folder" / "tags.csv"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c", "E", "tab")
        before = sorted(tmp_path.rglob("*"))  # now including the database
        await type_path(pilot, "no-such-folder/tags.csv")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Said in the dialog, which stays open for a better path.
        assert isinstance(app.screen, ExportScreen)
        error = widget_text(app.screen.query_one("#export-error"))
        assert "There is no folder no-such-folder" in error
        assert not any("Exported" in toast for toast in toasts(app))
    assert not target.parent.exists()
    assert sorted(tmp_path.rglob("*")) == before


async def test_export_with_an_empty_path_stays_in_the_dialog(make_app, tmp_path: Path) -> None:
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "E", "tab", "home", "ctrl+k", "enter")
        assert isinstance(app.screen, ExportScreen)
        assert "Give a file to write to." in widget_text(app.screen.query_one("#export-error"))
        await pilot.press("escape")
        assert app.screen is app.reader_screen
        await app.workers.wait_for_complete()
    # Only the database's own files (snapshot, journal, lock, cache): no export, no temp file.
    database = {f"annotations.json{suffix}" for suffix in ("", ".journal", ".lock", ".cache")}
    assert sorted(p.name for p in tmp_path.iterdir() if p.name not in database) == []


async def test_escape_cancels_the_export(make_app, tmp_path: Path) -> None:
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        await pilot.press("c", "E", "escape")
        assert app.screen is app.reader_screen
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert notices == []
    assert not (tmp_path / "annotations.jsonl").exists()


async def test_the_format_follows_the_files_ending(make_app, tmp_path: Path) -> None:
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "E", "tab")
        await type_path(pilot, str(tmp_path / "x.csv"))
        assert app.screen.chosen_format == "csv"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (tmp_path / "x.csv").read_text(encoding="utf-8").startswith("id,article,")


async def test_an_existing_file_is_replaced_only_when_asked_twice(make_app, tmp_path: Path) -> None:
    target = tmp_path / "annotations.jsonl"
    target.write_text("precious\n", encoding="utf-8")
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "E")
        # The dialog starts on the format: down and Enter there only pick a format.
        await pilot.press("down", "enter", "up", "enter")
        assert isinstance(app.screen, ExportScreen)
        assert await pilot.click("#export-go")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "exists: press Export again" in widget_text(app.screen.query_one("#export-error"))
        assert target.read_text(encoding="utf-8") == "precious\n"
        await pilot.pause(0.3)  # the button's pressed look must end before it takes a press
        assert await pilot.click("#export-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is app.reader_screen
    assert json.loads(target.read_text(encoding="utf-8").splitlines()[0])["label"] == "claim"


async def test_the_default_folder_is_not_the_current_one(
    make_app, tmp_path: Path, monkeypatch, store
) -> None:
    from reader.app import NewsReaderApp as App

    exports = tmp_path / "exports" / "news-reader"
    monkeypatch.setenv("READER_EXPORT_DIR", str(exports))
    monkeypatch.chdir(tmp_path)
    app = make_app()
    app = App(app.articles, store, annotator="tester", entity_cache=app.entity_cache)
    assert app.export_directory == exports
    assert not exports.exists()  # made when used, not at start
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "E")
        assert path_box(app).value == str(exports / "annotations.jsonl")
        assert await pilot.click("#export-go")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (exports / "annotations.jsonl").is_file()
    assert not (tmp_path / "annotations.jsonl").exists()


async def test_the_radio_follows_the_typed_ending_and_a_chosen_format_renames(
    make_app, tmp_path: Path
) -> None:
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "E", "tab")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        await type_path(pilot, "tags.csv")
        assert screen.chosen_format == "csv"
        await type_path(pilot, "tags.JSONL")
        assert screen.chosen_format == "jsonl"
        await type_path(pilot, "tags.json")
        assert screen.chosen_format == "jsonl"
        # A name with no ending we know keeps the chosen format, and the name.
        await type_path(pilot, "tags.txt")
        assert screen.chosen_format == "jsonl"
        await type_path(pilot, "tags.csv")
        # Choosing the other format renames the file to match, so the two never disagree.
        await pilot.press("shift+tab", "up", "enter")
        await pilot.pause()
        assert screen.chosen_format == "jsonl"
        assert path_box(app).value == "tags.jsonl"


async def test_a_folder_or_a_file_as_folder_is_said_in_the_dialog(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain.txt").write_text("not a folder\n", encoding="utf-8")
    app = make_app(export_directory=tmp_path / "exports")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "E", "tab")
        before = sorted(tmp_path.rglob("*"))
        await type_path(pilot, "folder")
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen)
        error = widget_text(app.screen.query_one("#export-error"))
        assert "folder is a folder: give a file name in it." in error
        await type_path(pilot, "plain.txt/x.csv")
        # Typing clears the message: it is about the path as it was.
        assert widget_text(app.screen.query_one("#export-error")).strip() == ""
        await pilot.press("enter")
        error = widget_text(app.screen.query_one("#export-error"))
        assert "plain.txt is a file, not a folder." in error
        await app.workers.wait_for_complete()
    assert sorted(tmp_path.rglob("*")) == before


async def test_enter_twice_in_the_path_box_replaces_an_existing_file(
    make_app, tmp_path: Path
) -> None:
    target = tmp_path / "kept.csv"
    target.write_text("precious\n", encoding="utf-8")
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "E", "tab")
        await type_path(pilot, str(target))
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen)
        error = widget_text(app.screen.query_one("#export-error"))
        assert "kept.csv exists: press Export again to replace it." in error
        # Changing the path asks again for the new one.
        await pilot.press("backspace", "v")
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is app.reader_screen
    assert target.read_text(encoding="utf-8").startswith("id,article,")


def test_the_proposed_folder_is_news_reader_in_the_documents_folder(monkeypatch) -> None:
    from platformdirs import user_documents_path

    from reader import locations

    monkeypatch.delenv("READER_EXPORT_DIR", raising=False)
    assert locations.export_directory() == user_documents_path() / "news-reader"
    monkeypatch.setenv("READER_EXPORT_DIR", "~/somewhere")
    assert locations.export_directory() == Path("~/somewhere").expanduser()


# -- filters ---------------------------------------------------------------------------------

T_NOV = "2026-11-20T10:00:00.000000+00:00"
T_DEC = "2026-12-05T10:00:00.000000+00:00"


def made(
    article: Article,
    sentence: int,
    label: str,
    annotator: str,
    when: str,
    *,
    note: str = "",
    anchor: str = "exact",  # or "orphan"
) -> Annotation:
    start, end = article.sentences[sentence]
    record = Annotation.create(
        article=article.id,
        text=article.text,
        start=start,
        end=end,
        label="" if note else label,
        note=note,
        annotator=annotator,
    )
    record = record.evolve(created=when, modified=when)
    if anchor == "orphan":
        # Words no longer in the article: the app's re-anchoring leaves it an orphan.
        record = record._replace(quote="words in no article", anchor="orphan", anchor_score=0.0)
    return record


def several_annotators(store: AnnotationStore, bundled: list[Article]) -> list[Annotation]:
    """Eight records: labels claim / opinion and a note, by ana, bo and cy, on two articles, in
    November and December, one orphan; and an entity correction by ana."""
    first, second = bundled[0], bundled[1]
    records = [
        made(first, 1, "claim", "ana", T_NOV),
        made(first, 2, "claim", "ana", T_DEC),
        made(first, 2, "claim", "bo", T_DEC),
        made(first, 3, "opinion", "ana", T_DEC),
        made(first, 4, "", "ana", T_DEC, note="a note"),
        made(second, 1, "claim", "cy", T_NOV),
        made(second, 2, "claim", "ana", T_DEC, anchor="orphan"),
        made(second, 3, "opinion", "bo", T_NOV),
    ]
    for record in records:
        store.add(record)
    correction = putin_retyped(first)
    with store.transaction() as transaction:
        transaction.add(ENTITY_CORRECTIONS, correction)
    return records


def title(app: NewsReaderApp) -> str:
    return widget_text(app.screen.query_one(".dialog-title")).strip()


async def choose(pilot: Pilot[None], shown: str) -> None:
    """On a focused Select: open it, type the start of an option to go to it, take it."""
    await pilot.press("enter", *shown, "enter")
    await pilot.pause()


async def test_a_label_and_an_annotator_chosen_export_exactly_their_records(
    make_app, store: AnnotationStore, bundled: list[Article], tmp_path: Path
) -> None:
    records = several_annotators(store, bundled)
    wanted = {r.id for r in records if r.label == "claim" and r.annotator == "ana"}
    assert len(wanted) == 3  # one of them an orphan: no anchoring filter, so it goes too
    target = tmp_path / "claims.jsonl"
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        await pilot.press("E")
        assert isinstance(app.screen, ExportScreen)
        assert title(app) == "Export 9 annotations"  # eight and the correction
        label = app.screen.query_one("#export-label", Select)
        await pilot.press("tab", "tab")
        assert app.focused is label
        await choose(pilot, "claim")
        assert label.value == "claim"
        # Only what is in the store is offered: the labels used, notes and corrections.
        offered = [str(prompt) for prompt, _value in label._options][1:]  # after the blank
        assert offered == ["claim", "entity corrections", "notes (no label)", "opinion"]
        assert title(app) == "Export 5 of 9 annotations"
        await pilot.press("tab")
        annotator = app.screen.query_one("#export-annotator", Select)
        assert app.focused is annotator
        await choose(pilot, "ana")
        assert annotator.value == "ana"
        assert title(app) == "Export 3 of 9 annotations"
        await export_to(pilot, app, target)
        assert any(n.message.startswith(f"Exported 3 records to {target}") for n in notices)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["id"] for line in lines} == wanted
    assert len(lines) == 3


async def test_dates_and_anchoring_narrow_the_count_and_the_export(
    make_app, store: AnnotationStore, bundled: list[Article], tmp_path: Path
) -> None:
    records = several_annotators(store, bundled)
    in_december = {r.id for r in records if r.modified == T_DEC and r.anchor != "orphan"}
    target = tmp_path / "december.csv"
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        app.screen.query_one("#export-anchor", Select).focus()
        await choose(pilot, "anchored")
        assert app.screen.query_one("#export-anchor", Select).value == "anchored"
        assert title(app) == "Export 7 of 9 annotations"  # not the orphan, nor the correction
        await pilot.click("#export-since")
        await pilot.press(*"2026-12-01")
        await pilot.click("#export-until")
        await pilot.press(*"2026-12-31")
        await pilot.pause()
        assert title(app) == f"Export {len(in_december)} of 9 annotations"
        await export_to(pilot, app, target)
    with target.open(newline="", encoding="utf-8") as handle:
        assert {row["id"] for row in csv.DictReader(handle)} == in_december


async def test_a_bad_date_is_said_in_the_dialog_and_nothing_is_exported(
    make_app, store: AnnotationStore, bundled: list[Article], tmp_path: Path
) -> None:
    several_annotators(store, bundled)
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        notices = record_notifications(app)
        await pilot.press("E")
        await pilot.click("#export-since")
        await pilot.press(*"2026-13-01")
        # Half typed is not an error yet, nor is the count changed.
        assert widget_text(app.screen.query_one("#export-error")).strip() == ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        error = widget_text(app.screen.query_one("#export-error")).strip()
        assert error == "The “from” date 2026-13-01 is not a date: write it as 2026-12-01."
        assert app.screen.query_one("#export-since", Input).has_class("-invalid")
        assert title(app) == "Export 9 annotations"
        # A "to" before the "from" is said too, on Export.
        await pilot.press("ctrl+u", *"2026-12-02")
        await pilot.click("#export-until")
        await pilot.press(*"2026-12-01")
        assert await pilot.click("#export-go")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        error = widget_text(app.screen.query_one("#export-error")).strip()
        assert error == "The “to” date is before the “from” date."
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not any(n.message.startswith("Exported") for n in notices)
    assert not (tmp_path / "annotations.jsonl").exists()


async def test_leaving_a_bad_date_says_so_at_once(
    make_app, store: AnnotationStore, bundled: list[Article], tmp_path: Path
) -> None:
    """Tab out of a date field holding a bad date: the dialog says which field and why then,
    not only on Export; a good date left behind says nothing."""
    several_annotators(store, bundled)
    app = make_app(export_directory=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("E")
        await pilot.click("#export-until")
        await pilot.press(*"2026-02-30", "tab")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        error = widget_text(app.screen.query_one("#export-error")).strip()
        assert error == "The “to” date 2026-02-30 is not a date: write it as 2026-12-01."
        assert app.screen.query_one("#export-until", Input).has_class("-invalid")
        await pilot.click("#export-until")
        await pilot.press("home", "ctrl+k", *"2026-02-28", "tab")
        await pilot.pause()
        assert widget_text(app.screen.query_one("#export-error")).strip() == ""


def test_the_dialogs_count_is_what_the_filter_exports(
    store: AnnotationStore, bundled: list[Article]
) -> None:
    """FilterIndex.count, which the title shows, agrees with the filter applied record by
    record (what the export writes), for every filter the dialog can make and more."""
    several_annotators(store, bundled)
    # One more in another time zone, which sorts apart from the others as text.
    store.add(made(bundled[0], 5, "claim", "cy", "2026-12-01T01:30:00+05:00"))
    annotations, corrections = store.all(), store.entity_corrections()
    index = FilterIndex.of(annotations, corrections)
    assert index.total == 10
    assert index.annotators == ("ana", "bo", "cy")
    assert index.labels == ("claim", "entities", "note", "opinion")
    assert index.articles == tuple(sorted((bundled[0].id, bundled[1].id)))
    filters = [
        ExportFilter.parse(
            labels=labels, annotators=who, articles=where, since=since, until=until, anchors=anchor
        )
        for labels in ([], ["claim"], ["entities"], ["note", "opinion"])
        for who in ([], ["ana"], ["cy"])
        for where in ([], [bundled[1].id])
        for since, until in [(None, None), ("2026-12-01", None), (None, "2026-11-30")]
        for anchor in ([], ["orphan"], ["exact", "moved", "fuzzy"])
    ]
    filters.append(ExportFilter.parse(since="2026-11-30T20:00:00Z", until="2026-11-30T20:31Z"))
    for chosen in filters:
        kept = len(chosen.annotations(annotations)) + len(chosen.corrections(corrections))
        assert index.count(chosen) == kept, chosen
    assert index.count(filters[-1]) == 1  # 01:30 at +05:00 is 20:30 the day before in UTC
