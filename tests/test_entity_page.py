"""A page per actor and place: its articles by date, the roles they give it and a later article's
contradiction, its quotes, who and where come up with it, its articles' key figures; names
resolved with the user's corrections; copies of one story counted once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from search.entities import UnknownEntity
from search.entity_page import _contradiction, _Sighting
from search.index import ArticleIndex
from search.models import Actor, Extraction, Figure, Place, Quote, Span
from search.text import long_date

# name: (date, body, [(actor, kind, role)], [places], [(speaker, quote)], [(figure, label)])
ARTICLES = {
    "alpha": (
        "2025-03-03",
        "Alpha. Taro Kono met Lee Jae-myung in Seoul about 5 billion yen.",
        [("Taro Kono", "person", "Foreign Minister"), ("Lee Jae-myung", "person", "President")],
        ["Seoul"],
        [("Taro Kono", "We are close allies.")],
        [("5 billion yen", "aid"), ("3", "talks"), ("2", "visits"), ("1", "treaty")],
    ),
    "bravo": (
        "2025-05-12",
        "Bravo. Taro Kono and Sanae Takaichi spoke in Tokyo.",
        [("Taro Kono", "person", "former Foreign Minister"), ("Sanae Takaichi", "person", None)],
        ["Tokyo"],
        [("Taro Kono", "I stepped down."), ("Sanae Takaichi", "Not my words.")],
        [],
    ),
    "charlie": (
        "2025-04-01",
        "Charlie. Taro Kono went to Seoul with Lee Jae-myung.",
        [("Taro Kono", "person", "Foreign Minister"), ("Lee Jae Myung", "person", None)],
        ["Seoul"],
        [],
        [("12", "ships")],
    ),
    "delta": (None, "Delta. Taro Kono is mentioned.", [("Taro Kono", "person", None)], [], [], []),
    "echo": (
        "2025-06-01",
        "Echo. Sanae Takaichi alone in Nara.",
        [("Sanae Takaichi", "person", None)],
        ["Nara"],
        [],
        [],
    ),
}


def extract(texts: Iterable[str]) -> Iterator[Extraction]:
    """Stands in for spaCy: each article's entities as listed, found by its first word."""
    for text in texts:
        name = text.split(".", 1)[0].strip().lower()
        _, _, actors, places, quotes, figures = ARTICLES[name]

        def at(words: str, text: str = text) -> list[Span]:
            start = text.find(words)
            return [Span(start, start + len(words))] if start >= 0 else []

        yield Extraction(
            actors=[Actor(a, k, r, at(a)) for a, k, r in actors],  # type: ignore[arg-type]
            places=[Place(p, None, at(p)) for p in places],
            figures=[Figure(t, "count", lab, 0, 1, n) for n, (t, lab) in enumerate(figures, 1)],
            quotes=[Quote(s, q, 0, 0) for s, q in quotes],
        )


def write_library(folder: Path, *, copy_of: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (date, body, *_) in ARTICLES.items():
        dated = f"date: {date}\n" if date else ""
        # Long enough to be told apart from other stories, or found a copy of one (MIN_WORDS).
        filler = " ".join(f"{name}{number}" for number in range(50))
        text = (
            f"---\ntitle: {name.title()}\nsource: Wire {name}\n{dated}---\n\n{body}\n\n{filler}\n"
        )
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    if copy_of:
        (folder / f"{copy_of}-copy.md").write_text(
            (folder / f"{copy_of}.md").read_text(encoding="utf-8"), encoding="utf-8"
        )
    return folder


@pytest.fixture
def index(tmp_path: Path) -> Iterator[ArticleIndex]:
    ix = ArticleIndex.open(tmp_path / "data")
    ix.sync([write_library(tmp_path / "lib", copy_of="alpha")], extractor=extract)
    yield ix
    ix.close()


def test_articles_are_a_timeline_oldest_first_undated_last_copies_once(
    index: ArticleIndex,
) -> None:
    page = index.entity_page("Taro Kono")
    assert (page.name, page.facet, page.kind) == ("Taro Kono", "actor", "person")
    assert [a.title for a in page.articles] == ["Alpha", "Charlie", "Bravo", "Delta"]
    assert [a.date for a in page.articles] == ["2025-03-03", "2025-04-01", "2025-05-12", None]
    assert [a.role for a in page.articles] == [
        "Foreign Minister",
        "Foreign Minister",
        "former Foreign Minister",
        None,
    ]


def test_roles_carry_their_dates_and_a_later_former_flags_the_title(index: ArticleIndex) -> None:
    roles = {role.role: role for role in index.entity_page("Taro Kono").roles}
    assert list(roles) == ["Foreign Minister", "former Foreign Minister"]
    assert roles["Foreign Minister"].dates == ["2025-03-03", "2025-04-01"]
    assert roles["Foreign Minister"].contradicted == (
        "Foreign Minister per 1 April 2025; 'former' since 12 May 2025"
    )
    assert roles["former Foreign Minister"].contradicted is None


def test_quotes_are_its_own_with_dates(index: ArticleIndex) -> None:
    quotes = index.entity_page("Taro Kono").quotes
    assert [(q.text, q.date, q.title) for q in quotes] == [
        ("We are close allies.", "2025-03-03", "Alpha"),
        ("I stepped down.", "2025-05-12", "Bravo"),
    ]


def test_co_occurring_actors_and_places_are_counted_by_article(index: ArticleIndex) -> None:
    page = index.entity_page("Taro Kono")
    # "Lee Jae-myung" and "Lee Jae Myung" are one actor, in two of his articles.
    assert [(c.name, c.articles) for c in page.actors][0][1] == 2
    assert {c.name for c in page.actors} == {page.actors[0].name, "Sanae Takaichi"}
    assert page.actors[0].name in ("Lee Jae-myung", "Lee Jae Myung")
    assert [(c.name, c.articles) for c in page.places] == [("Seoul", 2), ("Tokyo", 1)]
    assert "Nara" not in {c.name for c in page.places}  # only in an article without him


def test_key_figures_are_the_top_few_of_each_article(index: ArticleIndex) -> None:
    figures = index.entity_page("Taro Kono").figures
    assert [(f.text, f.date) for f in figures] == [
        ("5 billion yen", "2025-03-03"),
        ("3", "2025-03-03"),
        ("2", "2025-03-03"),
        ("12", "2025-04-01"),
    ]


def test_a_place_has_a_page(index: ArticleIndex) -> None:
    page = index.entity_page("Seoul")
    assert (page.facet, page.kind) == ("place", "place")
    assert [a.title for a in page.articles] == ["Alpha", "Charlie"]
    assert page.quotes == [] and page.roles == []


def test_renamed_and_merged_names_find_the_same_page(index: ArticleIndex) -> None:
    index.correct_entity("rename", "Taro Kono", "Kono Taro")
    page = index.entity_page("Kono Taro")
    assert page.name == "Kono Taro" and len(page.articles) == 4
    assert page.variants == ["Taro Kono"]
    index.correct_entity("merge", "Sanae Takaichi", "Kono Taro")
    merged = index.entity_page("Kono Taro")
    assert [a.title for a in merged.articles] == ["Alpha", "Charlie", "Bravo", "Echo", "Delta"]
    assert "Not my words." in {q.text for q in merged.quotes}


def test_an_unknown_name_says_which_one_was_meant(index: ArticleIndex) -> None:
    with pytest.raises(UnknownEntity) as raised:
        index.entity_page("Taro Konno")
    assert raised.value.suggestion == "Taro Kono"
    assert 'did you mean "Taro Kono"?' in str(raised.value)


def test_another_role_of_the_same_kind_later_contradicts_a_title() -> None:
    sightings = [
        _Sighting("Foreign Minister", "2025-03-03", "a"),
        _Sighting("Minister", "2025-03-04", "b"),  # the same title, said shorter: no change
        _Sighting("Prime Minister", "2025-10-21", "c"),
        _Sighting("party leader", "2025-11-01", "d"),  # another kind of role: no change
    ]
    assert _contradiction("Foreign Minister", sightings) == (
        "Foreign Minister per 3 March 2025; 'Prime Minister' since 21 October 2025"
    )
    assert _contradiction("Prime Minister", sightings) is None
    assert _contradiction("party leader", sightings) is None
    assert long_date("2025-05-12") == "12 May 2025"
