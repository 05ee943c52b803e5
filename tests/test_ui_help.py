"""Help: the cheat sheet comes from the keymap table; About names versions and the licence credits."""

from __future__ import annotations

from ui.help import about_html, cheat_sheet_html
from ui.keymap import COMMANDS, default_keymap


def test_cheat_sheet_lists_every_command_once_with_its_keys() -> None:
    keymap = default_keymap()
    sheet = cheat_sheet_html(keymap)
    for command in COMMANDS:
        assert sheet.count(f'<td class="name">{command.name}</td>') == 1
    assert "<b>/, Ctrl+F, Ctrl+K</b>" in sheet
    assert "<b>Down, j</b>" in sheet


def test_about_credits_wikinews_and_geonames_and_names_versions() -> None:
    about = about_html()
    assert "Wikinews" in about and "CC BY 2.5" in about
    assert "GeoNames" in about and "CC BY" in about
    for name in ("Python", "Qt", "PySide6", "Whoosh", "markdown-it-py", "spaCy"):
        assert f"<td>{name}</td>" in about
    assert "not installed" not in about
