"""The brief being assembled, in a dock beside the article: add the article being read (Ctrl+B),
reorder (Alt+Up/Alt+Down), remove (Delete), note an item (F2), export it (Ctrl+Shift+E) or print
it, pick or start another (Ctrl+Shift+B). The engine keeps the brief (search.api.Library's brief
methods); every change and the export run on this pane's own worker, never on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from ui.background import BackgroundRunner
from ui.commands import command
from ui.focus import focus_frame_style
from ui.qt_names import USER_ROLE, set_enum
from ui.rich import as_written

if TYPE_CHECKING:
    from search.api import Library
    from search.models import Brief, BriefDocument, BriefItem
    from ui.reader import Reader
    from ui.result_list import ResultList

OPEN_BRIEF_KEY = "open_brief"  # the settings' name for the brief the pane shows
# The save dialog's filters, and the export each one makes.
EXPORTS = {
    "PDF document (*.pdf)": "pdf",
    "Markdown (*.md)": "md",
    "HTML for an e-mail body (*.html)": "html",
}


class BriefPane(QObject):
    """The open brief's items in a dock, and the commands that assemble and export it."""

    message = Signal(str, int)  # status text and how long it shows (ms)

    def __init__(
        self,
        window: QMainWindow,
        settings: QSettings,
        library: Callable[[], Library | None],
        article: Callable[[], tuple[str, str] | None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._library = library
        self._article = article  # (id, title) of the article to add: being read, or selected
        self.title = str(settings.value(OPEN_BRIEF_KEY, "") or "")
        self.brief: Brief | None = None
        self.runner = BackgroundRunner(threads=1, latest_only=False, parent=self)
        self.dock = QDockWidget("Brief", window)
        self.dock.setObjectName("brief-dock")
        body = QWidget(self.dock)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.heading = QLabel(body)
        self.heading.setObjectName("brief-heading")
        self.heading.setWordWrap(True)
        set_enum(self.heading, "textFormat", "PlainText")
        self.list = QListWidget(body)
        self.list.setObjectName("brief-items")
        self.list.setWordWrap(True)
        self.list.setStyleSheet(focus_frame_style(self.list))
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.dock.setWidget(body)
        self.dock.hide()  # until a brief is wanted: Ctrl+B, Alt+5 or Ctrl+Shift+B
        self._docked = False  # docked on the window's right when first shown (_show_dock)
        self._show_brief(None)

    # -- the commands ----------------------------------------------------------------------

    @command("focus_brief")
    def focus(self) -> None:
        from PySide6.QtCore import Qt

        self._show_dock()
        self.dock.raise_()
        self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.refresh()

    @command("add_to_brief")
    def add_article(self) -> None:
        """Add the article being read (or the selected result) to the open brief, starting one
        (asking its title) when none is open."""
        article, library = self._article(), self._library()
        if article is None or library is None:
            self.message.emit("Open or select an article first: it is what Ctrl+B adds.", 5000)
            return
        title = self.title or self._ask_new_title()
        if not title:
            return
        article_id, headline = article
        self.title = title  # a second Ctrl+B adds to it, not asks

        def add() -> tuple[Brief, list[str]]:
            # A new title, or the open brief deleted meanwhile (from the shell): start it.
            if title.casefold() not in {b.title.casefold() for b in library.briefs()}:
                library.new_brief(title)
            added = library.add_to_brief(title, [article_id])
            return library.brief(title), added

        def done(value: tuple[Brief, list[str]]) -> None:
            brief, added = value
            self._show_brief(brief, select=article_id)
            self._show_dock()
            where = f"the brief “{brief.title}” ({len(brief.items)} items)"
            said = f"Added “{headline}” to {where}" if added else f"Already in {where}"
            self.message.emit(said, 6000)

        self._run(add, done)

    @command("open_brief")
    def choose(self) -> None:
        """Pick a brief to assemble, or type a new title to start one."""
        library = self._library()
        if library is None:
            return

        def chosen(briefs: list[Brief]) -> None:
            titles = [brief.title for brief in briefs]
            title = self.ask_choice(
                "Open a brief", "Brief (type a new title to start one):", titles
            )
            if not title:
                return
            known = {t.casefold(): t for t in titles}
            if title.casefold() in known:
                self._open(known[title.casefold()])
            else:
                self._run(lambda: library.new_brief(title), lambda b: self._open(b.title))

        self._run(library.briefs, chosen)

    @command("brief_cover")
    def edit_cover(self) -> None:
        """The cover's author and handling line ("OFFICIAL — for the Minister")."""
        library, brief = self._library(), self.brief
        if library is None or brief is None:
            self.message.emit("Open a brief first (Ctrl+Shift+B).", 5000)
            return
        author = self.ask_text("Brief cover", "Prepared by:", brief.author)
        if author is None:
            return
        handling = self.ask_text(
            "Brief cover", "Handling line (e.g. OFFICIAL — for the Minister):", brief.handling
        )
        if handling is None:
            return
        title = brief.title
        self._run(
            lambda: library.set_brief_cover(title, author=author, handling=handling),
            self._show_brief,
        )

    @command("brief_item_up", -1)
    @command("brief_item_down", 1)
    def move_item(self, step: int) -> None:
        library, item = self._library(), self._current_item()
        if library is None or item is None or self.brief is None:
            return
        position = item.position + step
        if position < 1 or position > len(self.brief.items):
            return
        title, article_id = self.brief.title, item.article_id

        def move() -> Brief:
            library.move_in_brief(title, article_id, position)
            return library.brief(title)

        self._run(move, lambda brief: self._show_brief(brief, select=article_id))

    @command("brief_item_remove")
    def remove_item(self) -> None:
        library, item = self._library(), self._current_item()
        if library is None or item is None or self.brief is None:
            return
        title, row = self.brief.title, self.list.currentRow()

        def remove() -> Brief:
            library.remove_from_brief(title, item.article_id)
            return library.brief(title)

        def done(brief: Brief) -> None:
            self._show_brief(brief)
            self.list.setCurrentRow(min(row, self.list.count() - 1))
            self.message.emit(f"Removed “{item.title}” from the brief.", 5000)

        self._run(remove, done)

    @command("brief_item_note")
    def note_item(self) -> None:
        library, item = self._library(), self._current_item()
        if library is None or item is None or self.brief is None:
            return
        text = self.ask_text("Note", f"Your note on “{item.title}” in this brief:", item.note)
        if text is None:
            return
        title = self.brief.title

        def note() -> Brief:
            library.note_brief_item(title, item.article_id, text)
            return library.brief(title)

        self._run(note, lambda brief: self._show_brief(brief, select=item.article_id))

    @command("export_brief")
    def export(self) -> None:
        """Save the brief as PDF, Markdown or e-mail HTML (chosen by the file's type); the
        export runs on the worker and is recorded as the brief's issue."""
        library, brief = self._library(), self.brief
        if library is None or brief is None or not brief.items:
            self.message.emit("Add articles to a brief first (Ctrl+B).", 5000)
            return
        chosen = self.ask_save_path(brief.title)
        if chosen is None:
            return
        out, kind = chosen
        title = brief.title
        self.message.emit(f"Exporting the brief to {out}…", 0)

        def export() -> str:
            if kind != "pdf":
                document = library.export_brief(title, kind, out)
                return f"{len(document.entries)} items → {out}"
            from ui.brief_print import write_brief_pdf

            document = library.brief_document(title)
            articles = library.articles([entry.article_id for entry in document.entries])
            done = write_brief_pdf(document, articles, out)
            library.issue_brief(title, document)
            return done

        def exported(done: str) -> None:
            self.message.emit(f"Brief saved: {done}", 10000)
            self.refresh()  # the heading says when it was issued

        self._run(export, exported)

    @command("print_brief")
    def print_document(self) -> None:
        """Print the brief (cover, then items); printing it records it as issued, as exporting does."""
        library, brief = self._library(), self.brief
        if library is None or brief is None or not brief.items:
            self.message.emit("Add articles to a brief first (Ctrl+B).", 5000)
            return
        title = brief.title

        def print_it(document: BriefDocument) -> None:
            from ui.brief_print import print_brief

            if print_brief(self._window, document):
                self._run(lambda: library.issue_brief(title, document), lambda _: self.refresh())

        self._run(lambda: library.brief_document(title), print_it)

    def _show_dock(self) -> None:
        """Show the dock, docking it on the window's right the first time (not while the window is
        built: docking takes a `Qt` value, see ui/qt_names.py)."""
        if not self._docked:
            from PySide6.QtCore import Qt

            self._window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
            self._docked = True
        self.dock.show()

    # -- asking (tests replace these) -----------------------------------------------------

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        value, accepted = QInputDialog.getText(
            self._window, title, as_written(label), QLineEdit.EchoMode.Normal, text
        )
        self._window.activateWindow()
        return str(value).strip() if accepted else None

    def ask_choice(self, title: str, label: str, names: list[str]) -> str | None:
        from PySide6.QtWidgets import QInputDialog

        value, accepted = QInputDialog.getItem(
            self._window, title, as_written(label), names, 0, True
        )
        self._window.activateWindow()
        return str(value).strip() if accepted and str(value).strip() else None

    def ask_save_path(self, title: str) -> tuple[Path, str] | None:
        """Where to export, and as what (from the chosen filter, or the name's suffix)."""
        from PySide6.QtWidgets import QFileDialog

        suggested = Path.home() / f"{_file_name(title)}.pdf"
        chosen, selected = QFileDialog.getSaveFileName(
            self._window, "Export the brief", str(suggested), ";;".join(EXPORTS)
        )
        self._window.activateWindow()
        if not chosen:
            return None
        out = Path(chosen)
        kind = {f".{k}": k for k in EXPORTS.values()}.get(out.suffix.lower())
        if kind is None:
            kind = EXPORTS.get(selected, "pdf")
            out = out.with_name(f"{out.name}.{kind}")
        return out, kind

    # -- showing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the open brief again (another program, or the CLI, may have changed it)."""
        library, title = self._library(), self.title
        if library is None or not title:
            self._show_brief(None)
            return
        self._run(lambda: library.brief(title), self._show_brief, forget=True)

    def _open(self, title: str) -> None:
        self.title = title
        self._settings.setValue(OPEN_BRIEF_KEY, title)
        self.focus()

    def _show_brief(self, brief: Brief | None, select: str | None = None) -> None:
        self.brief = brief
        self.list.clear()
        if brief is None:
            self.dock.setWindowTitle("Brief")
            self.heading.setText(
                "No brief open. Ctrl+B adds the article you read to a new one; "
                "Ctrl+Shift+B picks or starts one."
            )
            return
        if brief.title != self.title:
            self.title = brief.title
            self._settings.setValue(OPEN_BRIEF_KEY, brief.title)
        self.dock.setWindowTitle(f"Brief — {brief.title}")
        cover = [brief.handling, f"by {brief.author}" if brief.author else ""]
        count = f"{len(brief.items)} item{'' if len(brief.items) == 1 else 's'}"
        issued = f"issued {brief.issued_at[:10]}" if brief.issued_at else "not issued yet"
        self.heading.setText(" · ".join(p for p in (*cover, count, issued) if p))
        for item in brief.items:
            text = f"{item.position}. {item.title or '(no longer in the library)'}"
            if item.note:
                text += f"\n     Note: {item.note}"
            row = QListWidgetItem(text, self.list)
            row.setData(USER_ROLE, item.article_id)
            if item.article_id == select:
                self.list.setCurrentItem(row)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)

    def _current_item(self) -> BriefItem | None:
        row = self.list.currentRow()
        if self.brief is None or not 0 <= row < len(self.brief.items):
            return None
        return self.brief.items[row]

    def _ask_new_title(self) -> str | None:
        title = self.ask_text("Start a brief", "Title of the new brief:")
        return title or None

    def _run(
        self, work: Callable[[], Any], done: Callable[[Any], None], *, forget: bool = False
    ) -> None:
        def failed(message: str) -> None:
            text = message.split(": ", 1)[-1]  # the engine's message without its type
            if forget and message.startswith("BriefError"):
                # The open brief was deleted (from the shell, say): show none.
                self.title = ""
                self._settings.remove(OPEN_BRIEF_KEY)
                self._show_brief(None)
            self.message.emit(text, 8000)

        self.runner.submit(work, done, failed)


def article_to_add(
    results: ResultList, search_box: QWidget, reader: Reader
) -> tuple[str, str] | None:
    """What Ctrl+B adds, as (id, title): from the results (or the search box), the selected
    result; from anywhere else, the article being read."""
    hit = results.current_hit() if results.hasFocus() or search_box.hasFocus() else None
    if hit is not None:
        return hit.id, hit.title
    stored = reader.stored
    return (stored.article.id, stored.article.title) if stored is not None else None


def _file_name(title: str) -> str:
    """A file name from a brief's title: letters, digits and dashes."""
    name = "".join(c if c.isalnum() else "-" for c in title).strip("-")
    return "-".join(part for part in name.split("-") if part) or "brief"
