"""A writer process for the store's crash and concurrency tests (run as a script, not collected).

Every line it prints is flushed before the next step, so a parent that kills it knows exactly
what it had started and what had been acknowledged:

    R                       imported, waiting for the go signal
    o                       let go: opening the store
    O <notices as JSON>     the store is open (its notices)
    A <attempt as JSON>     about to save: {"s": seq, "ops": [{"put": record} | {"del": id}]}
    K <seq>                 the save returned (acknowledged: durable)
    C <seq> / c <seq>       a compaction is starting / has returned
    N <count>               records its own store holds at the end (concurrent mode)
    D                       finished (concurrent and compactor modes)

Modes:

    crash DB SEED                     wait for a line on stdin, then save at random until killed
    concurrent DB WRITER N BARRIER    open, wait for BARRIER to exist, make N saves, close
    compactor DB BARRIER STOP PAUSE   open, wait for BARRIER, compact (pausing PAUSE seconds
                                      between compactions) until STOP exists, close
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from annotations.model import LABELS, Annotation, timestamp
from annotations.store import ANNOTATIONS, AnnotationStore, Op

TEXT = (
    "The council said on Tuesday that the bridge would reopen in May. Critics called the "
    "timetable unrealistic, and one engineer, who asked not to be named, said repairs had "
    "barely begun. The mayor's office did not respond to a request for comment."
)


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(0.0005)


# -- crash mode -----------------------------------------------------------------------------


def new_annotation(rng: random.Random, annotator: str) -> Annotation:
    start = rng.randrange(0, len(TEXT) - 1)
    end = rng.randrange(start + 1, min(len(TEXT), start + 60) + 1)
    article = f"art-{rng.randrange(5)}"
    if rng.random() < 0.2:
        # A note, sometimes long: journal lines of several pages, which a kill can cut short.
        size = rng.choice((10, 200, 3000, 9000))
        offset = rng.randrange(20)
        note = ("lorem ipsum dolor sit amet " * 400)[offset : offset + size].strip() or "n"
        return Annotation.create(
            article=article, text=TEXT, start=start, end=end, note=note, annotator=annotator
        )
    return Annotation.create(
        article=article,
        text=TEXT,
        start=start,
        end=end,
        label=rng.choice(LABELS),
        annotator=annotator,
    )


def edited(rng: random.Random, annotation: Annotation, seq: int) -> Annotation:
    changes: dict[str, Any] = {"title": f"v{seq}", "modified": timestamp()}
    if annotation.is_tag:
        changes["label"] = rng.choice(LABELS)
    else:
        changes["note"] = f"edited in save {seq}"
    return annotation.evolve(**changes)


def crash(db: Path, seed: int) -> None:
    rng = random.Random(seed)
    annotator = f"w{seed % 1000}"
    emit("R")
    sys.stdin.readline()
    emit("o")
    store = AnnotationStore(db)
    emit("O " + orjson.dumps(store.notices).decode())
    live: dict[str, Annotation] = {a.id: a for a in store.all()}
    seq = 0
    while True:
        seq += 1
        if rng.random() < 0.05:
            emit(f"C {seq}")
            store.compact()
            emit(f"c {seq}")
            continue
        size = len(live)
        # Keep the database around 60-150 records: adds when small, removes when large.
        weights = {
            "add": 5 if size < 60 else 2,
            "update": 4 if size else 0,
            "remove": (4 if size > 150 else 2) if size else 0,
            "transaction": 3,
            "commit": 2,
        }
        action = rng.choices(list(weights), weights=list(weights.values()))[0]
        if action == "add":
            annotation = new_annotation(rng, annotator)
            emit("A " + attempt(seq, [("put", annotation)]))
            store.add(annotation)
            live[annotation.id] = annotation
        elif action == "update":
            annotation = edited(rng, live[rng.choice(list(live))], seq)
            emit("A " + attempt(seq, [("put", annotation)]))
            store.update(annotation)
            live[annotation.id] = annotation
        elif action == "remove":
            key = rng.choice(list(live))
            emit("A " + attempt(seq, [("del", key)]))
            store.remove(key)
            del live[key]
        else:
            steps = planned_steps(rng, live, seq, annotator, rng.randint(2, 5))
            emit("A " + attempt(seq, steps))
            if action == "transaction":
                with store.transaction() as transaction:
                    for what, value in steps:
                        if what == "del":
                            transaction.remove(ANNOTATIONS, value)
                        elif value.id in live:
                            transaction.update(ANNOTATIONS, value)
                        else:
                            transaction.add(ANNOTATIONS, value)
            else:
                store.commit(
                    [
                        Op(ANNOTATIONS, value, None, live[value])
                        if what == "del"
                        else Op(ANNOTATIONS, value.id, value, live.get(value.id))
                        for what, value in steps
                    ]
                )
            for what, value in steps:
                if what == "del":
                    del live[value]
                else:
                    live[value.id] = value
        emit(f"K {seq}")


def planned_steps(
    rng: random.Random, live: dict[str, Annotation], seq: int, annotator: str, count: int
) -> list[tuple[str, Any]]:
    """A few adds, updates and removes, each on a different record."""
    steps: list[tuple[str, Any]] = []
    free = list(live)
    rng.shuffle(free)
    for _ in range(count):
        choice = rng.random()
        if free and choice < 0.35:
            steps.append(("put", edited(rng, live[free.pop()], seq)))
        elif free and choice < 0.6:
            steps.append(("del", free.pop()))
        else:
            steps.append(("put", new_annotation(rng, annotator)))
    return steps


def attempt(seq: int, steps: list[tuple[str, Any]]) -> str:
    ops = [{"del": value} if what == "del" else {"put": value.to_record()} for what, value in steps]
    return orjson.dumps({"s": seq, "ops": ops}).decode()


# -- concurrent mode ------------------------------------------------------------------------


def concurrent(
    db: Path, writer: str, saves: int, barrier: Path, compactions: Path | None = None
) -> None:
    """Save ``saves`` times: save i adds record ``{writer}-{i:04d}`` (title str(i)); saves with
    i % 3 != 0 also set the writer's counter record ``{writer}-counter`` to title str(i).

    With ``compactions`` (a compactor's output), the writer waits a quarter, half and three
    quarters of the way for the compactor's first, second and third compaction: on a loaded
    machine the writers could otherwise finish before it compacted more than once."""
    store = AnnotationStore(db)
    emit("R")
    wait_for(barrier)
    waits = {saves * k // 4: k for k in (1, 2, 3)} if compactions is not None else {}
    counter_id = f"{writer}-counter"
    counter: Annotation | None = None
    for i in range(1, saves + 1):
        if i in waits:
            assert compactions is not None
            wait_for_compactions(compactions, waits[i])
        record = Annotation.create(
            article=writer, text=TEXT, start=i % 50, end=i % 50 + 5, label="claim", annotator=writer
        ).evolve(id=f"{writer}-{i:04d}", title=str(i))
        if i % 3 == 0:
            store.add(record)
        else:
            if counter is None:
                base = Annotation.create(
                    article=writer, text=TEXT, start=0, end=3, label="claim", annotator=writer
                )
                new_counter = base.evolve(id=counter_id, title=str(i))
            else:
                new_counter = counter.evolve(title=str(i), modified=timestamp())
            if i % 3 == 1:
                with store.transaction() as transaction:
                    transaction.add(ANNOTATIONS, record)
                    if counter is None:
                        transaction.add(ANNOTATIONS, new_counter)
                    else:
                        transaction.update(ANNOTATIONS, new_counter)
            else:
                store.commit(
                    [
                        Op(ANNOTATIONS, record.id, record, None),
                        Op(ANNOTATIONS, counter_id, new_counter, counter),
                    ]
                )
            counter = new_counter
        emit(f"K {i}")
    # Each save first took in everyone else's: so does the last one.
    emit(f"N {len(store)}")
    store.close()
    emit("D")


def wait_for_compactions(output: Path, count: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while sum(line.startswith("c ") for line in output.read_text().splitlines()) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"the compactor did not compact {count} times in {timeout:.0f} s")
        time.sleep(0.002)


def compactor(db: Path, barrier: Path, stop: Path, pause: float) -> None:
    store = AnnotationStore(db)
    emit("R")
    wait_for(barrier)
    count = 0
    while not stop.exists():
        store.compact()
        count += 1
        emit(f"c {count}")
        time.sleep(pause)
    store.close()
    emit("D")


def main(argv: list[str]) -> None:
    mode, db = argv[0], Path(argv[1])
    if mode == "crash":
        crash(db, int(argv[2]))
    elif mode == "concurrent":
        concurrent(db, argv[2], int(argv[3]), Path(argv[4]), *map(Path, argv[5:6]))
    elif mode == "compactor":
        compactor(db, Path(argv[2]), Path(argv[3]), float(argv[4]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
