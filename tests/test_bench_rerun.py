"""benchmarks/rerun.py: a rerun of the same code beside the spreads an earlier run printed."""

from __future__ import annotations

import json
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
    assert counts == {"compared": 3, "inside": 1, "overlap": 2}
    query_row = next(row for row in rows if row.startswith("| query"))
    assert query_row.endswith("| **no** | yes |")


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
