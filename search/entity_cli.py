"""The `briefing entities`, `briefing entity …` and `briefing figure hide` commands: the library's
actors and places, and the user's corrections to them, from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from search import config
from search.cli_common import with_index
from search.entities import CorrectionError, UnknownEntity
from search.index import ArticleIndex, IndexUnavailable
from search.models import Correction, EntityPage
from search.store import StoreError
from search.text import long_date

UNDO_HINT = "undo with `briefing entity undo`"
# A name or correction the commands cannot take: exit 2.
BAD_INPUT = (UnknownEntity, CorrectionError)


def cmd_entities(args: argparse.Namespace) -> int:
    """List every actor and place in the library with its kind, article count and variants."""
    index = ArticleIndex.open(config.data_dir(args.data_dir))
    try:
        entities = index.entities(include_hidden=args.hidden)
        notice = index.take_store_notice()
    except (IndexUnavailable, StoreError) as e:
        print(f"briefing entities: {e}", file=sys.stderr)
        return 1
    finally:
        index.close()
    if notice:
        print(f"briefing entities: {notice}", file=sys.stderr)
    if args.json:
        print(json.dumps([asdict(e) for e in entities], ensure_ascii=False, indent=2))
        return 0
    if not entities:
        print("No actors or places: run `briefing index` first (extraction needs the spaCy model).")
        return 0
    lines = [f"{'articles':>8}  {'kind':<12}  name"]
    for entity in entities:
        others = [v for v in entity.variants if v != entity.name]
        also = f"  (also: {', '.join(others)})" if others else ""
        hidden = "  [hidden]" if entity.hidden else ""
        lines.append(f"{entity.articles:>8}  {entity.kind:<12}  {entity.name}{also}{hidden}")
    print("\n".join(lines))
    return 0


def cmd_entity(args: argparse.Namespace) -> int:
    """One correction (rename, merge, hide, kind), the list of corrections, or undo."""
    return with_index(args, f"briefing entity {args.action}", _entity_action, bad_input=BAD_INPUT)


def _entity_action(index: ArticleIndex, args: argparse.Namespace) -> int:
    if args.action == "show":
        page = index.entity_page(args.name)
        if args.json:
            print(json.dumps(page.to_json_dict(), ensure_ascii=False, indent=2))
        else:
            print("\n".join(page_lines(page)))
        return 0
    if args.action == "corrections":
        corrections = index.corrections()
        if args.json:
            print(json.dumps([asdict(c) for c in corrections], ensure_ascii=False, indent=2))
        elif not corrections:
            print("No corrections.")
        else:
            print("\n".join(_line(c) for c in corrections))
        return 0
    if args.action == "undo":
        undone = index.undo_correction(args.id)
        if undone is None:
            which = f"no correction with id {args.id}" if args.id else "no corrections to undo"
            print(f"briefing entity undo: {which}", file=sys.stderr)
            return 2 if args.id else 1
        print(f"undid: {undone.describe()}")
        return 0
    value = {"rename": "new", "merge": "into", "kind": "kind"}.get(args.action)
    correction = index.correct_entity(
        args.action, args.name, getattr(args, value) if value else None
    )
    print(f"{correction.describe()} (correction {correction.id}; {UNDO_HINT})")
    return 0


def cmd_figure(args: argparse.Namespace) -> int:
    """Hide one key figure of one article."""
    return with_index(args, "briefing figure hide", _hide_figure, bad_input=BAD_INPUT)


def _hide_figure(index: ArticleIndex, args: argparse.Namespace) -> int:
    correction = index.hide_figure(args.article_id, args.text)
    print(f"{correction.describe()} (correction {correction.id}; {UNDO_HINT})")
    return 0


def _line(correction: Correction) -> str:
    return f"{correction.id:>4}  {correction.made}  {correction.describe()}"


def page_lines(page: EntityPage) -> list[str]:
    """An entity's page for the terminal: roles (with their contradictions), the articles oldest
    first, quotes, the actors and places that come up with it, and key figures."""
    count = len(page.articles)
    lines = [f"{page.name} — {page.kind}, {count} article{'s' if count != 1 else ''}"]
    others = [v for v in page.variants if v != page.name]
    if others:
        lines.append(f"also: {', '.join(others)}")
    if page.roles:
        lines += ["", "Roles:"]
        for role in page.roles:
            lines.append(f"  {role.role} — {', '.join(map(_when, role.dates))}")
            if role.contradicted:
                lines.append(f"    ! {role.contradicted}")
    lines += ["", "Articles (oldest first):"]
    for article in page.articles:
        given = f"  · {article.role}" if article.role else ""
        source = f" ({article.source})" if article.source else ""
        lines.append(
            f"  {article.date or 'undated':<10}  {article.id}  {article.title}{source}{given}"
        )
    if page.quotes:
        lines += ["", "Quotes:"]
        lines += [
            f"  {q.date or 'undated':<10}  “{q.text.strip(QUOTE_MARKS)}” ({q.title})"
            for q in page.quotes
        ]
    for title, entries in (("Actors", page.actors), ("Places", page.places)):
        if entries:
            named = ", ".join(f"{other.name} ({other.articles})" for other in entries)
            lines += ["", f"{title} in its articles: {named}"]
    if page.figures:
        lines += ["", "Key figures:"]
        lines += [
            f"  {f.date or 'undated':<10}  {f.text}" + (f" — {f.label}" if f.label else "")
            for f in page.figures
        ]
    return lines


QUOTE_MARKS = "“”\"' "


def _when(date: str | None) -> str:
    return long_date(date) if date else "undated"
