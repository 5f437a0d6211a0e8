"""Labels: the three defaults plus any defined in a TOML file in the user's config directory.

```toml
[[label]]
name = "misleading"
key = "m"
colour = "#d08770"
description = "True facts framed to mislead"
```

Labels found in the annotation database that the configuration lacks are added by the app
(`LabelSet.with_names`), so nothing stored is ever hidden or left out of an export.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple


class Label(NamedTuple):
    name: str
    key: str | None
    colour: str | None
    description: str

    @property
    def letter(self) -> str:
        """The gutter letter: the key upper-cased if it is a letter, else the name's first
        character upper-cased; always one character ("ß" stays "ß", not "SS")."""
        first = self.key if self.key and self.key.isalpha() else self.name[:1]
        if not first:
            return "?"  # a nameless label found in a database still needs a mark
        upper = first.upper()
        return upper if len(upper) == 1 else first


DEFAULT_LABELS: tuple[Label, ...] = (
    Label("claim", "c", "#4a90d9", "A factual assertion to check"),
    Label("opinion", "o", "#b05cc8", "The writer's or a source's view"),
    Label("unverified", "u", "#d9a13b", "Stated without a source or evidence"),
)


class LabelSet:
    """Labels in the order they are offered: the configured ones, then any the store adds."""

    __slots__ = ("_by_name", "_labels")

    def __init__(self, labels: Iterable[Label]) -> None:
        self._labels = tuple(labels)
        self._by_name = {label.name: label for label in self._labels}
        if len(self._by_name) != len(self._labels):
            raise ValueError("a LabelSet names each label once")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LabelSet) and self._labels == other._labels

    def __hash__(self) -> int:
        return hash(self._labels)

    def __repr__(self) -> str:
        return f"LabelSet({list(self._labels)!r})"

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
        """The label this key tags with (keys are case-sensitive: "m" and "M" differ)."""
        return next((label for label in self._labels if label.key == key), None)

    def with_names(self, names: Iterable[str]) -> LabelSet:
        """These labels, then (sorted) those in `names` they lack: labels the store holds that
        no configuration names, so they are still shown and exported."""
        extra = [
            Label(name, None, None, "found in the annotation database")
            for name in sorted(set(names) - set(self._by_name))
        ]
        return LabelSet((*self._labels, *extra)) if extra else self

    def order(self, names: Iterable[str]) -> tuple[str, ...]:
        """`names` without repeats: the known ones in this set's order, then the rest sorted."""
        wanted = set(names)
        known = tuple(name for name in self._by_name if name in wanted)
        return known + tuple(sorted(wanted - set(known)))


# The single-character keys the reader already uses; a configured label may not take one. The
# defaults' own keys (c, o, u) may be given again to the label that has them.
RESERVED_KEYS: frozenset[str] = frozenset("jkgGhlwbevpysxnNfaqOEA?/*><(){}[] IiHT.,#DW")
# Any script's letters and digits (`[^\W_]`), with inner spaces, - and _; a leading or trailing
# space would make a second label that looks like the first.
_NAME = re.compile(r"[^\W_](?:[^\W_]|[ _-]){0,39}(?<! )")
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_FIELDS = {"name", "key", "colour", "color", "description"}


class LabelConfig(NamedTuple):
    """The labels to use, and what was wrong with the file if it was not used."""

    labels: LabelSet
    problem: str | None
    path: Path | None


class _BadConfig(Exception):
    pass


def load_labels(path: Path | None, reserved_keys: Collection[str] = RESERVED_KEYS) -> LabelConfig:
    """The defaults plus the labels defined in the TOML file at `path` (if it exists).

    A file with anything wrong is ignored whole, with one line saying what and where: a
    half-read configuration would tag with labels the user did not mean.
    """
    defaults = LabelSet(DEFAULT_LABELS)
    if path is None:
        return LabelConfig(defaults, None, None)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return LabelConfig(defaults, None, path)
    except OSError as error:
        return _ignored(path, f"cannot be read ({error.strerror or error})")
    import tomllib  # here: most users have no config file, and it is 2 ms of start-up

    try:
        document = tomllib.loads(raw.decode("utf-8"))
        labels = _labels_of(document, reserved_keys)
    except UnicodeDecodeError as error:
        return _ignored(path, f"not UTF-8 text (byte {error.start})")
    except tomllib.TOMLDecodeError as error:
        return _ignored(path, f"not valid TOML ({error})")  # tomllib says at which line
    except _BadConfig as error:
        return _ignored(path, str(error))
    return LabelConfig(labels, None, path)


def _ignored(path: Path, what: str) -> LabelConfig:
    """The defaults, and one line naming the file and what is wrong with it."""
    problem = f"{path}: {what}; using the default labels"
    # One line even when the path or a quoted value holds a line break or a tab.
    one_line = "".join(repr(ch)[1:-1] if ch.isspace() and ch != " " else ch for ch in problem)
    return LabelConfig(LabelSet(DEFAULT_LABELS), one_line, path)


def _labels_of(document: dict[str, object], reserved_keys: Collection[str]) -> LabelSet:
    unknown = set(document) - {"label"}
    if unknown:
        raise _BadConfig(f"unknown table {sorted(unknown)[0]!r} (expected [[label]] entries)")
    entries = document.get("label", [])
    if not isinstance(entries, list):
        raise _BadConfig("'label' must be a list of [[label]] tables")
    defaults = {label.name: label for label in DEFAULT_LABELS}
    chosen: dict[str, Label] = dict(defaults)
    seen_names: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"label {number}"
        if not isinstance(entry, dict):
            raise _BadConfig(f"{where} is not a table")
        extra = set(entry) - _FIELDS
        if extra:
            raise _BadConfig(f"{where}: unknown field {sorted(extra)[0]!r}")
        name = entry.get("name")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise _BadConfig(
                f"{where}: name must be 1-40 letters, digits, spaces, - or _, starting with"
                f" a letter or digit and not ending in a space (got {name!r})"
            )
        if name in seen_names:
            raise _BadConfig(f"{where}: the name {name!r} is given twice")
        seen_names.add(name)
        key = entry.get("key")
        if key is not None and (
            not isinstance(key, str) or len(key) != 1 or key.isspace() or not key.isprintable()
        ):
            raise _BadConfig(f"{where} ({name}): key must be one character (got {key!r})")
        default = defaults.get(name)
        if key is not None and key in reserved_keys and (default is None or default.key != key):
            raise _BadConfig(f"{where} ({name}): key {key!r} is already used by the reader")
        if "colour" in entry and "color" in entry:
            raise _BadConfig(f"{where} ({name}): give colour or color, not both")
        colour = entry.get("colour", entry.get("color"))
        if colour is not None and (not isinstance(colour, str) or not _COLOUR.fullmatch(colour)):
            raise _BadConfig(f"{where} ({name}): colour must be #rgb or #rrggbb (got {colour!r})")
        description = entry.get("description", "")
        if not isinstance(description, str):
            raise _BadConfig(f"{where} ({name}): description must be text")
        base = default or Label(name, None, None, "")
        chosen[name] = Label(
            name,
            key if key is not None else base.key,
            colour if colour is not None else base.colour,
            " ".join(description.split()) or base.description,
        )
    keys = [label.key for label in chosen.values() if label.key]
    duplicate = next((key for key in keys if keys.count(key) > 1), None)
    if duplicate is not None:
        owners = [label.name for label in chosen.values() if label.key == duplicate]
        raise _BadConfig(f"key {duplicate!r} is given to both {owners[0]} and {owners[1]}")
    return LabelSet(chosen.values())
