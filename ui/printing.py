"""Briefing cards on paper: lays out search.card.Card with the resources/ template, to PDF, printer or preview."""

from __future__ import annotations

import argparse
import datetime
import html
import os
import re
import string
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTextOption,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget

from search.api import RESOURCES_DIR, Card, CardBudget, build_card
from search.models import StoredArticle

if TYPE_CHECKING:
    from search.api import Library

MM_PER_INCH = 25.4
TEMPLATE_PATH = RESOURCES_DIR / "card.html"
STYLESHEET_PATH = RESOURCES_DIR / "card.css"


@dataclass(frozen=True)
class CardSize:
    """A card size: the paper it prints on, the card's size on it (mm) and how many cards a page holds."""

    label: str
    page: QPageSize
    orientation: QPageLayout.Orientation
    card_mm: tuple[float, float] = (0.0, 0.0)  # width, height of one card; (0, 0): the page's cell
    grid: tuple[int, int] = (1, 1)  # columns, rows of cards per page
    margin_mm: float = 8.0  # blank border inside each card
    scale: float = 1.0  # type size relative to the template's points
    max_quotes: int = 1  # how many quotes the card may grow to show
    lead_chars: int = 0  # how much of the story after its lede it may show (a full-page brief)

    def __post_init__(self) -> None:
        if self.card_mm == (0.0, 0.0):  # the page (in its orientation) shared by the grid
            page = self.page.size(QPageSize.Unit.Millimeter)
            width, height = page.width(), page.height()
            if self.orientation == QPageLayout.Orientation.Landscape:
                width, height = height, width
            cell = (round(width / self.grid[0], 1), round(height / self.grid[1], 1))
            object.__setattr__(self, "card_mm", cell)

    @property
    def wide(self) -> bool:
        """Landscape cards use the two-column "card-wide" template."""
        return self.card_mm[0] > self.card_mm[1]

    @property
    def per_page(self) -> int:
        return self.grid[0] * self.grid[1]


def _index_card(width_in: float, height_in: float) -> QPageSize:
    return QPageSize(
        QSizeF(width_in, height_in),
        QPageSize.Unit.Inch,
        f"Index card {width_in:g}×{height_in:g} in",
        QPageSize.SizeMatchPolicy.ExactMatch,
    )


_PORTRAIT = QPageLayout.Orientation.Portrait
_LANDSCAPE = QPageLayout.Orientation.Landscape

CARD_SIZES: dict[str, CardSize] = {
    "3x5": CardSize("Index card 3×5 in", _index_card(3, 5), _LANDSCAPE, margin_mm=5.5, scale=0.86),
    "4x6": CardSize("Index card 4×6 in", _index_card(4, 6), _LANDSCAPE, margin_mm=7.0, scale=1.0),
    "a6": CardSize(
        "A6",
        QPageSize(QPageSize.PageSizeId.A6),
        _PORTRAIT,
        margin_mm=8.0,
        scale=1.0,
    ),
    "a5": CardSize(
        "A5",
        QPageSize(QPageSize.PageSizeId.A5),
        _PORTRAIT,
        margin_mm=11.0,
        scale=1.35,
    ),
    "a5-landscape": CardSize(
        "A5 landscape",
        QPageSize(QPageSize.PageSizeId.A5),
        _LANDSCAPE,
        margin_mm=11.0,
        scale=1.3,
    ),
    # One article on a page of A4: more figures, actors and quotes, and the story after its lede.
    "a4-brief": CardSize(
        "A4 brief, one article a page",
        QPageSize(QPageSize.PageSizeId.A4),
        _PORTRAIT,
        margin_mm=18.0,
        scale=1.45,
        max_quotes=4,
        lead_chars=6000,
    ),
    # Sheets: four A6 cards on A4, two 4×6 cards on Letter, with cut marks.
    "a4-sheet": CardSize(
        "A4 sheet, 4 A6 cards",
        QPageSize(QPageSize.PageSizeId.A4),
        _PORTRAIT,
        grid=(2, 2),
        margin_mm=8.0,
        scale=1.0,
    ),
    "letter": CardSize(
        "Letter sheet, 2 cards 4×6 in",
        QPageSize(QPageSize.PageSizeId.Letter),
        _PORTRAIT,
        card_mm=(152.4, 101.6),  # two 4×6 cards, not the whole half page
        grid=(1, 2),
        margin_mm=7.0,
        scale=1.0,
    ),
}

# Older names still understood: "a4" was the sheet of four A6 cards before the brief had a size.
SIZE_ALIASES = {"a4": "a4-sheet"}

# How the layout tightens a card that does not fit: fewer lines first, then smaller type.
_BUDGETS: tuple[CardBudget, ...] = (
    CardBudget(max_figures=6, max_actors=6, max_places=5),  # a roomy card says more
    CardBudget(),
    CardBudget(max_places=3, max_actors=4, quote_chars=180),
    CardBudget(max_figures=3, max_places=3, max_actors=3, quote_chars=140),
    CardBudget(bottom_line_chars=240, max_figures=3, max_places=2, max_actors=3, quote_chars=110),
    CardBudget(bottom_line_chars=200, max_figures=2, max_places=2, max_actors=2, quote_chars=0),
    CardBudget(
        bottom_line_chars=160,
        max_figures=2,
        max_places=1,
        max_actors=2,
        quote_chars=0,
        headline_chars=120,
    ),
    CardBudget(
        bottom_line_chars=120,
        max_figures=1,
        max_places=1,
        max_actors=1,
        quote_chars=0,
        headline_chars=90,
    ),
)
_SHRINK = (0.92, 0.85, 0.78, 0.72, 0.66, 0.6)
_ATTEMPTS = [(budget, 1.0) for budget in _BUDGETS] + [(_BUDGETS[-1], shrink) for shrink in _SHRINK]
_FOOTER_GAP_PT = 6.0


@dataclass
class CardFit:
    """How one card was fitted: whether it fits, at what type scale and with which budget."""

    article_id: str
    fits: bool
    scale: float
    budget: CardBudget
    attempts: int
    shown: dict[str, int] = field(default_factory=dict)  # figures, actors, … on the card
    height: float = 0.0  # the body as laid out (template points at the card's scale)
    room: float = 0.0  # the height above the footer it had


@dataclass
class RenderReport:
    """What a render produced: cards, pages, and how each card was fitted."""

    cards: int
    pages: int
    fits: list[CardFit]


@dataclass
class _LaidOutCard:
    body: QTextDocument
    footer: QTextDocument
    fit: CardFit


@cache
def _template() -> dict[str, string.Template]:
    """The fragments of resources/card.html, by name."""
    text = TEMPLATE_PATH.read_text(encoding="utf-8")
    fragments: dict[str, string.Template] = {}
    parts = re.split(r"<!--\s*@([\w-]+)[^>]*-->\s*\n", text)
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        fragments[name] = string.Template(body.strip())
    return fragments


_POINTS = re.compile(r"(?<![\w-])(margin[\w-]*|padding[\w-]*|letter-spacing)\s*:\s*([\d.]+)pt")


@cache
def _stylesheet() -> str:
    """resources/card.css as Qt needs it: Qt reads margins and padding only in CSS pixels (1/96 in)."""
    css = STYLESHEET_PATH.read_text(encoding="utf-8")
    return _POINTS.sub(lambda m: f"{m.group(1)}: {float(m.group(2)) * 96 / 72:.2f}px", css)


def _fill(fragment: str, **values: str) -> str:
    return _template()[fragment].substitute(values)


def _territory_name(code: str | None) -> str | None:
    if not code:
        return None
    territory = QLocale.codeToTerritory(code)
    if territory == QLocale.Country.AnyTerritory:
        return code
    return QLocale.territoryToString(territory)


def card_html(card: Card, *, wide: bool = False) -> str:
    """The card body (everything above the footer) as rich text, from resources/card.html."""
    esc = html.escape
    figures = ""
    if card.figures:
        rows = "".join(_fill("figure", number=esc(n), label=esc(what)) for n, what in card.figures)
        figures = _fill("figures", rows=rows)
    actors = ""
    if card.actors:
        rows = "".join(
            _fill("actor", name=esc(name), role=f", {esc(role)}" if role else "")
            for name, role in card.actors
        )
        actors = _fill("actors", rows=rows)
    places = ""
    if card.places:
        rows_list = []
        for name, code in card.places:
            country = _territory_name(code)
            suffix = f", {esc(country)}" if country and country != name else ""
            rows_list.append(_fill("place", name=esc(name), country=suffix))
        places = _fill("places", rows="".join(rows_list))
    people_places = (
        _fill("columns", left=actors, right=places) if actors and places else actors + places
    )
    quote = "".join(
        _fill("quote", speaker=esc(speaker), text=esc(text)) for speaker, text in card.quotes
    )
    so_what = _fill("so-what", text=esc(card.so_what)) if card.so_what else ""
    lead = ""
    if card.lead:
        rows = "".join(_fill("lead-paragraph", text=esc(text)) for text in card.lead)
        lead = _fill("lead", rows=rows)
    # Who published it and when: the briefer's first question about any article.
    meta = " · ".join(esc(part) for part in (card.source, card.date or "undated") if part)
    return _fill(
        "card-wide" if wide else "card",
        meta=meta,
        headline=esc(card.headline),
        bottom_line=esc(card.bottom_line),
        so_what=so_what,
        lead=lead,
        figures=figures,
        people_places=people_places,
        actors=actors,
        places=places,
        quote=quote,
    )


def footer_html(card: Card, index: int, total: int) -> str:
    """The footer pinned to the card's bottom edge: credit, printed date, "card i of n"."""
    return _fill(
        "footer",
        credit=html.escape(card.credit),
        printed=html.escape(card.printed),
        index=str(index),
        total=str(total),
    )


def _card_font() -> QFont:
    font = QFont("DejaVu Sans", 8)
    # No ligatures, so the PDF's text reads back (search, copy, pdftotext) as plain letters: "fi", not "ﬁ".
    font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


def _document(rich_text: str, device: QPagedPaintDevice, width: float) -> QTextDocument:
    doc = QTextDocument()
    # Lay out with the printer's own font metrics, so what fits here fits on paper.
    doc.documentLayout().setPaintDevice(device)
    doc.setDocumentMargin(0)
    doc.setDefaultFont(_card_font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # long URLs
    doc.setDefaultTextOption(option)
    doc.setDefaultStyleSheet(_stylesheet())
    doc.setHtml(rich_text)
    doc.setTextWidth(width)
    return doc


def _lay_out_card(
    stored: StoredArticle,
    index: int,
    total: int,
    content: QSizeF,
    size: CardSize,
    device: QPagedPaintDevice,
    printed: datetime.date,
    so_what: str = "",
) -> _LaidOutCard:
    """Tighten the budget, then the type, until the body fits above the footer; a card that fits
    at full size then grows, one item at a time, while the measured body still fits."""
    gap = _FOOTER_GAP_PT * device.logicalDpiY() / 72.0
    footers: dict[float, QTextDocument] = {}  # the footer depends only on the type scale

    def lay_out(
        budget: CardBudget, scale: float, attempt: int, card: Card | None = None
    ) -> tuple[_LaidOutCard, Card]:
        width = content.width() / scale
        if card is None:
            card = build_card(stored, printed=printed, budget=budget, so_what=so_what)
        if scale not in footers:
            footers[scale] = _document(footer_html(card, index, total), device, width)
        footer = footers[scale]
        room = content.height() / scale - footer.size().height() - gap
        body = _document(card_html(card, wide=size.wide), device, width)
        height = body.size().height()
        fits = room > 0 and height <= room
        fit = CardFit(
            stored.article.id, fits, scale, budget, attempt, card.counts(), height, max(room, 0.0)
        )
        return _LaidOutCard(body, footer, fit), card

    last: tuple[_LaidOutCard, Card] | None = None
    for attempt, (budget, shrink) in enumerate(_ATTEMPTS, start=1):
        last = lay_out(replace(budget, max_quotes=1, lead_chars=0), size.scale * shrink, attempt)
        if last[0].fit.fits:
            break
    assert last is not None
    laid_out, card = last
    if not laid_out.fit.fits or laid_out.fit.scale != size.scale:
        return laid_out
    return _grow(
        laid_out,
        card,
        size,
        lambda budget: build_card(stored, printed=printed, budget=budget, so_what=so_what),
        lambda budget, card: lay_out(budget, size.scale, 0, card),
    )


# How a card that fits grows into the room it has left: one step of each section in turn, kept
# when the card, laid out again, still fits; a section that did not fit or has nothing more stops.
_GROW_STEPS: tuple[tuple[str, int, int], ...] = (
    ("max_figures", 1, 24),
    ("max_actors", 1, 20),
    ("max_places", 1, 12),
    ("quote_chars", 80, 700),
    ("bottom_line_chars", 120, 600),
    ("max_quotes", 1, 6),
    ("lead_chars", 300, 6000),
)


_MAX_STALLS = 3


def _grow(
    laid_out: _LaidOutCard,
    card: Card,
    size: CardSize,
    build: Callable[[CardBudget], Card],
    lay_out: Callable[[CardBudget, Card], tuple[_LaidOutCard, Card]],
) -> _LaidOutCard:
    caps = {"max_quotes": size.max_quotes, "lead_chars": size.lead_chars}
    growing = [step for step in _GROW_STEPS if caps.get(step[0], step[2]) > 0]
    attempts = laid_out.fit.attempts
    stalls = {name: 0 for name, _increase, _most in growing}
    while growing:
        # Every section one step at once first: while the card has room, a round costs one
        # layout instead of one per section (a hundred A6 cards: 6.5 s → see bench_cards).
        budget = laid_out.fit.budget
        round_values = {
            name: getattr(budget, name) + increase
            for name, increase, most in growing
            if getattr(budget, name) + increase <= min(most, caps.get(name, most))
        }
        if len(round_values) > 1:
            together = replace(budget, **round_values)
            together_card = build(together)
            if together_card != card:
                bigger, bigger_card = lay_out(together, together_card)
                attempts += 1
                if bigger.fit.fits:
                    laid_out, card = bigger, bigger_card
                    continue
        for step in list(growing):
            name, increase, most = step
            budget = laid_out.fit.budget
            value = getattr(budget, name) + increase
            if value > min(most, caps.get(name, most)):
                growing.remove(step)
                continue
            trial = replace(budget, **{name: value})
            trial_card = build(trial)
            if trial_card == card:
                bigger, bigger_card = laid_out, card  # nothing new: no layout needed
            else:
                bigger, bigger_card = lay_out(trial, trial_card)
                attempts += 1
            if bigger_card == card:
                # No change: every item of the section is shown, or the next piece of text
                # (a second sentence, a paragraph) needs more characters than one step gives.
                stalls[name] += 1
                if increase == 1 or stalls[name] >= _MAX_STALLS:
                    growing.remove(step)
                else:
                    laid_out.fit.budget = replace(budget, **{name: value})
            elif bigger.fit.fits:
                laid_out, card = bigger, bigger_card
                stalls[name] = 0
            else:
                growing.remove(step)
    laid_out.fit.attempts = attempts
    return laid_out


def _mm(value: float, device: QPagedPaintDevice) -> float:
    return value / MM_PER_INCH * device.logicalDpiX()


def _page_layout(size: CardSize) -> QPageLayout:
    return QPageLayout(size.page, size.orientation, QMarginsF(0, 0, 0, 0))


def _grid_origin(size: CardSize, device: QPagedPaintDevice) -> QPointF:
    """Top-left of the block of cards, centred on the page."""
    grid_w = _mm(size.card_mm[0] * size.grid[0], device)
    grid_h = _mm(size.card_mm[1] * size.grid[1], device)
    return QPointF((device.width() - grid_w) / 2, (device.height() - grid_h) / 2)


def _draw_cut_marks(painter: QPainter, size: CardSize, device: QPagedPaintDevice) -> None:
    """Thin marks on every cut line: outside the cards where the page has room, else at the edges."""
    origin = _grid_origin(size, device)
    card_w, card_h = _mm(size.card_mm[0], device), _mm(size.card_mm[1], device)
    cols, rows = size.grid
    mark, gap = _mm(5, device), _mm(1.5, device)
    pen = QPen(Qt.GlobalColor.darkGray)
    pen.setWidthF(0.25 / 72 * device.logicalDpiX())
    painter.save()
    painter.setPen(pen)
    top, bottom = origin.y(), origin.y() + rows * card_h
    left, right = origin.x(), origin.x() + cols * card_w
    for col in range(cols + 1):
        x = left + col * card_w
        if top > mark + gap:  # room above and below the block of cards
            painter.drawLine(QPointF(x, top - gap - mark), QPointF(x, top - gap))
            painter.drawLine(QPointF(x, bottom + gap), QPointF(x, bottom + gap + mark))
        elif 0 < col < cols:
            painter.drawLine(QPointF(x, 0), QPointF(x, mark))
            painter.drawLine(QPointF(x, device.height() - mark), QPointF(x, device.height()))
    for row in range(rows + 1):
        y = top + row * card_h
        if left > mark + gap:
            painter.drawLine(QPointF(left - gap - mark, y), QPointF(left - gap, y))
            painter.drawLine(QPointF(right + gap, y), QPointF(right + gap + mark, y))
        elif 0 < row < rows:
            painter.drawLine(QPointF(0, y), QPointF(mark, y))
            painter.drawLine(QPointF(device.width() - mark, y), QPointF(device.width(), y))
    # Small crosses where inner cut lines meet, between the cards' blank borders.
    for col in range(1, cols):
        for row in range(1, rows):
            centre = QPointF(left + col * card_w, top + row * card_h)
            arm = _mm(2.5, device)
            painter.drawLine(centre - QPointF(arm, 0), centre + QPointF(arm, 0))
            painter.drawLine(centre - QPointF(0, arm), centre + QPointF(0, arm))
    painter.restore()


def paint_cards(
    painter: QPainter,
    device: QPagedPaintDevice,
    articles: Sequence[StoredArticle],
    size: CardSize,
    *,
    printed: datetime.date | None = None,
    so_whats: Mapping[str, str] | None = None,
) -> RenderReport:
    """Paint one card per article on `device` (already showing its first page), adding pages as
    needed; `so_whats` gives an article's so-what line by its id (the briefer's notes)."""
    printed = printed or datetime.date.today()
    origin = _grid_origin(size, device)
    card_w, card_h = _mm(size.card_mm[0], device), _mm(size.card_mm[1], device)
    margin = _mm(size.margin_mm, device)
    content = QSizeF(card_w - 2 * margin, card_h - 2 * margin)
    fits: list[CardFit] = []
    total = len(articles)
    pages = 1 if total else 0
    for number, stored in enumerate(articles):
        slot = number % size.per_page
        if slot == 0 and number > 0:
            device.newPage()
            pages += 1
        if slot == 0 and size.per_page > 1:
            _draw_cut_marks(painter, size, device)
        so_what = (so_whats or {}).get(stored.article.id, "")
        laid_out = _lay_out_card(stored, number + 1, total, content, size, device, printed, so_what)
        fits.append(laid_out.fit)
        col, row = slot % size.grid[0], slot // size.grid[0]
        top_left = origin + QPointF(col * card_w + margin, row * card_h + margin)
        _draw_card(painter, laid_out, top_left, content)
    return RenderReport(cards=total, pages=pages, fits=fits)


def _draw_card(
    painter: QPainter, laid_out: _LaidOutCard, top_left: QPointF, content: QSizeF
) -> None:
    scale = laid_out.fit.scale
    painter.save()
    painter.translate(top_left)
    # Nothing may spill outside the card, even a card that could not be fitted.
    painter.setClipRect(QRectF(QPointF(0, 0), content))
    painter.scale(scale, scale)
    width, height = content.width() / scale, content.height() / scale
    laid_out.body.drawContents(painter, QRectF(0, 0, width, height))
    footer_height = laid_out.footer.size().height()
    painter.translate(0, height - footer_height)
    laid_out.footer.drawContents(painter, QRectF(0, 0, width, footer_height))
    painter.restore()


def card_size(size: str) -> CardSize:
    """The card size by name, or by an older name (SIZE_ALIASES)."""
    try:
        return CARD_SIZES[SIZE_ALIASES.get(size, size)]
    except KeyError:
        raise ValueError(
            f"unknown card size {size!r}: choose one of {', '.join(CARD_SIZES)}"
        ) from None


def ensure_application() -> None:
    """Make sure a Qt GUI application exists: fonts and PDF writers need one.

    Without a display the one made here draws offscreen, so cards can be written from a script.
    """
    global _application
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return
    if existing is not None:
        raise RuntimeError(
            f"cards need a QGuiApplication to lay out text, but this process runs a "
            f"{type(existing).__name__}; create a QApplication before printing cards"
        )
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _application = QApplication(sys.argv[:1])


# The application ensure_application made: a module global, so it lives as long as the process.
_application: QApplication | None = None


def render_cards(
    articles: Sequence[StoredArticle],
    out: Path,
    size: str,
    *,
    printed: datetime.date | None = None,
    so_whats: Mapping[str, str] | None = None,
) -> RenderReport:
    """Write one card per article to the PDF `out`, and say how each card was fitted."""
    spec = card_size(size)
    ensure_application()
    writer = QPdfWriter(str(out))
    writer.setTitle("Briefing cards")
    writer.setCreator("Briefing Cards")
    writer.setPageLayout(_page_layout(spec))
    painter = QPainter(writer)
    try:
        return paint_cards(painter, writer, articles, spec, printed=printed, so_whats=so_whats)
    finally:
        painter.end()


def render_cards_pdf(
    articles: Sequence[StoredArticle],
    out: Path,
    size: str,
    so_whats: Mapping[str, str] | None = None,
) -> tuple[int, int]:
    """Write one card per article to the PDF `out`; returns (cards, pages)."""
    report = render_cards(articles, out, size, so_whats=so_whats)
    return report.cards, report.pages


def _printer_for(size: CardSize) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # our own margins, exactly
    printer.setPageLayout(_page_layout(size))
    printer.setDocName("Briefing cards")
    return printer


def _paint_on_printer(
    printer: QPrinter,
    articles: Sequence[StoredArticle],
    size: CardSize,
    so_whats: Mapping[str, str] | None = None,
) -> None:
    painter = QPainter(printer)
    try:
        paint_cards(painter, printer, articles, size, so_whats=so_whats)
    finally:
        painter.end()


def print_cards(
    parent: QWidget | None,
    articles: list[StoredArticle],
    size: str,
    preview: bool = True,
    so_whats: Mapping[str, str] | None = None,
) -> None:
    """Print one card per article: a print preview first (preview=True), else the print dialog."""
    spec = card_size(size)
    printer = _printer_for(spec)
    if preview:
        dialog: QDialog = QPrintPreviewDialog(printer, parent)
        dialog.setWindowTitle(f"Print preview — {spec.label}")
        paint: Callable[[QPrinter], None] = lambda p: _paint_on_printer(  # noqa: E731
            p, articles, spec, so_whats
        )
        dialog.paintRequested.connect(paint)
        dialog.exec()
        return
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print {len(articles)} card(s) — {spec.label}")
    if dialog.exec() == QDialog.DialogCode.Accepted:
        _paint_on_printer(printer, articles, spec, so_whats)


def export_cards_pdf(
    parent: QWidget | None,
    articles: list[StoredArticle],
    size: str,
    so_whats: Mapping[str, str] | None = None,
) -> Path | None:
    """Ask where to save, then write the cards as a PDF there; None when the user cancels."""
    if not articles:
        return None
    suggested = (
        Path.home() / f"briefing-{articles[0].article.id if len(articles) == 1 else 'cards'}.pdf"
    )
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, "Export card as PDF", str(suggested), "PDF documents (*.pdf)"
    )
    if not chosen:
        return None
    out = Path(chosen)
    if out.suffix.lower() != ".pdf":
        out = out.with_name(out.name + ".pdf")
    render_cards_pdf(articles, out, size, so_whats)
    return out


def _articles_for(
    args: argparse.Namespace,
) -> tuple[list[StoredArticle], dict[str, str], str | None]:
    """The articles `briefing card` should print and their so-what lines, or a message saying
    why there are none."""
    from search.api import IndexUnavailable, Library  # whoosh loads only when the CLI needs it
    from search.models import SearchRequest

    index = Library.open(args.data_dir)
    try:
        if args.query is None:
            stored = index.get(args.id)
            if stored is None:
                message = f"no article with id {args.id!r} in the index ({index.count()} articles)"
                return [], {}, message
            return [stored], _so_whats(index, [stored]), None
        result = index.search(SearchRequest(args.query, limit=args.limit))
        if result.error:
            return [], {}, f"cannot search for {args.query!r}: {result.error}"
        articles = [s for s in (index.get(hit.id) for hit in result.hits) if s is not None]
        if not articles:
            return [], {}, f"no articles match {args.query!r} ({index.count()} articles indexed)"
        return articles, _so_whats(index, articles), None
    except IndexUnavailable as e:
        return [], {}, f"cannot read the index: {e}"
    finally:
        index.close()


def _so_whats(index: Library, articles: list[StoredArticle]) -> dict[str, str]:
    """The articles' so-what lines; a store that cannot be read prints the cards without them."""
    from search.api import StoreError

    try:
        return index.so_whats([stored.article.id for stored in articles])
    except StoreError as e:
        print(f"briefing card: printing without your notes' so-what lines: {e}", file=sys.stderr)
        return {}


def cmd_card(args: argparse.Namespace) -> int:
    """`briefing card (ID | --query Q) --pdf OUT --size S --limit N`: write cards to a PDF, headless."""
    ensure_application()
    if args.limit < 1:
        print(f"briefing card: --limit must be at least 1, not {args.limit}", file=sys.stderr)
        return 2
    articles, so_whats, problem = _articles_for(args)
    if problem:
        print(f"briefing card: {problem}", file=sys.stderr)
        return 1
    out = Path(args.pdf)
    if not out.parent.is_dir():
        print(
            f"briefing card: cannot write {out}: folder {out.parent} does not exist",
            file=sys.stderr,
        )
        return 1
    cards, pages = render_cards_pdf(articles, out, args.size, so_whats)
    print(
        f"{cards} {'card' if cards == 1 else 'cards'}, {pages} {'page' if pages == 1 else 'pages'} → {out}"
    )
    return 0
