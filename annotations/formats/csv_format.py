"""CSV: one row a record, the annotation's fields as columns (annotations.model.FIELDS).

When entity corrections are exported too (`ExportSet.with_corrections`), the columns are the
annotation's, then ``type`` ("Annotation" or "EntityCorrection"), ``kind``, ``variant_a`` and
``variant_b``; a correction fills the annotation columns it shares (id, article,
article_sha256, start, end, quote, prefix, suffix, label, annotator, created) and leaves the
others empty. Without them the file is exactly as before corrections existed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from annotations.entity_corrections import CORRECTION_TYPE, EntityCorrection
from annotations.formats import ExportSet
from annotations.model import FIELDS

ANNOTATION_TYPE = "Annotation"
FIELDS_WITH_CORRECTIONS: tuple[str, ...] = (*FIELDS, "type", "kind", "variant_a", "variant_b")


def write(export: ExportSet) -> Iterator[str]:
    # The csv module writes \r\n line ends and quotes cells holding newlines; each row is
    # handed on as it is made, so a large export is never held whole as text.
    buffer = io.StringIO(newline="")
    columns = FIELDS_WITH_CORRECTIONS if export.with_corrections else FIELDS
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="")
    writer.writeheader()
    for annotation in export.annotations:
        record = annotation.to_record()
        if export.with_corrections:
            record["type"] = ANNOTATION_TYPE
        writer.writerow(record)
        yield _take(buffer)
    if export.with_corrections:
        for correction in export.corrections:
            writer.writerow(_correction_row(correction))
            yield _take(buffer)
    yield _take(buffer)


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _correction_row(correction: EntityCorrection) -> dict[str, Any]:
    row = correction.to_record()
    variant_a, variant_b = row.pop("variants")
    return {**row, "type": CORRECTION_TYPE, "variant_a": variant_a, "variant_b": variant_b}
