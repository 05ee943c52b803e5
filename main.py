"""Briefing Cards: with no arguments opens the desktop app; `index`, `library`, `search`, `serve`,
`extract`, `card`, `entities`, `entity`, `figure`, `feeds`, `brief`, `note`, `state` and `watch`
drive the engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

COMMANDS = (
    "index",
    "library",
    "search",
    "serve",
    "extract",
    "card",
    "entities",
    "entity",
    "figure",
    "feeds",
    "brief",
    "note",
    "state",
    "watch",
)


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        help="where the index and settings live (default: $BRIEFING_HOME "
        "or the user data directory)",
    )


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line; without `commands`, only what opening the window takes (--data-dir)."""
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    _add_data_dir(parser)
    if not commands:
        return parser
    sub = parser.add_subparsers(dest="command")

    p_index = sub.add_parser("index", help="sync the library into the index")
    p_index.add_argument("paths", nargs="*", help="files or folders (default: the bundled seeds/)")
    p_index.add_argument(
        "--rebuild", action="store_true", help="rebuild the index from the sources"
    )
    p_index.add_argument(
        "--processes", type=int, default=None, help="extraction processes (default: 2)"
    )
    p_index.add_argument("--progress", choices=["line", "json", "none"], default="line")
    p_index.add_argument(
        "--remove",
        nargs="+",
        metavar="PATH",
        default=[],
        help="remove files or folders from the library (their articles leave the index; "
        "the files are not touched); the same as `briefing library remove`",
    )
    _add_library_command(sub)

    _add_search_command(sub)
    p_serve = sub.add_parser(
        "serve",
        help="keep the index open and answer `briefing search` calls (several times faster)",
        description="Answer `briefing search` calls for this library from one resident process, "
        "over a socket in the data folder, until idle, Ctrl+C or SIGTERM. Searches give "
        "the same output with or without it.",
    )
    p_serve.add_argument(
        "--idle",
        type=float,
        default=60.0,
        metavar="MINUTES",
        help="exit after this many minutes without a call (default: 60; 0: never)",
    )

    p_extract = sub.add_parser(
        "extract", help="print an article's actors, places, figures and quotes"
    )
    p_extract.add_argument("file", nargs="?")
    p_extract.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"id","text"} JSON lines on stdin, write one extraction per line',
    )
    p_extract.add_argument("--processes", type=int, default=1)

    p_card = sub.add_parser("card", help="write briefing cards to a PDF")
    which = p_card.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", help="article id")
    which.add_argument("--query", help="one card per hit of this search")
    p_card.add_argument("--pdf", required=True, help="output PDF path")
    sizes = ["3x5", "4x6", "a6", "a5", "a5-landscape", "a4-brief", "a4-sheet", "a4", "letter"]
    p_card.add_argument(
        "--size",
        default="a6",
        choices=sizes,
        metavar="SIZE",
        help=(
            "one card a page: a6 (default), a5, a5-landscape, 3x5 and 4x6 index cards; "
            "a4-brief: one article on a page of A4, with more figures, actors and quotes and the "
            "story after its lede; sheets with cut marks: a4-sheet (four A6 cards on A4; "
            "a4 = a4-sheet), letter (two 4x6 cards)"
        ),
    )
    p_card.add_argument("--limit", type=int, default=100)
    _add_entity_commands(sub)
    _add_feeds_commands(sub)
    from search.brief_cli import add_brief_commands

    add_brief_commands(sub)
    _add_note_commands(sub)
    from search.watch_cli import add_watch_commands

    add_watch_commands(sub)
    return parser


def _add_search_command(sub: argparse._SubParsersAction, **kwargs: Any) -> None:  # type: ignore[type-arg]
    """`search QUERY`: hits for people or, with --json, for programs."""
    p_search = sub.add_parser("search", help="search the index", **kwargs)
    p_search.add_argument("query")
    p_search.add_argument("--limit", type=int, default=10)
    p_search.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    p_search.add_argument("--json", action="store_true", help="print the result as JSON")
    p_search.add_argument(
        "--no-server",
        action="store_true",
        help="search in this process even when `briefing serve` answers for the library",
    )


class _SearchOnlyParser(argparse.ArgumentParser):
    """The parser of a plain `briefing [--data-dir D] search ...`: the top level and the search
    command only (building every command's parser imported half the engine, ~1/3 of a search
    from the shell). Any error is reported by the whole parser, so messages and usage lines
    are what they always were."""

    def __init__(self, *args: Any, argv: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.argv = list(argv)

    def error(self, message: str) -> NoReturn:
        build_parser().parse_args(self.argv)  # exits, saying what is wrong
        super().error(message)


def _search_only_parser(argv: Sequence[str]) -> argparse.ArgumentParser | None:
    """The search-only parser when `argv` is `[--data-dir D]... search ...` without a help option;
    None for anything else (another command, an abbreviated option), which the whole parser reads."""
    position = 0
    while position < len(argv) and argv[position] != "search":
        if argv[position] == "--data-dir":
            position += 2
        elif argv[position].startswith("--data-dir="):
            position += 1
        else:
            return None
    if position >= len(argv) or any(arg in ("-h", "--help") for arg in argv):
        return None
    parser = _SearchOnlyParser(prog="briefing", description=__doc__, argv=argv)
    _add_data_dir(parser)
    _add_search_command(parser.add_subparsers(dest="command"), argv=argv)
    return parser


def _add_library_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`library list|add|remove`: the folders and files the index mirrors."""
    p_library = sub.add_parser(
        "library", help="list, add or remove the library's folders and files"
    )
    actions = p_library.add_subparsers(dest="action", required=True)
    listing = actions.add_parser(
        "list", help="each folder or file, whether it is there, and its articles in the index"
    )
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    add = actions.add_parser("add", help="add files or folders, then sync the library")
    remove = actions.add_parser(
        "remove",
        help="remove files or folders (the files are not touched), then sync: their articles go",
    )
    for action in (add, remove):
        action.add_argument("paths", nargs="+", metavar="PATH")
        action.add_argument("--processes", type=int, default=None, help="extraction processes")
        action.add_argument("--progress", choices=["line", "json", "none"], default="line")


def _add_entity_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`entities`, `entity …` and `figure hide`: the library's actors and places, and corrections."""
    p_entities = sub.add_parser(
        "entities", help="list the library's actors and places with article counts"
    )
    p_entities.add_argument("--json", action="store_true", help="print them as JSON")
    p_entities.add_argument("--hidden", action="store_true", help="include hidden ones")

    p_entity = sub.add_parser(
        "entity", help="show or correct an actor or place (corrections are kept across rebuilds)"
    )
    actions = p_entity.add_subparsers(dest="action", required=True)
    rename = actions.add_parser("rename", help="show NAME as NEW everywhere")
    rename.add_argument("name")
    rename.add_argument("new")
    merge = actions.add_parser("merge", help="merge NAME into the entity INTO")
    merge.add_argument("name")
    merge.add_argument("into")
    hide = actions.add_parser("hide", help="hide NAME from the panel, facets and cards")
    hide.add_argument("name")
    kind = actions.add_parser("kind", help="make NAME a person, organization or place")
    kind.add_argument("name")
    kind.add_argument("kind", choices=["person", "organization", "place"])
    undo = actions.add_parser("undo", help="take back the last correction (or the one with ID)")
    undo.add_argument("id", nargs="?", type=int)
    show = actions.add_parser(
        "show",
        help="the page of NAME: its articles by date, roles, quotes, who and where come up with it",
    )
    show.add_argument("name", help='an actor or place ("actor:NAME" or "place:NAME" to choose)')
    show.add_argument("--json", action="store_true", help="print it as JSON")
    listing = actions.add_parser("corrections", help="list the corrections in force")
    listing.add_argument("--json", action="store_true", help="print them as JSON")

    p_figure = sub.add_parser("figure", help="hide a key figure of an article")
    figure_actions = p_figure.add_subparsers(dest="action", required=True)
    figure_hide = figure_actions.add_parser("hide", help="hide FIGURE of article ARTICLE_ID")
    figure_hide.add_argument("article_id")
    figure_hide.add_argument("text", metavar="FIGURE")


def _add_note_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`note set|show|list|clear` and `state export|import`: the user's own state."""
    p_note = sub.add_parser("note", help="the note (and one-line so-what) on an article")
    actions = p_note.add_subparsers(dest="action", required=True)
    set_ = actions.add_parser("set", help="write the note on article ID (kept across rebuilds)")
    set_.add_argument("id")
    set_.add_argument("--so-what", help="one line: what it means for the reader (on the card)")
    set_.add_argument("--body", help="the note's free text")
    show = actions.add_parser("show", help="the note and highlights of article ID")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="print them as JSON")
    listing = actions.add_parser("list", help="every note, the latest first")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    clear = actions.add_parser("clear", help="remove the note on article ID")
    clear.add_argument("id")

    p_state = sub.add_parser(
        "state", help="all user state (notes, highlights, briefs, watch lists, corrections…)"
    )
    state_actions = p_state.add_subparsers(dest="action", required=True)
    export = state_actions.add_parser("export", help="write it all to one JSON file")
    export.add_argument("file")
    load = state_actions.add_parser(
        "import", help="replace it with a file's (the old store is kept beside it)"
    )
    load.add_argument("file")


def _add_feeds_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`feeds add|list|remove|update`: the subcommands and their options."""
    p_feeds = sub.add_parser(
        "feeds", help="subscribe to RSS and Atom feeds; their entries join the library"
    )
    actions = p_feeds.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="subscribe to the feed at URL and fetch its entries")
    add.add_argument("url")
    listing = actions.add_parser("list", help="the subscribed feeds and what each last did")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    remove = actions.add_parser("remove", help="stop updating the feed at URL")
    remove.add_argument("url")
    remove.add_argument(
        "--delete-entries",
        action="store_true",
        help="also delete its stored entries (they leave the index)",
    )
    update = actions.add_parser("update", help="fetch new entries of every feed (or of URLs)")
    update.add_argument("urls", nargs="*", metavar="URL")
    update.add_argument(
        "--force",
        action="store_true",
        help="fetch even feeds checked less than 30 minutes ago",
    )
    for parser in (add, remove, update):
        parser.add_argument("--progress", choices=["line", "json", "none"], default="line")
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="only write the entries; leave syncing the index to `briefing index`",
        )


def window_arguments(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether `argv` only opens the window (nothing, or `--data-dir D`), and the D it gives.

    Read without argparse, which at its first message imports `locale` and searches the disk for
    translations (~4 ms of the window's start-up); anything else, --help and mistakes included,
    goes to the parser.
    """
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--data-dir" and argv[1] and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--data-dir=") and len(argv[0]) > len("--data-dir="):
        return True, argv[0].split("=", 1)[1]
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    window_only, data_dir = window_arguments(argv)
    if window_only:
        from ui.app import run_app

        return run_app(data_dir=data_dir)
    # Opening the window (no command named) skips building the commands' parsers: start-up time.
    wants_commands = any(arg in COMMANDS or arg in ("-h", "--help") for arg in argv)
    parser = _search_only_parser(argv) or build_parser(commands=wants_commands)
    args = parser.parse_args(argv)
    if getattr(args, "command", None) is None:
        from ui.app import run_app

        return run_app(data_dir=args.data_dir)
    from search.config import DataDirError

    try:
        if args.command == "search" and not args.no_server:
            answered = _search_by_server(args)
            if answered is not None:
                return answered
        return _run_command(args)
    except DataDirError as error:
        print(f"briefing {args.command}: {error}", file=sys.stderr)
        return 2


def _search_by_server(args: argparse.Namespace) -> int | None:
    """A search answered by a running `briefing serve` for the library, printed; None without one."""
    from search import config, serve

    answer = serve.ask(
        config.data_dir(args.data_dir),
        {
            "query": args.query,
            "sort": args.sort,
            "limit": args.limit,
            "json": args.json,
            "bold": sys.stdout.isatty(),
        },
    )
    if answer is None:
        return None
    return serve.print_output(
        answer["code"], str(answer.get("out", "")), str(answer.get("err", ""))
    )


def _run_command(args: argparse.Namespace) -> int:
    from search.parent_death import die_with_starter
    from search.whoosh_import import import_whoosh

    # Started by the window (ui/indexer.py): killed with it, not left syncing on its own.
    die_with_starter()
    import_whoosh()  # every command reads the index: without the web client and event loop
    if args.command == "index":
        from search.cli import cmd_index

        return cmd_index(args)
    if args.command == "library":
        from search.library_cli import cmd_library

        return cmd_library(args)
    if args.command == "search":
        from search.cli import cmd_search

        return cmd_search(args)
    if args.command == "serve":
        from search.serve import cmd_serve

        return cmd_serve(args)
    if args.command == "extract":
        from search.extract.cli import cmd_extract

        return cmd_extract(args)
    if args.command in ("entities", "entity", "figure"):
        from search import entity_cli

        run = {
            "entities": entity_cli.cmd_entities,
            "entity": entity_cli.cmd_entity,
            "figure": entity_cli.cmd_figure,
        }[args.command]
        return run(args)
    if args.command == "feeds":
        from search.feeds_cli import cmd_feeds

        return cmd_feeds(args)
    if args.command in ("note", "state"):
        from search import notes_cli

        return (notes_cli.cmd_note if args.command == "note" else notes_cli.cmd_state)(args)
    if args.command == "watch":
        from search.watch_cli import cmd_watch

        return cmd_watch(args)
    if args.command == "card":
        from ui.printing import cmd_card

        return cmd_card(args)
    if args.command == "brief":
        from search.brief_cli import cmd_brief

        return cmd_brief(args, pdf=_brief_pdf)
    import json  # only here: the window's start-up does not need it

    print(json.dumps({"error": f"unknown command {args.command}"}), file=sys.stderr)
    return 2


def _brief_pdf() -> Callable[..., str]:
    """The PDF writer of `briefing brief export --pdf`: Qt lays it out, so it loads only then."""
    from ui.brief_print import write_brief_pdf

    return write_brief_pdf


if __name__ == "__main__":
    sys.exit(main())
