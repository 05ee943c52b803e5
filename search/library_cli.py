"""`briefing library list|add|remove`: the library's folders and files from the shell, no Qt."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from search import config
from search.cli import cmd_index
from search.index import ArticleIndex, IndexUnavailable
from search.library import (
    LibraryFileError,
    LibraryRoot,
    describe_roots,
    indexed_paths,
    library_saved,
    load_library,
)


def cmd_library(args: argparse.Namespace) -> int:
    """List the library's roots; or add or remove some, then sync as `briefing index` does."""
    if args.action == "list":
        return _list(args)
    sync = argparse.Namespace(
        data_dir=args.data_dir,
        paths=args.paths if args.action == "add" else [],
        remove=args.paths if args.action == "remove" else [],
        rebuild=False,
        processes=args.processes,
        progress=args.progress,
    )
    return cmd_index(sync, command=f"library {args.action}")


def _list(args: argparse.Namespace) -> int:
    data = config.data_dir(args.data_dir)
    try:
        library = load_library(data)
    except LibraryFileError as error:
        print(f"briefing library list: {error}", file=sys.stderr)
        return 2
    index = ArticleIndex.open(data)
    try:
        paths = indexed_paths(index)
    except IndexUnavailable as error:
        print(f"briefing library list: {error}", file=sys.stderr)
        return 1
    finally:
        index.close()
    roots = describe_roots(library, paths)
    if args.json:
        listing = {"roots": [asdict(root) for root in roots], "articles": len(paths)}
        print(json.dumps(listing, ensure_ascii=False, indent=2))
    else:
        print(format_roots(roots, len(paths), started=library_saved(data)))
    return 0


def format_roots(roots: list[LibraryRoot], articles: int, *, started: bool) -> str:
    """The roots for a terminal: articles, path and what it is, then the index's size."""
    if not roots:
        if not started:
            return (
                "No library yet: `briefing index` starts it with the bundled seed articles, "
                "and `briefing library add FOLDER` adds a folder beside them."
            )
        return (
            f"The library is empty ({articles} articles in the index): "
            "add a folder with `briefing library add FOLDER`."
        )
    width = len(f"{max(root.articles for root in roots):,}")
    lines = []
    for root in roots:
        note = {
            "folder": "",
            "file": "  (file)",
            "missing": "  (not found: its articles are kept until it is back or you remove it)",
        }[root.kind]
        if root.seeds:
            note += "  (the bundled seed articles)"
        noun = "article " if root.articles == 1 else "articles"
        lines.append(f"{root.articles:>{width},} {noun}  {root.path}{note}")
    noun = "folder or file" if len(roots) == 1 else "folders and files"
    lines.append(
        f"{len(roots)} {noun}; {articles:,} article{'s' if articles != 1 else ''} in the index"
    )
    return "\n".join(lines)
