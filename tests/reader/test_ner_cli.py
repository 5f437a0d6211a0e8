"""`reader ner`: a folder's entities found by spaCy's nlp.pipe(n_process=2) and cached as the app
keys them; unreadable files reported in one line and skipped; a second run parses nothing;
Ctrl-C ends it cleanly."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import reader.ner_command
from corpus.loader import load_article
from reader.cli import main
from reader.entities import INSTALL_HINT, EntityCache, ModelIdentity, extract_entities

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_folder import article_texts, make_folder  # noqa: E402


def run_reader(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def test_ner_caches_a_folder_skips_bad_files_and_parses_nothing_the_second_time(
    tmp_path: Path, nlp: Any, identity: ModelIdentity
) -> None:
    folder = tmp_path / "articles"
    good = make_folder(folder, count=3, words=150)
    # The app's loader reads bytes as they are: a CRLF file keeps its \r (its own sha256).
    crlf = folder / "crlf.txt"
    crlf.write_bytes(b"Vladimir Putin met Hamas leaders in Moscow.\r\n\r\nSergei Lavrov spoke.\r\n")
    (folder / "latin1.txt").write_bytes("Caf\xe9 in Paris\n".encode("latin-1"))
    locked = folder / "locked.txt"
    locked.write_text("Hamas and Iran\n", encoding="utf-8")
    locked.chmod(0)
    locked_unreadable = not os.access(locked, os.R_OK)  # root reads it anyway
    missing = tmp_path / "missing.txt"
    cache_dir = tmp_path / "cache"

    first = run_reader("ner", str(folder), str(missing), "--jobs", "2", "--cache", str(cache_dir))

    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    lines = first.stderr.splitlines()
    assert f"reader ner: cannot read {folder / 'latin1.txt'}: not UTF-8 text" in first.stderr
    assert f"reader ner: cannot read {missing}: no such file" in lines
    if locked_unreadable:
        assert f"reader ner: cannot read {locked}: permission denied" in lines
    failed = 3 if locked_unreadable else 2
    parsed = len(good) + 1 + (0 if locked_unreadable else 1)
    summary = lines[-1]
    assert summary.startswith(
        f"reader ner: {parsed} articles parsed, 0 cached already, {failed} failed; "
    )
    assert summary.endswith(" words/s")
    assert len(lines) == failed + 1  # one line a problem, and the summary

    # Cached under the key the app computes (the loader's sha256), with what spaCy finds here.
    cache = EntityCache(cache_dir)
    for path in [*good, crlf]:
        article = load_article(path)
        cached = cache.get(article.sha256, identity)
        assert cached is not None, path.name
        assert cached == extract_entities(nlp, article.text)
    assert cache.get(load_article(crlf).sha256, identity)  # Putin, Hamas, Moscow, Lavrov

    second = run_reader("ner", str(folder), "--jobs", "2", "--cache", str(cache_dir))
    assert second.returncode == (1 if failed else 0)
    assert second.stderr.splitlines()[-1].startswith(
        f"reader ner: 0 articles parsed, {parsed} cached already, {failed - 1} failed; 0 words"
    )


def test_ner_on_a_cached_folder_loads_no_spacy_and_exits_0(
    tmp_path: Path, identity: ModelIdentity, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "articles"
    files = make_folder(folder, count=2, words=50)
    cache = EntityCache(tmp_path / "cache")
    for path in files:
        cache.put(load_article(path).sha256, identity, [])

    def no_spacy() -> None:
        raise AssertionError("spaCy was loaded with nothing to parse")

    monkeypatch.setattr(reader.ner_command, "load_pipeline", no_spacy)
    stderr = io.StringIO()
    code = reader.ner_command.run_ner([str(folder), "--cache", str(cache.directory)], stderr)
    assert code == 0
    assert stderr.getvalue().startswith("reader ner: 0 articles parsed, 2 cached already, 0 failed")


def test_ner_without_the_model_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader.ner_command, "model_identity", lambda: None)
    stderr = io.StringIO()
    code = reader.ner_command.run_ner([str(tmp_path), "--cache", str(tmp_path / "c")], stderr)
    assert code == 1
    assert stderr.getvalue() == (
        f"reader ner: error: the spaCy model is not installed: {INSTALL_HINT}\n"
    )


def test_ner_refuses_a_cache_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    stderr = io.StringIO()
    code = reader.ner_command.run_ner([str(tmp_path), "--cache", str(blocker)], stderr)
    assert code == 1
    assert stderr.getvalue().startswith("reader ner: error: cannot make the entity cache folder")


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_ner_jobs_must_be_a_positive_number(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ner", "--jobs", jobs])
    assert exit_info.value.code == 2
    assert "must be a whole number from 1 up" in capsys.readouterr().err


def children_of(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_ctrl_c_ends_ner_and_its_spacy_workers_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for number, text in enumerate(article_texts(300, words=750, seed=5)):
        (folder / f"a{number:03d}.txt").write_text(text, encoding="utf-8")
    command = ["ner", str(folder), "--jobs", "2", "--cache", str(tmp_path / "cache")]
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", *command],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C signals one
    )
    try:
        deadline = time.monotonic() + 60
        while len(children_of(process.pid)) < 2 and process.poll() is None:
            assert time.monotonic() < deadline, "spaCy's two workers never started"
            time.sleep(0.05)
        workers = children_of(process.pid)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert "Traceback" not in stderr and "Error" not in stderr
    assert stderr.splitlines() and stderr.splitlines()[-1].startswith("reader ner: interrupted: ")
    for worker in workers:
        assert (
            not Path(f"/proc/{worker}").exists()
            or "zombie" in Path(f"/proc/{worker}/status").read_text()
        ), "a spaCy worker outlived Ctrl-C"
