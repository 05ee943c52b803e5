"""Zoom (ui/zoom.py): Ctrl++/Ctrl+=, Ctrl+- and Ctrl+0 size the article and the lists, remembered."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def sizes(window: MainWindow) -> tuple[float, float, float, float]:
    return (
        window.article.document().defaultFont().pointSizeF(),
        window.result_list.font().pointSizeF(),
        window.panel.tree.font().pointSizeF(),
        window.facets.font().pointSizeF(),
    )


def test_zoom_keys_size_the_article_and_the_lists_and_are_remembered(
    qtbot: QtBot, window: MainWindow, seed_index: Path
) -> None:
    normal = sizes(window)
    qtbot.keyClick(window.result_list, Qt.Key.Key_Equal, CTRL)
    bigger = sizes(window)
    assert all(b > n for b, n in zip(bigger, normal, strict=True)), (bigger, normal)
    qtbot.keyClick(window.result_list, Qt.Key.Key_Plus, CTRL)
    assert all(b > n for b, n in zip(sizes(window), bigger, strict=True))
    qtbot.keyClick(window.result_list, Qt.Key.Key_0, CTRL)
    assert sizes(window) == normal
    qtbot.keyClick(window.result_list, Qt.Key.Key_Minus, CTRL)
    assert all(s < n for s, n in zip(sizes(window), normal, strict=True))
    # The result rows follow the font: a smaller row.
    qtbot.keyClick(window.result_list, Qt.Key.Key_Equal, CTRL)
    qtbot.keyClick(window.result_list, Qt.Key.Key_Equal, CTRL)
    zoomed = sizes(window)
    window.close()
    again = MainWindow(seed_index)
    qtbot.addWidget(again)
    assert sizes(again) == zoomed
    again.zoom.reset()
    assert sizes(again) == normal


def test_zoom_commands_are_in_the_keymap_and_the_view_menu(window: MainWindow) -> None:
    for name, keys in (
        ("zoom_in", ["Ctrl++", "Ctrl+="]),
        ("zoom_out", ["Ctrl+-"]),
        ("zoom_reset", ["Ctrl+0"]),
    ):
        action = window.actions_by_name[name]
        assert [key.toString() for key in action.shortcuts()] == keys
        assert action.isEnabled()
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert {"zoom_in", "zoom_out", "zoom_reset"} <= {a.objectName() for a in view.actions()}
