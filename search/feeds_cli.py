"""The `briefing feeds` commands: subscribe to RSS and Atom feeds, list them, update them into the library."""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from search import config
from search.feeds import (
    FeedProgress,
    FeedsBusy,
    FeedsFileError,
    FeedsReport,
    entries_phrase,
    entry_folder,
    load_subscriptions,
    stored_entries,
    subscribe,
    unsubscribe,
    update_feeds,
)

# Plain (non-tty) progress prints at most one line per this many seconds within one feed.
PLAIN_PROGRESS_INTERVAL = 2.0


def cmd_feeds(args: argparse.Namespace) -> int:
    """Run one `briefing feeds` subcommand; exit 1 when a feed failed, 2 when nothing could be done."""
    data = config.data_dir(args.data_dir)
    if args.action != "list":
        read_only = config.read_only_reason(data)
        if read_only is not None:
            return _fail(f"cannot change the feeds: {read_only}")
    try:
        if args.action == "list":
            return _list(data, as_json=args.json)
        if args.action == "remove":
            return _remove(data, args)
        if args.action == "add":
            return _add(data, args)
        return _update(data, args)
    except FeedsFileError as error:
        return _fail(str(error))
    except FeedsBusy as error:
        return _fail(str(error))


def _fail(message: str, code: int = 2) -> int:
    print(f"briefing feeds: {message}", file=sys.stderr)
    return code


def _list(data: Path, *, as_json: bool) -> int:
    subscriptions = load_subscriptions(data)
    if as_json:
        listed = [
            {
                **asdict(s),
                "entries": stored_entries(data, s),
                "path": str(entry_folder(data, s)),
            }
            for s in subscriptions
        ]
        print(json.dumps(listed, ensure_ascii=False, indent=2))
        return 0
    if not subscriptions:
        print("No feeds yet: subscribe with `briefing feeds add URL`.")
        return 0
    for s in subscriptions:
        last = f"failed: {s.error}" if s.error else "ok"
        checked = f"checked {s.checked}, {last}" if s.checked else "not fetched yet"
        print(f"{s.title or '(untitled)'}  {s.url}")
        print(f"  {entries_phrase(stored_entries(data, s))} in {entry_folder(data, s)} · {checked}")
    return 0


def _remove(data: Path, args: argparse.Namespace) -> int:
    removed = unsubscribe(data, args.url)
    if removed is None:
        return _fail(f"not subscribed to {args.url} (see `briefing feeds list`)", 1)
    folder = entry_folder(data, removed)
    name = removed.title or removed.url
    if not args.delete_entries:
        print(
            f"unsubscribed from {name}; {entries_phrase(stored_entries(data, removed))} kept in "
            f"{folder} and in the library (`--delete-entries` deletes them)"
        )
        return 0
    count = stored_entries(data, removed)
    shutil.rmtree(folder, ignore_errors=True)
    print(f"unsubscribed from {name} and deleted its {entries_phrase(count)} ({folder})")
    return _sync(args) if count else 0


def _add(data: Path, args: argparse.Namespace) -> int:
    url = args.url.strip()
    known = any(s.url == url for s in load_subscriptions(data))
    try:
        subscription = subscribe(data, url)
    except ValueError as error:
        return _fail(str(error))
    report = _run_update(data, [url], force=True, mode=args.progress)
    if report is None:
        return _stopped()
    result = report.feeds[0] if report.feeds else None
    if result is not None and result.status == "failed":
        if not known:
            unsubscribe(data, url)
            _remove_if_empty(entry_folder(data, subscription))
        message = f"{url}: {result.error}; not subscribed"
        if args.progress == "json":
            print(json.dumps({"event": "error", "message": message}), flush=True)
        return _fail(message, 1)
    _print_report(report, args.progress)
    if args.progress != "json":
        title = (result.title if result else None) or url
        print(
            f"subscribed to {title}; {entries_phrase(stored_entries(data, subscription))} in "
            f"{entry_folder(data, subscription)}"
        )
    return _sync(args) if report.written else 0


def _update(data: Path, args: argparse.Namespace) -> int:
    if not args.urls and not load_subscriptions(data):
        if args.progress == "json":
            _print_report(FeedsReport(), "json")
        else:
            print("No feeds yet: subscribe with `briefing feeds add URL`.")
        return 0
    report = _run_update(data, args.urls or None, force=args.force, mode=args.progress)
    if report is None:
        return _stopped()
    _print_report(report, args.progress)
    code = 1 if report.failed else 0
    if report.written:
        code = max(code, _sync(args))
    return code


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # it holds entries from before: they stay


class _Terminated(BaseException):
    """SIGTERM (the window's Cancel): ends the update at once; what is written stays."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _run_update(
    data: Path, urls: Sequence[str] | None, *, force: bool, mode: str
) -> FeedsReport | None:
    """Update the feeds with progress printed; None when SIGTERM stopped it."""
    printer = _ProgressPrinter(mode, sys.stdout if mode == "json" else sys.stderr)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return update_feeds(data, urls=urls, force=force, progress=printer)
    except _Terminated:
        return None
    finally:
        printer.finish()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stopped() -> int:
    print("briefing feeds: stopped; entries written so far stay", file=sys.stderr, flush=True)
    return 128 + signal.SIGTERM


def _print_report(report: FeedsReport, mode: str) -> None:
    if mode == "json":
        print(json.dumps({"event": "feeds-report", **report.to_json_dict()}), flush=True)
        return
    for feed in report.feeds:
        print(feed.describe())
        for note in feed.notes:
            print(f"  {note}")
    written = len(report.written)
    line = f"{len(report.feeds)} feed{'s' if len(report.feeds) != 1 else ''}: "
    line += entries_phrase(written, "new")
    if report.failed:
        line += f", {len(report.failed)} failed"
    if report.cancelled:
        line += "; cancelled"
    print(line, flush=True)


def _sync(args: argparse.Namespace) -> int:
    """Sync the library as `briefing index` does, so the new entries are searchable."""
    if args.no_index:
        return 0
    from search.cli import cmd_index  # whoosh: imported only when there is something to index

    index_args = argparse.Namespace(
        data_dir=args.data_dir,
        paths=[],
        remove=[],
        rebuild=False,
        processes=None,
        progress=args.progress,
    )
    return cmd_index(index_args)


class _ProgressPrinter:
    """Progress as JSON lines, a carriage-return-updated line on a terminal, or a line per feed."""

    def __init__(self, mode: str, stream: TextIO) -> None:
        self.mode = mode
        self.stream = stream
        self.tty = stream.isatty()
        self.dirty = False
        self.last_feed = -1
        self.last_print = 0.0

    def __call__(self, progress: FeedProgress) -> None:
        if self.mode == "none" or not progress.url:
            return
        if self.mode == "json":
            event = {"event": "feeds-progress", **asdict(progress)}
            print(json.dumps(event), file=self.stream, flush=True)
            return
        line = f"feed {progress.done + 1}/{progress.total} {progress.title or progress.url}"
        if progress.entries_total:
            line += f": entry {progress.entries_done}/{progress.entries_total}"
        now = time.monotonic()
        if self.tty:
            print("\r" + line[:78].ljust(78), end="", file=self.stream, flush=True)
            self.dirty = True
        elif progress.done != self.last_feed or now - self.last_print >= PLAIN_PROGRESS_INTERVAL:
            print(line, file=self.stream, flush=True)
            self.last_feed, self.last_print = progress.done, now

    def finish(self) -> None:
        if self.dirty:
            print(file=self.stream, flush=True)
            self.dirty = False
