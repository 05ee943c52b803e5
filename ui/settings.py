"""The window's settings file, and the window's layout (geometry, splitters) saved in it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from search.api import config_dir

SETTINGS_FILE = "settings.ini"


def settings_for(directory: Path | None = None) -> QSettings:
    """The window's settings, an INI file under the config dir (so BRIEFING_HOME isolates tests)."""
    path = (directory or config_dir()) / SETTINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def restore_layout(
    settings: QSettings, window: QMainWindow, splitters: dict[str, QSplitter]
) -> None:
    geometry = settings.value("geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    for key, splitter in splitters.items():
        state = settings.value(key)
        if isinstance(state, QByteArray):
            splitter.restoreState(state)


def save_layout(settings: QSettings, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    settings.setValue("geometry", window.saveGeometry())
    for key, splitter in splitters.items():
        settings.setValue(key, splitter.saveState())
