"""Rough edges a new user found: each one driven as the user met it, and checked."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from test_ui_window import SEED_TITLE, SEEDS, WAIT_MS, focused, open_seed_article, search

from search.library import LIBRARY_FILE
from ui.keymap import COMMANDS
from ui.main_window import MainWindow
from ui.search_box import is_typing_key


def _panes(window: MainWindow) -> dict[str, QWidget]:
    return {
        "search box": window.search_box,
        "results": window.result_list,
        "facets": window.facets,
        "article": window.article,
        "panel": window.panel.tree,
        "watch list": window.watches.tree,
    }


def _live_in(window: MainWindow, context: str, pane: QWidget) -> bool:
    contexts = {
        "results": [window.search_box, window.result_list],
        "reader": window.reader.focus_widgets(),
        "panel": [window.panel.tree],
        "brief": [window.brief.list],
        "watches": [window.watches.tree],
    }
    return context == "window" or pane in contexts[context]


def _chord(sequence: QKeySequence) -> tuple[Qt.Key, Qt.KeyboardModifier]:
    combination = sequence[0]
    return combination.key(), combination.keyboardModifiers()


MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


@pytest.fixture
def greedy_line_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Line edits claim every chord before shortcuts see it. On X11 (xcb) a QLineEdit claims
    Ctrl+E (move to the end of the line) and more; offscreen it claims fewer, so the test makes
    the platform's worst case explicit."""
    original = QLineEdit.event

    def claim(self: QLineEdit, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        return original(self, event)

    monkeypatch.setattr(QLineEdit, "event", claim)


@pytest.mark.usefixtures("greedy_line_edits")
def test_every_modifier_shortcut_works_from_every_pane_where_it_is_live(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Ctrl+E in the search box used to move the cursor to the end instead of exporting."""
    fired: list[str] = []
    for name, action in window.actions_by_name.items():
        action.triggered.disconnect()  # no dialogs, no quitting: only which command fired
        action.triggered.connect(lambda _checked=False, name=name: fired.append(name))
    checked = 0
    for pane_name, pane in _panes(window).items():
        pane.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(pane.hasFocus, timeout=WAIT_MS)
        for command in COMMANDS:
            if not _live_in(window, command.context, pane):
                continue
            for sequence in window.keymap.keys(command.name):
                key, modifiers = _chord(sequence)
                if not modifiers & MODIFIERS:
                    continue
                if pane is window.search_box and is_typing_key(key, modifiers):
                    continue  # Ctrl+Z, Ctrl+C… edit the query
                fired.clear()
                qtbot.keyClick(pane, key, modifiers)
                assert fired == [command.name], (pane_name, sequence.toString())
                checked += 1
                if focused() is not pane:
                    pane.setFocus(Qt.FocusReason.TabFocusReason)
    assert checked > 40  # Ctrl+E, Ctrl+P, Ctrl+D, Alt+1… from five panes


@pytest.mark.usefixtures("greedy_line_edits")
def test_ctrl_e_in_the_search_box_exports_and_leaves_the_query_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    exported: list[bool] = []
    window.actions_by_name["export_pdf"].triggered.disconnect()
    window.actions_by_name["export_pdf"].triggered.connect(lambda: exported.append(True))
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "Nara")
    window.search_box.setCursorPosition(1)
    qtbot.keyClick(window.search_box, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert exported == [True]
    assert window.search_box.cursorPosition() == 1
    assert window.search_box.text() == "Nara"


@pytest.mark.parametrize(
    ("key", "modifiers", "typing"),
    [
        (Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, True),
        (Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier, True),
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier, True),
        (Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier, True),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier, True),
        (Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier, True),
        (Qt.Key.Key_Backspace, Qt.KeyboardModifier.NoModifier, True),
        (Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier, False),
        (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier, False),
        (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier, False),
        (Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier, False),
    ],
)
def test_typing_keys_are_the_line_edits_own(
    key: Qt.Key, modifiers: Qt.KeyboardModifier, typing: bool
) -> None:
    assert is_typing_key(key, modifiers) is typing


# -- 2. a new query starts at its top ---------------------------------------------------------


def test_a_new_query_selects_its_first_result_at_the_top(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "the")
    assert window.model.rowCount() >= 6
    window.result_list.setFocus()
    for _ in range(5):
        qtbot.keyClick(window.result_list, Qt.Key.Key_J)
    reading = window.model.hit(5)
    assert window.stored is not None and window.stored.article.id == reading.id
    window.result_list.resize(window.result_list.width(), 150)  # a few rows: the list scrolls
    window.result_list.scrollTo(window.model.index(5))
    assert window.result_list.verticalScrollBar().value() > 0
    search(qtbot, window, "said")
    rows = [hit.id for hit in window.model.hits()]
    assert reading.id in rows[1:]  # the article read before is a result of the new query too
    assert window.result_list.currentIndex().row() == 0
    assert window.stored is not None and window.stored.article.id == rows[0]
    assert window.result_list.verticalScrollBar().value() == 0
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(window.result_list, Qt.Key.Key_J)
    assert window.result_list.currentIndex().row() == 1  # j moves on from the top


# -- 3. a re-sync keeps the reader where it is ------------------------------------------------


@pytest.fixture
def synced_window(qtbot: QtBot, seed_index: Path, tmp_path: Path, open_window) -> MainWindow:
    """A window on a copy of the seed index whose library is saved (the seeds and an empty folder,
    `main.extra_folder`), so F5 syncs."""
    data = tmp_path / "synced"
    shutil.copytree(seed_index, data)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "notes.pages").write_bytes(b"not an article")  # skipped at every sync
    library = {"paths": [str(SEEDS), str(extra)]}
    (data / LIBRARY_FILE).write_text(json.dumps(library), encoding="utf-8")
    main = open_window(data)
    qtbot.waitUntil(lambda: main.model.rowCount() > 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not main.indexing.is_running(), timeout=60_000)
    main.extra_folder = extra  # type: ignore[attr-defined]
    return main


def test_f5_keeps_the_open_article_its_selection_and_the_splitters(
    qtbot: QtBot, synced_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = synced_window
    monkeypatch.setattr("ui.search_session.PAGE_SIZE", 10)  # the article read is on page 2
    search(qtbot, main, "said")
    assert main.model.rowCount() == 10 < main.result.total
    main.result_list.scrollToBottom()  # the next page comes as the list reaches its end
    qtbot.waitUntil(lambda: main.model.rowCount() > 12, timeout=WAIT_MS)
    main.result_list.setFocus()
    main.result_list.setCurrentIndex(main.model.index(12))
    qtbot.keyClick(main.result_list, Qt.Key.Key_Return)
    reading = main.stored.article.id
    assert reading == main.model.hit(12).id
    main.indexing.skipped_dock.close()  # seen at start-up: the user closed it
    main.splitter.setSizes([300, 700, 300])
    QApplication.processEvents()
    sizes, left = main.splitter.sizes(), main.left_splitter.sizes()
    results_size = main.result_list.size()
    answered: list[object] = []
    main.session.answered.connect(answered.append)
    (main.extra_folder / "kiwi.md").write_text(  # the sync has something to add
        "---\ntitle: Kiwifruit harvest\n---\n\nGrowers in Te Puke picked 40,000 trays.\n",
        encoding="utf-8",
    )
    with qtbot.waitSignal(main.indexing.sync_ended, timeout=60_000):
        qtbot.keyClick(main.article, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: bool(answered) and not main.session.searcher.pending(), timeout=WAIT_MS)
    qtbot.wait(200)
    assert main.stored is not None and main.stored.article.id == reading
    assert main.result_list.current_hit().id == reading
    assert main.splitter.sizes() == sizes
    assert main.left_splitter.sizes() == left
    assert not main.indexing.skipped_dock.isVisible()
    assert main.result_list.size() == results_size


# -- 6. status text that outlived what it was about -------------------------------------------


def test_a_rejected_query_does_not_leave_the_last_no_match_message(
    qtbot: QtBot, window: MainWindow
) -> None:
    search(qtbot, window, "Iraq warZ")
    assert "No articles match" in window.article.toPlainText()
    qtbot.keyClick(window.search_box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search_box, "date:[2020 to nonsense]")
    qtbot.waitUntil(lambda: window.answer.query == "date:[2020 to nonsense]", timeout=WAIT_MS)
    assert window.query_bar.error_label.isVisible()
    assert "Iraq warZ" not in window.article.toPlainText()


def test_a_highlight_message_goes_with_its_article(qtbot: QtBot, window: MainWindow) -> None:
    open_seed_article(qtbot, window)
    window.panel.tree.setFocus()
    tree = window.panel.tree
    tree.setCurrentItem(tree.topLevelItem(0).child(0))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert "highlighted" in window.statusBar().currentMessage()
    search(qtbot, window, "Afghan")  # another query: another article
    qtbot.waitUntil(lambda: window.stored.article.title != SEED_TITLE, timeout=WAIT_MS)
    assert "highlighted" not in window.statusBar().currentMessage()


def test_one_hit_is_one_hit(window: MainWindow) -> None:
    window.article.hits_changed.emit(0, 1)
    assert window.reader.hits_label.text() == "1 hit"
    window.article.hits_changed.emit(0, 3)
    assert window.reader.hits_label.text() == "3 hits"


# -- 7. a source named once, and a host named as its publisher ---------------------------------


def test_the_meta_line_names_a_source_once() -> None:
    from search.models import Article
    from ui.markdown import render_header

    article = Article(
        id="x",
        path="/x.html",
        title="Budget",
        body="Text.",
        format="html",
        content_hash="0",
        date="2005-02-04",
        source="BBC News",
        authors=["BBC News", "Jo Smith"],
    )
    header = render_header(article)
    assert header.count("BBC News") == 1
    assert "2005-02-04 · BBC News · Jo Smith" in header


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("http://news.bbc.co.uk/2/hi/business/4236959.stm", "bbc.co.uk"),
        ("https://www.bbc.co.uk/news/articles/c0", "bbc.co.uk"),
        ("https://bbc.co.uk/news", "bbc.co.uk"),
        ("https://m.example.com/a", "example.com"),
        ("https://news.com/story", "news.com"),  # the publisher's own name stays
        ("https://en.wikinews.org/wiki/X", "Wikinews"),
    ],
)
def test_a_source_from_a_host_drops_server_and_section_labels(url: str, source: str) -> None:
    from search.readers.base import source_from_url

    assert source_from_url(url) == source


# -- 4. the skipped-files panel -----------------------------------------------------------------


def test_the_skipped_files_panel_opens_at_a_modest_height(qtbot: QtBot, window: MainWindow) -> None:
    from search.models import Skipped

    window.resize(1000, 560)  # a laptop-sized window
    QApplication.processEvents()
    window.indexing.skipped_dock.show_skipped(
        [Skipped("/lib/notes.pages", "unsupported")], complete=True
    )
    window.indexing.show_skipped()
    qtbot.waitUntil(window.indexing.skipped_dock.isVisible, timeout=WAIT_MS)
    QApplication.processEvents()
    assert window.indexing.skipped_dock.height() <= 0.25 * window.height()


# -- 5. the first sync --------------------------------------------------------------------------


def test_the_first_sync_says_it_is_indexing_not_that_the_library_is_empty(
    qtbot: QtBot, tmp_path: Path, open_window
) -> None:
    main = open_window(tmp_path / "first-launch")  # no index, no library: the seeds are indexed
    qtbot.waitUntil(lambda: main.answer is not None, timeout=WAIT_MS)
    assert main.indexing.is_running() and main.answer.total == 0
    text = main.article.toPlainText()
    assert "empty" not in text
    # Not "as they are indexed": a sync's articles appear together, at its one commit.
    assert text == (
        "Indexing the library… articles appear here when it is done; "
        "the status bar shows how far it is."
    )
    main.indexing.stop()


def test_a_query_typed_during_the_first_sync_says_the_library_is_still_being_indexed(
    qtbot: QtBot, tmp_path: Path, open_window
) -> None:
    main = open_window(tmp_path / "first-launch")
    qtbot.waitUntil(lambda: main.answer is not None, timeout=WAIT_MS)
    assert main.indexing.is_running()
    main.search_box.setText("election")
    qtbot.waitUntil(lambda: main.answer.query == "election", timeout=WAIT_MS)
    # The first sync loads spaCy and reads every seed before its one commit: seconds from now.
    assert main.indexing.is_running() and main.answer.total == 0
    assert main.article.toPlainText() == (
        "No articles match “election” yet: the library is still being indexed, "
        "and articles it adds appear when it is done."
    )
    main.indexing.stop()


# -- 6. indexing progress -----------------------------------------------------------------------

# Stands in for `main.py`: the real engine and CLI (`index --progress json`, one commit), with an
# extractor that behaves as spaCy's does for the progress: it loads a model, then takes texts in
# batches, reading ahead of what it has returned.
READ_AHEAD_INDEXER = """
import itertools, sys, time
sys.path.insert(0, {root!r})
import main as briefing
import search.index
from search.models import Extraction

def extractor(processes):
    def extract(texts):
        texts = iter(texts)
        time.sleep(0.4)  # the model loads
        while batch := list(itertools.islice(texts, 40)):
            time.sleep(0.15)
            for _ in batch:
                yield Extraction()
    return extract

search.index._spacy_extractor = extractor
sys.exit(briefing.main(sys.argv[1:]))
"""


def test_indexing_progress_counts_finished_files_and_names_the_one_finished(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """The counter sat at 0/N and the label named the files read ahead while the model loaded;
    the library's size changed only when the sync ended."""
    from libraries import without_seeds

    from search.config import PROJECT_ROOT
    from ui.indexer import IndexRunner
    from ui.indexing_status import PROGRESS_INTERVAL_MS

    folder = tmp_path / "library"
    folder.mkdir()
    total = 150
    for n in range(1, total + 1):
        (folder / f"{n:03d}.md").write_text(f"# Report {n}\n\nThe harbour report number {n}.\n")
    script = tmp_path / "indexer.py"
    script.write_text(READ_AHEAD_INDEXER.format(root=str(PROJECT_ROOT)), encoding="utf-8")
    data = without_seeds(tmp_path / "data")
    runner = IndexRunner(data, command=[sys.executable, str(script)])
    main = MainWindow(data, runner=runner)
    qtbot.addWidget(main)
    main.show()
    main.start()
    qtbot.waitUntil(
        lambda: main.indexing.library_label.text() == "0 articles in the library", timeout=WAIT_MS
    )

    shown: list[tuple[float, str, str]] = []  # (when, progress label, library label)
    record_label, record_size = (
        main.indexing.progress_label.setText,
        main.indexing.library_label.setText,
    )

    def label_set(text: str) -> None:
        shown.append((time.monotonic(), text, main.indexing.library_label.text()))
        record_label(text)

    def size_set(text: str) -> None:
        record_size(text)
        if shown:
            shown[-1] = (shown[-1][0], shown[-1][1], text)

    main.indexing.progress_label.setText = label_set  # type: ignore[method-assign]
    main.indexing.library_label.setText = size_set  # type: ignore[method-assign]
    with qtbot.waitSignal(runner.finished, timeout=60_000):
        main.indexing.start_indexing([str(folder)])
    texts = [text for _when, text, _size in shown]
    assert texts[0] == "Indexing…"
    # While the model loads and the extractor reads ahead, no file is named and none counted.
    first = next(i for i, text in enumerate(texts) if re.match(r"Indexing \d+/", text))
    assert set(texts[1:first]) <= {f"Checking {total} files…", f"Reading {total} files…"}
    assert f"Reading {total} files…" in texts[1:first]
    # Then each label counts the files finished and names the file that made the count.
    counted = [re.fullmatch(r"Indexing (\d+)/(\d+) (\d+)\.md", text) for text in texts[first:]]
    counted = [match for match in counted if match]
    assert len(counted) >= 4  # it moves while the files are extracted, batch by batch
    assert all(match[2] == str(total) and match[1] == str(int(match[3])) for match in counted)
    done = [int(match[1]) for match in counted]
    assert done == sorted(done) and done[-1] >= total - 40
    # At most ten repaints a second.
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(shown[1:])]
    assert min(gaps) >= PROGRESS_INTERVAL_MS / 1000 * 0.9
    # The library's size says how many articles were read, then counts the committed index.
    sizes = [size for _when, _text, size in shown[first:]]
    running = r"0 articles in the library · (\d+) articles? read…"
    read = [int(m[1]) for size in sizes if (m := re.fullmatch(running, size))]
    assert read and read == sorted(read) and read[0] < total
    assert (
        main.indexing.library_label.text() == f"0 articles in the library · {total} articles read…"
    )
    assert "all at once" in main.indexing.library_label.toolTip()
    # Committed: the real count replaces it (not the count from before the sync first).
    sizes_after: list[str] = []
    main.indexing.library_label.setText = lambda text: (sizes_after.append(text), record_size(text))  # type: ignore[method-assign]
    qtbot.waitUntil(
        lambda: main.indexing.library_label.text() == f"{total} articles in the library",
        timeout=WAIT_MS,
    )
    assert sizes_after == [f"{total} articles in the library"]
    assert main.indexing.library_label.toolTip() == ""
