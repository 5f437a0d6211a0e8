"""`reader agree`: how far annotators agree, per label and overall, and where they differ.

The figures come from annotations.agreement (sentence units: Cohen's kappa for two
annotators, Krippendorff's alpha for any number; character spans: unitizing alpha). Printed
as a plain table, or as JSON for scripts; quotes and names are shown escaped when they hold
control characters. A closed pipe or a full disk ends with one line and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from annotations.agreement import Report, Texts, agreement_report
from annotations.store import AnnotationStore, StoreError
from reader.command_line import (
    SAYS,
    add_articles_option,
    add_db_option,
    known_articles,
    output_failed,
    say,
)
from reader.literal import display_text
from reader.locations import database_path

PROG = "reader agree"
_QUOTE = 60


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Agreement between annotators, per label and overall: on sentences, Cohen's "
        "kappa (two annotators) and Krippendorff's alpha; on character spans, Krippendorff's "
        "unitizing alpha; then the sentences they tagged differently.",
    )
    add_db_option(parser)
    add_articles_option(parser)
    parser.add_argument(
        "--annotator", action="append", default=[], help="compare only these (repeatable)"
    )
    parser.add_argument("--label", action="append", default=[], help="only these labels")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def run_agree(argv: Sequence[str]) -> int:
    options = _parser().parse_args(argv)
    path = database_path(options.db)
    try:
        with AnnotationStore(path) as store:
            annotations = store.all()
    except (StoreError, OSError) as error:
        say(f"{SAYS}: error: {error}")
        return 1
    articles, problems = known_articles(options.articles)
    for problem in problems:
        say(f"{SAYS}: {problem}")
    texts: Texts = {a.sha256: (a.id, a.text, a.sentences) for a in articles}
    report = agreement_report(
        annotations,
        texts,
        annotators=options.annotator or None,
        labels=options.label or None,
    )
    if not report.rows:
        say(
            f"{SAYS}: nothing to compare: no article here has annotations by two or more "
            "annotators" + (" of those named" if options.annotator else "")
        )
        return 0
    quotes = {a.sha256: a.text for a in articles}
    try:
        if options.format == "json":
            sys.stdout.write(json.dumps(_as_json(report, quotes), ensure_ascii=False) + "\n")
        else:
            shown = sys.stdout.isatty()
            for line in _as_text(report, quotes):
                sys.stdout.write((display_text(line) if shown else line) + "\n")
        sys.stdout.flush()
    except OSError as error:
        # `| head` (the reader left) or `> /dev/full`.
        return output_failed(error, "the output was closed before the report ended")
    return 0


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _quote(text: str, start: int, end: int) -> str:
    """The sentence on one line, at most _QUOTE characters, control characters shown."""
    words = display_text(" ".join(text[start:end].split()))
    return words if len(words) <= _QUOTE else words[: _QUOTE - 1] + "…"


def _as_text(report: Report, texts: dict[str, str]) -> list[str]:
    lines = [f"Annotators: {', '.join(report.annotators)}", ""]
    header = ("label", "units", "annotators", "kappa", "alpha", "u-alpha")
    rows = [
        (
            r.label,
            str(r.units),
            str(r.annotators),
            _figure(r.kappa),
            _figure(r.alpha),
            _figure(r.u_alpha),
        )
        for r in report.rows
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
    lines += ["", f"Disagreements: {len(report.disagreements)}"]
    for d in report.disagreements:
        who = "; ".join(
            f"{name}: {', '.join(sorted(labels)) or '-'}"
            for name, labels in sorted(d.labels.items())
        )
        lines.append(f"{d.article} {d.start}-{d.end} “{_quote(texts[d.sha256], d.start, d.end)}”")
        lines.append(f"    {who}")
    return lines


def _as_json(report: Report, texts: dict[str, str]) -> dict[str, object]:
    return {
        "annotators": report.annotators,
        "rows": [
            {
                "label": r.label,
                "units": r.units,
                "annotators": r.annotators,
                "kappa": r.kappa,
                "alpha": r.alpha,
                "u_alpha": r.u_alpha,
            }
            for r in report.rows
        ],
        "disagreements": [
            {
                "article": d.article,
                "sha256": d.sha256,
                "start": d.start,
                "end": d.end,
                "quote": texts[d.sha256][d.start : d.end],
                "labels": {name: sorted(labels) for name, labels in sorted(d.labels.items())},
            }
            for d in report.disagreements
        ],
    }
