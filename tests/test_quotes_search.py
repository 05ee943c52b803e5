"""Quotes as first-class: every quote's words and its speaker are searchable (`quote:`,
`speaker:`), a speaker found as an actor is (variants, renames), and an index made before these
fields existed is rebuilt from its stored extractions, not re-extracted."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields

import search.index
from search.index import ArticleIndex
from search.models import Actor, Extraction, Quote, Span

ARTICLES = {
    "summit.md": (
        "Summit",
        'Toshimitsu Motegi said: "The trilateral talks went well." '
        'Lee Jae Myung said: "We agreed on nothing."',
    ),
    "budget.md": ("Budget", 'Motegi said: "The budget is sound."'),
    "quiet.md": ("Quiet", "Nobody was quoted about trilateral matters."),
}


def extract_quotes(texts: Iterable[str]) -> Iterator[Extraction]:
    """Stands in for spaCy: each "Name said: "…"" is a quote of that speaker, who is an actor."""
    for text in texts:
        quotes: list[Quote] = []
        actors: dict[str, Actor] = {}
        for sentence in text.split('." '):
            name, said, words = sentence.partition(" said: ")
            if not said:
                continue
            start = text.find(words)
            quotes.append(Quote(name.strip(), words.strip('"').rstrip(".") + ".", start, 0))
            at = text.find(name.strip())
            actors[name.strip()] = Actor(
                name.strip(), "person", None, [Span(at, at + len(name.strip()))]
            )
        yield Extraction(actors=list(actors.values()), quotes=quotes)


def write_library(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, body) in ARTICLES.items():
        (folder / name).write_text(f"---\ntitle: {title}\n---\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.fixture
def index(tmp_path: Path) -> Iterator[ArticleIndex]:
    ix = ArticleIndex.open(tmp_path / "data")
    ix.sync([write_library(tmp_path / "lib")], extractor=extract_quotes)
    yield ix
    ix.close()


def titles(ix: ArticleIndex, query: str) -> list[str]:
    result = ix.search(query)
    assert result.error is None, result.error
    return sorted(hit.title for hit in result.hits)


def test_quote_words_are_searched_in_quotes_only(index: ArticleIndex) -> None:
    assert titles(index, 'quote:"trilateral"') == ["Summit"]
    assert titles(index, "trilateral") == ["Quiet", "Summit"]  # the body has it in both
    assert titles(index, 'quote:"agreed on nothing"') == ["Summit"]
    assert titles(index, 'quote:"nothing agreed"') == []


def test_speaker_is_found_by_any_part_of_the_name(index: ArticleIndex) -> None:
    assert titles(index, 'speaker:"Toshimitsu Motegi"') == ["Summit"]
    assert titles(index, "speaker:motegi") == ["Budget", "Summit"]
    assert titles(index, 'speaker:"Lee Jae Myung" AND quote:nothing') == ["Summit"]
    assert titles(index, 'speaker:"Lee Jae Myung" AND quote:budget') == []


def test_a_renamed_speaker_is_found_under_the_new_name(index: ArticleIndex) -> None:
    index.correct_entity("rename", "Lee Jae Myung", "President Lee")
    assert titles(index, 'speaker:"President Lee"') == ["Summit"]


def test_the_speakers_mentions_are_marked_as_an_actors(index: ArticleIndex) -> None:
    result = index.search('speaker:"Toshimitsu Motegi"')
    assert ("actor", "toshimitsu motegi") in result.entity_terms
    assert result.hits[0].snippet.marks, "the speaker's name is marked in the snippet"


def test_an_index_without_the_quote_fields_is_rebuilt_from_its_extractions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = write_library(tmp_path / "lib")
    current, document = search.index.build_schema, search.index._document
    new_fields = ("quote", "speaker", "speaker_key")

    def older_schema() -> fields.Schema:
        schema = current()
        for name in new_fields:
            schema.remove(name)
        return schema

    def older_document(*args: Any) -> dict[str, Any]:
        return {k: v for k, v in document(*args).items() if k not in new_fields}

    monkeypatch.setattr(search.index, "build_schema", older_schema)
    monkeypatch.setattr(search.index, "_document", older_document)
    old = ArticleIndex.open(tmp_path / "data")
    old.sync([library], extractor=extract_quotes)
    old.close()
    monkeypatch.setattr(search.index, "build_schema", current)
    monkeypatch.setattr(search.index, "_document", document)

    def no_extraction(texts: Iterable[str]) -> Iterator[Extraction]:
        raise AssertionError("the stored extractions should be reused")
        yield  # pragma: no cover

    ix = ArticleIndex.open(tmp_path / "data")
    try:
        report = ix.sync([library], extractor=no_extraction)
        assert any("rebuilt" in message for message in report.messages)
        assert titles(ix, 'quote:"trilateral"') == ["Summit"]
        assert titles(ix, "speaker:motegi") == ["Budget", "Summit"]
    finally:
        ix.close()
