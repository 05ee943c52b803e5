"""Preferences (ui/preferences.py, Edit ▸ Preferences…, Ctrl+,): the article font and the default
card size apply at once and are kept, Cancel restores everything, and the key bindings file shown
is the one the keymap reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QFontDatabase
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from search.config import config_dir
from ui.article_view import is_dark
from ui.keymap import KEYS_FILE_NAME, load_keymap
from ui.main_window import MainWindow
from ui.preferences_dialog import PreferencesDialog
from ui.theme import apply_scheme

Buttons = QDialogButtonBox.StandardButton


@pytest.fixture(autouse=True)
def light_again() -> Iterator[None]:
    yield
    apply_scheme(False)


def open_preferences(qtbot: QtBot, window: MainWindow) -> PreferencesDialog:
    qtbot.keyClick(window.result_list, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.preferences.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def another_family(current: str) -> str:
    families = [name for name in QFontDatabase.families() if name != current]
    assert families, "the test needs a second font family"
    return families[0]


def article_type(window: MainWindow) -> tuple[str, float]:
    font = window.article.document().defaultFont()
    return font.family(), font.pointSizeF()


def test_font_and_card_size_apply_at_once_and_are_kept(
    qtbot: QtBot, window: MainWindow, seed_index: Path
) -> None:
    before = article_type(window)
    dialog = open_preferences(qtbot, window)
    assert dialog.windowTitle().startswith("Preferences")
    assert dialog.size_box.value() == pytest.approx(before[1])
    family = another_family(before[0])
    dialog.font_box.setCurrentFont(QFont(family))
    dialog.size_box.setValue(17.5)
    assert article_type(window) == (family, 17.5)  # at once, the dialog still open
    assert dialog.card_box.currentData() == "a6"
    assert {"a6", "a4-brief", "a4-sheet"} <= {
        dialog.card_box.itemData(i) for i in range(dialog.card_box.count())
    }
    dialog.card_box.setCurrentIndex(dialog.card_box.findData("a4-brief"))
    assert window.cards.card_size == "a4-brief"
    dialog.buttons.button(Buttons.Ok).click()
    assert not dialog.isVisible()
    assert article_type(window) == (family, 17.5)
    # Zoom scales the chosen size.
    window.zoom.set_factor(2.0)
    assert article_type(window) == (family, 35.0)
    window.zoom.reset()
    window.close()

    again = MainWindow(seed_index)
    qtbot.addWidget(again)
    assert article_type(again) == (family, 17.5)
    assert again.cards.card_size == "a4-brief"
    again.actions_by_name["preferences"].trigger()  # a window not shown takes no keys
    dialog = again.preferences.dialog
    assert dialog is not None
    assert dialog.font_box.currentFont().family() == family
    assert dialog.size_box.value() == 17.5
    assert dialog.card_box.currentData() == "a4-brief"


def test_cancel_restores_what_was_in_force(
    qtbot: QtBot, window: MainWindow, seed_index: Path
) -> None:
    before = article_type(window)
    dialog = open_preferences(qtbot, window)
    dialog.font_box.setCurrentFont(QFont(another_family(before[0])))
    dialog.size_box.setValue(21)
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
    dialog.card_box.setCurrentIndex(dialog.card_box.findData("a4-sheet"))
    assert window.theme.choice == "dark" and window.theme.dark
    assert article_type(window) != before and window.cards.card_size == "a4-sheet"
    dialog.buttons.button(Buttons.Cancel).click()
    assert not dialog.isVisible()
    assert article_type(window) == before
    assert window.theme.choice == "system" and not window.theme.dark
    qtbot.waitUntil(lambda: not is_dark(window.result_list.palette()), timeout=5000)
    assert window.cards.card_size == "a6"
    # Esc cancels too.
    dialog = open_preferences(qtbot, window)
    dialog.size_box.setValue(9)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert article_type(window) == before
    window.close()
    again = MainWindow(seed_index)
    qtbot.addWidget(again)
    assert article_type(again) == before
    assert again.theme.choice == "system" and again.cards.card_size == "a6"


def test_the_keymap_file_shown_is_the_one_read_and_its_folder_opens(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_preferences(qtbot, window)
    real = config_dir() / KEYS_FILE_NAME
    assert dialog.keys_label.text() == str(real)
    # It is the file the keymap reads: a binding written there is in force.
    real.parent.mkdir(parents=True, exist_ok=True)
    real.write_text('[keys]\npreferences = "Ctrl+Alt+P"\n', encoding="utf-8")
    assert [key.toString() for key in load_keymap().keys("preferences")] == ["Ctrl+Alt+P"]

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog.open_folder_button.click()
    assert [url.toLocalFile() for url in opened] == [str(real.parent)]
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    dialog.open_folder_button.click()
    assert window.statusBar().currentMessage().startswith(f"Could not open {real.parent}")


def test_preferences_is_in_the_edit_menu_on_ctrl_comma(window: MainWindow) -> None:
    action = window.actions_by_name["preferences"]
    assert [key.toString() for key in action.shortcuts()] == ["Ctrl+,"]
    edit = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert "preferences" in {a.objectName() for a in edit.actions()}
