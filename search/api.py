"""The engine as the window sees it: the one `search` module `ui/` imports, with search.models.

`Library` is the library's index behind a small interface that speaks search.models' dataclasses
(open, search with a SearchRequest, get an article, count, entities and their corrections); it is
the seam a second search backend plugs into. The rest is re-exported as the engine has it: data
and config folders, the library's roots, feeds, cards, entity clauses (`field_clause`), and the
errors the window tells the user about.

Importing this module is cheap: the window imports it before it shows. Everything but the config
is imported when first asked for (`from search.api import X` inside a function
loads X's module then), so whoosh, spaCy and the readers still load only when they are needed.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from search.config import (
    PROJECT_ROOT,
    RESOURCES_DIR,
    DataDirError,
    config_dir,
    data_dir,
    state_dir,
)

if TYPE_CHECKING:
    from search.card import Card, CardBudget, build_card
    from search.extract.language import language_name
    from search.feeds import FeedProgress, FeedsReport, entries_phrase, feeds_folder
    from search.fetch import is_web_address
    from search.index import ArticleIndex
    from search.index_dir import IndexOutdated, IndexUnavailable
    from search.library import (
        LibraryFileError,
        LibraryRoot,
        add_to_library,
        library_saved,
        load_library,
        remove_from_library,
        root_holding,
        start_library,
    )
    from search.models import (
        Correction,
        LibraryEntity,
        SearchRequest,
        SearchResult,
        StoredArticle,
        Watch,
    )
    from search.parent_death import DIE_WITH_ENV
    from search.query import field_clause, named_mentions
    from search.readers import file_dialog_filter
    from search.watch import WatchError

__all__ = [
    "DIE_WITH_ENV",
    "PROJECT_ROOT",
    "RESOURCES_DIR",
    "Card",
    "CardBudget",
    "DataDirError",
    "FeedProgress",
    "FeedsReport",
    "IndexOutdated",
    "IndexUnavailable",
    "Library",
    "LibraryFileError",
    "LibraryRoot",
    "WatchError",
    "add_to_library",
    "build_card",
    "config_dir",
    "data_dir",
    "entries_phrase",
    "feeds_folder",
    "field_clause",
    "file_dialog_filter",
    "is_web_address",
    "language_name",
    "library_roots",
    "library_saved",
    "load_library",
    "named_mentions",
    "remove_from_library",
    "root_holding",
    "start_library",
    "state_dir",
]

# Where each re-export lives; its module is imported at the first use of the name.
_LAZY = {
    "Card": "search.card",
    "CardBudget": "search.card",
    "build_card": "search.card",
    "language_name": "search.extract.language",
    "FeedProgress": "search.feeds",
    "FeedsReport": "search.feeds",
    "entries_phrase": "search.feeds",
    "feeds_folder": "search.feeds",
    "is_web_address": "search.fetch",
    "IndexOutdated": "search.index_dir",
    "IndexUnavailable": "search.index_dir",
    "LibraryFileError": "search.library",
    "LibraryRoot": "search.library",
    "add_to_library": "search.library",
    "library_saved": "search.library",
    "load_library": "search.library",
    "remove_from_library": "search.library",
    "root_holding": "search.library",
    "start_library": "search.library",
    "DIE_WITH_ENV": "search.parent_death",
    "field_clause": "search.query",
    "named_mentions": "search.query",
    "file_dialog_filter": "search.readers",
    "WatchError": "search.watch",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


class Library:
    """The library's index: search it, read its articles, correct its entities.

    Every method may run on any thread, as the index's own (see search.index.ArticleIndex); a
    damaged index opens, and its reads raise IndexUnavailable until it is rebuilt.
    """

    def __init__(self, index: ArticleIndex) -> None:
        self._index = index

    @classmethod
    def open(cls, data: Path | str | None = None) -> Library:
        """Open the index in the data directory (creating it when missing): whoosh loads here."""
        from search.index import ArticleIndex

        return cls(ArticleIndex.open(data))

    @property
    def read_only(self) -> str | None:
        """Why nothing can be written in the data folder, or None."""
        return self._index.read_only

    def count(self) -> int:
        """How many articles are indexed."""
        return self._index.count()

    def search(self, request: SearchRequest | str, *, limit: int = 20) -> SearchResult:
        """Answer a request; a query the engine cannot read comes back in SearchResult.error.

        A string is a query, its first `limit` hits by relevance (as `briefing card --query`)."""
        if isinstance(request, str):
            from search.models import SearchRequest

            request = SearchRequest(request, limit=limit)
        return self._index.search(request)

    def get(self, article_id: str) -> StoredArticle | None:
        """The article with this id and its extraction (corrections applied), or None."""
        return self._index.get(article_id)

    def articles(self, article_ids: Sequence[str]) -> list[StoredArticle]:
        """The articles with these ids that are still in the index, in order."""
        return [stored for stored in map(self._index.get, article_ids) if stored is not None]

    def entities(self, *, include_hidden: bool = False) -> list[LibraryEntity]:
        """Every actor and place of the library, corrections applied."""
        return self._index.entities(include_hidden=include_hidden)

    def correct_entity(
        self, action: str, name: str, value: str | None = None, field_name: str | None = None
    ) -> Correction:
        """Rename, merge, hide or change the kind of an entity (see ArticleIndex.correct_entity)."""
        return self._index.correct_entity(action, name, value, field_name)

    def hide_figure(self, article_id: str, text: str) -> Correction:
        """Hide one article's key figure."""
        return self._index.hide_figure(article_id, text)

    def corrections(self) -> list[Correction]:
        """The corrections in force, oldest first."""
        return self._index.corrections()

    def undo_correction(self, correction_id: int | None = None) -> Correction | None:
        """Take back the last correction (or the one numbered `correction_id`)."""
        return self._index.undo_correction(correction_id)

    # Watch lists (search/watch.py): saved queries and their articles new since last looked at

    def watches(self) -> list[Watch]:
        """Every watch item with its counts; an item whose query cannot run says why in .error."""
        from search.watch import watches

        return watches(self._index)

    def add_watch(self, name: str, query: str) -> Watch:
        """Watch `query` as `name`; raises WatchError for a bad or taken name or a bad query."""
        from search.watch import add_watch

        return add_watch(self._index, name, query)

    def watch_seen(self, name: str) -> Watch:
        """What the library holds now counts as seen for the watch item `name`."""
        from search.watch import mark_seen

        return mark_seen(self._index, name)

    def rename_watch(self, name: str, new_name: str) -> Watch:
        from search.watch import rename_watch

        return rename_watch(self._index, name, new_name)

    def remove_watch(self, name: str) -> Watch:
        """Stop watching `name`; the item comes back as it was, for restore_watch (undo)."""
        from search.watch import remove_watch

        return remove_watch(self._index, name)

    def restore_watch(self, item: Watch) -> Watch:
        from search.watch import restore_watch

        return restore_watch(self._index, item)

    def close(self) -> None:
        self._index.close()


def library_roots(data: Path | str, library: Library | None) -> list[LibraryRoot]:
    """The saved library's roots with their article counts (0 each without an index)."""
    from search.library import library_roots as roots

    return roots(data, library._index if library is not None else None)
