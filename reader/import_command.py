"""`reader import`: annotation sets from JSON Lines, W3C Web Annotation or brat into the store.

Each file is read by its format's reader (annotations.formats), every record placed on the
texts the user has and compared with the store by annotations.importing, and the valid ones
saved in one transaction. Every record that could not be read or placed is named with its file
and line; with ``--strict`` any such record means nothing is saved. What the format holds and
this app cannot represent (brat events, relations...) is counted, never dropped unsaid.

Exit status: 0 when every record was read and placed; 1 when something was skipped (the rest
saved, unless ``--strict``), or on an error that stopped the import (a path that is not
there, a database that cannot be written, a summary that cannot be written to stdout: the
records are saved by then, and the message says so).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotations.formats import FORMATS, format_for_path
from annotations.formats.parsed import ParsedSet, ParsedText, Problem
from annotations.importing import ImportReport, Texts, TextVersion, import_records
from annotations.labels import load_labels
from annotations.model import text_sha256
from annotations.store import AnnotationStore, StoreError
from corpus.loader import ArticleLoadError, load_article
from reader.command_line import (
    SAYS,
    add_articles_option,
    add_db_option,
    fail,
    known_articles,
    output_failed,
    say,
)
from reader.literal import display_text
from reader.locations import database_path, labels_config_path

PROG = "reader import"
READABLE = tuple(name for name, fmt in FORMATS.items() if fmt.readable)
# Types a W3C document starts with, to tell it from our JSON Lines in a file ending in .json.
_W3C_TYPES = {"Annotation", "AnnotationCollection", "AnnotationPage"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Add annotations to the store from this app's JSON Lines, W3C Web "
        "Annotation JSON-LD, or brat standoff files. Each is placed on its article's text by "
        "its quote and position; importing twice adds nothing twice.",
    )
    parser.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="a file, or a folder (brat)"
    )
    parser.add_argument(
        "--format",
        choices=READABLE,
        default=None,
        help="default: from the name (.jsonl, .jsonld, .ann or a folder: brat; .json is looked "
        "into)",
    )
    add_db_option(parser)
    add_articles_option(parser)
    parser.add_argument("--strict", action="store_true", help="import nothing if any record is bad")
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be imported, save nothing"
    )
    return parser


def format_of(path: Path) -> str | None:
    """The format a path holds, by its name, or for ``.json`` by its first record."""
    if path.is_dir() or path.suffix.lower() == ".ann":
        return "brat"
    named = format_for_path(path)  # the longest ending: x.w3c.jsonl is W3C, x.jsonl ours
    if named is not None and named.readable and named.name != "jsonl":
        return named.name
    suffix = path.suffix.lower()
    if suffix == ".jsonld":
        return "w3c"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return _sniff_json(path)
    return None


def _sniff_json(path: Path) -> str:
    try:
        with path.open("rb") as file:
            head = file.read(65536)
    except OSError:
        return "jsonl"  # its reader says what is wrong with the file
    stripped = head.lstrip()
    if stripped.startswith(b"["):
        return "w3c"  # an array of Annotations; our JSON Lines are one object a line
    first = stripped.split(b"\n", 1)[0]
    try:
        record = json.loads(first)
    except ValueError:
        return "w3c" if b'"@context"' in head else "jsonl"
    if isinstance(record, dict) and ("@context" in record or record.get("type") in _W3C_TYPES):
        return "w3c"
    return "jsonl"


@dataclass(frozen=True)
class _GivenText:
    """A text a file brought (brat's .txt) that no article file of ours holds."""

    id: str
    text: str
    sha256: str
    source: str
    title: str


def _texts(articles: Sequence[Path], brought: Sequence[ParsedText]) -> tuple[Texts, list[str]]:
    loaded, problems = known_articles(articles)
    versions: list[TextVersion] = list(loaded)
    known = {version.sha256 for version in versions}
    for given in brought:
        sha = text_sha256(given.text)
        if sha in known:
            continue
        known.add(sha)
        # Opened later with `reader FOLDER`, the file gets the id the loader gives it.
        try:
            versions.append(load_article(Path(given.source)))
        except (ArticleLoadError, OSError, ValueError):
            first = given.text.strip().split("\n", 1)[0][:80]
            versions.append(_GivenText(given.article, given.text, sha, given.source, first))
    return Texts(versions), problems


def run_import(argv: Sequence[str]) -> int:
    options = _parser().parse_args(argv)
    parsed = ParsedSet()
    for path in options.paths:
        if not path.exists():
            return fail(f"no such file or folder: {path}")
        fmt = options.format or format_of(path)
        if fmt is None:
            return fail(
                f"cannot tell the format of {path.name!r}: give --format ({', '.join(READABLE)})"
            )
        if path.is_dir() and FORMATS[fmt].kind != "folder":
            return fail(f"{path} is a folder: {fmt} is read from a file")
        parsed.extend(FORMATS[fmt].load().read(path))
    texts, text_problems = _texts(options.articles, parsed.texts)
    for problem in text_problems:
        say(f"{SAYS}: {problem}")
    labels = load_labels(labels_config_path())
    path = database_path(options.db)
    try:
        with AnnotationStore(path) as store:
            if store.read_only and not options.dry_run:
                return fail(f"{path} is read-only: nothing imported")
            report = import_records(
                store,
                parsed,
                texts,
                known_labels=labels.labels.names,
                strict=options.strict,
                dry_run=options.dry_run,
            )
    except (StoreError, OSError) as error:
        return fail(str(error))
    return _tell(report, options.strict, options.dry_run)


def _tell(report: ImportReport, strict: bool, dry_run: bool) -> int:
    for problem in report.problems:
        say(f"{SAYS}: {problem}")
    for conflict in report.conflicts:
        say(f"{SAYS}: conflict: {conflict}")
    if report.unsupported:
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(report.unsupported.items()))
        say(f"{SAYS}: note: not imported, this app has no place for them: {listed}")
    if report.new_labels:
        names = ", ".join(sorted(report.new_labels))
        say(
            f"{SAYS}: note: new labels {names}: shown and exported as labels; give them a key "
            f"in {labels_config_path()}"
        )
    if strict and report.problems:
        return fail(f"{_count(report.problems)}: nothing imported (--strict)")
    verb = "would import" if dry_run else "imported"
    try:
        sys.stdout.write(display_text(f"{verb}: {report.summary()}") + "\n")
        sys.stdout.flush()
    except OSError as error:
        # `| true` or `> /dev/full`: the records are saved by now, and the summary goes to
        # stderr, in the one line that says what happened.
        done = f"{verb} ({report.summary()}); the summary could not be written to stdout"
        return output_failed(error, f"{done}: the output was closed", done)
    return 1 if report.problems else 0


def _count(problems: Sequence[Problem]) -> str:
    return f"{len(problems)} bad record" + ("s" if len(problems) != 1 else "")
