"""Theme: light, dark, or following the system's colour scheme (Qt's style hints, which say when
it changes); View ▸ Theme and `toggle_theme` choose, and the choice is kept in the settings.

A theme is a palette on the whole application, so the lists, the side panel, the search box and
the dialogs follow it; the article view restyles its HTML when its palette changes
(ui/article_view.py). The platform's own look is kept whenever it already is the scheme wanted;
otherwise the Fusion style, which draws everything from the palette, carries an explicit one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from ui.article_view import is_dark
from ui.commands import command, new_action

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMenu

SETTING = "theme"
CHOICES = ("system", "light", "dark")
LABELS = {"system": "System", "light": "Light", "dark": "Dark"}
DEFAULT_CHOICE = "system"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


def dark_scheme(scheme: Qt.ColorScheme) -> bool:
    """Whether the system's colour scheme `scheme` is dark; where the platform does not say
    (Unknown), whether the platform's own palette is: a desktop theme that gives Qt a dark palette
    and no scheme keeps its dark look."""
    from PySide6.QtCore import Qt  # not while the window is built: see Theme.follow_system

    if scheme == Qt.ColorScheme.Unknown:
        return native_is_dark()
    return scheme == Qt.ColorScheme.Dark


def system_is_dark() -> bool:
    """Whether the system's colour scheme is dark (see dark_scheme)."""
    return dark_scheme(QGuiApplication.styleHints().colorScheme())


def _palette(colours: dict[QPalette.ColorRole, str], disabled: str) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.Text, Role.WindowText, Role.ButtonText, Role.HighlightedText):
        palette.setColor(Group.Disabled, role, QColor(disabled))
    return palette


def dark_palette() -> QPalette:
    """Light grey text on near-black, links and the selection in a blue that reads on both."""
    return _palette(
        {
            Role.Window: "#2b2b2b",
            Role.WindowText: "#e4e4e4",
            Role.Base: "#1e1e1e",
            Role.AlternateBase: "#262626",
            Role.ToolTipBase: "#3a3a3a",
            Role.ToolTipText: "#e4e4e4",
            Role.PlaceholderText: "#8a8a8a",
            Role.Text: "#e4e4e4",
            Role.Button: "#353535",
            Role.ButtonText: "#e4e4e4",
            Role.BrightText: "#ff6b6b",
            Role.Light: "#4a4a4a",
            Role.Midlight: "#3e3e3e",
            Role.Mid: "#5a5a5a",  # the panes' thin frame (ui/focus.py)
            Role.Dark: "#1a1a1a",
            Role.Shadow: "#000000",
            Role.Highlight: "#3d6fb4",
            Role.HighlightedText: "#ffffff",
            Role.Link: "#7cb8ff",
            Role.LinkVisited: "#c0a4ff",
        },
        disabled="#7a7a7a",
    )


def light_palette() -> QPalette:
    """Fusion's light colours, for when the platform's own palette is dark and light is wanted."""
    return _palette(
        {
            Role.Window: "#efefef",
            Role.WindowText: "#000000",
            Role.Base: "#ffffff",
            Role.AlternateBase: "#f7f7f7",
            Role.ToolTipBase: "#ffffdc",
            Role.ToolTipText: "#000000",
            Role.PlaceholderText: "#808080",
            Role.Text: "#000000",
            Role.Button: "#efefef",
            Role.ButtonText: "#000000",
            Role.BrightText: "#ffffff",
            Role.Light: "#ffffff",
            Role.Midlight: "#cacaca",
            Role.Mid: "#b8b8b8",
            Role.Dark: "#9f9f9f",
            Role.Shadow: "#767676",
            Role.Highlight: "#308cc6",
            Role.HighlightedText: "#ffffff",
            Role.Link: "#0b57d0",
            Role.LinkVisited: "#7b3fc4",
        },
        disabled="#8c8c8c",
    )


# Whether the application's own palette is dark, and its own style's name, each noted before the
# first change. The style is only asked for when a change needs it: reading it from Python makes
# PySide build QStyle's eleven enums (566 members, ~14 ms), which a start-up in the platform's own
# look never needs.
_native_dark: bool | None = None
_native_style: str | None = None
_applied: bool | None = None  # the scheme last applied (True: dark)


def native_is_dark() -> bool:
    """Whether the platform's own palette is dark (as it was before the theme first changed it;
    without an application, no)."""
    global _native_dark
    if _native_dark is None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return False
        _native_dark = is_dark(app.palette())
    return _native_dark


def apply_scheme(dark: bool) -> None:
    """Give the application a dark or a light palette (nothing happens when it already has it)."""
    global _native_style, _applied
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    native = native_is_dark()
    if _applied is None and dark == native:
        _applied = dark  # the platform's look is already the one wanted: start-up costs nothing
        return
    if dark == _applied:
        return
    _applied = dark
    if _native_style is None:
        _native_style = app.style().name()  # not changed yet: this is the platform's own
    if dark == native:
        if app.style().name() != _native_style:
            app.setStyle(_native_style)
        app.setPalette(QPalette())  # the platform's own again, following it from now on
    else:
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(dark_palette() if dark else light_palette())
    # A widget with a style sheet of its own (the panes' focus frames) took its palette when the
    # sheet was polished and keeps it; setting the sheet again gives it the new one.
    for widget in app.allWidgets():
        if widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())


class Theme(QObject):
    """The theme chosen (system, light or dark) and the scheme in force; `changed` says when the
    scheme changed (True: dark)."""

    changed = Signal(bool)
    message = Signal(str, int)  # status text and how long it shows (ms)

    def __init__(self, parent: QObject, settings: QSettings) -> None:
        super().__init__(parent)
        self._settings = settings
        saved = str(settings.value(SETTING, DEFAULT_CHOICE))
        self.choice = saved if saved in CHOICES else DEFAULT_CHOICE
        # Until the window is on screen, the platform's own palette stands for the system's
        # scheme (as for an Unknown one): asking for the scheme makes PySide's `Qt` namespace
        # (~20 ms, ui/qt_names.py). The two agree where the platform theme gives the desktop's
        # palette; follow_system asks for the scheme itself once the window shows.
        self._system_dark = native_is_dark()
        self._actions: dict[str, QAction] = {}
        self._group: QActionGroup | None = None
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        self.dark = self._wanted_dark()
        apply_scheme(self.dark)

    def _wanted_dark(self) -> bool:
        return self._system_dark if self.choice == "system" else self.choice == "dark"

    def follow_system(self) -> None:
        """Take the system's colour scheme as it says it is (called once the window shows)."""
        self._follow(system_is_dark())

    def _on_system_scheme(self, scheme: Qt.ColorScheme) -> None:
        self._follow(dark_scheme(scheme))

    def _follow(self, system_dark: bool) -> None:
        self._system_dark = system_dark
        if self.choice == "system":
            self._apply()

    def _apply(self) -> None:
        dark = self._wanted_dark()
        apply_scheme(dark)
        if dark != self.dark:
            self.dark = dark
            self.changed.emit(dark)

    def set_choice(self, choice: str) -> None:
        """Use `choice` ("system", "light" or "dark") now and from the next launch on."""
        if choice not in CHOICES:
            raise ValueError(f"unknown theme {choice!r}")
        self.choice = choice
        self._settings.setValue(SETTING, choice)
        if choice in self._actions:
            self._actions[choice].setChecked(True)
        self._apply()

    @command("toggle_theme")
    def cycle(self) -> None:
        """The next theme: system, light, dark, then system again."""
        self.set_choice(CHOICES[(CHOICES.index(self.choice) + 1) % len(CHOICES)])
        scheme = "dark" if self.dark else "light"
        shown = f"System ({scheme})" if self.choice == "system" else LABELS[self.choice]
        self.message.emit(f"Theme: {shown}", 4000)

    def add_menu(self, view: QMenu) -> None:
        """View ▸ Theme: System, Light, Dark."""
        menu = view.addMenu("Theme")
        self._group = QActionGroup(self)
        for choice in CHOICES:
            action = new_action(self, LABELS[choice], checkable=True)
            action.setObjectName(f"theme-{choice}")
            action.setChecked(choice == self.choice)
            action.triggered.connect(lambda _checked, c=choice: self.set_choice(c))
            self._group.addAction(action)
            menu.addAction(action)
            self._actions[choice] = action
