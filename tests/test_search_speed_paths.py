"""The engine's fast paths give the same answers: pages by offset, snippets, per-searcher facets, one-edit suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.index import ArticleIndex
from search.models import Actor, Extraction
from search.query import snippet

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def trump_as_actor(texts: list[str]) -> list[Extraction]:
    """A stand-in extractor: Donald Trump where the text names him, so facet counts are known."""
    return [
        Extraction(actors=[Actor("Donald Trump", "person")] if "Trump" in t else []) for t in texts
    ]


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArticleIndex]:
    ix = ArticleIndex.open(tmp_path_factory.mktemp("speed") / "data")
    ix.sync([SEEDS], extractor=trump_as_actor)
    yield ix
    ix.close()


def test_pages_by_offset_make_up_the_whole_ranking(seeds_index: ArticleIndex) -> None:
    whole = seeds_index.search("*", limit=50, sort="date")
    assert whole.total == 25
    pages = [
        seeds_index.search("*", limit=10, sort="date", offset=offset, facets=False)
        for offset in (0, 10, 20)
    ]
    assert [len(p.hits) for p in pages] == [10, 10, 5]
    assert [h.id for p in pages for h in p.hits] == [h.id for h in whole.hits]
    assert {p.total for p in pages} == {25}  # the total is exact without facets too
    assert seeds_index.search("*", limit=10, offset=30).hits == []


def test_snippet_marks_every_form_of_a_stemmed_word() -> None:
    # Porter stems: happy -> happi (y becomes i), filing -> file (an e that is not in the word).
    marked = snippet(
        "A happy clerk is filing, and files; happiness", (frozenset({"happi", "file"}), frozenset())
    )
    assert marked == "A <b>happy</b> clerk is <b>filing</b>, and <b>files</b>; <b>happiness</b>"


def test_snippet_shows_the_passages_holding_the_terms() -> None:
    filler = "words about nothing in particular " * 20
    body = f"Nara opens. {filler} Then Takaichi met Lee in Nara. {filler} The end came."
    marked = snippet(body, (frozenset({"takaichi", "nara"}), frozenset()))
    assert "<b>Takaichi</b> met Lee in <b>Nara</b>" in marked
    assert marked.count(" … ") <= 1 and "The end came" not in marked
    assert len(marked) < 600


def test_snippet_marks_unstemmed_prefix_expansions_only() -> None:
    marked = snippet(
        "The president presided; a press release",
        (frozenset(), frozenset({"president", "presided"})),
    )
    assert marked == "The <b>president</b> <b>presided</b>; a press release"


def test_facets_follow_a_new_commit(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "a.md").write_text(
        "---\ntitle: One\n---\n\nTrump spoke in Ohio.\n", encoding="utf-8"
    )
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([library], extractor=trump_as_actor)
    assert index.search("spoke").facets["actor"] == [("Donald Trump", 1)]
    (library / "b.md").write_text("---\ntitle: Two\n---\n\nTrump spoke again.\n", encoding="utf-8")
    index.sync([library], extractor=trump_as_actor)
    # The facet values cached for the old searcher are not reused for the new commit.
    assert index.search("spoke").facets["actor"] == [("Donald Trump", 2)]
    assert index.count() == 2
    index.close()


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("presidnet", "president"),  # two letters swapped
        ("takaici", "takaichi"),  # a letter dropped
        ("presidentt", "president"),  # a letter added
        ("presldent", "president"),  # a letter changed
        ("Nara presidnet", "Nara president"),  # only the unknown word changes
    ],
)
def test_did_you_mean_corrects_one_edit(
    seeds_index: ArticleIndex, typed: str, suggested: str
) -> None:
    result = seeds_index.search(typed)
    assert result.total == 0
    assert result.suggestion == suggested
    assert seeds_index.search(suggested).total > 0


def test_count_works_after_close(tmp_path: Path) -> None:
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([SEEDS], extractor=trump_as_actor)
    index.close()
    assert index.count() == 25  # from the table of contents: no searcher left open
    assert index.get(index.search("Nara").hits[0].id) is not None
    index.close()
