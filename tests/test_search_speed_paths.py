"""The engine's fast paths give the same answers: pages by offset, snippets, per-searcher facets, one-edit suggestions."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.index import ArticleIndex
from search.models import Actor, Extraction
from search.query import snippet as snippet_of


def snippet(body: str, terms: tuple[frozenset[str], frozenset[str]]) -> str:
    """The snippet with its marks in <b> and its text escaped, as the result list shows it."""
    return snippet_of(body, terms).marked(
        "<b>", "</b>", lambda text: html.escape(text, quote=False)
    )


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


def _plain(marked: str) -> list[str]:
    """A snippet's passages as plain text."""
    return [html.unescape(p.replace("<b>", "").replace("</b>", "")) for p in marked.split(" … ")]


def test_snippet_passages_that_would_overlap_are_shown_once() -> None:
    # Two groups of matches ~110 characters apart: their context windows overlapped before
    # ("Lee Jae Myung for a … Jae Myung for a bilateral").
    body = (
        "Prime Minister Sanae Takaichi will welcome South Korean President Lee Jae Myung for a "
        "bilateral summit in the historic city of Nara on Tuesday, officials said, and Lee Jae "
        "Myung for a bilateral dinner later with the ministers present and the press watching it."
    )
    marked = snippet(body, (frozenset({"lee", "jae", "myung"}), frozenset()))
    assert " … " not in marked
    assert marked.count("bilateral summit") == 1
    (passage,) = _plain(marked)
    assert passage in " ".join(body.split())


def test_snippet_starts_at_the_sentence_start_when_near() -> None:
    body = "x " * 200 + "Talks ended early. The delegates met in Jakarta on Thursday to sign."
    marked = snippet(body, (frozenset({"jakarta"}), frozenset()))
    assert marked.startswith("The delegates met in <b>Jakarta</b>")
    assert marked.endswith("to sign.")
    # An abbreviation's full stop does not start a sentence.
    body = "y " * 200 + "Talks ended early. Then Mr. Lee met Ms. Kim in Jakarta on Thursday."
    assert snippet(body, (frozenset({"jakarta"}), frozenset())).startswith("Then Mr. Lee")


def test_snippet_starts_at_a_word_boundary_when_no_sentence_starts_near() -> None:
    body = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda " * 5 + "Jakarta on"
    marked = snippet(body, (frozenset({"jakarta"}), frozenset()))
    first_word = marked.split()[0]
    assert first_word in body.split() and marked.endswith("<b>Jakarta</b> on")


def test_snippet_prefers_text_to_an_image_caption() -> None:
    body = (
        "Friday, May 8, 2015\n\nCosplayers at the booth of Nick. Image: Nick Moreau.\n\n"
        "Organisers said Nick had built the booth himself over three months.\n"
    )
    marked = snippet(body, (frozenset({"nick"}), frozenset()))
    assert marked == "Organisers said <b>Nick</b> had built the booth himself over three months."
    # When only captions mention the term, a caption is still better than nothing.
    only_caption = snippet(body, (frozenset({"moreau"}), frozenset()))
    assert "Image: Nick <b>Moreau</b>." in only_caption
    # With no match at all, the opening leaves the caption out.
    opening = snippet(body, (frozenset({"absent"}), frozenset()))
    assert "Image:" not in opening and "Organisers said Nick" in opening


@given(
    st.lists(
        st.sampled_from(["Lee", "Jae", "met", "Nara", "in", "the", "city.", "Then", "\n\n", "a"]),
        max_size=120,
    )
)
@settings(max_examples=200, deadline=None)
def test_snippet_passages_are_distinct_pieces_of_the_body(words: list[str]) -> None:
    body = " ".join(words)
    marked = snippet(body, (frozenset({"lee", "nara"}), frozenset()))
    flat = " ".join(body.split())
    position = 0
    for passage in _plain(marked.removesuffix(" …")):
        if not passage:
            continue
        found = flat.find(passage, position)
        assert found >= 0, (passage, flat)
        position = found + len(passage)  # each passage comes after the previous one
