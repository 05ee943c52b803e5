"""What the benchmark scripts share: one-JSON-line output, percentiles, and the cached Whoosh index of a library."""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.corpus import PROJECT_ROOT, WORK_DIR, Library
from search.models import Actor, Extraction, Place, Span


def emit(figures: dict[str, Any]) -> None:
    """Print a benchmark's figures as ONE JSON line on stdout (run_all.py and commit-to-commit diffs read it)."""
    print(json.dumps(figures, sort_keys=False), flush=True)


def note(message: str) -> None:
    """Progress for the person watching; stderr, so stdout stays one JSON line."""
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def latency_summary(seconds: list[float]) -> dict[str, float]:
    """p50/p95/max/mean of a list of durations, in milliseconds, rounded for reading."""
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 0.50), 3),
        "p95_ms": round(percentile(ms, 0.95), 3),
        "max_ms": round(max(ms), 3),
        "mean_ms": round(sum(ms) / len(ms), 3),
    }


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator > 0 else None


def engine_fingerprint() -> str:
    """A hash of the engine's source files that decide what an index holds, so a changed engine rebuilds cached indexes."""
    digest = hashlib.sha256()
    for path in sorted((PROJECT_ROOT / "search").glob("*.py")):
        if path.name in {"query.py", "cli.py", "card.py", "serve.py"}:
            continue  # these read an index but do not shape it
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def dir_size(path: Path) -> int:
    """Total bytes of the files under `path`."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cached_index(library: Library) -> Path:
    """A data directory holding the Whoosh index of `library`, built without spaCy, cached under _work/.

    Keyed by the library's content hash and the engine's fingerprint, so reruns reuse it and a
    changed engine or corpus rebuilds it. Query and start-up benchmarks measure search, not spaCy;
    `cheap_extractor` still fills actors and places so facet counting costs what it would.
    """
    from search.index import ArticleIndex

    data = WORK_DIR / "indexes" / f"{library.name}-{library.key}-{engine_fingerprint()}"
    done = data.with_name(data.name + ".done")
    if not done.exists():
        shutil.rmtree(data, ignore_errors=True)
        note(f"building the Whoosh index of {library.name} (no extraction) in {data} ...")
        started = time.perf_counter()
        report = ArticleIndex.open(data).sync([str(library.root)], extractor=cheap_extractor)
        if report.skipped:
            raise SystemExit(f"{len(report.skipped)} benchmark files skipped: {report.skipped[:3]}")
        done.write_text(f"{time.perf_counter() - started:.1f}\n")
        for stale in data.parent.glob(f"{library.name}-*"):
            if stale.name.startswith(data.name):
                continue
            # Built from an older corpus or engine: it will never be used again.
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()
    return data


def index_build_seconds(data: Path) -> float:
    """How long the cached index at `data` took to build (recorded when it was built)."""
    return float(data.with_name(data.name + ".done").read_text())


# Two or three capitalised words in a row ("Gordon Brown", "Bank of England" is missed — fine here).
_NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}\b")
# A capitalised word after "in"/"to"/"from" is most often a place in news text ("in London").
_PLACE = re.compile(r"\b(?:in|to|from) ([A-Z][a-z]{2,})\b")


def cheap_extractor(texts: list[str]) -> list[Extraction]:
    """A regex stand-in for spaCy: up to 10 name-like actors and 6 place-like words per text, with mentions.

    Not accurate, but it gives facets a realistic number of distinct values per article, fast.
    """
    extractions = []
    for text in texts:
        names: dict[str, list[Span]] = {}
        for m in _NAME.finditer(text):
            names.setdefault(m.group(0), []).append(Span(m.start(), m.end()))
        places: dict[str, list[Span]] = {}
        for m in _PLACE.finditer(text):
            places.setdefault(m.group(1), []).append(Span(m.start(1), m.end(1)))
        top_names = Counter({n: len(s) for n, s in names.items()}).most_common(10)
        top_places = Counter({n: len(s) for n, s in places.items()}).most_common(6)
        extractions.append(
            Extraction(
                actors=[Actor(n, "person", None, names[n]) for n, _ in top_names],
                places=[Place(n, None, places[n]) for n, _ in top_places],
            )
        )
    return extractions
