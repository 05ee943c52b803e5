"""Links out of the app (ui/result_menu.py, the article's meta line): the source URL opens in the
system browser, never inside the app; a result's menu opens its source or file, copies or searches
its title. QDesktopServices is patched: no browser starts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow

WAIT_MS = 5000


@pytest.fixture
def opened_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url)))
    return opened


def _show_wikinews(qtbot: QtBot, window: MainWindow) -> None:
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "source:wikinews Afghan")
    qtbot.waitUntil(
        lambda: window.answer is not None and window.answer.query == "source:wikinews Afghan",
        timeout=WAIT_MS,
    )
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(window.result_list, Qt.Key.Key_Return)
    assert window.stored is not None and window.stored.article.url


def _anchor_cursor(window: MainWindow, href: str) -> QTextCursor | None:
    block = window.article.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(window.article.document())
                cursor.setPosition(fragment.position() + 1)
                return cursor
            it += 1
        block = block.next()
    return None


def test_the_source_link_in_the_meta_line_opens_in_the_browser(
    qtbot: QtBot, window: MainWindow, opened_urls: list[QUrl]
) -> None:
    _show_wikinews(qtbot, window)
    stored = window.stored
    assert stored is not None and stored.article.url
    cursor = _anchor_cursor(window, stored.article.url)
    assert cursor is not None, "the meta line links the source"
    assert cursor.blockNumber() == 1  # the meta line, under the title
    at = window.article.cursorRect(cursor).center()
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert opened_urls == [QUrl(stored.article.url)]
    # Nothing loaded inside the app: the same article, its title on top.
    assert window.stored is stored
    assert window.article.document().begin().text() == stored.article.title


def test_the_result_menu_opens_copies_and_searches(
    qtbot: QtBot, window: MainWindow, opened_urls: list[QUrl], monkeypatch: pytest.MonkeyPatch
) -> None:
    _show_wikinews(qtbot, window)
    hit = window.result_list.current_hit()
    stored = window.stored
    assert hit is not None and stored is not None
    shown: list[list[str]] = []
    monkeypatch.setattr(
        "ui.result_menu.pop_up",
        lambda menu, _at: shown.append([a.text() for a in menu.actions() if not a.isSeparator()]),
    )
    rect = window.result_list.visualRect(window.result_list.currentIndex())
    window.result_list.customContextMenuRequested.emit(rect.center())
    assert shown == [
        [
            "Open the source in the browser",
            "Open the file",
            "Copy the title",
            "Search for the title",
        ]
    ]
    menu = window.result_menu.menu_for(hit)
    actions = {action.text(): action for action in menu.actions()}
    actions["Open the source in the browser"].trigger()
    actions["Open the file"].trigger()
    assert opened_urls == [QUrl(stored.article.url), QUrl.fromLocalFile(hit.path)]
    actions["Copy the title"].trigger()
    assert QApplication.clipboard().text() == hit.title
    actions["Search for the title"].trigger()
    assert window.search_box.text() == f'"{hit.title}"'
    qtbot.waitUntil(lambda: window.answer is not None and window.answer.query == f'"{hit.title}"')
    assert hit.id in [h.id for h in window.result.hits]
