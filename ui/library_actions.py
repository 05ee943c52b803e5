"""What the user does to the library from the window: add files or folders (by dialog, by drag and
drop, by a second launch), re-sync, rebuild, manage its roots, remove an article, and feeds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ui.commands import command

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from search.api import Library
    from search.models import StoredArticle
    from ui.feeds import FeedCommands
    from ui.library import LibraryManager


class LibraryActions(QObject):
    """The library's commands; the dialogs, the Library window and feeds are built when first used."""

    message = Signal(str, int)  # status text and how long it shows (0: until replaced)
    index_wanted = Signal(list, bool)  # paths to sync, and whether to rebuild the index
    sync_wanted = Signal()  # the saved library changed: sync it after the running sync

    def __init__(
        self, parent: QWidget, data_dir: Path, index: Callable[[], Library | None]
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._data_dir = data_dir
        self._index = index
        self.stored: StoredArticle | None = None  # the open article, told by the reader
        self._library: LibraryManager | None = None
        self._feeds: FeedCommands | None = None

    def set_article(self, stored: StoredArticle | None) -> None:
        self.stored = stored

    def add_paths(self, paths: list[str]) -> None:
        """Remember `paths` in the library and index them in the background."""
        from search.api import add_to_library

        if not paths:
            return
        add_to_library(self._data_dir, paths)
        self.message.emit(
            f"Adding {len(paths)} path{'s' if len(paths) != 1 else ''} to the library…", 5000
        )
        self.index_wanted.emit(paths, False)

    @command("add_files")
    def add_files_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from search.api import file_dialog_filter

        files, _filter = QFileDialog.getOpenFileNames(
            self._parent, "Add articles to the library", str(Path.home()), file_dialog_filter()
        )
        self.add_paths(files)

    @command("add_folder")
    def add_folder_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(
            self._parent, "Add a folder of articles", str(Path.home())
        )
        if folder:
            self.add_paths([folder])

    def _saved_library(self) -> list[str] | None:
        """The saved library, or None when library.json could not be used (the status bar says why)."""
        from search.api import LibraryFileError, load_library

        try:
            return load_library(self._data_dir)
        except LibraryFileError as error:
            self.message.emit(str(error), 0)
            return None

    @command("resync")
    def resync(self) -> None:
        library = self._saved_library()
        if library is None:
            return
        if not library:
            self.message.emit("The library is empty: add files or folders with Ctrl+O.", 5000)
            return
        self.index_wanted.emit(library, False)

    @command("rebuild_index")
    def rebuild_index(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self._parent,
            "Rebuild the index?",
            "Rebuild the index from the library's files? Searching keeps working on the old index "
            "until the rebuild is done. Your files are not changed.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            library = self._saved_library()
            if library is not None:
                self.index_wanted.emit(library, True)

    # -- the library's roots ---------------------------------------------------------------

    @property
    def library(self) -> LibraryManager:
        """The library's roots: the Library dialog and removing (built when first used)."""
        if self._library is None:
            from ui.library import LibraryManager

            self._library = LibraryManager(
                self._parent,
                self._data_dir,
                self._index,
                self.add_folder_dialog,
                self.add_files_dialog,
            )
            self._library.message.connect(lambda text: self.message.emit(text, 10000))
            self._library.sync_wanted.connect(self.sync_wanted)
        return self._library

    @command("manage_library")
    def manage(self) -> None:
        self.library.manage()

    @command("remove_article")
    def remove_article(self) -> None:
        self.library.remove_article(self.stored)

    def on_sync_ended(self) -> None:
        """A sync finished: an open Library window shows the roots as they are now."""
        if self._library is not None:
            self._library.refresh()

    def wait(self) -> None:
        """On closing: the Library window's worker reads the index about to close."""
        if self._library is not None:
            self._library.runner.wait(5000)

    # -- feeds -----------------------------------------------------------------------------

    @property
    def feeds(self) -> FeedCommands:
        """Subscribing to and updating feeds (ui/feeds.py), made when first used; new entries are
        indexed like any added folder."""
        if self._feeds is None:
            from ui.feeds import FeedCommands

            self._feeds = FeedCommands(self._parent, self._data_dir)
            self._feeds.message.connect(lambda text: self.message.emit(text, 15000))
            self._feeds.entries_written.connect(lambda paths: self.index_wanted.emit(paths, False))
        return self._feeds

    @command("subscribe_feed")
    def subscribe_feed(self) -> None:
        self.feeds.subscribe()

    @command("update_feeds")
    def update_feeds(self) -> None:
        self.feeds.update()

    @command("cancel_feed_update")
    def cancel_feed_update(self) -> None:
        self.feeds.cancel()

    # -- drag and drop, a second launch ----------------------------------------------------

    def accept_drag(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def drop(self, event: QDropEvent) -> None:
        urls: list[QUrl] = event.mimeData().urls()
        self.add_paths([url.toLocalFile() for url in urls if url.isLocalFile()])
        event.acceptProposedAction()

    def add_arguments(self, args: list[str]) -> None:
        """A second launch's arguments: the paths among them join the library."""
        self.add_paths([arg for arg in args if not arg.startswith("-") and Path(arg).exists()])
