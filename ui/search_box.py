"""The search box: a line edit that keeps the keys typing needs and lets every other command key through."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QKeyCombination
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

# Chords a line edit needs: select all, copy, cut, paste, undo, redo.
EDITING_CHORDS = (
    QKeySequence.StandardKey.SelectAll,
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste,
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
)


def is_typing_key(key: Qt.Key | int, modifiers: Qt.KeyboardModifier) -> bool:
    """Whether a key belongs to the text being typed: a printable key (shifted or not), an editing
    key, or an editing chord (Ctrl+A/C/V/X/Z and redo)."""
    from PySide6.QtCore import Qt  # here, not when the window is built: see ui/qt_names.py

    key = Qt.Key(key)
    typing_modifiers = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
    if not modifiers & ~typing_modifiers and key.value < Qt.Key.Key_Escape.value:
        return True  # a printable key: it types itself
    # Keys a line edit needs for editing, whatever modifiers come with them (Ctrl+Left moves a
    # word, Shift+End selects to the end, Ctrl+Backspace deletes a word).
    editing_keys = (
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_Backspace,
        Qt.Key.Key_Delete,
    )
    if key in editing_keys:
        return True
    pressed = QKeySequence(QKeyCombination(modifiers & ~Qt.KeyboardModifier.KeypadModifier, key))
    return any(
        pressed.matches(chord) == QKeySequence.SequenceMatch.ExactMatch
        for standard in EDITING_CHORDS
        for chord in QKeySequence.keyBindings(standard)
    )


class SearchBox(QLineEdit):
    """A QLineEdit that lets the window's command keys through (ShortcutOverride).

    A line edit claims many chords for itself before shortcuts see them (Ctrl+E moves to the end,
    Ctrl+K deletes to it, Ctrl+D deletes a character): every key bound to a command in the keymap
    (`command_keys`) goes to its command instead, unless it is a typing key (is_typing_key) — so a
    "/" or "n" types, Ctrl+Z undoes typing, Ctrl+E exports and Ctrl+F selects the query (its
    command focuses the box and selects all, so the next keys replace the query).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.command_keys: list[QKeySequence] = []

    def is_command_key(self, event: QKeyEvent) -> bool:
        """Whether the key is bound to a command and is not one the text needs."""
        from PySide6.QtCore import Qt

        modifiers = event.modifiers()
        if is_typing_key(event.key(), modifiers):
            return False
        pressed = QKeySequence(
            QKeyCombination(modifiers & ~Qt.KeyboardModifier.KeypadModifier, Qt.Key(event.key()))
        )
        return any(
            pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch
            for key in self.command_keys
        )

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self.is_command_key(event)
        ):
            event.ignore()  # not claimed: the window's shortcut for it fires
            return True
        return super().event(event)
