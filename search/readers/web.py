"""Saved web pages (main text without menus and notices), and the HTML inside feeds, e-mail, Word and EPUB as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from search.readers.base import (
    ReadError,
    Reading,
    new_article,
    source_from_url,
    string_list,
    text_or_none,
)
from search.readers.dates import normalize_date
from search.readers.encoding import read_text_file

# Fewer words than this from a web page means menus or a cookie notice were all the extractor found.
MIN_HTML_WORDS = 10


def read(path: Path) -> Reading:
    """The one article in a saved web page."""
    file = read_text_file(path)
    fields = parse_web_page(file.text)
    fields["encoding"] = file.encoding
    return Reading([new_article(path, "html", fields, content_hash=file.content_hash)])


def parse_web_page(text: str) -> dict[str, Any]:
    """The article's fields from a whole web page: trafilatura finds the main text and metadata."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    doc = _as_dict(
        trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            # The page's own markup (meta tags, <time>, the URL), not any year in its text: a saved
            # story that mentions 1999 was dated 1999-01-01. A dateline in the body still counts.
            date_extraction_params={"extensive_search": False},
        )
    )
    if len(str(doc.get("text") or "").split()) < MIN_HTML_WORDS:
        raise ReadError("no article text found in the web page")
    title = text_or_none(doc.get("title"))
    paragraphs = [p.strip() for p in str(doc["text"]).split("\n") if p.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not title:
        title = paragraphs.pop(0) if len(paragraphs) > 1 else "Untitled"
    url = text_or_none(doc.get("url"))
    return {
        "title": title,
        "body": "\n\n".join(paragraphs),
        "date": normalize_date(doc.get("date")),
        "source": text_or_none(doc.get("sitename")) or source_from_url(url),
        "url": url,
        "authors": string_list(doc.get("author"), sep=";"),
        "tags": string_list(doc.get("tags") or doc.get("categories")),
        "licence": text_or_none(doc.get("license")),
    }


def html_to_text(html: str) -> str:
    """The text of HTML that is itself the content (a feed entry, an e-mail, a Word document, a
    book's chapter), paragraphs and headings kept and separated by blank lines; "" when it has none.

    Recall is favoured over precision: there is no page furniture to drop, and a newsletter's second
    and third stories are content too. A snippet too short for trafilatura's extraction keeps all
    its text.
    """
    import trafilatura

    doc = _as_dict(
        trafilatura.bare_extraction(
            html, favor_recall=True, include_comments=False, include_tables=True
        )
    )
    text = str(doc.get("text") or "")
    if not text.strip():
        whole = html if "<body" in html.lower() else f"<html><body>{html}</body></html>"
        text = trafilatura.html2txt(whole)
    return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())


def _as_dict(extracted: Any) -> dict[str, Any]:
    """trafilatura's result (a Document, a dict, or None when it found nothing) as a dict."""
    if extracted is None:
        return {}
    return extracted if isinstance(extracted, dict) else dict(extracted.as_dict())
