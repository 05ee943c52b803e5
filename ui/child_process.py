"""One engine command (`main.py index …`, `main.py feeds …`) in a child process that reports in
JSON lines: started, read line by line, cancelled (SIGTERM, then a kill), and harvested once."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from search.api import DIE_WITH_ENV, PROJECT_ROOT

log = logging.getLogger(__name__)

# After Cancel, the child gets this long to stop cleanly before it is killed.
CANCEL_GRACE_MS = 3000
# How much of a failed child's stderr a message quotes.
STDERR_TAIL_CHARS = 1500


class EngineProcess(QObject):
    """The child process and its output; a subclass says what its events and its end mean.

    Each run ends with exactly one of `finished` (a report) or `failed` (a message).
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        data_dir: Path,
        parent: QObject | None = None,
        *,
        command: list[str] | None,
        what: str,
    ) -> None:
        """`command` replaces `python main.py` (tests run a stand-in); `what` names it in logs."""
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._command = command or [sys.executable, str(PROJECT_ROOT / "main.py")]
        self._what = what
        self._process: QProcess | None = None
        self._buffer = b""
        self._stderr = b""
        self._report: Any = None
        self._error: str | None = None  # the engine's own `{"event": "error"}` message
        self._cancelling = False
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._kill)

    def is_running(self) -> bool:
        return self._process is not None

    def cancel(self) -> None:
        """Ask the child to stop (SIGTERM); kill it if it has not stopped after a grace period."""
        if self._process is None or self._cancelling:
            return
        self._cancelling = True
        log.info("%s cancelled by the user", self._what)
        self._process.terminate()
        self._kill_timer.start(CANCEL_GRACE_MS)

    # What a subclass says

    def _event(self, kind: str, event: dict[str, Any]) -> bool:
        """Take one event of the child's; False when it is not one this command knows."""
        raise NotImplementedError

    def _ended(self, exit_code: int, crashed: bool, cancelled: bool, stderr: str) -> None:
        """Emit `finished` or `failed` for the run that just ended (its events are all read)."""
        raise NotImplementedError

    # The process

    def _launch(self, arguments: list[str]) -> None:
        if self._process is not None:
            raise RuntimeError(f"{self._what} is already running; cancel it or wait for it")
        self._buffer, self._stderr = b"", b""
        self._report, self._error, self._cancelling = None, None, False
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        # A pipe makes Python buffer stdout in blocks; progress must arrive as it happens.
        environment.insert("PYTHONUNBUFFERED", "1")
        # Killing the window (kill -9, a crash) kills the child too: a sync would run on unseen,
        # holding the index's write lock against the next window's sync.
        environment.insert(DIE_WITH_ENV, str(os.getpid()))
        process.setProcessEnvironment(environment)
        process.setWorkingDirectory(str(PROJECT_ROOT))
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        full = [*self._command[1:], "--data-dir", str(self._data_dir), *arguments]
        log.info("%s started: %s %s", self._what, self._command[0], " ".join(full))
        process.start(self._command[0], full)

    def _kill(self) -> None:
        if self._process is not None:
            log.warning("%s did not stop within %d ms; killing it", self._what, CANCEL_GRACE_MS)
            self._process.kill()

    def _read_stdout(self) -> None:
        assert self._process is not None
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self._handle_line(line)

    def _read_stderr(self) -> None:
        assert self._process is not None
        self._stderr += bytes(self._process.readAllStandardError().data())

    def _handle_line(self, raw: bytes) -> None:
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            return
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            event = None
        if not isinstance(event, dict):
            log.info("%s said: %s", self._what, line)
            return
        kind = str(event.pop("event", ""))
        if kind == "error":
            self._error = str(event.get("message", ""))
        elif not self._event(kind, event):
            log.info("%s said: %s", self._what, line)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        # Only a failed start never reaches `finished`; crashes and kills are handled there.
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            message = f"Could not start the {self._what} process ({self._command[0]}): "
            message += self._process.errorString()
            self._end()
            log.error(message)
            self.failed.emit(message)

    def _on_finished(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        if self._process is None:
            return
        self._read_stdout()
        self._read_stderr()
        if self._buffer.strip():
            self._handle_line(self._buffer)
            self._buffer = b""
        stderr = self._stderr.decode("utf-8", errors="replace")
        if stderr.strip():
            log.info("%s stderr:\n%s", self._what, stderr.rstrip())
        crashed = exit_status == QProcess.ExitStatus.CrashExit
        cancelled = self._cancelling
        self._end()
        self._ended(exit_code, crashed, cancelled, stderr)

    def _end(self) -> None:
        self._kill_timer.stop()
        if self._process is not None:
            self._process.deleteLater()
        self._process = None


def stderr_tail(stderr: str) -> str:
    """The end of the child's stderr: its own message, or a traceback's last lines."""
    return stderr.strip()[-STDERR_TAIL_CHARS:]
