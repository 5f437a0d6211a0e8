"""The `reader` command's entry point, and the two settings it gives Python for the app.

Launching imports Textual and our modules and builds the first screen: a few hundred thousand
objects that live as long as the app. Python's cyclic garbage collector would walk them again and
again while they are created (tens of milliseconds on a small machine, pure overhead: nothing is
garbage yet). So the collector is paused from launch until the first frame is on screen, and
`NewsReaderApp` resumes it right after. Memory is unaffected: reference counting still frees
everything that is not in a cycle. The other commands (`reader export`, `import`...) draw
nothing, and run with the collector on.

The app also gets a shorter interval for Python's thread switches (`APP_SWITCH_INTERVAL`).
Textual writes each frame to the terminal from a thread of its own; a frame larger than the
terminal's buffer (a full screen of coloured text is 30 KB) blocks that thread in mid-write,
and Python then gives it the interpreter back only when the main thread, busy with what
follows the frame, yields it: after 5 ms by default. The first frame's last rows reached the
terminal 5 ms after the rest; about 1 ms now.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

_paused_here = False

# The commands besides the app, by their first argument (reader.cli dispatches them).
COMMANDS = frozenset({"export", "entities", "import", "agree", "ner"})
# Seconds a thread may hold the interpreter while another waits for it (Python's default:
# 0.005), in the app; see the module's docstring.
APP_SWITCH_INTERVAL = 0.001


def pause_gc() -> None:
    global _paused_here
    if gc.isenabled():
        gc.disable()
        _paused_here = True


def resume_gc() -> None:
    """Turn the collector back on if `pause_gc` turned it off (otherwise leave it alone)."""
    global _paused_here
    if _paused_here:
        _paused_here = False
        gc.enable()


# Full (generation 2) collections after start-up: one per this many generation-1 collections,
# where Python's default is 10 (see settle_heap).
FULL_COLLECTION_EVERY = 100
# Young collections after start-up: Python's own (see collect_between_frames) when a frame has
# been drawn, and by the allocator itself only past this many times Python's threshold.
YOUNG_DEFERRED_FACTOR = 10
_thresholds_before: tuple[int, int, int] | None = None


def settle_heap() -> None:
    """After the first frame: the collector back on, and what start-up made kept out of its way.

    Nearly everything made so far (modules, widgets, the articles and their entities) lives as
    long as the app. Each full collection would walk it all again (50-85 ms here, landing on
    whichever key happened to trigger it); frozen, it is left alone.

    What comes after the first frame is walked by full collections still: the other articles,
    their entities and layouts, the views' drawn lines. Python runs one every 10 collections of
    the middle generation, and here that was one every few keys, 20-50 ms each, on whichever
    key it fell (5 in a benchmark round of 300 keys, the slowest keys of the round). One in
    100 leaves one such pause where there were five; cycles that outlive the younger
    generations are freed later, which is all it costs.

    Young collections wait for the end of a frame (collect_between_frames).

    `release_heap` undoes all this when the app ends, so that a process running several apps (the
    tests) can free them and keeps its own collector settings.
    """
    global _thresholds_before
    resume_gc()
    gc.freeze()
    if _thresholds_before is None:
        _thresholds_before = gc.get_threshold()
        young, middle, _full = _thresholds_before
        gc.set_threshold(young * YOUNG_DEFERRED_FACTOR, middle, FULL_COLLECTION_EVERY)


def collection_due() -> bool:
    """Whether Python would have run a young collection by now (see collect_between_frames)."""
    return _thresholds_before is not None and gc.get_count()[0] > _thresholds_before[0]


def collect_between_frames() -> None:
    """The young collection Python would have run in the middle of a key's work, run once its
    frame is drawn.

    Python collects the youngest generation whenever 700 more objects that it tracks have been
    made than freed; a key that redraws the panes makes more than that, so nearly every such
    key had a collection (0.3-1 ms, and 1-4 ms when the middle generation's turn came) between
    it and its frame. After the first frame the allocator's own threshold is ten times higher
    (settle_heap), and the app calls this after each frame: the same collections, by Python's
    rule for which generation, when the user already sees the answer to their key. Full
    collections stay the allocator's: it alone knows whether enough has lived on to be worth
    one.
    """
    if _thresholds_before is None:
        return
    young, middle, _full = _thresholds_before
    young_count, middle_count, _full_count = gc.get_count()
    if young_count > young:
        gc.collect(1 if middle_count > middle else 0)


def release_heap() -> None:
    global _thresholds_before
    gc.unfreeze()
    if _thresholds_before is not None:
        gc.set_threshold(*_thresholds_before)
        _thresholds_before = None


def launch(argv: Sequence[str] | None = None) -> int:
    """`reader ...` and `python -m reader ...`."""
    args = list(sys.argv[1:] if argv is None else argv)
    app = not args or args[0] not in COMMANDS
    switch_interval = sys.getswitchinterval()
    if app:
        pause_gc()
        sys.setswitchinterval(min(switch_interval, APP_SWITCH_INTERVAL))
    try:
        from reader.cli import main

        return main(args)
    finally:
        resume_gc()
        sys.setswitchinterval(switch_interval)
