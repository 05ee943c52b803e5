"""The ZIP containers of Word documents and EPUB books, opened without trusting what their entries claim."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree

from search.readers.base import ReadError, unreadable

# A ZIP bomb declares (or hides) gigabytes behind a few kilobytes. Python's zipfile never unpacks
# more of an entry than its declared size, so bounding the declared sizes bounds what is unpacked.
MAX_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_XML_BYTES = 4 * 1024 * 1024
# Old Word files and password-protected Word files are OLE compound files, not ZIP archives.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_zip(path: Path, kind: str) -> zipfile.ZipFile:
    """`path` as a ZIP archive whose declared contents are of a sane size; ReadError naming `kind`."""
    try:
        with path.open("rb") as file:
            magic = file.read(len(OLE_MAGIC))
        archive = zipfile.ZipFile(path)
    except OSError as e:
        raise unreadable(e) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        if magic == OLE_MAGIC:
            raise ReadError(
                f"not a readable {kind}: a password-protected file, or an old-format one "
                "renamed (an OLE compound file, not a ZIP archive)"
            ) from None
        raise ReadError(f"broken {kind}: not a ZIP archive (damaged or cut short?)") from None
    entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        archive.close()
        raise ReadError(
            f"refused {kind}: {len(entries):,} entries unpacking to "
            f"{unpacked / 1024 / 1024:,.0f} MB (a ZIP bomb?)"
        )
    return archive


def read_entry(archive: zipfile.ZipFile, name: str, kind: str, max_bytes: int) -> bytes:
    """One entry's bytes, refused when it declares more than `max_bytes`."""
    try:
        entry = archive.getinfo(name)
    except KeyError:
        raise ReadError(f"broken {kind}: {name} is missing") from None
    if entry.file_size > max_bytes:
        raise ReadError(
            f"refused {kind}: {name} unpacks to {entry.file_size / 1024 / 1024:,.1f} MB "
            f"(the limit is {max_bytes / 1024 / 1024:,.0f} MB)"
        )
    try:
        return archive.read(entry)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        # RuntimeError: an encrypted entry; NotImplementedError: an unknown compression method.
        raise ReadError(f"broken {kind}: {name} cannot be unpacked ({e})") from None
    except OSError as e:
        raise unreadable(e) from None


def parse_xml(data: bytes, name: str, kind: str) -> ElementTree.Element:
    """An XML entry parsed; expat (2.4 and later) refuses entity expansion bombs by itself."""
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as e:
        raise ReadError(f"broken {kind}: {name} is not well-formed XML ({e})") from None
