"""A subscribed feed's entry as an article file: its key, its full text when the feed gives a summary, its Markdown."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from search.fetch import PAGE_ACCEPT, FetchError, Response, is_web_address
from search.readers.base import ReadError, text_or_none
from search.readers.encoding import decode_text
from search.readers.feed import entry_fields

# An entry without full content whose text is shorter than this is taken as a summary, and its
# page is fetched for the full text (feeds that carry whole articles put them in the content, or
# in a description far longer than this).
SUMMARY_WORDS = 150
MAX_PAGE_BYTES = 5 * 1024 * 1024
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
KEY_CHARS = 12
MAX_SLUG_CHARS = 60

# What a page fetch looks like to this module: url, accept, max_bytes → Response or FetchError.
PageFetcher = Callable[[str, str, int], Response]


@dataclass
class EntryArticle:
    """One entry ready to write: its key, fields, where its text came from, and any note on it."""

    key: str
    fields: dict[str, Any]
    text_from: str  # "feed" | "page" | "summary"
    note: str | None = None  # why the summary was kept ("the page: HTTP 404")

    def file_name(self) -> str:
        """`<title-slug>-<key>.md`: readable in a file manager, and the key finds it again."""
        slug = re.sub(r"[^\w]+", "-", str(self.fields.get("title") or "").lower()).strip("-_")
        slug = slug[:MAX_SLUG_CHARS].rstrip("-_")
        return f"{slug}-{self.key}.md" if slug else f"{self.key}.md"


def entry_key(entry: Any) -> str:
    """A stable key for an entry: a hash of its id, else its link, else its title and text."""
    identity = text_or_none(entry.get("id")) or text_or_none(entry.get("link"))
    if identity is None:
        identity = f"{entry.get('title', '')}\0{entry.get('summary', '')}"
    return hashlib.sha1(identity.encode("utf-8", "surrogatepass")).hexdigest()[:KEY_CHARS]


def key_of_file(name: str) -> str | None:
    """The entry key in a file name written by `EntryArticle.file_name`, or None."""
    stem = name.removesuffix(".md")
    key = stem.rsplit("-", 1)[-1]
    if len(key) == KEY_CHARS and all(c in "0123456789abcdef" for c in key) and stem != name:
        return key
    return None


def needs_full_text(entry: Any, body: str) -> bool:
    """Whether the feed carries only a summary of this entry: no content, and a short text."""
    has_content = any(str(c.get("value") or "").strip() for c in entry.get("content", []))
    return not has_content and len(body.split()) < SUMMARY_WORDS


def entry_article(entry: Any, source: str | None, fetch_page: PageFetcher | None) -> EntryArticle:
    """The entry's fields; a summary-only entry's text is taken from its page when `fetch_page` is
    given. A page that cannot be fetched or read leaves the summary, with a note saying why."""
    fields = entry_fields(entry)
    fields["source"] = source
    article = EntryArticle(entry_key(entry), fields, "feed")
    if fetch_page is None or not needs_full_text(entry, fields["body"]):
        return article
    link = fields.get("url")
    if not link or not is_web_address(link):
        article.text_from = "summary"
        article.note = "no web link to fetch the full text from"
        return article
    try:
        page = page_text(link, fetch_page)
    except (FetchError, ReadError) as error:
        article.text_from = "summary"
        article.note = f"the page {link}: {error}"
        return article
    if len(page["body"].split()) <= len(fields["body"].split()):
        article.text_from = "summary"
        article.note = f"the page {link} had no more text than the feed"
        return article
    fields["body"] = page["body"]
    fields["date"] = fields.get("date") or page.get("date")
    fields["authors"] = fields.get("authors") or page.get("authors") or []
    article.text_from = "page"
    return article


def page_text(url: str, fetch_page: PageFetcher) -> dict[str, Any]:
    """The main text (and date, authors) of the web page at `url`, found by trafilatura."""
    from search.readers.web import parse_web_page  # trafilatura: imported when a page is read

    response = fetch_page(url, PAGE_ACCEPT, MAX_PAGE_BYTES)
    if response.content_type and response.content_type not in PAGE_TYPES:
        raise ReadError(f"not a web page ({response.content_type})")
    return parse_web_page(_page_html(response))


def _page_html(response: Response) -> str:
    """A page's text in the charset its server named, else as search/readers decodes files."""
    if response.charset:
        try:
            return response.body.decode(response.charset, errors="replace")
        except LookupError:
            pass  # a charset Python does not know: detected below instead
    return decode_text(response.body)[0]


def article_markdown(article: EntryArticle, feed_url: str) -> str:
    """The Markdown article file: YAML front matter, then the text with Markdown's marks escaped.

    The text is plain (HTML was read as text), so escaping keeps it shown exactly as written.
    """
    fields = article.fields
    meta: dict[str, Any] = {
        "title": fields.get("title") or "Untitled",
        "date": fields.get("date"),
        "source": fields.get("source"),
        "url": fields.get("url"),
        "authors": fields.get("authors") or None,
        "tags": fields.get("tags") or None,
        "feed": feed_url,
        "text": article.text_from,
        "note": article.note,
    }
    front = yaml.safe_dump(
        {k: v for k, v in meta.items() if v is not None},
        allow_unicode=True,
        sort_keys=False,
        width=10_000,
    )
    return f"---\n{front}---\n\n{escape_markdown(fields['body'])}\n"


# Marks that are Markdown anywhere in a line, and entity references ("&amp;").
_INLINE_MARKS = re.compile(r"([\\`*_\[\]~]|<(?=[A-Za-z/!?])|&(?=#?\w+;))")
# Marks that are Markdown at the start of a line: headings, quotes, list items, setext underlines,
# table rows; a numbered item keeps its number and has its dot escaped.
_LINE_MARKS = re.compile(r"^(?:([#>|+=-])|(\d{1,9})([.)]))")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders as the same text: blocks stay blocks, no mark is read."""
    lines = []
    for raw in text.split("\n"):
        # Leading spaces would make a code block; trailing ones a hard line break.
        line = _INLINE_MARKS.sub(r"\\\1", raw.strip())
        lines.append(_LINE_MARKS.sub(_escape_line_mark, line))
    return "\n".join(lines).strip("\n")


def _escape_line_mark(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"
