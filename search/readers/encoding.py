"""Bytes of a text file as text: UTF-8, or UTF-16 with a byte order mark."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from search.readers.base import MAX_BYTES, ReadError, read_bytes

# NUL bytes never occur in text files; looking at the start is enough to tell a binary apart.
BINARY_SNIFF_BYTES = 8192
# Editors on Windows save "Unicode" text as UTF-16 with a byte order mark; it is text, so it is read.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class TextFile:
    """A text file read whole: its text, the encoding it was read in, the SHA-256 of its bytes."""

    text: str
    encoding: str
    content_hash: str


def read_text_file(path: Path, max_bytes: int = MAX_BYTES) -> TextFile:
    """A text file's text; ReadError when it is not text."""
    data = read_bytes(path, max_bytes)
    text, encoding = decode_text(data)
    return TextFile(text, encoding, hashlib.sha256(data).hexdigest())


def decode_text(data: bytes) -> tuple[str, str]:
    """The text in `data` (newlines made \\n) and the name of the encoding it was read in."""
    if data.startswith(UTF16_BOMS):
        try:
            return _newlines(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as e:
            raise ReadError(f"broken UTF-16 text (at offset {e.start})") from None
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise ReadError("binary file (contains NUL bytes), not text")
    try:
        return _newlines(data.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError as e:
        raise ReadError(f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
