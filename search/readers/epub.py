"""EPUB books: each chapter in the OPF spine's order is one article, its title from the book's table of contents.

One article per chapter, not the book as one: a search hit then opens the chapter that holds the
words, and the side panel lists the people, places and figures of that chapter, not of a whole book
(hundreds of names, an article of a megabyte). The book's title is every chapter's source, so the
source facet gathers a book's chapters.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree

from search.readers.archive import MAX_XML_BYTES, open_zip, parse_xml, read_entry
from search.readers.base import (
    MAX_BYTES,
    LeftOut,
    ReadError,
    Reading,
    checked_size,
    headline,
    new_article,
    text_or_none,
)
from search.readers.dates import normalize_date
from search.readers.encoding import decode_text
from search.readers.web import html_to_text

KIND = "EPUB book"
MAX_EPUB_BYTES = 512 * 1024 * 1024
MAX_CHAPTERS = 2000
CONTAINER = "META-INF/container.xml"
ENCRYPTION = "META-INF/encryption.xml"
CHAPTER_TYPES = frozenset({"application/xhtml+xml", "text/html"})
# A spine document with fewer words is a cover, a title page or a part's heading, not a chapter.
MIN_CHAPTER_WORDS = 20


def read(path: Path) -> Reading:
    """Each chapter of the book as an article, keyed by its file in the book."""
    checked_size(path, MAX_EPUB_BYTES)
    with open_zip(path, KIND) as archive:
        opf_name = _package_name(archive)
        package = parse_xml(read_entry(archive, opf_name, KIND, MAX_XML_BYTES), opf_name, KIND)
        book = _book_metadata(package)
        manifest = _manifest(package, posixpath.dirname(opf_name))
        spine = _spine(package, manifest)
        if len(spine) > MAX_CHAPTERS:
            raise ReadError(f"too many chapters ({len(spine):,}; the limit is {MAX_CHAPTERS:,})")
        labels = _toc_labels(archive, package, manifest)
        encrypted = _encrypted_entries(archive)
        reading = Reading([])
        for number, name in enumerate(spine, 1):
            try:
                if name in encrypted:
                    raise ReadError("encrypted (a DRM-protected book)")
                chapter = _chapter(archive, name)
            except ReadError as e:
                reading.left_out.append(LeftOut(f"chapter {number} ({name})", str(e)))
                continue
            if len(chapter.split()) < MIN_CHAPTER_WORDS:
                continue  # a cover or title page: nothing to search or extract
            title = labels.get(name)
            if not title:
                first_line = headline(chapter)[0]
                title = first_line if len(first_line) <= 120 else f"{book['source']}, part {number}"
            first, _, rest = chapter.partition("\n\n")
            body = rest if first.strip() == title and rest.strip() else chapter
            fields = {**book, "title": title, "body": body}
            reading.articles.append(new_article(path, "epub", fields, part=name))
    if not reading.articles:
        reason = str(reading.left_out[0]) if reading.left_out else "no chapter holds text"
        raise ReadError(f"no readable chapters in the book ({reason})")
    return reading


def _package_name(archive: zipfile.ZipFile) -> str:
    """The OPF package file's name, from META-INF/container.xml."""
    container = parse_xml(read_entry(archive, CONTAINER, KIND, MAX_XML_BYTES), CONTAINER, KIND)
    rootfile = container.find(".//{*}rootfile")
    name = rootfile.get("full-path") if rootfile is not None else None
    if not name:
        raise ReadError(f"broken {KIND}: {CONTAINER} names no package file")
    return name


def _book_metadata(package: ElementTree.Element) -> dict[str, Any]:
    """The fields every chapter shares: the book's title as source, its authors, date and subjects."""

    def texts(tag: str) -> list[str]:
        return [
            text
            for element in package.findall(f"{{*}}metadata/{{*}}{tag}")
            if (text := text_or_none(element.text))
        ]

    titles = texts("title")
    return {
        "source": titles[0] if titles else "Untitled book",
        "authors": texts("creator"),
        "date": next(filter(None, map(normalize_date, texts("date"))), None),
        "tags": texts("subject"),
        "licence": next(iter(texts("rights")), None),
    }


def _manifest(package: ElementTree.Element, folder: str) -> dict[str, dict[str, str]]:
    """Manifest items by id: each one's name in the archive, media type and properties."""
    items: dict[str, dict[str, str]] = {}
    for item in package.findall("{*}manifest/{*}item"):
        item_id, href = item.get("id"), item.get("href")
        if item_id and href:
            items[item_id] = {
                "name": _entry_name(folder, href),
                "type": item.get("media-type", ""),
                "properties": item.get("properties", ""),
            }
    return items


def _spine(package: ElementTree.Element, manifest: dict[str, dict[str, str]]) -> list[str]:
    """The names of the chapters in reading order; navigation and out-of-line items left out."""
    names = []
    for itemref in package.findall("{*}spine/{*}itemref"):
        item = manifest.get(itemref.get("idref", ""))
        if item is None or itemref.get("linear") == "no" or item["type"] not in CHAPTER_TYPES:
            continue
        if "nav" in item["properties"].split():
            continue
        if item["name"] not in names:
            names.append(item["name"])
    if not names:
        raise ReadError(f"broken {KIND}: its spine lists no chapters")
    return names


def _toc_labels(
    archive: zipfile.ZipFile, package: ElementTree.Element, manifest: dict[str, dict[str, str]]
) -> dict[str, str]:
    """Chapter file → its title in the table of contents (EPUB 3 nav, else EPUB 2 NCX); {} without one.

    The chapters' own <title> is often the book's title in every chapter, so the contents' labels
    are the chapter titles the book itself shows. A broken table of contents costs only the labels.
    """
    navs = [item for item in manifest.values() if "nav" in item["properties"].split()]
    spine = package.find("{*}spine")
    ncx = manifest.get(spine.get("toc", "") if spine is not None else "")
    try:
        if navs:
            document = _xml_entry(archive, navs[0]["name"])
            links = [
                (a.get("href", ""), "".join(a.itertext())) for a in document.findall(".//{*}a")
            ]
            folder = posixpath.dirname(navs[0]["name"])
        elif ncx is not None:
            document = _xml_entry(archive, ncx["name"])
            links = [
                (content.get("src", ""), "".join(nav_label.itertext()))
                for point in document.findall(".//{*}navPoint")
                if (content := point.find("{*}content")) is not None
                and (nav_label := point.find("{*}navLabel")) is not None
            ]
            folder = posixpath.dirname(ncx["name"])
        else:
            return {}
    except ReadError:
        return {}
    labels: dict[str, str] = {}
    for href, label in links:
        text = " ".join(label.split())
        if href and text:
            labels.setdefault(_entry_name(folder, href.partition("#")[0]), text)
    return labels


def _encrypted_entries(archive: zipfile.ZipFile) -> set[str]:
    """The entries META-INF/encryption.xml lists: a DRM-protected book's chapters (or, harmlessly,
    its obfuscated fonts). Their bytes are ciphertext, which no reader should take for text."""
    if ENCRYPTION not in archive.namelist():
        return set()
    encryption = _xml_entry(archive, ENCRYPTION)
    return {
        _entry_name("", unquote(uri))
        for reference in encryption.findall(".//{*}CipherReference")
        if (uri := reference.get("URI"))
    }


def _xml_entry(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return parse_xml(read_entry(archive, name, KIND, MAX_XML_BYTES), name, KIND)


def _chapter(archive: zipfile.ZipFile, name: str) -> str:
    """A chapter's text, headings kept."""
    text, _encoding = decode_text(read_entry(archive, name, KIND, MAX_BYTES))
    return html_to_text(text)


def _entry_name(folder: str, href: str) -> str:
    """An href in the package (relative, URL-escaped) as an archive entry name."""
    return posixpath.normpath(posixpath.join(folder, unquote(href)))
