"""The dataclasses that cross the seam survive a JSON round trip."""

from __future__ import annotations

import json

from search.models import Actor, Extraction, Figure, Place, Quote, Span


def test_extraction_round_trips_through_json() -> None:
    ex = Extraction(
        actors=[Actor("Sanae Takaichi", "person", "Prime Minister", [Span(0, 5), Span(10, 18)])],
        places=[Place("Nara", "JP", [Span(30, 34)])],
        figures=[Figure("136", "count", "Korean forced labourers killed", 40, 43, 1)],
        quotes=[Quote("Motegi", "more crucial than ever", 50, 72)],
    )
    back = Extraction.from_dict(json.loads(json.dumps(ex.to_dict())))
    assert back == ex
    assert back.actors[0].count == 2
