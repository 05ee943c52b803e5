"""Smoke test of the benchmark harness: the query benchmark at a tiny size prints one sane JSON line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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
    # Paired repetitions: one p50/p95 ratio per repetition, the headline their median and range.
    assert len(figures["per_rep"]) == figures["repetitions"] == 5
    for key in ("ratio_p50_spread", "ratio_p95_spread", "paired_ratio"):
        spread = figures[key]
        assert 0 < spread["min"] <= spread["median"] <= spread["max"]
    # Equal work: FTS5 counts the same three facets the engine does.
    assert set(figures["fts5_facets"]) == {"source", "actor", "place"}
    growth = figures["growth"]
    assert growth["whoosh_index_mb"] > 0 and growth["fts5_db_mb"] > 0
    assert growth["whoosh_index_build_s_no_extraction"] > 0 and growth["fts5_build_s"] > 0
    # Every query parses in the engine, and the FTS5 translation finds about the same articles.
    assert figures["query_errors"] == 0
    assert figures["totals_agree"] >= 0.8
    assert set(figures["p95_ms_by_kind"]) >= {"term", "and2", "phrase", "prefix", "title"}
    # Generated libraries and indexes went where they were told, not into the project.
    assert any((tmp_path / "work" / "indexes").iterdir())


def test_extract_benchmark_compares_extraction_with_raw_spacy(tmp_path: Path) -> None:
    from benchmarks.corpus import BBC_JSONL

    if not BBC_JSONL.is_file():
        pytest.skip("the BBC corpus is not beside the project")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_extract", "--texts", "12", "--reps", "3"],
        cwd=ROOT,
        env=dict(os.environ, BRIEFING_BENCH_WORK=str(tmp_path / "work")),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["texts"] == 12 and len(figures["runs"]) == 3
    assert figures["ratio_min"] <= figures["ratio_median"] <= figures["ratio_max"]
    assert all(r["raw_words_per_s"] > 0 and r["extract_words_per_s"] > 0 for r in figures["runs"])


def test_only_a_full_run_of_a_clean_commit_writes_results_md() -> None:
    from benchmarks.corpus import BENCH_DIR
    from benchmarks.run_all import results_target

    assert results_target(quick=False, partial=False, dirty=False) == (BENCH_DIR / "RESULTS.md", "")
    for kind in ({"quick": True}, {"partial": True}, {"dirty": True}):
        flags = {"quick": False, "partial": False, "dirty": False, **kind}
        target, why = results_target(**flags)
        assert target.parent != BENCH_DIR and why, kind
    # Uncommitted changes are named as the reason even in a partial run.
    assert "uncommitted" in results_target(quick=False, partial=True, dirty=True)[1]


def test_process_tree_memory_counts_a_forked_child_and_its_shared_pages() -> None:
    from benchmarks.procmem import run_sampled

    # 80 MB written before a fork: resident in both processes (RSS counts it twice), shared
    # (PSS splits it); both live long enough to be sampled several times.
    script = (
        "import os, time\n"
        "block = b'x' * (80 << 20)\n"
        "pid = os.fork()\n"
        "time.sleep(0.6)\n"
        "if pid:\n"
        "    os.waitpid(pid, 0)\n"
        "    print('done')\n"
        "else:\n"
        "    os._exit(0)\n"
    )
    code, out, _, memory = run_sampled([sys.executable, "-c", script], ROOT)
    assert code == 0 and out.strip() == "done"
    figures = memory.as_dict()
    assert figures["processes"] == 2
    assert len(figures["children_hwm_mb"]) == 1 and figures["children_hwm_mb"][0] >= 75
    assert figures["main_hwm_mb"] >= 80
    assert figures["rss_sum_peak_mb"] >= 160
    assert figures["pss_sum_peak_mb"] < figures["rss_sum_peak_mb"] - 30
    assert figures["cpu_s"] > 0
