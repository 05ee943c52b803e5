"""`briefing search` from the shell: one call's wall time on the 20,000-article index, beside a bare interpreter.

Usage: python -m benchmarks.bench_cli [--quick] [--articles N] [--calls N] [--data-dir D] [--compare DIR]
Prints one JSON line. Goal: a search call (plain and --json) <= 100 ms at p50, with `briefing serve`
running for the library (as a user who searches from the shell keeps it); the same calls searching
in their own process (`--no-server`) are measured beside them.

Each call is a fresh `python main.py --data-dir D search Q` (three queries in turn, plain and
--json, answered by the server or with --no-server in the call's own process), alternated call by
call with `python -c pass` (the interpreter alone) and `python -c "import whoosh.index"` (the
search library's floor), the order rotating each round so none always runs first on a busy
machine. `--compare DIR` adds DIR/main.py (another checkout, e.g. the commit before a change) to
each round, so a before/after ratio is paired.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.common import cached_index, emit, latency_summary, note
from benchmarks.corpus import PROJECT_ROOT, bbc_library, synthetic_library
from search import serve

GOAL_MS = 100
# Common, middling and two-word: each finds many articles, so hits, snippets and (--json)
# facets have their usual work.
QUERIES = ("government", "election campaign", "oil")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # As for an installed app, bytecode is cached after the first call; without this every call
    # recompiled the project's modules.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _commands(data: Path, query: str, compare: Path | None) -> dict[str, list[str]]:
    """The variants of one round, by name: each a command line run in a fresh interpreter."""
    python = sys.executable
    search = ["--data-dir", str(data), "search", query]
    main_py = str(PROJECT_ROOT / "main.py")
    commands = {
        "served": [python, main_py, *search],
        "served_json": [python, main_py, *search, "--json"],
        "search": [python, main_py, *search, "--no-server"],
        "search_json": [python, main_py, *search, "--json", "--no-server"],
        "python": [python, "-c", "pass"],
        "import_whoosh": [python, "-c", "import whoosh.index"],
    }
    if compare is not None:
        # Another checkout may not know --no-server; its calls are answered as it answers them.
        commands["compare_search"] = [python, str(compare / "main.py"), *search]
        commands["compare_search_json"] = [python, str(compare / "main.py"), *search, "--json"]
    return commands


@contextmanager
def search_server(data: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """`briefing serve` on `data` while the calls run; checked to answer before the first one."""
    process = subprocess.Popen(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "--data-dir", str(data), "serve"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        if not process.stdout.readline().startswith("Answering searches"):
            raise SystemExit(f"briefing serve did not start:\n{process.communicate()[1][-2000:]}")
        if serve.ask(data, {"query": QUERIES[0]}) is None:
            raise SystemExit("briefing serve started but does not answer")
        yield process
    finally:
        process.terminate()
        process.wait(30)


def _time(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to exit of one call; a failing search stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or ("search" in command and not done.stdout.strip()):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--calls", type=int, default=24, help="calls of each variant (>= 20)")
    parser.add_argument("--quick", action="store_true", help="300 articles, 4 calls")
    parser.add_argument("--data-dir", type=Path, help="search this data directory instead")
    parser.add_argument(
        "--compare", type=Path, help="another checkout whose main.py runs beside, alternated"
    )
    args = parser.parse_args(argv)
    articles, calls = (300, 4) if args.quick else (args.articles, args.calls)
    if args.data_dir is not None:
        data = args.data_dir
    else:
        data = cached_index(
            bbc_library(articles) if articles <= 2225 else synthetic_library(articles)
        )
    env = _env()
    names = list(_commands(data, QUERIES[0], args.compare))
    times: dict[str, list[float]] = {name: [] for name in names}
    with search_server(data, env) as server:
        # One untimed round: the first call writes the bytecode caches and warms the page cache.
        for command in _commands(data, QUERIES[0], args.compare).values():
            _time(command, env)
        for i in range(calls):
            if i % 5 == 0:
                note(f"cli calls {i + 1}/{calls} ...")
            commands = _commands(data, QUERIES[i % len(QUERIES)], args.compare)
            shift = i % len(names)
            for name in names[shift:] + names[:shift]:
                times[name].append(_time(commands[name], env))
        if server.poll() is not None:
            raise SystemExit("briefing serve stopped during the calls: the served figures are void")
    figures = {name: latency_summary(values) for name, values in times.items()}
    search_p50 = figures["served"]["p50_ms"]
    json_p50 = figures["served_json"]["p50_ms"]
    result: dict[str, object] = {
        "bench": "cli",
        "data_dir": str(data),
        "calls": calls,
        "queries": list(QUERIES),
        **figures,
        "served_over_python_ms": round(search_p50 - figures["python"]["p50_ms"], 1),
        "search_over_python_ms": round(
            figures["search"]["p50_ms"] - figures["python"]["p50_ms"], 1
        ),
        "search_over_import_whoosh_ms": round(
            figures["search"]["p50_ms"] - figures["import_whoosh"]["p50_ms"], 1
        ),
    }
    if args.compare is not None:
        for kind in ("search", "search_json"):
            ratios = [a / b for a, b in zip(times[kind], times[f"compare_{kind}"], strict=True)]
            result[f"{kind}_vs_compare"] = {
                "median": round(statistics.median(ratios), 2),
                "min": round(min(ratios), 2),
                "max": round(max(ratios), 2),
            }
    result["goal"] = f"search and search --json p50 <= {GOAL_MS} ms with `briefing serve` running"
    result["goal_met"] = search_p50 <= GOAL_MS and json_p50 <= GOAL_MS
    emit(result)
    return 0


def summary_rows(figures: dict[str, Any]) -> list[tuple[str, ...]]:
    """RESULTS.md's rows: the calls a server answers (the goal's), and the same calls without one."""
    python, whoosh = figures["python"]["p50_ms"], figures["import_whoosh"]["p50_ms"]

    def measured(plain: dict[str, float], as_json: dict[str, float]) -> str:
        return (
            f"plain p50 {plain['p50_ms']} ms, p95 {plain['p95_ms']} ms; "
            f"--json p50 {as_json['p50_ms']} ms, p95 {as_json['p95_ms']} ms"
        )

    return [
        (
            f"`briefing search` from the shell with `briefing serve` running, {figures['calls']} "
            "calls each",
            measured(figures["served"], figures["served_json"]),
            f"python -c pass p50 {python} ms",
            f"p50 ≤ {GOAL_MS} ms",
            "yes" if figures["goal_met"] else "no",
        ),
        (
            f"`briefing search --no-server` (its own process), {figures['calls']} calls each",
            measured(figures["search"], figures["search_json"]),
            f"import whoosh.index p50 {whoosh} ms",
            "",
        ),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
