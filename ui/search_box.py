"""The search box: a line edit in which the focus-search chords select the query."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget


class SearchBox(QLineEdit):
    """A QLineEdit where the chords bound to "focus the search box" select all of its text.

    The box has the focus already, so a chord's job is to let the user's next keys replace the
    query (Ctrl+K would otherwise delete to the end of the line). A key without a modifier ("/")
    types itself here, as every single key does in a text field: queries can hold "/" ("24/7").
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.select_keys: list[QKeySequence] = []

    def _is_select_key(self, event: QKeyEvent) -> bool:
        for sequence in self.select_keys:
            if sequence.isEmpty():
                continue
            wanted = sequence[0]
            modifiers = wanted.keyboardModifiers()
            if not modifiers & ~Qt.KeyboardModifier.ShiftModifier:
                continue  # a plain (or shifted) key types into the box
            pressed = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if event.key() == wanted.key() and pressed == modifiers:
                return True
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._is_select_key(event):
                # Taken here (not by the window's shortcut, nor typed): keyPressEvent selects.
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if self._is_select_key(event):
            self.selectAll()
            event.accept()
            return
        super().keyPressEvent(event)
