"""The query-latency baseline: SQLite FTS5 doing the engine's work (page, snippets, total, three facets).

Equal work is the point: for every query the engine's `ArticleIndex.search(limit=20, facets=True)`
ranks a page of 20 with snippets, counts every match, and counts the top 20 sources, actors and
places over all of them. This baseline does the same in SQL over the same articles: bm25 with the
title weighted as the schema boosts it, `snippet()` of up to 64 tokens (the engine shows up to two
passages of ~220 characters), the matching set materialised once, and the three facets counted
from side tables filled by the same `common.cheap_extractor` that filled the engine's index.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.common import cheap_extractor
from benchmarks.corpus import Record
from benchmarks.queries import BenchQuery

PAGE = 20
FACET_TOP = 20  # as search.query.FACET_TOP
SNIPPET_TOKENS = 64  # FTS5's most; about the engine's two passages of ~220 characters
# Title weighted above body in bm25, as the Whoosh schema boosts titles.
RANK = "bm25(docs, 2.0, 1.0)"
EXTRACT_BATCH = 500


class Fts5Baseline:
    """An FTS5 table of the articles plus actor/place side tables; `search` answers what the engine's does."""

    def __init__(self, path: Path, records: list[Record]) -> None:
        path.unlink(missing_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            CREATE VIRTUAL TABLE docs USING fts5(
                title, body, id UNINDEXED, date UNINDEXED, source UNINDEXED,
                tokenize='porter unicode61');
            CREATE TABLE doc_actor(doc INTEGER, name TEXT, PRIMARY KEY (doc, name)) WITHOUT ROWID;
            CREATE TABLE doc_place(doc INTEGER, name TEXT, PRIMARY KEY (doc, name)) WITHOUT ROWID;
            """
        )
        with self.db:
            self.db.executemany(
                "INSERT INTO docs(rowid, title, body, id, date, source) VALUES (?, ?, ?, ?, ?, 'BBC')",
                ((n, r.title, r.body, r.relpath, r.date) for n, r in enumerate(records)),
            )
            for start in range(0, len(records), EXTRACT_BATCH):
                batch = records[start : start + EXTRACT_BATCH]
                extractions = cheap_extractor([r.body for r in batch])
                for n, extraction in enumerate(extractions, start):
                    self.db.executemany(
                        "INSERT OR IGNORE INTO doc_actor VALUES (?, ?)",
                        ((n, a.name) for a in extraction.actors),
                    )
                    self.db.executemany(
                        "INSERT OR IGNORE INTO doc_place VALUES (?, ?)",
                        ((n, p.name) for p in extraction.places),
                    )
        self.db.execute("ANALYZE")

    def size_bytes(self) -> int:
        """The database file on disk (FTS5 index, content and side tables)."""
        return self.path.stat().st_size

    def search(
        self, query: BenchQuery
    ) -> tuple[int, list[tuple[str, str, str, str, str]], dict[str, list[tuple[str, int]]]]:
        """(total, hits, facets): hits are (id, title, date, source, snippet) of the first page,
        facets the top 20 sources, actors and places over every match with their counts."""
        where = "docs MATCH ?"
        params: list[str] = [query.fts]
        if query.date_from and query.date_to:
            where += " AND date BETWEEN ? AND ?"
            params += [query.date_from, query.date_to]
        if query.source:
            where += " AND source = ?"
            params.append(query.source)
        hits = self.db.execute(
            f"SELECT id, title, date, source, "
            f"snippet(docs, 1, '<b>', '</b>', '…', {SNIPPET_TOKENS}) "
            f"FROM docs WHERE {where} ORDER BY {RANK} LIMIT {PAGE}",
            params,
        ).fetchall()
        rows = self.db.execute(
            f"""
            WITH m(doc, source) AS MATERIALIZED (SELECT rowid, source FROM docs WHERE {where})
            SELECT 'total', NULL, count(*) FROM m
            UNION ALL SELECT * FROM (SELECT 'source', source, count(*) AS n FROM m
                GROUP BY source ORDER BY n DESC LIMIT {FACET_TOP})
            UNION ALL SELECT * FROM (SELECT 'actor', a.name, count(*) AS n FROM m
                JOIN doc_actor AS a ON a.doc = m.doc GROUP BY a.name ORDER BY n DESC LIMIT {FACET_TOP})
            UNION ALL SELECT * FROM (SELECT 'place', p.name, count(*) AS n FROM m
                JOIN doc_place AS p ON p.doc = m.doc GROUP BY p.name ORDER BY n DESC LIMIT {FACET_TOP})
            """,
            params,
        ).fetchall()
        total = 0
        facets: dict[str, list[tuple[str, int]]] = {"source": [], "actor": [], "place": []}
        for facet, value, count in rows:
            if facet == "total":
                total = count
            else:
                facets[facet].append((value, count))
        return total, hits, facets

    def close(self) -> None:
        self.db.close()
