"""What a new user found in the window, keyboard only: each finding driven by keys and checked."""

from __future__ import annotations

import pytest
import test_ui_window as shared
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from test_ui_window import focused

from ui.main_window import MainWindow


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier),
    ],
)
def test_focus_keys_in_the_search_box_select_the_query_instead_of_typing(
    qtbot: QtBot, window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier
) -> None:
    assert focused() is window.search_box  # the box has the focus when the window opens
    qtbot.keyClicks(window.search_box, "Takaichi")
    window.search_box.setCursorPosition(3)
    qtbot.keyClick(window.search_box, key, modifier)
    assert window.search_box.text() == "Takaichi"
    assert window.search_box.selectedText() == "Takaichi"
    qtbot.keyClicks(window.search_box, "Nara")
    assert window.search_box.text() == "Nara"


def _frame_colour(pane: QWidget) -> QColor:
    """The colour of the pane's left frame edge, halfway down, as drawn."""
    image = pane.grab().toImage()
    return image.pixelColor(0, image.height() // 2)


def test_the_focused_pane_has_an_accent_frame_the_others_do_not(
    qtbot: QtBot, window: MainWindow
) -> None:
    shared.open_seed_article(qtbot, window)
    panes = [window.result_list, window.facets, window.article, window.panel.tree]
    for pane in panes:
        pane.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(pane.hasFocus, timeout=shared.WAIT_MS)
        accent = pane.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
        assert _frame_colour(pane) == accent, pane.objectName()
        for other in panes:
            if other is not pane:
                assert _frame_colour(other) != accent, (pane.objectName(), other.objectName())


def test_a_slash_types_into_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    """ "/" focuses the box from elsewhere; inside it, it is a character of the query."""
    qtbot.keyClick(window.result_list, Qt.Key.Key_Slash)
    assert focused() is window.search_box
    qtbot.keyClicks(window.search_box, "24/7 </b>")
    assert window.search_box.text() == "24/7 </b>"
