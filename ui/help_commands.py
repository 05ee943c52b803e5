"""The Help menu's commands: the cheat sheet built from the keymap, and About (ui/help.py, imported
when first shown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.commands import command
from ui.keymap import Keymap

if TYPE_CHECKING:
    from ui.help import CheatSheet


class HelpCommands(QObject):
    """Shows the cheat sheet (made once) and the About box."""

    def __init__(self, parent: QWidget, keymap: Keymap) -> None:
        super().__init__(parent)
        self._parent = parent
        self._keymap = keymap
        self.cheat_sheet: CheatSheet | None = None

    @command("help")
    def show_cheat_sheet(self) -> None:
        from ui.help import CheatSheet

        if self.cheat_sheet is None:
            self.cheat_sheet = CheatSheet(self._keymap, self._parent)
        self.cheat_sheet.show()
        self.cheat_sheet.raise_()
        self.cheat_sheet.activateWindow()

    def close_cheat_sheet(self) -> bool:
        """Esc in the cheat sheet closes it; False when it is not the active window."""
        if self.cheat_sheet is not None and self.cheat_sheet.isActiveWindow():
            self.cheat_sheet.close()
            return True
        return False

    @command("about")
    def show_about(self) -> None:
        from ui.help import show_about

        show_about(self._parent)
