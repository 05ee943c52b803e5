"""The briefer's notes and read marks, kept in the user's store (search.store), never in the index:
a `briefing index --rebuild` loses none of them, since an article's id survives it.

A note is one per article: a free body and a one-line "so what" (the card prints it under its
bottom line; a brief prints it per item). Notes are searchable with `note:` (search.query asks
`note_texts` for the words to match). A read mark is the time an article was last opened.
"""

from __future__ import annotations

import sqlite3

from search.models import Note
from search.store import Store, now


class NoteError(ValueError):
    """A note that cannot be kept as asked; str(e) says what is wrong."""


# A "so what" is one line on a card: longer than this, it is a paragraph, and belongs in the body.
MAX_SO_WHAT_CHARS = 300


def one_line(text: str) -> str:
    """The so-what as the card prints it: whitespace (newlines too) collapsed to single spaces."""
    return " ".join(text.split())


def get_note(store: Store, article_id: str) -> Note | None:
    """The article's note, or None when it has none."""
    with store.reading("read") as db:
        row = db.execute(
            "SELECT article_id, body, so_what, updated FROM note WHERE article_id = ?",
            (article_id,),
        ).fetchone()
    return Note(*row) if row else None


def set_note(
    store: Store, article_id: str, *, body: str | None = None, so_what: str | None = None
) -> Note | None:
    """Change the article's note: a part given as None is kept as it was. A note left with
    neither a body nor a so-what is removed (None comes back), so an empty note never lingers."""
    if so_what is not None:
        so_what = one_line(so_what)
        if len(so_what) > MAX_SO_WHAT_CHARS:
            raise NoteError(
                f"the so-what is {len(so_what)} characters; a card has room for one line of at "
                f"most {MAX_SO_WHAT_CHARS} (put the rest in the note's body)"
            )
    with store.transaction("saved") as db:
        old = db.execute(
            "SELECT body, so_what FROM note WHERE article_id = ?", (article_id,)
        ).fetchone()
        new_body = body if body is not None else (old[0] if old else "")
        new_so_what = so_what if so_what is not None else (old[1] if old else "")
        new_body = new_body.strip()
        if not new_body and not new_so_what:
            db.execute("DELETE FROM note WHERE article_id = ?", (article_id,))
            return None
        updated = now()
        if old:
            db.execute(
                "UPDATE note SET body = ?, so_what = ?, updated = ? WHERE article_id = ?",
                (new_body, new_so_what, updated, article_id),
            )
        else:
            db.execute(
                "INSERT INTO note (article_id, body, so_what, updated) VALUES (?, ?, ?, ?)",
                (article_id, new_body, new_so_what, updated),
            )
    return Note(article_id, new_body, new_so_what, updated)


def clear_note(store: Store, article_id: str) -> bool:
    """Remove the article's note; False when it had none."""
    with store.transaction("saved") as db:
        removed = db.execute("DELETE FROM note WHERE article_id = ?", (article_id,)).rowcount
    return bool(removed)


def list_notes(store: Store) -> list[Note]:
    """Every note, the most recently changed first."""
    with store.reading("read") as db:
        rows = db.execute(
            "SELECT article_id, body, so_what, updated FROM note ORDER BY updated DESC, article_id"
        ).fetchall()
    return [Note(*row) for row in rows]


def so_whats(store: Store, article_ids: list[str]) -> dict[str, str]:
    """article id → its so-what, for those of `article_ids` that have one (cards print them)."""
    if not article_ids:
        return {}
    with store.reading("read") as db:
        return dict(_so_what_rows(db, article_ids))


def _so_what_rows(db: sqlite3.Connection, article_ids: list[str]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    # SQLite takes at most 999 parameters in one statement (older builds): ask in batches.
    for start in range(0, len(article_ids), 500):
        batch = article_ids[start : start + 500]
        marks = ", ".join("?" * len(batch))
        rows += db.execute(
            f"SELECT article_id, so_what FROM note WHERE so_what <> '' AND article_id IN ({marks})",
            batch,
        ).fetchall()
    return rows


def note_texts(store: Store) -> dict[str, str]:
    """article id → the note's so-what and body as one text: what `note:` searches."""
    with store.reading("read") as db:
        rows = db.execute("SELECT article_id, so_what, body FROM note").fetchall()
    return {article_id: f"{so_what}\n{body}" for article_id, so_what, body in rows}


def mark_read(store: Store, article_id: str) -> None:
    """Record that the article was opened now."""
    with store.transaction("saved") as db:
        db.execute(
            "INSERT INTO read_mark (article_id, read_at) VALUES (?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET read_at = excluded.read_at",
            (article_id, now()),
        )


def read_ids(store: Store) -> set[str]:
    """The ids of every article ever opened."""
    with store.reading("read") as db:
        return {row[0] for row in db.execute("SELECT article_id FROM read_mark")}
