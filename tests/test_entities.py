"""One actor, one name: canonical keys, library-wide variant merging, and the user's corrections
applied to facets, actor:/place: queries, the panel's extraction and the card."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
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
        monkeypatch.setattr(search.store, "bump", fail)
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


def damage(store_file: Path) -> None:
    """Overwrite the second page of the store (its header stays intact), as a bad disk might."""
    with store_file.open("r+b") as f:
        f.seek(4096)
        f.write(b"\xff" * 4096)


def test_a_damaged_store_leaves_searching_working_and_says_so_once(
    tmp_path: Path, index: ArticleIndex
) -> None:
    index.correct_entity("rename", "Labour", "UK Labour")
    index.correct_entity("hide", "Tom Lee")
    index.close()
    damage(tmp_path / "data" / "briefing.sqlite3")
    with pytest.raises(StoreError, match=r"briefing\.sqlite3 is damaged") as raised:
        Store.open(tmp_path / "data").corrections()
    assert "move it aside" not in str(raised.value)
    again = ArticleIndex.open(tmp_path / "data")
    try:
        first = again.search('actor:"Labour Party"')
        assert first.error is None and first.total == 2  # the extraction as stored
        assert first.notice is not None and "is damaged" in first.notice
        assert again.search("Labour").notice is None  # told once
        assert "Tom Lee" in [e.name for e in again.entities()]
        assert again.get(article_titled(again, "Three")) is not None
        with pytest.raises(StoreError, match="is damaged"):
            again.corrections()
    finally:
        again.close()


class FailingCommit:
    """A connection whose COMMIT fails as one does when a reader holds the lock past the timeout."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql == "COMMIT":
            raise sqlite3.OperationalError("database is locked")
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)


def test_a_failed_commit_rolls_back_and_the_next_write_works(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        real = store._db
        assert real is not None
        store._db = FailingCommit(real)  # type: ignore[assignment]
        with pytest.raises(StoreError, match="is locked by another program"):
            store.add_correction(Correction("hide", "actor", "tom lee", "Tom Lee"))
        assert not real.in_transaction
        store._db = real
        assert store.corrections() == [] and store.version() == 0
        store.add_correction(Correction("hide", "actor", "jordan", "Jordan"))
        assert [c.name for c in store.corrections()] == ["Jordan"]
    finally:
        store.close()


def test_a_reader_in_another_program_does_not_block_a_correction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search.store, "BUSY_TIMEOUT_MS", 200)
    store = Store.open(tmp_path)
    reader = sqlite3.connect(tmp_path / "briefing.sqlite3", isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM correction").fetchall()
        store.add_correction(Correction("hide", "actor", "tom lee", "Tom Lee"))
        reader.execute("COMMIT")
        assert [c.name for c in store.corrections()] == ["Tom Lee"]
    finally:
        reader.close()
        store.close()


def test_a_writer_in_another_program_blocks_neither_reading_nor_searching(
    tmp_path: Path, index: ArticleIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search.store, "BUSY_TIMEOUT_MS", 100)
    index.correct_entity("rename", "Labour", "UK Labour")
    index.close()
    writer = sqlite3.connect(tmp_path / "data" / "briefing.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    again = ArticleIndex.open(tmp_path / "data")
    try:
        assert titles(again, 'actor:"UK Labour"') == ["One", "Two"]
        with pytest.raises(StoreError, match="is locked by another program"):
            again.correct_entity("hide", "Tom Lee")
        writer.execute("ROLLBACK")
        again.correct_entity("hide", "Tom Lee")
        assert "Tom Lee" not in facets(again)["actor"]
    finally:
        writer.close()
        again.close()


def test_get_uses_the_table_of_the_last_search_without_the_store(index: ArticleIndex) -> None:
    article_id = article_titled(index, "One")  # a search: the table is built

    def unusable() -> int:
        raise AssertionError("get() touched the store")

    index.store.version = unusable  # type: ignore[method-assign]
    stored = index.get(article_id)
    assert stored is not None and "Labour Party" in [a.name for a in stored.extraction.actors]


def test_opening_reads_the_schema_version_and_writes_only_to_migrate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(tmp_path).close()
    monkeypatch.setattr(search.store, "BUSY_TIMEOUT_MS", 100)
    writer = sqlite3.connect(tmp_path / "briefing.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        store = Store.open(tmp_path)  # before: BEGIN IMMEDIATE on every open, which waited
        assert store.version() == 0
        store.close()
    finally:
        writer.close()


def test_a_read_only_store_applies_its_corrections_and_refuses_writes_plainly(
    tmp_path: Path, index: ArticleIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    index.correct_entity("rename", "Labour", "UK Labour")
    index.close()
    # Tests may run as root, whom permissions do not stop: the store is told it cannot write.
    monkeypatch.setattr(search.store, "_writable", lambda path: False)
    again = ArticleIndex.open(tmp_path / "data")
    try:
        result = again.search('actor:"UK Labour"')
        assert result.total == 2 and result.notice is None
        with pytest.raises(StoreError, match="is read-only") as raised:
            again.correct_entity("hide", "Tom Lee")
        assert "move it aside" not in str(raised.value)
    finally:
        again.close()
    empty = Store(tmp_path / "nowhere" / "briefing.sqlite3")  # nothing to read, nowhere to write
    assert empty.corrections() == [] and empty.read_only


# "Wales" the rugby side (an actor in one article) and "Wales" the place (in two).
WALES = {
    "four.md": "Wales won the rugby match in Amman.",
    "five.md": "Rain fell across Wales.",
    "six.md": "Storms hit Wales again.",
}


def extract_with_wales(texts: Iterable[str]) -> list[Extraction]:
    texts = list(texts)  # the indexer passes an iterator
    out = extract_names(texts)
    for text, extraction in zip(texts, out, strict=True):
        start = text.find("Wales")
        if start < 0:
            continue
        spans = [Span(start, start + len("Wales"))]
        if "rugby" in text:
            extraction.actors.append(Actor("Wales", "organization", None, spans))
        else:
            extraction.places.append(Place("Wales", "GB", spans))
    return out


def write_wales_library(folder: Path) -> Path:
    write_library(folder)
    for name, body in WALES.items():
        title = name.removesuffix(".md").title()
        (folder / name).write_text(f"---\ntitle: {title}\nsource: Test Wire\n---\n\n{body}\n")
    return folder


@pytest.fixture
def wales(tmp_path: Path) -> Iterator[ArticleIndex]:
    ix = ArticleIndex.open(tmp_path / "data")
    ix.sync([write_wales_library(tmp_path / "lib")], extractor=extract_with_wales)  # type: ignore[arg-type]
    yield ix
    ix.close()


def test_a_correction_picks_the_actor_or_the_place_that_share_a_name(
    wales: ArticleIndex,
) -> None:
    assert facets(wales)["actor"]["Wales"] == 1 and facets(wales)["place"]["Wales"] == 2
    wales.correct_entity("hide", "Wales", field_name="actor")
    assert "Wales" not in facets(wales)["actor"] and facets(wales)["place"]["Wales"] == 2
    wales.undo_correction()
    wales.correct_entity("rename", "place:Wales", "Cymru")
    assert facets(wales)["actor"]["Wales"] == 1 and facets(wales)["place"]["Cymru"] == 2
    wales.undo_correction()
    wales.correct_entity("merge", "actor:Wales", "Labour")
    assert facets(wales)["actor"]["Labour Party"] == 3 and facets(wales)["place"]["Wales"] == 2
    with pytest.raises(UnknownEntity, match='no place named "Tom Lee"'):
        wales.correct_entity("hide", "place:Tom Lee")


def test_names_with_apostrophes_are_found_as_the_query_tokenizer_reads_them(
    index: ArticleIndex,
) -> None:
    index.correct_entity("rename", "Tom Lee", "Captain O'Lee")
    assert titles(index, 'actor:"Captain O\'Lee"') == ["Three"]
    assert titles(index, 'actor:"Captain O’Lee"') == ["Three"]
    assert titles(index, 'actor:"O\'Lee"') == ["Three"]
    assert titles(index, 'actor:"Labour\'s"') == ["One", "Two"]
    assert titles(index, 'actor:"Daily Telegraph’s"') == ["One", "Two"]
    # Stored keys, and so the corrections that name them, are as they were.
    assert name_key("O'Driscoll") == "odriscoll"


def test_a_correction_already_in_force_is_refused(index: ArticleIndex) -> None:
    index.correct_entity("hide", "Tom Lee")
    with pytest.raises(CorrectionError, match='"Tom Lee" is already hidden'):
        index.correct_entity("hide", "Tom Lee")
    with pytest.raises(CorrectionError, match="already a person"):
        index.correct_entity("kind", "Ed Miliband", "person")
    with pytest.raises(CorrectionError, match="already called"):
        index.correct_entity("rename", "Labour", "Labour Party")
    assert len(index.corrections()) == 1
    index.undo_correction()  # one undo shows it again
    assert "Tom Lee" in facets(index)["actor"]


def test_a_rename_to_another_entitys_name_is_refused_with_merge_suggested(
    index: ArticleIndex,
) -> None:
    with pytest.raises(CorrectionError, match='merge "Ed Miliband" into "David Miliband"'):
        index.correct_entity("rename", "Ed Miliband", "David Miliband")
    with pytest.raises(CorrectionError, match="already called"):
        index.correct_entity("rename", "Tom Lee", "the daily telegraph")
    index.correct_entity("rename", "Labour", "labour party")  # its own name, in other letters
    index.correct_entity("rename", "Nara", "Tom Lee")  # a place may share an actor's name
    assert facets(index)["place"]["Tom Lee"] == 1
