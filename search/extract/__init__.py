"""Extraction of actors, places, key figures and quotes from article text (spaCy NER + rules).

The public entry points are `extract_texts` (a batch, optionally over worker processes) and
`extractor_status`. spaCy is imported lazily, only when extraction actually runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from search.models import Extraction


class ModelUnavailable(RuntimeError):
    """The spaCy model cannot be loaded; the message says why and what the user loses."""


def extract_texts(texts: Iterable[str], processes: int = 1) -> Iterator[Extraction]:
    """Extract from each text, in order. Raises ModelUnavailable if the model cannot be loaded."""
    from search.extract.pipeline import extract_texts as _extract

    return _extract(texts, processes=processes)
