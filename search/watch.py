"""Watch lists: saved queries (a person, a place, a topic) and how many of their articles are
new — first added to the library since the user last looked, and since the last brief.

The items live in the store's `watch` table, so a rebuild keeps them; the counts come from the
index's `added` field (search/added.py) at each listing. "Since you last looked" compares with
`seen_at`, the first-added time of the newest article in the library when the item was saved or
marked seen: what was there then counts as seen, and an article a sync was still adding does not
(a clock time would hide it). "Since the last brief" compares with the latest issued brief
(`brief_issue`); with none issued there is no such count.
"""

from __future__ import annotations

import difflib
import sqlite3

from search.index import ArticleIndex
from search.models import Watch
from search.query import QueryError
from search.store import next_id, now

MAX_NAME_CHARS = 80


class WatchError(ValueError):
    """A watch item that cannot be saved or found as asked; str(e) names it and says why."""


def watches(index: ArticleIndex) -> list[Watch]:
    """Every watch item in the order saved, each with its counts (or why its query cannot run)."""
    with index.store.reading() as db:
        items, last_brief = _rows(db), _last_brief(db)
    return [_counted(index, item, last_brief) for item in items]


def watch(index: ArticleIndex, name: str) -> Watch:
    """The watch item called `name`, with its counts; WatchError when there is none."""
    found = _named(index, name)
    with index.store.reading() as db:
        last_brief = _last_brief(db)
    return _counted(index, found, last_brief)


def _counted(index: ArticleIndex, item: Watch, last_brief: str | None) -> Watch:
    """The item with its counts; a query that cannot run now gives its reason instead."""
    item.last_brief = last_brief
    try:
        item.total = index.count_matching(item.query)
        item.new = (
            index.count_matching(item.query, added_after=item.seen_at)
            if item.seen_at is not None
            else item.total
        )
        if last_brief is not None:
            item.since_brief = index.count_matching(item.query, added_after=last_brief)
    except QueryError as e:
        item.error = str(e)
    return item


def add_watch(index: ArticleIndex, name: str, query: str) -> Watch:
    """Save `query` to watch under `name`; what the library holds now counts as seen.

    Raises WatchError for an empty or overlong name, a name already used, or a query the
    engine cannot read (saying where, as the search box does).
    """
    name, query = _checked_name(name), " ".join(query.split())
    if not query:
        raise WatchError(f'watch item "{name}" needs a query, e.g. place:Japan')
    try:
        index.count_matching(query)
    except QueryError as e:
        raise WatchError(f'watch item "{name}": {e}') from None
    with index.store.transaction("saved") as db:
        _refuse_taken(db, name)
        made = now()
        db.execute(
            "INSERT INTO watch (id, name, query, made, seen_at) VALUES (?, ?, ?, ?, ?)",
            (next_id(db, "watch"), name, query, made, _newest_added(db)),
        )
    return watch(index, name)


def mark_seen(index: ArticleIndex, name: str) -> Watch:
    """Everything the library holds now counts as seen for `name` (its new count drops to 0)."""
    found = _named(index, name)
    with index.store.transaction("saved") as db:
        db.execute("UPDATE watch SET seen_at = ? WHERE name = ?", (_newest_added(db), found.name))
    return watch(index, found.name)


def rename_watch(index: ArticleIndex, name: str, new_name: str) -> Watch:
    """Call the watch item `name` `new_name` from now on."""
    found, new_name = _named(index, name), _checked_name(new_name)
    with index.store.transaction("saved") as db:
        if new_name.casefold() != found.name.casefold():
            _refuse_taken(db, new_name)
        db.execute("UPDATE watch SET name = ? WHERE name = ?", (new_name, found.name))
    return watch(index, new_name)


def remove_watch(index: ArticleIndex, name: str) -> Watch:
    """Stop watching `name`; returns the item as it was (restore_watch puts it back)."""
    found = _named(index, name)
    with index.store.transaction("saved") as db:
        db.execute("DELETE FROM watch WHERE name = ?", (found.name,))
    return found


def restore_watch(index: ArticleIndex, item: Watch) -> Watch:
    """Put back a removed watch item as it was: its query, when it was made and last seen."""
    name = _checked_name(item.name)
    with index.store.transaction("saved") as db:
        _refuse_taken(db, name)
        db.execute(
            "INSERT INTO watch (id, name, query, made, seen_at) VALUES (?, ?, ?, ?, ?)",
            (next_id(db, "watch"), name, item.query, item.made, item.seen_at),
        )
    return watch(index, name)


def _last_brief(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT MAX(issued_at) FROM brief_issue").fetchone()
    return str(row[0]) if row and row[0] is not None else None


def _rows(db: sqlite3.Connection) -> list[Watch]:
    rows = db.execute("SELECT name, query, made, seen_at FROM watch ORDER BY id").fetchall()
    return [Watch(name, query, made, seen_at) for name, query, made, seen_at in rows]


def _named(index: ArticleIndex, name: str) -> Watch:
    """The item called `name` (case aside, when no item has it exactly); WatchError saying
    which names there are, or the close one, when there is none."""
    with index.store.reading() as db:
        items = _rows(db)
    wanted = " ".join(name.split())
    for item in items:
        if item.name == wanted:
            return item
    for item in items:
        if item.name.casefold() == wanted.casefold():
            return item
    names = [item.name for item in items]
    if not names:
        raise WatchError(f'no watch item named "{wanted}": nothing is watched yet')
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    hint = f'did you mean "{close[0]}"?' if close else "watched: " + ", ".join(names)
    raise WatchError(f'no watch item named "{wanted}"; {hint}')


def _checked_name(name: str) -> str:
    """The name with its spaces tidied; WatchError when it is empty or too long."""
    tidy = " ".join(name.split())
    if not tidy:
        raise WatchError("a watch item needs a name")
    if len(tidy) > MAX_NAME_CHARS:
        raise WatchError(
            f'the name "{tidy[:30]}…" is {len(tidy)} characters long; at most {MAX_NAME_CHARS}'
        )
    return tidy


def _refuse_taken(db: sqlite3.Connection, name: str) -> None:
    for taken, query in db.execute("SELECT name, query FROM watch").fetchall():
        if taken.casefold() == name.casefold():
            raise WatchError(f'a watch item named "{taken}" already exists (its query: {query})')


def _newest_added(db: sqlite3.Connection) -> str | None:
    """The first-added time of the newest article in the library (None when it is empty).

    The times are written one way (search/added.py), so the text's order is the times' order.
    """
    row = db.execute("SELECT MAX(added) FROM article_added").fetchone()
    return str(row[0]) if row and row[0] is not None else None
