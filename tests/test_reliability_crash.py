"""Reliability: `briefing index` killed (SIGKILL) at random points leaves an index that opens, searches and re-syncs."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
import whoosh.index
from libraries import without_seeds

from search.config import PROJECT_ROOT, index_dir
from search.index import ArticleIndex

FULL = os.environ.get("BRIEFING_SOAK") == "full"
# make test: a handful of kills on a stand-in extractor; BRIEFING_SOAK=full: the recorded soak.
KILLS = int(os.environ.get("BRIEFING_CRASH_KILLS", "25" if FULL else "5"))
ARTICLES = 400 if FULL else 200
SEED = int(os.environ.get("BRIEFING_CRASH_SEED", "20240501"))
# BRIEFING_SOAK=full with BRIEFING_CRASH_EXTRACTION=spacy kills the real pipeline (spaCy and all).
REAL_EXTRACTION = os.environ.get("BRIEFING_CRASH_EXTRACTION") == "spacy"
OPEN_SECONDS_BOUND = 30.0
RESYNC_SECONDS_BOUND = 300.0

# `python main.py ...` with the spaCy extraction replaced by one that finds nothing, so a sync is
# mostly reading and writing the index: the part a kill can damage. Everything else is the real CLI.
STAND_IN_MAIN = """
import sys
import search.index
from search.models import Extraction
search.index._spacy_extractor = lambda processes: lambda texts: [Extraction() for _ in texts]
import main
sys.exit(main.main(sys.argv[1:]))
"""
WORDS = (
    "harbour council minister river bridge election budget strike ferry school court market".split()
)
VERSION = re.compile(r"\bver(\d+)\b")

T = TypeVar("T")


@dataclass
class KilledRun:
    """How a sync_and_kill run ended: the last progress phase it printed, and whether it was killed."""

    phase: str
    killed: bool
    worked_seconds: float  # from its first progress line to its end or the kill


def briefing(*args: str) -> list[str]:
    if REAL_EXTRACTION:
        return [sys.executable, str(PROJECT_ROOT / "main.py"), *args]
    return [sys.executable, "-c", STAND_IN_MAIN, *args]


def write_article(lib: Path, number: int, version: int, rng: random.Random) -> None:
    body = " ".join(rng.choice(WORDS) for _ in range(150))
    (lib / f"a{number:04d}.md").write_text(
        f"---\ntitle: Report {number}\ndate: 2020-01-{1 + number % 28:02d}\n---\n\n"
        f"Officials in Leeds said doc{number:04d} crashmarker ver{version} today. {body}\n",
        encoding="utf-8",
    )


def library_state(lib: Path) -> dict[str, int]:
    """path -> version of every article file in the library."""
    state = {}
    for path in lib.glob("*.md"):
        match = VERSION.search(path.read_text(encoding="utf-8"))
        assert match, path
        state[str(path.resolve())] = int(match.group(1))
    return state


def with_timeout(seconds: float, what: str, work: Callable[[], T]) -> T:
    """Run `work` on a thread and fail (rather than hang the suite) if it takes longer than `seconds`."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised on the test's thread below
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{what} hung for more than {seconds:.0f} s"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]


def index_state(data: Path) -> dict[str, int]:
    """path -> version of every article in the index; fails if the index cannot be opened or read,
    or if any article is in it twice."""

    def read() -> dict[str, int]:
        index = ArticleIndex.open(data)
        try:
            result = index.search("crashmarker", limit=5)
            assert result.error is None, result.error
            ids = index.ids()
            assert len(ids) == len(set(ids)), "an article is in the index twice"
            assert index.count() == len(ids)
            state: dict[str, int] = {}
            for article_id in ids:
                stored = index.get(article_id)
                assert stored is not None, article_id
                path = stored.article.path
                assert path not in state, f"{path} is in the index twice"
                match = VERSION.search(stored.article.body)
                assert match, path
                state[path] = int(match.group(1))
            assert result.total == len(state)
            return state
        finally:
            index.close()

    return with_timeout(OPEN_SECONDS_BOUND, "opening and reading the index", read)


def sync(data: Path, lib: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        briefing("--data-dir", str(data), "index", str(lib), "--progress", "none", *extra),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=RESYNC_SECONDS_BOUND,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def sync_and_kill(data: Path, lib: Path, extra: list[str], after: float | None) -> KilledRun:
    """Start a sync and SIGKILL it (and any workers) `after` seconds into its work (None: let it end)."""
    process = subprocess.Popen(
        briefing("--data-dir", str(data), "index", str(lib), "--progress", "json", *extra),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, so spaCy's workers die with it
    )
    assert process.stdout is not None
    phases: list[str] = []
    started = threading.Event()

    def read_progress() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            phases.append(event.get("phase") or event.get("event", "?"))
            started.set()
        started.set()

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    # Time the kill from the first progress line: interpreter start-up is not what we test.
    started.wait(60)
    working_since = time.perf_counter()
    try:
        process.wait(RESYNC_SECONDS_BOUND if after is None else after)
    except subprocess.TimeoutExpired:
        pass
    worked = time.perf_counter() - working_since
    killed = process.poll() is None
    if killed:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    reader.join(10)
    process.stdout.close()
    last = phases[-1] if phases else "before any progress"
    return KilledRun(last if killed else "finished before the kill", killed, worked)


def change_library(lib: Path, rng: random.Random, next_number: list[int]) -> None:
    """Edit a fifth of the articles, delete a few and add a few, so the sync has real work to do."""
    files = sorted(lib.glob("*.md"))
    for path in rng.sample(files, len(files) // 5):
        number = int(path.stem[1:])
        version = int(VERSION.search(path.read_text(encoding="utf-8")).group(1))  # type: ignore[union-attr]
        write_article(lib, number, version + 1, rng)
    for path in rng.sample(files, len(files) // 40):
        path.unlink()
    for _ in range(len(files) // 40):
        write_article(lib, next_number[0], 0, rng)
        next_number[0] += 1


def test_killed_syncs_leave_an_index_that_opens_searches_and_resyncs(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    rng = random.Random(SEED)
    lib = tmp_path / "library"
    lib.mkdir()
    data = without_seeds(tmp_path / "data")
    for number in range(ARTICLES):
        write_article(lib, number, 0, rng)
    next_number = [ARTICLES]

    # A first sync, killed at no point, measures how long a whole sync works after start-up.
    first = sync_and_kill(data, lib, [], after=None)
    assert not first.killed
    work_seconds = first.worked_seconds
    assert index_state(data) == library_state(lib)

    kills_by_phase: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    for round_number in range(KILLS):
        before = index_state(data)
        change_library(lib, rng, next_number)
        wanted = library_state(lib)
        extra = ["--rebuild"] if round_number % 3 == 2 else []
        # An incremental sync reads only the changed fifth; a rebuild reads everything.
        share = 1.0 if extra else 0.35
        run = sync_and_kill(data, lib, extra, rng.uniform(0.0, work_seconds * share))
        phase = run.phase
        kills_by_phase[phase] += 1

        # The commit is all or nothing: the index is exactly as it was, or exactly the library.
        after_kill = index_state(data)
        if after_kill == before:
            outcomes["as before"] += 1
        elif after_kill == wanted:
            outcomes["fully synced"] += 1
        else:
            pytest.fail(
                f"round {round_number}: killed in {phase!r}, the index holds a half-written sync "
                f"({len(after_kill)} articles; before {len(before)}, wanted {len(wanted)})"
            )

        sync(data, lib)
        assert index_state(data) == wanted, (
            f"round {round_number}: re-sync after a kill in {phase!r}"
        )

    print(
        f"\n{KILLS} kills, seed {SEED}, {len(wanted)} articles; phases {dict(kills_by_phase)}; "
        f"after the kill: {dict(outcomes)}"
    )
    record_property("kills_by_phase", dict(kills_by_phase))
    assert (
        sum(n for p, n in kills_by_phase.items() if p != "finished before the kill") >= KILLS // 2
    )

    # Files left behind by killed writers are cleaned up by the next commit, not piled up.
    assert orphan_files(data) == []
    size = sum(f.stat().st_size for f in index_dir(data).iterdir() if f.is_file())
    print(f"index after the kills: {size} bytes, no orphaned files")


def orphan_files(data: Path) -> list[str]:
    """Files in the index folder that belong to no current segment and are not the current TOC."""
    ix = whoosh.index.open_dir(str(index_dir(data)))
    try:
        segments = [segment.segment_id() for segment in ix._segments()]
        current_toc = f"_MAIN_{ix.latest_generation()}.toc"
    finally:
        ix.close()
    return sorted(
        f.name
        for f in index_dir(data).iterdir()
        if f.name != current_toc
        and not f.name.endswith("WRITELOCK")
        and f.name not in ("manifest.json", "copies.json", "left_out.json")
        and not any(f.name.startswith(segment + ".") for segment in segments)
    )


def test_a_writer_waiting_on_a_held_lock_is_told_not_hung(tmp_path: Path) -> None:
    """While another process holds the write lock, a sync says so promptly and exits."""
    lib = tmp_path / "library"
    lib.mkdir()
    rng = random.Random(SEED)
    for number in range(5):
        write_article(lib, number, 0, rng)
    data = without_seeds(tmp_path / "data")
    sync(data, lib)
    write_article(lib, 99, 0, rng)  # so the next sync has something to write
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            # Whoosh's own write lock, as any writer of this index takes it.
            "import sys, time, whoosh.index;"
            "w = whoosh.index.open_dir(sys.argv[1]).writer(); print('locked', flush=True);"
            "time.sleep(60)",
            str(index_dir(data)),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        began = time.perf_counter()
        done = subprocess.run(
            briefing("--data-dir", str(data), "index", str(lib), "--progress", "none"),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        waited = time.perf_counter() - began
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "being updated" in done.stderr, done.stderr
    assert waited < 20, f"the second writer waited {waited:.0f} s"
    # Once the holder is gone (killed, like a crash), its lock is no obstacle.
    sync(data, lib)
    assert len(index_state(data)) == 6
