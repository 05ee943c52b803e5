"""File › Rebuild index in the window repairs a damaged index: the window says what is damaged,
the rebuild runs in the indexing process, and the window searches the new index afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import main
import search.index
from search.models import Extraction
from tests.test_reliability_crash import STAND_IN_MAIN
from ui.indexer import IndexRunner
from ui.main_window import MainWindow

WAIT_MS = 60_000


def test_rebuild_from_the_window_repairs_a_damaged_index(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        search.index,
        "_spacy_extractor",
        lambda processes: lambda texts: [Extraction() for _ in texts],
    )
    lib = tmp_path / "lib"
    lib.mkdir()
    for n, word in enumerate(["harbour", "ferry"]):
        (lib / f"a{n}.md").write_text(f"# Story {n}\n\nThe {word} story.\n", encoding="utf-8")
    data = tmp_path / "data"
    assert main.main(["--data-dir", str(data), "index", "--progress", "none", str(lib)]) == 0
    postings = next((data / "index").glob("MAIN_*.pst"))
    postings.unlink()

    runner = IndexRunner(data, command=[sys.executable, "-c", STAND_IN_MAIN])
    window = MainWindow(data, runner=runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    qtbot.waitUntil(lambda: window.library_label.text() == "Index unavailable", timeout=WAIT_MS)

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS):
        window.rebuild_index()
    window.search_for("ferry")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.library_label.text() == "2 articles in the library", timeout=WAIT_MS
    )
    window.searcher.wait(WAIT_MS)
