"""SingleInstance: the first launch on a library listens; later launches hand over their arguments."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from search.config import PROJECT_ROOT
from ui.single_instance import SingleInstance, instance_key, server_name

# A launch in its own process: acquires the instance for a key and prints what acquire() said.
SECOND_LAUNCH = """
import os, signal, sys
from PySide6.QtCore import QCoreApplication
from ui.single_instance import SingleInstance
app = QCoreApplication([])
instance = SingleInstance(sys.argv[1])
print(instance.acquire(sys.argv[3:]), flush=True)
if sys.argv[2] == "die":
    os.kill(os.getpid(), signal.SIGKILL)
"""


def launch(key: str, *args: str, then: str = "exit") -> subprocess.Popen[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_LAUNCH, key, then, *args],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_second_instance_in_process_hands_over(tmp_path: Path, qtbot: QtBot) -> None:
    key = instance_key(tmp_path)
    first = SingleInstance(key)
    assert first.acquire([])
    results: list[bool] = []
    # The hand-over blocks until the first instance answers, so it must not run on this thread.
    second = threading.Thread(
        target=lambda: results.append(SingleInstance(key).acquire(["/news/a.md", "--x"]))
    )
    with qtbot.waitSignal(first.message_received, timeout=5_000) as blocker:
        second.start()
    second.join(5)
    assert blocker.args == [["/news/a.md", "--x"]]
    assert results == [False]


def test_second_process_hands_over_and_first_keeps_running(tmp_path: Path, qtbot: QtBot) -> None:
    key = instance_key(tmp_path)
    first = SingleInstance(key)
    assert first.acquire([])
    with qtbot.waitSignal(first.message_received, timeout=10_000) as blocker:
        second = launch(key, "/news/é.md")
    out, err = second.communicate(timeout=10)
    assert second.returncode == 0, err
    assert out.strip() == "False"
    assert blocker.args == [["/news/é.md"]]
    # The first instance still answers later launches.
    with qtbot.waitSignal(first.message_received, timeout=10_000) as blocker:
        third = launch(key)
    assert third.communicate(timeout=10)[0].strip() == "False"
    assert blocker.args == [[]]


def test_libraries_are_independent(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = SingleInstance(instance_key(tmp_path / "one"))
    two = SingleInstance(instance_key(tmp_path / "two"))
    assert one.acquire([])
    assert two.acquire([])


def test_key_ignores_how_the_path_is_spelled(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    assert instance_key(tmp_path / "lib") == instance_key(tmp_path / "lib" / ".." / "lib")
    assert server_name(instance_key(tmp_path / "lib")) != server_name(instance_key(tmp_path))


def test_socket_left_by_a_killed_instance_is_taken_over(tmp_path: Path, qtbot: QtBot) -> None:
    key = instance_key(tmp_path)
    crashed = launch(key, then="die")
    out, _ = crashed.communicate(timeout=10)
    assert out.strip() == "True"
    assert crashed.returncode == -9
    probe = QLocalSocket()
    probe.connectToServer(server_name(key))
    assert not probe.waitForConnected(500)  # the socket file is there, but nobody listens
    instance = SingleInstance(key)
    assert instance.acquire([])
    with qtbot.waitSignal(instance.message_received, timeout=10_000) as blocker:
        later = launch(key, "b.md")
    assert later.communicate(timeout=10)[0].strip() == "False"
    assert blocker.args == [["b.md"]]


def test_malformed_message_is_ignored(tmp_path: Path, qtbot: QtBot) -> None:
    instance = SingleInstance(instance_key(tmp_path))
    assert instance.acquire([])
    received: list[list[str]] = []
    instance.message_received.connect(received.append)
    socket = QLocalSocket()
    socket.connectToServer(server_name(instance_key(tmp_path)))
    assert socket.waitForConnected(1000)
    socket.write(b'{"not": "a list"}\n')
    socket.flush()
    qtbot.waitUntil(lambda: socket.state() == QLocalSocket.LocalSocketState.UnconnectedState)
    assert received == []


def test_second_app_launch_on_the_same_library_exits_and_hands_over(
    tmp_path: Path, qtbot: QtBot
) -> None:
    data = tmp_path / "data"
    first = SingleInstance(instance_key(data))
    assert first.acquire([])
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with qtbot.waitSignal(first.message_received, timeout=30_000):
        second = subprocess.Popen(
            [sys.executable, "main.py", "--data-dir", str(data)],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    _, err = second.communicate(timeout=30)
    assert second.returncode == 0, err
    assert "Briefing Cards is already" in err
    assert not (data / "index").exists()  # the second launch never touched the index
