"""What the `reader` subcommands share: their --db and --articles options, one-line messages on
stderr, output to stdout that fails in one line, and the articles records can be matched
against (no Textual: commands import this).

Standard output can fail under any command: a closed pipe (`| head`) or a full disk
(`> /dev/full`). Each such failure ends with one line from `output_failed` and exit status 1;
binary output goes through `write_all`, since a buffered write to a pipe whose reader leaves
mid-write returns the part the pipe took, without an error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from corpus.loader import ArticleLoadError, bundled_articles, load_paths
from corpus.model import Article
from reader.literal import display_text
from reader.locations import DB_ENV, database_path

if TYPE_CHECKING:
    import argparse  # imported by the commands that parse; `reader` alone does not

SAYS = "reader"  # every message starts so, whichever command wrote it


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        default=None,
        metavar="FILE",
        help=f"annotation database (default: ${DB_ENV}, else {database_path()})",
    )


def add_articles_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--articles",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="article files or folders the annotations were made on, besides the bundled ones",
    )


def say(message: str) -> None:
    # Messages carry file names, quotes and notes: an escape sequence in one is shown, not obeyed.
    print(display_text(message), file=sys.stderr)


def fail(message: str) -> int:
    say(f"{SAYS}: error: {message}")
    return 1


def write_all(out: BinaryIO, data: bytes) -> None:
    """Every byte of ``data`` to ``out``, flushed; BrokenPipeError if the reader left.

    A pipe whose reader leaves while a large write waits returns the count it took (SIGPIPE is
    ignored in Python), and BufferedWriter.write passes that short count on without an error:
    the rest is written again, which then fails with EPIPE, or is refused outright here.
    """
    left = memoryview(data)
    while left:
        written = out.write(left)
        if not written:
            raise BrokenPipeError(errno.EPIPE, "the output took no more")
        left = left[written:]
    out.flush()


def output_failed(error: OSError, closed: str, cannot: str = "cannot write the output") -> int:
    """One line for a write to stdout that failed (``closed`` for a pipe whose reader left,
    else ``cannot`` and the reason), exit status 1.

    stdout is pointed at /dev/null first: Python's own flush at exit would fail again on what
    is still buffered, with a traceback or an "Exception ignored" message.
    """
    from annotations.export import reason  # only on failure: `reader` itself starts without it

    # A stdout with no file descriptor behind it (a test's StringIO) has nothing to redirect.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if isinstance(error, BrokenPipeError):
        return fail(closed)
    return fail(f"{cannot}: {reason(error)}")


def known_articles(paths: Sequence[Path]) -> tuple[list[Article], list[str]]:
    """The bundled articles and those at ``paths``, with a line for each that could not be read."""
    problems: list[str] = []
    try:
        articles = list(bundled_articles())
    except ArticleLoadError as error:
        articles, problems = [], [str(error)]
    if paths:
        more, more_problems = load_paths(paths)
        articles.extend(more)
        problems.extend(more_problems)
    return articles, problems
