"""Markdown articles, with their YAML front matter (title, date, source, url, authors, tags, licence)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from search.readers.base import (
    ReadError,
    Reading,
    headline,
    new_article,
    source_from_url,
    string_list,
    text_or_none,
)
from search.readers.dates import normalize_date
from search.readers.encoding import read_text_file

FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)


def read(path: Path) -> Reading:
    """The one article in a Markdown file."""
    file = read_text_file(path)
    fields = parse_markdown(file.text)
    if not fields["body"].strip():
        raise ReadError("no article text (only a header or front matter)")
    fields["encoding"] = file.encoding
    return Reading([new_article(path, "md", fields, content_hash=file.content_hash)])


def parse_markdown(text: str) -> dict[str, Any]:
    """The article's fields from Markdown text; the body stays Markdown."""
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
    title = text_or_none(meta.get("title"))
    if not title:
        title, body = headline(body, markdown=True)
    url = text_or_none(meta.get("url") or meta.get("link"))
    return {
        "title": title,
        "body": body,
        # A front matter date that is not a date is ignored: the dateline in the text is tried instead.
        "date": normalize_date(meta.get("date")),
        "source": text_or_none(meta.get("source")) or source_from_url(url),
        "url": url,
        "authors": string_list(meta.get("authors", meta.get("author"))),
        "tags": string_list(meta.get("tags")),
        "licence": text_or_none(meta.get("licence") or meta.get("license")),
    }
