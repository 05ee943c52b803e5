"""Briefing cards to PDF: 100 cards (the 25 indexed seeds, four times over) at A6 and 3×5 in.

Usage: python -m benchmarks.bench_cards [--cards N]
Prints one JSON line. Goal: 100 cards in under 5 s (layout, fitting and the PDF write included).
Indexing the seeds first is set-up, not timed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import emit, note
from benchmarks.corpus import PROJECT_ROOT

GOAL_S = 5.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from search.index import ArticleIndex
    from ui.printing import render_cards

    _app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="bench-cards-") as work:
        data = Path(work) / "data"
        note("indexing the seeds (not timed)…")
        subprocess.run(
            [sys.executable, str(PROJECT_ROOT / "main.py"), "--data-dir", str(data), "index"],
            check=True,
            capture_output=True,
        )
        index = ArticleIndex.open(data)
        seeds = [s for s in (index.get(i) for i in index.ids()) if s is not None]
        index.close()
        articles = [seeds[i % len(seeds)] for i in range(args.cards)]
        figures: dict[str, object] = {"bench": "cards", "cards": len(articles)}
        for size in ("a6", "3x5"):
            out = Path(work) / f"cards-{size}.pdf"
            started = time.perf_counter()
            report = render_cards(articles, out, size)
            seconds = time.perf_counter() - started
            figures[f"seconds_{size}"] = round(seconds, 3)
            figures[f"pages_{size}"] = report.pages
            figures[f"fitted_{size}"] = sum(fit.fits for fit in report.fits)
            figures[f"pdf_kb_{size}"] = round(out.stat().st_size / 1024, 1)
        figures["seconds"] = max(figures["seconds_a6"], figures["seconds_3x5"])  # type: ignore[type-var]
        figures["goal_s"] = GOAL_S
        figures["meets_goal"] = figures["seconds"] < GOAL_S  # type: ignore[operator]
        emit(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
