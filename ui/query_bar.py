"""The query bar: the search box, the hit count, the sort, the engine's message and its "did you
mean"; it says what the user asks for (signals) and shows the session's answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Signal
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.commands import command, new_action
from ui.qt_names import set_enum
from ui.search_box import SearchBox

if TYPE_CHECKING:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QMenu

    from search.models import SearchResult


class QueryBar(QWidget):
    """What to search for and how it went."""

    text_changed = Signal(str)  # typed: the session searches once typing pauses
    sort_changed = Signal(str)  # "relevance" or "date"
    submitted = Signal()  # the text was set for the user (a suggestion, a facet): search now

    # The query error's red, readable (4.5:1 or better) on a light and on a dark window.
    ERROR_RED = {"light": "#b0281a", "dark": "#ff7b6b"}

    def _style_error(self) -> None:
        dark = self.palette().window().color().lightness() < 128
        self.error_label.setStyleSheet(f"color: {self.ERROR_RED['dark' if dark else 'light']};")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.PaletteChange:
            self._style_error()  # the theme changed
        super().changeEvent(event)

    def __init__(self, parent: QWidget, command_keys: list[QKeySequence]) -> None:
        """`command_keys`: every key bound to a command, which the search box lets through."""
        super().__init__(parent)
        self._suggestion: str | None = None
        self.sort_group: QActionGroup | None = None
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)

        top = QHBoxLayout()
        self.search_box = SearchBox(self)
        self.search_box.setObjectName("search")
        self.search_box.command_keys = command_keys
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(
            'Search — e.g. Takaichi AND Nara, "trade security", actor:"Xi Jinping"   ( / to focus)'
        )
        self.search_box.textChanged.connect(self.text_changed)
        top.addWidget(self.search_box, 1)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        self.count_label.setMinimumWidth(90)
        set_enum(self.count_label, "alignment", "AlignRight|AlignVCenter")
        top.addWidget(self.count_label)
        self.sort_box = QComboBox(self)
        self.sort_box.setObjectName("sort")
        self.sort_box.addItem("Relevance", "relevance")
        self.sort_box.addItem("Newest first", "date")
        self.sort_box.setToolTip("Sort the results")
        self.sort_box.currentIndexChanged.connect(self._on_sort_changed)
        top.addWidget(self.sort_box)
        rows.addLayout(top)

        messages = QHBoxLayout()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("query-error")
        # The message quotes the user's query: '<b>x</b>' must show as typed, not as bold.
        set_enum(self.error_label, "textFormat", "PlainText")
        self.error_label.setWordWrap(True)
        self._style_error()
        self.error_label.hide()
        messages.addWidget(self.error_label, 1)
        self.suggestion_button = QPushButton(self)
        self.suggestion_button.setObjectName("suggestion")
        self.suggestion_button.setFlat(True)
        self.suggestion_button.clicked.connect(self.accept_suggestion)
        self.suggestion_button.hide()
        messages.addWidget(self.suggestion_button)
        messages.addStretch(0)
        rows.addLayout(messages)

    # -- what the user asks for ------------------------------------------------------------

    def text(self) -> str:
        return self.search_box.text()

    def sort(self) -> str:
        return str(self.sort_box.currentData())

    def set_query(self, query: str) -> None:
        """Replace the query (e.g. with an actor from the side panel) and search at once."""
        self.search_box.setText(query)
        self.submitted.emit()

    def add_clause(self, clause: str) -> None:
        """Add a clause to the query text (so the user sees and can edit it) and search at once."""
        text = self.search_box.text().strip()
        if clause not in text:
            self.search_box.setText(f"{text} {clause}".strip())
        self.submitted.emit()

    @command("accept_suggestion")
    def accept_suggestion(self) -> None:
        if self._suggestion:
            self.set_query(self._suggestion)

    @command("toggle_sort")
    def toggle_sort(self) -> None:
        self.sort_box.setCurrentIndex((self.sort_box.currentIndex() + 1) % self.sort_box.count())

    def _on_sort_changed(self, _index: int) -> None:
        self._check_sort_action()
        self.sort_changed.emit(self.sort())

    def add_sort_actions(self, menu: QMenu) -> None:
        """View ▸ Sort: one checkable action per sort, kept in step with the box."""
        self.sort_group = QActionGroup(self)
        for index in range(self.sort_box.count()):
            action = new_action(self, f"Sort: {self.sort_box.itemText(index)}", checkable=True)
            action.setData(index)
            action.triggered.connect(lambda _checked, i=index: self.sort_box.setCurrentIndex(i))
            self.sort_group.addAction(action)
            menu.addAction(action)
        self._check_sort_action()

    def _check_sort_action(self) -> None:
        if self.sort_group is not None:
            for action in self.sort_group.actions():
                action.setChecked(action.data() == self.sort_box.currentIndex())

    def restore(self, settings: QSettings) -> None:
        """The query and sort saved when the window last closed."""
        sort = settings.value("sort", "relevance")
        self.sort_box.setCurrentIndex(max(self.sort_box.findData(sort), 0))
        self._check_sort_action()
        self.search_box.setText(str(settings.value("query", "")))

    def save(self, settings: QSettings) -> None:
        settings.setValue("query", self.search_box.text())
        settings.setValue("sort", self.sort_box.currentData())

    def has_focus(self) -> bool:
        return self.search_box.hasFocus()

    # -- what the session answered ---------------------------------------------------------

    def show_answer(self, result: SearchResult) -> None:
        self._suggestion = result.suggestion
        self.error_label.hide()
        noun = "article" if result.browse else "result"
        self.count_label.setText(f"{result.total} {noun}{'s' if result.total != 1 else ''}")
        if result.suggestion:
            # A button reads '&' as a shortcut marker: '&&' shows one.
            suggestion = result.suggestion.replace("&", "&&")
            self.suggestion_button.setText(f"Did you mean: {suggestion}?")
            # A link's pointing hand; set here, not at start-up (see ui/qt_names.py).
            from PySide6.QtCore import Qt

            self.suggestion_button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.suggestion_button.show()
        else:
            self.suggestion_button.hide()

    def show_rejected(self, result: SearchResult) -> None:
        """The engine could not understand the query: its message; the last results stay."""
        self.error_label.setText(result.error or "")
        self.error_label.show()
        self.count_label.setText("—")
        self.suggestion_button.hide()

    def show_failure(self, message: str) -> None:
        self.error_label.setText(f"The search failed: {message}")
        self.error_label.show()
