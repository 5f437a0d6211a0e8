"""`reader export`: the annotations, in any format of annotations.formats, filtered, safely.

The set is built here (`build_export_set`, which the app's export dialog uses too): the records
the filters keep, each text version they name with the model's entities from the cache and the
user's corrections applied (spaCy is never loaded: an article whose entities are not cached is
exported without them, and named on stderr).

Output to a terminal never carries control characters (they are shown as visible pictures, one
for one); to a pipe or a file the text is verbatim. A closed pipe or a full disk ends with one
line and exit status 1; files are written by annotations.export, which never replaces a
special or read-only file and never leaves part of one. On a terminal, CSV's row ends (CR LF)
are plain line breaks: only a CR inside a cell is shown as a picture.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from annotations.entity_corrections import EntityCorrection, apply_corrections
from annotations.export import (
    FORMATS,
    ExportError,
    binary_content,
    export_to_path,
    format_for_path,
    format_named,
    text_chunks,
    verify_quotes,
)
from annotations.formats import FORMATS as FORMAT_REGISTRY
from annotations.formats import ExportArticle, ExportSet
from annotations.formats.filters import ExportFilter, FilterError, FilterIndex
from annotations.model import ANCHOR_STATUSES, Annotation
from annotations.store import AnnotationStore, StoreError
from corpus.model import Article
from reader.command_line import (
    SAYS,
    add_articles_option,
    add_db_option,
    fail,
    known_articles,
    output_failed,
    say,
    write_all,
)
from reader.entities import EntityCache, model_identity
from reader.literal import display_text
from reader.locations import database_path, entity_cache_dir

PROG = "reader export"
# Each format's usual file ending, as --help and errors name them.
_ENDINGS = [fmt.suffixes[0] for fmt in FORMAT_REGISTRY.values() if fmt.suffixes]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Write annotations out: JSON Lines or CSV (this app's records), W3C Web "
        "Annotation JSON-LD, a brat folder, a spaCy DocBin, CoNLL BIO, or a Markdown or HTML "
        "report.",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=f"default: from the output's name ({' '.join(_ENDINGS)}), jsonl on stdout",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="file (a folder for brat) to write; default: standard output",
    )
    add_db_option(parser)
    chosen = parser.add_argument_group("which records (each may be repeated or comma-separated)")
    chosen.add_argument("--article", action="append", default=[], help="article id")
    chosen.add_argument(
        "--label",
        action="append",
        default=[],
        help="tag label; 'note' for notes, 'entities' for entity corrections",
    )
    chosen.add_argument("--annotator", action="append", default=[], help="who made it")
    chosen.add_argument("--since", default=None, help="modified on or after (2026-12-01)")
    chosen.add_argument("--until", default=None, help="modified on or before (2026-12-31)")
    chosen.add_argument(
        "--anchor",
        action="append",
        default=[],
        help=f"anchoring status: {', '.join(ANCHOR_STATUSES)}",
    )
    add_articles_option(parser)
    return parser


def run_export(argv: Sequence[str], stdout: TextIO | None = None) -> int:
    options = _parser().parse_args(argv)
    try:
        chosen = ExportFilter.parse(
            labels=options.label,
            articles=options.article,
            annotators=options.annotator,
            since=options.since,
            until=options.until,
            anchors=options.anchor,
        )
    except FilterError as error:
        return fail(str(error))
    fmt = options.format
    if fmt is None and options.output is not None:
        fmt = format_for_path(options.output)
        if fmt is None and not options.output.suffix and options.output.is_dir():
            fmt = "brat"  # an existing folder can only mean the folder format
        if fmt is None:
            return fail(
                f"cannot tell the format from the name {options.output.name!r}: end it in "
                f"{', '.join(_ENDINGS[:-1])} or {_ENDINGS[-1]}, or give --format"
            )
    fmt = fmt or "jsonl"
    kind = format_named(fmt).kind
    out = stdout or sys.stdout
    if options.output is None and kind == "folder":
        return fail(f"{fmt} writes a folder: give it with -o FOLDER")
    if options.output is None and kind == "binary" and out.isatty():
        return fail(f"{fmt} is a binary format: give a file with -o, or redirect the output")

    path = database_path(options.db)
    try:
        with AnnotationStore(path) as store:
            annotations = store.all()
            corrections = store.entity_corrections()
            for notice in store.notices:
                say(f"{SAYS}: note: {notice}")
    except (StoreError, OSError) as error:
        return fail(str(error))
    if not path.exists():
        say(f"{SAYS}: note: no annotation database at {path} yet")
    articles, problems = known_articles(options.articles)
    for problem in problems:
        say(f"{SAYS}: {problem}")
    if chosen.labels or chosen.annotators or chosen.articles:
        for line in FilterIndex.of(annotations, corrections).unmatched(chosen):
            say(f"{SAYS}: note: {display_text(line)}")
    export = build_export_set(
        chosen.annotations(annotations),
        chosen.corrections(corrections),
        articles,
        with_corrections=bool(corrections),
        entities=FORMAT_REGISTRY[fmt].shows_entities,
        all_corrections=corrections,
        named=chosen.articles,
    )
    texts = {sha: article.text for sha, article in export.articles.items()}
    for problem in verify_quotes([*export.annotations, *export.corrections], texts):
        say(f"{SAYS}: warning: {problem}")
    _report_missing(export, fmt)
    try:
        if options.output is not None:
            count = export_to_path(export, fmt, options.output)
            fixes = f", {len(export.corrections)} of them entity corrections" * bool(
                export.corrections
            )
            say(f"exported {count} records to {options.output}{fixes}")
        elif kind == "binary":
            out.flush()
            binary_out = getattr(out, "buffer", None)
            if binary_out is None:
                return fail(f"{fmt} is a binary format: give a file with -o")
            write_all(binary_out, binary_content(export, fmt))
        else:
            shown = out.isatty()
            for chunk in text_chunks(export, fmt):
                out.write(_on_terminal(chunk, fmt) if shown else chunk)
            out.flush()
    except ExportError as error:
        return fail(str(error))
    except OSError as error:
        # `| head` (the reader left) or `> /dev/full`.
        return output_failed(error, "the output was closed before the export ended")
    return 0


def build_export_set(
    annotations: Sequence[Annotation],
    corrections: Sequence[EntityCorrection],
    articles: Iterable[Article],
    *,
    with_corrections: bool,
    entities: bool,
    all_corrections: Sequence[EntityCorrection] | None = None,
    named: Iterable[str] = (),
    cache: EntityCache | None = None,
) -> ExportSet:
    """The set to export: the records, and every text version they name (or ``named``, by
    article id) that ``articles`` hold, with cached entities corrected if ``entities``.

    Entities are corrected with ``all_corrections`` (the store's), not only the exported ones:
    a filter on who made a correction must not undo it in the entities shown. They come from
    ``cache`` (default: the user's entity cache); spaCy is never loaded.
    """
    by_sha = {article.sha256: article for article in articles}
    wanted = {a.article_sha256 for a in annotations} | {c.article_sha256 for c in corrections}
    named = set(named)
    wanted.update(sha for sha, article in by_sha.items() if article.id in named)
    identity = None
    if entities:
        identity = model_identity()
        cache = cache or EntityCache(entity_cache_dir())
    else:
        cache = None
    fixes = list(corrections if all_corrections is None else all_corrections)
    chosen: dict[str, ExportArticle] = {}
    for sha in sorted(wanted):
        article = by_sha.get(sha)
        if article is None:
            continue
        found: tuple[tuple[int, int, str], ...] | None = None
        if cache is not None and identity is not None:
            cached = cache.get(sha, identity)
            if cached is not None:
                spans = [(e.start, e.end, e.label) for e in cached]
                mine = [c for c in fixes if c.article == article.id or c.article_sha256 == sha]
                if mine:
                    spans = apply_corrections(article.id, sha, article.text, spans, mine)
                found = tuple((start, end, label) for start, end, label in spans)
        chosen[sha] = ExportArticle(
            id=article.id,
            sha256=sha,
            title=article.title,
            source=article.source,
            text=article.text,
            outlet=article.outlet,
            entities=found,
        )
    return ExportSet(
        annotations=annotations,
        corrections=corrections,
        articles=chosen,
        with_corrections=with_corrections,
    )


def _on_terminal(chunk: str, fmt: str) -> str:
    """A chunk as a terminal shows it: control characters as pictures, and CSV's row ends
    (CR LF) as plain line breaks; a CR inside a quoted cell is still shown, as ␍.

    The csv module quotes every cell that holds a quote, CR or LF, and a chunk is whole
    rows, so what lies between the quoted stretches (the even pieces between quote marks,
    a doubled quote counting as a stretch's end and the next one's start) is plain cells,
    commas and row ends.
    """
    if fmt != "csv":
        return display_text(chunk)
    pieces = chunk.split('"')
    return '"'.join(
        display_text(piece.replace("\r\n", "\n") if index % 2 == 0 else piece)
        for index, piece in enumerate(pieces)
    )


def _report_missing(export: ExportSet, fmt: str) -> None:
    # The reports show such annotations by their quote; these formats need the text itself.
    if FORMAT_REGISTRY[fmt].needs_text:
        missing = [a for a in export.annotations if export.article_of(a) is None]
        if missing:
            say(
                f"{SAYS}: note: {len(missing)} annotation(s) were made on article texts not "
                f"found here (give them with --articles), and {fmt} needs the text: left out"
            )
    if FORMAT_REGISTRY[fmt].shows_entities:
        unknown = [a for a in export.articles.values() if a.entities is None]
        if unknown:
            names = ", ".join(a.id for a in unknown[:3]) + (" …" if len(unknown) > 3 else "")
            say(
                f"{SAYS}: note: no entities cached for {len(unknown)} article(s) ({names}): "
                f"run 'reader ner' on them first to include their entities"
            )
