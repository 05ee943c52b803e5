"""Turns an article into the HTML the article view shows: markdown-it-py with raw HTML off, plain text as paragraphs."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from search.models import Article

# markdown-it is imported when the first markdown article is shown: the window opens without it.
if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block.state_block import StateBlock
    from markdown_it.rules_core import StateCore

# Lists and quotes nested deeper than this are flattened into plain paragraphs. markdown-it drops
# everything past its maxNesting without a word, and Qt's rich text drops the rest of the document
# after a list nested about 50 deep; no real article nests 20 deep.
MAX_CONTAINER_DEPTH = 20
# Emphasis and links nested deeper than this lose their markup, keeping their text: Qt takes
# seconds to lay out thousands of nested <strong> ('*' * 10,000 around a word).
MAX_INLINE_DEPTH = 20
# A paragraph with brackets nested deeper than this is shown as plain text: markdown-it's link
# rules take seconds over thousands of nested '[' (10,000 take 0.5-2.5 s, '![' five times that).
MAX_BRACKET_DEPTH = 20

_DEPTH = "briefing_container_depth"  # env key: quotes and lists open around the current line
_DEEPEST = "briefing_flattened_depth"  # env key: the deepest nesting a flattened part reached

# A blockquote marker, or a list marker followed by a space or the end of the line.
_CONTAINER_MARKER = re.compile(r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))")

BlockRule = Callable[["StateBlock", int, int, bool], bool]


def _strip_markers(line: str) -> tuple[str, int]:
    """The line without its leading quote and list markers, and how many there were."""
    position = 0
    count = 0
    while match := _CONTAINER_MARKER.match(line, position):
        position = match.end()
        count += 1
    return line[position:].strip(), count


def _flatten(state: StateBlock, start_line: int, end_line: int) -> bool:
    """Emit the rest of this container's lines as plain paragraphs, their markers removed."""
    # The container ends at the first line indented less than its content (sCount < 0 marks a
    # quote's lazy continuation line, which belongs to it).
    stop = start_line
    while stop < end_line and (
        state.isEmpty(stop) or state.sCount[stop] >= state.blkIndent or state.sCount[stop] < 0
    ):
        stop += 1
    paragraphs: list[list[str]] = [[]]
    deepest = 0
    for line in state.getLines(start_line, stop, state.blkIndent, False).split("\n"):
        text, markers = _strip_markers(line)
        deepest = max(deepest, markers)
        if text:
            paragraphs[-1].append(text)
        elif paragraphs[-1]:
            paragraphs.append([])
    for lines in paragraphs:
        if not lines:
            continue
        # Not "paragraph_open": a tight list hides its paragraphs' tags, which would run these
        # paragraphs together ("word1word2"); a token type of its own keeps its <p>.
        state.push("flattened_paragraph_open", "p", 1).map = [start_line, stop]
        inline = state.push("inline", "", 0)
        inline.content = "\n".join(lines)
        inline.map = [start_line, stop]
        inline.children = []
        state.push("flattened_paragraph_close", "p", -1)
    depth = state.env.get(_DEPTH, 0) + deepest
    state.env[_DEEPEST] = max(state.env.get(_DEEPEST, 0), depth)
    state.line = stop
    return True


def _depth_limited(rule: BlockRule) -> BlockRule:
    """A container rule (quote, list) that counts its depth and flattens what opens too deep."""

    def limited(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if silent:  # a check whether the container starts here: nothing nests
            return rule(state, start_line, end_line, True)
        depth = state.env.get(_DEPTH, 0)
        if depth >= MAX_CONTAINER_DEPTH:
            return rule(state, start_line, end_line, True) and _flatten(state, start_line, end_line)
        state.env[_DEPTH] = depth + 1
        try:
            return rule(state, start_line, end_line, False)
        finally:
            state.env[_DEPTH] = depth

    return limited


def _hr_only_on_marker_lines(rule: BlockRule) -> BlockRule:
    """The thematic-break rule, skipped at once on a line with any other character.

    markdown-it walks the whole line at every list level: on a 1,000-deep '- - - … x' line that
    was 0.2 s per line of quadratic work.
    """

    def hr(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        line = state.src[
            state.bMarks[start_line] + state.tShift[start_line] : state.eMarks[start_line]
        ]
        if line.strip(" \t-*_"):
            return False
        return rule(state, start_line, end_line, silent)

    return hr


def _limit_inline_depth(state: StateCore) -> None:
    """Drop the open and close tags of inline markup nested deeper than MAX_INLINE_DEPTH."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        kept_tags: list[bool] = []  # for each open tag around the current child: was it kept
        depth = 0
        children = []
        for child in token.children:
            if child.nesting == 1:
                kept_tags.append(depth < MAX_INLINE_DEPTH)
                depth += kept_tags[-1]
                if not kept_tags[-1]:
                    continue
            elif child.nesting == -1 and kept_tags:
                kept = kept_tags.pop()
                depth -= kept
                if not kept:
                    continue
            children.append(child)
        token.children = children


_BRACKET = re.compile(r"[\[\]]")


def _bracket_depth(text: str) -> int:
    """How deep '[' nest in `text`; unclosed ones count too (cheap unless the text has many)."""
    if text.count("[") <= MAX_BRACKET_DEPTH:
        return text.count("[")
    depth = deepest = 0
    for bracket in _BRACKET.finditer(text):
        depth = depth + 1 if bracket.group() == "[" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _inline_unless_too_deep(state: StateCore) -> None:
    """markdown-it's inline step, except that text with brackets nested too deep stays plain text."""
    from markdown_it.token import Token

    for token in state.tokens:
        if token.type != "inline":
            continue
        if _bracket_depth(token.content) > MAX_BRACKET_DEPTH:
            plain = Token("text", "", 0)
            plain.content = token.content
            token.children = [plain]
        else:
            token.children = token.children or []
            state.md.inline.parse(token.content, state.md, state.env, token.children)


@functools.cache
def _markdown() -> MarkdownIt:
    """The markdown renderer, built on first use."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import blockquote, hr, list_block

    # "js-default" is markdown-it's preset for untrusted text: raw HTML is escaped, not rendered,
    # and links with unsafe schemes (javascript:, vbscript:, data: except images) are refused.
    md = MarkdownIt("js-default")
    # The alt lists are the rules each container may interrupt, as markdown-it's block parser has them.
    md.block.ruler.at(
        "blockquote",
        _depth_limited(blockquote),
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.block.ruler.at(
        "list", _depth_limited(list_block), {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.block.ruler.at(
        "hr",
        _hr_only_on_marker_lines(hr),
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.core.ruler.at("inline", _inline_unless_too_deep)
    md.core.ruler.push("limit_inline_depth", _limit_inline_depth)
    return md


def _render(article: Article) -> tuple[str, int]:
    """The body as HTML, and how deep its flattened lists and quotes went (0 when none were)."""
    if article.format == "md":
        env: dict[str, int] = {}
        return _markdown().render(article.body, env), env.get(_DEEPEST, 0)
    paragraphs = [part.strip() for part in article.body.split("\n\n") if part.strip()]
    return "".join(
        "<p>" + html.escape(paragraph).replace("\n", "<br>") + "</p>\n" for paragraph in paragraphs
    ), 0


def render_body(article: Article) -> str:
    """The article's body as HTML; markdown articles are rendered, others keep their paragraphs."""
    return _render(article)[0]


def nesting_notice(depth: int) -> str:
    """What the reader is told when lists or quotes `depth` levels deep were flattened."""
    return (
        f"This article nests lists or quotes {depth:,} levels deep; "
        f"shown flattened below level {MAX_CONTAINER_DEPTH}."
    )


LINK_TEXT_CHARS = 60


def source_link(url: str | None) -> str:
    """The article's web address as a link (the view opens it in the system browser), shown
    without its scheme and cut short when long; "" for no address or one that is not http(s)."""
    if not url or not url.startswith(("http://", "https://")):
        return ""
    text = url.split("://", 1)[1].removeprefix("www.")
    if len(text) > LINK_TEXT_CHARS:
        text = text[: LINK_TEXT_CHARS - 1] + "…"
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'


def render_header(article: Article, notice: str = "") -> str:
    """Title and a line of date · source · authors, as exactly two blocks (the body starts after them).

    A notice about how the body is shown goes on a second line of the meta block.
    """
    # A name once: an author who is the source ("BBC News · BBC News") is not repeated.
    source = (article.source or "").strip()
    authors = [a for a in article.authors if a.strip().casefold() != source.casefold()]
    meta = [part for part in (article.date, source, ", ".join(authors)) if part]
    meta_html = html.escape(" · ".join(meta))
    link = source_link(article.url)
    if link:
        meta_html += (" · " if meta_html else "") + link
    if notice:
        meta_html += ("<br>" if meta_html else "") + f"<b>{html.escape(notice)}</b>"
    return f'<h1>{html.escape(article.title)}</h1>\n<p class="meta">{meta_html or "&nbsp;"}</p>\n'


def render_article(article: Article) -> str:
    """Header and body together: the whole document the article view shows."""
    body, flattened_depth = _render(article)
    notice = nesting_notice(flattened_depth) if flattened_depth else ""
    return render_header(article, notice) + body
