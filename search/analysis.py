"""How the index reads text: words and CJK character pairs, accents folded, a demonym's place beside it, stems."""

from __future__ import annotations

import functools
import gzip
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    Analyzer,
    Filter,
    LowercaseFilter,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.lang.porter import stem

# The classes below are pickled by name into every index's schema: renaming or moving one makes
# older indexes unreadable. Bump this when what they produce changes (their rules, the demonym
# table, the gazetteer's countries): an index then says it was made by another version
# (search.index_dir compares the stored analyzers with build_schema's) instead of silently missing.
ANALYSIS_VERSION = 1

# Scripts written without spaces between words: Han (with 々〆〇), kana and Hangul. A run of them
# is indexed as its overlapping pairs of characters (高市早苗: 高市 市早 早苗), as Lucene's CJK
# analyzer does, so any word of two or more characters is found as a phrase of its pairs.
CJK = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c"
    "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3131-\u318e\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f"
)
CJK_CHAR = re.compile(f"[{CJK}]")
CJK_RUN = re.compile(f"[{CJK}]+")
# A word as whoosh's default tokenizer reads one ("U.S", "covid19"); in text with CJK, a word
# never holds CJK, and a CJK run is one match.
WORD = re.compile(r"\w+(?:\.?\w+)*")
TOKEN = re.compile(rf"(?P<cjk>[{CJK}]+)|[^\W{CJK}]+(?:\.?[^\W{CJK}]+)*")

# Letters with no decomposition to fold by; ß, æ and œ as people type them without the letter.
EXTRA_FOLDS = {
    "ß": "ss",
    "ẞ": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "þ": "th",
    "Þ": "TH",
    "ħ": "h",
    "Ħ": "H",
    "ı": "i",
    "ŧ": "t",
    "Ŧ": "T",
}
# Latin letters with marks, ligatures and full-width forms: where accents fold to plain letters.
FOLDED_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF), (0xFB00, 0xFB06), (0xFF01, 0xFF5E))


def _fold_table() -> dict[int, str]:
    """Each Latin letter with marks to its letters without them (é→e, ǆ→dz, Ａ→A).

    Not whoosh's accent_map: it maps combining marks to letters (U+0303 to "p", U+0308 to "t"), so
    text written with separate accents ("n" + U+0303) came out wrong.
    """
    table: dict[int, str] = {}
    for low, high in FOLDED_RANGES:
        for code in range(low, high + 1):
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)
            )
            if plain and plain.isascii() and plain != chr(code):
                table[code] = plain
    table.update((ord(letter), plain) for letter, plain in EXTRA_FOLDS.items())
    return table


FOLDS = _fold_table()
# The folds that keep a text's length, so a snippet can find words in the folded body by offset.
SAME_LENGTH_FOLDS = {code: plain for code, plain in FOLDS.items() if len(plain) == 1}
FOLDABLE = re.compile(f"[{''.join(map(chr, sorted(FOLDS)))}]")
FOLDABLE_OR_CJK = re.compile(f"[{''.join(map(chr, sorted(FOLDS)))}{CJK}]")


def fold(text: str) -> str:
    """`text` with accents folded ("Sánchez" → "Sanchez"); composed first, so separate marks fold too."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text).translate(FOLDS)


def fold_word(text: str) -> str:
    """A word as the index holds it before stemming: accents folded, lower case."""
    return fold(text).lower()


def has_cjk(text: str) -> bool:
    return not text.isascii() and CJK_CHAR.search(text) is not None


def same_length_folds(text: str) -> tuple[str, str]:
    """`text` with its accents folded letter for letter (é→e; ß stays ß), and that with each CJK
    character a space, both as long as `text`: a snippet finds CJK terms in the first and other
    words in the second, where \\b and \\w see no CJK, then marks them at the same offsets."""
    if text.isascii() or FOLDABLE_OR_CJK.search(text) is None:
        return text, text  # most bodies: their only non-ASCII characters are quotes and signs
    folded = FOLDABLE.sub(lambda letter: SAME_LENGTH_FOLDS.get(ord(letter[0]), letter[0]), text)
    return folded, CJK_RUN.sub(lambda run: " " * len(run[0]), folded)


class WordsAndPairsTokenizer(Tokenizer):  # type: ignore[misc]
    """Words as whoosh's default tokenizer reads them; a run of CJK characters as its overlapping
    pairs, one position each (a lone character stays one token)."""

    def __init__(self) -> None:
        # In the pickled schema: an index made with other rules then compares unequal.
        self.version = ANALYSIS_VERSION

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.__dict__ == other.__dict__

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost = 1.0
        token.stopped = False
        if not value.isascii():
            # Offsets then count composed characters; the snippets find words themselves.
            value = unicodedata.normalize("NFC", value)
        if not tokenize:
            pieces: Iterator[tuple[str, int]] = iter(((value, 0),))
        elif value.isascii() or CJK_CHAR.search(value) is None:
            pieces = ((match.group(), match.start()) for match in WORD.finditer(value))
        else:
            pieces = self._pieces(value)
        # As whoosh's RegexTokenizer, one token object for all: each is read before the next.
        position = start_pos
        for text, offset in pieces:
            token.text = text
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = position
                position += 1
            if chars:
                token.startchar = start_char + offset
                token.endchar = start_char + offset + len(text)
            yield token

    @staticmethod
    def _pieces(value: str) -> Iterator[tuple[str, int]]:
        for match in TOKEN.finditer(value):
            text = match.group()
            if match.lastgroup != "cjk" or len(text) < 3:
                yield text, match.start()
            else:
                start = match.start()
                for i in range(len(text) - 1):
                    yield text[i : i + 2], start + i


class AccentFoldFilter(Filter):  # type: ignore[misc]
    """Folds accents (see `fold`): "Sanchez" finds "Sánchez", and "Sánchez" finds "Sanchez"."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.text.isascii():
                token.text = token.text.translate(FOLDS)
            yield token


# What a demonym adds to its place's weight in an article, beside 1 for the place's own name.
DEMONYM_WEIGHT = 0.5


class DemonymFilter(Filter):  # type: ignore[misc]
    """Indexes a demonym's place beside it ("Korean" also as korea), so searching for a place finds
    what only names its people; a query's words are left as typed, so "Korean" does not find every
    article about Korea. It reads words before they are lower-cased ("Polish", not "polish").

    The place counts for less than the place named (DEMONYM_WEIGHT): "Britain" ranks the articles
    that say Britain above those that only say "British".
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            place = None if token.mode == "query" else demonym_place(token.text)
            yield token
            if place is not None:
                # The same token object again: whoosh's filters reuse one, and the ones after this
                # have read the demonym by now. The stop filter's renumbering would give the place
                # the next position, but the stemmed fields keep no positions (phrases use the twins).
                boost = token.boost
                token.text, token.boost = place, boost * DEMONYM_WEIGHT
                yield token
                token.boost = boost


# A demonym is the place word with its ending changed, tried in this order: korean → korea,
# chilean → chile, brazilian → brazil, canadian → canada, italian → italy, ukrainian → ukraine,
# belgian → belgium, mexican → mexico, texan → texas, japanese → japan, chinese → china,
# lebanese → lebanon, iraqi → iraq, somali → somalia. A word counts only when what it gives is
# one of the gazetteer's countries, states, regions or continents.
DEMONYM_ENDINGS = (
    ("n", ""),
    ("an", ""),
    ("ian", ""),
    ("ian", "a"),
    ("ian", "y"),
    ("ian", "e"),
    ("ian", "ium"),
    ("an", "o"),
    ("an", "as"),
    ("ese", ""),
    ("ese", "a"),
    ("ese", "on"),
    ("i", ""),
    ("i", "ia"),
)
# Demonyms no ending rule reaches (folded, lower case).
IRREGULAR_DEMONYMS = {
    "afghan": "afghanistan",
    "azeri": "azerbaijan",
    "bahamian": "bahamas",
    "barbadian": "barbados",
    "british": "britain",
    "briton": "britain",
    "congolese": "congo",
    "croat": "croatia",
    "cypriot": "cyprus",
    "dane": "denmark",
    "danish": "denmark",
    "dutch": "netherlands",
    "emirati": "emirates",
    "english": "england",
    "filipina": "philippines",
    "filipino": "philippines",
    "finns": "finland",  # not "Finn", more often a name
    "finnish": "finland",
    "french": "france",
    "german": "germany",
    "ghanaian": "ghana",
    "greek": "greece",
    "icelandic": "iceland",
    "irish": "ireland",
    "kazakh": "kazakhstan",
    "kyrgyz": "kyrgyzstan",
    "laotian": "laos",
    "malagasy": "madagascar",
    "maldivian": "maldives",
    "mauritian": "mauritius",
    "monegasque": "monaco",
    "montenegrin": "montenegro",
    "mozambican": "mozambique",
    "nigerien": "niger",
    "norwegian": "norway",
    "panamanian": "panama",
    "peruvian": "peru",
    "polish": "poland",
    "portuguese": "portugal",
    "scot": "scotland",
    "scottish": "scotland",
    "serb": "serbia",
    "slovak": "slovakia",
    "slovene": "slovenia",
    "spaniard": "spain",
    "spanish": "spain",
    "swede": "sweden",
    "swedish": "sweden",
    "swiss": "switzerland",
    "tajik": "tajikistan",
    "thai": "thailand",
    "togolese": "togo",
    "turk": "turkey",
    "turkish": "turkey",
    "turkmen": "turkmenistan",
    "uzbek": "uzbekistan",
    "welsh": "wales",
}
# The gazetteer's kind column for places people are named after; its other rows are cities.
PLACE_KIND = re.compile(r"\t(?:country|state|region|continent)\t")
# Last words of places named in several that are ordinary words or name no people of their own
# ("Czech Republic", "Isle of Man"); "Saint Martin" and the like are left out too ("martini").
GENERIC_PLACE_WORDS = frozenset(
    "republic islands island states territory territories coast city kingdom federation strip "
    "bank isle man".split()
)
SAINT_WORDS = frozenset({"saint", "sint", "san", "st"})


@functools.cache
def place_words() -> frozenset[str]:
    """The one-word names of countries, states, regions and continents, and the last words of
    longer ones (South Korea: korea), folded and lower case, read from the gazetteer once."""
    from search.config import RESOURCES_DIR

    # search.extract.places reads the same file, every row; this needs 375 of its 125,000 (45 ms).
    text = gzip.decompress((RESOURCES_DIR / "gazetteer.tsv.gz").read_bytes()).decode("utf-8")
    words: set[str] = set()
    for match in PLACE_KIND.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        parts = fold_word(text[line_start : text.index("\t", line_start)]).split()
        if len(parts) > 1 and (parts[0] in SAINT_WORDS or parts[-1] in GENERIC_PLACE_WORDS):
            continue
        if len(parts[-1]) >= 4 and parts[-1].isalpha():
            words.add(parts[-1])
    return frozenset(words)


# Demonyms that are also everyday words, which only their capital tells apart ("polish the brass").
CAPITALISED_DEMONYMS = frozenset({"polish"})


@functools.lru_cache(maxsize=200_000)
def demonym_place(word: str) -> str | None:
    """The place a word (accents folded) names the people of ("Koreans" → "korea"), or None.

    Cached as written: the index asks for every word it reads.
    """
    lower = word.lower()
    if len(lower) < 4 or not lower.isascii() or not lower.isalpha():
        return None
    if lower in CAPITALISED_DEMONYMS and not word[:1].isupper():
        return None
    place = _demonym_place(lower)
    if place is None and lower.endswith("s") and not lower.endswith("ss"):
        place = _demonym_place(lower[:-1])
    return place


def _demonym_place(word: str) -> str | None:
    irregular = IRREGULAR_DEMONYMS.get(word)
    if irregular is not None:
        return irregular
    places = place_words()
    if word in places:
        return None
    for ending, replacement in DEMONYM_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            base = word[: -len(ending)] + replacement
            if base in places:
                return base
    return None


@functools.cache
def _places_by_stem() -> dict[str, tuple[str, ...]]:
    by_stem: dict[str, list[str]] = {}
    for place in sorted(place_words() | set(IRREGULAR_DEMONYMS.values())):
        by_stem.setdefault(stem(place), []).append(place)
    return {key: tuple(places) for key, places in by_stem.items()}


@functools.lru_cache(maxsize=4096)
def demonym_starts(stemmed: str) -> frozenset[str]:
    """How the demonyms of the place with this stem start, for a snippet to look for them
    ("itali": "ital", which "italian" starts with); empty when the stem is no place's."""
    starts: set[str] = set()
    for place in _places_by_stem().get(stemmed, ()):
        for _ending, replacement in DEMONYM_ENDINGS:
            if place.endswith(replacement):
                starts.add(place[: len(place) - len(replacement)])
        starts.update(d for d, p in IRREGULAR_DEMONYMS.items() if p == place)
    return frozenset(s for s in starts if len(s) >= 3)


def words_analyzer() -> Analyzer:
    """Words as written, accents and case aside: exact phrases, prefixes, names."""
    return WordsAndPairsTokenizer() | AccentFoldFilter() | LowercaseFilter()


def stemmed_analyzer() -> Analyzer:
    """Plain words forgiven: accents folded, demonyms beside their places, stop words out, stemmed."""
    return (
        WordsAndPairsTokenizer()
        | AccentFoldFilter()
        | DemonymFilter()
        | LowercaseFilter()
        | StopFilter()
        | StemFilter()
    )
