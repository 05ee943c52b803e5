"""Index writing without extraction beside Recoll: the same 2,225 BBC articles as .txt files.

Usage: python -m benchmarks.bench_write [--quick] [--reps N] [--articles N]
Prints one JSON line. Goal: our index writing (no spaCy: `common.cheap_extractor`) takes at most
2x Recoll's `recollindex -z` on the same files.

Each run is a fresh process building a fresh index, ours and Recoll's in turn (the order swaps
every repetition), so both see the same machine load; the figure is the median of the per-pair
ratios with their range, of wall time and of CPU time (user + system, which the other programs on
a shared machine disturb less). The peak RSS is each writer's own (ru_maxrss from wait4: our main
process; spaCy's workers are not part of this run). Recoll runs with a private configuration
directory (logging quiet, no spelling dictionary: its aspell step is not index writing).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import emit, note
from benchmarks.corpus import BBC_JSONL, PROJECT_ROOT, WORK_DIR, Record, load_bbc

GOAL_RATIO = 2.0
# --quick: fixed costs (interpreter, imports, an empty index) weigh more at this size.
QUICK_ARTICLES = 300
RECOLLINDEX = "recollindex"


def txt_library(records: list[Record]) -> Path:
    """The articles as .txt files (title line, blank line, body) under _work/, written once."""
    key = hashlib.sha256(f"txt|{BBC_JSONL.stat().st_size}|{len(records)}".encode()).hexdigest()
    root = WORK_DIR / "libraries" / f"txt{len(records)}-{key[:16]}"
    done = root.with_name(root.name + ".done")
    if not done.exists():
        for record in records:
            path = root / record.relpath.replace(".md", ".txt")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{record.title}\n\n{record.body}\n", encoding="utf-8")
        done.touch()
    return root


def timed(command: list[str], **kwargs: Any) -> dict[str, float]:
    """Run `command` to its end: wall and CPU seconds, and its peak RSS in MB (wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, **kwargs)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}): {' '.join(command)}")
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def ours(library: Path, data: Path) -> dict[str, float]:
    """Our sync of `library` into a fresh data directory, in a fresh interpreter."""
    shutil.rmtree(data, ignore_errors=True)
    code = (
        "import sys; from benchmarks.common import cheap_extractor; "
        "from search.index import ArticleIndex; "
        "r = ArticleIndex.open(sys.argv[2]).sync([sys.argv[1]], extractor=cheap_extractor); "
        "sys.exit(1 if r.skipped else 0)"
    )
    return timed([sys.executable, "-c", code, str(library), str(data)], cwd=PROJECT_ROOT)


def recoll_config(library: Path, confdir: Path) -> Path:
    confdir.mkdir(parents=True, exist_ok=True)
    (confdir / "recoll.conf").write_text(
        f"topdirs = {library}\nloglevel = 1\nnoaspell = 1\n", encoding="utf-8"
    )
    return confdir


def recoll(confdir: Path) -> dict[str, float]:
    """`recollindex -z` (a fresh index) with the private configuration."""
    shutil.rmtree(confdir / "xapiandb", ignore_errors=True)
    env = {**os.environ, "RECOLL_CONFDIR": str(confdir)}
    return timed(
        [RECOLLINDEX, "-c", str(confdir), "-z"], env=env, stderr=subprocess.DEVNULL, cwd=confdir
    )


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def run(articles: int | None, reps: int) -> dict[str, Any]:
    if shutil.which(RECOLLINDEX) is None:
        return {"bench": "write", "failed": "recollindex is not installed (apt-get install recoll)"}
    records = load_bbc(articles)
    library = txt_library(records)
    work = WORK_DIR / "write"
    confdir = recoll_config(library, work / "recoll")
    runs: list[dict[str, dict[str, float]]] = []
    for rep in range(reps):
        pair: dict[str, dict[str, float]] = {}
        order = ("ours", "recoll") if rep % 2 == 0 else ("recoll", "ours")
        for side in order:
            pair[side] = ours(library, work / "ours") if side == "ours" else recoll(confdir)
        note(
            f"rep {rep + 1}/{reps}: ours {pair['ours']['wall_s']} s, recoll {pair['recoll']['wall_s']} s"
        )
        runs.append(pair)
    wall_ratios = [r["ours"]["wall_s"] / r["recoll"]["wall_s"] for r in runs]
    cpu_ratios = [r["ours"]["cpu_s"] / r["recoll"]["cpu_s"] for r in runs]
    ratio = spread(wall_ratios)
    return {
        "bench": "write",
        "articles": len(records),
        "reps": reps,
        "ours_wall_s": spread([r["ours"]["wall_s"] for r in runs]),
        "recoll_wall_s": spread([r["recoll"]["wall_s"] for r in runs]),
        "ratio_wall": ratio,
        "ratio_cpu": spread(cpu_ratios),
        "ours_peak_rss_mb": spread([r["ours"]["peak_rss_mb"] for r in runs]),
        "recoll_peak_rss_mb": spread([r["recoll"]["peak_rss_mb"] for r in runs]),
        "goal_ratio": GOAL_RATIO,
        "goal_met": ratio["median"] <= GOAL_RATIO,
        "runs": runs,
    }


def summary_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(what, measured, baseline / ratio, goal) rows, as run_all.summary_rows gives them."""
    if "failed" in figures:
        return [("index writing without extraction", f"failed ({figures['failed']})", "", "")]
    wall, cpu = figures["ratio_wall"], figures["ratio_cpu"]
    return [
        (
            f"index writing without extraction, {figures['articles']} BBC .txt files "
            f"({figures['reps']} paired runs)",
            f"{figures['ours_wall_s']['median']} s, main process peak "
            f"{figures['ours_peak_rss_mb']['median']} MB",
            f"Recoll {figures['recoll_wall_s']['median']} s → {wall['median']}× "
            f"({wall['min']}–{wall['max']}); CPU {cpu['median']}× ({cpu['min']}–{cpu['max']})",
            f"≤ {GOAL_RATIO:g}× Recoll",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="paired runs (default 5)")
    parser.add_argument("--articles", type=int, default=None, help="the first N BBC articles")
    parser.add_argument("--quick", action="store_true", help="300 articles, 3 paired runs")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.reps = args.articles or QUICK_ARTICLES, min(args.reps, 3)
    figures = run(args.articles, args.reps)
    emit(figures)


if __name__ == "__main__":
    main()
