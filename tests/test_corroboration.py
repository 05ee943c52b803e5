"""Corroboration: the distinct sources that carry an article's key figures and quotes (copies of
one story once), and where they give another number for the same thing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from search.corroboration import figure_value
from search.index import ArticleIndex
from search.models import Extraction, Figure, Place, Quote, Span

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from ui.main_window import MainWindow

WAIT_MS = 5000

REBUILD = "We will rebuild the city together"
# name: (source, date, place, [(figure, label)], [(speaker, quote)])
ARTICLES = {
    "alpha": (
        "BBC",
        "2025-05-01",
        "Kabul",
        [("111", "people killed in the attack")],
        [("Mayor", REBUILD)],
    ),
    "bravo": ("Wikinews", "2025-05-02", "Kabul", [("107", "people killed in the attack")], []),
    "charlie": (
        "Reuters",
        "2025-05-02",
        "Kabul",
        [("111", "people killed in the blast attack"), ("$2m", "aid pledged")],
        [("Mayor", f"{REBUILD}, and soon")],
    ),
    "delta": ("BBC", "2025-05-03", "Kabul", [("111", "people killed in the attack")], []),
    # The same words from another speaker are another quote.
    "echo": (
        "AP",
        "2019-01-01",
        "Kabul",
        [("111", "people killed in the attack")],
        [("Governor", REBUILD)],
    ),
    "foxtrot": ("AFP", "2025-05-02", "Paris", [("50", "people killed in the attack")], []),
    "golf": ("DPA", "2025-05-02", "Kabul", [("111", "votes counted in the election")], []),
}


def extract(texts: Iterable[str]) -> Iterator[Extraction]:
    """Stands in for spaCy: each article's place, figures and quotes as listed (by first word)."""
    for text in texts:
        _, _, place, figures, quotes = ARTICLES[text.split(".", 1)[0].strip().lower()]
        yield Extraction(
            places=[Place(place, None, [Span(0, 1)])],
            figures=[Figure(t, "count", lab, 0, 1, n) for n, (t, lab) in enumerate(figures, 1)],
            quotes=[Quote(speaker, q, 0, 0) for speaker, q in quotes],
        )


@pytest.fixture
def index(tmp_path: Path) -> Iterator[ArticleIndex]:
    folder = tmp_path / "lib"
    folder.mkdir()
    for name, (source, date, *_) in ARTICLES.items():
        filler = " ".join(f"{name}{number}" for number in range(50))  # no copies but the one below
        text = f"---\ntitle: {name.title()}\nsource: {source}\ndate: {date}\n---\n\n{name.title()}. {filler}\n"
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    (folder / "alpha-again.md").write_text((folder / "alpha.md").read_text(), encoding="utf-8")
    ix = ArticleIndex.open(tmp_path / "data")
    ix.sync([folder], extractor=extract)
    yield ix
    ix.close()


def article_id(index: ArticleIndex, title: str) -> str:
    return next(hit.id for hit in index.search(f"title:{title}").hits)


def test_a_figure_names_the_sources_that_agree_and_those_that_do_not(index: ArticleIndex) -> None:
    found = index.corroboration(article_id(index, "Alpha"))
    assert found is not None
    killed = found.figures[0]
    # Its own copy is no second source; the same source's later report is no second source;
    # an article six years before, one about Paris and one counting votes are other stories.
    assert killed.sources == ["BBC", "Reuters"]
    assert [(v.text, v.sources) for v in killed.others] == [("107", ["Wikinews"])]
    assert killed.suffix == "111 (BBC, Reuters) / 107 (Wikinews)"


def test_a_quote_counts_the_sources_that_carry_it(index: ArticleIndex) -> None:
    found = index.corroboration(article_id(index, "Alpha"))
    assert found is not None
    assert [(q.text, q.sources) for q in found.quotes] == [(REBUILD, ["BBC", "Reuters"])]
    assert found.quotes[0].suffix == "2 sources"


def test_an_uncorroborated_figure_has_no_suffix(index: ArticleIndex) -> None:
    found = index.corroboration(article_id(index, "Charlie"))
    assert found is not None
    aid = next(f for f in found.figures if f.text == "$2m")
    assert (aid.sources, aid.others, aid.suffix) == (["Reuters"], [], "")
    assert index.corroboration("no-such-id") is None


def test_figures_are_read_as_numbers() -> None:
    assert figure_value("111") == figure_value("111 people") == 111
    assert figure_value("1,200") == 1200
    assert figure_value("$10bn") == 1e10
    assert figure_value("950 mln dlrs") == 9.5e8
    assert figure_value("41 pct") == 41
    assert figure_value("five") == 5
    assert figure_value("a dozen") is None


def test_the_panel_adds_each_figures_and_quotes_sources(
    qtbot: QtBot, index: ArticleIndex, open_window: Callable[[Path], MainWindow]
) -> None:
    from PySide6.QtCore import Qt

    window = open_window(index.data_dir)
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=WAIT_MS)
    window.query_bar.set_query("title:Alpha")
    qtbot.waitUntil(lambda: window.answer is not None and window.answer.total == 1, timeout=WAIT_MS)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(window.result_list, Qt.Key.Key_Return)
    assert window.stored is not None and window.stored.article.title == "Alpha"
    alpha = window.stored.article.id
    # The first result was opened at start-up: wait for this article's answer, not that one's.
    qtbot.waitUntil(
        lambda: (
            window.corroboration.shown is not None
            and window.corroboration.shown.article_id == alpha
        ),
        timeout=WAIT_MS,
    )
    rows = {
        window.panel.tree.topLevelItem(s).child(r).text(0): window.panel.tree.topLevelItem(s).child(
            r
        )
        for s in range(window.panel.tree.topLevelItemCount())
        for r in range(window.panel.tree.topLevelItem(s).childCount())
    }
    figure = rows["111 — people killed in the attack · 111 (BBC, Reuters) / 107 (Wikinews)"]
    assert figure.text(1) == "≠"
    assert "In the library: 111 (BBC, Reuters) / 107 (Wikinews)" in figure.toolTip(0)
    quote = rows[f"Mayor: “{REBUILD}” · 2 sources"]
    assert quote.text(1) == "×2"
