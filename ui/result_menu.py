"""A result's menu (right click, Shift+F10 or the Menu key on the result list): open its source in
the system browser, open its file, copy its title, search for its title. Web addresses and files
always open outside the app, through QDesktopServices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMenu

from ui.commands import command
from ui.qt_names import set_enum

if TYPE_CHECKING:
    from search.models import Hit, StoredArticle
    from ui.result_list import ResultList


def open_in_browser(url: str | None) -> bool:
    """Open a web address in the system browser; False (nothing opened) for no or a non-web address."""
    from PySide6.QtCore import QUrl  # here, not at start-up: importing it builds its five enums

    if not url or QUrl(url).scheme() not in ("http", "https"):
        return False
    QDesktopServices.openUrl(QUrl(url))
    return True


def pop_up(menu: QMenu, at: QPoint) -> None:
    """Show the menu at `at` (global) until it is closed (the tests replace this)."""
    menu.exec(at)


def search_for_title(title: str) -> str:
    """The query that finds a title: the words as one phrase (its own double quotes dropped)."""
    return '"' + " ".join(title.replace('"', " ").split()) + '"'


class ResultMenu(QObject):
    """The result list's context menu; the open article's source link too (`open_source`)."""

    search_requested = Signal(str)  # a query to run (the title as a phrase)
    message = Signal(str, int)  # status text and how long it shows (ms)

    def __init__(
        self,
        results: ResultList,
        stored_for: Callable[[Hit], StoredArticle | None],
        open_article: Callable[[], StoredArticle | None],
    ) -> None:
        super().__init__(results)
        self._results = results
        self._stored_for = stored_for  # the stored article of a hit (for its URL)
        self._open_article = open_article  # the article the reader shows
        set_enum(results, "contextMenuPolicy", "CustomContextMenu")
        results.customContextMenuRequested.connect(self._on_requested)

    def menu_for(self, hit: Hit) -> QMenu:
        stored = self._stored_for(hit)
        url = stored.article.url if stored is not None else None
        menu = QMenu(self._results)
        source = menu.addAction("Open the source in the browser")
        source.setEnabled(bool(url))
        source.setToolTip(url or "This article has no web address")
        source.triggered.connect(lambda: self._open_url(url))
        menu.addAction("Open the file").triggered.connect(lambda: self._open_file(hit.path))
        menu.addSeparator()
        menu.addAction("Copy the title").triggered.connect(lambda: self._copy(hit.title))
        menu.addAction("Search for the title").triggered.connect(
            lambda: self.search_requested.emit(search_for_title(hit.title))
        )
        return menu

    def _on_requested(self, position: QPoint) -> None:
        index = self._results.indexAt(position)
        if index.isValid():
            self._results.setCurrentIndex(index)
        self.show_menu(self._results.viewport().mapToGlobal(position))

    @command("result_menu")
    def show_menu(self, at: QPoint | None = None) -> None:
        hit = self._results.current_hit()
        if hit is None:
            return
        if at is None:  # from the keyboard: under the selected row
            rect = self._results.visualRect(self._results.currentIndex())
            at = self._results.viewport().mapToGlobal(rect.bottomLeft())
        pop_up(self.menu_for(hit), at)

    @command("open_source")
    def open_source(self) -> None:
        """The open article's source in the system browser."""
        stored = self._open_article()
        if stored is None:
            self.message.emit("Open an article first.", 5000)
            return
        self._open_url(stored.article.url)

    def _open_url(self, url: str | None) -> None:
        if open_in_browser(url):
            self.message.emit(f"Opened {url} in the browser", 5000)
        else:
            self.message.emit("This article has no web address to open.", 5000)

    def _open_file(self, path: str) -> None:
        from PySide6.QtCore import QUrl

        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        self.message.emit(f"Opened {path}", 5000)

    def _copy(self, title: str) -> None:
        QApplication.clipboard().setText(title)
        self.message.emit("Title copied", 3000)
