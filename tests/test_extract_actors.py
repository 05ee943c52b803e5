"""Actors a briefer can trust: roles keep their qualifiers. Made-up text, entities placed by hand."""

from __future__ import annotations

from made_up import made_up_entities

from search.extract.pipeline import extract_from_entities
from search.models import Actor, Extraction


def _actor(extraction: Extraction, name: str) -> Actor:
    found = [a for a in extraction.actors if a.name == name]
    assert len(found) == 1, f"{name!r} in {[a.name for a in extraction.actors]}"
    return found[0]


def _role(text: str, name: str, *others: tuple[str, str]) -> str | None:
    ex = extract_from_entities(text, made_up_entities(text, *others, ("PERSON", name)))
    return _actor(ex, name).role


def test_a_role_keeps_its_qualifier_and_portfolio() -> None:
    assert _role("Shadow chancellor Petra Lindqvist said no.", "Petra Lindqvist") == (
        "Shadow chancellor"
    )
    assert _role("Environment Secretary Maria Dunne said no.", "Maria Dunne") == (
        "Environment Secretary"
    )
    assert _role(
        "It came as the former international development minister Clara Stott quit.", "Clara Stott"
    ) == ("former international development minister")
    assert _role("It hit the ex-minister Anna Widdle.", "Anna Widdle") == "ex-minister"
    assert _role("Rules irk shadow home secretary Dev Kohli.", "Dev Kohli") == (
        "shadow home secretary"
    )


def test_a_qualifier_before_a_party_stays_with_the_role() -> None:
    text = "Then the former Labour MP Robert Vance-Hill spoke."
    assert _role(text, "Robert Vance-Hill", ("ORG", "Labour")) == "former Labour MP"
    # A nationality alone is not part of the role.
    text = "Then Japanese Foreign Minister Kenji Arata spoke."
    assert _role(text, "Kenji Arata", ("NORP", "Japanese")) == "Foreign Minister"


def test_a_lowercase_portfolio_does_not_take_a_capitalised_word_before_it() -> None:
    text = "They praised ex-Harbour Street media chief Tom Ellery."
    assert _role(text, "Tom Ellery") == "media chief"
