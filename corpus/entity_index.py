"""One index of who and what the articles name: spelling variants of one real-world name merged.

Pure domain code (no textual, no spaCy): it takes entity spans already found, as
`(start, end, label)` per article, and groups their mentions into entries.

How mentions become entries, in order (each step only ever joins groups, and every automatic join
is refused when it would put two names the user split (`apart`) into one group):

1. Each distinct `variant_key` is one node ("Mr Putin", "Putin" and "Putin’s" are one node). For
   name-like types (`NAME_LABELS`) the node spans labels, so the model calling a person ORG once
   does not split them; every other type (numbers and dates, `EXACT_LABELS`, and LANGUAGE) makes
   one node per (label, key) and goes no further: "1990" is not a spelling of "1999".
2. The user's merges (`together`) join whole groups (unless that would join a split pair).
3. Nodes whose romanisation skeletons are equal join (Bogdanov/Bohdanov, Sergey/Sergei,
   Musa/Mousa/Moussa, Zelensky/Zelenskyy): always when the name has two or more tokens, and for
   one-token names only under the same label (so "al-Assad" the airbase, ORG, stays apart from
   "Assad" the person).
4. Near spellings join when rapidfuzz's ratio on the skeletons is very high (>= 90), the labels
   agree, the token counts agree and each pair of aligned tokens is alike (same first letter,
   at most one edit in five, numbers and roman numerals equal). Candidates are blocked by label
   and the first letter of every token, never compared all against all. Jaro-Winkler is not
   used: it puts Lavrov/Lvov at 0.90, where the ratio gives 80.
5. A surname or any shorter tail of a name ("Putin", "Mr Putin", "Marzouk", "Abu Marzouk") joins
   the one PERSON group holding a longer name that ends that way; when two groups do, it stays
   apart (an ambiguous surname is not guessed).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal, NamedTuple

from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

__all__ = [
    "EXACT_LABELS",
    "NAME_LABELS",
    "EntityEntry",
    "EntityIndex",
    "Mention",
    "fold",
    "group_mentions",
    "name_skeleton",
    "variant_key",
]

# Types whose spelling variants are merged; the order also breaks ties in an entry's label.
NAME_LABELS = (
    "PERSON",
    "ORG",
    "GPE",
    "NORP",
    "LOC",
    "FAC",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
)
# Types that only group on an identical key: "1990" and "1999" are not spellings of one year.
EXACT_LABELS = ("DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY")
_NAME_LABEL_SET = frozenset(NAME_LABELS)
_LABEL_RANK = {label: rank for rank, label in enumerate(NAME_LABELS + EXACT_LABELS)}

# The ratio (0-100, rapidfuzz Indel) two skeletons need for a near-spelling join: 90 keeps
# Austria/Australia (87.5) and Islamic/Islamist (80) apart. Each pair of aligned tokens must then be
# within one edit in five (normalised Levenshtein): "sergei lvov"/"sergei lavrov" reach 91 as a
# whole, but lvov/lavrov is two edits in six (0.67), where meshal/mashal is one in six (0.83).
NAME_SIMILARITY = 90.0
TOKEN_SIMILARITY = 0.8
# Skeletons shorter than this join on equality only: among short names one letter is a new name.
FUZZY_MIN_LENGTH = 5

# Titles taken off the front of a name, longest first so "deputy foreign minister" goes whole.
# Deliberately without words that also begin organisation names ("General Motors", "King's
# College", "Justice Department"): a key has no label to tell them apart.
_TITLES = (
    "deputy foreign minister",
    "foreign minister",
    "prime minister",
    "defence minister",
    "defense minister",
    "vice president",
    "secretary of state",
    "supreme leader",
    "grand ayatollah",
    "president",
    "minister",
    "deputy",
    "ayatollah",
    "sheikh",
    "sheik",
    "shaikh",
    "sayyed",
    "sayyid",
    "professor",
    "prof",
    "senator",
    "sen",
    "rep",
    "gen",
    "col",
    "lt",
    "mrs",
    "mr",
    "ms",
    "mx",
    "miss",
    "dr",
    "sir",
    "dame",
)
_TITLE_PREFIX = re.compile(
    # "Minister of Defence" is an office, not a title before a name: "of" and the like stop it.
    r"^(?:the\s+|(?:" + "|".join(re.escape(title) for title in _TITLES) + r")\.?\s+"
    r"(?!(?:of|for|and|to)\b))+"
)
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$")
_SPACES = re.compile(r"\s+")


class Mention(NamedTuple):
    """One entity span in one article (a NamedTuple: a large corpus has 100,000 of them)."""

    article: str  # article id
    start: int  # Python str offsets into the article text, half-open
    end: int
    label: str  # spaCy label (PERSON, ORG, GPE, NORP, ...)
    text: str  # the surface text, verbatim


def fold(text: str) -> str:
    """Accents, case, curly quotes and runs of whitespace folded away: for matching, not showing."""
    ascii_text = text if text.isascii() else anyascii(text)
    return " ".join(ascii_text.casefold().split())


def variant_key(surface: str) -> str:
    """The normalised form of a name: "Mr Putin’s" and "putin" share the key "putin".

    anyascii transliteration, casefold, curly quotes made straight (anyascii does that), a
    possessive 's or s' taken off the end, a leading "the" and leading titles taken off (unless
    nothing would be left), whitespace collapsed.
    """
    folded = _POSSESSIVE.sub("", fold(surface)).strip()
    stripped = _TITLE_PREFIX.sub("", folded, count=1)
    return stripped if stripped else folded


# -- the romanisation skeleton -----------------------------------------------------------------

_ROMAN_OR_NUMBER = re.compile(r"(?:[ivxlcdm]+|\d[\d.,:/]*)")
_TOKEN_SPLIT = re.compile(r"[\s\-‐‑–—]+")
_ARABIC_ARTICLE = re.compile(r"\b(?:al|el|ul)-(?=\w{3})")
_DROPPED = re.compile(r"[.'`\"’‘]")
# Ordered rewrites of one token, each an equivalence between common romanisations of Russian,
# Ukrainian and Arabic names. They apply to every token alike, so a name and its own variants meet.
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # Ukrainian h for Russian g (Bohdanov/Bogdanov, Olha/Olga, Serhiy/Sergey): an h after a
        # vowel or l/r/n/m and before another letter; kh, sh, zh, th, ph, gh and a word's first or
        # last h (Haniyeh, Allah) are left alone.
        (r"(?<=[aeiouylrnm])h(?=[a-z])", "g"),
        (r"x", "ks"),  # Aleksandr/Alexandr
        (r"ck|q", "k"),  # Marzuq/Marzouk, Iraq/Irak
        (r"w", "v"),  # Wladimir/Vladimir
        (r"ph", "f"),
        (r"^ye", "e"),  # Yevgeny/Evgeny
        (r"ou|oo", "u"),  # Musa/Mousa/Moussa, Abu/Abou, Yusuf/Youssef
        (r"y", "i"),  # Sergey/Sergei, Zelensky/Zelenskyy/Zelenskiy, Ryabkov/Riabkov
        (r"(?<=.)j", "i"),  # Sergej, Zelenskij (not a first J: Jan and Ian are two names)
        (r"(.)\1+", r"\1"),  # doubled letters: Moussa/Musa, Assad/Asad, Zelenskii/Zelenski
        (r"(?<=.)ei$", "i"),  # final -ei/-ey/-iy/-ii: Sergei/Sergey/Serhiy, Andrei/Andriy
    )
)


def name_skeleton(key: str) -> str:
    """A variant key reduced to what its romanisations share: "bohdanov" and "bogdanov" both
    give "bogdanov"; an Arabic article joined by a hyphen is dropped ("al-assad" gives "asad")."""
    return " ".join(_skeleton_tokens(key))


def _skeleton_tokens(key: str) -> tuple[str, ...]:
    return tuple(
        _token_skeleton(token)
        for token in _TOKEN_SPLIT.split(_ARABIC_ARTICLE.sub("", _DROPPED.sub("", key)))
        if token
    )


@lru_cache(maxsize=1 << 16)  # first names and surnames recur across a corpus's distinct names
def _token_skeleton(token: str) -> str:
    # Numbers and roman numerals are kept whole: "ii" must not become "i" (World War II/III).
    if _ROMAN_OR_NUMBER.fullmatch(token):
        return token
    for pattern, replacement in _REWRITES:
        token = pattern.sub(replacement, token)
    return token


# -- entries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityEntry:
    """One real-world name: every mention of it across the articles, under every spelling."""

    key: str  # stable id: label + ":" + variant_key of the canonical name
    name: str  # canonical display name (the longest frequent full form)
    label: str  # majority spaCy label of its mentions
    variants: tuple[str, ...]  # distinct surface forms, most frequent first
    mentions: tuple[Mention, ...]  # in (article, start) order

    # Not a field, so equality and hashing ignore it; frozen dataclasses allow cached_property
    # because it writes the instance __dict__ directly.
    @cached_property
    def _counts(self) -> dict[str, int]:
        return dict(Counter(mention.article for mention in self.mentions))

    def counts(self) -> dict[str, int]:
        """Mentions per article id, in article order (a fresh dict each call)."""
        return dict(self._counts)

    @property
    def total(self) -> int:
        return len(self.mentions)

    @cached_property
    def search_text(self) -> str:
        """The name and every variant, folded, one a line: what `EntityIndex.filtered` searches."""
        return "\n".join(dict.fromkeys(fold(text) for text in (self.name, *self.variants)))


class _Node:
    """Every mention sharing one variant key (and, for number types, one label)."""

    __slots__ = (
        "exact",
        "key",
        "label",
        "label_counts",
        "mentions",
        "skeleton",
        "surfaces",
        "tokens",
    )

    def __init__(self, key: str, exact: bool) -> None:
        self.key = key
        self.exact = exact
        self.mentions: list[Mention] = []
        self.label_counts: dict[str, int] = {}  # plain dicts: a Counter costs 3x to make
        self.surfaces: dict[str, int] = {}
        self.label = ""
        self.tokens: tuple[str, ...] = ()
        self.skeleton = ""


class _Groups:
    """Union-find over nodes, refusing any join that would put two split-apart nodes together."""

    def __init__(self, size: int, apart: Iterable[tuple[int, int]]) -> None:
        self.parent = list(range(size))
        self.forbidden: dict[int, set[int]] = defaultdict(set)  # root -> nodes it must not hold
        for first, second in apart:
            if first != second:
                self.forbidden[first].add(second)
                self.forbidden[second].add(first)

    def find(self, node: int) -> int:
        parent = self.parent
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    def join(self, first: int, second: int) -> bool:
        """Join the two groups unless a split forbids it; whether they are now one group."""
        root_a, root_b = self.find(first), self.find(second)
        if root_a == root_b:
            return True
        forbidden_a = self.forbidden.get(root_a, set())
        forbidden_b = self.forbidden.get(root_b, set())
        if any(self.find(node) == root_b for node in forbidden_a) or any(
            self.find(node) == root_a for node in forbidden_b
        ):
            return False
        # The smaller index stays root, so the result does not depend on the order of joins.
        keep, drop = min(root_a, root_b), max(root_a, root_b)
        self.parent[drop] = keep
        if forbidden_a or forbidden_b:
            self.forbidden[keep] = forbidden_a | forbidden_b
            self.forbidden.pop(drop, None)
        return True


def group_mentions(
    mentions: Iterable[Mention],
    *,
    together: Iterable[tuple[str, str]] = (),
    apart: Iterable[tuple[str, str]] = (),
) -> list[EntityEntry]:
    """Group mentions into entries, one per real-world name (the module docstring has the rules).

    `together` and `apart` are pairs of variant keys (raw names are keyed here too): a together
    pair's whole entries share one entry, an apart pair's names never do, whatever the fuzzy rules
    say. When the two contradict, apart wins. Spellings with one key ("Putin", "Mr Putin") are
    one unit and cannot be split from each other. Entries come most-mentioned first, then by name.
    """
    nodes = _nodes(mentions)
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, node in enumerate(nodes):
        by_key[node.key].append(index)

    def indexes(name: str) -> list[int]:
        return by_key.get(variant_key(name), [])

    groups = _Groups(
        len(nodes),
        sorted(
            (first, second)
            for one, other in apart
            for first in indexes(one)
            for second in indexes(other)
        ),
    )
    for one, other in sorted(together):
        members = indexes(one) + indexes(other)
        for member in members[1:]:
            groups.join(members[0], member)
    _join_same_skeleton(nodes, groups)
    _join_near_spellings(nodes, groups)
    _join_surnames(nodes, groups)

    members_of: dict[int, list[_Node]] = defaultdict(list)
    for index, node in enumerate(nodes):
        members_of[groups.find(index)].append(node)
    display_forms: dict[str, tuple[str, int]] = {}
    entries = [_entry(members, display_forms) for members in members_of.values()]
    entries.sort(key=lambda entry: (-len(entry.mentions), fold(entry.name), entry.key))
    return _unique_keys(entries)


def _nodes(mentions: Iterable[Mention]) -> list[_Node]:
    keys: dict[str, str] = {}  # surface -> key: a corpus repeats its names, anyascii is not free
    found: dict[tuple[str, str], _Node] = {}
    for mention in mentions:
        key = keys.get(mention.text)
        if key is None:
            key = keys[mention.text] = variant_key(mention.text)
        exact = mention.label not in _NAME_LABEL_SET
        node_id = (mention.label if exact else "", key)
        node = found.get(node_id)
        if node is None:
            node = found[node_id] = _Node(key, exact)
        node.mentions.append(mention)
        node.label_counts[mention.label] = node.label_counts.get(mention.label, 0) + 1
        node.surfaces[mention.text] = node.surfaces.get(mention.text, 0) + 1
    nodes = [found[node_id] for node_id in sorted(found)]
    for node in nodes:
        node.label = _majority(node.label_counts)
        node.tokens = _skeleton_tokens(node.key)
        node.skeleton = " ".join(node.tokens)
    return nodes


def _majority(label_counts: Mapping[str, int]) -> str:
    return min(
        label_counts, key=lambda label: (-label_counts[label], _LABEL_RANK.get(label, 99), label)
    )


def _join_same_skeleton(nodes: Sequence[_Node], groups: _Groups) -> None:
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, node in enumerate(nodes):
        if not node.exact and node.skeleton:
            buckets[node.skeleton].append(index)
    for members in buckets.values():
        if len(members) < 2:
            continue
        if len(nodes[members[0]].tokens) >= 2:
            for member in members[1:]:
                groups.join(members[0], member)
        else:  # one token: a different type is likely a different thing (Assad vs al-Assad base)
            first_of_label: dict[str, int] = {}
            for member in members:
                label = nodes[member].label
                if label in first_of_label:
                    groups.join(first_of_label[label], member)
                else:
                    first_of_label[label] = member


def _join_near_spellings(nodes: Sequence[_Node], groups: _Groups) -> None:
    # Aligned tokens must share their first letter, so label + every initial is a tight block;
    # inside a block rapidfuzz's C loop finds the few skeletons near enough to look at.
    blocks: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for index, node in enumerate(nodes):
        if not node.exact and len(node.skeleton.replace(" ", "")) >= FUZZY_MIN_LENGTH:
            initials = tuple(token[0] for token in node.tokens)
            blocks[(node.label, initials)].append(index)
    for members in blocks.values():
        if len(members) < 2:
            continue
        skeletons = [nodes[member].skeleton for member in members]
        for position, member in enumerate(members[:-1]):
            near = process.extract(
                skeletons[position],
                skeletons[position + 1 :],
                scorer=fuzz.ratio,
                score_cutoff=NAME_SIMILARITY,
                limit=None,
            )
            for _, _, offset in sorted(near, key=lambda found: found[2]):
                other = members[position + 1 + offset]
                if groups.find(member) != groups.find(other) and _tokens_compatible(
                    nodes[member], nodes[other]
                ):
                    groups.join(member, other)


def _tokens_compatible(one: _Node, other: _Node) -> bool:
    """Each pair of aligned tokens alike, and numbers and roman numerals equal."""
    if len(one.tokens) != len(other.tokens):
        return False  # a token more is another name: George Bush and George W. Bush
    for token, other_token in zip(one.tokens, other.tokens, strict=True):
        if token == other_token:
            continue
        if _ROMAN_OR_NUMBER.fullmatch(token) or _ROMAN_OR_NUMBER.fullmatch(other_token):
            return False
        if Levenshtein.normalized_similarity(token, other_token) < TOKEN_SIMILARITY:
            return False
    return True


def _join_surnames(nodes: Sequence[_Node], groups: _Groups) -> None:
    """A shorter tail of a PERSON name joins the one PERSON group that holds the longer name."""

    def person_group(root: int) -> bool:
        return _majority(labels_of[root]) == "PERSON"

    labels_of: dict[int, Counter[str]] = defaultdict(Counter)
    for index, node in enumerate(nodes):
        labels_of[groups.find(index)].update(node.label_counts)
    # Tail of a longer name -> the nodes whose names end so.
    longer_names: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, node in enumerate(nodes):
        if not node.exact and node.label == "PERSON":
            for cut in range(1, len(node.tokens)):
                longer_names[node.tokens[cut:]].append(index)
    # Longer tails first: "abu marzouk" joins "musa abu marzouk" before "marzouk" looks.
    partials = sorted(
        (index for index, node in enumerate(nodes) if node.label == "PERSON" and not node.exact),
        key=lambda index: (-len(nodes[index].tokens), nodes[index].key),
    )
    for index in partials:
        holders = longer_names.get(nodes[index].tokens)
        if not holders:
            continue
        own = groups.find(index)
        roots = {groups.find(holder) for holder in holders} - {own}
        roots = {root for root in roots if person_group(root)}
        if len(roots) == 1:
            (root,) = roots
            if groups.join(index, root):
                merged = groups.find(index)
                counts = labels_of.pop(own, Counter()) + labels_of.pop(root, Counter())
                labels_of[merged] = counts


def _entry(members: Sequence[_Node], display_forms: dict[str, tuple[str, int]]) -> EntityEntry:
    mentions = sorted(mention for node in members for mention in node.mentions)
    label_counts: Counter[str] = Counter()
    surfaces: Counter[str] = Counter()
    for node in members:
        label_counts.update(node.label_counts)
        surfaces.update(node.surfaces)
    variants = tuple(sorted(surfaces, key=lambda text: (-surfaces[text], text)))
    name = _canonical_name(surfaces, display_forms)
    label = _majority(label_counts)
    return EntityEntry(f"{label}:{variant_key(name)}", name, label, variants, tuple(mentions))


def _canonical_name(surfaces: Mapping[str, int], display_forms: dict[str, tuple[str, int]]) -> str:
    """The full form most used: the most words, then the most mentions, then the longest.

    Names are shown as written, less what the key also drops in front and behind ("the",
    titles, a possessive): "Mr Putin’s" shows as "Putin", "the Middle East" as "Middle East".
    `display_forms` caches each surface's form and word count across entries.
    """
    if len(surfaces) == 1:  # most entries: nothing to choose from
        (surface,) = surfaces
        known = display_forms.get(surface)
        return known[0] if known is not None else _display_form(surface)
    forms: Counter[str] = Counter()
    words: dict[str, int] = {}
    for surface, count in surfaces.items():
        known = display_forms.get(surface)
        if known is None:
            form = _display_form(surface)
            known = display_forms[surface] = (form, len(variant_key(form).split()))
        forms[known[0]] += count
        words[known[0]] = known[1]
    return min(forms, key=lambda form: (-words[form], -forms[form], -len(form), form))


def _display_form(surface: str) -> str:
    text = _SPACES.sub(" ", surface).strip()
    text = re.sub(r"(?:['’]s|(?<=s)['’])$", "", text)
    # Take off as many leading words as the key lost (the words are the same, only cased).
    dropped = len(fold(text).split()) - len(variant_key(text).split())
    words = text.split(" ")
    return " ".join(words[dropped:]) if 0 < dropped < len(words) else text


def _unique_keys(entries: list[EntityEntry]) -> list[EntityEntry]:
    # Two entries share a key only after contradictory user merges; number the later ones.
    seen: Counter[str] = Counter()
    unique: list[EntityEntry] = []
    for entry in entries:
        seen[entry.key] += 1
        if seen[entry.key] > 1:
            entry = EntityEntry(
                f"{entry.key}#{seen[entry.key]}",
                entry.name,
                entry.label,
                entry.variants,
                entry.mentions,
            )
        unique.append(entry)
    return unique


# -- the index --------------------------------------------------------------------------------


class _ArticleSpans(NamedTuple):
    starts: list[int]
    ends: list[int]
    reach: list[int]  # the furthest end among spans up to each position (for nested spans)
    entries: list[EntityEntry]


class EntityIndex:
    """Entries with lookups by key, by position in an article, by text and by type."""

    def __init__(self, entries: Sequence[EntityEntry]) -> None:
        self.entries: tuple[EntityEntry, ...] = tuple(entries)
        self._by_key = {entry.key: entry for entry in self.entries}
        spans: dict[str, list[tuple[int, int, EntityEntry]]] = defaultdict(list)
        for entry in self.entries:
            for mention in entry.mentions:
                spans[mention.article].append((mention.start, mention.end, entry))
        self._spans: dict[str, _ArticleSpans] = {}
        for article, found in spans.items():
            found.sort(key=lambda span: (span[0], -span[1]))
            ends = [end for _, end, _ in found]
            reach: list[int] = []
            furthest = -1
            for end in ends:
                furthest = max(furthest, end)
                reach.append(furthest)
            self._spans[article] = _ArticleSpans(
                [start for start, _, _ in found], ends, reach, [entry for _, _, entry in found]
            )

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[EntityEntry]:
        return iter(self.entries)

    def by_key(self, key: str) -> EntityEntry | None:
        return self._by_key.get(key)

    def entry_at(self, article: str, offset: int) -> EntityEntry | None:
        """The entry with a mention covering `offset` (start <= offset < end), innermost first."""
        spans = self._spans.get(article)
        if spans is None:
            return None
        position = bisect.bisect_right(spans.starts, offset) - 1
        # Walk back only while an earlier span could still reach the offset: one step for
        # spaCy's disjoint entities, a few for nested corrections.
        while position >= 0 and spans.reach[position] > offset:
            if spans.ends[position] > offset:
                return spans.entries[position]
            position -= 1
        return None

    def filtered(self, text: str = "", labels: Collection[str] | None = None) -> list[EntityEntry]:
        """Entries whose name or a variant contains `text` (any case, any accents), of `labels`."""
        needle = fold(text)
        return [
            entry
            for entry in self.entries
            if (labels is None or entry.label in labels)
            and (not needle or needle in entry.search_text)
        ]

    def sorted_by(self, order: Literal["count", "name"]) -> list[EntityEntry]:
        """Most mentioned first ("count"), or alphabetical ignoring case and accents ("name")."""
        if order == "count":
            return sorted(self.entries, key=lambda e: (-len(e.mentions), fold(e.name), e.key))
        if order == "name":
            return sorted(self.entries, key=lambda e: (fold(e.name), e.key))
        raise ValueError(f"unknown order {order!r}: use 'count' or 'name'")

    @classmethod
    def build(
        cls,
        mentions_by_article: Mapping[str, Iterable[tuple[int, int, str]]],
        texts: Mapping[str, str],
        *,
        together: Iterable[tuple[str, str]] = (),
        apart: Iterable[tuple[str, str]] = (),
    ) -> EntityIndex:
        """Group the entities of each article (`texts` gives each article's text by id)."""
        mentions = [
            Mention(article, start, end, label, texts[article][start:end])
            for article, spans in mentions_by_article.items()
            for start, end, label in spans
        ]
        return cls(group_mentions(mentions, together=together, apart=apart))
