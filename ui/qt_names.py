"""Qt values for the code that builds the window, without PySide's `Qt` namespace.

PySide makes all of a class's Python enums the first time the class is used, through Python's
`enum` module. For the `Qt` namespace that is 93 enums with 1,195 members: ~20 ms and 118 M
instructions, an eighth of the app's start-up. Building the window needs only a few `Qt` values,
so that code takes them from here:

- item data roles as the ints every Qt call that takes a role takes;
- enum properties set by their key names through Qt's meta-object (`set_enum`).

Code that runs later (on a key, a search answer, a menu) uses `Qt` as usual, imported where it is
used. tests/test_ui_startup.py fails if the namespace is made before the window takes keys.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

# Qt.ItemDataRole's values.
DISPLAY_ROLE = 0
TOOL_TIP_ROLE = 3
ACCESSIBLE_TEXT_ROLE = 11
USER_ROLE = 0x0100

# Qt.Key.Key_unknown: all the bits of a key combination's key part (the rest are modifiers).
KEY_UNKNOWN = 0x01FFFFFF


def set_enum(target: QObject, name: str, keys: str) -> None:
    """Set `target`'s Qt enum property `name` to `keys`, key names joined by "|" as in C++:
    `set_enum(label, "alignment", "AlignRight|AlignVCenter")` does what
    `label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)` does."""
    if not target.setProperty(name, keys):
        raise ValueError(f"{type(target).__name__} has no enum property {name!r} taking {keys!r}")
