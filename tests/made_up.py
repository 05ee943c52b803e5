"""Entities for made-up text, so extraction rules can be tested without the model."""

from __future__ import annotations

from search.extract.normalise import Entity


def made_up_entities(text: str, *spans: tuple[str, str]) -> list[Entity]:
    """(label, surface) pairs, each placed at its first occurrence in `text` not already taken."""
    out: list[Entity] = []
    for label, surface in spans:
        start = text.find(surface)
        while any(e.start < start + len(surface) and start < e.end for e in out):
            start = text.find(surface, start + 1)
        assert start >= 0, surface
        out.append(Entity(label, start, start + len(surface), surface))
    return out
