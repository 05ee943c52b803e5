"""Corroboration in the brief: each item's key figures and quotes say how many sources in the
library carry them, and where sources give another number, in the Markdown, the e-mail HTML, the
PDF and `briefing brief show --json`; a brief whose sources stand alone reads as before (made-up
articles, no spaCy)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from test_printing import pdf_text

import main
from search.api import Library
from search.brief_export import md_escape, to_html, to_markdown
from search.index import ArticleIndex
from search.models import BriefDocument, Extraction, Figure, Place, Quote, Span
from ui.brief_print import write_brief_pdf

REBUILD = "We will rebuild the market before the winter comes"
# Three sources on one attack (two agree on the toll, one gives another) and a lone one on
# something else. name: (source, place, [(figure, label)], [(speaker, quote)])
ARTICLES = {
    "alpha": (
        "BBC",
        "Kabul",
        [("111", "people killed in the attack"), ("12", "hospitals treating the wounded")],
        [("Mayor", REBUILD)],
    ),
    "bravo": (
        "Reuters",
        "Kabul",
        [("111", "people killed in the market attack"), ("12", "hospitals treating wounded")],
        [("Mayor", REBUILD)],
    ),
    "charlie": (
        "Wikinews",
        "Kabul",
        [("107", "people killed in the attack"), ("12", "hospitals treating the wounded")],
        [],
    ),
    "lone": ("Taipei Times", "Taipei", [("300,000", "visitors at the lantern festival")], []),
}
DISPUTED = "111 (BBC, Reuters) / 107 (Wikinews)"


def extract(texts: Iterable[str]) -> Iterator[Extraction]:
    """Stands in for spaCy: each article's place, figures and quotes as listed (by first word)."""
    for text in texts:
        _, place, figures, quotes = ARTICLES[text.split(".", 1)[0].strip().lower()]
        yield Extraction(
            places=[Place(place, None, [Span(0, 1)])],
            figures=[Figure(t, "count", lab, 0, 1, n) for n, (t, lab) in enumerate(figures, 1)],
            quotes=[Quote(speaker, q, 0, 0) for speaker, q in quotes],
        )


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    folder = tmp_path / "lib"
    folder.mkdir()
    for name, (source, *_) in ARTICLES.items():
        filler = " ".join(f"{name}{number}" for number in range(50))  # no article a copy of another
        (folder / f"{name}.md").write_text(
            f"---\ntitle: {name.title()}\nsource: {source}\ndate: 2025-05-02\n---\n\n"
            f"{name.title()}. {filler}\n",
            encoding="utf-8",
        )
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([folder], extractor=extract)
    yield Library(index)
    index.close()


def brief_of(library: Library, title: str, *names: str) -> BriefDocument:
    library.new_brief(title)
    ids = [next(hit.id for hit in library._index.search(f"title:{n}").hits) for n in names]
    library.add_to_brief(title, ids)
    return library.brief_document(title)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_an_item_carries_what_other_sources_say_of_its_figures_and_quotes(
    library: Library,
) -> None:
    entry = brief_of(library, "Kabul", "Alpha").entries[0]
    killed, hospitals = (found for _, _, found in entry.key_figures())
    assert killed is not None and killed.disputed and killed.suffix == DISPUTED
    assert hospitals is not None and not hospitals.disputed
    assert hospitals.suffix == "3 sources"
    [(speaker, _, said)] = entry.key_quotes()
    assert speaker == "Mayor" and said is not None and said.suffix == "2 sources"


def test_the_exports_print_the_sources_and_mark_where_they_differ(
    library: Library, tmp_path: Path
) -> None:
    document = brief_of(library, "Kabul", "Alpha")
    markdown = to_markdown(document)
    disputed = f"- **111** people killed in the attack — ⚠ *sources differ: {md_escape(DISPUTED)}*"
    assert disputed in markdown
    assert "- **12** hospitals treating the wounded (3 sources)" in markdown
    assert "— Mayor (2 sources)" in markdown
    page = to_html(document)
    assert f'font-style: italic; color: #8b0000;">⚠ sources differ: {DISPUTED}</span>' in page
    assert "(3 sources)</span>" in page and "(2 sources)</span>" in page
    pdf = tmp_path / "kabul.pdf"
    write_brief_pdf(document, [], pdf)
    text = flat(pdf_text(pdf))
    assert f"people killed in the attack ⚠ sources differ: {DISPUTED}" in text
    assert "hospitals treating the wounded (3 sources)" in text
    assert "Mayor (2 sources)" in text


def test_a_brief_whose_sources_stand_alone_reads_as_before(
    library: Library, tmp_path: Path
) -> None:
    document = brief_of(library, "Taipei", "Lone")
    entry = document.entries[0]
    assert entry.figures == [("300,000", "visitors at the lantern festival")]
    assert [found for _, _, found in entry.key_figures()] == [None]
    markdown, page = to_markdown(document), to_html(document)
    assert "- **300,000** visitors at the lantern festival\n" in markdown
    pdf = tmp_path / "taipei.pdf"
    write_brief_pdf(document, [], pdf)
    for text in (markdown, page, pdf_text(pdf)):
        assert "sources" not in text and "⚠" not in text


def test_brief_show_json_gives_each_figures_sources(
    library: Library, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    brief_of(library, "Kabul", "Alpha")
    library._index.close()  # the command opens the index itself
    capsys.readouterr()
    show = ["--data-dir", str(tmp_path / "data"), "brief", "show", "Kabul", "--json"]
    assert main.main(show) == 0
    [entry] = json.loads(capsys.readouterr().out)["entries"]
    killed, hospitals = entry["figure_support"]
    assert killed["suffix"] == DISPUTED and killed["disputed"] is True
    assert killed["others"] == [{"text": "107", "sources": ["Wikinews"]}]
    assert (hospitals["suffix"], hospitals["disputed"]) == ("3 sources", False)
    assert entry["quote_support"][0]["sources"] == ["BBC", "Reuters"]
