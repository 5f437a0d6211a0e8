"""Labels: the three defaults plus those configured in a TOML file (being written by the labels
work; this is the minimal interface the views use until it lands)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    name: str
    key: str | None
    colour: str | None
    description: str

    @property
    def letter(self) -> str:
        if self.key and self.key.isalpha():
            return self.key.upper()
        return self.name[:1].upper()


DEFAULT_LABELS: tuple[Label, ...] = (
    Label("claim", "c", "#4a90d9", "A factual assertion to check"),
    Label("opinion", "o", "#b05cc8", "The writer's or a source's view"),
    Label("unverified", "u", "#d9a13b", "Stated without a source or evidence"),
)


class LabelSet:
    def __init__(self, labels: Iterable[Label]) -> None:
        self._labels = tuple(labels)
        self._by_name = {label.name: label for label in self._labels}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def __iter__(self) -> Iterator[Label]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def by_name(self, name: str) -> Label | None:
        return self._by_name.get(name)

    def by_key(self, key: str) -> Label | None:
        return next((label for label in self._labels if label.key == key), None)

    def with_names(self, names: Iterable[str]) -> LabelSet:
        extra = [
            Label(name, None, None, "found in the annotation database")
            for name in sorted(set(names) - set(self._by_name))
        ]
        return LabelSet((*self._labels, *extra)) if extra else self

    def order(self, names: Iterable[str]) -> tuple[str, ...]:
        wanted = set(names)
        known = tuple(name for name in self._by_name if name in wanted)
        return known + tuple(sorted(wanted - set(known)))
