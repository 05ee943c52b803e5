"""Feeds in the window: "Subscribe to a feed…" and "Update feeds" run `briefing feeds` in a child process and say what came of it."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal
from PySide6.QtWidgets import QWidget

from search.config import PROJECT_ROOT
from search.feeds import FeedProgress, FeedsReport, entries_phrase, feeds_folder
from search.fetch import is_web_address
from search.parent_death import DIE_WITH_ENV

log = logging.getLogger(__name__)

# How long a cancelled update may take to stop on SIGTERM before it is killed.
CANCEL_GRACE_MS = 3000
STDERR_TAIL_CHARS = 1500


class FeedRunner(QObject):
    """Runs `briefing feeds … --progress json --no-index` in a child process: the network waits
    and the feed parsing stay out of the window's process, and Cancel can always stop it.

    Each run ends with exactly one of `finished` (a FeedsReport; a feed that failed is in it) or
    `failed` (why nothing was done: a refused subscription, a crash).
    """

    progress = Signal(object)  # FeedProgress
    finished = Signal(object)  # FeedsReport
    failed = Signal(str)

    def __init__(
        self, data_dir: Path, parent: QObject | None = None, *, command: list[str] | None = None
    ) -> None:
        """`command` replaces `python main.py` (tests may run a stand-in)."""
        super().__init__(parent)
        self._data_dir = Path(data_dir)
        self._command = command or [sys.executable, str(PROJECT_ROOT / "main.py")]
        self._process: QProcess | None = None
        self._buffer = b""
        self._stderr = b""
        self._report: FeedsReport | None = None
        self._error: str | None = None
        self._cancelling = False
        self._kill_timer = QTimer(self)
        self._kill_timer.setSingleShot(True)
        self._kill_timer.timeout.connect(self._kill)

    def is_running(self) -> bool:
        return self._process is not None

    def start(self, arguments: list[str]) -> None:
        """Run `feeds ARGUMENTS` (e.g. ["add", url] or ["update"])."""
        if self._process is not None:
            raise RuntimeError("a feed update is already running")
        self._buffer, self._stderr = b"", b""
        self._report, self._error, self._cancelling = None, None, False
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.insert("PYTHONUNBUFFERED", "1")  # progress arrives as it happens
        environment.insert(DIE_WITH_ENV, str(os.getpid()))  # killed with the window
        process.setProcessEnvironment(environment)
        process.setWorkingDirectory(str(PROJECT_ROOT))
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._process = process
        full = [*self._command[1:], "--data-dir", str(self._data_dir), "feeds", *arguments]
        full += ["--progress", "json", "--no-index"]
        log.info("feeds started: %s", " ".join(full))
        process.start(self._command[0], full)

    def cancel(self) -> None:
        """Stop the update (SIGTERM, then a kill): entries written so far stay."""
        if self._process is None or self._cancelling:
            return
        self._cancelling = True
        self._process.terminate()
        self._kill_timer.start(CANCEL_GRACE_MS)

    def _kill(self) -> None:
        if self._process is not None:
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
        try:
            event: Any = json.loads(raw.decode("utf-8", errors="replace"))
        except json.JSONDecodeError:
            event = None
        if not isinstance(event, dict):
            if raw.strip():
                log.info("feeds said: %s", raw.decode("utf-8", errors="replace").strip())
            return
        kind = event.pop("event", None)
        if kind == "feeds-progress":
            known = FeedProgress.__dataclass_fields__
            self.progress.emit(FeedProgress(**{k: v for k, v in event.items() if k in known}))
        elif kind == "feeds-report":
            self._report = FeedsReport.from_json_dict(event)
        elif kind == "error":
            self._error = str(event.get("message", ""))

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart and self._process is not None:
            message = f"Could not start the feeds process ({self._command[0]}): "
            message += self._process.errorString()
            self._end()
            self.failed.emit(message)

    def _on_finished(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        if self._process is None:
            return
        self._read_stdout()
        self._read_stderr()
        if self._buffer.strip():
            self._handle_line(self._buffer)
        stderr = self._stderr.decode("utf-8", errors="replace").strip()
        if stderr:
            log.info("feeds stderr:\n%s", stderr)
        report, cancelled = self._report, self._cancelling
        crashed = exit_status == QProcess.ExitStatus.CrashExit
        self._end()
        if cancelled:
            report = report or FeedsReport()
            report.cancelled = True
            self.finished.emit(report)
        elif report is not None and not crashed and exit_code in (0, 1):
            self.finished.emit(report)  # exit code 1: some feed failed, and the report says which
        else:
            if self._error and not crashed:
                self.failed.emit(
                    self._error
                )  # the engine's own words ("…: HTTP 404; not subscribed")
                return
            detail = stderr[-STDERR_TAIL_CHARS:]
            message = "The feeds process crashed" if crashed else "Feeds could not be updated"
            self.failed.emit(f"{message}: {detail}" if detail else f"{message}.")

    def _end(self) -> None:
        self._kill_timer.stop()
        if self._process is not None:
            self._process.deleteLater()
        self._process = None


class FeedCommands(QObject):
    """The window's feed commands: ask for an address, run the runner, report in the status bar.

    New entries are written to files in the data folder; `entries_written` hands the feeds
    folder to the window, which indexes it as it indexes any folder.
    """

    message = Signal(str)  # for the status bar
    entries_written = Signal(list)  # [the feeds folder]: index it

    def __init__(self, parent: QWidget, data_dir: Path, runner: FeedRunner | None = None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._data_dir = Path(data_dir)
        self.runner = runner or FeedRunner(self._data_dir, self)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self._subscribing: str | None = None  # the address being subscribed to

    def subscribe(self) -> None:
        url = self.ask_url()
        if url is None or not url.strip():
            return
        url = url.strip()
        if not is_web_address(url):
            self.warn("Subscribe to a feed", f"“{url}” is not a web address (http:// or https://).")
            return
        if self._busy():
            return
        self._subscribing = url
        self.message.emit(f"Subscribing to {url}…")
        self.runner.start(["add", url])

    def update(self) -> None:
        if self._busy():
            return
        self._subscribing = None
        self.message.emit("Updating feeds…")
        self.runner.start(["update"])

    def cancel(self) -> None:
        self.runner.cancel()

    def ask_url(self) -> str | None:
        """The feed's address from the user (tests replace this); None when cancelled."""
        from PySide6.QtWidgets import QApplication, QInputDialog

        clipboard = QApplication.clipboard().text().strip()
        suggested = clipboard if is_web_address(clipboard) else ""
        text, ok = QInputDialog.getText(
            self._parent,
            "Subscribe to a feed",
            "Address of an RSS or Atom feed (its entries are saved in the library):",
            text=suggested,
        )
        return text if ok else None

    def warn(self, title: str, text: str) -> None:
        """Tell the user what went wrong in a dialog (tests replace this)."""
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self._parent, title, text)

    def _busy(self) -> bool:
        if self.runner.is_running():
            self.message.emit("Feeds are being updated; wait for it, or cancel it (File menu).")
            return True
        return False

    def _on_progress(self, progress: FeedProgress) -> None:
        if not progress.url:
            return
        text = (
            f"Updating feeds {progress.done + 1}/{progress.total}: {progress.title or progress.url}"
        )
        if progress.entries_total:
            current = min(progress.entries_done + 1, progress.entries_total)  # the one being read
            text += f" — entry {current}/{progress.entries_total}"
        self.message.emit(text + "…")

    def _on_finished(self, report: FeedsReport) -> None:
        written = len(report.written)
        lines = [entries_phrase(written, "new feed")]
        if self._subscribing is not None:
            title = next((f.title for f in report.feeds if f.title), None)
            lines = [f"Subscribed to {title or self._subscribing}: {lines[0]}"]
        if report.cancelled:
            lines.append("cancelled")
        lines += [f"failed: {feed.url} ({feed.error})" for feed in report.failed]
        resting = sum(1 for feed in report.feeds if feed.status == "too soon")
        if resting:
            # Polite polling: a feed is fetched at most every 30 minutes, or when its server allows.
            lines.append(f"{resting} feed{'s' if resting != 1 else ''} not checked again yet")
        summaries = sum(1 for feed in report.feeds for note in feed.notes if "summary" in note)
        if summaries:
            # Each one's reason (an HTTP error, a page without more text) is in the log.
            lines.append(f"{entries_phrase(summaries)} kept the feed's summary")
        for feed in report.feeds:
            log.info("feed: %s", feed.describe())
            for note in feed.notes:
                log.info("feed: %s", note)
        self.message.emit("; ".join(lines) + ".")
        if report.written:
            self.entries_written.emit([str(feeds_folder(self._data_dir))])

    def _on_failed(self, message: str) -> None:
        log.error("feeds: %s", message)
        if self._subscribing is not None:
            self.warn("Subscribe to a feed", f"Could not subscribe:\n{message}")
        self.message.emit(message)
