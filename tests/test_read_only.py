"""A data folder that cannot be written, or a data-folder setting that is a file: a clear message,
never a traceback; a read-only library is searched as it is, in the CLI and the window."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from libraries import without_seeds
from pytestqt.qtbot import QtBot

import main
import search.config
import search.index
from search.index import ArticleIndex, IndexUnavailable
from search.models import Extraction
from ui.main_window import MainWindow

WAIT_MS = 10_000


@pytest.fixture(autouse=True)
def fast_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        search.index,
        "_spacy_extractor",
        lambda processes: lambda texts: [Extraction() for _ in texts],
    )


def _library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    for n, word in enumerate(["harbour", "ferry", "bridge"]):
        (lib / f"a{n}.md").write_text(f"# Story {n}\n\nThe {word} story.\n", encoding="utf-8")
    return lib


@pytest.fixture
def read_only_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A data folder with an index in it that nothing can write to.

    As an ordinary user the folders are made read-only for real. Root writes through any mode (CI
    runs as root), so there the one probe of writability says what a read-only mount would.
    """
    data = without_seeds(tmp_path / "data")
    assert (
        main.main(["--data-dir", str(data), "index", "--progress", "none", str(_library(tmp_path))])
        == 0
    )
    folders = [data, data / "index"]
    if os.geteuid() != 0:
        for folder in folders:
            folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    else:
        real = search.config.read_only_reason

        def probe(folder: Path) -> str | None:
            if Path(folder).resolve() in {f.resolve() for f in folders}:
                return f"{folder} is read-only (Read-only file system)"
            return real(folder)

        monkeypatch.setattr(search.config, "read_only_reason", probe)
    yield data
    for folder in folders:
        folder.chmod(stat.S_IRWXU)


def test_a_read_only_data_folder_is_searched_and_indexing_says_why(
    read_only_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main.main(["--data-dir", str(read_only_data), "search", "ferry"]) == 0
    assert "Story 1" in capsys.readouterr().out
    assert main.main(["--data-dir", str(read_only_data), "index", "--progress", "none"]) == 2
    err = capsys.readouterr().err
    assert "cannot index:" in err and "is read-only" in err and "Traceback" not in err

    index = ArticleIndex.open(read_only_data)
    assert index.read_only is not None and index.search("bridge").total == 1
    with pytest.raises(IndexUnavailable, match="Cannot index: .* is read-only"):
        index.sync([read_only_data.parent / "lib"])
    index.close()


def test_the_window_opens_a_read_only_library_with_a_banner(
    qtbot: QtBot, read_only_data: Path
) -> None:
    window = MainWindow(read_only_data)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT_MS)
    assert window.banner.text().startswith("Read-only: ")
    assert "is read-only" in window.banner.text()
    window.search_for("harbour")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)
    assert not window.indexing.runner.is_running()  # no sync was started
    window.library_actions.resync()
    assert window.statusBar().currentMessage().startswith("Cannot index: ")
    assert not window.indexing.runner.is_running()
    window.searcher.wait(WAIT_MS)


@pytest.mark.parametrize("how", ["BRIEFING_HOME", "--data-dir"])
def test_a_data_folder_setting_that_is_a_file_is_named(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    if how == "BRIEFING_HOME":
        monkeypatch.setenv("BRIEFING_HOME", str(a_file))
        argv = ["search", "ferry"]
    else:
        argv = ["--data-dir", str(a_file), "index"]
    assert main.main(argv) == 2
    err = capsys.readouterr().err
    assert f"{a_file} is a file, not a folder" in err and how in err
    assert "Traceback" not in err


def test_the_window_will_not_start_on_a_data_folder_that_is_a_file(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.app import run_app

    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    assert run_app(str(a_file)) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
