"""RSS and Atom feed files: each entry an article with its link, date and authors; the feed's title is the source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from search.readers.base import (
    MAX_BYTES,
    LeftOut,
    ReadError,
    Reading,
    new_article,
    read_bytes,
    string_list,
    text_or_none,
)
from search.readers.web import html_to_text

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def read(path: Path) -> Reading:
    """Each entry of the feed as an article, keyed by its id (or link)."""
    import feedparser  # imported here: only feeds need it

    data = read_bytes(path, MAX_BYTES)
    # Given bytes, feedparser parses them and never fetches anything; it also sanitizes the HTML.
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        if not parsed.get("version"):
            detail = f" ({problem})" if problem else ""
            raise ReadError(f"not an RSS or Atom feed{detail}")
        raise ReadError(f"a feed without entries{f' (broken: {problem})' if problem else ''}")
    source = text_or_none(parsed.feed.get("title"))
    reading = Reading([])
    parts: set[str] = set()
    for number, entry in enumerate(parsed.entries, 1):
        part = _part(entry, number, parts)
        try:
            fields = entry_fields(entry)
            fields["source"] = source
            reading.articles.append(new_article(path, "feed", fields, part=part))
        except ReadError as e:
            label = text_or_none(entry.get("title")) or part
            reading.left_out.append(LeftOut(f"entry {number} ({label})", str(e)))
    if not reading.articles:
        raise ReadError(f"no readable entries in the feed ({reading.left_out[0]})")
    return reading


def _part(entry: Any, number: int, taken: set[str]) -> str:
    """An entry's key in the file: its id, else its link, else its place; unique within the file."""
    part = text_or_none(entry.get("id")) or text_or_none(entry.get("link")) or f"#{number}"
    if part in taken:
        part = f"{part}#{number}"
    taken.add(part)
    return part


def entry_fields(entry: Any) -> dict[str, Any]:
    """Title, text ("" when it has none), date, link, authors and tags of one entry.

    Subscriptions write them as article files (search/feeds.py), fetching the text when it is short.
    """
    body = _entry_text(entry)
    title = text_or_none(entry.get("title"))
    if title and entry.get("title_detail", {}).get("type") in HTML_TYPES:
        title = html_to_text(title).replace("\n\n", " ")
    names = [text_or_none(author.get("name")) for author in entry.get("authors", [])]
    authors = list(dict.fromkeys(name for name in names if name))
    return {
        "title": title or body.split("\n", 1)[0][:120],
        "body": body,
        "date": _entry_date(entry),
        "url": text_or_none(entry.get("link")),
        "authors": authors or string_list(entry.get("author")),
        "tags": [term for tag in entry.get("tags", []) if (term := text_or_none(tag.get("term")))],
    }


def _entry_text(entry: Any) -> str:
    """The entry's fullest text: its content if it has one, else its summary, HTML read as text."""
    candidates = [*entry.get("content", [])]
    if entry.get("summary_detail"):
        candidates.append(entry["summary_detail"])
    texts = []
    for candidate in candidates:
        value = str(candidate.get("value") or "")
        if candidate.get("type") in HTML_TYPES:
            value = html_to_text(value)
        if value.strip():
            texts.append(value.strip())
    return max(texts, key=len, default="")


def _entry_date(entry: Any) -> str | None:
    """The published (else updated) date, as feedparser parsed it (in UTC)."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
            except ValueError:
                continue
    return None
