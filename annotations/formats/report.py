"""Markdown and HTML reports: an export laid out for an editor to read, not for a tool to load.

Both formats show the same report, built once (`build_report`) and then written out:

- a title and a summary: how many annotations (tags and notes), by label, by annotator, and the
  articles with their counts;
- one section per text version (`ExportSet.in_reading_order`: by article id, then sha256, so two
  versions of one article sit together), with its title, outlet, source, id and version. In it
  the passages are grouped by label: claim, opinion, unverified first (the app's own labels, in
  its order), then any other label sorted. A passage is one span; the tags of one label on it
  (by several annotators, say) are listed under one quote;
- a note is a separate record (motivation "commenting"). It is shown under every tag with the
  same span, and, when no tag has its span, as a passage of its own in a last group, "Notes";
- each record shows its annotator and the date it was made (and edited, if later), and how it
  was anchored when that is not "exact" (moved, fuzzy with its score, orphan); a passage whose
  quote is not the text at its offsets says so;
- the article's entity mentions (``ExportArticle.entities``, corrections already applied),
  grouped by label, then by mention text with counts; "Entities not known" when they are None;
- the entity corrections in the export, one line each, in the order they are replayed.

Records on a text version the export has no text for are still shown (their quote is in the
record), under the title and source the records give, marked as such.

Nothing in the output depends on when or where it is written: the goldens stay stable.

User text (quotes, notes, titles, labels, names, sources) never becomes structure:

- Everything is first made printable: C0 and C1 control characters (a terminal escape in a
  note) become visible symbols (ESC is "␛"), lone surrogates U+FFFD; line breaks are Unicode's
  (``str.splitlines``), so a U+2028 inside a note is a line like any other.
- Markdown: every character that can start inline structure (``\\ ` * _ [ ] < > # | ~ &``) is
  backslash-escaped, and so is what would start a block at the beginning of a line (``-``,
  ``+``, ``=``, ``1.``); a quote is written line by line, each line with its own ``>``, so a
  line of the quote cannot end the blockquote; a note's lines are indented into its list item.
  Raw HTML in the text is thus text, as are ``[x](javascript:...)`` and ``# heading``.
- HTML: all user text goes through `html.escape` (quotes included), and never into a URL, a
  class, an id or a style; links are only to the report's own sections (``#article-3``). The
  page is self-contained (inline CSS, no script, no external resource, and a
  Content-Security-Policy that forbids both), valid HTML5, readable in light and dark
  (``prefers-color-scheme``) and printable (``@media print``: black on white, passages kept
  whole on a page).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from annotations.entity_corrections import ADD, MERGE, REJECT, RETYPE, EntityCorrection, in_order
from annotations.formats import ExportArticle, ExportSet
from annotations.model import LABELS, Annotation

REPORT_TITLE = "Annotation report"
NOTES_GROUP = "Notes"  # the heading of the passages that only notes are on


# -- the report, built once for both formats ----------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """One span of one text version, with the tags of one label on it and the notes on it."""

    start: int
    end: int
    quote: str
    tags: tuple[Annotation, ...]  # all of one label; () for a passage only notes are on
    notes: tuple[Annotation, ...]
    misplaced: bool  # the quote is not the text at start:end (the text is known)


@dataclass(frozen=True)
class LabelGroup:
    label: str | None  # None: notes on passages no tag has
    passages: tuple[Passage, ...]

    @property
    def heading(self) -> str:
        return NOTES_GROUP if self.label is None else self.label


@dataclass(frozen=True)
class EntityGroup:
    label: str
    mentions: tuple[tuple[str, int], ...]  # mention text, count; most frequent first

    @property
    def total(self) -> int:
        return sum(count for _text, count in self.mentions)


@dataclass(frozen=True)
class ArticleSection:
    number: int  # 1-based, for links within the report
    id: str
    sha256: str
    title: str
    source: str
    outlet: str | None
    text_known: bool  # False: the records name a text version the export does not carry
    annotation_count: int
    groups: tuple[LabelGroup, ...]
    entities: tuple[EntityGroup, ...] | None  # None: not known


@dataclass(frozen=True)
class Report:
    tag_count: int
    note_count: int
    by_label: tuple[tuple[str, int], ...]  # tags only, in label order
    by_annotator: tuple[tuple[str, int], ...]  # most first, then by name
    articles: tuple[ArticleSection, ...]
    corrections: tuple[EntityCorrection, ...]  # in replay order

    @property
    def annotation_count(self) -> int:
        return self.tag_count + self.note_count

    @property
    def annotated_articles(self) -> int:
        return sum(1 for section in self.articles if section.annotation_count)


def label_order(labels: Iterable[str]) -> list[str]:
    """The app's labels first, in its order, then the others sorted."""
    present = set(labels)
    known = [label for label in LABELS if label in present]
    return known + sorted(present - set(LABELS))


def build_report(export: ExportSet) -> Report:
    by_sha: dict[str, list[Annotation]] = {}
    for record in export.annotations:
        by_sha.setdefault(record.article_sha256, []).append(record)
    known = {article.sha256: article for article in export.in_reading_order()}
    # Texts the records name but the export lacks: shown from what the records say.
    stand_ins = {sha: _stand_in(records) for sha, records in by_sha.items() if sha not in known}
    everything = sorted([*known.values(), *stand_ins.values()], key=lambda a: (a.id, a.sha256))
    sections = tuple(
        _section(number, article, by_sha.get(article.sha256, []), article.sha256 in known)
        for number, article in enumerate(everything, start=1)
    )
    tags = [record for record in export.annotations if record.is_tag]
    label_counts = Counter(record.label for record in tags)
    annotator_counts = Counter(record.annotator for record in export.annotations)
    return Report(
        tag_count=len(tags),
        note_count=len(export.annotations) - len(tags),
        by_label=tuple((label, label_counts[label]) for label in label_order(label_counts)),
        by_annotator=tuple(sorted(annotator_counts.items(), key=lambda item: (-item[1], item[0]))),
        articles=sections,
        corrections=tuple(in_order(export.corrections)),
    )


def _stand_in(records: Sequence[Annotation]) -> ExportArticle:
    first = min(records, key=lambda r: (r.created, r.id))
    return ExportArticle(
        id=first.article,
        sha256=first.article_sha256,
        title=first.title,
        source=first.source,
        text="",
    )


def _section(
    number: int, article: ExportArticle, records: Sequence[Annotation], text_known: bool
) -> ArticleSection:
    text = article.text if text_known else None
    tags = [r for r in records if r.is_tag]
    notes = [r for r in records if r.is_note]
    notes_by_span: dict[tuple[int, int], list[Annotation]] = {}
    for note in sorted(notes, key=_record_order):
        notes_by_span.setdefault(note.span, []).append(note)
    tagged_spans = {tag.span for tag in tags}

    groups: list[LabelGroup] = []
    for label in label_order(tag.label for tag in tags):
        by_span: dict[tuple[int, int], list[Annotation]] = {}
        for tag in sorted((t for t in tags if t.label == label), key=_record_order):
            by_span.setdefault(tag.span, []).append(tag)
        passages = [
            _passage(span, tuple(on_span), tuple(notes_by_span.get(span, ())), text)
            for span, on_span in sorted(by_span.items())
        ]
        groups.append(LabelGroup(label, tuple(passages)))
    untagged = [
        _passage(span, (), tuple(on_span), text)
        for span, on_span in sorted(notes_by_span.items())
        if span not in tagged_spans
    ]
    if untagged:
        groups.append(LabelGroup(None, tuple(untagged)))
    return ArticleSection(
        number=number,
        id=article.id,
        sha256=article.sha256,
        title=article.title,
        source=article.source,
        outlet=article.outlet,
        text_known=text_known,
        annotation_count=len(records),
        groups=tuple(groups),
        entities=None if not text_known else _entities(article),
    )


def _record_order(record: Annotation) -> tuple[str, str, str]:
    return (record.created, record.annotator, record.id)


def _passage(
    span: tuple[int, int],
    tags: tuple[Annotation, ...],
    notes: tuple[Annotation, ...],
    text: str | None,
) -> Passage:
    quote = (tags or notes)[0].quote
    start, end = span
    return Passage(
        start=start,
        end=end,
        quote=quote,
        tags=tags,
        notes=notes,
        misplaced=text is not None and text[start:end] != quote,
    )


def _entities(article: ExportArticle) -> tuple[EntityGroup, ...] | None:
    if article.entities is None:
        return None
    by_label: dict[str, Counter[str]] = {}
    for start, end, label in article.entities:
        mention = " ".join(article.text[start:end].split())
        if mention:
            by_label.setdefault(label, Counter())[mention] += 1
    return tuple(
        EntityGroup(
            label,
            tuple(sorted(by_label[label].items(), key=lambda item: (-item[1], item[0]))),
        )
        for label in sorted(by_label)
    )


# -- words shared by both formats (plain text; each format escapes them) -------------------------


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def summary_line(report: Report) -> str:
    annotators = len(report.by_annotator)
    line = (
        f"{_plural(report.annotation_count, 'annotation')} "
        f"({_plural(report.tag_count, 'tag')}, {_plural(report.note_count, 'note')}) "
        f"by {_plural(annotators, 'annotator')} on {_plural(report.annotated_articles, 'article')}"
    )
    shown = len(report.articles)
    if shown != report.annotated_articles:
        line += f"; {_plural(shown, 'article')} in this report"
    if report.corrections:
        line += f"; {_plural(len(report.corrections), 'entity correction')}"
    return line + "."


def _date(stamp: str) -> str:
    return stamp[:10]


def made_words(record: Annotation) -> str:
    """When a record was made (and edited), and how it was anchored if not exactly."""
    words = f"on {_date(record.created)}"
    if _date(record.modified) > _date(record.created):
        words += f", edited {_date(record.modified)}"
    anchoring = anchor_words(record)
    return f"{words}; {anchoring}" if anchoring else words


def anchor_words(record: Annotation) -> str:
    if record.anchor == "exact":
        return ""
    if record.anchor == "moved":
        return "anchoring: moved (found elsewhere in the text)"
    if record.anchor == "fuzzy":
        return f"anchoring: fuzzy, score {record.anchor_score:.2f}"
    return "anchoring: orphan (not found in the text)"


MISPLACED = "The quote is not the text at its offsets in this version."
WHITESPACE_ONLY = "(whitespace only)"


def meta_parts(section: ArticleSection) -> list[str]:
    parts = [section.outlet or "outlet not known", f"source: {section.source or 'not known'}"]
    parts.append(f"article {section.id}, version {section.sha256[:12] or 'not known'}")
    return parts


def correction_words(correction: EntityCorrection) -> tuple[str, str]:
    """What a correction says, and who made it when: ("add “axis of terror” as EVENT", ...)."""
    if correction.is_grouping:
        first, second = correction.variants
        what = "merge" if correction.kind == MERGE else "split"
        meaning = "one entity" if correction.kind == MERGE else "different entities"
        said = f"{what} “{first}” and “{second}” ({meaning})"
    else:
        said = f"{correction.kind} “{correction.quote}”"
        if correction.kind in (RETYPE, ADD):
            said += f" as {correction.label}"
        elif correction.kind == REJECT:
            said += " (not an entity)"
        said += f" in {correction.article}"
    return said, f"by {correction.annotator} on {_date(correction.created)}"


# -- making user text printable ------------------------------------------------------------------


def _visible_controls() -> dict[int, str]:
    table = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
    table[0x7F] = "\u2421"
    table.update({code: "\ufffd" for code in range(0x80, 0xA0)})
    table.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
    return table


_VISIBLE = _visible_controls()


def printable_lines(text: str) -> list[str]:
    """The text's lines (any Unicode line break), each with controls made visible and its
    surrounding whitespace removed; runs of blank lines become one, none at either end."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.translate(_VISIBLE).strip()
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def printable(text: str) -> str:
    """The text on one line: its lines joined by spaces."""
    return " ".join(line for line in printable_lines(text) if line)


def paragraphs(text: str) -> list[list[str]]:
    """The text's paragraphs (split at blank lines), each a list of its lines."""
    found: list[list[str]] = [[]]
    for line in printable_lines(text):
        if line:
            found[-1].append(line)
        else:
            found.append([])
    return [p for p in found if p]


# -- Markdown ------------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")
_MD_BLOCK_START = re.compile(r"^([-+=])|^(\d+)([.)])")


def md(text: str) -> str:
    """User text as Markdown text that renders as itself, on one line."""
    return _md_line(printable(text))


def _md_line(line: str) -> str:
    escaped = _MD_INLINE.sub(r"\\\1", line)
    return _MD_BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


def _md_block(text: str, prefix: str) -> list[str]:
    """User text as lines that each start with ``prefix`` (``"> "`` for a blockquote, spaces
    for a list item's continuation); lines of a paragraph end in a hard break."""
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs(text)):
        if number:
            lines.append(prefix.rstrip())
        for index, line in enumerate(paragraph):
            hard_break = "\\" if index < len(paragraph) - 1 else ""
            lines.append(prefix + _md_line(line) + hard_break)
    return lines


def write_markdown(export: ExportSet) -> Iterator[str]:
    report = build_report(export)
    yield f"# {REPORT_TITLE}\n\n{md(summary_line(report))}\n"
    yield from _md_summary(report)
    for section in report.articles:
        yield "\n".join(_md_article(section)) + "\n"
    if report.corrections:
        lines = ["", f"## Entity corrections ({len(report.corrections)})", ""]
        for correction in report.corrections:
            said, made = correction_words(correction)
            lines.append(f"- {md(said)}, {md(made)}")
        yield "\n".join(lines) + "\n"


def _md_summary(report: Report) -> Iterator[str]:
    lines = ["", "## Summary", ""]
    if report.by_label or report.note_count:
        lines += ["By label:", ""]
        lines += [f"- {md(label)}: {count}" for label, count in report.by_label]
        if report.note_count:
            lines.append(f"- notes: {report.note_count}")
        lines.append("")
    if report.by_annotator:
        lines += ["By annotator:", ""]
        lines += [f"- {md(name)}: {count}" for name, count in report.by_annotator]
        lines.append("")
    if report.articles:
        lines += ["Articles:", ""]
        lines += [
            f"{s.number}. {md(s.title or s.id)}: {_plural(s.annotation_count, 'annotation')}"
            for s in report.articles
        ]
    else:
        lines.append("Nothing to report: the export is empty.")
    yield "\n".join(lines) + "\n"


def _md_article(section: ArticleSection) -> list[str]:
    lines = ["", f"## {section.number}. {md(section.title or section.id)}", ""]
    lines.append(" · ".join(md(part) for part in meta_parts(section)))
    lines.append("")
    if not section.text_known:
        lines += ["*The text of this version is not in the export.*", ""]
    lines.append(f"{_plural(section.annotation_count, 'annotation')}.")
    for group in section.groups:
        lines += ["", f"### {md(group.heading)} ({len(group.passages)})"]
        for passage in group.passages:
            lines += ["", *_md_passage(passage)]
    lines += ["", "### Entities", ""]
    if section.entities is None:
        lines.append("Entities not known.")
    elif not section.entities:
        lines.append("No entities found.")
    else:
        for entities in section.entities:
            mentions = ", ".join(
                md(text) + (f" ×{count}" if count > 1 else "") for text, count in entities.mentions
            )
            lines.append(f"- **{md(entities.label)}** ({entities.total}): {mentions}")
    return lines


def _md_passage(passage: Passage) -> list[str]:
    quoted = _md_block(passage.quote, "> ") or [f"> *{WHITESPACE_ONLY}*"]
    lines = [*quoted, ""]
    if passage.misplaced:
        lines += [f"*{MISPLACED}*", ""]
    for tag in passage.tags:
        lines.append(f"- tagged by {md(tag.annotator)} {md(made_words(tag))}")
    for note in passage.notes:
        head = f"- **Note** by {md(note.annotator)} {md(made_words(note))}:"
        body = _md_block(note.note, "  ")
        # The note's first line follows its heading; the rest are indented into the list item.
        lines.append(f"{head} {body[0].lstrip()}" if body else head)
        lines += body[1:]
    return lines


# -- HTML ----------------------------------------------------------------------------------------


def h(text: str) -> str:
    """User text as HTML text (or a quoted attribute value), on one line."""
    return html.escape(printable(text), quote=True)


def _h_paragraphs(text: str) -> str:
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=True) for line in paragraph) + "</p>"
        for paragraph in paragraphs(text)
    )


_LABEL_CLASSES = {label: f"label-{label}" for label in LABELS}

_CSS = """
:root {
  color-scheme: light dark;
  --fg: #1c1c1c; --bg: #fdfcf9; --muted: #595959; --rule: #d6d3cc; --quote-bg: #f2efe8;
  --claim: #1d5fa6; --opinion: #8c4a00; --unverified: #a3192a; --other: #4d4d4d;
  --note: #2f6b3a;
}
@media (prefers-color-scheme: dark) {
  :root {
    --fg: #e8e6e3; --bg: #17191c; --muted: #a9adb2; --rule: #3b3f45; --quote-bg: #23272c;
    --claim: #86b8f2; --opinion: #f1b46b; --unverified: #f4909b; --other: #c8c8c8;
    --note: #8fd19b;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0 auto; max-width: 46rem; padding: 1.5rem 1.25rem 4rem;
  font: 1.05rem/1.6 Georgia, "Times New Roman", serif; color: var(--fg); background: var(--bg);
}
h1, h2, h3, .meta, .records, .summary, .entities, .corrections, .flag {
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
}
h1 { font-size: 1.8rem; margin: 0 0 .5rem; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 2.5rem 0 .4rem; padding-top: 1rem;
     border-top: 2px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.75rem 0 .5rem; color: var(--accent, var(--fg)); }
.count { color: var(--muted); font-weight: normal; }
.meta { color: var(--muted); font-size: .9rem; margin: 0 0 1rem; overflow-wrap: anywhere; }
.summary ul, .summary ol { margin: .25rem 0 1rem; }
a { color: inherit; }
.label-claim { --accent: var(--claim); }
.label-opinion { --accent: var(--opinion); }
.label-unverified { --accent: var(--unverified); }
.label-other { --accent: var(--other); }
.label-notes { --accent: var(--note); }
.passage { margin: 0 0 1.25rem; }
blockquote {
  margin: 0; padding: .6rem 1rem; background: var(--quote-bg);
  border-left: 4px solid var(--accent, var(--other)); overflow-wrap: anywhere;
}
blockquote p, .note-text p { margin: 0 0 .6rem; }
blockquote p:last-child, .note-text p:last-child { margin-bottom: 0; }
.records { list-style: none; margin: .4rem 0 0; padding: 0; font-size: .9rem; color: var(--muted); }
.records li { margin: .2rem 0; }
.records .who { color: var(--fg); font-weight: 600; }
.note { border-left: 3px solid var(--note); padding-left: .6rem; }
.note-text { color: var(--fg); font-family: Georgia, "Times New Roman", serif; font-size: 1rem;
             overflow-wrap: anywhere; }
.flag { font-size: .9rem; font-style: italic; color: var(--unverified); margin: .3rem 0 0; }
.entities dl { margin: 0; }
.entities dt { font-weight: 600; margin-top: .4rem; }
.entities dd { margin: 0 0 0 1.25rem; overflow-wrap: anywhere; }
.empty { color: var(--muted); font-style: italic; }
@media print {
  :root {
    --fg: #000; --bg: #fff; --muted: #333; --rule: #999; --quote-bg: transparent;
    --claim: #000; --opinion: #000; --unverified: #000; --other: #000; --note: #000;
  }
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2, h3 { break-after: avoid; }
  .passage, .entities dd { break-inside: avoid; }
  a { text-decoration: none; }
}
"""

_HEAD = (
    "<!doctype html>\n"
    '<html lang="en">\n'
    "<head>\n"
    '<meta charset="utf-8">\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    '<meta name="color-scheme" content="light dark">\n'
    # Belt and braces: even text that escaped escaping could load or run nothing.
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
    f"<title>{REPORT_TITLE}</title>\n"
    f"<style>{_CSS}</style>\n"
    "</head>\n"
)


def write_html(export: ExportSet) -> Iterator[str]:
    report = build_report(export)
    yield _HEAD
    yield "<body>\n<header>\n"
    yield f"<h1>{REPORT_TITLE}</h1>\n<p>{h(summary_line(report))}</p>\n</header>\n"
    yield _h_summary(report)
    for section in report.articles:
        yield _h_article(section)
    if report.corrections:
        items = []
        for correction in report.corrections:
            said, made = correction_words(correction)
            items.append(f'<li>{h(said)}, <span class="meta">{h(made)}</span></li>')
        yield (
            '<section class="corrections" id="corrections">\n'
            f'<h2>Entity corrections <span class="count">({len(items)})</span></h2>\n'
            "<ul>\n" + "\n".join(items) + "\n</ul>\n</section>\n"
        )
    yield "</body>\n</html>\n"


def _h_summary(report: Report) -> str:
    parts = ['<section class="summary" id="summary">\n<h2>Summary</h2>\n']
    if report.by_label or report.note_count:
        items = [f"<li>{h(label)}: {count}</li>" for label, count in report.by_label]
        if report.note_count:
            items.append(f"<li>notes: {report.note_count}</li>")
        parts.append("<h3>By label</h3>\n<ul>\n" + "\n".join(items) + "\n</ul>\n")
    if report.by_annotator:
        items = [f"<li>{h(name)}: {count}</li>" for name, count in report.by_annotator]
        parts.append("<h3>By annotator</h3>\n<ul>\n" + "\n".join(items) + "\n</ul>\n")
    if report.articles:
        items = [
            f'<li><a href="#article-{s.number}">{h(s.title or s.id)}</a>: '
            f"{_plural(s.annotation_count, 'annotation')}</li>"
            for s in report.articles
        ]
        parts.append("<h3>Articles</h3>\n<ol>\n" + "\n".join(items) + "\n</ol>\n")
    else:
        parts.append('<p class="empty">Nothing to report: the export is empty.</p>\n')
    parts.append("</section>\n")
    return "".join(parts)


def _h_article(section: ArticleSection) -> str:
    parts = [
        f'<article id="article-{section.number}">\n',
        f"<h2>{section.number}. {h(section.title or section.id)}</h2>\n",
        '<p class="meta">' + " · ".join(h(part) for part in meta_parts(section)) + "</p>\n",
    ]
    if not section.text_known:
        parts.append('<p class="flag">The text of this version is not in the export.</p>\n')
    parts.append(f'<p class="meta">{_plural(section.annotation_count, "annotation")}.</p>\n')
    for group in section.groups:
        if group.label is None:
            css = "label-notes"
        else:
            css = _LABEL_CLASSES.get(group.label, "label-other")
        parts.append(
            f'<section class="label {css}">\n<h3>{h(group.heading)} '
            f'<span class="count">({len(group.passages)})</span></h3>\n'
        )
        parts.extend(_h_passage(passage) for passage in group.passages)
        parts.append("</section>\n")
    parts.append('<section class="entities">\n<h3>Entities</h3>\n')
    if section.entities is None:
        parts.append('<p class="empty">Entities not known.</p>\n')
    elif not section.entities:
        parts.append('<p class="empty">No entities found.</p>\n')
    else:
        parts.append("<dl>\n")
        for entities in section.entities:
            mentions = ", ".join(
                h(text) + (f" ×{count}" if count > 1 else "") for text, count in entities.mentions
            )
            parts.append(
                f'<dt>{h(entities.label)} <span class="count">({entities.total})</span></dt>'
                f"<dd>{mentions}</dd>\n"
            )
        parts.append("</dl>\n")
    parts.append("</section>\n</article>\n")
    return "".join(parts)


def _h_passage(passage: Passage) -> str:
    quoted = _h_paragraphs(passage.quote) or f'<p class="empty">{WHITESPACE_ONLY}</p>'
    parts = [f'<div class="passage">\n<blockquote>{quoted}</blockquote>\n']
    if passage.misplaced:
        parts.append(f'<p class="flag">{MISPLACED}</p>\n')
    parts.append('<ul class="records">\n')
    for tag in passage.tags:
        parts.append(
            f'<li class="tag">tagged by <span class="who">{h(tag.annotator)}</span> '
            f"{h(made_words(tag))}</li>\n"
        )
    for note in passage.notes:
        parts.append(
            f'<li class="note"><strong>Note</strong> by <span class="who">{h(note.annotator)}'
            f'</span> {h(made_words(note))}:<div class="note-text">{_h_paragraphs(note.note)}'
            "</div></li>\n"
        )
    parts.append("</ul>\n</div>\n")
    return "".join(parts)
