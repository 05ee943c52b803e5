"""Briefing cards from the window: print, preview and export the open article's card or every
result's, at the card size chosen in View ▸ Card size (kept in the settings)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QWidget

from ui.commands import command

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from search.models import StoredArticle

DEFAULT_CARD_SIZE = "a6"


class CardCommands(QObject):
    """The card commands; the printing module (Qt print support) is imported on first use."""

    message = Signal(str, int)  # status text and how long it shows (ms)

    def __init__(
        self,
        parent: QWidget,
        settings: QSettings,
        all_results: Callable[[], list[StoredArticle] | None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._settings = settings
        self._all_results = all_results  # every result's article (None: nothing to search)
        self.stored: StoredArticle | None = None  # the open article, told by the reader
        # Checked against the printable sizes when printing is first used (see `_printing`).
        self.card_size = str(settings.value("card_size", DEFAULT_CARD_SIZE))
        self._menu: QMenu | None = None
        self._group: QActionGroup | None = None

    def set_article(self, stored: StoredArticle | None) -> None:
        self.stored = stored

    def _printing(self) -> ModuleType:
        from ui import printing

        if self.card_size not in printing.CARD_SIZES:
            self.card_size = DEFAULT_CARD_SIZE
        return printing

    def set_card_size(self, name: str) -> None:
        self.card_size = name
        self._settings.setValue("card_size", name)

    def add_size_menu(self, view: QMenu) -> None:
        """View ▸ Card size, filled when first opened (the sizes live in the printing module)."""
        self._menu = view.addMenu("Card size")
        self._group = QActionGroup(self)
        self._menu.aboutToShow.connect(self._fill_size_menu)

    def _fill_size_menu(self) -> None:
        if self._menu is None or self._group is None or self._group.actions():
            return
        for name, size in self._printing().CARD_SIZES.items():
            action = QAction(size.label, self, checkable=True)
            action.setData(name)
            action.setChecked(name == self.card_size)
            action.triggered.connect(lambda _checked, n=name: self.set_card_size(n))
            self._group.addAction(action)
            self._menu.addAction(action)

    @command("print_card", False)
    @command("print_preview", True)
    def print_card(self, preview: bool) -> None:
        if self.stored is None:
            self.message.emit("Open an article first: its card is what gets printed.", 5000)
            return
        self._printing().print_cards(self._parent, [self.stored], self.card_size, preview=preview)

    @command("export_pdf")
    def export_pdf(self) -> None:
        if self.stored is None:
            self.message.emit("Open an article first: its card is what gets exported.", 5000)
            return
        out = self._printing().export_cards_pdf(self._parent, [self.stored], self.card_size)
        if out is not None:
            self.message.emit(f"Card saved to {out}", 8000)

    @command("print_all")
    def print_all(self) -> None:
        stored = self._all_results()
        if stored is None:
            self.message.emit("No results to print.", 5000)
            return
        self._printing().print_cards(self._parent, stored, self.card_size, preview=True)

    def save(self) -> None:
        self._settings.setValue("card_size", self.card_size)
