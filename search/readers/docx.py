"""Word documents (.docx): mammoth turns them into HTML, read as text with headings kept; title, date and author from the core properties."""

from __future__ import annotations

import re
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

from search.readers.archive import MAX_XML_BYTES, open_zip, parse_xml, read_entry
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
from search.readers.web import html_to_text

KIND = "Word document"
MAX_DOCX_BYTES = 256 * 1024 * 1024
MAIN_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
# mammoth holds the whole document tree in memory (a DOM of its XML, many times the XML's size).
MAX_DOCUMENT_XML_BYTES = 32 * 1024 * 1024
FIRST_HEADING = re.compile(r"\A\s*<h[1-3][^>]*>(?P<text>.*?)</h[1-3]>", re.S)
TAG = re.compile(r"<[^>]+>")


def read(path: Path) -> Reading:
    """The one article in a Word document."""
    checked_size(path, MAX_DOCX_BYTES)
    with open_zip(path, KIND) as archive:
        _check_parts(archive)
        core = _core_properties(archive)
    html = _convert(path)
    body = html_to_text(html)
    if not body.strip():
        raise ReadError("no text in the Word document")
    title = core.get("title")
    heading = FIRST_HEADING.match(html)
    if heading:
        first = " ".join(unescape(TAG.sub("", heading["text"])).split())
        title = title or first
        if first == title:
            body = body.partition("\n\n")[2] if body.startswith(first) else body
    if not title:
        title, body = headline(body)
    fields: dict[str, Any] = {
        "title": title,
        "body": body,
        "date": normalize_date(core.get("created")) or normalize_date(core.get("modified")),
        "authors": string_list(core.get("creator"), sep=";"),
        "tags": string_list(core.get("keywords")),
    }
    return Reading([new_article(path, "docx", fields, content_hash=file_sha256(path))])


def _check_parts(archive: zipfile.ZipFile) -> None:
    """The document part is there, and no XML part mammoth reads is too large to hold in memory."""
    names = set(archive.namelist())
    if MAIN_PART not in names:
        raise ReadError(f"broken {KIND}: {MAIN_PART} is missing (not a .docx?)")
    for entry in archive.infolist():
        limit = MAX_DOCUMENT_XML_BYTES if entry.filename == MAIN_PART else MAX_XML_BYTES
        if entry.filename.endswith((".xml", ".rels")) and entry.file_size > limit:
            raise ReadError(
                f"refused {KIND}: {entry.filename} unpacks to "
                f"{entry.file_size / 1024 / 1024:,.1f} MB (the limit is {limit // 1024 // 1024} MB)"
            )


def _core_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    """Title, creator, keywords, created and modified from docProps/core.xml ({} without one)."""
    if CORE_PART not in archive.namelist():
        return {}
    root = parse_xml(read_entry(archive, CORE_PART, KIND, MAX_XML_BYTES), CORE_PART, KIND)
    found: dict[str, str] = {}
    for element in root:
        name = element.tag.rpartition("}")[2]
        value = text_or_none(element.text)
        if value:
            found[name] = value
    return found


def _convert(path: Path) -> str:
    """The document as HTML; images are left out without being unpacked."""
    import mammoth  # imported here: only Word documents need it

    # An image converter that never opens the image: mammoth would otherwise inline every picture
    # as base64 in the HTML.
    no_images = mammoth.images.img_element(lambda image: {"alt": image.alt_text or ""})
    try:
        with path.open("rb") as file:
            result = mammoth.convert_to_html(file, convert_image=no_images)
    except OSError as e:
        if isinstance(e, PermissionError | FileNotFoundError):
            raise unreadable(e) from None
        raise ReadError(f"broken {KIND}: {e}") from None
    except Exception as e:  # noqa: BLE001 - mammoth raises whatever its ZIP and XML code meets
        raise ReadError(f"broken {KIND} ({type(e).__name__}: {e})") from None
    return str(result.value)
