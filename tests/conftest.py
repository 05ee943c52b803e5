"""Shared test set-up: Qt runs offscreen, every test gets its own data directory, the CLI tests a
small library indexed without spaCy, and the window tests share the seed library's index and a
way to open a window on a data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # Qt and the window load only for the tests that ask for them
    from pytestqt.qtbot import QtBot

    from ui.main_window import MainWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
WINDOW_WAIT_MS = 5000


@pytest.fixture(autouse=True)
def briefing_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "briefing-home"
    monkeypatch.setenv("BRIEFING_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed library indexed once, in a child process so spaCy never loads into the test process."""
    from search.library import LIBRARY_FILE

    data = tmp_path_factory.mktemp("seed-index")
    subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "index", str(SEEDS)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # Without saved library folders the window does not re-sync on start: tests stay read-only.
    (data / LIBRARY_FILE).unlink(missing_ok=True)
    return data


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory whose library is tests/test_entities.py's few articles, indexed with its
    made-up extractor (no spaCy): what the CLI tests of notes, entities and state run on."""
    from libraries import without_seeds
    from test_entities import extract_names, write_library

    import main
    import search.index

    monkeypatch.setattr(search.index, "_spacy_extractor", lambda processes: extract_names)
    data = without_seeds(tmp_path / "data")
    lib = write_library(tmp_path / "lib")
    assert main.main(["--data-dir", str(data), "index", str(lib), "--progress", "none"]) == 0
    return data


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[[Path], MainWindow]]:
    """Opens a window on a data directory as the app does (shown, then started); each one's
    background work is finished before the test's data goes."""
    from ui.main_window import MainWindow

    opened: list[MainWindow] = []

    def open_on(data: Path) -> MainWindow:
        main = MainWindow(data)
        qtbot.addWidget(main)
        main.show()
        qtbot.waitExposed(main)
        main.start()
        opened.append(main)
        return main

    yield open_on
    for main in opened:
        main.searcher.wait(WINDOW_WAIT_MS)
        main.corrections.runner.wait(WINDOW_WAIT_MS)


@pytest.fixture
def window(qtbot: QtBot, seed_index: Path, open_window: Callable[[Path], MainWindow]) -> MainWindow:
    """A window on the seed library, its first results shown."""
    main = open_window(seed_index)
    qtbot.waitUntil(lambda: main.model.rowCount() > 0, timeout=WINDOW_WAIT_MS)
    return main
