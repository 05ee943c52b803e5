"""The user's store: its schema migrations keep what an older version wrote."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from search.models import Correction
from search.store import MIGRATIONS, STORE_FILE, Store


def make_store_of_schema(path: Path, version: int) -> None:
    """A store as the release with schema `version` left it (its migrations only)."""
    db = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:version]:
        for statement in step.split(";"):
            if statement.strip():
                db.execute(statement)
    db.execute(f"PRAGMA user_version = {version}")
    db.execute(
        "INSERT INTO correction (action, field, key, name, value, target_field, target_key, made) "
        "VALUES ('rename', 'actor', 'p:tom lee', 'Tom Lee', 'Thomas Lee', NULL, NULL, "
        "'2026-01-02T03:04:05+00:00')"
    )
    db.close()


def test_a_store_of_the_first_schema_is_migrated_and_keeps_its_corrections(tmp_path: Path) -> None:
    make_store_of_schema(tmp_path / STORE_FILE, 1)
    store = Store.open(tmp_path)
    try:
        with store.reading() as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert {"note", "highlight", "watch", "brief", "brief_item", "article_added"} <= tables
        corrections = store.corrections()
        assert [(c.action, c.name, c.value) for c in corrections] == [
            ("rename", "Tom Lee", "Thomas Lee")
        ]
        added = store.add_correction(Correction("hide", "place", "paris", "Paris"))
        assert added.id == corrections[0].id + 1
    finally:
        store.close()


def test_the_new_schema_avoids_sqlite_only_clauses() -> None:
    """From schema 2 on the SQL would run on PostgreSQL: no AUTOINCREMENT, no SQLite types."""
    for step in MIGRATIONS[1:]:
        upper = step.upper()
        for sqlite_only in ("AUTOINCREMENT", "WITHOUT ROWID", "PRAGMA", " BLOB", "DATETIME("):
            assert sqlite_only not in upper


def test_only_corrections_move_the_version_the_entity_table_is_cached_by(tmp_path: Path) -> None:
    """A read mark is written on every article opened: were it counted, the next search would
    rebuild the corrected entity table each time."""
    from search.highlights import add_highlight, quote_selector
    from search.notes import mark_read, set_note

    store = Store.open(tmp_path)
    try:
        before = store.version()
        mark_read(store, "a1")
        set_note(store, "a1", so_what="Why it matters")
        add_highlight(store, "a1", quote_selector("Tokyo and Seoul agreed.", 0, 5))
        assert store.version() == before
        store.add_correction(Correction("hide", "place", "paris", "Paris"))
        assert store.version() == before + 1
    finally:
        store.close()
