"""Briefs: several articles in order, each with the briefer's note, handed to a principal.

A brief lives in the user's store (search/store.py: `brief`, `brief_item`), named by its title;
its items are article ids, so it survives `briefing index --rebuild`. What an item says comes from
the card engine (search/card.py), so the user's corrections apply. Issuing a brief (exporting or
printing it) records a snapshot of each item in `brief_issue`; the next brief about the same
subject then says what changed since ("Since last brief (12 May 2026): killed: 107 → 111").
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from search.card import CardBudget, build_card, credit_line, trim_to_words
from search.entities import actor_key, name_key
from search.models import (
    Brief,
    BriefDocument,
    BriefEntry,
    BriefItem,
    Corroboration,
    FigureCorroboration,
    QuoteCorroboration,
    SinceLast,
    StoredArticle,
)
from search.store import Store, next_id, now
from search.text import long_date

# A brief gives each item more room than a small card: its figures, people, places and quotes.
ENTRY_BUDGET = CardBudget(
    bottom_line_chars=420, max_figures=6, max_actors=6, max_places=5, quote_chars=300, max_quotes=3
)
# A snapshot keeps this many quotes per item (enough to tell a new one), each cut to this length.
SNAPSHOT_QUOTES = 12
SNAPSHOT_QUOTE_CHARS = 300
# The "since last brief" line names at most this many new quotes, and new figures.
SINCE_QUOTES = 2
SINCE_NEW_FIGURES = 3

GetArticle = Callable[[str], StoredArticle | None]
Corroborate = Callable[[str], Corroboration | None]


class BriefError(ValueError):
    """A brief, item or position that is not there or cannot be as asked; str(e) says which."""


# -- the store ------------------------------------------------------------------------------


def briefs(store: Store) -> list[Brief]:
    """Every brief with its items, the most recently started first."""
    with store.reading() as db:
        rows = db.execute(
            "SELECT id, title, author, handling, made, issued_at FROM brief ORDER BY made DESC, id DESC"
        ).fetchall()
        return [_brief(db, row) for row in rows]


def brief(store: Store, title: str) -> Brief:
    """The brief titled `title` (exactly, else the one whose title matches it but for case)."""
    with store.reading() as db:
        return _brief(db, _row(db, title))


def new_brief(store: Store, title: str, author: str = "", handling: str = "") -> Brief:
    """Start an empty brief; a title that is blank or taken is refused."""
    title = " ".join(title.split())
    if not title:
        raise BriefError("a brief needs a title")
    with store.transaction("saved") as db:
        taken = _find(db, title)
        if taken is not None:
            raise BriefError(f'a brief titled "{taken[1]}" already exists')
        brief_id = next_id(db, "brief")
        made = now()
        db.execute(
            "INSERT INTO brief (id, title, author, handling, made, issued_at) "
            "VALUES (?, ?, ?, ?, ?, NULL)",
            (brief_id, title, author.strip(), handling.strip(), made),
        )
    return Brief(title, author.strip(), handling.strip(), made)


def set_cover(store: Store, title: str, *, author: str | None, handling: str | None) -> Brief:
    """Change the author or handling line the cover prints (None leaves one as it is)."""
    with store.transaction("saved") as db:
        row = _row(db, title)
        db.execute(
            "UPDATE brief SET author = ?, handling = ? WHERE id = ?",
            (
                row[2] if author is None else author.strip(),
                row[3] if handling is None else handling.strip(),
                row[0],
            ),
        )
        return _brief(db, _row(db, row[1]))


def add_items(store: Store, title: str, article_ids: Sequence[str], get: GetArticle) -> list[str]:
    """Append articles to the brief, in order; returns those added (one already in it is not
    added twice). An id the index does not hold is refused, naming it, and nothing is added."""
    unknown = [article_id for article_id in article_ids if get(article_id) is None]
    if unknown:
        which = ", ".join(unknown)
        raise BriefError(
            f"no article with id {which} in the index (`briefing search` prints each one's id)"
        )
    added: list[str] = []
    with store.transaction("saved") as db:
        brief_id = _row(db, title)[0]
        held = {row[0] for row in _items(db, brief_id)}
        for article_id in article_ids:
            if article_id in held or article_id in added:
                continue
            db.execute(
                "INSERT INTO brief_item (brief_id, article_id, position, note) VALUES (?, ?, ?, '')",
                (brief_id, article_id, len(held) + len(added) + 1),
            )
            added.append(article_id)
    return added


def remove_item(store: Store, title: str, article_id: str) -> None:
    """Take an article out of the brief; the rest close up."""
    with store.transaction("saved") as db:
        brief_id, order = _order(db, title, article_id)
        db.execute(
            "DELETE FROM brief_item WHERE brief_id = ? AND article_id = ?", (brief_id, article_id)
        )
        order.remove(article_id)
        _renumber(db, brief_id, order)


def move_item(store: Store, title: str, article_id: str, position: int) -> int:
    """Put an item at `position` (1 = first; past the end = last); returns where it went."""
    if position < 1:
        raise BriefError(f"a position counts from 1, not {position}")
    with store.transaction("saved") as db:
        brief_id, order = _order(db, title, article_id)
        order.remove(article_id)
        position = min(position, len(order) + 1)
        order.insert(position - 1, article_id)
        _renumber(db, brief_id, order)
    return position


def note_item(store: Store, title: str, article_id: str, text: str) -> None:
    """The item's own note in this brief ("" clears it)."""
    with store.transaction("saved") as db:
        brief_id, _order_ = _order(db, title, article_id)
        db.execute(
            "UPDATE brief_item SET note = ? WHERE brief_id = ? AND article_id = ?",
            (text.strip(), brief_id, article_id),
        )


def delete_brief(store: Store, title: str) -> str:
    """Delete a brief, its items and the record of its issues; returns its title."""
    with store.transaction("saved") as db:
        brief_id, found = _row(db, title)[:2]
        for table in ("brief_item", "brief_issue"):
            db.execute(f"DELETE FROM {table} WHERE brief_id = ?", (brief_id,))
        db.execute("DELETE FROM brief WHERE id = ?", (brief_id,))
    return str(found)


def so_what(store: Store, article_id: str) -> str:
    """The briefer's one-line "so what" of an article (its note), "" when it has none."""
    with store.reading() as db:
        row = db.execute("SELECT so_what FROM note WHERE article_id = ?", (article_id,)).fetchone()
    return str(row[0]) if row else ""


def _find(db: sqlite3.Connection, title: str) -> tuple[Any, ...] | None:
    columns = "id, title, author, handling, made, issued_at"
    row = db.execute(f"SELECT {columns} FROM brief WHERE title = ?", (title,)).fetchone()
    if row is not None:
        return tuple(row)
    wanted = " ".join(title.split()).casefold()
    rows = [r for r in db.execute(f"SELECT {columns} FROM brief") if r[1].casefold() == wanted]
    return tuple(rows[0]) if len(rows) == 1 else None


def _row(db: sqlite3.Connection, title: str) -> tuple[Any, ...]:
    row = _find(db, title)
    if row is None:
        titles = [r[0] for r in db.execute("SELECT title FROM brief ORDER BY title")]
        known = "; briefs: " + ", ".join(f'"{t}"' for t in titles) if titles else "; no briefs yet"
        raise BriefError(f'no brief titled "{title}"{known}')
    return row


def _items(db: sqlite3.Connection, brief_id: int) -> list[tuple[str, int, str]]:
    return [
        (str(a), int(p), str(n))
        for a, p, n in db.execute(
            "SELECT article_id, position, note FROM brief_item WHERE brief_id = ? "
            "ORDER BY position, article_id",
            (brief_id,),
        )
    ]


def _order(db: sqlite3.Connection, title: str, article_id: str) -> tuple[int, list[str]]:
    """The brief's id and its items' ids in order; raises when `article_id` is not one of them."""
    row = _row(db, title)
    order = [item[0] for item in _items(db, row[0])]
    if article_id not in order:
        raise BriefError(f'article {article_id} is not in the brief "{row[1]}"')
    return int(row[0]), order


def _renumber(db: sqlite3.Connection, brief_id: int, order: list[str]) -> None:
    for position, article_id in enumerate(order, start=1):
        db.execute(
            "UPDATE brief_item SET position = ? WHERE brief_id = ? AND article_id = ?",
            (position, brief_id, article_id),
        )


def _brief(db: sqlite3.Connection, row: tuple[Any, ...]) -> Brief:
    brief_id, title, author, handling, made, issued_at = row
    items = [
        BriefItem(article_id, position, note) for article_id, position, note in _items(db, brief_id)
    ]
    return Brief(title, author, handling, made, issued_at, items)


# -- what a brief says ------------------------------------------------------------------------


def brief_document(
    store: Store,
    title: str,
    get: GetArticle,
    *,
    today: dt.date | None = None,
    corroborate: Corroborate | None = None,
) -> BriefDocument:
    """The brief as it would be issued now: the cover, then each item through the card engine,
    with what changed since an earlier brief on its subject and, given `corroborate`
    (search.corroboration, through the index), which other sources carry its figures and quotes."""
    today = today or dt.date.today()
    with store.reading() as db:
        row = _row(db, title)
        items = _items(db, row[0])
        earlier = _earlier_issues(db, row[0])
    document = BriefDocument(row[1], row[2], row[3], long_date(today.isoformat()))
    for article_id, position, note in items:
        stored = get(article_id)
        if stored is None:
            document.missing.append(article_id)
            continue
        entry = _entry(stored, position, note, so_what(store, article_id), today)
        entry.since = since_last(snapshot_item(stored, entry), earlier)
        if corroborate is not None:
            add_support(entry, corroborate(article_id))
        document.entries.append(entry)
    return document


def _entry(stored: StoredArticle, position: int, note: str, so: str, today: dt.date) -> BriefEntry:
    card = build_card(stored, printed=today, budget=ENTRY_BUDGET)
    return BriefEntry(
        article_id=stored.article.id,
        position=position,
        headline=card.headline,
        date=card.date,
        source=card.source,
        credit=credit_line(stored.article),
        url=card.url,
        bottom_line=card.bottom_line,
        so_what=so,
        note=note,
        figures=card.figures,
        actors=card.actors,
        places=card.places,
        quotes=card.quotes,
    )


def add_support(entry: BriefEntry, found: Corroboration | None) -> None:
    """Give each of the entry's figures and quotes what the library says of it, where another
    source carries it or gives another number (a lone source's brief reads as before)."""
    if found is None:
        return
    entry.figure_support = [_figure_support(n, what, found) for n, what in entry.figures]
    entry.quote_support = [_quote_support(who, text, found) for who, text in entry.quotes]


def _figure_support(number: str, what: str, found: Corroboration) -> FigureCorroboration | None:
    # The card strips what the extractor gave; corroboration keeps it as given.
    for figure in found.figures:
        if (figure.text.strip(), figure.label.strip()) == (number, what):
            return figure if figure.suffix else None
    return None


def _quote_support(speaker: str, text: str, found: Corroboration) -> QuoteCorroboration | None:
    # The card's quote is the extractor's cut to length (and Markdown made plain): its words
    # begin the whole quote's.
    shown = _words(text.rstrip("…"))
    for quote in found.quotes:
        if (quote.speaker or "") == speaker and shown and _words(quote.text).startswith(shown):
            return quote if quote.suffix else None
    return None


def record_issue(store: Store, title: str, document: BriefDocument, get: GetArticle) -> str:
    """Record that the brief was issued now, with a snapshot of each item; returns the time."""
    snapshot = []
    for entry in document.entries:
        stored = get(entry.article_id)
        if stored is not None:
            snapshot.append(snapshot_item(stored, entry))
    issued = now()
    with store.transaction("saved") as db:
        brief_id = _row(db, title)[0]
        db.execute(
            "INSERT INTO brief_issue (id, brief_id, issued_at, snapshot) VALUES (?, ?, ?, ?)",
            (
                next_id(db, "brief_issue"),
                brief_id,
                issued,
                json.dumps(snapshot, ensure_ascii=False),
            ),
        )
        db.execute("UPDATE brief SET issued_at = ? WHERE id = ?", (issued, brief_id))
    return issued


def snapshot_item(stored: StoredArticle, entry: BriefEntry) -> dict[str, Any]:
    """What an issue keeps of one item to compare the next brief with: its key figures, the
    keys of its subject (the actors and places the card leads with), every actor and its quotes."""
    extraction = stored.extraction
    kinds = {actor.name: actor.kind for actor in extraction.actors}
    subject = [f"actor:{actor_key(name, kinds.get(name, 'person'))}" for name, _ in entry.actors]
    subject += [f"place:{name_key(name)}" for name, _ in entry.places]
    return {
        "article_id": stored.article.id,
        "title": stored.article.title,
        "date": stored.article.date,
        "figures": [{"text": text, "label": label} for text, label in entry.figures],
        "subject": subject,
        "actors": {actor_key(a.name, a.kind): a.name for a in extraction.actors},
        "quotes": [
            {"speaker": q.speaker or "", "text": trim_to_words(q.text, SNAPSHOT_QUOTE_CHARS)}
            for q in extraction.quotes[:SNAPSHOT_QUOTES]
        ],
    }


# (issued_at, brief title, snapshot items) of every issue of the other briefs, newest first.
Issue = tuple[str, str, list[dict[str, Any]]]


def _earlier_issues(db: sqlite3.Connection, brief_id: int) -> list[Issue]:
    """Issues of other briefs (a brief exported twice is not news to itself), newest first."""
    rows = db.execute(
        "SELECT brief_issue.issued_at, brief.title, brief_issue.snapshot FROM brief_issue "
        "JOIN brief ON brief.id = brief_issue.brief_id WHERE brief_issue.brief_id <> ? "
        "ORDER BY brief_issue.issued_at DESC, brief_issue.id DESC",
        (brief_id,),
    ).fetchall()
    issues: list[Issue] = []
    for issued_at, title, snapshot in rows:
        try:
            items = json.loads(snapshot)
        except ValueError:
            continue  # a snapshot that cannot be read tells nothing; the others still do
        if isinstance(items, list):
            issues.append((issued_at, title, [i for i in items if isinstance(i, dict)]))
    return issues


def since_last(now_item: dict[str, Any], issues: list[Issue]) -> SinceLast | None:
    """What changed since the latest issue that covered the item's subject (see same_subject),
    or None when none did."""
    subject = set(now_item["subject"])
    for issued_at, title, items in issues:
        covered = [item for item in items if same_subject(subject, set(item.get("subject", [])))]
        if covered:
            return _compare(now_item, covered, issued_at, title)
    return None


def same_subject(one: set[str], other: set[str]) -> bool:
    """Whether two items are on one subject: they share at least half of the smaller one's key
    actors and places, and two of them unless one has fewer. One name in common — a head of
    government, a country — is not a story: two Japan stories with the Prime Minister in both
    were compared ("people killed: 136 → At least 12")."""
    shared, smaller = len(one & other), min(len(one), len(other))
    return shared > 0 and shared >= min(2, smaller) and 2 * shared >= smaller


def _compare(
    now_item: dict[str, Any], before: list[dict[str, Any]], issued_at: str, title: str
) -> SinceLast:
    since = SinceLast(issued_at, title)
    old_figures = [(f["text"], f["label"]) for item in before for f in item.get("figures", [])]
    for figure in now_item["figures"]:
        text, label = figure["text"], figure["label"]
        match = next((old for old in old_figures if same_measure(old[1], label)), None)
        if match is None:
            since.new_figures.append((text, label))
            continue
        old_figures.remove(match)  # one figure of the earlier brief answers one of this one's
        if _number(match[0]) != _number(text):
            since.figures.append((_core(label) or label, match[0], text))
    since.new_figures = since.new_figures[:SINCE_NEW_FIGURES]
    old_actors = {key for item in before for key in item.get("actors", {})}
    since.new_actors = [
        name
        for key, name in now_item["actors"].items()
        if key not in old_actors and f"actor:{key}" in now_item["subject"]
    ]
    old_quotes = {_words(q["text"]) for item in before for q in item.get("quotes", [])}
    since.new_quotes = [
        (q["speaker"], q["text"])
        for q in now_item["quotes"]
        if q["speaker"] and _words(q["text"]) not in old_quotes
    ][:SINCE_QUOTES]
    return since


# Words that end what a figure counts: "people killed in the attack" counts "people killed".
_PREPOSITIONS = frozenset(
    "in of at on by for from to after since during with over under into among as per than".split()
)
_FILLER = frozenset("a an the some about around nearly least more most other".split())


def _core(label: str) -> str:
    """What a figure's label counts, before its first preposition: "people killed"."""
    words: list[str] = []
    for word in re.findall(r"[\w'-]+", label):
        if word.casefold() in _PREPOSITIONS and words:
            break
        if word.casefold() not in _FILLER:
            words.append(word)
    return " ".join(words)


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def same_measure(one: str, other: str) -> bool:
    """Whether two labels count the same thing: the head (last word) of what one counts is among
    the words of what the other counts, and the other way round ("killed" and "people killed in
    the collapse"; not "killed" and "wounded")."""
    a = [_stem(w) for w in _core(one).casefold().split()]
    b = [_stem(w) for w in _core(other).casefold().split()]
    return bool(a and b) and a[-1] in b and b[-1] in a


def _number(text: str) -> str:
    return " ".join(text.casefold().replace(",", "").split())


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))
