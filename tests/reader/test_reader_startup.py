"""The launcher pauses Python's cyclic GC for start-up only: the app turns it back on after the
first frame, and every way out of `launch` leaves it on."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reader_helpers import SIZE

import reader.cli
from reader import startup
from reader.startup import FULL_COLLECTION_EVERY, launch, pause_gc, resume_gc


@pytest.fixture(autouse=True)
def collector_back_on() -> Iterator[None]:
    """Whatever a test does, the rest of the session runs with the collector on."""
    yield
    resume_gc()
    gc.enable()


async def test_the_app_turns_the_collector_back_on_after_its_first_frame(
    make_app,
) -> None:
    pause_gc()
    assert not gc.isenabled()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen is app.reader_screen
        assert gc.isenabled()


async def test_the_app_freezes_what_start_up_made_and_thaws_it_when_it_ends(make_app) -> None:
    """Full collections skip the start-up heap while the app runs; once it ends, its objects
    can be collected again (tests run hundreds of apps in one process)."""
    gc.unfreeze()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 10_000
    assert gc.get_freeze_count() == 0


async def test_full_collections_are_rarer_while_the_app_runs(make_app) -> None:
    """After the first frame, a full collection per FULL_COLLECTION_EVERY middle ones, not
    Python's 10, and young ones between frames (the allocator's threshold is higher); the
    process's own settings are back once the app ends."""
    before = gc.get_threshold()
    assert before[2] != FULL_COLLECTION_EVERY
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        young = before[0] * startup.YOUNG_DEFERRED_FACTOR
        assert gc.get_threshold() == (young, before[1], FULL_COLLECTION_EVERY)
    assert gc.get_threshold() == before


async def test_a_keys_young_collection_waits_until_its_frame_is_drawn(make_app) -> None:
    """A key that redraws the panes makes more objects than Python's young threshold: nearly
    every `f` had a collection between the key and its frame. They come after the frame now,
    and come still: Python's own count, by Python's rule for the generation."""
    app = make_app()
    events: list[str] = []
    display = app._display

    def noting_frames(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            events.append("frame")

    def noting_collections(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            events.append(f"gc{info['generation']}")

    app._display = noting_frames  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        gc.callbacks.append(noting_collections)
        try:
            for _ in range(16):
                events.append("key")
                await pilot.press("f")
                await pilot.pause()
        finally:
            gc.callbacks.remove(noting_collections)
    keys = "".join(" " if event == "key" else event[0] for event in events).split(" ")[1:]
    # Each key's events, as "f" for a frame and "g" for a collection: none before its frame.
    assert all(key.startswith("f") or "g" not in key for key in keys), keys
    assert any("g" in key for key in keys)  # they still happen


def test_resume_leaves_a_collector_it_did_not_pause_alone() -> None:
    gc.disable()  # someone else's decision (a profiler, a test harness)
    resume_gc()
    assert not gc.isenabled()
    gc.enable()
    pause_gc()
    resume_gc()
    assert gc.isenabled()


def test_launch_that_fails_before_the_ui_leaves_the_collector_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "corrupt.json"
    db.write_bytes(b"{not json")
    assert launch(["--db", str(db)]) == 1
    assert "corrupt" in capsys.readouterr().err
    assert gc.isenabled()


def test_launch_pauses_and_switches_threads_sooner_for_the_app_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector paused and a short thread-switch interval for the app; every other
    command runs with the process's own settings, and launch restores them all."""
    seen: dict[str, tuple[bool, float]] = {}

    def fake_reader(argv: list[str]) -> int:
        seen["reader " + " ".join(argv)] = (gc.isenabled(), sys.getswitchinterval())
        return 0

    def fake_command(name: str) -> Callable[[list[str]], int]:
        def run(argv: list[str]) -> int:
            seen[name] = (gc.isenabled(), sys.getswitchinterval())
            return 0

        return run

    monkeypatch.setattr(reader.cli, "run_reader", fake_reader)
    monkeypatch.setattr(reader.cli, "run_export", fake_command("export"))
    commands = {
        "entities": "reader.entities_command.run_entities",
        "import": "reader.import_command.run_import",
        "agree": "reader.agree_command.run_agree",
        "ner": "reader.ner_command.run_ner",
    }
    for name, runner in commands.items():
        monkeypatch.setattr(runner, fake_command(name))
    default = sys.getswitchinterval()
    assert default > startup.APP_SWITCH_INTERVAL
    assert launch([]) == 0
    assert launch([str(tmp_path / "article.txt")]) == 0
    for name in ["export", *commands]:
        assert launch([name]) == 0
    app = (False, startup.APP_SWITCH_INTERVAL)
    command = (True, default)
    assert seen == {
        "reader ": app,
        f"reader {tmp_path / 'article.txt'}": app,
        **dict.fromkeys(["export", *commands], command),
    }
    assert gc.isenabled() and not startup._paused_here
    assert sys.getswitchinterval() == default


async def test_quitting_at_the_first_frame_ends_cleanly(make_app) -> None:
    """Work left for after the first frame (the search bar is built then) must not fail when
    the app is already closing: q pressed at once, or a script that ends at the first frame."""
    app = make_app()
    display = app._display

    def quit_at_first_frame(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and screen is getattr(app, "reader_screen", None):
            app.exit()

    app._display = quit_at_first_frame  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app._exception is None
    assert app.return_code == 0
