"""The `briefing brief …` commands: assemble a brief from the shell, show it, export it.

A title, id or position that does not fit exits 2; an index or store that cannot be used exits 1.
The PDF is laid out with Qt (ui/brief_print.py), which main.py hands in: the engine stays Qt-free.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from search.models import Brief, BriefDocument, StoredArticle

if TYPE_CHECKING:  # the parser is built for every command: the engine loads only for `brief`
    from search.api import Library

# Writes the brief (or, with cards, one card per item) as a PDF; returns what it wrote, for people.
PdfWriter = Callable[[BriefDocument, list[StoredArticle], Path, bool], str]


def add_brief_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`brief new|add|note|remove|move|show|list|export|delete`."""
    p_brief = sub.add_parser(
        "brief", help="assemble a brief of several articles, each with your note, and export it"
    )
    actions = p_brief.add_subparsers(dest="action", required=True)
    new = actions.add_parser("new", help="start an empty brief")
    new.add_argument("title")
    new.add_argument("--author", default="", help="who prepared it (printed on the cover)")
    new.add_argument(
        "--handling",
        default="",
        help='the handling line on the cover and every page, e.g. "OFFICIAL — for the Minister"',
    )
    add = actions.add_parser("add", help="append articles (ids from `briefing search`)")
    add.add_argument("title")
    add.add_argument("ids", nargs="+", metavar="ID")
    note = actions.add_parser("note", help="the item's own note in this brief ('' clears it)")
    note.add_argument("title")
    note.add_argument("id", metavar="ID")
    note.add_argument("text")
    remove = actions.add_parser("remove", help="take an article out of the brief")
    remove.add_argument("title")
    remove.add_argument("id", metavar="ID")
    move = actions.add_parser("move", help="put an item at POSITION (1 = first)")
    move.add_argument("title")
    move.add_argument("id", metavar="ID")
    move.add_argument("position", type=int)
    show = actions.add_parser("show", help="the brief's items as it would be issued now")
    show.add_argument("title")
    show.add_argument("--json", action="store_true", help="print it as JSON")
    listing = actions.add_parser("list", help="every brief with its items and last issue")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    export = actions.add_parser(
        "export", help="write the brief as PDF, Markdown or e-mail HTML (recorded as issued)"
    )
    export.add_argument("title")
    kind = export.add_mutually_exclusive_group(required=True)
    kind.add_argument("--pdf", metavar="OUT", help="a cover, then each item")
    kind.add_argument("--md", metavar="OUT", help="Markdown")
    kind.add_argument("--html", metavar="OUT", help="one HTML document for an e-mail body")
    export.add_argument(
        "--cards", action="store_true", help="with --pdf: one briefing card per item instead"
    )
    delete = actions.add_parser("delete", help="delete a brief and the record of its issues")
    delete.add_argument("title")


def cmd_brief(args: argparse.Namespace, pdf: Callable[[], PdfWriter] | None = None) -> int:
    """Run one `briefing brief` action; `pdf` gives the PDF writer when an export needs it."""
    from search.api import Library
    from search.briefs import BriefError
    from search.cli_common import with_opened

    return with_opened(
        Library.open,
        args,
        f"briefing brief {args.action}",
        lambda library, a: _act(library, a, pdf),
        bad_input=(BriefError,),
        unusable=(OSError,),  # a full disk, a file the system will not let us write
    )


def _act(library: Library, args: argparse.Namespace, pdf: Callable[[], PdfWriter] | None) -> int:
    action = args.action
    if action == "new":
        brief = library.new_brief(args.title, args.author, args.handling)
        print(f'started the brief "{brief.title}"; add articles with `briefing brief add`')
    elif action == "add":
        added = library.add_to_brief(args.title, args.ids)
        already = [i for i in args.ids if i not in added]
        brief = library.brief(args.title)
        print(f'added {len(added)} to "{brief.title}" ({_items(len(brief.items))})')
        if already:
            print(f"already in it: {', '.join(already)}", file=sys.stderr)
    elif action == "note":
        library.note_brief_item(args.title, args.id, args.text)
        print(f"noted {args.id}" if args.text.strip() else f"cleared the note of {args.id}")
    elif action == "remove":
        library.remove_from_brief(args.title, args.id)
        print(f"removed {args.id}")
    elif action == "move":
        position = library.move_in_brief(args.title, args.id, args.position)
        print(f"moved {args.id} to position {position}")
    elif action == "delete":
        print(f'deleted the brief "{library.delete_brief(args.title)}"')
    elif action == "list":
        _list(library.briefs(), as_json=args.json)
    elif action == "show":
        _show(library.brief(args.title), library.brief_document(args.title), as_json=args.json)
    elif action == "export":
        return _export(library, args, pdf)
    return 0


def _export(library: Library, args: argparse.Namespace, pdf: Callable[[], PdfWriter] | None) -> int:
    out = Path(args.pdf or args.md or args.html)
    # An output that cannot be a file is bad input (exit 2), as for `briefing state export`.
    if not out.parent.is_dir():
        print(
            f"briefing brief export: cannot write {out}: folder {out.parent} does not exist",
            file=sys.stderr,
        )
        return 2
    if out.is_dir():
        print(f"briefing brief export: cannot write {out}: it is a folder", file=sys.stderr)
        return 2
    if args.cards and not args.pdf:
        print("briefing brief export: --cards goes with --pdf (cards are printed)", file=sys.stderr)
        return 2
    if args.pdf:
        if pdf is None:
            print("briefing brief export: PDF export is not available here", file=sys.stderr)
            return 1
        document = library.brief_document(args.title)
        articles = library.articles([entry.article_id for entry in document.entries])
        done = pdf()(document, articles, out, args.cards)
        library.issue_brief(args.title, document)
    else:
        document = library.export_brief(args.title, "md" if args.md else "html", out)
        done = f"{_items(len(document.entries))} → {out}"
    print(done)
    if document.missing:
        print(
            f"briefing brief export: left out, no longer in the library: "
            f"{', '.join(document.missing)}",
            file=sys.stderr,
        )
    return 0


def _items(count: int) -> str:
    return f"{count} item{'' if count == 1 else 's'}"


def _list(briefs: list[Brief], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps([asdict(b) for b in briefs], ensure_ascii=False, indent=2))
        return
    if not briefs:
        print("No briefs: start one with `briefing brief new TITLE`.")
        return
    for brief in briefs:
        issued = f"issued {brief.issued_at}" if brief.issued_at else "not issued"
        print(f"{brief.title}  ({_items(len(brief.items))}; {issued})")


def _show(brief: Brief, document: BriefDocument, *, as_json: bool) -> None:
    from search.brief_export import brief_since_line, brief_support

    if as_json:
        data = asdict(brief)
        data["entries"] = [entry.to_json_dict() for entry in document.entries]
        data["missing"] = document.missing
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    cover = [brief.title]
    if brief.handling:
        cover.append(brief.handling)
    if brief.author:
        cover.append(f"by {brief.author}")
    print(" · ".join(cover))
    entries = {entry.article_id: entry for entry in document.entries}
    if not brief.items:
        print("No items: add articles with `briefing brief add TITLE ID…`.")
    for item in brief.items:
        print(
            f"{item.position:>3}. {item.article_id}  {item.title or '(no longer in the library)'}"
        )
        entry = entries.get(item.article_id)
        if entry is None:
            continue
        for label, text in (
            ("so what", entry.so_what),
            ("note", entry.note),
            ("", brief_since_line(entry)),
        ):
            if text:
                print(f"       {label + ': ' if label else ''}{text}")
        for number, what, found in entry.key_figures():
            support, disputed = brief_support(found)
            if disputed:  # what a briefer must not miss; the export prints every figure's
                print(f"       {number} {what}: {support}")
