"""Where a rerun of the same code should land, and whether it did.

Usage: python -m benchmarks.rerun [DATE_A DATE_B]
Prints, for two full runs in history.jsonl (by default the newest one and the newest earlier run
of the same code), every ratio both measured: the earlier run's median, range and rerun interval,
this one's median and range, and whether this median falls inside the earlier run's rerun
interval (and, for comparison, inside its range). run_all adds the same table to RESULTS.md when
history.jsonl holds an earlier run of the code being measured, and a table of this run's rerun
intervals in any case.

A run's range over its own repetitions does not hold the next run's median: repetitions inside one
run share the machine's state, and history.jsonl shows runs an hour apart moving further than that
(the first rerun of unchanged code had 10 of 24 medians outside the earlier ranges). The rerun
interval adds what history measured: each ratio's step from one full run to the next, over the
recorded clean runs (whose code changed between some of them, so it errs wide). See
`rerun_interval`.

"The same code": `git diff` between the two runs' commits shows no change outside the recorded
results (RESULTS.md, history.jsonl). A ratio is any figure named *ratio* that carries a spread
({median, min, max}), start-up's ratio with its range, and extraction's median ratio and range.
"""

from __future__ import annotations

import argparse
import json
import math
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
Interval = tuple[float, float]

# How wide a rerun interval is, in standard deviations of a run-to-run step (~99.7% if normal).
Z = 3.0
# The newest run-to-run steps that measure a ratio's drift.
MAX_STEPS = 8
# Repetitions assumed when a spread does not say how many it had (most benchmarks take 5).
DEFAULT_REPS = 5
# The expected range of n normal draws, in standard deviations (d2 of quality control), by n.
RANGE_IN_SDS = {2: 1.128, 3: 1.693, 4: 2.059, 5: 2.326, 6: 2.534, 7: 2.704, 8: 2.847, 9: 2.970}


def runs(history: Path = HISTORY) -> dict[str, list[dict[str, Any]]]:
    """The recorded runs, oldest first: each run's benchmark lines by the run's date."""
    by_date: dict[str, list[dict[str, Any]]] = {}
    if history.exists():
        for line in history.read_text(encoding="utf-8").splitlines():
            if line.strip():
                figures = json.loads(line)
                by_date.setdefault(str(figures.get("date")), []).append(figures)
    return by_date


def clean(run: list[dict[str, Any]]) -> bool:
    """Whether a recorded run measured a commit as committed (older runs also recorded dirty trees)."""
    return bool(run) and "uncommitted" not in str(run[0].get("commit", "uncommitted"))


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
    return {name: spread for name, (spread, _) in _ratios(results).items()}


def _ratios(results: list[dict[str, Any]]) -> dict[str, tuple[Spread, int]]:
    """Each ratio's spread and how many repetitions it spans."""
    found: dict[str, tuple[Spread, int]] = {}
    for figures in results:
        bench = str(figures.get("bench"))
        if bench == "startup" and figures.get("ratio_range"):
            low, high = figures["ratio_range"]
            reps = len(figures.get("ratio_by_repetition") or []) or DEFAULT_REPS
            found["startup: app / bare window"] = ((figures["ratio"], low, high), reps)
        if bench == "extract" and "ratio_median" in figures:
            found["extract: extraction / NER-only spaCy"] = (
                (figures["ratio_median"], figures["ratio_min"], figures["ratio_max"]),
                len(figures.get("runs") or []) or DEFAULT_REPS,
            )
        for path, spread, reps in _spreads(figures, [bench], DEFAULT_REPS):
            if "ratio" in path[-1]:
                found[": ".join([path[0], ".".join(path[1:])])] = (spread, reps)
    return found


def _spreads(value: Any, path: list[str], reps: int) -> Iterator[tuple[list[str], Spread, int]]:
    if isinstance(value, dict):
        # A level that says how many repetitions it took speaks for the spreads below it.
        for key in ("repetitions", "reps", "runs"):
            if isinstance(value.get(key), int):
                reps = value[key]
        if {"median", "min", "max"} <= set(value):
            if isinstance(value.get("runs"), list):
                reps = len(value["runs"])
            yield path, (value["median"], value["min"], value["max"]), reps
            return
        for key, inner in value.items():
            yield from _spreads(inner, [*path, str(key)], reps)


def drift(name: str, before: list[dict[str, Spread]]) -> tuple[float | None, int]:
    """How far the ratio `name` moved from one recorded run to the next (`before`: each earlier
    run's `ratios`, oldest first): the root mean square of the log steps between consecutive runs
    that measured it (the newest MAX_STEPS), and how many.

    A step holds both what a run's own noise moves its median and what moves between runs (the
    machine's state an hour apart), so it measures what a rerun faces; where the code changed
    between two runs the step also holds the change, so the drift errs wide.
    """
    medians = [spread[0] for run in before if (spread := run.get(name)) and spread[0] > 0]
    steps = [math.log(b / a) for a, b in zip(medians, medians[1:], strict=False)][-MAX_STEPS:]
    if not steps:
        return None, 0
    return math.sqrt(sum(step * step for step in steps) / len(steps)), len(steps)


def rerun_interval(spread: Spread, reps: int, drift_rms: float | None) -> Interval:
    """Where a rerun's median should land: this median × e^(±Z·s), widened to hold this run's range.

    s is the run-to-run drift history measured, or, where it is smaller or unknown, what this
    run's own repetitions imply for the difference of two runs' medians: their standard deviation
    (from the range, in log terms) times √(π/n) (a median of n draws has variance π/2·σ²/n, and a
    difference of two has twice that).
    """
    median, low, high = spread
    within = 0.0
    if reps >= 2 and low > 0 and high > low:
        sds = RANGE_IN_SDS.get(reps, RANGE_IN_SDS[max(RANGE_IN_SDS)])
        within = math.log(high / low) / sds * math.sqrt(math.pi / reps)
    half = Z * max(drift_rms or 0.0, within)
    return (
        round(min(low, median * math.exp(-half)), 3),
        round(max(high, median * math.exp(half)), 3),
    )


def intervals(
    results: list[dict[str, Any]], date: str, by_date: dict[str, list[dict[str, Any]]]
) -> dict[str, tuple[Spread, Interval, int]]:
    """Each ratio of a run: its spread, its rerun interval, and how many recorded steps (clean
    runs before `date`) measured the drift that widened it."""
    before = [ratios(by_date[d]) for d in sorted(by_date) if d < date and clean(by_date[d])]
    found = {}
    for name, (spread, reps) in _ratios(results).items():
        drift_rms, steps = drift(name, before)
        found[name] = (spread, rerun_interval(spread, reps, drift_rms), steps)
    return found


def interval_section(
    date: str, results: list[dict[str, Any]], by_date: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """RESULTS.md's table of where a rerun of this code should land, ratio by ratio."""
    rows = [
        f"| {name} | {m} ({lo}–{hi}) | {a}–{b} | {steps} |"
        for name, ((m, lo, hi), (a, b), steps) in intervals(results, date, by_date).items()
    ]
    return [
        "",
        "## Where a rerun should land",
        "",
        "Each ratio's median and range over this run's repetitions, and its rerun interval: where "
        "a rerun of this code should put its median. The range alone does not hold a rerun: "
        "repetitions inside one run share the machine's state. The interval is the median × "
        f"e^(±{Z:g}·s), s being the ratio's run-to-run drift over the recorded runs before this "
        "one (the root mean square of the log steps from one run to the next; the code changed "
        "between some of them, so it errs wide) or what this run's own repetitions imply where "
        "that is more, and it always holds the range (benchmarks/rerun.py, `rerun_interval`).",
        "",
        "| Ratio | Median (range over repetitions) | Rerun interval | Run-to-run steps measured |",
        "|---|---|---|---|",
        *rows,
    ]


def comparison(
    earlier: list[dict[str, Any]],
    later: list[dict[str, Any]],
    by_date: dict[str, list[dict[str, Any]]] | None = None,
) -> tuple[list[str], dict[str, int]]:
    """Markdown rows (the ratios both runs measured), and counts: `compared`, `in_interval` (the
    later median inside the earlier run's rerun interval), `inside` (inside its range) and
    `overlap` (the two ranges share some values). The earlier run's intervals are widened by the
    drift of the runs recorded before it in `by_date` (none given: by its own repetitions only).
    """
    earlier_date = str(earlier[0].get("date", "")) if earlier else ""
    before = intervals(earlier, earlier_date, by_date or {})
    after = ratios(later)
    rows, counts = [], {"compared": 0, "in_interval": 0, "inside": 0, "overlap": 0}
    for name in (name for name in before if name in after):
        ((m0, lo, hi), (a, b), _), (m1, lo1, hi1) = before[name], after[name]
        in_interval, inside, overlap = a <= m1 <= b, lo <= m1 <= hi, lo <= hi1 and lo1 <= hi
        counts["compared"] += 1
        counts["in_interval"] += in_interval
        counts["inside"] += inside
        counts["overlap"] += overlap
        rows.append(
            f"| {name} | {m0} ({lo}–{hi}) | {a}–{b} | {m1} ({lo1}–{hi1}) | "
            f"{_yes(in_interval)} | {_yes(inside)} | {_yes(overlap)} |"
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
            "unchanged, to see whether its ratios land inside the rerun intervals above."
        )
        return lines
    earlier_date, earlier_results = earlier
    rows, counts = comparison(earlier_results, results, by_date)
    return [*lines, *_table(earlier_results[0].get("commit"), earlier_date, rows, counts)]


def _table(commit: object, date: str, rows: list[str], counts: dict[str, int]) -> list[str]:
    return [
        f"The same code ran at {commit} ({date}). Of the {counts['compared']} ratios both runs "
        f"measured, {counts['in_interval']} medians of this run fall inside that run's rerun "
        f"interval; {counts['inside']} fall inside its range (over its own repetitions) and "
        f"{counts['overlap']} of the two ranges overlap.",
        "",
        "| Ratio | That run: median (range) | Its rerun interval | This run: median (range) "
        "| In the interval | In the range | Ranges overlap |",
        "|---|---|---|---|---|---|---|",
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
        rows, counts = comparison(by_date[a], by_date[b], by_date)
        print("\n".join(_table(by_date[a][0].get("commit"), a, rows, counts)))
        return 0
    newest = max(by_date)
    print(
        "\n".join(section(str(by_date[newest][0].get("commit")), newest, by_date[newest], by_date))
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
