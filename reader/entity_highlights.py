"""Which entity highlights the text shows: types turned off, all hidden, or one entry alone.

No textual import: the app keeps one `EntityHighlights`, remembers it in the session state, and
gives each view the entities that pass it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple, Protocol, TypeVar


class Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...


E = TypeVar("E", bound=Spanned)


class EntityHighlights(NamedTuple):
    hidden_types: frozenset[str] = frozenset()
    all_hidden: bool = False
    # One entry's mentions alone (an entity index key); its spans are the index's to give.
    only_entry: str | None = None
    only_spans: frozenset[tuple[str, int, int]] = frozenset()

    def shown(self, article_id: str, entities: Sequence[E]) -> list[E]:
        """The entities of one article that are drawn."""
        if self.all_hidden:
            return []
        if self.only_entry is not None:
            return [e for e in entities if (article_id, e.start, e.end) in self.only_spans]
        if not self.hidden_types:
            return list(entities)
        return [e for e in entities if e.label not in self.hidden_types]

    def toggled_all(self) -> EntityHighlights:
        return self._replace(all_hidden=not self.all_hidden)

    def with_hidden_types(self, labels: Collection[str]) -> EntityHighlights:
        return self._replace(hidden_types=frozenset(labels), all_hidden=False)

    def only(self, key: str | None, spans: Iterable[tuple[str, int, int]] = ()) -> EntityHighlights:
        """Highlight one entry's mentions alone (None: every entry again)."""
        return self._replace(only_entry=key, only_spans=frozenset(spans), all_hidden=False)

    def describe(self) -> str:
        """A few words for the status line, empty when everything is shown."""
        if self.all_hidden:
            return "entities hidden (H shows them)"
        if self.only_entry is not None:
            return "one entity highlighted (H: all)"
        if self.hidden_types:
            return f"{len(self.hidden_types)} entity type(s) off (T)"
        return ""
