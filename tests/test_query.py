"""The query language over the seed library: operators, phrases, fields, dates, prefix, fuzzy, snippets, facets."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh.query import FuzzyTerm

from search.index import ArticleIndex, build_schema
from search.models import Actor, Extraction, Hit, Place, Snippet, Span
from search.query import make_parser, snippet

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_ID_TITLE = "Takaichi hosts Lee Jae Myung in Nara for third summit in three months"


def names_in(texts: list[str]) -> list[Extraction]:
    """A stand-in extractor: a few fixed names, so facet counts are known without spaCy."""
    return [
        Extraction(
            actors=[Actor(n, "person") for n in ("Lee Jae Myung", "Donald Trump") if n in t],
            places=[Place(n) for n in ("Nara", "Washington") if n in t],
        )
        for t in texts
    ]


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArticleIndex]:
    ix = ArticleIndex.open(tmp_path_factory.mktemp("query") / "data")
    ix.sync([SEEDS], extractor=names_in)
    yield ix
    ix.close()


def bold(hit: Hit) -> str:
    """The hit's snippet with its marks in <b> (unescaped: these texts hold no markup)."""
    return hit.snippet.marked("<b>", "</b>")


def titles(ix: ArticleIndex, q: str, **kwargs: object) -> list[str]:
    result = ix.search(q, limit=50, **kwargs)  # type: ignore[arg-type]
    assert result.error is None, result.error
    return [h.title for h in result.hits]


def test_and_is_the_default_and_finds_the_seed(seeds_index: ArticleIndex) -> None:
    result = seeds_index.search("Takaichi Nara")
    assert [h.title for h in result.hits] == [SEED_ID_TITLE]
    assert result.total == 1
    assert titles(seeds_index, "Takaichi AND Nara") == [SEED_ID_TITLE]
    assert titles(seeds_index, "Takaichi AND Obama") == []


def test_or_and_not(seeds_index: ArticleIndex) -> None:
    trump = set(titles(seeds_index, "Trump"))
    obama = set(titles(seeds_index, "Obama"))
    assert trump and obama and trump != obama
    assert set(titles(seeds_index, "Trump OR Obama")) == trump | obama
    assert set(titles(seeds_index, "Trump NOT Afghan")) == trump - set(
        titles(seeds_index, "Afghan")
    )
    assert SEED_ID_TITLE in titles(seeds_index, "Trump NOT Afghan")


def test_phrase_needs_the_words_together(seeds_index: ArticleIndex) -> None:
    assert titles(seeds_index, '"forced laborers"') == [SEED_ID_TITLE]
    assert titles(seeds_index, '"laborers forced"') == []


def test_stemming_matches_other_forms(seeds_index: ArticleIndex) -> None:
    assert SEED_ID_TITLE in titles(seeds_index, "laborer")


def test_field_queries(seeds_index: ArticleIndex) -> None:
    assert titles(seeds_index, "title:summit") == [SEED_ID_TITLE]
    assert SEED_ID_TITLE not in titles(seeds_index, "title:Trump")
    assert len(titles(seeds_index, "source:wikinews")) == 24
    assert titles(seeds_index, 'actor:"Lee Jae Myung"') == [SEED_ID_TITLE]
    assert titles(seeds_index, 'actor:"lee jae myung"') == [SEED_ID_TITLE]
    assert titles(seeds_index, "actor:lee") == [SEED_ID_TITLE]
    assert titles(seeds_index, "place:nara") == [SEED_ID_TITLE]


def test_date_ranges(seeds_index: ArticleIndex) -> None:
    def dates(q: str) -> list[str]:
        return sorted(h.date or "" for h in seeds_index.search(q, limit=50).hits)

    in_2015 = dates("date:2015")
    assert in_2015 and all(d.startswith("2015") for d in in_2015)
    may_2015 = dates("date:2015-05")
    assert may_2015 and all(d.startswith("2015-05") for d in may_2015)
    assert set(may_2015) < set(in_2015)
    span = dates("date:[2015 to 2016]")
    assert set(in_2015) < set(span) and all(d[:4] in ("2015", "2016") for d in span)
    assert dates("date:[2015-05-01 to 2015-05-31]") == may_2015
    # Whoosh reads a partial date after > as its first day: ">2016" is "from 2016 on".
    after = dates("date:>2016")
    assert after and all(d >= "2016" for d in after) and not set(in_2015) & set(after)
    assert dates("date:[2017 to]") == [d for d in after if d >= "2017"]


@pytest.mark.parametrize("query", ["date:2015su*", "date:abc*", "date:20?5", "date:2015-02-30sum*"])
def test_a_wildcard_date_gets_the_date_help(seeds_index: ArticleIndex, query: str) -> None:
    result = seeds_index.search(query)
    assert result.error is not None
    assert f"'{query[5:]}' at character 6 is not a date" in result.error
    assert "date:2015-08" in result.error and result.total == 0


def test_a_prefix_on_a_whole_date_reads_as_that_date(seeds_index: ArticleIndex) -> None:
    year = seeds_index.search("date:2015", limit=50)
    assert year.total > 0
    assert seeds_index.search("date:2015*", limit=50).total == year.total


def test_a_query_that_fails_while_running_gets_a_message_naming_it(
    seeds_index: ArticleIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise Exception("Field 'stamp' is not indexed")  # as whoosh raises from a matcher

    monkeypatch.setattr("search.query._evaluate", fail)
    result = seeds_index.search("Nara")
    assert result.error is not None and "Could not run the query 'Nara'" in result.error
    assert result.hits == [] and result.total == 0


def test_an_index_field_that_is_not_a_query_field_is_unknown(seeds_index: ArticleIndex) -> None:
    # 'stamp' is the index's own column: whoosh parsed it as a field, then raised while running.
    result = seeds_index.search("stamp:ab*")
    assert result.error is not None and "unknown field 'stamp:' at character 1" in result.error


def test_prefix_means_words_starting_with_it_not_the_stem(seeds_index: ArticleIndex) -> None:
    result = seeds_index.search("pres*", limit=50)
    assert result.total > 0
    assert "president" in result.terms
    assert all(t.startswith("pres") for t in result.terms)
    # The stem of "pres" is "pre": a stemmed prefix would also match e.g. "prevent", "previous".
    assert not set(titles(seeds_index, "prevent*")) <= set(titles(seeds_index, "pres*"))
    assert SEED_ID_TITLE in titles(seeds_index, "sum*")
    assert "<b>summit</b>" in bold(seeds_index.search("sum*").hits[0])


def test_fuzzy(seeds_index: ArticleIndex) -> None:
    assert SEED_ID_TITLE in titles(seeds_index, "nara~")
    assert SEED_ID_TITLE in titles(seeds_index, "Takaichu~")
    assert SEED_ID_TITLE in titles(seeds_index, "Takachu~2")


def test_a_fuzzy_distance_is_capped_at_two_edits(seeds_index: ArticleIndex) -> None:
    """ "word~9" read as asked built an automaton that took 48 s and 7 GB (found by the fuzz run)."""
    parsed = make_parser(build_schema()).parse("takaichi~9 nara~1/2")
    distances = {(q.text, q.maxdist) for q in parsed.leaves() if isinstance(q, FuzzyTerm)}
    assert distances == {("takaichi", 2), ("nara", 1)}  # each over title and body
    started = time.perf_counter()
    result = seeds_index.search("n\U000e3134\U00056129abcdefghijklmnopq~9 Takaichi")
    assert result.error is None
    assert time.perf_counter() - started < 10  # was minutes and gigabytes; a loaded machine is slow
    assert titles(seeds_index, "Takaichu") == []


def test_snippet_marks_terms_as_spans_of_plain_text(seeds_index: ArticleIndex) -> None:
    hit = seeds_index.search("Takaichi AND Nara").hits[0]
    assert "<b>Nara</b>" in bold(hit) and "<b>Takaichi</b>" in bold(hit)
    assert all(hit.snippet.text[m.start : m.end] in {"Nara", "Takaichi"} for m in hit.snippet.marks)
    phrase = seeds_index.search('"forced laborers"').hits[0]
    assert "<b>forced</b> <b>laborers</b>" in bold(phrase)
    # The text is the article's, unescaped: the caller escapes it for its format.
    marked = snippet(
        "Tom & Jerry <script> said the budget rose", (frozenset({"budget"}), frozenset())
    )
    assert marked == Snippet("Tom & Jerry <script> said the budget rose", [Span(30, 36)])


def test_negated_words_are_not_highlight_terms(seeds_index: ArticleIndex) -> None:
    result = seeds_index.search("Trump NOT Afghan")
    assert result.terms == ["trump"]
    assert all("<b>Afghan" not in bold(h) for h in result.hits)


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ('"forced laborers"', ["forced laborers"]),  # a phrase is one term, not its words
        ('"forced   laborers" Nara', ["forced laborers", "nara"]),
        ('actor:"Lee Jae Myung"', ["lee jae myung"]),  # a field value is looked for as written
        ("place:Nara", ["nara"]),
        ('actor:"Donald Trump" NOT Nara', ["donald trump"]),
        ('Trump NOT "forced laborers"', ["trump"]),
        ("Trump AND NOT (Obama OR actor:Lee)", ["trump"]),
        ("Obama source:wikinews", ["obama"]),  # a source is no text in the article
    ],
)
def test_highlight_terms_are_what_the_query_looks_for_as_typed(
    seeds_index: ArticleIndex, query: str, terms: list[str]
) -> None:
    result = seeds_index.search(query)
    assert result.error is None and result.total > 0
    assert result.terms == terms


def test_a_field_query_marks_its_value_in_snippets(seeds_index: ArticleIndex) -> None:
    hit = seeds_index.search('actor:"Lee Jae Myung"').hits[0]
    assert "<b>Lee</b> <b>Jae</b> <b>Myung</b>" in bold(hit)
    assert "<b>Nara</b>" in bold(seeds_index.search("place:Nara").hits[0])


def test_facets_count_the_whole_result_set_not_the_page(seeds_index: ArticleIndex) -> None:
    full = seeds_index.search("Trump OR Nara", limit=50)
    page = seeds_index.search("Trump OR Nara", limit=1)
    assert len(page.hits) == 1 and page.total == full.total > 1
    assert page.facets == full.facets
    assert ("Lee Jae Myung", 1) in page.facets["actor"]
    sources = dict(page.facets["source"])
    assert sum(sources.values()) == full.total
    assert seeds_index.search("Trump", facets=False).facets == {}


def test_sort_by_date_puts_newest_first(seeds_index: ArticleIndex) -> None:
    hits = seeds_index.search("source:wikinews", limit=50, sort="date").hits
    dates = [h.date for h in hits]
    assert dates == sorted(dates, reverse=True)


def test_sort_by_date_puts_undated_articles_last(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    for name, date in [
        ("old", "2001-02-03"),
        ("none", None),
        ("new", "2024-05-06"),
        ("mid", "2010-01-01"),
    ]:
        front = f"date: {date}\n" if date else ""
        (library / f"{name}.md").write_text(
            f"---\ntitle: {name} budget\n{front}---\n\nThe budget rose.\n", encoding="utf-8"
        )
    (library / "plain.txt").write_text("Plain budget\n\nThe budget fell.\n", encoding="utf-8")
    ix = ArticleIndex.open(tmp_path / "data")
    ix.sync([library], extractor=names_in)
    hits = ix.search("budget", limit=10, sort="date").hits
    assert [h.date for h in hits][:3] == ["2024-05-06", "2010-01-01", "2001-02-03"]
    assert sorted(h.title for h in hits[3:]) == ["Plain budget", "none budget"]
    assert [h.date for h in hits[3:]] == [None, None]
    # Pages of a date-sorted query still make up the whole ranking.
    pages = [ix.search("budget", limit=2, sort="date", offset=o).hits for o in (0, 2, 4)]
    assert [h.id for page in pages for h in page] == [h.id for h in hits]
    ix.close()


def test_did_you_mean_when_nothing_matches(seeds_index: ArticleIndex) -> None:
    result = seeds_index.search("presidnet")
    assert result.total == 0
    assert result.suggestion == "president"
    assert seeds_index.search(result.suggestion).total > 0
    assert seeds_index.search("Takaichi").suggestion is None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type some words"),
        ("   ", "Type some words"),
        ("AND OR (((", "its brackets are unbalanced (3 '(' and 0 ')'); AND and OR have no words"),
        ("AND (((", "its brackets are unbalanced"),
        ("NOT", "NOT has no words to leave out"),
        ("( )", "its brackets hold no words"),
        ("the", "very common words like 'the'"),
        ("the AND a", "very common words like 'the'"),
        ("date:notadate", "'notadate' at character 6 is not a date"),
        ("date:[foo to bar]", "Could not understand the query"),
    ],
)
def test_malformed_queries_give_a_message_not_an_exception(
    seeds_index: ArticleIndex, query: str, message: str
) -> None:
    result = seeds_index.search(query)
    assert result.error is not None and message in result.error
    assert result.hits == [] and result.total == 0


@pytest.mark.parametrize("query", ["AND (((", "OR )", "NOT", "()", "!!!"])
def test_a_query_of_operators_and_brackets_is_not_blamed_on_common_words(
    seeds_index: ArticleIndex, query: str
) -> None:
    result = seeds_index.search(query)
    assert result.error is not None and f"The query {query!r} has no words" in result.error
    assert "very common words" not in result.error


@pytest.mark.parametrize(
    "query", ['"unclosed phrase', "title:", "(Nara", "Nara)", "*", "~", "a:b:c", "date:[2015 to"]
)
def test_odd_queries_never_raise(seeds_index: ArticleIndex, query: str) -> None:
    result = seeds_index.search(query)
    assert result.error is not None or result.total >= 0


def test_searches_from_a_worker_thread(seeds_index: ArticleIndex) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        totals = list(pool.map(lambda q: seeds_index.search(q).total, ["Nara", "Trump", "Obama"]))
    assert totals == [seeds_index.search(q).total for q in ["Nara", "Trump", "Obama"]]


@pytest.mark.parametrize("query", ["a" * 3000, "b" * 3000 + "~", "Nara " + "x" * 2000])
def test_a_pasted_blob_is_answered_quickly(seeds_index: ArticleIndex, query: str) -> None:
    import time

    started = time.perf_counter()
    result = seeds_index.search(query)
    assert time.perf_counter() - started < 1.0
    assert result.total == 0 and result.suggestion is None


def test_a_name_query_marks_its_names_not_its_small_words(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "duo.md").write_text(
        "---\ntitle: Duo tour\n---\n\nThe duo Tam and Brill will tour, and tickets go on sale.\n",
        encoding="utf-8",
    )

    def duo(texts: list[str]) -> list[Extraction]:
        return [Extraction(actors=[Actor("Tam and Brill", "organization")]) for _ in texts]

    ix = ArticleIndex.open(tmp_path / "data")
    ix.sync([library], extractor=duo)
    marked = bold(ix.search('actor:"Tam and Brill"').hits[0])
    ix.close()
    assert "<b>Tam</b>" in marked and "<b>Brill</b>" in marked
    assert "<b>and</b>" not in marked
