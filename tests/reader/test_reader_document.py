"""reader.document: the sentence cursor over one article, and marks (labels, notes) by span."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.model import Annotation
from corpus.loader import bundled_articles, load_article
from corpus.model import Article
from reader.document import ReadingDocument, SpanMarks


@pytest.fixture(scope="module")
def rogin() -> Article:
    """The bundled article with chrome at its start, in its middle and at its end."""
    article = next(a for a in bundled_articles() if a.id == "rogin-putin-helping-hamas-hurt-west")
    first, last = article.sentences[0], article.sentences[-1]
    assert article.is_chrome(*first) and article.is_chrome(*last)
    assert any(article.is_chrome(*s) for s in article.sentences[1:-1])
    return article


def chrome_indices(article: Article) -> set[int]:
    return {i for i, span in enumerate(article.sentences) if article.is_chrome(*span)}


def walk(document: ReadingDocument) -> list[int]:
    """Cursor positions from the first reachable sentence to the last, pressing 'next'."""
    document.move_to_end(last=False)
    assert document.cursor is not None
    seen = [document.cursor]
    while document.move(1):
        seen.append(document.cursor)
    return seen


def test_cursor_starts_on_the_first_sentence_that_is_not_chrome(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    assert document.cursor == 1
    assert document.current == rogin.sentences[1]
    assert rogin.text[slice(*document.current)].startswith("Opinion Putin is helping Hamas")


def test_moving_skips_folded_chrome(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    visited = walk(document)
    chrome = chrome_indices(rogin)
    assert not chrome & set(visited)
    assert visited == [i for i in range(len(rogin.sentences)) if i not in chrome]


def test_show_chrome_makes_every_sentence_reachable(rogin: Article) -> None:
    document = ReadingDocument(rogin, show_chrome=True)
    assert document.cursor == 0
    assert walk(document) == list(range(len(rogin.sentences)))


def test_hiding_chrome_moves_a_cursor_off_it_to_the_next_reachable_sentence(
    rogin: Article,
) -> None:
    document = ReadingDocument(rogin, show_chrome=True)
    middle = min(chrome_indices(rogin) - {0})
    document.move(middle)
    assert document.cursor == middle
    document.show_chrome = False
    assert document.cursor is not None and document.cursor > middle
    assert document.cursor not in chrome_indices(rogin)
    assert all(i in chrome_indices(rogin) for i in range(middle, document.cursor))


def test_hiding_chrome_at_the_very_end_moves_the_cursor_back(rogin: Article) -> None:
    document = ReadingDocument(rogin, show_chrome=True)
    document.move_to_end(last=True)
    assert document.cursor == len(rogin.sentences) - 1
    document.show_chrome = False
    last_reachable = max(set(range(len(rogin.sentences))) - chrome_indices(rogin))
    assert document.cursor == last_reachable


def test_move_stops_at_both_ends(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    start = document.cursor
    assert document.move(-1) is False
    assert document.cursor == start
    assert document.move(10_000) is True
    end = document.cursor
    assert document.move(1) is False
    assert document.cursor == end
    assert document.move(-10_000) is True
    assert document.cursor == start


def test_move_by_several(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    order = walk(document)
    document.move_to_end(last=False)
    document.move(3)
    assert document.cursor == order[3]
    document.move(-2)
    assert document.cursor == order[1]


def test_move_to_end_reports_whether_it_moved(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    assert document.move_to_end(last=False) is False
    assert document.move_to_end(last=True) is True
    assert document.move_to_end(last=True) is False


def test_sentence_at_an_offset_inside_a_sentence(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    start, end = rogin.sentences[5]
    assert document.sentence_at(start) == 5
    assert document.sentence_at((start + end) // 2) == 5
    assert document.sentence_at(end - 1) == 5


def test_sentence_at_whitespace_between_sentences_is_the_next_one(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    end_of_5 = rogin.sentences[5][1]
    assert rogin.text[end_of_5].isspace()
    assert document.sentence_at(end_of_5) == 6


def test_sentence_at_folded_chrome_is_the_next_reachable_sentence(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    assert document.sentence_at(3) == 1  # inside "Saved Web Pages", which is folded
    document.show_chrome = True
    assert document.sentence_at(3) == 0


def test_sentence_at_past_the_end_is_the_last_reachable(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    last_reachable = walk(document)[-1]
    assert document.sentence_at(len(rogin.text)) == last_reachable


def test_move_to_offset(rogin: Article) -> None:
    document = ReadingDocument(rogin)
    start, _ = rogin.sentences[7]
    assert document.move_to_offset(start + 2) is True
    assert document.cursor == 7
    assert document.move_to_offset(start) is True  # the caret moved within the sentence
    assert document.caret == start
    assert document.move_to_offset(start) is False  # already there
    assert document.current == rogin.sentences[7]


def test_an_article_that_is_all_chrome_has_no_cursor(tmp_path: Path) -> None:
    path = tmp_path / "plugs.txt"
    path.write_text("Subscribe now\n\nSign in\n", encoding="utf-8")
    article = load_article(path)
    document = ReadingDocument(article)
    assert document.cursor is None and document.current is None
    assert document.move(1) is False
    assert document.move_to_end(last=True) is False
    assert document.move_to_offset(0) is False
    document.show_chrome = True
    assert document.current == article.sentences[0]
    assert document.move_to_end(last=True) is True
    assert document.current == article.sentences[-1]


def test_showing_chrome_gives_an_all_chrome_article_a_cursor(tmp_path: Path) -> None:
    path = tmp_path / "plugs.txt"
    path.write_text("Subscribe now\n\nSign in\n", encoding="utf-8")
    article = load_article(path)
    document = ReadingDocument(article)
    document.show_chrome = True
    document.move(1)
    assert document.current in article.sentences


TEXT = "One sentence. Another one. A third."
SENTENCES = [(0, 13), (14, 26), (27, 35)]


def annotate(
    start: int, end: int, label: str = "", note: str = "", annotator: str = "ana"
) -> Annotation:
    return Annotation.create(
        article="a", text=TEXT, start=start, end=end, label=label, note=note, annotator=annotator
    )


def test_span_marks_group_your_labels_in_label_order() -> None:
    annotations = [
        annotate(0, 13, "unverified"),
        annotate(14, 26, "opinion"),
        annotate(0, 13, "claim"),
        annotate(0, 13, "opinion"),
    ]
    marks = SpanMarks.of(annotations, SENTENCES, "ana")
    assert marks.tags == {(0, 13): ("claim", "opinion", "unverified"), (14, 26): ("opinion",)}
    assert marks.others == {}
    assert marks.notes == {}


def test_span_marks_keep_nested_annotations_apart_by_span() -> None:
    # The same label on a sentence and on a phrase inside it: two passages, both kept.
    marks = SpanMarks.of([annotate(0, 13, "claim"), annotate(0, 3, "claim")], SENTENCES, "ana")
    assert marks.tags == {(0, 13): ("claim",), (0, 3): ("claim",)}
    assert [m.span for m in marks.at(1)] == [(0, 3), (0, 13)]  # innermost first
    assert [m.span for m in marks.at(5)] == [(0, 13)]
    empty = SpanMarks.of([], SENTENCES, "ana")
    assert (empty.tags, empty.others, empty.notes) == ({}, {}, {})


def test_labels_outside_the_default_set_come_after_it_by_name() -> None:
    annotations = [annotate(0, 13, "zeal"), annotate(0, 13, "bias"), annotate(0, 13, "opinion")]
    marks = SpanMarks.of(annotations, SENTENCES, "ana")
    assert marks.tags == {(0, 13): ("opinion", "bias", "zeal")}


def test_other_annotators_labels_are_apart_from_yours() -> None:
    annotations = [
        annotate(0, 13, "claim"),
        annotate(0, 13, "claim", annotator="bob"),  # also yours: shown once, as yours
        annotate(0, 13, "opinion", annotator="bob"),
        annotate(14, 26, "unverified", annotator="cy"),
    ]
    marks = SpanMarks.of(annotations, SENTENCES, "ana")
    assert marks.tags == {(0, 13): ("claim",)}
    assert marks.others == {(0, 13): ("opinion",), (14, 26): ("unverified",)}
    # The same records seen by bob.
    as_bob = SpanMarks.of(annotations, SENTENCES, "bob")
    assert as_bob.tags == {(0, 13): ("claim", "opinion")}
    assert as_bob.others == {(14, 26): ("unverified",)}


def test_span_marks_carry_notes_yours_first_then_others_with_their_name() -> None:
    annotations = [
        annotate(0, 13, note="bob: not me", annotator="bob"),
        annotate(0, 13, "claim"),
        annotate(0, 13, note="check the date"),
        annotate(14, 26, note="says who?", annotator="cy"),
    ]
    marks = SpanMarks.of(annotations, SENTENCES, "ana")
    assert marks.notes == {
        (0, 13): "check the date · bob: bob: not me",
        (14, 26): "cy: says who?",
    }
    # A note is not a label: the noted sentence without a label has no tags.
    assert marks.tags == {(0, 13): ("claim",)}
    assert marks.others == {}
    assert SpanMarks().notes == {}


def test_a_note_without_any_label_is_shown() -> None:
    marks = SpanMarks.of([annotate(14, 26, note="just a thought")], SENTENCES, "ana")
    assert marks.notes == {(14, 26): "just a thought"}
    assert marks.tags == {}


def test_an_annotation_is_found_from_every_sentence_it_overlaps() -> None:
    # From the middle of the first sentence to the middle of the third.
    across = annotate(4, 30, "claim")
    note = annotate(20, 35, note="two sentences")
    marks = SpanMarks.of([across, note], SENTENCES, "ana")
    assert marks.tags == {(4, 30): ("claim",)}
    assert marks.notes == {(20, 35): "two sentences"}
    for sentence in SENTENCES:
        assert any(m.label == "claim" for m in marks.overlapping(*sentence))
    assert [m.note for m in marks.overlapping(0, 13)] == [""]


def test_an_annotation_ending_where_a_sentence_starts_is_not_on_it() -> None:
    # Half-open spans: (0, 14) ends at the start of the second sentence; (13, 14) is the space.
    marks = SpanMarks.of([annotate(0, 14, "claim")], SENTENCES, "ana")
    assert marks.overlapping(0, 13) and not marks.overlapping(14, 26)
    between = SpanMarks.of([annotate(13, 14, "opinion")], SENTENCES, "ana")
    assert not between.overlapping(0, 13) and not between.overlapping(14, 26)


def test_f_while_sentences_are_still_being_found_keeps_the_reachable_ones_exact(
    tmp_path: Path,
) -> None:
    """The reachable sentences of each chrome setting are kept for the next `f` and brought
    up to date with the sentences found since: they must equal a count made from scratch."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from make_long_article import long_article_text

    path = tmp_path / "long.txt"
    path.write_text(long_article_text(300_000, seed=4), encoding="utf-8")
    article = load_article(path)
    assert article.chrome
    document = ReadingDocument(article)
    assert not document.complete

    def exact() -> bool:
        shown = document.show_chrome
        expected = [i for i, c in enumerate(document._in_chrome) if shown or not c]
        starts = [document.sentences[i][0] for i in expected]
        return (
            document._reachable == expected
            and document._reachable_set == set(expected)
            and document._reachable_starts == starts
        )

    for step, show in enumerate((True, True, False, True, False, False, True, False)):
        document.show_chrome = show
        assert exact(), show
        document.segment_more()
        if step % 3 != 1:  # as the view does in the background, now and then
            document.prepare_other_chrome()
        assert exact(), show
    while not document.segment_more():
        pass
    document.show_chrome = not document.show_chrome
    assert exact()


def test_sentences_found_in_background_slices_are_those_of_the_whole_text(
    tmp_path: Path,
) -> None:
    """The view finds a long article's sentences a slice at a time (`segment_some`, a few ms
    each, so that a key is not kept waiting): the same sentences as the whole text's, in
    many slices, each stopping soon after its budget."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from make_long_article import long_article_text

    from reader.document import SEGMENT_SLICE_CHARS

    path = tmp_path / "long.txt"
    path.write_text(long_article_text(600_000, seed=8), encoding="utf-8")
    article = load_article(path)
    document = ReadingDocument(article)
    slices = 0
    while True:
        found_before = document._segmented_to
        done = document.segment_some(0.0)  # past its budget at once: one step each
        slices += 1
        # One step of about SEGMENT_SLICE_CHARS (to the end of a line), not the rest.
        assert document._segmented_to - found_before <= SEGMENT_SLICE_CHARS + 5_000
        if done:
            break
    assert slices > 10
    assert document.complete and tuple(document.sentences) == article.sentences
    assert ReadingDocument(article).segment_some(60.0)  # a budget long enough finishes
