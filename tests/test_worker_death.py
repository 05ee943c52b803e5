"""Reliability: `briefing index` killed with SIGKILL (it alone, not its group) leaves no spaCy worker
behind, and the window killed leaves no sync behind."""

from __future__ import annotations

import json
import os
import random
import signal
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from libraries import without_seeds

from search.config import PROJECT_ROOT, SEEDS_DIR

FULL = os.environ.get("BRIEFING_SOAK") == "full"
# make test: one kill; BRIEFING_SOAK=full: the recorded soak.
KILLS = int(os.environ.get("BRIEFING_WORKER_KILLS", "20" if FULL else "1"))
SEED = int(os.environ.get("BRIEFING_CRASH_SEED", "20240501"))
# Enough texts that extraction starts its two worker processes (PARALLEL_MIN_TEXTS is 200).
ARTICLES = 240
START_SECONDS_BOUND = 90.0  # interpreter, spaCy and the model, then the first extracted article
GONE_SECONDS_BOUND = 5.0


def make_library(lib: Path) -> None:
    lib.mkdir()
    seeds = sorted(SEEDS_DIR.glob("wikinews_*.md"))
    for i in range(ARTICLES):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (lib / f"copy{i:03}.md").write_text(text + f"\n\nCopy number {i}.\n", encoding="utf-8")


def started_at(pid: int) -> str | None:
    """The process's start time (clock ticks since boot), or None if it is gone or a zombie.

    A pid is compared with its start time too: a dead worker's pid may be reused."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
    return None if fields[0] in ("Z", "X") else fields[19]


def children(pid: int) -> list[int]:
    """The process's children, from /proc (every thread's list: any thread may have forked)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def extracting(progress: Path) -> bool:
    """Whether the sync has printed an extracted article: its workers are running."""
    for line in progress.read_text(encoding="utf-8").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line still being written
        if event.get("phase") == "extracting" and event.get("done", 0) >= 1:
            return True
    return False


def wait_gone(processes: dict[int, str | None], bound: float) -> tuple[list[int], float]:
    """Wait up to `bound` seconds for every process to end; the ones still alive, and the wait."""
    began = time.monotonic()
    while True:
        alive = [pid for pid, start in processes.items() if started_at(pid) == start]
        waited = time.monotonic() - began
        if not alive or waited > bound:
            return alive, waited
        time.sleep(0.01)


def kill_sync_and_count_orphans(
    tmp_path: Path, lib: Path, round_number: int, delay: float
) -> tuple[int, list[int], float]:
    """Start a two-process sync, SIGKILL the CLI alone `delay` seconds after its workers produce
    results; its worker count, the workers still alive after the bound, and how long they took."""
    data = without_seeds(tmp_path / f"data{round_number}")
    progress = tmp_path / f"progress{round_number}.jsonl"
    stderr = tmp_path / f"stderr{round_number}.txt"
    with progress.open("w", encoding="utf-8") as out, stderr.open("w") as errors:
        cli = subprocess.Popen(
            [sys.executable, "main.py", "--data-dir", str(data), "index", str(lib)]
            + ["--processes", "2", "--progress", "json"],
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=errors,
            # Its own process group: the kill below spares it, and the clean-up finds orphans in it.
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_SECONDS_BOUND
        while not extracting(progress):
            assert cli.poll() is None, f"the sync ended before extracting: {stderr.read_text()}"
            assert time.monotonic() < deadline, "no article extracted"
            time.sleep(0.1)
        workers = {pid: started_at(pid) for pid in children(cli.pid)}
        assert len(workers) >= 2, f"expected two worker processes, found {sorted(workers)}"
        time.sleep(delay)
        os.kill(cli.pid, signal.SIGKILL)  # the CLI only: its workers are not told
        cli.wait(10)
        alive, waited = wait_gone(workers, GONE_SECONDS_BOUND)
        return len(workers), alive, waited
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait(10)
        try:  # the orphans of a failing run, so they do not pile up
            os.killpg(cli.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_killing_the_sync_kills_its_spacy_workers(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    lib = tmp_path / "library"
    make_library(lib)
    began = time.monotonic()
    orphans: list[int] = []
    waits: list[float] = []
    workers = 0
    for round_number in range(KILLS):
        # Killed at varied points: one worker sending, the other reading, both busy ...
        count, alive, waited = kill_sync_and_count_orphans(
            tmp_path, lib, round_number, rng.uniform(0.0, 2.0) if round_number else 0.0
        )
        workers += count
        orphans += alive
        waits.append(waited)
    print(
        f"\n{KILLS} kills of `briefing index --processes 2`, {workers} workers: {len(orphans)} "
        f"left alive after {GONE_SECONDS_BOUND:.0f} s; workers gone in median "
        f"{statistics.median(waits):.2f} s, max {max(waits):.2f} s; {time.monotonic() - began:.0f} s"
    )
    assert orphans == [], f"workers outlived the killed sync: {orphans}"


# The window's part, in a process of its own to be killed: an IndexRunner running the real CLI
# (`main.main`), whose extraction stays silent for minutes, as a model load or a big commit does.
WINDOW = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from ui.indexer import IndexRunner
    SILENT_CLI = (
        "import sys, time, search.index;"
        "search.index._spacy_extractor = lambda processes: lambda texts: time.sleep(300) or [];"
        "import main; sys.exit(main.main(sys.argv[1:]))"
    )
    app = QCoreApplication([])
    runner = IndexRunner(Path(sys.argv[1]), command=[sys.executable, "-c", SILENT_CLI])
    runner.progress.connect(lambda p: print(p.phase, flush=True))
    runner.finished.connect(app.quit)
    runner.failed.connect(app.quit)
    runner.start([sys.argv[2]])
    app.exec()
    """
)


def test_killing_the_window_kills_its_sync(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    lib.mkdir()
    (lib / "one.md").write_text("---\ntitle: One\n---\n\nOfficials in Leeds said so.\n")
    output = tmp_path / "window.txt"
    with output.open("w", encoding="utf-8") as out:
        window = subprocess.Popen(
            [sys.executable, "-c", WINDOW, str(tmp_path / "data"), str(lib)],
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_SECONDS_BOUND
        while "reading" not in output.read_text(encoding="utf-8"):
            assert window.poll() is None, output.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "the sync printed no progress"
            time.sleep(0.1)
        syncs = {pid: started_at(pid) for pid in children(window.pid)}
        assert len(syncs) == 1
        os.kill(window.pid, signal.SIGKILL)
        window.wait(10)
        alive, waited = wait_gone(syncs, GONE_SECONDS_BOUND)
        print(f"\nthe sync ended {waited:.2f} s after the window was killed")
        assert alive == [], "the sync outlived the killed window"
    finally:
        try:
            os.killpg(window.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# Forks in and out of `children_die_with_me`; each child prints its parent-death signal.
FORKS = textwrap.dedent(
    """
    import ctypes, os
    from search.parent_death import children_die_with_me
    libc = ctypes.CDLL(None)
    def death_signal():
        value = ctypes.c_int()
        libc.prctl(2, ctypes.byref(value), 0, 0, 0)  # PR_GET_PDEATHSIG
        return value.value
    def in_child(work):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.write(write, str(work()).encode())
            os._exit(0)
        os.close(write)
        os.waitpid(pid, 0)
        return int(os.read(read, 16))
    before = in_child(death_signal)
    with children_die_with_me():
        inside = in_child(death_signal)
        grandchild = in_child(lambda: in_child(death_signal))
    print(before, inside, grandchild, in_child(death_signal))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_only_children_forked_in_the_block_die_with_the_parent() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FORKS], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    # Before, inside (SIGKILL), the child's own child, after.
    assert done.stdout.split() == ["0", str(int(signal.SIGKILL)), "0", "0"]


ORPHANED_AT_BIRTH = (
    "import os, search.parent_death as d; d.die_with_parent(os.getpid()); print('alive')"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_child_whose_parent_died_before_it_asked_dies_at_once() -> None:
    # Its own pid is never its parent's: as if the parent died between the fork and the prctl.
    done = subprocess.run(
        [sys.executable, "-c", ORPHANED_AT_BIRTH],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL and "alive" not in done.stdout
