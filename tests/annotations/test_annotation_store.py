from pathlib import Path

import pytest

from annotations.model import Annotation
from annotations.store import AnnotationStore, StoreError

TEXTS = {
    "a": "First article. It says things, some “quoted”.",
    "b": "Second article: a claim, an opinion, a rumour.",
}


def annotate(article: str, start: int, end: int, label: str = "claim") -> Annotation:
    return Annotation.create(
        article=article, text=TEXTS[article], start=start, end=end, label=label, annotator="ana"
    )


def reopen(path: Path) -> AnnotationStore:
    return AnnotationStore(path)


def test_add_get_len(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    assert len(store) == 0
    annotation = annotate("a", 0, 5)
    store.add(annotation)
    assert store.get(annotation.id) == annotation
    assert store.get("no-such-id") is None
    assert len(store) == 1
    assert store.path == tmp_path / "db.json"


def test_adding_the_same_id_twice_is_refused(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    annotation = annotate("a", 0, 5)
    store.add(annotation)
    with pytest.raises(ValueError, match="already stored"):
        store.add(annotation.with_note("again"))
    assert store.get(annotation.id) == annotation
    assert len(reopen(store.path)) == 1


def test_remove_returns_the_removed_annotation(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    kept, removed = annotate("a", 0, 5), annotate("a", 6, 13)
    store.add(kept)
    store.add(removed)
    assert store.remove(removed.id) == removed
    assert store.get(removed.id) is None
    assert store.remove(removed.id) is None
    assert store.for_article("a") == [kept]
    assert len(store) == 1


def test_update_replaces_by_id(tmp_path: Path) -> None:
    store = AnnotationStore(tmp_path / "db.json")
    annotation = annotate("a", 0, 5)
    store.add(annotation)
    edited = annotation.with_note("needs a source")
    store.update(edited)
    assert store.get(annotation.id) == edited
    assert len(store) == 1
    with pytest.raises(KeyError):
        store.update(annotate("a", 6, 13))
    assert len(store) == 1


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
        first, second, third = annotate("a", 0, 5), annotate("b", 0, 6), annotate("a", 6, 13)
        for annotation in (first, second, third):
            store.add(annotation)
        store.remove(second.id)
        store.update(third.with_note("edited"))
        expected = store.all()
    with reopen(path) as again:
        assert again.all() == expected
        assert again.get(third.id) is not None
        assert again.get(third.id).note == "edited"  # type: ignore[union-attr]
        # New documents after a reopen do not collide with the ones on disk.
        fourth = annotate("b", 7, 14)
        again.add(fourth)
    assert reopen(path).all() == sorted(
        [*expected, fourth], key=lambda a: (a.article, a.start, a.end, a.label)
    )


def test_every_mutation_is_on_disk_when_the_call_returns(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    store = AnnotationStore(path)
    annotation = annotate("a", 0, 5)

    store.add(annotation)
    assert reopen(path).get(annotation.id) == annotation

    edited = annotation.with_note("checked")
    store.update(edited)
    assert reopen(path).get(annotation.id) == edited

    store.remove(annotation.id)
    assert reopen(path).get(annotation.id) is None
    assert len(reopen(path)) == 0


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
    store.remove(store.for_article("a")[0].id)
    assert sum(store.label_counts().values()) == 3
