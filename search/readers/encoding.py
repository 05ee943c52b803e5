"""Bytes of a text file as text: UTF-8, a byte order mark, or an encoding charset-normalizer detects."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from search.readers.base import MAX_BYTES, ReadError, read_bytes

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch

# NUL bytes never occur in 8-bit text; looking at the start is enough to tell a binary apart
# (or UTF-16/32, whose ASCII letters each carry a NUL byte).
BINARY_SNIFF_BYTES = 8192
# Longest first: a UTF-32 little-endian mark starts with the UTF-16 one.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
WIDE_ENCODINGS = ("utf_16", "utf_32")
# Windows' Western code page: when charset-normalizer finds several single-byte code pages read a
# text equally well (it often ranks cp1250 first for French or Portuguese), this is the likely one.
PREFERRED_LEGACY = "cp1252"
# What text files on people's computers are saved in: the Windows code pages, the ISO ones in use,
# KOI8 and the CJK encodings (codecs' names); DOS, Mac and rarer ISO code pages only when alone.
COMMON_ENCODINGS = frozenset(
    "cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 cp1258 cp874 "
    "iso8859-1 iso8859-2 iso8859-5 iso8859-7 iso8859-8 iso8859-9 iso8859-15 koi8-r koi8-u "
    "cp932 shift_jis euc_jp iso2022_jp gb2312 gbk gb18030 big5 big5hkscs cp950 cp949 euc_kr".split()
)
# charset-normalizer's matches whose mess measure is this close to the best are all candidates.
CHAOS_MARGIN = 0.05
# Enough text to see which code page puts letters where letters belong.
SAMPLE_BYTES = 64 * 1024


@dataclass(frozen=True)
class TextFile:
    """A text file read whole: its text, the encoding it was read in, the SHA-256 of its bytes."""

    text: str
    encoding: str
    content_hash: str


def read_text_file(path: Path, max_bytes: int = MAX_BYTES) -> TextFile:
    """A text file's text, in whatever encoding it was saved; ReadError when it is not text."""
    data = read_bytes(path, max_bytes)
    text, encoding = decode_text(data)
    return TextFile(text, encoding, hashlib.sha256(data).hexdigest())


def decode_text(data: bytes) -> tuple[str, str]:
    """The text in `data` (newlines made \\n) and the name of the encoding it was read in.

    UTF-8 and byte order marks are taken as they say. Other bytes are given to charset-normalizer,
    which reads legacy code pages (cp1252, Latin-1, Shift-JIS) and UTF-16 without a mark. Bytes no
    encoding reads as text raise ReadError: "binary file" when they hold NUL bytes.
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            name = codec.removesuffix("-sig").upper()
            try:
                return _newlines(data.decode(codec)), codec.removesuffix("-sig")
            except UnicodeDecodeError as e:
                raise ReadError(f"broken {name} text (at offset {e.start})") from None
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return _decode_wide(data)
    try:
        return _newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})"
    return _decode_legacy(data, utf8_error)


def _decode_wide(data: bytes) -> tuple[str, str]:
    """UTF-16 or UTF-32 text saved without a byte order mark; anything else with NULs is binary."""
    # Imported here: only files that are not UTF-8 need it.
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not best.encoding.startswith(WIDE_ENCODINGS):
        raise ReadError("binary file (contains NUL bytes), not text")
    return _newlines(str(best)), codecs.lookup(best.encoding).name


def _decode_legacy(data: bytes, utf8_error: str) -> tuple[str, str]:
    """Text in an 8-bit or multi-byte legacy encoding, chosen among charset-normalizer's matches.

    On a short text its mess measure often cannot tell code pages apart, and may rank a DOS code
    page first ("Cafķ" for "Café" in cp775). So the matches within CHAOS_MARGIN of the least messy
    are narrowed to the encodings people's files are in (COMMON_ENCODINGS), then to those that put
    the fewest digits or symbols against letters ("powiedzia³" is Polish read as cp1252). Of those
    charset-normalizer's first is taken, or cp1252 when it measures exactly the same.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise ReadError(f"{utf8_error}, and no other text encoding reads it")
    least_chaos = min(match.chaos for match in matches)
    candidates = [match for match in matches if match.chaos <= least_chaos + CHAOS_MARGIN]
    candidates = [m for m in candidates if _common_name(m)] or candidates
    sample = data[:SAMPLE_BYTES]
    odd = [_symbols_against_letters(sample.decode(m.encoding, errors="ignore")) for m in candidates]
    candidates = [m for m, count in zip(candidates, odd, strict=True) if count == min(odd)]
    first = candidates[0]
    best = next(
        (
            m
            for m in candidates
            if _could_be(m, PREFERRED_LEGACY)
            and (m.chaos, m.coherence) == (first.chaos, first.coherence)
        ),
        first,
    )
    encoding = _common_name(best) or codecs.lookup(best.encoding).name
    return _newlines(str(best)), encoding


def _common_name(match: CharsetMatch) -> str | None:
    """The common encoding a match decodes as (cp1252 when that is one), or None."""
    if _could_be(match, PREFERRED_LEGACY):
        return PREFERRED_LEGACY
    names = (codecs.lookup(name).name for name in [match.encoding, *match.could_be_from_charset])
    return next((name for name in names if name in COMMON_ENCODINGS), None)


def _symbols_against_letters(text: str) -> int:
    """How many non-ASCII digits and symbols ("³", "¹", "¤") touch a letter: a wrong code page's mark."""
    count = 0
    for i, char in enumerate(text):
        if char.isascii() or unicodedata.category(char)[0] not in "NS":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before.isalpha() or after.isalpha():
            count += 1
    return count


def _could_be(match: CharsetMatch, encoding: str) -> bool:
    """Whether charset-normalizer's match decodes the same way in `encoding`."""
    return encoding == match.encoding or encoding in match.could_be_from_charset


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
