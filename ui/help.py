"""Help: the keyboard cheat sheet (generated from the keymap table) and the About box with versions and credits."""

from __future__ import annotations

import html
import platform
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.keymap import COMMANDS, Keymap

CONTEXT_TITLES = {
    "window": "Anywhere",
    "results": "Search box and results",
    "reader": "Article and side panel",
    "panel": "Side panel: corrections",
    "brief": "The brief (Alt+5)",
    "watches": "Watch list (Enter searches an item, new articles first)",
}

CREDITS = (
    "Seed articles from <b>Wikinews</b>, licensed CC BY 2.5 "
    "(https://creativecommons.org/licenses/by/2.5/); each article shows its own credit.",
    "Place names from <b>GeoNames</b> (https://www.geonames.org/), licensed CC BY 4.0.",
    "Built with Qt / PySide6 (LGPLv3), Whoosh (BSD), markdown-it-py (MIT) and spaCy (MIT) "
    "with its en_core_web_sm model (MIT).",
)


def cheat_sheet_html(keymap: Keymap) -> str:
    """Every command in the table with its keys in force, grouped by where it works."""
    sections = []
    for context, title in CONTEXT_TITLES.items():
        rows = []
        for command in COMMANDS:
            if command.context != context:
                continue
            keys = keymap.describe(command.name) or "—"
            rows.append(
                f'<tr><td class="keys"><b>{html.escape(keys)}</b></td>'
                f"<td>{html.escape(command.description)}</td>"
                f'<td class="name">{command.name}</td></tr>'
            )
        sections.append(f"<h3>{title}</h3><table cellpadding='3'>{''.join(rows)}</table>")
    footer = (
        "<p><small>Single-letter keys do nothing while you type in the search box. "
        "Change a binding in keys.toml in the config folder, e.g. "
        '<code>[keys]</code> <code>next_result = ["Down", "Ctrl+J"]</code>.</small></p>'
    )
    return "<h2>Keyboard shortcuts</h2>" + "".join(sections) + footer


class CheatSheet(QDialog):
    """A non-modal window listing every binding; Esc closes it."""

    def __init__(self, keymap: Keymap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cheat-sheet")
        self.setWindowTitle("Keyboard shortcuts — Briefing Cards")
        self.setModal(False)
        self.resize(620, 640)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setHtml(cheat_sheet_html(keymap))
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def set_keymap(self, keymap: Keymap) -> None:
        self.browser.setHtml(cheat_sheet_html(keymap))


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def about_html() -> str:
    # Versions come from package metadata: importing spaCy here would load it into the window.
    versions = [
        ("Briefing Cards", _version("briefing-cards")),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", pyside_version),
        ("Whoosh", _version("whoosh-reloaded")),
        ("markdown-it-py", _version("markdown-it-py")),
        ("spaCy", _version("spacy")),
    ]
    rows = "".join(f"<tr><td>{name}</td><td>{version}</td></tr>" for name, version in versions)
    credits = "".join(f"<li>{credit}</li>" for credit in CREDITS)
    return (
        "<h3>Briefing Cards</h3>"
        "<p>A keyboard-driven reader that finds news articles, shows their actors, places and key "
        "figures, and prints one-card briefings. MIT licence.</p>"
        f"<table cellpadding='2'>{rows}</table><p><b>Credits</b></p><ul>{credits}</ul>"
    )


def show_about(parent: QWidget) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle("About Briefing Cards")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_html())
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.open()
