"""The window's library: the Library dialog and removing an article, each then syncing through the
real engine; the skipped list keeping one entry per file or part left out and opening by itself only for news."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from libraries import without_seeds
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import main as briefing
import search.index
import ui.library
from search.config import SEEDS_DIR
from search.library import load_library, remove_from_library
from search.models import Extraction
from ui.indexer import IndexRunner
from ui.main_window import MainWindow
from ui.search_session import open_library

SYNC_MS = 60_000
WAIT_MS = 5_000


# Stands in for `main.py index --progress json`: prints the report held in the file it is given.
STAND_IN_INDEXER = """
import json, sys
report = json.loads(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"event": "report", **report}))
"""


def skipped(*pairs: tuple[str, str]) -> dict[str, object]:
    return {"added": [], "skipped": [{"path": path, "reason": reason} for path, reason in pairs]}


class StandIn:
    """A window whose syncs report what the test last wrote."""

    def __init__(self, qtbot: QtBot, tmp_path: Path) -> None:
        self.qtbot = qtbot
        self.report = tmp_path / "report.json"
        self.script = tmp_path / "stand_in.py"
        self.script.write_text(STAND_IN_INDEXER, encoding="utf-8")
        self.data = tmp_path / "data"

    def window(self) -> MainWindow:
        command = [sys.executable, str(self.script), str(self.report)]
        main = MainWindow(self.data, runner=IndexRunner(self.data, command=command))
        self.qtbot.addWidget(main)
        main.show()
        return main

    def sync(self, main: MainWindow, report: dict[str, object]) -> None:
        self.report.write_text(json.dumps(report), encoding="utf-8")
        with self.qtbot.waitSignal(main.indexing.runner.finished, timeout=SYNC_MS):
            main.indexing.start_indexing(["/library"])


def texts(main: MainWindow) -> list[str]:
    return [
        main.indexing.skipped_list.item(row).text()
        for row in range(main.indexing.skipped_list.count())
    ]


def test_the_skipped_list_keeps_one_entry_per_file_and_opens_only_for_news(
    qtbot: QtBot, tmp_path: Path
) -> None:
    stand_in = StandIn(qtbot, tmp_path)
    main = stand_in.window()
    first = skipped(
        ("/library/notes.pages", "unsupported file type .pages"),
        ("/library/scan.pdf", "no text layer (scanned PDF?); OCR is not supported"),
    )
    stand_in.sync(main, first)
    assert main.indexing.skipped_dock.isVisible()
    assert texts(main) == [
        "/library/notes.pages — unsupported file type .pages",
        "/library/scan.pdf — no text layer (scanned PDF?); OCR is not supported",
    ]
    assert "2 skipped (2 new; see View ▸ Show skipped files)" in main.statusBar().currentMessage()

    main.indexing.skipped_dock.close()  # read and put away
    stand_in.sync(main, first)
    assert not main.indexing.skipped_dock.isVisible()
    assert len(texts(main)) == 2  # not four
    assert "2 skipped (see View ▸ Show skipped files)" in main.statusBar().currentMessage()

    # The PDF was replaced by one with text; a new file cannot be read: the dock has news.
    stand_in.sync(
        main,
        skipped(
            ("/library/notes.pages", "unsupported file type .pages"),
            ("/library/talk.key", "unsupported file type .key"),
        ),
    )
    assert main.indexing.skipped_dock.isVisible()
    assert texts(main) == [
        "/library/notes.pages — unsupported file type .pages",
        "/library/talk.key — unsupported file type .key",
    ]
    assert [main.indexing.skipped_list.item(row).font().bold() for row in range(2)] == [False, True]
    assert "2 skipped (1 new;" in main.statusBar().currentMessage()
    main.close()

    # What was seen stays seen in the next session: no dock, a note in the status bar.
    again = stand_in.window()
    stand_in.sync(
        again,
        skipped(
            ("/library/talk.key", "unsupported file type .key"),
            ("/library/notes.pages", "unsupported file type .pages"),
        ),
    )
    assert not again.indexing.skipped_dock.isVisible() and len(texts(again)) == 2
    again.actions_by_name["show_skipped"].trigger()  # View ▸ Show skipped files
    assert again.indexing.skipped_dock.isVisible()


def test_each_part_left_out_is_listed_once_under_its_file_named_once(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The dock kept one entry per path: a feed with two bad entries showed only the last one."""
    stand_in = StandIn(qtbot, tmp_path)
    main = stand_in.window()
    feed, mbox = "/library/gazette.rss", "/library/desk.mbox"
    report = {
        "added": [],
        "skipped": [
            {"path": feed, "part": "entry 2 (Only a headline)",
             "reason": "entry 2 (Only a headline): no article text"},
            {"path": "/library/notes.pages", "part": "", "reason": "unsupported file type .pages"},
            {"path": feed, "part": "entry 4 (Another)", "reason": "entry 4 (Another): no article text"},
            {"path": mbox, "part": "message 7", "reason": "message 7: not an e-mail message"},
        ],
    }  # fmt: skip
    stand_in.sync(main, report)
    assert texts(main) == [
        f"{feed} — 2 parts left out",
        "    entry 2 (Only a headline): no article text",
        "    entry 4 (Another): no article text",
        "/library/notes.pages — unsupported file type .pages",
        f"{mbox} — message 7: not an e-mail message",
    ]
    assert "4 skipped (4 new;" in main.statusBar().currentMessage()
    main.indexing.skipped_dock.close()
    main.close()

    # Seen in the last session, each part by itself: only the new part is news (and bold).
    again = stand_in.window()
    report["skipped"].append(  # type: ignore[attr-defined]
        {"path": feed, "part": "entry 5 (Late)", "reason": "entry 5 (Late): no article text"}
    )
    stand_in.sync(again, report)
    assert again.indexing.skipped_dock.isVisible()
    assert "5 skipped (1 new;" in again.statusBar().currentMessage()
    rows = texts(again)
    assert rows[:4] == [
        f"{feed} — 3 parts left out",
        "    entry 2 (Only a headline): no article text",
        "    entry 4 (Another): no article text",
        "    entry 5 (Late): no article text",
    ]
    bold = [again.indexing.skipped_list.item(row).font().bold() for row in range(len(rows))]
    assert bold == [True, False, False, True, False, False]


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path, Path]]:
    """A data folder holding a folder of two articles and a single file, indexed (no spaCy:
    the window's syncs below only remove, and a sync with nothing to read loads no model)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in ("harbour", "ferry"):
        (folder / f"{name}.md").write_text(f"# The {name} story\n\nAbout the {name}.\n")
    single = tmp_path / "loose" / "crane.md"
    single.parent.mkdir()
    single.write_text("# The crane story\n\nAbout the crane.\n")
    data = without_seeds(tmp_path / "data")
    with monkeypatch.context() as patch:
        patch.setattr(
            search.index, "_spacy_extractor", lambda processes: lambda t: [Extraction() for _ in t]
        )
        argv = ["--data-dir", str(data), "index", "--progress", "none", str(folder), str(single)]
        assert briefing.main(argv) == 0
    yield data, folder.resolve(), single.resolve()


def opened_window(qtbot: QtBot, data: Path) -> MainWindow:
    main = MainWindow(data)
    qtbot.addWidget(main)
    main.show()
    with qtbot.waitSignal(main.indexing.runner.finished, timeout=SYNC_MS):
        main.start()  # the saved library is synced on start (nothing has changed)
    qtbot.waitUntil(lambda: main.model.rowCount() == 3, timeout=WAIT_MS)
    return main


def answers(monkeypatch: pytest.MonkeyPatch, *replies: bool) -> list[tuple[str, str]]:
    """Answer the confirmation questions in turn; the (text, accept button) asked are recorded."""
    asked: list[tuple[str, str]] = []
    queue = list(replies)

    def confirm(_parent: object, _title: str, text: str, accept: str, reject: str = "") -> bool:
        asked.append((text, accept))
        return queue.pop(0)

    monkeypatch.setattr(ui.library, "confirm", confirm)
    return asked


def rows(main: MainWindow) -> list[tuple[str, str, str]]:
    dialog = main.library.dialog
    assert dialog is not None
    items = [dialog.roots.topLevelItem(row) for row in range(dialog.roots.topLevelItemCount())]
    return [(item.text(0), item.text(1), item.text(2)) for item in items if item is not None]


def test_the_library_dialog_lists_the_roots_and_removes_one_from_the_keyboard(
    qtbot: QtBot, library: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, folder, single = library
    main = opened_window(qtbot, data)
    main.actions_by_name["manage_library"].trigger()
    dialog = main.library.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: len(rows(main)) == 2, timeout=WAIT_MS)
    assert rows(main) == [(str(folder), "2", "folder"), (str(single), "1", "file")]
    assert dialog.roots.hasFocus()

    asked = answers(monkeypatch, True)
    qtbot.keyClick(dialog.roots, Qt.Key.Key_Down)  # the single file
    with qtbot.waitSignal(main.indexing.runner.finished, timeout=SYNC_MS) as synced:
        qtbot.keyClick(dialog.roots, Qt.Key.Key_Delete)
    assert asked == [
        (
            f"Remove {single} from the library? Its articles leave the index.\n\n"
            "The files themselves are not touched.",
            "Remove",
        )
    ]
    assert synced.args[0].removed == [str(single)]
    assert load_library(data) == [str(folder)]
    assert single.is_file()
    qtbot.waitUntil(lambda: rows(main) == [(str(folder), "2", "folder")], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: main.model.rowCount() == 2, timeout=WAIT_MS)


def test_removing_the_open_article_removes_its_file_or_offers_its_folder(
    qtbot: QtBot, library: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, folder, single = library
    main = opened_window(qtbot, data)
    index = main.index
    assert index is not None
    by_path = {hit.path: hit.id for hit in main.model.hits()}
    remove = main.actions_by_name["remove_article"]

    # In a folder of the library: the folder is named, and "Leave it" leaves everything.
    asked = answers(monkeypatch, False)
    main.stored = index.get(by_path[str(folder / "ferry.md")])
    remove.trigger()
    assert len(asked) == 1 and asked[0][1] == "Remove the folder"
    assert f"is in the folder {folder}, which is in the library" in asked[0][0]
    assert load_library(data) == [str(folder), str(single)]

    # Added as a file: it goes, and the sync takes its article out of the index.
    asked = answers(monkeypatch, True)
    main.stored = index.get(by_path[str(single)])
    with qtbot.waitSignal(main.indexing.runner.finished, timeout=SYNC_MS) as synced:
        remove.trigger()
        assert "Removed crane.md from the library" in main.statusBar().currentMessage()
    assert asked[0][1] == "Remove" and "The file itself is not touched." in asked[0][0]
    assert synced.args[0].removed == [str(single)]
    assert load_library(data) == [str(folder)] and single.is_file()


def test_first_use_saves_the_seeds_as_a_root_that_stays_removed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    opened = open_library(data)
    opened.index.close()
    assert opened.library == load_library(data) == [str(SEEDS_DIR.resolve())]
    remove_from_library(data, [SEEDS_DIR])
    reopened = open_library(data)  # an empty index and an empty library: not first use
    reopened.index.close()
    assert reopened.library == load_library(data) == []
