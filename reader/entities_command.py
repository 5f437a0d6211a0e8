"""`reader entities [PATH ...]`: the grouped entity index of articles, as JSON Lines or CSV.

One record an entry (a real-world name, its spelling variants merged: corpus.entity_index):
name, type, variants, every mention with its article and offsets, and mention counts per
article. Entities come from the cache that the app and `reader ner` fill; spaCy is never loaded
here, so a cached folder answers in seconds. Corrections in the annotation database (not an
entity, another type, an added one, merges and splits) are applied as the app applies them.

Articles with nothing cached yet are left out and named on stderr (`reader ner` caches them).
Output to a terminal is shown with control characters made visible; to a pipe or a file it is
verbatim. A closed pipe or a full disk ends with one line and exit status 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import orjson

from annotations.atomic import write_atomically
from annotations.entity_corrections import apply_corrections, grouping_constraints
from annotations.store import AnnotationStore, StoreError
from corpus.entity_index import EntityEntry, EntityIndex
from corpus.loader import ArticleLoadError, bundled_articles, load_paths
from corpus.model import Article
from reader.entities import INSTALL_HINT, EntityCache, model_identity
from reader.literal import display_text
from reader.locations import DB_ENV, database_path, entity_cache_dir

PROG = "reader entities"
FORMATS = ("jsonl", "csv")
CSV_FIELDS = ("key", "name", "type", "variants", "total", "counts", "mentions")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Write the entity index of articles (spelling variants grouped), one record "
        "an entry, from cached entities (see 'reader ner'). With no PATH: the bundled corpus.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", type=Path, help="files or folders")
    parser.add_argument("--format", choices=FORMATS, default=None, help="default: jsonl")
    parser.add_argument("-o", "--output", type=Path, default=None, help="default: stdout")
    parser.add_argument(
        "--db",
        default=None,
        metavar="FILE",
        help=f"annotation database with corrections (default: ${DB_ENV}, else the usual one)",
    )
    return parser


def _say(message: str) -> None:
    print(display_text(message), file=sys.stderr)


def _fail(message: str) -> int:
    _say(f"{PROG}: error: {message}")
    return 1


def run_entities(argv: Sequence[str], stdout: TextIO | None = None) -> int:
    options = _parser().parse_args(argv)
    fmt = options.format or (
        "csv" if options.output is not None and options.output.suffix == ".csv" else "jsonl"
    )
    if options.paths:
        articles, problems = load_paths(options.paths)
        for problem in problems:
            _say(f"{PROG}: {problem}")
    else:
        try:
            articles = bundled_articles()
        except ArticleLoadError as error:
            return _fail(str(error))
    identity = model_identity()
    if identity is None:
        return _fail(f"the spaCy model is not installed: {INSTALL_HINT}")
    cache = EntityCache(entity_cache_dir())
    found: dict[str, list[tuple[int, int, str]]] = {}
    missing: list[Article] = []
    for article in articles:
        cached = cache.get(article.sha256, identity)
        if cached is None:
            missing.append(article)
        else:
            found[article.id] = [(e.start, e.end, e.label) for e in cached]
    if missing:
        names = ", ".join(article.source or article.id for article in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        _say(
            f"{PROG}: note: {len(missing)} article(s) have no entities cached yet, left out: "
            f"{names}{more} (run 'reader ner' on them first)"
        )
    try:
        index = _index(articles, found, database_path(options.db))
    except (StoreError, OSError) as error:
        return _fail(str(error))
    if options.output is not None:
        target = options.output.resolve()  # a symlink is written through, never replaced
        if target.exists() and not target.is_file():
            return _fail(f"{options.output} is not a regular file: not replaced")
    lines = _records(index, fmt, {a.id: a for a in articles})
    try:
        if options.output is None:
            out = stdout or sys.stdout
            shown = out.isatty()
            for line in lines:
                out.write(display_text(line) if shown else line)
            out.flush()
        else:
            write_atomically(target, (line.encode("utf-8") for line in lines))
            _say(f"wrote {len(index.entries)} entries to {options.output}")
    except BrokenPipeError:
        # The reader of the pipe left (`| head`): Python's own flush at exit would fail again
        # with a traceback, so what is left goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:
        return _fail(f"cannot write {options.output or 'the output'}: {error.strerror or error}")
    return 0


def _index(
    articles: Sequence[Article], found: dict[str, list[tuple[int, int, str]]], db: Path
) -> EntityIndex:
    corrections = []
    if db.exists():
        with AnnotationStore(db) as store:
            corrections = store.entity_corrections()
    by_id = {article.id: article for article in articles}
    corrected = {}
    for article_id, entities in found.items():
        article = by_id[article_id]
        mine = [
            c for c in corrections if c.article == article.id or c.article_sha256 == article.sha256
        ]
        corrected[article_id] = (
            apply_corrections(article.id, article.sha256, article.text, entities, mine)
            if mine
            else entities
        )
    together, apart = grouping_constraints(corrections)
    return EntityIndex.build(
        corrected,
        {article_id: by_id[article_id].text for article_id in corrected},
        together=together,
        apart=apart,
    )


def _record(entry: EntityEntry) -> dict[str, Any]:
    return {
        "key": entry.key,
        "name": entry.name,
        "type": entry.label,
        "variants": list(entry.variants),
        "total": len(entry.mentions),
        "counts": entry.counts(),
        "mentions": [
            {"article": m.article, "start": m.start, "end": m.end, "text": m.text}
            for m in entry.mentions
        ],
    }


def _records(index: EntityIndex, fmt: str, articles: dict[str, Article]) -> Iterator[str]:
    entries = index.sorted_by("count")
    if fmt == "jsonl":
        for entry in entries:
            yield orjson.dumps(_record(entry)).decode("utf-8") + "\n"
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for entry in entries:
        record = _record(entry)
        writer.writerow(
            [
                record["key"],
                record["name"],
                record["type"],
                " | ".join(record["variants"]),
                record["total"],
                orjson.dumps(record["counts"]).decode("utf-8"),
                orjson.dumps(record["mentions"]).decode("utf-8"),
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
