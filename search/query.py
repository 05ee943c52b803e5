"""Queries: the user's query language parsed to Whoosh, ranked hits with marked snippets, facets, "did you mean"."""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import fnmatch
import functools
import heapq
import itertools
import operator
import pickle
import re
import struct
import unicodedata
import weakref
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from whoosh import collectors, fields, qparser, query, scoring, sorting, spelling
from whoosh.analysis import STOP_WORDS
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.fields import Schema
from whoosh.lang.porter import stem as porter_stem
from whoosh.matching import ListMatcher
from whoosh.qparser import syntax
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long

from search.added import parse_time
from search.analysis import (
    demonym_place,
    demonym_starts,
    fold,
    fold_word,
    has_cjk,
    same_length_folds,
    words_analyzer,
)
from search.duplicates import CopyTable
from search.entities import KIND_SEPARATOR, EntityTable
from search.models import Copy, Extraction, Hit, SearchRequest, SearchResult, Snippet, Span
from search.text import is_caption, sentence_ends, sentence_start

DEFAULT_FIELDS = ("title", "body")
# What reading garbage from the index's files raises (a column or stored field cut or
# overwritten): never the query's fault.
DAMAGE_ERRORS = (OSError, EOFError, UnicodeError, struct.error, pickle.UnpicklingError, zlib.error)
# Snippets stem every word near a match; news vocabulary repeats, so a cache saves most of the work.
stem = functools.lru_cache(maxsize=50_000)(porter_stem)
# Wildcards, fuzzy terms and "phrases" match unstemmed words: `pres*` is words starting with
# "pres", not stem "pre", and "South Korea" in quotes is not "South Korean".
UNSTEMMED_TWIN = {"title": "title_words", "body": "body_words"}
# Fields holding names as lower-cased words: an actor:/place: value is looked for as written.
NAME_FIELDS = frozenset({"actor", "place"})
# Quotes' words and their speakers' names, as written; a speaker is an actor, found as actor:
# finds one (its variants and corrections through speaker_key) and marked through its mentions.
QUOTE_FIELDS = frozenset({"quote", "speaker"})
# Fields holding words as written: their terms are marked as they are, not by stem.
UNSTEMMED_FIELDS = frozenset({*UNSTEMMED_TWIN.values(), *NAME_FIELDS, *QUOTE_FIELDS})
FACET_FIELDS = {"actor": "facet_actor", "place": "facet_place", "source": "facet_source"}
FACET_TOP = 20
FACET_SEPARATOR = "\x1f"  # between the values of one document's facet column (see search.index)
SNIPPET_CHARS = 220
SNIPPET_FRAGMENTS = 2
MAX_HIGHLIGHT_EXPANSIONS = 50
# Longer "words" (pasted URLs, blobs) get no fuzzy matching or spelling suggestion.
MAX_FUZZY_WORD = 40
# "word~9" asks for nine edits: whoosh's Levenshtein automaton grows exponentially with the
# distance (a 20-character word at ~9 took 48 s and 7 GB), and nothing useful is nine edits away.
# Two is the most, as in Lucene.
MAX_EDIT_DISTANCE = 2
SPELLING_LETTERS = "abcdefghijklmnopqrstuvwxyz"
DATE_HELP = "dates look like date:2015, date:2015-08, date:2015-08-21 or date:[2015-01 to 2016-06]"
# The fields a query may name, with an example of each; the schema's other fields are the index's own.
QUERY_FIELDS = {
    "title": "title:summit",
    "body": "body:budget",
    "actor": 'actor:"Lee Jae Myung"',
    "place": "place:Nara",
    "quote": 'quote:"trilateral"',
    "speaker": 'speaker:"Toshimitsu Motegi"',
    "source": "source:wikinews",
    "date": "date:2015",
    "note": "note:urgent",
}
# The field searched in the user's notes, which live in the store, not the index: the parser
# reads `note:` clauses as any other, and `run_search` turns each into the articles it finds.
NOTE_FIELD = "note"
# No article id is this: a note clause that finds nothing (a NullQuery would be dropped by
# whoosh, turning `NOT note:x` into no results instead of every result).
_NO_ARTICLE = "\x00"
# What may follow the colon of a field name: a word, a "phrase", a (group), a [range], * or >.
# Anything else ("Note: …", "http://…", "std::vector") is a colon in ordinary text.
FIELD_VALUE_START = re.compile(r"""[\w"'(\[{*?<>=]""")
FIELD_AND_WORD = re.compile(r"[\w:]+")
# Whoosh parses brackets and ANDNOT/ANDMAYBE/REQUIRE chains recursively: 5,000 of either exhaust
# Python's stack. Nobody nests a real query this deep.
MAX_NESTING = 50
NESTING_OPERATORS = (syntax.AndNotGroup, syntax.AndMaybeGroup, syntax.RequireGroup)
# Whoosh tags a query a character at a time: 100 kB took 2 s before any searching.
MAX_QUERY_CHARS = 4_000
# Each fuzzy word walks the word list at up to two edits: 450 of them took 1.3 s.
MAX_FUZZY_WORDS = 20
SHOWN_QUERY_CHARS = 60
WORD = re.compile(r"\w+", re.UNICODE)
# The query language's operators (upper case only, as whoosh reads them) and field prefixes.
OPERATOR = re.compile(r"\b(?:ANDNOT|ANDMAYBE|AND|OR|NOT)\b")
FIELD_PREFIX = re.compile(r"\b\w+:")
# (stemmed terms, unstemmed words) a query looks for, to mark in snippets.
HighlightTerms = tuple[frozenset[str], frozenset[str]]


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
    """Sends prefix*, wild?card and fuzzy~ terms on title/body to the unstemmed twin fields, as
    typed but for accents and case; a CJK word becomes the phrase of its character pairs."""

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
        if fieldname in self.schema and self.schema[fieldname].self_parsing():
            # The date field reads its own text: 'date:2015*' is the year 2015, 'date:20?5' a message.
            return super().term_query(fieldname, text, query.Term, boost, tokenize, removestops)
        twin = UNSTEMMED_TWIN.get(fieldname)
        if twin and termclass in (query.Prefix, query.Wildcard, query.FuzzyTerm):
            return FAST_MULTITERM.get(termclass, termclass)(twin, fold_word(text), boost=boost)
        if termclass in FAST_MULTITERM and fieldname in self.schema:
            return FAST_MULTITERM[termclass](fieldname, fold_word(text), boost=boost)
        if termclass is query.Term and fieldname in self.schema and has_cjk(text):
            # The pairs of 高市早苗 must stand together, and only a field with positions knows where.
            positional = twin or fieldname
            pairs = list(self.schema[positional].process_text(text, mode="query"))
            if len(pairs) > 1:
                return query.Phrase(positional, pairs, boost=boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


class _ExactPhrasePlugin(qparser.PhrasePlugin):  # type: ignore[misc]
    """ "Phrases" on title/body match the words as written, accents and case aside: on the
    unstemmed twins, with no stemming and no demonyms ("South Korea" is not "South Korean")."""

    class PhraseNode(qparser.PhrasePlugin.PhraseNode):  # type: ignore[misc]
        def query(self, parser: qparser.QueryParser) -> Any:
            twin = UNSTEMMED_TWIN.get(self.fieldname or parser.fieldname)
            if twin is None:
                return super().query(parser)
            node = copy.copy(self)
            node.fieldname = twin
            return qparser.PhrasePlugin.PhraseNode.query(node, parser)

    class PhraseTagger(qparser.PhrasePlugin.PhraseTagger):  # type: ignore[misc]
        def create(self, parser: qparser.QueryParser, match: re.Match[str]) -> Any:
            node = super().create(parser, match)
            return _ExactPhrasePlugin.PhraseNode(node.text, node.textstartchar, node.slop)

    def taggers(self, parser: qparser.QueryParser) -> list[tuple[Any, int]]:
        return [(self.PhraseTagger(self.expr), 0)]


class _CappedFuzzyTermPlugin(qparser.FuzzyTermPlugin):  # type: ignore[misc]
    """fuzzy~ as whoosh reads it (word~, word~2, word~2/3), with the edit distance capped."""

    class FuzzyTermNode(qparser.FuzzyTermPlugin.FuzzyTermNode):  # type: ignore[misc]
        def query(self, parser: qparser.QueryParser) -> Any:
            q = super().query(parser)
            q.maxdist = min(q.maxdist, MAX_EDIT_DISTANCE)
            return q


class QueryError(ValueError):
    """A query the language cannot read; the message names the part, and where it is when known."""


def _at(node: Any) -> str:
    """ "at character N" for a syntax node, counting from 1 as people do."""
    return f"at character {node.startchar + 1}" if node.startchar is not None else "in the query"


class _QueryFieldsPlugin(qparser.FieldsPlugin):  # type: ignore[misc]
    """field:value for the query fields (any case); another name before a colon is an unknown
    field when a value follows it, and text otherwise ("10:30", "Note: …", "http://…")."""

    class FieldnameTagger(qparser.FieldsPlugin.FieldnameTagger):  # type: ignore[misc]
        def create(self, parser: qparser.QueryParser, match: re.Match[str]) -> Any:
            text, start, end = match.string, match.start(), match.end()
            name = match.group("text")
            if start > 0 and WORD.match(text, start - 1):
                return None  # whoosh tries every character: "2x:y" has no field "x"
            if name.lower() == NOTE_FIELD and end < len(text) and text[end].isspace():
                return None  # "Note: Nara" is how text starts a remark, not a note: clause
            if name.lower() in QUERY_FIELDS:
                return syntax.FieldnameNode(name.lower(), match.group(0))
            if name[0].isdigit() or not FIELD_VALUE_START.match(text, end):
                return None
            written = FIELD_AND_WORD.match(text, start)
            quoted = (
                f' (to search for the text, put it in quotes: "{written.group()}")'
                if written and not written.group().endswith(":")
                else ""
            )
            raise QueryError(
                f"unknown field '{name}:' at character {start + 1} — fields are "
                f"{', '.join(QUERY_FIELDS)}{quoted}"
            )


class _QueryChecksPlugin(qparser.Plugin):  # type: ignore[misc]
    """Finds what whoosh would fail on, or silently misread, and raises QueryError naming it."""

    def filters(self, parser: qparser.QueryParser) -> list[tuple[Any, int]]:
        # The token check runs before any of whoosh's filters (the recursive ones among them);
        # the date check after all of them, when each date value knows its field.
        return [(self.check_tokens, -1), (self.check_dates, 1000)]

    def check_tokens(self, parser: qparser.QueryParser, group: Any) -> Any:
        """Brackets nested too deep, two operators in a row, a field with no value, too many
        fuzzy words; drops a stray < or > (whoosh's range filter fails on one that starts a group)."""
        depth = nesting = fuzzy = 0
        previous_operator: Any = None
        kept = group.empty_copy()
        nodes = list(group)
        for i, node in enumerate(nodes):
            if isinstance(node, qparser.GroupPlugin.OpenBracket):
                depth += 1
                if depth > MAX_NESTING:
                    raise QueryError(
                        f"brackets are nested more than {MAX_NESTING} deep {_at(node)}"
                    )
            elif isinstance(node, qparser.GroupPlugin.CloseBracket):
                if depth == 0:
                    continue  # closes nothing: whoosh skips it, so it separates nothing either
                depth -= 1
            elif isinstance(node, syntax.FieldnameNode):
                self._check_field_value(node, nodes[i + 1 : i + 3])
            elif isinstance(node, qparser.FuzzyTermPlugin.FuzzinessNode):
                fuzzy += 1
                if fuzzy > MAX_FUZZY_WORDS:
                    raise QueryError(
                        f"more than {MAX_FUZZY_WORDS} fuzzy words (word~): "
                        f"the one too many is {_at(node)}"
                    )
            elif isinstance(node, qparser.GtLtPlugin.GtLtNode) and not (
                kept and isinstance(kept[-1], syntax.FieldnameNode)
            ):
                continue
            if isinstance(node, syntax.Operator):
                if previous_operator is not None and (
                    previous_operator.grouptype is syntax.NotGroup
                    or node.grouptype is not syntax.NotGroup
                ):
                    why = (
                        "NOT needs a word or a (group) after it to leave out"
                        if previous_operator.grouptype is syntax.NotGroup
                        else "put a word or a (group) between them"
                    )
                    raise QueryError(
                        f"{previous_operator.text} {_at(previous_operator)} is followed by "
                        f"{node.text} {_at(node)} — {why}"
                    )
                if issubclass(node.grouptype, NESTING_OPERATORS):
                    nesting += 1
                    if nesting > MAX_NESTING:
                        raise QueryError(
                            f"more than {MAX_NESTING} ANDNOT, ANDMAYBE or REQUIRE: "
                            f"the one too many is {_at(node)}"
                        )
                previous_operator = node
            elif not node.is_ws():
                previous_operator = None
            kept.append(node)
        # An unclosed bracket closes at the end, as the user typing it means; whoosh would
        # instead spill its contents into the level around it ("NOT (NOT a" became "NOT NOT a").
        end = nodes[-1].endchar if nodes else 0
        for _ in range(depth):
            kept.append(qparser.GroupPlugin.CloseBracket().set_range(end, end))
        return kept

    @staticmethod
    def _check_field_value(node: Any, next_two: list[Any]) -> None:
        """A field name must be followed by its value, with no space after the colon."""
        written = node.original
        value = next_two[0] if next_two else None
        if isinstance(value, qparser.GtLtPlugin.GtLtNode):
            written += value.rel
            value = next_two[1] if len(next_two) > 1 and next_two[1].has_text else None
        if value is None or value.is_ws() or isinstance(value, qparser.GroupPlugin.CloseBracket):
            raise QueryError(
                f"'{written}' {_at(node)} has no value: write it right after the colon, "
                f"as in {QUERY_FIELDS[node.fieldname]}"
            )

    def check_dates(self, parser: qparser.QueryParser, group: Any) -> Any:
        """Every date value must read as a date: whoosh fails on some with a Python message."""
        field = parser.schema["date"]
        stack = [group]
        while stack:
            node = stack.pop()
            if isinstance(node, syntax.GroupNode):
                stack.extend(reversed(node.nodes))  # the leftmost problem first
            elif getattr(node, "fieldname", None) != "date":
                continue
            elif isinstance(node, syntax.RangeNode):
                _check_date_range(parser, field, node)
            elif isinstance(node, qparser.PhrasePlugin.PhraseNode):
                # whoosh would look for the text "2015" in a field of dates: nothing matches
                raise _UnreadableDate(node, None, "is in quotes: write a date without them")
            elif not _reads_as_date(parser, node):
                raise _UnreadableDate(node, None, "is not a date")
        return group


class _UnreadableDate(Exception):
    """A date value whoosh cannot read: where its node is and which end of a range, for
    parse_query to find the value as written (whoosh splits and merges a value's pieces)."""

    def __init__(self, node: Any, end: str | None, problem: str) -> None:
        super().__init__(problem)
        self.startchar: int = node.startchar or 0
        self.endchar: int = node.endchar or self.startchar
        self.end = end
        self.problem = problem

    def message(self, text: str) -> str:
        """The problem with the value as the user wrote it, and where it starts."""
        start = text.find(self.end, self.startchar, self.endchar) if self.end else -1
        if start >= 0 and self.end:
            written = self.end
        else:
            start, written = _written_value(text, self.startchar, self.endchar)
        return f"'{written}' at character {start + 1} {self.problem} — {DATE_HELP}"


def _written_value(text: str, startchar: int, endchar: int) -> tuple[int, str]:
    """The start and text of the whole field value around text[startchar:endchar]."""
    start, end = startchar, endchar
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in ":([{":
        start -= 1
    while end < len(text) and not text[end].isspace() and text[end] not in ")]}":
        end += 1
    return start, text[start:end]


def _reads_as_date(parser: qparser.QueryParser, node: Any) -> bool:
    try:
        q = node.query(parser)
    except Exception:  # whoosh's date parsing raises ValueError, TimeError or a bare Exception
        return False
    return not any(getattr(part, "error", None) for part in _all_queries(q)) if q else True


def _check_date_range(parser: qparser.QueryParser, field: Any, node: Any) -> None:
    if not any(end is not None and end.strip() for end in (node.start, node.end)):
        raise _UnreadableDate(
            node, None, "has no dates: write date:[2015 to 2016], date:[2015 to] or date:[to 2016]"
        )
    for end in (node.start, node.end):
        if (
            end is not None
            and end.strip()
            and getattr(field.parse_query("date", end), "error", None)
        ):
            raise _UnreadableDate(node, end.strip(), "is not a date")
    try:
        node.query(parser)
    except Exception:  # each end reads as a date, but whoosh could not make the range
        raise _UnreadableDate(node, None, "is not a range of dates") from None


def make_parser(schema: Schema) -> qparser.QueryParser:
    """The parser for the query language: AND by default, OR/NOT, "phrases", field:term, date ranges, * and ~."""
    # The parser's schema knows the note field (words as written, accents and case aside), so a
    # note: clause parses like a title: one; the index never holds it.
    parser_schema = schema.copy()
    parser_schema.add(NOTE_FIELD, fields.TEXT(analyzer=words_analyzer()))
    parser = _UnstemmedMultitermParser(None, parser_schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    parser.add_plugin(_QueryFieldsPlugin())
    parser.remove_plugin_class(qparser.PhrasePlugin)
    parser.add_plugin(_ExactPhrasePlugin())
    parser.add_plugin(_QueryChecksPlugin())
    parser.add_plugin(qparser.MultifieldPlugin(list(DEFAULT_FIELDS)))
    parser.add_plugin(_CappedFuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def run_search(
    searcher: Searcher,
    parser: qparser.QueryParser,
    request: SearchRequest,
    *,
    entities: EntityTable | Callable[[], EntityTable] | None = None,
    copies: CopyTable | None = None,
    notes: Callable[[], Mapping[str, str]] | None = None,
) -> SearchResult:
    """Answer one request; problems with its query come back in SearchResult.error.

    `notes` gives article id → note text, asked only when the query has a note: clause.

    Browsing is every article, newest first. With `copies`, the copies of one story are one hit
    (the best ranked), which lists the others.

    Hits `offset` to `offset + limit` are returned, each with its snippet; the total and the
    facets cover every matching document. With `entities`, an actor:/place: term finds every
    variant of the names it matches, and the facets count each entity once, under its shown name.
    """
    text = "" if request.browse else request.query
    sort = "date" if request.browse else request.sort
    result = SearchResult(query=text, total=0, browse=request.browse)
    if request.browse:
        parsed: query.Query = query.Every()
    else:
        try:
            parsed = parse_query(parser, text)
        except QueryError as e:
            result.error = str(e)
            return result
    note_texts = None
    if _has_note_clause(parsed):
        try:
            note_texts = _read_notes(notes, text)
        except _NotesUnreadable as e:
            # The store's fault, not the query's: the CLI exits 1, the window keeps its results.
            result.error, result.unusable = str(e), True
            return result
    try:
        _evaluate(
            searcher,
            parsed,
            text,
            result,
            limit=request.limit,
            sort=sort,
            facets=request.facets,
            offset=request.offset,
            entities=entities,
            copies=copies,
            note_texts=note_texts,
            new_since=request.new_since,
        )
    except DAMAGE_ERRORS:
        raise  # the index's files, not the query: the caller names the index and what to do
    except Exception as e:  # whoosh raises plain Exceptions from deep in a query's matchers
        return SearchResult(
            query=text,
            total=0,
            error=f"Could not run the query {_shown(text)}: {e}. {_hint(text)}".strip(),
            browse=request.browse,
        )
    return result


def field_clause(field: str, value: str) -> str:
    """A query clause that finds the entity named `value` in `field` ("actor", "place",
    "source"): `actor:"Sanae Takaichi"`.

    The query language has no escapes: a double quote in the value would end the phrase, so it
    is a space, as the index's tokenizer reads it in the name itself (O"Brien is the words o and
    brien either way). Backslashes, colons and brackets inside the quotes are only punctuation.
    """
    words = " ".join(value.replace('"', " ").split())
    return f'{field}:"{words}"'


def _evaluate(
    searcher: Searcher,
    parsed: query.Query,
    text: str,
    result: SearchResult,
    *,
    limit: int,
    sort: str,
    facets: bool,
    offset: int,
    entities: EntityTable | Callable[[], EntityTable] | None,
    copies: CopyTable | None = None,
    note_texts: Mapping[str, str] | None = None,
    new_since: str | None = None,
) -> None:
    """Fill `result` with the parsed query's hits, total, facets and suggestion; with
    `new_since`, the articles first added after it first, marked new."""
    offset = max(offset, 0)
    wanted = max(offset + limit, 1)
    if callable(entities):
        # Built only when used (facets, or an actor:/place:/speaker: clause): a one-shot search
        # from the shell otherwise spent most of its time building the whole library's table.
        names = any(
            getattr(child, "fieldname", None) in {*NAME_FIELDS, "speaker"}
            for child in _all_queries(parsed)
        )
        entities = entities() if facets or names else None
    searched = _with_variants(parsed, entities) if entities is not None else parsed
    if note_texts is not None:
        searched = _with_notes(searched, note_texts)
    sortedby = _newest_first(searcher) if sort == "date" else None
    since = parse_time(new_since) if new_since else None
    if since is not None:
        sortedby = sorting.MultiFacet([_added_after_first(since), sortedby or sorting.ScoreFacet()])
    need_matching = facets or bool(copies)
    results, ranked = _ranked(searcher, searched, wanted, sortedby, copies or None, need_matching)
    # The matching set is computed once, in the ranking pass: facets need it, its size is the total.
    matching = results.docs() if need_matching else None
    if matching is not None and copies:
        matching = copies.folded(matching)  # a story's copies count once, in facets too
    result.total = len(matching) if matching is not None else len(results)
    highlight_terms, result.terms, result.entity_terms = _query_terms(parsed, text, searcher)
    result.hits = [_hit(hit, highlight_terms, since) for hit in ranked[offset : offset + limit]]
    if copies:
        for hit, found in zip(result.hits, ranked[offset : offset + limit], strict=True):
            hit.copies = [_copy(searcher, docnum) for docnum in copies.others(found.docnum)]
    if matching and facets:
        result.facets = _facet_counts(searcher, matching, entities)
    if result.total == 0 and text:
        result.suggestion = _suggestion(searcher, parsed, text)


def _ranked(
    searcher: Searcher,
    q: query.Query,
    wanted: int,
    sortedby: sorting.FacetType | None,
    copies: CopyTable | None,
    need_matching: bool = False,
) -> tuple[Any, list[Any]]:
    """The results and their first `wanted` hits in order, a story's copies after its first
    folded away (more are fetched until `wanted` remain, or none are left).

    `need_matching`: the caller will ask `results.docs()`, so every match is collected in the
    ranking pass rather than by running the query a second time.
    """
    # Room for a few folded copies, so the first pass is nearly always enough.
    limit = wanted + wanted // 2 if copies else wanted
    while True:
        if need_matching and sortedby is None and limit < searcher.doc_count():
            collector = _TopAndMatching(limit)
            searcher.search_with_collector(q, collector, _ranking_context(searcher))
            results = collector.results()
        else:
            results = searcher.search(q, limit=limit, sortedby=sortedby)
        if not copies:
            return results, list(results)
        ranked, seen = [], set()
        for hit in results:
            group = copies.group_of(hit.docnum)
            if group is not None:
                if group in seen:
                    continue
                seen.add(group)
            ranked.append(hit)
        if len(ranked) >= wanted or results.scored_length() < limit:
            return results, ranked[:wanted]
        limit *= 2


class _TopAndMatching(collectors.TopCollector):  # type: ignore[misc]
    """The top `limit` hits by score and the set of every matching document, in one pass.

    Whoosh's own top-N collector skips low-scoring blocks, so asking it for every match runs
    the query again; scoring every match once costs less than matching twice. No block
    skipping and no matcher replacement (which drops a union's branch that cannot reach the
    top N): every match must be seen. Hits and their order are the same as whoosh's.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False, replace=0)
        # In matching order: Results.docs() makes the set from it as it did from whoosh's
        # second pass, so the set (and the order facet ties come out in) is the same.
        self.matched: list[int] = []

    def matches(self) -> Iterator[int]:
        matcher = self.matcher
        while matcher.is_active():
            yield matcher.id()
            matcher.next()

    def _collect(self, global_docnum: int, score: float) -> Any:
        # TopCollector._collect, and the document noted as matching.
        self.matched.append(global_docnum)
        items = self.items
        self.total += 1
        if len(items) < self.limit:
            heapq.heappush(items, (score, 0 - global_docnum))
            return 0 - score
        if score > items[0][0]:
            heapq.heapreplace(items, (score, 0 - global_docnum))
            self.minscore = items[0][0]
            return 0 - score
        return 0

    def all_ids(self) -> list[int]:
        return self.matched


class _ListedLengthsBM25F(scoring.BM25F):  # type: ignore[misc]
    """The searcher's BM25F, reading a document's field length from a list kept per segment
    and field rather than from the column file at every document it scores (a seek and a read
    each: the largest cost of scoring every match). Same lengths, so the same scores."""

    def __init__(self, model: scoring.BM25F) -> None:
        super().__init__(B=model.B, K1=model.K1)
        self._field_B = dict(model._field_B)

    def scorer(self, searcher: Searcher, fieldname: str, text: bytes, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf)
        if isinstance(scorer, scoring.WeightLengthScorer):
            lengths = _field_lengths(searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


# A segment's field lengths by field, dropped with the segment's reader.
_lengths: weakref.WeakKeyDictionary[Any, dict[str, list[int | None] | None]] = (
    weakref.WeakKeyDictionary()
)


def _field_lengths(reader: Any, fieldname: str) -> list[int | None] | None:
    """Each document's length of `fieldname` in one segment, as reader.doc_field_length gives
    it, read from the lengths column at once; None when that column cannot be read so."""
    by_field = _lengths.setdefault(reader, {})
    if fieldname in by_field:
        return by_field[fieldname]
    lengths: list[int | None] | None = None
    try:
        perdoc = reader._perdoc
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        count = reader.doc_count_all()
        if column is None:
            lengths = [1] * count  # doc_field_length's default, as the scorer asks it
        elif column._fixedlen == 1:
            raw = column._dbfile.get(column._basepos, column._count)
            table = [None, *(byte_to_length(b) for b in range(1, 256))]
            lengths = [table[b] for b in raw] + [None] * (count - len(raw))
    except (AttributeError, TypeError):  # another codec: the scorer reads the column itself
        lengths = None
    by_field[fieldname] = lengths
    return lengths


def _ranking_context(searcher: Searcher) -> Any:
    """The search context scoring every match with listed field lengths (plain BM25F only)."""
    model = searcher.weighting
    if type(model) is scoring.BM25F:
        return searcher.context(weighting=_ListedLengthsBM25F(model))
    return None


def _copy(searcher: Searcher, docnum: int) -> Copy:
    stored = searcher.stored_fields(docnum)
    return Copy(id=stored["id"], path=stored["path"], source=stored.get("source"))


def _with_variants(q: query.Query, entities: EntityTable) -> query.Query:
    """The query with each actor:/place: word or phrase also matching the canonical keys of the
    entities it names, so a variant, a merged name or a new name finds the same articles."""
    if isinstance(q, query.Term | query.Phrase) and q.fieldname in {*NAME_FIELDS, "speaker"}:
        value = " ".join(q.words) if isinstance(q, query.Phrase) else str(q.text)
        if q.fieldname == "speaker":
            keys = [
                query.Term("speaker_key", key) for _, key in entities.keys_named("actor", value)
            ]
        else:
            nodes = entities.keys_named(q.fieldname, value)
            keys = [query.Term(f"{field}_key", key) for field, key in nodes]
        return query.Or([q, *keys]) if keys else q
    return q.apply(lambda child: _with_variants(child, entities))


def _has_note_clause(q: query.Query) -> bool:
    return any(getattr(child, "fieldname", None) == NOTE_FIELD for child in _all_queries(q))


class _NotesUnreadable(Exception):
    """The notes a note: clause searches cannot be read (the store is unusable): not a bad query."""


def _read_notes(notes: Callable[[], Mapping[str, str]] | None, text: str) -> Mapping[str, str]:
    """The notes a note: clause searches; _NotesUnreadable when they cannot be read."""
    if notes is None:
        raise _NotesUnreadable(f"{_shown(text)} searches your notes, which cannot be read here")
    try:
        return notes()
    except Exception as e:  # the store's own error (StoreError) names the file and the reason
        raise _NotesUnreadable(f"Could not search your notes for {_shown(text)}: {e}") from None


def _with_notes(q: query.Query, note_texts: Mapping[str, str]) -> query.Query:
    """The query with each note: clause replaced by the ids of the articles whose note has it."""
    if getattr(q, "fieldname", None) == NOTE_FIELD:
        analyzer = words_analyzer()
        ids = sorted(
            article_id
            for article_id, note in note_texts.items()
            if _note_has(q, [token.text for token in analyzer(note)])
        )
        terms = [query.Term("id", article_id) for article_id in ids or [_NO_ARTICLE]]
        return terms[0] if len(terms) == 1 else query.Or(terms)
    return q.apply(lambda child: _with_notes(child, note_texts))


def _note_has(q: query.Query, words: list[str]) -> bool:
    """Whether a note whose words (as the words analyzer gives them) are `words` matches `q`."""
    if isinstance(q, query.Phrase):
        wanted = list(q.words)
        return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))
    if isinstance(q, query.FuzzyTerm):  # a Term too: asked first
        return any(_edits(str(q.text), word, q.maxdist) <= q.maxdist for word in words)
    if isinstance(q, query.Wildcard):
        pattern = re.compile(fnmatch.translate(str(q.text)))
        return any(pattern.match(word) for word in words)
    if isinstance(q, query.Prefix):
        return any(word.startswith(str(q.text)) for word in words)
    if isinstance(q, query.Term):
        return str(q.text) in words
    raise QueryError(
        'note: takes words, "phrases", prefix* and fuzzy~ words (not a range), as in note:urgent'
    )


def _edits(a: str, b: str, most: int) -> int:
    """The edit distance of two words, or more than `most` when it is (Levenshtein)."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def _newest_first(searcher: Searcher) -> sorting.FacetType:
    """Dated articles newest first, then undated ones.

    The date column gives an undated article its largest value, so a plain reversed sort would put
    every undated article first.
    """
    missing = searcher.schema["date"].column_type.default_value()

    def key(value: int) -> int:
        return 1 if value == missing else -value

    return sorting.TranslateFacet(key, sorting.FieldFacet("date"))


def _added_after_first(since: dt.datetime) -> sorting.FacetType:
    """Articles first added after `since` before the others (whose order the next facet keeps)."""
    after = datetime_to_long(since)

    def key(value: int) -> int:
        return 0 if value > after else 1

    return sorting.TranslateFacet(key, sorting.FieldFacet("added"))


def count_matching(
    searcher: Searcher,
    parser: qparser.QueryParser,
    text: str,
    *,
    added_after: str | None = None,
    entities: EntityTable | None = None,
    copies: CopyTable | None = None,
    notes: Callable[[], Mapping[str, str]] | None = None,
) -> int:
    """How many articles match the query (copies of one story once), or only those first added
    after `added_after`; raises QueryError for a query it cannot read. `notes` answers a note:
    clause, as in run_search.

    A set of document numbers from the query's matchers, filtered by the `added` field's range:
    no scoring, no stored field read, so a watch list's counts stay cheap on a large library.
    """
    parsed = parse_query(parser, text)
    if entities is not None:
        parsed = _with_variants(parsed, entities)
    if _has_note_clause(parsed):
        parsed = _with_notes(parsed, _read_notes(notes, text))
    if added_after is not None:
        added = query.DateRange("added", parse_time(added_after), None, startexcl=True)
        parsed = query.And([parsed, added])
    try:
        docs = set(searcher.docs_for_query(parsed))
    except DAMAGE_ERRORS:
        raise  # the index's files, not the query: the caller names the index
    except Exception as e:  # whoosh raises plain Exceptions from deep in a query's matchers
        raise QueryError(
            f"Could not run the query {_shown(text)}: {e}. {_hint(text)}".strip()
        ) from None
    return len(copies.folded(docs) if copies else docs)


def parse_query(parser: qparser.QueryParser, text: str) -> query.Query:
    """The query as whoosh will run it; raises QueryError saying what is wrong, and where."""
    if not text.strip():
        raise QueryError("Type some words to search for.")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The query is {len(text):,} characters long; "
            f"a query can be at most {MAX_QUERY_CHARS:,}."
        )
    try:
        parsed = parser.parse(text)
    except QueryError as e:
        raise QueryError(f"Could not understand the query {_shown(text)}: {e}.") from None
    except _UnreadableDate as e:
        raise QueryError(
            f"Could not understand the query {_shown(text)}: {e.message(text)}."
        ) from None
    except Exception:  # whoosh's own failures, in Python's words; the checks leave none we know of
        raise QueryError(
            f"Could not understand the query {_shown(text)}: "
            "check its brackets, quotes, operators and field names."
        ) from None
    problem = _query_problem(parsed, text)
    if problem:
        raise QueryError(problem)
    return parsed.accept(_every_document)


def _shown(text: str) -> str:
    """The query quoted for a message, cut short when it is long."""
    if len(text) > SHOWN_QUERY_CHARS:
        text = text[:SHOWN_QUERY_CHARS] + "…"
    return repr(text)


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
        return f"Could not understand the date in {_shown(text)}: {DATE_HELP}."
    if errors:
        return f"Could not understand part of the query {_shown(text)}: {errors[0]}."
    if isinstance(parsed, query.qcore._NullQuery):
        if "date:" in text:
            return f"Could not understand the date in {_shown(text)}: {DATE_HELP}."
        if WORD.search(FIELD_PREFIX.sub(" ", OPERATOR.sub(" ", text))):
            return (
                f"The query {_shown(text)} has no words to search for "
                "(very common words like 'the' and single letters are not indexed)."
            )
        return f"The query {_shown(text)} has no words to search for: {_structure_problem(text)}."
    return None


def _structure_problem(text: str) -> str:
    """What is wrong with a query made only of operators, brackets and field names."""
    problems = []
    opens, closes = text.count("("), text.count(")")
    if opens != closes:
        problems.append(f"its brackets are unbalanced ({opens} '(' and {closes} ')')")
    elif opens:
        problems.append("its brackets hold no words")
    operators = list(dict.fromkeys(OPERATOR.findall(text)))
    joining = [op for op in operators if op != "NOT"]
    if joining:
        named = " and ".join(joining)
        problems.append(f"{named} {'has' if len(joining) == 1 else 'have'} no words to join")
    if "NOT" in operators:
        problems.append("NOT has no words to leave out")
    fields = list(dict.fromkeys(FIELD_PREFIX.findall(text)))
    if fields:
        problems.append(f"{', '.join(fields)} is followed by no word")
    if not problems:
        problems.append("it holds no letters or digits")
    return "; ".join(problems)


def _hint(text: str) -> str:
    return f"({DATE_HELP})" if "date:" in text else ""


def _all_queries(q: query.Query) -> Iterator[query.Query]:
    yield q
    for child in q.children():
        yield from _all_queries(child)


def _query_terms(
    parsed: query.Query, text: str, searcher: Searcher
) -> tuple[HighlightTerms, list[str], list[tuple[str, str]]]:
    """What the query looks for, negated parts left out: terms to mark in snippets, the view's
    terms, and the (field, value) of its actor:/place: terms.

    The view's terms are the words and phrases as typed (a phrase is one term, a field value such
    as actor:"Sanae Takaichi" is its value), then the words a prefix or fuzzy term expanded to.
    """
    stemmed: set[str] = set()
    unstemmed: set[str] = set()
    typed: list[str] = []
    named: list[tuple[str, str]] = []
    expansions: set[str] = set()
    reader = searcher.reader()

    def as_typed(start: int | None, end: int | None, fallback: str) -> str:
        written = text[start:end] if start is not None and end is not None else ""
        return " ".join((written or fallback).split()).lower()

    def add_typed(fieldname: str, value: str) -> None:
        typed.append(value)
        if fieldname == "speaker":
            fieldname = "actor"  # the speaker's mentions are marked, as an actor's
        if fieldname in NAME_FIELDS and value and (fieldname, value) not in named:
            named.append((fieldname, value))

    def visit(q: query.Query) -> None:
        if isinstance(q, query.Not) or getattr(q, "fieldname", None) == NOTE_FIELD:
            return  # a note's words are not the article's: nothing to mark in it
        if isinstance(q, query.AndNot):
            visit(q.a)
            return
        if isinstance(q, query.Phrase):
            if q.fieldname not in UNSTEMMED_FIELDS:
                return
            marked = list(_marked_words(q.words))
            unstemmed.update(marked)
            # A CJK word's phrase of pairs has no ranges (whoosh drops a phrase's place when it
            # normalizes one): its runs are what was typed.
            ranges = [r for r in q.char_ranges or () if r[0] is not None]
            first, last = (ranges[0][0], ranges[-1][1]) if ranges else (None, None)
            add_typed(q.fieldname, as_typed(first, last, " ".join(marked)))
        elif isinstance(q, query.MultiTerm):
            for fieldname, value in q.expanded_terms(reader):
                if fieldname in UNSTEMMED_FIELDS and len(expansions) < MAX_HIGHLIGHT_EXPANSIONS:
                    expansions.add(
                        value.decode("utf-8") if isinstance(value, bytes) else str(value)
                    )
        elif isinstance(q, query.Term):
            if q.fieldname in UNSTEMMED_TWIN:
                stemmed.add(str(q.text))
            elif q.fieldname in NAME_FIELDS | QUOTE_FIELDS:
                unstemmed.add(str(q.text))
            else:
                return
            add_typed(q.fieldname, as_typed(q.startchar, q.endchar, str(q.text)))
        else:
            for child in q.children():
                visit(child)

    visit(parsed)
    unstemmed |= expansions
    terms = list(dict.fromkeys([*typed, *sorted(expansions)]))
    return (frozenset(stemmed), frozenset(unstemmed)), [t for t in terms if t], named


def _marked_words(words: list[str]) -> Iterator[str]:
    """A phrase's words to mark in snippets: CJK pairs joined back into their run (高市 市早 早苗:
    高市早苗), and not its small words ("Simon and Garfunkel" marks its names, not every "and")."""
    run = ""
    for word in words:
        cjk = has_cjk(word)
        if cjk and run and len(word) == 2 and run[-1] == word[0]:
            run += word[1]
            continue
        if run:
            yield run
        run = word if cjk else ""
        if not cjk and (word not in STOP_WORDS or len(words) == 1):
            yield word
    if run:
        yield run


# Snippets look at the first matches in the body only: enough to pick the two best passages.
SNIPPET_MATCHES = 40
SNIPPET_SURROUND = 60
# A passage starts at its sentence's start when that is at most this far before its first match.
SENTENCE_REACH = 100
# Passages closer than this are shown as one: "A … B" with a word between reads worse than the word.
JOIN_GAP = 40
PARAGRAPH_BREAK = "\n\n"
SPACE = re.compile(r"\s+")
NON_SPACE = re.compile(r"\S+")


@functools.lru_cache(maxsize=256)
def _candidate_words(
    highlight_terms: HighlightTerms,
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Regexes for the words that may match the terms: each stem's word start, verified by
    stemming, and the starts of a place's demonyms ("ital" for itali, Italy's stem); and the CJK
    terms as they are, since nothing marks where a CJK word starts.

    A Porter stem is the start of its word except that a final "i" may be a "y" and a final "e"
    may be missing ("happi" ← happy, "file" ← filing), so the stem's last letter is left out.
    Neither regex holds a class of CJK characters: compiling one takes 10 ms, every query.
    """
    stemmed, unstemmed = highlight_terms
    cjk = {t for t in stemmed | unstemmed if has_cjk(t)}
    starts = {t[:-1] if len(t) > 1 and t[-1] in "ie" else t for t in stemmed - cjk}
    starts |= unstemmed - cjk
    for term in stemmed - cjk:
        starts |= demonym_starts(term)
    starts.discard("")
    words = runs = None
    if starts:
        alternatives = "|".join(re.escape(w) for w in sorted(starts, key=len, reverse=True))
        words = re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)
    if cjk:
        runs = re.compile("|".join(re.escape(t) for t in sorted(cjk, key=len, reverse=True)))
    return words, runs


def _matches(body: str, highlight_terms: HighlightTerms) -> list[tuple[int, int, str]]:
    """(start, end, term) of the first words in `body` that the query's terms match.

    The words are looked for in the body with its accents folded and its CJK characters blanked
    (same length, so at the same offsets; a word next to CJK text starts or ends there), then
    read as the index reads them: "Sánchez" is sanchez, "Korean" also korea.
    """
    words, runs = _candidate_words(highlight_terms)
    if words is None and runs is None:
        return []
    folded, without_cjk = same_length_folds(body)
    found: list[tuple[int, int, str]] = []
    if runs is not None:
        found += itertools.islice(
            ((m.start(), m.end(), m.group()) for m in runs.finditer(folded)), SNIPPET_MATCHES
        )
    if words is not None:
        stemmed, unstemmed = highlight_terms
        in_words = 0
        for match in words.finditer(without_cjk):
            start, end = match.span()
            term = _term_matched(fold(body[start:end]), stemmed, unstemmed)
            if term is not None:
                found.append((start, end, term))
                in_words += 1
                if in_words >= SNIPPET_MATCHES:
                    break
    if runs is not None and words is not None:
        found.sort()
    return found[:SNIPPET_MATCHES]


def _term_matched(written: str, stemmed: frozenset[str], unstemmed: frozenset[str]) -> str | None:
    """The query term a word of the body (accents folded) matches as the index reads it, or None."""
    word = written.lower()
    if word in unstemmed:
        return word
    word_stem: str = stem(word)
    if word_stem in stemmed:
        return word_stem
    place = demonym_place(written)
    place_stem: str | None = stem(place) if place is not None else None
    return place_stem if place_stem in stemmed else None


def _passages(body: str, matches: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The (start, end) of at most two passages around the best groups of matches, in body order.

    Matches in image captions count only when there are no others. Matches are grouped into
    passages of at most SNIPPET_CHARS. A passage's score is its number of matches times its number
    of distinct terms, as whoosh's fragment scorer does, so a passage holding every term wins.
    Passages that overlap or nearly touch are shown as one.
    """
    caption_lines: dict[int, bool] = {}
    outside_captions = [m for m in matches if not _in_caption(body, m[0], caption_lines)]
    groups: list[list[tuple[int, int, str]]] = []
    for match in outside_captions or matches:
        if groups and match[1] - groups[-1][0][0] <= SNIPPET_CHARS - 2 * SNIPPET_SURROUND:
            groups[-1].append(match)
        else:
            groups.append([match])
    ranked = sorted(
        range(len(groups)),
        key=lambda i: (-len(groups[i]) * len({term for _, _, term in groups[i]}), i),
    )
    windows = [_window(body, groups[i]) for i in sorted(ranked[:SNIPPET_FRAGMENTS])]
    merged = [windows[0]]
    for start, end in windows[1:]:
        if start - merged[-1][1] <= JOIN_GAP:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _in_caption(body: str, position: int, known: dict[int, bool]) -> bool:
    """Whether the line holding `position` is an image caption; `known` remembers lines by their end."""
    line_end = body.find("\n", position)
    line_end = len(body) if line_end < 0 else line_end
    caption = known.get(line_end)
    if caption is None:
        caption = is_caption(body, body.rfind("\n", 0, position) + 1, line_end)
        known[line_end] = caption
    return caption


def _window(body: str, matches: list[tuple[int, int, str]]) -> tuple[int, int]:
    """Where a passage starts and ends: at its sentence's start when near, else a word; never past a paragraph."""
    first, last = matches[0][0], matches[-1][1]
    floor = max(0, first - SENTENCE_REACH)
    paragraph_start = body.rfind(PARAGRAPH_BREAK, floor, first)
    if paragraph_start >= 0:
        floor = paragraph_start + len(PARAGRAPH_BREAK)
    start = sentence_start(body, floor, first)
    if start is None and (floor == 0 or body[floor - 1] == "\n"):
        start = floor
    if start is None:
        start = max(floor, first - SNIPPET_SURROUND)
        if start > floor and not body[start - 1].isspace():
            space = SPACE.search(body, start, first)
            start = space.end() if space else start
    ceiling = min(len(body), last + SNIPPET_SURROUND)
    paragraph_end = body.find(PARAGRAPH_BREAK, last, ceiling)
    if paragraph_end >= 0:
        ceiling = paragraph_end
    ends = sentence_ends(body, last, ceiling)
    if ends:
        return start, ends[-1]
    if ceiling < len(body) and not body[ceiling].isspace():
        space_before = body.rfind(" ", last, ceiling)
        return start, ceiling if space_before < 0 else space_before
    return start, ceiling


def _marked(
    body: str, start: int, end: int, matches: list[tuple[int, int, str]]
) -> tuple[str, list[tuple[int, int]]]:
    """body[start:end] and the (start, end) of the matches inside it, counted from `start`."""
    marks: list[tuple[int, int]] = []
    inside = matches[bisect.bisect_left(matches, start, key=lambda m: m[0]) :]
    for match_start, match_end, _term in inside:
        if match_end > end:
            break
        if marks and match_start - start < marks[-1][1]:
            continue  # overlaps the mark before: the text is marked once
        marks.append((match_start - start, match_end - start))
    return body[start:end], marks


def _collapsed(text: str, marks: list[tuple[int, int]]) -> Snippet:
    """`" ".join(text.split())` with the marks moved to where their characters went."""
    runs = list(NON_SPACE.finditer(text))
    written: list[int] = []  # each run's start in the text
    shown: list[int] = []  # and in the collapsed text
    length = 0
    for run in runs:
        written.append(run.start())
        shown.append(length)
        length += run.end() - run.start() + 1

    def where(i: int) -> int:  # a non-space character's offset in the collapsed text
        k = bisect.bisect_right(written, i) - 1
        return shown[k] + i - written[k]

    spans = []
    for start, end in marks:
        first = NON_SPACE.search(text, start, end)
        if first is not None:
            last = start + len(text[start:end].rstrip()) - 1
            spans.append(Span(where(first.start()), where(last) + 1))
    return Snippet(" ".join(run.group() for run in runs), spans)


def snippet(body: str, highlight_terms: HighlightTerms) -> Snippet:
    """Up to two passages of the body around the query's terms, the matching words marked; the
    opening lines when nothing matches."""
    if not body.isascii():
        # As the index reads it: "é" one character, not an "e" and an accent.
        body = unicodedata.normalize("NFC", body)
    matches = _matches(body, highlight_terms)
    if matches:
        text, marks = "", []
        for start, end in _passages(body, matches):
            if text:
                text += " … "
            passage, passage_marks = _marked(body, start, end, matches)
            marks += [(len(text) + s, len(text) + e) for s, e in passage_marks]
            text += passage
        return _collapsed(text, marks)
    lines = body[: SNIPPET_CHARS * 4].splitlines()
    opening = " ".join(" ".join(line for line in lines if not is_caption(line)).split())
    if len(opening) > SNIPPET_CHARS:
        opening = opening[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return Snippet(opening)


def _hit(hit: Any, highlight_terms: HighlightTerms, new_since: dt.datetime | None = None) -> Hit:
    stored = hit.fields()
    date = stored.get("date")
    added = stored.get("added")
    return Hit(
        id=stored["id"],
        title=stored["title"],
        path=stored["path"],
        date=date.date().isoformat() if date is not None else None,
        source=stored.get("source"),
        # Sorted by several keys (new ones first), whoosh gives the keys instead of a score.
        score=round(float(hit.score or 0.0), 4) if not isinstance(hit.score, tuple) else 0.0,
        snippet=snippet(stored.get("body", ""), highlight_terms),
        new=new_since is not None and added is not None and added > new_since,
    )


class _FacetValues:
    """One facet's values per document, decoded once per searcher: the index does not change under it."""

    def __init__(self, searcher: Searcher, column_name: str) -> None:
        reader = searcher.reader()
        self._column = reader.column_reader(column_name)
        self._values: list[tuple[str, ...] | None] = [None] * reader.doc_count_all()

    def of(self, docnum: int) -> tuple[str, ...]:
        values = self._values[docnum]
        if values is None:
            raw = bytes(self._column[docnum]).decode("utf-8")
            values = self._values[docnum] = tuple(raw.split(FACET_SEPARATOR)) if raw else ()
        return values


# A searcher's facet values, dropped with the searcher (a new commit means a new searcher).
_facet_values: weakref.WeakKeyDictionary[Searcher, dict[str, _FacetValues]] = (
    weakref.WeakKeyDictionary()
)


def _facet_counts(
    searcher: Searcher, docnums: set[int], entities: EntityTable | None
) -> dict[str, list[tuple[str, int]]]:
    """Counts of actors, places and sources over every matching document, not just the page shown.

    With `entities`, actors and places are counted as shown: one entity once per document.
    """
    columns = _facet_values.get(searcher)
    if columns is None:
        columns = {f: _FacetValues(searcher, c) for f, c in FACET_FIELDS.items()}
        _facet_values[searcher] = columns
    counts: dict[str, list[tuple[str, int]]] = {}
    for facet, values in columns.items():
        if entities is not None and facet in NAME_FIELDS:
            continue
        if facet == "source":
            counts[facet] = _spread(Counter(map(values.of, docnums))).most_common(FACET_TOP)
            continue
        chained: Iterator[str] = itertools.chain.from_iterable(map(values.of, docnums))
        if facet == "actor":
            chained = (entry.partition(KIND_SEPARATOR)[0] for entry in chained)
        counts[facet] = Counter(chained).most_common(FACET_TOP)
    if entities is not None:
        shown = list(map(entities.document_facets, docnums))
        for position, facet in enumerate(("actor", "place")):
            in_documents = map(operator.itemgetter(position), shown)
            counter = Counter(itertools.chain.from_iterable(in_documents))
            counts[facet] = counter.most_common(FACET_TOP)
    return dict(sorted(counts.items(), key=lambda item: list(FACET_FIELDS).index(item[0])))


def _spread(per_document: Counter[tuple[str, ...]]) -> Counter[str]:
    """Value counts from counts of documents' value tuples: a facet with few distinct tuples
    (sources) is counted per tuple, not per document. Values come first where they came first."""
    counts: Counter[str] = Counter()
    for values, documents in per_document.items():
        for value in values:
            counts[value] += documents
    return counts


class _OneEditCorrector(spelling.Corrector):  # type: ignore[misc]
    """Suggests indexed words one edit away (a letter added, dropped, changed, or two swapped), commonest first.

    Whoosh's own corrector walks the whole word list: 0.2–1 s per word at 2,000 articles. Looking
    up the few hundred one-edit variants of a word takes milliseconds and catches most typos.
    """

    def __init__(self, reader: Any, fieldname: str) -> None:
        self.reader = reader
        self.fieldname = fieldname

    def _suggestions(self, text: str, maxdist: int, prefix: int) -> Iterator[tuple[int, str]]:
        # Only plain words: the variants of a long token ('a*a*a*…') grow with its length squared;
        # a CJK character pair has thousands of one-character neighbours and no typos to fix.
        if len(text) > MAX_FUZZY_WORD or not WORD.fullmatch(text) or has_cjk(text):
            return
        reader, fieldname = self.reader, self.fieldname
        for candidate in _one_edit(text):
            if (fieldname, candidate) in reader:
                yield reader.doc_frequency(fieldname, candidate), candidate


def _one_edit(word: str) -> set[str]:
    """Every string one insertion, deletion, substitution or transposition away from `word`."""
    letters = set(SPELLING_LETTERS) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    edits |= {left + c + right[1:] for left, right in splits if right for c in letters}
    edits |= {left + c + right for left, right in splits for c in letters}
    edits.discard(word)
    return edits


def _suggestion(searcher: Searcher, parsed: query.Query, text: str) -> str | None:
    """A corrected query string when a close spelling of the words would find something."""
    if any(len(word) > MAX_FUZZY_WORD for word in WORD.findall(text)):
        return None  # a pasted URL or blob: no real word is that long
    reader = searcher.reader()
    title, body = _OneEditCorrector(reader, "title_words"), _OneEditCorrector(reader, "body_words")
    correctors = {"title": title, "body": body, "title_words": title, "body_words": body}
    try:
        corrected = searcher.correct_query(parsed, text, correctors=correctors, maxdist=1)
    except Exception:  # correction is a nicety; a query it cannot handle simply gets no suggestion
        return None
    if corrected.query == parsed:
        return None
    suggestion = _respelled(text, corrected.tokens)
    if suggestion is None or suggestion.strip() == text.strip():
        return None
    return suggestion


def _respelled(text: str, tokens: list[Any]) -> str | None:
    """The query with each corrected word replaced, in the capitals the user typed it with
    ("Takaichu": "Takaichi"); None when a correction does not say where its word is."""
    pieces: list[str] = []
    position = 0
    for token in sorted(tokens, key=lambda t: t.startchar or 0):
        if token.startchar is None or token.endchar is None:
            return None
        if token.startchar < position:
            continue  # the same word, corrected in the title and in the body
        pieces += [
            text[position : token.startchar],
            _in_case_of(text[token.startchar : token.endchar], token.text),
        ]
        position = token.endchar
    return "".join([*pieces, text[position:]])


def _in_case_of(typed: str, word: str) -> str:
    """`word` in the capitals of `typed`: all of them ("NASSA": "NASA"), else letter by letter
    from the start ("McDonlad": "McDonald"); the index holds words in lower case."""
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    return "".join(
        c.upper() if i < len(typed) and typed[i].isupper() else c for i, c in enumerate(word)
    )


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _names_it(name: str, value: str) -> bool:
    """Whether a name field would match the value: its words, in order, within the name."""
    name_words, value_words = _words(name), _words(value)
    width = len(value_words)
    return width > 0 and any(
        name_words[start : start + width] == value_words
        for start in range(len(name_words) - width + 1)
    )


def named_mentions(
    entity_terms: list[tuple[str, str]], extraction: Extraction
) -> tuple[list[str], list[Span]]:
    """The names of the article's actors and places that a result's actor:/place: terms
    (`SearchResult.entity_terms`) match, and all their mentions, so the view can mark them."""
    names: list[str] = []
    spans: list[Span] = []
    for field_name, value in entity_terms:
        entities = extraction.actors if field_name == "actor" else extraction.places
        for entity in entities:
            if _names_it(entity.name, value) and entity.name not in names:
                names.append(entity.name)
                spans.extend(entity.mentions)
    return names, spans
