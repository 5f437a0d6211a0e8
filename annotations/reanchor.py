"""Re-anchoring: when an article's text changed, find each annotation's words again.

Run when an article is opened. Each annotation made on another version of the text is looked up
in the current one (annotations.anchoring: at its offsets, else by quote and context, else
approximately) and saved with its new offsets, its old ones kept, and its status: exact, moved,
fuzzy (with a score) or orphan. An orphan is never dropped: it keeps its quote and old offsets
until the user re-attaches or deletes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotations.errors import ConflictError
from annotations.model import Annotation, ArticleText
from annotations.store import ANNOTATIONS, AnnotationStore, Op

# The order statuses are reported in.
_STATUSES = ("exact", "moved", "fuzzy", "orphan")


@dataclass(frozen=True)
class ReanchorReport:
    """How the annotations of one article fared against its current text."""

    article_id: str
    counts: Counter[str] = field(default_factory=Counter)
    saved: bool = True  # False when the database is read-only: found again in memory only

    def __bool__(self) -> bool:
        return bool(self.counts)

    @property
    def changed(self) -> int:
        """How many did not simply stand where they were."""
        return sum(n for status, n in self.counts.items() if status != "exact")

    def summary(self) -> str:
        total = sum(self.counts.values())
        parts = ", ".join(f"{self.counts[s]} {s}" for s in _STATUSES if self.counts[s])
        plural = "" if total == 1 else "s"
        return f"the text changed: {total} annotation{plural} found again ({parts})"


def reanchor_article(store: AnnotationStore, article: ArticleText) -> ReanchorReport:
    """Re-anchor the article's annotations made on other versions of its text, and save them."""
    for _attempt in range(3):
        updates, counts = _reanchored(store, article)
        if not updates:
            return ReanchorReport(article.id, counts)
        if store.read_only:
            return ReanchorReport(article.id, counts, saved=False)
        try:
            store.commit([Op(ANNOTATIONS, new.id, new, old) for old, new in updates])
        except ConflictError:
            store.refresh()  # another process re-anchored or edited them first: look again
            continue
        return ReanchorReport(article.id, counts)
    return ReanchorReport(article.id, Counter())


def _reanchored(
    store: AnnotationStore, article: ArticleText
) -> tuple[list[tuple[Annotation, Annotation]], Counter[str]]:
    updates: list[tuple[Annotation, Annotation]] = []
    counts: Counter[str] = Counter()
    for annotation in store.for_article(article.id):
        if annotation.article_sha256 == article.sha256 and annotation.anchor != "orphan":
            continue
        # Imported only when an article did change: rapidfuzz costs start-up time otherwise.
        from annotations.anchoring import anchor_quote

        found = anchor_quote(
            article.text,
            quote=annotation.quote,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
            start=annotation.start,
            end=annotation.end,
        )
        counts[found.status] += 1
        if found.start is None or found.end is None:
            if annotation.anchor != "orphan":
                updates.append((annotation, annotation.evolve(anchor="orphan", anchor_score=0.0)))
            continue
        moved = annotation.moved_to(
            article.text,
            found.start,
            found.end,
            sha256=article.sha256,
            anchor=found.status,
            score=found.score,
            source=article.source,
            title=article.title,
        )
        updates.append((annotation, moved))
    return updates, counts
