from pathlib import Path

import pytest

from annotations.model import Annotation
from annotations.store import ANNOTATIONS, AnnotationStore, StoreError

TEXTS = {
    "a": "First article. It says things, some “quoted”.",
    "b": "Second article: a claim, an opinion, a rumour.",
}


def annotate(
    article: str, start: int, end: int, label: str = "claim", annotator: str = "ana"
) -> Annotation:
    return Annotation.create(
        article=article,
        text=TEXTS[article],
        start=start,
        end=end,
        label=label,
        annotator=annotator,
    )


def note(article: str, start: int, end: int, text: str, annotator: str = "ana") -> Annotation:
    return Annotation.create(
        article=article, text=TEXTS[article], start=start, end=end, note=text, annotator=annotator
    )


def reopen(path: Path) -> AnnotationStore:
    """A second store on the same files: it sees only what is on disk (snapshot + journal)."""
    return AnnotationStore(path)


def on_disk(path: Path) -> list[Annotation]:
    """Every annotation a second store reads from the files right now."""
    other = AnnotationStore(path)
    try:
        return other.all()
    finally:
        other.close()


def test_add_get_len(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    assert len(store) == 0
    annotation = annotate("a", 0, 5)
    store.add(annotation)
    assert store.annotation(annotation.id) == annotation
    assert store.get(ANNOTATIONS, annotation.id) == annotation  # the generic accessor
    assert store.annotation("no-such-id") is None
    assert len(store) == 1
    assert store.path == tmp_path / "db.json"


def test_adding_the_same_id_twice_is_refused(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    annotation = annotate("a", 0, 5)
    store.add(annotation)
    with pytest.raises(ValueError, match="already stored"):
        store.add(annotation.evolve(label="opinion"))
    assert store.annotation(annotation.id) == annotation
    assert on_disk(store.path) == [annotation]


def test_remove_returns_the_removed_annotation(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    kept, removed = annotate("a", 0, 5), annotate("a", 6, 13)
    store.add(kept)
    store.add(removed)
    assert store.remove(removed.id) == removed
    assert store.annotation(removed.id) is None
    assert store.remove(removed.id) is None
    assert store.for_article("a") == [kept]
    assert len(store) == 1


def test_update_replaces_by_id(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    annotation = note("a", 0, 5, "first thoughts")
    store.add(annotation)
    edited = annotation.with_note("needs a source")
    store.update(edited)
    assert store.annotation(annotation.id) == edited
    assert len(store) == 1
    relabelled = annotate("a", 6, 13)
    store.add(relabelled)
    store.update(relabelled.evolve(label="opinion"))
    assert store.annotation(relabelled.id).label == "opinion"  # type: ignore[union-attr]
    assert store.label_counts() == {"opinion": 1}
    with pytest.raises(KeyError):
        store.update(annotate("a", 15, 19))
    assert len(store) == 2


def test_for_article_is_in_reading_order(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    late = annotate("a", 15, 19)
    long_first = annotate("a", 0, 13, "opinion")
    short_first = annotate("a", 0, 5, "unverified")
    same_span_claim = annotate("a", 0, 5, "claim")
    other = annotate("b", 0, 6)
    for annotation in (late, long_first, other, short_first, same_span_claim):
        store.add(annotation)
    expected = [same_span_claim, short_first, long_first, late]
    assert store.for_article("a") == expected
    assert store.for_article("b") == [other]
    assert store.for_article("unknown") == []
    assert store.all() == [*expected, other]


def test_find_matches_article_span_and_label_exactly(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    annotation = annotate("a", 6, 13, "opinion")
    store.add(annotation)
    store.add(annotate("b", 6, 13, "claim"))
    assert store.find("a", 6, 13, "opinion") == annotation
    assert store.find("a", 6, 13, "claim") is None
    assert store.find("a", 6, 14, "opinion") is None
    assert store.find("a", 5, 13, "opinion") is None
    assert store.find("c", 6, 13, "opinion") is None


def test_everything_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with AnnotationStore(path) as store:
        first, second, third = annotate("a", 0, 5), annotate("b", 0, 6), note("a", 6, 13, "x")
        for annotation in (first, second, third):
            store.add(annotation)
        store.remove(second.id)
        store.update(third.with_note("edited"))
        expected = store.all()
    with reopen(path) as again:
        assert again.all() == expected
        assert again.annotation(third.id) is not None
        assert again.annotation(third.id).note == "edited"  # type: ignore[union-attr]
        # New documents after a reopen do not collide with the ones on disk.
        fourth = annotate("b", 7, 14)
        again.add(fourth)
    assert on_disk(path) == sorted(
        [*expected, fourth], key=lambda a: (a.article, a.start, a.end, a.motivation, a.label)
    )


def test_every_mutation_is_on_disk_when_the_call_returns(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = AnnotationStore(path)
    annotation = note("a", 0, 5, "first")
    label = annotate("a", 0, 5)

    store.add(annotation)
    assert on_disk(path) == [annotation]

    edited = annotation.with_note("checked")
    store.update(edited)
    assert on_disk(path) == [edited]

    with store.transaction() as transaction:
        transaction.add(ANNOTATIONS, label)
        transaction.remove(ANNOTATIONS, annotation.id)
    assert on_disk(path) == [label]

    store.remove(label.id)
    assert on_disk(path) == []
    # Still open: nothing above waited for close() to reach the disk.
    assert len(store) == 0
    store.close()
    assert on_disk(path) == []


def test_a_second_store_sees_the_first_ones_saves_through_refresh(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with AnnotationStore(path) as mine, AnnotationStore(path) as theirs:
        annotation = annotate("a", 0, 5, annotator="bob")
        theirs.add(annotation)
        assert mine.annotation(annotation.id) is None  # not until it looks
        assert mine.refresh()
        assert mine.annotation(annotation.id) == annotation
        assert not mine.refresh()  # nothing new since
        mine.add(annotate("a", 6, 13))
        theirs.refresh()
        assert len(theirs) == 2


def test_opening_does_not_create_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "db.json"
    with AnnotationStore(path) as store:
        assert store.all() == []
    assert not (tmp_path / "sub").exists()


def test_closed_store_refuses_use(tmp_path: Path) -> None:
    with AnnotationStore(tmp_path / "db.json") as store:
        pass
    with pytest.raises(StoreError, match="closed"):
        store.add(annotate("a", 0, 5))
    with pytest.raises(StoreError, match="closed"):
        store.all()
    store.close()  # closing twice is harmless


def test_label_counts_per_article_and_in_all(tmp_path: Path) -> None:
    from annotations.model import Annotation

    text = "One claim here. Another one there."
    store = AnnotationStore(tmp_path / "db.json")
    for article, start, end, label in (
        ("a", 0, 15, "claim"),
        ("a", 0, 15, "opinion"),
        ("a", 16, 34, "claim"),
        ("b", 0, 15, "unverified"),
    ):
        store.add(
            Annotation.create(
                article=article, text=text, start=start, end=end, label=label, annotator="t"
            )
        )
    assert store.label_counts("a") == {"claim": 2, "opinion": 1}
    assert store.label_counts("b") == {"unverified": 1}
    assert store.label_counts("nowhere") == {}
    assert store.label_counts() == {"claim": 2, "opinion": 1, "unverified": 1}
    sha = store.for_article("a")[0].article_sha256
    assert store.label_counts(sha256=sha) == {"claim": 2, "opinion": 1, "unverified": 1}
    # Notes are not labels: they are never counted.
    store.add(Annotation.create(article="a", text=text, start=0, end=15, note="hm", annotator="t"))
    assert store.label_counts("a") == {"claim": 2, "opinion": 1}
    assert store.label_counts() == {"claim": 2, "opinion": 1, "unverified": 1}
    store.remove(next(a for a in store.for_article("a") if a.is_tag).id)
    assert sum(store.label_counts().values()) == 3


def test_a_note_sorts_after_the_labels_of_its_span(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    comment = note("a", 0, 5, "hm")
    claim = annotate("a", 0, 5, "claim")
    opinion = annotate("a", 0, 5, "opinion")
    for annotation in (comment, opinion, claim):
        store.add(annotation)
    assert store.for_article("a") == [claim, opinion, comment]


def test_for_article_by_text_finds_copies_and_skips_orphans(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    here = annotate("a", 0, 5)
    copied = Annotation.create(
        article="a-copy", text=TEXTS["a"], start=6, end=13, label="opinion", annotator="ana"
    )
    lost = annotate("a", 15, 19).evolve(anchor="orphan", anchor_score=0.0)
    other_version = annotate("a", 0, 5).evolve(article_sha256="another-version")
    for annotation in (here, copied, lost, other_version):
        store.add(annotation)
    assert store.for_article("a", here.article_sha256) == [here, copied]
    assert store.orphans() == [lost]
    assert store.orphans("a") == [lost]
    assert store.orphans("b") == []


def test_query_matches_every_given_criterion(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    mine = annotate("a", 0, 5, "claim")
    theirs = annotate("a", 6, 13, "claim", annotator="bob")
    comment = note("b", 0, 6, "hm", annotator="bob")
    for annotation in (mine, theirs, comment):
        store.add(annotation)
    assert store.query(annotator="bob") == [theirs, comment]
    assert store.query(label="claim") == [mine, theirs]
    assert store.query(motivation="commenting") == [comment]
    assert store.query(article="a", annotator="bob") == [theirs]
    assert store.query(sha256=comment.article_sha256) == [comment]
    assert store.query(since=comment.modified) == [comment]
    assert store.query(until=mine.modified) == []
    assert store.annotators() == {"ana", "bob"}


def test_find_can_ask_for_one_annotator(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    theirs = annotate("a", 0, 5, annotator="bob")
    store.add(theirs)
    assert store.find("a", 0, 5, "claim") == theirs
    assert store.find("a", 0, 5, "claim", annotator="bob") == theirs
    assert store.find("a", 0, 5, "claim", annotator="ana") is None
