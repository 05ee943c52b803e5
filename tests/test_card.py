"""What a briefing card says (search/card.py): the lede, trimming, ordering, credit, budget."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from search.card import (
    ELLIPSIS,
    CardBudget,
    bottom_line,
    build_card,
    credit_line,
    markdown_to_plain,
    split_sentences,
    trim_to_words,
)
from search.models import Actor, Article, Extraction, Figure, Place, Quote, Span, StoredArticle
from search.read import read_article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _mentions(n: int) -> list[Span]:
    return [Span(i, i + 1) for i in range(n)]


def _article(**fields: object) -> Article:
    values: dict[str, object] = {
        "id": "abc123",
        "path": "/tmp/a.md",
        "title": "A headline",
        "body": "Body.",
        "format": "md",
        "content_hash": "0",
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def takaichi() -> StoredArticle:
    article = read_article(SEEDS / "takaichi_lee_nara_summit.md")
    extraction = Extraction(
        actors=[
            Actor("Xi Jinping", "person", "President", _mentions(5)),
            Actor("Sanae Takaichi", "person", "Prime Minister", _mentions(2)),
            Actor("Toshimitsu Motegi", "person", "Foreign Minister", _mentions(1)),
        ],
        places=[
            Place("China", "CN", _mentions(4)),
            Place("Nara", "JP", _mentions(1)),
            Place("Japan", "JP", _mentions(3)),
        ],
        figures=[
            Figure("1942", "year", "mining accident", 0, 4, 3),
            Figure("136", "count", "Korean forced laborers killed", 0, 3, 1),
            Figure("third", "ordinal", "", 0, 5, 2),
        ],
        quotes=[
            Quote(None, "unattributed words that are long enough to be a quote", 0, 1),
            Quote(
                "Toshimitsu Motegi", "“cooperation remains more crucial than ever before now”", 0, 1
            ),
        ],
    )
    return StoredArticle(article, extraction)


def test_bottom_line_skips_wikinews_dateline_and_photo_captions() -> None:
    body = (
        "Saturday, September 12, 2015\n\n"
        "pilgrims at Mecca's Grand Mosque in 2008.\n\n"
        "The far end of the floor, shortly after opening Friday. Image: Nick Moreau.\n\n"
        "A storm yesterday caused a crane to fall into Mecca's Grand Mosque, killing 107 or more. "
        "Officials said more would follow.\n\nLater paragraph."
    )
    assert bottom_line(body, 320) == (
        "A storm yesterday caused a crane to fall into Mecca's Grand Mosque, killing 107 or more. "
        "Officials said more would follow."
    )


def test_bottom_line_drops_dateline_glued_to_the_lede() -> None:
    body = "Thursday, May 7, 2015 On Tuesday, the New Zealand government announced the start of a public process."
    assert bottom_line(body, 320).startswith("On Tuesday, the New Zealand government")


def test_bottom_line_keeps_one_sentence_when_two_would_not_fit() -> None:
    first = "The Hong Kong legislative election was held on Sunday, with a record turnout of 58%."
    second = "The results show " + "very " * 60 + "much."
    assert bottom_line(f"{first} {second}", 200) == first


def test_split_sentences_keeps_abbreviations_inside_their_sentence() -> None:
    text = "U.S. President Trump met Mr. Lee in Washington D.C. The talks ended. Dr. No left."
    assert split_sentences(text) == [
        "U.S. President Trump met Mr. Lee in Washington D.C.",
        "The talks ended.",
        "Dr. No left.",
    ]


@pytest.mark.parametrize("limit", [10, 25, 40, 63])
def test_trim_never_cuts_mid_word_and_marks_the_cut(limit: int) -> None:
    text = "Prime Minister Sanae Takaichi will welcome President Lee Jae Myung"
    trimmed = trim_to_words(text, limit)
    assert len(trimmed) <= limit
    assert trimmed.endswith(ELLIPSIS)
    kept = trimmed[:-1].split()
    assert kept == text.split()[: len(kept)]  # whole words only, in order


def test_trim_leaves_short_text_alone() -> None:
    assert trim_to_words("  Short   text ", 50) == "Short text"


def test_credit_line_for_wikinews() -> None:
    article = read_article(SEEDS / "wikinews_afghan.md")
    credit = credit_line(article)
    assert credit.startswith("Wikinews, CC BY 2.5 — https://en.wikinews.org/wiki/After_visa_snags")


def test_credit_line_without_licence_or_url() -> None:
    assert credit_line(_article(source="Reuters")) == "Reuters"
    assert credit_line(_article(url="https://example.org/x")) == "https://example.org/x"


def test_build_card_orders_content_for_a_briefing(takaichi: StoredArticle) -> None:
    card = build_card(takaichi, printed=datetime.date(2026, 1, 13))
    assert card.headline == "Takaichi hosts Lee Jae Myung in Nara for third summit in three months"
    assert card.bottom_line.startswith("In a significant diplomatic move, Japanese Prime Minister")
    assert card.source == takaichi.article.source
    # Figures by rank; a figure that does not say what it counts is left off.
    assert card.figures == [("136", "Korean forced laborers killed"), ("1942", "mining accident")]
    # Whoever the headline names comes first, then the most mentioned.
    assert card.actors[0] == ("Sanae Takaichi", "Prime Minister")
    assert card.places[0] == ("Nara", "JP")
    assert card.places[1:] == [("China", "CN"), ("Japan", "JP")]
    assert card.quote == (
        "Toshimitsu Motegi",
        "cooperation remains more crucial than ever before now",
    )
    assert card.credit == "Briefing Cards seed article"
    assert card.printed == "2026-01-13"


def test_budget_limits_every_section(takaichi: StoredArticle) -> None:
    budget = CardBudget(
        bottom_line_chars=60, max_figures=1, max_actors=1, max_places=1, quote_chars=0
    )
    card = build_card(takaichi, budget=budget)
    assert len(card.bottom_line) <= 60 and card.bottom_line.endswith(ELLIPSIS)
    assert len(card.figures) == 1 and len(card.actors) == 1 and len(card.places) == 1
    assert card.quote is None


def test_long_quote_is_trimmed_with_an_ellipsis() -> None:
    words = " ".join(["word"] * 100)
    stored = StoredArticle(_article(), Extraction(quotes=[Quote("Someone", words, 0, 1)]))
    card = build_card(stored, budget=CardBudget(quote_chars=50))
    assert card.quote is not None
    speaker, text = card.quote
    assert speaker == "Someone" and len(text) <= 50 and text.endswith(ELLIPSIS)


def test_card_date_is_human_readable_and_optional() -> None:
    dated = build_card(StoredArticle(_article(date="2017-07-18"), Extraction()))
    undated = build_card(StoredArticle(_article(), Extraction()))
    assert dated.date == "18 July 2017"
    assert undated.date == ""


def test_a_markdown_bottom_line_reads_as_plain_text() -> None:
    body = (
        "# The summit\n\n"
        "![image](https://example.org/photo.jpg)\n\n"
        "**Leaders** of [Japan](https://en.wikipedia.org/wiki/Japan) and *South Korea* met "
        "in Nara on Tuesday, agreeing to `expand` trade & security ties.\n\n"
        "Later paragraph."
    )
    card = build_card(StoredArticle(_article(body=body), Extraction()))
    assert card.bottom_line == (
        "Leaders of Japan and South Korea met in Nara on Tuesday, agreeing to expand trade "
        "& security ties."
    )


def test_a_plain_text_bottom_line_keeps_its_asterisks() -> None:
    body = "Sales rose 5 * 3 per cent, *officially*, as the [draft] report from the ministry said."
    card = build_card(StoredArticle(_article(body=body, format="txt"), Extraction()))
    assert card.bottom_line == body


def test_markdown_to_plain_drops_markup_but_keeps_every_word() -> None:
    plain = markdown_to_plain(
        "## Heading\n\n- one *item*\n- two\n\n> quoted [link](https://x.org)\n\n"
        "```\nprint('code')\n```\n\n![alt words](pic.png) after \\*escaped\\*"
    )
    assert plain == "Heading\n\none item\n\ntwo\n\nquoted link\n\nafter *escaped*"


def test_a_markdown_quote_on_the_card_is_plain_text() -> None:
    quote = Quote(
        "Ann Lee", "“We **will** work with [partners](https://x.org) on this, always.”", 0, 1
    )
    stored = StoredArticle(_article(), Extraction(quotes=[quote]))
    assert build_card(stored).quote == ("Ann Lee", "We will work with partners on this, always.")


def test_card_source_is_the_publisher_else_the_site_else_the_folder() -> None:
    from search.card import card_source

    assert card_source(_article(source="BBC News", url="https://x.org/a")) == "BBC News"
    assert card_source(_article(url="https://www.bbc.co.uk/news/1")) == "bbc.co.uk"
    assert card_source(_article(path="/library/bbc/business_001.md")) == "bbc"
