"""Runs `briefing index --progress json` in a child process and turns its JSON lines into Qt signals."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from search.models import Skipped, SyncProgress, SyncReport
from ui.child_process import EngineProcess, stderr_tail

log = logging.getLogger(__name__)


def report_from_event(event: dict[str, Any]) -> SyncReport:
    """A SyncReport from the `{"event": "report", ...}` line the index command prints last."""
    return SyncReport(
        added=list(event.get("added", [])),
        updated=list(event.get("updated", [])),
        removed=list(event.get("removed", [])),
        unchanged=int(event.get("unchanged", 0)),
        skipped=[
            Skipped(s["path"], s["reason"], str(s.get("part", "")))
            for s in event.get("skipped", [])
        ],
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
        read=int(event.get("read", 0)),
        articles=int(event.get("articles", 0)),
    )


class IndexRunner(EngineProcess):
    """Syncs files into the index in a separate process, so spaCy never loads in the window's process.

    Each run ends with exactly one of `finished` (a SyncReport; cancelled=True after `cancel()`)
    or `failed` (a message saying what went wrong, with the tail of the process's stderr).
    """

    def __init__(
        self, data_dir: Path, parent: QObject | None = None, *, command: list[str] | None = None
    ) -> None:
        """`command` replaces `python main.py` (tests run a stand-in); the index arguments follow it."""
        super().__init__(data_dir, parent, command=command, what="indexing")

    def start(self, paths: list[str], rebuild: bool = False) -> None:
        """Start syncing `paths` (empty: the engine's default library) into the index."""
        arguments = ["index", "--progress", "json", *(["--rebuild"] if rebuild else [])]
        # "--" keeps a file whose name starts with "-" from being read as an option.
        self._launch([*arguments, "--", *paths])

    def _event(self, kind: str, event: dict[str, Any]) -> bool:
        if kind == "progress":
            self.progress.emit(progress_from_event(event))
        elif kind == "report":
            self._report = report_from_event(event)
        else:
            return False
        return True

    def _ended(self, exit_code: int, crashed: bool, cancelled: bool, stderr: str) -> None:
        report: SyncReport | None = self._report
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
        detail = self._error or stderr_tail(stderr)
        return f"{message}: {detail}" if detail else f"{message}."
