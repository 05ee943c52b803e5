"""The reader: the open article, its side panel and the corrections made there; it owns which
article is open and what is highlighted in it, and says so over signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTextEdit, QWidget

from ui.article_view import ArticleView
from ui.commands import command
from ui.corrections import EntityCorrections
from ui.notes import ArticleNotes
from ui.side_panel import PanelEntry, SidePanel

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from search.api import Library
    from search.models import Hit, SearchResult, StoredArticle


class Reader(QObject):
    """The article view and the side panel beside it, kept on one article."""

    article_changed = Signal(object)  # the StoredArticle now open, or None
    title_changed = Signal(str)  # the window's title for the open article
    hits_text = Signal(str)  # "hit 2/5", "5 hits" or "" for the status bar
    message = Signal(str, int)  # status text and how long it shows (ms)
    message_withdrawn = Signal(str)  # status text no longer true (its article was left)
    search_requested = Signal(str)  # a query clause from the panel
    corrected = Signal()  # a correction was stored or undone: the answer should follow

    def __init__(
        self,
        parent: QWidget,
        index: Callable[[], Library | None],
        actions: dict[str, QAction],
        indexing: Callable[[], bool] = lambda: False,
    ) -> None:
        """`indexing`: whether a sync is running (an empty answer then is not an empty library)."""
        super().__init__(parent)
        self._index = index
        self.indexing = indexing
        self.stored: StoredArticle | None = None
        self._hit: Hit | None = None  # the selected result (its copies are Alt+C's to open)
        # The query's words and actor:/place: terms highlighted in the open article.
        self._highlighted: tuple[list[str], list[tuple[str, str]]] = ([], [])
        self._said = ""  # the last status text about the open article's highlights
        self.hits_label = QLabel(parent)  # for the status bar
        self.hits_text.connect(self.hits_label.setText)
        self.article = ArticleView(parent)
        self.article.hits_changed.connect(self._on_hits_changed)
        self.panel = SidePanel(parent)
        self.panel.entry_activated.connect(self._on_entry_activated)
        self.panel.search_requested.connect(self.search_requested)
        self.corrections = EntityCorrections(
            parent,
            self.panel,
            index,
            lambda: self.stored.article.id if self.stored is not None else None,
        )
        self.corrections.changed.connect(self._on_corrected)
        self.corrections.message.connect(lambda text: self.message.emit(text, 8000))
        self.panel.menu_requested.connect(
            lambda entry, position: self.corrections.show_menu(entry, position, actions)
        )
        self.notes = ArticleNotes(parent, self.article, self.panel, index)
        self.notes.message.connect(self.message)
        self.notes.note_saved.connect(lambda _article_id: self.corrected.emit())  # note: queries

    def show_hit(self, hit: Hit | None, result: SearchResult | None) -> None:
        """The selected result: its article, with the answer's terms highlighted."""
        self._hit = hit
        index = self._index()
        if hit is None or index is None:
            return
        terms = list(result.terms) if result is not None else []
        named = list(result.entity_terms) if result is not None else []
        if (
            self.stored is not None
            and self.stored.article.id == hit.id
            and (terms, named) == self._highlighted
        ):
            return  # the same article for the same query (e.g. after a re-sync): keep the reader's place
        self._highlighted = (terms, named)
        self.load_article(index, hit.id, terms, named)

    def show_answer(self, result: SearchResult) -> None:
        """A new answer: with no hits there is nothing to read, and the reader says why."""
        if not result.hits:
            import html

            if not result.browse:
                text = f"No articles match “{html.escape(result.query)}”"
                if self.indexing():
                    # The search runs again by itself when the sync commits.
                    text += (
                        " yet: the library is still being indexed, and articles it adds appear "
                        "when it is done."
                    )
                else:
                    text += "."
            elif self.indexing():
                # A sync is one commit: its articles appear together, when it ends.
                text = (
                    "Indexing the library… articles appear here when it is done; "
                    "the status bar shows how far it is."
                )
            else:
                text = "The library is empty: add files or folders with Ctrl+O."
            self.show_nothing(text)

    def show_rejected(self, result: SearchResult) -> None:
        """A query the engine could not read: a "no match" of the query before no longer holds
        (the query bar says what is wrong); an open article stays."""
        if self.stored is None:
            self.article.show_placeholder("The query cannot be read; see the message above.")

    def show_notice(self, text: str) -> None:
        """Say something (HTML) in the article's place; the panel keeps what it shows."""
        self.article.show_placeholder(text)

    def show_nothing(self, text: str) -> None:
        """No article to read: say why (HTML) in the article's place."""
        self.article.show_placeholder(text)
        self.panel.show_article(None)
        self.notes.show_article(None)
        self.set_stored(None)

    def load_article(
        self,
        index: Library,
        article_id: str,
        terms: list[str],
        entity_terms: list[tuple[str, str]],
    ) -> None:
        """Load an article on the GUI thread: a stored-fields lookup, fast enough to show at once.

        The query's words are highlighted; its actor:/place: terms highlight the stored mentions
        of the entities they name (the text may say "Takaichi" where the query says "Sanae Takaichi").
        """
        from search.api import named_mentions

        stored = index.get(article_id)
        if stored is None:
            self.show_nothing("This article is no longer in the index; press F5 to re-sync.")
            return
        self.set_stored(stored)
        names, spans = named_mentions(entity_terms, stored.extraction)
        # A name term is highlighted through its entity's mentions, not as a word.
        values = {value for _, value in entity_terms}
        self.article.show_article(stored, [t for t in terms if t not in values], spans)
        self.panel.show_article(stored)
        self.notes.show_article(stored)
        if entity_terms:
            # The count is of the named entities' mentions, not of the query's other words.
            named = ", ".join(names) or ", ".join(sorted(values))
            self._say_highlighted(named, len(set(spans)))
        self.title_changed.emit(f"{stored.article.title} — Briefing Cards")

    def set_stored(self, stored: StoredArticle | None) -> None:
        if self._said and (
            stored is None or self.stored is None or stored.article.id != self.stored.article.id
        ):
            self.message_withdrawn.emit(self._said)  # it was about the article left
            self._said = ""
        self.stored = stored
        self.article_changed.emit(stored)

    def enter(self) -> None:
        """Move into the open article, onto its first hit."""
        if self.stored is not None:
            self.article.setFocus()
            if self.article.hit_count():
                self.article.step_hit(1)

    @command("next_hit", 1)
    @command("previous_hit", -1)
    def step_hit(self, step: int) -> None:
        self.article.step_hit(step)

    @command("search_entry")
    def search_entry(self) -> None:
        self.panel.request_search()

    @command("entry_menu")
    def entry_menu(self) -> None:
        self.panel.request_menu()

    @command("open_copy")
    def open_next_copy(self) -> None:
        """Alt+C: the next file holding the selected result's story (a result lists its copies)."""
        hit, index = self._hit, self._index()
        if hit is None or not hit.copies or index is None:
            self.message.emit("This result has no other copies.", 4000)
            return
        versions = [(hit.id, hit.path), *((c.id, c.path) for c in hit.copies)]
        ids = [version[0] for version in versions]
        showing = self.stored.article.id if self.stored is not None else hit.id
        number = (ids.index(showing) + 1) % len(ids) if showing in ids else 1
        terms, named = self._highlighted
        self.load_article(index, ids[number], list(terms), list(named))
        self.message.emit(
            f"Copy {number + 1} of {len(ids)}: {versions[number][1]} (Alt+C for the next)", 8000
        )

    @command("copy")
    def copy_selection(self) -> None:
        focus = QApplication.focusWidget()
        if isinstance(focus, QTextEdit | QLineEdit):
            focus.copy()
            return
        item, entry = self.panel.tree.currentItem(), self.panel.current_entry()
        if focus is self.panel.tree and item is not None and entry is not None:
            # "Hannes Wittig · telecoms analyst"; a quote whole, with its speaker
            QApplication.clipboard().setText(
                entry.label if entry.field == "quote" else item.text(0)
            )
            return
        if self.stored is not None:
            article = self.stored.article
            QApplication.clipboard().setText(f"{article.title}\n{article.url or article.path}")

    def focus_widgets(self) -> list[QWidget]:
        """Where the reader's keys are live: the article and the panel's list."""
        return [self.article, self.panel.tree]

    def _on_entry_activated(self, entry: PanelEntry) -> None:
        self._say_highlighted(entry.label, self.article.highlight_spans(list(entry.mentions)))

    def _on_corrected(self, what: str) -> None:
        """A correction was stored or undone: the panel shows it (and the answer follows)."""
        self.message.emit(what, 8000)
        index = self._index()
        if index is not None and self.stored is not None:
            stored = index.get(self.stored.article.id)
            if stored is not None:
                self.set_stored(stored)
                self.panel.show_article(stored, keep_place=True)
        self.corrected.emit()

    def _say_highlighted(self, what: str, found: int) -> None:
        """Status text that matches what the article marks."""
        if found:
            message = (
                f"{what}: {found} mention{'s' if found != 1 else ''} highlighted (n/N to step)"
            )
        else:
            message = f"{what}: no mentions found in this article"
        self._said = message
        self.message.emit(message, 6000)

    def _on_hits_changed(self, current: int, total: int) -> None:
        self.hits_text.emit(
            f"hit {current}/{total}"
            if current
            else (f"{total} hit{'s' if total != 1 else ''}" if total else "")
        )
