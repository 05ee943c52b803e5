"""Dates in articles: a date field in any common spelling, or the dateline under a headline, as YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import re

# A dateline sits just under the headline; further down a date is a date in the story, not its own.
DATELINE_WINDOW = 400

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
# Four digits in a row: where none is, no pattern below can match (a cheap test first: the
# patterns, with an optional weekday tried at every character, took 0.6 ms a text).
YEAR = re.compile(r"\d{4}")
DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(
        _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I
    ),
    re.compile(
        _WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b", re.I
    ),
]


def find_dateline(body: str) -> str | None:
    """An ISO date from a dateline such as "Friday, July 21, 2017" near the top of the text."""
    head = body[:DATELINE_WINDOW]
    if YEAR.search(head) is None:
        return None  # every pattern needs a year; most texts open without a dateline
    found = [(m.start(), m) for pattern in DATE_PATTERNS for m in pattern.finditer(head)]
    for _, m in sorted(found, key=lambda pair: pair[0]):
        iso = _date_from_match(m)
        if iso:
            return iso
    return None


def normalize_date(value: object) -> str | None:
    """YYYY-MM-DD from a date, datetime or a string holding one; None when it is not a date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    for pattern in DATE_PATTERNS:
        m = pattern.search(value)
        if m:
            iso = _date_from_match(m)
            if iso:
                return iso
    return None


def _date_from_match(m: re.Match[str]) -> str | None:
    month = m.group("month")
    month_number = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    try:
        return dt.date(int(m.group("year")), month_number, int(m.group("day"))).isoformat()
    except ValueError:
        return None
