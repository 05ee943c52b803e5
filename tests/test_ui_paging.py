"""The window stays light: focus in the search box at once, results a page at a time, superseded work skipped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import ui.search_session
from search.index import ArticleIndex
from search.models import Extraction
from ui.background import BackgroundRunner
from ui.main_window import MainWindow

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
WAIT_MS = 5000


@pytest.fixture(scope="module")
def seed_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed library indexed without extraction (no library file: the window does not re-sync)."""
    data = tmp_path_factory.mktemp("paging") / "data"
    index = ArticleIndex.open(data)
    index.sync([SEEDS], extractor=lambda texts: [Extraction() for _ in texts])
    index.close()
    return data


@pytest.fixture
def window(qtbot: QtBot, seed_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setattr(ui.search_session, "PAGE_SIZE", 10)
    main = MainWindow(seed_data)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.searcher.wait(WAIT_MS)


def test_the_search_box_has_the_focus_when_the_window_shows(window: MainWindow) -> None:
    window.activateWindow()
    assert QApplication.focusWidget() is window.search_box


def test_results_come_a_page_at_a_time_as_the_list_scrolls(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.start()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=WAIT_MS)
    assert window.model.rowCount() == 10
    assert (
        window.query_bar.count_label.text() == "25 articles"
    )  # the total is exact from the first page
    assert window.model.canFetchMore()
    for expected in (20, 25):
        window.result_list.scrollToBottom()
        window.model.fetchMore()
        qtbot.waitUntil(lambda n=expected: window.model.rowCount() == n, timeout=WAIT_MS)
    assert not window.model.canFetchMore()
    hits = window.model.hits()
    assert len({hit.id for hit in hits}) == 25
    dates = [hit.date for hit in hits if hit.date]
    assert dates == sorted(dates, reverse=True)  # the pages continue the same ranking


def test_a_new_query_replaces_the_pages_of_the_old_one(qtbot: QtBot, window: MainWindow) -> None:
    window.start()
    qtbot.waitUntil(lambda: window.model.rowCount() == 10, timeout=WAIT_MS)
    window.search_box.setText("Nara")
    window.model.fetchMore()  # a page asked for while the new query is on its way is not fetched
    qtbot.waitUntil(
        lambda: window.answer is not None and window.answer.query == "Nara", timeout=WAIT_MS
    )
    window.searcher.wait(WAIT_MS)
    qtbot.wait(50)
    assert window.model.rowCount() == window.result.total
    assert all("Nara" in hit.snippet.text or "Nara" in hit.title for hit in window.model.hits())


def test_a_task_superseded_while_queued_never_runs(qtbot: QtBot) -> None:
    runner = BackgroundRunner(threads=1)
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def blocking() -> str:
        started.set()
        release.wait(3)
        ran.append("first")
        return "first"

    runner.submit(blocking, delivered.append)
    started.wait(3)  # running: it finishes, though its answer is dropped
    runner.submit(lambda: ran.append("queued") or "queued", delivered.append)
    assert runner.pending()
    runner.submit(lambda: ran.append("newest") or "newest", delivered.append)
    release.set()
    qtbot.waitUntil(lambda: delivered == ["newest"], timeout=WAIT_MS)
    runner.wait(WAIT_MS)
    assert ran == ["first", "newest"]
    assert not runner.pending()
