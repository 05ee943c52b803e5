"""The `briefing note …` and `briefing state …` commands: the briefer's notes (and the article's
highlights) from the shell, and all user state exported to one file and imported back."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from search.cli_common import with_index, with_opened
from search.highlights import highlights, locate_highlight
from search.index import ArticleIndex
from search.models import Note, StoredArticle
from search.notes import NoteError, clear_note, get_note, list_notes, set_note
from search.state import StateFileError, export_state, import_state
from search.store import Store


def cmd_note(args: argparse.Namespace) -> int:
    """`note set|show|list|clear`: an unknown article or a bad note exits 2, an index or store
    that cannot be used exits 1."""
    return with_index(args, f"briefing note {args.action}", _note_action, bad_input=(NoteError,))


def _note_action(index: ArticleIndex, args: argparse.Namespace) -> int:
    command = f"briefing note {args.action}"
    if args.action == "list":
        notes = list_notes(index.store)
        titles = {note.article_id: _title(index.get(note.article_id)) for note in notes}
        if args.json:
            rows = [{**asdict(note), "title": titles[note.article_id]} for note in notes]
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not notes:
            print("No notes: `briefing note set ID --so-what TEXT` writes one.")
        else:
            for note in notes:
                print(f"{note.article_id}  {note.updated}  {titles[note.article_id] or '?'}")
                if note.so_what:
                    print(f"    so what: {note.so_what}")
        return 0
    stored = index.get(args.id)
    if args.action == "set":
        if stored is None:
            print(f"{command}: {_unknown(index, args.id)}", file=sys.stderr)
            return 2
        if args.so_what is None and args.body is None:
            print(
                f"{command}: say what to keep: --so-what TEXT and/or --body TEXT", file=sys.stderr
            )
            return 2
        kept = set_note(index.store, args.id, body=args.body, so_what=args.so_what)
        print(f"note on {args.id} " + ("saved" if kept else "removed (it was left empty)"))
        return 0
    if args.action == "clear":
        if not clear_note(index.store, args.id):
            print(f"{command}: article {args.id} has no note", file=sys.stderr)
            return 2
        print(f"note on {args.id} removed")
        return 0
    return _show(index, args, stored, command)


def _show(
    index: ArticleIndex, args: argparse.Namespace, stored: StoredArticle | None, command: str
) -> int:
    """The article's note and highlights, each highlight found in its text now or not."""
    note = get_note(index.store, args.id)
    marks = highlights(index.store, args.id)
    if stored is None and note is None and not marks:
        print(f"{command}: {_unknown(index, args.id)}", file=sys.stderr)
        return 2
    text = article_text(stored) if stored else ""
    found = [stored is not None and locate_highlight(text, mark) is not None for mark in marks]
    if args.json:
        shown = asdict(note) if note else asdict(Note(args.id))
        shown["title"] = _title(stored)
        shown["highlights"] = [
            {**asdict(mark), "found": was_found}
            for mark, was_found in zip(marks, found, strict=True)
        ]
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return 0
    print(f"{args.id}  {_title(stored) or '(not in the index)'}")
    print(f"so what: {note.so_what if note and note.so_what else '(none)'}")
    if note and note.body:
        print(note.body)
    for mark, was_found in zip(marks, found, strict=True):
        where = "" if was_found else "  [not found in the article's text now]"
        print(f"highlight {mark.id}: “{mark.exact}”{where}")
    return 0


def article_text(stored: StoredArticle) -> str:
    """The article's text as a reader sees it (markdown marks gone): what highlights anchor to."""
    from search.card import markdown_to_plain

    article = stored.article
    return markdown_to_plain(article.body) if article.format == "md" else article.body


def _title(stored: StoredArticle | None) -> str:
    return stored.article.title if stored else ""


def _unknown(index: ArticleIndex, article_id: str) -> str:
    return (
        f"no article with id {article_id!r} in the index ({index.count()} articles); "
        "`briefing search` prints each article's id"
    )


def cmd_state(args: argparse.Namespace) -> int:
    """`state export FILE` / `state import FILE`: a bad file exits 2, an unusable store 1."""
    command = f"briefing state {args.action}"
    return with_opened(Store.open, args, command, _state_action, bad_input=(StateFileError,))


def _state_action(store: Store, args: argparse.Namespace) -> int:
    if args.action == "export":
        counts = export_state(store, Path(args.file))
        print(f"user state ({_rows(counts)}) → {args.file}")
    else:
        kept, counts = import_state(store, Path(args.file))
        print(
            f"user state replaced from {args.file} ({_rows(counts)}); the old store is kept as {kept}"
        )
    return 0


def _rows(counts: dict[str, int]) -> str:
    return ", ".join(f"{table} {n}" for table, n in sorted(counts.items()) if n) or "empty"
