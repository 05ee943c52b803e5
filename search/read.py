"""Reading the user's files into articles: the entry points the index and the CLIs call (each format's reader is in search/readers/)."""

from __future__ import annotations

from pathlib import Path

from search.models import Article
from search.readers import (
    READERS,
    SUPPORTED_SUFFIXES,
    Reading,
    file_dialog_filter,
    read_articles,
    read_file,
    reader_for,
)
from search.readers.base import MAX_BYTES, ReadError, article_id
from search.readers.dates import find_dateline, normalize_date


def read_article(path: Path | str) -> Article:
    """The one article in a file; ReadError with a clear reason when it is not a usable article.

    A feed, mailbox or book holding several articles is refused here: read_articles reads them all.
    """
    articles = read_articles(path)
    if len(articles) > 1:
        raise ReadError(
            f"holds {len(articles):,} articles, not one ({reader_for(path).name}); "
            "read_articles reads them all"
        )
    return articles[0]


__all__ = [
    "MAX_BYTES",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "ReadError",
    "Reading",
    "article_id",
    "file_dialog_filter",
    "find_dateline",
    "normalize_date",
    "read_article",
    "read_articles",
    "read_file",
]
