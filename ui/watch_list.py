"""The watch list: saved queries under the facets, each with how many of its articles are new since
it was last looked at and since the last brief (bold when there are new ones).

Enter on an item searches its query with the new articles first, marked, and counts them seen;
Ctrl+Shift+W watches the query in the search box; Delete stops watching (after asking). The
engine does the work (search.api.Library.watches and friends) on this pane's own worker; the
counts are read again when the index opens, after every sync and after every change here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from ui.background import BackgroundRunner
from ui.commands import command
from ui.qt_names import USER_ROLE
from ui.rich import as_written

if TYPE_CHECKING:
    from search.api import Library
    from search.models import Watch
    from ui.main_window import MainWindow

WATCH_ROLE = USER_ROLE + 1
# A query that is one field's value (place:Japan, actor:"Lee Jae Myung") suggests that value as
# the item's name; any other query suggests itself, cut short.
ONE_VALUE = re.compile(r'^\s*(?:actor|place|source|title):\s*"?([^"]+?)"?\s*$', re.IGNORECASE)
SUGGESTED_NAME_CHARS = 40
MINIMUM_HEIGHT = 90  # px: the header and three items


def suggested_name(query: str) -> str:
    """The name the "watch this query" dialog offers: `Japan` for `place:Japan`."""
    one = ONE_VALUE.match(query)
    name = one.group(1) if one else " ".join(query.split())
    return name if len(name) <= SUGGESTED_NAME_CHARS else name[: SUGGESTED_NAME_CHARS - 1] + "…"


class WatchTree(QTreeWidget):
    """One row per watch item: its name, new since last looked, new since the last brief."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("watch-list")
        self.setColumnCount(3)
        self.setHeaderLabels(["Watching", "new", "since brief"])
        self.setRootIsDecorated(False)
        self.setIndentation(0)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, self.header().ResizeMode.Stretch)
        for column in (1, 2):
            self.header().setSectionResizeMode(column, self.header().ResizeMode.ResizeToContents)
        self.setToolTip(
            "Enter: search it, new articles first · Ctrl+Shift+W: watch the query · Delete: stop"
        )
        self.setAccessibleName("Watch list")

    def show_watches(self, watches: list[Watch]) -> None:
        """The items with their counts, keeping the selected one selected."""
        from PySide6.QtCore import Qt

        current = self.current_watch()
        self.clear()
        for watch in watches:
            item = QTreeWidgetItem(self, [watch.name, _count(watch.new), _count(watch.since_brief)])
            item.setData(0, WATCH_ROLE, watch)
            item.setToolTip(0, as_written(_tooltip(watch)))  # the user's query
            for column in (1, 2):
                item.setTextAlignment(
                    column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
            font = item.font(0)
            font.setBold(bool(watch.new))
            font.setItalic(watch.error is not None)
            for column in range(3):
                item.setFont(column, font)
            if current is not None and watch.name == current.name:
                self.setCurrentItem(item)
        if self.currentItem() is None and self.topLevelItemCount():
            self.setCurrentItem(self.topLevelItem(0))
        if not watches:
            hint = QTreeWidgetItem(self, ["Ctrl+Shift+W watches the query", "", ""])
            hint.setFlags(Qt.ItemFlag.NoItemFlags)

    def current_watch(self) -> Watch | None:
        from search.models import Watch

        item = self.currentItem()
        watch = item.data(0, WATCH_ROLE) if item is not None else None
        return watch if isinstance(watch, Watch) else None


class WatchList(QObject):
    """The watch list's commands and its worker; `tree` is the pane the window lays out."""

    message = Signal(str)  # for the status bar
    counted = Signal(list)  # [Watch]: the counts as last read (tests wait for it)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.tree = WatchTree()
        self.runner = BackgroundRunner(threads=1, latest_only=False, parent=self)
        self._counting = BackgroundRunner(threads=1, latest_only=True, parent=self)
        # Enter is the keymap's open_watch; a double click opens too.
        self.tree.itemDoubleClicked.connect(lambda _item, _column: self.open_watch())
        self.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self.counted.connect(self.tree.show_watches)
        window.left_splitter.addWidget(self.tree)
        window.left_splitter.setStretchFactor(2, 1)
        # A layout saved before the watch list existed sizes two panes: restored, it would leave
        # this one 0 high; not collapsible, it keeps its minimum instead.
        window.left_splitter.setCollapsible(2, False)
        self.tree.setMinimumHeight(MINIMUM_HEIGHT)
        window.focus.add_pane(self.tree, after=window.facets)
        window.session.opened.connect(lambda _opened: self.refresh())
        window.indexing.index_changed.connect(self.refresh)

    def finish(self) -> None:
        """Before the window closes the index: a count or a change in flight finishes first (the
        window's closeEvent calls this; an event filter on the window would run Python for
        every event it gets, start-up's included)."""
        self._counting.cancel_pending()
        self._counting.wait(5000)
        self.runner.wait(5000)

    def _index(self) -> Library | None:
        return self._window.session.index

    def refresh(self) -> None:
        """Read every item's counts again, on the worker (the newest reading wins)."""
        index = self._index()
        if index is not None:
            self._counting.submit(index.watches, self.counted.emit, self._failed)

    # -- the commands --------------------------------------------------------------------

    @command("focus_watches")
    def focus(self) -> None:
        from PySide6.QtCore import Qt

        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @command("watch_query")
    def watch_query(self) -> None:
        """Watch the query in the search box under a name the user gives (offered from it)."""
        index, query = self._index(), self._window.query_bar.text().strip()
        if index is None:
            return
        if not query:
            self.message.emit("Type a query to watch first (e.g. place:Japan), then Ctrl+Shift+W.")
            return
        name = self.ask_text("Watch this query", f"Watch “{query}” as:", suggested_name(query))
        if name is None or not name.strip():
            return

        def added(watch: Watch) -> None:
            self.message.emit(f"Watching {watch.name}: new articles are counted from now.")
            self.refresh()

        self.runner.submit(lambda: index.add_watch(name, query), added, self._failed)

    @command("open_watch")
    def open_watch(self) -> None:
        """Search the selected item's query, its new articles first and marked; count them seen."""
        watch, index = self.tree.current_watch(), self._index()
        if watch is None or index is None:
            return
        self._window.session.show_new(watch.query, watch.seen_at)
        self._window.search_for(watch.query)
        name = watch.name
        self.runner.submit(lambda: index.watch_seen(name), lambda _w: self.refresh(), self._failed)

    @command("remove_watch")
    def remove_watch(self) -> None:
        watch, index = self.tree.current_watch(), self._index()
        if watch is None or index is None:
            return
        if not self.confirm(f"Stop watching “{watch.name}” ({watch.query})?"):
            return
        name = watch.name

        def removed(gone: Watch) -> None:
            self.message.emit(f"No longer watching {gone.name}.")
            self.refresh()

        self.runner.submit(lambda: index.remove_watch(name), removed, self._failed)

    @command("rename_watch")
    def rename_watch(self) -> None:
        watch, index = self.tree.current_watch(), self._index()
        if watch is None or index is None:
            return
        new_name = self.ask_text("Rename", f"Call “{watch.name}”:", watch.name)
        if new_name is None or not new_name.strip() or new_name.strip() == watch.name:
            return
        name = watch.name
        self.runner.submit(
            lambda: index.rename_watch(name, new_name), lambda _w: self.refresh(), self._failed
        )

    # -- asking (tests replace these) -----------------------------------------------------

    def ask_text(self, title: str, label: str, text: str) -> str | None:
        """A one-line dialog: Enter accepts, Esc cancels."""
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        value, accepted = QInputDialog.getText(
            self._window, title, as_written(label), QLineEdit.EchoMode.Normal, text
        )
        self._window.activateWindow()
        return str(value) if accepted else None

    def confirm(self, question: str) -> bool:
        """Yes or no; Esc is no."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self._window,
            "Watch list",
            as_written(question),
            defaultButton=QMessageBox.StandardButton.Yes,
        )
        self._window.activateWindow()
        return answer == QMessageBox.StandardButton.Yes

    def _failed(self, message: str) -> None:
        # The engine's message ('WatchError: a watch item named … already exists') without the type.
        self.message.emit(message.split(": ", 1)[-1])


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def _tooltip(watch: Watch) -> str:
    if watch.error:
        return f"{watch.query}\n{watch.error}"
    brief = (
        f"{watch.since_brief} since the last brief ({watch.last_brief[:10]})"
        if watch.last_brief and watch.since_brief is not None
        else "no brief issued yet"
    )
    return f"{watch.query}\n{watch.total} articles, {watch.new} new since last looked, {brief}"
