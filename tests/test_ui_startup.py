"""Start-up: what the window loads before it takes keys, what waits until after, and the single-instance lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

import ui.single_instance
from search.config import PROJECT_ROOT
from ui.main_window import MainWindow
from ui.single_instance import SingleInstance, instance_key

# Runs the real app and records, as its window shows, at the event loop's first turn and once the
# deferred start-up work has run, which modules are loaded and which widget has the focus.
PROBE = """
import enum, json, sys

# PySide makes a class's Python enums the first time the class is used: QStyle's (566 members)
# and QIcon's (151 icon names) cost ~17 ms, the Qt namespace's (93 enums) ~20 ms, that the
# window's first show does not need.
made = set()
_create = enum.EnumType._create_
def _record(cls, name, names, **kw):
    made.add(name)
    return _create(cls, name, names, **kw)
enum.EnumType._create_ = _record
HEAVY_ENUMS = {"PixelMetric", "ThemeIcon", "WidgetAttribute"}  # QStyle's, QIcon's, Qt's

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

WATCHED = ["whoosh", "spacy", "markdown_it", "PySide6.QtNetwork", "logging.handlers",
           "ui.indexer", "ui.printing", "ui.help", "search.index", "tomllib"]
states = {}

def state(icon=True):
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    focus = [w.focusWidget().objectName() for w in windows if w.focusWidget() is not None]
    return {"enums": sorted(made & HEAVY_ENUMS),  # before windowIcon() makes QIcon's
            "loaded": [m for m in WATCHED if m in sys.modules],
            "focus": focus, "visible": [w.objectName() for w in windows],
            "icon": icon and not QApplication.windowIcon().isNull()}

def later():
    states["later"] = state()
    print(json.dumps(states), flush=True)
    QApplication.quit()

def first_turn():
    states["first_turn"] = state(icon=False)
    QTimer.singleShot(300, later)

original_exec = QApplication.exec
def exec_with_probe(*args):
    QTimer.singleShot(0, first_turn)
    return original_exec()
QApplication.exec = exec_with_probe

import main
import ui.main_window
original_show = ui.main_window.MainWindow.show
def show_with_probe(self):
    original_show(self)
    states["shown"] = state(icon=False)
ui.main_window.MainWindow.show = show_with_probe
main.main(["--data-dir", sys.argv[1]])
"""


def test_the_window_takes_keys_before_the_index_log_and_socket_load(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "data")],
        cwd=PROJECT_ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRIEFING_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    states = json.loads(done.stdout.strip().splitlines()[-1])
    shown, first, later = states["shown"], states["first_turn"], states["later"]
    assert first["visible"] == ["main-window"]
    assert shown["focus"] == first["focus"] == ["search"]  # the widget the window's keys go to
    # Nothing the first show does not need is loaded before it; spaCy never is.
    assert shown["loaded"] == []
    assert "spacy" not in later["loaded"]
    # The index (on the worker thread), the log and the hand-over socket come right after.
    assert {"whoosh", "PySide6.QtNetwork", "logging.handlers"} <= set(later["loaded"])
    assert (home / "state" / "briefing-cards.log").is_file()
    # Neither QStyle's nor QIcon's enums are made before the first turn (theme.py asks for the
    # style only to change it; actions are made with commands.new_action), so no QIcon was made
    # either: the SVG icon (Qt's SVG engine) is set once the window is on screen. Nor is the Qt
    # namespace (ui/qt_names.py): the theme asks for the system's scheme once the window shows.
    assert shown["enums"] == first["enums"] == []
    assert later["icon"] and {"ThemeIcon", "WidgetAttribute"} <= set(later["enums"])


@pytest.mark.parametrize("make_field", [QPlainTextEdit, QSpinBox, QComboBox])
def test_single_letter_shortcuts_type_into_any_text_field(
    qtbot: QtBot, tmp_path: Path, make_field: type[QWidget]
) -> None:
    """Qt's text fields take printable keys over shortcuts ('/', '?', 'n' are window shortcuts)."""
    window = MainWindow(tmp_path / "data")
    qtbot.addWidget(window)
    field = make_field()
    if isinstance(field, QComboBox):
        field.setEditable(True)
    holder = QWidget()
    QVBoxLayout(holder).addWidget(field)
    window.statusBar().addWidget(holder)
    window.show()
    qtbot.waitExposed(window)
    field.setFocus()
    qtbot.keyClicks(field, "1?/n" if isinstance(field, QSpinBox) else "n?/s")
    typed = {
        QPlainTextEdit: lambda: field.toPlainText(),  # type: ignore[attr-defined]
        QSpinBox: lambda: field.text(),  # type: ignore[attr-defined]
        QComboBox: lambda: field.currentText(),  # type: ignore[attr-defined]
    }[make_field]()
    assert window.help.cheat_sheet is None
    assert window.focusWidget() in (field, getattr(field, "lineEdit", lambda: None)())
    if not isinstance(field, QSpinBox):  # a spin box refuses the non-digits, but takes the keys
        assert typed == "n?/s"


def test_indexing_widgets_are_built_when_first_needed(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(tmp_path / "data")
    qtbot.addWidget(window)
    assert window.findChild(QWidget, "skipped-dock") is None
    assert window.findChild(QWidget, "index-progress") is None
    window.indexing.cancel()  # nothing running: nothing to build or cancel
    assert window.findChild(QWidget, "index-progress") is None
    assert not window.indexing.skipped_dock.isVisible()
    assert window.findChild(QWidget, "skipped-dock") is window.indexing.skipped_dock
    assert window.indexing.progress_bar is window.findChild(QWidget, "index-progress")


def test_a_launch_waits_for_a_starting_first_instance_to_listen(
    tmp_path: Path, qtbot: QtBot
) -> None:
    key = instance_key(tmp_path)
    first = SingleInstance(key)
    assert first.claim()  # holds the lock; listens only once "its window is on screen"
    answers: list[bool] = []
    second = threading.Thread(target=lambda: answers.append(SingleInstance(key).acquire(["x"])))
    with qtbot.waitSignal(first.message_received, timeout=10_000) as handed:
        second.start()
        QTimer.singleShot(300, first.listen)
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    second.join(10)
    assert answers == [False]
    assert handed.args == [["x"]]


def test_a_first_instance_that_never_listens_still_keeps_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui.single_instance, "LISTEN_WAIT_MS", 300)
    key = instance_key(tmp_path)
    first = SingleInstance(key)
    assert first.claim()
    began = time.monotonic()
    assert not SingleInstance(key).acquire([])
    assert 0.3 <= time.monotonic() - began < 5


def test_the_lock_goes_with_its_instance(tmp_path: Path) -> None:
    key = instance_key(tmp_path)
    first = SingleInstance(key)
    assert first.claim()
    assert not SingleInstance(key).claim()
    del first
    assert SingleInstance(key).claim()


def test_quick_feature_check_answers_as_pysides_own() -> None:
    """The quicker check of newly imported modules (ui/app.py) must give PySide's own answers:
    True for a module that uses PySide6, False for one that does not or has no source."""
    import importlib
    import sys

    from ui import app

    feature = sys.modules["shibokensupport.feature"]
    own = app.PYSIDE_OWN_CHECK
    assert own is not None and feature._mod_uses_pyside is not own
    names = ["ui.main_window", "ui.reader", "search.models", "search.api", "json", "sys", "math"]
    answers = {}
    for name in names:
        module = importlib.import_module(name)
        answers[name] = feature._mod_uses_pyside(module)
        assert answers[name] == own(module), name
    assert answers["ui.main_window"] and not answers["search.models"] and not answers["sys"]
