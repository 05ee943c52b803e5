"""Indexing with extraction of the BBC articles: the engine beside the model's own limit, paired run by run.

Usage: python -m benchmarks.bench_index [--quick] [--articles N] [--reps N] [--naive]
Prints one JSON line. Goals: the engine's sync >= 0.9x the NER-only limit with 1 and with 2
processes (median ratio); peak memory of all processes <= 600 MB with 2 processes; a re-sync
with nothing changed in well under a second.

The limit is what the model alone can do on the same texts: the bodies the engine's reader gives,
`spacy.load` with everything but `ner` excluded (as the engine loads it), `nlp.pipe(batch_size=64,
n_process=1 or 2)`, nothing written. The engine is `ArticleIndex.sync` into an empty data folder:
reading, extraction (model and rules), writing and committing the index. Every run is a fresh
interpreter timed from its first line (imports and model loading count on both sides), and the
runs alternate (limit, engine, then engine, limit the next repetition) so a load on the shared
machine that comes and goes slows both alike; the ratio of each pair is limit seconds / engine
seconds, reported as the median and range over the repetitions. Memory and CPU seconds are
sampled from /proc (benchmarks/procmem.py) over each run's whole process tree; limit CPU seconds
/ engine CPU seconds is the work ratio, which a busy machine moves less than the wall-time ratio. `--naive` adds, once, the old
full-pipeline baseline (tagger, parser, lemmatizer and NER, one Whoosh segment) as a note.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import emit, note, ratio
from benchmarks.corpus import PROJECT_ROOT, bbc_library
from benchmarks.procmem import run_sampled

STARTED = time.perf_counter()  # a variant's clock starts with the interpreter's first import here

GOAL_RATIO = 0.9
GOAL_MEMORY_MB = 600
GOAL_RESYNC_S = 0.5
LIMIT_BATCH_SIZE = 64
FULL_BBC = 2225


def _bodies(library_root: Path) -> list[str]:
    """The texts the engine extracts: each file's articles as the engine's reader gives them."""
    from search.read import read_file

    return [
        article.body
        for path in sorted(library_root.rglob("*.md"))
        for article in read_file(path).articles
    ]


def run_limit(library_root: Path, processes: int) -> dict[str, Any]:
    """The model's limit: NER-only `nlp.pipe` over the same bodies, nothing else."""
    import spacy

    from search.extract.pipeline import EXCLUDED_COMPONENTS, MODEL_NAME

    bodies = _bodies(library_root)
    nlp = spacy.load(MODEL_NAME, exclude=EXCLUDED_COMPONENTS)
    entities = 0
    for doc in nlp.pipe(bodies, batch_size=LIMIT_BATCH_SIZE, n_process=processes):
        entities += len(doc.ents)
    return {"articles": len(bodies), "entities": entities, "seconds": time.perf_counter() - STARTED}


def run_naive(library_root: Path, work: Path) -> dict[str, Any]:
    """The first thing one writes: spaCy's full pipeline over the bodies, one Whoosh segment."""
    import spacy
    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    from search.extract.pipeline import MODEL_NAME

    bodies = _bodies(library_root)
    nlp = spacy.load(MODEL_NAME)
    schema = fields.Schema(
        body=fields.TEXT(analyzer=StemmingAnalyzer(), stored=True),
        actor=fields.KEYWORD(stored=True, commas=True),
        place=fields.KEYWORD(stored=True, commas=True),
    )
    writer = index.create_in(str(work), schema).writer()
    for body, doc in zip(bodies, nlp.pipe(bodies), strict=True):
        writer.add_document(
            body=body,
            actor=",".join({e.text for e in doc.ents if e.label_ in ("PERSON", "ORG")}),
            place=",".join({e.text for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")}),
        )
    writer.commit()
    return {"articles": len(bodies), "seconds": time.perf_counter() - STARTED}


def run_engine(library_root: Path, data: Path, processes: int) -> dict[str, Any]:
    """The engine's own sync, spaCy extraction included, into an empty data directory."""
    from search.index import ArticleIndex

    report = ArticleIndex.open(data).sync([str(library_root)], processes=processes)
    return {
        "articles": len(report.added),
        "skipped": len(report.skipped),
        "messages": report.messages,
        "seconds": time.perf_counter() - STARTED,
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
    """Run one variant in a fresh interpreter; its JSON answer with its process tree's memory."""
    command = [sys.executable, "-m", "benchmarks.bench_index", "--variant", name, *args]
    code, out, err, memory = run_sampled(command, PROJECT_ROOT)
    if code != 0:
        raise SystemExit(f"variant {name} failed:\n{err[-3000:]}")
    answer: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    answer["memory"] = memory.as_dict()
    note(
        f"  {name}: {answer['seconds']:.1f} s ({answer['memory']['cpu_s']} CPU s), "
        f"{answer['memory']['rss_sum_peak_mb']} MB RSS ({answer['memory']['pss_sum_peak_mb']} MB "
        f"PSS) over {answer['memory']['processes']} processes, VmHWM main "
        f"{answer['memory']['main_hwm_mb']} MB, children {answer['memory']['children_hwm_mb']}"
    )
    return answer


def _spread(values: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "runs": [round(x, 3) for x in values],
    }


def _summary(runs: list[dict[str, Any]], articles: int, words: int) -> dict[str, Any]:
    seconds = statistics.median(r["seconds"] for r in runs)
    return {
        "seconds_median": round(seconds, 2),
        "seconds": [round(r["seconds"], 2) for r in runs],
        "articles_per_s": round(articles / seconds, 1),
        "words_per_s": round(words / seconds),
        "cpu_s_median": round(statistics.median(r["memory"]["cpu_s"] for r in runs), 2),
        "rss_sum_peak_mb": max(r["memory"]["rss_sum_peak_mb"] for r in runs),
        "pss_sum_peak_mb": max(r["memory"]["pss_sum_peak_mb"] for r in runs),
        "main_hwm_mb": max(r["memory"]["main_hwm_mb"] or 0 for r in runs),
        "children_hwm_mb": max((r["memory"]["children_hwm_mb"] for r in runs), key=sum),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=None, help="first N BBC articles")
    parser.add_argument("--quick", action="store_true", help="300 articles, 3 repetitions")
    parser.add_argument("--reps", type=int, help="pairs per process count (3 at 2,225, else 5)")
    parser.add_argument("--naive", action="store_true", help="also the full-pipeline note, once")
    parser.add_argument(
        "--variant",
        choices=["limit1", "limit2", "engine1", "engine2", "naive", "resync"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--library", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.variant:
        runs = {
            "limit1": lambda: run_limit(args.library, 1),
            "limit2": lambda: run_limit(args.library, 2),
            "engine1": lambda: run_engine(args.library, args.work, 1),
            "engine2": lambda: run_engine(args.library, args.work, 2),
            "naive": lambda: run_naive(args.library, args.work),
            "resync": lambda: run_resync(args.library, args.work),
        }
        print(json.dumps(runs[args.variant]()))
        return 0

    lib = bbc_library(300 if args.quick else args.articles)
    count, words, root = len(lib.records), lib.words, str(lib.root)
    reps = args.reps or (3 if args.quick or count >= FULL_BBC else 5)
    runs: dict[str, list[dict[str, Any]]] = {
        k: [] for k in ("limit1", "engine1", "limit2", "engine2")
    }
    pair_ratios: dict[int, list[float]] = {1: [], 2: []}
    cpu_ratios: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        last_engine2 = ""
        for rep in range(reps):
            for processes in (1, 2):
                note(f"repetition {rep + 1} of {reps}, {processes} process(es), {count} articles")
                pair = [f"limit{processes}", f"engine{processes}"]
                if (rep + processes) % 2:
                    pair.reverse()
                for name in pair:
                    work = Path(tmp) / f"{name}-{rep}"
                    work.mkdir()
                    runs[name].append(variant(name, "--library", root, "--work", str(work)))
                    if name == "engine2":
                        last_engine2 = str(work)
                limit, engine = runs[f"limit{processes}"][-1], runs[f"engine{processes}"][-1]
                pair_ratios[processes].append(limit["seconds"] / engine["seconds"])
                cpu_ratios[processes].append(limit["memory"]["cpu_s"] / engine["memory"]["cpu_s"])
        resync = variant("resync", "--library", root, "--work", last_engine2)
        naive = None
        if args.naive:
            (Path(tmp) / "naive").mkdir()
            naive = variant("naive", "--library", root, "--work", str(Path(tmp) / "naive"))
    for name, done in runs.items():
        for figures in done:
            if figures["articles"] != count:
                raise SystemExit(f"{name} indexed {figures['articles']} of {count} articles")
            if figures.get("messages"):
                # e.g. the model could not load: the run skipped extraction and its speed means nothing.
                raise SystemExit(f"{name} did not extract normally: {figures['messages']}")
    ratios = {p: _spread(r) for p, r in pair_ratios.items()}
    summaries = {name: _summary(done, count, words) for name, done in runs.items()}
    resync_ok = resync["changed"] == 0 and resync["unchanged"] == count
    memory_2 = summaries["engine2"]["rss_sum_peak_mb"]
    figures: dict[str, Any] = {
        "bench": "index",
        "articles": count,
        "words": words,
        "reps": reps,
        "limit_batch_size": LIMIT_BATCH_SIZE,
        "limit_1_process": summaries["limit1"],
        "engine_1_process": summaries["engine1"],
        "ratio_1_process": ratios[1],
        "cpu_ratio_1_process": _spread(cpu_ratios[1]),
        "limit_2_processes": summaries["limit2"],
        "engine_2_processes": summaries["engine2"],
        "ratio_2_processes": ratios[2],
        "cpu_ratio_2_processes": _spread(cpu_ratios[2]),
        "resync_unchanged_s": round(resync["seconds"], 3),
        "resync_open_s": round(resync["open_s"], 3),
        "resync_unchanged_files": resync["unchanged"],
        "resync_changed_files": resync["changed"],
    }
    if naive is not None:
        figures["naive_note"] = {
            "seconds": round(naive["seconds"], 2),
            "articles_per_s": round(count / naive["seconds"], 1),
            "rss_sum_peak_mb": naive["memory"]["rss_sum_peak_mb"],
            "engine_1_process_speedup": ratio(
                naive["seconds"], summaries["engine1"]["seconds_median"]
            ),
        }
    figures["goal"] = (
        f"engine >= {GOAL_RATIO}x the NER-only limit with 1 and 2 processes (median of paired runs); "
        f"peak memory, all processes, 2 processes <= {GOAL_MEMORY_MB} MB; "
        f"unchanged re-sync < {GOAL_RESYNC_S} s"
    )
    figures["goal_met"] = (
        ratios[1]["median"] >= GOAL_RATIO
        and ratios[2]["median"] >= GOAL_RATIO
        and memory_2 <= GOAL_MEMORY_MB
        and resync_ok
        and resync["seconds"] < GOAL_RESYNC_S
    )
    emit(figures)
    return 0


def summary_rows(figures: dict[str, Any]) -> list[tuple[str, ...]]:
    """RESULTS.md rows (what, measured, baseline and ratio, goal, met) for run_all."""
    rows = []
    for processes, key in ((1, "1_process"), (2, "2_processes")):
        engine, limit, r = (
            figures[f"engine_{key}"],
            figures[f"limit_{key}"],
            figures[f"ratio_{key}"],
        )
        rows.append(
            (
                f"indexing with extraction, {figures['articles']} BBC articles, {processes} "
                f"process{'es' if processes > 1 else ''} ({figures['reps']} paired runs)",
                f"{engine['articles_per_s']} art/s ({engine['words_per_s']} words/s); peak "
                f"{engine['rss_sum_peak_mb']} MB RSS, {engine['pss_sum_peak_mb']} MB PSS, all processes",
                f"NER-only nlp.pipe {limit['articles_per_s']} art/s, {limit['rss_sum_peak_mb']} MB → "
                f"{r['median']}× ({r['min']}–{r['max']}); CPU seconds "
                f"{figures[f'cpu_ratio_{key}']['median']}×",
                f"≥ {GOAL_RATIO}× the NER-only limit"
                + (f"; ≤ {GOAL_MEMORY_MB} MB" if processes == 2 else ""),
                met(
                    r["median"] >= GOAL_RATIO
                    and (processes == 1 or engine["rss_sum_peak_mb"] <= GOAL_MEMORY_MB)
                ),
            )
        )
    rows.append(
        (
            "re-sync, nothing changed",
            f"{figures['resync_unchanged_s']} s for {figures['resync_unchanged_files']} unchanged files",
            "",
            "well under 1 s",
            met(
                figures["resync_changed_files"] == 0
                and figures["resync_unchanged_s"] < GOAL_RESYNC_S
            ),
        )
    )
    if "naive_note" in figures:
        n = figures["naive_note"]
        rows.append(
            (
                "note: full spaCy pipeline + one Whoosh segment (one run)",
                f"{n['articles_per_s']} art/s",
                f"engine, 1 process: {n['engine_1_process_speedup']}×",
                "",
            )
        )
    return rows


def met(done: bool) -> str:
    return "yes" if done else "**no**"


if __name__ == "__main__":
    raise SystemExit(main())
