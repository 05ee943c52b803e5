"""Text helpers for the extraction rules: words, headline casing, name clean-up (sentences and
caption credits are search/text.py's, re-exported here)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

# The shared sentence and caption rules; the extraction rules import them from here.
from search.text import caption_credits as caption_credits
from search.text import in_credits, is_abbreviation
from search.text import sentence_at as sentence_at
from search.text import sentences as sentences

if TYPE_CHECKING:
    from search.models import Actor


class Word(NamedTuple):
    """A word or punctuation mark with its character offsets in the article.

    A named tuple, not a dataclass: the rules make one per word they read, and a tuple is made
    three times faster."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class Entity:
    """A named-entity span from the model (label as spaCy names it), with offsets into the text."""

    label: str
    start: int
    end: int
    text: str


# "220,000" is one word: a label's clause does not start inside a number.
WORD_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\w+(?:[-’'.]\w+)*\.?|[^\w\s]")


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of text[start:end], with a trailing full stop split off unless it is an abbreviation's."""
    out: list[Word] = []
    append = out.append  # the rules call this for every figure's and name's neighbourhood
    for m in WORD_RE.finditer(text, start, len(text) if end is None else end):
        token = m.group()
        w_start, w_end = m.span()
        if token[-1] == "." and len(token) > 1 and not is_abbreviation(token):
            append(Word(token[:-1], w_start, w_end - 1))
            append(Word(".", w_end - 1, w_end))
        else:
            append(Word(token, w_start, w_end))
    return out


def is_word_char(char: str) -> bool:
    """What a pattern's \\w matches: one word character (the empty string past either end is none)."""
    return char.isalnum() or char == "_"


def recase_headlines(text: str) -> str:
    """Recase lines written in capitals (headlines) the way the rest of the text writes each word.

    The model reads "SANAE TAKAICHI MEETS LEE" as a string of acronyms; "Sanae Takaichi meets Lee" it
    can tag. A word takes the casing the article uses for it elsewhere (unknown words go lower case),
    and a word whose case mapping changes its length is left alone, so offsets stay valid.
    """
    lines = text.splitlines(keepends=True)
    caps = [_is_caps_line(line) for line in lines]
    if not any(caps):
        return text
    usage: dict[str, Counter[str]] = {}
    for line, is_caps in zip(lines, caps, strict=True):
        if not is_caps:
            for m in CASED_WORD_RE.finditer(line):
                word = m.group()
                usage.setdefault(word.lower(), Counter())[_casing(word)] += 1
    out: list[str] = []
    for line, is_caps in zip(lines, caps, strict=True):
        out.append(_recase_line(line, usage) if is_caps else line)
    return "".join(out)


CASED_WORD_RE = re.compile(r"[^\W\d_]+")


def _is_caps_line(line: str) -> bool:
    letters = list(filter(str.isalpha, line))  # filter and map: this reads every character
    return len(letters) >= 12 and sum(map(str.isupper, letters)) / len(letters) > 0.85


def _casing(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "upper"
    return "title" if word[0].isupper() else "lower"


def _recase_line(line: str, usage: dict[str, Counter[str]]) -> str:
    chars = list(line)
    for i, m in enumerate(CASED_WORD_RE.finditer(line)):
        word = m.group()
        seen = usage.get(word.lower())
        casing = seen.most_common(1)[0][0] if seen else ("title" if i == 0 else "lower")
        if casing == "upper":
            continue
        recased = word.lower() if casing == "lower" else word[0] + word[1:].lower()
        if i == 0:
            recased = recased[0].upper() + recased[1:]
        if len(recased) == len(word):
            chars[m.start() : m.end()] = recased
    return "".join(chars)


POSSESSIVE_RE = re.compile(r"(?:['’]s|(?<=s)['’])$")
PRONOUNS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them their "
    "theirs this that these those who whom whose which what someone somebody everyone anyone".split()
)


def strip_possessive(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a trailing "'s" / "’s" / "s'" so "North Korea’s" becomes "North Korea"."""
    m = POSSESSIVE_RE.search(text, start, end)
    if m and m.end() == end:
        return start, m.start()
    return start, end


SPACED_DASH_RE = re.compile(r"\s[-–—]\s")


def strip_edges(text: str, start: int, end: int, *, at_dash: bool = True) -> tuple[int, int]:
    """Trim whitespace and punctuation that the model sometimes includes at a span's edges.

    A span that runs into a bracket ends before it ("British National Party(BNP"), and into a
    dash between spaces too ("Alan Milburn - the man who ..."; not with `at_dash` False: a range
    of dates, "March 3 - April 5", is one figure).
    """
    bracket = text.find("(", start + 1, end)
    if bracket > 0:
        end = bracket
    dash = SPACED_DASH_RE.search(text, start + 1, end) if at_dash else None
    if dash:
        end = dash.start()
    while start < end and (text[start].isspace() or text[start] in "\"“”‘'’(),:;-–—"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in '"“”‘(),:;-–—'):
        end -= 1
    return start, end


def cut_at_line_break(text: str, start: int, end: int) -> tuple[int, int]:
    """A name does not run across a line break ("Cyclone Phalin\n\nFile" is "Cyclone Phalin")."""
    newline = text.find("\n", start + 1, end)
    if newline > 0 and text[start:newline].strip():
        return start, newline
    return start, end


LEADING_THE_RE = re.compile(r"(?i)the\s+")


def strip_article(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" ("the United States" -> "United States")."""
    m = LEADING_THE_RE.match(text[start:end])
    if m and m.end() < end - start:
        return start + m.end(), end
    return start, end


def named_outside_credits(actor: Actor, credits: list[tuple[int, int]]) -> bool:
    """False for whoever only a caption's credit names ("Image: Nick Moreau."): the photographer or
    agency that supplied a picture, not an actor of the story."""
    return not actor.mentions or any(not in_credits(m.start, credits) for m in actor.mentions)


@lru_cache(maxsize=8192)  # called for every mention, mostly on names it has just keyed
def name_key(name: str) -> str:
    """A comparison key: case, full stops, apostrophes and hyphens do not distinguish names."""
    return NAME_KEY_SEPARATORS_RE.sub(" ", name.lower().replace(".", "")).strip()


def name_keys(names: list[str]) -> list[str]:
    """name_key of each name, in one pass over them all (a list of 100,000 takes a tenth of the time)."""
    if not names or any("\x00" in name for name in names):
        return [name_key(name) for name in names]
    # NUL is neither a separator nor cased, so each name's key comes out as name_key makes it.
    joined = NAME_KEY_SEPARATORS_RE.sub(" ", "\x00".join(names).lower().replace(".", ""))
    return [key.strip() for key in joined.split("\x00")]


NAME_KEY_SEPARATORS_RE = re.compile(r"[.\s'’\-]+")
