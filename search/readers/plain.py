"""Plain-text articles, with an optional header of "Title:", "Date:", "Source:" lines (as Wikinews texts have)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from search.readers.base import (
    ReadError,
    Reading,
    headline,
    is_url,
    new_article,
    source_from_url,
    string_list,
)
from search.readers.dates import normalize_date
from search.readers.encoding import read_text_file

TXT_HEADER_LINE = re.compile(
    r"^(?P<key>Title|Date|Source|Licence|License|Author|Authors|URL|Url|Tags):[ \t]*(?P<value>.*)$"
)


def read(path: Path) -> Reading:
    """The one article in a text file."""
    file = read_text_file(path)
    fields = parse_plain_text(file.text)
    if not fields["body"].strip():
        raise ReadError("no article text (only a header or front matter)")
    fields["encoding"] = file.encoding
    return Reading([new_article(path, "txt", fields, content_hash=file.content_hash)])


def parse_plain_text(text: str) -> dict[str, Any]:
    """The article's fields from plain text: the header's, or the first line as the headline."""
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
        title, body = headline(body)
    source_field = header.get("source", "")
    url = header.get("url") or (source_field if is_url(source_field) else None)
    source = source_field if source_field and not is_url(source_field) else source_from_url(url)
    return {
        "title": title,
        "body": body,
        "date": normalize_date(header.get("date")),
        "source": source,
        "url": url,
        "authors": string_list(header.get("authors") or header.get("author")),
        "tags": string_list(header.get("tags")),
        "licence": header.get("licence") or header.get("license"),
    }
