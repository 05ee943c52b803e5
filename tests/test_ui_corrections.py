"""Corrections from the side panel: the context menu, the keyboard path, and the refresh of the
panel, facets and results that follows (on a small library with made-up extraction)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot
from test_entities import (
    damage,
    extract_names,
    extract_with_wales,
    write_library,
    write_wales_library,
)

from search.index import ArticleIndex
from search.models import LibraryEntity
from ui.corrections import merge_choices
from ui.main_window import MainWindow
from ui.side_panel import PanelEntry

WAIT_MS = 5000


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, open_window: Callable[[Path], MainWindow]) -> MainWindow:
    data = tmp_path / "data"
    index = ArticleIndex.open(data)
    index.sync([write_library(tmp_path / "lib")], extractor=extract_names)  # type: ignore[arg-type]
    index.close()
    main = open_window(data)
    qtbot.waitUntil(lambda: main.model.rowCount() == 3, timeout=WAIT_MS)
    return main


def open_article(qtbot: QtBot, main: MainWindow, title: str) -> None:
    main.search_for(f"title:{title}")
    qtbot.waitUntil(
        lambda: main.stored is not None and main.stored.article.title == title, timeout=WAIT_MS
    )


def panel_labels(main: MainWindow) -> list[str]:
    return [entry.label for entry in main.panel.entries()]


def facet_values(main: MainWindow, title: str) -> dict[str, str]:
    for i in range(main.facets.topLevelItemCount()):
        section = main.facets.topLevelItem(i)
        if section.text(0) == title:
            return {
                section.child(j).text(0): section.child(j).text(1)
                for j in range(section.childCount())
            }
    return {}


def select_entry(qtbot: QtBot, main: MainWindow, label: str) -> None:
    """Alt+3 into the panel, then Down until the row for `label` is current."""
    qtbot.keyClick(main.result_list, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is main.panel.tree
    for _ in range(len(main.panel.entries()) + 3):
        entry = main.panel.current_entry()
        if entry is not None and entry.label == label:
            return
        qtbot.keyClick(main.panel.tree, Qt.Key.Key_Down)
    raise AssertionError(f"{label} is not in the panel: {panel_labels(main)}")


def test_the_context_menu_hides_an_actor_everywhere(qtbot: QtBot, window: MainWindow) -> None:
    open_article(qtbot, window, "Two")
    assert facet_values(window, "Actors")["Labour Party"] == "1"
    tree = window.panel.tree
    item = next(
        tree.topLevelItem(0).child(i)
        for i in range(tree.topLevelItem(0).childCount())
        if tree.topLevelItem(0).child(i).text(0) == "Labour Party"
    )
    tree.customContextMenuRequested.emit(tree.visualItemRect(item).center())
    menu = window.corrections.menu
    assert menu is not None and menu.isVisible()
    texts = [action.text() for action in menu.actions() if action.text()]
    assert texts[:4] == [
        "Rename the selected actor or place…",
        "Merge the selected actor or place into another…",
        "Hide the selected actor, place or figure",
        "Change kind",
    ]
    kinds = next(a.menu() for a in menu.actions() if a.text() == "Change kind")
    assert [a.isEnabled() for a in kinds.actions()] == [True, False, True]  # it is an organization
    hide = next(a for a in menu.actions() if a.objectName() == "hide_entry")
    menu.close()
    with qtbot.waitSignal(window.corrections.changed, timeout=WAIT_MS):
        hide.trigger()
    qtbot.waitUntil(lambda: "Labour Party" not in facet_values(window, "Actors"), timeout=WAIT_MS)
    assert "Labour Party" not in panel_labels(window)
    assert window.statusBar().currentMessage().startswith('Hide "Labour Party"')


def test_f2_renames_through_a_keyboard_dialog_and_ctrl_z_undoes(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_article(qtbot, window, "One")
    select_entry(qtbot, window, "Labour Party")

    def type_new_name() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        field = dialog.findChild(QLineEdit)
        assert field is not None and field.text() == "Labour Party"
        qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(field, "UK Labour")
        qtbot.keyClick(field, Qt.Key.Key_Return)

    QTimer.singleShot(100, type_new_name)
    with qtbot.waitSignal(window.corrections.changed, timeout=WAIT_MS):
        qtbot.keyClick(window.panel.tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: "UK Labour" in facet_values(window, "Actors"), timeout=WAIT_MS)
    assert facet_values(window, "Actors")["UK Labour"] == "1"
    assert "UK Labour" in panel_labels(window) and "Labour Party" not in panel_labels(window)
    # The keyboard's place in the panel is kept: the renamed row is still current.
    assert window.panel.current_entry().label == "UK Labour"
    assert window.focusWidget() is window.panel.tree

    with qtbot.waitSignal(window.corrections.changed, timeout=WAIT_MS):
        qtbot.keyClick(window.panel.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Labour Party" in facet_values(window, "Actors"), timeout=WAIT_MS)
    assert "Labour Party" in panel_labels(window)
    assert window.statusBar().currentMessage() == 'Undid: rename "Labour Party" to "UK Labour"'


def test_shift_f10_opens_the_menu_and_a_kind_change_moves_the_entry(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_article(qtbot, window, "Three")
    select_entry(qtbot, window, "Jordan")
    qtbot.keyClick(window.panel.tree, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = window.corrections.menu
    assert menu is not None and menu.isVisible()
    assert menu.activeAction() is window.actions_by_name["rename_entry"]
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    assert not menu.isVisible()
    with qtbot.waitSignal(window.corrections.changed, timeout=WAIT_MS):
        window.actions_by_name["kind_place"].trigger()
    qtbot.waitUntil(lambda: "Jordan" in facet_values(window, "Places"), timeout=WAIT_MS)
    assert "Jordan" not in facet_values(window, "Actors")
    places = window.panel.tree.topLevelItem(1)
    assert "Jordan" in [places.child(i).text(0).split(" · ")[0] for i in range(places.childCount())]


def test_merge_into_a_name_chosen_from_the_library(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered: list[list[str]] = []

    def choose(title: str, label: str, names: list[str]) -> str:
        offered.append(names)
        return "David Miliband"

    monkeypatch.setattr(window.corrections, "ask_choice", choose)
    open_article(qtbot, window, "One")
    select_entry(qtbot, window, "Ed Miliband")
    with qtbot.waitSignal(window.corrections.changed, timeout=WAIT_MS):
        window.actions_by_name["merge_entry"].trigger()
    assert "David Miliband" in offered[0] and "Ed Miliband" not in offered[0]
    qtbot.waitUntil(
        lambda: facet_values(window, "Actors").get("David Miliband") == "1", timeout=WAIT_MS
    )
    assert "David Miliband" in panel_labels(window)
    window.search_for('actor:"David Miliband"')
    qtbot.waitUntil(lambda: window.query_bar.count_label.text() == "2 results", timeout=WAIT_MS)


def test_delete_hides_a_figure_and_a_failure_is_said(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_article(qtbot, window, "One")
    select_entry(qtbot, window, "42")
    with qtbot.waitSignal(window.corrections.changed, timeout=WAIT_MS):
        qtbot.keyClick(window.panel.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "42" not in panel_labels(window), timeout=WAIT_MS)
    assert window.index is not None and window.index.corrections()[0].action == "hide_figure"
    # A merge into a name no article uses is reported (with a close one), not raised.
    monkeypatch.setattr(window.corrections, "ask_choice", lambda *args: "Davd Miliband")
    select_entry(qtbot, window, "Ed Miliband")
    with qtbot.waitSignal(window.corrections.message, timeout=WAIT_MS) as said:
        window.actions_by_name["merge_entry"].trigger()
    assert said.args == [
        'no actor or place named "Davd Miliband" in the library; did you mean "David Miliband"?'
    ]
    assert len(window.index.corrections()) == 1


def test_corrections_need_a_panel_entry(qtbot: QtBot, window: MainWindow) -> None:
    window.result_list.setFocus()
    window.panel.show_article(None)
    with qtbot.waitSignal(window.corrections.message, timeout=WAIT_MS) as said:
        window.actions_by_name["rename_entry"].trigger()
    assert said.args[0].startswith("Select an actor or place in the side panel first")
    assert window.panel.request_menu() is False
    assert window.corrections.menu is None


def test_a_damaged_store_leaves_the_window_searching_and_says_why(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    index = ArticleIndex.open(data)
    index.sync([write_library(tmp_path / "lib")], extractor=extract_names)  # type: ignore[arg-type]
    index.correct_entity("hide", "Tom Lee")
    index.correct_entity("rename", "Labour", "UK Labour")
    index.close()
    damage(data / "briefing.sqlite3")
    main = MainWindow(data)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.start()
    qtbot.waitUntil(lambda: main.model.rowCount() == 3, timeout=WAIT_MS)
    assert "corrections are not applied" in main.statusBar().currentMessage()
    main.search_for('actor:"Labour Party"')
    qtbot.waitUntil(lambda: main.model.rowCount() == 2, timeout=WAIT_MS)
    assert not main.query_bar.error_label.isVisible()
    main.searcher.wait(WAIT_MS)


def test_the_panel_corrects_the_actor_not_the_place_of_the_same_name(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    index = ArticleIndex.open(data)
    index.sync([write_wales_library(tmp_path / "lib")], extractor=extract_with_wales)  # type: ignore[arg-type]
    index.close()
    main = MainWindow(data)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.start()
    qtbot.waitUntil(lambda: main.model.rowCount() == 6, timeout=WAIT_MS)
    open_article(qtbot, main, "Four")  # Wales the rugby side: an actor
    select_entry(qtbot, main, "Wales")
    assert main.panel.current_entry().field == "actor"
    with qtbot.waitSignal(main.corrections.changed, timeout=WAIT_MS):
        main.corrections.hide()
    qtbot.waitUntil(lambda: "Wales" not in facet_values(main, "Actors"), timeout=WAIT_MS)
    assert main.index is not None
    shown = {(e.name, e.kind): e.hidden for e in main.index.entities(include_hidden=True)}
    assert shown[("Wales", "organization")] and not shown[("Wales", "place")]
    main.searcher.wait(WAIT_MS)
    main.corrections.runner.wait(WAIT_MS)


def test_the_merge_choices_keep_the_same_named_entity_of_the_other_field() -> None:
    entities = [
        LibraryEntity("Wales", "place", "wales", 2),
        LibraryEntity("Wales", "organization", "wales", 1),
        LibraryEntity("Labour Party", "organization", "labour", 2),
    ]
    entry = PanelEntry("Wales", (), "actor:Wales", field="actor", kind="organization")
    assert merge_choices(entities, entry) == ["place:Wales", "Labour Party"]


def test_the_entry_menu_also_searches_for_the_entry_and_copies_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_article(qtbot, window, "Three")
    select_entry(qtbot, window, "Jordan")
    window.panel.tree.setFocus()
    qtbot.keyClick(window.panel.tree, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = window.corrections.menu
    assert menu is not None
    actions = window.actions_by_name
    assert actions["search_entry"] in menu.actions() and actions["copy"] in menu.actions()
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    window.panel.tree.setFocus()
    QApplication.clipboard().clear()
    actions["copy"].trigger()
    assert QApplication.clipboard().text().startswith("Jordan")
