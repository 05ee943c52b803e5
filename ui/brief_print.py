"""A brief on paper: a cover (title, date, author, handling line), then each item's bottom line,
"so what", key figures and quotes (with the other sources that carry them, or give another
number), who and where, and source, with the handling line at the top and
the foot of every page; or one briefing card per item (ui/printing.py's cards)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QWidget

from search.models import (
    BriefDocument,
    BriefEntry,
    StoredArticle,
)
from ui.printing import MM_PER_INCH, ensure_application, render_cards

PAGE_MARGIN_MM = 18.0
BAND_MM = 9.0  # the header's and footer's height, inside the margin
CARD_SIZE = "a6"  # `--cards`: one A6 card a page, as `briefing card` prints by default
HANDLING_COLOUR = QColor("#8b0000")

_STYLE = """
.title { font-size: 28pt; font-weight: bold; margin-bottom: 10px; }
h2 { font-size: 13pt; margin-top: 6px; margin-bottom: 3px; }
p { margin-top: 4px; margin-bottom: 4px; }
.meta { color: #555555; font-size: 9pt; }
.label { font-weight: bold; color: #444444; }
.since { background-color: #fff3c4; }
.handling { color: #8b0000; font-weight: bold; font-size: 12pt; }
.quote { margin-left: 18px; font-style: italic; }
.source { color: #555555; font-size: 8pt; }
.support { color: #555555; font-size: 8pt; }
.disputed { color: #8b0000; font-style: italic; }
.number { font-weight: bold; }
"""


def _mm(value: float, device: QPagedPaintDevice) -> float:
    return value / MM_PER_INCH * device.logicalDpiX()


def brief_rich_text(document: BriefDocument) -> str:
    """The brief as Qt rich text: the cover page, then the items flowing page after page."""
    esc = html.escape
    # The cover's title block sits a third of the way down, as a report's cover does.
    # (Qt drops the top margin of a document's first block: a tall blank line makes the room.)
    parts = ['<p style="font-size: 120pt;">&nbsp;</p>']
    if document.handling:
        parts.append(f'<p class="handling">{esc(document.handling)}</p>')
    parts.append(f'<p class="title">{esc(document.title)}</p>')
    parts.append(f'<p class="meta">{esc(document.date)}</p>')
    if document.author:
        parts.append(f"<p>Prepared by {esc(document.author)}</p>")
    if document.entries:
        rows = "".join(
            f"<tr><td>{entry.position}.</td><td>{esc(entry.headline)}</td>"
            f'<td class="meta">{esc(entry.source)}</td></tr>'
            for entry in document.entries
        )
        parts.append(f'<h2>{len(document.entries)} items</h2><table width="100%">{rows}</table>')
    else:
        parts.append("<p>This brief has no items.</p>")
    if document.missing:
        missing = ", ".join(document.missing)
        parts.append(f'<p class="meta">Left out, no longer in the library: {esc(missing)}</p>')
    for number, entry in enumerate(document.entries):
        parts.append(_entry_rich_text(entry, first=number == 0))
    return "".join(parts)


def _entry_rich_text(entry: BriefEntry, *, first: bool) -> str:
    from search.api import HtmlLook, entry_html

    look = HtmlLook(
        {
            part: f'class="{part}"'
            for part in "meta field label since table number quote source support disputed".split()
        }
        | {"h2": "", "table": 'cellpadding="2"', "cell": ""}
    )
    # The items start on the page after the cover, then follow one another under a rule.
    start = '<p style="page-break-before: always;"></p>' if first else "<hr>"
    return entry_html(entry, look, start)


def paint_brief(painter: QPainter, device: QPagedPaintDevice, document: BriefDocument) -> int:
    """Paint the brief on `device` (showing its first page), adding pages; returns how many."""
    margin, band = _mm(PAGE_MARGIN_MM, device), _mm(BAND_MM, device)
    width = device.width() - 2 * margin
    body = QRectF(margin, margin + band, width, device.height() - 2 * (margin + band))
    text = QTextDocument()
    text.documentLayout().setPaintDevice(device)  # the printer's own font metrics
    text.setDocumentMargin(0)
    font = QFont("DejaVu Serif", 10)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)  # text reads back as letters
    text.setDefaultFont(font)
    text.setDefaultStyleSheet(_STYLE)
    text.setHtml(brief_rich_text(document))
    text.setPageSize(QSizeF(body.width(), body.height()))
    pages = text.pageCount()
    for page in range(pages):
        if page:
            device.newPage()
        _draw_bands(painter, device, document, page + 1, pages, margin, band)
        painter.save()
        painter.translate(body.topLeft() - QPointF(0, page * body.height()))
        text.drawContents(painter, QRectF(0, page * body.height(), body.width(), body.height()))
        painter.restore()
    return pages


def _draw_bands(
    painter: QPainter,
    device: QPagedPaintDevice,
    document: BriefDocument,
    page: int,
    pages: int,
    margin: float,
    band: float,
) -> None:
    """The handling line atop and at the foot of the page; the title and page count below."""
    width = device.width() - 2 * margin
    top = QRectF(margin, margin, width, band)
    bottom = QRectF(margin, device.height() - margin - band, width, band)
    painter.save()
    font = QFont("DejaVu Sans", 8)
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    if document.handling:
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(HANDLING_COLOUR)
        centred = Qt.AlignmentFlag.AlignHCenter
        painter.drawText(top, centred | Qt.AlignmentFlag.AlignTop, document.handling)
        painter.drawText(bottom, centred | Qt.AlignmentFlag.AlignBottom, document.handling)
        font.setBold(False)
    painter.setFont(font)
    painter.setPen(QColor("#555555"))
    above = Qt.AlignmentFlag.AlignBottom if document.handling else Qt.AlignmentFlag.AlignVCenter
    footer = QRectF(bottom.left(), bottom.top(), width, band / 2 if document.handling else band)
    painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | above, document.title)
    painter.drawText(footer, Qt.AlignmentFlag.AlignRight | above, f"page {page} of {pages}")
    painter.restore()


def _a4() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)
    )


def print_brief(parent: QWidget | None, document: BriefDocument) -> bool:
    """The print dialog, then the brief on the chosen printer; False when the user cancels."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # the brief's own margins, exactly
    printer.setPageLayout(_a4())
    printer.setDocName(document.title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print the brief “{document.title}”")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    painter = QPainter(printer)
    try:
        paint_brief(painter, printer, document)
    finally:
        painter.end()
    return True


def write_brief_pdf(
    document: BriefDocument, articles: Sequence[StoredArticle], out: Path, cards: bool = False
) -> str:
    """Write the brief (or, with `cards`, one card per item) to the PDF `out`; says what it wrote.

    Safe off the GUI thread: it paints on its own PDF writer."""
    ensure_application()
    if cards:
        # Each card's so-what line carries the article's so-what and the item's note in this brief.
        lines = {
            entry.article_id: " · ".join(part for part in (entry.so_what, entry.note) if part)
            for entry in document.entries
        }
        report = render_cards(articles, out, CARD_SIZE, so_whats=lines)
        return f"{_count(report.cards, 'card')}, {_count(report.pages, 'page')} → {out}"
    writer = QPdfWriter(str(out))
    writer.setTitle(document.title)
    writer.setCreator("Briefing Cards")
    writer.setPageLayout(_a4())
    painter = QPainter(writer)
    try:
        pages = paint_brief(painter, writer, document)
    finally:
        painter.end()
    return f"{_count(len(document.entries), 'item')}, {_count(pages, 'page')} → {out}"


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
