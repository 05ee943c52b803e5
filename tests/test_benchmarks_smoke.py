"""Smoke test of the benchmark harness: the query benchmark at a tiny size prints one sane JSON line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_query_benchmark_runs_small_and_reports_both_engines(tmp_path: Path) -> None:
    env = dict(os.environ, BRIEFING_BENCH_WORK=str(tmp_path / "work"))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_query", "--sizes", "80", "--queries", "40"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, "a benchmark prints exactly one JSON line on stdout"
    figures = json.loads(lines[0])["sizes"]["80"]
    assert figures["articles"] == 80
    assert figures["queries"] >= 35
    for engine in ("whoosh", "fts5"):
        summary = figures[engine]
        assert 0 < summary["p50_ms"] <= summary["p95_ms"] <= summary["max_ms"]
    assert figures["ratio_p95"] > 0
    # Every query parses in the engine, and the FTS5 translation finds about the same articles.
    assert figures["query_errors"] == 0
    assert figures["totals_agree"] >= 0.8
    assert set(figures["p95_ms_by_kind"]) >= {"term", "and2", "phrase", "prefix", "title"}
    # Generated libraries and indexes went where they were told, not into the project.
    assert any((tmp_path / "work" / "indexes").iterdir())
