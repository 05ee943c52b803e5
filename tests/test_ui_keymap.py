"""The keymap table: defaults that parse and never clash, user overrides, and bad bindings reported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QKeySequence

from search.config import config_dir
from ui.keymap import (
    COMMANDS,
    KEYS_FILE_NAME,
    Command,
    _overlap,
    default_keymap,
    load_keymap,
    parse_key,
)


def test_every_default_key_parses() -> None:
    keymap = default_keymap()
    for command in COMMANDS:
        assert len(keymap.keys(command.name)) == len(command.keys), command.name


def test_defaults_have_no_clashes_and_no_errors() -> None:
    keymap = load_keymap(Path("/nonexistent/keys.toml"))
    assert keymap.errors == []
    # One key may serve two commands only where they are never live at once (Shift+F10 opens
    # the result's menu in the results and the entry's menu in the side panel).
    seen: dict[str, list[Command]] = {}
    for command in COMMANDS:
        for key in keymap.keys(command.name):
            text = key.toString()
            for other in seen.get(text, []):
                assert not _overlap(other.context, command.context), (text, other.name)
            seen.setdefault(text, []).append(command)


def test_issue_defaults() -> None:
    keymap = default_keymap()
    expected = {
        "focus_search": ["/", "Ctrl+F", "Ctrl+K"],
        "next_result": ["Down", "J"],
        "previous_result": ["Up", "K"],
        "back": ["Esc"],
        "next_hit": ["N", "F3"],
        "next_article": ["Shift+Down"],
        "print_card": ["Ctrl+P"],
        "add_files": ["Ctrl+O"],
        "resync": ["F5"],
        "quit": ["Ctrl+Q"],
        "focus_results": ["Alt+1"],
        "focus_panel": ["Alt+3"],
    }
    for name, keys in expected.items():
        assert [key.toString() for key in keymap.keys(name)] == keys


def test_no_single_key_destroys_anything() -> None:
    keymap = default_keymap()
    for name in ("quit", "rebuild_index", "cancel_indexing"):
        for key in keymap.keys(name):
            assert key[0].keyboardModifiers() != 0 or key.toString().startswith("F"), (name, key)


def test_user_overrides_apply_and_bad_entries_are_reported() -> None:
    path = config_dir() / KEYS_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[keys]\n"
        'next_result = ["Down", "Ctrl+J"]\n'
        'help = "F2"\n'
        'print_card = ["Ctrl+Banana"]\n'
        'no_such_command = ["X"]\n'
        'resync = ["F5", "Ctrl+Q"]\n',
        encoding="utf-8",
    )
    keymap = load_keymap()
    assert [key.toString() for key in keymap.keys("next_result")] == ["Down", "Ctrl+J"]
    assert [key.toString() for key in keymap.keys("help")] == ["F2"]
    assert keymap.keys("print_card") == []
    # The user's own binding wins a clash with a default, which is dropped and reported.
    assert [key.toString() for key in keymap.keys("resync")] == ["F5", "Ctrl+Q"]
    assert keymap.keys("quit") == []
    errors = "\n".join(keymap.errors)
    assert "'Ctrl+Banana' is not a key" in errors
    assert "unknown command 'no_such_command'" in errors
    assert "Ctrl+Q is bound to both resync and quit" in errors


def test_a_broken_file_falls_back_to_the_defaults() -> None:
    path = config_dir() / KEYS_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[keys\nnext_result = ", encoding="utf-8")
    keymap = load_keymap()
    assert keymap.keys("next_result") == default_keymap().keys("next_result")
    assert len(keymap.errors) == 1 and str(path) in keymap.errors[0]


def test_parse_key_rejects_chords_and_nonsense() -> None:
    assert parse_key("Ctrl+X, Ctrl+S") is None
    assert parse_key("") is None
    assert parse_key("Hyper+Q") is None
    assert parse_key("Shift+F3") == QKeySequence("Shift+F3")


def test_the_window_reports_a_bad_binding_and_uses_the_rest(qtbot, tmp_path: Path) -> None:
    from ui.main_window import MainWindow

    path = config_dir() / KEYS_FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[keys]\nhelp = ["F9"]\nfocus_search = ["Ctrl+Nope"]\n', encoding="utf-8")
    window = MainWindow(tmp_path / "data")
    qtbot.addWidget(window)
    assert "Ctrl+Nope" in window.statusBar().currentMessage()
    assert window.actions_by_name["help"].shortcut().toString() == "F9"
    assert window.actions_by_name["focus_search"].shortcuts() == []


def test_every_command_has_one_handler_found_by_its_name(qtbot, tmp_path: Path, caplog) -> None:
    from ui.commands import collect_handlers, unmatched
    from ui.main_window import MainWindow

    window = MainWindow(tmp_path / "data")
    qtbot.addWidget(window)
    assert unmatched(collect_handlers(window.command_providers())) == []
    assert all(window.actions_by_name[command.name].isEnabled() for command in COMMANDS)
    assert not [record for record in caplog.records if record.name == "ui.commands"]


def test_a_command_without_a_handler_is_reported_at_start_up(
    qtbot, tmp_path: Path, caplog, monkeypatch
) -> None:
    from ui.commands import unmatched
    from ui.main_window import MainWindow

    # The reader's handlers go missing: its commands are logged and their actions disabled.
    original = MainWindow.command_providers
    monkeypatch.setattr(
        MainWindow,
        "command_providers",
        lambda self: [p for p in original(self) if p is not self.reader],
    )
    window = MainWindow(tmp_path / "data")
    qtbot.addWidget(window)
    logged = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    assert "commands: command open_copy has no handler" in logged
    assert not window.actions_by_name["open_copy"].isEnabled()
    assert window.actions_by_name["open_result"].isEnabled()
    # And a handler whose command is not in the table.
    assert "handler for no_such_command has no command" in unmatched(
        {"no_such_command": lambda: None}
    )
