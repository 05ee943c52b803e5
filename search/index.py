"""The Whoosh article index: its schema, incremental sync of a library into it, and reading articles back."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import gc
import itertools
import json
import os
import shutil
import threading
import warnings
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from whoosh import columns, fields, index, writing
from whoosh.searching import Searcher

from search import config, index_dir
from search.added import FirstAdded
from search.analysis import stemmed_analyzer, words_analyzer
from search.duplicates import CopyTable
from search.entities import (
    EntityTable,
    actor_key,
    facet_entry,
    make_correction,
    name_key,
)
from search.index_dir import IndexOutdated, damaged, describe
from search.index_dir import IndexUnavailable as IndexUnavailable
from search.library import scan_library
from search.models import (
    Article,
    Correction,
    Corroboration,
    EntityPage,
    Extraction,
    LibraryEntity,
    SearchRequest,
    SearchResult,
    Skipped,
    SortOrder,
    StoredArticle,
    SyncProgress,
    SyncReport,
)
from search.read import ReadError, read_file
from search.store import Store, StoreError

# Texts in (a lazy stream: each file is read when the extractor asks for its text), one
# Extraction per text out, in order (may be lazy too).
Extractor = Callable[[Iterator[str]], Iterable[Extraction]]

# Above this many new or changed files the writer gets a larger memory pool for sorting postings.
LARGE_BATCH = 1000
# In a file of many articles, progress is reported every this many of them.
PART_PROGRESS_EVERY = 100
FACET_SEPARATOR = "\x1f"
# Writing the index takes about this many bytes of disk per byte of article text (measured on
# the BBC library: stored text, postings, extraction); a disk-full message asks for that.
INDEX_BYTES_PER_TEXT_BYTE = 4


def build_schema() -> fields.Schema:
    """The index schema. Plain words search `title`/`body` (stemmed, accents folded, demonyms beside
    their places); "phrases", `pres*` and fuzzy~ words search the `*_words` twins, which hold words
    as written (accents and case aside) with their positions. CJK runs are pairs in both."""
    stemmed = stemmed_analyzer()
    words = words_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        path=fields.ID(stored=True, sortable=True),
        # "mtime_ns:size" of the file when indexed: sync compares it to a stat instead of reading the file.
        stamp=fields.COLUMN(columns.VarBytesColumn()),
        content_hash=fields.ID(stored=True, sortable=True),
        title=fields.TEXT(analyzer=stemmed, stored=True, field_boost=2.0, phrase=False),
        title_words=fields.TEXT(analyzer=words, field_boost=2.0),
        body=fields.TEXT(analyzer=stemmed, stored=True, phrase=False),
        body_words=fields.TEXT(analyzer=words),
        date=fields.DATETIME(stored=True, sortable=True),
        # When the article was first added to the library (search/added.py), kept by the store.
        added=fields.DATETIME(stored=True, sortable=True),
        source=fields.TEXT(analyzer=words, stored=True),
        actor=fields.TEXT(analyzer=words),
        place=fields.TEXT(analyzer=words),
        # Each name's canonical key (search.entities.name_key): actor:/place: queries find every
        # variant of a name through these.
        actor_key=fields.KEYWORD(commas=True, scorable=False),
        place_key=fields.KEYWORD(commas=True, scorable=False),
        figure=fields.TEXT(analyzer=words),
        # Every quote's words, and its speaker's name and key (as actor/actor_key): quote:"…"
        # and speaker:"…" queries.
        quote=fields.TEXT(analyzer=words),
        speaker=fields.TEXT(analyzer=words),
        speaker_key=fields.KEYWORD(commas=True, scorable=False),
        # Facet values per document, read straight from columns: much cheaper than stored fields.
        # An actor's value is its name and kind (search.entities.facet_entry).
        facet_actor=fields.COLUMN(columns.VarBytesColumn()),
        facet_place=fields.COLUMN(columns.VarBytesColumn()),
        facet_source=fields.COLUMN(columns.VarBytesColumn()),
        # The body's MinHash signature (search.duplicates): copies of one story are found with it.
        minhash=fields.COLUMN(columns.VarBytesColumn()),
        meta=fields.STORED(),  # the Article's other fields as JSON
        extraction=fields.STORED(),  # the Extraction as JSON
    )


SCHEMA_FIELDS = frozenset(build_schema().names())
# The Article's fields kept as JSON in `meta` (the others have fields of their own), in their
# order: read by name, not with dataclasses.asdict, whose deep copy cost a sync more than the JSON.
META_FIELDS = tuple(
    f.name for f in dataclass_fields(Article) if f.name not in {"id", "path", "title", "body"}
)


class ArticleIndex:
    """An index on disk: sync a library into it, search it, read articles back.

    Every read may run on any thread. Queries (`search`, `suggest`, `ids`, `refresh`) share one
    searcher; `get` and `count` use a second one with its own lock, so opening an article on the GUI
    thread never waits for a query running on a worker.
    """

    def __init__(self, directory: Path, ix: index.Index | None, problem: str | None) -> None:
        self.directory = directory
        self._ix = ix
        self._problem = problem
        self._searcher: Searcher | None = None
        self._lock = threading.RLock()
        self._document_searcher: Searcher | None = None
        self._document_lock = threading.RLock()
        self._parser: Any = None
        self.data_dir = directory.parent
        self._store: Store | None = None
        # The library's entities with the corrections applied, for the searcher it was built from
        # and the store's version it read (see `_entities`).
        self._table: tuple[EntityTable, Searcher, int] | None = None
        self._table_lock = threading.Lock()
        # Opening the store can wait on another program's lock: never while holding _table_lock.
        self._store_lock = threading.Lock()
        # Why the corrections are not applied now (None when they are), and the message last told.
        self._store_problem: str | None = None
        self._store_told: str | None = None
        self._copy_table: tuple[CopyTable | None, Searcher] | None = None
        # The index folder's inode: a rebuild swaps in a new folder, and readers must follow it.
        self._identity = _identity(directory)
        # Why nothing can be written here (a read-only disk or folder), or None: then it is
        # searched as it is, and a sync says why it cannot run.
        self.read_only: str | None = None

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> ArticleIndex:
        """Open the index in the data directory, creating it if missing.

        A damaged index still opens: reads then raise IndexUnavailable, and `sync(rebuild=True)` repairs it.
        """
        data = config.data_dir(data_dir)
        directory = config.index_dir(data)
        read_only = config.read_only_reason(data)
        if read_only is None and directory.is_dir():
            read_only = config.read_only_reason(directory)
        try:
            index = cls(directory, _open(directory, writable=read_only is None), None)
        except IndexUnavailable as e:
            index = cls(directory, None, str(e))
        index.read_only = read_only
        return index

    # Reading

    def search(
        self,
        request: SearchRequest | str,
        *,
        limit: int = 20,
        sort: SortOrder = "relevance",
        facets: bool = True,
        offset: int = 0,
    ) -> SearchResult:
        """Answer a request; a malformed query gives a SearchResult with .error set, never an exception.

        A string is a query, asked with the keyword arguments (the request's fields).
        `offset` skips that many ranked hits: the UI fetches further pages as the list scrolls.
        """
        from search.query import DAMAGE_ERRORS, make_parser, run_search

        if isinstance(request, str):
            request = SearchRequest(request, sort=sort, limit=limit, offset=offset, facets=facets)
        with self._lock:
            searcher = self._current_searcher()
            if self._parser is None:
                self._parser = make_parser(searcher.schema)
            damage: list[IndexUnavailable] = []

            def entities() -> EntityTable:
                # Built only if the query needs it (run_search asks); a damaged facet column
                # is the index's damage, not the query's error, wherever the table is built.
                try:
                    return self._entities(searcher)
                except IndexUnavailable as e:
                    damage.append(e)
                    raise

            try:
                result = run_search(
                    searcher,
                    self._parser,
                    request,
                    entities=entities,
                    copies=self._copies(searcher),
                    notes=self._note_texts,
                )
            except DAMAGE_ERRORS as e:
                raise IndexUnavailable(damaged(self.directory, describe(e))) from None
            if damage:
                raise damage[0]
            return result.with_notice(self.take_store_notice())

    def get(self, article_id: str) -> StoredArticle | None:
        """The article with this id and its stored extraction, or None.

        Called on the GUI thread: it uses the entity table the last search built and does not
        touch the store (which may be waiting on another program's lock); searches refresh it.
        """
        with self._document_lock:
            searcher = self._current_document_searcher()
            stored = self._stored(searcher, article_id)
            if not stored:
                return None
            table = self._entities(searcher, any_searcher=True)
        found = stored_article(stored)
        found.extraction = table.correct(found.extraction, article_id)
        return found

    def get_uncorrected(self, article_id: str) -> StoredArticle | None:
        """The article with its extraction as stored, before the user's corrections."""
        with self._document_lock:
            stored = self._stored(self._current_document_searcher(), article_id)
        return stored_article(stored) if stored else None

    def _stored(self, searcher: Searcher, article_id: str) -> dict[str, Any] | None:
        try:
            stored: dict[str, Any] | None = searcher.document(id=article_id)
        except Exception as e:  # what whoosh raises reading garbage: struct, pickle, codec errors
            raise IndexUnavailable(damaged(self.directory, describe(e))) from None
        return stored

    # The user's corrections (kept in the store, applied at read time)

    @property
    def store(self) -> Store:
        """The data directory's store, opened on first use."""
        with self._store_lock:
            if self._store is None:
                self._store = Store.open(self.data_dir)
            return self._store

    def _note_texts(self) -> dict[str, str]:
        """What a note: clause searches: the user's notes, read from the store when asked."""
        from search.notes import note_texts

        return note_texts(self.store)

    def take_store_notice(self) -> str | None:
        """Why the corrections are not applied, the first time it is asked after it went wrong
        (the CLI prints it, the window shows it); None when already told or all is well."""
        problem = self._store_problem
        if problem is None or problem == self._store_told:
            return None
        self._store_told = problem
        return f"Your corrections are not applied: {problem}"

    def entities(self, *, include_hidden: bool = False) -> list[LibraryEntity]:
        """Every actor and place in the library, merged and corrected, with article counts."""
        with self._lock:
            table = self._entities(self._current_searcher())
        return table.entities(include_hidden=include_hidden)

    def entity_page(self, name: str, field_name: str | None = None) -> EntityPage:
        """The page of the actor or place called `name` (see search.entity_page); raises
        search.entities.UnknownEntity, with a close name, for a name no article uses."""
        from search.entity_page import entity_page

        with self._lock:
            searcher = self._current_searcher()
            table, copies = self._entities(searcher), self._copies(searcher)
            try:
                return entity_page(searcher, table, copies, name, field_name)
            except (OSError, EOFError, UnicodeError, ValueError) as e:  # garbage in stored fields
                raise IndexUnavailable(damaged(self.directory, describe(e))) from None

    def corroboration(self, article_id: str) -> Corroboration | None:
        """How many sources carry each of the article's key figures and quotes, and where they
        disagree (see search.corroboration); None when no article has this id."""
        from search.corroboration import corroboration

        with self._lock:
            searcher = self._current_searcher()
            table, copies = self._entities(searcher), self._copies(searcher)
            try:
                return corroboration(searcher, table, copies, article_id)
            except (OSError, EOFError, UnicodeError, ValueError) as e:  # garbage in stored fields
                raise IndexUnavailable(damaged(self.directory, describe(e))) from None

    def correct_entity(
        self, action: str, name: str, value: str | None = None, field_name: str | None = None
    ) -> Correction:
        """Rename, merge, hide or change the kind of the entity called `name`, and store it.

        `field_name` ("actor"/"place") picks one of an actor and a place that share a name.

        Raises search.entities.UnknownEntity or CorrectionError when it cannot be done as asked.
        """
        with self._lock:
            table = self._entities(self._current_searcher())
            correction = self.store.add_correction(
                make_correction(table, action, name, value, field_name)
            )
        self._rebuild_entities()
        return correction

    def hide_figure(self, article_id: str, text: str) -> Correction:
        """Hide a key figure of one article; raises CorrectionError when it has no such figure."""
        from search.entities import CorrectionError

        stored = self.get_uncorrected(article_id)
        if stored is None:
            raise CorrectionError(f"no article with id {article_id!r} in the index")
        figures = [figure.text for figure in stored.extraction.figures]
        if text not in figures:
            listed = ", ".join(f'"{figure}"' for figure in figures) or "none"
            raise CorrectionError(
                f'article {article_id} has no figure "{text}" (its figures: {listed})'
            )
        correction = self.store.add_correction(
            Correction("hide_figure", "figure", article_id, text)
        )
        self._rebuild_entities()
        return correction

    def corrections(self) -> list[Correction]:
        """The corrections in force, oldest first."""
        return self.store.corrections()

    def undo_correction(self, correction_id: int | None = None) -> Correction | None:
        """Take back the newest correction (or the one with this id); None when there was none."""
        undone = self.store.undo(correction_id)
        self._rebuild_entities()
        return undone

    def _rebuild_entities(self) -> None:
        """After a correction: the table is rebuilt here (a worker in the window), so neither the
        next search nor opening an article on the GUI thread has to."""
        with self._lock:
            self._entities(self._current_searcher())

    def _entities(self, searcher: Searcher, *, any_searcher: bool = False) -> EntityTable:
        """The entity table for this searcher and the corrections in force, built when either changed.

        `any_searcher`: a table from another searcher will do (opening an article only needs
        names, and must not rebuild the table on the GUI thread after every commit).
        """
        if any_searcher:
            with self._table_lock:
                if self._table is not None:
                    return self._table[0]
        corrections: list[Correction] | None = None
        try:
            version = self.store.version()
        except StoreError as e:
            version, corrections = self._store_failed(e)
        with self._table_lock:
            cached = self._table
            if (
                cached is not None
                and cached[2] == version
                and (any_searcher or cached[1] is searcher)
            ):
                return cached[0]
        if corrections is None:
            try:
                corrections = self.store.corrections()
                self._store_problem = self._store_told = None
            except StoreError as e:
                version, corrections = self._store_failed(e)
        try:
            entries = _entity_entries(searcher)
        except Exception as e:  # garbage in a facet column: struct, codec errors
            raise IndexUnavailable(damaged(self.directory, describe(e))) from None
        table = EntityTable(entries, corrections)
        with self._table_lock:
            self._table = (table, searcher, version)
        return table

    def _copies(self, searcher: Searcher) -> CopyTable | None:
        """The groups of copies noted for the searcher's commit (None: none noted for it)."""
        cached = self._copy_table
        if cached is not None and cached[1] is searcher:
            return cached[0]
        reader = searcher.reader()
        try:
            note = json.loads((self.directory / index_dir.COPIES_FILE).read_text(encoding="utf-8"))
            groups = note["groups"] if note["generation"] == reader.generation() else []
        except (OSError, ValueError, KeyError, TypeError):
            groups = []  # not written yet (or by a killed writer): hits are simply not folded
        table = None
        if groups:
            # Only the grouped articles' document numbers: reading every document's id took
            # longer than a search.
            ids: list[str | None] = [None] * reader.doc_count_all()
            for article_id in {article_id for group in groups for article_id in group}:
                docnum = searcher.document_number(id=article_id)
                if docnum is not None:
                    ids[docnum] = article_id
            table = CopyTable(groups, ids)
        self._copy_table = (table, searcher)
        return table

    def _store_failed(self, error: StoreError) -> tuple[int, list[Correction]]:
        """An unusable store (damaged, locked, unreadable): searching goes on with the extraction
        as stored, and the user is told once why (see take_store_notice)."""
        self._store_problem = str(error)
        return -1, []

    def count_matching(self, text: str, *, added_after: str | None = None) -> int:
        """How many articles match the query (copies of a story once), only those first added
        after `added_after` (ISO 8601) when given; raises search.query.QueryError for a query
        it cannot read. Cheap: no stored field is read (see search.query.count_matching)."""
        from search.query import DAMAGE_ERRORS, count_matching, make_parser

        with self._lock:
            searcher = self._current_searcher()
            if self._parser is None:
                self._parser = make_parser(searcher.schema)
            try:
                return count_matching(
                    searcher,
                    self._parser,
                    text,
                    added_after=added_after,
                    entities=self._entities(searcher),
                    copies=self._copies(searcher),
                    notes=self._note_texts,
                )
            except DAMAGE_ERRORS as e:
                raise IndexUnavailable(damaged(self.directory, describe(e))) from None

    def ids(self) -> list[str]:
        """The ids of every indexed article."""
        with self._lock:
            reader = self._current_searcher().reader()
            id_column = reader.column_reader("id")
            return [id_column[docnum] for docnum in reader.all_doc_ids()]

    def count(self) -> int:
        """How many articles are indexed (read from the newest commit's table of contents)."""
        with self._document_lock:
            if self._ix is None:
                self._reopen()
            assert self._ix is not None
            try:
                return int(self._ix.doc_count())
            except Exception as e:
                raise IndexUnavailable(damaged(self.directory, describe(e))) from None

    def refresh(self) -> None:
        """Pick up commits made since the searcher was opened (by this or another process)."""
        with self._lock:
            if self._ix is None:
                self._reopen()
            if self._searcher is not None:
                self._current_searcher()

    def close(self) -> None:
        """Release the searchers' open files (and the store's)."""
        with self._table_lock:
            self._table = None
            if self._store is not None:
                self._store.close()
                self._store = None
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
        with self._document_lock:
            if self._document_searcher is not None:
                self._document_searcher.close()
                self._document_searcher = None

    def __del__(self) -> None:
        # Segment files stay open while a searcher lives; an index dropped unclosed closes them here.
        self.close()

    def _current_searcher(self) -> Searcher:
        # Cleared first: if opening the new searcher fails, no closed one is left behind.
        searcher, self._searcher = self._searcher, None
        self._searcher = self._fresh(searcher)
        return self._searcher

    def _current_document_searcher(self) -> Searcher:
        searcher, self._document_searcher = self._document_searcher, None
        self._document_searcher = self._fresh(searcher)
        return self._document_searcher

    def _fresh(self, searcher: Searcher | None) -> Searcher:
        """`searcher` if it still sees the newest commit, else a new one (the caller holds its lock)."""
        if self._ix is None or _identity(self.directory) != self._identity:
            # Never opened, or a rebuild swapped a new index folder in: the old searcher would
            # compare generations with the new folder's and may think itself current.
            self._reopen()
            if searcher is not None:
                searcher.close()
                searcher = None
        assert self._ix is not None
        if searcher is not None and searcher.up_to_date():
            return searcher
        # A new searcher rather than Searcher.refresh(): whoosh's refresh re-adds segments the new
        # commit merged away, and fails outright when the old reader was of an empty index.
        if searcher is not None:
            searcher.close()
        try:
            return self._ix.searcher()
        except Exception as e:
            raise IndexUnavailable(damaged(self.directory, describe(e))) from None

    def _reopen(self) -> None:
        self._identity = _identity(self.directory)
        try:
            self._ix = _open(self.directory, writable=self.read_only is None)
            self._problem = None
        except IndexUnavailable as e:
            self._problem = str(e)
            raise

    # Writing

    def sync(
        self,
        paths: Sequence[Path | str],
        *,
        rebuild: bool = False,
        progress: Callable[[SyncProgress], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        processes: int = 2,
        extractor: Extractor | None = None,
    ) -> SyncReport:
        """Make the index mirror the article files under `paths`: add new, re-index changed, drop deleted.

        Unchanged files cost one stat. Everything lands in one commit, or nothing does (cancel, error).
        `extractor` replaces the spaCy extraction (tests, benchmarks); by default `search.extract` runs.
        """
        run = functools.partial(
            _SyncRun,
            progress=progress or (lambda p: None),
            cancel=cancel or (lambda: False),
            extractor=extractor or _spacy_extractor(processes),
            store=lambda: self.store,
        )
        self.read_only = config.read_only_reason(self.data_dir)
        if self.read_only is not None:
            raise IndexUnavailable(
                f"Cannot index: {self.read_only}. Searching what is indexed still works; make it "
                "writable, or use another data folder (--data-dir, BRIEFING_HOME)."
            )
        with index_dir.sync_lock(self.data_dir):
            with self._lock:
                self.close()
                index_dir.recover(self.directory)
                index_dir.remove_leftovers(self.directory)
                outdated = False
                if not rebuild:
                    try:
                        self._reopen()  # damage since it was opened is found here, not mid-sync
                    except IndexOutdated:
                        outdated = True  # nothing in it can be reused: made afresh
                if rebuild or outdated:
                    # An index of another version still holds extractions worth keeping.
                    keep = _open_any_version(self.directory) if outdated else None
                    try:
                        report = self._rebuild(paths, functools.partial(run, reuse=keep))
                    finally:
                        if keep is not None:
                            keep.close()
                    if outdated:
                        report.messages.append(
                            "the index was made by another version of Briefing Cards: rebuilt"
                        )
                else:
                    assert self._ix is not None
                    report = self._disk_full_guard(
                        run(self._ix, self.directory, rebuild=False), paths
                    )
        self.refresh()
        return report

    def _rebuild(self, paths: Sequence[Path | str], run: Callable[..., _SyncRun]) -> SyncReport:
        """A fresh index built beside the old one (which may be damaged beyond reading) and swapped
        in whole when complete; until then the old one stays as it was, searchable if it was."""
        rebuilt = index_dir.beside(self.directory, "rebuild")
        index_dir.wipe(rebuilt)
        fresh = index_dir.open_index(rebuilt, build_schema())
        try:
            report = self._disk_full_guard(run(fresh, rebuilt, rebuild=True), paths)
            if not report.cancelled:
                index_dir.write_manifest(fresh, rebuilt)
        except BaseException:
            fresh.close()
            index_dir.wipe(rebuilt)
            raise
        fresh.close()
        if report.cancelled:
            index_dir.wipe(rebuilt)
            return report
        index_dir.swap_in(rebuilt, self.directory)
        self._reopen()
        return report

    def _disk_full_guard(self, run: _SyncRun, paths: Sequence[Path | str]) -> SyncReport:
        """Run the sync; a full disk ends it with what to free (its writes are already undone)."""
        try:
            return run.run(paths)
        except OSError as e:
            if e.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
        free = shutil.disk_usage(self.data_dir).free
        needed = max(
            run.text_bytes * INDEX_BYTES_PER_TEXT_BYTE,
            index_dir.folder_size(self.directory) if run.rebuild else 0,
            10 * MB,
        )
        with warnings.catch_warnings():
            # Whoosh could not close the files it could not flush; they go now, not at random.
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        raise IndexUnavailable(
            f"The disk holding {self.directory} is full ({_size(free)} free): this sync needs "
            f"about {_size(needed)}. Nothing was changed; free some space and index again."
        )


@dataclass
class _File:
    """A file being written: its path, its stamp, and whether every part kept its extraction."""

    path: str
    stamp: str
    reused: bool = True


@dataclass
class _Part:
    """One article of a file on its way through the extraction stream."""

    file: _File
    article: Article
    last: bool  # the file's last article: writing it finishes the file
    number: int = 1  # its place in the file, from 1
    of: int = 1  # the file's articles
    reused: Extraction | None = None  # a stored extraction to write instead of a fresh one


class _SyncRun:
    """One sync: scan, compare stamps, read and extract changed files in batches, commit once."""

    def __init__(
        self,
        ix: index.Index,
        directory: Path,
        *,
        rebuild: bool,
        progress: Callable[[SyncProgress], None],
        cancel: Callable[[], bool],
        extractor: Extractor,
        store: Callable[[], Store],
        reuse: index.Index | None = None,
    ) -> None:
        """`reuse`: an index (of another version) whose stored extractions a rebuild may keep
        for articles whose text is unchanged, so an upgrade does not re-extract the library.
        `store`: the user's store, which keeps when each article was first added."""
        self.ix = ix
        self.reuse = reuse
        self.directory = directory
        self.rebuild = rebuild
        self.progress = progress
        self.cancel = cancel
        self.extractor = extractor
        self.extraction_failed = False
        self.report = SyncReport()
        self.first_added = FirstAdded(store, self.report.messages)
        self.text_bytes = 0  # the size of the files to (re)read, for a disk-full message
        self.written: set[str] = set()  # ids of the articles this sync wrote
        self.articles = 0  # articles written so far (uncommitted until the sync's one commit)
        # path → (stamp, parts left out) for each file in the index after this sync's commit
        # whose reading left parts out: kept in LEFT_OUT_FILE for the syncs that do not read it.
        self.left_out: dict[str, tuple[str, list[Skipped]]] = {}

    def run(self, paths: Sequence[Path | str]) -> SyncReport:
        report = self.report
        files, skipped = scan_library(paths)
        report.skipped.extend(skipped)
        self.progress(SyncProgress(0, len(files), phase="scanning"))
        existing = {} if self.rebuild else self._indexed_files()
        to_read: list[tuple[Path, str]] = []
        for path in files:
            stamp = _stamp(path)
            known = existing.get(str(path))
            if stamp is not None and known is not None and known[0] == stamp:
                report.unchanged += 1
            else:
                to_read.append((path, stamp or ""))
                self.text_bytes += _stamped_size(stamp)
        wanted = {str(path) for path in files}
        kept = self._missing_roots(paths, existing)
        gone = sorted(p for p in existing if p not in wanted and p not in kept)
        reread = {str(path) for path, _ in to_read}
        report.skipped.extend(self._left_out_before(existing, reread | set(gone)))
        if not to_read and not gone and not self.rebuild:
            if index_dir.writer_pid(self.directory) is None:
                # A writer killed after its commit (nothing left to do now) left its pid note.
                index_dir.clear_writer_pid(self.directory)
            self.progress(SyncProgress(len(files), len(files), phase="writing"))
            self.first_added.record(self.ix)
            return report

        writer = index_dir.open_writer(self.ix, self.directory, large=len(to_read) >= LARGE_BATCH)
        try:
            for path_text in gone:
                writer.delete_by_term("path", path_text)
                report.removed.append(path_text)
            with (self.reuse or self.ix).searcher() as old:
                self._index_files(writer, old, to_read, existing)
            if report.cancelled:
                _cancel(writer, self.directory)
                return report
            total = len(to_read)
            self.progress(SyncProgress(total, total, phase="writing", articles=self.articles))
            writer.commit(mergetype=_merge_type(self.ix, self.rebuild))
        except BaseException:
            _cancel(writer, self.directory)
            raise
        finally:
            index_dir.clear_writer_pid(self.directory)
        index_dir.write_manifest(self.ix, self.directory)
        self.first_added.record(self.ix)
        _write_left_out(self.directory, self.left_out)
        _write_copies(self.ix, self.directory, None if self.rebuild else self.written)
        return report

    def _left_out_before(
        self, existing: dict[str, tuple[str, str]], read_or_gone: set[str]
    ) -> list[Skipped]:
        """The parts left out of indexed files this sync does not read (unchanged, or under a
        missing folder), as the sync that last read each found them: listed at every sync, not
        only the one that read the file. A file read again or gone drops its old entries."""
        if self.rebuild:
            return []
        carried: list[Skipped] = []
        for path, (stamp, entries) in _read_left_out(self.directory).items():
            known = existing.get(path)
            if path in read_or_gone or known is None or known[0] != stamp:
                continue
            self.left_out[path] = (stamp, entries)
            carried.extend(entries)
        return carried

    def _indexed_files(self) -> dict[str, tuple[str, str]]:
        try:
            return _indexed_files(self.ix)
        except Exception as e:  # garbage in a column: whoosh fails in struct, codecs, pickle…
            raise IndexUnavailable(damaged(self.directory, describe(e))) from None

    def _missing_roots(self, roots: Sequence[Path | str], existing: Iterable[str]) -> set[str]:
        """Indexed files under library folders that are missing now (an unplugged drive): they
        stay until the folder is back or removed from the library, and the report says so."""
        kept: set[str] = set()
        for given in roots:
            root = os.path.expanduser(str(given))
            if os.path.lexists(root):
                continue
            prefix = root.rstrip(os.sep) + os.sep
            under = {p for p in existing if p == root or p.startswith(prefix)}
            kept |= under
            self.report.skipped = [s for s in self.report.skipped if s.path != root]
            self.report.messages.append(
                f"not found: {root} — its {len(under)} "
                f"{'article is' if len(under) == 1 else 'articles are'} kept until it is back or you remove it (`briefing index --remove {root}`)"
            )
        return kept

    def _index_files(
        self,
        writer: writing.IndexWriter,
        old: Searcher,
        to_read: list[tuple[Path, str]],
        existing: dict[str, tuple[str, str]],
    ) -> None:
        """Read, extract and write every file in `to_read`, through one extraction stream.

        One stream for the whole sync, not one per batch: with two processes, spaCy starts its
        workers (and loads the model in each, a few seconds) once. Files are read as the stream
        asks for texts, so only its read-ahead is in memory. A file may hold several articles (a
        feed's entries, a mailbox's messages, a book's chapters): each is one document, keyed by
        its own id; a changed file's old documents all go and its current parts are written. A
        part whose text is unchanged (same content hash) keeps its stored extraction.
        """
        total = len(to_read)
        waiting: deque[_Part] = deque()  # read, in the stream, not yet written
        failure: list[BaseException] = []  # what stopped the reading, raised once the stream ends
        done = 0  # files written or skipped: what the progress counts
        read = 0  # files read, ahead of `done` by what the extractor has taken but not returned

        def write(part: _Part, extraction: Extraction, *, reused: bool) -> None:
            nonlocal done
            file = part.file
            file.reused = file.reused and reused
            added = self.first_added.time_for(part.article.id)
            writer.add_document(**_document(part.article, extraction, file.stamp, added))
            self.written.add(part.article.id)
            self.articles += 1
            if not part.last:
                if part.number % PART_PROGRESS_EVERY == 0:
                    # A 50 MB mailbox is one file: its messages show the sync is moving.
                    where = f"{part.number:,} of {part.of:,}"
                    self.progress(
                        SyncProgress(
                            done, total, file.path, "extracting", where, read, self.articles
                        )
                    )
                return
            done += 1
            self.progress(
                SyncProgress(
                    done, total, file.path, "extracting", read=read, articles=self.articles
                )
            )
            if file.path not in existing:
                self.report.added.append(file.path)
            elif file.reused:
                self.report.unchanged += 1
            else:
                self.report.updated.append(file.path)

        def bodies() -> Iterator[str]:
            """The texts to extract, in order, reading each file when the stream asks for it.

            It never raises into the extractor (spaCy's workers would be left waiting): an error
            ends the stream and is raised after it, so the sync fails and nothing is committed.
            """
            nonlocal done, read
            for path, stamp in to_read:
                if self.report.cancelled or self.cancel():
                    self.report.cancelled = True
                    return
                try:
                    read += 1
                    self.progress(
                        SyncProgress(
                            done, total, str(path), "reading", read=read, articles=self.articles
                        )
                    )
                    parts = self._parts(path, stamp, old, writer, existing)
                    if not parts:
                        done += 1
                        continue
                except BaseException as e:  # noqa: BLE001 (re-raised once the stream is closed)
                    failure.append(e)
                    return
                for part in parts:
                    if part.reused is not None and not waiting:
                        try:
                            write(part, part.reused, reused=True)
                        except BaseException as e:  # noqa: BLE001 (as above)
                            failure.append(e)
                            return
                        continue
                    waiting.append(part)  # a reused one is written in order behind the others
                    if part.reused is None:
                        yield part.article.body

        def drain_reused() -> None:
            while waiting and waiting[0].reused is not None:
                part = waiting.popleft()
                assert part.reused is not None
                write(part, part.reused, reused=True)

        fresh = self._extract(bodies())
        try:
            for extraction in fresh:
                if self.cancel():
                    self.report.cancelled = True
                if self.report.cancelled or failure:
                    return
                drain_reused()
                if not waiting:
                    break  # an extractor that returns more results than texts: the rest is unused
                write(waiting.popleft(), extraction, reused=False)
                drain_reused()
        finally:
            fresh.close()  # stops spaCy's worker processes, however the loop ended
            if failure:
                raise failure[0]
        while waiting and not self.report.cancelled:
            # The extractor returned fewer results than texts: the rest is written without any.
            part = waiting.popleft()
            write(part, part.reused or Extraction(), reused=part.reused is not None)

    def _parts(
        self,
        path: Path,
        stamp: str,
        old: Searcher,
        writer: writing.IndexWriter,
        existing: dict[str, tuple[str, str]],
    ) -> list[_Part]:
        """The articles of `path` on their way to the index, each with its stored extraction when
        its text is unchanged; none when it cannot be read (the reason is in the report)."""
        articles = self._read(path, stamp, writer, existing)
        if not articles:
            return []
        file = _File(str(path), stamp)
        if file.path in existing:  # its old documents go; its current parts come
            writer.delete_by_term("path", file.path)
        return [
            _Part(
                file,
                article,
                last=number == len(articles),
                number=number,
                of=len(articles),
                reused=self._stored_extraction(old, article, existing),
            )
            for number, article in enumerate(articles, 1)
        ]

    def _read(
        self,
        path: Path,
        stamp: str,
        writer: writing.IndexWriter,
        existing: dict[str, tuple[str, str]],
    ) -> list[Article]:
        """The articles in `path`, or none with the reason in the report (its old version leaves).

        Parts of a file left out (a feed entry with no text) are reported by name, each once, and
        noted with the file's stamp for later syncs (see LEFT_OUT_FILE); the rest go on.
        """
        try:
            reading = read_file(path)
        except ReadError as e:
            self.report.skipped.append(Skipped(str(path), str(e)))
            if str(path) in existing:  # its old version no longer reflects the file
                writer.delete_by_term("path", str(path))
                self.report.removed.append(str(path))
            return []
        left_out = [Skipped(str(path), str(left), left.part) for left in reading.left_out]
        if left_out and reading.articles:
            self.left_out[str(path)] = (stamp, left_out)
        self.report.skipped.extend(left_out)
        return reading.articles

    def _stored_extraction(
        self, old: Searcher, article: Article, existing: dict[str, tuple[str, str]]
    ) -> Extraction | None:
        """The stored extraction of an article whose text is unchanged (same content hash)."""
        if article.path not in existing and self.reuse is None:
            return None
        stored = old.document(id=article.id)
        if not stored or stored.get("content_hash") != article.content_hash:
            return None
        return Extraction.from_dict(json.loads(stored["extraction"]))

    def _extract(self, texts: Iterator[str]) -> Generator[Extraction, None, None]:
        """Extractions for `texts`, in order, computed as they are consumed (for progress).

        The extractor is called only once there is a first text, so a sync with nothing to extract
        never loads the model; a model that cannot load gives empty extractions and one message.
        Closing this generator closes the extractor's stream (and so spaCy's worker processes).
        """
        first_text = next(texts, None)
        if first_text is None:
            return
        texts = itertools.chain([first_text], texts)
        stream: Iterator[Extraction] | None = None
        if not self.extraction_failed:
            try:
                stream = iter(self.extractor(texts))
                # The model loads on the first result: a missing model shows up here, not mid-sync.
                first = next(stream, None)
                if first is not None:
                    yield first
                    yield from stream
                    return
                reason = "the extractor returned no results"
            except ImportError as e:
                reason = f"extraction is not installed ({e})"
            except Exception as e:
                from search.extract import ModelUnavailable

                if not isinstance(e, ModelUnavailable):
                    raise
                reason = str(e)
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()
            self.extraction_failed = True
            self.report.messages.append(
                f"actors/places/figures will be empty until the spaCy model can be loaded: {reason}"
            )
        for _ in texts:
            yield Extraction()


def _spacy_extractor(processes: int) -> Extractor:
    def extract(texts: Iterator[str]) -> Iterable[Extraction]:
        # Imported here so spaCy loads only when a sync has something to extract.
        from search.extract import extract_texts

        return extract_texts(texts, processes=processes)

    return extract


def _document(
    article: Article, extraction: Extraction, stamp: str, added: dt.datetime
) -> dict[str, Any]:
    """The Whoosh fields for one article; `added`: when it was first added (naive UTC)."""
    actors = [a.name for a in extraction.actors]
    places = [p.name for p in extraction.places]
    actor_keys = {actor_key(a.name, a.kind) for a in extraction.actors}
    place_keys = {name_key(name) for name in places}
    meta = {name: getattr(article, name) for name in META_FIELDS}
    document: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "stamp": stamp.encode(),
        "content_hash": article.content_hash,
        "title": article.title,
        "title_words": article.title,
        "body": article.body,
        "body_words": article.body,
        # A line break between names keeps one name's words apart from the next in the field's text.
        "actor": "\n".join(actors),
        "place": "\n".join(places),
        "figure": "\n".join(f"{f.text} {f.label}" for f in extraction.figures),
        "quote": "\n".join(q.text for q in extraction.quotes),
        "speaker": "\n".join(dict.fromkeys(q.speaker for q in extraction.quotes if q.speaker)),
        "speaker_key": ",".join(sorted(_speaker_keys(extraction))),
        "actor_key": ",".join(sorted(actor_keys)),
        "place_key": ",".join(sorted(place_keys)),
        "facet_actor": FACET_SEPARATOR.join(
            facet_entry(a.name, a.kind) for a in extraction.actors
        ).encode(),
        "facet_place": FACET_SEPARATOR.join(places).encode(),
        "facet_source": (article.source or "").encode(),
        "minhash": _signature(f"{article.title}\n\n{article.body}"),
        "meta": json.dumps(meta),
        "extraction": json.dumps(extraction.to_dict()),
        "added": added,
    }
    if article.source:
        document["source"] = article.source
    if article.date:
        document["date"] = dt.datetime.fromisoformat(article.date)
    return document


def _speaker_keys(extraction: Extraction) -> set[str]:
    """The actor keys of the article's quoted speakers: a speaker named as one of its actors takes
    that actor's kind, so speaker:"Labour" finds what actor:"Labour" finds."""
    kinds = {actor.name: actor.kind for actor in extraction.actors}
    return {
        actor_key(q.speaker, kinds.get(q.speaker, "person")) for q in extraction.quotes if q.speaker
    }


def _entity_entries(
    searcher: Searcher,
) -> list[tuple[tuple[str, ...], tuple[str, ...]] | None]:
    """Each document's actor and place facet entries, by docnum (None for a deleted document)."""
    reader = searcher.reader()
    if reader.doc_count() == 0:
        return []
    live = set(reader.all_doc_ids())
    actors, places = reader.column_reader("facet_actor"), reader.column_reader("facet_place")

    def values(raw: bytes) -> tuple[str, ...]:
        text = bytes(raw).decode("utf-8")
        return tuple(text.split(FACET_SEPARATOR)) if text else ()

    return [
        (values(actors[docnum]), values(places[docnum])) if docnum in live else None
        for docnum in range(reader.doc_count_all())
    ]


def stored_article(stored: dict[str, Any]) -> StoredArticle:
    """An article and its extraction from a document's stored fields."""
    meta = json.loads(stored["meta"])
    article = Article(
        id=stored["id"], path=stored["path"], title=stored["title"], body=stored["body"], **meta
    )
    return StoredArticle(article, Extraction.from_dict(json.loads(stored["extraction"])))


def _stamp(path: Path) -> str | None:
    """What a file's stat says about its content: "mtime_ns:size:ctime_ns:inode".

    The change time and inode catch an edit that keeps mtime and size (`touch -r`, `cp -p` of an
    old version, `sed -i`): no program can set them back. A stamp that differs only by them costs
    a read and a hash; the extraction is kept when the content hash is unchanged.
    """
    try:
        info = path.stat()
    except OSError:
        return None
    return f"{info.st_mtime_ns}:{info.st_size}:{info.st_ctime_ns}:{info.st_ino}"


def _stamped_size(stamp: str | None) -> int:
    try:
        return int((stamp or "").split(":")[1])
    except (IndexError, ValueError):
        return 0


def _cancel(writer: writing.IndexWriter, directory: Path) -> None:
    """Undo an uncommitted write: drop its segment files, whatever failed (a full disk included)."""
    try:
        writer.cancel()
    except Exception:
        # Closing its files failed (no space to flush them): the lock must still go.
        with contextlib.suppress(Exception):
            writer.writelock.release()
    index_dir.remove_leftovers(directory)


def _read_left_out(directory: Path) -> dict[str, tuple[str, list[Skipped]]]:
    """LEFT_OUT_FILE as the last commit's sync wrote it; {} when missing or unreadable (then
    the parts left out of unchanged files are listed again once those files change)."""
    try:
        noted = json.loads((directory / index_dir.LEFT_OUT_FILE).read_text(encoding="utf-8"))
        return {
            str(path): (
                str(entry["stamp"]),
                [Skipped(str(path), str(reason), str(part)) for part, reason in entry["parts"]],
            )
            for path, entry in noted["files"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _write_left_out(directory: Path, left_out: dict[str, tuple[str, list[Skipped]]]) -> None:
    """Note the parts left out of each indexed file, after the commit (best effort: without the
    note a later sync does not list them until the file changes; the index is not harmed)."""
    if not left_out:  # no file with a part left out: no note
        with contextlib.suppress(OSError):
            (directory / index_dir.LEFT_OUT_FILE).unlink(missing_ok=True)
        return
    files = {
        path: {"stamp": stamp, "parts": [[entry.part, entry.reason] for entry in entries]}
        for path, (stamp, entries) in sorted(left_out.items())
    }
    temporary = directory / f"{index_dir.LEFT_OUT_FILE}.{os.getpid()}"
    try:
        temporary.write_text(json.dumps({"files": files}), encoding="utf-8")
        os.replace(temporary, directory / index_dir.LEFT_OUT_FILE)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _signature(text: str) -> bytes:
    from search.duplicates import signature  # numpy and datasketch: only where a sync writes

    return signature(text)


def _write_copies(ix: index.Index, directory: Path, changed: set[str] | None) -> None:
    """Find the library's copies of one story and note them for the commit just made.

    `changed`: the articles this commit wrote, whose groups are updated against the previous
    note; None (a rebuild, no previous note) groups the whole library. Read by searches of that
    commit only (see ArticleIndex._copies); without the note (a writer killed before writing it)
    results are simply not folded until the next sync.
    """
    # numpy and datasketch: only where a sync writes.
    from search.duplicates import copy_groups, updated_groups

    note_file = directory / index_dir.COPIES_FILE
    previous = None
    if changed is not None:
        try:
            previous = json.loads(note_file.read_text(encoding="utf-8"))["groups"]
        except (OSError, ValueError, KeyError, TypeError):
            previous = None
    with ix.reader() as reader:
        ids, hashes = reader.column_reader("id"), reader.column_reader("minhash")
        signatures = {ids[n]: bytes(hashes[n]) for n in reader.all_doc_ids()}
    if previous is None or changed is None:
        groups = copy_groups(signatures.items())
    else:
        groups = updated_groups(previous, signatures, changed)
    temporary = directory / f"{index_dir.COPIES_FILE}.{os.getpid()}"
    note = {"generation": ix.latest_generation(), "groups": groups}
    temporary.write_text(json.dumps(note), encoding="utf-8")
    os.replace(temporary, note_file)


def _identity(directory: Path) -> tuple[int, int] | None:
    try:
        info = directory.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _open_any_version(directory: Path) -> index.Index | None:
    """The index as it is on disk, whatever version made it, or None if it cannot be opened."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = index.open_dir(str(directory), index_dir.INDEX_NAME)
            for name in ("id", "content_hash", "extraction"):
                ix.schema[name]  # noqa: B018 (what reuse reads must be there)
            return ix
        except Exception:
            return None


def _open(directory: Path, *, writable: bool = True) -> index.Index:
    """Open (or create) the index, first finishing a rebuild's swap that a kill interrupted."""
    if writable and index_dir.needs_recovery(directory):
        with index_dir.sync_lock(directory.parent):
            index_dir.recover(directory)
    return index_dir.open_index(directory, build_schema(), create=writable)


MB = 1024 * 1024


def _size(count: int) -> str:
    return f"{count / MB:,.0f} MB" if count >= MB else f"{count / 1024:,.0f} kB"


def _indexed_files(ix: index.Index) -> dict[str, tuple[str, str]]:
    """path → (stamp, content hash) for every indexed document, read from columns (no stored fields)."""
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return {}
        paths = reader.column_reader("path")
        stamps = reader.column_reader("stamp")
        hashes = reader.column_reader("content_hash")
        return {
            paths[docnum]: (bytes(stamps[docnum]).decode(), hashes[docnum])
            for docnum in reader.all_doc_ids()
        }


def _merge_type(ix: index.Index, rebuild: bool) -> Callable[..., Any]:
    """How a commit merges segments: small ones only, unless compound ones (older indexes) remain.

    Compound segments are rewritten as separate files once, by merging everything (see `_open_writer`).
    """
    if rebuild:
        return writing.CLEAR  # type: ignore[no-any-return]
    if any(segment.is_compound() for segment in ix._segments()):
        return writing.OPTIMIZE  # type: ignore[no-any-return]
    return writing.MERGE_SMALL  # type: ignore[no-any-return]
