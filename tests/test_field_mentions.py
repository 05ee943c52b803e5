"""A query's actor:/place: terms, read from its parse, and the stored mentions they point at."""

from __future__ import annotations

from pathlib import Path

from search.index import ArticleIndex
from search.models import Actor, Extraction, Place, Span
from search.query import named_mentions

EXTRACTION = Extraction(
    actors=[
        Actor("Sanae Takaichi", "person", "Prime Minister", [Span(0, 14), Span(40, 48)]),
        Actor("Lee Jae Myung", "person", "President", [Span(60, 73)]),
    ],
    places=[Place("Nara", "JP", [Span(80, 84)]), Place("Narayanganj", "BD", [Span(90, 101)])],
)


def test_entity_terms_come_from_the_parsed_query_without_its_negated_parts(tmp_path: Path) -> None:
    index = ArticleIndex.open(tmp_path / "data")
    try:
        query = 'actor:"Sanae Takaichi" AND place:Nara NOT actor:Lee NOT (place:Odesa) title:summit'
        assert index.search(query).entity_terms == [("actor", "sanae takaichi"), ("place", "nara")]
        assert index.search("actor:(takaichi OR motegi)").entity_terms == [
            ("actor", "takaichi"),
            ("actor", "motegi"),
        ]
        assert index.search("Takaichi Nara").entity_terms == []
    finally:
        index.close()


def test_a_term_names_the_entities_whose_name_holds_its_words_in_order() -> None:
    names, spans = named_mentions([("actor", "takaichi"), ("place", "nara")], EXTRACTION)
    assert names == ["Sanae Takaichi", "Nara"]  # not Narayanganj: words, not prefixes
    assert spans == [Span(0, 14), Span(40, 48), Span(80, 84)]


def test_words_out_of_order_or_absent_name_nothing() -> None:
    assert named_mentions([("actor", "takaichi sanae")], EXTRACTION) == ([], [])
    assert named_mentions([("actor", "motegi")], EXTRACTION) == ([], [])
