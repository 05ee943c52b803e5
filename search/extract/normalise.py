"""Text helpers shared by the extraction rules: words, sentences, headline casing, name clean-up."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from search.models import Actor


@dataclass(frozen=True)
class Word:
    """A word or punctuation mark with its character offsets in the article."""

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
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st mt gen col lt capt sgt gov sen rep jr sr inc corp ltd co vs etc no "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m".split()
)


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of text[start:end], with a trailing full stop split off unless it is an abbreviation's."""
    out: list[Word] = []
    for m in WORD_RE.finditer(text, start, len(text) if end is None else end):
        token = m.group()
        if len(token) > 1 and token.endswith(".") and not is_abbreviation(token):
            out.append(Word(token[:-1], m.start(), m.end() - 1))
            out.append(Word(".", m.end() - 1, m.end()))
        else:
            out.append(Word(token, m.start(), m.end()))
    return out


def is_abbreviation(token: str) -> bool:
    """True for "Mr.", "U.S.", "J." — a full stop that belongs to the word."""
    stem = token.rstrip(".").lower()
    # "4.9m." ends a sentence: a decimal point is no abbreviation's full stop.
    return (
        stem in ABBREVIATIONS
        or (len(stem) == 1 and stem.isalpha())
        or ("." in stem and not any(c.isdigit() for c in stem))
    )


SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets: split at . ! ? before a capital, and at line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.group()[0] == ".":
            before = text[max(0, m.start() - 12) : m.start() + 1].split()
            if before and is_abbreviation(before[-1]) and len(before[-1]) > 2:
                continue
        end = m.end() if m.group()[0] in ".!?" else m.start()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence containing offset (or the nearest one before it)."""
    if not spans:
        return (0, 0)
    i = bisect.bisect_right(spans, offset, key=lambda span: span[0])
    return spans[max(0, i - 1)]


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
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.85


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


APOSTROPHES = "'’"
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


def strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim whitespace and punctuation that the model sometimes includes at a span's edges.

    A span that runs into a bracket ends before it ("British National Party(BNP"), and into a
    dash between spaces too ("Alan Milburn - the man who ...").
    """
    bracket = text.find("(", start + 1, end)
    if bracket > 0:
        end = bracket
    dash = SPACED_DASH_RE.search(text, start + 1, end)
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


def strip_article(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" ("the United States" -> "United States")."""
    m = re.match(r"(?i)the\s+", text[start:end])
    if m and m.end() < end - start:
        return start + m.end(), end
    return start, end


# The label of a picture's credit in a caption ("… Image: NASA.", "Photo: Jane Doe/Reuters"): a name
# never runs into it, and the credit after it names who took or supplied the picture, not an actor.
# Singular only: "Universal Pictures: …" and "Getty Images: …" are names, not labels.
CAPTION_LABEL_RE = re.compile(
    r"\b(?:Image|Photo|Picture|Photograph|Pic|Video|Footage|Illustration|Credit)"
    r"(?:[ \t]+(?:credit|courtesy|source))?[ \t]*:"
)
# A credit ends at its line's end, or at a full stop before a capital on the same line ("Image:
# Getty Images. Joe Biden arrived"), not at an initial's ("Image: Mark J. Smith.").
CAPTION_SENTENCE_END_RE = re.compile(r"(?<!\b[A-Z])\.[ \t]+(?=[A-Z\"“])")
CAPTION_CREDIT_CHARS = 100  # longer, it is prose after a label, not a credit
CAPTION_CREDIT_WORDS = 8
# The small words a credit may hold ("Sarvis for Governor", "Daily et al.", "Museum of London").
CREDIT_SMALL_WORDS = frozenset("for of the and et al de da del van von via by on at in".split())
CREDIT_WORD_RE = re.compile(r"[^\W\d_][\w'’.\-]*")


def _is_credit(words: str) -> bool:
    """A credit names someone: a few words, each capitalised or a small joining word
    ("Twitter / Barack Obama", "NASA Bill Ingalls", "Miharris & Acphillips"); not a caption's
    sentence ("Video: Boris Johnson says he will resign")."""
    found = CREDIT_WORD_RE.findall(words)
    return 0 < len(found) <= CAPTION_CREDIT_WORDS and all(
        w[0].isupper() or w.lower().rstrip(".") in CREDIT_SMALL_WORDS for w in found
    )


def caption_credits(text: str) -> list[tuple[int, int]]:
    """Spans of caption credits, label to end ("Image: Nick Moreau."), in text order.

    A label whose words are not a credit is a span of the label alone: a name still stops there.
    Each search looks at most CAPTION_CREDIT_CHARS past its label, so the whole pass is linear;
    overlapping spans are merged, so the spans are disjoint and sorted (see in_credits).
    """
    spans: list[tuple[int, int]] = []
    for label in CAPTION_LABEL_RE.finditer(text):
        limit = min(len(text), label.end() + CAPTION_CREDIT_CHARS + 1)
        line_end = text.find("\n", label.end(), limit)
        line_end = limit if line_end < 0 else line_end
        sentence_end = CAPTION_SENTENCE_END_RE.search(text, label.end(), line_end)
        end = sentence_end.start() if sentence_end else line_end
        credit = text[label.end() : end]
        if end - label.end() > CAPTION_CREDIT_CHARS or not _is_credit(credit):
            end = label.end()
        if spans and label.start() < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))  # "Image: A Photo: B" is one
        else:
            spans.append((label.start(), end))
    return spans


def in_credits(start: int, credits: list[tuple[int, int]]) -> bool:
    """Whether the offset `start` lies inside one of caption_credits' spans (disjoint, in order)."""
    i = bisect.bisect_right(credits, start, key=lambda span: span[0]) - 1
    return i >= 0 and start < credits[i][1]


def named_outside_credits(actor: Actor, credits: list[tuple[int, int]]) -> bool:
    """False for whoever only a caption's credit names ("Image: Nick Moreau."): the photographer or
    agency that supplied a picture, not an actor of the story."""
    return not actor.mentions or any(not in_credits(m.start, credits) for m in actor.mentions)


def name_key(name: str) -> str:
    """A comparison key: case, full stops, apostrophes and hyphens do not distinguish names."""
    return re.sub(r"[.\s'’\-]+", " ", name.lower().replace(".", "")).strip()
