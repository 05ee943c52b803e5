"""PDF documents: the text layer page by page, in PDFium's reading order, with title, date and author from the metadata."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from search.readers.base import (
    ReadError,
    Reading,
    checked_size,
    file_sha256,
    headline,
    new_article,
    string_list,
    text_or_none,
    unreadable,
)
from search.readers.dates import normalize_date

# Pages are read one at a time, so memory does not grow with these; they bound the time a sync
# spends on one file and the size of one article's text.
MAX_PDF_BYTES = 256 * 1024 * 1024
MAX_PDF_PAGES = 2000
# PDFium may skip up to this much junk before the "%PDF-" header, as other readers do.
HEADER_WINDOW = 1024
# PDFium writes a hyphen that it joined across a line break as U+0002; such breaks are nearly
# always a word split by the typesetter ("inter-" "national"), so the word is joined whole.
JOINED_HYPHEN = "\x02"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?$", re.I)
SENTENCE_END = tuple(".!?:;\"'”’)")
# A line under this share of a page's full line length ends its paragraph (a paragraph's last
# line, a heading); pages of short lines (slides, lists) keep every line apart.
SHORT_LINE_SHARE = 0.75
MIN_FULL_LINE = 50
# Metadata titles that name the file or the program, not the document.
JUNK_TITLE = re.compile(
    r"^(?:untitled|microsoft word - .*|.*\.(?:docx?|pdf|odt|rtf|indd|tex))$", re.I
)
PDF_DATE = re.compile(r"^(?:D:)?(?P<year>\d{4})(?P<month>\d{2})?(?P<day>\d{2})?")


def read(path: Path) -> Reading:
    """The one article in a PDF: all pages' text, paragraphs rejoined."""
    checked_size(path, MAX_PDF_BYTES)
    try:
        file = path.open("rb")
    except OSError as e:
        raise unreadable(e) from None
    with file:
        if b"%PDF-" not in file.read(HEADER_WINDOW):
            raise ReadError("not a PDF (no %PDF- header at the start)")
        file.seek(0)
        metadata, pages = _read_pdf(file)
    body = _join_pages(pages)
    if not body.strip():
        raise ReadError("no text layer (scanned PDF?); OCR is not supported")
    title = _metadata_title(metadata.get("Title"))
    first_line, rest = headline(body)
    if not title:
        title, body = first_line, rest
    elif " ".join(first_line.split()).casefold() == " ".join(title.split()).casefold():
        body = rest  # the title printed on the first page: shown once, as the title
    fields: dict[str, Any] = {
        "title": title,
        "body": body,
        "date": _pdf_date(metadata.get("CreationDate")) or _pdf_date(metadata.get("ModDate")),
        "authors": string_list(metadata.get("Author"), sep=";"),
        "tags": string_list(metadata.get("Keywords")),
    }
    return Reading([new_article(path, "pdf", fields, content_hash=file_sha256(path))])


def _read_pdf(file: Any) -> tuple[dict[str, str], list[str]]:
    """The document's metadata and each page's text."""
    import pypdfium2 as pdfium  # imported here: only PDFs need PDFium loaded

    try:
        document = pdfium.PdfDocument(file)
    except pdfium.PdfiumError as e:
        raise ReadError(_open_failure(e, pdfium.raw)) from None
    try:
        count = len(document)
        if count == 0:
            raise ReadError("PDF without pages")
        if count > MAX_PDF_PAGES:
            raise ReadError(f"too many pages ({count:,}; the limit is {MAX_PDF_PAGES:,})")
        metadata = {str(k): str(v) for k, v in document.get_metadata_dict(skip_empty=True).items()}
        pages = []
        for number in range(count):
            try:
                page = document[number]
                try:
                    text_page = page.get_textpage()
                    try:
                        pages.append(str(text_page.get_text_bounded()))
                    finally:
                        text_page.close()
                finally:
                    page.close()
            except pdfium.PdfiumError as e:
                raise ReadError(f"broken PDF: page {number + 1} cannot be read ({e})") from None
        return metadata, pages
    finally:
        document.close()


def _open_failure(error: Exception, raw: Any) -> str:
    """Why PDFium could not open a document, in words a person can act on."""
    code = getattr(error, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        return "encrypted PDF (it needs a password to open)"
    if code == raw.FPDF_ERR_SECURITY:
        return "encrypted PDF (its security handler is not supported)"
    if code == raw.FPDF_ERR_FORMAT:
        return "broken PDF (PDFium: data format error; damaged or cut short?)"
    return f"broken PDF ({error})"


def _join_pages(pages: list[str]) -> str:
    """One text from the pages: a paragraph running over a page break is joined again."""
    paragraphs: list[str] = []
    for page in pages:
        page_paragraphs = _paragraphs(page)
        if (
            paragraphs
            and page_paragraphs
            and not paragraphs[-1].endswith(SENTENCE_END)
            and page_paragraphs[0][:1].islower()
        ):
            paragraphs[-1] += " " + page_paragraphs.pop(0)
        paragraphs.extend(page_paragraphs)
    return "\n\n".join(paragraphs)


def _paragraphs(page_text: str) -> list[str]:
    """A page's lines rejoined into paragraphs; page numbers dropped."""
    text = CONTROL_CHARS.sub("", page_text.replace(JOINED_HYPHEN, "").replace("\r\n", "\n"))
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    lines = [line if not PAGE_NUMBER.match(line) else "" for line in lines]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return []
    full_line = max(lengths[int(len(lengths) * 0.8)], MIN_FULL_LINE)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        if current and (not line or len(line) < SHORT_LINE_SHARE * full_line):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _metadata_title(value: str | None) -> str | None:
    title = text_or_none(value)
    if title is None or JUNK_TITLE.match(title):
        return None
    return title


def _pdf_date(value: str | None) -> str | None:
    """YYYY-MM-DD from a PDF date ("D:20210304120000Z"); None when it is not one."""
    match = PDF_DATE.match((value or "").strip())
    if match is None or not match.group("month") or not match.group("day"):
        return None
    return normalize_date(f"{match['year']}-{match['month']}-{match['day']}")
