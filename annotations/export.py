"""JSONL and CSV export of annotations, written atomically so a failed export leaves no stub.

Entity corrections (annotations.entity_corrections) are exported beside the annotations when a
caller passes them. In JSONL a correction is one line of its own whose first key is
``"type": "EntityCorrection"``; an annotation's line stays exactly its record (no ``type``), so
a line without ``type`` is an annotation. In CSV the columns are then the annotation's, then
``type`` ("Annotation" or "EntityCorrection"), ``kind``, ``variant_a`` and ``variant_b``; a
correction fills the annotation columns it shares (id, article, article_sha256, start, end,
quote, prefix, suffix, label, annotator, created) and leaves the others empty.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from annotations.atomic import write_atomically
from annotations.entity_corrections import CORRECTION_TYPE, EntityCorrection
from annotations.model import FIELDS, Annotation

FORMATS: tuple[str, ...] = ("jsonl", "csv")
ANNOTATION_TYPE = "Annotation"
# The CSV columns when entity corrections are exported too (see the module's docstring).
CSV_FIELDS_WITH_CORRECTIONS: tuple[str, ...] = (
    *FIELDS,
    "type",
    "kind",
    "variant_a",
    "variant_b",
)

# json.dumps leaves these unescaped with ensure_ascii=False, but str.splitlines() and some JSONL
# readers treat them as line ends; escaping keeps one record per physical line everywhere.
_LINE_BREAKS_JSON_KEEPS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}

# New exports are shared files, unlike the private database; an existing file keeps its mode.
_NEW_EXPORT_MODE = 0o644


# File name endings and the format they mean (`reader export -o x.csv`, the export dialog).
_SUFFIX_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl"}


def format_for_path(path: Path) -> str | None:
    """The export format a file name asks for by its ending, None if it says none we write."""
    return _SUFFIX_FORMATS.get(path.suffix.lower())


class ExportError(Exception):
    """An export that cannot be done; the message is one line, fit to show the user."""


def write_export(
    annotations: Iterable[Annotation],
    fmt: str,
    out: TextIO,
    *,
    corrections: Iterable[EntityCorrection] | None = None,
) -> int:
    """Write annotations, then any ``corrections``, to ``out`` (opened with newline="" for
    CSV); returns how many records were written.

    Without ``corrections`` (None) the export is of annotations alone, in the same form as
    before corrections existed; with them (even none), CSV has the extra columns.
    """
    _check_format(fmt)
    count = 0
    if fmt == "jsonl":
        for annotation in annotations:
            _write_json_line(out, annotation.to_record())
            count += 1
        for correction in corrections or ():
            _write_json_line(out, {"type": CORRECTION_TYPE, **correction.to_record()})
            count += 1
    elif corrections is None:
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for annotation in annotations:
            writer.writerow(annotation.to_record())
            count += 1
    else:
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS_WITH_CORRECTIONS, restval="")
        writer.writeheader()
        for annotation in annotations:
            writer.writerow({**annotation.to_record(), "type": ANNOTATION_TYPE})
            count += 1
        for correction in corrections:
            writer.writerow(_correction_row(correction))
            count += 1
    return count


def _write_json_line(out: TextIO, record: dict[str, Any]) -> None:
    line = json.dumps(record, ensure_ascii=False)
    for char, escape in _LINE_BREAKS_JSON_KEEPS.items():
        line = line.replace(char, escape)
    out.write(line + "\n")


def _correction_row(correction: EntityCorrection) -> dict[str, Any]:
    row = correction.to_record()
    variant_a, variant_b = row.pop("variants")
    return {**row, "type": CORRECTION_TYPE, "variant_a": variant_a, "variant_b": variant_b}


def export_to_path(
    annotations: Iterable[Annotation],
    fmt: str,
    path: Path,
    *,
    corrections: Iterable[EntityCorrection] | None = None,
) -> int:
    """Write an export file atomically; ExportError (one line) for anything wrong with path.

    ``corrections`` as for `write_export`.
    """
    _check_format(fmt)
    path = Path(path)
    directory = path.parent
    if path.is_dir():
        raise ExportError(f"cannot export to {path}: it is a directory")
    if not directory.is_dir():
        raise ExportError(f"cannot export to {path}: directory {directory} does not exist")
    # newline="" so the csv module's \r\n and newlines inside quoted cells pass unchanged.
    buffer = io.StringIO(newline="")
    count = write_export(annotations, fmt, buffer, corrections=corrections)
    try:
        write_atomically(path, [buffer.getvalue().encode("utf-8")], new_mode=_NEW_EXPORT_MODE)
    except OSError as error:
        raise ExportError(f"cannot export to {path}: {_reason(error)}") from error
    return count


def verify_quotes(
    annotations: Iterable[Annotation | EntityCorrection], texts: Mapping[str, str]
) -> list[str]:
    """One line per annotation or entity correction whose quote is not its text version's
    words at its offsets.

    ``texts`` maps a text's sha256 to the text; records on versions not given are skipped, and
    so are merges and splits (they name no text).
    """
    problems: list[str] = []
    for annotation in annotations:
        text = texts.get(annotation.article_sha256)
        if text is None:
            continue
        actual = text[annotation.start : annotation.end]
        if actual != annotation.quote:
            problems.append(
                f"{annotation.id}: in {annotation.article!r} at "
                f"{annotation.start}-{annotation.end} the quote {_short(annotation.quote)} "
                f"does not match the text {_short(actual)}"
            )
    return problems


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


def _reason(error: OSError) -> str:
    # strerror is the short, human part ("Permission denied"); str(error) repeats the path.
    return error.strerror.lower() if error.strerror else str(error)


def _short(text: str, limit: int = 40) -> str:
    # repr keeps a quote containing newlines on the problem's one line.
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
