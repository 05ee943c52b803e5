"""All of the user's state (every table of the store: corrections, notes, highlights, watch lists,
briefs, read marks, when articles were added) as one JSON file, and back.

The file names its schema version. Importing replaces the user state in one transaction, after
keeping a copy of the store file beside it; a file from a newer schema, or one that is damaged
(not JSON, a table or column missing, a row that does not fit, a value not of its column's type
or a time that is not ISO 8601), is refused with the reason, naming the table, row and column, and
changes nothing. A file from an older schema is brought up to date by the store's migrations.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from search.store import MIGRATIONS, Store, StoreError, bump, now

FORMAT = "briefing-cards-state"
# The counter of changes stays the live store's (caches compare it); the rest of meta is imported.
_CHANGES = "changes"


class StateFileError(ValueError):
    """A state file that cannot be imported (or written); str(e) names the file and says why."""


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def export_state(store: Store, out: Path) -> dict[str, int]:
    """Write every table of the store to `out` (atomically: a half-written file never replaces a
    good one); returns how many rows each table had. An `out` that cannot be written is a
    StateFileError (bad input: the CLI exits 2), named with the reason."""
    with store.reading("exported") as db:
        schema = int(db.execute("PRAGMA user_version").fetchone()[0])
        tables: dict[str, dict[str, list[Any]]] = {}
        for table in _tables(db):
            columns = _columns(db, table)
            rows = db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            tables[table] = {"columns": columns, "rows": [list(row) for row in rows]}
    document = {"format": FORMAT, "schema": schema, "exported": now(), "tables": tables}
    out = Path(out)
    if not out.parent.is_dir():
        # Worded as `briefing card --pdf` and `brief export` say it.
        raise StateFileError(f"cannot write {out}: folder {out.parent} does not exist")
    partial = out.with_name(f".{out.name}.partial")
    try:
        with open(partial, "w", encoding="utf-8") as f:
            json.dump(document, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, out)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise StateFileError(f"cannot write {out}: {e.strerror or e}") from None
    return {table: len(content["rows"]) for table, content in tables.items()}


def read_state_file(path: Path) -> tuple[int, dict[str, Any]]:
    """The file's schema version and tables, checked; StateFileError says what is wrong."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise StateFileError(f"cannot read {path}: {e.strerror or e}") from None
    except (UnicodeError, ValueError) as e:
        raise StateFileError(f"{path} is damaged: it is not a JSON file ({e})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError(
            f"{path} is not a Briefing Cards state file (made by `briefing state export`)"
        )
    schema, tables = document.get("schema"), document.get("tables")
    if not isinstance(schema, int) or schema < 1 or not isinstance(tables, dict):
        raise StateFileError(f"{path} is damaged: its schema version or its tables are missing")
    if schema > len(MIGRATIONS):
        raise StateFileError(
            f"{path} was exported by a newer version of Briefing Cards (schema {schema}, this "
            f"one knows {len(MIGRATIONS)}); update Briefing Cards to import it"
        )
    return schema, tables


# Columns that hold a time, as ISO 8601 text: what reads them parses them (watch counts, dates
# on cards), so a file must not bring in one that does not parse.
TIME_COLUMNS = frozenset({"made", "updated", "added", "read_at", "seen_at", "issued_at"})
# Columns that hold a JSON text (a brief as it was issued).
JSON_COLUMNS = frozenset({"snapshot"})


def _staged(path: Path, schema: int, tables: dict[str, Any]) -> sqlite3.Connection:
    """The file's state in a store of its own schema in memory, then migrated to this one: every
    value is checked against its column's type (SQLite would take text in an INTEGER column, and
    the commands reading it would fail later) and every row by the schema's own constraints,
    before the user's store is touched."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    Store._apply_migrations(db, 0, schema)
    db.execute("DELETE FROM meta")
    for table in _tables(db):
        content = tables.get(table)
        if not isinstance(content, dict):
            raise StateFileError(f"{path} is damaged: the table {table!r} is missing")
        columns, rows = content.get("columns"), content.get("rows")
        if columns != _columns(db, table) or not isinstance(rows, list):
            raise StateFileError(
                f"{path} is damaged: the table {table!r} does not have the columns of schema "
                f"{schema} ({', '.join(_columns(db, table))})"
            )
        # PRAGMA table_info: (cid, name, type, notnull, default, pk).
        kinds = [
            (row[1], row[2].upper(), bool(row[3] or row[5]))
            for row in db.execute(f"PRAGMA table_info({table})")
        ]
        marks = ", ".join("?" * len(columns))
        for number, row in enumerate(rows, 1):
            if not isinstance(row, list) or len(row) != len(columns):
                raise StateFileError(f"{path} is damaged: row {number} of {table!r} is cut short")
            for value, (column, kind, required) in zip(row, kinds, strict=True):
                wrong = _misfit(value, column, kind, required)
                if wrong:
                    raise StateFileError(
                        f"{path} is damaged: row {number} of {table!r}, column {column!r} {wrong}"
                    )
            try:
                db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", row)
            except (sqlite3.Error, OverflowError) as e:
                raise StateFileError(
                    f"{path} is damaged: row {number} of {table!r} does not fit ({e})"
                ) from None
    Store._apply_migrations(db, schema)
    return db


def _misfit(value: Any, column: str, kind: str, required: bool) -> str | None:
    """What is wrong with `value` for a column of this type, or None when it fits."""
    if value is None:
        return "is empty, but must have a value" if required else None
    if kind == "INTEGER":
        # JSON's true and false come back as bool, which Python counts as int.
        if isinstance(value, bool) or not isinstance(value, int):
            return f"is {value!r}, not a whole number"
        return None
    if kind != "TEXT":
        return None
    if not isinstance(value, str):
        return f"is {value!r}, not text"
    if column in TIME_COLUMNS:
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            return f"is {value!r}, not an ISO 8601 time"
    if column in JSON_COLUMNS:
        try:
            json.loads(value)
        except ValueError:
            return "is not JSON text"
    return None


def import_state(store: Store, path: Path) -> tuple[Path, dict[str, int]]:
    """Replace the user's state with the file's. The store as it was is first copied beside it
    (returned), then every table is replaced in one transaction; returns the copy's path and how
    many rows each table now has."""
    schema, tables = read_state_file(path)
    staged = _staged(Path(path), schema, tables)
    try:
        kept = _keep_a_copy(store)
        counts: dict[str, int] = {}
        with store.transaction("imported") as db:
            for table in _tables(db):
                if table not in _tables(staged):
                    continue  # a table of a newer schema than the file's: not the file's to set
                columns = _columns(staged, table)
                where = f" WHERE name <> '{_CHANGES}'" if table == "meta" else ""
                rows = staged.execute(f"SELECT {', '.join(columns)} FROM {table}{where}").fetchall()
                db.execute(f"DELETE FROM {table}{where}")
                marks = ", ".join("?" * len(columns))
                db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
                counts[table] = len(rows)
            bump(db)
    finally:
        staged.close()
    return kept, counts


def _keep_a_copy(store: Store) -> Path:
    """A consistent copy of the store file (its WAL included) beside it, named for the time."""
    stamp = now().replace(":", "").replace("+0000", "Z")
    copy = store.path.with_name(f"{store.path.name}.before-import-{stamp}")
    n = 1
    while copy.exists():
        n += 1
        copy = store.path.with_name(f"{store.path.name}.before-import-{stamp}-{n}")
    try:
        target = sqlite3.connect(copy)
        try:
            with store.reading("copied") as db:
                db.backup(target)
        finally:
            target.close()
    except sqlite3.Error as e:
        copy.unlink(missing_ok=True)
        raise StoreError(f"could not keep a copy of {store.path} as {copy}: {e}") from None
    return copy
