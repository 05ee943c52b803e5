"""Runs `briefing index --progress json` in a child process and turns its JSON lines into Qt signals."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from search.config import PROJECT_ROOT
from search.models import Skipped, SyncProgress, SyncReport
from search.parent_death import DIE_WITH_ENV

log = logging.getLogger(__name__)

# How long a cancelled sync may take to stop on SIGTERM before it is killed.
CANCEL_GRACE_MS = 3000
# The tail of the child's stderr quoted in a failure message: enough for a traceback's last lines.
STDERR_TAIL_CHARS = 1500


def report_from_event(event: dict[str, Any]) -> SyncReport:
    """A SyncReport from the `{"event": "report", ...}` line the index command prints last."""
    return SyncReport(
        added=list(event.get("added", [])),
        updated=list(event.get("updated", [])),
        removed=list(event.get("removed", [])),
        unchanged=int(event.get("unchanged", 0)),
        skipped=[Skipped(s["path"], s["reason"]) for s in event.get("skipped", [])],
        messages=list(event.get("messages", [])),
        cancelled=bool(event.get("cancelled", False)),
    )


def progress_from_event(event: dict[str, Any]) -> SyncProgress:
    """A SyncProgress from one `{"event": "progress", ...}` line."""
    return SyncProgress(
        done=int(event.get("done", 0)),
        total=int(event.get("total", 0)),
        path=str(event.get("path", "")),
        phase=str(event.get("phase", "reading")),
        part=str(event.get("part", "")),
    )


class IndexRunner(QObject):
    """Syncs files into the index in a separate process, so spaCy never loads in the window's process.

    Each run ends with exactly one of `finished` (a SyncReport; cancelled=True after `cancel()`)
    or `failed` (a message saying what went wrong, with the tail of the process's stderr).
    """

    progress = Signal(object)  # SyncProgress
    finished = Signal(object)  # SyncReport
    failed = Signal(str)

    def __init__(
        self, data_dir: Path, parent: QObject | None = None, *, command: list[str] | None = None
    ) -> None:
        """`command` replaces `python main.py` (tests run a stand-in); the index arguments follow it."""
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._command = command or [sys.executable, str(PROJECT_ROOT / "main.py")]
        self._process: QProcess | None = None
        self._stdout_buffer = b""
        self._stderr = b""
        self._report: SyncReport | None = None
        self._error: str | None = None  # the engine's own `{"event": "error"}` message
        self._cancelling = False
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._kill)

    def is_running(self) -> bool:
        return self._process is not None

    def start(self, paths: list[str], rebuild: bool = False) -> None:
        """Start syncing `paths` (empty: the engine's default library) into the index."""
        if self._process is not None:
            raise RuntimeError("an index sync is already running; cancel it or wait for it")
        arguments = [*self._command[1:], "--data-dir", str(self._data_dir), "index"]
        arguments += ["--progress", "json"]
        if rebuild:
            arguments.append("--rebuild")
        # "--" keeps a file whose name starts with "-" from being read as an option.
        arguments += ["--", *paths]
        self._stdout_buffer = b""
        self._stderr = b""
        self._report = None
        self._error = None
        self._cancelling = False

        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        # A pipe makes Python buffer stdout in blocks; progress must arrive as it happens.
        environment.insert("PYTHONUNBUFFERED", "1")
        # Killing the window (kill -9, a crash) kills the sync too: it would run on unseen, holding
        # the index's write lock against the next window's sync (and it dies only on its next print).
        environment.insert(DIE_WITH_ENV, str(os.getpid()))
        process.setProcessEnvironment(environment)
        process.setWorkingDirectory(str(PROJECT_ROOT))
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        log.info("index sync started: %s %s", self._command[0], " ".join(arguments))
        process.start(self._command[0], arguments)

    def cancel(self) -> None:
        """Ask the sync to stop (SIGTERM); kill it if it has not stopped after a grace period."""
        if self._process is None or self._cancelling:
            return
        self._cancelling = True
        log.info("index sync cancelled by the user")
        self._process.terminate()
        self._kill_timer.start(CANCEL_GRACE_MS)

    def _kill(self) -> None:
        if self._process is not None:
            log.warning("index sync did not stop within %d ms; killing it", CANCEL_GRACE_MS)
            self._process.kill()

    def _read_stdout(self) -> None:
        assert self._process is not None
        self._stdout_buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._stdout_buffer = self._stdout_buffer.split(b"\n")
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
            log.info("index sync said: %s", line)
            return
        if not isinstance(event, dict):
            log.info("index sync said: %s", line)
        elif event.get("event") == "progress":
            self.progress.emit(progress_from_event(event))
        elif event.get("event") == "report":
            self._report = report_from_event(event)
        elif event.get("event") == "error":
            self._error = str(event.get("message", ""))
        else:
            log.info("index sync said: %s", line)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        # Only a failed start never reaches `finished`; crashes and kills are handled there.
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            message = f"Could not start the indexing process ({self._command[0]}): "
            message += self._process.errorString()
            self._end()
            log.error(message)
            self.failed.emit(message)

    def _on_finished(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        if self._process is None:
            return
        self._read_stdout()
        self._read_stderr()
        if self._stdout_buffer.strip():
            self._handle_line(self._stdout_buffer)
            self._stdout_buffer = b""
        stderr = self._stderr.decode("utf-8", errors="replace")
        if stderr.strip():
            log.info("index sync stderr:\n%s", stderr.rstrip())
        crashed = exit_status == QProcess.ExitStatus.CrashExit
        cancelled = self._cancelling
        report = self._report
        self._end()

        if cancelled:
            report = report or SyncReport()
            report.cancelled = True
            report.messages.append("Indexing was cancelled before it finished.")
            log.info("index sync cancelled")
            self.finished.emit(report)
        elif report is not None and not crashed and exit_code == 0:
            log.info(
                "index sync finished: %d added, %d updated, %d removed, %d skipped",
                len(report.added),
                len(report.updated),
                len(report.removed),
                len(report.skipped),
            )
            self.finished.emit(report)
        else:
            message = self._failure_message(exit_code, crashed, stderr)
            log.error(message)
            self.failed.emit(message)

    def _failure_message(self, exit_code: int, crashed: bool, stderr: str) -> str:
        if crashed:
            message = "The indexing process crashed"
        elif exit_code != 0:
            message = f"Indexing failed (exit code {exit_code})"
        else:
            message = "Indexing ended without reporting what it did"
        detail = self._error or _error_detail(stderr)
        return f"{message}: {detail}" if detail else f"{message}."

    def _end(self) -> None:
        self._kill_timer.stop()
        if self._process is not None:
            self._process.deleteLater()
        self._process = None


def _error_detail(stderr: str) -> str:
    """The end of the child's stderr: its own message, or a traceback's last lines."""
    return stderr.strip()[-STDERR_TAIL_CHARS:]
