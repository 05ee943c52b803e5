"""The `briefing index` and `briefing search` commands: the engine from the shell, no Qt."""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import signal
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from search import config
from search.index import ArticleIndex, IndexUnavailable
from search.library import LibraryFileError, add_to_library, load_library, remove_from_library
from search.models import SearchResult, SyncProgress, SyncReport

# Plain (non-tty) progress prints at most one line per this many seconds, so logs stay short.
PLAIN_PROGRESS_INTERVAL = 2.0
MARK = re.compile(r"<b>(.*?)</b>", re.S)
TAG = re.compile(r"<[^>]+>")


class _Terminated(BaseException):
    """SIGTERM (the window's Cancel) while syncing: unwinds the sync so nothing is committed."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _article_count(index: ArticleIndex) -> int:
    try:
        return index.count()
    except IndexUnavailable:
        return 0  # a damaged index: the sync (or --rebuild) says so


def _only_seeds(index: ArticleIndex) -> bool:
    """Whether every article in the index is one of the bundled seeds."""
    seeds = config.SEEDS_DIR.resolve()
    for article_id in index.ids():
        stored = index.get_uncorrected(article_id)
        if stored is None or not Path(stored.article.path).resolve().is_relative_to(seeds):
            return False
    return True


def cmd_index(args: argparse.Namespace) -> int:
    """Sync the library (adding any PATHs to it first); print progress and a summary."""
    data = config.data_dir(args.data_dir)
    read_only = config.read_only_reason(data)
    if read_only is not None:
        print(
            f"briefing index: cannot index: {read_only}; searching what is indexed still works "
            "(make it writable, or use another data folder with --data-dir or BRIEFING_HOME)",
            file=sys.stderr,
        )
        return 2
    if args.remove:
        try:
            _, unknown = remove_from_library(data, args.remove)
        except LibraryFileError as error:
            print(f"briefing index: {error} (the index was left as it was)", file=sys.stderr)
            return 2
        if unknown:
            print(f"briefing index: not in the library: {', '.join(unknown)}", file=sys.stderr)
            return 1
    if args.paths:
        missing = [p for p in args.paths if not Path(p).expanduser().exists()]
        if missing:
            print(f"briefing index: no such file or folder: {', '.join(missing)}", file=sys.stderr)
            return 1
        library = add_to_library(data, args.paths)
    else:
        try:
            library = load_library(data)
        except LibraryFileError as error:
            print(f"briefing index: {error} (the index was left as it was)", file=sys.stderr)
            return 2
    mode = getattr(args, "progress", "line") or "line"
    reporter = _ProgressPrinter(mode, sys.stdout if mode == "json" else sys.stderr)
    index = ArticleIndex.open(data)
    if not library:
        held = _article_count(index)
        if held and not args.remove and not _only_seeds(index):
            # Syncing the seeds now would drop every article the index holds.
            index.close()
            print(
                f"briefing index: the library lists no folders, but the index holds {held} "
                "articles; add a folder with `briefing index FOLDER` (nothing was removed)",
                file=sys.stderr,
            )
            return 2
        # The bundled seeds are the library until the user adds their own (as in the window).
        library = add_to_library(data, [config.SEEDS_DIR])
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
        print("briefing index: stopped; the index was left as it was", file=sys.stderr, flush=True)
        sys.stdout.flush()
        # Straight out: exit handlers would wait on queue threads of the workers just stopped.
        os._exit(128 + signal.SIGTERM)
    except IndexUnavailable as e:
        reporter.finish()
        if mode == "json":
            print(json.dumps({"event": "error", "message": str(e)}), flush=True)
        print(f"briefing index: {e}", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        index.close()
    reporter.finish()
    if mode == "json":
        print(json.dumps({"event": "report", **asdict(report)}), flush=True)
    else:
        print(summary(report, index.count() if not report.cancelled else None))
    return 0


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
    """Search the index; print hits for people or, with --json, for programs. A bad query exits 2."""
    index = ArticleIndex.open(config.data_dir(args.data_dir))
    try:
        result = index.search(args.query, limit=args.limit, sort=args.sort)
        empty = index.count() == 0
    except IndexUnavailable as e:
        print(f"briefing search: {e}", file=sys.stderr)
        return 1
    finally:
        index.close()
    if result.notice:
        print(f"briefing search: {result.notice}", file=sys.stderr)
    if result.error:
        print(f"briefing search: {result.error}", file=sys.stderr)
        return 2
    if args.json:
        text = json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2)
    elif empty:
        text = "The index is empty: run `briefing index` (or `briefing index FOLDER`) first."
    else:
        text = format_result(result, bold=sys.stdout.isatty())
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # `briefing search ... | head` closed the pipe early: not an error, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


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
    return "\n".join(lines)


def plain_snippet(snippet: str, *, bold: bool) -> str:
    """A snippet's <b> marks as ANSI bold (terminal) or [brackets], with the HTML escaping undone."""
    marked = MARK.sub(r"\033[1m\1\033[0m" if bold else r"[\1]", snippet)
    return html.unescape(TAG.sub("", marked))
