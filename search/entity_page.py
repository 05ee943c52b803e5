"""A page per actor and place: its articles as a timeline, the roles they give it (and when a later
article contradicts one), what it said, who and where come up with it, and the key figures of its
articles — read from the index and the user's corrections, for `briefing entity show` and the window.

Its articles are found through the `actor_key`/`place_key` index fields of every name merged into
it (its variants, renames and merges), so a page costs the stored fields of its own articles only.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from whoosh import query
from whoosh.searching import Searcher

from search.duplicates import CopyTable
from search.entities import EntityTable, actor_key, field_and_name, name_key
from search.models import (
    CoOccurring,
    EntityArticle,
    EntityFigure,
    EntityPage,
    EntityQuote,
    EntityRole,
    Extraction,
)
from search.text import long_date

# Key figures shown per article: the page is about the entity, the article's own card has the rest.
FIGURES_PER_ARTICLE = 3
CO_OCCURRING_TOP = 10
# A role that says it is no longer held: "former Foreign Minister", "ex-president".
FORMER = re.compile(r"^(?:former|ex-|ex\s|one-time|onetime|erstwhile)\s*(?P<role>.+)$", re.I)
# What ends a role's head noun: "President of South Korea" is a president.
HEAD_END = re.compile(r"\s+(?:of|for|at|in|to|from|with)\s+|,|\s+\(")


@dataclass
class _Sighting:
    """One article's role for the entity, in timeline order."""

    role: str
    date: str | None
    article_id: str


def entity_page(
    searcher: Searcher,
    table: EntityTable,
    copies: CopyTable | None,
    name: str,
    field_name: str | None = None,
) -> EntityPage:
    """The page of the actor or place the user calls `name` ("actor:"/"place:" before it, or
    `field_name`, picks one of two that share a name). Raises search.entities.UnknownEntity, with
    a close name as suggestion, for a name no article uses."""
    from search.index import stored_article

    field_name, name = field_and_name(name, field_name)
    node = table.resolve(name, field_name)
    root = table.root(node)
    assert root is not None  # resolve returns a node of the library
    group = table.groups[root]
    page = EntityPage(
        name=group.name,
        facet=group.shown_in,
        kind=group.kind,
        variants=sorted({n for member in group.members for n in table.variants[member]}),
    )
    wanted = query.Or([query.Term(f"{f}_key", key) for f, key in group.members])
    docnums = set(searcher.docs_for_query(wanted))
    if copies:
        docnums = copies.folded(docnums)
    stored = []
    for docnum in docnums:
        found = stored_article(searcher.stored_fields(docnum))
        stored.append((found.article, found.extraction))
    stored.sort(key=lambda pair: (pair[0].date is None, pair[0].date or "", pair[0].title))

    def ours(field: str, entity_name: str, kind: str = "") -> bool:
        key = actor_key(entity_name, kind) if field == "actor" else name_key(entity_name)
        return table.root((field, key)) == root

    sightings: list[_Sighting] = []
    others: Counter[tuple[str, str, str]] = Counter()
    for article, raw in stored:
        roles = [a.role for a in raw.actors if a.role and ours("actor", a.name, a.kind)]
        role = roles[0] if roles else None
        page.articles.append(
            EntityArticle(article.id, article.title, article.date, article.source, role)
        )
        if role:
            sightings.append(_Sighting(" ".join(role.split()), article.date, article.id))
        page.quotes.extend(
            EntityQuote(quote.text, article.id, article.title, article.date)
            for quote in raw.quotes
            if quote.speaker and _spoken_by_it(raw, quote.speaker, ours)
        )
        corrected = table.correct(raw, article.id)
        named: set[tuple[str, str, str]] = {(a.name, "actor", a.kind) for a in corrected.actors}
        named |= {(p.name, "place", "place") for p in corrected.places}
        others.update((n, f, k) for n, f, k in named if (n, f) != (group.name, group.shown_in))
        key_figures = sorted((f for f in corrected.figures if not f.minor), key=lambda f: f.rank)
        page.figures.extend(
            EntityFigure(f.text, f.label, article.id, article.date)
            for f in key_figures[:FIGURES_PER_ARTICLE]
        )
    page.roles = _roles(sightings)
    ranked = sorted(others.items(), key=lambda item: (-item[1], item[0][0].casefold()))
    page.actors = [CoOccurring(n, f, k, c) for (n, f, k), c in ranked if f == "actor"][
        :CO_OCCURRING_TOP
    ]
    page.places = [CoOccurring(n, f, k, c) for (n, f, k), c in ranked if f == "place"][
        :CO_OCCURRING_TOP
    ]
    return page


def _spoken_by_it(extraction: Extraction, speaker: str, ours: Callable[..., bool]) -> bool:
    """Whether a quote's speaker is the entity: as the article's actor of that name, else as a
    person or an organisation of that name."""
    kinds = [a.kind for a in extraction.actors if a.name == speaker] or ["person", "organization"]
    return any(ours("actor", speaker, kind) for kind in kinds)


def _roles(sightings: list[_Sighting]) -> list[EntityRole]:
    """Each role once, in the order first seen, with the dates of the articles that give it and
    the contradiction of a later article, if any."""
    roles: dict[str, EntityRole] = {}
    for sighting in sightings:
        role = roles.setdefault(sighting.role.casefold(), EntityRole(sighting.role))
        role.dates.append(sighting.date)
        role.article_ids.append(sighting.article_id)
    for role in roles.values():
        role.contradicted = _contradiction(role.role, sightings)
    return list(roles.values())


def _contradiction(role: str, sightings: list[_Sighting]) -> str | None:
    """ "Foreign Minister per 3 March 2025; 'former' since 12 May 2025" when a later article calls
    the role former, or gives another role of the same kind ("Prime Minister" after "Foreign
    Minister"); None when no later article does. Undated articles cannot say "later"."""
    if FORMER.match(role):
        return None
    held = role.casefold()
    last_held: str | None = None
    for sighting in sightings:
        if sighting.date is None:
            continue
        said = sighting.role.casefold()
        if said == held:
            last_held = sighting.date
            continue
        if last_held is None or sighting.date <= last_held:
            continue
        former = FORMER.match(sighting.role)
        if former is not None and _same_role(former.group("role").casefold(), held):
            return f"{role} per {long_date(last_held)}; 'former' since {long_date(sighting.date)}"
        if (
            former is None
            and _head(said) == _head(held)
            and not said.endswith(held)
            and not held.endswith(said)
        ):
            return (
                f"{role} per {long_date(last_held)}; "
                f"'{sighting.role}' since {long_date(sighting.date)}"
            )
    return None


def _same_role(former: str, held: str) -> bool:
    """ "former minister" speaks of "Foreign Minister", and "former Foreign Minister" of "minister"."""
    return former == held or held.endswith(f" {former}") or former.endswith(f" {held}")


def _head(role: str) -> str:
    """The noun a role is of: "President of South Korea" → "president", "Foreign Minister" → "minister"."""
    words = HEAD_END.split(role, maxsplit=1)[0].split()
    return words[-1] if words else ""
