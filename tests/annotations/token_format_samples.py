"""An export of the bundled articles for the token formats' tests (spaCy DocBin, CoNLL).

Real article text, tags found in it by their words, each case the token formats must handle:
nested and overlapping tags of two labels and of one, a tag across a paragraph break, tags
ending inside a token or with whitespace at their ends, a tag of whitespace alone, a tag whose
quote is not at its offsets, a label with a space, a note, entities known, known to be none,
and unknown. Ids and times are fixed so the golden files do not change from run to run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from annotations.formats import ExportArticle, ExportSet
from annotations.model import Annotation
from corpus.loader import bundled_articles
from corpus.model import Article

T0 = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)
GOLDEN = Path(__file__).with_name("golden")
# Set to rewrite the golden files from what the code now writes (then read the diff).
UPDATE_GOLDEN = "READER_UPDATE_GOLDEN"

TELEGRAPH = "telegraph-putin-axis-of-terror"
ROGIN = "rogin-putin-helping-hamas-hurt-west"


def article(article_id: str) -> Article:
    return next(a for a in bundled_articles() if a.id == article_id)


def span_of(text: str, words: str, after: str = "") -> tuple[int, int]:
    """Where ``words`` first stand in ``text`` (after the first ``after``, if given)."""
    start = text.index(words, text.index(after) if after else 0)
    return (start, start + len(words))


def tag(
    article: Article,
    span: tuple[int, int],
    label: str,
    tag_id: str,
    annotator: str = "ann",
    *,
    text: str | None = None,
) -> Annotation:
    made = Annotation.create(
        article=article.id,
        text=article.text if text is None else text,
        start=span[0],
        end=span[1],
        annotator=annotator,
        label=label,
        article_sha256=article.sha256,
        source=_source(article),
        title=article.title,
        now=T0,
    )
    return made.evolve(id=tag_id)


def note(article: Article, span: tuple[int, int], words: str, note_id: str) -> Annotation:
    made = Annotation.create(
        article=article.id,
        text=article.text,
        start=span[0],
        end=span[1],
        annotator="ann",
        note=words,
        source=_source(article),
        title=article.title,
        now=T0,
    )
    return made.evolve(id=note_id)


def _source(article: Article) -> str:
    # Relative, so the golden files do not name the checkout's folder.
    return f"corpus/articles/{Path(article.source).name}"


def export_article(
    article: Article, entities: tuple[tuple[int, int, str], ...] | None
) -> ExportArticle:
    return ExportArticle(
        id=article.id,
        sha256=article.sha256,
        title=article.title,
        source=_source(article),
        text=article.text,
        outlet=article.outlet,
        entities=entities,
    )


@dataclass(frozen=True)
class Sample:
    export: ExportSet
    # Tag ids by what they test.
    exact: tuple[str, ...]  # on token boundaries: the span's text is the quote
    trimmed: tuple[str, ...]  # whitespace at their ends
    expanded: tuple[str, ...]  # ending inside a token
    unplaced: tuple[str, ...]  # whitespace alone, or a quote not at its offsets
    # Entities (start, end, label) of the telegraph article by what happens to them.
    exact_entities: tuple[tuple[int, int, str], ...]
    expanded_entities: tuple[tuple[int, int, str], ...]
    unplaced_entities: tuple[tuple[int, int, str], ...]


def sample() -> Sample:
    telegraph, rogin = article(TELEGRAPH), article(ROGIN)
    t = telegraph.text
    sentence = span_of(t, "Vladimir Putin sought to intervene in the Middle Eastern conflict")
    sentence = (sentence[0], t.index("\n", sentence[0]))  # the whole first paragraph
    across = span_of(t, "inviting senior Hamas and Iranian leaders")
    across = (across[0], span_of(t, "In a move condemned by Israel")[1])
    ending = span_of(t, "the Oct 7 terror attacks on Israel")
    stale_text = t[: ending[0]] + "X" * (ending[1] - ending[0]) + t[ending[1] :]
    tags = [
        tag(telegraph, sentence, "claim", "t-claim-sentence"),
        # nested in the claim, another label: both kept, in their own columns
        tag(telegraph, span_of(t, "intervene in the Middle Eastern conflict"), "opinion", "t-op"),
        # overlaps the claim (same label) and runs across a paragraph break
        tag(telegraph, across, "claim", "t-claim-across"),
        # ends inside the token "’s"
        tag(telegraph, span_of(t, "Bogdanov, Putin’"), "claim", "t-claim-mid-token", "bob"),
        # a space at either end; a label with a space in it
        tag(telegraph, (ending[0] - 1, ending[1] + 1), "false context", "t-spaces"),
        # the paragraph break after the headline: whitespace alone
        tag(telegraph, span_of(t, "\n\n"), "claim", "t-whitespace"),
        # made on another text under this one's hash: its quote is not at its offsets
        tag(telegraph, ending, "claim", "t-stale", text=stale_text),
        note(telegraph, span_of(t, "obscene step"), "Israel's words, quoted", "t-note"),
    ]
    r = rogin.text
    tags += [
        tag(
            rogin,
            span_of(r, "Russia is on the side of Hamas and its patron, Iran"),
            "claim",
            "r-claim",
            "bob",
        ),
        tag(
            rogin,
            span_of(r, "Moscow’s interest is in stoking it, not solving it."),
            "opinion",
            "r-op",
            "bob",
        ),
        # right before the last, same label, no overlap: two runs, not one
        tag(
            rogin,
            span_of(r, "The crisis in Israel aids these efforts."),
            "opinion",
            "r-op-before",
            "bob",
        ),
        # "U.S" of the one token "U.S."
        tag(rogin, span_of(r, "U.S"), "unverified", "r-us", "bob"),
    ]
    iranian = span_of(t, "Iranian")
    exact_entities = (
        (*span_of(t, "Moscow"), "GPE"),
        (*span_of(t, "Vladimir Putin"), "PERSON"),
        (*span_of(t, "Thursday"), "DATE"),
        (*span_of(t, "Hamas", after="senior"), "ORG"),
    )
    expanded_entities = ((iranian[0], iranian[0] + 4, "GPE"),)  # "Iran" of "Iranian"
    unplaced_entities = ((iranian[0] + 4, iranian[1], "NORP"),)  # shares the token once widened
    articles = {
        telegraph.sha256: export_article(
            telegraph, (*exact_entities, *expanded_entities, *unplaced_entities)
        ),
        rogin.sha256: export_article(rogin, ()),  # known: the model found none
    }
    for other in bundled_articles():
        articles.setdefault(other.sha256, export_article(other, None))  # unknown
    return Sample(
        export=ExportSet(annotations=tags, articles=articles),
        exact=("t-claim-sentence", "t-op", "t-claim-across", "r-claim", "r-op", "r-op-before"),
        trimmed=("t-spaces",),
        expanded=("t-claim-mid-token", "r-us"),
        unplaced=("t-whitespace", "t-stale"),
        exact_entities=exact_entities,
        expanded_entities=expanded_entities,
        unplaced_entities=unplaced_entities,
    )


class CountingDoc(Doc):
    """A Doc that counts the passes over its tokens: iterating it, as reading ``Doc.text`` does
    (spaCy joins every token's text anew on each read)."""

    passes = 0

    def __iter__(self) -> Iterator[Token]:
        CountingDoc.passes += 1
        return super().__iter__()


def counting_make_doc(nlp: Language, text: str) -> Doc:
    """What make_doc makes, as a CountingDoc: the same tokens through the same pipes (the
    sentencizer too)."""
    made = nlp.make_doc(text)
    doc: Doc = CountingDoc(
        nlp.vocab, words=[t.text for t in made], spaces=[bool(t.whitespace_) for t in made]
    )
    for _, pipe in nlp.pipeline:
        doc = pipe(doc)
    return doc
