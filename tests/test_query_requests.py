"""The engine's side of the seam: search requests (browsing is the engine's), entity clauses the
engine builds, and snippets as plain text with marked spans."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.index import ArticleIndex
from search.models import Actor, Extraction, Place, SearchRequest, Snippet, Span
from search.query import field_clause, snippet

# Names a query clause could trip on: a double quote, a backslash, a colon, letters beyond ASCII,
# brackets and an operator word.
TRICKY = {
    "quote.md": ('Mark O"Brien', "person"),
    "backslash.md": ("Back\\Slash Corp", "organization"),
    "colon.md": ("Ratio: Group", "organization"),
    "accents.md": ("Zoë Sánchez-Øberg", "person"),
    "brackets.md": ("Acme (Holdings) AND Sons", "organization"),
}
PLACE = ("a.md", "Łódź")
# Some of the same words, another entity: the clause must not find these (a name that holds
# the whole phrase would match, by design: actor:Takaichi finds "Sanae Takaichi").
DECOYS = {"decoy1.md": ("Mark Brien", "person"), "decoy2.md": ("Ratio Partners", "organization")}


def _extract(texts: Iterator[str]) -> list[Extraction]:
    names = {**TRICKY, **DECOYS}
    out = []
    for text in texts:
        actors = [Actor(name, kind) for name, kind in names.values() if name in text]  # type: ignore[arg-type]
        places = [Place(PLACE[1])] if PLACE[1] in text else []
        out.append(Extraction(actors=actors, places=places))
    return out


@pytest.fixture(scope="module")
def tricky_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArticleIndex]:
    root = tmp_path_factory.mktemp("requests")
    library = root / "library"
    library.mkdir()
    for file, (name, _kind) in {**TRICKY, **DECOYS}.items():
        (library / file).write_text(
            f"---\ntitle: About {file}\ndate: 2020-01-0{len(file) % 9 + 1}\n---\n\n"
            f"Reporters met {name} today in {PLACE[1] if file == 'colon.md' else 'town'}.\n",
            encoding="utf-8",
        )
    ix = ArticleIndex.open(root / "data")
    ix.sync([library], extractor=_extract)
    yield ix
    ix.close()


def _paths(ix: ArticleIndex, request: SearchRequest | str) -> set[str]:
    result = ix.search(request) if isinstance(request, SearchRequest) else ix.search(request)
    assert result.error is None, result.error
    return {Path(hit.path).name for hit in result.hits}


@pytest.mark.parametrize("file", sorted(TRICKY))
def test_an_entity_clause_finds_exactly_that_entity(tricky_index: ArticleIndex, file: str) -> None:
    name = TRICKY[file][0]
    clause = field_clause("actor", name)
    assert clause.startswith('actor:"') and clause.endswith('"') and clause.count('"') == 2
    result = tricky_index.search(clause, limit=50)
    assert result.error is None, (clause, result.error)
    assert {Path(hit.path).name for hit in result.hits} == {file}, clause
    # The facet the result shows for it is the same entity, and its clause the same articles.
    (shown,) = [value for value, _count in result.facets["actor"] if value == name]
    assert _paths(tricky_index, field_clause("actor", shown)) == {file}
    # The view highlights that entity's mentions: the term the engine reads names it.
    assert result.entity_terms and all(field == "actor" for field, _ in result.entity_terms)


def test_a_place_clause_with_letters_beyond_ascii(tricky_index: ArticleIndex) -> None:
    assert _paths(tricky_index, field_clause("place", "Łódź")) == {"colon.md"}


def test_an_entity_clause_is_one_phrase_however_the_name_is_written() -> None:
    assert field_clause("actor", "Sanae Takaichi") == 'actor:"Sanae Takaichi"'
    assert field_clause("actor", 'Mark  O"Brien ') == 'actor:"Mark O Brien"'
    assert field_clause("place", "C:\\Temp") == 'place:"C:\\Temp"'


def test_browsing_is_every_article_newest_first(tricky_index: ArticleIndex) -> None:
    result = tricky_index.search(SearchRequest(browse=True, limit=50))
    assert result.browse and result.error is None and result.query == ""
    assert result.total == len(TRICKY) + len(DECOYS) == len(result.hits)
    dates = [hit.date for hit in result.hits]
    assert dates == sorted(dates, reverse=True)
    # The browse request's query and sort are the engine's to decide: ignored.
    again = tricky_index.search(SearchRequest("Brien", browse=True, sort="relevance", limit=50))
    assert [h.id for h in again.hits] == [h.id for h in result.hits]
    # Pages of browsing follow on.
    page = tricky_index.search(SearchRequest(browse=True, limit=3, offset=3, facets=False))
    assert [h.id for h in page.hits] == [h.id for h in result.hits[3:6]]


def test_an_empty_query_is_not_browsing(tricky_index: ArticleIndex) -> None:
    result = tricky_index.search(SearchRequest(""))
    assert not result.browse and result.error == "Type some words to search for."


def test_a_request_and_its_query_string_give_one_answer(tricky_index: ArticleIndex) -> None:
    by_request = tricky_index.search(SearchRequest("Brien", sort="date", limit=5))
    by_string = tricky_index.search("Brien", sort="date", limit=5)
    assert by_request == by_string and not by_request.browse


def test_snippet_marks_stay_on_their_words_when_whitespace_collapses() -> None:
    body = "The  budget\n\nrose;\tthe   Budget  fell"
    marked = snippet(body, (frozenset({"budget"}), frozenset()))
    assert marked.text == "The budget rose; the Budget fell"
    assert [marked.text[m.start : m.end] for m in marked.marks] == ["budget", "Budget"]


def test_snippet_text_is_the_article_text_unescaped() -> None:
    marked = snippet("Tom & <b>Jerry</b> budget", (frozenset({"budget"}), frozenset()))
    assert marked == Snippet("Tom & <b>Jerry</b> budget", [Span(19, 25)])
    assert marked.marked("[", "]") == "Tom & <b>Jerry</b> [budget]"
    no_match = snippet("Nothing here <i>matches</i>", (frozenset({"budget"}), frozenset()))
    assert no_match == Snippet("Nothing here <i>matches</i>", [])
