"""The article view: rendered markdown at a readable measure, hit highlighting, and no network ever."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QDesktopServices, QFont, QPalette
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

# What only an open article needs (text cursors and formats, images, the markdown renderer, the
# engine's models) is imported when the first article shows: each Qt type's Python wrapper costs
# milliseconds to make, and the window opens with a placeholder.
if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QResizeEvent, QTextCursor

    from search.models import Span, StoredArticle

log = logging.getLogger(__name__)

MEASURE_CHARS = 72  # a readable line: about 70 characters
MIN_SIDE_MARGIN = 16
HEADER_BLOCKS = 2  # render_header writes the title and the meta line
LINK_SCHEMES = {"http", "https", "mailto"}  # what the system browser may open, on activation only


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def muted_color(palette: QPalette, role: QPalette.ColorRole = QPalette.ColorRole.Text) -> QColor:
    """Secondary text: the text colour faded towards the background, readable in light and dark."""
    text = palette.color(role)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        (text.red() * 3 + base.red() * 2) // 5,
        (text.green() * 3 + base.green() * 2) // 5,
        (text.blue() * 3 + base.blue() * 2) // 5,
    )


def blend(palette: QPalette, amount: float) -> QColor:
    """The background moved `amount` of the way towards the text colour (a faint panel)."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    return QColor(
        round(base.red() + (text.red() - base.red()) * amount),
        round(base.green() + (text.green() - base.green()) * amount),
        round(base.blue() + (text.blue() - base.blue()) * amount),
    )


class ArticleView(QTextBrowser):
    """Shows one StoredArticle; highlights the query's terms or an entity's mentions; n/N step through them."""

    hits_changed = Signal(int, int)  # current (1-based, 0 = none), total

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("article")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setTabChangesFocus(True)
        self.anchorClicked.connect(self._open_link)
        self.stored: StoredArticle | None = None
        self._base_dir: Path | None = None
        self._hits: list[QTextCursor] = []
        self._marks: list[QTextCursor] = []  # the user's highlights (ui/notes.py places them)
        self._current = -1
        self._body_start = 0
        self.blocked_urls: list[str] = []
        self.zoom = 1.0  # ui/zoom.py's factor for the article's type
        self.font_family = ""  # ui/preferences.py's article font ("" and 0: the widget's)
        self.font_size = 0.0
        self._html: str | None = None  # what the view shows, to render again in a new palette
        self._apply_style()
        self.show_placeholder("Type to search your library; Enter opens a result.")

    # -- content ---------------------------------------------------------------------------

    def show_placeholder(self, text: str) -> None:
        self.stored = None
        self._base_dir = None
        # A one-line message needs no measure; plain margins also spare the window's first show
        # the text-frame types (~6 ms).
        self.document().setDocumentMargin(MIN_SIDE_MARGIN)
        self._html = f'<p class="placeholder">{text}</p>'
        self.setHtml(self._html)
        self._marks = []
        self._set_hits([])

    def show_article(
        self, stored: StoredArticle, terms: list[str], spans: Sequence[Span] = ()
    ) -> None:
        """Render the article at the top and highlight `terms` (the query's words) and `spans`
        (mentions of the entities the query names)."""
        from PySide6.QtGui import QTextCursor

        from ui.markdown import render_article

        self.stored = stored
        self._base_dir = Path(stored.article.path).resolve().parent
        self.document().clear()
        self._html = render_article(stored.article)
        self.setHtml(self._html)
        self._marks = []
        self._update_measure()
        block = self.document().findBlockByNumber(HEADER_BLOCKS)
        self._body_start = block.position() if block.isValid() else 0
        self.highlight(terms, spans)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.verticalScrollBar().setValue(0)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:  # noqa: N802 (Qt's name)
        """Only images inside the article's own folder load; anything remote or elsewhere is refused."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QImage

        url = QUrl(url)
        local = self._local_resource(url)
        if local is None:
            self.blocked_urls.append(url.toString())
            log.info(
                "refused to load %s (no network, nothing outside the article's folder)",
                url.toString(),
            )
            return None
        image = QImage(str(local))
        return None if image.isNull() else image

    def _local_resource(self, url: QUrl) -> Path | None:
        if self._base_dir is None or url.scheme() not in ("", "file") or url.host():
            return None
        path = Path(url.toLocalFile() if url.scheme() == "file" else url.path())
        resolved = (self._base_dir / path).resolve()
        if not resolved.is_relative_to(self._base_dir) or not resolved.is_file():
            return None
        return resolved

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in LINK_SCHEMES:
            QDesktopServices.openUrl(url)
        else:
            log.info("not opening link %s: only web and mail links open", url.toString())

    # -- look ------------------------------------------------------------------------------

    def changeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and self._apply_style():
            self._rerender()  # the document took its colours from the old stylesheet

    def style_sheet(self) -> str:
        """The document's CSS for the palette in force: muted meta lines and quotes, links, and
        code on a faint panel of its own, all readable in a light and a dark theme (plain text has
        no colour of its own: it is drawn in the palette's)."""
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text).name()
        muted = muted_color(palette).name()
        link = palette.color(QPalette.ColorRole.Link).name()
        panel = blend(palette, 0.08).name()
        return (
            f"h1 {{ font-size: 160%; font-weight: 600; margin-bottom: 4px; }}"
            f"h2 {{ font-size: 130%; font-weight: 600; }}"
            f"h3 {{ font-size: 115%; font-weight: 600; }}"
            f"p {{ margin-top: 0px; margin-bottom: 10px; line-height: 145%; }}"
            f"li {{ line-height: 145%; }}"
            f"p.meta {{ color: {muted}; margin-bottom: 16px; }}"
            f"p.placeholder {{ color: {muted}; }}"
            f"blockquote {{ margin-left: 16px; color: {muted}; }}"
            f"a {{ color: {link}; }}"
            f"code {{ background-color: {panel}; color: {text}; }}"
            f"pre {{ background-color: {panel}; color: {text}; }}"
            f"pre code {{ background-color: transparent; }}"  # the block's panel, no second one
        )

    def _apply_style(self) -> bool:
        """Style the document for the palette, font and zoom in force; True when its CSS changed."""
        sheet = self.style_sheet()
        changed = sheet != self.document().defaultStyleSheet()
        if changed:
            self.document().setDefaultStyleSheet(sheet)
        self.document().setDefaultFont(self.article_font())
        palette = self.palette()
        dark = is_dark(palette)
        self._term_color = QColor(120, 95, 20) if dark else QColor(255, 236, 150)
        self._current_color = QColor(230, 150, 40) if dark else QColor(255, 180, 60)
        # The user's highlights: green, apart from the amber of the query's hits, in either theme.
        self._mark_color = QColor(38, 96, 62) if dark else QColor(178, 232, 190)
        self._refresh_selections()
        return changed

    def article_font(self) -> QFont:
        """The article's type: the family and size chosen in Preferences (else the widget's font,
        a tenth larger), times the zoom."""
        font = QFont(self.font())
        if self.font_family:
            font.setFamily(self.font_family)
        size = self.font_size or max(font.pointSizeF(), 10.0) * 1.1
        font.setPointSizeF(round(size * self.zoom, 2))
        return font

    def set_article_font(self, family: str, size: float) -> None:
        """The article's type family and size in points ("" and 0: the default)."""
        self.font_family = family
        self.font_size = size
        self._apply_style()
        if self.stored is not None:
            self._update_measure()

    def _rerender(self) -> None:
        """Render the shown HTML again (after a new stylesheet), keeping the marks, the current
        hit, the cursor and the scroll position: the same HTML lays out the same positions."""
        if self._html is None:
            return
        from PySide6.QtGui import QTextCursor

        marks = [(cursor.anchor(), cursor.position()) for cursor in self._hits]
        user_marks = [(cursor.anchor(), cursor.position()) for cursor in self._marks]
        position = self.textCursor().position()
        scroll = self.verticalScrollBar().value()
        self.setHtml(self._html)
        if self.stored is not None:
            self._update_measure()

        def again(ranges: list[tuple[int, int]]) -> list[QTextCursor]:
            cursors = []
            for anchor, end in ranges:
                cursor = QTextCursor(self.document())
                cursor.setPosition(anchor)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursors.append(cursor)
            return cursors

        self._hits = again(marks)
        self._marks = again(user_marks)
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position, self.document().characterCount() - 1))
        self.setTextCursor(cursor)
        self._refresh_selections()
        self.verticalScrollBar().setValue(scroll)

    def set_zoom(self, factor: float) -> None:
        """Size the article's type by `factor` (1 = as the style gives it)."""
        self.zoom = factor
        self._apply_style()
        if self.stored is not None:
            self._update_measure()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self.stored is not None:
            self._update_measure()

    def _update_measure(self) -> None:
        """Side margins that keep lines near MEASURE_CHARS characters however wide the pane is."""
        from PySide6.QtGui import QFontMetricsF

        # The article's own type (its family and size from Preferences, zoomed) sets the measure.
        metrics = QFontMetricsF(self.document().defaultFont())
        measure = metrics.averageCharWidth() * MEASURE_CHARS
        # The viewport's width, without asking for the viewport: its private class sends PySide
        # looking through every QtWidgets type (~15 ms the first time).
        width = self.maximumViewportSize().width()
        scroll_bar = self.verticalScrollBar()
        if scroll_bar.isVisible():
            width -= scroll_bar.width()
        side = max(MIN_SIDE_MARGIN, int((width - measure) / 2))
        root = self.document().rootFrame()
        frame_format = root.frameFormat()
        if frame_format.leftMargin() == side and frame_format.topMargin() == MIN_SIDE_MARGIN:
            return
        frame_format.setLeftMargin(side)
        frame_format.setRightMargin(side)
        frame_format.setTopMargin(MIN_SIDE_MARGIN)
        frame_format.setBottomMargin(MIN_SIDE_MARGIN * 2)
        root.setFrameFormat(frame_format)

    # -- highlights ------------------------------------------------------------------------

    def highlight(self, terms: list[str], spans: Sequence[Span]) -> int:
        """Mark the words starting with one of `terms` and the body's `spans`, in reading order
        (a place both find is one hit); returns how many places are marked."""
        cursors = [cursor for cursor in (self.cursor_for_span(span) for span in spans) if cursor]
        words = sorted({term.strip() for term in terms if term.strip()}, key=len, reverse=True)
        if words:
            cursors += self._find_all(r"\b(?:" + "|".join(map(re.escape, words)) + r")\w*")
        cursors.sort(key=lambda cursor: (cursor.selectionStart(), -cursor.selectionEnd()))
        hits: list[QTextCursor] = []
        for cursor in cursors:
            if not hits or cursor.selectionStart() >= hits[-1].selectionEnd():
                hits.append(cursor)
        self._set_hits(hits)
        return len(hits)

    def highlight_spans(self, spans: list[Span]) -> int:
        """Mark an entity's mentions (offsets into the body) and step to the first; returns how many."""
        found = self.highlight([], spans)
        if found:
            self.step_hit(1)
        return found

    def cursor_for_span(self, span: Span) -> QTextCursor | None:
        """Where body[start:end] appears in the rendered document.

        The markdown source and the rendered text differ (markup is gone), so the span is matched
        by its surface text: the k-th occurrence in the body maps to the k-th in the document.
        """
        if self.stored is None:
            return None
        body = self.stored.article.body
        surface = " ".join(body[span.start : span.end].split())
        if not surface:
            return None
        from PySide6.QtGui import QTextCursor, QTextDocument

        occurrence = _occurrences_before(body, surface, span.start)
        document = self.document()
        cursor = QTextCursor(document)
        cursor.setPosition(self._body_start)
        flags = QTextDocument.FindFlag.FindCaseSensitively
        for _ in range(occurrence + 1):
            cursor = document.find(surface, cursor, flags)
            if cursor.isNull():
                return None
        return cursor

    def _find_all(self, pattern: str) -> list[QTextCursor]:
        from PySide6.QtCore import QRegularExpression
        from PySide6.QtGui import QTextCursor

        expression = QRegularExpression(
            pattern, QRegularExpression.PatternOption.CaseInsensitiveOption
        )
        document = self.document()
        cursors = []
        cursor = QTextCursor(document)
        cursor.setPosition(self._body_start)
        while True:
            cursor = document.find(expression, cursor)
            if cursor.isNull() or not cursor.hasSelection():
                break
            cursors.append(QTextCursor(cursor))
        return cursors

    def _set_hits(self, cursors: list[QTextCursor]) -> None:
        self._hits = cursors
        self._current = -1
        self._refresh_selections()
        self.hits_changed.emit(0, len(cursors))

    def hit_count(self) -> int:
        return len(self._hits)

    def current_hit_text(self) -> str:
        return (
            self._hits[self._current].selectedText() if 0 <= self._current < len(self._hits) else ""
        )

    def step_hit(self, step: int) -> None:
        """Move to the next (step=1) or previous (-1) hit, wrapping around."""
        from PySide6.QtGui import QTextCursor

        if not self._hits:
            return
        if self._current < 0:
            self._current = 0 if step > 0 else len(self._hits) - 1
        else:
            self._current = (self._current + step) % len(self._hits)
        cursor = QTextCursor(self._hits[self._current])
        cursor.clearSelection()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self._refresh_selections()
        self.hits_changed.emit(self._current + 1, len(self._hits))

    def _refresh_selections(self) -> None:
        dark = is_dark(self.palette())
        # The user's highlights first: a query's hit inside one is drawn over it.
        self.setExtraSelections(
            [self._mark_selection(cursor, dark) for cursor in self._marks]
            + [
                self._selection(cursor, index == self._current, dark)
                for index, cursor in enumerate(self._hits)
            ]
        )

    # -- the user's highlights (offsets into body_text) ------------------------------------

    def body_text(self) -> str:
        """The article's text as shown, after its header: what highlights are anchored to."""
        return self.document().toPlainText()[self._body_start :]

    def selected_range(self) -> tuple[int, int] | None:
        """The selection as offsets into body_text, or None when nothing in the body is selected."""
        cursor = self.textCursor()
        start = max(cursor.selectionStart() - self._body_start, 0)
        end = cursor.selectionEnd() - self._body_start
        return (start, end) if cursor.hasSelection() and end > start else None

    def current_hit_offset(self) -> int | None:
        """Where the current hit (n/N) starts, as an offset into body_text; None with none."""
        if not 0 <= self._current < len(self._hits):
            return None
        return self._hits[self._current].selectionStart() - self._body_start

    def cursor_offset(self) -> int:
        """Where the text cursor is, as an offset into body_text."""
        return self.textCursor().position() - self._body_start

    def set_marks(self, ranges: list[tuple[int, int]]) -> None:
        """Show the user's highlights: [start, end) offsets into body_text."""
        from PySide6.QtGui import QTextCursor

        marks = []
        for start, end in ranges:
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._body_start + start)
            cursor.setPosition(self._body_start + end, QTextCursor.MoveMode.KeepAnchor)
            marks.append(cursor)
        self._marks = marks
        self._refresh_selections()

    def marked_texts(self) -> list[str]:
        """The text of each highlight shown (the tests read them)."""
        return [cursor.selectedText() for cursor in self._marks]

    def _mark_selection(self, cursor: QTextCursor, dark: bool) -> QTextEdit.ExtraSelection:
        from PySide6.QtGui import QTextCharFormat

        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        char_format = QTextCharFormat()
        char_format.setBackground(self._mark_color)
        if dark:
            char_format.setForeground(QColor("white"))
        selection.format = char_format
        return selection

    def _selection(
        self, cursor: QTextCursor, current: bool, dark: bool
    ) -> QTextEdit.ExtraSelection:
        from PySide6.QtGui import QTextCharFormat

        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        char_format = QTextCharFormat()
        char_format.setBackground(self._current_color if current else self._term_color)
        if dark:  # light text on the dark amber of a hit, dark text on the bright current one
            char_format.setForeground(QColor("black") if current else QColor("white"))
        selection.format = char_format
        return selection


def _occurrences_before(body: str, surface: str, offset: int) -> int:
    """How many times `surface` (whitespace-insensitive) starts in `body` before `offset`."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in surface.split()))
    count = 0
    position = 0
    while (match := pattern.search(body, position)) and match.start() < offset:
        count += 1
        position = match.start() + 1
    return count
