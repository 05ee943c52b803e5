"""The main window driven by the keyboard, on a real index of the seed library."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from search.models import SearchResult, SyncProgress, SyncReport
from ui.keymap import COMMANDS
from ui.main_window import MainWindow
from ui.results import snippet_html

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_TITLE = "Takaichi hosts Lee Jae Myung in Nara for third summit in three months"
WAIT_MS = 5000


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def search(qtbot: QtBot, main: MainWindow, text: str) -> None:
    qtbot.keyClick(main.result_list, Qt.Key.Key_Slash)
    assert focused() is main.search_box
    qtbot.keyClicks(main.search_box, text)
    qtbot.waitUntil(lambda: main.answer is not None and main.answer.query == text, timeout=WAIT_MS)


def open_seed_article(qtbot: QtBot, main: MainWindow) -> None:
    search(qtbot, main, "Takaichi")
    qtbot.keyClick(main.search_box, Qt.Key.Key_Down)
    assert focused() is main.result_list
    qtbot.keyClick(main.result_list, Qt.Key.Key_Return)
    assert focused() is main.article
    assert main.stored is not None and main.stored.article.title == SEED_TITLE


def test_empty_box_lists_the_library_newest_first(window: MainWindow) -> None:
    assert window.query_bar.count_label.text() == "25 articles"
    dates = [hit.date for hit in window.model.hits() if hit.date]
    assert dates == sorted(dates, reverse=True)
    assert window.indexing.library_label.text() == "25 articles in the library"


def test_typing_takaichi_finds_the_seed_article_and_its_panel(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_seed_article(qtbot, window)
    assert window.query_bar.count_label.text() == "1 result"
    assert "<b>Takaichi</b>" in snippet_html(window.model.hit(0).snippet)
    labels = [entry.label for entry in window.panel.entries()]
    for name in ("Sanae Takaichi", "Lee Jae Myung", "Xi Jinping", "Toshimitsu Motegi", "Nara"):
        assert name in labels
    tree_text = [
        window.panel.tree.topLevelItem(0).child(i).text(0)
        for i in range(window.panel.tree.topLevelItem(0).childCount())
    ]
    assert "Sanae Takaichi · Prime Minister" in tree_text
    figures = window.panel.tree.topLevelItem(2)
    assert figures.child(0).text(0).startswith("136 — ")  # rank 1 first
    quotes = window.panel.tree.topLevelItem(3)
    assert quotes.text(0).startswith("Quotes (")
    assert quotes.child(0).text(0).startswith("Toshimitsu Motegi: “")
    # The query's word is highlighted in the article; n steps to it.
    assert window.article.hit_count() == 2
    assert window.article.current_hit_text() == "Takaichi"


# Builds the window in a fresh process (other tests may load spaCy into this one), shows results,
# and reports whether spaCy was imported and how long the window took to appear.
WINDOW_PROCESS = """
import json, sys, time
started = time.perf_counter()
from PySide6.QtWidgets import QApplication
from ui.main_window import MainWindow
app = QApplication([])
window = MainWindow(sys.argv[1])
window.show()
app.processEvents()
shown = time.perf_counter() - started
window.start()
deadline = time.time() + 10
while window.model.rowCount() == 0 and time.time() < deadline:
    app.processEvents()
print(json.dumps({"spacy": "spacy" in sys.modules, "rows": window.model.rowCount(), "shown": shown}))
"""


def test_the_window_process_never_imports_spacy(seed_index: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", WINDOW_PROCESS, str(seed_index)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=True,
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["rows"] == 25
    assert report["spacy"] is False
    assert report["shown"] < 3.0  # seconds from a cold interpreter to a window on screen


def test_activating_an_actor_highlights_its_mentions(qtbot: QtBot, window: MainWindow) -> None:
    open_seed_article(qtbot, window)
    qtbot.keyClick(window.article, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    tree = window.panel.tree
    assert focused() is tree
    actors = tree.topLevelItem(0)
    lee = next(
        actors.child(i) for i in range(actors.childCount()) if "Lee Jae" in actors.child(i).text(0)
    )
    tree.setCurrentItem(lee)
    entry = window.panel.current_entry()
    assert entry is not None and len(entry.mentions) >= 2
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert window.article.hit_count() == len(entry.mentions)
    body = window.stored.article.body
    surfaces = [body[span.start : span.end] for span in entry.mentions]
    seen = [window.article.current_hit_text()]
    for _ in range(len(entry.mentions) - 1):
        qtbot.keyClick(tree, Qt.Key.Key_N)
        seen.append(window.article.current_hit_text())
    assert seen == surfaces  # every mention found, in order, by its own words
    qtbot.keyClick(tree, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert window.article.current_hit_text() == surfaces[-2]


def test_s_on_an_actor_searches_the_library_for_it(qtbot: QtBot, window: MainWindow) -> None:
    open_seed_article(qtbot, window)
    window.panel.tree.setFocus()
    actors = window.panel.tree.topLevelItem(0)
    xi = next(
        actors.child(i)
        for i in range(actors.childCount())
        if actors.child(i).text(0).startswith("Xi Jinping")
    )
    window.panel.tree.setCurrentItem(xi)
    qtbot.keyClick(window.panel.tree, Qt.Key.Key_S)
    assert window.search_box.text() == 'actor:"Xi Jinping"'
    qtbot.waitUntil(lambda: window.answer.query == 'actor:"Xi Jinping"', timeout=WAIT_MS)
    assert SEED_TITLE in [hit.title for hit in window.model.hits()]


def test_an_actor_clause_highlights_that_actors_mentions_in_the_article(
    qtbot: QtBot, window: MainWindow
) -> None:
    """'actor:"Sanae Takaichi"' marks where the text says "Takaichi" too, not only the full name."""
    search(qtbot, window, 'actor:"Sanae Takaichi" summit NOT place:Atlantis')
    row = next(i for i, hit in enumerate(window.model.hits()) if hit.title == SEED_TITLE)
    window.result_list.setCurrentIndex(window.model.index(row))
    qtbot.keyClick(window.result_list, Qt.Key.Key_Return)
    assert window.stored is not None
    takaichi = next(a for a in window.stored.extraction.actors if a.name == "Sanae Takaichi")
    body = window.stored.article.body
    surfaces = {body[span.start : span.end] for span in takaichi.mentions}
    assert (
        "Takaichi" in surfaces
    )  # a mention by surname alone, which a word match on "sanae" misses
    summits = body.lower().count("summit")
    assert summits > 0
    # Her mentions and the query's other word, each place once; the status counts hers alone.
    assert window.article.hit_count() == len(takaichi.mentions) + summits
    assert window.article.current_hit_text() in surfaces | {"summit", "Summit"}
    message = window.statusBar().currentMessage()
    assert message.startswith(f"Sanae Takaichi: {len(takaichi.mentions)} mention"), message


def test_cheat_sheet_is_built_from_the_keymap(qtbot: QtBot, window: MainWindow) -> None:
    window.result_list.setFocus()
    qtbot.keyClick(window.result_list, Qt.Key.Key_Question)
    sheet = window.help.cheat_sheet
    assert sheet is not None and sheet.isVisible()
    text = sheet.browser.toPlainText()
    for command in COMMANDS:
        assert command.description in text, command.name
        assert window.keymap.describe(command.name) in text
    assert "n, F3" in text and "Shift+N, Shift+F3" in text  # a bare letter shows as typed


def test_menus_show_the_keymaps_shortcuts(window: MainWindow) -> None:
    menu_actions = {
        action.objectName(): action
        for menu in window.menuBar().findChildren(type(window.menuBar().actions()[0].menu()))
        for action in menu.actions()
    }
    assert menu_actions["print_card"].shortcut().toString() == "Ctrl+P"
    assert menu_actions["resync"].shortcut().toString() == "F5"
    assert menu_actions["help"].shortcut().toString() == "?"


def test_a_bad_query_shows_the_engines_message_inline(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "date:[2020 to nonsense]")
    assert window.query_bar.error_label.isVisible()
    assert "Could not understand the query" in window.query_bar.error_label.text()
    assert window.query_bar.count_label.text() == "—"
    qtbot.keyClick(window.search_box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_box, "Nara")
    qtbot.waitUntil(lambda: window.answer.query == "Nara", timeout=WAIT_MS)
    assert not window.query_bar.error_label.isVisible()


def test_a_query_with_markup_shows_in_the_message_as_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    query = "<b>bold</b> date:[2020 to nonsense]"
    search(qtbot, window, query)
    assert window.query_bar.error_label.isVisible()
    assert "<b>bold</b>" in window.query_bar.error_label.text()
    assert window.query_bar.error_label.textFormat() == Qt.TextFormat.PlainText
    assert window.indexing.progress_label.textFormat() == Qt.TextFormat.PlainText


def test_an_ampersand_in_a_suggestion_is_shown_not_taken_as_a_shortcut(
    window: MainWindow,
) -> None:
    window.session.receive(SearchResult(query="AT&T takaici", total=0, suggestion="AT&T takaichi"))
    assert window.query_bar.suggestion_button.text() == "Did you mean: AT&&T takaichi?"


def test_did_you_mean_is_offered_and_taken_from_the_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    search(qtbot, window, "takaici")
    assert window.query_bar.count_label.text() == "0 results"
    assert window.query_bar.suggestion_button.isVisible()
    assert "takaichi" in window.query_bar.suggestion_button.text()
    qtbot.keyClick(window.search_box, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.answer.query == "takaichi", timeout=WAIT_MS)
    assert window.model.hit(0).title == SEED_TITLE


def test_single_letter_keys_type_into_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    window.focus.focus_search()
    qtbot.keyClicks(window.search_box, "jkns?/")
    assert window.search_box.text() == "jkns?/"
    assert focused() is window.search_box
    assert window.help.cheat_sheet is None


def test_keyboard_moves_between_panes_and_back(qtbot: QtBot, window: MainWindow) -> None:
    open_seed_article(qtbot, window)
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    assert focused() is window.result_list
    qtbot.keyClick(window.result_list, Qt.Key.Key_Escape)
    assert focused() is window.search_box
    qtbot.keyClick(window.search_box, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert focused() is window.article
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    assert focused() is window.panel.tree
    qtbot.keyClick(window.panel.tree, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is window.article
    qtbot.keyClick(window.article, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert focused() is window.result_list


def test_shift_down_reads_the_next_result_without_leaving_the_article(
    qtbot: QtBot, window: MainWindow
) -> None:
    search(qtbot, window, "president")
    assert window.model.rowCount() >= 2
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert focused() is window.article
    first = window.stored.article.id
    qtbot.keyClick(window.article, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert window.stored.article.id == window.model.hit(1).id != first
    assert focused() is window.article
    qtbot.keyClick(window.article, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert window.stored.article.id == first


def test_j_and_k_move_through_results(qtbot: QtBot, window: MainWindow) -> None:
    window.result_list.setFocus()
    qtbot.keyClick(window.result_list, Qt.Key.Key_J)
    qtbot.keyClick(window.result_list, Qt.Key.Key_J)
    assert window.result_list.currentIndex().row() == 2
    assert window.stored.article.id == window.model.hit(2).id
    qtbot.keyClick(window.result_list, Qt.Key.Key_K)
    assert window.result_list.currentIndex().row() == 1


def test_a_facet_narrows_the_query_text(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Japan")
    before = window.result.total
    sections = {
        window.facets.topLevelItem(i).text(0): window.facets.topLevelItem(i)
        for i in range(window.facets.topLevelItemCount())
    }
    places = sections["Places"]
    assert places.childCount() > 0
    item = places.child(0)
    window.facets.setFocus()
    window.facets.setCurrentItem(item)
    qtbot.keyClick(window.facets, Qt.Key.Key_Return)
    expected = f'Japan place:"{item.text(0)}"'
    assert window.search_box.text() == expected
    qtbot.waitUntil(lambda: window.answer.query == expected, timeout=WAIT_MS)
    assert 0 < window.result.total <= before


def test_query_sort_and_splitters_are_remembered(
    qtbot: QtBot, window: MainWindow, seed_index: Path
) -> None:
    search(qtbot, window, "Nara")
    window.query_bar.sort_box.setCurrentIndex(1)
    # Small enough for the offscreen screen, which restoreGeometry clamps to.
    window.resize(760, 560)
    QApplication.processEvents()
    window.splitter.setSizes([200, 330, 210])
    QApplication.processEvents()
    sizes = window.splitter.sizes()
    window.close()
    again = MainWindow(seed_index)
    qtbot.addWidget(again)
    assert again.search_box.text() == "Nara"
    assert again.query_bar.sort_box.currentData() == "date"
    again.show()
    qtbot.waitExposed(again)
    assert again.size().width() == 760
    assert again.splitter.sizes() == sizes


def test_adding_a_folder_indexes_it_with_progress(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEEDS / "takaichi_lee_nara_summit.md", folder / "summit.md")
    (folder / "kiwi.md").write_text(
        "---\ntitle: Kiwifruit harvest\n---\n\nGrowers in Te Puke picked 40,000 trays of kiwifruit.\n",
        encoding="utf-8",
    )
    main = MainWindow(data)
    qtbot.addWidget(main)
    main.show()
    main.start()  # an empty library: the seeds start indexing at once
    progress: list[SyncProgress] = []
    main.indexing.runner.progress.connect(progress.append)
    with qtbot.waitSignal(main.indexing.runner.finished, timeout=120_000) as seeded:
        pass
    assert isinstance(seeded.args[0], SyncReport) and len(seeded.args[0].added) == 25
    assert progress and progress[-1].total == 25
    main.add_paths([str(folder)])
    assert main.indexing.progress_bar.isVisible() and main.indexing.cancel_button.isVisible()
    with qtbot.waitSignal(main.indexing.runner.finished, timeout=120_000) as added:
        pass
    assert len(added.args[0].added) == 2
    assert not main.indexing.progress_bar.isVisible()
    qtbot.waitUntil(
        lambda: main.indexing.library_label.text() == "27 articles in the library", timeout=WAIT_MS
    )
    main.search_box.setText("kiwifruit")
    qtbot.waitUntil(
        lambda: main.answer is not None and main.answer.query == "kiwifruit", timeout=WAIT_MS
    )
    assert [hit.title for hit in main.model.hits()] == ["Kiwifruit harvest"]


def test_ctrl_p_prints_the_open_articles_card_in_the_chosen_size(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed: list[tuple[list[str], str, bool]] = []

    def record(
        _parent: object, articles: list, size: str, preview: bool = True, **_notes: object
    ) -> None:
        printed.append(([stored.article.id for stored in articles], size, preview))

    monkeypatch.setattr("ui.printing.print_cards", record)
    open_seed_article(qtbot, window)
    window.cards.set_card_size("3x5")
    qtbot.keyClick(window.article, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed == [([window.stored.article.id], "3x5", False)]


def test_dropping_a_folder_adds_it_to_the_library_and_indexes_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from search.library import load_library

    data = tmp_path / "data"
    main = MainWindow(data)
    qtbot.addWidget(main)
    started: list[list[str]] = []
    monkeypatch.setattr(
        main.indexing.runner, "start", lambda paths, rebuild=False: started.append(paths)
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SEEDS))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    main.dropEvent(event)
    assert load_library(data) == [str(SEEDS.resolve())]
    assert started == [[str(SEEDS)]]
    assert main.indexing.progress_bar.isVisibleTo(main)


# Stands in for `main.py index --progress json`: one progress line, then a report with a skipped
# file, or (first path "fail") an error on stderr and a failing exit code.
STAND_IN_INDEXER = """
import json, sys
paths = sys.argv[sys.argv.index("--") + 1:]
if paths[0] == "fail":
    print(json.dumps({"error": "the index is locked by another process"}), file=sys.stderr)
    sys.exit(3)
print(json.dumps({"event": "progress", "done": 1, "total": 2, "path": paths[0], "phase": "reading"}))
print(json.dumps({"event": "report", "added": [paths[0]], "skipped": [
    {"path": "/library/broken.html", "reason": "not valid UTF-8 at byte 12"}]}))
"""


def _window_with_stand_in(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    from ui.indexer import IndexRunner

    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN_INDEXER, encoding="utf-8")
    data = tmp_path / "data"
    main = MainWindow(data, runner=IndexRunner(data, command=[sys.executable, str(script)]))
    qtbot.addWidget(main)
    main.show()
    return main


def test_skipped_files_are_listed_with_their_reasons(qtbot: QtBot, tmp_path: Path) -> None:
    main = _window_with_stand_in(qtbot, tmp_path)
    progress: list[SyncProgress] = []
    main.indexing.runner.progress.connect(progress.append)
    with qtbot.waitSignal(main.indexing.runner.finished, timeout=WAIT_MS):
        main.indexing.start_indexing(["/library/a.md"])
    assert progress == [SyncProgress(1, 2, "/library/a.md", "reading")]
    assert main.indexing.skipped_dock.isVisible()
    assert (
        main.indexing.skipped_list.item(0).text()
        == "/library/broken.html — not valid UTF-8 at byte 12"
    )
    assert "1 skipped" in main.statusBar().currentMessage()
    assert not main.indexing.progress_bar.isVisible()


def test_a_failed_sync_is_reported_not_fatal(qtbot: QtBot, tmp_path: Path) -> None:
    main = _window_with_stand_in(qtbot, tmp_path)
    with qtbot.waitSignal(main.indexing.runner.failed, timeout=WAIT_MS):
        main.indexing.start_indexing(["fail"])
    assert "the index is locked by another process" in main.statusBar().currentMessage()
    assert "locked" in main.indexing.skipped_list.item(0).text()
    assert not main.indexing.cancel_button.isVisible()
