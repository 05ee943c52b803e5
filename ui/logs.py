"""The app's log: a rotating file in the user's state directory that also catches Qt messages and crashes."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from search.api import state_dir

LOG_NAME = "briefing-cards.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def setup_logging() -> Path:
    """Log to a rotating file under state_dir() (warnings also to stderr); returns the file's path."""
    # logging.handlers costs ~8 ms to import; the app sets up its log after the window shows.
    from logging.handlers import RotatingFileHandler

    directory = state_dir()
    path = directory / LOG_NAME
    root = logging.getLogger()
    # Calling this twice (tests, a second window) must not write every line twice.
    for handler in list(root.handlers):
        if getattr(handler, "briefing_cards", False):
            root.removeHandler(handler)
            handler.close()

    handlers: list[logging.Handler] = []
    unwritable = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as error:  # a read-only data folder: the log goes to stderr only
        unwritable = f"cannot write the log {path} ({error.strerror}); logging to stderr only"
    else:
        file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
        file_handler.setLevel(logging.INFO)
        handlers.append(file_handler)
    stderr_handler = logging.StreamHandler(sys.stderr)
    stderr_handler.setFormatter(logging.Formatter("briefing: %(levelname)s %(message)s"))
    stderr_handler.setLevel(logging.WARNING)
    handlers.append(stderr_handler)
    for handler in handlers:
        handler.briefing_cards = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.INFO)

    qInstallMessageHandler(_log_qt_message)
    sys.excepthook = _log_uncaught
    if unwritable:
        logging.getLogger(__name__).warning(unwritable)
    logging.getLogger(__name__).info("Briefing Cards started; logging to %s", path)
    return path


def _log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    logging.getLogger(f"qt.{context.category or 'default'}").log(
        _QT_LEVELS.get(kind, logging.WARNING), message
    )


def _log_uncaught(
    kind: type[BaseException], value: BaseException, traceback: TracebackType | None
) -> None:
    # An exception escaping a Qt slot would otherwise only reach the terminal, which a desktop
    # launch does not have.
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, traceback)
        return
    logging.getLogger("briefing.crash").critical(
        "uncaught exception", exc_info=(kind, value, traceback)
    )
