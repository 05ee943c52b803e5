"""Long texts in pieces: cut at paragraph or sentence ends, and the pieces' extractions merged back."""

from __future__ import annotations

from dataclasses import replace

from search.extract.normalise import name_key
from search.models import Actor, Extraction, Figure, Place, Quote, Span

# Where a piece may end, best first: a paragraph, a line, a sentence, a word.
CUT_AFTER = ("\n\n", "\n", ". ", "? ", "! ", " ")


def split_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) spans that cover `text` in order, each at most `limit` characters long.

    A span ends after a paragraph break if its second half has one, else after a line break, a
    sentence's end or a space; a text without any of these is cut at the limit.
    """
    if limit < 2:
        raise ValueError(f"limit must be at least 2, not {limit}")
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        for mark in CUT_AFTER:
            found = text.rfind(mark, start + limit // 2, end - len(mark) + 1)
            if found >= 0:
                end = found + len(mark)
                break
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def merge_extractions(parts: list[tuple[int, Extraction]]) -> Extraction:
    """One extraction from those of consecutive parts of a text, each given with its start offset.

    Actors of the same name and kind are one actor, places of the same name one place; figures
    interleave by their rank within their part, so each part's most important come first (and
    every part's minor figures after all key figures).
    """
    actors: dict[tuple[str, str], Actor] = {}  # by (name key, kind)
    places: dict[str, Place] = {}
    ranked: list[tuple[bool, int, int, Figure]] = []
    quotes: list[Quote] = []
    for offset, part in parts:
        for actor in part.actors:
            merged = actors.setdefault(
                (name_key(actor.name), actor.kind), Actor(actor.name, actor.kind, actor.role)
            )
            if len(actor.name) > len(merged.name):
                merged.name = actor.name  # "Acme Corp." and "Acme Corp": the fuller form
            merged.role = merged.role or actor.role
            merged.mentions.extend(_shift(actor.mentions, offset))
        for place in part.places:
            into = places.setdefault(place.name, Place(place.name, place.country))
            into.country = into.country or place.country
            into.mentions.extend(_shift(place.mentions, offset))
        for figure in part.figures:
            shifted = replace(figure, start=figure.start + offset, end=figure.end + offset)
            ranked.append((figure.minor, figure.rank, shifted.start, shifted))
        quotes.extend(
            replace(quote, start=quote.start + offset, end=quote.end + offset)
            for quote in part.quotes
        )
    _fold_surnames(actors)
    # A figure restated in a later section is a repeat there too: minor, after the key figures.
    seen: set[tuple[str, str]] = set()
    folded: list[tuple[bool, int, int, Figure]] = []
    for minor, rank, start, figure in sorted(ranked, key=lambda r: r[2]):
        key = (figure.kind, " ".join(figure.text.split()))
        if key in seen and not minor:
            minor, figure = True, replace(figure, minor=True)
        seen.add(key)
        folded.append((minor, rank, start, figure))
    ranked = folded
    figures = [
        replace(f, rank=i + 1) for i, (_, _, _, f) in enumerate(sorted(ranked, key=lambda r: r[:3]))
    ]
    return Extraction(
        actors=sorted(actors.values(), key=_prominence),
        places=sorted(places.values(), key=_prominence),
        figures=sorted(figures, key=lambda f: f.start),
        quotes=quotes,
    )


def _fold_surnames(actors: dict[tuple[str, str], Actor]) -> None:
    """A one-word person of one section is the only person of another whose name ends in it
    ("Johnson said" 200 KB after "Prime Minister Boris Johnson")."""
    people = [key for key in actors if key[1] == "person"]
    for key in people:
        words = key[0].split()
        if len(words) != 1:
            continue
        fuller = [
            k for k in people if k != key and len(k[0].split()) > 1 and k[0].split()[-1] == words[0]
        ]
        if len(fuller) == 1:
            into, alone = actors[fuller[0]], actors.pop(key)
            into.mentions.extend(alone.mentions)
            into.mentions.sort(key=lambda span: span.start)
            into.role = into.role or alone.role


def _prominence(entity: Actor | Place) -> tuple[int, int]:
    return (-entity.count, entity.mentions[0].start if entity.mentions else 0)


def _shift(spans: list[Span], offset: int) -> list[Span]:
    return [Span(s.start + offset, s.end + offset) for s in spans]
