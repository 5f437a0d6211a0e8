"""Command line: `reader [PATH ...]` opens the app; `reader export`, `import`, `agree`, `ner` and
`entities` are commands of their own.

Errors the user can fix (a corrupt database, a bad path, unreadable articles) end in one line on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from annotations.labels import load_labels
from annotations.model import default_annotator
from annotations.store import AnnotationStore, StoreError
from corpus.loader import ArticleLoadError, bundled_articles, shelve_paths
from corpus.model import Article
from reader.command_line import add_db_option, fail, say
from reader.locations import (
    css_cache_path,
    database_path,
    entity_cache_dir,
    labels_config_path,
    state_path,
)
from reader.startup import COMMANDS

PROG = "reader"
# The panes of the first screen (reader.screens.reader_screen.MAX_PANES; a test keeps them
# equal, importing that module here would import Textual for `reader export` too).
FIRST_SCREEN_ARTICLES = 3
ANNOTATOR_ENV = "READER_ANNOTATOR"

if TYPE_CHECKING:
    import argparse


class ReaderOptions(NamedTuple):
    """What `reader [PATH ...] [--db FILE] [--annotator NAME]` asks for."""

    paths: list[Path]
    db: str | None = None
    annotator: str | None = None


def reader_options(argv: Sequence[str]) -> ReaderOptions:
    """The options of `reader`. Plain `reader`, the usual start, builds no parser: argparse
    and the gettext it loads are some 1.5 ms of a start-up judged by its first frame."""
    if not argv:
        return ReaderOptions(paths=[])
    options = _reader_parser().parse_args(argv)
    return ReaderOptions(options.paths, options.db, options.annotator)


def _reader_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Read news articles side by side, see their named entities, tag sentences "
        "as claim / opinion / unverified. With no PATH, opens the bundled corpus.",
        epilog=f"More: '{PROG} export', '{PROG} import', '{PROG} agree', '{PROG} ner' and "
        f"'{PROG} entities' (each with --help).",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        type=Path,
        help="text files (UTF-8), or folders of .txt files",
    )
    add_db_option(parser)
    parser.add_argument(
        "--annotator",
        default=None,
        help=f"name stored with each annotation (default: ${ANNOTATOR_ENV} or your user name)",
    )
    return parser


def run_export(argv: Sequence[str], stdout: TextIO | None = None) -> int:
    from reader.export_command import run_export as export  # loads no UI, no spaCy

    return export(argv, stdout)


def run_reader(argv: Sequence[str]) -> int:
    options = reader_options(argv)
    problems: list[str] = []
    articles: Sequence[Article]
    if options.paths:
        # Read as they are shown: the first screen's now (unreadable ones reported and
        # dropped), the rest after the first frame, so a big folder opens at once.
        articles, problems = shelve_paths(options.paths, ready=FIRST_SCREEN_ARTICLES)
    else:
        try:
            articles = bundled_articles()
        except ArticleLoadError as error:
            return fail(str(error))
    if not articles:
        for problem in problems:
            say(f"{PROG}: {problem}")
        return fail("no readable articles to open")
    try:
        store = AnnotationStore(database_path(options.db))
    except (StoreError, OSError) as error:
        return fail(str(error))
    try:
        store.check_creatable()
    except StoreError as error:
        store.close()
        return fail(str(error))

    # Textual is imported only here, so `reader export` starts fast and stays UI-free.
    from reader.app import NewsReaderApp
    from reader.entities import EntityCache

    annotator = options.annotator or os.environ.get(ANNOTATOR_ENV) or default_annotator()
    labels = load_labels(labels_config_path())
    if labels.problem:
        problems.append(labels.problem)
    app = NewsReaderApp(
        articles,
        store,
        annotator=annotator,
        entity_cache=EntityCache(entity_cache_dir()),
        startup_messages=problems,
        labels=labels.labels,
        state_path=state_path(),
        css_cache=css_cache_path(),
    )
    try:
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # Only the names in COMMANDS are commands (the launcher runs the others as the app, see
    # reader.startup): a command missing there would never be reached here either.
    command = args[0] if args and args[0] in COMMANDS else None
    if command == "export":
        return run_export(args[1:])
    if command == "entities":
        from reader.entities_command import run_entities

        return run_entities(args[1:])
    if command == "import":
        from reader.import_command import run_import

        return run_import(args[1:])
    if command == "agree":
        from reader.agree_command import run_agree

        return run_agree(args[1:])
    if command == "ner":
        from reader.ner_command import run_ner  # spaCy and rich only for this command

        return run_ner(args[1:])
    return run_reader(args)


if __name__ == "__main__":
    sys.exit(main())
