"""The side panel: an article's actors, places, key figures, every quote with its speaker, and its
source and licence credit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.qt_names import USER_ROLE, set_enum
from ui.rich import as_written

# The engine's models, html and the selection model are imported when an article shows: the
# window opens without one.
if TYPE_CHECKING:
    from search.models import Article, Corroboration, Extraction, Span, StoredArticle

ENTRY_ROLE = USER_ROLE + 1
TIP_ROLE = USER_ROLE + 2  # an entry's tooltip as plain text
QUOTE_MAX_CHARS = 160  # a longer quote is cut in its row; its tooltip and a copy have it whole
QUOTE_MARKS = "“”\"' "  # stripped so the panel adds its own quotation marks
# The quotes section opens collapsed past this many quotes (Enter or → on its title opens it).
QUOTES_SHOWN_OPEN = 3
# `s` on a quote searches the library for its first words as a phrase (quote:"…").
QUOTE_SEARCH_WORDS = 8


@dataclass(frozen=True)
class PanelEntry:
    """What a row of the panel stands for: its mentions in the body, and a query clause that finds it."""

    label: str  # the entity's name, or the figure as written
    mentions: tuple[Span, ...]
    clause: str | None  # e.g. actor:"Sanae Takaichi"; None for figures
    field: str = "figure"  # "actor" | "place" | "figure" | "quote": what a correction acts on
    kind: str = ""  # "person" | "organization" | "place" for an actor or place


class SidePanel(QWidget):
    """Shows the extraction of the open article; Enter highlights an entry, `search_entry` searches
    for it, and a right click (or the keyboard's menu key) asks for the corrections menu."""

    entry_activated = Signal(object)  # PanelEntry
    search_requested = Signal(str)  # a query clause
    menu_requested = Signal(object, QPoint)  # PanelEntry, global position

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("panel-tree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(10)
        self.tree.setAlternatingRowColors(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._on_activated)
        set_enum(self.tree, "contextMenuPolicy", "CustomContextMenu")
        self.tree.customContextMenuRequested.connect(self._on_context_menu)
        layout.addWidget(self.tree, 1)

        # The article's language, or why it has no entities (an article not in English).
        self.language = QLabel(self)
        self.language.setObjectName("panel-language")
        self.language.setWordWrap(True)
        self.language.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.language)

        self.credit = QLabel(self)
        self.credit.setObjectName("panel-credit")
        self.credit.setWordWrap(True)
        self.credit.setOpenExternalLinks(False)
        set_enum(self.credit, "textInteractionFlags", "TextSelectableByMouse")
        self.credit.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.credit)
        self.show_article(None)

    def show_article(self, stored: StoredArticle | None, *, keep_place: bool = False) -> None:
        """Fill the panel; with `keep_place` (after a correction), the current row stays where it was."""
        place = self._current_place() if keep_place else None
        self.tree.clear()
        self.language.setText(language_line(stored.extraction) if stored else "")
        self.language.setVisible(bool(self.language.text()))
        if stored is None:
            self.credit.setText("")
            return
        from PySide6.QtCore import QItemSelectionModel

        self._fill(stored.extraction)
        self.credit.setText(credit_html(stored.article))
        if place is not None and self._restore_place(*place):
            return
        first = self.tree.topLevelItem(0)
        if first is not None and first.childCount():
            # Current (for the keyboard) but not selected: nothing looks chosen until the user moves.
            index = self.tree.indexFromItem(first.child(0))
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def _fill(self, extraction: Extraction) -> None:
        from search.api import field_clause
        from search.models import Span

        actors = self._section("Actors", len(extraction.actors))
        for actor in extraction.actors:
            label = actor.name + (f" · {actor.role}" if actor.role else "")
            entry = PanelEntry(
                actor.name,
                tuple(actor.mentions),
                field_clause("actor", actor.name),
                "actor",
                actor.kind,
            )
            self._add(
                actors, label, str(actor.count), entry, f"{actor.kind}, {actor.count} mentions"
            )
        places = self._section("Places", len(extraction.places))
        for place in extraction.places:
            label = place.name + (f" · {place.country}" if place.country else "")
            entry = PanelEntry(
                place.name,
                tuple(place.mentions),
                field_clause("place", place.name),
                "place",
                "place",
            )
            self._add(places, label, str(place.count), entry, f"{place.count} mentions")
        # Minor numbers (weekdays, "the first time", ages) stay highlightable but are no key figures.
        key_figures = [figure for figure in extraction.figures if not figure.minor]
        figures = self._section("Key figures", len(key_figures))
        for figure in sorted(key_figures, key=lambda figure: figure.rank):
            label = f"{figure.text} — {figure.label}" if figure.label else figure.text
            entry = PanelEntry(figure.text, (Span(figure.start, figure.end),), None)
            self._add(figures, label, "", entry, f"{figure.kind}: {label}")
        self._fill_quotes(extraction)

    def _fill_quotes(self, extraction: Extraction) -> None:
        """Every quote, best first (as the card picks), with its speaker; the section opens
        collapsed when there are more than a few."""
        from search.api import field_clause
        from search.models import Span

        quotes = self._section("Quotes", len(extraction.quotes))
        for quote in extraction.quotes:
            words = " ".join(quote.text.strip(QUOTE_MARKS).split())
            # The speaker first: a long quote's row is cut at its end.
            said = f"{quote.speaker}: " if quote.speaker else ""
            shown = words if len(words) <= QUOTE_MAX_CHARS else words[:QUOTE_MAX_CHARS] + "…"
            whole = f"{said}“{words}”"
            first_words = " ".join(words.split()[:QUOTE_SEARCH_WORDS])
            entry = PanelEntry(
                whole, (Span(quote.start, quote.end),), field_clause("quote", first_words), "quote"
            )
            item = self._add(quotes, f"{said}“{shown}”", "", entry, "")
            _set_tip(item, whole if quote.speaker else f"{whole}\n(no speaker named)")
        self.tree.expandAll()
        quotes.setExpanded(len(extraction.quotes) <= QUOTES_SHOWN_OPEN)

    def _section(self, title: str, count: int) -> QTreeWidgetItem:
        from PySide6.QtCore import Qt

        item = QTreeWidgetItem(
            self.tree, [f"{title} ({count})" if count else f"{title} (none found)", ""]
        )
        font = self.tree.font()  # the tree's size, zoomed or not
        font.setBold(True)
        item.setFont(0, font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    def _add(
        self, section: QTreeWidgetItem, label: str, count: str, entry: PanelEntry, tip: str
    ) -> QTreeWidgetItem:
        from PySide6.QtCore import Qt

        item = QTreeWidgetItem(section, [label, count])
        item.setData(0, ENTRY_ROLE, entry)
        _set_tip(item, f"{label}\n{tip}")
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def show_corroboration(self, found: Corroboration) -> None:
        """Add to each key figure and quote the sources that carry it ("3 sources") or where they
        disagree ("111 (BBC) / 107 (Wikinews)"), after its text and in its tooltip; the count
        column marks them: ×3 when three sources agree, ≠ when sources do not."""
        figures = {figure.text: figure for figure in found.figures}
        quote_rows = 0  # the engine answers for the extraction's quotes in order, as listed here
        for section_index in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(section_index)
            for row in range(section.childCount()):
                item = section.child(row)
                entry = item.data(0, ENTRY_ROLE)
                if not isinstance(entry, PanelEntry):
                    continue
                if entry.field == "figure" and entry.label in figures:
                    figure = figures[entry.label]
                    marker = "≠" if figure.others else f"×{len(figure.sources)}"
                    self._add_suffix(item, figure.suffix, marker)
                elif entry.field == "quote":
                    if quote_rows < len(found.quotes):
                        quote = found.quotes[quote_rows]
                        self._add_suffix(item, quote.suffix, f"×{len(quote.sources)}")
                    quote_rows += 1

    @staticmethod
    def _add_suffix(item: QTreeWidgetItem, suffix: str, marker: str) -> None:
        if suffix:
            item.setText(0, f"{item.text(0)} · {suffix}")
            item.setText(1, marker)
            _set_tip(item, f"{item.data(0, TIP_ROLE)}\nIn the library: {suffix}")

    def entries(self) -> list[PanelEntry]:
        """Every entry in panel order (for tests and for stepping)."""
        found = []
        for section_index in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(section_index)
            for child_index in range(section.childCount()):
                found.append(section.child(child_index).data(0, ENTRY_ROLE))
        return found

    def current_entry(self) -> PanelEntry | None:
        item = self.tree.currentItem()
        entry = item.data(0, ENTRY_ROLE) if item is not None else None
        return entry if isinstance(entry, PanelEntry) else None

    def request_search(self) -> bool:
        """Ask for a library search for the current entry; False when it has no query (figures, sections)."""
        entry = self.current_entry()
        if entry is None or entry.clause is None:
            return False
        self.search_requested.emit(entry.clause)
        return True

    def request_menu(self) -> bool:
        """Ask for the corrections menu of the current entry, beside it; False when there is none."""
        item = self.tree.currentItem()
        entry = self.current_entry()
        if item is None or entry is None:
            return False
        rect = self.tree.visualItemRect(item)
        self.menu_requested.emit(entry, self.tree.viewport().mapToGlobal(rect.bottomLeft()))
        return True

    def _on_context_menu(self, position: QPoint) -> None:
        item = self.tree.itemAt(position)
        if item is None or not isinstance(item.data(0, ENTRY_ROLE), PanelEntry):
            return
        self.tree.setCurrentItem(item)
        self.menu_requested.emit(
            item.data(0, ENTRY_ROLE), self.tree.viewport().mapToGlobal(position)
        )

    def _current_place(self) -> tuple[int, int] | None:
        item = self.tree.currentItem()
        parent = item.parent() if item is not None else None
        if item is None or parent is None:
            return None
        return self.tree.indexOfTopLevelItem(parent), parent.indexOfChild(item)

    def _restore_place(self, section_index: int, row: int) -> bool:
        section = self.tree.topLevelItem(section_index)
        if section is None or not section.childCount():
            return False
        self.tree.setCurrentItem(section.child(min(row, section.childCount() - 1)))
        return True

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        entry = item.data(0, ENTRY_ROLE)
        if isinstance(entry, PanelEntry):
            self.entry_activated.emit(entry)
        elif item.childCount():  # a section's title: Enter opens or closes it
            item.setExpanded(not item.isExpanded())


def language_line(extraction: Extraction) -> str:
    """The panel's line on the language ("Language: English (en)"), or the note on why there are no
    entities; "" when the language is not known."""
    from search.api import language_name

    if extraction.note:
        return extraction.note
    return f"Language: {language_name(extraction.language)}" if extraction.language else ""


def credit_html(article: Article) -> str:
    """Source, link and licence of an article (Wikinews' CC BY 2.5 asks for exactly this credit)."""
    import html

    parts = []
    source = html.escape(article.source or "Unknown source")
    parts.append(
        f"<b>Source:</b> {source}" + (f", {html.escape(article.date)}" if article.date else "")
    )
    if article.url:
        parts.append(html.escape(article.url))
    if article.licence:
        parts.append(f"<b>Licence:</b> {html.escape(article.licence)}")
    if article.authors:
        parts.append("By " + html.escape(", ".join(article.authors)))
    # Which file this is (copies of a story are several), and how its bytes were read when that
    # was not UTF-8: a wrongly guessed legacy encoding shows as odd letters, and this says why.
    file = html.escape(Path(article.path).name)
    if article.encoding and article.encoding.lower() not in ("utf-8", "utf_8", "ascii"):
        file += f" · read as {html.escape(article.encoding)}"
    parts.append(f"<b>File:</b> {file}")
    return "<small>" + "<br>".join(parts) + "</small>"


def _set_tip(item: QTreeWidgetItem, text: str) -> None:
    """A tooltip of article text (untrusted), kept as written for the suffixes added later."""
    item.setData(0, TIP_ROLE, text)
    item.setToolTip(0, as_written(text))
