"""The user's own data beside the index: a small SQLite file in the data directory (corrections now;
notes, briefs and watch lists later). The index can be rebuilt; this file is never rebuilt."""

from __future__ import annotations

import datetime as dt
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
)


class StoreError(Exception):
    """The store cannot be used (damaged, or made by a newer version); str(e) says what to do."""


class Store:
    """The store's one connection; every method is a transaction, safe to call from any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            # Threads take turns through the lock: the GUI reads, a worker writes.
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._migrate()
        except sqlite3.DatabaseError as e:
            self.close()
            raise StoreError(
                f"{path} cannot be read ({e}); move it aside to start afresh"
            ) from None

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

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error: all of a change or none of it."""
        with self._lock:
            db = self._connection
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _migrate(self) -> None:
        with self._transaction() as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path} was made by a newer version of Briefing Cards "
                    f"(schema {version}, this one knows {len(MIGRATIONS)})"
                )
            for step in MIGRATIONS[version:]:
                for statement in step.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    def version(self) -> int:
        """A number that changes with every write: caches of corrected views compare it."""
        with self._lock:
            row = self._connection.execute(
                "SELECT value FROM meta WHERE name = 'changes'"
            ).fetchone()
        return int(row[0])

    def add_correction(self, correction: Correction) -> Correction:
        """Record a correction; it comes back with its id and time."""
        made = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._transaction() as db:
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
            _bump(db)
        correction.id, correction.made = int(cursor.lastrowid or 0), made
        return correction

    def corrections(self) -> list[Correction]:
        """Every correction in force, oldest first (the order they apply in)."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT action, field, key, name, value, target_field, target_key, id, made "
                "FROM correction ORDER BY id"
            ).fetchall()
        return [Correction(*row) for row in rows]

    def undo(self, correction_id: int | None = None) -> Correction | None:
        """Remove the newest correction (or the one with this id); None when there is none."""
        with self._transaction() as db:
            if correction_id is None:
                row = db.execute("SELECT max(id) FROM correction").fetchone()
                correction_id = row[0]
            undone = [c for c in self._rows(db, correction_id)]
            if not undone:
                return None
            db.execute("DELETE FROM correction WHERE id = ?", (correction_id,))
            _bump(db)
        return undone[0]

    @staticmethod
    def _rows(db: sqlite3.Connection, correction_id: int | None) -> list[Correction]:
        rows = db.execute(
            "SELECT action, field, key, name, value, target_field, target_key, id, made "
            "FROM correction WHERE id = ?",
            (correction_id,),
        ).fetchall()
        return [Correction(*row) for row in rows]


def _bump(db: sqlite3.Connection) -> None:
    db.execute("UPDATE meta SET value = value + 1 WHERE name = 'changes'")
