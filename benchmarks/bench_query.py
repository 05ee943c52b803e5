"""Query latency as the user types: the engine's search beside SQLite FTS5 doing the same work, paired.

Both engines are open in one process. Each repetition runs the whole query mix in a fresh
shuffled order, every query on the engine and on FTS5 back to back (which goes first alternates),
so load on a shared machine falls on both sides alike. Headline figures are the median over
repetitions of the p50 and p95 ratios, with their range, and the median per-query ratio; per size
a growth row gives both build times and sizes on disk.

Usage: python -m benchmarks.bench_query [--quick] [--sizes 2225,20000,50000] [--reps 5] [--profile]
Prints one JSON line. Goal: Whoosh p50 <= 2x and p95 <= 1.5x FTS5 (median ratios) at 20k and 50k.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.common import (
    cached_index,
    dir_size,
    emit,
    index_build_seconds,
    note,
    percentile,
    ratio,
)
from benchmarks.corpus import WORK_DIR, Library, bbc_library, load_bbc, synthetic_library
from benchmarks.fts5 import PAGE, Fts5Baseline
from benchmarks.queries import BenchQuery, query_mix

GOAL_P50_RATIO = 2.0
GOAL_P95_RATIO = 1.5
GOAL_SIZES = (20000, 50000)
WARMUP_QUERIES = 30
MB = 1024 * 1024


def corpus_for(size: int) -> Library:
    """The real BBC library for sizes up to 2,225 articles, the recombined library beyond."""
    return bbc_library(size) if size <= 2225 else synthetic_library(size)


class _Whoosh:
    """The engine as the app asks it: a page of 20 with snippets, the total, the facets."""

    def __init__(self, data: Path) -> None:
        from search.index import ArticleIndex

        self.index = ArticleIndex.open(data)

    def run(self, query: BenchQuery) -> tuple[float, Any]:
        started = time.perf_counter()
        result = self.index.search(query.whoosh, limit=PAGE, facets=True)
        _snippets = [hit.snippet for hit in result.hits]
        return time.perf_counter() - started, result


def _fts5_run(db: Fts5Baseline, query: BenchQuery) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = db.search(query)
    return time.perf_counter() - started, answer


def check(whoosh: _Whoosh, db: Fts5Baseline, mix: list[BenchQuery]) -> dict[str, Any]:
    """Untimed: every query parses, pages show marked snippets, and totals roughly agree."""
    errors, unmarked, w_totals, f_totals = [], [], [], []
    facets: set[str] = set()
    for query in mix:
        result = whoosh.index.search(query.whoosh, limit=PAGE, facets=True)
        w_totals.append(result.total)
        total, _hits, counted = _fts5_run(db, query)[1]
        f_totals.append(total)
        facets |= {name for name, counts in counted.items() if counts}
        if result.error:
            errors.append(f"{query.whoosh}: {result.error}")
        elif result.hits and not any(hit.snippet.marks for hit in result.hits):
            unmarked.append(query.whoosh)  # every hit shown matched in its title only
    for error in errors[:10]:
        note(f"  query problem: {error}")
    return {
        "query_errors": len(errors),
        "pages_without_marked_snippet": len(unmarked),
        "totals_agree": agreement(w_totals, f_totals),
        "fts5_facets": sorted(facets),
    }


def paired_reps(
    whoosh: _Whoosh, db: Fts5Baseline, mix: list[BenchQuery], reps: int
) -> tuple[list[list[float]], list[list[float]]]:
    """Seconds per query (in mix order) per repetition for each engine, timed back to back."""
    w_reps, f_reps = [], []
    for rep in range(reps):
        order = list(range(len(mix)))
        random.Random(1000 + rep).shuffle(order)
        w_times, f_times = [0.0] * len(mix), [0.0] * len(mix)
        for turn, i in enumerate(order):
            if (turn + rep) % 2 == 0:
                w_times[i] = whoosh.run(mix[i])[0]
                f_times[i] = _fts5_run(db, mix[i])[0]
            else:
                f_times[i] = _fts5_run(db, mix[i])[0]
                w_times[i] = whoosh.run(mix[i])[0]
        w_reps.append(w_times)
        f_reps.append(f_times)
        note(
            f"  rep {rep + 1}/{reps}: p50 {ms(percentile(w_times, 0.5))} vs "
            f"{ms(percentile(f_times, 0.5))} ms, p95 {ms(percentile(w_times, 0.95))} vs "
            f"{ms(percentile(f_times, 0.95))} ms"
        )
    return w_reps, f_reps


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def spread(values: list[float]) -> dict[str, float]:
    """Median and range (min–max) of per-repetition figures."""
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
    }


def summarise(
    mix: list[BenchQuery], w_reps: list[list[float]], f_reps: list[list[float]]
) -> dict[str, Any]:
    """Per repetition p50/p95 of each side and their ratios; medians and ranges over repetitions."""
    per_rep = []
    for w, f in zip(w_reps, f_reps, strict=True):
        w50, w95 = percentile(w, 0.5), percentile(w, 0.95)
        f50, f95 = percentile(f, 0.5), percentile(f, 0.95)
        per_rep.append(
            {
                "whoosh_p50_ms": ms(w50),
                "whoosh_p95_ms": ms(w95),
                "fts5_p50_ms": ms(f50),
                "fts5_p95_ms": ms(f95),
                "ratio_p50": w50 / f50,
                "ratio_p95": w95 / f95,
                "paired_ratio": statistics.median(a / b for a, b in zip(w, f, strict=True)),
            }
        )
    all_w = [t for rep in w_reps for t in rep]
    all_f = [t for rep in f_reps for t in rep]

    def side(name: str, pooled: list[float]) -> dict[str, float]:
        return {
            "p50_ms": round(statistics.median(r[f"{name}_p50_ms"] for r in per_rep), 3),
            "p95_ms": round(statistics.median(r[f"{name}_p95_ms"] for r in per_rep), 3),
            "max_ms": ms(max(pooled)),
            "mean_ms": ms(statistics.fmean(pooled)),
        }

    by_kind: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"w": [], "f": []})
    for w_times, f_times in zip(w_reps, f_reps, strict=True):
        for query, w, f in zip(mix, w_times, f_times, strict=True):
            by_kind[query.kind]["w"].append(w)
            by_kind[query.kind]["f"].append(f)
    ratios = {key: spread([r[key] for r in per_rep]) for key in ("ratio_p50", "ratio_p95")}
    paired = spread([r["paired_ratio"] for r in per_rep])
    for r in per_rep:
        for key in ("ratio_p50", "ratio_p95", "paired_ratio"):
            r[key] = round(r[key], 3)
    return {
        "whoosh": side("whoosh", all_w),
        "fts5": side("fts5", all_f),
        "ratio_p50": ratios["ratio_p50"]["median"],
        "ratio_p95": ratios["ratio_p95"]["median"],
        "ratio_p50_spread": ratios["ratio_p50"],
        "ratio_p95_spread": ratios["ratio_p95"],
        "paired_ratio": paired,
        "per_rep": per_rep,
        "p95_ms_by_kind": {
            kind: {
                "n": len(v["w"]) // len(w_reps),
                "whoosh": ms(percentile(v["w"], 0.95)),
                "fts5": ms(percentile(v["f"], 0.95)),
            }
            for kind, v in sorted(by_kind.items())
        },
    }


def profile_whoosh(whoosh: _Whoosh, mix: list[BenchQuery], size: int) -> Path:
    """cProfile the warm engine over the whole mix once and save the top entries."""
    profiler = cProfile.Profile()
    profiler.enable()
    for query in mix:
        whoosh.run(query)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"# cProfile of {len(mix)} warm queries at {size} articles, by own time\n")
    stats.sort_stats("tottime").print_stats(30)
    out.write("\n# by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(45)
    path = WORK_DIR / f"profile_query_{size}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue())
    return path


def agreement(whoosh_totals: list[int], fts_totals: list[int]) -> float:
    """Share of queries where both engines find nothing, or totals within 20% of each other (a translation check)."""
    agree = 0
    for w, f in zip(whoosh_totals, fts_totals, strict=True):
        if (w == 0 and f == 0) or (w and f and abs(w - f) <= 0.2 * max(w, f)):
            agree += 1
    return round(agree / len(whoosh_totals), 3)


def measure(size: int, queries: int, reps: int, profile: bool) -> dict[str, Any]:
    from search import config

    lib = corpus_for(size)
    span = (min(r.date for r in lib.records), max(r.date for r in lib.records))
    vocabulary = load_bbc()
    mix = query_mix(vocabulary, size=queries, seed=7, date_span=span)
    warmup = query_mix(vocabulary, size=WARMUP_QUERIES, seed=8, date_span=span)
    data = cached_index(lib)
    with tempfile.TemporaryDirectory() as tmp:
        note(f"{size} articles: building the FTS5 baseline ...")
        started = time.perf_counter()
        db = Fts5Baseline(Path(tmp) / "fts5.db", lib.records)
        fts_build_s = time.perf_counter() - started
        started = time.perf_counter()
        whoosh = _Whoosh(data)
        open_s = time.perf_counter() - started
        for query in warmup:
            whoosh.run(query)
            _fts5_run(db, query)
        checks = check(whoosh, db, mix)
        note(f"{size} articles: {reps} paired repetitions of {len(mix)} queries ...")
        w_reps, f_reps = paired_reps(whoosh, db, mix, reps)
        whoosh_mb = dir_size(config.index_dir(data)) / MB
        fts_mb = db.size_bytes() / MB
        profile_path = profile_whoosh(whoosh, mix, size) if profile else None
        db.close()
        whoosh.index.close()
    whoosh_build_s = index_build_seconds(data)
    figures: dict[str, Any] = {
        "articles": len(lib.records),
        "words": lib.words,
        "queries": len(mix),
        "repetitions": reps,
        **summarise(mix, w_reps, f_reps),
        "whoosh_open_ms": ms(open_s),
        **checks,
        "growth": {
            "whoosh_index_build_s_no_extraction": whoosh_build_s,
            "fts5_build_s": round(fts_build_s, 2),
            "build_ratio": ratio(whoosh_build_s, fts_build_s),
            "whoosh_index_mb": round(whoosh_mb, 1),
            "fts5_db_mb": round(fts_mb, 1),
            "size_ratio": ratio(whoosh_mb, fts_mb),
        },
    }
    if profile_path is not None:
        figures["profile"] = str(profile_path)
    return figures


def goal_met(sizes: dict[str, dict[str, Any]]) -> bool:
    """Both median ratios within the goal at every goal size measured (and at least one measured)."""
    judged = [f for size, f in sizes.items() if int(size) in GOAL_SIZES]
    return bool(judged) and all(
        f["ratio_p50"] <= GOAL_P50_RATIO and f["ratio_p95"] <= GOAL_P95_RATIO for f in judged
    )


def summary_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(what, measured, baseline → ratio, goal) rows for RESULTS.md, one per size and the growth table."""
    goal = f"p50 ≤ {GOAL_P50_RATIO}×, p95 ≤ {GOAL_P95_RATIO}× FTS5 at 20k and 50k"
    rows = []
    for size, f in figures["sizes"].items():
        p50, p95, paired = f["ratio_p50_spread"], f["ratio_p95_spread"], f["paired_ratio"]
        rows.append(
            (
                f"query latency, {size} articles ({f['queries']} queries × {f['repetitions']} paired "
                "repetitions; page of 20 + snippets + 3 facets)",
                f"Whoosh p50 {f['whoosh']['p50_ms']} ms, p95 {f['whoosh']['p95_ms']} ms",
                f"FTS5 same work p50 {f['fts5']['p50_ms']} ms, p95 {f['fts5']['p95_ms']} ms → "
                f"p50 {p50['median']}× ({p50['min']}–{p50['max']}), "
                f"p95 {p95['median']}× ({p95['min']}–{p95['max']}), "
                f"per query {paired['median']}× ({paired['min']}–{paired['max']})",
                goal,
            )
        )
    for size, f in figures["sizes"].items():
        g = f["growth"]
        rows.append(
            (
                f"index growth, {size} articles",
                f"Whoosh build (no extraction) {g['whoosh_index_build_s_no_extraction']} s, "
                f"{g['whoosh_index_mb']} MB",
                f"FTS5 build {g['fts5_build_s']} s, {g['fts5_db_mb']} MB → "
                f"build {g['build_ratio']}×, size {g['size_ratio']}×",
                "",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="2225,20000,50000", help="library sizes, comma-separated"
    )
    parser.add_argument("--queries", type=int, default=230, help="size of the query mix (>= 200)")
    parser.add_argument("--reps", type=int, default=5, help="paired repetitions (>= 5)")
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke test")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    args = parser.parse_args(argv)
    sizes = [300] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = 60 if args.quick else args.queries
    results = {
        str(size): measure(size, queries, args.reps, args.profile and size == max(sizes))
        for size in sizes
    }
    emit(
        {
            "bench": "query",
            "page": PAGE,
            "sizes": results,
            "goal": f"whoosh p50 <= {GOAL_P50_RATIO}x and p95 <= {GOAL_P95_RATIO}x fts5 "
            "(median paired ratios) at 20000 and 50000 articles",
            "goal_met": goal_met(results),
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
