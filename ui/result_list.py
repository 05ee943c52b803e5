"""The result list: the session's hits, one row each, and which one is selected."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from ui.commands import command
from ui.results import HIT_ROLE, ResultDelegate, ResultModel

if TYPE_CHECKING:
    from search.models import Hit, SearchResult


class ResultList(QListView):
    """The hits of the shown answer; says which hit is selected and when the user opens it."""

    hit_selected = Signal(object)  # Hit, or None when nothing is selected
    open_requested = Signal()  # Enter or a double click: read the selected hit
    more_wanted = Signal()  # scrolled to the end: the next page, please

    def __init__(self, parent: QWidget, entering: Callable[[], bool]) -> None:
        super().__init__(parent)
        # Whether a move comes from the search box (it then only enters the list).
        self._entering = entering
        self._query: str | None = None  # the query whose hits are shown
        self.hits_model = ResultModel(self)
        self.setObjectName("results")
        self.setModel(self.hits_model)
        self.setItemDelegate(ResultDelegate(self))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.selectionModel().currentChanged.connect(self._on_current)
        self.doubleClicked.connect(lambda _index: self.open_result())
        self.hits_model.more_wanted.connect(self.more_wanted)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.hit_selected.emit(current.data(HIT_ROLE))

    def show_answer(self, result: SearchResult) -> None:
        """A new answer's hits. A new query starts at its top, its first hit selected; the same
        query answered again (a re-sync, a correction, another sort) keeps the hit selected before
        when it is among them, and the list where it was scrolled."""
        previous = self.current_hit() if result.query == self._query else None
        self._query = result.query
        scrolled = self.verticalScrollBar().value()
        self.hits_model.set_hits(result.hits, result.total)
        rows = [hit.id for hit in result.hits]
        if previous is not None and previous.id in rows:
            current = self.hits_model.index(rows.index(previous.id))
            self.setCurrentIndex(current)
            self.verticalScrollBar().setValue(scrolled)
            self.scrollTo(current)  # only when it moved out of sight
        elif rows:
            self.setCurrentIndex(self.hits_model.index(0))
            self.scrollToTop()

    def append_hits(self, hits: list[Hit]) -> None:
        self.hits_model.append_hits(hits)

    def current_hit(self) -> Hit | None:
        return self.hits_model.hit(self.currentIndex().row())

    def hits(self) -> list[Hit]:
        return self.hits_model.hits()

    @command("open_result")
    def open_result(self) -> None:
        """Enter: select the first result if none is, and read it."""
        if not self.currentIndex().isValid() and self.hits_model.rowCount():
            self.setCurrentIndex(self.hits_model.index(0))
        self.open_requested.emit()

    @command("next_result", 1)
    @command("previous_result", -1)
    def move(self, step: int) -> None:
        rows = self.hits_model.rowCount()
        if not rows:
            return
        row = self.currentIndex().row()
        # From the search box, the first press only moves into the list, onto the selected result.
        if row < 0:
            row = 0
        elif not self._entering():
            row = min(max(row + step, 0), rows - 1)
        self.setCurrentIndex(self.hits_model.index(row))
        self.setFocus()

    @command("next_article", 1)
    @command("previous_article", -1)
    def step_article(self, step: int) -> None:
        """Shift+Down/Up: the next or previous result, keeping the focus where it is."""
        row = self.currentIndex().row() + step
        if 0 <= row < self.hits_model.rowCount():
            self.setCurrentIndex(self.hits_model.index(row))
