"""JSON Lines: this app's own records, one a line, exactly as the store keeps them.

An annotation's line is its record (annotations.model.FIELDS, in that order, no ``type``); an
entity correction's line starts with ``"type": "EntityCorrection"`` and then its record. So a
line without ``type`` is an annotation, and `reader import` reads back exactly what was written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotations.entity_corrections import CORRECTION_TYPE, EntityCorrection
from annotations.formats import ExportSet
from annotations.formats.parsed import (
    Origin,
    ParsedAnnotation,
    ParsedCorrection,
    ParsedSet,
    Problem,
)
from annotations.model import TAGGING, Annotation, InvalidRecordError

# json.dumps leaves these unescaped with ensure_ascii=False, but str.splitlines() and some JSONL
# readers treat them as line ends; escaping keeps one record per physical line everywhere.
_LINE_BREAKS_JSON_KEEPS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def write(export: ExportSet) -> Iterator[str]:
    for annotation in export.annotations:
        yield json_line(annotation.to_record())
    for correction in export.corrections:
        yield json_line({"type": CORRECTION_TYPE, **correction.to_record()})


def json_line(record: dict[str, Any]) -> str:
    """One record as one physical line of JSON, newline included."""
    line = json.dumps(record, ensure_ascii=False)
    for char, escape in _LINE_BREAKS_JSON_KEEPS.items():
        line = line.replace(char, escape)
    return line + "\n"


def read(path: Path) -> ParsedSet:
    """Every record of a JSON Lines file; a line that is not one is a problem, and skipped.

    Lines are split on ``\n`` alone (with a ``\r`` before it dropped): U+2028 and the like
    inside a string are text, as json_line writes them escaped anyway.
    """
    parsed = ParsedSet()
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        parsed.problems.append(Problem(Origin(name), f"cannot read the file: {error.strerror}"))
        return parsed
    for number, raw in enumerate(data.split(b"\n"), start=1):
        line = raw.removesuffix(b"\r")
        if not line.strip():
            continue
        origin = Origin(name, number)
        try:
            record = json.loads(line)
        except UnicodeDecodeError:
            parsed.problems.append(Problem(origin, "not UTF-8 text"))
            continue
        except json.JSONDecodeError as error:
            message = f"not JSON: {error.msg} at column {error.colno}"
            parsed.problems.append(Problem(origin, message))
            continue
        if not isinstance(record, dict):
            parsed.problems.append(Problem(origin, "not a record (a JSON object)"))
            continue
        try:
            if record.get("type") == CORRECTION_TYPE:
                fields = {key: value for key, value in record.items() if key != "type"}
                correction = EntityCorrection.from_record(fields)
                parsed.corrections.append(ParsedCorrection(correction, origin))
            else:
                annotation = Annotation.from_record(record)
                parsed.annotations.append(ParsedAnnotation(annotation, origin))
                if annotation.motivation == TAGGING:
                    parsed.labels.add(annotation.label)
        except (InvalidRecordError, ValueError, TypeError) as error:
            parsed.problems.append(Problem(origin, f"not a valid record: {error}"))
    return parsed
