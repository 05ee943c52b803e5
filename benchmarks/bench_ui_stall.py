"""UI responsiveness while indexing: a 10 ms heartbeat in the real window's GUI thread while 2,000 articles index.

Usage: python -m benchmarks.bench_ui_stall [--quick] [--articles N] [--no-typing]
Prints one JSON line. Goal: the longest stall (largest gap between heartbeats beyond the
interval) < 100 ms.

The window indexes its library the way it does for a user (MainWindow.start → IndexRunner's
process, spaCy included); meanwhile, unless --no-typing, a query is typed into the search box one
key every TYPING_MS, so search-as-you-type runs against the index as it grows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import emit, note, percentile
from benchmarks.corpus import bbc_library

HEARTBEAT_MS = 10
TYPING_MS = 120
GOAL_STALL_MS = 100
TIMEOUT_S = 1800
TYPED_QUERIES = ["election", "oil prices", "chelsea AND arsenal", "mobile phone*", "title:music"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="100 articles")
    parser.add_argument("--no-typing", action="store_true", help="heartbeat only")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    lib = bbc_library(100 if args.quick else args.articles)

    with tempfile.TemporaryDirectory() as tmp:
        # Settings and logs go to the temporary home, never the user's.
        os.environ["BRIEFING_HOME"] = str(Path(tmp) / "home")
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from search.library import add_to_library
        from ui.main_window import MainWindow

        app = QApplication.instance() or QApplication(sys.argv)
        data_dir = Path(tmp) / "data"
        add_to_library(data_dir, [lib.root])
        window = MainWindow(data_dir)
        window.show()

        started = time.perf_counter()
        gaps: list[float] = []
        last = [started]
        outcome: dict[str, object] = {}
        phase = ["starting"]
        # What was going on around each long gap, so a stall can be traced to its cause.
        long_gaps: list[tuple[float, float, str, str]] = []  # gap ms, at s, indexing phase, query

        def beat() -> None:
            now = time.perf_counter()
            gap = now - last[0]
            gaps.append(gap)
            last[0] = now
            if gap * 1000 - HEARTBEAT_MS > 50:
                long_gaps.append((gap * 1000, now - started, phase[0], window.search_box.text()))

        def on_progress(progress: object) -> None:
            phase[0] = f"{getattr(progress, 'phase', '?')} {getattr(progress, 'done', '?')}"

        typed = " ".join(TYPED_QUERIES) + " "
        position = [0]

        def type_key() -> None:
            char = typed[position[0] % len(typed)]
            position[0] += 1
            box = window.search_box
            if char == " " and box.text() in TYPED_QUERIES:
                box.clear()  # the next query starts fresh, as a user would select-all and retype
            else:
                box.insert(char)

        def finished(report: object) -> None:
            outcome["report"] = report
            app.quit()

        def failed(message: str) -> None:
            outcome["failed"] = message
            app.quit()

        window.indexing.runner.progress.connect(on_progress)
        window.indexing.runner.finished.connect(finished)
        window.indexing.runner.failed.connect(failed)
        heartbeat = QTimer()
        heartbeat.setInterval(HEARTBEAT_MS)
        heartbeat.timeout.connect(beat)
        typing = QTimer()
        typing.setInterval(TYPING_MS)
        typing.timeout.connect(type_key)
        QTimer.singleShot(TIMEOUT_S * 1000, app.quit)

        def begin() -> None:
            window.start()  # opens the index and starts syncing the library in the background
            last[0] = time.perf_counter()
            heartbeat.start()
            if not args.no_typing:
                typing.start()

        QTimer.singleShot(0, begin)
        app.exec()
        elapsed = time.perf_counter() - started
        heartbeat.stop()
        typing.stop()
        window.close()

    if "failed" in outcome:
        raise SystemExit(f"indexing failed: {outcome['failed']}")
    report = outcome.get("report")
    if report is None:
        raise SystemExit(f"indexing did not finish within {TIMEOUT_S} s")
    added = len(getattr(report, "added", []))
    gaps_ms = [g * 1000 for g in gaps]
    longest_stall = max(gaps_ms) - HEARTBEAT_MS
    note(f"indexed {added} articles in {elapsed:.1f} s; {len(gaps)} heartbeats")
    emit(
        {
            "bench": "ui_stall",
            "articles": len(lib.records),
            "indexed": added,
            "index_s": round(elapsed, 1),
            "typing": not args.no_typing,
            "heartbeat_ms": HEARTBEAT_MS,
            "heartbeats": len(gaps),
            "gap_p50_ms": round(percentile(gaps_ms, 0.50), 1),
            "gap_p99_ms": round(percentile(gaps_ms, 0.99), 1),
            "gap_max_ms": round(max(gaps_ms), 1),
            "longest_stall_ms": round(longest_stall, 1),
            "stalls_over_50ms": len(long_gaps),
            "worst": [
                {"gap_ms": round(gap, 1), "at_s": round(at, 2), "indexing": phase, "query": query}
                for gap, at, phase, query in sorted(long_gaps, reverse=True)[:3]
            ],
            "goal": f"longest stall < {GOAL_STALL_MS} ms",
            "goal_met": added == len(lib.records) and longest_stall < GOAL_STALL_MS,
        }
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
