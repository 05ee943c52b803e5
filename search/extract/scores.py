"""Match scores ("Sweden 1 – 0 Korea Republic", "ended 2-1"): one figure per score, not two counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Two small numbers joined by a dash, not part of a longer number, date, time or range of units.
SCORE_RE = re.compile(
    r"(?<![\d.,:/\-–])(?P<home>\d{1,2})[ \t]*[–—-][ \t]*(?P<away>\d{1,2})(?![\d/\-–]|[.,:]\d|[ \t]*(?:%|"
    r"per\b|percent\b|[ap]\.?m\b|(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|"
    r"metres?|meters?|miles?|km|kg|people|times)\b))"
)
# Words just before a score that say it is a result: "ended 0 – 0", "winning 2 – 1", "a 3-1 win".
RESULT_WORDS_BEFORE = frozenset(
    """ended end ends ending won win wins winning lost lose loses losing beat beats beating
    defeated defeat drew draw draws drawing finished finishing lead leading led trailing trailed
    scoreline score scored victory""".split()
)
RESULT_WORDS_AFTER = frozenset(
    """win victory defeat loss draw lead up down scoreline thrashing home away""".split()
)
# A team name: up to four capitalised words on the same line ("Korea Republic", "Manchester United").
TEAM_BEFORE_RE = re.compile(r"((?:[A-Z][\w'’.&-]*[ \t]+){1,4})$")
TEAM_AFTER_RE = re.compile(r"^[ \t]+((?:[A-Z][\w'’.&-]*)(?:[ \t]+[A-Z][\w'’.&-]*){0,3})")
NOT_TEAM_WORDS = frozenset(
    """The A An In On At By Of From To And Or But After Before Group Pool Round Chapter Article
    Section Page Pages Room Rooms Verse Verses Grade Level Stage Phase Step Part""".split()
) | frozenset(  # date ranges: "June 5-7", "Mon 3-4"
    """January February March April May June July August September October November December Jan
    Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun""".split()
)


# "Sweden defeated South Korea 1 – 0", "Tunisia lost 1 – 2 to England", "Chile drew 1-1 with Peru".
BEAT_BEFORE_RE = re.compile(
    r"((?:[A-Z][\w'’.&-]*[ \t]+){1,4})(?:defeated|beat|beats|thrashed|edged|overcame|routed)[ \t]+"
    r"(?:[a-z]+[ \t]+)?(?:[A-Z][\w'’.&-]*[ \t]+){1,4}$"
)
LOST_RE = re.compile(r"((?:[A-Z][\w'’.&-]*[ \t]+){1,4})(?:lost|lose|loses)[ \t]+$")
DREW_RE = re.compile(r"((?:[A-Z][\w'’.&-]*[ \t]+){1,4})(?:drew|draw|draws)[ \t]+$")
OPPONENT_AFTER_RE = re.compile(
    r"^[ \t]+(?:to|with|against)[ \t]+((?:[A-Z][\w'’.&-]*)(?:[ \t]+[A-Z][\w'’.&-]*){0,3})"
)


@dataclass(frozen=True)
class Score:
    """A score as written, with the teams named on either side of it when the text names both."""

    start: int
    end: int
    home: str | None
    away: str | None

    def result(self, text: str) -> str:
        """ "Sweden beat Korea Republic" / "Tunisia drew with England"; empty without both teams."""
        if not (self.home and self.away):
            return ""
        m = SCORE_RE.match(text, self.start)
        home_goals, away_goals = (int(m.group("home")), int(m.group("away"))) if m else (0, 0)
        if home_goals == away_goals:
            return f"{self.home} drew with {self.away}"
        winner, loser = (
            (self.home, self.away) if home_goals > away_goals else (self.away, self.home)
        )
        return f"{winner} beat {loser}"


def _team(run: str, from_end: bool) -> str | None:
    """The capitalised run nearest the score, without function words ("In", "Group")."""
    tokens = run.split()
    kept: list[str] = []
    for token in reversed(tokens) if from_end else tokens:
        if token in NOT_TEAM_WORDS or token.isupper() and len(token) == 1:
            break
        kept.append(token)
    if from_end:
        kept.reverse()
    return " ".join(kept) or None


def _teams_from_verb(
    before: str, after: str, m: re.Match[str], home: str | None, away: str | None
) -> tuple[str | None, str | None]:
    """Teams written around a result verb, ordered so the higher number is the winner's."""
    beat = BEAT_BEFORE_RE.search(before)
    if beat and home and not away:
        winner = _team(beat.group(1), from_end=True)
        high_first = int(m.group("home")) >= int(m.group("away"))
        return (winner, home) if high_first else (home, winner)
    verb = LOST_RE.search(before) or DREW_RE.search(before)
    opponent = OPPONENT_AFTER_RE.match(after)
    if verb and opponent:
        team = _team(verb.group(1), from_end=True)
        other = _team(opponent.group(1), from_end=False)
        lower_first = int(m.group("home")) <= int(m.group("away"))
        return (team, other) if lower_first else (other, team)
    return home, away


def find_scores(text: str) -> list[Score]:
    """Every score in the text: two small numbers joined by a dash beside a team name or a result word."""
    scores: list[Score] = []
    for m in SCORE_RE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        before = text[line_start : m.start()]
        after = text[m.end() : line_end if line_end != -1 else len(text)]
        team_before = TEAM_BEFORE_RE.search(before)
        team_after = TEAM_AFTER_RE.match(after)
        home = _team(team_before.group(1), from_end=True) if team_before else None
        away = _team(team_after.group(1), from_end=False) if team_after else None
        home, away = _teams_from_verb(before, after, m, home, away)
        word_before = re.findall(r"[A-Za-z]+", before[-20:])
        word_after = re.findall(r"[A-Za-z]+", after[:20])
        is_result = (
            (word_before and word_before[-1].lower() in RESULT_WORDS_BEFORE)
            or (word_after and word_after[0].lower() in RESULT_WORDS_AFTER)
            or "scoreboard" in after[:30].lower()
        )
        if home or is_result:
            scores.append(Score(m.start(), m.end(), home, away))
    return scores
