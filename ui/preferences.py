"""Preferences (Edit ▸ Preferences…, Ctrl+,): the article's font family and size, the theme, the
default card size, and where the key bindings file is, with a button that opens its folder.

Each change applies at once and is kept in the settings; Cancel (or Esc) puts back what was in
force when the dialog opened. The dialog (ui/preferences_dialog.py) is imported when it first opens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from ui.commands import command
from ui.keymap import keys_path

if TYPE_CHECKING:
    from ui.article_view import ArticleView
    from ui.cards import CardCommands
    from ui.preferences_dialog import PreferencesDialog
    from ui.theme import Theme

FONT_FAMILY = "article_font_family"
FONT_SIZE = "article_font_size"
SMALLEST_PT, LARGEST_PT = 6.0, 48.0


@dataclass(frozen=True)
class Chosen:
    """What the preferences are at one moment (Cancel goes back to the one the dialog opened on)."""

    font_family: str  # "" : the window's font
    font_size: float  # 0 : the window's size, a tenth larger
    theme: str
    card_size: str


class Preferences(QObject):
    """Applies the saved article font at start-up and opens the dialog; owns no other state: the
    theme and the card size belong to their own panes."""

    message = Signal(str, int)

    def __init__(
        self,
        parent: QWidget,
        settings: QSettings,
        article: ArticleView,
        cards: CardCommands,
        theme: Theme,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._settings = settings
        self.article = article
        self.cards = cards
        self.theme = theme
        self.dialog: PreferencesDialog | None = None
        family = str(settings.value(FONT_FAMILY, "") or "")
        try:
            size = float(str(settings.value(FONT_SIZE, 0) or 0))
        except ValueError:
            size = 0.0
        size = min(max(size, SMALLEST_PT), LARGEST_PT) if size else 0.0
        if family or size:
            article.set_article_font(family, size)

    def chosen(self) -> Chosen:
        return Chosen(
            self.article.font_family,
            self.article.font_size,
            self.theme.choice,
            self.cards.card_size,
        )

    def set_article_font(self, family: str, size: float) -> None:
        self.article.set_article_font(family, size)
        self._settings.setValue(FONT_FAMILY, family)
        self._settings.setValue(FONT_SIZE, size)

    def restore(self, chosen: Chosen) -> None:
        """Put every preference back as `chosen` says."""
        self.set_article_font(chosen.font_family, chosen.font_size)
        if self.theme.choice != chosen.theme:
            self.theme.set_choice(chosen.theme)
        if self.cards.card_size != chosen.card_size:
            self.cards.set_card_size(chosen.card_size)

    @command("preferences")
    def open_dialog(self) -> None:
        """Show the dialog (window-modal; it applies each change as it is made)."""
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        from ui.preferences_dialog import PreferencesDialog

        self.dialog = PreferencesDialog(self, self._parent)
        self.dialog.open()

    def open_keys_folder(self) -> bool:
        """Open the folder keys.toml lives in (made if missing) in the system's file manager."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        folder = keys_path().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.message.emit(f"Could not make {folder}: {error.strerror or error}", 8000)
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.message.emit(f"Could not open {folder}: no file manager answered", 8000)
            return False
        return True
