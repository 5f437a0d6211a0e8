"""Agreement between annotators: sentence units per label, Cohen's kappa, Krippendorff's alpha.

Units are the sentences of each text version that two or more annotators annotated (an
annotator with no annotation on a text is missing there, not "no tags"). For each label, an
annotator's value on a sentence is 1 if any of their tags of that label overlaps it, else 0;
the overall value is the set of labels they gave it ("claim+opinion", or "none").

Cohen's kappa is computed here (two annotators); Krippendorff's alpha (nominal, any number of
annotators, missing values allowed) by the `krippendorff` package. Both are None where they
are undefined (every value the same: no variation to agree on).

Krippendorff's unitizing alpha (alpha_U: Krippendorff 1995, "On the reliability of unitizing
continuous data", Sociological Methodology 25:47-76; Content Analysis, 2nd ed. 2004, 12.4) is
written here, for one label at a time over character spans: the texts compared are laid end
to end as one continuum, each annotator's tags of the label (overlaps merged) cut it into units
and gaps, and disagreement weighs how far units are misplaced, in characters squared. It is
checked against Krippendorff's own worked examples, whose figures DKPro Statistics
(KrippendorffAlphaUnitizingAgreement) also reproduces: 1995: 57 (observed disagreement per
category) and Content Analysis 2004: 254 (category c: alpha_U 0.7286; c and k together,
0.8591). Overall, alpha_U is 1 - the observed disagreements' sum over the expected ones' sum,
as there. The book's 0.8591 is that ratio of its intermediate figures rounded to four
decimals (1 - 0.0144 / (0.0532 + 0.0490)); unrounded, the same example gives 0.8587, within
what that rounding can move it (tests/annotations/test_agreement.py works the bound out).

`agreement_report` with ``labels`` is about those labels only: the overall row and the
disagreements ignore tags of any other label, as if they were not there.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from annotations.model import TAGGING, Annotation

Span = tuple[int, int]
# sha256 -> (article id, text, sentence spans)
Texts = Mapping[str, tuple[str, str, Sequence[Span]]]
OVERALL = "(any label)"


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two annotators' values on the same units; None if undefined."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[v] * second[v] for v in first) / (n * n)
    if expected == 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(units: Sequence[Mapping[str, Hashable]]) -> float | None:
    """Nominal alpha over units (annotator -> value; absent annotators are missing)."""
    coders = sorted({coder for unit in units for coder in unit})
    values = sorted({v for unit in units for v in unit.values()}, key=repr)
    pairable = [unit for unit in units if len(unit) >= 2]
    if len(coders) < 2 or not pairable or len(values) < 2:
        return None
    import krippendorff  # numpy and the package only when agreement is computed

    code = {value: index for index, value in enumerate(values)}
    matrix = [[float(code[unit[c]]) if c in unit else math.nan for unit in units] for c in coders]
    try:
        alpha = float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError):
        return None
    return None if math.isnan(alpha) else alpha


Unit = tuple[int, int]  # (offset, length) on the continuum


@dataclass(frozen=True)
class UnitizingDisagreement:
    observed: Fraction
    expected: Fraction

    @property
    def alpha(self) -> float | None:
        if self.expected == 0:
            return None
        return float(1 - self.observed / self.expected)


def _segments(units: Sequence[Unit], length: int) -> list[tuple[int, int, bool]]:
    """The continuum cut by one annotator's sorted, disjoint units: (offset, length, is unit)."""
    cut: list[tuple[int, int, bool]] = []
    at = 0
    for offset, size in units:
        if offset > at:
            cut.append((at, offset - at, False))
        cut.append((offset, size, True))
        at = offset + size
    if at < length:
        cut.append((at, length - at, False))
    return cut


def _distance(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's squared distance between two overlapping sections of two annotators."""
    (o1, l1, unit1), (o2, l2, unit2) = g, h
    begin = o1 - o2
    size = l1 - l2
    if unit1 and unit2 and -l1 < begin < l2:
        return begin * begin + (begin + size) * (begin + size)
    if unit1 and not unit2 and -size >= begin >= 0:
        return l1 * l1  # a unit inside the other's gap
    if unit2 and not unit1 and -size <= begin <= 0:
        return l2 * l2
    return 0


def unitizing_disagreement(length: int, units: Sequence[Sequence[Unit]]) -> UnitizingDisagreement:
    """Observed and expected disagreement of alpha_U for one category on a continuum of
    ``length``, given each annotator's units (offset, length), disjoint within an annotator."""
    raters = len(units)
    cuts = [_segments(sorted(mine), length) for mine in units]
    observed = 0
    for first in range(raters):
        for second in range(first + 1, raters):
            a, b = cuts[first], cuts[second]
            i = j = 0
            while i < len(a) and j < len(b):
                observed += _distance(a[i], b[j])
                end_a, end_b = a[i][0] + a[i][1], b[j][0] + b[j][1]
                if end_a <= end_b:
                    i += 1
                if end_b <= end_a:
                    j += 1
    observed_d = Fraction(2 * observed, raters * (raters - 1) * length * length)
    all_units = [size for mine in units for _offset, size in mine]
    gaps = sorted(
        (size for cut in cuts for _offset, size, is_unit in cut if not is_unit), reverse=True
    )
    n_c = len(all_units)
    squared = sum(size * (size - 1) for size in all_units)
    total = Fraction(0)
    for size in all_units:
        within = Fraction((n_c - 1) * (2 * size**3 - 3 * size**2 + size), 3)
        fitting = sum(gap - size + 1 for gap in gaps if gap >= size)
        total += within + size * size * fitting
    denominator = raters * length * (raters * length - 1) - squared
    expected_d = total * Fraction(2, length) / denominator if denominator else Fraction(0)
    return UnitizingDisagreement(observed_d, expected_d)


def unitizing_alpha(continuum_length: int, spans: Mapping[str, Sequence[Span]]) -> float | None:
    """Krippendorff's alpha_U for one label on a continuum of ``continuum_length``, given each
    annotator's (start, end) spans (overlapping spans of one annotator count as one unit).

    None where it is undefined: fewer than two annotators, or no span at all."""
    units = [_merged(found) for _name, found in sorted(spans.items())]
    if continuum_length <= 0 or len(units) < 2 or not any(units):
        return None
    return unitizing_disagreement(continuum_length, units).alpha


def _merged(spans: Iterable[Span]) -> list[Unit]:
    """Overlapping spans of one annotator as one unit (alpha_U wants them disjoint)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end - start) for start, end in merged]


@dataclass(frozen=True)
class Disagreement:
    """A sentence the compared annotators tagged differently: who gave which labels."""

    article: str
    sha256: str
    start: int
    end: int
    labels: dict[str, frozenset[str]]


@dataclass(frozen=True)
class SentenceUnit:
    article: str
    sha256: str
    start: int
    end: int
    labels: dict[str, frozenset[str]]  # annotator -> labels given (empty: none)


def sentence_table(
    annotations: Iterable[Annotation], texts: Texts, annotators: Iterable[str] | None = None
) -> list[SentenceUnit]:
    """Every sentence of every text version that two or more (of ``annotators``) annotated."""
    wanted = set(annotators) if annotators is not None else None
    by_text: dict[str, list[Annotation]] = {}
    for a in annotations:
        if a.anchor == "orphan" or (wanted is not None and a.annotator not in wanted):
            continue
        by_text.setdefault(a.article_sha256, []).append(a)
    units: list[SentenceUnit] = []
    for sha, found in sorted(by_text.items(), key=lambda item: texts.get(item[0], ("",))[0]):
        if sha not in texts:
            continue
        who = sorted({a.annotator for a in found})
        if len(who) < 2:
            continue
        article, _text, sentences = texts[sha]
        tags = [a for a in found if a.motivation == TAGGING]
        for start, end in sentences:
            given = {name: set[str]() for name in who}
            for tag in tags:
                if tag.start < end and start < tag.end:
                    given[tag.annotator].add(tag.label)
            units.append(
                SentenceUnit(
                    article, sha, start, end, {n: frozenset(ls) for n, ls in given.items()}
                )
            )
    return units


def disagreements(
    annotations: Iterable[Annotation], texts: Texts, annotators: Iterable[str] | None = None
) -> list[Disagreement]:
    """The sentences the annotators tagged differently, in text order."""
    return [
        Disagreement(u.article, u.sha256, u.start, u.end, u.labels)
        for u in sentence_table(annotations, texts, annotators)
        if len(set(u.labels.values())) > 1
    ]


@dataclass(frozen=True)
class Row:
    label: str
    units: int
    annotators: int
    kappa: float | None
    alpha: float | None
    u_alpha: float | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    annotators: list[str] = field(default_factory=list)


def agreement_report(
    annotations: Iterable[Annotation],
    texts: Texts,
    annotators: Iterable[str] | None = None,
    labels: Iterable[str] | None = None,
) -> Report:
    """Per label and overall: kappa (exactly two annotators), alpha; and the disagreements.

    ``labels`` restricts everything: the rows, the overall row's values (the set of the chosen
    labels an annotator gave a sentence) and the disagreements (sentences where those sets
    differ, shown with the chosen labels only). Tags of other labels count as no tag.
    """
    annotations = list(annotations)
    units = sentence_table(annotations, texts, annotators)
    wanted = None if labels is None else frozenset(labels)
    if wanted is not None:
        units = [
            SentenceUnit(
                u.article,
                u.sha256,
                u.start,
                u.end,
                {name: given & wanted for name, given in u.labels.items()},
            )
            for u in units
        ]
    who = sorted({name for u in units for name in u.labels})
    spans = _continuum_spans(annotations, texts, {u.sha256 for u in units}, who)
    report = Report(annotators=who)
    if not units:
        return report
    chosen = sorted({label for u in units for ls in u.labels.values() for label in ls})
    length, by_label = spans
    measured = {
        label: unitizing_disagreement(length, [by_label.get(label, {}).get(n, []) for n in who])
        for label in chosen
        if length and len(who) >= 2
    }
    for label in [*chosen, OVERALL]:

        def value(given: frozenset[str], label: str = label) -> str:
            if label == OVERALL:
                return "+".join(sorted(given)) or "none"
            return "yes" if label in given else "no"

        coded = [{name: value(ls) for name, ls in u.labels.items()} for u in units]
        kappa = None
        if len(who) == 2:
            pairs = [(c[who[0]], c[who[1]]) for c in coded if who[0] in c and who[1] in c]
            kappa = cohen_kappa(pairs)
        if label == OVERALL:
            u_alpha = combined_unitizing_alpha(list(measured.values()))
        else:
            u_alpha = measured[label].alpha if label in measured else None
        report.rows.append(
            Row(label, len(units), len(who), kappa, krippendorff_alpha(coded), u_alpha)
        )
    report.disagreements = [
        Disagreement(u.article, u.sha256, u.start, u.end, u.labels)
        for u in units
        if len(set(u.labels.values())) > 1
    ]
    return report


def combined_unitizing_alpha(parts: Sequence[UnitizingDisagreement]) -> float | None:
    """alpha_U over several labels: 1 - (sum of observed) / (sum of expected disagreements),
    as Krippendorff (2004: 254) combines his categories c and k (DKPro averages both sums,
    which is the same ratio). None where there is no label or no expected disagreement."""
    if not parts:
        return None
    return UnitizingDisagreement(
        sum((p.observed for p in parts), Fraction(0)),
        sum((p.expected for p in parts), Fraction(0)),
    ).alpha


def _continuum_spans(
    annotations: Sequence[Annotation], texts: Texts, shas: set[str], who: Sequence[str]
) -> tuple[int, dict[str, dict[str, list[Unit]]]]:
    """The compared texts end to end (in sha256 order) as one continuum, and on it each
    label's units per annotator, merged where one annotator's tags overlap."""
    offsets: dict[str, int] = {}
    length = 0
    for sha in sorted(shas):
        offsets[sha] = length
        length += len(texts[sha][1])
    raw: dict[str, dict[str, list[Span]]] = {}
    for a in annotations:
        if a.motivation != TAGGING or a.anchor == "orphan" or a.article_sha256 not in offsets:
            continue
        if a.annotator not in who:
            continue
        base = offsets[a.article_sha256]
        raw.setdefault(a.label, {}).setdefault(a.annotator, []).append(
            (base + a.start, base + a.end)
        )
    merged = {
        label: {name: _merged(found) for name, found in per.items()} for label, per in raw.items()
    }
    return length, merged
