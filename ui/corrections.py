"""Corrections from the side panel: the menu and dialogs that ask for them, run off the GUI thread.

The engine does the work (search.api.Library.correct_entity and friends); this part asks
the user, runs it on its own worker (never dropped for a newer query) and says what changed. The
window refreshes the panel, facets and results when `changed` arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtWidgets import QWidget

from ui.background import BackgroundRunner
from ui.commands import command
from ui.side_panel import PanelEntry, SidePanel

# The menu and dialogs are imported when first shown: the window opens without them.
if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

    from search.api import Library
    from search.models import Correction, LibraryEntity

KIND_COMMANDS = {
    "kind_person": "person",
    "kind_organization": "organization",
    "kind_place": "place",
}


class EntityCorrections(QObject):
    """Rename, merge, hide and re-kind the panel's selected entry; hide a figure; undo."""

    changed = Signal(str)  # a correction was stored or undone: what, for the status bar
    message = Signal(str)  # nothing changed: why, for the status bar

    def __init__(
        self,
        parent: QWidget,
        panel: SidePanel,
        index: Callable[[], Library | None],
        article_id: Callable[[], str | None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._panel = panel
        self._index = index
        self._article_id = article_id
        self.runner = BackgroundRunner(threads=1, latest_only=False, parent=self)
        self.menu: QMenu | None = None  # the corrections menu last shown (tests read it)

    # -- the commands --------------------------------------------------------------------

    @command("rename_entry")
    def rename(self) -> None:
        entry = self._entity_entry()
        if entry is None:
            return
        name = self.ask_text("Rename", f"Show “{entry.label}” everywhere as:", entry.label)
        if name is not None and name.strip() and name.strip() != entry.label:
            self._correct("rename", entry, name.strip())

    @command("merge_entry")
    def merge(self) -> None:
        entry, index = self._entity_entry(), self._index()
        if entry is None or index is None:
            return

        def names() -> list[str]:
            return merge_choices(index.entities(), entry)

        self.runner.submit(names, lambda found: self._ask_merge(entry, found), self._failed)

    def _ask_merge(self, entry: PanelEntry, names: list[str]) -> None:
        into = self.ask_choice("Merge", f"Merge “{entry.label}” into:", names)
        if into:
            self._correct("merge", entry, into)

    @command("hide_entry")
    def hide(self) -> None:
        entry, index = self._panel.current_entry(), self._index()
        if entry is None or index is None:
            self.message.emit("Select an actor, place or figure in the side panel first (Alt+3).")
            return
        if entry.field == "quote":
            self.message.emit("A quote cannot be hidden; select an actor, place or figure.")
            return
        if entry.field == "figure":
            article_id = self._article_id()
            if article_id is not None:
                text = entry.label
                self._run(lambda: index.hide_figure(article_id, text))
            return
        self._correct("hide", entry)

    @command("kind_person", "person")
    @command("kind_organization", "organization")
    @command("kind_place", "place")
    def set_kind(self, kind: str) -> None:
        entry = self._entity_entry()
        if entry is not None and entry.kind != kind:
            self._correct("kind", entry, kind)

    @command("undo_correction")
    def undo(self) -> None:
        index = self._index()
        if index is None:
            return

        def undone(correction: Correction | None) -> None:
            if correction is None:
                self.message.emit("No corrections to undo.")
            else:
                self.changed.emit(f"Undid: {correction.describe()}")

        self.runner.submit(index.undo_correction, undone, self._failed)

    def show_menu(self, entry: PanelEntry, position: QPoint, actions: dict[str, QAction]) -> None:
        """The corrections menu for a panel entry, built from the window's named actions."""
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self._parent)
        menu.setObjectName("entry-menu")
        if entry.field == "figure":
            menu.addAction(actions["hide_entry"])
        elif entry.field in ("actor", "place"):
            for name in ("rename_entry", "merge_entry", "hide_entry"):
                menu.addAction(actions[name])
            kinds = menu.addMenu("Change kind")
            kinds.setObjectName("kind-menu")
            for name, kind in KIND_COMMANDS.items():
                action = actions[name]
                action.setEnabled(kind != entry.kind)
                kinds.addAction(action)
        if not menu.isEmpty():  # a quote has no corrections: its menu starts with its search
            menu.addSeparator()
        if entry.field in ("actor", "place"):
            menu.addAction(actions["entity_page"])
        if entry.clause is not None:
            menu.addAction(actions["search_entry"])
        menu.addAction(actions["copy"])
        menu.addSeparator()
        menu.addAction(actions["undo_correction"])
        self.menu = menu
        menu.popup(position)
        menu.setActiveAction(menu.actions()[0])  # the keyboard starts on the first item

    # -- asking (tests replace these) -----------------------------------------------------

    def ask_text(self, title: str, label: str, text: str) -> str | None:
        """A one-line dialog: Enter accepts, Esc cancels."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        value, accepted = QInputDialog.getText(
            self._parent, title, label, QLineEdit.EchoMode.Normal, text
        )
        self._parent.activateWindow()  # the keys go back to the window (and its shortcuts)
        return str(value) if accepted else None

    def ask_choice(self, title: str, label: str, names: list[str]) -> str | None:
        """Pick (or type, with completion) one of `names`: Enter accepts, Esc cancels."""
        from PySide6.QtWidgets import QInputDialog

        value, accepted = QInputDialog.getItem(self._parent, title, label, names, 0, True)
        self._parent.activateWindow()
        return str(value) if accepted and value else None

    # -- running ------------------------------------------------------------------------

    def _entity_entry(self) -> PanelEntry | None:
        entry = self._panel.current_entry()
        if entry is None or entry.field not in ("actor", "place"):
            self.message.emit("Select an actor or place in the side panel first (Alt+3).")
            return None
        return entry

    def _correct(self, action: str, entry: PanelEntry, value: str | None = None) -> None:
        # The entry's field goes along: an actor and a place may share its name ("Wales").
        index, name, field_name = self._index(), entry.label, entry.field
        if index is not None:
            self._run(lambda: index.correct_entity(action, name, value, field_name))

    def _run(self, work: Callable[[], Any]) -> None:
        def done(correction: Correction) -> None:
            self.changed.emit(
                f"{correction.describe()[0].upper()}{correction.describe()[1:]} (Ctrl+Z undoes)"
            )

        self.runner.submit(work, done, self._failed)

    def _failed(self, message: str) -> None:
        # The engine's message (e.g. 'UnknownEntity: no actor … did you mean …') without the type.
        self.message.emit(message.split(": ", 1)[-1])


def merge_choices(entities: list[LibraryEntity], entry: PanelEntry) -> list[str]:
    """The names `entry` can merge into: every other entity, a name shared by an actor and a place
    given as "actor:NAME" / "place:NAME" (the engine reads the prefix)."""
    fields: dict[str, set[str]] = {}
    for entity in entities:
        fields.setdefault(entity.name, set()).add(_field_of(entity))
    return [
        f"{_field_of(e)}:{e.name}" if len(fields[e.name]) > 1 else e.name
        for e in entities
        if (e.name, _field_of(e)) != (entry.label, entry.field)
    ]


def _field_of(entity: LibraryEntity) -> str:
    return "place" if entity.kind == "place" else "actor"
