"""Runs every benchmark, each in its own process, and rewrites benchmarks/RESULTS.md with the figures.

Usage: python -m benchmarks.run_all [--quick] [--only query,index,...]
Only a full run on a clean commit writes RESULTS.md (and appends each benchmark's JSON line, with
commit and date, to benchmarks/history.jsonl); a partial run (--only), a run with uncommitted
changes and the `--quick` smoke run write to benchmarks/_work/ instead (see results_target).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import rerun
from benchmarks.corpus import BENCH_DIR, PROJECT_ROOT, WORK_DIR

# Name → module; in this order, cheapest first, so a broken engine shows up before the long runs.
BENCHMARKS = {
    "query": "benchmarks.bench_query",
    "startup": "benchmarks.bench_startup",
    "cli": "benchmarks.bench_cli",
    "cards": "benchmarks.bench_cards",
    "workflow": "benchmarks.bench_workflow",
    "ui_stall": "benchmarks.bench_ui_stall",
    "extract": "benchmarks.bench_extract",
    "index": "benchmarks.bench_index",
    "recoll": "benchmarks.bench_recoll",
}
# bench_cards.py takes no --quick: it is already small.
QUICK_FLAG = {"query", "startup", "cli", "workflow", "ui_stall", "extract", "index", "recoll"}


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def machine() -> dict[str, Any]:
    """Where and when the figures were taken."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    return {
        "dirty": dirty,
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "--short", "HEAD")
        + (" (with uncommitted changes)" if dirty else ""),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }


def run(name: str, quick: bool) -> dict[str, Any]:
    """One benchmark in its own interpreter; its last stdout line is its JSON, or the failure is recorded."""
    command = [sys.executable, "-m", BENCHMARKS[name]]
    if quick and name in QUICK_FLAG:
        command.append("--quick")
    print(f"== {name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=None, text=True
    )
    wall = round(time.perf_counter() - started, 1)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"bench": name, "failed": f"exit code {done.returncode}", "wall_s": wall}
    figures: dict[str, Any] = json.loads(lines[-1])
    figures["wall_s"] = wall
    return figures


def _met(figures: dict[str, Any]) -> str:
    if "failed" in figures:
        return "FAILED"
    met = figures.get("goal_met", figures.get("meets_goal"))
    return "yes" if met else "**no**"


def summary_rows(figures: dict[str, Any]) -> list[tuple[str, ...]]:
    """(what, measured, baseline / ratio, goal) rows for the table at the top of RESULTS.md.

    A benchmark module that defines its own `summary_rows(figures)` writes its rows itself.
    """
    name = figures["bench"]
    if "failed" in figures:
        return [(name, f"failed ({figures['failed']})", "", "")]
    own = getattr(importlib.import_module(BENCHMARKS[name]), "summary_rows", None)
    if own is not None:
        rows: list[tuple[str, ...]] = own(figures)
        return rows
    if name == "startup":
        return [
            (
                f"start-up to a window that takes keys, {figures['articles']} articles",
                f"app {figures['app_s_median']} s (median of {figures['runs']}); "
                f"spaCy imported: {figures['spacy_imported']}; peak RSS {figures['app_peak_rss_mb']} MB",
                f"bare PySide6 window {figures['bare_s_median']} s → {figures['ratio']}×"
                + (
                    f" (median of {len(figures['ratio_by_repetition'])} repetitions' ratios, "
                    f"range {figures['ratio_range'][0]}–{figures['ratio_range'][1]}; pooled "
                    f"medians {figures.get('pooled_ratio')}×; CPU time {figures['cpu_ratio']}×)"
                    if figures.get("ratio_range")
                    else ""
                )
                + (
                    f"; instructions to the ready window (callgrind) "
                    f"{figures['instruction_ratio']}×"
                    if figures.get("instruction_ratio")
                    else ""
                ),
                "≤ 1.5×, no spaCy, < 250 MB",
            )
        ]
    if name == "ui_stall":
        return [
            (
                f"longest GUI stall while {figures['articles']} articles index",
                f"{figures['longest_stall_ms']} ms (gap p99 {figures['gap_p99_ms']} ms, "
                f"{figures['stalls_over_50ms']} stalls > 50 ms)",
                f"{figures['heartbeat_ms']} ms heartbeat",
                "< 100 ms",
            )
        ]
    if name == "extract":
        runs = figures["runs"]
        return [
            (
                f"extraction speed, {figures['texts']} BBC bodies, 1 process "
                f"({figures['reps']} interleaved runs)",
                "extract_texts "
                + "–".join(str(f(r["extract_words_per_s"] for r in runs)) for f in (min, max))
                + " words/s",
                "raw NER-only nlp.pipe "
                + "–".join(str(f(r["raw_words_per_s"] for r in runs)) for f in (min, max))
                + f" words/s → ratio median {figures['ratio_median']}× "
                f"(range {figures['ratio_min']}–{figures['ratio_max']})",
                "≥ 0.9× raw spaCy",
            )
        ]
    if name == "workflow":
        return [
            (
                f"the briefing work, {figures['articles']} articles (median of 5)",
                f"watch list of {figures['watch_items']} items {figures['watch_list_s']} s; entity "
                f"page ({figures['entity_page_articles']} articles) {figures['entity_page_first_s']} s "
                f"first, {figures['entity_page_warm_s']} s warm; `note:` query over "
                f"{figures['note_query_total']} notes {figures['note_query_s']} s; a brief's "
                f"document {figures['brief_document_s']} s, its Markdown {figures['brief_export_md_s']} s",
                "",
                "watch list ≤ 1 s, entity page warm ≤ 1 s, brief document ≤ 2 s",
            )
        ]
    if name == "cards":
        return [
            (
                f"{figures.get('cards')} briefing cards to PDF",
                f"{figures.get('seconds')} s",
                "",
                "< 5 s",
            )
        ]
    return [(name, json.dumps(figures)[:120], "", "")]


def results_target(*, quick: bool, partial: bool, dirty: bool) -> tuple[Path, str]:
    """Where a run's figures go, and why not RESULTS.md when they do not.

    RESULTS.md holds one full run of one clean commit, so every figure in it can be reproduced
    by checking that commit out and running `make bench` again. A smoke run, a partial run
    (--only) or a run with uncommitted changes writes beside the cache in _work/ instead.
    """
    if quick:
        return WORK_DIR / "RESULTS-quick.md", "a smoke run (--quick)"
    if dirty:
        return (
            WORK_DIR / "RESULTS-uncommitted.md",
            "the tree has uncommitted changes; commit them and run again to record the figures",
        )
    if partial:
        return WORK_DIR / "RESULTS-partial.md", "a partial run (--only)"
    return BENCH_DIR / "RESULTS.md", ""


def extraction_speed_section(results: list[dict[str, Any]]) -> list[str]:
    """Each run of bench_extract: extraction against raw spaCy, words/s and ratio, with its commit."""
    figures = next((f for f in results if f["bench"] == "extract" and "runs" in f), None)
    if figures is None:
        return []
    lines = [
        "",
        "## Extraction speed beside raw spaCy",
        "",
        f"Commit {figures.get('commit')}, {figures.get('date')}: {figures['texts']} BBC bodies "
        f"({figures['words']} words), one process, interleaved 25 texts at a time. Median ratio "
        f"{figures['ratio_median']}× (range {figures['ratio_min']}–{figures['ratio_max']}).",
        "",
        "| run | extract_texts words/s | raw nlp.pipe words/s | ratio |",
        "|---|---|---|---|",
    ]
    for i, run in enumerate(figures["runs"], 1):
        lines.append(
            f"| {i} | {run['extract_words_per_s']} | {run['raw_words_per_s']} | {run['ratio']} |"
        )
    return lines


def write_results(path: Path, info: dict[str, Any], results: list[dict[str, Any]]) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m benchmarks.run_all`); see benchmarks/README.md for what",
        "each benchmark does. Figures from a shared or busy machine are noisy: compare ratios, which",
        "are measured beside their baseline in the same run.",
        "",
        f"- Date: {info['date']} (each raw line below carries the date and commit it was measured at)",
        f"- Commit: {info['commit']}",
        f"- Machine: {info['cores']} cores, {info['cpu']}; {info['platform']}",
        f"- Python {info['python']}, Qt platform {info['qt_platform']}",
        "",
        "| Benchmark | Measured | Baseline → ratio | Goal | Met |",
        "|---|---|---|---|---|",
    ]
    for figures in results:
        for row in summary_rows(figures):
            what, measured, baseline, goal = row[:4]
            # A row may say itself whether its goal is met; a row with no goal has none to meet.
            met = row[4] if len(row) > 4 else (_met(figures) if goal else "—")
            lines.append(f"| {what} | {measured} | {baseline} | {goal} | {met} |")
    lines += extraction_speed_section(results)
    if (
        path == BENCH_DIR / "RESULTS.md"
    ):  # a full run of a clean commit: beside the last of its code
        by_date = rerun.runs()
        lines += rerun.interval_section(str(info["date"]), results, by_date)
        lines += rerun.section(str(info["commit"]), str(info["date"]), results, by_date)
    lines += ["", "## Raw figures (one JSON line per benchmark)", "", "```"]
    lines += [json.dumps(figures) for figures in results]
    lines += ["```", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run at small sizes")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    info = machine()
    results = [
        {**run(name, args.quick), "date": info["date"], "commit": info["commit"]} for name in names
    ]
    target, why = results_target(quick=args.quick, partial=bool(args.only), dirty=info["dirty"])
    if why:
        print(f"not RESULTS.md: {why}", file=sys.stderr)
    write_results(target, info, results)
    if not args.quick and not info["dirty"]:
        with (BENCH_DIR / "history.jsonl").open("a", encoding="utf-8") as history:
            for figures in results:
                history.write(json.dumps(figures) + "\n")
    print(f"wrote {target}", file=sys.stderr)
    return 1 if any("failed" in figures for figures in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
