"""Theme (ui/theme.py): it follows the system's colour scheme, `toggle_theme` and View ▸ Theme
cycle it and it is remembered, and the article's page, text, links and marks follow it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette, QTextCursor
from pytestqt.qtbot import QtBot

from ui.article_view import ArticleView, is_dark, muted_color
from ui.main_window import MainWindow
from ui.theme import apply_scheme, dark_scheme

WAIT_MS = 5000
Role = QPalette.ColorRole


@pytest.fixture(autouse=True)
def light_again() -> Iterator[None]:
    """The palette is the application's: the tests after these start light again."""
    yield
    apply_scheme(False)


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def contrast(first: QColor, second: QColor) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def panes(window: MainWindow) -> list[QPalette]:
    return [
        widget.palette()
        for widget in (
            window.search_box,
            window.result_list,
            window.facets,
            window.article,
            window.panel.tree,
        )
    ]


def all_dark(window: MainWindow) -> bool:
    return all(is_dark(palette) for palette in panes(window))


def all_light(window: MainWindow) -> bool:
    return not any(is_dark(palette) for palette in panes(window))


def page_colour(article: ArticleView) -> QColor:
    """The article's background as painted (a corner of the viewport, inside the margin)."""
    return article.viewport().grab().toImage().pixelColor(3, 3)


def block_colour(article: ArticleView, number: int) -> QBrush:
    """The brush the text of the document's block `number` is drawn with (NoBrush: the palette's)."""
    cursor = QTextCursor(article.document().findBlockByNumber(number))
    cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
    return cursor.charFormat().foreground()


def painted(article: ArticleView, colour: QColor) -> int:
    """How many pixels of the viewport are painted within a few steps of `colour`."""
    image = article.viewport().grab().toImage()
    return sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if max(
            abs(image.pixelColor(x, y).red() - colour.red()),
            abs(image.pixelColor(x, y).green() - colour.green()),
            abs(image.pixelColor(x, y).blue() - colour.blue()),
        )
        < 24
    )


def open_with_hits(qtbot: QtBot, window: MainWindow, query: str) -> None:
    window.search_for(query)
    qtbot.waitUntil(
        lambda: (
            window.answer is not None and window.answer.query == query and window.answer.total > 0
        ),
        timeout=WAIT_MS,
    )
    window.result_list.setCurrentIndex(window.model.index(0))
    qtbot.waitUntil(
        lambda: window.stored is not None and window.article.hit_count() > 0, timeout=WAIT_MS
    )


def test_the_system_theme_follows_the_systems_colour_scheme(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.theme.choice == "system"
    assert all_light(window)
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop turned dark
    assert window.theme.dark
    qtbot.waitUntil(lambda: all_dark(window), timeout=WAIT_MS)  # palette events are queued
    assert page_colour(window.article).lightness() < 60
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not window.theme.dark
    qtbot.waitUntil(lambda: all_light(window), timeout=WAIT_MS)
    assert page_colour(window.article).lightness() > 200
    # A theme chosen by name stays, whatever the system does.
    window.theme.set_choice("light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not window.theme.dark
    assert not is_dark(window.article.palette())


def test_a_window_opened_on_a_dark_desktop_turns_dark_once_it_shows(
    qtbot: QtBot, seed_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the window is built the platform's palette stands for the system's scheme (asking
    for the scheme makes PySide's Qt namespace); the scheme itself is asked once it shows."""
    import ui.theme

    monkeypatch.setattr(ui.theme, "system_is_dark", lambda: True)
    window = MainWindow(seed_index)
    qtbot.addWidget(window)
    assert not window.theme.dark  # the offscreen platform's own palette is light
    window.show()
    qtbot.waitExposed(window)
    window.start()
    assert window.theme.dark
    qtbot.waitUntil(lambda: all_dark(window), timeout=WAIT_MS)
    window.searcher.wait(WAIT_MS)


def test_an_unknown_system_scheme_is_the_platforms_own_palette(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ui.theme

    for native_dark in (False, True):
        monkeypatch.setattr(ui.theme, "_native_dark", native_dark)
        assert dark_scheme(Qt.ColorScheme.Unknown) is native_dark
        assert dark_scheme(Qt.ColorScheme.Dark) is True
        assert dark_scheme(Qt.ColorScheme.Light) is False


def test_toggle_theme_cycles_and_is_remembered_by_a_new_window(
    qtbot: QtBot, window: MainWindow, seed_index: Path
) -> None:
    seen = []
    for _ in range(3):
        qtbot.keyClick(
            window.result_list,
            Qt.Key.Key_T,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        seen.append((window.theme.choice, window.theme.dark, is_dark(window.article.palette())))
    assert seen == [("light", False, False), ("dark", True, True), ("system", False, False)]
    assert window.statusBar().currentMessage() == "Theme: System (light)"
    window.actions_by_name["toggle_theme"].trigger()
    window.actions_by_name["toggle_theme"].trigger()
    assert window.theme.choice == "dark"
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert "toggle_theme" in {action.objectName() for action in view.actions()}
    window.close()

    apply_scheme(False)  # as a new launch starts: the platform's light palette
    again = MainWindow(seed_index)
    qtbot.addWidget(again)
    assert again.theme.choice == "dark"
    qtbot.waitUntil(lambda: all_dark(again), timeout=WAIT_MS)
    theme_menu = next(a.menu() for a in again.menuBar().actions() if a.text() == "&View").findChild(
        type(view), ""
    )
    checked = [a.text() for a in again.theme._group.actions() if a.isChecked()]  # type: ignore[union-attr]
    assert checked == ["Dark"], theme_menu
    again.findChild(type(again.actions_by_name["quit"]), "theme-light").trigger()
    assert again.theme.choice == "light" and not is_dark(again.article.palette())


def test_the_article_page_text_and_links_follow_the_theme(qtbot: QtBot, window: MainWindow) -> None:
    open_with_hits(qtbot, window, "police")
    article = window.article
    light_meta = block_colour(article, 1).color()  # the muted date · source line
    assert light_meta == muted_color(article.palette())
    assert page_colour(article).lightness() > 200
    marked = [cursor.selectedText() for cursor in article._hits]
    window.theme.set_choice("dark")
    palette = article.palette()
    text = palette.color(Role.Text)
    assert page_colour(article).lightness() < 60
    assert contrast(text, page_colour(article)) >= 7
    # Body text has no colour of its own: it is painted in the dark palette's light text.
    assert block_colour(article, 2).style() == Qt.BrushStyle.NoBrush
    assert painted(article, text) > 200
    # The open article is rendered again in the new stylesheet's colours, keeping its marks.
    dark_meta = block_colour(article, 1).color()
    assert dark_meta == muted_color(palette) != light_meta
    assert contrast(dark_meta, palette.color(Role.Base)) >= 4.5
    sheet = article.document().defaultStyleSheet()
    link = palette.color(Role.Link)
    assert f"a {{ color: {link.name()}; }}" in sheet
    assert contrast(link, palette.color(Role.Base)) >= 4.5
    assert [cursor.selectedText() for cursor in article._hits] == marked
    window.theme.set_choice("light")
    assert block_colour(article, 1).color() == light_meta
    assert page_colour(article).lightness() > 200


def test_marks_stay_readable_in_the_dark_theme(qtbot: QtBot, window: MainWindow) -> None:
    open_with_hits(qtbot, window, "police")
    article = window.article
    window.theme.set_choice("dark")
    article.step_hit(1)  # one current hit, the others plain marks
    base = article.palette().color(Role.Base)
    text = article.palette().color(Role.Text)
    selections = article.extraSelections()
    assert len(selections) == article.hit_count() >= 2
    for selection in selections:
        background = selection.format.background().color()
        foreground = selection.format.foreground().color()
        if selection.format.foreground().style() == Qt.BrushStyle.NoBrush:
            foreground = text
        assert contrast(foreground, background) >= 4.5, (foreground.name(), background.name())
        assert contrast(background, base) >= 2, (background.name(), base.name())


def test_code_and_quotes_are_readable_in_both_themes(qtbot: QtBot, window: MainWindow) -> None:
    article = window.article
    for choice in ("light", "dark"):
        window.theme.set_choice(choice)
        palette = article.palette()
        sheet = article.document().defaultStyleSheet()
        base = palette.color(Role.Base)
        quote = sheet.split("blockquote { margin-left: 16px; color: ")[1][:7]
        code = sheet.split("pre { background-color: ")[1][:7]
        assert contrast(QColor(quote), base) >= 4.5, (choice, quote)
        assert contrast(palette.color(Role.Text), QColor(code)) >= 7, (choice, code)
        assert QColor(code) != base  # a code block shows as a panel


def test_the_query_error_stays_readable_in_both_themes(qtbot: QtBot, window: MainWindow) -> None:
    bar, label = window.query_bar, window.query_bar.error_label
    for choice in ("light", "dark"):
        window.theme.set_choice(choice)
        qtbot.waitUntil(  # the palette reaches the bar on the next pass of the event loop
            lambda choice=choice: (
                (bar.palette().window().color().lightness() < 128) == (choice == "dark")
            ),
            timeout=2000,
        )
        red = QColor(label.styleSheet().split("color:")[1].strip(" ;"))
        window_colour = bar.palette().window().color()
        assert contrast(red, window_colour) >= 4.5, (choice, red.name(), window_colour.name())
