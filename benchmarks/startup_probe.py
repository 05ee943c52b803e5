"""One start-up launch: run the app (or a bare PySide6 window) and record when its window is ready for keys.

Usage: python -m benchmarks.startup_probe {app,bare} READY_FILE [DATA_DIR]
It hooks QApplication.exec so the first turn of the event loop — the window is shown and keys
would be delivered — records the time, the peak RSS and whether spaCy is loaded; it records them
again after SETTLE_MS (to catch work deferred past the first show), writes READY_FILE and quits.
Only the standard library is imported before the app, so both kinds pay the same fixed costs.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

SETTLE_MS = 1500
# Set: the probe exits at the first turn, for a count of the instructions run to get there.
EXIT_AT_READY = "BRIEFING_PROBE_EXIT_AT_READY"


def _peak_rss_mb() -> float:
    """This process's peak resident set size. Linux's VmHWM starts afresh at exec; ru_maxrss does not
    (it carries the parent's peak across fork and exec: a benchmark that had just built a large
    index made every probe report its 439 MB), so it is only the fallback."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _probe_state() -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    focus = [type(w.focusWidget()).__name__ for w in windows if w.focusWidget() is not None]
    return {
        "visible_windows": len(windows),
        "focus": focus[0] if focus else None,
        "maxrss_mb": _peak_rss_mb(),
        "spacy_loaded": any(m == "spacy" or m.startswith("spacy.") for m in sys.modules),
    }


def probe(kind: str, ready_file: Path, data_dir: str | None) -> int:
    """Run the app (or the bare window) and record when its event loop first turns; quit after SETTLE_MS."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    original_exec = QApplication.exec
    record: dict[str, Any] = {}

    def settled() -> None:
        record["settled"] = _probe_state()
        ready_file.write_text(json.dumps(record))
        QApplication.quit()

    def ready() -> None:
        if os.environ.get(EXIT_AT_READY):
            os._exit(0)  # counting instructions (bench_startup.instructions): stop the count here
        record["ready_at"] = time.time()
        # CPU seconds (user + system) spent to get here: steadier than wall time on a busy machine.
        usage = resource.getrusage(resource.RUSAGE_SELF)
        record["cpu_s"] = usage.ru_utime + usage.ru_stime
        record["ready"] = _probe_state()
        QTimer.singleShot(SETTLE_MS, settled)

    def exec_with_probe(*_args: object) -> int:
        QTimer.singleShot(0, ready)
        return original_exec()

    QApplication.exec = exec_with_probe  # type: ignore[method-assign]
    if kind == "app":
        import main as briefing

        return briefing.main(["--data-dir", str(data_dir)])
    from PySide6.QtWidgets import QLineEdit, QListWidget, QMainWindow, QSplitter

    app = QApplication(sys.argv)
    window = QMainWindow()
    splitter = QSplitter()
    search = QLineEdit()
    splitter.addWidget(search)
    splitter.addWidget(QListWidget())
    window.setCentralWidget(splitter)
    window.resize(1200, 800)
    window.show()
    search.setFocus()
    return app.exec()


if __name__ == "__main__":
    data_dir = sys.argv[3] if len(sys.argv) > 3 else None
    raise SystemExit(probe(sys.argv[1], Path(sys.argv[2]), data_dir))
