"""The library's folders and files from the window: the Library dialog, and removing a root or the
open article's file from the library. The files themselves are never touched; the window syncs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from search.api import LibraryFileError, LibraryRoot, library_roots, root_holding
from ui.background import BackgroundRunner
from ui.commands import new_action

if TYPE_CHECKING:
    from search.api import Library
    from search.models import StoredArticle

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def confirm(parent: QWidget, title: str, text: str, accept: str, reject: str = "Cancel") -> bool:
    """Ask a yes/no question with buttons that say what they do; Esc and Enter mean `reject`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setTextFormat(Qt.TextFormat.PlainText)  # it quotes titles and paths as they are
    yes = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(reject, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


class LibraryManager(QObject):
    """Lists, adds and removes the library's roots; `sync_wanted` asks the window to sync."""

    sync_wanted = Signal()  # the saved library changed: the index should follow it
    message = Signal(str)  # what happened, for the status bar

    def __init__(
        self,
        parent: QWidget,
        data_dir: Path,
        index: Callable[[], Library | None],
        add_folder: Callable[[], None],
        add_files: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._data_dir = data_dir
        self._index = index
        self._add_folder = add_folder
        self._add_files = add_files
        # Counting each root's articles reads every article's path: off the GUI thread.
        self.runner = BackgroundRunner(threads=1, latest_only=True, parent=self)
        self.dialog: LibraryDialog | None = None

    def manage(self) -> None:
        """File ▸ Manage library folders…: show the dialog with the roots as they are now."""
        if self.dialog is None:
            self.dialog = LibraryDialog(self._parent)
            self.dialog.add_folder_button.clicked.connect(lambda: self._add(self._add_folder))
            self.dialog.add_files_button.clicked.connect(lambda: self._add(self._add_files))
            self.dialog.remove_requested.connect(self.remove)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.refresh()

    def _add(self, add: Callable[[], None]) -> None:
        add()  # the file dialog, then the window saves the paths and starts their sync
        self.refresh()  # listed at once; their counts follow when the sync is done

    def refresh(self) -> None:
        """Re-read the roots and their article counts into the dialog, if it is open."""
        dialog = self.dialog
        if dialog is None or not dialog.isVisible():
            return
        index, data_dir = self._index(), self._data_dir
        self.runner.submit(lambda: library_roots(data_dir, index), dialog.show_roots, dialog.say)

    def remove(self, paths: list[str]) -> None:
        """Take folders or files out of the library; the sync then drops their articles."""
        from search.api import remove_from_library

        try:
            _library, unknown = remove_from_library(self._data_dir, paths)
        except (LibraryFileError, OSError) as error:
            self.message.emit(f"The library was not changed: {error}")
            return
        removed = [path for path in paths if path not in unknown]
        if removed:
            what = (
                Path(removed[0]).name if len(removed) == 1 else f"{len(removed)} folders or files"
            )
            self.message.emit(
                f"Removed {what} from the library: its articles leave the index "
                "(the files themselves are not touched)."
            )
            self.sync_wanted.emit()
        self.refresh()

    def remove_article(self, stored: StoredArticle | None) -> None:
        """Remove the open article's file from the library, if it was added as a file; if it lies
        in a library folder, say so and offer to remove the folder or leave it."""
        from search.api import load_library

        if stored is None:
            self.message.emit("Open an article first: it is the one removed from the library.")
            return
        article = stored.article
        try:
            library = load_library(self._data_dir)
        except LibraryFileError as error:
            self.message.emit(str(error))
            return
        if article.path in library:
            several = (
                " The file holds several articles (entries, messages or chapters): all of them go."
                if article.part is not None
                else ""
            )
            if confirm(
                self._parent,
                "Remove this article from the library?",
                f"Remove “{article.title}” ({article.path}) from the library?{several}\n\n"
                "The file itself is not touched.",
                "Remove",
            ):
                self.remove([article.path])
            return
        folder = root_holding(library, article.path)
        if folder is None:
            self.message.emit(f"“{article.title}” is not in the library any more; F5 re-syncs.")
            return
        if confirm(
            self._parent,
            "The article is in a library folder",
            f"“{article.title}” is in the folder {folder}, which is in the library, so it "
            "cannot leave on its own. Remove the whole folder from the library, or leave it?\n\n"
            "The files themselves are not touched; to drop only this article, move its file out "
            "of the folder and press F5.",
            "Remove the folder",
            "Leave it",
        ):
            self.remove([folder])


class LibraryDialog(QDialog):
    """The library's roots with their articles, and buttons to add or remove (keyboard first)."""

    remove_requested = Signal(list)  # the selected roots, after the user confirmed

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("library-dialog")
        self.setWindowTitle("Library folders and files")
        self.roots = QTreeWidget(self)
        self.roots.setObjectName("library-roots")
        self.roots.setColumnCount(3)
        self.roots.setHeaderLabels(["Folder or file", "Articles", ""])
        self.roots.setRootIsDecorated(False)
        self.roots.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        self.roots.header().setStretchLastSection(False)
        self.roots.header().setSectionResizeMode(0, self.roots.header().ResizeMode.Stretch)
        for column in (1, 2):
            self.roots.header().setSectionResizeMode(
                column, self.roots.header().ResizeMode.ResizeToContents
            )
        remove_key = new_action(self.roots, "Remove")
        remove_key.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.triggered.connect(self.remove_selected)
        self.roots.addAction(remove_key)

        self.note = QLabel(self)
        self.note.setObjectName("library-note")
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.add_folder_button = QPushButton("Add &folder…", self)
        self.add_files_button = QPushButton("Add f&iles…", self)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.setToolTip(
            "Take the selected folders or files out of the library (Delete); "
            "the files themselves are not touched"
        )
        self.remove_button.clicked.connect(self.remove_selected)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.add_folder_button, self.add_files_button, self.remove_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.roots, 1)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self.resize(760, 360)
        self.say("Reading the library…")

    def show_roots(self, roots: list[LibraryRoot]) -> None:
        """Fill the list, keeping the selection on the same paths where they remain."""
        selected = set(self.selected_paths())
        self.roots.clear()
        for root in roots:
            status = {"folder": "folder", "file": "file", "missing": "not found: articles kept"}
            note = status[root.kind] + (" · bundled seeds" if root.seeds else "")
            item = QTreeWidgetItem(self.roots, [root.path, f"{root.articles:,}", note])
            item.setData(0, PATH_ROLE, root.path)
            item.setToolTip(0, root.path)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setSelected(root.path in selected)
        first = self.roots.topLevelItem(0)
        if first is not None and not self.roots.selectedItems():
            self.roots.setCurrentItem(first)
        self.remove_button.setEnabled(bool(roots))
        self.say(
            "Removing takes a folder's or file's articles out of the index (Delete); "
            "the files themselves are never touched."
            if roots
            else "The library is empty: add a folder or files."
        )
        self.roots.setFocus()

    def say(self, text: str) -> None:
        self.note.setText(text)

    def selected_paths(self) -> list[str]:
        return [str(item.data(0, PATH_ROLE)) for item in self.roots.selectedItems()]

    def remove_selected(self) -> None:
        paths = self.selected_paths()
        if not paths:
            return
        what = paths[0] if len(paths) == 1 else f"these {len(paths)} folders and files"
        if confirm(
            self,
            "Remove from the library?",
            f"Remove {what} from the library? Its articles leave the index.\n\n"
            "The files themselves are not touched.",
            "Remove",
        ):
            self.remove_requested.emit(paths)
