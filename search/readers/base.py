"""What every reader shares: ReadError, article ids, bounded file access and building an Article."""

from __future__ import annotations

import hashlib
import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from search.models import Article, ArticleFormat
from search.readers.dates import find_dateline

# The largest text file read (Markdown, plain text, a saved web page).
MAX_BYTES = 20 * 1024 * 1024
HASH_CHUNK_BYTES = 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as an article; str(e) is the reason, shown to the user."""


@dataclass(frozen=True)
class LeftOut:
    """A part of a file that was left out ("entry 3 (Title)") and why ("no article text")."""

    part: str
    reason: str

    def __str__(self) -> str:
        return f"{self.part}: {self.reason}"


@dataclass
class Reading:
    """What a reader made of one file: its articles, and each part left out with the reason.

    A feed entry, a message or a chapter that cannot be read is left out and the rest are kept;
    `left_out` names each ("entry 3 (Title): no article text") so none is dropped in silence.
    """

    articles: list[Article]
    left_out: list[LeftOut] = field(default_factory=list)


def article_id(path: Path, part: str | None = None) -> str:
    """A short stable id: the first 12 hex digits of the SHA-1 of the resolved path (and the part).

    A file that is one article hashes its path alone, so its id is the one indexes and user state
    have always held; a part is joined by a NUL, which no path contains, so no (path, part) pair
    can hash the same text as another.
    """
    key = str(Path(path).resolve())
    if part is not None:
        key += "\0" + part
    return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def checked_size(path: Path, max_bytes: int) -> int:
    """The size of a regular, non-empty file no larger than `max_bytes`; ReadError saying why not.

    Asked before anything opens the file: a FIFO would block the open, a huge file would be read.
    """
    try:
        info = path.stat()
    except OSError as e:
        raise unreadable(e) from None
    if not stat.S_ISREG(info.st_mode):
        raise ReadError("not a regular file")
    if info.st_size > max_bytes:
        raise ReadError(
            f"too large ({info.st_size / 1024 / 1024:.1f} MB; "
            f"the limit is {max_bytes // 1024 // 1024} MB)"
        )
    if info.st_size == 0:
        raise ReadError("empty file")
    return info.st_size


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The whole file, after checked_size; OSErrors become ReadErrors with the reason."""
    checked_size(path, max_bytes)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise unreadable(e) from None
    if not data.strip():
        raise ReadError("empty file")
    return data


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks: a large PDF is never all in memory at once."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while chunk := file.read(HASH_CHUNK_BYTES):
                digest.update(chunk)
    except OSError as e:
        raise unreadable(e) from None
    return digest.hexdigest()


def unreadable(error: OSError) -> ReadError:
    """The ReadError for an OSError met while reading a file."""
    if isinstance(error, PermissionError):
        return ReadError("unreadable: permission denied")
    if isinstance(error, FileNotFoundError):
        return ReadError("file not found (deleted while reading?)")
    return ReadError(f"unreadable: {error.strerror or error}")


def new_article(
    path: Path,
    fmt: ArticleFormat,
    fields: dict[str, Any],
    *,
    content_hash: str | None = None,
    part: str | None = None,
) -> Article:
    """An Article from a reader's fields (title, body, date, source, url, authors, ...).

    A date missing from the metadata is looked for in the body's dateline. A part without its own
    `content_hash` gets the hash of what was read from it, so an unchanged entry of a changed feed
    keeps its hash (and its stored extraction).
    """
    if not str(fields.get("body") or "").strip():
        raise ReadError("no article text")
    fields = dict(fields)
    fields["title"] = text_or_none(fields.get("title")) or "Untitled"
    if not fields.get("date"):
        fields["date"] = find_dateline(fields["body"])
    if content_hash is None:
        content_hash = hashlib.sha256(
            json.dumps(fields, sort_keys=True, default=str).encode("utf-8", "surrogatepass")
        ).hexdigest()
    resolved = Path(path).resolve()
    return Article(
        id=article_id(resolved, part),
        path=str(resolved),
        format=fmt,
        content_hash=content_hash,
        part=part,
        **fields,
    )


def headline(body: str, *, markdown: bool = False) -> tuple[str, str]:
    """The first non-blank line is the headline (a Markdown '# ' marker dropped); the rest is the body."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.strip():
            title = line.strip()
            if markdown:
                title = title.lstrip("#").strip()
            return title[:300], "\n".join(lines[i + 1 :]).strip("\n")
    return "", body


def text_or_none(value: object) -> str | None:
    """A value as stripped text; None when it is missing or blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def string_list(value: object, sep: str = ",") -> list[str]:
    """A list of names from a list or a `sep`-separated string, blanks dropped."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(sep) if part.strip()]


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


# Leading labels of a host that name a section or a server, not the publisher: news.bbc.co.uk and
# www.bbc.co.uk are one publisher, bbc.co.uk.
HOST_PREFIXES = ("www", "www1", "www2", "www3", "m", "mobile", "amp", "news", "edition")


def source_from_url(url: str | None) -> str | None:
    """A publication name from a URL's host: "Wikinews" for wikinews.org, else the host without
    the labels that name a server or section (www., m., news.): "bbc.co.uk" for news.bbc.co.uk.

    A host is all a URL says: no table of publishers' names is guessed from it.
    """
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower().rstrip(".")
    if host.endswith("wikinews.org"):
        return "Wikinews"
    labels = host.split(".")
    # Keep at least a name and its suffix ("news.com" stays news.com; "www.co.uk" is no host).
    while len(labels) > 2 and labels[0] in HOST_PREFIXES:
        labels = labels[1:]
    return ".".join(labels) or None
