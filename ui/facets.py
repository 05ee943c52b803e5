"""The facets: the answer's most frequent actors, places and sources; Enter narrows the query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTreeWidget, QWidget

from ui.qt_names import USER_ROLE

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTreeWidgetItem

    from search.models import SearchResult

FACET_FIELDS = (("actor", "Actors"), ("place", "Places"), ("source", "Sources"))
FACET_ROLE = USER_ROLE + 1


class FacetTree(QTreeWidget):
    """One section per facet field, one row per value with its count."""

    clause_chosen = Signal(str)  # a query clause to add, e.g. actor:"Xi Jinping"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("facets")
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(10)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, self.header().ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, self.header().ResizeMode.ResizeToContents)
        self.setToolTip("Enter adds the facet to the query")
        self.itemActivated.connect(self._on_activated)

    def show_answer(self, result: SearchResult) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QTreeWidgetItem

        self.clear()
        for field, title in FACET_FIELDS:
            values = result.facets.get(field, [])
            if not values:
                continue
            section = QTreeWidgetItem(self, [title, ""])
            font = section.font(0)
            font.setBold(True)
            section.setFont(0, font)
            section.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for value, count in values:
                item = QTreeWidgetItem(section, [value, str(count)])
                item.setData(0, FACET_ROLE, (field, value))
                item.setTextAlignment(
                    1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
        self.expandAll()

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, FACET_ROLE)
        if isinstance(data, tuple):
            field, value = data
            from search.api import field_clause

            self.clause_chosen.emit(field_clause(field, value))
