"""The text rules every reader of an article shares: abbreviations, sentence boundaries, caption credits.

Extraction (search/extract), snippets (search/query.py) and cards (search/card.py) all split sentences
and skip picture credits; they do it with these rules, so a text splits the same way in each.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator

# Words whose full stop does not end a sentence: titles before a name, months before a day,
# corporate suffixes, Latin and clock abbreviations, and initialisms ("U.S.", "D.C.", "J."; any
# dotted word or single letter counts, see is_abbreviation).
TITLES = "mr mrs ms dr prof rev st mt gen col lt capt sgt gov sen rep jr sr"
MONTHS = "jan feb mar apr jun jul aug sep sept oct nov dec"
MONTH_NAMES = tuple(
    "january february march april may june july august september october november december".split()
)


def long_date(iso: str | None) -> str:
    """ "2025-03-03" (or a time, "2025-03-03T09:30:00+00:00") as "3 March 2025": the one way
    cards, briefs and entity pages write a date, in English whatever the locale (strftime's %B
    follows it, and the window sets it); "" for none, as written when it cannot be read."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {MONTH_NAMES[day.month - 1].title()} {day.year}"


# A month as news writes it, whole or cut short ("Feb", "Sept."): a pattern to match in full.
MONTH_PATTERN = "|".join(
    [f"{name[:3]}(?:{name[3:]})?" for name in MONTH_NAMES if len(name) > 3] + ["may", "sept"]
)
CORPORATE = "inc corp ltd co"
OTHERS = "vs etc no e.g i.e a.m p.m u.s u.k u.n"
ABBREVIATIONS = frozenset(f"{TITLES} {MONTHS} {CORPORATE} {OTHERS}".split())
# Words that start a sentence even after an abbreviation's full stop: "… in Washington D.C. The
# team …" is two sentences, "U.S. President" and "Mr. Lee" are one.
SENTENCE_OPENERS = frozenset(
    "The A An In On At It He She They We His Her Its Their This That These Those There Then "
    "But However According".split()
)


def is_abbreviation(token: str) -> bool:
    """True for "Mr.", "U.S.", "J." — a full stop that belongs to the word."""
    stem = token.rstrip(".").lower()
    # "4.9m." ends a sentence: a decimal point is no abbreviation's full stop.
    return (
        stem in ABBREVIATIONS
        or (len(stem) == 1 and stem.isalpha())
        or ("." in stem and not any(c.isdigit() for c in stem))
    )


# A sentence ends at . ! or ? (and any closing quotes or brackets) before a capital or a digit,
# and at a line break.
SENTENCE_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n")
_OPENING_MARKS = "\"'“‘(["
# The word after a full stop, past closing and opening quotes and brackets.
_NEXT_WORD = re.compile(r"[\"'”’)\]]*\s+[\"'“‘(\[]?(\w+)")
# How far past a stretch's end a boundary's lookahead may read (the space and capital after it).
_LOOKAHEAD = 40
# How far back the word before a full stop is read (longer words are no abbreviations but URLs).
_WORD_REACH = 20


def ends_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at text[stop] belongs to an abbreviation, so the sentence goes on.

    "Mr. Lee", "U.S. President", "Jan. 5" go on; "… in Washington D.C. The team" ends, because
    "The" opens a sentence. Reads only a few words either side of `stop`.
    """
    before = text[max(0, stop - _WORD_REACH) : stop + 1].split()
    if not before or not is_abbreviation(before[-1].lstrip(_OPENING_MARKS)):
        return False
    after = _NEXT_WORD.match(text, stop + 1, stop + 1 + _WORD_REACH)
    return after is None or after.group(1) not in SENTENCE_OPENERS


def _boundaries(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(where a sentence ends, where the text after it resumes) for each boundary in text[start:end]."""
    for m in SENTENCE_BOUNDARY.finditer(text, start, min(len(text), end + _LOOKAHEAD)):
        if m.end() > end:
            return
        if m.group() == "\n":
            yield m.start(), m.end()
        elif m.group()[0] != "." or not ends_abbreviation(text, m.start()):
            yield m.end(), m.end()


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets, whitespace trimmed: split at . ! ? before a capital (not an
    abbreviation's full stop) and at line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for end, resume in _boundaries(text, 0, len(text)):
        span = _trim(text, start, end)
        if span[0] < span[1]:
            spans.append(span)
        start = resume
    span = _trim(text, start, len(text))
    if span[0] < span[1]:
        spans.append(span)
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


def sentence_start(text: str, floor: int, position: int) -> int | None:
    """The start of the sentence holding `position`, if a boundary shows it at or after `floor`
    (text[floor:position] is all that is read: a snippet's window, not the whole body)."""
    found = None
    for _, resume in _boundaries(text, floor, position + 1):
        found = resume
    if found is None:
        return None
    while found < position and text[found].isspace():
        found += 1
    return found


def sentence_ends(text: str, start: int, end: int) -> list[int]:
    """Where sentences end inside text[start:end] (just past their full stop, or at a line break)."""
    return [sentence_end for sentence_end, _ in _boundaries(text, start, end)]


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
# The longest label CAPTION_LABEL_RE finds ("Photograph courtesy :"), with room to spare.
_CAPTION_LABEL_CHARS = 30
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


def _labelled(text: str, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(label start, label end, credit end) of each caption label in text[start:end]; the credit
    end is the label's end when the words after it are no credit."""
    for label in CAPTION_LABEL_RE.finditer(text, start, end):
        limit = min(end, label.end() + CAPTION_CREDIT_CHARS + 1)
        line_end = text.find("\n", label.end(), limit)
        line_end = limit if line_end < 0 else line_end
        sentence_end = CAPTION_SENTENCE_END_RE.search(text, label.end(), line_end)
        credit_end = sentence_end.start() if sentence_end else line_end
        credit = text[label.end() : credit_end]
        if credit_end - label.end() > CAPTION_CREDIT_CHARS or not _is_credit(credit):
            credit_end = label.end()
        yield label.start(), label.end(), credit_end


def caption_credits(text: str) -> list[tuple[int, int]]:
    """Spans of caption credits, label to end ("Image: Nick Moreau."), in text order.

    A label whose words are not a credit is a span of the label alone: a name still stops there.
    Each search looks at most CAPTION_CREDIT_CHARS past its label, so the whole pass is linear;
    overlapping spans are merged, so the spans are disjoint and sorted (see in_credits).
    """
    spans: list[tuple[int, int]] = []
    for label_start, _, end in _labelled(text, 0, len(text)):
        if spans and label_start < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))  # "Image: A Photo: B" is one
        else:
            spans.append((label_start, end))
    return spans


def in_credits(start: int, credits: list[tuple[int, int]]) -> bool:
    """Whether the offset `start` lies inside one of caption_credits' spans (disjoint, in order)."""
    i = bisect.bisect_right(credits, start, key=lambda span: span[0]) - 1
    return i >= 0 and start < credits[i][1]


def is_caption(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether the line text[start:end] is a picture's caption: a credit ends it ("The far end of
    the floor. Image: Nick Moreau.") or a label opens it ("Video: Boris Johnson says he will
    resign"). Reads only the line's first and last characters, however long the line."""
    end = len(text) if end is None else end
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if CAPTION_LABEL_RE.match(text, start, end):
        return True
    window = max(start, end - CAPTION_CREDIT_CHARS - _CAPTION_LABEL_CHARS)
    if text.find(":", window, end) < 0:
        return False  # most lines: no label, and no regex to run
    return any(
        credit_end == end and credit_end > label_end
        for _, label_end, credit_end in _labelled(text, window, end)
    )
