"""JSON Lines: this app's own records, one a line, exactly as the store keeps them.

An annotation's line is its record (annotations.model.FIELDS, in that order, no ``type``); an
entity correction's line starts with ``"type": "EntityCorrection"`` and then its record. So a
line without ``type`` is an annotation, and `reader import` reads back exactly what was written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from annotations.entity_corrections import CORRECTION_TYPE
from annotations.formats import ExportSet

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
