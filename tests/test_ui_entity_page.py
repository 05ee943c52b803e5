"""The panel's quotes (every one, with its speaker, collapsed past a few) and the entity page
(Ctrl+I from the panel or a facet; titles open their article, Esc closes), on the seed library."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QTreeWidgetItem
from pytestqt.qtbot import QtBot
from test_ui_window import SEED_TITLE, WAIT_MS, open_seed_article, search

from search.models import CoOccurring, EntityArticle, EntityPage, EntityQuote, EntityRole
from ui.entity_page import page_html
from ui.keymap import COMMANDS_BY_NAME
from ui.main_window import MainWindow
from ui.side_panel import QUOTES_SHOWN_OPEN


def quotes_section(window: MainWindow) -> QTreeWidgetItem:
    tree = window.panel.tree
    sections = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return next(s for s in sections if s.text(0).startswith("Quotes"))


def open_article(qtbot: QtBot, window: MainWindow, query: str) -> None:
    search(qtbot, window, query)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(window.result_list, Qt.Key.Key_Return)
    assert window.stored is not None


def test_every_quote_is_listed_with_its_speaker_collapsed_past_a_few(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_article(qtbot, window, "Warhol Polaroids")
    quotes = window.stored.extraction.quotes
    assert len(quotes) > QUOTES_SHOWN_OPEN
    section = quotes_section(window)
    assert section.text(0) == f"Quotes ({len(quotes)})"
    assert section.childCount() == len(quotes)
    assert not section.isExpanded()
    for row, quote in enumerate(quotes):
        if quote.speaker:
            assert section.child(row).text(0).startswith(f"{quote.speaker}: “")
    # Enter on the section's title opens it; then a quote can be chosen and searched for.
    tree = window.panel.tree
    tree.setFocus()
    tree.setCurrentItem(section)
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert section.isExpanded()
    tree.setCurrentItem(section.child(0))
    entry = window.panel.current_entry()
    assert entry is not None and entry.field == "quote"
    qtbot.keyClick(tree, Qt.Key.Key_Return)  # highlights the quote in the article
    assert window.article.hit_count() == 1
    window.reader.copy_selection()
    assert QApplication.clipboard().text() == entry.label
    assert entry.label.startswith(f"{quotes[0].speaker}: “")
    qtbot.keyClick(tree, Qt.Key.Key_S)
    assert window.search_box.text().startswith('quote:"')
    qtbot.waitUntil(lambda: window.answer.query.startswith('quote:"'), timeout=WAIT_MS)
    assert window.stored.article.title in [hit.title for hit in window.model.hits()]


def test_a_few_quotes_are_shown_open(qtbot: QtBot, window: MainWindow) -> None:
    open_seed_article(qtbot, window)
    section = quotes_section(window)
    assert 0 < section.childCount() <= QUOTES_SHOWN_OPEN and section.isExpanded()


def test_ctrl_i_on_an_actor_opens_his_page_and_a_title_opens_the_article(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_seed_article(qtbot, window)
    tree = window.panel.tree
    qtbot.keyClick(window.article, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    actors = tree.topLevelItem(0)
    lee = next(
        actors.child(i) for i in range(actors.childCount()) if "Lee Jae" in actors.child(i).text(0)
    )
    tree.setCurrentItem(lee)
    qtbot.keyClick(tree, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    pages = window.entity_pages
    qtbot.waitUntil(lambda: pages.dialog is not None and pages.dialog.isVisible(), timeout=WAIT_MS)
    assert pages.page is not None and pages.page.name == "Lee Jae Myung"
    text = pages.browser.toPlainText()
    assert "President" in text and "Sanae Takaichi" in text and SEED_TITLE in text
    # Esc closes the page
    qtbot.keyClick(pages.browser, Qt.Key.Key_Escape)
    assert not pages.dialog.isVisible()
    # A title opens its article in the reader, his mentions marked.
    window.reader.load_article(window.index, window.index.search("Warhol").hits[0].id, [], [])
    assert window.stored.article.title != SEED_TITLE
    article_id = pages.page.articles[0].id
    pages.browser.anchorClicked.emit(QUrl(f"article:{article_id}"))
    assert window.stored.article.id == article_id
    assert window.article.hit_count() == len(
        next(a for a in window.stored.extraction.actors if a.name == "Lee Jae Myung").mentions
    )


def test_ctrl_i_on_a_facet_opens_that_places_page(qtbot: QtBot, window: MainWindow) -> None:
    search(qtbot, window, "Takaichi")
    facets = window.facets
    places = next(
        facets.topLevelItem(i)
        for i in range(facets.topLevelItemCount())
        if facets.topLevelItem(i).text(0) == "Places"
    )
    facets.setFocus()
    facets.setCurrentItem(places.child(0))
    name = places.child(0).text(0)
    qtbot.keyClick(facets, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    pages = window.entity_pages
    qtbot.waitUntil(lambda: pages.page is not None, timeout=WAIT_MS)
    assert (pages.page.name, pages.page.facet) == (name, "place")
    assert pages.page.articles


def test_ctrl_i_without_an_actor_or_place_says_what_to_select(
    qtbot: QtBot, window: MainWindow
) -> None:
    open_seed_article(qtbot, window)
    window.panel.tree.setCurrentItem(quotes_section(window).child(0))  # a quote: no page
    window.entity_pages.open_selected()
    assert "Select an actor or place" in window.statusBar().currentMessage()
    assert COMMANDS_BY_NAME["entity_page"].keys == ("Ctrl+I",)


def test_the_page_html_escapes_flags_a_contradicted_role_and_links_names() -> None:
    page = EntityPage(
        name="A <b>",
        facet="actor",
        kind="person",
        articles=[EntityArticle("abc123", "T & U", "2025-03-03", "Wire")],
        roles=[
            EntityRole("Minister", ["2025-03-03"], ["abc123"], "Minister per X; 'former' since Y")
        ],
        quotes=[EntityQuote('"Yes <now>"', "abc123", "T & U", "2025-03-03")],
        actors=[CoOccurring("B & C", "actor", "person", 2)],
    )
    html = page_html(page)
    assert "A &lt;b&gt;" in html and "T &amp; U" in html and "“Yes &lt;now&gt;”" in html
    assert "⚠ Minister per X; &#x27;former&#x27; since Y" in html
    assert '<a href="article:abc123">' in html
    assert '<a href="entity:actor:B%20%26%20C">B &amp; C</a> (2)' in html
    assert "3 March 2025" in html
