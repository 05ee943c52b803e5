"""IndexRunner: the background indexing process, its progress lines, cancel and failures."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from libraries import without_seeds
from pytestqt.qtbot import QtBot

from search.config import PROJECT_ROOT
from search.models import SyncProgress, SyncReport
from ui import child_process
from ui.indexer import IndexRunner

# A stand-in for `main.py`: speaks the `index --progress json` protocol; its behaviour is chosen
# by the first library path (a word), the rest are the files it "indexes".
FAKE_INDEXER = textwrap.dedent(
    """
    import json, os, signal, sys, time
    args = sys.argv[1:]
    assert args[:2] == ["--data-dir", args[1]] and args[2:5] == ["index", "--progress", "json"], args
    rest = args[5:]
    rebuild = "--rebuild" in rest
    paths = rest[rest.index("--") + 1:]
    mode, files = paths[0], paths[1:]
    def say(obj):
        sys.stdout.write(json.dumps(obj) + "\\n")
    if mode == "fail":
        say({"event": "error", "message": "index is locked by another process: " + args[1]})
        print("briefing index: index is locked", file=sys.stderr)
        sys.exit(3)
    if mode == "traceback":
        print("Traceback (most recent call last):\\n  ...\\nOSError: disk full", file=sys.stderr)
        sys.exit(1)
    if mode == "crash":
        say({"event": "progress", "done": 0, "total": 1, "path": "x", "phase": "reading"})
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    if mode == "silent":
        sys.exit(0)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("a stray line that is not JSON")
    for i, path in enumerate(files, 1):
        line = json.dumps({"event": "progress", "done": i, "total": len(files), "path": path,
                           "phase": "extracting"}) + "\\n"
        # Split each line across two writes: the reader must buffer partial lines.
        sys.stdout.write(line[:10]); sys.stdout.flush(); time.sleep(0.002)
        sys.stdout.write(line[10:]); sys.stdout.flush()
        if mode in ("slow", "stubborn"):
            time.sleep(0.05)
    say({"event": "report", "added": files, "updated": [], "removed": [], "unchanged": 0,
         "skipped": [{"path": "bad.md", "reason": "not UTF-8"}], "messages": [],
         "cancelled": False, "rebuild": rebuild})
    """
)


@pytest.fixture
def fake_runner(tmp_path: Path, qtbot: QtBot) -> IndexRunner:
    script = tmp_path / "fake_main.py"
    script.write_text(FAKE_INDEXER, encoding="utf-8")
    return IndexRunner(tmp_path / "data", command=[sys.executable, str(script)])


def test_progress_then_report(fake_runner: IndexRunner, qtbot: QtBot) -> None:
    files = [f"/library/a{i}.md" for i in range(5)]
    seen: list[SyncProgress] = []
    fake_runner.progress.connect(seen.append)
    with qtbot.waitSignal(fake_runner.finished, timeout=10_000) as blocker:
        fake_runner.start(["ok", *files], rebuild=True)
        assert fake_runner.is_running()
    report = blocker.args[0]
    assert isinstance(report, SyncReport)
    assert report.added == files
    assert [(s.path, s.reason) for s in report.skipped] == [("bad.md", "not UTF-8")]
    assert not report.cancelled
    assert [p.done for p in seen] == [1, 2, 3, 4, 5]
    assert all(p.total == 5 and p.phase == "extracting" for p in seen)
    assert [p.path for p in seen] == files
    assert not fake_runner.is_running()


def test_second_start_while_running_is_refused(fake_runner: IndexRunner, qtbot: QtBot) -> None:
    with qtbot.waitSignal(fake_runner.finished, timeout=10_000):
        fake_runner.start(["slow", "a.md", "b.md"])
        with pytest.raises(RuntimeError, match="already running"):
            fake_runner.start(["ok"])


def test_cancel_reports_cancelled(fake_runner: IndexRunner, qtbot: QtBot) -> None:
    files = [f"f{i}.md" for i in range(300)]
    with qtbot.waitSignal(fake_runner.progress, timeout=10_000):
        fake_runner.start(["slow", *files])
    with qtbot.waitSignal(fake_runner.finished, timeout=5_000) as blocker:
        fake_runner.cancel()
    report = blocker.args[0]
    assert report.cancelled
    assert report.added == []  # the fake had not reached its report
    assert any("cancelled" in m for m in report.messages)
    assert not fake_runner.is_running()


def test_cancel_kills_a_process_that_ignores_sigterm(
    fake_runner: IndexRunner, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(child_process, "CANCEL_GRACE_MS", 300)
    with qtbot.waitSignal(fake_runner.progress, timeout=10_000):
        fake_runner.start(["stubborn", *[f"f{i}.md" for i in range(300)]])
    with qtbot.waitSignal(fake_runner.finished, timeout=5_000) as blocker:
        fake_runner.cancel()
    assert blocker.args[0].cancelled


def test_error_exit_fails_with_the_engines_message(
    fake_runner: IndexRunner, qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    finished: list[object] = []
    fake_runner.finished.connect(finished.append)
    with qtbot.waitSignal(fake_runner.failed, timeout=10_000) as blocker:
        fake_runner.start(["fail"])
    message = blocker.args[0]
    assert message == f"Indexing failed (exit code 3): index is locked by another process: {data}"
    assert finished == []


def test_error_without_message_quotes_stderr(fake_runner: IndexRunner, qtbot: QtBot) -> None:
    with qtbot.waitSignal(fake_runner.failed, timeout=10_000) as blocker:
        fake_runner.start(["traceback"])
    assert blocker.args[0].startswith("Indexing failed (exit code 1): Traceback")
    assert blocker.args[0].endswith("OSError: disk full")


def test_killed_process_fails_as_crashed(fake_runner: IndexRunner, qtbot: QtBot) -> None:
    with qtbot.waitSignal(fake_runner.failed, timeout=10_000) as blocker:
        fake_runner.start(["crash"])
    assert blocker.args[0].startswith("The indexing process crashed")


def test_exit_without_report_fails(fake_runner: IndexRunner, qtbot: QtBot) -> None:
    with qtbot.waitSignal(fake_runner.failed, timeout=10_000) as blocker:
        fake_runner.start(["silent"])
    assert "without reporting" in blocker.args[0]


def test_missing_program_fails_to_start(tmp_path: Path, qtbot: QtBot) -> None:
    runner = IndexRunner(tmp_path, command=[str(tmp_path / "no-such-python")])
    with qtbot.waitSignal(runner.failed, timeout=5_000) as blocker:
        runner.start(["x.md"])
    assert "Could not start the indexing process" in blocker.args[0]
    assert "no-such-python" in blocker.args[0]
    assert not runner.is_running()


# The real engine: `main.py index --progress json` in its own process, spaCy and all.


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        path = folder / f"report{i:03d}.md"
        path.write_text(
            f"# Summit report {i}\n\nSanae Takaichi met Lee Jae Myung in Nara on day {i}. "
            f"Officials counted {i + 3} delegations.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_real_engine_indexes_a_small_library(tmp_path: Path, qtbot: QtBot) -> None:
    files = write_articles(tmp_path / "library", 2)
    runner = IndexRunner(without_seeds(tmp_path / "data"))
    seen: list[SyncProgress] = []
    runner.progress.connect(seen.append)
    with qtbot.waitSignal(runner.finished, timeout=60_000) as blocker:
        runner.start([str(tmp_path / "library")])
    report = blocker.args[0]
    assert sorted(report.added) == [str(p) for p in files]
    assert not report.cancelled and report.skipped == []
    assert {p.path for p in seen if p.phase == "reading"} == {str(p) for p in files}
    assert seen[-1].done == seen[-1].total == 2


def test_real_engine_cancel_leaves_a_usable_index(tmp_path: Path, qtbot: QtBot) -> None:
    write_articles(tmp_path / "library", 300)
    runner = IndexRunner(without_seeds(tmp_path / "data"))
    with qtbot.waitSignal(runner.progress, timeout=60_000):
        runner.start([str(tmp_path / "library")])
    with qtbot.waitSignal(runner.finished, timeout=10_000) as blocker:
        runner.cancel()
    assert blocker.args[0].cancelled
    assert not runner.is_running()
    search = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "--data-dir", str(tmp_path / "data")]
        + ["search", "Takaichi", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert search.returncode == 0, search.stderr
    # A sync commits all or nothing: the cancelled one left the index as it was (empty), unlocked.
    answer = json.loads(search.stdout)
    assert answer["error"] is None and answer["total"] == 0


def test_real_engine_names_a_missing_path(tmp_path: Path, qtbot: QtBot) -> None:
    runner = IndexRunner(tmp_path / "data")
    missing = tmp_path / "no such folder"
    with qtbot.waitSignal(runner.failed, timeout=60_000) as blocker:
        runner.start([str(missing)])
    assert blocker.args[0].startswith("Indexing failed (exit code 1)")
    assert f"no such file or folder: {missing}" in blocker.args[0]


def test_real_engine_data_dir_that_cannot_be_created(tmp_path: Path, qtbot: QtBot) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    runner = IndexRunner(tmp_path / "a-file" / "data")
    with qtbot.waitSignal(runner.failed, timeout=60_000) as blocker:
        runner.start([])
    assert blocker.args[0].startswith("Indexing failed (exit code 2)")
    assert "cannot be created" in blocker.args[0]
    assert "Not a directory" in blocker.args[0]
