"""Agreement figures against published worked examples, the sentence units, and `reader agree`
run as users run it on a real store."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.agreement import (
    OVERALL,
    agreement_report,
    cohen_kappa,
    disagreements,
    krippendorff_alpha,
    unitizing_alpha,
    unitizing_disagreement,
)
from annotations.editing import EditSession
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


def test_reader_agree_prints_the_table_and_the_disagreements(db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "agree", "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Annotators: ana, bo"
    assert lines[2].split() == ["label", "units", "annotators", "kappa", "alpha", "u-alpha"]
    claim_row = next(line.split() for line in lines if line.startswith("claim "))
    assert claim_row[3] == "0.474" and -1.0 <= float(claim_row[5]) <= 1.0
    assert "Disagreements: 3" in lines
    assert "    ana: claim; bo: opinion" in lines
    as_json = subprocess.run(
        [sys.executable, "-m", "reader", "agree", "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
    )
    parsed = json.loads(as_json.stdout)
    assert [row["label"] for row in parsed["rows"]] == ["claim", "opinion", OVERALL]
    assert all(isinstance(row["u_alpha"], float) for row in parsed["rows"])
    assert parsed["disagreements"][0]["labels"] == {"ana": ["claim"], "bo": ["opinion"]}


def test_reader_agree_with_nothing_to_compare_says_so(db: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "agree", "--db", str(db), "--annotator", "cy"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr.startswith("reader: nothing to compare")


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
def test_unitizing_alpha_is_krippendorffs(category: str, alpha: float) -> None:
    stretch = 50_000  # 24 units of 50,000 characters: as good as continuous
    coders = [
        [(offset * stretch, size * stretch) for offset, size in units]
        for units in KRIPPENDORFF_1995[category]
    ]
    assert unitizing_alpha(24 * stretch, coders) == pytest.approx(alpha, abs=0.02)


def test_unitizing_alpha_edge_cases() -> None:
    assert unitizing_alpha(100, [[(10, 20)], [(10, 20)]]) == pytest.approx(1.0)
    assert unitizing_alpha(100, [[], []]) is None
    assert unitizing_alpha(100, [[(10, 20)]]) is None
