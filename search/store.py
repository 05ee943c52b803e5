"""The user's own data beside the index: a small SQLite file in the data directory (entity
corrections, notes and highlights, watch lists, briefs, read marks, when each article was first
added). The index can be rebuilt; this file is never rebuilt.

Articles are named by their id (a hash of the file's path and part: see
search.readers.base.article_id), so what is kept about an article survives a rebuild. From
schema 2 on, the SQL is plain enough to run on PostgreSQL too: TEXT and INTEGER columns, ISO 8601
times as TEXT, ids given explicitly (no AUTOINCREMENT), no SQLite-only clauses."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search.models import Correction

STORE_FILE = "briefing.sqlite3"

# Each step takes the schema from version n to n + 1 (PRAGMA user_version); never edit a step
# once released, add one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE correction (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        action TEXT NOT NULL,
        field TEXT NOT NULL,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT,
        target_field TEXT,
        target_key TEXT,
        made TEXT NOT NULL
    );
    CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO meta VALUES ('changes', 0);
    """,
    # 2: the briefing workflow.
    """
    CREATE TABLE article_added (
        article_id TEXT PRIMARY KEY,
        added TEXT NOT NULL
    );
    CREATE TABLE read_mark (
        article_id TEXT PRIMARY KEY,
        read_at TEXT NOT NULL
    );
    CREATE TABLE note (
        article_id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        so_what TEXT NOT NULL,
        updated TEXT NOT NULL
    );
    CREATE TABLE highlight (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        exact TEXT NOT NULL,
        prefix TEXT NOT NULL,
        suffix TEXT NOT NULL,
        start_hint INTEGER NOT NULL,
        made TEXT NOT NULL
    );
    CREATE INDEX highlight_article ON highlight (article_id);
    CREATE TABLE watch (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        query TEXT NOT NULL,
        made TEXT NOT NULL,
        seen_at TEXT
    );
    CREATE TABLE brief (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL UNIQUE,
        author TEXT NOT NULL,
        handling TEXT NOT NULL,
        made TEXT NOT NULL,
        issued_at TEXT
    );
    CREATE TABLE brief_item (
        brief_id INTEGER NOT NULL REFERENCES brief (id),
        article_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        note TEXT NOT NULL,
        PRIMARY KEY (brief_id, article_id)
    );
    CREATE TABLE brief_issue (
        id INTEGER PRIMARY KEY,
        brief_id INTEGER NOT NULL REFERENCES brief (id),
        issued_at TEXT NOT NULL,
        snapshot TEXT NOT NULL
    );
    """,
)


# How long a write waits for another program's write to finish before saying the store is locked.
BUSY_TIMEOUT_MS = 3000


# What the store keeps, as its messages name it: they are read by every command using any of it.
KEPT = "notes, highlights, watch lists, briefs, corrections"
# What a store that cannot be written still gives, and how to write again.
READ_ONLY_ADVICE = (
    f"what it keeps ({KEPT}) can still be read — make the data directory writable to save changes"
)


class StoreError(Exception):
    """The store cannot be used as asked (locked, read-only, damaged, or made by a newer version);
    str(e) names the file and says what is wrong."""


class Store:
    """The store's one connection; every method is a transaction, safe to call from any thread.

    Every sqlite3 error leaves a method as a StoreError. A store that cannot be written (a
    read-only data directory) is opened read-only: its corrections still apply, writes say why not.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.read_only = not _writable(path)
        try:
            # Threads take turns through the lock: the GUI reads, a worker writes.
            self._db = self._connect()
            self._migrate()
        except sqlite3.Error as e:
            self.close()
            raise self._failure(e, "opened") from None
        except StoreError:
            self.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        if not self.read_only:
            db = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=0
            )
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            try:
                # Readers then never block the writer (nor it them); a store another program
                # holds locked keeps its journal until the next open.
                db.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass
            return db
        if not self.path.exists():
            # Nothing to read and nowhere to write: an empty store, as if no correction was made.
            db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            self._apply_migrations(db, 0)
            return db
        uri = self.path.resolve().as_uri()
        try:
            db = sqlite3.connect(
                f"{uri}?mode=ro", uri=True, check_same_thread=False, isolation_level=None
            )
            db.execute("PRAGMA user_version").fetchone()
            return db
        except sqlite3.OperationalError:
            # A WAL store in a read-only directory cannot make its shared-memory file; nothing
            # can change it there either, so it is read as unchanging.
            return sqlite3.connect(
                f"{uri}?immutable=1", uri=True, check_same_thread=False, isolation_level=None
            )

    @classmethod
    def open(cls, data_dir: Path) -> Store:
        return cls(Path(data_dir) / STORE_FILE)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    @property
    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreError(f"{self.path} is closed")
        return self._db

    def _failure(self, error: sqlite3.Error, doing: str) -> StoreError:
        """What went wrong, for the user: locked, read-only, or damaged (never "delete it")."""
        text = str(error)
        lowered = text.casefold()
        if "locked" in lowered or "busy" in lowered:
            why = (
                f"is locked by another program ({text}), so it could not be {doing}; "
                "try again in a moment"
            )
        elif "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
            why = f"is read-only ({text}), so it could not be {doing}; {READ_ONLY_ADVICE}"
        elif "unable to open" in lowered:
            why = f"could not be {doing} ({text}); check that the data directory can be read"
        else:
            why = (
                f"is damaged ({text}), so it could not be {doing}; searching the library still "
                f"works, but not with what the file keeps ({KEPT}) — keep the file, "
                "`sqlite3 FILE .recover` may save them"
            )
        return StoreError(f"{self.path} {why}")

    @contextmanager
    def reading(self, doing: str = "read") -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._connection
            except sqlite3.Error as e:
                raise self._failure(e, doing) from None

    @contextmanager
    def transaction(self, doing: str = "written") -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error: all of a change or none of it."""
        with self._lock:
            db = self._connection
            if self.read_only:
                raise StoreError(
                    f"{self.path} is read-only (the data directory cannot be written), so it "
                    f"could not be {doing}; {READ_ONLY_ADVICE}"
                )
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise self._failure(e, doing) from None
            try:
                yield db
                # Inside the try: a COMMIT that fails (a lock held past the timeout) rolls back
                # rather than leaving a transaction open for the next write to trip over.
                db.execute("COMMIT")
            except BaseException as e:
                if db.in_transaction:
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the failure being raised says more than this one
                if isinstance(e, sqlite3.Error):
                    raise self._failure(e, doing) from None
                raise

    def _migrate(self) -> None:
        """Bring the schema up to date; only a store that needs it is written to."""
        db = self._connection
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        self._check_version(version)
        if version == len(MIGRATIONS):
            return
        if self.read_only:
            raise StoreError(
                f"{self.path} needs updating to this version of Briefing Cards, but the data "
                "directory is read-only; make it writable and start again"
            )
        with self.transaction("updated") as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])  # another may have
            self._check_version(version)
            self._apply_migrations(db, version)

    def _check_version(self, version: int) -> None:
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path} was made by a newer version of Briefing Cards "
                f"(schema {version}, this one knows {len(MIGRATIONS)})"
            )

    @staticmethod
    def _apply_migrations(db: sqlite3.Connection, version: int, to: int | None = None) -> None:
        """Take `db` from schema `version` to `to` (this version's, unless told): a state file's
        rows are staged in the schema they were exported from, then brought up to date."""
        to = len(MIGRATIONS) if to is None else to
        for step in MIGRATIONS[version:to]:
            for statement in step.split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA user_version = {to}")

    def version(self) -> int:
        """A number that changes with every write: caches of corrected views compare it."""
        with self.reading("read") as db:
            row = db.execute("SELECT value FROM meta WHERE name = 'changes'").fetchone()
        return int(row[0])

    def add_correction(self, correction: Correction) -> Correction:
        """Record a correction; it comes back with its id and time."""
        made = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.transaction("written") as db:
            cursor = db.execute(
                "INSERT INTO correction (action, field, key, name, value, target_field, "
                "target_key, made) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    correction.action,
                    correction.field,
                    correction.key,
                    correction.name,
                    correction.value,
                    correction.target_field,
                    correction.target_key,
                    made,
                ),
            )
            bump(db)
        correction.id, correction.made = int(cursor.lastrowid or 0), made
        return correction

    def corrections(self) -> list[Correction]:
        """Every correction in force, oldest first (the order they apply in)."""
        with self.reading("read") as db:
            rows = db.execute(
                "SELECT action, field, key, name, value, target_field, target_key, id, made "
                "FROM correction ORDER BY id"
            ).fetchall()
        return [Correction(*row) for row in rows]

    def undo(self, correction_id: int | None = None) -> Correction | None:
        """Remove the newest correction (or the one with this id); None when there is none."""
        with self.transaction("written") as db:
            if correction_id is None:
                row = db.execute("SELECT max(id) FROM correction").fetchone()
                correction_id = row[0]
            undone = [c for c in self._rows(db, correction_id)]
            if not undone:
                return None
            db.execute("DELETE FROM correction WHERE id = ?", (correction_id,))
            bump(db)
        return undone[0]

    @staticmethod
    def _rows(db: sqlite3.Connection, correction_id: int | None) -> list[Correction]:
        rows = db.execute(
            "SELECT action, field, key, name, value, target_field, target_key, id, made "
            "FROM correction WHERE id = ?",
            (correction_id,),
        ).fetchall()
        return [Correction(*row) for row in rows]


def _writable(path: Path) -> bool:
    """Whether the store can be written: the file (or, before it exists, the directory)."""
    if path.exists():
        return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return os.access(path.parent, os.W_OK) if path.parent.exists() else True


def now() -> str:
    """The time a row is written, as the store keeps times: UTC, ISO 8601, to the microsecond (so
    first-added times, looks and brief issues within one second still compare in order: a time
    kept to the second sorts before every finer time of its second)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def next_id(db: sqlite3.Connection, table: str) -> int:
    """The id for a new row of `table` (portable: no AUTOINCREMENT); call inside a transaction."""
    return int(db.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0])


def bump(db: sqlite3.Connection) -> None:
    """Count a change of the corrections (see Store.version: the corrected entity table is rebuilt
    when it moves). Only writes the corrected views depend on call it: a read mark, a note or a
    watch item written on every article opened must not make the next search rebuild that table."""
    db.execute("UPDATE meta SET value = value + 1 WHERE name = 'changes'")
