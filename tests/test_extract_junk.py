"""Extraction rules that keep junk off the side panel and the card, on made-up text (no model needed)."""

from __future__ import annotations

import re
import time

from made_up import made_up_entities

from search.card import build_card
from search.extract.pipeline import extract_from_entities
from search.models import Actor, Article, Extraction, Span, StoredArticle
from search.text import caption_credits, in_credits


def _actor(extraction: Extraction, name: str) -> Actor:
    found = [a for a in extraction.actors if a.name == name]
    assert len(found) == 1, f"{name!r} in {[a.name for a in extraction.actors]}"
    return found[0]


def test_a_caption_credit_ends_a_name_and_names_no_actor() -> None:
    text = (
        "Supporters greet Senator Lina Okafor Image: Tomas Brandt.\n\n"
        "The harbour at dawn. Photo: Harbour Authority/Reuters\n\n"
        "Okafor said Tomas Brandt never worked for her campaign. Picture: Ivy Lund. The rally went on.\n\n"
        "Flags at the gate. Picture: Ivy Lund.\n\nA stage at night. Picture: Ivy Lund."
    )
    ents = made_up_entities(
        text,
        ("PERSON", "Lina Okafor Image"),
        ("PERSON", "Tomas Brandt"),
        ("PERSON", "Tomas Brandt"),
        ("ORG", "Harbour Authority/Reuters"),
        ("PERSON", "Okafor"),
        ("PERSON", "Ivy Lund"),
        ("PERSON", "Ivy Lund"),
        ("PERSON", "Ivy Lund"),
    )
    ex = extract_from_entities(text, ents)
    names = [a.name for a in ex.actors]
    assert _actor(ex, "Lina Okafor").role == "Senator"
    assert not any("Image" in n or "Photo" in n or "Picture" in n for n in names), names
    # Every mention stays in the extraction (the contract lists them all), but whoever only a
    # credit names comes after the story's own actors, however often: Ivy Lund (3) last.
    assert len(_actor(ex, "Ivy Lund").mentions) == 3
    assert names.index("Ivy Lund") > max(names.index("Lina Okafor"), names.index("Tomas Brandt"))
    assert len(_actor(ex, "Tomas Brandt").mentions) == 2


def test_a_name_only_in_credits_is_left_off_the_card() -> None:
    body = (
        "Senator Lina Okafor spoke at the rally. Image: Tomas Brandt.\n\n"
        "Okafor thanked the crowd. Image: Tomas Brandt.\n\nImage: Tomas Brandt."
    )
    brandt = [Span(m.start(), m.end()) for m in re.finditer("Tomas Brandt", body)]
    okafor = [Span(m.start(), m.end()) for m in re.finditer(r"(Lina )?Okafor", body)]
    stored = StoredArticle(
        Article(id="x", path="/tmp/x.md", title="Rally", body=body, format="md", content_hash="0"),
        Extraction(
            actors=[
                Actor("Tomas Brandt", "person", None, brandt),
                Actor("Lina Okafor", "person", "Senator", okafor),
            ]
        ),
    )
    assert [name for name, _ in build_card(stored).actors] == ["Lina Okafor"]


def test_a_newspaper_or_airline_tagged_as_a_place_is_an_organisation() -> None:
    text = (
        "Khaled Al-Maeena, editor at large at the Saudi Gazette, said the Mecca Times and "
        "Gulf Airways had reported it."
    )
    ents = made_up_entities(
        text,
        ("PERSON", "Khaled Al-Maeena"),
        ("GPE", "Saudi Gazette"),
        ("GPE", "Mecca Times"),
        ("GPE", "Gulf Airways"),
    )
    ex = extract_from_entities(text, ents)
    organisations = {a.name for a in ex.actors if a.kind == "organization"}
    assert {"Saudi Gazette", "Mecca Times", "Gulf Airways"} <= organisations
    assert not {p.name for p in ex.places} & organisations


def _credit_texts(text: str) -> list[str]:
    return [text[start:end] for start, end in caption_credits(text)]


def test_caption_credits_are_names_after_a_label_and_end_where_the_credit_does() -> None:
    assert _credit_texts("A stage at night. Image: Nick Moreau.\n\nNext.") == [
        "Image: Nick Moreau."
    ]
    assert _credit_texts("Photo: Reuters. Mr Smith visited Kyiv.") == ["Photo: Reuters"]
    assert _credit_texts("Image: Getty Images. Joe Biden arrived.") == ["Image: Getty Images"]
    assert _credit_texts("Image: Mark J. Smith.") == ["Image: Mark J. Smith."]  # an initial's stop
    assert _credit_texts("Hill in 2014. Image: Sarvis for Governor.") == [
        "Image: Sarvis for Governor."
    ]
    # A caption's sentence is no credit: only its label is a span (a name still stops there).
    assert _credit_texts("Video: Boris Johnson says he will resign") == ["Video:"]
    # Plural words are names, not labels; a label never spans a line break.
    assert caption_credits("Universal Pictures: Steven Spielberg directs.") == []
    assert caption_credits("Two Pictures\nsource: the archive") == []


def test_in_credits_finds_offsets_inside_the_spans_only() -> None:
    text = "Rally. Image: Ana Ruiz.\n\nTalks. Photo: Jo Lee / AP.\n\nEnd."
    credits = caption_credits(text)
    assert in_credits(text.index("Ana Ruiz"), credits) and in_credits(text.index("AP"), credits)
    assert not in_credits(text.index("Rally"), credits)
    assert not in_credits(text.index("Talks"), credits) and not in_credits(len(text) - 1, credits)


def test_caption_credits_stay_linear_on_a_long_line_of_labels() -> None:
    """Each label looks only a credit's length ahead. Scanning to the line's end was quadratic: a
    line of a million characters of labels took minutes; linear, it takes a fraction of a second
    (a reliability bound for hostile input, not a speed target)."""
    line = "Image: x " * 110_000
    started = time.perf_counter()
    credits = caption_credits(line)
    assert time.perf_counter() - started < 10
    # "x" names nobody: each label is a span of its own, so names still stop there.
    assert len(credits) == 110_000 and credits[1] == (9, 15)
