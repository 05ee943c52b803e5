"""The background helper: answers arrive on the GUI thread, the newest query wins, failures are reported."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from ui.background import BackgroundRunner


def test_answers_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    runner = BackgroundRunner(threads=1)
    gui = QThread.currentThread()
    seen: list[tuple[str, bool]] = []

    def work() -> str:
        return threading.current_thread().name

    runner.submit(work, lambda name: seen.append((name, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    worker_name, on_gui = seen[0]
    assert worker_name != threading.main_thread().name  # the work ran off the GUI thread
    assert on_gui  # the callback did not


def test_a_stale_answer_is_dropped(qtbot: QtBot) -> None:
    runner = BackgroundRunner(threads=2)
    delivered: list[str] = []
    slow_started = threading.Event()

    def slow() -> str:
        slow_started.set()
        time.sleep(0.3)
        return "old query"

    runner.submit(slow, delivered.append)
    slow_started.wait(2)
    runner.submit(lambda: "new query", delivered.append)
    qtbot.waitUntil(lambda: delivered == ["new query"], timeout=3000)
    runner.wait(3000)
    qtbot.wait(50)  # let the stale answer's queued signal arrive, to be dropped
    assert delivered == ["new query"]


def test_every_answer_is_delivered_when_not_latest_only(qtbot: QtBot) -> None:
    runner = BackgroundRunner(threads=1, latest_only=False)
    delivered: list[int] = []
    for number in range(5):
        runner.submit(lambda n=number: n * n, delivered.append)
    qtbot.waitUntil(lambda: len(delivered) == 5, timeout=3000)
    assert delivered == [0, 1, 4, 9, 16]


def test_a_failure_is_reported_not_raised(qtbot: QtBot) -> None:
    runner = BackgroundRunner(threads=1)
    failures: list[str] = []

    def broken() -> None:
        raise ValueError("index is damaged")

    runner.submit(broken, lambda _value: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert failures == ["ValueError: index is damaged"]
