"""The watch list in the window: watching the query from the keyboard, counts that follow a sync,
Enter searching an item with its new articles first, Delete after asking, the keys and focus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot
from test_index import article, fake_extract

from search.index import ArticleIndex
from ui.help import cheat_sheet_html
from ui.main_window import MainWindow
from ui.watch_list import suggested_name

WAIT_MS = 5000


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    article(folder, "bridge.md", "Bridge approved", "Ines Duarte said the bridge in Lisbon won.")
    article(folder, "port.md", "Port expands", "The port of Porto will grow, Tom Lee said.")
    return folder


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, lib: Path, open_window: Callable[[Path], MainWindow]
) -> MainWindow:
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([lib], extractor=fake_extract)  # type: ignore[arg-type]
    index.close()
    main = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: main.model.rowCount() == 2, timeout=WAIT_MS)
    return main


def rows(main: MainWindow) -> list[tuple[str, str, str, bool]]:
    tree = main.watches.tree
    return [
        (item.text(0), item.text(1), item.text(2), item.font(0).bold())
        for item in map(tree.topLevelItem, range(tree.topLevelItemCount()))
    ]


def sync_a_new_article(main: MainWindow, tmp_path: Path, lib: Path) -> None:
    """A sync by another process (as the indexing process's), then the window told of it."""
    article(lib, "ferry.md", "Ferry late", "The Lisbon ferry was late.", date="1990-01-01")
    other = ArticleIndex.open(tmp_path / "data")
    other.sync([lib], extractor=fake_extract)  # type: ignore[arg-type]
    other.close()
    main.indexing.index_changed.emit()


def test_a_query_is_watched_from_the_keyboard_and_counts_what_a_sync_adds(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, lib: Path
) -> None:
    assert window.watches.tree.isVisible()
    assert rows(window) == [("Ctrl+Shift+W watches the query", "", "", False)]
    window.search_for("place:Lisbon")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)

    def name_it() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        field = dialog.findChild(QLineEdit)
        assert field is not None and field.text() == "Lisbon"  # offered from the query
        qtbot.keyClick(field, Qt.Key.Key_Return)

    QTimer.singleShot(100, name_it)
    with qtbot.waitSignal(window.watches.counted, timeout=WAIT_MS):
        qtbot.keyClick(
            window.result_list,
            Qt.Key.Key_W,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert rows(window) == [("Lisbon", "0", "–", False)]
    assert window.statusBar().currentMessage().startswith("Watching Lisbon")

    with qtbot.waitSignal(window.watches.counted, timeout=WAIT_MS):
        sync_a_new_article(window, tmp_path, lib)
    assert rows(window) == [("Lisbon", "1", "–", True)]  # bold: something is new


def test_enter_searches_the_item_new_articles_first_and_counts_them_seen(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, lib: Path
) -> None:
    index = window.index
    assert index is not None
    index.add_watch("Lisbon", "Lisbon")
    with qtbot.waitSignal(window.watches.counted, timeout=WAIT_MS):
        sync_a_new_article(window, tmp_path, lib)
    assert rows(window) == [("Lisbon", "1", "–", True)]
    window.search_for("Porto")
    qtbot.keyClick(window.result_list, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert window.focusWidget() is window.watches.tree
    with qtbot.waitSignal(window.watches.counted, timeout=WAIT_MS):
        qtbot.keyClick(window.watches.tree, Qt.Key.Key_Return)
    assert window.search_box.text() == "Lisbon"
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=WAIT_MS)
    hits = window.result_list.hits()
    # The ferry is the older story (1990) and names Lisbon once, yet comes first: it is new.
    assert [(hit.title, hit.new) for hit in hits] == [
        ("Ferry late", True),
        ("Bridge approved", False),
    ]
    assert rows(window) == [("Lisbon", "0", "–", False)]  # looked at: seen
    window.search_for("Porto")
    qtbot.waitUntil(lambda: window.search_box.text() == "Porto", timeout=WAIT_MS)
    window.search_for("Lisbon")  # typed again, not opened from the list: nothing is marked
    qtbot.waitUntil(
        lambda: window.model.rowCount() == 2 and not any(h.new for h in window.result_list.hits()),
        timeout=WAIT_MS,
    )


def test_delete_asks_then_stops_watching_and_f2_renames(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = window.index
    assert index is not None
    index.add_watch("Lisbon", "Lisbon")
    index.add_watch("Porto", "Porto")
    with qtbot.waitSignal(window.watches.counted, timeout=WAIT_MS):
        window.watches.refresh()
    window.watches.focus()
    asked: list[str] = []
    monkeypatch.setattr(window.watches, "confirm", lambda q: asked.append(q) or False)
    qtbot.keyClick(window.watches.tree, Qt.Key.Key_Delete)
    assert asked == ["Stop watching “Lisbon” (Lisbon)?"]
    assert [row[0] for row in rows(window)] == ["Lisbon", "Porto"]
    monkeypatch.setattr(window.watches, "confirm", lambda q: True)
    with qtbot.waitSignal(window.watches.counted, timeout=WAIT_MS):
        qtbot.keyClick(window.watches.tree, Qt.Key.Key_Delete)
    assert [row[0] for row in rows(window)] == ["Porto"]
    monkeypatch.setattr(window.watches, "ask_text", lambda title, label, text: "Oporto")
    with qtbot.waitSignal(window.watches.counted, timeout=WAIT_MS):
        qtbot.keyClick(window.watches.tree, Qt.Key.Key_F2)
    assert [row[0] for row in rows(window)] == ["Oporto"]
    monkeypatch.setattr(window.watches, "ask_text", lambda title, label, text: "oporto")
    window.search_for("Porto")
    window.actions_by_name[
        "watch_query"
    ].trigger()  # a name taken (case aside) is refused, and said
    qtbot.waitUntil(
        lambda: "already exists" in window.statusBar().currentMessage(), timeout=WAIT_MS
    )


def test_the_watch_commands_are_in_the_keymap_the_cheat_sheet_and_the_focus_cycle(
    window: MainWindow,
) -> None:
    sheet = cheat_sheet_html(window.keymap)
    for name in ("watch_query", "focus_watches", "rename_watch", "remove_watch"):
        assert name in sheet and window.actions_by_name[name].isEnabled()
    assert window.keymap.describe("watch_query") == "Ctrl+Shift+W"
    assert window.keymap.describe("focus_watches") == "Alt+4"
    panes = window.focus.panes
    assert panes.index(window.watches.tree) == panes.index(window.facets) + 1
    window.facets.setFocus()
    window.focus.step_pane(1)
    assert window.focusWidget() is window.watches.tree
    window.focus.focus_pane("article")
    assert window.focusWidget() is window.article


def test_the_name_offered_for_a_query() -> None:
    assert suggested_name("place:Japan") == "Japan"
    assert suggested_name('actor:"Lee Jae Myung"') == "Lee Jae Myung"
    assert suggested_name("trade   AND tariffs") == "trade AND tariffs"
    assert len(suggested_name("word " * 30)) == 40


def test_a_layout_saved_before_the_watch_list_still_shows_it(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[[Path], MainWindow]
) -> None:
    """A left column saved with two panes (results, facets) sizes only those when restored."""
    from PySide6.QtWidgets import QSplitter, QTreeWidget

    from ui.settings import settings_for

    older = QSplitter(Qt.Orientation.Vertical)
    older.setObjectName("left-splitter")
    older.addWidget(QTreeWidget())
    older.addWidget(QTreeWidget())
    older.resize(300, 800)
    older.setSizes([600, 200])
    settings = settings_for()
    settings.setValue("left_splitter", older.saveState())
    settings.sync()
    main = open_window(tmp_path / "data")
    qtbot.waitUntil(lambda: main.left_splitter.sizes()[2] > 0, timeout=WAIT_MS)
    assert main.watches.tree.height() >= 90
