"""corpus.entity_index: spelling variants of one name merged into one entry, and nothing else.

The first part checks the grouping of the real bundled corpus (real spaCy) against the
hand-checked gold file beside this test; the rest pins each rule on small synthetic mentions.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from corpus.entity_index import (
    NAME_LABELS,
    EntityEntry,
    EntityIndex,
    Mention,
    group_mentions,
    name_skeleton,
    variant_key,
)
from corpus.loader import bundled_articles
from reader.entities import extract_entities, load_pipeline

GOLD = json.loads((Path(__file__).parent / "entity_groups_gold.json").read_text(encoding="utf-8"))


def mentions(*names: tuple[str, str], article: str = "a") -> list[Mention]:
    """One mention per (surface, label), laid end to end in one made-up article."""
    made: list[Mention] = []
    offset = 0
    for text, label in names:
        made.append(Mention(article, offset, offset + len(text), label, text))
        offset += len(text) + 1
    return made


def person(*surfaces: str, article: str = "a") -> list[Mention]:
    return mentions(*((surface, "PERSON") for surface in surfaces), article=article)


def entry_of(entries: Iterable[EntityEntry], surface: str) -> EntityEntry:
    found = [entry for entry in entries if surface in entry.variants]
    assert len(found) == 1, f"{surface!r} is in {len(found)} entries"
    return found[0]


def grouped(entries: Sequence[EntityEntry]) -> set[frozenset[str]]:
    return {frozenset(entry.variants) for entry in entries}


# -- the bundled corpus against the gold file ------------------------------------------------


@pytest.fixture(scope="module")
def corpus_entries() -> list[EntityEntry]:
    """The real model's entities of the bundled articles, grouped (spaCy loaded once here)."""
    nlp: Any = load_pipeline()
    articles = bundled_articles()
    index = EntityIndex.build(
        {article.id: extract_entities(nlp, article.text) for article in articles},
        {article.id: article.text for article in articles},
    )
    return list(index.entries)


def test_every_gold_name_is_an_entity_the_model_finds(corpus_entries: list[EntityEntry]) -> None:
    # Otherwise a new model would make the gold pass vacuously.
    surfaces = {variant for entry in corpus_entries for variant in entry.variants}
    gold_names = {name for group in GOLD["together"] for name in group} | {
        name for pair in GOLD["apart"] for name in pair
    }
    assert sorted(gold_names - surfaces) == []


def test_corpus_reaches_every_gold_group(corpus_entries: list[EntityEntry]) -> None:
    for group in GOLD["together"]:
        keys = {entry_of(corpus_entries, surface).key for surface in group}
        assert len(keys) == 1, f"{group} is split over {sorted(keys)}"


def test_corpus_keeps_every_gold_pair_apart(corpus_entries: list[EntityEntry]) -> None:
    for one, other in GOLD["apart"]:
        assert entry_of(corpus_entries, one) != entry_of(corpus_entries, other), (one, other)


def test_corpus_makes_no_merge_the_gold_does_not_hold(corpus_entries: list[EntityEntry]) -> None:
    """Every entry joining two or more name-like surfaces lies inside one hand-checked group."""
    gold_groups = [set(group) for group in GOLD["together"]]
    unchecked = [
        entry.variants
        for entry in corpus_entries
        if len(entry.variants) > 1
        and entry.label in NAME_LABELS
        and not any(set(entry.variants) <= group for group in gold_groups)
    ]
    assert unchecked == []


def test_corpus_entries_name_and_count_the_people(corpus_entries: list[EntityEntry]) -> None:
    putin = entry_of(corpus_entries, "Putin")
    assert (putin.key, putin.name, putin.label) == (
        "PERSON:vladimir putin",
        "Vladimir Putin",
        "PERSON",
    )
    # The model once calls "Putin" a GPE: one mention out of thirty does not split him off.
    assert {mention.label for mention in putin.mentions} == {"PERSON", "GPE"}
    assert putin.variants[0] == "Putin"  # most frequent first
    marzouk = entry_of(corpus_entries, "Mousa Abu Marzouk")
    assert marzouk.name == "Musa Abu Marzouk"  # used twice, the other spellings once each
    assert marzouk.counts() == {
        "telegraph-putin-axis-of-terror": 1,
        "worldcrunch-russia-hamas-alliance-undermining": 1,
        "russia-hamas-alliance-of-convenience": 1,
        "kuzio-iran-war-russia-backing": 1,
    }
    lavrov = entry_of(corpus_entries, "Lavrov")
    assert lavrov.name == "Sergey Lavrov" and len(lavrov.mentions) == 7


def test_corpus_entry_names_key_back_to_one_of_their_variants(
    corpus_entries: list[EntityEntry],
) -> None:
    # The UI merges and splits entries by the key of their names: it must be a key they hold.
    for entry in corpus_entries:
        assert variant_key(entry.name) in {variant_key(variant) for variant in entry.variants}
        assert entry.key == f"{entry.label}:{variant_key(entry.name)}"
    assert len({entry.key for entry in corpus_entries}) == len(corpus_entries)


def test_corpus_index_finds_the_entry_under_a_real_offset(
    corpus_entries: list[EntityEntry],
) -> None:
    articles = {article.id: article for article in bundled_articles()}
    index = EntityIndex(corpus_entries)
    text = articles["telegraph-putin-axis-of-terror"].text
    offset = text.index("Mousa Abu Marzouk") + 6
    found = index.entry_at("telegraph-putin-axis-of-terror", offset)
    assert found is not None and found.name == "Musa Abu Marzouk"
    for entry in corpus_entries:
        for mention in entry.mentions:
            assert articles[mention.article].text[mention.start : mention.end] == mention.text
            assert index.entry_at(mention.article, mention.start) is entry
            assert index.entry_at(mention.article, mention.end - 1) is entry


# -- variant_key and the skeleton ------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "key"),
    [
        ("Putin", "putin"),
        ("Mr Putin", "putin"),
        ("Mr. Putin’s", "putin"),
        ("President Vladimir Putin", "vladimir putin"),
        ("Deputy Foreign Minister Mikhail Bogdanov", "mikhail bogdanov"),
        ("Sheikh  Hasina", "hasina"),
        ("Sayyed Ali Khamenei", "ali khamenei"),
        ("the Middle East's", "middle east"),
        ("The United States", "united states"),
        ("the Houthis’", "houthis"),
        ("Zelens’kyi", "zelens'kyi"),
        ("Sergeï  Lavrov\n", "sergei lavrov"),
        ("Müller", "muller"),
        ("Сергей Лавров", "sergey lavrov"),
        ("Newsletters\n\nAccess to Worldcrunch", "newsletters access to worldcrunch"),
        ("President", "president"),  # a title alone is kept, not emptied
        ("the Institute for the Study of War", "institute for the study of war"),  # only in front
        ("Minister of Defence", "minister of defence"),  # an office, not a title before a name
        ("the", "the"),
    ],
)
def test_variant_key(surface: str, key: str) -> None:
    assert variant_key(surface) == key


@pytest.mark.parametrize(
    "spellings",
    [
        ("Mikhail Bogdanov", "Mikhail Bohdanov"),  # Ukrainian h for Russian g
        ("Sergey Lavrov", "Sergei Lavrov", "Sergej Lavrov"),
        ("Musa Abu Marzouk", "Mousa Abu Marzouk", "Moussa Abou Marzouk", "Musa Abu Marzuq"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy", "Volodymyr Zelenskij"),
        ("Aleksandr Dugin", "Alexandr Dugin"),
        ("Yevgeny Prigozhin", "Evgeny Prigozhin"),
        ("Bashar al-Assad", "Bashar el-Assad", "Bashar Assad", "Bashar al-Asad"),
        ("Serhiy Lavrov", "Sergei Lavrov"),
    ],
)
def test_romanisation_variants_share_a_skeleton(spellings: tuple[str, ...]) -> None:
    assert len({name_skeleton(variant_key(spelling)) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Lavrov", "Lvov"),
        ("World War II", "World War III"),
        ("Mikhail Bogdanov", "Mikail Bogdanov"),  # kh is a digraph: its h is not a g
        ("Iran", "Iraq"),
        ("Jan Smith", "Ian Smith"),  # a first J is not a Y or an I
    ],
)
def test_different_names_keep_different_skeletons(one: str, other: str) -> None:
    assert name_skeleton(variant_key(one)) != name_skeleton(variant_key(other))


# -- grouping rules on synthetic mentions ----------------------------------------------------


def test_spelling_variants_merge_into_one_entry() -> None:
    entries = group_mentions(
        person("Mikhail Bogdanov", "Mikhail Bohdanov", "Sergey Lavrov", "Sergei Lavrov")
        + person("Musa Abu Marzouk", "Mousa Abu Marzouk", "Moussa Abu Marzouk", article="b")
    )
    assert grouped(entries) == {
        frozenset({"Mikhail Bogdanov", "Mikhail Bohdanov"}),
        frozenset({"Sergey Lavrov", "Sergei Lavrov"}),
        frozenset({"Musa Abu Marzouk", "Mousa Abu Marzouk", "Moussa Abu Marzouk"}),
    }


def test_lavrov_and_lvov_stay_apart_where_jaro_winkler_would_merge_them() -> None:
    # The trap the rules are built around: Jaro-Winkler rates this pair 0.90.
    assert JaroWinkler.similarity("lavrov", "lvov") == pytest.approx(0.9)
    entries = group_mentions(person("Lavrov", "Lvov", "Sergei Lavrov", "Sergei Lvov"))
    assert grouped(entries) == {
        frozenset({"Lavrov", "Sergei Lavrov"}),
        frozenset({"Lvov", "Sergei Lvov"}),
    }
    assert entry_of(entries, "Lvov") != entry_of(entries, "Lavrov")


def test_near_spellings_merge_when_every_token_is_alike() -> None:
    entries = group_mentions(
        person("Khaled Meshaal", "Khaled Mashal")
        + mentions(("Israeli", "NORP"), ("Israelis", "NORP"))
    )
    assert grouped(entries) == {
        frozenset({"Khaled Meshaal", "Khaled Mashal"}),
        frozenset({"Israeli", "Israelis"}),
    }


@pytest.mark.parametrize(
    "names",
    [
        (("George Bush", "PERSON"), ("George W. Bush", "PERSON")),  # a token more: another man
        (("Kim Jong Un", "PERSON"), ("Kim Jong Il", "PERSON")),
        (("World War II", "EVENT"), ("World War III", "EVENT")),
        (("Austria", "GPE"), ("Australia", "GPE")),
        (("Israel", "GPE"), ("Israeli", "NORP")),  # a country and its people
        (("Islamic", "NORP"), ("Islamist", "NORP")),
        (("Sergei Shoigu", "PERSON"), ("Sergey Ryabkov", "PERSON")),  # one first name only
    ],
)
def test_close_but_different_names_stay_apart(names: tuple[tuple[str, str], ...]) -> None:
    assert len(group_mentions(mentions(*names))) == 2


def test_surname_and_titled_surname_join_the_one_full_name() -> None:
    entries = group_mentions(person("Vladimir Putin", "Putin", "Mr Putin", "President Putin’s"))
    assert len(entries) == 1
    assert entries[0].name == "Vladimir Putin"
    assert entries[0].key == "PERSON:vladimir putin"


def test_tails_of_a_name_join_it_longest_first() -> None:
    entries = group_mentions(person("Marzouk", "Abu Marzouk", "Mousa Abu Marzouk", "Marzouk"))
    assert len(entries) == 1
    assert entries[0].name == "Mousa Abu Marzouk"
    assert entries[0].variants == ("Marzouk", "Abu Marzouk", "Mousa Abu Marzouk")


def test_an_ambiguous_surname_stays_apart() -> None:
    entries = group_mentions(person("Ali Baraka", "Ahmed Baraka", "Baraka", "Ali Baraka"))
    assert grouped(entries) == {
        frozenset({"Ali Baraka"}),
        frozenset({"Ahmed Baraka"}),
        frozenset({"Baraka"}),
    }


def test_a_surname_labelled_otherwise_does_not_join_a_person() -> None:
    # "al-Assad" the airbase (ORG) is not Bashar al-Assad, though "Assad" the person is.
    entries = group_mentions(
        mentions(("Bashar al-Assad", "PERSON"), ("Assad", "PERSON"), ("al-Assad", "ORG"))
    )
    assert grouped(entries) == {
        frozenset({"Bashar al-Assad", "Assad"}),
        frozenset({"al-Assad"}),
    }


def test_type_disagreement_does_not_split_a_person() -> None:
    entries = group_mentions(
        mentions(
            ("Putin", "PERSON"),
            ("Putin", "GPE"),
            ("Putin", "PERSON"),
            ("Vladimir Putin", "PERSON"),
            ("Musa Abu Marzouk", "PERSON"),
            ("Mousa Abu Marzouk", "ORG"),
        )
    )
    putin = entry_of(entries, "Putin")
    assert putin.label == "PERSON" and len(putin.mentions) == 4
    marzouk = entry_of(entries, "Mousa Abu Marzouk")
    assert marzouk is entry_of(entries, "Musa Abu Marzouk")
    assert marzouk.label == "PERSON"  # a tie goes to the more name-like label
    assert len(entries) == 2


def test_the_majority_label_names_the_entry() -> None:
    entries = group_mentions(mentions(("Kalashnikov", "PERSON"), *[("Kalashnikov", "NORP")] * 3))
    assert [(entry.label, entry.key) for entry in entries] == [("NORP", "NORP:kalashnikov")]


def test_numbers_and_dates_group_only_on_an_identical_key() -> None:
    entries = group_mentions(
        mentions(
            ("1990", "DATE"),
            ("1999", "DATE"),
            ("Today", "DATE"),
            ("today", "DATE"),
            ("2023", "DATE"),
            ("2023", "CARDINAL"),
            ("three", "CARDINAL"),
            ("thee", "CARDINAL"),
        )
    )
    assert grouped(entries) == {
        frozenset({"1990"}),
        frozenset({"1999"}),
        frozenset({"Today", "today"}),
        frozenset({"2023"}),
        frozenset({"three"}),
        frozenset({"thee"}),
    }
    assert sorted(entry.key for entry in entries if entry.variants == ("2023",)) == [
        "CARDINAL:2023",
        "DATE:2023",
    ]


# -- the user's merges and splits ------------------------------------------------------------


def test_together_merges_whole_entries() -> None:
    base = mentions(
        ("Ebrahim Raisi", "PERSON"), ("Raisi", "GPE"), ("Raisi", "GPE"), ("Mr Raisi", "GPE")
    ) + person("President Ebrahim Raisi", article="b")
    assert len(group_mentions(base)) == 2
    entries = group_mentions(base, together=[("raisi", "ebrahim raisi")])
    assert len(entries) == 1
    assert set(entries[0].variants) == {
        "Ebrahim Raisi",
        "President Ebrahim Raisi",
        "Raisi",
        "Mr Raisi",
    }
    # Names are keyed on the way in, so raw surfaces work as well as keys.
    assert group_mentions(base, together=[("Raisi", "President Ebrahim Raisi")]) == entries


def test_apart_beats_the_spelling_rule() -> None:
    base = person("Mikhail Bogdanov", "Mikhail Bohdanov", "Bogdanov")
    entries = group_mentions(base, apart=[("mikhail bogdanov", "mikhail bohdanov")])
    assert entry_of(entries, "Mikhail Bogdanov") != entry_of(entries, "Mikhail Bohdanov")
    # Now two full names end in "Bogdanov": the surname is ambiguous and joins neither.
    assert grouped(entries) == {
        frozenset({"Mikhail Bogdanov"}),
        frozenset({"Mikhail Bohdanov"}),
        frozenset({"Bogdanov"}),
    }


def test_apart_beats_the_surname_rule_and_a_merge() -> None:
    base = person("Vladimir Putin", "Putin", "Vladimir Putin")
    entries = group_mentions(base, apart=[("Putin", "Vladimir Putin")])
    assert len(entries) == 2
    contradictory = group_mentions(
        base, together=[("putin", "vladimir putin")], apart=[("putin", "vladimir putin")]
    )
    assert grouped(contradictory) == grouped(entries)


def test_apart_holds_through_a_chain_of_joins() -> None:
    # Bohdanov would reach Bogdanov through the surname: the split forbids the whole chain.
    base = person("Mikhail Bogdanov", "Bogdanov", "Mikhail Bohdanov")
    entries = group_mentions(base, apart=[("Mikhail Bohdanov", "Bogdanov")])
    assert entry_of(entries, "Mikhail Bohdanov") != entry_of(entries, "Bogdanov")


# -- entries, order and determinism ----------------------------------------------------------


def test_entry_fields() -> None:
    made = mentions(("Putin", "PERSON"), ("Vladimir Putin", "PERSON"), article="b") + mentions(
        ("Mr Putin’s", "PERSON"), ("Putin", "PERSON"), ("Moscow", "GPE"), article="a"
    )
    entries = group_mentions(made)
    putin = entries[0]  # most mentioned first
    assert putin.key == "PERSON:vladimir putin"
    assert putin.variants == ("Putin", "Mr Putin’s", "Vladimir Putin")
    assert [(m.article, m.start) for m in putin.mentions] == [
        ("a", 0),
        ("a", 11),
        ("b", 0),
        ("b", 6),
    ]
    assert putin.counts() == {"a": 2, "b": 2}
    putin.counts()["a"] = 99  # a copy: the entry stays as it was
    assert putin.counts() == {"a": 2, "b": 2}
    assert [entry.key for entry in entries] == ["PERSON:vladimir putin", "GPE:moscow"]


def test_display_name_drops_what_the_key_drops() -> None:
    entries = group_mentions(
        mentions(
            ("the Middle East", "LOC"), ("the Middle East's", "LOC"), ("Mr Gallant’s", "PERSON")
        )
    )
    assert sorted(entry.name for entry in entries) == ["Gallant", "Middle East"]


def test_grouping_is_deterministic_whatever_the_input_order() -> None:
    made = (
        # "Bogdanov" and "Mr Bogdanov" tie in frequency: the variants still come in a fixed order.
        person("Mikhail Bogdanov", "Mikhail Bohdanov", "Bogdanov", "Mr Bogdanov", "Sergey Lavrov")
        + person("Lavrov", "Mr Lavrov", article="d")
        + mentions(("Russia", "GPE"), ("Russian", "NORP"), ("Russians", "NORP"), article="b")
        + mentions(("2024", "DATE"), ("Lvov", "PERSON"), ("Sergei Lavrov", "PERSON"), article="c")
    )
    expected = group_mentions(made)
    for seed in range(5):
        shuffled = list(made)
        random.Random(seed).shuffle(shuffled)
        assert group_mentions(shuffled) == expected
    assert [entry.key for entry in expected] == [
        "PERSON:mikhail bogdanov",
        "PERSON:sergei lavrov",  # a tie between spellings goes to the first in alphabetical order
        "NORP:russians",  # one each: the longer form names the entry
        "DATE:2024",
        "PERSON:lvov",
        "GPE:russia",
    ]


# -- the index -------------------------------------------------------------------------------


def sample_index() -> EntityIndex:
    texts = {
        "a": "Mr Putin met Sergei Lavrov in Moscow. Putin left.",
        "b": "Sergey Lavrov and Volodymyr Zelenskyy; Müller too.",
    }

    def spans(article: str, *surfaces: tuple[str, str]) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        for surface, label in surfaces:
            start = texts[article].index(surface, found[-1][1] if found else 0)
            found.append((start, start + len(surface), label))
        return found

    return EntityIndex.build(
        {
            "a": spans(
                "a",
                ("Putin", "PERSON"),
                ("Sergei Lavrov", "PERSON"),
                ("Moscow", "GPE"),
                ("Putin", "PERSON"),
            ),
            "b": spans(
                "b",
                ("Sergey Lavrov", "PERSON"),
                ("Volodymyr Zelenskyy", "PERSON"),
                ("Müller", "PERSON"),
            ),
        },
        texts,
    )


def test_build_reads_each_surface_from_its_text() -> None:
    index = sample_index()
    lavrov = index.by_key("PERSON:sergei lavrov")
    assert lavrov is not None
    assert [mention.text for mention in lavrov.mentions] == ["Sergei Lavrov", "Sergey Lavrov"]
    assert index.by_key("PERSON:nobody") is None
    assert len(index) == 5 and list(index) == list(index.entries)


def test_entry_at_finds_the_mention_covering_an_offset() -> None:
    index = sample_index()
    text = "Mr Putin met Sergei Lavrov in Moscow. Putin left."
    putin = index.by_key("PERSON:putin")
    lavrov = index.by_key("PERSON:sergei lavrov")
    assert index.entry_at("a", text.index("Putin")) is putin
    assert index.entry_at("a", text.index("Putin") + 4) is putin
    assert index.entry_at("a", text.index("Putin") + 5) is None  # ends are exclusive
    assert index.entry_at("a", 0) is None  # "Mr " lies before the entity spaCy found
    assert index.entry_at("a", text.index("Lavrov")) is lavrov
    assert index.entry_at("a", text.rindex("Putin") + 2) is putin
    assert index.entry_at("a", len(text)) is None
    assert index.entry_at("z", 3) is None


def test_entry_at_prefers_the_innermost_of_nested_mentions() -> None:
    outer = EntityEntry("ORG:a b c", "A B C", "ORG", ("A B C",), (Mention("x", 0, 20, "ORG", ""),))
    inner = EntityEntry("GPE:b", "B", "GPE", ("B",), (Mention("x", 5, 8, "GPE", ""),))
    later = EntityEntry("GPE:d", "D", "GPE", ("D",), (Mention("x", 30, 32, "GPE", ""),))
    index = EntityIndex([outer, inner, later])
    assert [index.entry_at("x", offset) for offset in (0, 5, 7, 8, 19, 20, 31)] == [
        outer,
        inner,
        inner,
        outer,
        outer,
        None,
        later,
    ]


def test_filtered_by_text_any_case_and_accents_and_by_type() -> None:
    index = sample_index()

    def names(text: str = "", labels: set[str] | None = None) -> list[str]:
        return sorted(entry.name for entry in index.filtered(text, labels))

    assert names() == sorted(entry.name for entry in index.entries)
    assert names("LAVROV") == ["Sergei Lavrov"]
    assert names("sergey") == ["Sergei Lavrov"]  # a variant matches, not only the name
    assert names("zelenskyy") == ["Volodymyr Zelenskyy"]
    assert names("muller") == ["Müller"] and names("MÜLLER") == ["Müller"]
    assert names("  putin ") == ["Putin"]
    assert names("nobody") == []
    assert names(labels={"GPE"}) == ["Moscow"]
    assert names("o", labels={"GPE", "PERSON"}) == [
        "Moscow",
        "Sergei Lavrov",
        "Volodymyr Zelenskyy",
    ]
    assert names(labels=set()) == []


def test_sorted_by_count_and_by_name() -> None:
    index = sample_index()
    assert [entry.name for entry in index.sorted_by("count")] == [
        "Putin",
        "Sergei Lavrov",
        "Moscow",
        "Müller",
        "Volodymyr Zelenskyy",
    ]
    assert [entry.name for entry in index.sorted_by("name")] == [
        "Moscow",
        "Müller",
        "Putin",
        "Sergei Lavrov",
        "Volodymyr Zelenskyy",
    ]
    with pytest.raises(ValueError, match="unknown order"):
        index.sorted_by("size")  # type: ignore[arg-type]


# -- scale and hygiene -----------------------------------------------------------------------


def test_near_spellings_are_compared_within_blocks_not_all_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Counts the comparisons (not the time): a corpus-sized name list must not cost n² of them."""
    compared = 0
    real_extract = process.extract

    def counting_extract(query: str, choices: Sequence[str], **kwargs: Any) -> Any:
        nonlocal compared
        compared += len(choices)
        return real_extract(query, choices, **kwargs)

    monkeypatch.setattr(process, "extract", counting_extract)
    rng = random.Random(15)
    letters = "abcdefghijklmnoprstuvz"

    def word() -> str:
        return "".join(rng.choice(letters) for _ in range(rng.randint(4, 9))).capitalize()

    names = sorted({f"{word()} {word()}" for _ in range(3000)})
    entries = group_mentions(person(*names))
    assert len(entries) > 2900  # random names: next to nothing merges
    assert compared < len(names) ** 2 / 100


def test_importing_the_index_pulls_in_neither_textual_nor_spacy() -> None:
    check = (
        "import sys, corpus.entity_index as m\n"
        "m.group_mentions([m.Mention('a', 0, 5, 'PERSON', 'Putin')])\n"
        "print(','.join(n for n in ('textual', 'spacy') if n in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
