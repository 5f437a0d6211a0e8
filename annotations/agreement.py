"""Agreement between annotators: sentence units per label, Cohen's kappa, Krippendorff's alpha.

Units are the sentences of each text version that two or more annotators annotated (an
annotator with no annotation on a text is missing there, not "no tags"). For each label, an
annotator's value on a sentence is 1 if any of their tags of that label overlaps it, else 0;
the overall value is the set of labels they gave it ("claim+opinion", or "none").

Cohen's kappa is computed here (two annotators); Krippendorff's alpha (nominal, any number of
annotators, missing values allowed) by the `krippendorff` package. Both are None where they
are undefined (every value the same: no variation to agree on).

Not here yet: Krippendorff's unitizing alpha on character spans (see the issue notes).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

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


def sentence_units(
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
        for u in sentence_units(annotations, texts, annotators)
        if len(set(u.labels.values())) > 1
    ]


@dataclass(frozen=True)
class Row:
    label: str
    units: int
    annotators: int
    kappa: float | None
    alpha: float | None


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
    """Per label and overall: kappa (exactly two annotators), alpha; and the disagreements."""
    units = sentence_units(annotations, texts, annotators)
    who = sorted({name for u in units for name in u.labels})
    report = Report(annotators=who)
    if not units:
        return report
    used = sorted({label for u in units for ls in u.labels.values() for label in ls})
    chosen = [label for label in used if labels is None or label in set(labels)]
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
        report.rows.append(Row(label, len(units), len(who), kappa, krippendorff_alpha(coded)))
    report.disagreements = [
        Disagreement(u.article, u.sha256, u.start, u.end, u.labels)
        for u in units
        if len(set(u.labels.values())) > 1
    ]
    return report
