"""Does a rerun of the same code land inside the spreads an earlier run printed?

Usage: python -m benchmarks.rerun [DATE_A DATE_B]
Prints, for two full runs in history.jsonl (by default the newest one and the newest earlier run
of the same code), every ratio both measured: the earlier run's median and range, this one's,
and whether this median falls inside the earlier range. run_all adds the same table to
RESULTS.md when history.jsonl holds an earlier run of the code being measured.

"The same code": `git diff` between the two runs' commits shows no change outside the recorded
results (RESULTS.md, history.jsonl). A ratio is any figure named *ratio* that carries a spread
({median, min, max}), start-up's ratio with its range, and extraction's median ratio and range.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
HISTORY = BENCH_DIR / "history.jsonl"
# What a run writes: two commits differing only here ran the same code.
RESULT_FILES = ("benchmarks/RESULTS.md", "benchmarks/history.jsonl")

Spread = tuple[float, float, float]  # median, min, max


def runs(history: Path = HISTORY) -> dict[str, list[dict[str, Any]]]:
    """The recorded runs, oldest first: each run's benchmark lines by the run's date."""
    by_date: dict[str, list[dict[str, Any]]] = {}
    if history.exists():
        for line in history.read_text(encoding="utf-8").splitlines():
            if line.strip():
                figures = json.loads(line)
                by_date.setdefault(str(figures.get("date")), []).append(figures)
    return by_date


def same_code(commit_a: str, commit_b: str, repo: Path = BENCH_DIR.parent) -> bool:
    """Whether the two commits differ only in the recorded results (an unknown commit: no)."""
    if commit_a == commit_b:
        return True
    excluded = [f":(exclude){path}" for path in RESULT_FILES]
    done = subprocess.run(
        ["git", "diff", "--quiet", commit_a, commit_b, "--", ".", *excluded],
        cwd=repo,
        capture_output=True,
    )
    return done.returncode == 0


def earlier_run_of(
    commit: str, date: str, by_date: dict[str, list[dict[str, Any]]]
) -> tuple[str, list[dict[str, Any]]] | None:
    """The newest run before `date` of the same code as `commit`, or None."""
    for other in sorted((d for d in by_date if d < date), reverse=True):
        other_commit = str(by_date[other][0].get("commit", ""))
        if other_commit and same_code(other_commit, commit):
            return other, by_date[other]
    return None


def ratios(results: list[dict[str, Any]]) -> dict[str, Spread]:
    """Every ratio with its spread in a run's lines, by a name that says where it comes from."""
    found: dict[str, Spread] = {}
    for figures in results:
        bench = str(figures.get("bench"))
        if bench == "startup" and figures.get("ratio_range"):
            low, high = figures["ratio_range"]
            found["startup: app / bare window"] = (figures["ratio"], low, high)
        if bench == "extract" and "ratio_median" in figures:
            found["extract: extraction / NER-only spaCy"] = (
                figures["ratio_median"],
                figures["ratio_min"],
                figures["ratio_max"],
            )
        for path, spread in _spreads(figures, [bench]):
            if "ratio" in path[-1]:
                found[": ".join([path[0], ".".join(path[1:])])] = spread
    return found


def _spreads(value: Any, path: list[str]) -> Iterator[tuple[list[str], Spread]]:
    if isinstance(value, dict):
        if {"median", "min", "max"} <= set(value):
            yield path, (value["median"], value["min"], value["max"])
            return
        for key, inner in value.items():
            yield from _spreads(inner, [*path, str(key)])


def comparison(
    earlier: list[dict[str, Any]], later: list[dict[str, Any]]
) -> tuple[list[str], dict[str, int]]:
    """Markdown rows (the ratios both runs measured), and counts: `compared`, `inside` (the later
    median inside the earlier range) and `overlap` (the two ranges share some values)."""
    before, after = ratios(earlier), ratios(later)
    rows, counts = [], {"compared": 0, "inside": 0, "overlap": 0}
    for name in (name for name in before if name in after):
        (m0, lo, hi), (m1, lo1, hi1) = before[name], after[name]
        inside, overlap = lo <= m1 <= hi, lo <= hi1 and lo1 <= hi
        counts["compared"] += 1
        counts["inside"] += inside
        counts["overlap"] += overlap
        rows.append(
            f"| {name} | {m0} ({lo}–{hi}) | {m1} ({lo1}–{hi1}) | {_yes(inside)} | {_yes(overlap)} |"
        )
    return rows, counts


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def section(
    commit: str, date: str, results: list[dict[str, Any]], by_date: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """RESULTS.md's section comparing this run with the newest earlier run of the same code."""
    lines = ["", "## This run beside the last run of the same code", ""]
    earlier = earlier_run_of(commit, date, by_date)
    if earlier is None:
        lines.append(
            "history.jsonl holds no earlier full run of this code: run `make bench` again, "
            "unchanged, to see whether its ratios land inside these spreads."
        )
        return lines
    earlier_date, earlier_results = earlier
    rows, counts = comparison(earlier_results, results)
    return [*lines, *_table(earlier_results[0].get("commit"), earlier_date, rows, counts)]


def _table(commit: object, date: str, rows: list[str], counts: dict[str, int]) -> list[str]:
    return [
        f"The same code ran at {commit} ({date}). Of the {counts['compared']} ratios both runs "
        f"measured, {counts['inside']} medians of this run fall inside that run's range (the "
        f"range over its own repetitions) and {counts['overlap']} of the two ranges overlap. "
        "A range from one run (min = max) cannot hold another run's median unless it is the same.",
        "",
        "| Ratio | That run: median (range) | This run: median (range) | Median inside | Ranges overlap |",
        "|---|---|---|---|---|",
        *rows,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dates", nargs="*", help="two runs' dates (history.jsonl's 'date')")
    args = parser.parse_args(argv)
    by_date = runs()
    if not by_date:
        print(f"no runs recorded in {HISTORY}", file=sys.stderr)
        return 1
    if args.dates:
        if len(args.dates) != 2 or any(d not in by_date for d in args.dates):
            parser.error(f"name two recorded dates, from: {', '.join(sorted(by_date))}")
        (a, b) = args.dates
        rows, counts = comparison(by_date[a], by_date[b])
        print("\n".join(_table(by_date[a][0].get("commit"), a, rows, counts)))
        return 0
    newest = max(by_date)
    print(
        "\n".join(section(str(by_date[newest][0].get("commit")), newest, by_date[newest], by_date))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
