"""The window shows copies of one story as one result ("2 copies") and Alt+C opens each in turn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from search.index import ArticleIndex
from tests.test_duplicates import _library, _no_extraction
from ui.main_window import MainWindow
from ui.results import HIT_ROLE

WAIT_MS = 10_000


def test_alt_c_opens_each_copy_of_a_story(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[[Path], MainWindow]
) -> None:
    data = tmp_path / "data"
    index = ArticleIndex.open(data)
    index.sync([_library(tmp_path)], extractor=_no_extraction)
    index.close()
    window = open_window(data)
    window.search_for("bridge")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=WAIT_MS)
    row = next(
        r for r in range(2) if window.model.index(r).data(HIT_ROLE).copies
    )  # the story held in two files
    window.result_list.setCurrentIndex(window.model.index(row))
    qtbot.waitUntil(lambda: window.stored is not None, timeout=WAIT_MS)
    first = window.stored.article.path
    spoken = window.model.index(row).data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.endswith(", 2 copies")
    window.actions_by_name["open_copy"].trigger()
    assert window.stored.article.path != first
    assert window.statusBar().currentMessage().startswith("Copy 2 of 2: ")
    window.actions_by_name["open_copy"].trigger()
    assert window.stored.article.path == first
    window.searcher.wait(WAIT_MS)
