"""The shared text rules (search/text.py): extraction, snippets and cards split a made-up text alike."""

from __future__ import annotations

import pytest

from search.card import bottom_line, split_sentences
from search.extract.normalise import caption_credits, sentences
from search.models import Snippet
from search.query import snippet
from search.text import ends_abbreviation, is_caption, sentence_ends, sentence_start

# Where the three old splitters disagreed: extraction's split "Mark J. Smith" and ran "D.C. The
# team" together; snippets broke at "Jan. 5" and "Rev. Ana"; the card alone had it right.
FIRST = "Mr. Lee met U.S. President Jane Hart on Jan. 5 in Washington D.C."
SECOND = "The team flew home with Mark J. Smith of Acme Inc. on Friday."
THIRD = "Rev. Ana Ruiz said the talks would resume."
PROSE = f"{FIRST} {SECOND} {THIRD}"
CAPTION = "Delegates at the summit in Seoul. Image: Nick Moreau."
BODY = f"{CAPTION}\n\n{PROSE}\n"


def _plain(marked: Snippet) -> str:
    return marked.text


def test_extraction_and_card_split_the_prose_into_the_same_sentences() -> None:
    assert [PROSE[start:end] for start, end in sentences(PROSE)] == [FIRST, SECOND, THIRD]
    assert split_sentences(PROSE) == [FIRST, SECOND, THIRD]


@pytest.mark.parametrize(
    ("term", "sentence"), [("hart", FIRST), ("smith", SECOND), ("ruiz", THIRD)]
)
def test_a_snippet_is_the_sentence_that_holds_its_match(term: str, sentence: str) -> None:
    assert _plain(snippet(BODY, (frozenset({term}), frozenset()))) == sentence


def test_the_card_skips_the_caption_and_leads_with_the_first_two_sentences() -> None:
    assert bottom_line(BODY, 320) == f"{FIRST} {SECOND}"


def test_every_reader_takes_the_caption_for_one() -> None:
    assert is_caption(CAPTION)
    assert [BODY[start:end] for start, end in caption_credits(BODY)] == ["Image: Nick Moreau."]
    # No match: a snippet opens with the prose, not the caption.
    assert _plain(snippet(BODY, (frozenset({"absent"}), frozenset()))).startswith("Mr. Lee met")


@pytest.mark.parametrize(
    "line",
    [
        "A view of the harbour. Photo: AP",
        "Shot at dusk. Credit: NASA/Bill Ingalls",
        "Video: Boris Johnson says he will resign as party leader.",
    ],
)
def test_lines_that_are_captions(line: str) -> None:
    assert is_caption(line)
    assert is_caption(f"prose\n{line}\nmore prose", len("prose\n"), len(f"prose\n{line}"))


@pytest.mark.parametrize(
    "line",
    [
        "Universal Pictures: Steven Spielberg directs.",
        "Belle, pictured with Getty Images: the agency.",
        "He said: Mr. Lee will come.",
    ],
)
def test_lines_that_are_not_captions(line: str) -> None:
    assert not is_caption(line)


def test_an_abbreviation_ends_a_sentence_only_before_a_sentence_opener() -> None:
    text = "Jan. 5, U.S. President, Mr. Lee, D.C. The, a.m. He, Inc. The, 4.9m. Then, Smith. Then"

    def stop_after(word: str) -> int:
        return text.index(word) + len(word) - 1

    assert ends_abbreviation(text, stop_after("Jan."))
    assert ends_abbreviation(text, stop_after("U.S."))
    assert ends_abbreviation(text, stop_after("Mr."))
    for word in ("D.C.", "a.m.", "Inc.", "4.9m.", "Smith."):
        assert not ends_abbreviation(text, stop_after(word)), word


def test_window_helpers_read_only_their_window() -> None:
    body = "x " * 50 + f"{FIRST} {SECOND}"
    second = body.index(SECOND)
    assert sentence_start(body, second - 30, body.index("Smith")) == second
    assert sentence_start(body, second - 30, second - 5) is None  # FIRST starts before the floor
    # "Friday." ends the body: no capital follows it, and the caller takes the rest of the text.
    assert sentence_ends(body, body.index("Hart"), len(body)) == [second - 1]


def test_one_long_date_for_cards_briefs_and_entity_pages() -> None:
    from search.text import long_date

    assert long_date("2015-09-12") == "12 September 2015"
    assert long_date("2026-05-12T09:30:00.123456+00:00") == "12 May 2026"
    assert long_date(None) == long_date("") == ""
    assert long_date("spring 2015") == "spring 2015"  # as written when it cannot be read
