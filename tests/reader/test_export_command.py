"""`reader export` as users meet it: filters, and output that is safe whatever it goes to.

The unsafe cases run the real command in a subprocess (a closed pipe, a full disk, a terminal)
because they are about what reaches the process's own file descriptors.
"""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.export import FORMATS
from annotations.formats import FORMATS as FORMAT_REGISTRY
from annotations.model import FIELDS, Annotation
from annotations.store import ANNOTATIONS, AnnotationStore, Op
from corpus.loader import load_article
from corpus.model import Article
from reader.cli import main

HOSTILE_NOTE = "set the title\x1b]0;pwned\x07 and clear\x1b[2J done"


@pytest.fixture
def db(tmp_path: Path, bundled: list[Article]) -> Path:
    """Tags by two annotators on two articles over two days, and a note carrying escape
    sequences (it would retitle and clear the terminal if passed through)."""
    path = tmp_path / "annotations.json"
    rows = [
        (bundled[0], 1, "claim", "", "ana", "2026-11-30T10:00:00+00:00"),
        (bundled[0], 2, "opinion", "", "bo", "2026-12-01T10:00:00+00:00"),
        (bundled[1], 3, "claim", "", "bo", "2026-12-02T10:00:00+00:00"),
        (bundled[1], 3, "", HOSTILE_NOTE, "ana", "2026-12-02T11:00:00+00:00"),
    ]
    with AnnotationStore(path) as store:
        for article, index, label, note, annotator, when in rows:
            start, end = article.sentences[index]
            made = Annotation.create(
                article=article.id,
                text=article.text,
                start=start,
                end=end,
                label=label,
                note=note,
                annotator=annotator,
                article_sha256=article.sha256,
            )
            store.add(made.evolve(created=when, modified=when))
    return path


def exported(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main(["export", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_filters_by_label_annotator_article_and_date(
    db: Path, bundled: list[Article], capsys: pytest.CaptureFixture[str]
) -> None:
    everything = exported(capsys, "--db", str(db))
    assert len(everything) == 4
    claims = exported(capsys, "--db", str(db), "--label", "claim")
    assert {r["label"] for r in claims} == {"claim"} and len(claims) == 2
    notes = exported(capsys, "--db", str(db), "--label", "note")
    assert [r["note"] for r in notes] == [HOSTILE_NOTE]
    both = exported(capsys, "--db", str(db), "--label", "claim,opinion")
    assert len(both) == 3
    bo = exported(capsys, "--db", str(db), "--annotator", "bo")
    assert {r["annotator"] for r in bo} == {"bo"} and len(bo) == 2
    first = exported(capsys, "--db", str(db), "--article", bundled[0].id)
    assert {r["article"] for r in first} == {bundled[0].id} and len(first) == 2
    # --until a day takes that whole day; --since the day from its start.
    upto = exported(capsys, "--db", str(db), "--until", "2026-12-01")
    assert sorted(str(r["modified"])[:10] for r in upto) == ["2026-11-30", "2026-12-01"]
    since = exported(capsys, "--db", str(db), "--since", "2026-12-02", "--annotator", "ana")
    assert [r["note"] for r in since] == [HOSTILE_NOTE]
    assert exported(capsys, "--db", str(db), "--anchor", "orphan") == []
    assert len(exported(capsys, "--db", str(db), "--anchor", "exact")) == 4


def test_a_filter_naming_what_no_record_has_says_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo in --label or --annotator exports nothing, which is not an error, but the empty
    output should say why."""
    assert main(["export", "--db", str(db), "--label", "claim,cliam", "--annotator", "Ana"]) == 0
    err = capsys.readouterr().err
    [label, annotator] = [line for line in err.splitlines() if "no record has" in line]
    assert "the label 'cliam' (there: claim, note, opinion)" in label
    assert "the annotator 'Ana' (there: ana, bo)" in annotator
    assert main(["export", "--db", str(db), "--label", "claim", "--annotator", "ana"]) == 0
    assert "no record has" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--since", "yesterday"], "'yesterday' is not a date"),
        (["--anchor", "lost"], "unknown anchoring status 'lost'"),
        (["--since", "2026-12-02", "--until", "2026-12-01"], "is not after --since"),
    ],
)
def test_a_bad_filter_is_one_line_and_exit_1(
    db: Path, args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--db", str(db), *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.strip().splitlines()
    assert line.startswith("reader: error: ") and says in line


def run_export(db: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "reader", "export", "--db", str(db), *args],
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_a_pipe_gets_the_text_verbatim(db: Path) -> None:
    result = run_export(db, "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert HOSTILE_NOTE.encode() in result.stdout.replace(b"\r\n", b"\n")


def on_a_terminal(*args: str) -> tuple[int, str]:
    """Run `reader export ARGS` with a pseudo-terminal as its stdout: exit status, and what the
    terminal got (its line discipline turns each \\n into \\r\\n on the way)."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "reader", "export", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
        )
        os.close(follower)
        output = b""
        while True:
            ready, _, _ = select.select([leader], [], [], 30)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=30)
    finally:
        os.close(leader)
    return code, output.decode("utf-8")


def test_a_terminal_never_gets_control_characters(db: Path) -> None:
    code, text = on_a_terminal("--db", str(db), "--format", "csv")
    assert code == 0
    assert "set the title" in text  # the note is there...
    assert "\x1b" not in text and "\x07" not in text  # ...shown, not obeyed
    assert "␛]0;pwned␇" in text


def test_csv_rows_on_a_terminal_end_in_plain_line_breaks(
    tmp_path: Path, bundled: list[Article]
) -> None:
    # CSV ends its rows in \r\n; on a terminal that \r is no character of the data, so it is
    # not shown as ␍. One inside a note is, and stays.
    db = tmp_path / "db.json"
    article = bundled[0]
    with AnnotationStore(db) as store:
        store.add(
            Annotation.on_article(article, article.sentences[1], label="claim", annotator="ana")
        )
        store.add(
            Annotation.on_article(article, article.sentences[2], note="one\r\ntwo", annotator="ana")
        )
    code, text = on_a_terminal("--db", str(db), "--format", "csv")
    assert code == 0
    lines = text.split("\r\n")  # the terminal's own line ends
    assert lines[0] == ",".join(FIELDS)
    assert lines[-1] == ""  # the last row ends in a line break too
    # The note's \r is shown where it is, and is the only one: no row ends in ␍.
    at = next(n for n, line in enumerate(lines) if line.endswith(',"one␍'))
    assert lines[at + 1].startswith('two",')
    assert text.count("␍") == 1


@pytest.fixture(scope="module")
def long_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database and the article file it is on, whose export in every format is well over a
    pipe's 64 KiB (the smallest, md, about 160 KB; spaCy's DocBin compresses, so every word
    differs). Returns (database, article file)."""
    folder = tmp_path_factory.mktemp("long")
    text = "".join(
        f"Sentence {n} " + " ".join(f"w{n}x{k}" for k in range(80)) + ".\n" for n in range(250)
    )
    source = folder / "long.txt"
    source.write_text(text, encoding="utf-8")
    article = load_article(source)
    db = folder / "long.json"
    made = [
        Annotation.on_article(article, span, label="claim", annotator="ana")
        for span in article.sentences
    ]
    with AnnotationStore(db) as store:
        store.commit([Op(ANNOTATIONS, a.id, a, None) for a in made])
    return db, source


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_closed_pipe_ends_with_one_line_and_exit_1(
    fmt: str, long_export: tuple[Path, Path]
) -> None:
    # A reader that takes one byte and leaves while the export is still writing. The binary
    # format writes its content at once: the pipe takes 64 KiB of it and the write returns
    # that count when the reader leaves, with no error, so a short write must be seen.
    db, source = long_export
    command = [sys.executable, "-m", "reader", "export", "--db", str(db), "--format", fmt]
    with subprocess.Popen(
        [*command, "--articles", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.read(1)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert code == 1, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    lines = stderr.strip().splitlines()
    if FORMAT_REGISTRY[fmt].kind == "folder":
        # brat cannot go to stdout at all: refused before anything is written.
        assert first == b"" and lines == [
            f"reader: error: {fmt} writes a folder: give it with -o FOLDER"
        ]
    else:
        assert first != b""
        assert lines[-1] == "reader: error: the output was closed before the export ended"
        assert all(line.startswith("reader: note: ") for line in lines[:-1])


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_a_full_disk_on_stdout_ends_with_one_line_and_exit_1(db: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "reader", "export", "--db", str(db)],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    [line] = stderr.strip().splitlines()
    assert line == "reader: error: cannot write the output: no space left on device"


def test_a_symlink_is_written_through_and_stays_a_link(db: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    result = run_export(db, "-o", str(link))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(real.read_text().splitlines()) == 4


@pytest.mark.parametrize("special", ["/dev/null"])
def test_a_special_file_is_refused_never_replaced(db: Path, special: str) -> None:
    before = os.stat(special)
    result = run_export(db, "--format", "jsonl", "-o", special)
    assert result.returncode == 1
    [line] = result.stderr.decode().strip().splitlines()
    assert line == f"reader: error: cannot export to {special}: not a regular file, so not replaced"
    after = os.stat(special)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_fifo_is_refused(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    result = run_export(db, "-o", str(fifo))
    assert result.returncode == 1
    assert b"not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_read_only_file_is_refused_even_for_root(db: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked.jsonl"
    locked.write_text("keep me\n")
    locked.chmod(0o444)
    result = run_export(db, "-o", str(locked))
    assert result.returncode == 1
    [line] = result.stderr.decode().strip().splitlines()
    assert line.endswith("the file is read-only, so not replaced")
    assert locked.read_text() == "keep me\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".locked")]  # no temp


def test_a_folder_format_needs_a_folder(db: Path, tmp_path: Path) -> None:
    result = run_export(db, "--format", "brat")
    assert result.returncode == 1
    assert b"brat writes a folder: give it with -o FOLDER" in result.stderr
    afile = tmp_path / "x.txt"
    afile.write_text("mine")
    result = run_export(db, "--format", "brat", "-o", str(afile))
    assert result.returncode == 1
    assert b"it is a file, and this format writes a folder" in result.stderr
    assert afile.read_text() == "mine"


@pytest.mark.parametrize("fmt", list(FORMAT_REGISTRY))
def test_a_format_that_needs_the_text_says_which_records_it_left_out(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tag on a text that is not at hand: the formats that write the text (brat, spaCy,
    CoNLL) leave it out and say so; the others carry its quote and offsets and say nothing."""
    path = tmp_path / "elsewhere.json"
    text = "A text read somewhere else. It is not among the articles here."
    with AnnotationStore(path) as store:
        store.add(
            Annotation.create(
                article="elsewhere", text=text, start=0, end=27, label="claim", annotator="ana"
            )
        )
    out = tmp_path / f"out-{fmt}"
    assert main(["export", "--db", str(path), "--format", fmt, "-o", str(out)]) == 0
    said = "needs the text: left out" in capsys.readouterr().err
    assert said == (fmt in {"brat", "spacy", "conll"})
