"""Indexing as the status bar shows it: the library's size, the indexing process's progress with
its Cancel button, what waits to be synced next, and the dock of files a sync skipped."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from search.api import config_dir
from ui.commands import command

# The indexing process, the progress widgets and the dock are built when first needed.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget, QProgressBar, QToolButton

    from search.models import SyncProgress, SyncReport
    from ui.indexer import IndexRunner
    from ui.search_session import OpenedLibrary
    from ui.skipped import SkippedDock

log = logging.getLogger(__name__)

# Indexing progress repaints the status bar at most this often (ten times a second).
PROGRESS_INTERVAL_MS = 100
# The library's size while a sync runs: what it has read is searchable only at its one commit.
READ_TOOLTIP = (
    "Articles read are added to the library all at once when indexing finishes, so a cancelled "
    "or failed sync leaves the library as it was."
)


class IndexingStatus(QObject):
    """Starts syncs in the indexing process (one at a time, the rest queued) and shows how they go."""

    message = Signal(str, int)  # status text and how long it shows (ms)
    notice = Signal(str)  # what the reader shows instead of an article (HTML)
    searchable = Signal()  # the index opened fine: search it
    index_changed = Signal()  # a sync committed changes: searches should see them
    sync_ended = Signal()  # a sync finished (the library's roots may have changed)

    def __init__(
        self, window: QMainWindow, data_dir: Path, runner: IndexRunner | None = None
    ) -> None:
        super().__init__(window)
        self._window = window  # the status bar and the dock area are the window's
        self._data_dir = data_dir
        self.read_only: str | None = None  # why the data folder cannot be written
        self.library_label = QLabel("Opening the index…", window)
        self.library_label.setObjectName("library-size")
        # Says what holds for the whole session (a read-only data folder), above everything.
        self.banner = QLabel(window)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel#banner { background: #fff3cd; color: #5c4400; padding: 6px;"
            " border: 1px solid #e6c65c; border-radius: 3px; }"
        )
        self.banner.hide()
        self._runner: IndexRunner | None = None
        self._skipped: SkippedDock | None = None
        self._progress: tuple[QLabel, QProgressBar, QToolButton] | None = None
        self._pending_paths: list[str] = []
        self._pending_rebuild = False
        self._resync_pending = False  # sync the saved library after the running sync
        self._latest_progress: SyncProgress | None = None
        self._shown_progress: SyncProgress | None = None
        # The file (and part) the indexing process finished last: what the progress names.
        self._finished: tuple[str, str] = ("", "")
        self._library_text = self.library_label.text()  # the size the last commit gave
        self.progress_timer = QTimer(self)
        self.progress_timer.setSingleShot(True)
        self.progress_timer.setInterval(PROGRESS_INTERVAL_MS)
        self.progress_timer.timeout.connect(self._show_progress)
        if runner is not None:
            self._use_runner(runner)

    # -- the index as it opened, the library's size -----------------------------------------

    def open_done(self, opened: OpenedLibrary) -> None:
        """The index opened (or not): say so, sync the library, and search when it can be."""
        if opened.read_only is not None:
            self.read_only = opened.read_only
            log.warning("read-only: %s", opened.read_only)
            self.banner.setText(
                f"Read-only: {opened.read_only}. Searching, reading and printing work; "
                "indexing and corrections cannot be saved here."
            )
            self.banner.show()
        if opened.problem is not None:
            import html

            log.error("index unavailable: %s", opened.problem)
            self.show_unavailable()
            self.notice.emit(
                f"The index in {self._data_dir} cannot be opened: {html.escape(opened.problem)}"
            )
            return
        if opened.outdated is not None:
            log.warning("%s; rebuilding", opened.outdated)
            self.show_rebuilding()
            self.notice.emit(
                "The index was made by another version of Briefing Cards: it is being rebuilt "
                "from your library (articles whose text has not changed keep their actors, "
                "places and figures). Results appear when it is done."
            )
            self.start_indexing(opened.library)
            return
        self.show_library_size(opened.count)
        if opened.library_problem is not None:
            log.error("library file: %s", opened.library_problem)
            self.message.emit(opened.library_problem, 0)
        if opened.library:
            self.start_indexing(opened.library)
        self.searchable.emit()

    def show_library_size(self, count: int) -> None:
        self._set_library_text(f"{count} article{'s' if count != 1 else ''} in the library")

    def show_unavailable(self) -> None:
        self._set_library_text("Index unavailable")

    def show_rebuilding(self) -> None:
        self._set_library_text("Rebuilding the index…")

    def _set_library_text(self, text: str) -> None:
        self._library_text = text
        self.library_label.setText(text)
        self.library_label.setToolTip("")

    # -- the indexing process --------------------------------------------------------------

    @property
    def runner(self) -> IndexRunner:
        """The indexing process's runner, made (and its module imported) when first needed."""
        if self._runner is None:
            from ui.indexer import IndexRunner

            self._use_runner(IndexRunner(self._data_dir, self._window))
        assert self._runner is not None
        return self._runner

    def _use_runner(self, runner: IndexRunner) -> None:
        self._runner = runner
        runner.progress.connect(self._on_progress)
        runner.finished.connect(self._on_finished)
        runner.failed.connect(self._on_failed)

    def is_running(self) -> bool:
        return self._runner is not None and self._runner.is_running()

    def start_indexing(self, paths: list[str], rebuild: bool = False) -> None:
        """Sync `paths` in the indexing process; if one is running, they go after it."""
        if self.read_only is not None:
            self.message.emit(f"Cannot index: {self.read_only}.", 10000)
            return
        if self.runner.is_running():
            self._pending_paths += [path for path in paths if path not in self._pending_paths]
            self._pending_rebuild = self._pending_rebuild or rebuild
            return
        self.runner.start(paths, rebuild=rebuild)
        self._latest_progress = self._shown_progress = None
        self._finished = ("", "")
        self.progress_label.setText("Indexing…")
        self.progress_bar.setRange(0, 0)
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.show()

    def sync_library(self) -> None:
        """Sync the saved library as it is now, after the running sync if there is one (a
        removal may leave no path to queue, so a flag keeps it)."""
        if self.is_running():
            self._resync_pending = True
        else:
            self.start_indexing([])  # no paths: the engine syncs the saved library

    @command("cancel_indexing")
    def cancel(self) -> None:
        if self._runner is not None:
            self._runner.cancel()

    def _on_progress(self, progress: SyncProgress) -> None:
        # The indexing process reports every file, in bursts: repaint at once when idle, then at
        # most every PROGRESS_INTERVAL_MS with the latest (the timer runs while there is news).
        self._latest_progress = progress
        if progress.phase == "extracting":
            self._finished = (progress.path, progress.part)
        if not self.progress_timer.isActive():
            self._show_progress()

    def _show_progress(self) -> None:
        """Show the latest progress: what is finished, never the files the extractor reads ahead.

        Until the first file is finished (the model loading, the extractor reading ahead) it says
        how many files are being read; then files finished of all and the one finished last; then
        that the index is being saved. The library's size says how many articles were read.
        """
        progress = self._latest_progress
        if progress is None or progress is self._shown_progress or not self.runner.is_running():
            return
        self._shown_progress = progress
        self.progress_timer.start()  # the next repaint waits at least PROGRESS_INTERVAL_MS
        files = f"{progress.total} file{'s' if progress.total != 1 else ''}"
        path, part = self._finished
        if progress.phase == "writing":
            busy, text = True, "Saving the index…"
        elif progress.phase == "scanning":
            busy, text = True, f"Checking {files}…"
        elif progress.done == 0 and not path:
            busy, text = True, f"Reading {files}…"
        else:
            busy = False
            where = f" ({part})" if part else ""  # inside a mailbox, feed or book
            text = f"Indexing {progress.done}/{progress.total} {Path(path).name}{where}".rstrip()
        self.progress_bar.setRange(0, 0 if busy else max(progress.total, 1))
        if not busy:
            self.progress_bar.setValue(progress.done)
        self.progress_label.setText(text)
        if progress.articles:
            read = f"{progress.articles:,} article{'s' if progress.articles != 1 else ''}"
            self.library_label.setText(f"{self._library_text} · {read} read…")
            self.library_label.setToolTip(READ_TOOLTIP)

    def _on_finished(self, report: SyncReport) -> None:
        changed = len(report.added) + len(report.updated) + len(report.removed)
        # Committed: the articles read stay in the library's size until it is counted again.
        self._end_indexing(counting=bool(changed) and not report.cancelled)
        summary = (
            f"Indexing {'cancelled' if report.cancelled else 'done'}: {len(report.added)} added, "
            f"{len(report.updated)} updated, {len(report.removed)} removed"
        )
        if report.skipped or self._skipped is not None:
            # One entry per file or part left out; the dock opens by itself only for news.
            news = self.skipped_dock.show_skipped(report.skipped, complete=not report.cancelled)
            if report.skipped:
                see = f"{news} new; see" if news else "see"
                summary += (
                    f", {self.skipped_dock.count()} skipped ({see} View ▸ Show skipped files)"
                )
            if news:
                self.skipped_dock.open_modestly(self._window)
        for message in report.messages:
            log.info("indexing: %s", message)
            summary += f". {message}"
        self.message.emit(summary, 10000)
        if changed or report.cancelled:
            self.index_changed.emit()
        self.sync_ended.emit()
        self._start_pending()

    def _on_failed(self, message: str) -> None:
        self._end_indexing()
        self.message.emit(message, 20000)
        if self.skipped_dock.show_failure(message):
            self.skipped_dock.open_modestly(self._window)
        self._start_pending()

    def _end_indexing(self, *, counting: bool = False) -> None:
        """Hide the progress; the library's size is the last count's again, unless the sync
        committed changes (`counting`: index_changed has the index counted, then it is shown)."""
        self.progress_timer.stop()
        self._latest_progress = self._shown_progress = None
        if not counting:
            self._set_library_text(self._library_text)
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.hide()

    def _start_pending(self) -> None:
        if self._pending_paths or self._resync_pending:
            paths, rebuild = self._pending_paths, self._pending_rebuild
            self._pending_paths, self._pending_rebuild, self._resync_pending = [], False, False
            self.start_indexing(paths, rebuild)

    def stop(self) -> None:
        """On closing: a running sync is cancelled (what it committed stays)."""
        if self.is_running():
            assert self._runner is not None
            self._runner.cancel()

    # -- the widgets, built when first needed ----------------------------------------------

    @property
    def progress_label(self) -> QLabel:
        """Indexing progress in the status bar (built when indexing first starts)."""
        return self._progress_widgets()[0]

    @property
    def progress_bar(self) -> QProgressBar:
        return self._progress_widgets()[1]

    @property
    def cancel_button(self) -> QToolButton:
        return self._progress_widgets()[2]

    def _progress_widgets(self) -> tuple[QLabel, QProgressBar, QToolButton]:
        if self._progress is None:
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QProgressBar, QToolButton

            window = self._window
            label = QLabel(window)
            label.setTextFormat(Qt.TextFormat.PlainText)  # it names the user's files
            bar = QProgressBar(window)
            bar.setObjectName("index-progress")
            bar.setMaximumWidth(220)
            bar.setTextVisible(True)
            button = QToolButton(window)
            button.setObjectName("cancel-indexing")
            button.setText("Cancel")
            button.setToolTip("Stop indexing; what is indexed so far stays searchable")
            button.clicked.connect(self.cancel)
            for widget in (label, bar, button):
                window.statusBar().addPermanentWidget(widget)
                widget.hide()
            self._progress = (label, bar, button)
        return self._progress

    @property
    def skipped_dock(self) -> SkippedDock:
        """The dock listing files indexing skipped, built the first time there is one to show."""
        if self._skipped is None:
            from PySide6.QtCore import Qt

            from ui.skipped import SEEN_FILE, SkippedDock

            self._skipped = SkippedDock(self._window, config_dir() / SEEN_FILE)
            self._window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self._skipped)
            self._skipped.hide()
        return self._skipped

    @command("show_skipped")
    def show_skipped(self) -> None:
        self.skipped_dock.open_modestly(self._window)

    @property
    def skipped_list(self) -> QListWidget:
        return self.skipped_dock.list
