"""Corroboration in the side panel: when an article opens, the engine is asked (on a worker) which
sources in the library carry each of its key figures and quotes (search.api.Library.corroboration),
and the panel adds each one's short suffix ("3 sources", "111 (BBC) / 107 (Wikinews)")."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.background import BackgroundRunner

if TYPE_CHECKING:
    from search.api import Library
    from search.models import Corroboration, StoredArticle
    from ui.reader import Reader


class PanelCorroboration(QObject):
    """Follows the reader's article; the newest article's answer alone reaches the panel."""

    def __init__(
        self, parent: QWidget, index: Callable[[], Library | None], reader: Reader
    ) -> None:
        super().__init__(parent)
        self._index = index
        self._reader = reader
        self.runner = BackgroundRunner(threads=1, latest_only=True, parent=self)
        self.shown: Corroboration | None = None  # the last answer shown (tests read it)
        reader.article_changed.connect(self._on_article)

    def _on_article(self, stored: StoredArticle | None) -> None:
        index = self._index()
        if stored is None or index is None:
            self.runner.cancel_pending()
            return
        article_id = stored.article.id
        # A failure (a damaged index) is the search's to report: the panel simply has no suffixes.
        self.runner.submit(lambda: index.corroboration(article_id), self._show, lambda _e: None)

    def _show(self, found: Corroboration | None) -> None:
        stored = self._reader.stored
        if found is None or stored is None or stored.article.id != found.article_id:
            return
        self.shown = found
        self._reader.panel.show_corroboration(found)
