"""Agreement figures against published worked examples, and the sentence units and report
built from a real store in tmp_path (`reader agree` itself: tests/reader/test_agree_command.py)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from annotations.agreement import (
    OVERALL,
    agreement_report,
    cohen_kappa,
    combined_unitizing_alpha,
    disagreements,
    krippendorff_alpha,
    sentence_table,
    unitizing_alpha,
    unitizing_disagreement,
)
from annotations.editing import EditSession
from annotations.model import Annotation, text_sha256
from annotations.store import AnnotationStore
from corpus.loader import bundled_articles
from corpus.model import Article


@pytest.fixture(scope="module")
def bundled() -> list[Article]:
    return list(bundled_articles())


def test_cohen_kappa_on_the_textbook_example() -> None:
    """Wikipedia's "Cohen's kappa" worked example: 50 proposals, both yes 20, A yes B no 5,
    A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4."""
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_cohen_kappa_is_one_for_agreement_and_undefined_without_variation() -> None:
    assert cohen_kappa([("a", "a"), ("b", "b"), ("a", "a")]) == pytest.approx(1.0)
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None
    assert cohen_kappa([]) is None


def test_krippendorff_alpha_on_krippendorffs_example() -> None:
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example of 3
    observers, 15 units, missing values: nominal alpha 0.691 (as the krippendorff package's
    README reproduces)."""
    nan = math.nan
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    units = [
        {f"c{c}": data[c][u] for c in range(3) if not math.isnan(data[c][u])} for u in range(15)
    ]
    assert krippendorff_alpha(units) == pytest.approx(0.691, abs=0.0005)


def test_krippendorff_alpha_edge_cases() -> None:
    assert krippendorff_alpha([{"a": "x", "b": "x"}, {"a": "y", "b": "y"}]) == pytest.approx(1.0)
    assert krippendorff_alpha([{"a": "x", "b": "x"}]) is None  # one value: nothing to agree on
    assert krippendorff_alpha([{"a": "x"}, {"a": "y"}]) is None  # one annotator


def tag(store: AnnotationStore, who: str, article: Article, plan: dict[int, str]) -> None:
    session = EditSession(store, who)
    for index, label in plan.items():
        assert session.toggle(article, article.sentences[index], label) is not None


@pytest.fixture
def db(tmp_path: Path, bundled: list[Article]) -> Path:
    path = tmp_path / "db.json"
    first = bundled[0]
    with AnnotationStore(path) as store:
        tag(store, "ana", first, {2: "claim", 3: "claim", 5: "opinion"})
        tag(store, "bo", first, {2: "claim", 3: "opinion", 6: "claim"})
        tag(store, "cy", bundled[1], {1: "claim"})  # alone on its article: not compared
    return path


def texts_of(articles: list[Article]) -> dict[str, tuple[str, str, tuple[tuple[int, int], ...]]]:
    return {a.sha256: (a.id, a.text, a.sentences) for a in articles}


def test_units_are_the_sentences_of_articles_two_annotators_tagged(
    db: Path, bundled: list[Article]
) -> None:
    with AnnotationStore(db) as store:
        annotations = store.all()
    first = bundled[0]
    report = agreement_report(annotations, texts_of(bundled))
    assert report.annotators == ["ana", "bo"]
    units = len(first.sentences)
    claim = next(r for r in report.rows if r.label == "claim")
    # claim: both on 2; ana alone on 3; bo alone on 6; the rest no.
    pairs = [("yes", "yes")] + [("yes", "no")] + [("no", "yes")] + [("no", "no")] * (units - 3)
    assert claim.units == units and claim.kappa == pytest.approx(cohen_kappa(pairs))
    assert [r.label for r in report.rows] == ["claim", "opinion", OVERALL]
    found = [(d.start, d.end) for d in report.disagreements]
    assert found == [first.sentences[3], first.sentences[5], first.sentences[6]]
    assert report.disagreements[0].labels == {
        "ana": frozenset({"claim"}),
        "bo": frozenset({"opinion"}),
    }
    only = disagreements(annotations, texts_of(bundled), ["ana"])
    assert only == []


# Krippendorff (1995: 57), "On the reliability of unitizing continuous data", Sociological
# Methodology 25: two coders per category on a continuum of 24, units as (offset, length).
# The published figures (reproduced by DKPro Statistics' tests): observed disagreement for A
# 0.03125, B 2.26736, C 0.02777, D 0.38715; with the continuum stretched so that it is
# effectively continuous, alpha_U for A 0.553, B -0.926, C 0.679, D 0.066.
KRIPPENDORFF_1995 = {
    "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)]),
    "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]),
    "C": ([(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]),
    "D": (
        [(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)],
        [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)],
    ),
}


@pytest.mark.parametrize(
    ("category", "observed"), [("A", 0.03125), ("B", 2.26736), ("C", 0.02777), ("D", 0.38715)]
)
def test_unitizing_observed_disagreement_is_krippendorffs(category: str, observed: float) -> None:
    found = unitizing_disagreement(24, KRIPPENDORFF_1995[category])
    assert float(found.observed) == pytest.approx(observed, abs=0.00001)


@pytest.mark.parametrize(
    ("category", "alpha"), [("A", 0.553), ("B", -0.926), ("C", 0.679), ("D", 0.066)]
)
def test_unitizing_alpha_is_krippendorffs_1995(category: str, alpha: float) -> None:
    stretch = 50_000  # 24 units of 50,000 characters: as good as continuous
    spans = {
        f"coder{n}": [(offset * stretch, (offset + size) * stretch) for offset, size in units]
        for n, units in enumerate(KRIPPENDORFF_1995[category])
    }
    assert unitizing_alpha(24 * stretch, spans) == pytest.approx(alpha, abs=0.02)


# Krippendorff (2004), Content Analysis, 2nd ed., p. 254: two observers, a continuum from 150
# to 450, categories c and k; here shifted to start at 0 and given as (start, end). DKPro
# Statistics' Krippendorff2004Test reproduces: c observed 0.0144, expected 0.0532, alpha_U
# 0.7286; k alpha_U 1; both together 0.8591 (from rounded figures: see the test below).
KRIPPENDORFF_2004 = {
    "c": {"i": [(75, 145), (220, 250)], "j": [(70, 150), (205, 225), (250, 270)]},
    "k": {"i": [(30, 90), (150, 200)], "j": [(30, 90), (150, 200)]},
}


def test_unitizing_alpha_on_krippendorffs_2004_example() -> None:
    c = KRIPPENDORFF_2004["c"]
    assert unitizing_alpha(300, c) == pytest.approx(0.7286, abs=0.00005)
    found = unitizing_disagreement(300, [[(s, e - s) for s, e in c[n]] for n in ("i", "j")])
    assert float(found.observed) == pytest.approx(0.0144, abs=0.00005)
    assert float(found.expected) == pytest.approx(0.0532, abs=0.00005)
    assert unitizing_alpha(300, KRIPPENDORFF_2004["k"]) == pytest.approx(1.0)


def test_unitizing_alpha_of_c_and_k_together_is_krippendorffs_2004() -> None:
    """The book's combined figure, 0.8591, is 1 - 0.0144 / (0.0532 + 0.0490): its own
    intermediate figures, rounded to 4 decimals. Unrounded they are 13/900 (0.014444...),
    0.053222 and 0.048979, and the ratio is 0.858665: no bug, the rounding. How far can that
    rounding move the figure? Each of the three by up to 0.00005 moves the ratio by at most
    0.00005 / 0.1022 + 0.0144 * 0.0001 / 0.1022**2 = 0.00063 (the observed figure's error over
    the expected sum, plus the expected figures' errors through the ratio), and rounding the
    result to 4 decimals adds 0.00005: the exact value lies within 0.0007 of 0.8591, and that
    is the tolerance (a real error, such as averaging the labels' alphas, 0.8643, is outside
    it). The book's own arithmetic on our figures, rounded as it rounds them, gives 0.8591
    exactly. (DKPro's Krippendorff2004Test allows 0.0005 on this figure, for the same reason.)
    """
    parts = [
        unitizing_disagreement(300, [[(s, e - s) for s, e in spans[n]] for n in ("i", "j")])
        for spans in KRIPPENDORFF_2004.values()
    ]
    together = combined_unitizing_alpha(parts)
    assert together == pytest.approx(0.8591, abs=0.0007)
    assert together == pytest.approx(0.858665, abs=0.0000005)  # the unrounded figure
    c, k = parts
    rounded = 1 - round(float(c.observed + k.observed), 4) / (
        round(float(c.expected), 4) + round(float(k.expected), 4)
    )
    assert round(rounded, 4) == 0.8591
    assert combined_unitizing_alpha([]) is None
    # The report's overall row is that figure: c and k as labels on one 300-character text.
    text = "".join(chr(ord("a") + n % 26) for n in range(300))
    sha = text_sha256(text)
    annotations = [
        Annotation.create(
            article="book",
            text=text,
            start=start,
            end=end,
            label=label,
            annotator=who,
            article_sha256=sha,
        )
        for label, by_observer in KRIPPENDORFF_2004.items()
        for who, spans in by_observer.items()
        for start, end in spans
    ]
    report = agreement_report(annotations, {sha: ("book", text, [(0, 300)])})
    overall = next(row for row in report.rows if row.label == OVERALL)
    assert overall.u_alpha == together


def test_unitizing_alpha_merges_one_annotators_overlapping_spans() -> None:
    split = {"i": [(75, 120), (100, 145), (220, 250)], "j": KRIPPENDORFF_2004["c"]["j"]}
    assert unitizing_alpha(300, split) == pytest.approx(0.7286, abs=0.00005)


def test_unitizing_alpha_edge_cases() -> None:
    assert unitizing_alpha(100, {"a": [(10, 30)], "b": [(10, 30)]}) == pytest.approx(1.0)
    assert unitizing_alpha(100, {"a": [], "b": []}) is None
    assert unitizing_alpha(100, {"a": [(10, 30)]}) is None
    # A unit one annotator saw and the other did not is worse than chance; two misplaced, more.
    missed = unitizing_alpha(100, {"a": [(10, 30)], "b": []})
    misplaced = unitizing_alpha(100, {"a": [(10, 30)], "b": [(60, 80)]})
    assert missed is not None and misplaced is not None and misplaced < missed < 0


def test_one_annotator_gives_no_units_and_no_rows(tmp_path: Path, bundled: list[Article]) -> None:
    path = tmp_path / "db.json"
    with AnnotationStore(path) as store:
        tag(store, "ana", bundled[0], {1: "claim"})
        tag(store, "ana", bundled[1], {1: "claim"})
        annotations = store.all()
    assert sentence_table(annotations, texts_of(bundled)) == []
    report = agreement_report(annotations, texts_of(bundled))
    assert report.rows == [] and report.disagreements == []


def test_three_annotators_sentence_values_and_report(
    tmp_path: Path, bundled: list[Article]
) -> None:
    path = tmp_path / "db.json"
    first = bundled[0]
    with AnnotationStore(path) as store:
        tag(store, "ana", first, {2: "claim", 4: "opinion"})
        tag(store, "bo", first, {2: "claim"})
        tag(store, "cy", first, {2: "opinion"})
        tag(store, "cy", first, {2: "claim"})
        annotations = store.all()
    units = sentence_table(annotations, texts_of(bundled))
    assert len(units) == len(first.sentences)
    assert units[2].labels == {
        "ana": frozenset({"claim"}),
        "bo": frozenset({"claim"}),
        "cy": frozenset({"claim", "opinion"}),
    }
    report = agreement_report(annotations, texts_of(bundled))
    assert report.annotators == ["ana", "bo", "cy"]
    assert all(row.kappa is None and row.annotators == 3 for row in report.rows)
    claim = next(r for r in report.rows if r.label == "claim")
    assert claim.alpha == pytest.approx(1.0) and claim.u_alpha == pytest.approx(1.0)
    overall = next(r for r in report.rows if r.label == OVERALL)
    coded = [
        {name: "+".join(sorted(labels)) or "none" for name, labels in u.labels.items()}
        for u in units
    ]
    assert overall.alpha == pytest.approx(krippendorff_alpha(coded))
    assert [(d.start, d.end) for d in report.disagreements] == [
        first.sentences[2],
        first.sentences[4],
    ]
    only_label = agreement_report(annotations, texts_of(bundled), labels=["opinion"])
    assert [r.label for r in only_label.rows] == ["opinion", OVERALL]


def test_a_tag_counts_on_every_sentence_it_overlaps(tmp_path: Path, bundled: list[Article]) -> None:
    first = bundled[0]
    (_, end2), (start3, end3) = first.sentences[2], first.sentences[3]
    path = tmp_path / "db.json"
    with AnnotationStore(path) as store:
        for who, start, end in (("ana", end2 - 3, start3 + 3), ("bo", start3, end3)):
            store.add(Annotation.on_article(first, (start, end), label="claim", annotator=who))
        annotations = store.all()
    units = sentence_table(annotations, texts_of(bundled))
    assert units[2].labels == {"ana": frozenset({"claim"}), "bo": frozenset()}
    assert units[3].labels == {"ana": frozenset({"claim"}), "bo": frozenset({"claim"})}
    assert units[4].labels == {"ana": frozenset(), "bo": frozenset()}
    found = disagreements(annotations, texts_of(bundled))
    assert [(d.article, d.start, d.end) for d in found] == [(first.id, *first.sentences[2])]
    assert disagreements(annotations, texts_of(bundled), ["bo", "cy"]) == []
