"""The note editor, highlights and read marks in the window, from the keyboard, on a copy of the
seed library (the shared one stays unwritten)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot
from test_ui_window import WAIT_MS, focused, open_seed_article, search

from search.notes import get_note, read_ids
from search.store import Store
from ui.main_window import MainWindow
from ui.note_dialog import NoteDialog


@pytest.fixture
def main(
    qtbot: QtBot,
    seed_index: Path,
    tmp_path: Path,
    open_window: Callable[[Path], MainWindow],
) -> MainWindow:
    data = tmp_path / "data"
    shutil.copytree(seed_index, data)
    window = open_window(data)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=WAIT_MS)
    return window


def store_of(main: MainWindow) -> Store:
    return Store.open(main.data_dir)


def select_words(main: MainWindow, words: str) -> None:
    document = main.article.document()
    found = document.find(words)
    assert not found.isNull(), words
    main.article.setTextCursor(found)


def test_the_note_editor_opens_on_the_so_what_and_saves_on_esc(
    qtbot: QtBot, main: MainWindow
) -> None:
    open_seed_article(qtbot, main)
    article_id = main.stored.article.id  # type: ignore[union-attr]
    assert not main.notes.so_what_label.isVisible()
    qtbot.keyClick(
        main.article,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = main.notes.dialog
    assert isinstance(dialog, NoteDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: focused() is dialog.so_what, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.so_what, "Tokyo tilts before the trilateral")
    qtbot.keyClick(dialog.so_what, Qt.Key.Key_Tab)
    assert focused() is dialog.body
    qtbot.keyClicks(dialog.body, "Ask the desk")
    qtbot.keyClick(dialog.body, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: main.notes.so_what_label.isVisible(), timeout=WAIT_MS)
    assert "Tokyo tilts before the trilateral" in main.notes.so_what_label.text()
    store = store_of(main)
    note = get_note(store, article_id)
    assert note is not None and (note.so_what, note.body) == (
        "Tokyo tilts before the trilateral",
        "Ask the desk",
    )
    assert article_id in read_ids(store)  # opening it marked it read
    store.close()
    # The note is searchable at once.
    search(qtbot, main, "note:trilateral")
    assert [hit.id for hit in main.model.hits()] == [article_id]


def test_ctrl_return_saves_and_an_emptied_note_goes(qtbot: QtBot, main: MainWindow) -> None:
    open_seed_article(qtbot, main)
    article_id = main.stored.article.id  # type: ignore[union-attr]
    main.actions_by_name["edit_note"].trigger()
    dialog = main.notes.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: focused() is dialog.so_what, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.so_what, "Brief today")
    qtbot.keyClick(dialog.so_what, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: main.notes.note is not None, timeout=WAIT_MS)
    main.actions_by_name["edit_note"].trigger()
    dialog = main.notes.dialog
    assert dialog is not None and dialog.so_what.text() == "Brief today"
    qtbot.waitUntil(lambda: focused() is dialog.so_what, timeout=WAIT_MS)
    qtbot.wait(50)
    qtbot.keyClicks(dialog.so_what, ", by noon")  # added to the line, not typed over it
    assert dialog.so_what.text() == "Brief today, by noon"
    dialog.so_what.clear()
    dialog.accept()
    qtbot.waitUntil(lambda: main.notes.note is None, timeout=WAIT_MS)
    assert not main.notes.so_what_label.isVisible()
    store = store_of(main)
    assert get_note(store, article_id) is None
    store.close()


def test_a_selection_becomes_a_highlight_shown_again_and_removable(
    qtbot: QtBot, main: MainWindow
) -> None:
    open_seed_article(qtbot, main)
    words = "historic city of Nara"
    select_words(main, words)
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(main.article, Qt.Key.Key_H, keys)
    qtbot.waitUntil(lambda: main.article.marked_texts() == [words], timeout=WAIT_MS)
    # Leave the article and come back: the highlight is found again in the text.
    search(qtbot, main, "Motegi")
    open_seed_article(qtbot, main)
    # The note and highlights are read on the notes worker: they come a moment after the text.
    qtbot.waitUntil(lambda: main.article.marked_texts() == [words], timeout=WAIT_MS)
    assert main.notes.found[0] is not None
    # Ctrl+Shift+H with the cursor inside it, nothing selected, removes it.
    cursor = main.article.textCursor()
    cursor.setPosition(main.article.document().find(words).selectionStart() + 3)
    cursor.clearSelection()
    main.article.setTextCursor(cursor)
    qtbot.keyClick(main.article, Qt.Key.Key_H, keys)
    qtbot.waitUntil(lambda: main.article.marked_texts() == [], timeout=WAIT_MS)
    assert main.notes.highlights == []


def test_the_note_editor_lists_highlights_and_delete_removes_one(
    qtbot: QtBot, main: MainWindow
) -> None:
    open_seed_article(qtbot, main)
    select_words(main, "bilateral summit")
    main.actions_by_name["highlight_selection"].trigger()
    qtbot.waitUntil(lambda: len(main.notes.highlights) == 1, timeout=WAIT_MS)
    main.actions_by_name["edit_note"].trigger()
    dialog = main.notes.dialog
    assert dialog is not None
    assert dialog.highlights.count() == 1
    assert dialog.highlights.item(0).text() == "“bilateral summit”"
    dialog.highlights.setFocus()
    dialog.highlights.setCurrentRow(0)
    qtbot.keyClick(dialog.highlights, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: main.notes.highlights == [], timeout=WAIT_MS)
    assert dialog.highlights.count() == 0 and main.article.marked_texts() == []
    dialog.accept()


def test_highlight_without_a_selection_says_what_to_do(qtbot: QtBot, main: MainWindow) -> None:
    open_seed_article(qtbot, main)
    main.article.highlight([], [])  # no hit to step to either
    cursor = main.article.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    main.article.setTextCursor(cursor)
    main.actions_by_name["highlight_selection"].trigger()
    assert "Select words in the article first" in main.statusBar().currentMessage()
    assert main.notes.highlights == []


def test_from_the_keyboard_the_current_hits_sentence_is_highlighted(
    qtbot: QtBot, main: MainWindow
) -> None:
    open_seed_article(qtbot, main)  # Enter opened it on its first hit of "Takaichi"
    assert main.article.current_hit_text() == "Takaichi"
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(main.article, Qt.Key.Key_H, keys)
    qtbot.waitUntil(lambda: len(main.article.marked_texts()) == 1, timeout=WAIT_MS)
    (sentence,) = main.article.marked_texts()
    assert "Takaichi" in sentence and sentence.endswith(".") and len(sentence) > 40
    assert main.notes.highlights[0].exact == " ".join(sentence.split())
    # Again, on the same spot: it goes.
    qtbot.keyClick(main.article, Qt.Key.Key_H, keys)
    qtbot.waitUntil(lambda: main.article.marked_texts() == [], timeout=WAIT_MS)


def test_opening_an_article_reads_its_note_off_the_gui_thread(
    qtbot: QtBot, main: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store may wait up to seconds on another program's lock: the window never does."""
    import threading

    from search.api import Library

    threads: list[bool] = []
    read = Library.note

    def note(library: Library, article_id: str) -> object:
        threads.append(threading.current_thread() is threading.main_thread())
        return read(library, article_id)

    monkeypatch.setattr(Library, "note", note)
    open_seed_article(qtbot, main)
    qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
    assert threads == [False]


def test_the_note_editor_opened_before_the_note_is_read_shows_the_note(
    qtbot: QtBot, main: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The note is read on a worker; an editor opened before that read came back showed an empty
    note, and saving it would have written over the note."""
    import threading
    import time

    from search.api import Library
    from search.notes import set_note

    open_seed_article(qtbot, main)
    article_id = main.stored.article.id  # type: ignore[union-attr]
    store = store_of(main)
    set_note(store, article_id, so_what="Keep this line", body="And this text")
    store.close()
    read = Library.note

    def slow_note(library: Library, wanted: str) -> object:
        if threading.current_thread() is not threading.main_thread():
            time.sleep(1.0)  # the worker is late
        return read(library, wanted)

    monkeypatch.setattr(Library, "note", slow_note)
    search(qtbot, main, "Motegi")
    open_seed_article(qtbot, main)
    main.actions_by_name["edit_note"].trigger()  # at once: the worker has not answered
    dialog = main.notes.dialog
    assert dialog is not None
    assert dialog.so_what.text() == "Keep this line"
    assert dialog.body.toPlainText() == "And this text"
    dialog.reject()
