"""Search that forgives: accents folded, stems and demonyms for plain words, exact phrases and prefixes, CJK pairs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import StemmingAnalyzer

import search.analysis
from search.analysis import demonym_place, fold_word, stemmed_analyzer, words_analyzer
from search.index import ArticleIndex, IndexUnavailable, build_schema
from search.index_dir import INDEX_NAME
from tests.test_index import article, fake_extract

ARTICLES = {
    "sanchez.md": ("Budget passes", "Pedro Sánchez said the budget passed in Madrid."),
    "korean.md": ("Summit in Seoul", "The South Korean president met ministers on Monday."),
    "korea.md": (
        "Exports rise",
        "Exports from South Korea rose for a third month, led by chips, cars and ships.",
    ),
    "election.md": ("Vote counted", "The election was held on Sunday and counted overnight."),
    "elections.md": ("Votes ahead", "Two elections are due next year, officials said."),
    "nara.md": (
        "奈良で日韓首脳会談",
        "高市早苗首相は奈良で李在明大統領と会談した。首相はNHKに語った。\n\n"
        "Prime Minister Sanae Takaichi hosted Lee Jae Myung in Nara.",
    ),
    "polish.md": (
        "Warsaw vote",
        "Polish voters backed the plan; officials will polish the details.",
    ),
    "shoes.md": ("Shoe care", "Always polish your shoes before an interview."),
    "beijing.md": ("北京会谈", "习近平主席在北京会见了来访的外国领导人。"),
    # Written with a separate accent (NFD), as some PDFs and macOS file names give it.
    "decomposed.md": (
        "Cafe owners",
        "The cafe\u0301 on the corner belongs to Jose\u0301 Nun\u0303ez.",
    ),
}


@pytest.fixture(scope="module")
def forgiving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArticleIndex]:
    folder = tmp_path_factory.mktemp("forgiving")
    for name, (title, body) in ARTICLES.items():
        article(folder / "lib", name, title, body)
    ix = ArticleIndex.open(folder / "data")
    ix.sync([folder / "lib"], extractor=fake_extract)  # type: ignore[arg-type]
    yield ix
    ix.close()


def found(ix: ArticleIndex, query: str) -> list[str]:
    """The files a query finds, by name, sorted."""
    result = ix.search(query, limit=50)
    assert result.error is None, result.error
    return sorted(Path(hit.path).name for hit in result.hits)


def snippets(ix: ArticleIndex, query: str) -> str:
    """The snippets of every hit, one after another."""
    return "\n".join(hit.snippet.marked("<b>", "</b>") for hit in ix.search(query, limit=50).hits)


@pytest.mark.parametrize(
    ("query", "files"),
    [
        ("Sanchez", ["sanchez.md"]),
        ("sánchez", ["sanchez.md"]),
        ("SANCHEZ budget", ["sanchez.md"]),
        ("Jose Nunez", ["decomposed.md"]),  # separate accents fold too
        ("café", ["decomposed.md"]),
        ("cafe", ["decomposed.md"]),
    ],
)
def test_accents_are_folded(forgiving: ArticleIndex, query: str, files: list[str]) -> None:
    assert found(forgiving, query) == files


def test_a_place_finds_what_names_its_people_but_not_the_other_way(
    forgiving: ArticleIndex,
) -> None:
    assert found(forgiving, "Korea") == ["korea.md", "korean.md"]
    assert found(forgiving, "korea") == ["korea.md", "korean.md"]
    assert found(forgiving, "Korean") == ["korean.md"]
    # Saying the place counts for more than naming its people.
    assert [Path(hit.path).name for hit in forgiving.search("Korea").hits] == [
        "korea.md",
        "korean.md",
    ]
    assert found(forgiving, "Koreans") == ["korean.md"]  # a plural, stemmed as before
    # "Polish" is Poland's, "polish" an everyday word.
    assert found(forgiving, "Poland") == ["polish.md"]
    assert "<b>Polish</b> voters" in snippets(forgiving, "Poland")
    assert "will polish the" in snippets(forgiving, "Poland")


def test_plain_words_are_stemmed(forgiving: ArticleIndex) -> None:
    assert found(forgiving, "elections") == ["election.md", "elections.md"]
    assert found(forgiving, "election") == ["election.md", "elections.md"]
    assert found(forgiving, "Takaichy") == ["nara.md"]  # Porter stems a final y to i


@pytest.mark.parametrize(
    ("query", "files"),
    [
        ('"South Korea"', ["korea.md"]),  # not "South Korean"
        ('"south korean"', ["korean.md"]),
        ('"elections"', ["elections.md"]),  # not stemmed
        ('"the election was"', ["election.md"]),  # small words count in a phrase
        ('"election the"', []),
        ('"Pedro Sanchez"', ["sanchez.md"]),  # but accents still fold
        ('title:"votes ahead"', ["elections.md"]),
    ],
)
def test_quoted_phrases_are_exact_but_for_accents_and_case(
    forgiving: ArticleIndex, query: str, files: list[str]
) -> None:
    assert found(forgiving, query) == files


@pytest.mark.parametrize(
    ("query", "files"),
    [
        ("elections*", ["elections.md"]),  # the word as typed, not its stem "elect"
        ("election*", ["election.md", "elections.md"]),
        ("Sanch*", ["sanchez.md"]),
        ("Sánch*", ["sanchez.md"]),
        ("korea*", ["korea.md", "korean.md"]),  # a prefix of the word "korean" itself
        ("sanchex~", ["sanchez.md"]),
    ],
)
def test_prefixes_match_words_as_written(
    forgiving: ArticleIndex, query: str, files: list[str]
) -> None:
    assert found(forgiving, query) == files


@pytest.mark.parametrize(
    ("query", "files"),
    [
        ("高市", ["nara.md"]),
        ("奈良", ["nara.md"]),
        ("高市早苗", ["nara.md"]),
        ("早苗高市", []),  # the pairs must stand in order
        ("高市 会談", ["nara.md"]),
        ('"高市早苗首相"', ["nara.md"]),
        ("title:首脳会談", ["nara.md"]),
        ("北京", ["beijing.md"]),
        ("习近平", ["beijing.md"]),
        ("奈良 OR 北京", ["beijing.md", "nara.md"]),
        ("Takaichi 奈良", ["nara.md"]),
        ("NHK", ["nara.md"]),  # a word written against CJK text
    ],
)
def test_cjk_text_is_found_by_its_words(
    forgiving: ArticleIndex, query: str, files: list[str]
) -> None:
    assert found(forgiving, query) == files


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("Sanchez", "<b>Sánchez</b>"),
        ("Korea", "South <b>Korean</b> president"),
        ("exports korea", "<b>Exports</b> from South <b>Korea</b> rose"),
        ("Jose", "<b>José</b>"),
        ("高市早苗", "<b>高市早苗</b>首相"),
        ("奈良", "は<b>奈良</b>で"),
        ("nhk", "首相は<b>NHK</b>に語った"),
        ('"高市早苗首相"', "<b>高市早苗首相</b>は"),
        ("Takaichi", "Sanae <b>Takaichi</b> hosted"),
        ("Sanch*", "<b>Sánchez</b>"),
    ],
)
def test_snippets_mark_what_the_query_found(
    forgiving: ArticleIndex, query: str, marked: str
) -> None:
    assert marked in snippets(forgiving, query)


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("高市早苗", ["高市早苗"]),  # as typed, not its pairs
        ("高市早苗 Nara", ["高市早苗", "nara"]),
        ('"South Korea"', ["south korea"]),
        ("Sánchez", ["sánchez"]),
    ],
)
def test_the_views_terms_are_as_typed(
    forgiving: ArticleIndex, query: str, terms: list[str]
) -> None:
    assert forgiving.search(query).terms == terms


def test_a_quoted_phrase_marks_its_words_not_their_other_forms(forgiving: ArticleIndex) -> None:
    marked = snippets(forgiving, '"south korea"')
    assert "<b>South</b> <b>Korea</b> rose" in marked


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        # Not "Takaichy": its stem is takaichi, so it finds the article as it is.
        ("Takaichu", "Takaichi"),
        ("TAKAICHU", "TAKAICHI"),
        ("takaichu", "takaichi"),
        ("Sanchex budget", "Sanchez budget"),
        ("Nara Takaichu", "Nara Takaichi"),
    ],
)
def test_did_you_mean_keeps_the_users_capitals(
    forgiving: ArticleIndex, typed: str, suggested: str
) -> None:
    result = forgiving.search(typed)
    assert result.total == 0
    assert result.suggestion == suggested
    assert forgiving.search(suggested).total > 0


def test_analysis_of_words() -> None:
    def texts(analyzer: object, text: str) -> list[str]:
        return [t.text for t in analyzer(text, mode="index")]  # type: ignore[operator]

    assert texts(stemmed_analyzer(), "Koreans and Straße") == ["korean", "korea", "strass"]
    assert texts(words_analyzer(), "Koreans and Straße") == ["koreans", "and", "strasse"]
    assert texts(words_analyzer(), "習近平は") == ["習近", "近平", "平は"]
    assert texts(words_analyzer(), "G7サミット") == ["g7", "サミ", "ミッ", "ット"]
    assert texts(words_analyzer(), "党") == ["党"]  # a lone character stays itself
    # The query side leaves a demonym as typed.
    assert [t.text for t in stemmed_analyzer()("Korean", mode="query")] == ["korean"]
    assert fold_word("Łódź ØRESUND ＡＢＣ") == "lodz oresund abc"


@pytest.mark.parametrize(
    ("word", "place"),
    [
        ("korean", "korea"),
        ("italians", "italy"),
        ("chinese", "china"),
        ("brazilian", "brazil"),
        ("ukrainian", "ukraine"),
        ("iraqi", "iraq"),
        ("lebanese", "lebanon"),
        ("french", "france"),
        ("texan", "texas"),
        ("nigerian", "nigeria"),  # not Niger
        ("lankan", "lanka"),  # Sri Lanka's last word
        ("Polish", "poland"),
        ("polish", None),
        ("Finn", None),  # more often a name
        ("finns", "finland"),
        ("human", None),
        ("republican", None),  # "Czech Republic" gives no place word "republic"
        ("martini", None),  # nor "Saint Martin" one
        ("korea", None),  # a place is no demonym
        ("seen", None),
    ],
)
def test_demonyms(word: str, place: str | None) -> None:
    assert demonym_place(word) == place


def _index_with_old_analyzers(directory: Path) -> None:
    """An index as the version before this one made it: title and body stemmed by whoosh's own analyzer."""
    schema = build_schema()
    for name in ("title", "body"):
        schema[name].analyzer = StemmingAnalyzer()
        schema[name].format.analyzer = schema[name].analyzer
    directory.mkdir(parents=True)
    whoosh_index.create_in(str(directory), schema, INDEX_NAME)


def test_an_index_made_with_other_analyzers_asks_for_a_rebuild(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _index_with_old_analyzers(data / "index")
    ix = ArticleIndex.open(data)
    with pytest.raises(IndexUnavailable, match="made by another version of Briefing Cards"):
        ix.search("Korea")
    article(tmp_path / "lib", "korean.md", "Summit", "The South Korean president spoke.")
    ix.sync([tmp_path / "lib"], extractor=fake_extract, rebuild=True)  # type: ignore[arg-type]
    assert ix.search("Korea").total == 1
    ix.close()


def test_a_new_analysis_version_asks_for_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ArticleIndex.open(tmp_path / "data").close()
    assert ArticleIndex.open(tmp_path / "data")._problem is None
    monkeypatch.setattr(search.analysis, "ANALYSIS_VERSION", search.analysis.ANALYSIS_VERSION + 1)
    problem = ArticleIndex.open(tmp_path / "data")._problem
    assert problem is not None and "another version" in problem
