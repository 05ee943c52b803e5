"""Plain dataclasses that cross the seam between the engine and the UI (and the CLI's JSON)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ActorKind = Literal["person", "organization"]
# The kind of file an article came from: "md" bodies are Markdown, every other body is plain
# paragraphs (an "email" is an .eml or one message of an .mbox; a "feed" entry is RSS or Atom).
ArticleFormat = Literal["md", "txt", "html", "pdf", "docx", "email", "feed", "epub"]


@dataclass(frozen=True)
class Span:
    """Character offsets [start, end) into an article's body text."""

    start: int
    end: int


@dataclass
class Actor:
    """A person or organisation, merged over all the ways the text names it."""

    name: str
    kind: ActorKind
    role: str | None = None
    mentions: list[Span] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.mentions)


@dataclass
class Place:
    """A country, city, region or landmark; country is an ISO 3166-1 alpha-2 code when known."""

    name: str
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.mentions)


@dataclass
class Figure:
    """A key figure: the number as written, what kind it is, and what it counts (label)."""

    text: str
    kind: str  # e.g. "count", "money", "percent", "quantity", "date", "year", "duration", "ordinal"
    label: str
    start: int
    end: int
    rank: int  # 1 = most important
    # A number that is no key figure (a weekday, "the first time", an age, a repeat): kept for
    # highlighting and dates, ranked after every key figure, left off the panel's list and cards.
    minor: bool = False


@dataclass
class Quote:
    """A quotation (direct or reported) with its speaker when the text names one."""

    speaker: str | None
    text: str
    start: int
    end: int


@dataclass
class Extraction:
    """Everything the side panel shows about one article."""

    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # ISO 639-1 code of the language the body reads as; None in indexes written before it was kept.
    language: str | None = None
    # Why the lists are empty when they are for a known reason (an article not in English).
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        return cls(
            actors=[
                Actor(
                    name=a["name"],
                    kind=a["kind"],
                    role=a.get("role"),
                    mentions=[Span(m["start"], m["end"]) for m in a.get("mentions", [])],
                )
                for a in data.get("actors", [])
            ],
            places=[
                Place(
                    name=p["name"],
                    country=p.get("country"),
                    mentions=[Span(m["start"], m["end"]) for m in p.get("mentions", [])],
                )
                for p in data.get("places", [])
            ],
            figures=[Figure(**f) for f in data.get("figures", [])],
            quotes=[Quote(**q) for q in data.get("quotes", [])],
            language=data.get("language"),
            note=data.get("note"),
        )


@dataclass
class Article:
    """One article as read from the user's library. `body` is the text shown and extracted from."""

    id: str
    path: str
    title: str
    body: str
    format: ArticleFormat
    content_hash: str
    date: str | None = None  # ISO 8601 date, YYYY-MM-DD
    source: str | None = None  # publication name, e.g. "Wikinews"
    url: str | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    licence: str | None = None
    # Which article of a file that holds several: a feed entry's id, a message's Message-ID, a
    # book's chapter file. None for a file that is one article; the id derives from (path, part).
    part: str | None = None
    # How a text file's bytes were decoded ("utf-8", "cp1252", "utf-16-le"); None for PDF, Word,
    # e-mail, feeds and books, whose own formats say how their text is encoded.
    encoding: str | None = None


@dataclass
class StoredArticle:
    """An article as the index returns it: the article plus its stored extraction."""

    article: Article
    extraction: Extraction


@dataclass
class Skipped:
    """A file, or a part of one, that could not be read, and why (shown to the user verbatim).

    `part` names the feed entry, message or chapter left out of a file that was otherwise read
    ("entry 2 (Only a headline)"; the reason names it too), "" when the whole file was skipped.
    An entry is one (path, part): a feed with two bad entries is two entries of one file.
    """

    path: str
    reason: str
    part: str = ""


@dataclass
class SyncReport:
    """What a library sync did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # e.g. "extraction model unavailable: ..."
    cancelled: bool = False


@dataclass
class SyncProgress:
    """Progress of a sync, reported to a callback: done of total files, and the current file.

    "scanning": the library's files were found (`total` of them). "reading": `path` is being
    read, ahead of the extraction (`read` files so far); `done` files are finished, so it stays
    behind while the extractor reads ahead. "extracting": `path` is finished (`done` counts it),
    or, with `part`, that far into it. "writing": every file is read; the commit is being made.
    """

    done: int  # files finished: written to the (uncommitted) index, or skipped
    total: int  # files to read in this sync
    path: str = ""
    phase: str = "reading"  # "scanning" | "reading" | "extracting" | "writing"
    # In a file of many articles (a mailbox, a feed, a book): "1,200 of 20,666", else "".
    part: str = ""
    read: int = 0  # files read so far, the extractor's read-ahead included
    articles: int = 0  # articles written so far; searchable once the sync commits them all


SortOrder = Literal["relevance", "date"]


@dataclass(frozen=True)
class SearchRequest:
    """What to search for: a query in the query language, or (`browse`) the whole library.

    Browsing is the engine's to define (every article, newest first): `query` and `sort` are then
    not read. An empty query that is not browsing is an error the engine explains.
    """

    query: str = ""
    browse: bool = False
    sort: SortOrder = "relevance"
    limit: int = 20  # hits wanted, from `offset` on
    offset: int = 0  # ranked hits to skip: further pages of the same answer
    facets: bool = True  # count actors, places and sources over every matching article
    # Articles first added after this time (ISO 8601) come first, in the order asked, each
    # marked Hit.new: a watch item's articles since it was last looked at (search/watch.py).
    new_since: str | None = None


@dataclass
class Snippet:
    """A passage of an article as plain text, and the spans of it that match the query.

    Nothing in `text` is markup: each caller formats the marks its own way (bold HTML, a
    terminal's bold, brackets, JSON), escaping the text as its format needs.
    """

    text: str
    marks: list[Span] = field(default_factory=list)  # in order, not overlapping

    def marked(self, before: str, after: str, escape: Callable[[str], str] = str) -> str:
        """The text with each mark between `before` and `after`; `escape` applies to the text only."""
        parts: list[str] = []
        position = 0
        for mark in self.marks:
            parts.append(escape(self.text[position : mark.start]))
            parts.append(before + escape(self.text[mark.start : mark.end]) + after)
            position = mark.end
        parts.append(escape(self.text[position:]))
        return "".join(parts)


@dataclass
class Hit:
    """One search result."""

    id: str
    title: str
    path: str
    date: str | None
    source: str | None
    score: float
    snippet: Snippet  # the passages around the query's words, with the words marked
    copies: list[Copy] = field(default_factory=list)  # other files holding the same story
    new: bool = False  # first added after the request's new_since


@dataclass
class Copy:
    """Another article holding the same story as a hit (a wire copy, the .html of a .md)."""

    id: str
    path: str
    source: str | None = None


@dataclass
class SearchResult:
    """A query's answer: ranked hits, total count, facets over the whole result set."""

    query: str  # as asked ("" when browsing)
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(
        default_factory=dict
    )  # "actor"/"place"/"source"
    suggestion: str | None = None  # "did you mean" query
    error: str | None = None  # a clear message when the query could not be understood
    # The error is not the query's: what it needs (the user's store, for note:) cannot be used.
    unusable: bool = False
    terms: list[str] = field(default_factory=list)  # words to highlight in the article view
    # ("actor"|"place", value as typed) of the query's name-field terms: the view marks the
    # mentions of the entities they name (actor:"Sanae Takaichi" marks "Takaichi" too).
    entity_terms: list[tuple[str, str]] = field(default_factory=list)
    # Something the user should know that did not stop the search (corrections not applied).
    notice: str | None = None
    browse: bool = False  # the answer to browsing the whole library, not to a query

    def with_notice(self, notice: str | None) -> SearchResult:
        self.notice = notice
        return self

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "hits": [asdict(h) for h in self.hits],
            "facets": {
                k: [{"value": v, "count": c} for v, c in vs] for k, vs in self.facets.items()
            },
            "suggestion": self.suggestion,
            "error": self.error,
        }


EntityKind = Literal["person", "organization", "place"]
CorrectionAction = Literal["rename", "merge", "hide", "kind", "hide_figure"]


@dataclass
class Correction:
    """One correction the user made to the extraction, kept outside the index (see search.store).

    An actor or place is named by its field ("actor"/"place") and canonical key, so the correction
    still finds it after a rebuild or a new model; a figure by field "figure" and its article id.
    """

    action: CorrectionAction
    field: str
    key: str
    name: str  # the entity (or figure text) as the user named it
    value: str | None = None  # the new name, the name merged into, or the kind
    target_field: str | None = None  # merge: the entity merged into
    target_key: str | None = None
    id: int = 0
    made: str = ""  # ISO 8601 time the correction was made

    def describe(self) -> str:
        """One line for people, e.g. `rename "Labour" to "Labour Party"`."""
        if self.action == "rename":
            return f'rename "{self.name}" to "{self.value}"'
        if self.action == "merge":
            return f'merge "{self.name}" into "{self.value}"'
        if self.action == "kind":
            return f'make "{self.name}" a {self.value}'
        if self.action == "hide_figure":
            return f'hide figure "{self.name}" in article {self.key}'
        return f'hide "{self.name}"'


@dataclass
class LibraryEntity:
    """An actor or place across the library: every variant merged under one name, corrections applied."""

    name: str
    kind: EntityKind
    key: str  # the canonical key of the variants' group
    articles: int  # how many articles name it
    variants: list[str] = field(default_factory=list)  # the names the articles use
    hidden: bool = False


@dataclass
class BriefItem:
    """One article of a brief, in its place, with the briefer's note for this brief."""

    article_id: str
    position: int  # 1 = first
    note: str = ""
    title: str = ""  # the article's title, "" when it has left the index


@dataclass
class Brief:
    """A brief being assembled for a principal: its cover's title, author and handling line
    ("OFFICIAL — for the Minister"), and its items in order."""

    title: str
    author: str = ""
    handling: str = ""
    made: str = ""  # ISO 8601 time it was started
    issued_at: str | None = None  # when it was last exported or printed
    items: list[BriefItem] = field(default_factory=list)


@dataclass
class SinceLast:
    """What changed about an item's subject since the latest earlier brief that covered it."""

    issued_at: str  # when that brief was issued (ISO 8601)
    brief_title: str
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # (what, before, now)
    new_figures: list[tuple[str, str]] = field(default_factory=list)  # (number, what it counts)
    new_actors: list[str] = field(default_factory=list)
    new_quotes: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text)

    def changes(self) -> list[str]:
        """Each change as a phrase: "killed: 107 → 111", "new: 12 arrested", "new actors: …"."""
        parts = [f"{what}: {before} → {now}" for what, before, now in self.figures]
        parts += [f"new: {number} {what}" for number, what in self.new_figures]
        if self.new_actors:
            parts.append("new actors: " + ", ".join(self.new_actors))
        parts += [f"{speaker} said “{text}”" for speaker, text in self.new_quotes]
        return parts


@dataclass
class BriefEntry:
    """What a brief says about one item, through the card engine (corrections applied)."""

    article_id: str
    position: int
    headline: str
    date: str  # human-readable, "" when undated
    source: str
    credit: str  # source, licence and web address, as the card's footer gives them
    url: str
    bottom_line: str
    so_what: str  # the briefer's "so what" of the article (its note), "" when none
    note: str  # the item's own note in this brief
    figures: list[tuple[str, str]] = field(default_factory=list)  # (number, what it counts)
    actors: list[tuple[str, str | None]] = field(default_factory=list)  # (name, role)
    places: list[tuple[str, str | None]] = field(default_factory=list)  # (name, ISO country)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (speaker, text)
    since: SinceLast | None = None  # None: no earlier brief covered its subject
    # How the library carries each of `figures` and `quotes`, in their order (search.corroboration):
    # None where no other source does, none was asked, or a figure is no count (a date).
    figure_support: list[FigureCorroboration | None] = field(default_factory=list)
    quote_support: list[QuoteCorroboration | None] = field(default_factory=list)

    def key_figures(self) -> list[tuple[str, str, FigureCorroboration | None]]:
        """Each key figure (number, what it counts) with how the library carries it."""
        support = [*self.figure_support, *[None] * len(self.figures)]  # none given: none shown
        return [
            (number, what, found)
            for (number, what), found in zip(self.figures, support, strict=False)
        ]

    def key_quotes(self) -> list[tuple[str, str, QuoteCorroboration | None]]:
        """Each quote (speaker, text) with how many sources carry it."""
        support = [*self.quote_support, *[None] * len(self.quotes)]
        return [
            (speaker, text, found)
            for (speaker, text), found in zip(self.quotes, support, strict=False)
        ]

    def to_json_dict(self) -> dict[str, Any]:
        """The entry for `--json`, each figure's and quote's support with its printed `suffix`."""
        data = asdict(self)
        for kind in ("figure_support", "quote_support"):
            for entry, found in zip(data[kind], getattr(self, kind), strict=True):
                if entry is not None and found is not None:
                    entry["suffix"] = found.suffix
                    if isinstance(found, FigureCorroboration):
                        entry["disputed"] = found.disputed
        return data


@dataclass
class BriefDocument:
    """A brief ready to print or export: the cover, then one entry per item still indexed."""

    title: str
    author: str
    handling: str
    date: str  # the date, human-readable
    entries: list[BriefEntry] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # item ids no longer in the index


@dataclass
class Note:
    """The briefer's note on one article (kept in the store, see search.notes): a free body and
    a one-line "so what" that the article's card prints under its bottom line."""

    article_id: str
    body: str = ""
    so_what: str = ""  # one line; "" when there is none
    updated: str = ""  # ISO 8601 time of the last change


@dataclass
class Highlight:
    """A passage the user marked in an article, anchored to its text as the W3C
    TextQuoteSelector does: the exact words, the text just before and after them, and where they
    started (a hint only), so it is found again after the article changes (search.highlights)."""

    id: int
    article_id: str
    exact: str
    prefix: str
    suffix: str
    start_hint: int
    made: str = ""


@dataclass
class EntityArticle:
    """One article on an entity's page: when, where from, and the role it gives the entity."""

    id: str
    title: str
    date: str | None
    source: str | None
    role: str | None = None


@dataclass
class EntityRole:
    """A role an article gives the entity, with the date of each article that gives it.

    `contradicted` is the line a briefer needs when later articles no longer say it ("Foreign
    Minister per 3 March 2025; 'former' since 12 May 2025"), else None.
    """

    role: str
    dates: list[str | None] = field(default_factory=list)  # one per article, oldest first
    article_ids: list[str] = field(default_factory=list)
    contradicted: str | None = None


@dataclass
class EntityQuote:
    """Something the entity said, and the article that quotes it."""

    text: str
    article_id: str
    title: str
    date: str | None


@dataclass
class CoOccurring:
    """Another actor or place named in the entity's articles, and in how many of them."""

    name: str
    facet: str  # "actor" | "place": the facet it shows in
    kind: str  # "person" | "organization" | "place"
    articles: int


@dataclass
class EntityFigure:
    """A key figure of one of the entity's articles."""

    text: str
    label: str
    article_id: str
    date: str | None


@dataclass
class EntityPage:
    """Everything the library says about one actor or place (`briefing entity show`).

    `articles` is a timeline, oldest first (undated articles last); copies of one story count once.
    """

    name: str
    facet: str  # "actor" | "place": the facet it shows in
    kind: str
    variants: list[str] = field(default_factory=list)
    articles: list[EntityArticle] = field(default_factory=list)
    roles: list[EntityRole] = field(default_factory=list)
    quotes: list[EntityQuote] = field(default_factory=list)
    actors: list[CoOccurring] = field(default_factory=list)  # most articles first
    places: list[CoOccurring] = field(default_factory=list)
    figures: list[EntityFigure] = field(default_factory=list)  # the top few of each article

    def to_json_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class FigureVariant:
    """Another number the library gives for the same thing, and the sources that give it."""

    text: str
    sources: list[str] = field(default_factory=list)


@dataclass
class FigureCorroboration:
    """Which sources carry one of an article's key figures (this article's own first), and which
    give another number for what it counts."""

    text: str
    label: str
    sources: list[str] = field(default_factory=list)
    others: list[FigureVariant] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        """ "111 (BBC, Reuters) / 107 (Wikinews)" where sources disagree, "3 sources" where more
        than one agrees, else ""."""
        if self.others:
            values = [FigureVariant(self.text, self.sources), *self.others]
            return " / ".join(f"{v.text} ({', '.join(v.sources)})" for v in values)
        return f"{len(self.sources)} sources" if len(self.sources) > 1 else ""

    @property
    def disputed(self) -> bool:
        """Whether some source gives another number for the same thing."""
        return bool(self.others)


@dataclass
class QuoteCorroboration:
    """Which sources carry one of an article's quotes (this article's own first)."""

    text: str
    speaker: str | None
    sources: list[str] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        return f"{len(self.sources)} sources" if len(self.sources) > 1 else ""


@dataclass
class Corroboration:
    """An article's key figures and quotes as the rest of the library carries them."""

    article_id: str
    figures: list[FigureCorroboration] = field(default_factory=list)
    quotes: list[QuoteCorroboration] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for kind in ("figures", "quotes"):
            for entry, found in zip(data[kind], getattr(self, kind), strict=True):
                entry["suffix"] = found.suffix
        return data


@dataclass
class Watch:
    """A query the user watches (a person, a place, a topic) and how many of its articles are new.

    Counts are of articles (copies of one story once) first added to the library after a time:
    `new` after `seen_at`, `since_brief` after the last brief was issued. None when the query
    cannot be run now (`error` says why) or, for `since_brief`, when no brief was issued yet.
    """

    name: str
    query: str
    made: str  # ISO 8601, when it was saved
    # The first-added time of the newest article in the library when it was last looked at (or
    # saved): what was there then counts as seen. None: nothing was there to see.
    seen_at: str | None = None
    total: int | None = None  # every matching article
    new: int | None = None
    since_brief: int | None = None
    last_brief: str | None = None  # when the last brief was issued (None: never)
    error: str | None = None
