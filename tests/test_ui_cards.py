"""Cards from the window (ui/cards.py): printing every result of a search, not just the first page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from search.library import LIBRARY_FILE
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
WAIT_MS = 5000
ARTICLES = 51  # one more than a page of results (ui/search_session.py's PAGE_SIZE)


@pytest.fixture(scope="module")
def many_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library of 51 short harbour reports, indexed once in a child process."""
    folder = tmp_path_factory.mktemp("harbour")
    for number in range(ARTICLES):
        (folder / f"report-{number:02d}.md").write_text(
            f"---\ntitle: Harbour report {number}\nsource: Harbour Gazette\n"
            f"date: 2024-03-{number % 28 + 1:02d}\n---\n\n"
            f"The harbour master counted {number + 10} ferries in the harbour on Monday.\n",
            encoding="utf-8",
        )
    data = tmp_path_factory.mktemp("harbour-data")
    subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "index", str(folder)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (data / LIBRARY_FILE).unlink(missing_ok=True)  # no re-sync when the window opens
    return data


def _search(qtbot: QtBot, main: MainWindow, text: str) -> None:
    qtbot.waitUntil(lambda: main.answer is not None, timeout=WAIT_MS)
    main.search_box.setFocus()
    qtbot.keyClicks(main.search_box, text)
    qtbot.waitUntil(lambda: main.answer is not None and main.answer.query == text, timeout=WAIT_MS)


@pytest.mark.parametrize("answer", ["all", "cancel"])
def test_print_all_prints_every_result_after_saying_how_many_pages(
    qtbot: QtBot,
    many_results: Path,
    open_window: Callable[[Path], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
) -> None:
    main = open_window(many_results)
    _search(qtbot, main, 'source:"Harbour Gazette"')
    assert main.result.total == ARTICLES
    assert main.model.rowCount() < ARTICLES  # the list holds one page; print all means all
    asked: list[str] = []
    printed: list[tuple[int, str, bool]] = []

    def confirm(_parent: object, text: str) -> bool:
        asked.append(text)
        return answer == "all"

    def record(
        _parent: object, articles: list, size: str, preview: bool = True, **_notes: object
    ) -> None:
        printed.append((len(articles), size, preview))

    monkeypatch.setattr("ui.cards.confirm", confirm)
    monkeypatch.setattr("ui.printing.print_cards", record)
    main.cards.set_card_size("a6")
    main.actions_by_name["print_all"].trigger()
    assert asked and "51 cards" in asked[0] and "51 pages" in asked[0], asked
    messages = main.statusBar().currentMessage()
    if answer == "all":
        assert printed == [(ARTICLES, "a6", True)]
        assert "51 cards, all 51 results" in messages
    else:
        assert printed == []
        assert "Nothing printed" in messages
    # Four A6 cards to a sheet of A4: a quarter of the pages.
    asked.clear()
    main.cards.set_card_size("a4")
    main.actions_by_name["print_all"].trigger()
    assert asked and "51 cards" in asked[0] and "13 pages" in asked[0], asked


def test_print_all_of_a_few_results_does_not_ask(
    qtbot: QtBot,
    many_results: Path,
    open_window: Callable[[Path], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    main = open_window(many_results)
    _search(qtbot, main, '"Harbour report 7"')
    printed: list[int] = []
    monkeypatch.setattr("ui.cards.confirm", lambda *_a: pytest.fail("asked for a few cards"))
    monkeypatch.setattr(
        "ui.printing.print_cards",
        lambda _p, articles, _s, preview=True, **_notes: printed.append(len(articles)),
    )
    main.actions_by_name["print_all"].trigger()
    assert printed == [main.result.total] and 0 < main.result.total < 10


def test_the_card_size_menu_offers_the_a4_brief_and_the_a4_sheet(
    qtbot: QtBot, many_results: Path, open_window: Callable[[Path], MainWindow]
) -> None:
    from ui.settings import settings_for

    settings = settings_for()
    settings.setValue("card_size", "a4")  # saved by an older version: the sheet of four cards
    settings.sync()
    main = open_window(many_results)
    view = next(a.menu() for a in main.menuBar().actions() if a.text() == "&View")
    size_menu = next(a.menu() for a in view.actions() if a.text() == "Card size")
    size_menu.aboutToShow.emit()
    checked = {a.text(): a.isChecked() for a in size_menu.actions()}
    assert checked["A4 brief, one article a page"] is False
    assert checked["A4 sheet, 4 A6 cards"] is True
    next(a for a in size_menu.actions() if a.text().startswith("A4 brief")).trigger()
    assert main.cards.card_size == "a4-brief"
