"""Turns an article into the HTML the article view shows: markdown-it-py with raw HTML off, plain text as paragraphs."""

from __future__ import annotations

import html

from markdown_it import MarkdownIt

from search.models import Article

# "js-default" is markdown-it's preset for untrusted text: raw HTML is escaped, not rendered,
# and links with unsafe schemes (javascript:, vbscript:, data: except images) are refused.
_MARKDOWN = MarkdownIt("js-default")


def render_body(article: Article) -> str:
    """The article's body as HTML; markdown articles are rendered, others keep their paragraphs."""
    if article.format == "md":
        return _MARKDOWN.render(article.body)
    paragraphs = [part.strip() for part in article.body.split("\n\n") if part.strip()]
    return "".join(
        "<p>" + html.escape(paragraph).replace("\n", "<br>") + "</p>\n" for paragraph in paragraphs
    )


def render_header(article: Article) -> str:
    """Title and a line of date · source · authors, as exactly two blocks (the body starts after them)."""
    meta = [part for part in (article.date, article.source, ", ".join(article.authors)) if part]
    return (
        f"<h1>{html.escape(article.title)}</h1>\n"
        f'<p class="meta">{html.escape(" · ".join(meta)) or "&nbsp;"}</p>\n'
    )


def render_article(article: Article) -> str:
    """Header and body together: the whole document the article view shows."""
    return render_header(article) + render_body(article)
