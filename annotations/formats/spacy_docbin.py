"""spaCy DocBin: one Doc per article text version, tags as a span group, entities as ents.

The file is what ``DocBin.to_bytes()`` gives (user data stored), so ``spacy train`` reads it as
training or dev data (``--paths.train export.spacy``) and ``DocBin().from_disk(path)`` loads it.

- Each text version in the export becomes one Doc of its verbatim text (``doc.text`` is the
  text), in the order of ``ExportSet.in_reading_order``, cut into tokens by a blank English
  pipeline (see annotations.formats.tokens: the same tokens en_core_web_sm makes).
- The user's tags are spans in ``doc.spans["sc"]``, the key spancat reads by default, so a
  ``spancat`` component learns them with no ``spans_key`` setting. Overlapping and nested tags
  are all kept (a span group allows overlaps); each span's label is the tag's label and its
  ``id_`` the annotation's id, so every span leads back to its record (and to its annotator,
  in user_data: every annotator's tags share the group). spancat's default suggester
  proposes spans of one to three tokens: to learn sentence-long tags, give it a longer
  ``spacy.ngram_range_suggester.v1`` (or another suggester) in the training config.
  A text with no tags is in the file too (an article named in the export, or one with notes
  only), and spancat reads it as "nothing here is a tag": export the tagged articles alone
  (``--article``) for training if that is not so.
- The model's entities, with the user's corrections applied (``ExportArticle.entities``), are
  ``doc.ents``: every other token is O, so ``ner`` learns from a complete annotation. Where the
  entities are not known (``None``: nothing cached), ``doc.ents`` is left unset, which spaCy
  reads as "missing", not as "no entities", and ``user_data["entities"]["known"]`` is False.
- A span that does not fall on token boundaries is laid on them by
  annotations.formats.tokens.place (whitespace trimmed, then widened to whole tokens, never
  shrunk); each one moved is listed with its old and new offsets, and one that cannot be laid
  on tokens (whitespace alone, a quote that is not at its offsets, an entity that overlaps
  another once widened) is listed with the reason: nothing is left out without a record.

``doc.user_data`` (plain strings, numbers, lists and dicts, as a DocBin stores them; its
msgpack gives the lists back as tuples):

- ``"article"``: ``{"id", "sha256", "title", "source", "outlet"}``;
- ``"tags"``: ``{"counts": {"exact", "trimmed", "expanded", "unplaced"}, "annotators": {id:
  annotator}, "adjusted": [{"id", "label", "start", "end", "span_start", "span_end",
  "adjustment"}], "unplaced": [{"id", "label", "start", "end", "quote", "reason"}]}``;
- ``"entities"``: ``{"known": bool, "counts": {...}, "adjusted": [{"label", "start", "end",
  "span_start", "span_end", "adjustment"}], "unplaced": [{"label", "start", "end", "reason"}]}``;
- ``"notes"``: the notes on this text, ``[{"id", "start", "end", "quote", "note", "annotator",
  "created", "modified"}]``: notes are not tags, so no span group holds them.

Annotations on a text version the export does not carry cannot be placed in any Doc; the
export command reports them. spaCy is imported when `write` runs, never at import time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from annotations.formats import ExportArticle, ExportSet
from annotations.formats.tokens import Placement, blank_english, by_text, make_doc, place
from annotations.model import Annotation

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# spancat's default spans_key: `spacy train` with a spancat component reads this group.
SPANS_KEY = "sc"
_COUNTED = ("exact", "trimmed", "expanded", "unplaced")


def write(export: ExportSet) -> bytes:
    """The export as a serialised DocBin (``DocBin.to_bytes()``)."""
    from spacy.tokens import DocBin

    nlp = blank_english()
    records = by_text(export)
    docbin = DocBin(store_user_data=True)
    for article in export.in_reading_order():
        docbin.add(article_doc(nlp, article, records.get(article.sha256, ())))
    return docbin.to_bytes()


def article_doc(nlp: Language, article: ExportArticle, records: Sequence[Annotation]) -> Doc:
    """One text version's Doc: its tags, entities, notes and provenance (module docstring)."""
    from spacy.tokens import Span

    doc = make_doc(nlp, article.text)
    tags = sorted((a for a in records if a.is_tag), key=_span_order)
    notes = sorted((a for a in records if a.is_note), key=_span_order)

    spans: list[Span] = []
    tag_counts = dict.fromkeys(_COUNTED, 0)
    adjusted_tags: list[dict[str, Any]] = []
    unplaced_tags: list[dict[str, Any]] = []
    for tag in tags:
        where: Placement | str
        if article.text[tag.start : tag.end] != tag.quote:
            where = "its quote is not at its offsets in this text"
        else:
            where = place(doc, article.text, tag.start, tag.end)
        if isinstance(where, str):
            tag_counts["unplaced"] += 1
            unplaced_tags.append(
                {
                    "id": tag.id,
                    "label": tag.label,
                    "start": tag.start,
                    "end": tag.end,
                    "quote": tag.quote,
                    "reason": where,
                }
            )
            continue
        tag_counts[where.adjustment] += 1
        spans.append(Span(doc, where.start, where.end, label=tag.label, span_id=tag.id))
        if where.adjustment != "exact":
            adjusted_tags.append(
                {"id": tag.id, "label": tag.label, **_moved(tag.start, tag.end, where)}
            )
    doc.spans[SPANS_KEY] = spans

    entities = _set_entities(doc, article.text, article.entities)
    doc.user_data["article"] = {
        "id": article.id,
        "sha256": article.sha256,
        "title": article.title,
        "source": article.source,
        "outlet": article.outlet,
    }
    doc.user_data["tags"] = {
        "counts": tag_counts,
        "annotators": {tag.id: tag.annotator for tag in tags},
        "adjusted": adjusted_tags,
        "unplaced": unplaced_tags,
    }
    doc.user_data["entities"] = entities
    doc.user_data["notes"] = [
        {
            "id": note.id,
            "start": note.start,
            "end": note.end,
            "quote": note.quote,
            "note": note.note,
            "annotator": note.annotator,
            "created": note.created,
            "modified": note.modified,
        }
        for note in notes
    ]
    return doc


def _set_entities(
    doc: Doc, text: str, entities: Sequence[tuple[int, int, str]] | None
) -> dict[str, Any]:
    """Set ``doc.ents`` (all other tokens O) unless unknown; what was done, for user_data."""
    from spacy.tokens import Span

    counts = dict.fromkeys(_COUNTED, 0)
    report: dict[str, Any] = {"known": entities is not None, "counts": counts}
    adjusted: list[dict[str, Any]] = []
    unplaced: list[dict[str, Any]] = []
    report["adjusted"], report["unplaced"] = adjusted, unplaced
    if entities is None:
        return report
    ents: list[Span] = []
    for start, end, label in sorted(entities):
        where = place(doc, text, start, end)
        if not isinstance(where, str) and ents and where.start < ents[-1].end:
            # doc.ents allows no overlap; corrected entities never overlap, but two that
            # share a token once widened to whole tokens would.
            where = "it overlaps the entity before it once widened to whole tokens"
        if isinstance(where, str):
            counts["unplaced"] += 1
            unplaced.append({"label": label, "start": start, "end": end, "reason": where})
            continue
        counts[where.adjustment] += 1
        ents.append(Span(doc, where.start, where.end, label=label))
        if where.adjustment != "exact":
            adjusted.append({"label": label, **_moved(start, end, where)})
    doc.set_ents(ents, default="outside")
    return report


def _moved(start: int, end: int, where: Placement) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "span_start": where.start_char,
        "span_end": where.end_char,
        "adjustment": where.adjustment,
    }


def _span_order(annotation: Annotation) -> tuple[int, int, str, str]:
    return (annotation.start, annotation.end, annotation.label, annotation.id)
