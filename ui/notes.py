"""The briefer's own marks on the open article: its note (a one-line so-what and a body, edited in a
small dialog), its highlights (the article view shows them; the selection becomes one), and its
read mark. The engine keeps them in the user's store (search.api.Library); writes run off the GUI
thread, and what they change comes back over signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from ui.article_view import ArticleView, muted_color
from ui.background import BackgroundRunner
from ui.commands import command
from ui.qt_names import set_enum
from ui.side_panel import SidePanel

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from search.api import Library
    from search.models import Highlight, Note, StoredArticle
    from ui.note_dialog import NoteDialog


class ArticleNotes(QObject):
    """The note, highlights and read mark of the article the reader shows."""

    message = Signal(str, int)  # status text and how long it shows (ms)
    note_saved = Signal(str)  # the article id whose note changed (a note: query may follow)

    def __init__(
        self,
        parent: QWidget,
        article: ArticleView,
        panel: SidePanel,
        index: Callable[[], Library | None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._article = article
        self._index = index
        self.stored: StoredArticle | None = None
        self.note: Note | None = None
        self.highlights: list[Highlight] = []
        self._loaded: str | None = None  # the article whose note and highlights have been read
        # Each highlight's place in the article as shown, or None when its words are gone.
        self.found: list[tuple[int, int] | None] = []
        self.dialog: NoteDialog | None = None
        self.runner = BackgroundRunner(threads=1, latest_only=False, parent=self)
        # The so-what, at the top of the side panel when the article has one.
        self.so_what_label = QLabel(panel)
        self.so_what_label.setObjectName("panel-so-what")
        self.so_what_label.setWordWrap(True)
        set_enum(self.so_what_label, "textInteractionFlags", "TextSelectableByMouse")
        self.so_what_label.setContentsMargins(6, 6, 6, 6)
        self.so_what_label.hide()
        layout = panel.layout()
        if layout is not None:
            layout.insertWidget(0, self.so_what_label)  # type: ignore[attr-defined]

    # -- following the reader ---------------------------------------------------------------

    def show_article(self, stored: StoredArticle | None) -> None:
        """The reader opened `stored` (None: nothing): show its marks and note, mark it read."""
        self.stored = stored
        self.note, self.highlights, self.found = None, [], []
        self._loaded = None
        index = self._index()
        if stored is None or index is None:
            self._show_so_what()
            return
        article_id = stored.article.id
        self._show_so_what()  # the article left's, gone

        # Read on the worker: the store may wait on another program's lock, never the window.
        def shown(found: tuple[Note | None, list[Highlight]]) -> None:
            if self.stored is None or self.stored.article.id != article_id:
                return  # another article opened meanwhile
            self._take(article_id, found)

        def unreadable(error: str) -> None:  # the store's own message names the file and why
            self.message.emit(f"Your notes cannot be read: {error}", 10000)

        self.runner.submit(
            lambda: (index.note(article_id), index.highlights(article_id)), shown, unreadable
        )
        if index.read_only is None:
            # A read mark is a nicety: one that cannot be written is logged, never shown.
            self.runner.submit(lambda: index.mark_read(article_id), lambda _none: None, log.info)

    def _take(self, article_id: str, found: tuple[Note | None, list[Highlight]]) -> None:
        self.note, self.highlights = found
        self._loaded = article_id
        self._place_highlights()
        self._show_so_what()

    def _ensure_loaded(self, stored: StoredArticle) -> None:
        """Before the note is edited or a highlight taken away: the worker's read of this
        article's note may not be back yet, and an editor opened on no note would save over it.
        Read here then (a key the user pressed; rare, and brief)."""
        index, article_id = self._index(), stored.article.id
        if self._loaded == article_id or index is None:
            return
        self._take(article_id, (index.note(article_id), index.highlights(article_id)))

    def _place_highlights(self) -> None:
        from search.api import locate_highlight

        text = self._article.body_text()
        self.found = [locate_highlight(text, mark) for mark in self.highlights]
        self._article.set_marks([place for place in self.found if place is not None])
        lost = self.found.count(None)
        if lost:
            self.message.emit(
                f"{lost} highlight{'s' if lost != 1 else ''} of this article no longer "
                "found in its text (Ctrl+Shift+N lists them)",
                8000,
            )

    def _show_so_what(self) -> None:
        so_what = self.note.so_what if self.note is not None else ""
        if not so_what:
            self.so_what_label.hide()
            return
        import html  # here, not at start-up (ui/rich.py)

        muted = muted_color(self.so_what_label.palette()).name()
        self.so_what_label.setText(
            f'<span style="color:{muted}; font-weight:600">SO WHAT</span><br>'
            f"<i>{html.escape(so_what)}</i>"
        )
        self.so_what_label.show()

    # -- commands ----------------------------------------------------------------------------

    @command("edit_note")
    def edit_note(self) -> None:
        """The note editor for the open article, the cursor in its so-what line."""
        if self.stored is None:
            self.message.emit("Open an article first: the note is about it.", 5000)
            return
        from ui.note_dialog import NoteDialog

        stored = self.stored
        try:
            self._ensure_loaded(stored)
        except Exception as error:  # the store's own message names the file and what is wrong
            self.message.emit(f"Your notes cannot be read: {error}", 10000)
            return
        dialog = NoteDialog(self._parent, stored.article.title, self.note, self._listed())
        dialog.saved.connect(lambda so_what, body: self._save_note(stored, so_what, body))
        dialog.highlight_removed.connect(self._remove)
        dialog.finished.connect(self._back_to_article)
        self.dialog = dialog
        dialog.open()

    def _back_to_article(self) -> None:
        """The keys go back to the window (and its shortcuts), in the article the note is on."""
        self._parent.activateWindow()
        self._article.setFocus()

    def _listed(self) -> list[tuple[int, str, bool]]:
        """(id, exact words, found) of each highlight, for the note editor's list."""
        return [
            (mark.id, mark.exact, place is not None)
            for mark, place in zip(self.highlights, self.found, strict=True)
        ]

    @command("highlight_selection")
    def highlight_selection(self) -> None:
        """Keep the selected words as a highlight. With nothing selected: remove the highlight the
        cursor is in, else highlight the sentence of the current hit (n/N), the keyboard's way."""
        index, stored = self._index(), self.stored
        if index is None or stored is None:
            self.message.emit("Open an article first, then select the words to highlight.", 5000)
            return
        try:
            self._ensure_loaded(stored)
        except Exception as error:
            self.message.emit(f"Your notes cannot be read: {error}", 10000)
            return
        text = self._article.body_text()
        selected = self._article.selected_range()
        if selected is None:
            under = self._highlight_at(self._article.cursor_offset())
            if under is not None:
                self._remove(under.id)
                return
            selected = self._hit_sentence(text)
            if selected is None:
                self.message.emit(
                    "Select words in the article first (or step to a hit with n), then "
                    "Ctrl+Shift+H; in a highlight with nothing selected, it removes it.",
                    8000,
                )
                return
        start, end = selected
        article_id = stored.article.id

        def done(mark: Highlight) -> None:
            if self.stored is not None and self.stored.article.id == article_id:
                self.highlights.append(mark)
                self.found.append((start, end))
                self._article.set_marks([place for place in self.found if place is not None])
            self.message.emit(
                f"Highlighted “{_short(mark.exact)}” (Ctrl+Shift+H in it removes)", 6000
            )

        self.runner.submit(
            lambda: index.add_highlight(article_id, text, start, end), done, self._failed
        )

    def _hit_sentence(self, text: str) -> tuple[int, int] | None:
        """From the keyboard: the sentence of the current hit (n/N steps through them)."""
        from search.api import sentence_at

        offset = self._article.current_hit_offset()
        return sentence_at(text, offset) if offset is not None else None

    def _highlight_at(self, offset: int) -> Highlight | None:
        for mark, place in zip(self.highlights, self.found, strict=True):
            if place is not None and place[0] <= offset <= place[1]:
                return mark
        return None

    def _remove(self, highlight_id: int) -> None:
        index = self._index()
        if index is None:
            return

        def done(removed: bool) -> None:
            kept = [
                (mark, place)
                for mark, place in zip(self.highlights, self.found, strict=True)
                if mark.id != highlight_id
            ]
            self.highlights = [mark for mark, _place in kept]
            self.found = [place for _mark, place in kept]
            self._article.set_marks([place for place in self.found if place is not None])
            self.message.emit("Highlight removed." if removed else "Already removed.", 5000)

        self.runner.submit(lambda: index.remove_highlight(highlight_id), done, self._failed)

    def _save_note(self, stored: StoredArticle, so_what: str, body: str) -> None:
        index = self._index()
        if index is None:
            return
        article_id = stored.article.id
        unchanged = (self.note.so_what, self.note.body) if self.note else ("", "")
        if (" ".join(so_what.split()), body.strip()) == unchanged:
            return

        def done(note: Note | None) -> None:
            if self.stored is not None and self.stored.article.id == article_id:
                self.note = note
                self._show_so_what()
            self.message.emit("Note saved." if note else "Note removed (it was empty).", 5000)
            self.note_saved.emit(article_id)

        self.runner.submit(
            lambda: index.set_note(article_id, so_what=so_what, body=body), done, self._failed
        )

    def _failed(self, message: str) -> None:
        self.message.emit(message.split(": ", 1)[-1], 10000)


def _short(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
