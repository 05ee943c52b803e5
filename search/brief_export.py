"""A brief as text for others: Markdown, and HTML for the body of an e-mail (the PDF is laid out
by ui/brief_print.py). Article text is untrusted: every piece of it is escaped for its format."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from search.models import BriefDocument, BriefEntry, FigureCorroboration, QuoteCorroboration
from search.text import long_date

NO_ITEMS = "This brief has no items."
DISPUTED = "sources differ:"


def brief_since_line(entry: BriefEntry) -> str:
    """'Since last brief (12 May 2026): killed: 107 → 111; …', or '' when nothing earlier."""
    since = entry.since
    if since is None:
        return ""
    changes = "; ".join(since.changes()) or "nothing new"
    return f"Since last brief ({long_date(since.issued_at)}): {changes}"


def brief_support(found: FigureCorroboration | QuoteCorroboration | None) -> tuple[str, bool]:
    """What the brief prints after a key figure or quote: "3 sources", or where sources give
    another number "sources differ: 111 (BBC, Reuters) / 107 (Wikinews)" with True, for each
    format to make it stand out; ("", False) when no other source carries it."""
    if found is None or not found.suffix:
        return "", False
    if isinstance(found, FigureCorroboration) and found.disputed:
        return f"{DISPUTED} {found.suffix}", True
    return found.suffix, False


def brief_who_where(entry: BriefEntry) -> tuple[str, str]:
    """The item's actors with their roles, and its places, each as one line."""
    who = "; ".join(f"{name}, {role}" if role else name for name, role in entry.actors)
    where = "; ".join(name for name, _country in entry.places)
    return who, where


def cover_lines(document: BriefDocument) -> list[str]:
    """The cover's lines under the title: date, author, and how many items."""
    count = len(document.entries)
    lines = [document.date]
    if document.author:
        lines.append(f"Prepared by {document.author}")
    lines.append(f"{count} item{'' if count == 1 else 's'}")
    if document.missing:
        lines.append(f"Left out, no longer in the library: {', '.join(document.missing)}")
    return lines


# -- Markdown ------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def md_escape(text: str) -> str:
    """Text as written in Markdown: marks, brackets and HTML are backslash-escaped, so a title
    with "<script>" or "*" in it shows as text; a line starting like a list or heading stays text."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return re.sub(
        r"^(\d+)\.|^-", lambda m: m.group(0).replace(".", "\\.").replace("-", "\\-"), escaped
    )


def to_markdown(document: BriefDocument) -> str:
    """The brief as one Markdown document: the cover, then each item."""
    lines: list[str] = []
    if document.handling:
        lines += [f"**{md_escape(document.handling)}**", ""]
    lines += [f"# {md_escape(document.title)}", ""]
    lines += [md_escape(line) + "  " for line in cover_lines(document)]
    if not document.entries:
        lines += ["", NO_ITEMS]
    for entry in document.entries:
        lines += ["", "---", "", f"## {entry.position}. {md_escape(entry.headline)}", ""]
        meta = " · ".join(part for part in (entry.source, entry.date or "undated") if part)
        lines += [f"*{md_escape(meta)}*", ""]
        lines += [f"**Bottom line:** {md_escape(entry.bottom_line)}", ""]
        if entry.so_what:
            lines += [f"**So what:** {md_escape(entry.so_what)}", ""]
        if entry.note:
            lines += [f"**Note:** {md_escape(entry.note)}", ""]
        since = brief_since_line(entry)
        if since:
            lines += [f"**{md_escape(since)}**", ""]
        if entry.figures:
            lines += ["**Key figures**", ""]
            lines += [
                f"- **{md_escape(n)}** {md_escape(what)}{_md_support(found)}"
                for n, what, found in entry.key_figures()
            ]
            lines.append("")
        who, where = brief_who_where(entry)
        if who:
            lines += [f"**Who:** {md_escape(who)}  "]
        if where:
            lines += [f"**Where:** {md_escape(where)}  "]
        for speaker, text, found in entry.key_quotes():
            lines += ["", f"> “{md_escape(text)}” — {md_escape(speaker)}{_md_support(found)}"]
        lines += ["", f"Source: {md_escape(entry.credit or entry.source)}"]
    if document.handling:
        lines += ["", "---", "", f"**{md_escape(document.handling)}**"]
    return "\n".join(lines).rstrip() + "\n"


def _md_support(found: FigureCorroboration | QuoteCorroboration | None) -> str:
    text, disputed = brief_support(found)
    if not text:
        return ""
    # Sources that disagree are what a briefer must see: marked and in italics.
    return f" — ⚠ *{md_escape(text)}*" if disputed else f" ({md_escape(text)})"


# -- HTML for an e-mail body ----------------------------------------------------------------------

# Mail clients drop <style> blocks and classes: every rule is inline.
_BODY = "font-family: Georgia, 'Times New Roman', serif; color: #1a1a1a; max-width: 42em;"
_HANDLING = (
    "font-family: Arial, sans-serif; font-size: 12px; font-weight: bold; letter-spacing: 1px; "
    "text-transform: uppercase; color: #8b0000; border: 1px solid #8b0000; padding: 4px 8px;"
)
_LABEL = "font-family: Arial, sans-serif; font-size: 12px; font-weight: bold; color: #555;"
_META = "font-family: Arial, sans-serif; font-size: 12px; color: #666; margin: 0 0 8px 0;"
_SINCE = "background: #fff6d6; border-left: 3px solid #c99700; padding: 4px 8px; margin: 8px 0;"
_QUOTE = "border-left: 3px solid #bbb; margin: 8px 0; padding: 0 0 0 10px; color: #333;"
_SUPPORT = "font-family: Arial, sans-serif; font-size: 12px; color: #666;"
_DISPUTED = "font-style: italic; color: #8b0000;"


def to_html(document: BriefDocument) -> str:
    """The brief as one self-contained HTML document for an e-mail body: inline styles only, no
    scripts, images or outside links but each item's own source address; everything escaped."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(document.title)}</title></head>",
        f'<body style="{_BODY}">',
    ]
    handling = f'<p><span style="{_HANDLING}">{esc(document.handling)}</span></p>'
    if document.handling:
        parts.append(handling)
    parts.append(f'<h1 style="margin: 12px 0 4px 0;">{esc(document.title)}</h1>')
    parts.append(f'<p style="{_META}">' + "<br>".join(map(esc, cover_lines(document))) + "</p>")
    if not document.entries:
        parts.append(f"<p>{esc(NO_ITEMS)}</p>")
    rule = '<hr style="border: 0; border-top: 1px solid #ccc; margin: 18px 0;">'
    for entry in document.entries:
        parts.append(entry_html(entry, EMAIL_LOOK, rule))
    if document.handling:
        parts.append('<hr style="border: 0; border-top: 1px solid #ccc;">' + handling)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class HtmlLook:
    """How one HTML form of the brief marks an item's parts: inline styles for an e-mail (mail
    clients drop classes), classes for the PDF (Qt's rich text takes a style sheet). `marks` maps
    each part (h2, meta, field, label, since, table, cell, number, quote, source, support,
    disputed) to
    its attributes."""

    marks: Mapping[str, str]
    quote_tag: str = "p"  # the element a quote is set in
    links: bool = False  # the source's web address as a link


EMAIL_LOOK = HtmlLook(
    {
        "h2": 'style="margin: 0 0 2px 0;"',
        "meta": f'style="{_META}"',
        "field": 'style="margin: 6px 0;"',
        "label": f'style="{_LABEL}"',
        "since": f'style="{_SINCE}"',
        "table": "",
        "cell": 'style="padding: 1px 10px 1px 0; white-space: nowrap;"',
        "number": 'style="font-weight: bold;"',
        "quote": f'style="{_QUOTE}"',
        "source": f'style="{_META}"',
        "support": f'style="{_SUPPORT}"',
        "disputed": f'style="{_DISPUTED}"',
    },
    quote_tag="blockquote",
    links=True,
)


def entry_html(entry: BriefEntry, look: HtmlLook, start: str) -> str:
    """One item of the brief as HTML after `start` (a rule, a page break): the one place an
    item's parts are put in order, for the e-mail and the PDF alike; every text escaped."""
    esc, mark = html.escape, look.marks

    def field(label: str, text: str) -> str:
        return f"<p {mark['field']}><span {mark['label']}>{esc(label)}:</span> {esc(text)}</p>"

    def support(found: FigureCorroboration | QuoteCorroboration | None) -> str:
        text, disputed = brief_support(found)
        if not text:
            return ""
        if disputed:  # sources giving another number: what a briefer must not miss
            return f" <span {mark['disputed']}>⚠ {esc(text)}</span>"
        return f" <span {mark['support']}>({esc(text)})</span>"

    out = [start, f"<h2 {mark['h2']}>{entry.position}. {esc(entry.headline)}</h2>"]
    meta = " · ".join(part for part in (entry.source, entry.date or "undated") if part)
    out.append(f"<p {mark['meta']}>{esc(meta)}</p>")
    out.append(field("Bottom line", entry.bottom_line))
    if entry.so_what:
        out.append(field("So what", entry.so_what))
    if entry.note:
        out.append(field("Note", entry.note))
    since = brief_since_line(entry)
    if since:
        out.append(f"<p {mark['since']}>{esc(since)}</p>")
    if entry.figures:
        rows = "".join(
            f"<tr><td {mark['cell']}><span {mark['number']}>{esc(number)}</span></td>"
            f"<td>{esc(what)}{support(found)}</td></tr>"
            for number, what, found in entry.key_figures()
        )
        out.append(f"<p {mark['label']}>Key figures</p><table {mark['table']}>{rows}</table>")
    who, where = brief_who_where(entry)
    if who:
        out.append(field("Who", who))
    if where:
        out.append(field("Where", where))
    tag = look.quote_tag
    for speaker, text, found in entry.key_quotes():
        out.append(f"<{tag} {mark['quote']}>“{esc(text)}” — {esc(speaker)}{support(found)}</{tag}>")
    source = esc(entry.credit or entry.source)
    if look.links and entry.url.startswith(("http://", "https://")):
        source += f' — <a href="{esc(entry.url, quote=True)}">link</a>'
    out.append(f"<p {mark['source']}>Source: {source}</p>")
    return "\n".join(out)


def write_text_export(document: BriefDocument, kind: str, out: Path) -> None:
    """Write the Markdown ("md") or HTML ("html") export to `out` whole: a temporary file beside
    it, then renamed, so a failure never leaves half a brief."""
    writers = {"md": to_markdown, "html": to_html}
    if kind not in writers:
        raise ValueError(f"unknown export {kind!r}: choose one of {', '.join(writers)}")
    text = writers[kind](document)
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
