"""Corroboration: how many distinct sources in the library carry each of an article's key figures
and quotes (the copies of one story count once), and where sources give another number for the
same thing ("111 (BBC) / 107 (Wikinews)"), for the panel and the brief to show as a short suffix.

A figure is "the same thing counted" in another article of the same story: it names one of the
article's actors or places, is dated within STORY_DAYS of it, and has a figure of the same kind
whose label shares most of its words ("people killed in the attack" / "people killed in the blast
attack"). Its candidates are found through the index (`figure`, `actor_key`, `place_key`), not by
reading the library; a quote's through a phrase of its first words in the `quote` field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from whoosh import query
from whoosh.searching import Searcher

from search.card import card_source
from search.duplicates import CopyTable
from search.entities import EntityTable, actor_key, name_key
from search.models import (
    Article,
    Corroboration,
    Extraction,
    Figure,
    FigureCorroboration,
    FigureVariant,
    QuoteCorroboration,
)

# What can be counted twice: a date or a duration is no count of anything.
COUNTED_KINDS = frozenset({"count", "money", "percent", "quantity"})
FIGURES_CHECKED = 6  # the article's best key figures
QUOTES_CHECKED = 12
CANDIDATES = 300  # articles read per figure at most (most recent matches first)
STORY_DAYS = 30  # articles of one story are this close in date (undated ones always may be)
LABEL_OVERLAP = 0.5  # share of label words in common (Jaccard) for "the same thing counted"
QUOTE_PHRASE_WORDS = 6  # a quote is found by a phrase of its first words…
QUOTE_MIN_WORDS = 4  # …and one shorter than this is too common to say it is the same quote
LABEL_STOP_WORDS = frozenset(
    """a an the of in on at to for from by with and or as is are was were be been that this
    its their his her than into over under about some more less""".split()
)
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
SCALE = re.compile(
    r"\s*(?P<scale>thousand|k|million|mln|mn|m|billion|bln|bn|b|trillion|tn)\b", re.I
)
SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bln": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
WORD_NUMBERS = {
    word: number
    for number, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}


def corroboration(
    searcher: Searcher,
    table: EntityTable,
    copies: CopyTable | None,
    article_id: str,
) -> Corroboration | None:
    """The article's key figures and quotes as the library carries them; None when no article
    has this id."""
    from search.index import stored_article

    docnum = searcher.document_number(id=article_id)
    if docnum is None:
        return None
    own = stored_article(searcher.stored_fields(docnum))
    article, raw = own.article, own.extraction
    extraction = table.correct(raw, article_id)  # hidden figures stay hidden
    result = Corroboration(article_id)
    reading = _Reading(searcher, copies, docnum)
    keys = _entity_terms(raw)
    figures = sorted(
        (f for f in extraction.figures if not f.minor and f.kind in COUNTED_KINDS),
        key=lambda f: f.rank,
    )
    for figure in figures[:FIGURES_CHECKED]:
        result.figures.append(_figure(reading, article, figure, keys))
    for quote in extraction.quotes[:QUOTES_CHECKED]:
        sources = [card_source(article)]
        words = searcher.schema["quote"].process_text(quote.text)
        phrase = [str(word) for word in words][:QUOTE_PHRASE_WORDS]
        if len(phrase) >= QUOTE_MIN_WORDS:
            carrying = searcher.docs_for_query(query.Phrase("quote", phrase))
            for other, theirs in reading.articles(carrying):
                if _said_by(quote.speaker, phrase, theirs, searcher):
                    _add_source(sources, card_source(other))
        result.quotes.append(QuoteCorroboration(quote.text, quote.speaker, sources))
    return result


class _Reading:
    """The other articles of the library, each story once (its copies folded, the article's own
    copies left out), read from stored fields when first asked for."""

    def __init__(self, searcher: Searcher, copies: CopyTable | None, docnum: int) -> None:
        self.searcher = searcher
        self.copies = copies
        self.own_group = {docnum, *(copies.others(docnum) if copies else ())}
        self.read: dict[int, tuple[Article, Extraction]] = {}

    def articles(self, docnums: Iterable[int]) -> list[tuple[Article, Extraction]]:
        from search.index import stored_article

        found = []
        seen_groups: set[int] = set()
        for docnum in sorted(set(docnums) - self.own_group)[-CANDIDATES:]:
            group = self.copies.group_of(docnum) if self.copies else None
            if group is not None:
                if group in seen_groups:
                    continue
                seen_groups.add(group)
            if docnum not in self.read:
                stored = stored_article(self.searcher.stored_fields(docnum))
                self.read[docnum] = (stored.article, stored.extraction)
            found.append(self.read[docnum])
        return found


def _figure(
    reading: _Reading, article: Article, figure: Figure, keys: list[query.Query]
) -> FigureCorroboration:
    """One key figure: the sources that give the same number for the same thing, and the others."""
    found = FigureCorroboration(figure.text, figure.label, [card_source(article)])
    words = _label_words(figure.label)
    value = figure_value(figure.text)
    if not words or value is None or not keys:
        return found
    schema = reading.searcher.schema
    label_terms = [
        query.Term("figure", str(w)) for w in schema["figure"].process_text(figure.label)
    ]
    wanted = query.And([query.Or(label_terms), query.Or(keys)])
    others: dict[float, FigureVariant] = {}
    for other, extraction in reading.articles(reading.searcher.docs_for_query(wanted)):
        if not _same_story(article.date, other.date):
            continue
        match = _same_thing(figure, words, extraction.figures)
        if match is None:
            continue
        other_value = figure_value(match.text)
        if other_value is None:
            continue
        source = card_source(other)
        if other_value == value:
            _add_source(found.sources, source)
        else:
            variant = others.setdefault(other_value, FigureVariant(match.text))
            _add_source(variant.sources, source)
    found.others = list(others.values())
    return found


def _same_thing(figure: Figure, words: set[str], candidates: list[Figure]) -> Figure | None:
    """The candidate that counts what `figure` counts (same kind, most label words in common)."""
    best, best_overlap = None, LABEL_OVERLAP
    for candidate in candidates:
        if candidate.minor or candidate.kind != figure.kind:
            continue
        theirs = _label_words(candidate.label)
        overlap = len(words & theirs) / len(words | theirs) if theirs else 0.0
        if overlap >= best_overlap:
            best, best_overlap = candidate, overlap
    return best


def _said_by(
    speaker: str | None, phrase: list[str], extraction: Extraction, searcher: Searcher
) -> bool:
    """Whether an article carrying the quote's words gives them to the same speaker (or either
    names none): the same words from someone else are another quote."""
    analyze = searcher.schema["quote"].process_text
    for quote in extraction.quotes:
        if [str(w) for w in analyze(quote.text)][: len(phrase)] != phrase:
            continue
        if speaker is None or quote.speaker is None or name_key(speaker) == name_key(quote.speaker):
            return True
    return False


def _entity_terms(extraction: Extraction) -> list[query.Query]:
    """Index terms that find the articles naming any of this one's actors or places."""
    terms: list[query.Query] = [
        query.Term("actor_key", actor_key(a.name, a.kind)) for a in extraction.actors
    ]
    terms += [query.Term("place_key", name_key(p.name)) for p in extraction.places]
    return terms


def _label_words(label: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", label.casefold()) if w not in LABEL_STOP_WORDS}


def _same_story(date: str | None, other: str | None) -> bool:
    if not date or not other:
        return True
    try:
        apart = dt.date.fromisoformat(date[:10]) - dt.date.fromisoformat(other[:10])
    except ValueError:
        return True
    return abs(apart.days) <= STORY_DAYS


def _add_source(sources: list[str], source: str) -> None:
    if source not in sources:
        sources.append(source)


def figure_value(text: str) -> float | None:
    """The number a figure says, scaled ("$10bn" 1e10, "950 mln dlrs" 9.5e8, "1,200" 1200,
    "five" 5); None when it says none."""
    match = NUMBER.search(text)
    if match is None:
        words = re.findall(r"[a-z]+", text.casefold())
        return next((float(WORD_NUMBERS[w]) for w in words if w in WORD_NUMBERS), None)
    try:
        value = float(match.group().replace(",", ""))
    except ValueError:
        return None
    scale = SCALE.match(text, match.end())
    return value * SCALES[scale.group("scale").lower()] if scale else value
