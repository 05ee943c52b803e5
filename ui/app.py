"""Starts the desktop app: one instance per library, the window on screen first, then the log, the index and the hand-over socket."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from search.config import RESOURCES_DIR
from search.config import data_dir as resolve_data_dir

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.single_instance import SingleInstance

log = logging.getLogger(__name__)

ICON_PATH = RESOURCES_DIR / "icon.svg"


def run_app(data_dir: str | None = None) -> int:
    """Open the window on the library in `data_dir` (default: $BRIEFING_HOME or the user data dir)."""
    from ui.logs import setup_logging
    from ui.single_instance import SingleInstance, instance_key

    directory = resolve_data_dir(data_dir)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName("Briefing Cards")
    app.setApplicationName("briefing-cards")
    app.setApplicationDisplayName("Briefing Cards")
    app.setDesktopFileName("briefing-cards")
    if ICON_PATH.is_file():
        app.setWindowIcon(QIcon(str(ICON_PATH)))

    instance = SingleInstance(instance_key(directory), app)
    # Taking the library's lock is cheap; only a second launch pays for the socket hand-over. The
    # window takes no path arguments (the CLI's options are not paths), so a second launch only
    # asks the first to come forward.
    if not instance.claim():
        setup_logging()
        if not instance.acquire([]):
            print(
                f"Briefing Cards is already open on {directory}; brought it to the front.",
                file=sys.stderr,
            )
            return 0

    from ui.main_window import MainWindow

    try:
        window = MainWindow(directory)
    except Exception:
        # The log is set up once the window shows; a window that cannot be built still leaves
        # its traceback there (the hook setup_logging installs writes it on the way out).
        setup_logging()
        raise
    window.show()
    # What the window does not need to take keys waits until it is on screen.
    QTimer.singleShot(0, lambda: _after_show(window, instance, directory))
    return app.exec()


def _after_show(window: MainWindow, instance: SingleInstance, directory: Path) -> None:
    from ui.logs import setup_logging

    # The index opens on the worker thread while the rest is set up here.
    window.start()
    log_path = setup_logging()
    instance.message_received.connect(window.handle_arguments)
    instance.listen()
    log.info("window open on %s (log: %s)", directory, log_path)
