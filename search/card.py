"""What a briefing card says about one article, in BLUF order (no layout here: that is ui/printing.py)."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from markdown_it import MarkdownIt
from markdown_it.token import Token

from search.models import Actor, Article, Place, StoredArticle
from search.readers.base import source_from_url
from search.text import caption_credits, in_credits, is_caption, long_date, sentences

ELLIPSIS = "…"

# A Wikinews report opens with its publication date on a line of its own (or glued to the lede).
_DATELINE = re.compile(
    r"^\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"[A-Z][a-z]+\s+\d{1,2},\s+\d{4}\s*"
)
_SENTENCE_PUNCTUATION = (".", "!", "?", '"', "”", "’", ")")
_QUOTE_MARKS = "\"“”‘’'"
_LICENCE_NAME = re.compile(r"^\s*([^()]+?)\s*(?:\(|$)")
# The bottom line comes from the opening paragraphs: only this much of a markdown body is parsed,
# so a huge or pathological file does not hold up a card.
MARKDOWN_OPENING_CHARS = 8_000


@dataclass
class CardBudget:
    """How much of each section a card may show; the layout tightens it until the card fits."""

    bottom_line_chars: int = 320
    max_figures: int = 4
    max_actors: int = 5
    max_places: int = 4
    quote_chars: int = 220  # 0 drops the quote
    headline_chars: int = 200
    max_quotes: int = 1
    lead_chars: int = 0  # the story's opening paragraphs after the bottom line (a full-page brief)


@dataclass
class Card:
    """The content of one briefing card, ready to lay out."""

    headline: str
    source: str  # the publisher; else the URL's site, else the folder the file is in
    date: str  # human-readable, e.g. "18 July 2017"; "" when the article has no date
    url: str
    bottom_line: str
    figures: list[tuple[str, str]] = field(default_factory=list)  # (number, what it counts)
    actors: list[tuple[str, str | None]] = field(default_factory=list)  # (name, role)
    places: list[tuple[str, str | None]] = field(default_factory=list)  # (name, ISO country)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text without marks)
    lead: list[str] = field(default_factory=list)  # paragraphs after the bottom line
    credit: str = ""
    printed: str = ""  # ISO date the card was made
    so_what: str = ""  # the briefer's one line on what it means (their note), under the bottom line

    @property
    def quote(self) -> tuple[str, str] | None:
        """The card's first quote, the one a small card has room for."""
        return self.quotes[0] if self.quotes else None

    def counts(self) -> dict[str, int]:
        """How many of each listed section the card shows."""
        return {
            "figures": len(self.figures),
            "actors": len(self.actors),
            "places": len(self.places),
            "quotes": len(self.quotes),
            "lead": len(self.lead),
        }


def build_card(
    stored: StoredArticle,
    *,
    printed: datetime.date | None = None,
    budget: CardBudget | None = None,
    so_what: str = "",
) -> Card:
    """Choose what one card says about `stored`, within `budget` (the defaults suit a roomy card);
    `so_what` is the briefer's line from their note (search.notes), printed whole."""
    budget = budget or CardBudget()
    article, extraction = stored.article, stored.extraction
    return Card(
        headline=trim_to_words(article.title.strip() or article.id, budget.headline_chars),
        source=card_source(article),
        date=long_date(article.date),
        url=article.url or "",
        bottom_line=bottom_line(_readable_body(article), budget.bottom_line_chars),
        figures=_key_figures(stored, budget.max_figures),
        actors=[
            (a.name, a.role)
            for a in _key_actors(extraction.actors, article.title, article.body)[
                : budget.max_actors
            ]
        ],
        places=[
            (p.name, p.country)
            for p in _key_places(extraction.places, article.title)[: budget.max_places]
        ],
        quotes=_key_quotes(stored, budget.quote_chars, budget.max_quotes),
        lead=lead_paragraphs(_readable_body(article), budget.lead_chars),
        credit=credit_line(article),
        printed=(printed or datetime.date.today()).isoformat(),
        so_what=" ".join(so_what.split()),
    )


def card_source(article: Article) -> str:
    """Who published the article, as the card's header names it: the source the file gives, else
    the site its URL is on, else the folder it was saved in (never the index's id)."""
    if article.source:
        return article.source
    from_url = source_from_url(article.url)
    if from_url:
        return from_url
    return PurePath(article.path).parent.name


def credit_line(article: Article) -> str:
    """Source and licence, then the URL: "Wikinews, CC BY 2.5 — https://…"."""
    parts = [article.source or ""]
    if article.licence:
        match = _LICENCE_NAME.match(article.licence)
        licence_name = match.group(1) if match else article.licence
        if licence_name and licence_name not in parts[0]:
            parts.append(licence_name)
    credit = ", ".join(p for p in parts if p)
    if article.url:
        credit = f"{credit} — {article.url}" if credit else article.url
    return credit


def bottom_line(body: str, limit: int) -> str:
    """The lede's first one or two sentences within `limit` characters; skips the dateline and captions."""
    for paragraph in re.split(r"\n\s*\n", body):
        text = " ".join(_DATELINE.sub("", paragraph).split())
        if _is_lede(text):
            lede, *rest = split_sentences(text)
            # A second sentence only when the first is short and both fit whole.
            if rest and len(lede) < 160 and len(lede) + len(rest[0]) < limit:
                lede = f"{lede} {rest[0]}"
            return trim_to_words(lede, limit)
    return trim_to_words(body, limit)


def lead_paragraphs(body: str, limit: int) -> list[str]:
    """The story's paragraphs after its lede, whole, while they fit in `limit` characters (the
    first one trimmed when it alone is longer); captions and datelines are left out."""
    if limit <= 0:
        return []
    paragraphs = [" ".join(_DATELINE.sub("", p).split()) for p in re.split(r"\n\s*\n", body)]
    ledes = [n for n, text in enumerate(paragraphs) if _is_lede(text)]
    if not ledes:
        return []
    lead: list[str] = []
    used = 0
    for text in paragraphs[ledes[0] + 1 :]:
        if not text or is_caption(text) or len(text) < 40:
            continue
        if used + len(text) > limit:
            if not lead:
                lead.append(trim_to_words(text, limit))
            break
        lead.append(text)
        used += len(text)
    return lead


def markdown_to_plain(markdown: str) -> str:
    """Markdown as a reader sees it: blocks of plain text separated by blank lines.

    Emphasis, heading and list marks go, links keep their text, images and code blocks are dropped.
    """
    blocks = [
        _inline_text(token.children or [])
        for token in _markdown().parse(markdown)
        if token.type == "inline"
    ]
    return "\n\n".join(block.strip() for block in blocks if block.strip())


def inline_markdown_to_plain(markdown: str) -> str:
    """One line of markdown (a quote) as plain text: '**a** [b](u)' is 'a b'."""
    tokens = _markdown().parseInline(markdown)
    return _inline_text(tokens[0].children or []) if tokens else markdown


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("js-default")  # raw HTML is text here, as in the article view


def _inline_text(children: list[Token]) -> str:
    # An image is one token holding its alt text: skipping it drops the image from the prose.
    return "".join(
        "\n" if child.type in ("softbreak", "hardbreak") else child.content
        for child in children
        if child.type in ("text", "code_inline", "softbreak", "hardbreak")
    )


def _readable_body(article: Article) -> str:
    """The opening of the body as plain text: markdown articles lose their markup."""
    if article.format != "md":
        return article.body
    return markdown_to_plain(article.body[:MARKDOWN_OPENING_CHARS])


def split_sentences(text: str) -> list[str]:
    """Prose as its sentences, keeping "U.S." and "Mr." inside theirs (the rule is search/text.py's)."""
    return [text[start:end] for start, end in sentences(text)] or [text]


def trim_to_words(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, ending in "…" when shortened."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    if " " in cut and not text[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + ELLIPSIS


def _is_lede(paragraph: str) -> bool:
    # Captions are short, unpunctuated, start lower-case or carry a photo credit.
    return (
        len(paragraph) >= 60
        and paragraph.endswith(_SENTENCE_PUNCTUATION)
        and not is_caption(paragraph)
        and (paragraph[0].isupper() or paragraph[0].isdigit() or paragraph[0] in _QUOTE_MARKS)
    )


def _key_figures(stored: StoredArticle, limit: int) -> list[tuple[str, str]]:
    chosen: list[tuple[str, str]] = []
    for figure in sorted(stored.extraction.figures, key=lambda f: f.rank):
        if len(chosen) >= limit:
            break
        item = (figure.text.strip(), figure.label.strip())
        # A figure with nothing to say what it counts is no use on a card.
        if item[1] and item not in chosen and not figure.minor:
            chosen.append(item)
    return chosen


def _in_headline(name: str, headline_words: set[str]) -> bool:
    # "Takaichi hosts Lee …" names Sanae Takaichi by surname: any longer word of the name counts.
    return any(word.lower() in headline_words for word in name.split() if len(word) > 2)


def _headline_words(title: str) -> set[str]:
    return {word.lower() for word in re.findall(r"\w+", title)}


def _key_actors(actors: list[Actor], title: str, body: str) -> list[Actor]:
    """Whoever the headline names first, then whoever the story names most; ties keep the
    extractor's order. A picture's credit ("Image: Nick Moreau.") is no mention of the story's:
    whoever only credits name is left off the card."""
    words = _headline_words(title)
    credits = caption_credits(body)
    counted = [(a, sum(not in_credits(m.start, credits) for m in a.mentions)) for a in actors]
    story = [(actor, count) for actor, count in counted if count or not actor.mentions]
    story.sort(
        key=lambda pair: (not _in_headline(pair[0].name, words), -pair[1], pair[0].role is None)
    )
    return [actor for actor, _ in story]


def _key_places(places: list[Place], title: str) -> list[Place]:
    words = _headline_words(title)
    return sorted(places, key=lambda p: (not _in_headline(p.name, words), -p.count))


def _key_quotes(stored: StoredArticle, limit: int, count: int) -> list[tuple[str, str]]:
    if limit <= 0 or count <= 0:
        return []
    attributed = [q for q in stored.extraction.quotes if q.speaker and q.text.strip()]
    # Prefer quotes that read whole on the card, in the story's order; then the others, trimmed.
    whole = [q for q in attributed if 40 <= len(q.text.strip(_QUOTE_MARKS + " ")) <= limit]
    chosen: list[tuple[str, str]] = []
    for quote in whole + [q for q in attributed if q not in whole]:
        if len(chosen) >= count:
            break
        text = quote.text
        if stored.article.format == "md":
            text = inline_markdown_to_plain(text)
        item = (quote.speaker or "", trim_to_words(text.strip(_QUOTE_MARKS + " "), limit))
        if item not in chosen:
            chosen.append(item)
    return chosen
