"""The stored mentions a query's actor:/place: clauses point at, so the article view can mark them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.models import Extraction, Span

# actor:"Sanae Takaichi", place:Odesa, -actor:x, NOT place:y (the negated ones are left out).
FIELD_CLAUSE = re.compile(
    r'(?<![\w:])(?P<negated>NOT\s+|-)?(?P<field>actor|place):(?:"(?P<quoted>[^"]*)"|(?P<word>[^\s()]+))'
)


@dataclass
class FieldMentions:
    """The entities the query's field clauses found in one article, and all their mentions."""

    values: list[str] = field(default_factory=list)  # the clauses' values as typed, lower-cased
    names: list[str] = field(default_factory=list)  # the article's entities they match
    spans: list[Span] = field(default_factory=list)


def field_values(query: str) -> list[tuple[str, str]]:
    """(field, value) of each actor:/place: clause the query looks for (negated clauses left out)."""
    found = []
    for match in FIELD_CLAUSE.finditer(query):
        value = (match["quoted"] if match["quoted"] is not None else match["word"]).strip()
        if value and not match["negated"]:
            found.append((match["field"], value))
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _names_it(name: str, value: str) -> bool:
    """Whether the index's name field would match: the value's words, in order, within the name."""
    name_words, value_words = _words(name), _words(value)
    width = len(value_words)
    return width > 0 and any(
        name_words[start : start + width] == value_words
        for start in range(len(name_words) - width + 1)
    )


def field_mentions(query: str, extraction: Extraction) -> FieldMentions:
    """The actors and places of `extraction` that the query's actor:/place: clauses name."""
    found = FieldMentions()
    for field_name, value in field_values(query):
        found.values.append(" ".join(value.split()).lower())
        entities = extraction.actors if field_name == "actor" else extraction.places
        for entity in entities:
            if _names_it(entity.name, value) and entity.name not in found.names:
                found.names.append(entity.name)
                found.spans.extend(entity.mentions)
    return found
