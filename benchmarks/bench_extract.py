"""Extraction speed: `extract_texts` (model + rules) beside the bare NER-only `nlp.pipe` on the same BBC bodies.

Usage: python -m benchmarks.bench_extract [--quick] [--texts N] [--reps N]
Prints one JSON line. Goal: extraction words/s >= 0.9x raw spaCy words/s (median over the runs).

Both run in this one process on the same texts, interleaved block by block (25 texts of raw, then
the same 25 extracted, then the next block the other way round), so a busy shared machine slows
both alike; each repetition's ratio is its summed raw time over its summed extraction time.
The raw side is spaCy as a careless caller would run it: `nlp.pipe(texts, batch_size=64)`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from benchmarks.common import emit, note
from benchmarks.corpus import load_bbc

GOAL_RATIO = 0.9
RAW_BATCH_SIZE = 64
BLOCK_TEXTS = 25


def _timed(run: Callable[[list[str]], None], block: list[str]) -> float:
    started = time.perf_counter()
    run(block)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60 texts, 3 runs")
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    count = 60 if args.quick else args.texts
    reps = 3 if args.quick else max(3, args.reps)
    from search.extract.pipeline import extract_texts, load_model, model_info

    texts = [record.body for record in load_bbc(count)]
    words = sum(len(text.split()) for text in texts)
    nlp = load_model()
    note(f"warming up (model, gazetteer, language detector) on {count} texts…")
    list(extract_texts(texts[:60]))

    blocks = [texts[i : i + BLOCK_TEXTS] for i in range(0, len(texts), BLOCK_TEXTS)]

    def raw(block: list[str]) -> None:
        for _ in nlp.pipe(block, batch_size=RAW_BATCH_SIZE):
            pass

    def extract(block: list[str]) -> None:
        for _ in extract_texts(block):
            pass

    runs = []
    for rep in range(reps):
        seconds = {"raw": 0.0, "extract": 0.0}
        for i, block in enumerate(blocks):
            # Block by block, in turn (ABBA): a load that comes and goes slows both alike.
            order = (raw, extract) if (rep + i) % 2 == 0 else (extract, raw)
            for step in order:
                seconds[step.__name__] += _timed(step, block)
        ratio = seconds["raw"] / seconds["extract"]
        note(
            f"rep {rep + 1}: raw {seconds['raw']:.1f} s, extract {seconds['extract']:.1f} s, {ratio:.2f}x"
        )
        runs.append(
            {
                "raw_words_per_s": round(words / seconds["raw"]),
                "extract_words_per_s": round(words / seconds["extract"]),
                "ratio": round(ratio, 3),
            }
        )
    ratios = [r["ratio"] for r in runs]
    median = statistics.median(ratios)
    emit(
        {
            "bench": "extract",
            "texts": count,
            "words": words,
            "reps": reps,
            "model": model_info(),
            "raw_batch_size": RAW_BATCH_SIZE,
            "runs": runs,
            "ratio_median": round(median, 3),
            "ratio_min": min(ratios),
            "ratio_max": max(ratios),
            "goal": f"extract_texts words/s >= {GOAL_RATIO}x raw NER-only nlp.pipe (median)",
            "goal_met": median >= GOAL_RATIO,
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
