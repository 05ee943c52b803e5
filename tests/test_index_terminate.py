"""SIGTERM (the window's Cancel) during a two-process sync stops the spaCy workers too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from libraries import without_seeds

from search.config import PROJECT_ROOT, SEEDS_DIR
from search.index import ArticleIndex

# Enough texts that extraction starts its two worker processes (PARALLEL_MIN_TEXTS is 200).
ARTICLES = 240
STOP_SECONDS_BOUND = 60.0


def test_sigterm_mid_extraction_leaves_no_process_behind_and_the_index_as_it_was(
    tmp_path: Path,
) -> None:
    lib = tmp_path / "library"
    lib.mkdir()
    seeds = sorted(SEEDS_DIR.glob("wikinews_*.md"))
    for i in range(ARTICLES):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (lib / f"copy{i:03}.md").write_text(text + f"\n\nCopy number {i}.\n", encoding="utf-8")
    data = without_seeds(tmp_path / "data")
    child = subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(data), "index", str(lib)]
        + ["--processes", "2", "--progress", "json"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: whatever it leaves behind is findable
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            event = json.loads(line)
            if event.get("phase") == "extracting" and event["done"] >= 5:
                break  # the workers are running: results are coming back
        else:
            raise AssertionError(f"the sync ended before extracting: {child.stderr.read()}")
        child.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, stderr = child.communicate(timeout=STOP_SECONDS_BOUND)
        stopped = time.monotonic() - started
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    assert child.returncode == 128 + signal.SIGTERM, stderr
    assert "stopped; the index was left as it was" in stderr
    print(f"\nstopped {stopped:.1f} s after SIGTERM")
    # No worker is left in the sync's process group (they were left blocked, holding the model).
    deadline = time.monotonic() + 5
    while True:
        try:
            os.killpg(child.pid, 0)
        except ProcessLookupError:
            break
        if time.monotonic() > deadline:
            os.killpg(child.pid, signal.SIGKILL)
            raise AssertionError("processes of the stopped sync are still running")
        time.sleep(0.1)
    index = ArticleIndex.open(data)
    try:
        assert index.count() == 0  # nothing was committed
    finally:
        index.close()
