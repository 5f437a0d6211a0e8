"""The Markdown and HTML reports: goldens, what a Markdown renderer and a real browser make of
them, and hostile text that must stay text."""

from __future__ import annotations

import html
import os
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from annotations.entity_corrections import EntityCorrection
from annotations.export import export_to_path
from annotations.formats import ExportArticle, ExportSet
from annotations.formats.report import md, printable_lines, write_html, write_markdown
from annotations.model import Annotation
from annotations.store import AnnotationStore
from tests.annotations.token_format_samples import (
    GOLDEN,
    ROGIN,
    T0,
    TELEGRAPH,
    UPDATE_GOLDEN,
    article,
    sample,
    span_of,
    tag,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HOSTILE_NOTE = (
    "<script>alert(1)</script>\n"
    "</blockquote>\n"
    "# heading\n"
    "[x](javascript:alert(1))\n"
    "\x1b]0;title\x07 after the escape"
)
# What the terminal escape becomes: visible symbols, never the escape itself.
SHOWN_ESCAPE = "␛]0;title␇ after the escape"
HOSTILE_ARTICLE_TEXT = (
    "Plain opening line.\n"
    "<img src=x onerror=alert(2)> and *stars* and _under_ and `ticks`\n"
    "- a list item?\n"
    "1. an ordered one?\n"
    "    indented like code\n"
    "> a quote in a quote\n"
    "| a | table |\n"
    "---\n"
    "&amp; an entity, a \\ backslash and [link](http://example.com)\n"
    "Closing line."
)


# -- the sample: the token formats' export, and what a report has to show besides ------------------


def extra_note(
    on: Annotation, words: str, note_id: str, annotator: str = "bob", hours: int = 1
) -> Annotation:
    """A note on the span of the tag ``on``, made ``hours`` after it."""
    return Annotation.create(
        article=on.article,
        text=article(on.article).text,
        start=on.start,
        end=on.end,
        annotator=annotator,
        note=words,
        source=on.source,
        title=on.title,
        now=T0 + timedelta(hours=hours),
    ).evolve(id=note_id)


def correction(
    kind: str, words: str = "", label: str = "", variants: tuple[str, str] = ("", "")
) -> EntityCorrection:
    telegraph = article(TELEGRAPH)
    if kind in ("merge", "split"):
        made = EntityCorrection.create(kind=kind, annotator="ann", variants=variants, now=T0)
    else:
        start, end = span_of(telegraph.text, words)
        made = EntityCorrection.create(
            kind=kind,
            annotator="ann",
            article=telegraph.id,
            text=telegraph.text,
            start=start,
            end=end,
            label=label,
            now=T0,
        )
    return made._replace(id=f"c-{kind}")


@pytest.fixture(scope="module")
def export() -> ExportSet:
    """`sample()` and: a note on a tagged span (two labels on it), a second annotator's tag on a
    tagged span, a two-paragraph note, a fuzzy and an edited tag, a tag on a text version the
    export lacks, and entity corrections of each kind."""
    base = sample().export
    by_id = {a.id: a for a in base.annotations}
    telegraph, rogin = article(TELEGRAPH), article(ROGIN)
    sentence = by_id["t-claim-sentence"]
    older_rogin = rogin.text.replace("Hamas", "Hamas militants", 1)
    extras = [
        extra_note(by_id["t-op"], "Both a claim and an opinion here.", "n-on-op"),
        tag(telegraph, by_id["t-op"].span, "claim", "t-claim-op", "cid"),
        tag(telegraph, sentence.span, "claim", "t-claim-sentence-bob", "bob"),
        extra_note(
            sentence,
            "First paragraph of a note.\nIts second line.\n\nA second paragraph.",
            "n-two-paragraphs",
            "ann",
            hours=2,
        ),
        by_id["r-claim"].evolve(
            id="r-claim-fuzzy", annotator="cid", anchor="fuzzy", anchor_score=0.8125
        ),
        by_id["r-us"].evolve(
            id="r-us-edited",
            annotator="cid",
            modified=(T0 + timedelta(days=3)).isoformat(timespec="microseconds"),
        ),
        tag(
            rogin,
            span_of(older_rogin, "Hamas militants"),
            "unverified",
            "r-old-version",
            "cid",
            text=older_rogin,
        )._replace(article_sha256="0" * 64),
    ]
    return replace(
        base,
        annotations=[*base.annotations, *extras],
        corrections=[
            correction("reject", words="Thursday"),
            correction("add", words="axis of terror", label="EVENT"),
            correction("retype", words="Moscow", label="LOC"),
            correction("merge", variants=("putin", "vladimir putin")),
        ],
        with_corrections=True,
    )


@pytest.mark.parametrize(
    ("name", "writer"), [("sample.md", write_markdown), ("sample.html", write_html)]
)
def test_golden(export: ExportSet, name: str, writer: Callable[[ExportSet], Iterator[str]]) -> None:
    got = "".join(writer(export))
    golden = GOLDEN / "report" / name
    if os.environ.get(UPDATE_GOLDEN):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8"), f"set {UPDATE_GOLDEN}=1 to rewrite"


# -- a small DOM, for our HTML and the browser's ---------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def all(self, tag: str, cls: str | None = None) -> list[Element]:
        found: list[Element] = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag and (cls is None or cls in child.classes):
                    found.append(child)
                found.extend(child.all(tag, cls))
        return found


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        names = [e.tag for e in self.open]
        assert tag in names, f"</{tag}> closes nothing open"
        while self.open.pop().tag != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def dom(markup: str) -> tuple[Element, str]:
    builder = _Builder()
    builder.feed(markup)
    builder.close()
    assert [e.tag for e in builder.open] == ["#document"], "elements left open"
    return builder.root, builder.doctype


# -- what the report shows -------------------------------------------------------------------------


def check_report_dom(root: Element, export: ExportSet) -> None:
    """The sample's report, as our own markup or as the browser's DOM."""
    assert root.all("script") == []
    assert [e.text for e in root.all("h1")] == ["Annotation report"]
    titles = [e.text for e in root.all("h2")]
    assert titles[0] == "Summary" and titles[-1].startswith("Entity corrections")
    shown = sorted(titles[1:-1])
    expected = {a.title for a in export.articles.values()} | {
        "Putin is helping Hamas to hurt the West"
    }
    assert {t.split(". ", 1)[1] for t in shown} == expected
    assert len(shown) == len(export.articles) + 1  # and the text version the export lacks

    quotes = [q.text for q in root.all("blockquote")]
    for record in export.annotations:
        if record.quote.strip() and "\n" not in record.quote:
            assert record.quote.strip() in quotes, record.id
    # A note on a tagged span is under each label's tags on it (claim and opinion), not on
    # its own.
    by_id = {a.id: a for a in export.annotations}
    op_quote = by_id["t-op"].quote
    with_note = [p for p in root.all("div", "passage") if p.all("blockquote")[0].text == op_quote]
    assert len(with_note) == 2
    for passage in with_note:
        (note,) = passage.all("li", "note")
        assert "Both a claim and an opinion here." in note.text
    # The note on the whole first paragraph is under both annotators' claims of it.
    sentence = [
        p
        for p in root.all("div", "passage")
        if p.all("blockquote")[0].text == by_id["t-claim-sentence"].quote
    ]
    (claimed,) = sentence
    assert [li.all("span", "who")[0].text for li in claimed.all("li", "tag")] == ["ann", "bob"]
    note_paragraphs = claimed.all("div", "note-text")[0].all("p")
    assert [p.text for p in note_paragraphs] == [
        "First paragraph of a note.Its second line.",
        "A second paragraph.",
    ]
    # A note on a span no tag has is a passage of its own, in the notes group.
    (notes_group,) = [
        s for s in root.all("section", "label") if s.all("h3")[0].text.startswith("Notes")
    ]
    assert [p.all("blockquote")[0].text for p in notes_group.all("div", "passage")] == [
        "obscene step"
    ]
    page = root.text
    assert "anchoring: fuzzy, score 0.81" in page
    assert "edited 2026-12-04" in page
    assert "The text of this version is not in the export." in page
    assert "The quote is not the text at its offsets in this version." in page
    assert page.count("Entities not known.") == 4  # three without entities, one without text
    assert "No entities found." in page
    entity_lines = [
        dt.text + " " + dd.text for dt, dd in zip(root.all("dt"), root.all("dd"), strict=True)
    ]
    assert "GPE (2) Iran, Moscow" in entity_lines
    assert "add “axis of terror” as EVENT in telegraph-putin-axis-of-terror" in page
    assert "merge “putin” and “vladimir putin” (one entity)" in page


def test_html_is_a_well_formed_page_that_shows_everything(export: ExportSet) -> None:
    page = "".join(write_html(export))
    root, doctype = dom(page)
    assert doctype.lower() == "doctype html"
    (document,) = root.all("html")
    assert document.attrs["lang"] == "en"
    assert root.all("meta")[0].attrs == {"charset": "utf-8"}
    check_report_dom(root, export)


def test_html_loads_nothing_from_outside(export: ExportSet) -> None:
    root, _ = dom("".join(write_html(export)))
    for tag_name in ("script", "link", "img", "iframe", "object", "embed", "source"):
        assert root.all(tag_name) == [], tag_name
    for anchor in root.all("a"):
        assert (anchor.attrs.get("href") or "").startswith("#article-")
    (style,) = root.all("style")
    assert "url(" not in style.text and "@import" not in style.text
    assert "prefers-color-scheme: dark" in style.text and "@media print" in style.text


def test_markdown_renders_to_the_report(export: ExportSet) -> None:
    text = "".join(write_markdown(export))
    root, _ = dom(MarkdownIt("commonmark").enable("table").render(text))
    assert [e.text for e in root.all("h1")] == ["Annotation report"]
    headings = [e.text for e in root.all("h2")]
    assert headings[:2] == [
        "Summary",
        "1. Iran’s War Against Israel and the US Has Russia’s Backing",
    ]
    assert headings[-1] == "Entity corrections (4)"
    quotes = [" ".join(q.text.split()) for q in root.all("blockquote")]
    by_id = {a.id: a for a in export.annotations}
    for record in by_id.values():
        if record.quote.strip():
            assert " ".join(record.quote.split()) in quotes, record.id
    # The two-paragraph note stays in its list item, after the tags of its passage.
    (item,) = [li for li in root.all("li") if "First paragraph of a note." in li.text]
    assert [p.text for p in item.all("p")] == [
        "Note by ann on 2026-12-01: First paragraph of a note.\nIts second line.",
        "A second paragraph.",
    ]
    assert root.all("br")  # the hard break inside the note's first paragraph


# -- hostile text stays text -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> ExportSet:
    text = HOSTILE_ARTICLE_TEXT
    whole = Annotation.create(
        article="<b>evil</b>",
        text=text,
        start=0,
        end=len(text),
        annotator="<i>eve</i> # *",
        label="[lab](javascript:x)",
        title="# <script>alert(3)</script> | [t](javascript:y)",
        source="javascript:alert(4)",
        now=T0,
    ).evolve(id="h-tag")
    note = Annotation.create(
        article=whole.article,
        text=text,
        start=0,
        end=len(text),
        annotator="eve",
        note=HOSTILE_NOTE,
        title=whole.title,
        now=T0,
    ).evolve(id="h-note")
    alone = Annotation.create(
        article=whole.article,
        text=text,
        start=0,
        end=len("Plain opening line."),
        annotator="eve",
        note=HOSTILE_NOTE,
        title=whole.title,
        now=T0,
    ).evolve(id="h-note-alone")
    start, end = span_of(text, "<img src=x onerror=alert(2)>")
    entities = ((start, end, "<script>"), (0, 5, "# H"))
    exported = ExportArticle(
        id=whole.article,
        sha256=whole.article_sha256,
        title=whole.title,
        source=whole.source,
        text=text,
        outlet="<em>outlet</em>",
        entities=entities,
    )
    return ExportSet(annotations=[whole, note, alone], articles={whole.article_sha256: exported})


def hostile_lines() -> list[str]:
    return [line.strip() for line in HOSTILE_ARTICLE_TEXT.splitlines()]


def test_markdown_escapes_hostile_text(hostile: ExportSet) -> None:
    text = "".join(write_markdown(hostile))
    assert "\x1b" not in text and "\x07" not in text
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    root, _ = dom(rendered)
    # Only the structure the report makes: no raw HTML, links, code, tables, rules or lists of
    # the user's.
    for tag_name in ("script", "img", "a", "code", "pre", "table", "hr", "em", "s"):
        assert root.all(tag_name) == [], tag_name
    assert len(root.all("h1")) == 1
    assert [e.text for e in root.all("h2")][1] == (
        "1. # <script>alert(3)</script> | [t](javascript:y)"
    )
    assert [e.text for e in root.all("h3")] == [
        "[lab](javascript:x) (1)",
        "Notes (1)",
        "Entities",
    ]
    # The quote, line for line, one blockquote (its own "</blockquote>" did not end it).
    first = root.all("blockquote")[0]
    assert first.text.strip().split("\n") == hostile_lines()
    assert first.all("blockquote") == [] and first.all("ul") == [] and first.all("ol") == []
    note_items = [li for li in root.all("li") if "Note by" in li.text]
    assert len(note_items) == 2
    for item in note_items:
        lines = item.text.split("\n")
        assert lines[0].endswith("<script>alert(1)</script>")
        assert lines[1:] == [
            "</blockquote>",
            "# heading",
            "[x](javascript:alert(1))",
            SHOWN_ESCAPE,
        ]
    tag_line = next(li.text for li in root.all("li") if li.text.startswith("tagged by"))
    assert tag_line == "tagged by <i>eve</i> # * on 2026-12-01"
    assert "<script> (1): <img src=x onerror=alert(2)>" in [li.text for li in root.all("li")]
    assert "<em>outlet</em> · source: javascript:alert(4)" in root.text


def test_html_escapes_hostile_text(hostile: ExportSet) -> None:
    page = "".join(write_html(hostile))
    assert "\x1b" not in page and "\x07" not in page
    root, _ = dom(page)
    check_hostile_dom(root)


def check_hostile_dom(root: Element) -> None:
    for tag_name in ("script", "img", "i", "em", "b"):
        assert root.all(tag_name) == [], tag_name
    assert [a.attrs.get("href") for a in root.all("a")] == ["#article-1"]
    title = "1. # <script>alert(3)</script> | [t](javascript:y)"
    assert [e.text for e in root.all("h2")] == ["Summary", title]
    blockquotes = root.all("blockquote")
    assert len(blockquotes) == 2
    paragraph = blockquotes[0].all("p")[0]
    assert [c for c in paragraph.children if isinstance(c, str)] == hostile_lines()
    notes = root.all("div", "note-text")
    assert len(notes) == 2
    for note in notes:
        (paragraph,) = note.all("p")
        assert [c for c in paragraph.children if isinstance(c, str)] == [
            "<script>alert(1)</script>",
            "</blockquote>",
            "# heading",
            "[x](javascript:alert(1))",
            SHOWN_ESCAPE,
        ]
    who = [e.text for e in root.all("span", "who")]
    assert who == ["<i>eve</i> # *", "eve", "eve"]
    assert "<script> (1)" in [dt.text for dt in root.all("dt")]


def test_control_characters_and_odd_line_breaks_are_shown_not_obeyed() -> None:
    text = "a\u2028b\x00c\x9bd\x7fe\ud800f\rg"
    assert printable_lines(text) == ["a", "b␀c\ufffdd␡e\ufffdf", "g"]
    assert md("1. x") == "1\\. x"
    assert md("- x") == "\\- x"


# -- a real browser --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must check the HTML report in a browser, but {CHROMIUM} is absent")
        pytest.skip(f"{CHROMIUM} is absent: the HTML report is not checked in a real browser")
    return CHROMIUM


def run_chromium(
    browser: Path, tmp_path: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    result = subprocess.run(
        [str(browser), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_the_browser_shows_the_report(export: ExportSet, chromium: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    export_to_path(export, "html", page)
    result = run_chromium(chromium, tmp_path, "--dump-dom", page.as_uri())
    root, _ = dom(result.stdout)
    check_report_dom(root, export)


def test_the_browser_keeps_hostile_text_as_text(
    hostile: ExportSet, chromium: Path, tmp_path: Path
) -> None:
    page = tmp_path / "hostile.html"
    export_to_path(hostile, "html", page)
    result = run_chromium(chromium, tmp_path, "--dump-dom", page.as_uri())
    root, _ = dom(result.stdout)
    check_hostile_dom(root)


def test_screenshots_in_light_and_dark(export: ExportSet, chromium: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    export_to_path(export, "html", page)
    shots = {}
    for scheme, extra in (("light", []), ("dark", ["--force-dark-mode"])):
        shot = tmp_path / f"{scheme}.png"
        run_chromium(
            chromium,
            tmp_path,
            *extra,
            f"--screenshot={shot}",
            "--window-size=900,1400",
            page.as_uri(),
        )
        assert shot.exists()
        shots[scheme] = png_summary(shot.read_bytes())
    for size, corner in shots.values():
        assert size == (900, 1400)
        del corner
    assert Path(tmp_path / "light.png").stat().st_size > 30_000  # text, not a blank page
    light, dark = shots["light"][1], shots["dark"][1]
    assert sum(light) > 600, light  # the page's background, top left
    assert sum(dark) < 150, dark


def test_the_report_prints(export: ExportSet, chromium: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    export_to_path(export, "html", page)
    pdf = tmp_path / "report.pdf"
    run_chromium(
        chromium, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = re.search(rb"/Count (\d+)", data)
    assert pages is not None and int(pages[1]) >= 2, "the whole report, over several pages"


def png_summary(data: bytes) -> tuple[tuple[int, int], tuple[int, int, int]]:
    """A PNG's size and the colour of its top-left pixel (8-bit RGB or RGBA)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    # The first row's first pixel is stored as is, whatever the row's filter.
    raw = zlib.decompressobj().decompress(idat, 16)
    red, green, blue = raw[1], raw[2], raw[3]
    return (width, height), (red, green, blue)


# -- the command -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_export_command_writes_the_report(tmp_path: Path, fmt: str) -> None:
    """`reader export --format html -o report.html`, and `--format md` to standard output."""
    telegraph = article(TELEGRAPH)
    db = tmp_path / "annotations.json"
    claim = span_of(telegraph.text, "Hamas praised Putin personally")
    made = Annotation.create(
        article=telegraph.id,
        text=telegraph.text,
        start=claim[0],
        end=claim[1],
        annotator="ann",
        label="claim",
    )
    with AnnotationStore(db) as store:
        store.add(made)
        store.add(
            Annotation.create(
                article=telegraph.id,
                text=telegraph.text,
                start=claim[0],
                end=claim[1],
                annotator="ann",
                note="<script>alert(1)</script>",
            )
        )
    out = tmp_path / "report.html"
    command = [sys.executable, "-m", "reader", "export", "--format", fmt]
    if fmt == "html":
        command += ["-o", str(out)]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**os.environ, "READER_DB": str(db), "READER_CACHE_DIR": str(tmp_path / "cache")},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    if fmt == "html":
        page = out.read_text(encoding="utf-8")
        assert page.startswith("<!doctype html>")
        root, _ = dom(page)
        assert [q.text for q in root.all("blockquote")] == ["Hamas praised Putin personally"]
        assert root.all("script") == []
        assert html.escape("<script>alert(1)</script>") in page
    else:
        assert result.stdout.startswith("# Annotation report\n")
        assert "> Hamas praised Putin personally\n" in result.stdout
        assert "\\<script\\>alert(1)\\</script\\>" in result.stdout
        assert "Entities not known." in result.stdout  # nothing cached: `reader ner` never ran


def test_an_empty_export_is_a_short_report() -> None:
    empty = ExportSet(annotations=[])
    assert "Nothing to report" in "".join(write_markdown(empty))
    root, _ = dom("".join(write_html(empty)))
    assert "Nothing to report" in root.text and root.all("article") == []
