"""The brief pane: a brief of three seed articles assembled, reordered, noted and exported from
the keyboard, the store changed off the GUI thread."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog
from test_printing import pdf_pages, pdf_text

from search.api import Library

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from ui.main_window import MainWindow

WAIT_MS = 5000


def test_a_brief_is_assembled_from_the_keyboard_and_exported(
    qtbot: QtBot,
    seed_index: Path,
    open_window: Callable[[Path], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = Path(shutil.copytree(seed_index, tmp_path / "data"))
    main = open_window(data)
    qtbot.waitUntil(lambda: main.model.rowCount() >= 3, timeout=WAIT_MS)
    pane = main.brief
    asked: list[str] = []

    def ask_text(title: str, label: str, text: str = "") -> str:
        asked.append(label)
        answers = {"Title of the new brief:": "Morning brief", "Prepared by:": "A. Briefer"}
        if label.startswith("Handling line"):
            return "OFFICIAL — for the Minister"
        return answers.get(label, "Raise at the 9:00")

    monkeypatch.setattr(pane, "ask_text", ask_text)
    hits = main.result_list.hits()[:3]
    main.result_list.setFocus()
    for row in range(len(hits)):
        main.result_list.setCurrentIndex(main.model.index(row))
        qtbot.keyClick(main.result_list, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda n=row + 1: pane.list.count() == n, timeout=WAIT_MS)
    assert asked == ["Title of the new brief:"]  # asked once, when the first item started it
    assert pane.dock.isVisible() and pane.dock.windowTitle() == "Brief — Morning brief"
    # Docked beside the article when first shown (not while the window was built).
    assert main.dockWidgetArea(pane.dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert [i.article_id for i in pane.brief.items] == [hit.id for hit in hits]  # type: ignore[union-attr]
    assert pane.list.item(0).text() == f"1. {hits[0].title}"

    qtbot.keyClick(main.result_list, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: pane.list.hasFocus(), timeout=WAIT_MS)
    pane.list.setCurrentRow(2)
    qtbot.keyClick(pane.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    moved = [hits[0].id, hits[2].id, hits[1].id]
    qtbot.waitUntil(
        lambda: [i.article_id for i in pane.brief.items] == moved,  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    assert pane.list.currentRow() == 1  # the moved item stays selected
    qtbot.keyClick(pane.list, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: "Note: Raise at the 9:00" in pane.list.item(1).text(), timeout=WAIT_MS)
    pane.list.setCurrentRow(0)
    qtbot.keyClick(pane.list, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: pane.list.count() == 2, timeout=WAIT_MS)

    for kind in ("md", "pdf"):
        out = tmp_path / f"brief.{kind}"
        monkeypatch.setattr(pane, "ask_save_path", lambda _title, o=out, k=kind: (o, k))
        qtbot.keyClick(
            pane.list,
            Qt.Key.Key_E,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        qtbot.waitUntil(lambda o=out: o.exists(), timeout=WAIT_MS * 4)
        qtbot.waitUntil(lambda: not pane.runner.pending(), timeout=WAIT_MS * 4)
    markdown = (tmp_path / "brief.md").read_text(encoding="utf-8")
    assert f"## 1. {hits[2].title}" in markdown and "**Note:** Raise at the 9:00" in markdown
    assert (tmp_path / "brief.pdf").read_bytes().startswith(b"%PDF")
    assert main.statusBar().currentMessage().startswith("Brief saved: 2 items, ")
    qtbot.waitUntil(lambda: "issued 2" in pane.heading.text(), timeout=WAIT_MS)

    main.actions_by_name["brief_cover"].trigger()
    qtbot.waitUntil(lambda: "OFFICIAL — for the Minister" in pane.heading.text(), timeout=WAIT_MS)
    assert "by A. Briefer" in pane.heading.text()
    printed = tmp_path / "printed.pdf"

    def exec_dialog(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(printed))
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(QPrintDialog, "exec", exec_dialog)
    main.actions_by_name["print_brief"].trigger()
    qtbot.waitUntil(lambda: printed.exists(), timeout=WAIT_MS * 4)
    text = pdf_text(printed)
    assert "Morning brief" in text and "Prepared by A. Briefer" in text
    assert text.count("OFFICIAL — for the Minister") >= 2 * len(pdf_pages(printed))

    main.close()
    library = Library.open(data)  # the store has it, as the CLI sees it
    try:
        brief = library.brief("Morning brief")
        assert [i.article_id for i in brief.items] == [hits[2].id, hits[1].id]
        assert brief.issued_at is not None
    finally:
        library.close()
