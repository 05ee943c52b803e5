"""The note editor for one article: its one-line so-what (printed on the card), a free body, and
its highlights (Delete removes the selected one). Esc and Ctrl+Return both close it and save:
a note is never lost to the wrong key."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from search.models import Note

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SO_WHAT_MAX_CHARS = 300  # search.notes.MAX_SO_WHAT_CHARS: one line on a card
LISTED_CHARS = 160  # a highlight's words in the list, beyond which they are cut short


class NoteDialog(QDialog):
    """Edits one note; `saved` carries (so_what, body) when it closes."""

    saved = Signal(str, str)
    highlight_removed = Signal(int)

    def __init__(
        self,
        parent: QWidget,
        title: str,
        note: Note | None,
        highlights: list[tuple[int, str, bool]],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("note-dialog")
        self.setWindowTitle(f"Note — {title}")
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{_escaped(title)}</b>", self)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        so_what_label = QLabel("&So what (one line; printed on the card):", self)
        layout.addWidget(so_what_label)
        self.so_what = QLineEdit(note.so_what if note else "", self)
        self.so_what.setObjectName("note-so-what")
        self.so_what.setMaxLength(SO_WHAT_MAX_CHARS)
        self.so_what.setPlaceholderText("What it means for the person you brief")
        so_what_label.setBuddy(self.so_what)
        layout.addWidget(self.so_what)
        body_label = QLabel("&Note:", self)
        layout.addWidget(body_label)
        self.body = QPlainTextEdit(note.body if note else "", self)
        self.body.setObjectName("note-body")
        self.body.setTabChangesFocus(True)
        body_label.setBuddy(self.body)
        layout.addWidget(self.body, 1)
        marks_label = QLabel("&Highlights (Delete removes one):", self)
        layout.addWidget(marks_label)
        self.highlights = QListWidget(self)
        self.highlights.setObjectName("note-highlights")
        marks_label.setBuddy(self.highlights)
        for highlight_id, exact, found in highlights:
            words = exact if len(exact) <= LISTED_CHARS else exact[: LISTED_CHARS - 1] + "…"
            shown = f"“{words}”" + ("" if found else "  — not found in the article's text now")
            item = QListWidgetItem(shown, self.highlights)
            item.setData(ID_ROLE, highlight_id)
        if not highlights:
            QListWidgetItem(
                "None yet: select words in the article, then Ctrl+Shift+H.", self.highlights
            )
        self.highlights.setWordWrap(True)
        self.highlights.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.highlights.setMaximumHeight(130)
        layout.addWidget(self.highlights)
        hint = QLabel("Ctrl+Return or Esc: save and close", self)
        hint.setEnabled(False)
        layout.addWidget(hint)
        self.highlights.installEventFilter(self)
        self.so_what.installEventFilter(self)
        self._placed = False  # the so-what's cursor put at its end, once
        self.finished.connect(
            lambda _result: self.saved.emit(self.so_what.text(), self.body.toPlainText())
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.activateWindow()  # the keys go to the dialog, not to the window's shortcuts
        self.so_what.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Delete in the list of highlights removes the selected one; the so-what's first focus
        puts the cursor at its end (activating the window selected it all: a key replaced it)."""
        if watched is self.so_what and event.type() == QEvent.Type.FocusIn and not self._placed:
            self._placed = True
            QTimer.singleShot(0, lambda: self.so_what.end(False))
        if (
            watched is self.highlights
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
        ):
            self._remove_selected()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if ctrl and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept()
            return
        super().keyPressEvent(event)  # Esc rejects: it closes, and `finished` saves as well

    def _remove_selected(self) -> None:
        item = self.highlights.currentItem()
        if item is None or item.data(ID_ROLE) is None:
            return
        self.highlight_removed.emit(int(item.data(ID_ROLE)))
        self.highlights.takeItem(self.highlights.row(item))


def _escaped(text: str) -> str:
    return html.escape(text)
