"""The window's settings file, and the window's layout (geometry, splitters) saved in it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter

from search.api import config_dir

SETTINGS_FILE = "settings.ini"
# A title bar's height before the window manager says (typical decorations are 24–32 px; asking
# the style for PM_TitleBarHeight made QStyle's wrapper, 12 ms of start-up, for a guess as good).
TITLE_BAR_GUESS = 30
FRAME_BORDER_GUESS = 4  # px a window manager's border may add on each side, before it says


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
    fit_to_screen(window)
    for key, splitter in splitters.items():
        state = settings.value(key)
        if isinstance(state, QByteArray):
            splitter.restoreState(state)


def fit_to_screen(window: QMainWindow) -> None:
    """Keep the window, frame and title bar included, inside its screen's available area: a size
    saved on another screen or at another scale factor (restoreGeometry then keeps the default
    size), or the default size on a small screen, would hide the panes on the right."""
    if window.isMaximized() or window.isFullScreen():
        return
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    available = screen.availableGeometry()
    geometry = window.geometry()
    frame = window.frameGeometry()
    if window.isVisible() and frame != geometry:
        left, top = geometry.x() - frame.x(), geometry.y() - frame.y()
        extra_w, extra_h = frame.width() - geometry.width(), frame.height() - geometry.height()
    else:  # no frame yet: leave room for the window manager's borders and title bar
        title = TITLE_BAR_GUESS
        border = FRAME_BORDER_GUESS
        left, top, extra_w, extra_h = border, title + border, 2 * border, title + 2 * border
    width = max(min(geometry.width(), available.width() - extra_w), window.minimumWidth())
    height = max(min(geometry.height(), available.height() - extra_h), window.minimumHeight())
    # Then move it so its frame starts on the screen and ends inside it.
    x = min(max(geometry.x() - left, available.left()), available.right() + 1 - width - extra_w)
    y = min(max(geometry.y() - top, available.top()), available.bottom() + 1 - height - extra_h)
    fitted = QRect(max(x, available.left()) + left, max(y, available.top()) + top, width, height)
    if fitted != geometry:
        window.setGeometry(fitted)


def save_layout(settings: QSettings, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
    settings.setValue("geometry", window.saveGeometry())
    for key, splitter in splitters.items():
        settings.setValue(key, splitter.saveState())
