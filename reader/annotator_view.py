"""Whose tags the panes show: everyone's, only yours, or yours beside one other annotator's.

Comparing two annotators' tags is how a desk checks its work (and what `reader agree`
measures); with five people in one database, everyone's marks at once hide who said what. `W`
steps through the choices; the marks drawn, the disagreements stepped through (`D`) and the
note under the cursor follow it. Counts on the status line stay everyone's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from annotations.model import Annotation


class AnnotatorView(NamedTuple):
    """``other`` None: everyone's tags; "": only yours; a name: yours and theirs."""

    other: str | None = None

    def keeps(self, annotation: Annotation, me: str) -> bool:
        if self.other is None:
            return True
        return annotation.annotator == me or annotation.annotator == self.other

    def shown(self, annotations: Iterable[Annotation], me: str) -> list[Annotation]:
        if self.other is None:
            return list(annotations)
        return [a for a in annotations if self.keeps(a, me)]

    def following(self, others: Sequence[str]) -> AnnotatorView:
        """The next choice: everyone, then only yours, then yours beside each other annotator
        in turn (``others``: the others in the database, sorted), then everyone again."""
        if self.other is None:
            return AnnotatorView("")
        if self.other == "":
            return AnnotatorView(others[0]) if others else AnnotatorView(None)
        later = [name for name in others if name > self.other]
        return AnnotatorView(later[0]) if later else AnnotatorView(None)

    def annotators(self, present: Iterable[str], me: str) -> list[str]:
        """Of the annotators ``present`` on a text, those this view compares, you first."""
        names = set(present) if self.other is None else {me, self.other} & set(present)
        return sorted(names, key=lambda name: (name != me, name))

    def describe(self, me: str) -> str:
        if self.other is None:
            return "everyone's tags"
        if self.other == "":
            return f"only your tags ({me})"
        return f"your tags and {self.other}'s"
