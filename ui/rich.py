"""Untrusted text (articles, file names, the user's own queries) where Qt may read rich text."""

from __future__ import annotations


def as_written(text: str) -> str:
    """`text` for a tooltip, a label or a dialog, shown as written: Qt takes such a text holding
    tags for rich text (a quote with `<img src=…>` would be loaded and drawn), so it is escaped
    into rich text that keeps its spaces and line breaks."""
    import html  # here: its entity tables cost ~2 ms of start-up, when no text is shown yet

    return f'<p style="white-space:pre-wrap">{html.escape(text)}</p>'
