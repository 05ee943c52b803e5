"""Briefing cards on paper (ui/printing.py): PDFs are written, then read back with poppler."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog

from main import main
from search.index import ArticleIndex
from search.models import Actor, Article, Extraction, Figure, Place, Quote, Span, StoredArticle
from ui.printing import CARD_SIZES, card_size, export_cards_pdf, print_cards, render_cards

ROOT = Path(__file__).resolve().parent.parent
MM = 72 / 25.4
PAGE_POINTS = {
    "a6": (105 * MM, 148 * MM),
    "3x5": (360.0, 216.0),
    "4x6": (432.0, 288.0),
    "a5-landscape": (210 * MM, 148 * MM),
    "a4": (210 * MM, 297 * MM),
    "a4-sheet": (210 * MM, 297 * MM),
    "a4-brief": (210 * MM, 297 * MM),
    "letter": (612.0, 792.0),
}
HEADLINE = "Takaichi hosts Lee Jae Myung in Nara for third summit in three months"
BOTTOM_LINE = (
    "In a significant diplomatic move, Japanese Prime Minister Sanae Takaichi will welcome "
    "South Korean President Lee Jae Myung for a bilateral summit in the historic city of Nara on Tuesday."
)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """Every test here paints with Qt: fonts and PDF writers need the application object."""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the seeds indexed (and extracted) once for this module."""
    data = tmp_path_factory.mktemp("cards-data")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--data-dir",
            str(data),
            "index",
            str(ROOT / "seeds"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return data


@pytest.fixture(scope="module")
def seed_articles(seeded: Path) -> list[StoredArticle]:
    index = ArticleIndex.open(seeded)
    try:
        stored = [index.get(article_id) for article_id in index.ids()]
    finally:
        index.close()
    return sorted((s for s in stored if s is not None), key=lambda s: s.article.path)


def pdf_pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Each page's size and words (with boxes), as poppler reads them."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for chunk in out.split("<page ")[1:]:
        size = PAGE.search("<page " + chunk)
        assert size is not None
        words = [
            (float(a), float(b), float(c), float(d), w) for a, b, c, d, w in WORD.findall(chunk)
        ]
        pages.append((float(size.group(1)), float(size.group(2)), words))
    return pages


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True)
    return " ".join(text.stdout.split())


def assert_words_inside(pdf: Path, inset: float) -> None:
    """Every word lies on its page, at least `inset` points from each edge."""
    for width, height, words in pdf_pages(pdf):
        assert words
        for x0, y0, x1, y1, word in words:
            assert inset <= x0 and x1 <= width - inset, (word, x0, x1, width)
            assert inset <= y0 and y1 <= height - inset, (word, y0, y1, height)


@pytest.mark.parametrize("size", ["a6", "3x5", "a4", "a4-sheet", "a4-brief"])
def test_card_cli_writes_the_takaichi_card(
    seeded: Path, tmp_path: Path, size: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"card-{size}.pdf"
    args = ["--data-dir", str(seeded), "card", "--query", "Takaichi", "--pdf", str(out)]
    assert main([*args, "--size", size]) == 0
    assert capsys.readouterr().out.strip() == f"1 card, 1 page → {out}"
    pages = pdf_pages(out)
    assert len(pages) == 1
    width, height, _words = pages[0]
    assert (width, height) == pytest.approx(PAGE_POINTS[size], abs=1.0)
    text = pdf_text(out)
    for expected in (HEADLINE, BOTTOM_LINE, "136", "Sanae Takaichi, Prime Minister", "Nara"):
        assert expected in text, expected
    assert "Briefing Cards seed article" in text  # the credit line
    assert "card 1 of 1" in text
    assert_words_inside(out, inset=card_size(size).margin_mm * MM - 1)


def test_a4_sheet_holds_four_cards_with_credits(
    seed_articles: list[StoredArticle], tmp_path: Path
) -> None:
    out = tmp_path / "sheet.pdf"
    report = render_cards(seed_articles[:6], out, "a4-sheet")
    assert (report.cards, report.pages) == (6, 2)
    pages = pdf_pages(out)
    assert len(pages) == 2
    text = pdf_text(out)
    assert HEADLINE in text
    assert text.count("Wikinews, CC BY 2.5") == 5
    assert "card 6 of 6" in text
    assert_words_inside(out, inset=CARD_SIZES["a4-sheet"].margin_mm * MM - 1)
    # Four cards share the first sheet: words in every quarter of the page.
    width, height, words = pages[0]
    quarters = {(x0 > width / 2, y0 > height / 2) for x0, y0, _x1, _y1, _w in words}
    assert len(quarters) == 4


def test_every_wikinews_seed_fits_one_4x6_card(
    seed_articles: list[StoredArticle], tmp_path: Path
) -> None:
    wikinews = [s for s in seed_articles if s.article.source == "Wikinews"]
    assert len(wikinews) == 24
    out = tmp_path / "wikinews-4x6.pdf"
    report = render_cards(wikinews, out, "4x6")
    assert [fit.article_id for fit in report.fits if not fit.fits] == []
    assert report.pages == report.cards == 24
    assert len(pdf_pages(out)) == 24
    assert_words_inside(out, inset=CARD_SIZES["4x6"].margin_mm * MM - 1)


def test_an_overfull_article_shrinks_to_fit_a_3x5_card(tmp_path: Path) -> None:
    article = Article(
        id="overfull",
        path="/tmp/overfull.md",
        title=" ".join(["Extraordinarily long headline words"] * 12),
        body=" ".join(["This lede sentence keeps going on and on."] * 20),
        format="md",
        content_hash="0",
        source="Test Wire",
    )
    extraction = Extraction(
        actors=[
            Actor(f"Person Number{i}", "person", "Deputy Undersecretary of Things")
            for i in range(30)
        ],
        places=[Place(f"Place{i}", "FR") for i in range(20)],
        figures=[Figure(str(i * 1000), "count", "things counted " * 4, 0, 1, i) for i in range(10)],
        quotes=[Quote("Someone Important", "a very long quotation " * 30, 0, 1)],
    )
    out = tmp_path / "overfull.pdf"
    report = render_cards([StoredArticle(article, extraction)], out, "3x5")
    (fit,) = report.fits
    assert fit.fits and fit.attempts > 1
    assert fit.budget.max_actors < 5 and fit.budget.quote_chars < 220
    assert len(pdf_pages(out)) == 1
    assert_words_inside(out, inset=CARD_SIZES["3x5"].margin_mm * MM - 1)
    assert "…" in pdf_text(out)  # the headline was shortened, and says so


@pytest.mark.parametrize("size", ["a5-landscape", "letter"])
def test_other_sizes_have_their_page_size(
    seed_articles: list[StoredArticle], tmp_path: Path, size: str
) -> None:
    out = tmp_path / f"{size}.pdf"
    report = render_cards(seed_articles[:3], out, size)
    assert all(fit.fits for fit in report.fits)
    pages = pdf_pages(out)
    assert len(pages) == report.pages == (2 if size == "letter" else 3)
    assert (pages[0][0], pages[0][1]) == pytest.approx(PAGE_POINTS[size], abs=1.0)


def test_fonts_are_embedded(seed_articles: list[StoredArticle], tmp_path: Path) -> None:
    out = tmp_path / "fonts.pdf"
    render_cards(seed_articles[:1], out, "a6")
    listing = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True, text=True)
    rows = listing.stdout.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), listing.stdout
    assert any("DejaVu" in row for row in rows)


def test_unknown_id_and_empty_query_fail_clearly(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "none.pdf"
    assert main(["--data-dir", str(seeded), "card", "nosuchid", "--pdf", str(out)]) == 1
    assert "no article with id 'nosuchid'" in capsys.readouterr().err
    args = ["--data-dir", str(seeded), "card", "--query", "zzyzxqq", "--pdf", str(out)]
    assert main(args) == 1
    assert "no articles match 'zzyzxqq'" in capsys.readouterr().err
    assert not out.exists()


def test_card_by_id(seeded: Path, seed_articles: list[StoredArticle], tmp_path: Path) -> None:
    stored = seed_articles[1]
    out = tmp_path / "one.pdf"
    assert main(["--data-dir", str(seeded), "card", stored.article.id, "--pdf", str(out)]) == 0
    assert " ".join(stored.article.title.split()) in pdf_text(out)


def test_export_uses_the_chosen_path(
    seed_articles: list[StoredArticle], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "exported"  # no suffix: ".pdf" is added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(chosen), "PDF"))
    )
    path = export_cards_pdf(None, seed_articles[:2], "a6")
    assert path == tmp_path / "exported.pdf"
    assert len(pdf_pages(path)) == 2


def test_export_cancelled_writes_nothing(
    seed_articles: list[StoredArticle], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert export_cards_pdf(None, seed_articles[:1], "a6") is None


def _print_to(pdf: Path):  # type: ignore[no-untyped-def]
    def redirect(dialog: QDialog) -> QPrinter:
        printer = dialog.printer()  # type: ignore[attr-defined]
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
        return printer

    return redirect


def test_print_preview_paints_the_cards(
    seed_articles: list[StoredArticle], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = tmp_path / "preview.pdf"
    redirect = _print_to(pdf)

    def exec_preview(dialog: QPrintPreviewDialog) -> int:
        dialog.paintRequested.emit(redirect(dialog))
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_preview)
    print_cards(None, seed_articles[:3], "a6", preview=True)
    assert len(pdf_pages(pdf)) == 3
    assert "card 3 of 3" in pdf_text(pdf)


def test_print_dialog_accepted_prints_and_cancelled_does_not(
    seed_articles: list[StoredArticle], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = tmp_path / "printed.pdf"
    redirect = _print_to(pdf)
    answer = {"code": QDialog.DialogCode.Rejected}

    def exec_dialog(dialog: QPrintDialog) -> int:
        redirect(dialog)
        return int(answer["code"].value)

    monkeypatch.setattr(QPrintDialog, "exec", exec_dialog)
    print_cards(None, seed_articles[:1], "4x6", preview=False)
    assert not pdf.exists()
    answer["code"] = QDialog.DialogCode.Accepted
    print_cards(None, seed_articles[:1], "4x6", preview=False)
    pages = pdf_pages(pdf)
    assert len(pages) == 1 and (pages[0][0], pages[0][1]) == pytest.approx((432.0, 288.0), abs=0.5)


def run_without_an_application(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh Python with no display and no Qt platform chosen."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cards_are_written_by_a_script_that_made_no_qt_application(tmp_path: Path) -> None:
    out = tmp_path / "script.pdf"
    code = f"""
from pathlib import Path
from search.models import Article, Extraction, StoredArticle
from ui.printing import render_cards_pdf
article = Article("s1", "/s1.md", "Scripted headline", "A lede long enough to be the bottom line of a card, ending here.", "md", "h")
print(render_cards_pdf([StoredArticle(article, Extraction())], Path({str(out)!r}), "a6"))
"""
    done = run_without_an_application(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(1, 1)"
    assert "Scripted headline" in pdf_text(out)


def test_a_core_only_application_gets_a_clear_error(tmp_path: Path) -> None:
    code = f"""
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from search.models import Article, Extraction, StoredArticle
from ui.printing import render_cards_pdf
app = QCoreApplication([])
article = Article("s1", "/s1.md", "Headline", "Body.", "md", "h")
try:
    render_cards_pdf([StoredArticle(article, Extraction())], Path({str(tmp_path / "x.pdf")!r}), "a6")
except RuntimeError as e:
    print(e)
"""
    done = run_without_an_application(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "QCoreApplication" in done.stdout and "create a QApplication" in done.stdout


def _bare_article(**fields: object) -> Article:
    values: dict[str, object] = {
        "id": "24047f1e7fe8",
        "path": "/tmp/library/bbc/business_001.md",
        "title": "Ad sales boost Time Warner profit",
        "body": "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the "
        "three months to December, from $639m year-earlier.",
        "format": "md",
        "content_hash": "0",
    }
    values.update(fields)
    return Article(**values)  # type: ignore[arg-type]


def test_card_header_shows_source_and_date_never_the_id(tmp_path: Path) -> None:
    dated = _bare_article(source="BBC News", date="2005-01-10")
    out = tmp_path / "header.pdf"
    render_cards([StoredArticle(dated, Extraction())], out, "a6")
    text = pdf_text(out)
    assert "BBC NEWS · 10 JANUARY 2005" in text
    assert "24047" not in text.upper()


def test_card_header_without_source_or_date_names_where_it_came_from(tmp_path: Path) -> None:
    # No source field: the URL's site, else the folder the file is in; no date says so.
    from_web = _bare_article(url="https://www.bbc.co.uk/news/business-4160000")
    from_folder = _bare_article(id="24047f1e7fe9")
    out = tmp_path / "bare.pdf"
    render_cards([StoredArticle(a, Extraction()) for a in (from_web, from_folder)], out, "a6")
    text = pdf_text(out)
    assert "BBC.CO.UK · UNDATED" in text
    assert "BBC · UNDATED" in text
    assert "24047" not in text.upper()


def _long_article() -> StoredArticle:
    """A business story with more figures, actors and quotes than any card holds (BBC-like)."""
    paragraphs = [
        "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three "
        "months to December, from $639m year-earlier.",
        "The firm, which is now one of the biggest investors in Google, benefited from sales of "
        "high-speed internet connections and higher advert sales.",
    ] + [f"Paragraph {n} of the story goes on about the results of the quarter." for n in range(30)]
    article = _bare_article(body="\n\n".join(paragraphs), source="BBC News", date="2005-01-10")
    extraction = Extraction(
        actors=[
            Actor(f"Actor Number{n}", "person", "analyst" if n % 2 else None, [Span(n, n + 1)])
            for n in range(14)
        ],
        places=[Place(f"Town{n}", "US", [Span(n, n + 1)]) for n in range(8)],
        figures=[
            Figure(f"${n + 1}.{n}bn", "money", f"sales in market {n}", 0, 1, n + 1)
            for n in range(16)
        ],
        quotes=[
            Quote(
                f"Speaker {n}",
                f"Our financial performance was strong in quarter {n}, "
                "meeting all of our full-year objectives and greatly enhancing our flexibility",
                0,
                1,
            )
            for n in range(4)
        ],
    )
    return StoredArticle(article, extraction)


def test_a_card_is_filled_by_measuring_and_nothing_is_cut_off(tmp_path: Path) -> None:
    out = tmp_path / "long.pdf"
    report = render_cards([_long_article()], out, "a6")
    (fit,) = report.fits
    assert fit.fits and fit.scale == 1.0
    # More than the fixed counts a card used to show (6 figures, 6 actors) when space allows…
    assert fit.shown["figures"] + fit.shown["actors"] > 12, fit.shown
    # …filling the card: the body, as laid out, takes most of the room above the footer and no more.
    assert 0.85 * fit.room <= fit.height <= fit.room, (fit.height, fit.room)
    assert_words_inside(out, inset=CARD_SIZES["a6"].margin_mm * MM - 1)
    # Every line of the body ends above the footer's credit line.
    (_w, _h, words) = pdf_pages(out)[0]
    footer_top = min(y0 for _x0, y0, _x1, _y1, word in words if word == "Printed")
    credit_top = min(y0 for _x0, y0, _x1, _y1, word in words if word == "BBC" and y0 > 100)
    body_bottom = max(y1 for _x0, _y0, _x1, y1, _word in words if y1 < credit_top - 1)
    assert body_bottom < credit_top < footer_top
    text = pdf_text(out)
    shown_figures = [f"${n + 1}.{n}bn" for n in range(fit.shown["figures"])]
    assert all(figure in text for figure in shown_figures)


def test_a4_brief_is_one_article_on_a_page_with_more_of_everything(tmp_path: Path) -> None:
    stored = _long_article()
    card_pdf, brief_pdf = tmp_path / "card.pdf", tmp_path / "brief.pdf"
    (card_fit,) = render_cards([stored], card_pdf, "a6").fits
    report = render_cards([stored, stored], brief_pdf, "a4-brief")
    assert (report.cards, report.pages) == (2, 2)  # one article a page
    brief_fit = report.fits[0]
    assert brief_fit.fits and brief_fit.height <= brief_fit.room
    for section in ("figures", "actors", "quotes"):
        assert brief_fit.shown[section] > card_fit.shown[section], (section, brief_fit.shown)
    assert brief_fit.shown["lead"] >= 3 and card_fit.shown["lead"] == 0
    pages = pdf_pages(brief_pdf)
    assert (pages[0][0], pages[0][1]) == pytest.approx(PAGE_POINTS["a4-brief"], abs=1.0)
    text = pdf_text(brief_pdf)
    assert "THE STORY" in text and "benefited from sales of high-speed internet" in text
    assert "card 2 of 2" in text
    assert_words_inside(brief_pdf, inset=CARD_SIZES["a4-brief"].margin_mm * MM - 1)


def test_a4_means_the_sheet_of_four_a6_cards(tmp_path: Path) -> None:
    assert card_size("a4") is CARD_SIZES["a4-sheet"]
    assert CARD_SIZES["a4-sheet"].per_page == 4 and CARD_SIZES["a4-brief"].per_page == 1
    assert "a4" not in CARD_SIZES  # the menu offers the two by their own names


def test_card_help_names_both_a4_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["card", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "a4-brief" in help_text and "a4-sheet" in help_text
    assert "a4 = a4-sheet" in help_text
