"""Reliability: two instances of the app on one library — the second is told and steps aside; the index stays whole."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from libraries import without_seeds
from pytestqt.qtbot import QtBot

from search.config import PROJECT_ROOT, SEEDS_DIR
from search.index import ArticleIndex
from ui.single_instance import SingleInstance, instance_key, server_name

START_SECONDS_BOUND = 60.0
SECOND_EXIT_SECONDS_BOUND = 15.0
SEED_SAMPLE = ["takaichi_lee_nara_summit.md", "wikinews_clock.md", "wikinews_nasa.md"]


def test_second_instance_on_one_key_gets_false_and_hands_over(tmp_path: Path, qtbot: QtBot) -> None:
    key = instance_key(tmp_path)
    first = SingleInstance(key)
    assert first.acquire([])
    answers: list[bool] = []
    # acquire() waits for the first instance's reply, which needs this thread's event loop.
    second = threading.Thread(
        target=lambda: answers.append(SingleInstance(key).acquire(["--from-second"]))
    )
    with qtbot.waitSignal(first.message_received, timeout=10_000) as handed:
        second.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)  # the reply needs our event loop
    second.join(10)
    assert answers == [False]
    assert handed.args == [["--from-second"]]


def app_environment(home: Path) -> dict[str, str]:
    """Offscreen Qt, and HOME/XDG dirs inside the test's folder so QSettings never touch the real ones."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


def wait_until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}")


def indexed_count(data: Path) -> int:
    index = ArticleIndex.open(data)
    try:
        return index.count()
    finally:
        index.close()


def test_a_second_app_process_exits_with_a_message_and_the_index_stays_whole(
    tmp_path: Path,
) -> None:
    lib = tmp_path / "library"
    lib.mkdir()
    for name in SEED_SAMPLE:
        shutil.copy(SEEDS_DIR / name, lib / name)
    data = without_seeds(tmp_path / "data")
    # The first window syncs this library on start (as it does after File > Add).
    subprocess.run(
        [
            sys.executable,
            "main.py",
            "--data-dir",
            str(data),
            "index",
            str(lib),
            "--progress",
            "none",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (lib / "late_addition.md").write_text(
        "---\ntitle: Ferry strike ends\ndate: 2024-05-04\n---\n\n"
        "Ferry crews in Dover returned to work on Saturday after a two-day strike.\n",
        encoding="utf-8",
    )
    env = app_environment(tmp_path / "home")
    socket_file = Path(tempfile.gettempdir()) / server_name(instance_key(data))
    first = subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(data)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until(
            lambda: socket_file.exists() or first.poll() is not None,
            START_SECONDS_BOUND,
            "the first window to listen",
        )
        assert first.poll() is None, f"the first window exited: {first.communicate()[1]}"
        # The second launch comes while the first is starting its re-sync of the library.
        began = time.monotonic()
        second = subprocess.run(
            [sys.executable, "main.py", "--data-dir", str(data)],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        took = time.monotonic() - began
        print(f"\nthe second launch stepped aside in {took:.2f} s: {second.stderr.strip()}")
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stderr, second.stderr
        assert "Traceback" not in second.stderr
        assert took < SECOND_EXIT_SECONDS_BOUND, (
            f"the second launch took {took:.1f} s to step aside"
        )
        assert first.poll() is None, "the first window went away when the second launched"

        # The first window's own sync finishes, and the index holds each article once.
        wait_until(
            lambda: indexed_count(data) == len(SEED_SAMPLE) + 1, 120, "the first window's sync"
        )
        index = ArticleIndex.open(data)
        try:
            ids = index.ids()
            assert len(ids) == len(set(ids)) == len(SEED_SAMPLE) + 1
            assert index.search("Dover AND ferry").total == 1
            assert index.search("Takaichi").total == 1
        finally:
            index.close()
    finally:
        first.send_signal(signal.SIGTERM)
        try:
            _, err = first.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            first.kill()
            _, err = first.communicate()
    assert "Traceback" not in err, err
