"""The one keymap: every command's default keys and description, user overrides from keys.toml."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtGui import QKeySequence

from search.api import config_dir
from ui.qt_names import KEY_UNKNOWN

log = logging.getLogger(__name__)

KEYS_FILE_NAME = "keys.toml"

# Where a command's shortcut is live. "window": anywhere in the main window (the search box keeps
# only its typing keys, see ui/search_box.py); "results": the search box and the result list;
# "reader": the article and its side panel; "panel": the side panel alone (the corrections act on
# its selected entry); "brief": the list of the open brief's items; "watches": the watch list.
CONTEXTS = ("window", "results", "reader", "panel", "brief", "watches")


@dataclass(frozen=True)
class Command:
    """A named command the user can bind keys to."""

    name: str
    keys: tuple[str, ...]
    description: str
    context: str = "window"
    menu: str = ""  # the menu that shows it ("" = keyboard only)


COMMANDS: tuple[Command, ...] = (
    Command("focus_search", ("/", "Ctrl+F", "Ctrl+K"), "Focus the search box", menu="Edit"),
    Command("next_result", ("Down", "J"), "Next result", "results", "Go"),
    Command("previous_result", ("Up", "K"), "Previous result", "results", "Go"),
    Command("open_result", ("Return", "Enter"), "Open the selected result", "results", "Go"),
    Command(
        "back", ("Esc",), "Back to the results (from the results: to the search box)", menu="Go"
    ),
    Command("next_pane", ("Tab",), "Next pane (results, article, panel)", menu="Go"),
    Command("previous_pane", ("Shift+Tab",), "Previous pane", menu="Go"),
    Command("focus_results", ("Alt+1",), "Go to the results", menu="Go"),
    Command("focus_article", ("Alt+2",), "Go to the article", menu="Go"),
    Command("focus_panel", ("Alt+3",), "Go to the side panel", menu="Go"),
    Command("focus_watches", ("Alt+4",), "Go to the watch list", menu="Go"),
    Command("next_hit", ("N", "F3"), "Next highlighted hit in the article", menu="Go"),
    Command("previous_hit", ("Shift+N", "Shift+F3"), "Previous highlighted hit", menu="Go"),
    Command("next_article", ("Shift+Down",), "Open the next result while reading", menu="Go"),
    Command("previous_article", ("Shift+Up",), "Open the previous result while reading", menu="Go"),
    Command("open_copy", ("Alt+C",), "Open the next copy of this story", menu="Go"),
    Command("open_source", ("Ctrl+U",), "Open the article's source in the browser", menu="Go"),
    Command("focus_brief", ("Alt+5",), "Go to the brief being assembled", menu="Go"),
    Command("result_menu", ("Shift+F10", "Menu"), "Menu for the selected result", "results"),
    Command(
        "search_entry",
        ("Ctrl+Return", "S"),
        "Search the library for the selected actor or place",
        "reader",
    ),
    Command(
        "entity_page",
        ("Ctrl+I",),
        "Page of the selected actor or place (side panel or facets): articles, roles, quotes",
        menu="Go",
    ),
    Command("rename_entry", ("F2",), "Rename the selected actor or place…", "panel", "Edit"),
    Command("merge_entry", (), "Merge the selected actor or place into another…", "panel", "Edit"),
    Command("hide_entry", ("Delete",), "Hide the selected actor, place or figure", "panel", "Edit"),
    Command("kind_person", (), "Make the selected actor or place a person", "panel"),
    Command("kind_organization", (), "Make the selected actor or place an organization", "panel"),
    Command("kind_place", (), "Make the selected actor or place a place", "panel"),
    Command(
        "entry_menu",
        ("Shift+F10", "Menu"),
        "Corrections menu for the selected actor, place or figure",
        "panel",
    ),
    Command("undo_correction", ("Ctrl+Z",), "Undo the last correction", menu="Edit"),
    Command(
        "edit_note",
        ("Ctrl+Shift+N",),
        "Note on this article: its so-what (on the card), text and highlights…",
        menu="Edit",
    ),
    Command(
        "highlight_selection",
        ("Ctrl+Shift+H",),
        "Highlight the selected words (in a highlight: remove it)",
        menu="Edit",
    ),
    Command(
        "watch_query",
        ("Ctrl+Shift+W",),
        "Watch this query (its new articles are counted in the watch list)…",
        menu="Edit",
    ),
    Command(
        "open_watch",
        ("Return", "Enter"),
        "Search the selected watch item, its new articles first (counts them seen)",
        "watches",
    ),
    Command("rename_watch", ("F2",), "Rename the selected watch item…", "watches"),
    Command("remove_watch", ("Delete",), "Stop watching the selected item…", "watches"),
    Command("accept_suggestion", ("Alt+D",), "Use the “did you mean” query", menu="Edit"),
    Command("toggle_sort", ("Ctrl+D",), "Sort by relevance / by date", menu="View"),
    Command("zoom_in", ("Ctrl++", "Ctrl+="), "Zoom in (article and lists)", menu="View"),
    Command("zoom_out", ("Ctrl+-",), "Zoom out", menu="View"),
    Command("zoom_reset", ("Ctrl+0",), "Actual size", menu="View"),
    Command("toggle_theme", ("Ctrl+Shift+T",), "Next theme: system, light, dark", menu="View"),
    Command("copy", ("Ctrl+C",), "Copy the selection", menu="Edit"),
    Command("preferences", ("Ctrl+,",), "Preferences…", menu="Edit"),
    Command("print_card", ("Ctrl+P",), "Print the article's briefing card", menu="File"),
    Command("print_preview", ("Ctrl+Shift+P",), "Print preview of the card", menu="File"),
    Command("export_pdf", ("Ctrl+E",), "Export the card as PDF", menu="File"),
    Command("print_all", (), "Print cards for all results", menu="File"),
    Command(
        "add_to_brief",
        ("Ctrl+B",),
        "Add the article (or the selected result) to the open brief",
        menu="File",
    ),
    Command("open_brief", ("Ctrl+Shift+B",), "Open or start a brief…", menu="File"),
    Command("brief_cover", (), "The brief's author and handling line…", menu="File"),
    Command(
        "export_brief", ("Ctrl+Shift+E",), "Export the brief: PDF, Markdown, HTML…", menu="File"
    ),
    Command("print_brief", (), "Print the brief…", menu="File"),
    Command("brief_item_up", ("Alt+Up",), "Move the brief's item up", "brief"),
    Command("brief_item_down", ("Alt+Down",), "Move the brief's item down", "brief"),
    Command("brief_item_remove", ("Delete",), "Remove the item from the brief", "brief"),
    Command("brief_item_note", ("F2",), "Your note on the item in this brief…", "brief"),
    Command("add_files", ("Ctrl+O",), "Add files to the library", menu="File"),
    Command("add_folder", ("Ctrl+Shift+O",), "Add a folder to the library", menu="File"),
    Command("manage_library", ("Ctrl+Shift+L",), "Manage library folders…", menu="File"),
    Command("remove_article", (), "Remove this article from the library…", menu="File"),
    Command("subscribe_feed", (), "Subscribe to a feed…", menu="File"),
    Command("update_feeds", (), "Update feeds", menu="File"),
    Command("cancel_feed_update", (), "Cancel the feed update", menu="File"),
    Command("resync", ("F5",), "Re-sync the library folders", menu="File"),
    Command("rebuild_index", (), "Rebuild the index from the sources", menu="File"),
    Command("cancel_indexing", (), "Cancel indexing", menu="File"),
    Command("show_skipped", (), "Show skipped files", menu="View"),
    Command("help", ("?", "F1"), "Keyboard shortcuts", menu="Help"),
    Command("about", (), "About Briefing Cards", menu="Help"),
    Command("quit", ("Ctrl+Q",), "Quit", menu="File"),
)

COMMANDS_BY_NAME = {command.name: command for command in COMMANDS}


@dataclass
class Keymap:
    """The keys in force for each command, and what was wrong with the user's overrides."""

    bindings: dict[str, list[QKeySequence]]
    errors: list[str] = field(default_factory=list)

    def keys(self, name: str) -> list[QKeySequence]:
        return self.bindings.get(name, [])

    def all_keys(self) -> list[QKeySequence]:
        """Every key bound to a command."""
        return [key for keys in self.bindings.values() for key in keys]

    def describe(self, name: str) -> str:
        """The command's keys as the user reads them, e.g. "/, Ctrl+F"; a bare letter as typed ("n")."""
        texts = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in self.keys(name)]
        return ", ".join(text.lower() if len(text) == 1 else text for text in texts)


def parse_key(text: str) -> QKeySequence | None:
    """A single-chord key sequence from its portable text, or None when Qt cannot read it."""
    sequence = QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText)
    if sequence.isEmpty() or sequence.count() != 1:
        return None
    # Qt maps unknown names to an unknown key code instead of failing; reject those.
    if sequence.toString(QKeySequence.SequenceFormat.PortableText) == "":
        return None
    if sequence[0].toCombined() & KEY_UNKNOWN == KEY_UNKNOWN:  # the key part, modifiers masked
        return None
    return sequence


def default_keymap() -> Keymap:
    bindings: dict[str, list[QKeySequence]] = {}
    for command in COMMANDS:
        parsed = [parse_key(key) for key in command.keys]
        bindings[command.name] = [key for key in parsed if key is not None]
    return Keymap(bindings)


def load_keymap(path: Path | None = None) -> Keymap:
    """The default keymap with the user's overrides applied; bad entries are reported, not fatal.

    keys.toml holds one table, e.g. `[keys]` then `next_result = ["Down", "Ctrl+J"]`; an empty
    list unbinds a command.
    """
    keymap = default_keymap()
    path = path or config_dir() / KEYS_FILE_NAME
    if not path.is_file():
        return keymap
    import tomllib  # only when there is a keys.toml: it costs ~4 ms of start-up

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        keymap.errors.append(f"{path}: could not read the key bindings ({error}); using defaults")
        return keymap
    overrides = data.get("keys", {})
    if not isinstance(overrides, dict):
        keymap.errors.append(f"{path}: [keys] must be a table of command = [keys]")
        return keymap
    for name, value in overrides.items():
        if name not in COMMANDS_BY_NAME:
            keymap.errors.append(f"{path}: unknown command {name!r}")
            continue
        texts = [value] if isinstance(value, str) else value
        if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
            keymap.errors.append(f"{path}: {name} must be a key or a list of keys")
            continue
        keys: list[QKeySequence] = []
        for text in texts:
            key = parse_key(text)
            if key is None:
                keymap.errors.append(f"{path}: {name}: {text!r} is not a key Qt understands")
            else:
                keys.append(key)
        keymap.bindings[name] = keys
    _drop_conflicts(keymap, path, overridden=set(overrides))
    for error in keymap.errors:
        log.warning("key bindings: %s", error)
    return keymap


def _drop_conflicts(keymap: Keymap, path: Path, overridden: set[str]) -> None:
    """A key bound to two commands that can be live at once stays with one: the user's own binding
    wins over a default, and otherwise the command earlier in the table wins."""
    owner: dict[tuple[str, str], str] = {}
    ordered = sorted(COMMANDS, key=lambda command: command.name not in overridden)
    for command in ordered:
        kept = []
        for key in keymap.bindings[command.name]:
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            clashes = [
                other
                for (other_context, other_text), other in owner.items()
                if other_text == text and _overlap(other_context, command.context)
            ]
            if clashes:
                keymap.errors.append(
                    f"{path}: {text} is bound to both {clashes[0]} and {command.name}; "
                    f"kept it for {clashes[0]}"
                )
                continue
            owner[(command.context, text)] = command.name
            kept.append(key)
        keymap.bindings[command.name] = kept


def _overlap(context: str, other: str) -> bool:
    """Whether commands in the two contexts can be live at once (the panel is part of the reader)."""
    return (
        context == other or "window" in (context, other) or {context, other} == {"reader", "panel"}
    )


def keys_path() -> Path:
    """The user's key bindings file, keys.toml in the config directory (read by load_keymap)."""
    return config_dir() / KEYS_FILE_NAME
