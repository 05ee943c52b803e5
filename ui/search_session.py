"""The search session: the open index, the query being typed (debounced), its sort, its pages of
hits and the newest answer; no widgets, only signals (the panes show what it says)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QTimer, Signal

from ui.background import BackgroundRunner

if TYPE_CHECKING:
    from search.api import Library
    from search.models import Hit, SearchRequest, SearchResult, StoredArticle

log = logging.getLogger(__name__)

DEBOUNCE_MS = 150
# Hits fetched (with snippets) per query; more pages come as the list scrolls to its end.
PAGE_SIZE = 50


@dataclass
class OpenedLibrary:
    """The index as opened on the worker at start-up, with what the window does next."""

    index: Library
    count: int
    library: list[str]  # paths to sync now
    problem: str | None = None  # why the index cannot be read (it stays open for a rebuild)
    library_problem: str | None = None  # why library.json could not be used (the index is fine)
    read_only: str | None = None  # why nothing can be written in the data folder
    outdated: str | None = None  # made by another version: the sync started now rebuilds it


def open_library(data_dir: Path) -> OpenedLibrary:
    """Open the index and read the library (worker thread): whoosh loads here, not before the window shows."""
    from search.api import (
        IndexOutdated,
        IndexUnavailable,
        Library,
        LibraryFileError,
        library_saved,
        load_library,
        start_library,
    )

    index = Library.open(data_dir)
    try:
        count = index.count()
    except IndexOutdated as error:
        # Made by another version: the sync rebuilds it (keeping unchanged extractions).
        if index.read_only is not None:
            return OpenedLibrary(index, 0, [], str(error), read_only=index.read_only)
        try:
            return OpenedLibrary(index, 0, load_library(data_dir), outdated=str(error))
        except LibraryFileError as problem:
            return OpenedLibrary(index, 0, [], str(error), library_problem=str(problem))
    except IndexUnavailable as error:
        return OpenedLibrary(index, 0, [], str(error), read_only=index.read_only)
    if index.read_only is not None:
        # Searched as it is: no sync (it could not be written), no seeds saved as the library.
        return OpenedLibrary(index, count, [], read_only=index.read_only)
    try:
        library = load_library(data_dir)
    except LibraryFileError as error:
        # The index stays as it is (nothing is synced, so nothing is removed); the user is told.
        return OpenedLibrary(index, count, [], library_problem=str(error))
    if count == 0 and not library_saved(data_dir):
        # First use: the bundled seeds are the library's first root (as from the CLI).
        library = start_library(data_dir)
    return OpenedLibrary(index, count, library)


class SearchSession(QObject):
    """Runs the query on the worker thread; the newest query's answer wins, and more pages follow
    the shown one. Opening the index is its first task, on the same thread."""

    opened = Signal(object)  # OpenedLibrary
    answered = Signal(object)  # SearchResult with hits to show (replacing the shown ones)
    rejected = Signal(object)  # SearchResult whose query the engine could not understand
    appended = Signal(list)  # [Hit]: the next page of the shown answer
    failed = Signal(str)  # the search raised: why
    notice = Signal(str)  # what the engine says about an answer (e.g. a query cut short)
    library_counted = Signal(int)  # the library's size, re-read after a sync changed it
    library_unreadable = Signal(str)  # re-reading its size failed: why

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.index: Library | None = None
        self.text = ""
        self.sort: Literal["relevance", "date"] = "relevance"
        self.result: SearchResult | None = None  # the newest answer that had results to show
        self.answer: SearchResult | None = None  # the newest answer, even one with an error
        self._request: SearchRequest | None = None  # what `result` answered
        self._shown_rows = 0
        self._fetching_more = False
        self._library_changed = False  # a sync changed the index: count it with the next answer
        # (query, time): while that query is searched, its articles first added after the time
        # come first, marked new (a watch item opened from the watch list).
        self._new_since: tuple[str, str | None] | None = None
        # Searches, refreshes and the index's opening share one worker thread: the index is used
        # by one thread at a time, and the newest query's answer wins.
        self.searcher = BackgroundRunner(threads=1, latest_only=True, parent=self)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.run)

    def open(self, data_dir: Path) -> None:
        """Open the index on the worker; `opened` says how it went."""
        self.searcher.submit(lambda: open_library(data_dir), self._on_open, self._on_failed)

    def _on_open(self, opened: OpenedLibrary) -> None:
        self.index = opened.index
        self.opened.emit(opened)

    def set_text(self, text: str) -> None:
        """The query as typed: searched once typing pauses."""
        self.text = text
        self.debounce.start()

    def set_sort(self, sort: Literal["relevance", "date"]) -> None:
        """Sort by "relevance" or "date", and search again."""
        self.sort = sort
        self.run()

    def run(self) -> None:
        """Search for the query on the worker; the answer of the newest query wins."""
        self.debounce.stop()
        index = self.index
        if index is None:
            return
        from search.models import SearchRequest

        text = self.text.strip()
        # An empty box browses the library: the engine says what that is (newest first).
        new = self._new_since
        if new is not None and new[0] != text:
            new = self._new_since = None  # another query: the marks were for the watch item's
        since = new[1] if new is not None else None
        request = SearchRequest(
            text, browse=not text, sort=self.sort, limit=PAGE_SIZE, new_since=since
        )
        self._fetching_more = False
        # The query shown, asked again (a re-sync, a correction): as many rows as were shown, so
        # the hit being read, maybe pages down, stays in the list and selected.
        shown = self.result
        if shown is not None and (shown.browse, shown.query) == (request.browse, request.query):
            request = replace(request, limit=max(PAGE_SIZE, self._shown_rows))

        def answered(result: SearchResult) -> None:
            self.receive(result, request)

        self.searcher.submit(lambda: index.search(request), answered, self._on_failed)

    def show_new(self, query: str, since: str | None) -> None:
        """While `query` is the query, its articles first added after `since` come first, marked
        (None: none is marked); another query ends it."""
        self._new_since = (query.strip(), since)

    def refresh(self) -> None:
        """Pick up what the indexing process committed: re-run the query (a search sees the newest
        commit) and re-read the library's size with its answer."""
        self._library_changed = True
        self.run()

    def fetch_more(self) -> None:
        """The list scrolled to its end: fetch the next page of the shown query's hits."""
        index, shown, rows = self.index, self.result, self._shown_rows
        if index is None or shown is None or self._fetching_more or rows >= shown.total:
            return
        if self.searcher.pending():
            return  # a newer query is on its way; it replaces these hits anyway
        asked = self._request
        if asked is None:
            return
        request = replace(asked, sort=self.sort, limit=PAGE_SIZE, offset=rows, facets=False)
        self._fetching_more = True

        def more(result: SearchResult) -> None:
            self._fetching_more = False
            # Only hits of the same query, following on from the rows shown, are appended.
            if self.result is shown and self._shown_rows == rows and not result.error:
                self._shown_rows += len(result.hits)
                self.appended.emit(result.hits)

        self.searcher.submit(lambda: index.search(request), more, self._on_failed)
        log.debug("fetching hits %d.. of %d for %r", rows, shown.total, shown.query)

    @property
    def request(self) -> SearchRequest | None:
        """What the shown answer answered (None before the first)."""
        return self._request

    def receive(self, result: SearchResult, request: SearchRequest | None = None) -> None:
        """Take an answer; a query the engine could not understand keeps the last good results."""
        self.answer = result
        self._count_library()
        if result.notice:
            self.notice.emit(result.notice)
        if result.error:
            self.rejected.emit(result)
            return
        self.result = result
        self._request = request
        self._fetching_more = False
        self._shown_rows = len(result.hits)
        self.answered.emit(result)

    def _on_failed(self, message: str) -> None:
        self._count_library()
        self.failed.emit(message)

    def _count_library(self) -> None:
        """The library's size after a sync: a cheap read of the index's table of contents."""
        if not self._library_changed or self.index is None:
            return
        self._library_changed = False
        try:
            count = self.index.count()
        except Exception as error:  # a damaged index: the search shows the message too
            log.error("index unavailable: %s", error)
            self.library_unreadable.emit(str(error))
        else:
            self.library_counted.emit(count)

    def stop(self) -> None:
        """Drop answers in flight and let the worker finish (on closing)."""
        self.searcher.cancel_pending()
        self.searcher.wait(5000)

    def articles(self, hits: list[Hit]) -> list[StoredArticle] | None:
        """The stored articles of `hits` (None when there are none, or no index to read)."""
        index = self.index
        if index is None or not hits:
            return None
        return index.articles([hit.id for hit in hits])

    def close_index(self) -> None:
        if self.index is not None:
            self.index.close()
