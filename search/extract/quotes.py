"""Quotes: direct quotations and reported speech ("X said that ..."), each with its speaker when named."""

from __future__ import annotations

import re

from search.models import Actor, Quote

SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adds|stated|states|stating|saying|warned|warns|argued|argues|"
    r"emphasi[sz]ed|emphasi[sz]es|emphasi[sz]ing|noted|notes|insisted|insists|claimed|claims|"
    r"announced|announces|explained|explains|asked|asks|wrote|writes|declared|declares|"
    r"stressed|stresses|stressing|acknowledged|admitted|confirmed|believes|believed|added"
)
DIRECT_QUOTE_RE = re.compile(r"[“\"](?P<body>[^“”\"\n]{20,}?)[”\"]")
REPORTED_RE = re.compile(
    rf"\b(?:{SPEECH_VERBS})(?:\s+\w+){{0,2}}?\s+that\s+(?P<body>[^.;!?]{{15,}})", re.I
)
ACCORDING_RE = re.compile(r"\baccording to\b", re.I)
# A second attribution after "According to X," names who actually said it: "quoting Y,", "citing Y,".
RELAYED_RE = re.compile(r"\s*(?:quoting|citing|according to|via)\b", re.I)
PERSON_PRONOUNS_RE = re.compile(r"\b(?:he|she)\b", re.I)
SUBJECT_PRONOUN_RE = re.compile(r"\b(?:he|she|it|they)\b", re.I)
SPEECH_NEAR_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.I)


def _mention_index(actors: list[Actor]) -> list[tuple[int, int, Actor]]:
    return sorted((m.start, m.end, a) for a in actors for m in a.mentions)


def _speaker_in(index: list[tuple[int, int, Actor]], start: int, end: int) -> Actor | None:
    """The actor named in text[start:end] closest to the speech verb; persons before organisations."""
    inside = [(s, a) for s, e, a in index if s >= start and e <= end]
    people = [x for x in inside if x[1].kind == "person"]
    chosen = people or inside
    return chosen[0][1] if chosen else None


def _last_person_before(index: list[tuple[int, int, Actor]], offset: int) -> Actor | None:
    people = [a for s, _, a in index if s < offset and a.kind == "person"]
    return people[-1] if people else None


def _last_organisation_before(index: list[tuple[int, int, Actor]], offset: int) -> Actor | None:
    organisations = [a for s, _, a in index if s < offset and a.kind == "organization"]
    return organisations[-1] if organisations else None


def extract_quotes(text: str, actors: list[Actor], sentences: list[tuple[int, int]]) -> list[Quote]:
    """Direct quotes (with the speaker named around them) and reported speech by a named actor."""
    index = _mention_index(actors)
    quotes: list[Quote] = []
    taken: list[tuple[int, int]] = []
    for m in DIRECT_QUOTE_RE.finditer(text):
        start, end = m.span("body")
        body = text[start:end].strip(" ,")
        if len(body.split()) < 4:
            continue
        speaker = _direct_speaker(text, index, m.start(), m.end())
        quotes.append(Quote(speaker.name if speaker else None, body, start, start + len(body)))
        taken.append((m.start(), m.end()))
    for s_start, s_end in sentences:
        if any(a < s_end and s_start < b for a, b in taken):
            continue
        quote = _reported(text, index, s_start, s_end)
        if quote:
            quotes.append(quote)
    return sorted(quotes, key=lambda q: q.start)


def _direct_speaker(
    text: str, index: list[tuple[int, int, Actor]], q_start: int, q_end: int
) -> Actor | None:
    """ "…," X said / said X / X said: "…" — look after the quote, then before it."""
    after_end = min(len(text), q_end + 100)
    newline = text.find("\n", q_end, after_end)
    after_end = newline if newline != -1 else after_end
    after = text[q_end:after_end]
    verb = SPEECH_NEAR_RE.search(after)
    if verb and verb.start() < 60:
        subject = SUBJECT_PRONOUN_RE.search(after[: verb.start()])
        if subject and subject.group().lower() in {"it", "they"}:
            # '"…", it added; and, later, "Kim Jong-un …"': the organisation quoted before, not
            # the name that follows the verb.
            return _last_organisation_before(index, q_start)
        if subject:
            return _last_person_before(index, q_start)
        speaker = _speaker_in(index, q_end, q_end + min(len(after), verb.end() + 40))
        if speaker:
            return speaker
    before_start = max(0, q_start - 120)
    newline = text.rfind("\n", before_start, q_start)
    before_start = newline + 1 if newline != -1 else before_start
    before = text[before_start:q_start]
    verb_before = next(reversed(list(SPEECH_NEAR_RE.finditer(before))), None)
    if verb_before and before[verb_before.end() :].strip() in {"", ":", ",", ":,"}:
        return _speaker_in(index, before_start, q_start) or (
            _last_person_before(index, q_start) if PERSON_PRONOUNS_RE.search(before) else None
        )
    return None


def _reported(
    text: str, index: list[tuple[int, int, Actor]], s_start: int, s_end: int
) -> Quote | None:
    """ "X ... stating that Y" / "X said that Y" / "According to X, Y" in one sentence."""
    sentence = text[s_start:s_end]
    m = REPORTED_RE.search(sentence)
    if m:
        speaker = _speaker_in(index, s_start, s_start + m.start())
        if speaker is None and PERSON_PRONOUNS_RE.match(sentence.lstrip()):
            speaker = _last_person_before(index, s_start)
        if speaker:
            return _quote(text, speaker, s_start + m.start("body"), s_start + m.end("body"))
    acc = ACCORDING_RE.search(sentence)
    if acc:
        comma = sentence.find(",", acc.end())
        if comma != -1:
            speaker = _speaker_in(index, s_start + acc.end(), s_start + comma)
            body_start = s_start + comma + 1
            relayed = RELAYED_RE.match(text, body_start)
            next_comma = text.find(",", body_start, s_end) if relayed else -1
            if relayed and next_comma != -1:
                # "According to X, quoting Y, Z": Y said Z; X only passed it on.
                speaker = _speaker_in(index, relayed.end(), next_comma) or speaker
                body_start = next_comma + 1
            body_end = s_end
            if speaker and body_end - body_start > 15:
                return _quote(text, speaker, body_start, body_end)
        elif acc.start() > 15:
            speaker = _speaker_in(index, s_start + acc.end(), s_end)
            if speaker:
                return _quote(text, speaker, s_start, s_start + acc.start())
    return None


def _quote(text: str, speaker: Actor, start: int, end: int) -> Quote:
    while start < end and text[start] in " ,":
        start += 1
    while end > start and text[end - 1] in " ,.;":
        end -= 1
    return Quote(speaker.name, text[start:end], start, end)
