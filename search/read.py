"""Read one article file (Markdown with front matter, plain text, or a saved web page) into an Article."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from search.models import Article

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".md", ".markdown", ".txt", ".html", ".htm"})
MAX_BYTES = 20 * 1024 * 1024
# NUL bytes never occur in text files; looking at the start is enough to tell a binary apart.
BINARY_SNIFF_BYTES = 8192
# Editors on Windows save "Unicode" text as UTF-16 with a byte order mark; it is text, so it is read.
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A dateline sits just under the headline; further down a date is a date in the story, not its own.
DATELINE_WINDOW = 400
# Fewer words than this from a web page means menus or a cookie notice were all the extractor found.
MIN_HTML_WORDS = 10

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(
        _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I
    ),
    re.compile(
        _WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I
    ),
]
FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
TXT_HEADER_LINE = re.compile(
    r"^(?P<key>Title|Date|Source|Licence|License|Author|Authors|URL|Url|Tags):[ \t]*(?P<value>.*)$"
)


class ReadError(Exception):
    """A file that cannot be read as an article; str(e) is the reason, shown to the user."""


def article_id(path: Path) -> str:
    """A short stable id: the first 12 hex digits of the SHA-1 of the resolved path."""
    return hashlib.sha1(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:12]


def read_article(path: Path) -> Article:
    """Read an article file; raises ReadError with a clear reason when it is not a usable article."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            f"unsupported file type {suffix or '(none)'} (supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})"
        )
    data = _read_bytes(path)
    text = _decode(data)
    if suffix in (".html", ".htm"):
        fields = _parse_html(text)
        fmt = "html"
    elif suffix == ".txt":
        fields = _parse_txt(text)
        fmt = "txt"
    else:
        fields = _parse_markdown(text)
        fmt = "md"
    if not fields["body"].strip():
        raise ReadError("no article text (only a header or front matter)")
    if not fields.get("date"):
        fields["date"] = find_dateline(fields["body"])
    resolved = path.resolve()
    return Article(
        id=article_id(resolved),
        path=str(resolved),
        format=fmt,  # type: ignore[arg-type]  # one of the three literals chosen above
        content_hash=hashlib.sha256(data).hexdigest(),
        **fields,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ReadError("not a regular file")
        if size > MAX_BYTES:
            raise ReadError(
                f"too large ({size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB)"
            )
        data = path.read_bytes()
    except PermissionError:
        raise ReadError("unreadable: permission denied") from None
    except FileNotFoundError:
        raise ReadError("file not found (deleted while reading?)") from None
    except OSError as e:
        raise ReadError(f"unreadable: {e.strerror or e}") from None
    if not data.strip():
        raise ReadError("empty file")
    if data.startswith(UTF16_BOMS):
        return data  # UTF-16 text has NUL bytes by nature; _decode handles it
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise ReadError("binary file (contains NUL bytes), not text")
    return data


def _decode(data: bytes) -> str:
    if data.startswith(UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ReadError(f"broken UTF-16 text (at offset {e.start})") from None
        return text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReadError(f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_markdown(text: str) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    body = text
    match = FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group("yaml"))
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f" at line {mark.line + 2}" if mark is not None else ""
            problem = getattr(e, "problem", None) or str(e).splitlines()[0]
            raise ReadError(f"broken YAML front matter{where}: {problem}") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ReadError("broken YAML front matter: expected 'key: value' lines")
        meta = {str(k).lower(): v for k, v in (loaded or {}).items()}
        body = text[match.end() :]
    elif text.startswith("---\n"):
        raise ReadError("broken YAML front matter: no closing '---' line")
    body = body.strip("\n")
    title = _text(meta.get("title"))
    if not title:
        title, body = _headline(body, markdown=True)
    url = _text(meta.get("url") or meta.get("link"))
    return {
        "title": title,
        "body": body,
        # A front matter date that is not a date is ignored: the dateline in the text is tried instead.
        "date": normalize_date(meta.get("date")),
        "source": _text(meta.get("source")) or _source_from_url(url),
        "url": url,
        "authors": _string_list(meta.get("authors", meta.get("author"))),
        "tags": _string_list(meta.get("tags")),
        "licence": _text(meta.get("licence") or meta.get("license")),
    }


def _parse_txt(text: str) -> dict[str, Any]:
    lines = text.strip("\n").split("\n")
    header: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = TXT_HEADER_LINE.match(line)
        if m:
            header[m.group("key").lower()] = m.group("value").strip()
            continue
        if header and not line.strip():
            lines = lines[i + 1 :]
        break
    if "title" not in header:
        header, lines = {}, text.strip("\n").split("\n")
    body = "\n".join(lines).strip("\n")
    title = header.get("title", "")
    if title:
        # The Wikinews texts repeat the headline as their first line; show it once.
        first, _, rest = body.partition("\n")
        if first.strip() == title:
            body = rest.strip("\n")
    else:
        title, body = _headline(body, markdown=False)
    source_field = header.get("source", "")
    url = header.get("url") or (source_field if _is_url(source_field) else None)
    source = source_field if source_field and not _is_url(source_field) else _source_from_url(url)
    return {
        "title": title,
        "body": body,
        "date": normalize_date(header.get("date")),
        "source": source,
        "url": url,
        "authors": _string_list(header.get("authors") or header.get("author")),
        "tags": _string_list(header.get("tags")),
        "licence": header.get("licence") or header.get("license"),
    }


def _parse_html(text: str) -> dict[str, Any]:
    import trafilatura  # imported here: it is slow to import and only HTML files need it

    extracted = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False)
    if extracted is None:
        doc: dict[str, Any] = {}
    else:
        doc = extracted if isinstance(extracted, dict) else extracted.as_dict()
    if len(str(doc.get("text") or "").split()) < MIN_HTML_WORDS:
        raise ReadError("no article text found in the web page")
    title = _text(doc.get("title"))
    paragraphs = [p.strip() for p in str(doc["text"]).split("\n") if p.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not title:
        title = paragraphs.pop(0) if len(paragraphs) > 1 else "Untitled"
    url = _text(doc.get("url"))
    return {
        "title": title,
        "body": "\n\n".join(paragraphs),
        "date": normalize_date(doc.get("date")),
        "source": _text(doc.get("sitename")) or _source_from_url(url),
        "url": url,
        "authors": _string_list(doc.get("author"), sep=";"),
        "tags": _string_list(doc.get("tags") or doc.get("categories")),
        "licence": _text(doc.get("license")),
    }


def _headline(body: str, *, markdown: bool) -> tuple[str, str]:
    """The first non-blank line is the headline (a Markdown '# ' marker dropped); the rest is the body."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            title = line.strip()
            if markdown:
                title = title.lstrip("#").strip()
            return title[:300], "\n".join(lines[i + 1 :]).strip("\n")
    return "", body


def find_dateline(body: str) -> str | None:
    """An ISO date from a dateline such as "Friday, July 21, 2017" near the top of the text."""
    head = body[:DATELINE_WINDOW]
    found = [(m.start(), m) for pattern in DATE_PATTERNS for m in pattern.finditer(head)]
    for _, m in sorted(found, key=lambda pair: pair[0]):
        iso = _date_from_match(m)
        if iso:
            return iso
    return None


def normalize_date(value: object) -> str | None:
    """YYYY-MM-DD from a date, datetime or a string holding one; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    for pattern in DATE_PATTERNS:
        m = pattern.search(value)
        if m:
            iso = _date_from_match(m)
            if iso:
                return iso
    return None


def _date_from_match(m: re.Match[str]) -> str | None:
    month = m.group("month")
    month_number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        return dt.date(int(m.group("year")), month_number, int(m.group("day"))).isoformat()
    except ValueError:
        return None


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _string_list(value: object, sep: str = ",") -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(sep) if part.strip()]


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def _source_from_url(url: str | None) -> str | None:
    """A publication name from a URL's host: "Wikinews" for wikinews.org, else the bare host name."""
    if not url:
        return None
    host = urlparse(url).hostname or ""
    if host.endswith("wikinews.org"):
        return "Wikinews"
    return host.removeprefix("www.") or None
