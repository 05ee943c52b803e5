"""`briefing watch add|list|seen|rename|remove`: watch lists and what is new, from the shell."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING

# The parser is built for every command: the engine loads only when `watch` runs.
if TYPE_CHECKING:
    from search.index import ArticleIndex
    from search.models import Watch


def add_watch_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The `watch` command and its actions, for main.py's parser."""
    p_watch = sub.add_parser(
        "watch", help="saved queries, with how many articles are new since you last looked"
    )
    actions = p_watch.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="watch QUERY (a person, a place, a topic) as NAME")
    add.add_argument("name")
    add.add_argument("query", help='any query, e.g. place:Japan or actor:"Lee Jae Myung"')
    listing = actions.add_parser(
        "list", help="each watch item: articles new since last looked, since the last brief"
    )
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    seen = actions.add_parser("seen", help="count what the library holds now as seen for NAME")
    seen.add_argument("name")
    rename = actions.add_parser("rename", help="call the watch item NAME NEW")
    rename.add_argument("name")
    rename.add_argument("new")
    remove = actions.add_parser("remove", help="stop watching NAME")
    remove.add_argument("name")


def cmd_watch(args: argparse.Namespace) -> int:
    """One watch action: a bad name or query exits 2, an index or store that cannot be used 1."""
    from search.cli_common import with_index
    from search.watch import WatchError

    return with_index(args, f"briefing watch {args.action}", _act, bad_input=(WatchError,))


def _act(index: ArticleIndex, args: argparse.Namespace) -> int:
    from search.watch import add_watch, mark_seen, remove_watch, rename_watch, watch, watches

    if args.action == "list":
        items = watches(index)
        if args.json:
            print(json.dumps([asdict(item) for item in items], ensure_ascii=False, indent=2))
        elif not items:
            print("Nothing is watched: `briefing watch add NAME QUERY` watches a query.")
        else:
            print(listing(items))
        return 0
    if args.action == "add":
        item = add_watch(index, args.name, args.query)
        print(f"watching {line(item)}; new articles count from now")
    elif args.action == "seen":
        before = watch(index, args.name)
        item = mark_seen(index, args.name)
        print(f"seen: {item.name} ({_count(before.new)} new before)")
    elif args.action == "rename":
        item = rename_watch(index, args.name, args.new)
        print(f"renamed: {line(item)}")
    else:
        item = remove_watch(index, args.name)
        print(f"no longer watching: {item.name} ({item.query})")
    return 0


def listing(items: list[Watch]) -> str:
    """A table for people: new since last looked, since the last brief, every article, the name
    and query; an item whose query cannot run says why on the line below."""
    brief = items[0].last_brief if items else None
    since = f"since brief ({brief[:16].replace('T', ' ')})" if brief else "since brief"
    lines = [f"{'new':>5}  {since:>{len(since)}}  {'articles':>8}  name: query"]
    for item in items:
        lines.append(
            f"{_count(item.new):>5}  {_count(item.since_brief):>{len(since)}}  "
            f"{_count(item.total):>8}  {item.name}: {item.query}"
        )
        if item.error:
            lines.append(f"{'':>7}cannot be counted: {item.error}")
    return "\n".join(lines)


def line(item: Watch) -> str:
    """`Japan (place:Japan): 3 articles, 1 new`."""
    counted = (
        f"{item.total} article{'s' if item.total != 1 else ''}, {item.new} new"
        if item.error is None
        else f"cannot be counted: {item.error}"
    )
    return f"{item.name} ({item.query}): {counted}"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)
