"""The reader registry: which reader reads which kind of file, and reading one file into its articles."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from search.models import Article
from search.readers.base import ReadError, Reading


@dataclass(frozen=True)
class Reader:
    """One kind of file: its name in the file dialog, its suffixes, and how it becomes articles.

    `holds_many` marks a file of several articles (a feed, a mailbox, a book): each of its
    articles has a `part`, and its id derives from (path, part).
    """

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], Reading]
    holds_many: bool = False


def _imported_on_call(module: str, function: str) -> Callable[[Path], Reading]:
    """search.readers.`module`.`function`, its module imported when a file is first read: a
    search, or listing what the library holds, needs no reader (yaml, email, zip, XML parsers
    took a third of `briefing search`'s imports)."""

    def read(path: Path) -> Reading:
        reader: Callable[[Path], Reading] = getattr(
            importlib.import_module(f"search.readers.{module}"), function
        )
        return reader(path)

    return read


READERS: tuple[Reader, ...] = (
    Reader("Markdown", (".md", ".markdown"), _imported_on_call("markdown", "read")),
    Reader("Plain text", (".txt",), _imported_on_call("plain", "read")),
    Reader("Web pages", (".html", ".htm"), _imported_on_call("web", "read")),
    Reader("PDF documents", (".pdf",), _imported_on_call("pdf", "read")),
    Reader("Word documents", (".docx",), _imported_on_call("docx", "read")),
    Reader("E-mail messages", (".eml",), _imported_on_call("mail", "read_message_file")),
    Reader("Mailboxes", (".mbox",), _imported_on_call("mail", "read_mailbox"), holds_many=True),
    Reader(
        "RSS and Atom feeds",
        (".rss", ".atom", ".xml"),
        _imported_on_call("feed", "read"),
        holds_many=True,
    ),
    Reader("EPUB books", (".epub",), _imported_on_call("epub", "read"), holds_many=True),
)
READER_BY_SUFFIX: dict[str, Reader] = {
    suffix: reader for reader in READERS for suffix in reader.suffixes
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READER_BY_SUFFIX)


def reader_for(path: Path | str) -> Reader:
    """The reader for a file, by its suffix; ReadError naming the type when none reads it."""
    suffix = Path(path).suffix.lower()
    reader = READER_BY_SUFFIX.get(suffix)
    if reader is None:
        raise ReadError(
            f"unsupported file type {suffix or '(none)'} "
            f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"
        )
    return reader


def read_file(path: Path | str) -> Reading:
    """Every article in a file, and each part of it left out with the reason.

    ReadError when the file gives no article at all (unsupported, unreadable, damaged, empty).
    """
    path = Path(path)
    return reader_for(path).read(path)


def read_articles(path: Path | str) -> list[Article]:
    """Every article in a file: one for most files, one per entry, message or chapter for a feed,
    a mailbox or a book. Parts that cannot be read are left out (read_file says why); ReadError
    when the file gives no article at all."""
    return read_file(path).articles


def file_dialog_filter() -> str:
    """The file dialog's filter: every readable type first, then each kind, then all files."""

    def patterns(suffixes: tuple[str, ...]) -> str:
        return " ".join(f"*{suffix}" for suffix in suffixes)

    every = tuple(suffix for reader in READERS for suffix in reader.suffixes)
    kinds = [f"{reader.name} ({patterns(reader.suffixes)})" for reader in READERS]
    return ";;".join([f"Articles ({patterns(every)})", *kinds, "All files (*)"])


__all__ = [
    "READERS",
    "SUPPORTED_SUFFIXES",
    "Reader",
    "Reading",
    "ReadError",
    "file_dialog_filter",
    "read_articles",
    "read_file",
    "reader_for",
]
