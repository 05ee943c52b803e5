"""Query latency as the user types: the engine's search (first page with snippets, facets) beside SQLite FTS5.

Usage: python -m benchmarks.bench_query [--quick] [--sizes 2225,20000] [--profile]
Prints one JSON line. Goal: Whoosh p95 <= 2x FTS5 p95 at 20,000 articles.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.common import (
    cached_index,
    emit,
    index_build_seconds,
    latency_summary,
    note,
    percentile,
    ratio,
)
from benchmarks.corpus import WORK_DIR, Library, bbc_library, load_bbc, synthetic_library
from benchmarks.fts5 import PAGE, Fts5Baseline
from benchmarks.queries import BenchQuery, query_mix

GOAL_P95_RATIO = 2.0
WARMUP_QUERIES = 30


def corpus_for(size: int) -> Library:
    """The real BBC library for sizes up to 2,225 articles, the recombined library beyond."""
    return bbc_library(size) if size <= 2225 else synthetic_library(size)


def time_whoosh(data: Path, mix: list[BenchQuery], warmup: list[BenchQuery]) -> dict[str, Any]:
    """Open the index as the app does, warm it with other queries, then time each query of the mix once."""
    from search.index import ArticleIndex

    started = time.perf_counter()
    index = ArticleIndex.open(data)
    open_s = time.perf_counter() - started
    for query in warmup:
        index.search(query.whoosh, limit=PAGE, facets=True)
    seconds, totals, errors, unmarked = [], [], [], []
    for query in mix:
        started = time.perf_counter()
        result = index.search(query.whoosh, limit=PAGE, facets=True)
        snippets = [hit.snippet for hit in result.hits]
        seconds.append(time.perf_counter() - started)
        totals.append(result.total)
        if result.error:
            errors.append(f"{query.whoosh}: {result.error}")
        elif result.hits and not any(s.marks for s in snippets):
            unmarked.append(query.whoosh)  # every hit shown matched in its title only
    return {
        "seconds": seconds,
        "totals": totals,
        "errors": errors,
        "unmarked": unmarked,
        "open_s": open_s,
    }


def time_fts5(db: Fts5Baseline, mix: list[BenchQuery], warmup: list[BenchQuery]) -> dict[str, Any]:
    for query in warmup:
        db.search(query)
    seconds, totals = [], []
    for query in mix:
        started = time.perf_counter()
        total, _hits = db.search(query)
        seconds.append(time.perf_counter() - started)
        totals.append(total)
    return {"seconds": seconds, "totals": totals}


def profile_whoosh(data: Path, mix: list[BenchQuery], size: int) -> Path:
    """cProfile the engine over the whole mix (fresh index object, so cold paths show) and save the top entries."""
    from search.index import ArticleIndex

    profiler = cProfile.Profile()
    profiler.enable()
    index = ArticleIndex.open(data)
    for query in mix:
        index.search(query.whoosh, limit=PAGE, facets=True)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"# cProfile of {len(mix)} queries at {size} articles, by own time\n")
    stats.sort_stats("tottime").print_stats(30)
    out.write("\n# by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(40)
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


def measure(size: int, queries: int, profile: bool) -> dict[str, Any]:
    lib = corpus_for(size)
    span = (min(r.date for r in lib.records), max(r.date for r in lib.records))
    vocabulary = load_bbc()
    mix = query_mix(vocabulary, size=queries, seed=7, date_span=span)
    warmup = query_mix(vocabulary, size=WARMUP_QUERIES, seed=8, date_span=span)
    data = cached_index(lib)
    note(f"{size} articles: timing {len(mix)} queries (Whoosh, then FTS5) ...")
    whoosh = time_whoosh(data, mix, warmup)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        db = Fts5Baseline(Path(tmp) / "fts5.db", lib.records)
        fts_build_s = time.perf_counter() - started
        fts = time_fts5(db, mix, warmup)
        db.close()
    by_kind: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"w": [], "f": []})
    for query, w, f in zip(mix, whoosh["seconds"], fts["seconds"], strict=True):
        by_kind[query.kind]["w"].append(w)
        by_kind[query.kind]["f"].append(f)
    w_sum, f_sum = latency_summary(whoosh["seconds"]), latency_summary(fts["seconds"])
    figures: dict[str, Any] = {
        "articles": len(lib.records),
        "words": lib.words,
        "queries": len(mix),
        "whoosh": w_sum,
        "fts5": f_sum,
        "ratio_p50": ratio(w_sum["p50_ms"], f_sum["p50_ms"]),
        "ratio_p95": ratio(w_sum["p95_ms"], f_sum["p95_ms"]),
        "p95_ms_by_kind": {
            kind: {
                "n": len(v["w"]),
                "whoosh": round(percentile(v["w"], 0.95) * 1000, 2),
                "fts5": round(percentile(v["f"], 0.95) * 1000, 2),
            }
            for kind, v in sorted(by_kind.items())
        },
        "whoosh_open_ms": round(whoosh["open_s"] * 1000, 1),
        "whoosh_index_build_s_no_extraction": index_build_seconds(data),
        "fts5_build_s": round(fts_build_s, 2),
        "query_errors": len(whoosh["errors"]),
        "pages_without_marked_snippet": len(whoosh["unmarked"]),
        "totals_agree": agreement(whoosh["totals"], fts["totals"]),
    }
    for error in whoosh["errors"][:10]:
        note(f"  query problem: {error}")
    if profile:
        figures["profile"] = str(
            profile_whoosh(data, mix, size).relative_to(WORK_DIR.parent.parent)
        )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2225,20000", help="library sizes, comma-separated")
    parser.add_argument("--queries", type=int, default=230, help="size of the query mix (>= 200)")
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke test")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    args = parser.parse_args(argv)
    sizes = [300] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = 60 if args.quick else args.queries
    results = {
        str(size): measure(size, queries, args.profile and size == max(sizes)) for size in sizes
    }
    largest = results[str(max(sizes))]
    emit(
        {
            "bench": "query",
            "page": PAGE,
            "sizes": results,
            "goal": f"whoosh p95 <= {GOAL_P95_RATIO}x fts5 p95 at 20000 articles",
            "goal_met": largest["ratio_p95"] is not None
            and largest["ratio_p95"] <= GOAL_P95_RATIO
            and max(sizes) >= 20000,
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
