"""Key figures: numbers, money, percentages, dates and durations, each labelled with what it counts, and ranked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from search.extract.labels import (
    APPROXIMATORS,
    CHANGE_VERBS,
    EVENT_NOUNS,
    VALUE_VERBS,
    parse_label,
)
from search.extract.normalise import Entity, Word, sentence_at, strip_edges, words
from search.extract.scores import find_scores
from search.models import Figure
from search.text import MONTH_PATTERN

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Parses sentences (None when no parser is at hand): figure labels come from the parse.
SentenceParser = Callable[[list[str]], "list[Doc] | None"]
# Only the best-ranked figures are shown (panel, card): only their sentences are parsed.
PARSED_FIGURES = 6
# A sentence longer than this keeps its word-window labels (parsing it costs more than it gives).
MAX_PARSED_SENTENCE = 600
WEAK_LABEL_WORDS = 2
# The parse labels the level a change started from "previous ..." ("rose to 5% from 4%"): it
# ranks below the level reached.
PREVIOUS_LEVEL = "previous "
PREVIOUS_LEVEL_PENALTY = 15
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})

FIGURE_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "ORDINAL"})
KIND_OF_LABEL = {
    "CARDINAL": "count",
    "MONEY": "money",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "ORDINAL": "ordinal",
    "TIME": "time",
}
CURRENCY_SYMBOLS = "£$€¥"
# A money figure names its currency; the model also calls ranks ("#2") and "10 per cent" money.
CURRENCY_RE = re.compile(
    r"[£$€¥₹₩₽₺₦]|\d(?:p|c)\b|\b(?:dollars?|pounds?|sterling|quid|euros?|yen|yuan|renminbi|"
    r"rupees?|rs|rupiah|won|pesos?|reais|real|francs?|marks?|roubles?|rubles?|rand|naira|cedis?|"
    r"shillings?|dinars?|dirhams?|riyals?|rials?|lira|lire|kronor|krona|kroner|krone|zloty|baht|"
    r"ringgit|dong|taka|birr|kwacha|hryvnia|tenge|shekels?|forint|koruna|leva?|lei|leu|manats?|"
    r"afghanis?|kyat|guilders?|pesetas?|escudos?|drachmas?|pence|penny|cents?|centimes?|bucks|"
    r"bitcoins?|usd|eur|gbp|jpy|cny|rmb|inr|aud|cad|chf|hkd|sgd|nzd|dlrs|stg|cts)\b",
    re.I,
)
PERCENT_RE = re.compile(r"%|\bper\s*cent\b|\bpct\b|\bpercentage points?\b", re.I)
# A unit the model leaves out of a number ("41 pct", "950 mln dlrs", "2.5 billion stg").
UNIT_TAIL_RE = re.compile(
    r"(?:\s+(?:mln|bln|billion|million|trillion))?"
    r"\s+(?:pct|percent|per\s+cent|percentage\s+points?|dlrs?|dollars|euros|pounds|stg|cts|"
    r"yen|yuan|rupees|roubles|rubles|marks|francs|lire|guilders|tonnes|tons|barrels|ounces|"
    r"bpd)\b"
    r"|\s+(?:mln|bln)\b"
    r"|\s+(?:on\s+the\s+)?Richter(?:\s+scale)?\b"  # "6.9 on the Richter scale"
    r"|\s+an?\s+percentage\s+point\b",  # "half a percentage point"
    re.I,
)
# "rose by 48,000 to 2.31 million": a change and a level, which the model reads as one range.
CHANGE_THEN_LEVEL_RE = re.compile(
    r"\b(?:rose|fell|gained|lost|increased|decreased|jumped|dropped|climbed|declined|"
    r"grew|slipped|rising|falling|up|down)\s+(?:by\s+)?$",
    re.I,
)
# A word of the calendar, matched whole ("Mar", "March", "Monday", "Christmas"; not "Mark").
CALENDAR_WORD_RE = re.compile(
    rf"(?:{MONTH_PATTERN}|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|christmas|easter|new|year|eve|day|ad|bc|ce)\.?",
    re.I,
)
# A month right before a number: "BRASILIA, Feb 20 -", "on March 3".
MONTH_BEFORE_RE = re.compile(rf"\b(?=[A-Z])(?i:{MONTH_PATTERN})\.?\s+$")
SECOND_DAY_BEFORE_RE = re.compile(
    rf"\b(?=[A-Z])(?i:{MONTH_PATTERN})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\s*(?:and|or|to|-|–)\s*$"
)
DAY_OF_MONTH_RE = re.compile(r"(?:[1-9]|[12]\d|3[01])")
# A capitalised word right before a number, and one right after ("Against 20 Emcees").
TITLE_WORD_BEFORE_RE = re.compile(r"\b([A-Z][a-z]+) $")
TITLE_WORD_AFTER_RE = re.compile(r" [A-Z][a-z]+\b")
AGE_COMMA_BEFORE_RE = re.compile(r"[a-z], $")
# "never in a million years": no duration at all.
IDIOM_DURATION_RE = re.compile(r"^(?:a|one)\s+(?:hundred|thousand|million|billion)\s+years$", re.I)
# "the 11 September attacks", "the 7 July bombings": a date that names an event of the past.
EVENT_AFTER_DATE_RE = re.compile(r"\s+(?:attacks?|bombings?|atrocit(?:y|ies))\b", re.I)
# A number with a scale written on it ("1.4bn", "11bn", "£5m" without its sign): an amount.
SCALED_NUMBER_RE = re.compile(r"\d[\d,.]*\s?(?:bn|mn|m|tn|billion|million|trillion)", re.I)
# An amount with its currency the model may miss: "14.96bn euros", "€35.8bn", "$1.2 billion".
UNTAGGED_AMOUNT_RE = re.compile(
    r"(?<![\w.,])(?:[£$€¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:bn|mn|m|tn|billion|million|trillion)\b)?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:bn|mn|m|tn|billion|million|trillion)\s+"
    r"(?:euros|dollars|pounds|dlrs|yen|yuan|rupees|francs|marks)\b)"
)
RICHTER_RE = re.compile(r"\bRichter\b", re.I)
# "by half a percentage point to 3.0 pct": a change in points, then the level it reached.
POINTS_CHANGE_RE = re.compile(r"\b(?:percentage\s+)?points?\s*$", re.I)
RANGE_TO_RE = re.compile(r"\s+to\s+(?=[$£€¥]?\d)")
# A year-like number before a plural noun is a count ("a survey of 1709 schoolchildren"), unless
# a determiner or a preposition of time makes it a year ("the 2016 elections", "in 2016 sales rose").
YEAR_BEFORE_WORDS = frozenset(
    """the this that its their his her our your my in since by until till from during before after
    through to and or between early mid late end""".split()
)
# Nouns a year qualifies rather than counts ("10% of 2000 levels", "in 1990 dollars").
YEAR_QUALIFIED_NOUNS = frozenset(
    """levels prices figures rates values terms dollars pounds euros standards numbers elections
    polls games olympics results accounts budgets estimates statistics forecasts""".split()
)
IRREGULAR_PLURALS = ("people", "children", "men", "police", "staff", "personnel", "cattle", "sheep")
CURRENCY_PREFIX_RE = re.compile(r"(?<![A-Za-z])(?:US|A|C|NZ|HK|S)$")
MAGNITUDE_RE = re.compile(r"(?:m|bn|tn|k|p)\b")
SENTENCE_STOP_RE = re.compile(r"[.!?]\s+(?=[A-Z])")
DASH_BEFORE_NAME_RE = re.compile(r"\s+[-–—]\s+(?=[A-Z])")
YEAR_RE = re.compile(r"^(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(1[5-9]\d\d|20\d\d)s?$", re.I)
RANGE_TAIL_RE = re.compile(r"\s*[-–—]\s*(1[5-9]\d\d|20\d\d|\d\d)\b")
YEAR_RANGE_RE = re.compile(
    r"^(?:from\s+)?(1[5-9]\d\d|20\d\d)\s*(?:[-–—]|to|until)\s*(1[5-9]\d\d|20\d\d|\d\d)$"
)
DURATION_RE = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"several|few|many|\w+teen|\w+ty|a|an)[\s-]+(?:\w+\s+)?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centuries|century)\b",
    re.I,
)
SMALL_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "a": 1, "an": 1, "both": 2, "dozen": 12,
}  # fmt: skip
ORDINAL_WORDS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth last".split()
)
# Words a label never runs through: verbs and conjunctions end the phrase that says what is counted.
STOP_WORDS = frozenset(
    """and or but nor to that which who whom whose where when while as because if than so
    is are was were be been being am has have had having will would can could may might must shall
    should do does did not said says say told according also only just about nearly almost around
    roughly approximately some more less over under up down out off since ago this these those it
    its they their them he she his her we our you your i""".split()
)
PREPOSITIONS = frozenset(
    "of in within on at for from between among against with during across into under by after "
    "before until near per".split()
)
DETERMINERS = frozenset("the a an".split())
LINK_WORDS = frozenset("despite including excluding according although though while".split())
AUXILIARIES = frozenset("is are was were been be have has had being".split())
# Words that mark a count as people hurt or lost: such counts lead the list.
CASUALTY_WORDS = frozenset(
    """killed kill kills dead died die dies death deaths injured injuries wounded hurt missing
    victims casualties fatalities displaced evacuated arrested detained hostages refugees homeless
    rescued survivors executed murdered slain drowned""".split()
)
MAX_LABEL_WORDS = 10
CASUALTY_VERB_FORMS = {
    "killing": "killed", "kills": "killed", "kill": "killed", "injuring": "injured",
    "wounding": "wounded", "leaving": "left", "left": "left",
}  # fmt: skip
APPROXIMATOR_PAIRS = frozenset(
    {"at least", "more than", "less than", "fewer than", "up to", "as many", "as much"}
)
AMOUNT_LABELS = frozenset({"MONEY", "PERCENT", "CARDINAL", "QUANTITY"})
AMOUNT_RANGE_GAP_RE = re.compile(r"\s*(?:to|-|–)\s*$")
CONVERSION_GAP_RE = re.compile(r"^\s*(?:\(|;|\([^()]*;)\s*$")
CONVERSION_SCORE = 6
# A year or month after "in" in a sentence with an amount is the amount's period ("in 1986").
PERIOD_BEFORE_RE = re.compile(r"\b(?:in|during)\s+$", re.I)
PERIOD_SCORE = 12
AMOUNT_KINDS = frozenset({"count", "money", "percent", "quantity"})
# "25 dlrs a share, or about 300 mln dlrs", "up 6%, or 16.75 pence": the same thing again.
RESTATEMENT_GAP_RE = re.compile(r"(?:\s+a\s+share)?\s*,\s*or\s*$")
RESTATED_KINDS = ({"money"}, {"percent"}, {"count"}, {"quantity"}, {"percent", "money"})
REPEAT_PENALTY = 100
# A full result ("Sweden 1 – 0 Korea Republic") is what a sports report is about; a running score
# ("putting Sweden 1 – 0 up", "the half ended 0 – 0") is a detail.
RESULT_SCORE = 82
# The halves of a match ("in the second half") are no figures; "the first half of 2019" is a date.
MATCH_HALF_RE = re.compile(r"\b(?:the\s+)?(?:first|second|1st|2nd)[\s-]+half\b(?!\s+of\b)", re.I)
RUNNING_SCORE = 22
MINUTE_SCORE = 9
DEATH_WORDS = frozenset("died dies dead death obituary funeral".split())
LEDE_BONUS = 10
AMOUNT_WORDS = frozenset(
    """million millions billion billions trillion thousand hundred mln bln bn m k pct percent
    per cent dlrs dollars euros pounds yen stg cts pence""".split()
)
LEDE_KINDS = frozenset({"money", "percent", "count", "quantity", "score"})
BARE_DIGITS_RE = re.compile(r"\d[\d,.]*$")
MAGNITUDES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6,
    "bn": 1e9, "bln": 1e9, "billion": 1e9, "tn": 1e12, "trillion": 1e12,
}  # fmt: skip
MAGNITUDE_WORD_RE = re.compile(r"\s*(k|thousand|mn|mln|million|m|bn|bln|billion|tn|trillion)\b")
# A results table (wire earnings reports): "Net 12.5 mln vs 10.9 mln".
TABLE_LINE_RE = re.compile(r"^[^\n]{1,80}$", re.M)
_TABLE_VALUE = (
    r"(?:loss\s+|profit\s+)?\d[\d,.]*(?:\s+(?:mln|bln|billion|million|dlrs|cts|pct|stg|yen))*"
)
TABLE_ROW_RE = re.compile(
    rf"^\s*(?P<head>[A-Z][A-Za-z.&/' -]{{0,28}}?)\s+(?P<now>{_TABLE_VALUE})\s+vs\.?\s+"
    rf"(?P<before>{_TABLE_VALUE})"
)
PERIOD_LINE_RE = re.compile(
    r"^\s*(?:year|(?:\w+|\d+)\s+(?:mths|months|weeks|wks)|(?:\w+\s+)?qtr|(?:\w+\s+)?quarter|"
    r"(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+half)\s*$",
    re.I,
)
TABLE_HEADS = {
    "shr": "earnings per share", "shr loss": "loss per share", "shr profit": "earnings per share",
    "net": "net income", "net loss": "net loss", "net profit": "net profit",
    "revs": "revenues", "rev": "revenues", "sales": "sales", "oper shr": "operating earnings per share",
    "oper net": "operating net income", "oper shr loss": "operating loss per share",
    "oper net loss": "operating net loss", "avg shrs": "average shares outstanding",
    "qtly div": "quarterly dividend", "div": "dividend", "qtr div": "quarterly dividend",
    "shr diluted": "diluted earnings per share", "assets": "assets", "deposits": "deposits",
    "loans": "loans", "backlog": "order backlog", "pretax": "pretax profit",
    "turnover": "turnover", "pre-tax profit": "pretax profit", "orders": "orders",
}  # fmt: skip
TABLE_SCORES = {"net": 91, "net loss": 91, "net profit": 91, "revs": 89, "sales": 89, "shr": 87}
COUNT_HEADS = frozenset({"avg shrs"})
PREVIOUS_PERIOD_SCORE = 42
# Below this a figure is minor: weekdays and relative dates, months alone, ordinal words, ages,
# times, bare small numbers, conversions, repeats and numbers in names.
MINOR_BELOW = 16
BASE_SCORE = 5
METRES_SCORE = 14  # minor: an event's distance is seldom the news
RELATIVE_TAIL_RE = re.compile(r"\b(?:ago|later|earlier|before|after)\b", re.I)
VAGUE_AMOUNT_RE = re.compile(
    r"^(?:some\s+|many\s+|several\s+|tens\s+of\s+|hundreds\s+of\s+)?"
    r"(?:millions|billions|thousands|hundreds|dozens|tens)\b",
    re.I,
)
# "about 0200 local time": a time of day written as four digits.
MILITARY_TIME_RE = re.compile(r"^(?:(?:about|around|at|by|until)\s+)?[012]\d[0-5]\d$", re.I)
MILITARY_TIME_AFTER_RE = re.compile(r"\s*(?:local\s+time|hrs|hours|GMT|BST|UTC|h\b)", re.I)
# "the 200m", "60m hurdles": metres in sport, not millions (no currency in the sentence).
METRES_RE = re.compile(
    r"^(?:(?:more\s+than|less\s+than|about|some|nearly|almost|over|under|around)\s+)?"
    r"\d+(?:\.\d+)?m$"
)
NEXT_WORD_RE = re.compile(r"[ \t]+([A-Za-z]+)\b")
MONEY_NEAR_RE = re.compile(r"[£$€¥]|\b(?:dollars?|pounds?|euros?|dlrs|stg|sterling)\b", re.I)
WIRE_DATELINE_RE = re.compile(
    r"[A-Z][A-Z .'’-]+(?:,\s*[A-Z][A-Za-z .]+)?,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*[-–—]+\s*"
)
BASE_YEAR_RE = re.compile(r"\bbase(?:\s+year)?[\s:=,]*$", re.I)
DATELINE_HEAD_RE = re.compile(r"[A-Z][A-Z .'’-]+(?:,\s*[A-Z][A-Za-z .]+)?,\s*")
NAME_BEFORE_RE = re.compile(r"\b[A-Z][\w'’-]+\s+$")
NAME_NUMBER_RE = re.compile(r"\b[A-Z][\w'’-]+\s+\d{1,3}\b(?![.,]\d)")
DATELINE_SCORE = 12
NAME_SCORE = 1
CLOCK_TIME_RE = re.compile(r"^\d{1,2}[:.]\d\d(?:\s*(?:am|pm|a\.m\.|p\.m\.|GMT|BST|UTC))?$", re.I)
NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|"
    r"half|first|second|"
    r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\w+teenth|\w+tieth"
)
DATE_ANCHOR_RE = re.compile(
    rf"\d|\b(?:{NUMBER_WORDS}|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|"
    r"oct\w*|nov\w*|dec\w*|(?:mon|tues|wednes|thurs|fri|satur|sun)day|christmas|easter|ramadan|"
    r"eid|hanukkah|diwali)\b",
    re.I,
)
FREQUENCY_RE = re.compile(
    r"\b(?:every|each|daily|annual|annually|weekly|monthly|yearly|nightly|hourly|per)\b", re.I
)
BARE_PERIOD_RE = re.compile(
    r"^(?:the\s+|that\s+)?(?:night|afternoon|morning|evening|dawn|dusk|hours|minutes|seconds|days|"
    r"weeks|months|years|decades|early\s+days)$",
    re.I,
)
CALENDAR_DATE_RE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,2}/\d",
    re.I,
)
MONTH_ONLY_RE = re.compile(
    r"^(?:(?:early|mid|late|the\s+end\s+of|the\s+start\s+of)[\s-]+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$",
    re.I,
)
DECADE_RE = re.compile(r"^(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:1[5-9]\d0|20\d0)s$", re.I)
NUMBER_WORD_RE = re.compile(rf"^(?:{NUMBER_WORDS})$", re.I)
# A bare number the model calls a date is an age ("Smith, 42, said"); so is "14-year-old".
BARE_NUMBER_RE = re.compile(rf"^(?:\d{{1,3}}|{NUMBER_WORDS})$", re.I)
AGE_RE = re.compile(
    rf"\b(?:\d+|{NUMBER_WORDS})[\s-]+(?:years?|months?)[\s-]+old\b|"
    rf"\bage(?:d|\s+of)?\s+(?:\d+|{NUMBER_WORDS})\b",
    re.I,
)
RELATIVE_DATE_RE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
    r"tonight|weekend|recent|recently|now|currently|last|next|this|past|earlier|later|"
    r"coming|previous|week|decade|ago)\b",
    re.I,
)


@dataclass
class FigureCandidate:
    """A figure before ranking."""

    text: str
    kind: str
    label: str
    start: int
    end: int
    score: float
    fixed: bool = False  # labelled by a rule (a table's row, "metres", "dateline"), not a sentence
    weak_label: bool = True  # the word window's label says little: the parse should relabel it


def _date_end(text: str, start: int, end: int) -> int:
    """A date span cut before a name the model ran it into ("April West Texas Intermediate")."""
    for word in re.finditer(r"\S+", text[start:end]):
        if (
            word.start()
            and word.group()[0].isupper()
            and not CALENDAR_WORD_RE.fullmatch(word.group().rstrip(",;:"))
        ):
            return start + word.start()
    return end


def _split_change_and_level(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span's parts: its lines, and "48,000" and "2.31 million" apart after "rose by"."""
    parts: list[tuple[int, int]] = []
    for part_start, part_end in _split_at_line_breaks(text, start, end):
        to = RANGE_TO_RE.search(text, part_start, part_end)
        if to and (
            CHANGE_THEN_LEVEL_RE.search(text, max(0, part_start - 16), part_start)
            or POINTS_CHANGE_RE.search(text, part_start, to.start())
        ):
            parts += [(part_start, to.start()), (to.end(), part_end)]
        else:
            parts.append((part_start, part_end))
    return parts


def figure_spans(text: str, ents: list[Entity]) -> list[tuple[str, int, int]]:
    """(model label, start, end) of every figure, with year ranges ("1910-1945") joined into one span."""
    spans: list[tuple[str, int, int]] = []
    for ent in ents:
        if ent.label not in FIGURE_LABELS:
            continue
        start, end = strip_edges(text, ent.start, ent.end, at_dash=False)
        if start >= end:
            continue
        label = ent.label
        if label in {"DATE", "ORDINAL", "TIME"} and SCALED_NUMBER_RE.fullmatch(text, start, end):
            label = "CARDINAL"  # "1.4bn" the model called a date, "11bn" an ordinal
        if label == "DATE":
            end = _date_end(text, start, end)
        month = MONTH_BEFORE_RE.search(text, max(0, start - 12), start)
        if month and DAY_OF_MONTH_RE.fullmatch(text, start, end):
            start, label = month.start(), "DATE"  # "BRASILIA, Feb 20 -": the model saw "20"
        elif DAY_OF_MONTH_RE.fullmatch(text, start, end) and (
            second_day := SECOND_DAY_BEFORE_RE.search(text, max(0, start - 24), start)
        ):
            start, label = second_day.start(), "DATE"  # "on February 16 and 17": one date
        bare_number = BARE_DIGITS_RE.match(text, start, end) is not None
        if label in {"MONEY", "CARDINAL"}:
            start, end = _money_edges(text, start, end)
            if text[start] in CURRENCY_SYMBOLS:
                label = "MONEY"
            elif start > 0 and text[start - 1] == "#" and text[start].isdigit():
                start -= 1  # "#2": a rank, not an amount
        if label in AMOUNT_LABELS or bare_number:
            unit = UNIT_TAIL_RE.match(text, end)
            if unit:
                end = unit.end()
        start, end = strip_edges(
            text, start, _clip_at_sentence_end(text, start, end), at_dash=False
        )
        dash = DASH_BEFORE_NAME_RE.search(text, start, end)
        if dash and not DATE_ANCHOR_RE.search(text, dash.end(), end):
            end = dash.start()  # "March 3 - Acme Corp said": a wire dateline's dash
        for part_start, part_end in _split_change_and_level(text, start, end):
            if YEAR_RE.match(text[part_start:part_end]):
                tail = RANGE_TAIL_RE.match(text, part_end)
                if tail:
                    part_end = tail.end()
            spans.append((label, part_start, part_end))
    # Amounts the model did not tag at all ("Sales rose 2.8% to 14.96bn euros").
    tagged = _mask(len(text), ((s, e) for _, s, e in spans))
    for m in UNTAGGED_AMOUNT_RE.finditer(text):
        if not any(tagged[m.start() : m.end()]):
            spans.append(("MONEY", m.start(), m.end()))
    # A range's tail may have been its own entity: keep the longer, earlier span.
    spans.sort(key=lambda s: (s[1], -s[2]))
    out: list[tuple[str, int, int]] = []
    for span in spans:
        if out and span[1] < out[-1][2]:
            continue
        if (
            out
            and span[0] == out[-1][0] in AMOUNT_LABELS
            and AMOUNT_RANGE_GAP_RE.match(text, out[-1][2], span[1])
            and _same_unit(text[out[-1][1] : out[-1][2]], text[span[1] : span[2]])
            and not _after_change_verb(text, out[-1][1])
            and not POINTS_CHANGE_RE.search(text, out[-1][1], out[-1][2])
        ):
            out[-1] = (span[0], out[-1][1], span[2])  # "$3.8m to $4.9m" is one amount
            continue
        out.append(span)
    return out


def _after_change_verb(text: str, start: int) -> bool:
    """'fell 2.3 mln barrels to 329.4 mln barrels': a change and the level it reached, no range
    ('cut profits by $3.8m to $4.9m' is one)."""
    before = [w.lower() for w in text[max(0, start - 25) : start].split()]
    if before and before[-1] == "by":
        before = before[:-1]  # "rose by 48,000 to 2.31 million"
    return bool(before) and before[-1] in CHANGE_VERBS


def _same_unit(first: str, second: str) -> bool:
    """'15 pct to 950 mln dlrs' is a change and a level, not a range."""
    return bool(PERCENT_RE.search(first)) == bool(PERCENT_RE.search(second)) and bool(
        CURRENCY_RE.search(first)
    ) <= bool(CURRENCY_RE.search(second))


def _money_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in a currency sign and a magnitude the model left out: "£" + "170" + "m" is "£170m"."""
    while start > 0 and text[start - 1] in CURRENCY_SYMBOLS:
        start -= 1
    if start > 1 and text[start - 1] == " " and text[start - 2] in CURRENCY_SYMBOLS:
        start -= 2  # "$ 26 million", as some sources tokenise it
    prefix = CURRENCY_PREFIX_RE.search(text[max(0, start - 3) : start])
    if prefix and text[start : start + 1] == "$":
        start -= len(prefix.group())
    magnitude = MAGNITUDE_RE.match(text, end)
    if magnitude and text[end - 1].isdigit():
        end = magnitude.end()
    return start, end


def _clip_at_sentence_end(text: str, start: int, end: int) -> int:
    """The model sometimes runs a figure across a full stop ("£40m-£50m. The US business ...")."""
    stop = SENTENCE_STOP_RE.search(text, start, end)
    return stop.start() if stop else end


def _split_at_line_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span the model runs across a line break is one figure per line: the first line's, and
    any later line's with a digit or a month ("twelve years\n\nThursday, May 7, 2015" is two; the
    "Almost half" after a dateline is the next paragraph's first words, not part of the date)."""
    parts: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text[start:end]):
        part = strip_edges(text, start + m.start(), start + m.end(), at_dash=False)
        later = text[part[0] : part[1]]
        if part[0] < part[1] and (
            not parts or CALENDAR_DATE_RE.search(later) or re.search(r"\d", later)
        ):
            parts.append(part)
    return parts


def is_figure(label: str, surface: str) -> bool:
    """Not a figure: a number with no digit or number word ("#"), or a date or time with no number,
    month or day name that is a frequency ("every year", "daily") or a bare part of the day or unit
    ("night", "months"). "Last week" stays (ranked low)."""
    if DATE_ANCHOR_RE.search(surface):
        return True
    if label not in {"DATE", "TIME"}:
        return False  # a "number" with no digit or number word: "#", "a handful"
    return not (FREQUENCY_RE.search(surface) or BARE_PERIOD_RE.match(surface))


def kind_of(label: str, surface: str) -> str:
    """The figure's kind: the model's label, with dates split into year, duration, date and age."""
    if PERCENT_RE.search(surface):
        return "percent"  # "only 10 per cent", whatever the model called it
    if surface.startswith("#"):
        return "ordinal"  # "#2 browser": a rank
    if label == "MONEY" and not CURRENCY_RE.search(surface):
        label = "CARDINAL"  # no currency, no money
    if label == "CARDINAL" and CURRENCY_RE.search(surface) and re.search(r"\d", surface):
        return "money"  # "950 mln dlrs": the unit the model left out names the currency
    if label == "PERCENT" and CURRENCY_RE.search(surface):
        return "money"  # "as little as 70 euros" the model calls a percentage
    if label == "DATE" and BARE_NUMBER_RE.match(surface) or AGE_RE.search(surface):
        return "age"  # "14-year-old", "the age of 40", a bare "42" the model calls a date
    if CLOCK_TIME_RE.match(surface):
        return "time"  # "15:11" the model calls a number
    if label == "TIME" and DURATION_RE.search(surface) and not RELATIVE_TAIL_RE.search(surface):
        return "duration"  # "48 hours"
    if label in KIND_OF_LABEL:
        return KIND_OF_LABEL[label]
    if YEAR_RE.match(surface) or YEAR_RANGE_RE.match(surface):
        return "year"
    if DURATION_RE.search(surface) and not re.search(
        r"\b(ago|last|next|this|earlier|later)\b", surface, re.I
    ):
        return "duration"
    return "date"


def _is_part_of_name(text: str, start: int, end: int) -> bool:
    """A number word written with a capital in mid-sentence before a capitalised word, in a line
    that is not a headline, is part of a name ("the FIRST Global Challenge", "the Six Nations"),
    not a count or a rank."""
    surface = text[start:end]
    if not surface[:1].isupper() or not NUMBER_WORD_RE.match(surface):
        return False
    preceding = words(text, max(0, start - 40), start)
    following = words(text, end, min(len(text), end + 40))
    if not preceding or preceding[-1].text in {".", "!", "?", '"', "“", ":"} or not following:
        return False  # a sentence's first word is capitalised anyway
    line_start = text.rfind("\n", 0, start) + 1
    if line_start > preceding[-1].end:
        return False
    line_end = text.find("\n", end)
    line = words(text, line_start, line_end if line_end >= 0 else len(text))
    in_prose = any(w.text[0].islower() and len(w.text) > 3 for w in line)
    return in_prose and following[0].text[0].isupper()


def _is_a_title(surface: str) -> bool:
    """A "figure" with no digit and a capitalised word that is no number, month or day is a
    name ("Million Dollar Baby's", "Seven Samurai"), not an amount."""
    if any(c.isdigit() for c in surface):
        return False
    words_ = re.findall(r"[A-Za-z]+", surface)
    return (
        any(
            w[0].isupper() and not NUMBER_WORD_RE.match(w) and not CALENDAR_WORD_RE.fullmatch(w)
            for w in words_[1:]
        )
        and words_[0][0].isupper()
    )


def _is_in_a_title(text: str, start: int, end: int) -> bool:
    """A number in digits between two capitalised words in mid-sentence is part of a title
    ("One Against 20 Emcees", "Series 60 Phones"), not a count; not after a month or a weekday
    ("On Monday 20 Labour MPs rebelled")."""
    if not BARE_DIGITS_RE.fullmatch(text, start, end):
        return False
    before = TITLE_WORD_BEFORE_RE.search(text, max(0, start - 30), start)
    after = TITLE_WORD_AFTER_RE.match(text, end)
    if before is None or after is None or CALENDAR_WORD_RE.fullmatch(before.group(1)):
        return False
    preceding = words(text, max(0, before.start(1) - 20), before.start(1))
    return bool(preceding) and preceding[-1].text not in {".", "!", "?", '"', "“", ":", "\n"}


def _is_age_between_commas(text: str, start: int, end: int) -> bool:
    """'The prince, 20, apologised': a bare number set off by commas after a word is an age."""
    value = _numeric_value(text[start:end])
    return (
        BARE_DIGITS_RE.fullmatch(text, start, end) is not None
        and value is not None
        and 1 <= value <= 110
        and AGE_COMMA_BEFORE_RE.search(text, max(0, start - 4), start) is not None
        and text[end : end + 1] == ","
    )


def _is_part_of_a_word(text: str, start: int, end: int) -> bool:
    """ "half" in "half-time", "fly-half", "half-dead", or a match's "the half", is no figure."""
    if text[start:end].lower() != "half":
        return False
    if text[start - 1 : start] == "-" or text[end : end + 1] == "-":
        return True
    preceding = words(text, max(0, start - 30), start)
    following = words(text, end, min(len(text), end + 30))
    return (
        bool(preceding)
        and preceding[-1].lower in {"the", "their", "its", "his", "her", "our", "own"}
        and not (following and following[0].lower == "of")
    )


def _name_numbered(text: str, start: int, end: int, label: str) -> str:
    """The name a bare number the model calls a date numbers, when it follows a capitalised word
    ("Internet Explorer 6", "Apollo 11"); empty otherwise (an age is set off: "Smith, 42,")."""
    surface = text[start:end]
    if label not in {"DATE", "CARDINAL"} or not surface.isdigit() or len(surface) > 2:
        return ""
    previous = words(text, max(0, start - 60), start)
    name: list[str] = []
    while previous and previous[-1].text[0].isupper() and previous[-1].end == start - 1:
        word = previous.pop()
        name.insert(0, word.text)
        start = word.start
    if label == "CARDINAL" and (
        len(name) < 2
        or not previous
        or previous[-1].text in {".", "!", "?", '"', "“", ":"}
        or any(CALENDAR_WORD_RE.fullmatch(w) for w in name)
    ):
        # A count after one capitalised word is a count ("Labour 20"); a number after a
        # name of two words in mid-sentence numbers it ("the Symbian Series 60 system").
        return ""
    return " ".join(name)


def results_table(text: str) -> list[FigureCandidate]:
    """The values of a results table's rows ("Net 12.5 mln vs 10.9 mln", "Shr 1.20 dlrs vs 1.05
    dlrs"): the first is this period's, labelled by the row's name (and the period a line like
    "Year" or "Nine mths" above names); the one after "vs" is the period a year before."""
    out: list[FigureCandidate] = []
    period = ""
    for line in TABLE_LINE_RE.finditer(text):
        row = TABLE_ROW_RE.match(line.group())
        if row is None:
            if PERIOD_LINE_RE.match(line.group()):
                period = line.group().strip().lower()
            continue
        head = " ".join(row["head"].lower().split())
        name = TABLE_HEADS.get(head, head)
        when = f" ({period})" if period else ""
        base = line.start()
        for group, label, score in (
            ("now", name + when, TABLE_SCORES.get(head, 80)),
            ("before", f"{name} a year earlier{when}", PREVIOUS_PERIOD_SCORE),
        ):
            start, end = base + row.start(group), base + row.end(group)
            value = text[start:end]
            kind = "percent" if PERCENT_RE.search(value) else "money"
            if head in COUNT_HEADS:
                kind = "count"
            out.append(FigureCandidate(value, kind, label, start, end, score, fixed=True))
    return out


def _metres(text: str, start: int, end: int) -> bool:
    """'60m hurdles', 'won the 200m', 'more than 50m taller': a distance, when no currency is
    written near it."""
    window_start = max(0, start - 40)
    stop = max(text.rfind(". ", window_start, start), text.rfind("\n", window_start, start))
    if MONEY_NEAR_RE.search(text, stop + 1 if stop >= 0 else window_start, end + 20):
        return False  # money in the same sentence: "£3m" is millions
    after = NEXT_WORD_RE.match(text, end)
    before = text[max(0, start - 6) : start].split()
    return bool(
        (after and after.group(1).islower() and after.group(1) not in STOP_WORDS)
        or (before and before[-1].lower() == "the")
    )


def _on_a_short_line(text: str, start: int) -> bool:
    """Whether a position is on a line of a few words (a headline, a caption, a table row)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return len(text[line_start : line_end if line_end >= 0 else len(text)].split()) <= 12


def _without_amounts(label: str) -> str:
    """A label less the other figures in it ("pay Fiat 1.55bn euros" -> "pay Fiat"); a year stays."""
    if not any(ch.isdigit() for ch in label):
        return label
    kept: list[str] = []
    dropping = False
    for token in label.split():
        bare = token.strip(CURRENCY_SYMBOLS + "(),").lower()
        if any(ch.isdigit() for ch in bare) and not YEAR_RE.match(bare):
            dropping = True
            continue
        if dropping and bare in AMOUNT_WORDS:
            continue
        dropping = False
        kept.append(token)
    while kept and kept[-1].lower() in PREPOSITIONS | DETERMINERS | {"and", "or", "to"}:
        kept.pop()
    return " ".join(kept) if kept else label


def _only_amounts(label: str) -> bool:
    """A label that is only other figures and their units ("2.4bn euros", "4.7 million")."""
    tokens = label.lower().replace("(", " ").replace(")", " ").split()
    return bool(tokens) and all(
        any(ch.isdigit() for ch in t)
        or t.strip(CURRENCY_SYMBOLS) in AMOUNT_WORDS
        or not t.strip(CURRENCY_SYMBOLS)
        for t in tokens
    )


def _lede_end(text: str, sentences: list[tuple[int, int]]) -> int:
    """Where the lede ends: the first two sentences of the first paragraph of prose (a headline
    or dateline line of a few words does not count)."""
    prose = [span for span in sentences if len(text[span[0] : span[1]].split()) > 8]
    if not prose:
        return 0
    first = prose[:2]
    paragraph_end = text.find("\n\n", first[0][0])
    end = first[-1][1]
    return min(end, paragraph_end) if paragraph_end >= 0 else end


def _restatement_key(surface: str, kind: str) -> str:
    """The same amount however it is written: '$10bn', '$10 billion' and 'US$10bn' are one; so
    are '41%', '41 pct' and '41 per cent'. Other figures are compared as written."""
    if kind not in {"money", "percent", "count"}:
        return surface
    number = re.search(r"\d[\d,]*(?:\.\d+)?", surface)
    if number is None:
        return surface
    value = float(number.group().replace(",", ""))
    tail = surface[number.end() :].lower()
    magnitude = MAGNITUDE_WORD_RE.match(tail)
    if magnitude:
        value *= MAGNITUDES[magnitude.group(1)]
    currency = next((c for c in surface if c in CURRENCY_SYMBOLS), "")
    return f"{kind}:{currency}:{value:.6g}"


def _is_match_minute(text: str, start: int, end: int) -> bool:
    """A number after a name on a line that lists several 'Name NN' pairs (a match's scorers,
    bookings or substitutions)."""
    if not re.fullmatch(r"\d{1,3}", text[start:end]) or not NAME_BEFORE_RE.search(
        text, max(0, start - 40), start
    ):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return len(NAME_NUMBER_RE.findall(line)) >= 2


def _in_dateline(text: str, start: int) -> bool:
    """'NEW YORK, March 3 - Acme said': the date a wire report was filed."""
    line_start = text.rfind("\n", 0, start) + 1
    return bool(DATELINE_HEAD_RE.fullmatch(text, line_start, start))


def _alone_on_its_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return (
        not text[line_start:start].strip()
        and not text[end : line_end if line_end >= 0 else None].strip()
    )


def _counts_a_plural(text: str, start: int, end: int) -> bool:
    """A bare four-digit "year" followed by a plural noun counts it ("of 1709 schoolchildren");
    after a determiner or a preposition of time it is still a year ("the 2016 elections")."""
    if not text[start:end].isdigit():
        return False
    following = words(text, end, min(len(text), end + 40))
    preceding = words(text, max(0, start - 40), start)
    if not following or not preceding or preceding[-1].lower in YEAR_BEFORE_WORDS:
        return False
    if preceding[-1].text[-1] in '.!?"“' or re.search(r"['’]s?$", preceding[-1].text):
        return False  # a sentence starting with the year, or "Japan's 2010 census"
    noun = following[0].text
    if not noun.isalpha() or not noun.islower() or noun in STOP_WORDS | YEAR_QUALIFIED_NOUNS:
        return False
    if len(following) > 1 and following[1].text[0].isupper():
        return False  # "2001 winners New Zealand": the year of a title before a name
    return noun.endswith(IRREGULAR_PLURALS) or (
        len(noun) > 3 and noun.endswith("s") and not noun.endswith(("ss", "us", "is"))
    )


@dataclass
class FigureDraft:
    """An article's figures before the parse: candidates labelled from word windows, and the
    sentences (start, end) whose parse labels the best of them. A sync parses the sentences of
    many articles at once (one batch costs less than many small ones)."""

    text: str
    ents: list[Entity]
    sentences: list[tuple[int, int]]
    candidates: list[FigureCandidate]
    to_parse: dict[tuple[int, int], list[FigureCandidate]]

    def sentences_to_parse(self) -> list[str]:
        return [self.text[start:end] for start, end in self.to_parse]


def draft_figures(text: str, ents: list[Entity], sentences: list[tuple[int, int]]) -> FigureDraft:
    """Every figure in the text with a word-window label and a first score (see finish_figures)."""
    candidates: list[FigureCandidate] = []
    scores = find_scores(text)
    halves = [m.span() for m in MATCH_HALF_RE.finditer(text)]
    rows = results_table(text)
    candidates.extend(rows)
    # Character masks, so each figure's overlap test costs its own length, not the table's.
    taken_by_rows = _mask(len(text), ((r.start, r.end) for r in rows))
    taken_by_scores = _mask(len(text), ((m.start, m.end) for m in scores))
    in_halves = _mask(len(text), halves)
    read: dict[tuple[int, int], list[Word]] = {}

    def sentence_words(offset: int) -> list[Word]:
        """The words of the sentence at offset, read once however many figures it holds."""
        span = _sentence_span(text, sentences, offset)
        if span not in read:
            read[span] = words(text, *span)
        return read[span]

    for label, start, end in figure_spans(text, ents):
        surface = text[start:end]
        if any(taken_by_rows[start:end]):
            continue  # a results table's value, labelled by its row
        if not is_figure(label, surface) or any(taken_by_scores[start:end]):
            continue  # a score's numbers are not counts ("0 Korea Republic")
        if all(in_halves[start:end]):
            continue
        if (
            _is_a_title(surface)
            or _is_part_of_name(text, start, end)
            or _is_part_of_a_word(text, start, end)
            or _is_in_a_title(text, start, end)
        ):
            continue
        name = _name_numbered(text, start, end, label)
        if name:
            # "Internet Explorer 6": a number in a name, neither an age nor a count; listed last.
            candidates.append(FigureCandidate(surface, "number", name, start, end, NAME_SCORE))
            continue
        if MILITARY_TIME_RE.match(surface) and MILITARY_TIME_AFTER_RE.match(text, end):
            # "about 0200 local time": a time of day, not a count
            candidates.append(FigureCandidate(surface, "time", "time of day", start, end, 10, True))
            continue
        if RICHTER_RE.search(surface):
            # "6.9 on the Richter scale": how strong an earthquake was, a headline figure
            candidates.append(
                FigureCandidate(
                    surface, "quantity", "earthquake magnitude", start, end, 95, fixed=True
                )
            )
            continue
        if METRES_RE.match(surface) and _metres(text, start, end):
            candidates.append(
                FigureCandidate(surface, "quantity", "metres", start, end, METRES_SCORE, fixed=True)
            )
            continue
        kind = kind_of(label, surface)
        if kind == "year" and _counts_a_plural(text, start, end):
            kind = "count"
        if kind in {"count", "date"} and _is_age_between_commas(text, start, end):
            kind = "age"  # "The prince, 20, apologised"
        if kind in {"count", "date", "year"} and _is_match_minute(text, start, end):
            # "Rooney 68, Dunne 75 og": when a goal fell, not a figure
            candidates.append(
                FigureCandidate(surface, "minute", "minute", start, end, MINUTE_SCORE, fixed=True)
            )
            continue
        previous = candidates[-1] if candidates else None
        if (
            previous
            and kind == previous.kind == "money"
            and CONVERSION_GAP_RE.match(text[previous.end : start])
        ):
            # "$27.5bn (£14.5bn)": the same amount in another currency says nothing new.
            candidates.append(
                FigureCandidate(surface, kind, previous.label, start, end, CONVERSION_SCORE)
            )
            continue
        sentence = sentence_words(start)
        figure_label, from_grammar = label_for(sentence, start, end, kind)
        if _only_amounts(figure_label):
            figure_label, from_grammar = "", False  # "2004 — 2.4bn euros": another figure
        figure_label = _without_amounts(figure_label)
        # A figure labelled only by nearby words is scored as if bare ("four", "six").
        score = _score(kind, surface, figure_label if from_grammar else "", sentence)
        if kind == "year" and BASE_YEAR_RE.search(text, max(0, start - 20), start):
            score, figure_label = BASE_SCORE, "base year"  # "the index, base 1980, rose"
        if kind == "date" and (_alone_on_its_line(text, start, end) or _in_dateline(text, start)):
            # The date a report was filed, on a line of its own: the card's header says it.
            figure_label, score = "dateline", DATELINE_SCORE
        fixed = figure_label in {"dateline", "base year"}
        candidate = FigureCandidate(surface, kind, figure_label, start, end, score, fixed)
        # The parse is worth its cost where the word window found no phrase or a word or two.
        candidate.weak_label = (
            not from_grammar
            or len(figure_label.split()) <= WEAK_LABEL_WORDS
            or _opens_with_a_link(figure_label)
        )
        candidates.append(candidate)
    for match in scores:
        surface = text[match.start : match.end]
        result = match.result(text)
        if result:
            candidates.append(
                FigureCandidate(surface, "score", result, match.start, match.end, RESULT_SCORE)
            )
            continue
        sentence = sentence_words(match.start)
        score_label, _ = label_for(sentence, match.start, match.end, "score")
        candidates.append(
            FigureCandidate(surface, "score", score_label, match.start, match.end, RUNNING_SCORE)
        )
    return FigureDraft(
        text, ents, sentences, candidates, _sentences_to_parse(text, candidates, sentences)
    )


def finish_figures(draft: FigureDraft, docs: list[Doc] | None) -> list[Figure]:
    """The draft's figures relabelled from the parses of its sentences (None: no parser), with
    restatements folded and the lede weighed, ranked."""
    text, sentences, candidates = draft.text, draft.sentences, draft.candidates
    if docs is not None:
        _relabel_from_parse(text, draft.ents, draft.to_parse, docs)
    candidates.sort(key=lambda c: c.start)
    _label_restatements(text, candidates)
    _periods_of_other_figures(text, sentences, candidates)
    groups: dict[tuple[str, str], list[FigureCandidate]] = {}
    for c in candidates:
        # A result is repeated when the same score names the same winner ("Sweden beat ...").
        key = (
            _restatement_key(c.text, c.kind),
            c.label.split()[0] if c.kind == "score" and c.label else c.kind,
        )
        groups.setdefault(key, []).append(c)
    for group in groups.values():
        # The panel needs "58% turnout rate" once: the first mention in prose keeps it (a
        # headline's restatement has no sentence to label it), with the best score of them all.
        keep = min(group, key=lambda c: (_on_a_short_line(text, c.start), c.start))
        keep.score = max(c.score for c in group)
        for c in group:
            if c is not keep:
                c.score -= REPEAT_PENALTY
    lede_end = _lede_end(text, sentences)
    for c in candidates:
        if c.start < lede_end and c.score >= MINOR_BELOW and c.kind in LEDE_KINDS:
            c.score += LEDE_BONUS  # a report leads with the figure it is about
    # A number with nothing to say what it counts ("2003", "2.4bn euros") says nothing either.
    minor = {id(c) for c in candidates if c.score < MINOR_BELOW or not c.label.strip()}
    ranked = sorted(candidates, key=lambda c: (id(c) in minor, -c.score, c.start))
    rank_of = {id(c): i + 1 for i, c in enumerate(ranked)}
    return [
        Figure(
            text=c.text,
            kind=c.kind,
            label=c.label,
            start=c.start,
            end=c.end,
            rank=rank_of[id(c)],
            minor=id(c) in minor,
        )
        for c in candidates
    ]


def _mask(length: int, spans: Iterable[tuple[int, int]]) -> bytearray:
    """One byte per character, set inside any of the spans."""
    mask = bytearray(length)
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    return mask


def _sentence_span(text: str, sentences: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence holding offset, less a wire dateline it opens with ("WASHINGTON, April 8 -
    U.S. crude oil inventories fell …")."""
    s_start, s_end = sentence_at(sentences, offset)
    dateline = WIRE_DATELINE_RE.match(text, s_start, s_end)
    if dateline and dateline.end() <= offset:
        s_start = dateline.end()
    return s_start, s_end


def _sentences_to_parse(
    text: str, candidates: list[FigureCandidate], sentences: list[tuple[int, int]]
) -> dict[tuple[int, int], list[FigureCandidate]]:
    """The sentences holding the best-ranked figures, each with its figures."""
    top = sorted(
        (c for c in candidates if c.kind not in {"score", "number"} and not c.fixed),
        key=lambda c: (-c.score, c.start),
    )[:PARSED_FIGURES]
    by_sentence: dict[tuple[int, int], list[FigureCandidate]] = {}
    for c in top:
        s_start, s_end = _sentence_span(text, sentences, c.start)
        if s_end - s_start <= MAX_PARSED_SENTENCE:
            by_sentence.setdefault((s_start, s_end), []).append(c)
    # A sentence whose figures the word window already labels with a phrase is not parsed (a
    # quarter of the parses on BBC news, with the same labels on the annotated set).
    return {span: found for span, found in by_sentence.items() if any(c.weak_label for c in found)}


def _relabel_from_parse(
    text: str,
    ents: list[Entity],
    by_sentence: dict[tuple[int, int], list[FigureCandidate]],
    docs: list[Doc],
) -> None:
    """Labels from the dependency parse for the best-ranked figures, rescored with them."""
    named = [(e.start, e.end) for e in ents if e.label in NAME_LABELS]

    def names(s_start: int, s_end: int) -> list[tuple[int, int]]:
        return [(s - s_start, e - s_start) for s, e in named if s_start <= s and e <= s_end]

    for (s_start, s_end), doc in zip(by_sentence, docs, strict=True):
        for c in by_sentence[(s_start, s_end)]:
            label = parse_label(
                doc, c.start - s_start, c.end - s_start, c.kind, names(s_start, s_end)
            )
            if label:
                c.label = label
                c.score = _score(c.kind, c.text, label, words(text, s_start, s_end))
                if label.startswith(PREVIOUS_LEVEL):
                    c.score -= PREVIOUS_LEVEL_PENALTY  # the level a change left is old news


def _periods_of_other_figures(
    text: str, sentences: list[tuple[int, int]], candidates: list[FigureCandidate]
) -> None:
    """'fell to 607.5 tonnes in 1986 from 671.7 tonnes in 1985': the years say when the amounts
    were, they are not news of their own; they rank with the minor figures."""
    amounts = [c for c in candidates if c.kind in AMOUNT_KINDS and c.score >= MINOR_BELOW]
    for c in candidates:
        if (
            c.kind not in {"year", "date"}
            or c.fixed
            or not PERIOD_BEFORE_RE.search(text, max(0, c.start - 8), c.start)
        ):
            continue
        s_start, s_end = sentence_at(sentences, c.start)
        if any(s_start <= a.start < s_end for a in amounts):
            c.score = min(c.score, PERIOD_SCORE)
    for c in candidates:
        if (
            c.kind in {"date", "year"}
            and EVENT_AFTER_DATE_RE.match(text, c.end)
            and text[max(0, c.start - 4) : c.start].lower() == "the "
        ):
            c.score = min(c.score, PERIOD_SCORE)  # "the 11 September attacks": an event's name


def _label_restatements(text: str, candidates: list[FigureCandidate]) -> None:
    """A figure restating the one before it after ", or" says what that one counts ("acquire
    ABC for 25 dlrs a share, or about 300 mln dlrs": both are the price of ABC)."""
    for before, after in zip(candidates, candidates[1:], strict=False):
        if (
            before.label
            and not before.fixed
            and {before.kind, after.kind} in RESTATED_KINDS
            and RESTATEMENT_GAP_RE.match(text, before.end, after.start)
            and not after.label.startswith("share of")
        ):
            after.label = before.label


def _opens_with_a_link(label: str) -> bool:
    """A word-window label that starts with a preposition, a connective or an -ing form
    ("Despite seeing net profits", "including the latest deal") cut a clause at the wrong place:
    the parse should relabel it."""
    first = label.split(maxsplit=1)[0]
    return first.lower() in PREPOSITIONS | LINK_WORDS or (first.islower() and first.endswith("ing"))


def label_for(sentence: list[Word], start: int, end: int, kind: str) -> tuple[str, bool]:
    """What the figure counts, in a few words of its own sentence, and whether the sentence's grammar
    gave it (False: the nearest content words had to do). Empty only for a sentence of no words."""
    first = next((i for i, w in enumerate(sentence) if w.end > start), len(sentence))
    after = _skip_brackets(
        sentence, next((i for i, w in enumerate(sentence) if w.start >= end), len(sentence))
    )
    before = sentence[:first]
    label = _label_from_phrases(sentence, before, after, kind)
    if any(
        w not in DETERMINERS | PREPOSITIONS | STOP_WORDS and any(c.isalpha() for c in w)
        for w in label.lower().split()
    ):
        return label, True
    if kind == "age":
        return "age", False  # "The 18-year-old will play": the words around say nothing of it
    return _nearest_content_words(sentence, first, after), False


def _label_from_phrases(sentence: list[Word], before: list[Word], after: int, kind: str) -> str:
    """The label from the sentence's grammar: the counted noun, the verb of change, the subject."""
    is_amount = kind not in {"date", "time", "duration", "year"}
    lead = _strip_approximators(before)
    if is_amount and lead and _casualty_verb(lead[-1]):
        # "killed 136 people" -> "people killed"; "killing at least 20" -> "killed"; "an
        # accident that killed 136 workers" -> "workers killed in an accident".
        counted = [w.text for w in _phrase_after(sentence, after)]
        verb = _casualty_verb(lead[-1]) or lead[-1].text
        return _join(counted + (_relative_before(before) or [verb]))
    phrase = _phrase_after(sentence, after) if kind not in {"date", "time", "duration"} else []
    if kind == "money" and not phrase and after + 1 < len(sentence):
        if sentence[after].lower in {"in", "of"} and sentence[after + 1].text[0].islower():
            phrase = _phrase_after(sentence, after + 1)  # "$2bn in reconstruction funds"
    if is_amount and not phrase:
        change = _change_label(lead, kind)
        if change:
            return change
    if phrase:
        words_out = [w.text for w in phrase]
        if before and re.search(r"['’]s?$", before[-1].text) and before[-1].text[:1].isupper():
            # "Japan's 1910-1945 colonial rule" keeps "Japan's".
            words_out.insert(0, before[-1].text)
        tail = _predicate_after(sentence, after + len(phrase)) or _relative_before(before)
        return _join(words_out + tail)
    if before and before[-1].lower in PREPOSITIONS | {"to"}:
        noun_phrase = _phrase_before(before[:-1])
        if noun_phrase and not is_amount:
            clause = _clause_tail(before[:-1])
            where = len(before) - 2 - len(noun_phrase)
            subject = clause[0].text if clause else ""
            if (
                0 <= where
                and before[where].lower in PREPOSITIONS | {"to"}
                and len(clause) <= MAX_LABEL_WORDS
                and subject[:1].isupper()
                and subject.lower() not in STOP_WORDS | PREPOSITIONS
            ):
                # "brought the clock to school on September 14": the event is the clause, not
                # "school", which only says where.
                return _join([w.text for w in clause])
        if noun_phrase:
            return _join(noun_phrase)
    noun_phrase = _phrase_before(before)
    return _join(noun_phrase)


def _skip_brackets(sentence: list[Word], i: int) -> int:
    """Past a bracket right after the figure ("$4bn (£2.1bn) deal" reads as "$4bn deal")."""
    if i < len(sentence) and sentence[i].text == "(":
        close = next((j for j in range(i, len(sentence)) if sentence[j].text == ")"), None)
        if close is not None and close - i <= 8:
            return close + 1
    return i


def _strip_approximators(before: list[Word]) -> list[Word]:
    """The words before the figure without "at least", "more than", "about", "some"."""
    out = list(before)
    while out:
        if out[-1].lower in APPROXIMATORS:
            out.pop()
        elif len(out) > 1 and f"{out[-2].lower} {out[-1].lower}" in APPROXIMATOR_PAIRS:
            del out[-2:]
        else:
            return out
    return out


def _casualty_verb(w: Word) -> str | None:
    """ "killed", "killing", "kills" -> "killed" (the form a label reads in); None if not such a verb."""
    low = w.lower
    if low in CASUALTY_VERB_FORMS:
        return CASUALTY_VERB_FORMS[low]
    return low if low.endswith("ed") and low in CASUALTY_WORDS else None


def _change_label(lead: list[Word], kind: str) -> str:
    """ "Sales rose 2.8%" -> "rise in Sales"; "profit rose 5% to £3bn" -> "profit" for £3bn."""
    clause = _clause_tail(lead)
    for i in range(len(clause) - 1, max(-1, len(clause) - 6), -1):
        w = clause[i]
        direction = CHANGE_VERBS.get(w.lower)
        if direction is None and w.lower not in VALUE_VERBS:
            continue
        level = clause[-1].lower in {"to", "from", "at"} and i < len(clause) - 1
        if level and i + 2 < len(clause) and clause[i + 1].lower in {"in", "of"}:
            # "a 26% rise in annual profits to $16.2bn": the amount is of annual profits.
            return _join([x.text for x in clause[i + 2 : -1]])
        subject = _phrase_before([x for x in clause[:i] if x.lower not in AUXILIARIES])
        if not subject:
            return direction or ""
        if direction and not level and kind in {"percent", "count", "quantity"}:
            return _join([direction, "in", *subject])
        return _join(subject)
    return ""


def _clause_tail(lead: list[Word]) -> list[Word]:
    """The words of the figure's own clause: back to the last comma, semicolon, bracket or colon."""
    for i in range(len(lead) - 1, -1, -1):
        if lead[i].text in {",", ";", "(", ")", ":", "—", "–"}:
            return lead[i + 1 :]
    return lead


def _nearest_content_words(sentence: list[Word], first: int, after: int) -> str:
    """The fallback label: the run of up to four content words nearest before the figure (else after)."""
    run: list[str] = []
    for w in reversed(sentence[:first]):
        if w.text[0].isdigit() and not run:
            continue  # "2004/05 of about £400m": a number says nothing of what another counts
        if _is_content(w) and len(run) < 4:
            run.insert(0, w.text)
        elif run:
            break
    if run:
        return _join(run)
    for w in sentence[after:]:
        if _is_content(w) and len(run) < 4:
            run.append(w.text)
        elif run:
            break
    return _join(run)


def _is_content(w: Word) -> bool:
    return w.text[0].isalnum() and w.lower not in STOP_WORDS | PREPOSITIONS | DETERMINERS


def _phrase_after(sentence: list[Word], i: int) -> list[Word]:
    """The noun phrase right after the figure, with its prepositional phrases ("engagement between the two leaders")."""
    if i >= len(sentence) or not _is_content(sentence[i]) or sentence[i].lower in DETERMINERS:
        return []
    out: list[Word] = []
    while i < len(sentence) and len(out) < MAX_LABEL_WORDS:
        w = sentence[i]
        if _is_content(w) or (out and (w.lower in PREPOSITIONS or w.lower in DETERMINERS)):
            out.append(w)
        elif w.text in {"-", "–"} and out:
            out.append(w)
        else:
            break
        i += 1
    while out and (out[-1].lower in PREPOSITIONS | DETERMINERS or not out[-1].text[0].isalnum()):
        out.pop()
    return out


def _predicate_after(sentence: list[Word], i: int) -> list[str]:
    """ "... 136 people were killed in the blast" -> ["killed", "in", "the", "blast"]."""
    if i < len(sentence) and sentence[i].lower in AUXILIARIES:
        i += 1
        if i < len(sentence) and sentence[i].lower in AUXILIARIES:
            i += 1
    if i >= len(sentence) or sentence[i].lower not in CASUALTY_WORDS:
        return []
    out = [sentence[i].text]
    i += 1
    while (
        i < len(sentence)
        and len(out) < 6
        and (_is_content(sentence[i]) or sentence[i].lower in PREPOSITIONS | DETERMINERS)
    ):
        out.append(sentence[i].text)
        i += 1
    while out and out[-1].lower() in PREPOSITIONS | DETERMINERS:
        out.pop()
    return out


def _relative_before(before: list[Word]) -> list[str]:
    """ "an accident that killed 136 ..." -> ["killed", "in", "a", "1942", "mining", "accident"]."""
    if len(before) < 3 or before[-2].lower not in {"that", "which", "who"}:
        return []
    verb = before[-1]
    if not (verb.lower.endswith("ed") or verb.lower in CASUALTY_WORDS):
        return []
    antecedent = _phrase_before(before[:-2], hops=0, trim=False)
    if not antecedent:
        return []
    preposition = "in" if antecedent[-1].lower() in EVENT_NOUNS else "by"
    return [verb.text, preposition, *antecedent]


def _phrase_before(before: list[Word], hops: int = 1, trim: bool = True) -> list[str]:
    """The noun phrase ending just before position: back to its determiner, across at most `hops` prepositions.

    `trim` drops a leading determiner or number ("the third engagement" -> "engagement").
    """
    out: list[Word] = []
    i = len(before) - 1
    while i >= 0 and len(out) < MAX_LABEL_WORDS:
        w = before[i]
        if w.lower in DETERMINERS:
            prev = before[i - 1].lower if i > 0 else ""
            if (prev in PREPOSITIONS or prev == "to") and hops > 0 and prev != "of":
                hops -= 1
                out.insert(0, w)
                out.insert(0, before[i - 1])
                i -= 2
                continue
            out.insert(0, w)
            break
        if w.lower == "of" and out:
            out.insert(0, w)
        elif _is_content(w) or (w.text in {"-", "–"} and out):
            out.insert(0, w)
        else:
            break
        i -= 1
    while trim and out and (out[0].lower in DETERMINERS | PREPOSITIONS or _is_number_word(out[0])):
        out.pop(0)
    return [w.text for w in out]


def _is_number_word(w: Word) -> bool:
    low = w.lower
    return (
        low.isdigit()
        or low in SMALL_NUMBERS
        or low in ORDINAL_WORDS
        or (low.endswith(("st", "nd", "rd", "th")) and low[:-2].isdigit())
    )


def _join(tokens: list[str]) -> str:
    while tokens and tokens[-1].lower() in DETERMINERS | PREPOSITIONS | {"to", "and", "or"}:
        tokens = tokens[:-1]  # "bought for a" says "bought"
    label = " ".join(tokens)
    return re.sub(r"\s+([-–])\s+", r"\1", label).strip()


def _numeric_value(surface: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", surface)
    if m:
        try:
            return float(m.group().replace(",", ""))
        except ValueError:
            return None
    first = surface.split()[0].lower() if surface.split() else ""
    return float(SMALL_NUMBERS[first]) if first in SMALL_NUMBERS else None


def _score(kind: str, surface: str, label: str, sentence: list[Word]) -> float:
    """Importance: casualties, money, percentages and event years first; bare small numbers last."""
    label_words = set(label.lower().split())
    if kind in {"count", "money"} and VAGUE_AMOUNT_RE.match(surface):
        return 30 if label else 20  # "millions of euros", "hundreds of millions": no figure
    if kind == "count":
        near = {w.lower for w in sentence}
        value = _numeric_value(surface)
        if (label_words | near) & CASUALTY_WORDS and value is not None and value > 2:
            return 100
        if value is not None and value <= 3 and not surface[0].isdigit():
            return 10 if label else 5
        if value is not None and value <= 10:
            return 25 if label else 15  # "six players", "4" in a score: rarely what matters
        return 70 if label else 40
    if kind == "age" and {w.lower for w in sentence} & DEATH_WORDS:
        return 50  # "has died at the age of 92": the age is the news
    base = {
        "age": 12,
        "money": 90,
        "percent": 85,
        "year": 40,
        "quantity": 72,
        "ordinal": 25,
        "duration": 45,
        "date": 35,
        "time": 10,
    }.get(kind, 30)
    if kind == "ordinal" and not re.search(r"\d", surface):
        return 8  # "the first time", "second biggest": a word, not a figure
    if kind == "date" and RELATIVE_DATE_RE.search(surface):
        return 10  # "Sunday", "next week", "yesterday": when, not what
    if kind == "date" and not CALENDAR_DATE_RE.search(surface):
        return 15  # "the first day", "the 20th century": vague
    if kind == "date" and MONTH_ONLY_RE.match(surface):
        return 14  # "in November": a month with no day or year
    if kind == "duration" and IDIOM_DURATION_RE.match(surface):
        return 12
    if kind == "duration" and not re.search(r"\d", surface) and not _numeric_value(surface):
        return 20  # "several weeks", "decades": vague
    if kind == "year" and DECADE_RE.match(surface):
        return 20  # "the 1960s": an era
    if kind == "year" and "-" in surface or "–" in surface:
        base += 2
    if kind == "year" and label_words & EVENT_NOUNS:
        base += 8  # the year of an event ("1942 — mining accident")
    return base if label else base - 10
