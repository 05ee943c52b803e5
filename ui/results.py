"""The result list: a model over the engine's hits and a delegate that draws title, date, source and snippet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import QStyledItemDelegate

from ui.article_view import muted_color
from ui.qt_names import ACCESSIBLE_TEXT_ROLE, DISPLAY_ROLE, TOOL_TIP_ROLE, USER_ROLE

# Drawing a hit needs Qt's font, painter, style and text-document types; making their Python
# wrappers costs milliseconds, so they are imported at the first paint, not before the window shows.
if TYPE_CHECKING:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QFont, QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

    from search.models import Hit, Snippet

HIT_ROLE = USER_ROLE + 1
PADDING = 8
SNIPPET_LINES = 2

Index = QModelIndex | QPersistentModelIndex


def snippet_html(snippet: Snippet) -> str:
    """The snippet as rich text: its text escaped (an article's "<script>" or "&" stays text), its
    marks in <b>."""
    import html  # here, not at start-up (ui/rich.py)

    return snippet.marked("<b>", "</b>", lambda text: html.escape(text, quote=False))


class ResultModel(QAbstractListModel):
    """The hits of the newest answered query, in the engine's order, a page at a time.

    When the view scrolls to the last row and the query has more hits than are loaded, the model
    asks for the next page with `more_wanted`; the window fetches it and calls `append_hits`.
    """

    more_wanted = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[Hit] = []
        self._total = 0

    def set_hits(self, hits: list[Hit], total: int | None = None) -> None:
        """Show `hits`, the first of `total` (default: all there are)."""
        self.beginResetModel()
        self._hits = list(hits)
        self._total = len(self._hits) if total is None else total
        self.endResetModel()

    def append_hits(self, hits: list[Hit]) -> None:
        """Add the next page of hits after the rows shown."""
        if not hits:
            self._total = len(self._hits)  # the index changed under the query: no more to come
            return
        first = len(self._hits)
        self.beginInsertRows(QModelIndex(), first, first + len(hits) - 1)
        self._hits.extend(hits)
        self.endInsertRows()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802 (Qt's signature)
        return not parent.isValid() and len(self._hits) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802 (Qt's signature)
        if self.canFetchMore(parent):
            self.more_wanted.emit()

    def hit(self, row: int) -> Hit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def hits(self) -> list[Hit]:
        return list(self._hits)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt's signature)
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = DISPLAY_ROLE) -> Any:
        hit = self.hit(index.row()) if index.isValid() else None
        if hit is None:
            return None
        if role == DISPLAY_ROLE:
            return hit.title
        if role == TOOL_TIP_ROLE:
            return hit.path
        if role == ACCESSIBLE_TEXT_ROLE:
            copies = f", {len(hit.copies) + 1} copies" if hit.copies else ""
            new = "new, " if hit.new else ""
            return f"{new}{hit.title}, {hit.date or 'no date'}, {hit.source or 'no source'}{copies}"
        if role == HIT_ROLE:
            return hit
        return None


class ResultDelegate(QStyledItemDelegate):
    """Draws a hit as a bold title, a muted date · source line, and two lines of snippet with hits in bold."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        from PySide6.QtGui import QFont

        title = QFont(option.font)
        title.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(option.font.pointSizeF() * 0.9, 7.0))
        return title, small

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        from PySide6.QtCore import QSize
        from PySide6.QtGui import QFontMetrics

        title, small = self._fonts(option)
        height = QFontMetrics(title).height() + QFontMetrics(small).height()
        height += QFontMetrics(option.font).lineSpacing() * SNIPPET_LINES + 2 * PADDING + 4
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QAbstractTextDocumentLayout, QFontMetrics, QPalette, QTextDocument
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        from search.models import Hit

        hit = index.data(HIT_ROLE)
        if not isinstance(hit, Hit):
            return
        widget: QWidget | None = option.widget  # type: ignore[assignment]
        style = widget.style() if widget is not None else None
        item_option = QStyleOptionViewItem(option)
        self.initStyleOption(item_option, index)
        item_option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item_option, painter, widget)

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = palette.color(text_role)
        muted = text_color if selected else muted_color(palette)
        title_font, small_font = self._fonts(option)
        rect = option.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)

        painter.save()
        painter.setFont(title_font)
        painter.setPen(text_color)
        title_metrics = QFontMetrics(title_font)
        title = title_metrics.elidedText(hit.title, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect.x(), rect.y() + title_metrics.ascent(), title)
        y = rect.y() + title_metrics.height()

        painter.setFont(small_font)
        painter.setPen(muted)
        small_metrics = QFontMetrics(small_font)
        copies = f"{len(hit.copies) + 1} copies (Alt+C)" if hit.copies else None
        new = "● new" if hit.new else None  # first added since its watch item was last opened
        meta = " · ".join(part for part in (new, hit.date, hit.source, copies) if part) or "no date"
        meta = small_metrics.elidedText(meta, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect.x(), y + small_metrics.ascent(), meta)
        y += small_metrics.height() + 2

        snippet = QTextDocument()
        snippet.setDefaultFont(option.font)
        snippet.setDocumentMargin(0)
        snippet.setHtml(snippet_html(hit.snippet))
        snippet.setTextWidth(rect.width())
        painter.translate(rect.x(), y)
        clip = QRectF(0, 0, rect.width(), rect.bottom() - y)
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, text_color)
        context.clip = clip
        snippet.documentLayout().draw(painter, context)
        painter.restore()
