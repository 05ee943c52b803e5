"""The query-latency baseline: SQLite FTS5 (porter tokenizer, bm25, snippet()) over the same articles and queries."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.corpus import Record
from benchmarks.queries import BenchQuery

PAGE = 20
# Title weighted above body in bm25, as the Whoosh schema boosts titles.
RANK = "bm25(docs, 2.0, 1.0)"


class Fts5Baseline:
    """An FTS5 table of the articles; `search` answers a page of hits with snippets, the total and a source facet."""

    def __init__(self, path: Path, records: list[Record]) -> None:
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(path)
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            "title, body, id UNINDEXED, date UNINDEXED, source UNINDEXED, "
            "tokenize='porter unicode61')"
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO docs(title, body, id, date, source) VALUES (?, ?, ?, ?, 'BBC')",
                ((r.title, r.body, r.relpath, r.date) for r in records),
            )

    def search(self, query: BenchQuery) -> tuple[int, list[tuple[str, str, str, str]]]:
        """(total, hits) where each hit is (id, title, date, snippet); counts matches per source like a facet."""
        where = "docs MATCH ?"
        params: list[str] = [query.fts]
        if query.date_from and query.date_to:
            where += " AND date BETWEEN ? AND ?"
            params += [query.date_from, query.date_to]
        if query.source:
            where += " AND source = ?"
            params.append(query.source)
        hits = self.db.execute(
            f"SELECT id, title, date, snippet(docs, 1, '<b>', '</b>', '…', 24) "
            f"FROM docs WHERE {where} ORDER BY {RANK} LIMIT {PAGE}",
            params,
        ).fetchall()
        facet = self.db.execute(
            f"SELECT source, count(*) FROM docs WHERE {where} GROUP BY source", params
        ).fetchall()
        return sum(count for _, count in facet), hits

    def close(self) -> None:
        self.db.close()
