"""Start-up: launching the app on the 20,000-article library until its window accepts keys, beside a bare PySide6 window.

Usage: python -m benchmarks.bench_startup [--quick] [--articles N] [--runs N]
Prints one JSON line. Goals: app <= 1.5x the bare window; spaCy not imported; peak RSS < 250 MB.

Each launch is a fresh interpreter running benchmarks/startup_probe.py (see there how it knows
the window is ready).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import cached_index, emit, note, ratio
from benchmarks.corpus import PROJECT_ROOT, bbc_library, synthetic_library
from benchmarks.startup_probe import EXIT_AT_READY
from search.library import add_to_library

GOAL_RATIO = 1.5
GOAL_RSS_MB = 250
REPETITIONS = 5
COUNTS = 2  # instruction counts of each (they agree within ~0.1%: two show it)


def repetition_ratios(
    app: list[float], bare: list[float], blocks: int = REPETITIONS
) -> list[float]:
    """The launches (taken in turns) cut into `blocks` consecutive repetitions: each one's ratio of
    median app time to median bare time, so the headline ratio comes with its spread."""
    size = len(app) // blocks
    if size < 1:
        return []
    ratios = []
    for b in range(blocks):
        a, n = app[b * size : (b + 1) * size], bare[b * size : (b + 1) * size]
        ratios.append(round(statistics.median(a) / statistics.median(n), 2))
    return ratios


def probe_command(
    kind: str, data_dir: Path | None, work: Path, ready_file: Path
) -> tuple[list[str], dict[str, str]]:
    """The probe's command line and environment, for a timed launch and a counted one alike."""
    command = [sys.executable, "-m", "benchmarks.startup_probe", kind, str(ready_file)]
    if data_dir is not None:
        command.append(str(data_dir))
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # As in any installed app, the project's bytecode is cached after the first launch (the
    # dependencies' already is); without this every launch recompiled the project's modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["BRIEFING_HOME"] = str(work / "home")
    return command, env


def instructions(kind: str, data_dir: Path | None, work: Path) -> int | None:
    """User-space instructions from the interpreter's start to the ready window, counted by
    valgrind's callgrind (None without valgrind). Unlike time, the count does not move with the
    machine: the same launch gives the same count within ~0.1%, where its CPU time moved by up to
    60% from one launch to the next on this machine."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    command, env = probe_command(kind, data_dir, work, work / "counted.json")
    command = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *command]
    env[EXIT_AT_READY] = "1"
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"callgrind counted nothing for the {kind} probe:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def launch(kind: str, data_dir: Path | None, work: Path) -> dict[str, Any]:
    """Launch one probe process; the start-up time runs from just before the spawn to the first event-loop turn."""
    ready_file = work / f"ready-{kind}.json"
    ready_file.unlink(missing_ok=True)
    command, env = probe_command(kind, data_dir, work, ready_file)
    started = time.time()
    done = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    if not ready_file.exists():
        raise SystemExit(
            f"{kind} probe never became ready (exit {done.returncode}):\n{done.stderr[-2000:]}"
        )
    record: dict[str, Any] = json.loads(ready_file.read_text())
    record["startup_s"] = record["ready_at"] - started
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=25, help="launches of each, alternating")
    parser.add_argument("--quick", action="store_true", help="300 articles, 2 runs")
    args = parser.parse_args(argv)

    articles, runs = (300, 2) if args.quick else (args.articles, args.runs)
    lib = bbc_library(articles) if articles <= 2225 else synthetic_library(articles)
    cached = cached_index(lib)
    app_runs, bare_runs = [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # The app may write settings or sync its library: give it a copy, never the cached index.
        data_dir = work / "data"
        shutil.copytree(cached, data_dir)
        # As for a user whose library is this folder: start-up also launches its background re-sync.
        add_to_library(data_dir, [lib.root])
        for i in range(runs):
            note(f"start-up run {i + 1}/{runs} ...")
            bare_runs.append(launch("bare", None, work))
            app_runs.append(launch("app", data_dir, work))
        counts: list[tuple[int, int]] = []
        for i in range(0 if args.quick else COUNTS):
            note(f"counting instructions to the ready window {i + 1}/{COUNTS} (valgrind) ...")
            app_count, bare_count = (
                instructions("app", data_dir, work),
                instructions("bare", None, work),
            )
            if app_count is None or bare_count is None:
                note("valgrind is not installed: no instruction counts")
                break
            counts.append((app_count, bare_count))
    app_s = statistics.median(r["startup_s"] for r in app_runs)
    bare_s = statistics.median(r["startup_s"] for r in bare_runs)
    peak_mb = max(r["settled"]["maxrss_mb"] for r in app_runs)
    spacy = any(r["ready"]["spacy_loaded"] or r["settled"]["spacy_loaded"] for r in app_runs)
    block_ratios = repetition_ratios(
        [r["startup_s"] for r in app_runs], [r["startup_s"] for r in bare_runs]
    )
    # The headline is the median of the repetitions' ratios, so it lies inside their range (the
    # ratio of the pooled medians can fall outside it when the machine's slow streaks fall
    # unevenly on the two sides); the pooled ratio stays beside it.
    pooled_ratio = ratio(app_s, bare_s)
    startup_ratio = round(statistics.median(block_ratios), 2) if block_ratios else pooled_ratio
    app_cpu = statistics.median(r["cpu_s"] for r in app_runs)
    bare_cpu = statistics.median(r["cpu_s"] for r in bare_runs)
    emit(
        {
            "bench": "startup",
            "articles": len(lib.records),
            "runs": runs,
            "platform": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "app_s_median": round(app_s, 3),
            "app_s_all": [round(r["startup_s"], 3) for r in app_runs],
            "bare_s_median": round(bare_s, 3),
            "bare_s_all": [round(r["startup_s"], 3) for r in bare_runs],
            "ratio": startup_ratio,
            "pooled_ratio": pooled_ratio,
            # The launches in REPETITIONS blocks of turns: each block's ratio of medians, their spread.
            "ratio_by_repetition": block_ratios,
            "ratio_range": [min(block_ratios), max(block_ratios)] if block_ratios else None,
            # CPU time to the ready window: what the launch costs, less what a busy machine adds.
            "app_cpu_s_median": round(app_cpu, 3),
            "bare_cpu_s_median": round(bare_cpu, 3),
            "cpu_ratio": ratio(app_cpu, bare_cpu),
            "app_focus_widget": app_runs[-1]["ready"]["focus"],
            "app_visible_windows": app_runs[-1]["ready"]["visible_windows"],
            # Instructions to the ready window (callgrind), and their ratio: what the launch
            # costs whatever the machine's speed at the time.
            "instructions": [{"app": a, "bare": b} for a, b in counts],
            "instruction_ratio": round(
                statistics.median(a for a, _ in counts) / statistics.median(b for _, b in counts), 3
            )
            if counts
            else None,
            "spacy_imported": spacy,
            "app_peak_rss_mb": peak_mb,
            "bare_peak_rss_mb": max(r["settled"]["maxrss_mb"] for r in bare_runs),
            "goal": f"ratio <= {GOAL_RATIO}, no spaCy, peak RSS < {GOAL_RSS_MB} MB",
            "goal_met": startup_ratio is not None
            and startup_ratio <= GOAL_RATIO
            and not spacy
            and peak_mb < GOAL_RSS_MB,
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
