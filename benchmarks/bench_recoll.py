"""Beside Recoll, the desktop-search peer, on the same 2,225 BBC articles as .txt files: index time, size, memory, query and CLI latency.

Usage: python -m benchmarks.bench_recoll [--quick] [--articles N] [--reps 5] [--index-reps 3]
Prints one JSON line. Goals: index writing without extraction <= 2x Recoll's time; `briefing
search` <= 100 ms per call (median) on a 20,000-article index; indexing peak memory (all
processes, summed) <= 600 MB with extraction in 2 processes.

Every comparison is paired: index runs alternate Recoll and ours, each a fresh process; queries
alternate query by query between our engine (in this process) and Recoll (a /usr/bin/python3 helper
timing itself); CLI calls rotate among the commands call by call. Each is repeated, and ratios are
given as the median and range of the per-repetition ratios.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from benchmarks import recoll
from benchmarks.common import (
    cached_index,
    cheap_extractor,
    dir_size,
    emit,
    note,
    percentile,
)
from benchmarks.corpus import PROJECT_ROOT, WORK_DIR, load_bbc, synthetic_library
from benchmarks.procmem import TreeSampler
from benchmarks.queries import BenchQuery, query_mix

GOAL_INDEX_RATIO = 2.0
GOAL_MEMORY_MB = 600.0
SAMPLE_INTERVAL_S = 0.05
CLI_QUERIES = 8
WARMUP_QUERIES = 20


# Pure helpers (tested in tests/test_bench_recoll.py)


def spread(values: Iterable[float], digits: int = 2) -> dict[str, float]:
    """Median and range of per-repetition figures, rounded for reading."""
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), digits),
        "min": round(ordered[0], digits),
        "max": round(ordered[-1], digits),
    }


def spread_text(s: dict[str, float], unit: str = "") -> str:
    return f"{s['median']}{unit} ({s['min']}–{s['max']})"


def paired_order(i: int, sides: list[str]) -> list[str]:
    """The sides rotated by `i`, so each goes first equally often and none always follows another."""
    k = i % len(sides)
    return sides[k:] + sides[:k]


# Processes: wall time and memory of a whole process tree


def child_env() -> dict[str, str]:
    """This environment, but letting our child interpreters write and reuse .pyc files.

    With PYTHONDONTWRITEBYTECODE set (as in some shells and CI), a checkout without __pycache__
    compiles every project module on every call: ~15% of a `briefing search` in a profile, a
    cost no installed app pays, and Recoll's C++ never does.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measured_run(command: list[str], cwd: Path = PROJECT_ROOT) -> dict[str, Any]:
    """Run `command` to its end: wall seconds from spawn to exit, peak summed RSS of its tree, VmHWM per process.

    The main process's peak comes from wait4's ru_maxrss (exact); its children's from the sampled
    VmHWM (a child's last 50 ms can be missed). Its stdout's last line is parsed as JSON if it is one.
    """
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=child_env(), stdout=subprocess.PIPE, stderr=err, text=True
        )
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        memory = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        assert process.stdout is not None
        out = process.stdout.read()
        process.stdout.close()
        if process.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(command[:4])} failed:\n{err.read()[-3000:]}")
    # 0 MB: seen only as a zombie (a short-lived helper), nothing to report.
    children = [mb for pid, mb in memory.hwm_mb.items() if pid != process.pid and mb]
    lines = out.strip().splitlines()
    answer = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return {
        "seconds": wall,
        # CPU of the process and the children it waited for: steadier than wall time under load.
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_sum_mb": round(max(memory.rss_sum_peak_mb, usage.ru_maxrss / 1024), 1),
        # Shared pages split between the processes sharing them (a forked worker's model).
        "peak_pss_sum_mb": round(memory.pss_sum_peak_mb, 1),
        "main_vmhwm_mb": round(usage.ru_maxrss / 1024, 1),
        "children_vmhwm_mb": sorted((round(mb, 1) for mb in children), reverse=True),
        "samples": sampler.samples,
        "answer": answer,
    }


# Index time, size and memory


def run_ours(library: Path, data: Path, spacy: bool) -> dict[str, Any]:
    """(In the fresh child process) our sync of the .txt folder into an empty data directory."""
    from search.index import ArticleIndex

    started = time.perf_counter()
    index = ArticleIndex.open(data)
    if spacy:
        report = index.sync([str(library)], processes=2)
    else:
        report = index.sync([str(library)], extractor=cheap_extractor)
    return {
        "articles": len(report.added),
        "skipped": len(report.skipped),
        "messages": report.messages,
        "sync_s": round(time.perf_counter() - started, 2),
    }


def index_ours(library: Path, data: Path, spacy: bool) -> dict[str, Any]:
    shutil.rmtree(data, ignore_errors=True)
    command = [sys.executable, "-m", "benchmarks.bench_recoll", "--variant", "ours"]
    command += ["--library", str(library), "--data", str(data)] + (["--spacy"] if spacy else [])
    run = measured_run(command)
    run["size_mb"] = round(dir_size(data) / 1e6, 1)
    return run


def index_recoll(library: Path, confdir: Path) -> dict[str, Any]:
    recoll.make_config(confdir, library)
    run = measured_run(recoll.index_command(confdir))
    run["size_mb"] = round(dir_size(confdir / "xapiandb") / 1e6, 1)
    return run


def indexing(
    library: Path, articles: int, work: Path, reps: int, spacy_runs: int
) -> dict[str, Any]:
    """Recoll and ours without extraction alternated `reps` times (each fresh), then ours with spaCy."""
    runs: dict[str, list[dict[str, Any]]] = {"recoll": [], "ours": [], "ours_spacy": []}
    for rep in range(reps):
        for side in paired_order(rep, ["recoll", "ours"]):
            note(f"indexing {articles} .txt files: {side}, run {rep + 1}/{reps} ...")
            if side == "recoll":
                runs["recoll"].append(index_recoll(library, work / "recoll"))
            else:
                runs["ours"].append(index_ours(library, work / "ours", spacy=False))
    for rep in range(spacy_runs):
        note(f"indexing {articles} .txt files: ours with spaCy (2 processes), run {rep + 1} ...")
        runs["ours_spacy"].append(index_ours(library, work / "ours_spacy", spacy=True))
    for run in runs["ours"] + runs["ours_spacy"]:
        indexed = run["answer"]["articles"]
        if indexed != articles or run["answer"]["skipped"]:
            raise SystemExit(f"ours indexed {indexed} of {articles} .txt files: {run['answer']}")
    for run in runs["ours_spacy"]:
        if run["answer"]["messages"]:
            raise SystemExit(f"spaCy extraction did not run normally: {run['answer']['messages']}")

    def side(name: str) -> dict[str, Any]:
        done = runs[name]
        if not done:
            return {}
        return {
            "runs": len(done),
            "seconds": spread([r["seconds"] for r in done]),
            "cpu_s": spread([r["cpu_s"] for r in done]),
            "size_mb": spread([r["size_mb"] for r in done], 1),
            "peak_rss_sum_mb": spread([r["peak_rss_sum_mb"] for r in done], 1),
            "main_vmhwm_mb": spread([r["main_vmhwm_mb"] for r in done], 1),
            "children_vmhwm_mb": done[-1]["children_vmhwm_mb"][:6],
            "in_process_sync_s": [r["answer"]["sync_s"] for r in done if r["answer"]],
        }

    pairs = list(zip(runs["ours"], runs["recoll"], strict=True))
    return {
        "recoll": side("recoll"),
        "ours_no_extraction": side("ours"),
        "ours_spacy_2_processes": side("ours_spacy"),
        "time_ratio_no_extraction": spread(o["seconds"] / r["seconds"] for o, r in pairs),
        "cpu_ratio_no_extraction": spread(o["cpu_s"] / r["cpu_s"] for o, r in pairs),
        "size_ratio_no_extraction": spread(o["size_mb"] / r["size_mb"] for o, r in pairs),
        "memory_ratio_no_extraction": spread(
            o["peak_rss_sum_mb"] / r["peak_rss_sum_mb"] for o, r in pairs
        ),
        "time_ratio_spacy": spread(
            s["seconds"] / statistics.median(r["seconds"] for r in runs["recoll"])
            for s in runs["ours_spacy"]
        )
        if runs["ours_spacy"]
        else None,
    }


# In-process query latency, paired query by query


def queries_latency(
    data: Path, confdir: Path, mix: list[BenchQuery], warmup: list[BenchQuery], reps: int
) -> dict[str, Any]:
    """Our `ArticleIndex.search(limit=20, facets=True)` here and Recoll in its helper, alternated query by query."""
    from search.index import ArticleIndex

    index = ArticleIndex.open(data)
    helper = recoll.QueryHelper(confdir)
    try:
        asked = [(q, recoll.recoll_query(q)) for q in mix]
        pairs = [(q, text) for q, text in asked if text is not None]

        def ours(query: BenchQuery) -> tuple[float, int]:
            started = time.perf_counter()
            result = index.search(query.whoosh, limit=recoll.PAGE, facets=True)
            _ = [hit.snippet for hit in result.hits]
            seconds = time.perf_counter() - started
            if result.error:
                raise SystemExit(f"our engine cannot ask {query.whoosh!r}: {result.error}")
            return seconds, result.total

        for query in warmup:
            text = recoll.recoll_query(query)
            if text is not None:
                ours(query)
                helper.ask(text)
        per_rep: list[dict[str, list[float]]] = []
        totals: list[tuple[int, int]] = []
        for rep in range(reps):
            note(f"in-process queries: repetition {rep + 1}/{reps} ({len(pairs)} queries) ...")
            times: dict[str, list[float]] = {"ours": [], "recoll": []}
            for i, (query, text) in enumerate(pairs):
                for side in paired_order(i + rep, ["ours", "recoll"]):
                    if side == "ours":
                        seconds, ours_total = ours(query)
                    else:
                        answer = helper.ask(text)
                        seconds, recoll_total = answer["seconds"], answer["total"]
                    times[side].append(seconds * 1000)
                if rep == 0:
                    totals.append((ours_total, recoll_total))
            per_rep.append(times)
    finally:
        helper.close()
        index.close()

    def side(name: str, fraction: float) -> dict[str, float]:
        return spread((percentile(t[name], fraction) for t in per_rep), 3)

    def ratios(fraction: float) -> dict[str, float]:
        return spread(
            percentile(t["ours"], fraction) / percentile(t["recoll"], fraction) for t in per_rep
        )

    left_out: dict[str, int] = {}
    for query, text in asked:
        if text is None:
            left_out[query.kind] = left_out.get(query.kind, 0) + 1
    agree = sum((o == 0) == (r == 0) and abs(o - r) <= 0.2 * max(o, r, 1) for o, r in totals)
    return {
        "queries": len(pairs),
        "reps": reps,
        "ours_p50_ms": side("ours", 0.5),
        "ours_p95_ms": side("ours", 0.95),
        "recoll_p50_ms": side("recoll", 0.5),
        "recoll_p95_ms": side("recoll", 0.95),
        "ratio_p50": ratios(0.5),
        "ratio_p95": ratios(0.95),
        "left_out": {kind: f"{n} ({recoll.UNTRANSLATABLE[kind]})" for kind, n in left_out.items()},
        "totals_agree": round(agree / len(totals), 3),
    }


# CLI latency, call by call


def cli_latency(
    data: Path, confdir: Path, data_20k: Path | None, queries: list[str], reps: int
) -> dict[str, Any]:
    """`briefing search` (text and --json) and `recollq` on the same files, and `briefing search` at 20k, rotated call by call."""

    def briefing(data_dir: Path, query: str, *flags: str) -> list[str]:
        main = str(PROJECT_ROOT / "main.py")
        # Each call in its own process, as recollq is: a resident `briefing serve` is
        # bench_cli's subject.
        return [
            sys.executable,
            main,
            "--data-dir",
            str(data_dir),
            "search",
            query,
            "--no-server",
            *flags,
        ]

    limit = ("--limit", str(recoll.PAGE))
    commands: dict[str, Callable[[str], list[str]]] = {
        "briefing": lambda q: briefing(data, q, *limit),
        "briefing_json": lambda q: briefing(data, q, *limit, "--json"),
        "recollq": lambda q: recoll.query_command(confdir, q),
    }
    if data_20k is not None:
        big = data_20k
        commands["briefing_20k"] = lambda q: briefing(big, q, *limit)
    sides = list(commands)
    for name in sides:  # one untimed call each: .pyc files written, files in the OS cache
        subprocess.run(commands[name](queries[0]), capture_output=True, env=child_env())
    per_rep: list[dict[str, list[float]]] = []
    for rep in range(reps):
        note(f"CLI calls: repetition {rep + 1}/{reps} ({len(queries)} queries x {len(sides)}) ...")
        times: dict[str, list[float]] = {name: [] for name in sides}
        for i, query in enumerate(queries):
            for name in paired_order(i + rep, sides):
                started = time.perf_counter()
                done = subprocess.run(
                    commands[name](query), capture_output=True, cwd=PROJECT_ROOT, env=child_env()
                )
                times[name].append((time.perf_counter() - started) * 1000)
                if done.returncode != 0 or not done.stdout:
                    raise SystemExit(f"{name} {query!r} failed: {done.stderr.decode()[-2000:]}")
        per_rep.append(times)
    everything = {name: [ms for t in per_rep for ms in t[name]] for name in sides}
    figures: dict[str, Any] = {"calls_each": len(everything["recollq"])}
    for name in sides:
        figures[name] = {
            "p50_ms": round(percentile(everything[name], 0.5), 1),
            "p95_ms": round(percentile(everything[name], 0.95), 1),
            "p50_ms_per_rep": spread((percentile(t[name], 0.5) for t in per_rep), 1),
        }
    for name in ("briefing", "briefing_json"):
        figures[f"ratio_p50_{name}_vs_recollq"] = spread(
            percentile(t[name], 0.5) / percentile(t["recollq"], 0.5) for t in per_rep
        )
    figures["recollq_command"] = " ".join(recoll.query_command(Path("DIR"), "QUERY"))
    figures["briefing_command"] = "python main.py --data-dir D search QUERY --limit 20"
    return figures


def profiles(library: Path, work: Path, cli_data: Path, query: str) -> list[str]:
    """Where our time goes: cProfile of a no-extraction index run and of one `briefing search`, and
    `-X importtime` of that call; written under _work/ as text, their paths returned."""
    import pstats

    written = []
    runs = {
        "index": [
            "-m",
            "benchmarks.bench_recoll",
            "--variant",
            "ours",
            "--library",
            str(library),
            "--data",
            str(work / "profile_ours"),
        ],
        "cli": [str(PROJECT_ROOT / "main.py"), "--data-dir", str(cli_data), "search", query]
        + ["--limit", str(recoll.PAGE)],
    }
    for name, tail in runs.items():
        note(f"profiling: {name} ...")
        shutil.rmtree(work / "profile_ours", ignore_errors=True)
        raw = work / f"profile_{name}.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(raw), *tail]
        subprocess.run(command, cwd=PROJECT_ROOT, env=child_env(), capture_output=True, check=True)
        out = io.StringIO()
        stats = pstats.Stats(str(raw), stream=out).strip_dirs()
        out.write(f"# cProfile of {' '.join(tail[:4])} ..., by cumulative time\n")
        stats.sort_stats("cumulative").print_stats(45)
        out.write("\n# by own time\n")
        stats.sort_stats("tottime").print_stats(25)
        text = WORK_DIR / f"profile_recoll_{name}.txt"
        text.write_text(out.getvalue())
        written.append(str(text))
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *runs["cli"]],
        cwd=PROJECT_ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
    )
    rows = [line.split("|") for line in done.stderr.splitlines() if line.startswith("import time:")]
    timed = [(int(r[1]), int(r[0].split(":")[1]), r[2].rstrip()) for r in rows[1:]]
    lines = ["# -X importtime of one briefing search: cumulative us, own us, module"]
    lines += [f"{c:>9} {o:>9} {m}" for c, o, m in sorted(timed, reverse=True)[:40]]
    text = WORK_DIR / "importtime_recoll_cli.txt"
    text.write_text("\n".join(lines) + "\n")
    written.append(str(text))
    return written


def cli_queries(pairs: list[BenchQuery], count: int) -> list[str]:
    """`count` translatable queries spread over the mix (every kind shows up), for the CLI calls."""
    step = max(1, len(pairs) // count)
    return [q.whoosh for q in pairs[::step][:count]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=None, help="first N BBC articles")
    parser.add_argument("--quick", action="store_true", help="300 articles, fewer repetitions")
    parser.add_argument("--reps", type=int, default=5, help="query and CLI repetitions")
    parser.add_argument("--index-reps", type=int, default=3, help="alternated index runs")
    parser.add_argument("--spacy-runs", type=int, default=1, help="our index runs with spaCy")
    parser.add_argument("--queries", type=int, default=230, help="size of the query mix")
    parser.add_argument("--no-20k", action="store_true", help="skip the 20,000-article CLI calls")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile and importtime our side into _work/"
    )
    parser.add_argument("--variant", choices=["ours"], help=argparse.SUPPRESS)
    parser.add_argument("--library", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--spacy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.variant:
        print(json.dumps(run_ours(args.library, args.data, args.spacy)))
        return 0
    reason = recoll.missing()
    if reason:
        raise SystemExit(f"cannot measure Recoll: {reason}")
    if args.quick:
        args.articles, args.reps, args.index_reps, args.queries = 300, 2, 1, 60
        args.no_20k = True

    records = load_bbc(args.articles)
    library = recoll.txt_library(records, f"bbc:{args.articles}")
    vocabulary = load_bbc()
    mix = query_mix(vocabulary, size=args.queries, seed=7)
    warmup = query_mix(vocabulary, size=WARMUP_QUERIES, seed=8)
    data_20k = None if args.no_20k else cached_index(synthetic_library(20000))
    work = WORK_DIR / "recoll" / library.name
    work.mkdir(parents=True, exist_ok=True)

    index_figures = indexing(library, len(records), work, args.index_reps, args.spacy_runs)
    # The last runs' indexes (ours without extraction, Recoll) answer the queries.
    query_figures = queries_latency(work / "ours", work / "recoll", mix, warmup, args.reps)
    translatable = [q for q in mix if recoll.recoll_query(q) is not None]
    cli = cli_latency(
        work / "ours", work / "recoll", data_20k, cli_queries(translatable, CLI_QUERIES), args.reps
    )

    profiled = (
        profiles(library, work, data_20k or work / "ours", translatable[0].whoosh)
        if args.profile
        else []
    )
    index_ratio = index_figures["time_ratio_no_extraction"]["median"]
    spacy_run = index_figures["ours_spacy_2_processes"]
    memory = spacy_run["peak_rss_sum_mb"]["max"] if spacy_run else None
    goals = {
        "index_no_extraction_le_2x_recoll": index_ratio <= GOAL_INDEX_RATIO,
        "index_memory_2_processes_le_600mb": memory is not None and memory <= GOAL_MEMORY_MB,
    }
    emit(
        {
            "bench": "recoll",
            "articles": len(records),
            "recoll_version": recoll_version(),
            "index": index_figures,
            "query": query_figures,
            "cli": cli,
            "profiles": profiled,
            "goal": (
                f"index writing without extraction <= {GOAL_INDEX_RATIO}x Recoll; indexing peak "
                f"memory (all processes) <= {GOAL_MEMORY_MB:.0f} MB with 2 processes (the shell "
                "search's goal is bench_cli's)"
            ),
            "goals": goals,
            "goal_met": all(goals.values()),
        }
    )
    return 0


def recoll_version() -> str:
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "recoll"], capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def summary_rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(what, measured, baseline / ratio, goal) rows for RESULTS.md's table, as run_all.summary_rows gives."""
    n = figures["articles"]
    ix, q, cli = figures["index"], figures["query"], figures["cli"]
    ours, rec, spacy = ix["ours_no_extraction"], ix["recoll"], ix["ours_spacy_2_processes"]
    rows = [
        (
            f"index {n} .txt files without extraction, fresh process ({ours['runs']} runs alternated)",
            f"ours {spread_text(ours['seconds'], ' s')}, {ours['size_mb']['median']} MB on disk, "
            f"peak RSS {ours['peak_rss_sum_mb']['median']} MB",
            f"Recoll {spread_text(rec['seconds'], ' s')}, {rec['size_mb']['median']} MB, "
            f"peak RSS {rec['peak_rss_sum_mb']['median']} MB → time "
            f"{spread_text(ix['time_ratio_no_extraction'], '×')} (CPU "
            f"{spread_text(ix['cpu_ratio_no_extraction'], '×')}), size "
            f"{ix['size_ratio_no_extraction']['median']}×",
            f"≤ {GOAL_INDEX_RATIO:g}× Recoll",
        )
    ]
    if spacy:
        rows.append(
            (
                f"index {n} .txt files with spaCy extraction, 2 processes ({spacy['runs']} run)",
                f"ours {spread_text(spacy['seconds'], ' s')}, peak RSS of all processes "
                f"{spread_text(spacy['peak_rss_sum_mb'], ' MB')} (main {spacy['main_vmhwm_mb']['median']} MB)",
                f"Recoll (no extraction) {rec['seconds']['median']} s, "
                f"{rec['peak_rss_sum_mb']['median']} MB",
                f"≤ {GOAL_MEMORY_MB:.0f} MB",
            )
        )
    rows.append(
        (
            f"in-process query, {n} .txt files ({q['queries']} queries × {q['reps']}, "
            "page of 20 + snippets; ours + facets)",
            f"ours p50 {spread_text(q['ours_p50_ms'], ' ms')}, p95 {spread_text(q['ours_p95_ms'], ' ms')}",
            f"Recoll p50 {q['recoll_p50_ms']['median']} ms, p95 {q['recoll_p95_ms']['median']} ms → "
            f"p50 {spread_text(q['ratio_p50'], '×')}, p95 {spread_text(q['ratio_p95'], '×')}",
            "",
        )
    )
    b = cli["briefing"]
    rows.append(
        (
            f"`briefing search` per call, {n} articles ({cli['calls_each']} calls, rotated)",
            f"p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms; --json p50 {cli['briefing_json']['p50_ms']} ms",
            f"recollq p50 {cli['recollq']['p50_ms']} ms → "
            f"{spread_text(cli['ratio_p50_briefing_vs_recollq'], '×')}",
            "",
        )
    )
    if "briefing_20k" in cli:
        big = cli["briefing_20k"]
        rows.append(
            (
                "`briefing search --no-server` per call, 20,000 articles (the goal, with "
                "`briefing serve`: the shell row)",
                f"p50 {spread_text(big['p50_ms_per_rep'], ' ms')}, p95 {big['p95_ms']} ms",
                "",
                "",
            )
        )
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
