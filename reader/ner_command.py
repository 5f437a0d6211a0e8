"""`reader ner [PATH ...] --jobs N`: find and cache the entities of many articles ahead of time.

The app then shows those articles' highlights in their first frame, without starting spaCy.
Texts are read as the app reads them (`corpus.loader.load_article`: the same bytes, the same
sha256, the same cache key), cut into the same pieces as the app's spaCy child cuts them
(`reader.entities.text_pieces`, so the entities are the same too), and parsed by spaCy's own
`nlp.pipe(..., n_process=N)` with only the `ner` pipe. Texts already cached are skipped, and
spaCy is not even loaded when nothing is left to parse.

A file that cannot be read is reported in one line and skipped; the rest go on. Exit status 1 if
any file failed, 130 on Ctrl-C, else 0; never a traceback.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import signal
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from corpus.digest import sha256_hex
from corpus.loader import ArticleLoadError, bundled_articles, load_article
from corpus.model import Article
from reader.entities import (
    INSTALL_HINT,
    Entity,
    EntityCache,
    ModelIdentity,
    ModelMissingError,
    Piece,
    load_pipeline,
    model_identity,
    piece_entities,
    piece_text,
    text_pieces,
)
from reader.literal import display_text
from reader.locations import CACHE_ENV, entity_cache_dir

PROG = "reader ner"
# Pieces per nlp.pipe batch (a news article is one or two): with 2 processes, 64 beat 16 and 256
# on a folder of 1,000 (spaCy's default of 1,000 hands such a folder to one process alone). A
# small folder gets smaller batches, so that every process has several.
BATCH_PIECES = 64
MIN_BATCH_PIECES = 4


def batch_size(articles: int, jobs: int) -> int:
    return max(MIN_BATCH_PIECES, min(BATCH_PIECES, articles // (4 * jobs)))


INTERRUPTED = 130  # the shell's status for a command ended by Ctrl-C

Source = Path | Article  # a file to read, or a bundled article already read


def ner_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find the named entities of articles with spaCy and cache them, so that the "
        "reader shows them at once. Articles already cached are skipped. With no PATH, the "
        "bundled corpus.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        type=Path,
        help="text files (UTF-8), or folders of .txt files",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=1,
        metavar="N",
        help="spaCy processes working at once (default: 1; one per CPU core is fastest)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"entity cache folder (default: ${CACHE_ENV}, else {entity_cache_dir()})",
    )
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up, not {text!r}")
    return value


@dataclass
class Tally:
    """What the run did so far: the progress bar's and the summary's numbers."""

    parsed: int = 0
    cached: int = 0
    failed: int = 0
    words: int = 0
    started: float = field(default_factory=time.monotonic)
    forked: bool = False  # spaCy's worker processes were started

    @property
    def words_per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.words / elapsed if elapsed > 0 else 0.0

    def summary(self) -> str:
        elapsed = time.monotonic() - self.started
        return (
            f"{self.parsed:,} articles parsed, {self.cached:,} cached already, "
            f"{self.failed:,} failed; {self.words:,} words in {elapsed:.1f} s, "
            f"{self.words_per_second:,.0f} words/s"
        )


class Reporter:
    """One line per problem on stderr; a rich progress bar there too when it is a terminal."""

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self._progress: Any = None
        self._task: Any = None
        if total and stream.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("entities"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=stream),
            )
            self._task = self._progress.add_task("entities", total=total, rate="")
            self._progress.start()

    def say(self, message: str) -> None:
        # File names and spaCy's messages are shown literally, escape sequences included.
        line = display_text(message)
        if self._progress is not None:
            from rich.text import Text

            self._progress.console.print(Text(line))
        else:
            print(line, file=self.stream, flush=True)

    def advance(self, tally: Tally) -> None:
        if self._progress is not None:
            rate = f"{tally.words_per_second:,.0f} words/s" if tally.words else ""
            self._progress.update(self._task, advance=1, rate=rate)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


@dataclass
class _Parsing:
    """An article whose pieces are with spaCy."""

    sha256: str
    words: int
    pieces: int
    received: int = 0
    entities: list[Entity] = field(default_factory=list)


def run_ner(argv: Sequence[str], stderr: TextIO | None = None) -> int:
    stream = stderr or sys.stderr
    options = ner_parser().parse_args(argv)
    tally = Tally()
    reporter: Reporter | None = None
    restore = _interrupt_main_process_only()
    try:
        identity = model_identity()
        if identity is None:
            return _fail(stream, f"the spaCy model is not installed: {INSTALL_HINT}")
        cache = EntityCache(options.cache or entity_cache_dir())
        problem = _cache_problem(cache.directory)
        if problem:
            return _fail(stream, problem)
        sources, problems = _sources(options.paths)
        reporter = Reporter(stream, len(sources) + len(problems))
        for message in problems:
            tally.failed += 1
            reporter.say(f"{PROG}: {message}")
            reporter.advance(tally)
        _Run(cache, identity, tally, reporter).parse(sources, options.jobs)
    except KeyboardInterrupt:
        if reporter is not None:
            reporter.close()
        print(display_text(f"{PROG}: interrupted: {tally.summary()}"), file=stream, flush=True)
        if tally.forked:
            # spaCy's queues to its (now killed) workers have feeder threads blocked on full
            # pipes, which Python's exit would join forever: leave at once, all said.
            sys.stdout.flush()
            os._exit(INTERRUPTED)
        return INTERRUPTED
    except ModelMissingError as error:
        if reporter is not None:
            reporter.close()
        return _fail(stream, str(error))
    except Exception as error:  # spaCy failed mid-run: what is cached stays cached
        if reporter is not None:
            reporter.close()
        return _fail(stream, f"spaCy failed: {type(error).__name__}: {error}; {tally.summary()}")
    finally:
        restore()
    reporter.close()
    print(display_text(f"{PROG}: {tally.summary()}"), file=stream)
    return 1 if tally.failed else 0


def _fail(stream: TextIO, message: str) -> int:
    print(display_text(f"{PROG}: error: {message}"), file=stream)
    return 1


def _cache_problem(directory: Path) -> str | None:
    """Why entities could not be cached in `directory`, or None: found before any parsing."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"cannot make the entity cache folder {directory}: {error.strerror or error}"
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"cannot write to the entity cache folder {directory}: permission denied"
    return None


def _sources(paths: Sequence[Path]) -> tuple[list[Source], list[str]]:
    """Files to read, from files and folders (their *.txt files, by name) as `reader` opens
    them, each once; the bundled articles when no path is given. Plus one-line problems."""
    if not paths:
        try:
            return list(bundled_articles()), []
        except ArticleLoadError as error:
            return [], [str(error)]
    sources: list[Source] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in paths:
        try:
            if path.is_dir():
                files = sorted(
                    (p for p in path.iterdir() if p.suffix.lower() == ".txt" and p.is_file()),
                    key=lambda p: p.name,
                )
                if not files:
                    problems.append(f"no .txt files in folder {path}")
            else:
                files = [path]  # named explicitly: read whatever its suffix (or reported)
        except OSError as error:
            problems.append(f"cannot read folder {path}: {(error.strerror or str(error)).lower()}")
            continue
        for file in files:
            real = os.path.realpath(file)
            if real not in seen:
                seen.add(real)
                sources.append(file)
    return sources, problems


class _Run:
    """Feeds spaCy the pieces of articles not cached yet and caches each article once its last
    piece is back (spaCy returns them in order)."""

    def __init__(
        self, cache: EntityCache, identity: ModelIdentity, tally: Tally, reporter: Reporter
    ) -> None:
        self.cache = cache
        self.identity = identity
        self.tally = tally
        self.reporter = reporter
        self.parsing: dict[int, _Parsing] = {}

    def parse(self, sources: list[Source], jobs: int) -> None:
        pieces = self.pieces(sources)
        head = next(pieces, None)
        if head is None:
            return  # everything cached or unreadable: no need to load spaCy
        nlp = load_pipeline()
        docs = nlp.pipe(
            itertools.chain([head], pieces),
            as_tuples=True,
            n_process=jobs,
            batch_size=batch_size(len(sources), jobs),
        )
        self.tally.forked = jobs > 1
        with warnings.catch_warnings():
            # W127, "not all worker processes completed successfully", is Ctrl-C's doing.
            warnings.filterwarnings("ignore", message=r"\[W127\]")
            for doc, (index, piece) in docs:
                self.take(index, piece, doc)

    def pieces(self, sources: list[Source]) -> Iterator[tuple[str, tuple[int, Piece]]]:
        """(text, (article index, piece)) for spaCy, reading each file only when spaCy needs
        more: memory holds the few articles in flight, not the folder."""
        seen: set[str] = set()
        for index, source in enumerate(sources):
            try:
                sha256, text = _read(source)
            except ArticleLoadError as error:
                self.tally.failed += 1
                self.reporter.say(f"{PROG}: {error}")
                self.reporter.advance(self.tally)
                continue
            if sha256 in seen or self.cache.get(sha256, self.identity) is not None:
                self.tally.cached += 1  # cached, or the same text as a file before it
                self.reporter.advance(self.tally)
                continue
            seen.add(sha256)
            article_pieces = text_pieces(text)
            self.parsing[index] = _Parsing(sha256, len(text.split()), len(article_pieces))
            for piece in article_pieces:
                yield piece_text(text, piece), (index, piece)

    def take(self, index: int, piece: Piece, doc: Any) -> None:
        article = self.parsing[index]
        article.entities.extend(piece_entities(piece, doc))
        article.received += 1
        if article.received == article.pieces:
            del self.parsing[index]
            self.cache.put(article.sha256, self.identity, article.entities)
            self.tally.parsed += 1
            self.tally.words += article.words
            self.reporter.advance(self.tally)


def _read(source: Source) -> tuple[str, str]:
    """(sha256, text) of an article as the app keys and parses it: the file's bytes, strictly
    decoded from UTF-8 (corpus.loader's contract). Without the rest of `load_article` (the
    title, the guess at site chrome: a few percent of the whole run), which is asked only for
    its one-line reason when the file cannot be an article."""
    if isinstance(source, Article):
        return source.sha256, source.text
    try:
        data = source.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if not text.strip():
        article = load_article(source)  # raises ArticleLoadError, saying why
        return article.sha256, article.text
    return sha256_hex(data), text


def _interrupt_main_process_only() -> Callable[[], None]:
    """Ctrl-C ends this process and none of spaCy's workers, which fork from it while the
    handler is in force: they would each print a traceback; they are terminated when the pipe
    closes. Returns what puts the previous handler back."""
    main_process = os.getpid()

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != main_process:
            return  # a spaCy worker: the main process ends it
        # Before spaCy's clean-up, which joins its workers: they would first finish their work.
        for worker in multiprocessing.active_children():
            worker.kill()
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread (a caller's own thread): leave signals alone
        return lambda: None

    def restore() -> None:
        signal.signal(signal.SIGINT, previous)

    return restore
