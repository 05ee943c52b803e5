"""Starts the desktop app: logging, one instance per library, the window on screen first, then the index."""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from search.config import RESOURCES_DIR
from search.config import data_dir as resolve_data_dir

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
    log_path = setup_logging()

    instance = SingleInstance(instance_key(directory), app)
    # The window takes no path arguments (the CLI's options are not paths), so a second launch
    # only asks the first to come forward.
    if not instance.acquire([]):
        print(
            f"Briefing Cards is already open on {directory}; brought it to the front.",
            file=sys.stderr,
        )
        return 0

    from ui.main_window import MainWindow

    window = MainWindow(directory)
    instance.message_received.connect(window.handle_arguments)
    window.show()
    # The index opens and the library syncs once the window is on screen.
    QTimer.singleShot(0, window.start)
    log.info("window open on %s (log: %s)", directory, log_path)
    return app.exec()
