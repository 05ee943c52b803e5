"""The Skipped files dock: each file the last sync did not read, and each part (a feed's entry, a
mailbox's message) it left out, once, with its reason; a file with several parts left out is named
once, its parts beneath it. It opens by itself only for entries the user has not seen (kept across
launches), else the status bar says."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QMainWindow, QWidget

from search.models import Skipped
from ui.rich import as_written

log = logging.getLogger(__name__)

SEEN_FILE = "skipped-seen.json"
SHOWN_ROWS = 4  # the list's height when it opens: a few entries, it scrolls for more
MAX_SHARE = 0.2  # and never more than this share of the window's height
PART_INDENT = "    "  # a part's row under its file's

# An entry: the file's path and the part left out of it ("" for the whole file).
Key = tuple[str, str]


class _ShortList(QListWidget):
    """A list that asks for a few rows' height, not Qt's default of about ten."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        rows = self.fontMetrics().lineSpacing() * SHOWN_ROWS + 2 * self.frameWidth() + 4
        return QSize(hint.width(), rows)


class SkippedDock(QDockWidget):
    """The list of skipped files; `show_skipped` and `show_failure` say whether it has news."""

    def __init__(self, parent: QWidget, seen_file: Path) -> None:
        super().__init__("Skipped files", parent)
        self.setObjectName("skipped-dock")
        self.list = _ShortList(self)
        self.list.setObjectName("skipped")
        self.setWidget(self.list)
        self._reasons: dict[Key, str] = {}  # entry → its latest reason, in the order first named
        self._failure: str | None = None
        self._seen_failure: str | None = None
        self._seen_file = seen_file
        self._seen = self._load_seen()
        self.visibilityChanged.connect(self._on_visibility_changed)

    def show_skipped(self, skipped: Iterable[Skipped], *, complete: bool) -> int:
        """List a sync's skipped files and parts and return how many entries the user has not seen.

        After a complete sync the list is the sync's (a file read since, or no longer in the
        library, leaves it); a cancelled sync's entries are added to what was listed.
        """
        reasons = {} if complete else dict(self._reasons)
        for entry in skipped:
            reasons[entry.path, entry.part] = entry.reason
        self._reasons, self._failure = reasons, None
        if complete:
            # Forget what is no longer listed: a file that fails again later is news again.
            self._seen = {key: self._seen[key] for key in reasons if key in self._seen}
        return self._refill()

    def open_modestly(self, window: QMainWindow) -> None:
        """Show the dock at a few rows' height, at most MAX_SHARE of the window's."""
        self.show()
        height = min(self.sizeHint().height(), int(window.height() * MAX_SHARE))
        window.resizeDocks([self], [height], Qt.Orientation.Vertical)

    def show_failure(self, message: str) -> int:
        """Put a failed sync's message at the top; 1 when the user has not seen it, else 0."""
        self._failure = message
        return self._refill()

    def count(self) -> int:
        """How many entries are listed: files skipped and parts left out."""
        return len(self._reasons)

    def unseen(self) -> list[Key]:
        """The listed entries (path, part) whose reason the user has not seen."""
        return [key for key, reason in self._reasons.items() if self._seen.get(key) != reason]

    def _refill(self) -> int:
        """Fill the list (entries not seen yet in bold) and return how many are news."""
        unseen = set(self.unseen())
        news = len(unseen) + (self._failure is not None and self._failure != self._seen_failure)
        self.list.clear()
        if self._failure is not None:
            self._add(f"Indexing failed: {self._failure}", bold=self._failure != self._seen_failure)
        by_file: dict[str, list[Key]] = {}
        for key in self._reasons:
            by_file.setdefault(key[0], []).append(key)
        for path, keys in by_file.items():
            if len(keys) == 1:
                self._add(f"{path} — {self._reasons[keys[0]]}", bold=keys[0] in unseen)
                continue
            # Named once, its parts beneath it.
            parts = sum(1 for key in keys if key[1])
            what = f"{parts} parts left out" if parts == len(keys) else f"{len(keys)} problems"
            self._add(f"{path} — {what}", bold=any(key in unseen for key in keys))
            for key in keys:
                self._add(f"{PART_INDENT}{self._reasons[key]}", bold=key in unseen)
        self.setWindowTitle(f"Skipped files ({len(self._reasons)})")
        if self.isVisible():
            self._mark_seen()
        return news

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:
            self._mark_seen()

    def _add(self, text: str, *, bold: bool) -> None:
        item = QListWidgetItem(text, self.list)
        item.setToolTip(as_written(text))  # a file's name: shown as written
        if bold:
            font = item.font()
            font.setBold(True)
            item.setFont(font)

    def _mark_seen(self) -> None:
        """What the dock shows now has been seen: it does not open by itself for it again."""
        self._seen_failure = self._failure
        if all(self._seen.get(key) == reason for key, reason in self._reasons.items()):
            return
        self._seen.update(self._reasons)
        saved = {_saved_key(key): reason for key, reason in self._seen.items()}
        try:
            self._seen_file.parent.mkdir(parents=True, exist_ok=True)
            self._seen_file.write_text(json.dumps(saved), encoding="utf-8")
        except OSError as error:
            log.warning("could not save which skipped files were seen: %s", error)

    def _load_seen(self) -> dict[Key, str]:
        try:
            seen = json.loads(self._seen_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            log.warning(
                "%s cannot be read (%s); every skipped file is news", self._seen_file, error
            )
            return {}
        if not isinstance(seen, dict):
            return {}
        return {_key(str(saved)): str(reason) for saved, reason in seen.items()}


# In the seen file an entry is its path, then a NUL (which no path holds) and its part, if any.
def _saved_key(key: Key) -> str:
    path, part = key
    return f"{path}\0{part}" if part else path


def _key(saved: str) -> Key:
    path, _, part = saved.partition("\0")
    return path, part
