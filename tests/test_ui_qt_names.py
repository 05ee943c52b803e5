"""ui/qt_names.py: the Qt values the window is built with, without PySide's `Qt` namespace, are
Qt's own, and a property or key name Qt does not know is an error, not silently ignored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSplitter
from pytestqt.qtbot import QtBot

from ui.qt_names import (
    ACCESSIBLE_TEXT_ROLE,
    DISPLAY_ROLE,
    KEY_UNKNOWN,
    TOOL_TIP_ROLE,
    USER_ROLE,
    set_enum,
)


def test_the_numbers_are_qts() -> None:
    assert DISPLAY_ROLE == Qt.ItemDataRole.DisplayRole.value
    assert TOOL_TIP_ROLE == Qt.ItemDataRole.ToolTipRole.value
    assert ACCESSIBLE_TEXT_ROLE == Qt.ItemDataRole.AccessibleTextRole.value
    assert USER_ROLE == Qt.ItemDataRole.UserRole.value
    assert KEY_UNKNOWN == Qt.Key.Key_unknown.value


def test_set_enum_sets_what_the_enum_setter_would(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    set_enum(label, "alignment", "AlignRight|AlignVCenter")
    assert label.alignment() == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    set_enum(label, "textFormat", "PlainText")
    assert label.textFormat() == Qt.TextFormat.PlainText
    set_enum(label, "textInteractionFlags", "TextSelectableByMouse")
    assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
    set_enum(label, "contextMenuPolicy", "CustomContextMenu")
    assert label.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    splitter = QSplitter()
    qtbot.addWidget(splitter)
    set_enum(splitter, "orientation", "Vertical")
    assert splitter.orientation() == Qt.Orientation.Vertical
    action = QAction(label)
    set_enum(action, "shortcutContext", "WidgetShortcut")
    assert action.shortcutContext() == Qt.ShortcutContext.WidgetShortcut


@pytest.mark.parametrize(
    ("name", "keys"),
    [("alignment", "AlignSideways"), ("textFormt", "PlainText"), ("textFormat", "")],
)
def test_set_enum_refuses_a_name_qt_does_not_know(qtbot: QtBot, name: str, keys: str) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match=f"QLabel has no enum property '{name}' taking '{keys}'"):
        set_enum(label, name, keys)
    assert label.textFormat() == Qt.TextFormat.AutoText  # unchanged
