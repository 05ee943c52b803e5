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
    from search.brief_export import (
        HtmlLook,
        brief_since_line,
        brief_support,
        brief_who_where,
        entry_html,
    )
    from search.briefs import BriefError
    from search.card import Card, CardBudget, build_card
    from search.extract.language import language_name
    from search.feeds import FeedProgress, FeedsReport, entries_phrase, feeds_folder
    from search.fetch import is_web_address
    from search.highlights import locate_highlight, sentence_at
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
        Brief,
        BriefDocument,
        Correction,
        Corroboration,
        EntityPage,
        Highlight,
        LibraryEntity,
        Note,
        SearchRequest,
        SearchResult,
        StoredArticle,
        Watch,
    )
    from search.parent_death import DIE_WITH_ENV
    from search.query import field_clause, named_mentions
    from search.readers import file_dialog_filter
    from search.store import StoreError
    from search.text import long_date
    from search.watch import WatchError

__all__ = [
    "DIE_WITH_ENV",
    "PROJECT_ROOT",
    "RESOURCES_DIR",
    "Card",
    "CardBudget",
    "BriefError",
    "DataDirError",
    "FeedProgress",
    "FeedsReport",
    "IndexOutdated",
    "IndexUnavailable",
    "Library",
    "LibraryFileError",
    "StoreError",
    "LibraryRoot",
    "WatchError",
    "add_to_library",
    "HtmlLook",
    "brief_since_line",
    "entry_html",
    "brief_support",
    "brief_who_where",
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
    "locate_highlight",
    "long_date",
    "named_mentions",
    "remove_from_library",
    "root_holding",
    "sentence_at",
    "start_library",
    "state_dir",
]

# Where each re-export lives; its module is imported at the first use of the name.
_LAZY = {
    "BriefError": "search.briefs",
    "brief_since_line": "search.brief_export",
    "entry_html": "search.brief_export",
    "HtmlLook": "search.brief_export",
    "brief_support": "search.brief_export",
    "brief_who_where": "search.brief_export",
    "Card": "search.card",
    "CardBudget": "search.card",
    "build_card": "search.card",
    "long_date": "search.text",
    "language_name": "search.extract.language",
    "FeedProgress": "search.feeds",
    "FeedsReport": "search.feeds",
    "entries_phrase": "search.feeds",
    "feeds_folder": "search.feeds",
    "is_web_address": "search.fetch",
    "locate_highlight": "search.highlights",
    "sentence_at": "search.highlights",
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
    "StoreError": "search.store",
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

    def entity_page(self, name: str, field: str | None = None) -> EntityPage:
        """Everything the library says about an actor or place: its articles by date, roles (and
        their contradictions), quotes, co-occurring actors and places, key figures. `field`
        ("actor"/"place") picks one of two that share a name; an unknown name raises
        search.entities.UnknownEntity, whose message has the "did you mean" name."""
        return self._index.entity_page(name, field)

    def corroboration(self, article_id: str) -> Corroboration | None:
        """How many distinct sources carry each of the article's key figures and quotes (copies
        folded) and where they give another number ("111 (BBC) / 107 (Wikinews)"): each entry's
        `suffix` is the short text to show. None when no article has this id."""
        return self._index.corroboration(article_id)

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

    # Briefs (search/briefs.py): kept in the user's store, named by their titles; a title, id or
    # position that does not fit raises BriefError saying which.

    def briefs(self) -> list[Brief]:
        """Every brief, the most recently started first, its items' titles filled in."""
        from search import briefs

        found = briefs.briefs(self._index.store)
        for brief in found:
            self._titles(brief)
        return found

    def brief(self, title: str) -> Brief:
        """The brief titled `title`, its items in order with their titles."""
        from search import briefs

        return self._titles(briefs.brief(self._index.store, title))

    def new_brief(self, title: str, author: str = "", handling: str = "") -> Brief:
        """Start an empty brief with the cover's author and handling line."""
        from search import briefs

        return briefs.new_brief(self._index.store, title, author, handling)

    def set_brief_cover(
        self, title: str, *, author: str | None = None, handling: str | None = None
    ) -> Brief:
        """Change the author or the handling line of a brief's cover."""
        from search import briefs

        return self._titles(
            briefs.set_cover(self._index.store, title, author=author, handling=handling)
        )

    def add_to_brief(self, title: str, article_ids: Sequence[str]) -> list[str]:
        """Append articles to a brief; returns the ids added (one already in it is not)."""
        from search import briefs

        return briefs.add_items(self._index.store, title, article_ids, self._index.get)

    def remove_from_brief(self, title: str, article_id: str) -> None:
        from search import briefs

        briefs.remove_item(self._index.store, title, article_id)

    def move_in_brief(self, title: str, article_id: str, position: int) -> int:
        """Move an item to `position` (1 = first); returns where it went."""
        from search import briefs

        return briefs.move_item(self._index.store, title, article_id, position)

    def note_brief_item(self, title: str, article_id: str, text: str) -> None:
        from search import briefs

        briefs.note_item(self._index.store, title, article_id, text)

    def delete_brief(self, title: str) -> str:
        from search import briefs

        return briefs.delete_brief(self._index.store, title)

    def brief_document(self, title: str) -> BriefDocument:
        """The brief as it would be issued now: cover, items, what changed since last brief, and
        which other sources carry each item's key figures and quotes (or give other numbers)."""
        from search import briefs

        return briefs.brief_document(
            self._index.store, title, self._index.get, corroborate=self._index.corroboration
        )

    def issue_brief(self, title: str, document: BriefDocument) -> str:
        """Record that `document` was issued (exported or printed) now; returns the time."""
        from search import briefs

        return briefs.record_issue(self._index.store, title, document, self._index.get)

    def export_brief(self, title: str, kind: str, out: Path) -> BriefDocument:
        """Write the brief as Markdown ("md") or e-mail HTML ("html") to `out` and record the issue
        (the PDF is laid out by the window's printing, ui/brief_print.py)."""
        from search.brief_export import write_text_export

        document = self.brief_document(title)
        write_text_export(document, kind, out)
        self.issue_brief(title, document)
        return document

    def _titles(self, brief: Brief) -> Brief:
        for item in brief.items:
            stored = self._index.get(item.article_id)
            item.title = stored.article.title if stored is not None else ""
        return brief

    # The user's notes, highlights and read marks (search.notes, search.highlights: the store)

    def note(self, article_id: str) -> Note | None:
        """The article's note (its body and one-line so-what), or None."""
        from search.notes import get_note

        return get_note(self._index.store, article_id)

    def set_note(
        self, article_id: str, *, body: str | None = None, so_what: str | None = None
    ) -> Note | None:
        """Change the article's note (None keeps a part); None back when it is left empty."""
        from search.notes import set_note

        return set_note(self._index.store, article_id, body=body, so_what=so_what)

    def so_whats(self, article_ids: Sequence[str]) -> dict[str, str]:
        """article id → its note's so-what, for the cards of these articles."""
        from search.notes import so_whats

        return so_whats(self._index.store, list(article_ids))

    def highlights(self, article_id: str) -> list[Highlight]:
        """The article's highlights, oldest first (search.api.locate_highlight finds each)."""
        from search.highlights import highlights

        return highlights(self._index.store, article_id)

    def add_highlight(self, article_id: str, text: str, start: int, end: int) -> Highlight:
        """Keep text[start:end] of the article as shown as a highlight, anchored to its words."""
        from search.highlights import add_highlight, quote_selector

        return add_highlight(self._index.store, article_id, quote_selector(text, start, end))

    def remove_highlight(self, highlight_id: int) -> bool:
        """Remove one highlight; False when it was already gone."""
        from search.highlights import remove_highlight

        return remove_highlight(self._index.store, highlight_id)

    def mark_read(self, article_id: str) -> None:
        """Record that the article was opened now."""
        from search.notes import mark_read

        mark_read(self._index.store, article_id)

    def read_ids(self) -> set[str]:
        """The ids of the articles ever opened."""
        from search.notes import read_ids

        return read_ids(self._index.store)

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
