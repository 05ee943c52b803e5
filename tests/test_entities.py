"""One actor, one name: canonical keys, library-wide variant merging, and the user's corrections
applied to facets, actor:/place: queries, the panel's extraction and the card."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import search.store
from search.card import build_card
from search.entities import CorrectionError, UnknownEntity, name_key
from search.index import ArticleIndex
from search.models import Actor, Correction, Extraction, Figure, Place, Span
from search.query import named_mentions
from search.store import MIGRATIONS, Store, StoreError

# The names the stand-in extractor finds, longest first so "Labour Party" is not also "Labour".
NAMES = {
    "Labour Party": "organization",
    "Labour": "organization",
    "Daily Telegraph": "organization",
    "Telegraph": "organization",
    "Lee Jae-myung": "person",
    "Lee Jae Myung": "person",
    "Tom Lee": "person",
    "Ed Miliband": "person",
    "David Miliband": "person",
    "Jordan": "person",
    "Nara": "place",
    "Amman": "place",
}


def extract_names(texts: list[str]) -> list[Extraction]:
    """Stands in for spaCy: every listed name found in the text, with its mentions."""
    out = []
    for text in texts:
        actors: list[Actor] = []
        places: list[Place] = []
        taken: list[Span] = []
        for name, kind in NAMES.items():
            spans = []
            start = text.find(name)
            while start >= 0:
                span = Span(start, start + len(name))
                if not any(s.start < span.end and span.start < s.end for s in taken):
                    spans.append(span)
                start = text.find(name, start + 1)
            if not spans:
                continue
            taken += spans
            if kind == "place":
                places.append(Place(name, "JO", spans))
            else:
                actors.append(Actor(name, kind, None, spans))  # type: ignore[arg-type]
        figures = [Figure("42", "count", "seats", 0, 2, 1)] if "42 seats" in text else []
        out.append(Extraction(actors, places, figures))
    return out


ARTICLES = {
    "one.md": "Labour Party wins 42 seats. Ed Miliband spoke in Nara; the Daily Telegraph agreed.",
    "two.md": "Labour lost ground. David Miliband met Lee Jae-myung. The Telegraph said so.",
    "three.md": "Lee Jae Myung met Tom Lee in Amman. Jordan was there.",
}


def write_library(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in ARTICLES.items():
        title = name.removesuffix(".md").title()
        (folder / name).write_text(f"---\ntitle: {title}\nsource: Test Wire\n---\n\n{body}\n")
    return folder


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib")


@pytest.fixture
def index(tmp_path: Path, library: Path) -> Iterator[ArticleIndex]:
    ix = ArticleIndex.open(tmp_path / "data")
    ix.sync([library], extractor=extract_names)  # type: ignore[arg-type]
    yield ix
    ix.close()


def facets(ix: ArticleIndex, query: str = "*") -> dict[str, dict[str, int]]:
    return {field: dict(values) for field, values in ix.search(query).facets.items()}


def titles(ix: ArticleIndex, query: str) -> list[str]:
    result = ix.search(query)
    assert result.error is None, result.error
    return sorted(hit.title for hit in result.hits)


def article_titled(ix: ArticleIndex, title: str) -> str:
    return next(h.id for h in ix.search(f"title:{title}").hits)


def test_keys_ignore_case_accents_hyphens_possessives_the_and_org_suffixes() -> None:
    assert name_key("Lee Jae-myung") == name_key("LEE JAE MYUNG") == "lee jae myung"
    assert name_key("Zelenský") == name_key("Zelensky")
    assert name_key("Labour's") == "labour"
    assert name_key("The Guardian") == "guardian"
    assert name_key("Labour Party", organization=True) == "labour"
    assert name_key("Acme Group Ltd", organization=True) == "acme"
    assert name_key("Labour Party") == "labour party"  # a person's name keeps its words
    assert name_key("The") == "the"


def test_variants_across_articles_facet_as_one(index: ArticleIndex) -> None:
    actors = facets(index)["actor"]
    assert actors["Labour Party"] == 2 and "Labour" not in actors
    assert actors["Daily Telegraph"] == 2 and "Telegraph" not in actors
    lee = [name for name in actors if name_key(name) == "lee jae myung"]
    assert len(lee) == 1 and actors[lee[0]] == 2


def test_people_who_share_a_surname_stay_apart(index: ArticleIndex) -> None:
    actors = facets(index)["actor"]
    assert actors["Ed Miliband"] == 1 and actors["David Miliband"] == 1
    assert actors["Tom Lee"] == 1


def test_a_one_word_org_heading_two_longer_names_stays_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = write_library(tmp_path / "lib")
    (lib / "four.md").write_text("---\ntitle: Four\n---\n\nThe Sunday Telegraph said.\n")
    monkeypatch.setitem(globals(), "NAMES", {"Sunday Telegraph": "organization", **NAMES})
    ix = ArticleIndex.open(tmp_path / "data")
    try:
        ix.sync([lib], extractor=extract_names)  # type: ignore[arg-type]
        actors = facets(ix)["actor"]
        # "Telegraph" heads both "Daily Telegraph" and "Sunday Telegraph": which one is unknown.
        assert actors["Telegraph"] == 1 and actors["Daily Telegraph"] == 1
        assert actors["Sunday Telegraph"] == 1
    finally:
        ix.close()


def test_a_generic_one_word_org_never_joins_a_longer_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = write_library(tmp_path / "lib")
    (lib / "four.md").write_text(
        "---\ntitle: Four\n---\n\nNorth Vale Radio aired it. Radio is dying. Pike Rovers won.\n"
    )
    (lib / "five.md").write_text("---\ntitle: Five\n---\n\nRovers lost. Pike said so.\n")
    names = {"North Vale Radio": "organization", "Radio": "organization"}
    names |= {"Pike Rovers": "organization", "Rovers": "organization", "Pike": "organization"}
    monkeypatch.setitem(globals(), "NAMES", {**names, **NAMES})
    ix = ArticleIndex.open(tmp_path / "data")
    try:
        ix.sync([lib], extractor=extract_names)  # type: ignore[arg-type]
        actors = facets(ix)["actor"]
        assert actors["Radio"] == 1 and actors["North Vale Radio"] == 1
        assert actors["Rovers"] == 1 and actors["Pike Rovers"] == 1
        assert actors["Daily Telegraph"] == 2 and "Telegraph" not in actors  # still joined
    finally:
        ix.close()


def test_a_name_query_finds_every_variant(index: ArticleIndex) -> None:
    assert titles(index, 'actor:"Labour Party"') == ["One", "Two"]
    assert titles(index, "actor:labour") == ["One", "Two"]
    assert titles(index, 'actor:"Lee Jae Myung"') == ["Three", "Two"]
    assert titles(index, "actor:telegraph") == ["One", "Two"]
    assert titles(index, 'actor:"Ed Miliband"') == ["One"]
    assert titles(index, 'actor:miliband NOT actor:"labour party"') == []


def test_the_panel_shows_one_name_for_the_library(index: ArticleIndex) -> None:
    stored = index.get(article_titled(index, "Two"))
    assert stored is not None
    names = [a.name for a in stored.extraction.actors]
    assert "Labour Party" in names and "Daily Telegraph" in names
    raw = index.get_uncorrected(stored.article.id)
    assert raw is not None and "Labour" in [a.name for a in raw.extraction.actors]


def test_rename_applies_to_facets_queries_panel_and_card(index: ArticleIndex) -> None:
    correction = index.correct_entity("rename", "labour", "UK Labour")
    assert correction.describe() == 'rename "labour" to "UK Labour"'
    actors = facets(index)["actor"]
    assert actors["UK Labour"] == 2 and "Labour Party" not in actors
    assert titles(index, 'actor:"UK Labour"') == ["One", "Two"]
    stored = index.get(article_titled(index, "One"))
    assert stored is not None
    assert "UK Labour" in [a.name for a in stored.extraction.actors]
    assert "UK Labour" in [name for name, _role in build_card(stored).actors]


def test_merge_joins_two_entities_and_their_mentions(index: ArticleIndex) -> None:
    index.correct_entity("merge", "Ed Miliband", "David Miliband")
    actors = facets(index)["actor"]
    assert actors["David Miliband"] == 2 and "Ed Miliband" not in actors
    assert titles(index, 'actor:"David Miliband"') == ["One", "Two"]
    assert titles(index, 'actor:"Ed Miliband"') == ["One", "Two"]  # one entity, either name
    stored = index.get(article_titled(index, "One"))
    assert stored is not None
    david = next(a for a in stored.extraction.actors if a.name == "David Miliband")
    assert stored.article.body[david.mentions[0].start : david.mentions[0].end] == "Ed Miliband"


def test_hide_drops_an_entity_from_facets_panel_and_card(index: ArticleIndex) -> None:
    index.correct_entity("hide", "Tom Lee")
    assert "Tom Lee" not in facets(index)["actor"]
    stored = index.get(article_titled(index, "Three"))
    assert stored is not None
    assert "Tom Lee" not in [a.name for a in stored.extraction.actors]
    assert "Tom Lee" not in [name for name, _role in build_card(stored).actors]
    assert "Tom Lee" not in [e.name for e in index.entities()]
    assert [e.name for e in index.entities(include_hidden=True) if e.hidden] == ["Tom Lee"]


def test_kind_moves_an_actor_to_the_places(index: ArticleIndex) -> None:
    index.correct_entity("kind", "Jordan", "place")
    found = facets(index)
    assert found["place"]["Jordan"] == 1 and "Jordan" not in found["actor"]
    assert titles(index, "place:jordan") == ["Three"]
    stored = index.get(article_titled(index, "Three"))
    assert stored is not None
    assert "Jordan" in [p.name for p in stored.extraction.places]
    assert "Jordan" not in [a.name for a in stored.extraction.actors]
    assert "Jordan" in [name for name, _country in build_card(stored).places]


def test_kind_person_to_organization_and_place_to_actor(index: ArticleIndex) -> None:
    index.correct_entity("kind", "Tom Lee", "organization")
    index.correct_entity("kind", "Amman", "person")
    stored = index.get(article_titled(index, "Three"))
    assert stored is not None
    kinds = {a.name: a.kind for a in stored.extraction.actors}
    assert kinds["Tom Lee"] == "organization" and kinds["Amman"] == "person"
    assert "Amman" not in facets(index)["place"]
    assert titles(index, "actor:amman") == ["Three"]


def test_hide_a_figure(index: ArticleIndex) -> None:
    article_id = article_titled(index, "One")
    index.hide_figure(article_id, "42")
    stored = index.get(article_id)
    assert stored is not None and stored.extraction.figures == []
    assert build_card(stored).figures == []
    with pytest.raises(CorrectionError, match='has no figure "43"'):
        index.hide_figure(article_id, "43")


def test_unknown_names_and_bad_values_say_so(index: ArticleIndex) -> None:
    with pytest.raises(UnknownEntity) as raised:
        index.correct_entity("hide", "Ed Milliband")
    assert raised.value.suggestion == "Ed Miliband"
    assert 'no actor or place named "Ed Milliband"' in str(raised.value)
    with pytest.raises(CorrectionError, match="already one entity"):
        index.correct_entity("merge", "Labour", "Labour Party")
    with pytest.raises(CorrectionError, match="a kind is one of"):
        index.correct_entity("kind", "Labour", "animal")
    with pytest.raises(CorrectionError, match="cannot be empty"):
        index.correct_entity("rename", "Labour", "  ")
    assert index.corrections() == []


def test_undo_takes_back_the_last_correction(index: ArticleIndex) -> None:
    index.correct_entity("hide", "Tom Lee")
    index.correct_entity("rename", "Labour Party", "Labour")
    undone = index.undo_correction()
    assert undone is not None and undone.action == "rename"
    assert "Labour Party" in facets(index)["actor"]
    assert "Tom Lee" not in facets(index)["actor"]
    assert [c.action for c in index.corrections()] == ["hide"]
    index.undo_correction()
    assert "Tom Lee" in facets(index)["actor"]
    assert index.undo_correction() is None


def test_corrections_survive_a_rebuild_with_a_new_model(
    tmp_path: Path, index: ArticleIndex, library: Path
) -> None:
    index.correct_entity("rename", "Lee Jae Myung", "President Lee")
    index.correct_entity("hide", "Tom Lee")
    index.close()
    again = ArticleIndex.open(tmp_path / "data")
    try:
        # A "new model" that spells the name another way: the key still finds the correction.
        def new_model(texts: list[str]) -> list[Extraction]:
            extractions = extract_names(texts)
            for extraction in extractions:
                for actor in extraction.actors:
                    actor.name = actor.name.upper() if actor.name.startswith("Lee") else actor.name
            return extractions

        again.sync([library], rebuild=True, extractor=new_model)  # type: ignore[arg-type]
        actors = facets(again)["actor"]
        assert actors["President Lee"] == 2 and "Tom Lee" not in actors
        assert titles(again, 'actor:"President Lee"') == ["Three", "Two"]
    finally:
        again.close()


def test_the_store_migrates_and_refuses_a_newer_schema(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    assert store.version() == 0
    store.close()
    with sqlite3.connect(tmp_path / "briefing.sqlite3") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(tmp_path)


def test_a_failed_write_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path)
    try:

        def fail(db: sqlite3.Connection) -> None:
            raise OSError("disk full")

        # The correction's row is written, then the version bump fails: neither may stay.
        monkeypatch.setattr(search.store, "_bump", fail)
        with pytest.raises(OSError):
            store.add_correction(Correction("hide", "actor", "tom lee", "Tom Lee"))
        assert store.corrections() == [] and store.version() == 0
    finally:
        store.close()


def test_a_name_query_highlights_the_variant_the_article_uses(index: ArticleIndex) -> None:
    result = index.search('actor:"Labour Party"')
    stored = index.get(article_titled(index, "Two"))
    assert stored is not None
    names, spans = named_mentions(result.entity_terms, stored.extraction)
    assert names == ["Labour Party"]
    assert [stored.article.body[s.start : s.end] for s in spans] == ["Labour"]
