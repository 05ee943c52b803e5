"""Highlights: passages the user marked in an article, kept in the user's store and found again in
the article's text after it is re-indexed or its file edited.

A highlight is anchored as the W3C Web Annotation TextQuoteSelector anchors one: the exact text,
about CONTEXT_CHARS characters before and after it, and its offset as a hint. Offsets alone would
drift when text is added above; the words and their context do not. Text is compared with runs
of whitespace as one space, so a re-wrapped paragraph still holds its highlight. When the exact
text is gone, or is only found where its context does not agree, `locate_highlight` says so (None): a
highlight is never moved onto other words in silence.

The text is whatever the caller shows (the window anchors to the article as rendered).
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass

from search.models import Highlight
from search.store import Store, next_id, now

CONTEXT_CHARS = 32
# An occurrence of the exact text is the highlight's when this many characters of its context
# (before and after together) still agree: a short passage ("the") must be where it was.
MIN_CONTEXT_AGREEMENT = 8
# A passage this long is its own anchor: found once in the text, it is the highlight's even when
# the text around it changed.
SELF_ANCHORING_CHARS = 40
_SPACE = re.compile(r"\s+")


class HighlightError(ValueError):
    """A highlight that cannot be made as asked; str(e) says why."""


@dataclass(frozen=True)
class QuoteSelector:
    """Where a passage is, as words: the exact text and its context, with its offset as a hint."""

    exact: str
    prefix: str
    suffix: str
    start_hint: int


def _collapsed(text: str) -> tuple[str, list[int]]:
    """The text with each run of whitespace as one space, and each of its characters' offset in
    `text` (one more entry: the end)."""
    out: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _SPACE.finditer(text):
        for i in range(position, match.start()):
            out.append(text[i])
            offsets.append(i)
        out.append(" ")
        offsets.append(match.start())
        position = match.end()
    for i in range(position, len(text)):
        out.append(text[i])
        offsets.append(i)
    offsets.append(len(text))
    return "".join(out), offsets


def quote_selector(text: str, start: int, end: int) -> QuoteSelector:
    """The selector for text[start:end] (whitespace at its ends left out)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    exact = " ".join(text[start:end].split())
    if not exact:
        raise HighlightError("select some words to highlight first")
    prefix = _collapsed(text[max(0, start - CONTEXT_CHARS * 3) : start])[0][-CONTEXT_CHARS:]
    suffix = _collapsed(text[end : end + CONTEXT_CHARS * 3])[0][:CONTEXT_CHARS]
    return QuoteSelector(exact, prefix, suffix, start)


def sentence_at(text: str, offset: int) -> tuple[int, int] | None:
    """The [start, end) of the sentence of `text` holding `offset` (search.text's one splitter):
    what a highlight made from the keyboard, on the current hit, covers."""
    from search.text import sentences

    for start, end in sentences(text):
        if start <= offset < end:
            return start, end
    return None


def locate_highlight(text: str, highlight: Highlight | QuoteSelector) -> tuple[int, int] | None:
    """Where the highlight's words are in `text` now, as [start, end) offsets; None when they
    are gone, or found only where their context does not agree (see the module's docstring)."""
    collapsed, offsets = _collapsed(text)
    exact = " ".join(highlight.exact.split())
    if not exact:
        return None
    found: list[int] = []
    position = collapsed.find(exact)
    while position >= 0:
        found.append(position)
        position = collapsed.find(exact, position + 1)
    if not found:
        return None
    context = len(highlight.prefix) + len(highlight.suffix)
    needed = min(MIN_CONTEXT_AGREEMENT, context)
    best: tuple[int, int, int] | None = None  # (agreement, -distance from the hint, start)
    for start in found:
        end = start + len(exact)
        agreement = _common_suffix(highlight.prefix, collapsed[:start]) + _common_prefix(
            highlight.suffix, collapsed[end:]
        )
        self_anchored = len(found) == 1 and len(exact) >= SELF_ANCHORING_CHARS
        if agreement < needed and not self_anchored:
            continue
        candidate = (agreement, -abs(offsets[start] - highlight.start_hint), start)
        if best is None or candidate > best:
            best = candidate
    if best is None:
        return None
    start = best[2]
    return offsets[start], offsets[start + len(exact) - 1] + 1


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


# Kept in the store


def add_highlight(store: Store, article_id: str, selector: QuoteSelector) -> Highlight:
    """Keep a highlight of the article; it comes back with its id."""
    with store.transaction("saved") as db:
        highlight = Highlight(
            next_id(db, "highlight"),
            article_id,
            selector.exact,
            selector.prefix,
            selector.suffix,
            selector.start_hint,
            now(),
        )
        db.execute(
            "INSERT INTO highlight (id, article_id, exact, prefix, suffix, start_hint, made) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            astuple(highlight),
        )
    return highlight


def highlights(store: Store, article_id: str | None = None) -> list[Highlight]:
    """The article's highlights (every article's with None), in the order they were made."""
    where, values = ("WHERE article_id = ?", (article_id,)) if article_id else ("", ())
    with store.reading("read") as db:
        rows = db.execute(
            "SELECT id, article_id, exact, prefix, suffix, start_hint, made FROM highlight "
            f"{where} ORDER BY id",
            values,
        ).fetchall()
    return [Highlight(*row) for row in rows]


def remove_highlight(store: Store, highlight_id: int) -> bool:
    """Remove one highlight; False when there is none with that id."""
    with store.transaction("saved") as db:
        removed = db.execute("DELETE FROM highlight WHERE id = ?", (highlight_id,)).rowcount
    return bool(removed)
