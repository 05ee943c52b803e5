"""Commands by name: a pane marks its handler with `@command("name", *args)`, and the window
binds each of ui/keymap.py's COMMANDS to the handler of that name, reporting any left unmatched."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar, QWidget

from ui.keymap import COMMANDS, Keymap
from ui.qt_names import set_enum

log = logging.getLogger(__name__)

MENUS = ("File", "Edit", "View", "Go", "Help")
SEPARATORS_BEFORE = {
    "print_card",
    "add_to_brief",
    "resync",
    "quit",
    "next_hit",
    "next_article",
    "focus_results",
    "preferences",
}

F = TypeVar("F", bound=Callable[..., Any])
ATTRIBUTE = "_command_bindings"


def command(name: str, *args: Any) -> Callable[[F], F]:
    """Mark a method as the handler of the command `name`, called with `args` (stackable, so one
    method can serve e.g. next_result with 1 and previous_result with -1)."""

    def mark(method: F) -> F:
        bindings = list(getattr(method, ATTRIBUTE, ()))
        bindings.append((name, args))
        setattr(method, ATTRIBUTE, bindings)
        return method

    return mark


def collect_handlers(providers: Iterable[object]) -> dict[str, Callable[[], Any]]:
    """Each command name marked on the providers' methods, with its bound handler.

    A name marked twice is a mistake: the first provider keeps it and the log says so.
    """
    handlers: dict[str, Callable[[], Any]] = {}
    for provider in providers:
        # Only the project's own classes: walking Qt's hundreds of inherited names would cost
        # start-up time for nothing.
        own = [klass for klass in type(provider).__mro__ if klass.__module__.startswith("ui.")]
        for klass in reversed(own):
            for attribute, method in vars(klass).items():
                for name, args in getattr(method, ATTRIBUTE, ()):
                    if name in handlers:
                        log.error("command %s has two handlers; kept the first", name)
                        continue
                    handlers[name] = partial(getattr(provider, attribute), *args)
    return handlers


def unmatched(handlers: dict[str, Callable[[], Any]]) -> list[str]:
    """What does not match between the keymap's commands and the handlers: one line each."""
    names = {command.name for command in COMMANDS}
    problems = [f"command {name} has no handler" for name in sorted(names - set(handlers))]
    problems += [f"handler for {name} has no command" for name in sorted(set(handlers) - names)]
    return problems


def new_action(parent: QObject, text: str, **properties: Any) -> QAction:
    """A QAction with its text and any other properties (checkable=True, ...).

    Made as QAction(parent, text=...), never QAction(text, parent): PySide resolves that overload by
    trying QAction(QIcon, text, parent) too, which builds QIcon's enums (151 icon names, ~3 ms at
    start-up) for actions that have no icon. tests/test_ui_startup.py checks that none are built.
    """
    return QAction(parent, text=text, **properties)


def make_actions(
    window: QWidget,
    keymap: Keymap,
    handlers: dict[str, Callable[[], Any]],
    contexts: dict[str, list[QWidget]],
    actions: dict[str, QAction],
) -> None:
    """One action per command of the keymap into `actions`, with its keys, live in its context
    (the window, or the context's widgets), triggering the handler of the same name; a command
    without a handler is logged and its action disabled."""
    for problem in unmatched(handlers):
        log.error("commands: %s", problem)
    for entry in COMMANDS:
        action = new_action(window, entry.description)
        action.setObjectName(entry.name)
        action.setShortcuts(keymap.keys(entry.name))
        handler = handlers.get(entry.name)
        if handler is None:
            action.setEnabled(False)
        else:
            action.triggered.connect(lambda _checked=False, run=handler: run())
        if entry.context == "window":
            window.addAction(action)  # an action's keys work window-wide unless told otherwise
        else:
            set_enum(action, "shortcutContext", "WidgetShortcut")
            for widget in contexts[entry.context]:
                # addActions: a line edit's addAction also takes a QIcon, and resolving it would
                # build QIcon's enums (see new_action).
                widget.addActions([action])
        actions[entry.name] = action


def fill_menus(menu_bar: QMenuBar, actions: dict[str, QAction]) -> dict[str, QObject]:
    """The menus, each command's action in the menu the keymap names; returns them by name."""
    menus = {name: menu_bar.addMenu(f"&{name}") for name in MENUS}
    for entry in COMMANDS:
        if not entry.menu:
            continue
        if entry.name in SEPARATORS_BEFORE:
            menus[entry.menu].addSeparator()
        menus[entry.menu].addAction(actions[entry.name])
    return dict(menus)
