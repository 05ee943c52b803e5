"""Untrusted text (articles, file names, the user's own queries) where Qt may read rich text."""

from __future__ import annotations

import html


def plain_tip(text: str) -> str:
    """A tooltip that shows `text` as written: Qt takes a tooltip holding tags for rich text (a
    quote with `<img src=…>` would be loaded and drawn), so it is escaped into rich text that
    keeps its spaces and line breaks."""
    return f'<p style="white-space:pre-wrap">{html.escape(text)}</p>'
