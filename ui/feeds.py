"""Feeds in the window: "Subscribe to a feed…" and "Update feeds" run `briefing feeds` in a child process and say what came of it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from search.api import FeedProgress, FeedsReport, entries_phrase, feeds_folder, is_web_address
from ui.child_process import EngineProcess, stderr_tail

log = logging.getLogger(__name__)


class FeedRunner(EngineProcess):
    """Runs `briefing feeds … --progress json --no-index` in a child process: the network waits
    and the feed parsing stay out of the window's process, and Cancel can always stop it.

    Each run ends with exactly one of `finished` (a FeedsReport; a feed that failed is in it) or
    `failed` (why nothing was done: a refused subscription, a crash).
    """

    def __init__(
        self, data_dir: Path, parent: QObject | None = None, *, command: list[str] | None = None
    ) -> None:
        """`command` replaces `python main.py` (tests may run a stand-in)."""
        super().__init__(data_dir, parent, command=command, what="feeds")

    def start(self, arguments: list[str]) -> None:
        """Run `feeds ARGUMENTS` (e.g. ["add", url] or ["update"]); entries written stay on Cancel."""
        self._launch(["feeds", *arguments, "--progress", "json", "--no-index"])

    def _event(self, kind: str, event: dict[str, Any]) -> bool:
        if kind == "feeds-progress":
            known = FeedProgress.__dataclass_fields__
            self.progress.emit(FeedProgress(**{k: v for k, v in event.items() if k in known}))
        elif kind == "feeds-report":
            self._report = FeedsReport.from_json_dict(event)
        else:
            return False
        return True

    def _ended(self, exit_code: int, crashed: bool, cancelled: bool, stderr: str) -> None:
        report: FeedsReport | None = self._report
        if cancelled:
            report = report or FeedsReport()
            report.cancelled = True
            self.finished.emit(report)
        elif report is not None and not crashed and exit_code in (0, 1):
            self.finished.emit(report)  # exit code 1: some feed failed, and the report says which
        elif self._error and not crashed:
            self.failed.emit(self._error)  # the engine's own words ("…: HTTP 404; not subscribed")
        else:
            detail = stderr_tail(stderr)
            message = "The feeds process crashed" if crashed else "Feeds could not be updated"
            self.failed.emit(f"{message}: {detail}" if detail else f"{message}.")


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
