"""Crash safety of the annotation store: writer processes killed with SIGKILL at random moments.

A writer subprocess (tests/annotations/store_writer.py, mode ``crash``) opens the store and saves
without pause: single adds, updates and removes, multi-op transactions, direct commits, and now
and then a compaction. Before each save it prints what it is about to save, after it returns it
prints the acknowledgement, each line flushed. The parent kills it at a random moment and then
checks the database as it was left: it opens; every acknowledged save is there with its content;
the one save in flight at the kill is there either whole or not at all; nothing else is there;
the snapshot parses with plain TinyDB; no temporary files are left after a reopen; a torn last
journal line is dropped with a notice naming the journal. The next round runs on the same files,
so any damage would accumulate. Now and then the parent also tears the journal's tail by hand
(a SIGKILL rarely cuts a write short), for the next writer or the next check to clean up.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter, deque
from pathlib import Path
from typing import Any

import orjson
import pytest
from tinydb import TinyDB

from annotations.errors import CorruptDatabaseError
from annotations.model import Annotation
from annotations.store import ANNOTATIONS, AnnotationStore

CHECKOUT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("store_writer.py")
TEXT = "The council said on Tuesday that the bridge would reopen in May, critics disagreed."

Record = dict[str, Any]
State = dict[str, Record]


# -- helpers shared with the deterministic tests ---------------------------------------------


def annotate(start: int, label: str = "claim") -> Annotation:
    return Annotation.create(
        article="a", text=TEXT, start=start, end=start + 5, label=label, annotator="w1"
    )


def journal_of(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def temp_files(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}.*.tmp"))


def state_of(store: AnnotationStore) -> State:
    return {a.id: a.to_record() for a in store.all()}


def snapshot_documents(db: Path) -> tuple[set[str], list[Record]]:
    """The snapshot's table names and annotation documents, as plain TinyDB reads them."""
    with TinyDB(db, access_mode="r") as tinydb:
        tables = set(tinydb.tables())
        documents = [dict(document) for document in tinydb.table("annotations").all()]
    return tables, documents


def journal_line(record: Record) -> bytes:
    """A journal entry as the store writes it (one put), without its newline."""
    return orjson.dumps(
        {"txn": str(uuid.uuid4()), "ops": [{"put": "annotations", "record": record}]}
    )


def dropped_notices(notices: list[str]) -> list[str]:
    return [notice for notice in notices if "dropped" in notice]


# -- the writer process ----------------------------------------------------------------------


def writer_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(CHECKOUT), env.get("PYTHONPATH", "")) if part
    )
    return env


class Writer:
    """One crash-mode writer: started ahead (it imports while the parent checks), then let go."""

    def __init__(self, db: Path, logs: Path, number: int, seed: int) -> None:
        self.number = number
        self.out_path = logs / f"writer-{number:03d}.out"
        self.err_path = logs / f"writer-{number:03d}.err"
        with self.out_path.open("wb") as out, self.err_path.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(WRITER), "crash", str(db), str(seed)],
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=err,
                cwd=CHECKOUT,
                env=writer_env(),
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while not self.out_path.read_bytes().startswith(b"R\n"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                self.process.wait()
                pytest.fail(f"writer {self.number} did not start:\n{self.err_path.read_text()}")
            time.sleep(0.001)

    def go(self) -> None:
        """Let it go, and return once it starts opening the store (so no kill is wasted)."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.flush()
        deadline = time.monotonic() + 60
        while not self.out_path.read_bytes().startswith(b"R\no\n"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                self.process.wait()
                pytest.fail(f"writer {self.number} did not go:\n{self.err_path.read_text()}")
            time.sleep(0.0001)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        assert self.process.stdin is not None
        self.process.stdin.close()
        if self.process.returncode != -signal.SIGKILL:
            pytest.fail(
                f"writer {self.number} stopped by itself ({self.process.returncode}) before the "
                f"kill:\n{self.err_path.read_text()}"
            )

    def lines(self) -> list[str]:
        # Only whole lines: a line cut short by the kill was never followed by its step.
        data = self.out_path.read_bytes()
        return data[: data.rfind(b"\n") + 1].decode().splitlines()


# -- what the writer did, and what the database must hold ------------------------------------


def apply_ops(state: State, ops: list[Record]) -> State:
    after = dict(state)
    for op in ops:
        if "del" in op:
            after.pop(op["del"], None)
        else:
            after[op["put"]["id"]] = op["put"]
    return after


def difference(actual: State, expected: State) -> str:
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(k for k in set(actual) & set(expected) if actual[k] != expected[k])
    return f"missing {missing[:5]}, unexpected {extra[:5]}, changed {changed[:5]}"


class Round:
    """What one writer printed: the saves it had acknowledged, and the one it had started."""

    def __init__(self, lines: list[str], state: State, attempted: dict[str, list[Record]]) -> None:
        self.opening = False
        self.opened = False
        self.notices: list[str] = []
        self.acknowledged = dict(state)
        self.pending: list[Record] | None = None
        self.in_compaction = False
        self.saves = 0
        for line in lines:
            tag, _, rest = line.partition(" ")
            if tag == "o":
                self.opening = True
            elif tag == "O":
                self.opened = True
                self.notices = orjson.loads(rest)
            elif tag == "A":
                self.pending = orjson.loads(rest)["ops"]
                for op in self.pending:
                    if "put" in op:
                        attempted.setdefault(op["put"]["id"], []).append(op["put"])
            elif tag == "K":
                assert self.pending is not None, line
                self.acknowledged = apply_ops(self.acknowledged, self.pending)
                self.pending = None
                self.saves += 1
            elif tag == "C":
                self.in_compaction = True
            elif tag == "c":
                self.in_compaction = False

    @property
    def moment(self) -> str:
        if not self.opening:
            return "before opening"
        if not self.opened:
            return "during open"
        if self.pending is not None:
            return "during a save"
        if self.in_compaction:
            return "during a compaction"
        return "between saves"


def live_journal_ends_whole(db: Path) -> bool | None:
    """Whether the journal that continues the snapshot ends with a whole line (False: a torn
    tail, which opening must drop); None if there is no such journal."""
    journal = journal_of(db)
    if not db.exists() or not journal.exists():
        return None
    data = journal.read_bytes()
    if b"\n" not in data:
        return None
    header = orjson.loads(data[: data.index(b"\n")])
    with TinyDB(db, access_mode="r") as tinydb:
        meta = tinydb.table("_meta").all()[0]
    if header["journal"] != meta["journal"]:
        return None  # absorbed by a compaction that was cut short: ignored until replaced
    return data.endswith(b"\n")


def kill_delay(rng: random.Random) -> float:
    """Mostly short: many kills land while the writer opens, or in its first saves."""
    roll = rng.random()
    if roll < 0.3:
        return rng.uniform(0.0, 0.004)
    if roll < 0.8:
        return rng.uniform(0.004, 0.04)
    return rng.uniform(0.04, 0.15)


PREWARM = 3  # writers started ahead: their start-up (imports) overlaps the rounds before


class KillRun:
    """Rounds of start, kill and check on one database; the expected state carries over."""

    def __init__(self, tmp_path: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.db = tmp_path / "db.json"
        self.logs = tmp_path / "logs"
        self.logs.mkdir()
        self.state: State = {}
        self.attempted: dict[str, list[Record]] = {}
        self.stats: Counter[str] = Counter()
        self.injected = False

    def writer(self, number: int) -> Writer:
        return Writer(self.db, self.logs, number, self.seed * 100_000 + number)

    def run(self, kills: int) -> Counter[str]:
        upcoming = deque(self.writer(number) for number in range(min(PREWARM, kills)))
        try:
            for number in range(kills):
                writer = upcoming.popleft()
                writer.wait_ready()
                delay = kill_delay(self.rng)
                writer.go()
                time.sleep(delay)
                writer.kill()
                if number + PREWARM < kills:
                    upcoming.append(self.writer(number + PREWARM))
                self.check(
                    number,
                    writer,
                    f"round {number} (kill after {delay * 1000:.1f} ms; log {writer.out_path})",
                )
        finally:
            for waiting in upcoming:  # never let go: they have not touched the database
                waiting.process.kill()
                waiting.process.wait()
        self.stats["records at the end"] = len(self.state)
        print(f"\n{kills} kills: " + ", ".join(f"{k}: {v}" for k, v in sorted(self.stats.items())))
        return self.stats

    def check(self, number: int, writer: Writer, where: str) -> None:
        db, stats = self.db, self.stats
        done = Round(writer.lines(), self.state, self.attempted)
        stats["kills"] += 1
        stats[done.moment] += 1
        stats["acknowledged saves"] += done.saves
        if self.injected and done.opened:
            # The writer opened on the tail the parent tore: it dropped it, and said so.
            assert dropped_notices(done.notices), f"{where}: writer notices {done.notices}"
            stats["injected torn tails dropped by the writer"] += 1
        assert not set(done.notices) - set(dropped_notices(done.notices)), (where, done.notices)

        torn = live_journal_ends_whole(db) is False
        try:
            store = AnnotationStore(db)
        except Exception as error:  # the point: opening must never raise
            pytest.fail(f"{where}: opening raised {error!r}")
        actual = state_of(store)
        whole = apply_ops(done.acknowledged, done.pending or [])
        if actual == done.acknowledged:
            if done.pending is not None:
                stats["in-flight save absent"] += 1
        elif done.pending is not None and actual == whole:
            stats["in-flight save present"] += 1
        else:
            pytest.fail(
                f"{where}: the database is not what was acknowledged (plus, whole or not at all,"
                f" the save in flight): {difference(actual, done.acknowledged)}"
            )
        self.state = actual

        # A torn tail is reported, naming the journal; nothing else is reported.
        dropped = dropped_notices(store.notices)
        if torn:
            stats["torn tails dropped by the check"] += 1
            if not self.injected:
                stats["torn tails cut by the kill itself"] += 1
            assert len(dropped) == 1, f"{where}: {store.notices}"
            assert str(store.journal_path) in dropped[0], f"{where}: {dropped[0]}"
        else:
            assert not dropped, f"{where}: {store.notices}"
        assert store.notices == dropped, f"{where}: {store.notices}"
        assert store.unreadable() == [], where
        assert live_journal_ends_whole(db) in (True, None), f"{where}: torn tail left behind"
        assert temp_files(db) == [], f"{where}: left behind {temp_files(db)}"

        # The snapshot parses with TinyDB alone, and holds only versions that were saved.
        if db.exists():
            tables, documents = snapshot_documents(db)
            assert {"_meta", "annotations"} <= tables, f"{where}: {tables}"
            for document in documents:
                assert document in self.attempted.get(document["id"], []), f"{where}: {document}"
        else:
            assert self.state == {} and not journal_of(db).exists(), where

        if number % 10 == 9:
            # Fold everything into the snapshot now and then: TinyDB must then read it all.
            store.compact()
            store.close()
            _, documents = snapshot_documents(db)
            assert {d["id"]: d for d in documents} == self.state, f"{where}: after compaction"
        del store

        self.injected = False
        if live_journal_ends_whole(db) and self.rng.random() < 0.15:
            # Tear the tail by hand: a save cut short that no one acknowledged.
            never = annotate(self.rng.randrange(len(TEXT) - 5)).evolve(id=f"torn-{number}")
            line = journal_line(never.to_record())
            with journal_of(db).open("ab") as journal:
                journal.write(line[: self.rng.randint(1, len(line))])
            self.injected = True
            stats["torn tails injected"] += 1


def run_kills(tmp_path: Path, kills: int, seed: int) -> Counter[str]:
    return KillRun(tmp_path, seed).run(kills)


def test_200_random_kills_lose_nothing_acknowledged(tmp_path: Path) -> None:
    stats = run_kills(tmp_path, kills=200, seed=2)
    assert stats["kills"] == 200
    # The kills really did land everywhere that matters (counts vary with the machine's speed).
    assert stats["during open"] > 0, stats
    assert stats["during a save"] > 0, stats
    assert stats["during a compaction"] > 0, stats
    assert stats["in-flight save present"] > 0, stats
    assert stats["torn tails injected"] > 0, stats


# -- deterministic: a torn last line, a damaged middle line ----------------------------------


def database_with_journal(db: Path) -> State:
    """A database with records in its snapshot and more in its journal (left unclosed, so that
    close() does not fold the journal away)."""
    store = AnnotationStore(db)
    first = [annotate(start) for start in (0, 6, 12)]
    for annotation in first:
        store.add(annotation)
    store.compact()
    store.add(annotate(20, "opinion"))
    store.update(first[0].evolve(label="unverified"))
    store.remove(first[1].id)
    with store.transaction() as transaction:
        transaction.add(ANNOTATIONS, annotate(30))
        transaction.add(ANNOTATIONS, annotate(40))
    assert journal_of(db).read_bytes().count(b"\n") == 5  # header and four entries
    return state_of(store)


@pytest.mark.parametrize("cut", ["one byte", "half", "all but the newline"])
def test_torn_last_journal_line_is_dropped_with_a_notice(tmp_path: Path, cut: str) -> None:
    db = tmp_path / "db.json"
    expected = database_with_journal(db)
    journal = journal_of(db)
    whole = journal.read_bytes()
    never = annotate(50)
    line = journal_line(never.to_record())
    part = {"one byte": line[:1], "half": line[: len(line) // 2], "all but the newline": line}[cut]
    with journal.open("ab") as file:
        file.write(part)

    store = AnnotationStore(db)
    assert state_of(store) == expected
    assert store.annotation(never.id) is None
    assert len(store.notices) == 1, store.notices
    assert str(store.journal_path) in store.notices[0]
    assert f"({len(part)} bytes)" in store.notices[0]
    assert journal.read_bytes() == whole

    after = annotate(60)
    store.add(after)
    again = AnnotationStore(db)
    assert again.notices == []
    assert state_of(again) == {**expected, after.id: after.to_record()}
    assert journal.read_bytes().startswith(whole)
    assert journal.read_bytes().endswith(b"\n")


def test_a_store_already_open_drops_a_torn_tail_before_it_appends(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    expected = database_with_journal(db)
    store = AnnotationStore(db)
    line = journal_line(annotate(50).to_record())
    with journal_of(db).open("ab") as file:
        file.write(line[: len(line) // 3])

    after = annotate(60)
    store.add(after)
    assert len(dropped_notices(store.notices)) == 1
    assert str(store.journal_path) in store.notices[0]
    again = AnnotationStore(db)
    assert again.notices == []
    assert state_of(again) == {**expected, after.id: after.to_record()}


def test_reopen_removes_the_temporary_file_of_a_first_save_that_was_killed(
    tmp_path: Path,
) -> None:
    """A writer killed inside the very first save of a new database, while write_atomically
    writes the first (empty) snapshot, leaves ``.db.json.<random>.tmp`` and no ``db.json``
    (seen in the random-kill run). Reopening must remove it, as it does once db.json exists.

    Until 45ffdfb, Database._clean_leftovers returned early when the database file did not
    exist, so the file stayed until the first open after a later save had created db.json."""
    db = tmp_path / "db.json"
    leftover = tmp_path / ".db.json.k1ll3d9x.tmp"
    leftover.write_bytes(b'{\n"_meta": {\n"1": {"format": 2, "jou')  # as a kill leaves it

    store = AnnotationStore(db)
    assert store.all() == []
    assert temp_files(db) == []


@pytest.mark.parametrize("damage", ["garbage", "cut short", "not a transaction"])
def test_damaged_middle_journal_line_is_refused_and_left_as_it_is(
    tmp_path: Path, damage: str
) -> None:
    db = tmp_path / "db.json"
    database_with_journal(db)
    journal = journal_of(db)
    lines = journal.read_bytes().split(b"\n")
    # lines[0] is the header; damage the second entry (line 3), two entries follow it.
    target = lines[2]
    lines[2] = {
        "garbage": b"#" * len(target),
        "cut short": target[: len(target) // 2],
        "not a transaction": orjson.dumps({"txn": "x", "ops": "none"}),
    }[damage]
    journal.write_bytes(b"\n".join(lines))
    damaged, snapshot = journal.read_bytes(), db.read_bytes()

    for _attempt in range(2):
        with pytest.raises(CorruptDatabaseError) as caught:
            AnnotationStore(db)
        assert Path(caught.value.path).name == journal.name
        assert str(caught.value.path) in str(caught.value)
        assert "line 3" in str(caught.value)
        assert journal.read_bytes() == damaged
        assert db.read_bytes() == snapshot
        assert temp_files(db) == []
