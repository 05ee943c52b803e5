"""The side panel's one line on the article's language: the language, or why there are no entities."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from search.extract.language import not_english_note
from search.models import Article, Extraction, StoredArticle
from ui.side_panel import SidePanel


def _stored(extraction: Extraction) -> StoredArticle:
    article = Article(id="a", path="a.md", title="T", body="B", format="md", content_hash="h")
    return StoredArticle(article, extraction)


def test_panel_names_the_language_and_says_why_a_foreign_article_has_no_entities(
    qtbot: QtBot,
) -> None:
    panel = SidePanel()
    qtbot.addWidget(panel)
    panel.show_article(_stored(Extraction(language="es", note=not_english_note("es"))))
    assert panel.language.text() == (
        "Entities are extracted for English articles only; this article reads as Spanish (es)."
    )
    assert not panel.language.isHidden()
    panel.show_article(_stored(Extraction(language="en")))
    assert panel.language.text() == "Language: English (en)"
    # An index written before languages were kept: nothing to say.
    panel.show_article(_stored(Extraction()))
    assert panel.language.isHidden()
    panel.show_article(None)
    assert panel.language.isHidden()


def test_article_text_in_tooltips_shows_as_written_never_as_rich_text(qtbot: QtBot) -> None:
    """A quote (or a label) holding tags: Qt takes a tooltip with tags for rich text, so an
    `<img src=…>` in an article would have been loaded and drawn."""
    from search.models import Actor, Quote

    said = 'We said <b>now</b> <img src="http://example.com/x.png">'
    panel = SidePanel()
    qtbot.addWidget(panel)
    panel.show_article(
        _stored(
            Extraction(
                actors=[Actor("Ann <i>Lee</i>", "person", role="<u>mayor</u>")],
                quotes=[Quote("Ann <i>Lee</i>", said, 0, 1)],
            )
        )
    )
    tips = [
        panel.tree.topLevelItem(s).child(r).toolTip(0)
        for s in range(panel.tree.topLevelItemCount())
        for r in range(panel.tree.topLevelItem(s).childCount())
    ]
    assert len(tips) == 2
    for tip in tips:
        assert "<img" not in tip and "<b>" not in tip and "<i>" not in tip
    assert any("&lt;img src=" in tip for tip in tips)
