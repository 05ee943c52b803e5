"""Briefing cards from the window: print, preview and export the open article's card or every
result's, at the card size chosen in View ▸ Card size (kept in the settings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QWidget

from ui.commands import command, new_action

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from search.models import StoredArticle
    from ui.search_session import SearchSession

DEFAULT_CARD_SIZE = "a6"
# Printing more cards than this asks first, saying how many cards and pages it will be.
CONFIRM_OVER = 20


def confirm(parent: QWidget, text: str) -> bool:
    """Ask before a long print run; True to go ahead."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        parent,
        "Print cards for all results",
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


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
        self._session: SearchSession | None = None  # the search whose results "print all" prints

    def follow(self, session: SearchSession) -> None:
        """Print all prints every result of the session's shown answer, not only the rows loaded."""
        self._session = session

    def set_article(self, stored: StoredArticle | None) -> None:
        self.stored = stored

    def _printing(self) -> ModuleType:
        from ui import printing

        # A name saved before the sizes were renamed ("a4": the sheet of four A6 cards).
        self.card_size = printing.SIZE_ALIASES.get(self.card_size, self.card_size)
        if self.card_size not in printing.CARD_SIZES:
            self.card_size = DEFAULT_CARD_SIZE
        return printing

    def set_card_size(self, name: str) -> None:
        self.card_size = name
        self._settings.setValue("card_size", name)
        for action in self._group.actions() if self._group is not None else ():
            action.setChecked(action.data() == name)  # set in Preferences, say: the menu follows

    def add_size_menu(self, view: QMenu) -> None:
        """View ▸ Card size, filled when first opened (the sizes live in the printing module)."""
        self._menu = view.addMenu("Card size")
        self._group = QActionGroup(self)
        self._menu.aboutToShow.connect(self._fill_size_menu)

    def _fill_size_menu(self) -> None:
        if self._menu is None or self._group is None or self._group.actions():
            return
        for name, size in self._printing().CARD_SIZES.items():
            action = new_action(self, size.label, checkable=True)
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
        self._printing().print_cards(
            self._parent,
            [self.stored],
            self.card_size,
            preview=preview,
            so_whats=self._so_whats([self.stored]),
        )

    @command("export_pdf")
    def export_pdf(self) -> None:
        if self.stored is None:
            self.message.emit("Open an article first: its card is what gets exported.", 5000)
            return
        out = self._printing().export_cards_pdf(
            self._parent, [self.stored], self.card_size, so_whats=self._so_whats([self.stored])
        )
        if out is not None:
            self.message.emit(f"Card saved to {out}", 8000)

    @command("print_all")
    def print_all(self) -> None:
        """One card per result of the shown search (every one, not only the page the list holds);
        a long run says how many cards and pages it will be and asks first."""
        printing = self._printing()
        total = self._result_count()
        if not total:
            self.message.emit("No results to print.", 5000)
            return
        size = printing.card_size(self.card_size)
        if total > CONFIRM_OVER:
            pages = -(-total // size.per_page)
            question = (
                f"Print {_plural(total, 'card')}, one for each result, "
                f"on {_plural(pages, 'page')} ({size.label})?"
            )
            if not confirm(self._parent, question):
                self.message.emit(f"Nothing printed ({_plural(total, 'result')}).", 5000)
                return
        stored = self._every_result() or []
        if not stored:
            self.message.emit("No results to print.", 5000)
            return
        if len(stored) == total:
            done = f"all {_plural(total, 'result')}"
        else:  # articles gone from the index since the search (a sync in between)
            done = f"{len(stored)} of {_plural(total, 'result')}"
        self.message.emit(f"Printing {_plural(len(stored), 'card')}, {done}.", 8000)
        printing.print_cards(
            self._parent, stored, self.card_size, preview=True, so_whats=self._so_whats(stored)
        )

    def _so_whats(self, articles: list[StoredArticle]) -> dict[str, str]:
        """The so-what lines of the articles' notes, for their cards ({} when the store cannot be
        read: the cards print without them, and the status bar says why)."""
        from search.api import StoreError

        library = self._session.index if self._session is not None else None
        if library is None:
            return {}
        try:
            return library.so_whats([stored.article.id for stored in articles])
        except StoreError as e:
            self.message.emit(f"Cards printed without your notes: {e}", 8000)
            return {}

    def _result_count(self) -> int:
        session = self._session
        if session is None or session.result is None:
            return len(self._all_results() or [])
        return session.result.total

    def _every_result(self) -> list[StoredArticle] | None:
        """The stored article of every hit of the shown answer, fetching the hits not yet listed."""
        session = self._session
        result = session.result if session is not None else None
        if session is None or result is None or session.index is None:
            return self._all_results()
        if len(result.hits) >= result.total:
            hits = result.hits
        else:
            asked = session.request
            if asked is None:
                return session.articles(result.hits)
            every = session.index.search(replace(asked, limit=result.total, offset=0, facets=False))
            hits = result.hits if every.error else every.hits
        return session.articles(hits)

    def save(self) -> None:
        self._settings.setValue("card_size", self.card_size)
