"""The page of an actor or place in a window of its own: opened from the side panel's selected entry
or the facets' (Ctrl+I), built by the engine off the GUI thread (search.api.Library.entity_page),
shown as HTML; an article's title opens it in the reader with the entity's mentions marked, another
actor's or place's name opens its page, Esc closes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ui.background import BackgroundRunner
from ui.commands import command

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtWidgets import QDialog, QTextBrowser

    from search.api import Library
    from search.models import EntityPage
    from ui.facets import FacetTree
    from ui.reader import Reader

# Links inside the page: "article:ID" opens an article, "entity:FIELD:NAME" another page.
ARTICLE_SCHEME = "article"
ENTITY_SCHEME = "entity"
QUOTES_SHOWN = 50  # the page lists this many of an entity's quotes, newest last


class EntityPages(QObject):
    """Opens entity pages: which entity (panel or facet), the work on a worker, the dialog."""

    message = Signal(str, int)  # status text and how long it shows (ms)

    def __init__(
        self,
        parent: QWidget,
        index: Callable[[], Library | None],
        reader: Reader,
        facets: FacetTree,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._index = index
        self._reader = reader
        self._facets = facets
        self.runner = BackgroundRunner(threads=1, latest_only=True, parent=self)
        self.dialog: QDialog | None = None
        self.browser: QTextBrowser | None = None
        self.page: EntityPage | None = None  # the page shown (tests read it)

    @command("entity_page")
    def open_selected(self) -> None:
        """Ctrl+I: the page of the facets' selected actor or place when they have the focus,
        else of the side panel's."""
        chosen = self._facet_choice() if self._facets.hasFocus() else None
        if chosen is None:
            entry = self._reader.panel.current_entry()
            if entry is not None and entry.field in ("actor", "place"):
                chosen = (entry.field, entry.label)
        if chosen is None:
            self.message.emit(
                "Select an actor or place in the side panel (Alt+3) or the facets first.", 6000
            )
            return
        self.open_page(*chosen)

    def open_page(self, field: str, name: str) -> None:
        """Build the page of `name` (an actor or a place, as `field` says) and show it."""
        index = self._index()
        if index is None:
            return
        self.message.emit(f"Reading the library about {name}…", 3000)
        self.runner.submit(
            lambda: index.entity_page(name, field),
            self._show,
            lambda error: self.message.emit(error.split(": ", 1)[-1], 8000),
        )

    def _facet_choice(self) -> tuple[str, str] | None:
        from ui.facets import FACET_ROLE

        item = self._facets.currentItem()
        data = item.data(0, FACET_ROLE) if item is not None else None
        if isinstance(data, tuple) and data[0] in ("actor", "place"):
            return data[0], data[1]
        return None

    def _show(self, page: EntityPage) -> None:
        self.page = page
        if self.dialog is None:
            self._build_dialog()
        assert self.dialog is not None and self.browser is not None
        self.dialog.setWindowTitle(f"{page.name} — Briefing Cards")
        self.browser.setHtml(page_html(page))
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.browser.setFocus()

    def _build_dialog(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout

        dialog = QDialog(self._parent)
        dialog.setObjectName("entity-page")
        dialog.resize(760, 820)
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(0, 0, 0, 0)
        browser = QTextBrowser(dialog)
        browser.setObjectName("entity-page-text")
        browser.setOpenLinks(False)  # the page's links open articles and pages, never a browser
        browser.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        browser.anchorClicked.connect(self._follow)
        layout.addWidget(browser)
        # The keys go back to the window (and its shortcuts) when the page closes.
        dialog.finished.connect(lambda _result: self._parent.activateWindow())
        self.dialog, self.browser = dialog, browser

    def _follow(self, url: QUrl) -> None:
        """A title opens its article in the reader, the entity's mentions marked; a name, its page."""
        scheme, _, rest = url.toString().partition(":")
        if scheme == ENTITY_SCHEME:
            field, _, name = rest.partition(":")
            from urllib.parse import unquote

            self.open_page(field, unquote(name))
            return
        index, page = self._index(), self.page
        if scheme != ARTICLE_SCHEME or index is None or page is None:
            return
        assert self.dialog is not None
        self.dialog.close()
        self._reader.load_article(index, rest, [], [(page.facet, page.name)])
        self._reader.enter()


def page_html(page: EntityPage) -> str:
    """The page as HTML: who or what it is, its roles (a contradicted one flagged), its articles
    oldest first (titles link to them), its quotes, the actors and places most often with it, and
    its articles' key figures."""
    import html  # here, not at start-up (ui/rich.py)

    from search.api import long_date

    def when(date: str | None) -> str:
        return long_date(date) if date else "undated"

    def link(article_id: str, title: str) -> str:
        return f'<a href="{ARTICLE_SCHEME}:{html.escape(article_id)}">{html.escape(title)}</a>'

    count = len(page.articles)
    parts = [
        f"<h2>{html.escape(page.name)}</h2>",
        f"<p>{html.escape(page.kind)} · {count} article{'s' if count != 1 else ''}"
        " (copies of a story count once)",
    ]
    others = [v for v in page.variants if v != page.name]
    if others:
        parts.append(f"<br><small>also written: {html.escape(', '.join(others))}</small>")
    parts.append("</p>")
    if page.roles:
        parts.append("<h3>Roles</h3><ul>")
        for role in page.roles:
            dates = ", ".join(when(d) for d in role.dates)
            flag = (
                f'<br><b style="color:#b35900">⚠ {html.escape(role.contradicted)}</b>'
                if role.contradicted
                else ""
            )
            parts.append(f"<li><b>{html.escape(role.role)}</b> — {dates}{flag}</li>")
        parts.append("</ul>")
    parts.append("<h3>Articles, oldest first</h3><table cellspacing='4'>")
    for article in page.articles:
        role = f" · <i>{html.escape(article.role)}</i>" if article.role else ""
        source = f" <small>({html.escape(article.source)})</small>" if article.source else ""
        parts.append(
            f"<tr><td valign='top' style='white-space:nowrap'>{when(article.date)}</td>"
            f"<td>{link(article.id, article.title)}{source}{role}</td></tr>"
        )
    parts.append("</table>")
    if page.quotes:
        parts.append(f"<h3>What {html.escape(page.name)} said</h3><ul>")
        for quote in page.quotes[-QUOTES_SHOWN:]:
            words = html.escape(" ".join(quote.text.strip("“”\"' ").split()))
            parts.append(
                f"<li>“{words}” <small>— {when(quote.date)}, "
                f"{link(quote.article_id, quote.title)}</small></li>"
            )
        parts.append("</ul>")
    for title, entries in (("Actors", page.actors), ("Places", page.places)):
        if entries:
            from urllib.parse import quote as escaped

            named = ", ".join(
                f'<a href="{ENTITY_SCHEME}:{other.facet}:{escaped(other.name)}">'
                f"{html.escape(other.name)}</a> ({other.articles})"
                for other in entries
            )
            parts.append(f"<h3>{title} in the same articles</h3><p>{named}</p>")
    if page.figures:
        parts.append("<h3>Key figures of its articles</h3><ul>")
        for figure in page.figures:
            label = f" — {html.escape(figure.label)}" if figure.label else ""
            parts.append(
                f"<li><b>{html.escape(figure.text)}</b>{label} <small>({when(figure.date)})</small></li>"
            )
        parts.append("</ul>")
    return "".join(parts)
