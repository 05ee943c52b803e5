"""The `briefing index` and `briefing search` commands: the engine from the shell, no Qt."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from search import config
from search.index import ArticleIndex, IndexUnavailable
from search.library import (
    LibraryFileError,
    add_to_library,
    indexed_paths,
    library_saved,
    load_library,
    remove_from_library,
    root_holding,
    start_library,
    unique_skipped,
)
from search.models import SearchRequest, SearchResult, Snippet, SortOrder, SyncProgress, SyncReport
from search.serve import print_output

# Plain (non-tty) progress prints at most one line per this many seconds, so logs stay short.
PLAIN_PROGRESS_INTERVAL = 2.0


class _Terminated(BaseException):
    """SIGTERM (the window's Cancel) while syncing: unwinds the sync so nothing is committed."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _seed_share(index: ArticleIndex) -> tuple[int, int]:
    """How many indexed articles are bundled seeds, and how many are not."""
    seeds = str(config.SEEDS_DIR.resolve()) + os.sep
    paths = indexed_paths(index)
    held = sum(path.startswith(seeds) for path in paths)
    return held, len(paths) - held


class _Refused(Exception):
    """Syncing now would drop articles the user has not asked to drop; str(e) says what to do."""


def _library_to_sync(data: Path, index: ArticleIndex, paths: list[str], command: str) -> list[str]:
    """The saved library with `paths` added. On first use the bundled seeds are its first root,
    as in the window, so adding a folder keeps them; after that they are a root like any other.

    With no library file but articles in the index (the file was lost or set aside), the seeds
    are kept only when the index holds them, and a sync that would drop the rest is refused.
    """
    if not library_saved(data):
        try:
            seeds, others = _seed_share(index)
        except IndexUnavailable:
            seeds, others = 0, 0  # a damaged index: the sync (or --rebuild) says so
        if not others or (seeds and paths):
            start_library(data)
            if paths:
                print(
                    f"briefing {command}: the library starts with the bundled seed articles "
                    f"({config.SEEDS_DIR}) beside what you add, as the window's does; "
                    f"`briefing library remove {config.SEEDS_DIR}` takes them out",
                    file=sys.stderr,
                )
        elif not paths:
            raise _Refused(
                f"the library lists no folders, but the index holds {seeds + others} articles; "
                "add a folder with `briefing library add FOLDER` (nothing was removed)"
            )
    if paths:
        return add_to_library(data, paths)
    return load_library(data)


def _remove_roots(data: Path, paths: list[str], command: str) -> tuple[int, bool]:
    """Remove roots from the saved library: 0 or the exit code after saying what went wrong,
    and whether any was removed (then the sync runs, so their articles leave)."""
    try:
        library, unknown = remove_from_library(data, paths)
    except LibraryFileError as error:
        print(f"briefing {command}: {error} (the index was left as it was)", file=sys.stderr)
        return 2, False
    for path in paths:
        if path not in unknown:
            print(
                f"briefing {command}: removed {path} from the library (the files are not touched)",
                file=sys.stderr,
            )
    for path in unknown:
        holder = root_holding(library, path)
        inside = (
            f"; it is in the folder {holder}: remove that folder, or leave it"
            if holder is not None
            else ""
        )
        print(f"briefing {command}: not in the library: {path}{inside}", file=sys.stderr)
    return (1 if unknown else 0), len(unknown) < len(paths)


def cmd_index(args: argparse.Namespace, command: str = "index") -> int:
    """Sync the library (removing, then adding, any PATHs first); print progress and a summary."""
    data = config.data_dir(args.data_dir)
    read_only = config.read_only_reason(data)
    if read_only is not None:
        print(
            f"briefing {command}: cannot index: {read_only}; searching what is indexed still works "
            "(make it writable, or use another data folder with --data-dir or BRIEFING_HOME)",
            file=sys.stderr,
        )
        return 2
    failed = 0
    if args.remove:
        failed, removed = _remove_roots(data, args.remove, command)
        if failed and not removed:
            return failed
    if args.paths:
        missing = [p for p in args.paths if not Path(p).expanduser().exists()]
        if missing:
            print(
                f"briefing {command}: no such file or folder: {', '.join(missing)}",
                file=sys.stderr,
            )
            return 1
    index = ArticleIndex.open(data)
    try:
        library = _library_to_sync(data, index, args.paths, command)
    except (_Refused, LibraryFileError) as error:
        index.close()
        kept = "" if isinstance(error, _Refused) else " (the index was left as it was)"
        print(f"briefing {command}: {error}{kept}", file=sys.stderr)
        return 2
    mode = getattr(args, "progress", "line") or "line"
    reporter = _ProgressPrinter(mode, sys.stdout if mode == "json" else sys.stderr)
    # SIGTERM unwinds the sync (the writer cancels, spaCy's workers are stopped) instead of
    # killing this process alone, which left the workers behind, blocked and holding the model.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        report = index.sync(
            library,
            rebuild=args.rebuild,
            progress=reporter,
            processes=args.processes or 2,
        )
    except _Terminated:
        reporter.finish()
        print(
            f"briefing {command}: stopped; the index was left as it was",
            file=sys.stderr,
            flush=True,
        )
        sys.stdout.flush()
        # Straight out: exit handlers would wait on queue threads of the workers just stopped.
        os._exit(128 + signal.SIGTERM)
    except IndexUnavailable as e:
        reporter.finish()
        if mode == "json":
            print(json.dumps({"event": "error", "message": str(e)}), flush=True)
        print(f"briefing {command}: {e}", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        index.close()
    reporter.finish()
    report.skipped = unique_skipped(report.skipped)
    if mode == "json":
        print(json.dumps({"event": "report", **asdict(report)}), flush=True)
    else:
        print(summary(report, index.count() if not report.cancelled else None))
    return failed  # 1 when some PATH to remove was not in the library (the rest were removed)


def summary(report: SyncReport, total: int | None) -> str:
    """The human summary of a sync: counts, then each skipped file with its reason, then messages."""
    lines = [
        f"added {len(report.added)}, updated {len(report.updated)}, removed {len(report.removed)}, "
        f"unchanged {report.unchanged}, skipped {len(report.skipped)}"
        + (f"; {total} articles in the index" if total is not None else "")
    ]
    if report.cancelled:
        lines.append("cancelled: the index was left as it was")
    lines.extend(f"skipped {s.path}: {s.reason}" for s in report.skipped)
    lines.extend(report.messages)
    return "\n".join(lines)


class _ProgressPrinter:
    """Progress as JSON lines, a carriage-return-updated line on a terminal, or occasional plain lines."""

    def __init__(self, mode: str, stream: TextIO) -> None:
        self.mode = mode
        self.stream = stream
        self.tty = stream.isatty()
        self.last_print = 0.0
        self.dirty = False

    def __call__(self, progress: SyncProgress) -> None:
        if self.mode == "none":
            return
        if self.mode == "json":
            print(
                json.dumps({"event": "progress", **asdict(progress)}), file=self.stream, flush=True
            )
            return
        now = time.monotonic()
        line = f"{progress.phase} {progress.done}/{progress.total} {Path(progress.path).name}"
        if progress.part:
            line += f" ({progress.part})"
        if self.tty:
            print("\r" + line[:78].ljust(78), end="", file=self.stream, flush=True)
            self.dirty = True
        elif now - self.last_print >= PLAIN_PROGRESS_INTERVAL:
            print(line, file=self.stream, flush=True)
            self.last_print = now

    def finish(self) -> None:
        if self.dirty:
            print(file=self.stream, flush=True)
            self.dirty = False


def cmd_search(args: argparse.Namespace) -> int:
    """Search the index; print hits for people or, with --json, for programs. A bad query exits 2,
    an index or store that cannot be used 1. (main.py asks a resident `briefing serve` first.)"""
    index = ArticleIndex.open(config.data_dir(args.data_dir))
    try:
        code, out, err = search_output(
            index,
            args.query,
            sort=args.sort,
            limit=args.limit,
            as_json=args.json,
            bold=sys.stdout.isatty(),
        )
    finally:
        index.close()
    return print_output(code, out, err)


def search_output(
    index: ArticleIndex, query: str, *, sort: SortOrder, limit: int, as_json: bool, bold: bool
) -> tuple[int, str, str]:
    """What `briefing search` prints: (exit code, standard output, standard error), each text
    without its final newline. The same for a call searching in its own process and for one
    answered by `briefing serve` (search/serve.py)."""
    # Facets are counted over every matching article; only --json prints them.
    request = SearchRequest(query, sort=sort, limit=limit, facets=as_json)
    try:
        result = index.search(request)
        empty = index.count() == 0
    except IndexUnavailable as e:
        return 1, "", f"briefing search: {e}"
    err = [f"briefing search: {message}" for message in (result.notice, result.error) if message]
    if result.error:
        return (1 if result.unusable else 2), "", "\n".join(err)
    if as_json:
        text = json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2)
    elif empty:
        text = "The index is empty: run `briefing index` (or `briefing index FOLDER`) first."
    else:
        text = format_result(result, bold=bold)
    return 0, text, "\n".join(err)


def format_result(result: SearchResult, *, bold: bool) -> str:
    """Hits for a terminal: title, date · source · id, and the snippet with matches in [brackets] or bold."""
    if result.total == 0:
        lines = [f"No articles match {result.query!r}."]
        if result.suggestion:
            lines.append(f"Did you mean: {result.suggestion}")
        return "\n".join(lines)
    shown = len(result.hits)
    lines = [f"{result.total} article{'s' if result.total != 1 else ''} match; showing {shown}:"]
    for n, hit in enumerate(result.hits, 1):
        details = " · ".join(x for x in (hit.date, hit.source, hit.id) if x)
        lines.append("")
        lines.append(f"{n}. {hit.title}")
        lines.append(f"   {details}")
        lines.append(f"   {plain_snippet(hit.snippet, bold=bold)}")
        if hit.copies:
            copies = ", ".join(f"{copy.id} {Path(copy.path).name}" for copy in hit.copies)
            lines.append(f"   also in: {copies}")
    return "\n".join(lines)


def plain_snippet(snippet: Snippet, *, bold: bool) -> str:
    """A snippet's marks as ANSI bold (terminal) or [brackets]."""
    return snippet.marked("\033[1m", "\033[0m") if bold else snippet.marked("[", "]")
