"""What the `reader` subcommands share: their --db and --articles options, one-line messages on
stderr, and the articles records can be matched against (no Textual: commands import this).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from corpus.loader import ArticleLoadError, bundled_articles, load_paths
from corpus.model import Article
from reader.literal import display_text
from reader.locations import DB_ENV, database_path

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
