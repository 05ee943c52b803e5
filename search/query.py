"""Queries: the user's query language parsed to Whoosh, ranked hits with marked snippets, facets, "did you mean"."""

from __future__ import annotations

import functools
import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import highlight, qparser, query
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, Token
from whoosh.fields import Schema
from whoosh.lang.porter import stem as porter_stem
from whoosh.matching import ListMatcher
from whoosh.searching import Searcher

from search.models import Hit, SearchResult

DEFAULT_FIELDS = ("title", "body")
# Snippets stem every word near a match; news vocabulary repeats, so a cache saves most of the work.
stem = functools.lru_cache(maxsize=50_000)(porter_stem)
# Wildcards and fuzzy terms match unstemmed words: `pres*` is words starting with "pres", not stem "pre".
UNSTEMMED_TWIN = {"title": "title_words", "body": "body_words"}
FACET_FIELDS = {"actor": "facet_actor", "place": "facet_place", "source": "facet_source"}
FACET_TOP = 20
SNIPPET_CHARS = 220
SNIPPET_FRAGMENTS = 2
MAX_HIGHLIGHT_EXPANSIONS = 50
# Longer "words" (pasted URLs, blobs) get no fuzzy matching or spelling suggestion.
MAX_FUZZY_WORD = 40
DATE_HELP = "dates look like date:2015, date:2015-08, date:2015-08-21 or date:[2015-01 to 2016-06]"
WORD = re.compile(r"\w+", re.UNICODE)


class _UnionMatching:
    """Matches a constant-score prefix/wildcard as one sorted list of documents.

    Whoosh ORs a matcher per expanded term, which gets slow when `s*` expands to thousands of words.
    """

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        terms = [t for t in self._btexts(searcher.reader()) if t]  # type: ignore[attr-defined]
        if not self.constantscore or len(terms) < 2:  # type: ignore[attr-defined]
            return super().matcher(searcher, context)  # type: ignore[misc]
        reader = searcher.reader()
        fieldname = self.field()  # type: ignore[attr-defined]
        docs: set[int] = set()
        for term in terms:
            docs.update(reader.postings(fieldname, term).all_ids())
        return ListMatcher(sorted(docs), all_weights=self.boost)  # type: ignore[attr-defined]


class _Prefix(_UnionMatching, query.Prefix):  # type: ignore[misc]
    """A prefix query matched as one document list."""


class _Wildcard(_UnionMatching, query.Wildcard):  # type: ignore[misc]
    """A wildcard query matched as one document list."""


FAST_MULTITERM = {query.Prefix: _Prefix, query.Wildcard: _Wildcard}


class _UnstemmedMultitermParser(qparser.QueryParser):  # type: ignore[misc]
    """Sends prefix*, wild?card and fuzzy~ terms on title/body to the unstemmed twin fields, as typed."""

    def term_query(
        self,
        fieldname: str,
        text: str,
        termclass: type,
        boost: float = 1.0,
        tokenize: bool = True,
        removestops: bool = True,
    ) -> Any:
        if termclass is query.FuzzyTerm and len(text) > MAX_FUZZY_WORD:
            termclass = (
                query.Term
            )  # fuzzy matching is quadratic in word length; no word is this long
        twin = UNSTEMMED_TWIN.get(fieldname)
        if twin and termclass in (query.Prefix, query.Wildcard, query.FuzzyTerm):
            return FAST_MULTITERM.get(termclass, termclass)(twin, text.lower(), boost=boost)
        if termclass in FAST_MULTITERM and fieldname in self.schema:
            return FAST_MULTITERM[termclass](fieldname, text.lower(), boost=boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


def make_parser(schema: Schema) -> qparser.QueryParser:
    """The parser for the query language: AND by default, OR/NOT, "phrases", field:term, date ranges, * and ~."""
    parser = _UnstemmedMultitermParser(None, schema, group=qparser.AndGroup)
    parser.add_plugin(qparser.MultifieldPlugin(list(DEFAULT_FIELDS)))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def run_search(
    searcher: Searcher,
    parser: qparser.QueryParser,
    text: str,
    *,
    limit: int = 20,
    sort: str = "relevance",
    facets: bool = True,
) -> SearchResult:
    """Answer one query; problems with the query come back in SearchResult.error."""
    result = SearchResult(query=text, total=0)
    if not text.strip():
        result.error = "Type some words to search for."
        return result
    try:
        parsed = parser.parse(text)
    except Exception as e:  # whoosh raises bare Exceptions, e.g. for an unparseable date in a range
        result.error = f"Could not understand the query {text!r}: {e}. {_hint(text)}".strip()
        return result
    problem = _query_problem(parsed, text)
    if problem:
        result.error = problem
        return result
    parsed = parsed.accept(_every_document)

    if sort == "date":
        results = searcher.search(parsed, limit=max(limit, 1), sortedby="date", reverse=True)
    else:
        results = searcher.search(parsed, limit=max(limit, 1))
    # The matching set is computed once: facets need it and its size is the total.
    matching = results.docs() if facets else None
    result.total = len(matching) if matching is not None else len(results)
    highlight_terms = _highlight_terms(parsed, searcher)
    result.terms = _plain_terms(text, highlight_terms)
    result.hits = [_hit(hit, highlight_terms) for hit in results[:limit]]
    if matching:
        result.facets = _facet_counts(searcher, matching)
    if result.total == 0:
        result.suggestion = _suggestion(searcher, parsed, text)
    return result


def _every_document(q: query.Query) -> query.Query:
    """A lone `*` means every article: whoosh's per-field Every reads every posting, the plain one does not."""
    if isinstance(q, query.Every) and q.fieldname is not None:
        return query.Every()
    return q


def _query_problem(parsed: query.Query, text: str) -> str | None:
    """A message when the parse lost the query: only operators, stop words or a field it could not read."""
    errors = [getattr(q, "error", None) for q in _all_queries(parsed)]
    errors = [e for e in errors if e]
    if errors and "date:" in text:
        return f"Could not understand the date in {text!r}: {DATE_HELP}."
    if errors:
        return f"Could not understand part of the query {text!r}: {errors[0]}."
    if isinstance(parsed, query.qcore._NullQuery):
        if "date:" in text:
            return f"Could not understand the date in {text!r}: {DATE_HELP}."
        return (
            f"The query {text!r} has no words to search for "
            "(very common words like 'the' and single letters are not indexed)."
        )
    return None


def _hint(text: str) -> str:
    return f"({DATE_HELP})" if "date:" in text else ""


def _all_queries(q: query.Query) -> Iterator[query.Query]:
    yield q
    for child in q.children():
        yield from _all_queries(child)


def _highlight_terms(
    parsed: query.Query, searcher: Searcher
) -> tuple[frozenset[str], frozenset[str]]:
    """(stemmed terms, unstemmed words) the query looks for, with prefix/fuzzy expansions; negated parts left out."""
    stemmed: set[str] = set()
    unstemmed: set[str] = set()
    reader = searcher.reader()

    def visit(q: query.Query) -> None:
        if isinstance(q, query.Not):
            return
        if isinstance(q, query.AndNot):
            visit(q.a)
            return
        if isinstance(q, query.Phrase):
            if q.fieldname in UNSTEMMED_TWIN:
                stemmed.update(q.words)
        elif isinstance(q, query.MultiTerm):
            for fieldname, value in q.expanded_terms(reader):
                if (
                    fieldname in UNSTEMMED_TWIN.values()
                    and len(unstemmed) < MAX_HIGHLIGHT_EXPANSIONS
                ):
                    unstemmed.add(value.decode("utf-8") if isinstance(value, bytes) else str(value))
        elif isinstance(q, query.Term):
            if q.fieldname in UNSTEMMED_TWIN:
                stemmed.add(str(q.text))
        else:
            for child in q.children():
                visit(child)

    visit(parsed)
    return frozenset(stemmed), frozenset(unstemmed)


def _plain_terms(text: str, highlight_terms: tuple[frozenset[str], frozenset[str]]) -> list[str]:
    """Words to highlight in the article view: the words typed that the query looks for, then expansions."""
    stemmed, unstemmed = highlight_terms
    typed = [m.group().lower() for m in WORD.finditer(text)]
    words = [w for w in typed if stem(w) in stemmed or w in unstemmed]
    words.extend(sorted(unstemmed))
    return list(dict.fromkeys(words))


class _MarkMatches(Filter):  # type: ignore[misc]
    """Gives a token its stem when the stem is a query term, so one term set matches stemmed and unstemmed hits."""

    def __init__(self, stemmed: frozenset[str]) -> None:
        self.stemmed = stemmed

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for token in tokens:
            stemmed = stem(token.text)
            if stemmed in self.stemmed:
                token.text = stemmed
            yield token


class _BoldFormatter(highlight.Formatter):  # type: ignore[misc]
    """Marks matches as <b>…</b> and HTML-escapes everything else."""

    between = " … "

    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text: str, token: Token, replace: bool = False) -> str:
        return "<b>" + html.escape(highlight.get_text(text, token, replace), quote=False) + "</b>"


_FORMATTER = _BoldFormatter()
_FRAGMENTER = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)


def snippet(body: str, highlight_terms: tuple[frozenset[str], frozenset[str]]) -> str:
    """Up to two passages of the body around the query's terms; the opening lines when nothing matches."""
    stemmed, unstemmed = highlight_terms
    if stemmed or unstemmed:
        analyzer = RegexTokenizer() | LowercaseFilter() | _MarkMatches(stemmed)
        marked = highlight.highlight(
            body, stemmed | unstemmed, analyzer, _FRAGMENTER, _FORMATTER, top=SNIPPET_FRAGMENTS
        )
        if marked:
            return str(marked).replace("\n", " ")
    opening = " ".join(body[: SNIPPET_CHARS * 2].split())
    if len(opening) > SNIPPET_CHARS:
        opening = opening[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(opening, quote=False)


def _hit(hit: Any, highlight_terms: tuple[frozenset[str], frozenset[str]]) -> Hit:
    stored = hit.fields()
    date = stored.get("date")
    return Hit(
        id=stored["id"],
        title=stored["title"],
        path=stored["path"],
        date=date.date().isoformat() if date is not None else None,
        source=stored.get("source"),
        score=round(float(hit.score or 0.0), 4),
        snippet=snippet(stored.get("body", ""), highlight_terms),
    )


def _facet_counts(searcher: Searcher, docnums: set[int]) -> dict[str, list[tuple[str, int]]]:
    """Counts of actors, places and sources over every matching document, not just the page shown."""
    reader = searcher.reader()
    counts: dict[str, list[tuple[str, int]]] = {}
    for facet, column_name in FACET_FIELDS.items():
        column = reader.column_reader(column_name)
        counter: Counter[str] = Counter()
        for docnum in docnums:
            value = column[docnum]
            if value:
                counter.update(bytes(value).decode("utf-8").split("\x1f"))
        counts[facet] = counter.most_common(FACET_TOP)
    return counts


def _suggestion(searcher: Searcher, parsed: query.Query, text: str) -> str | None:
    """A corrected query string when a close spelling of the words would find something."""
    if any(len(word) > MAX_FUZZY_WORD for word in WORD.findall(text)):
        return None  # a pasted URL or blob: no real word is that long, and correction is quadratic
    correctors = {
        "title": searcher.corrector("title_words"),
        "body": searcher.corrector("body_words"),
        "title_words": searcher.corrector("title_words"),
        "body_words": searcher.corrector("body_words"),
    }
    try:
        corrected = searcher.correct_query(parsed, text, correctors=correctors, maxdist=2)
    except Exception:  # correction is a nicety; a query it cannot handle simply gets no suggestion
        return None
    if corrected.query == parsed or corrected.string.strip() == text.strip():
        return None
    return str(corrected.string)
