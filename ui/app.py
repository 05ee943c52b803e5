"""Starts the desktop app: one instance per library, the window painted first, then the log, the index and the hand-over socket."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from search.api import RESOURCES_DIR, DataDirError
from search.api import data_dir as resolve_data_dir

if TYPE_CHECKING:
    from ui.main_window import MainWindow
    from ui.single_instance import SingleInstance

log = logging.getLogger(__name__)


def _quicken_feature_check() -> Callable[[object], bool] | None:
    """Make PySide's check of each newly imported module cheap, with the same answer.

    Once PySide is imported, every module imported after it is checked for `from __feature__
    import` by searching its source for "PySide6", read through inspect.getsource (linecache and
    the tokenizer), ~85 modules for the window. Reading a plain .py file's bytes gives the same
    answer and saved ~8 ms of CPU per launch (about 4%, measured in turn with and without);
    anything else (built-in, frozen, zipped) still goes to PySide's own check.
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None:
        return None  # another PySide version: its own check stands

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return bool(original(module))

    feature._mod_uses_pyside = uses_pyside
    return original  # type: ignore[no-any-return]  (PySide's function is untyped)


# Before the window's modules are imported (run_app imports them). PySide's own check is kept
# for the test that the quick one answers the same.
PYSIDE_OWN_CHECK = _quicken_feature_check()


ICON_PATH = RESOURCES_DIR / "icon.svg"
# A window that is never painted (started minimised, say) still gets its index after this long.
FIRST_PAINT_WAIT_MS = 500


class AfterFirstPaint(QObject):
    """Runs `then` once, as soon as `window` has been painted for the first time (or after FIRST_PAINT_WAIT_MS).

    Work queued with a zero timer before the event loop starts runs before the window's first
    paint; this lets the window reach the screen first.
    """

    def __init__(self, window: QObject, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            # Queued: the window's children paint in this same pass, after this event.
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()


def run_app(data_dir: str | None = None) -> int:
    """Open the window on the library in `data_dir` (default: $BRIEFING_HOME or the user data dir)."""
    from ui.single_instance import SingleInstance, instance_key

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    try:
        directory = resolve_data_dir(data_dir)
    except DataDirError as error:
        print(f"briefing: {error}", file=sys.stderr)
        if QApplication.platformName() not in ("offscreen", "minimal"):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "Briefing Cards cannot start", str(error))
        return 2
    app.setOrganizationName("Briefing Cards")
    app.setApplicationName("briefing-cards")
    app.setApplicationDisplayName("Briefing Cards")
    app.setDesktopFileName("briefing-cards")

    instance = SingleInstance(instance_key(directory), app)
    # Taking the library's lock is cheap; only a second launch pays for the socket hand-over. The
    # window takes no path arguments (the CLI's options are not paths), so a second launch only
    # asks the first to come forward.
    if not instance.claim():
        from ui.logs import setup_logging

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
        from ui.logs import setup_logging

        # The log is set up once the window shows; a window that cannot be built still leaves
        # its traceback there (the hook setup_logging installs writes it on the way out).
        setup_logging()
        raise
    window.show()
    # What the window does not need to take keys waits until it is on screen.
    AfterFirstPaint(window, lambda: _after_show(window, instance, directory))
    return app.exec()


def _after_show(window: MainWindow, instance: SingleInstance, directory: Path) -> None:
    from ui.logs import setup_logging

    # The icon is an SVG: rendering it loads Qt's SVG engine (~10 ms), not needed to take keys.
    if ICON_PATH.is_file():
        from PySide6.QtGui import QIcon

        QApplication.setWindowIcon(QIcon(str(ICON_PATH)))

    # The index opens on the worker thread while the rest is set up here.
    window.start()
    log_path = setup_logging()
    instance.message_received.connect(window.handle_arguments)
    instance.listen()
    log.info("window open on %s (log: %s)", directory, log_path)
