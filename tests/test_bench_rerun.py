"""benchmarks/rerun.py: a rerun of the same code beside the spreads an earlier run printed."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

from benchmarks import rerun


def spread(median: float, low: float, high: float) -> dict[str, float]:
    return {"median": median, "min": low, "max": high}


def run_lines(commit: str, date: str, p50: float, extraction: float) -> list[dict[str, object]]:
    return [
        {
            "bench": "query",
            "sizes": {"20000": {"ratio_p50_spread": spread(p50, p50 - 0.1, p50 + 0.1)}},
            "whoosh_p50_ms": spread(13.0, 12.0, 14.0),  # a time, not a ratio: not compared
            "commit": commit,
            "date": date,
        },
        {
            "bench": "startup",
            "ratio": 1.7,
            "ratio_range": [1.5, 1.8],
            "commit": commit,
            "date": date,
        },
        {
            "bench": "extract",
            "ratio_median": extraction,
            "ratio_min": extraction - 0.02,
            "ratio_max": extraction + 0.02,
            "commit": commit,
            "date": date,
        },
    ]


def test_ratios_are_the_spreads_named_ratio_and_the_two_special_cases() -> None:
    found = rerun.ratios(run_lines("a", "2026-01-01", 1.2, 0.7))
    assert found == {
        "query: sizes.20000.ratio_p50_spread": (1.2, pytest.approx(1.1), pytest.approx(1.3)),
        "startup: app / bare window": (1.7, 1.5, 1.8),
        "extract: extraction / NER-only spaCy": (0.7, pytest.approx(0.68), pytest.approx(0.72)),
    }


def test_comparison_counts_medians_inside_and_ranges_that_overlap() -> None:
    earlier = run_lines("a", "2026-01-01", 1.2, 0.70)
    later = run_lines(
        "b", "2026-01-02", 1.35, 0.75
    )  # p50 outside but overlapping; extraction apart
    rows, counts = rerun.comparison(earlier, later)
    # With no history, the intervals come from each run's own repetitions: p50's wide range
    # holds 1.35, extraction's narrow one does not reach 0.75.
    assert counts == {"compared": 3, "in_interval": 2, "inside": 1, "overlap": 2}
    query_row = next(row for row in rows if row.startswith("| query"))
    assert query_row.endswith("| yes | **no** | yes |")
    extract_row = next(row for row in rows if row.startswith("| extract"))
    assert extract_row.endswith("| **no** | **no** | **no** |")


def test_drift_is_the_root_mean_square_of_the_log_steps_between_runs() -> None:
    before = [
        rerun.ratios(run_lines(c, f"2026-01-0{i}", p50, 0.7))
        for i, (c, p50) in enumerate([("a", 1.0), ("b", 1.1), ("c", 1.0)], 1)
    ]
    drift, steps = rerun.drift("query: sizes.20000.ratio_p50_spread", before)
    assert steps == 2
    assert drift == pytest.approx(math.log(1.1))
    assert rerun.drift("query: sizes.20000.ratio_p50_spread", before[:1]) == (None, 0)


def test_a_rerun_interval_widens_the_median_by_the_drift_and_always_holds_the_range() -> None:
    low, high = rerun.rerun_interval((1.0, 0.95, 1.05), 5, 0.1)
    assert (low, high) == (round(math.exp(-0.3), 3), round(math.exp(0.3), 3))
    # No history: the repetitions alone, narrower, yet never narrower than their own range.
    low, high = rerun.rerun_interval((1.0, 0.95, 1.05), 5, None)
    assert 0.8 < low < 0.95 and 1.05 < high < 1.2
    assert rerun.rerun_interval((1.0, 0.9, 1.001), 9, 0.001)[0] == 0.9  # a lopsided range
    # One run and no history: nothing says how far a rerun moves.
    assert rerun.rerun_interval((2.0, 2.0, 2.0), 1, None) == (2.0, 2.0)


def test_intervals_learn_the_drift_from_clean_runs_before_the_run_only() -> None:
    lines = (
        run_lines("a", "2026-01-01", 1.0, 0.7)
        + run_lines("b (with uncommitted changes)", "2026-01-02", 3.0, 0.7)  # not a clean run
        + run_lines("c", "2026-01-03", 1.1, 0.7)
        + run_lines("later", "2026-01-09", 9.0, 0.7)  # after the run: not known to it
    )
    by_date: dict[str, list[dict[str, object]]] = {}
    for line in lines:
        by_date.setdefault(str(line["date"]), []).append(line)
    now = run_lines("d", "2026-01-04", 1.1, 0.7)
    found = rerun.intervals(now, "2026-01-04", by_date)
    spread, (low, high), steps = found["query: sizes.20000.ratio_p50_spread"]
    assert steps == 1
    assert (low, high) == (
        round(1.1 * math.exp(-3 * math.log(1.1)), 3),
        round(1.1 * math.exp(3 * math.log(1.1)), 3),
    )
    table = "\n".join(rerun.interval_section("2026-01-04", now, by_date))
    assert (
        f"| query: sizes.20000.ratio_p50_spread | 1.1 (1.0–1.2000000000000002) | {low}–{high} | 1 |"
        in table
    )


def test_the_section_compares_with_the_newest_earlier_run_of_the_same_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = tmp_path / "history.jsonl"
    lines = (
        run_lines("same-old", "2026-01-01", 1.0, 0.7)
        + run_lines("other", "2026-01-02", 1.2, 0.7)  # newer, but other code
        + run_lines("same", "2026-01-03", 1.25, 0.7)
    )
    history.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    monkeypatch.setattr(
        rerun, "same_code", lambda a, b: a.startswith("same") == b.startswith("same")
    )
    by_date = rerun.runs(history)
    assert list(by_date) == ["2026-01-01", "2026-01-02", "2026-01-03"]
    now = run_lines("same-now", "2026-01-04", 1.3, 0.7)
    text = "\n".join(rerun.section("same-now", "2026-01-04", now, by_date))
    assert "The same code ran at same (2026-01-03)" in text
    assert "Of the 3 ratios both runs measured, 3 medians" in text
    monkeypatch.setattr(rerun, "same_code", lambda a, b: False)
    text = "\n".join(rerun.section("new", "2026-01-04", now, by_date))
    assert "holds no earlier full run of this code" in text


def test_same_code_means_only_the_recorded_results_differ(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    git("init", "-q")
    git("config", "user.email", "bench@example.org")
    git("config", "user.name", "bench")
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "engine.py").write_text("x = 1\n")
    (tmp_path / "benchmarks" / "RESULTS.md").write_text("run 1\n")
    git("add", ".")
    git("commit", "-qm", "code")
    first = git("rev-parse", "HEAD")
    (tmp_path / "benchmarks" / "RESULTS.md").write_text("run 2\n")
    (tmp_path / "benchmarks" / "history.jsonl").write_text("{}\n")
    git("add", ".")
    git("commit", "-qm", "results")
    second = git("rev-parse", "HEAD")
    (tmp_path / "engine.py").write_text("x = 2\n")
    git("commit", "-qam", "changed code")
    third = git("rev-parse", "HEAD")
    assert rerun.same_code(first, second, repo=tmp_path)
    assert not rerun.same_code(second, third, repo=tmp_path)
    assert not rerun.same_code(first, "0000000", repo=tmp_path)  # unknown: not the same
