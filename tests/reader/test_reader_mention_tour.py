"""Stepping through an entity's mentions across articles, and which highlights are drawn."""

from __future__ import annotations

from reader.entities import Entity
from reader.entity_highlights import EntityHighlights
from reader.mention_tour import MentionTour

ORDER = ["a", "b", "c"]


def tour() -> MentionTour:
    return MentionTour.of("k", "Putin", [("c", 1, 3), ("a", 50, 55), ("a", 5, 10)], ORDER)


def test_forward_goes_through_an_article_then_on_to_the_next_that_has_one() -> None:
    t = tour()
    assert t.step("a", 0, forward=True) == ("a", (5, 10))
    assert t.step("a", 5, forward=True) == ("a", (50, 55))
    assert t.step("a", 50, forward=True) == ("c", (1, 3))  # b has none
    assert t.step("c", 1, forward=True) == ("a", (5, 10))  # wraps around


def test_backward_from_an_article_without_mentions_is_the_previous_one_with_some() -> None:
    t = tour()
    assert t.step("b", 0, forward=False) == ("a", (50, 55))
    assert t.step("b", 0, forward=True) == ("c", (1, 3))
    assert t.step("a", 5, forward=False) == ("c", (1, 3))  # wraps around backwards


def test_position_and_summary_count_in_reading_order() -> None:
    t = tour()
    assert t.position() == 0
    t.step("a", 50, forward=True)
    assert t.total == 3
    assert t.position() == 3
    assert t.summary({"c": "The Times"}) == "Putin: mention 3 of 3 · The Times"


def test_an_article_not_in_the_order_is_visited_last() -> None:
    t = MentionTour.of("k", "X", [("z", 1, 2), ("a", 3, 4)], ["a"])
    assert t.step("a", 3, forward=True) == ("z", (1, 2))


def test_no_mentions_means_no_step() -> None:
    assert MentionTour.of("k", "X", [], ORDER).step("a", 0, forward=True) is None


ENTITIES = [Entity(0, 5, "PERSON"), Entity(10, 15, "GPE"), Entity(20, 25, "PERSON")]


def test_highlights_filter_types_all_and_one_entry() -> None:
    every = EntityHighlights()
    assert every.shown("a", ENTITIES) == ENTITIES
    assert every.describe() == ""
    no_people = every.with_hidden_types({"PERSON"})
    assert no_people.shown("a", ENTITIES) == [Entity(10, 15, "GPE")]
    hidden = no_people.toggled_all()
    assert hidden.shown("a", ENTITIES) == []
    assert hidden.toggled_all().shown("a", ENTITIES) == [Entity(10, 15, "GPE")]
    one = every.only("k", [("a", 20, 25), ("b", 0, 5)])
    assert one.shown("a", ENTITIES) == [Entity(20, 25, "PERSON")]
    assert one.shown("b", ENTITIES) == [Entity(0, 5, "PERSON")]
    assert one.only(None).shown("a", ENTITIES) == ENTITIES
    assert "H" in hidden.describe() and "T" in no_people.describe()
