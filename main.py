"""Briefing Cards: with no arguments opens the desktop app; `index`, `search`, `extract`, `card` drive the engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

COMMANDS = ("index", "search", "extract", "card")


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line; without `commands`, only what opening the window takes (--data-dir)."""
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    parser.add_argument(
        "--data-dir",
        help="where the index and settings live (default: $BRIEFING_HOME "
        "or the user data directory)",
    )
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

    p_search = sub.add_parser("search", help="search the index")
    p_search.add_argument("query")
    p_search.add_argument("--limit", type=int, default=10)
    p_search.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    p_search.add_argument("--json", action="store_true", help="print the result as JSON")

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
    p_card.add_argument(
        "--size", default="a6", choices=["3x5", "4x6", "a6", "a5", "a5-landscape", "a4", "letter"]
    )
    p_card.add_argument("--limit", type=int, default=100)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Opening the window (no command named) skips building the commands' parsers: start-up time.
    wants_commands = any(arg in COMMANDS or arg in ("-h", "--help") for arg in argv)
    args = build_parser(commands=wants_commands).parse_args(argv)
    if getattr(args, "command", None) is None:
        from ui.app import run_app

        return run_app(data_dir=args.data_dir)
    if args.command == "index":
        from search.cli import cmd_index

        return cmd_index(args)
    if args.command == "search":
        from search.cli import cmd_search

        return cmd_search(args)
    if args.command == "extract":
        from search.extract.cli import cmd_extract

        return cmd_extract(args)
    if args.command == "card":
        from ui.printing import cmd_card

        return cmd_card(args)
    import json  # only here: the window's start-up does not need it

    print(json.dumps({"error": f"unknown command {args.command}"}), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
