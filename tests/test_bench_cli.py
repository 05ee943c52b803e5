"""Smoke test of benchmarks/bench_cli.py on the seed index: one JSON line, every variant timed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cli_benchmark_times_searches_beside_the_interpreter(seed_index: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_cli", "--data-dir", str(seed_index)]
        + ["--calls", "2", "--compare", str(ROOT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, "a benchmark prints exactly one JSON line on stdout"
    figures = json.loads(lines[0])
    variants = ("served", "served_json", "search", "search_json", "python", "import_whoosh")
    for variant in (*variants, "compare_search"):
        summary = figures[variant]
        assert 0 < summary["p50_ms"] <= summary["p95_ms"] <= summary["max_ms"]
    paired = figures["search_vs_compare"]
    assert 0 < paired["min"] <= paired["median"] <= paired["max"]
    assert isinstance(figures["goal_met"], bool)
    assert figures["goal_met"] == (
        max(figures["served"]["p50_ms"], figures["served_json"]["p50_ms"]) <= 100
    )
    assert not (Path(seed_index) / "search.sock").exists()  # the server stopped and cleaned up
    from benchmarks.bench_cli import summary_rows

    served, alone = summary_rows(figures)
    assert "briefing serve" in served[0] and served[4] == ("yes" if figures["goal_met"] else "no")
    assert f"p50 {figures['search']['p50_ms']} ms" in alone[1] and alone[3] == ""
