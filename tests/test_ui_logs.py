"""setup_logging: the app's rotating log file under the state directory, with Qt messages and crashes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning

from ui.logs import setup_logging


@pytest.fixture
def app_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    qInstallMessageHandler(None)


def test_log_file_under_state_dir(briefing_home: Path, app_logging: None) -> None:
    path = setup_logging()
    assert path.parent == briefing_home / "state"
    logging.getLogger("ui.test").info("opened article %s", "abc123")
    qWarning("a Qt warning")
    try:
        raise ValueError("boom in a slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    text = path.read_text(encoding="utf-8")
    assert "INFO ui.test: opened article abc123" in text
    assert "WARNING qt.default: a Qt warning" in text
    assert "ValueError: boom in a slot" in text


def test_calling_twice_does_not_duplicate_lines(app_logging: None) -> None:
    setup_logging()
    path = setup_logging()
    logging.getLogger("ui.test").info("once only")
    assert path.read_text(encoding="utf-8").count("once only") == 1
