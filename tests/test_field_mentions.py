"""The query's actor:/place: clauses resolved to an article's stored mentions (ui/field_mentions.py)."""

from __future__ import annotations

from search.models import Actor, Extraction, Place, Span
from ui.field_mentions import field_mentions, field_values

EXTRACTION = Extraction(
    actors=[
        Actor("Sanae Takaichi", "person", "Prime Minister", [Span(0, 14), Span(40, 48)]),
        Actor("Lee Jae Myung", "person", "President", [Span(60, 73)]),
    ],
    places=[Place("Nara", "JP", [Span(80, 84)]), Place("Narayanganj", "BD", [Span(90, 101)])],
)


def test_field_values_read_quoted_and_bare_clauses_and_leave_negated_ones_out() -> None:
    query = 'actor:"Sanae Takaichi" AND place:Nara NOT actor:Lee -place:Odesa title:summit'
    assert field_values(query) == [("actor", "Sanae Takaichi"), ("place", "Nara")]


def test_a_clause_names_the_entities_whose_name_holds_its_words_in_order() -> None:
    found = field_mentions('actor:takaichi place:nara "jae myung"', EXTRACTION)
    assert found.values == ["takaichi", "nara"]
    assert found.names == ["Sanae Takaichi", "Nara"]  # not Narayanganj: words, not prefixes
    assert found.spans == [Span(0, 14), Span(40, 48), Span(80, 84)]


def test_words_out_of_order_or_absent_name_nothing() -> None:
    assert field_mentions('actor:"Takaichi Sanae"', EXTRACTION).spans == []
    assert field_mentions("actor:Motegi", EXTRACTION).names == []
    assert field_mentions("Takaichi", EXTRACTION).values == []
