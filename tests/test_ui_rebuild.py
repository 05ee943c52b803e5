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
from tests.libraries import without_seeds
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
    data = without_seeds(tmp_path / "data")
    assert main.main(["--data-dir", str(data), "index", "--progress", "none", str(lib)]) == 0
    postings = next((data / "index").glob("MAIN_*.pst"))
    postings.unlink()

    runner = IndexRunner(data, command=[sys.executable, "-c", STAND_IN_MAIN])
    window = MainWindow(data, runner=runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    qtbot.waitUntil(
        lambda: window.indexing.library_label.text() == "Index unavailable", timeout=WAIT_MS
    )

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS):
        window.library_actions.rebuild_index()
    window.search_for("ferry")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.indexing.library_label.text() == "2 articles in the library", timeout=WAIT_MS
    )
    window.searcher.wait(WAIT_MS)


def test_an_index_of_another_version_is_rebuilt_when_the_window_opens(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_schema, real_document = search.index.build_schema, search.index._document

    def older_schema():  # type: ignore[no-untyped-def]
        schema = real_schema()
        schema.remove("minhash")
        return schema

    def older_document(*args):  # type: ignore[no-untyped-def]
        document = real_document(*args)
        del document["minhash"]
        return document

    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.md").write_text("# Ferry\n\nThe ferry story.\n", encoding="utf-8")
    data = without_seeds(tmp_path / "data")
    with monkeypatch.context() as older:
        older.setattr(search.index, "build_schema", older_schema)
        older.setattr(search.index, "_document", older_document)
        older.setattr(search.index, "_write_copies", lambda ix, directory, changed: None)
        older.setattr(
            search.index, "_spacy_extractor", lambda p: lambda texts: [Extraction() for _ in texts]
        )
        assert main.main(["--data-dir", str(data), "index", "--progress", "none", str(lib)]) == 0

    runner = IndexRunner(data, command=[sys.executable, "-c", STAND_IN_MAIN])
    window = MainWindow(data, runner=runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(runner.finished, timeout=WAIT_MS):
        window.start()
    window.search_for("ferry")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    window.searcher.wait(WAIT_MS)
