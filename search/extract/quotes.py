"""Quotes: quotation-mark spans paired with a speech verb and a speaker, and reported speech; best card quote first."""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.extract.actors import HONORIFICS, ROLE_MODIFIERS, TITLE_HEADS
from search.extract.normalise import sentence_at
from search.models import Actor, Quote
from search.text import is_abbreviation

SPEECH_VERBS = (
    r"said|says|say|told|tells|added|adds|stated|states|asked|asks|explained|explains|"
    r"commented|comments|wrote|writes|tweeted|tweets|posted|warned|warns|insisted|insists|"
    r"argued|argues|noted|notes|claimed|claims|announced|announces|declared|declares|"
    r"stressed|stresses|acknowledged|acknowledges|admitted|admits|confirmed|confirms|"
    r"replied|replies|responded|responds|continued|continues|concluded|concludes|observed|"
    r"remarked|recalled|recalls|suggested|suggests|urged|urges|predicted|predicts|conceded|"
    r"concedes|cautioned|cautions|vowed|vows|promised|promises|joked|jokes|testified|"
    r"emphasi[sz]ed|emphasi[sz]es|pointed\s+out|saying|stating|telling|adding|writing|"
    r"tweeting|explaining|warning|insisting|arguing|noting|claiming|stressing|emphasi[sz]ing"
)
VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.I)
# "X said: "…"", "X told reporters on Monday, "…"", "X said the plan was "…"": the verb, at most five
# more words, then the quote.
VERB_BEFORE_QUOTE_RE = re.compile(
    rf"\b(?P<verb>{SPEECH_VERBS})\b(?:\s+[^\s:,;.!?\"“”]+){{0,5}}?\s*[:,]?\s*$", re.I
)
ACCORDING_BEFORE_RE = re.compile(r"\baccording to\s+(?P<who>[^,;:]+?)\s*[,:]\s*$", re.I)
AFTER_RE = re.compile(
    r"[\s,;—–-]*(?:(?P<acc>according to)|(?P<verb>" + SPEECH_VERBS + r"))\b", re.I
)
# "said that …", "told reporters that …", "said on Monday that …": a complement clause, not a
# relative one ("announced the locations that would be given …" is narration).
REPORTED_RE = re.compile(
    r"\b(?P<verb>(?:told|tells)(?:\s+[\w’'.-]+){1,3}?"
    rf"|(?:{SPEECH_VERBS})(?:\s+(?:on|last|earlier|this|in)\s+\w+(?:\s+\w+)?)?)"
    r",?\s+that\s+(?P<body>[^.;!?]{15,})",
    re.I,
)
ACCORDING_RE = re.compile(r"\baccording to\b", re.I)
# A second attribution after "According to X," names who actually said it: "quoting Y,", "citing Y,".
RELAYED_RE = re.compile(r"\s*(?:quoting|citing|according to|via)\b", re.I)
RELAYED_BY_RE = re.compile(r"\b(?:quoted|quoting|citing|cited)\b", re.I)
PERSON_PRONOUN_RE = re.compile(r"(?:he|she)(?:\s+(?:also|then|later|\w+ly))?", re.I)
ORGANISATION_PRONOUN_RE = re.compile(r"(?:it|they)(?:\s+(?:also|then|later|\w+ly))?", re.I)
# A name standing alone as the speaker: "said Koval", "Mr Koval said" (no actor needed).
NAME_RE = re.compile(r"(?:(?:Mr|Mrs|Ms|Dr|Prof|Sir)\.?\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2}")
NOT_NAMES = frozenset(
    "i we you he she it they this that the a an there here today yesterday police officials "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)
# A speaker is never the object of a preposition ("speaking to Takaichi, Lee said").
PREPOSITION_BEFORE_RE = re.compile(
    r"\b(?:to|for|of|with|by|at|from|in|on|about|against|than|and|met|meeting|visiting|quoting)\s+(?:the\s+)?$",
    re.I,
)
# "Cornyn's statement added" is Cornyn speaking; "Smith's lawyer said" is not Smith.
OWN_WORDS_RE = re.compile(
    r"[’']s\s+(?:statement|tweet|post|letter|message|website|blog|account|spokes\w+)", re.I
)
OPENING_MARKS = "“"
CLOSING_MARKS = "”"
STRAIGHT_MARK = '"'
SENTENCE_END_RE = re.compile(r"[.!?;]+(?=[\s\"”’)]*(?:\s|$))")
SUBJECT_PRONOUNS = frozenset("i we you he she it they".split())
# Words that may stand before a sentence's subject: "But Metropolitan Police Commissioner Sir John
# Stevens", "EBay president and chief executive Meg Whitman"; not "As X arrived", "He sees X".
SUBJECT_LEAD_WORDS = (
    TITLE_HEADS | ROLE_MODIFIERS | frozenset("the a an and but its his her their boss".split())
)
SUBORDINATORS = frozenset(
    "as though although while when whenever after before because if since until unless once "
    "whether where whereas".split()
)
REPORTED_SPEAKER_GAP = 6  # words between the speaker and the verb: "X, spokesman for Y, said that"
MIN_WORDS = 3  # "We stand together" is a quote; "support movement" is not
CARD_WORDS = (8, 40)
SUBJECT_WORDS = 4  # a name within the first four words of its sentence is its subject


@dataclass
class _Marked:
    """One quotation-mark span in a paragraph, and who (if anyone) it is attributed to."""

    open: int  # the opening mark
    close: int  # just after the closing mark (the body's end when the paragraph ran out first)
    body_start: int
    body_end: int
    para_start: int
    para_end: int
    attributed: bool = False
    speaker: str | None = None
    speaker_kind: str | None = None
    attribution_end: int = -1  # where the attribution clause after the quote ends
    continued: bool = False  # speaker carried over from the quote before


def extract_quotes(text: str, actors: list[Actor], sentences: list[tuple[int, int]]) -> list[Quote]:
    """Attributed quotation-mark quotes and reported speech by a named actor, best card quote first."""
    spans = [m for p_start, p_end in _paragraphs(text) for m in _marked_spans(text, p_start, p_end)]
    ctx = _Context(text, _mention_index(actors, spans), sentences, {}, actors)
    _attribute(ctx, spans)
    ranked: list[tuple[tuple[int, bool, bool, int], Quote]] = []
    for span in spans:
        body = text[span.body_start : span.body_end]
        stripped = body.rstrip(" ,;:—–-")
        if not span.attributed or len(stripped.split()) < MIN_WORDS:
            continue
        start = span.body_start + len(body) - len(body.lstrip())
        quote = Quote(span.speaker, text[start : span.body_start + len(stripped)], start, 0)
        quote.end = start + len(quote.text)
        tier = 3 if span.speaker is None else (1 if span.continued else 0)
        ranked.append((_rank_key(quote, tier), quote))
    for s_start, s_end in sentences:
        if any(s.open < s_end and s_start < s.close for s in spans):
            continue
        reported = _reported(ctx, s_start, s_end)
        if reported:
            ranked.append((_rank_key(reported, 2), reported))
    ranked.sort(key=lambda pair: pair[0])
    return [quote for _, quote in ranked]


def _rank_key(quote: Quote, tier: int) -> tuple[int, bool, bool, int]:
    """Named direct quotes first, then carried-over, then reported; a full 8-40 word sentence first."""
    n_words = len(quote.text.split())
    card_sized = CARD_WORDS[0] <= n_words <= CARD_WORDS[1]
    full_sentence = quote.text[:1].isupper()
    return (tier, not card_sized, not full_sentence, quote.start)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs: blank-line separated, and a line break ends one unless the line runs on mid-sentence."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"\n", text):
        before = text[start : m.start()].rstrip()
        after = text[m.end() : m.end() + 1]
        runs_on = (
            before
            and before[-1] not in '.!?:"”’)'
            and after
            and not after.isspace()
            and after not in '#>*-+|"“'
        )
        if not runs_on:
            if before:
                out.append((start, start + len(before)))
            start = m.end()
    if text[start:].strip():
        out.append((start, len(text.rstrip())))
    return out


# Any of the marks: the paragraph is searched for them, not read a character at a time in Python.
QUOTATION_MARK_RE = re.compile("[" + re.escape(OPENING_MARKS + CLOSING_MARKS + STRAIGHT_MARK) + "]")


def _marked_spans(text: str, p_start: int, p_end: int) -> list[_Marked]:
    """Balanced quotation marks in one paragraph; each mark is read as opening or closing from context."""
    spans: list[_Marked] = []
    open_at = -1
    for mark in QUOTATION_MARK_RE.finditer(text, p_start, p_end):
        i, char = mark.start(), mark.group()
        prev = text[i - 1] if i > p_start else " "
        nxt = text[i + 1] if i + 1 < p_end else " "
        can_open = (prev.isspace() or prev in "([{—–-/:;,“‘") and not nxt.isspace()
        can_close = not prev.isspace() and (nxt.isspace() or nxt in ".,;:!?)]}—–-”’'\"")
        if char in OPENING_MARKS:
            opens, closes = can_open or not can_close, can_close and not can_open
        elif char in CLOSING_MARKS:
            opens, closes = can_open and not can_close, can_close or not can_open
        else:
            opens, closes = can_open, can_close
        if open_at < 0:
            if opens:
                open_at = i
        elif closes:
            spans.append(_Marked(open_at, i + 1, open_at + 1, i, p_start, p_end))
            open_at = -1
        elif opens:
            ended = text[open_at + 1 : i].rstrip()
            if ended.endswith((".", "!", "?")):
                # A quote running on over a lost paragraph break: '"First. "Second."' is two spans.
                end = open_at + 1 + len(ended)
                spans.append(_Marked(open_at, end, open_at + 1, end, p_start, p_end))
            open_at = i
    if open_at >= 0:
        # Unclosed at the paragraph's end: a quote going on into the next paragraph.
        spans.append(_Marked(open_at, p_end, open_at + 1, p_end, p_start, p_end))
    return spans


@dataclass
class _Context:
    """What attribution reads: the text, actor mentions outside quotes, sentences, speakers so far."""

    text: str
    index: list[_Mention]
    sentences: list[tuple[int, int]]
    # The latest attributed speaker of each kind and where its quote opened, for "he said"/"it added".
    recent: dict[str, tuple[int, str]]
    actors: list[Actor]


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    actor: Actor


def _mention_index(actors: list[Actor], spans: list[_Marked]) -> list[_Mention]:
    """Actor mentions outside quotation marks (a name inside a quote is not who speaks), in order."""
    bodies = [(s.body_start, s.body_end) for s in spans]
    return sorted(
        (
            _Mention(m.start, m.end, a)
            for a in actors
            for m in a.mentions
            if not any(b <= m.start < e for b, e in bodies)
        ),
        key=lambda m: m.start,
    )


def _attribute(ctx: _Context, spans: list[_Marked]) -> None:
    """Give each span the speaker its speech verb names, or carry one over from the quote before."""
    for i, span in enumerate(spans):
        previous = spans[i - 1] if i else None
        if _attribute_after(ctx, span, spans) or _attribute_before(ctx, span, previous):
            pass
        elif previous is not None and previous.attributed and _continues(ctx.text, previous, span):
            span.attributed = True
            span.speaker, span.speaker_kind = previous.speaker, previous.speaker_kind
            span.continued = True
        if span.speaker and span.speaker_kind:
            ctx.recent[span.speaker_kind] = ctx.recent["any"] = (span.open, span.speaker)


def _continues(text: str, previous: _Marked, span: _Marked) -> bool:
    """'"A," he said. "B."' and a paragraph that only goes on quoting: the same speaker."""
    after_previous = max(previous.close, previous.attribution_end)
    if previous.para_start == span.para_start:
        return not text[after_previous : span.open].strip(" \t.,;")
    whole_paragraph = span.open == span.para_start and (
        span.close >= span.para_end - 1 or not text[span.close : span.para_end].strip(" .")
    )
    ended_previous = not text[after_previous : previous.para_end].strip(" .")
    return whole_paragraph and ended_previous


def _is_abbreviation_stop(text: str, stop: re.Match[str]) -> bool:
    words = text[max(0, stop.start() - 12) : stop.end()].split()
    return stop.group() == "." and bool(words) and is_abbreviation(words[-1])


def _clause_end(text: str, start: int, limit: int) -> int:
    """Where the sentence going on at start ends (before limit), skipping abbreviations' stops."""
    for m in SENTENCE_END_RE.finditer(text, start, limit):
        if not _is_abbreviation_stop(text, m):
            return m.end()
    return limit


def _attribute_after(ctx: _Context, span: _Marked, spans: list[_Marked]) -> bool:
    """'"…," said X' / '"…," X said' / '"…", it added' / '"…" according to X'."""
    text = ctx.text
    if span.close <= span.body_end:  # unclosed: nothing after it in the paragraph
        return False
    later = [s.open for s in spans if s.open >= span.close and s.para_start == span.para_start]
    end = _clause_end(text, span.close, min([span.para_end, *later]))
    clause = text[span.close : end]
    ends_sentence = text[span.body_start : span.body_end].rstrip().endswith(".")
    lead = AFTER_RE.match(clause)
    if lead:  # "…," said X
        who_start = span.close + lead.end()
        who_end = _first_of(text, who_start, end, ",;")
        if ends_sentence and len(text[who_start:who_end].split()) > 4:
            return False
        speaker = _speaker(ctx, who_start, who_end, span.open, first=True)
    else:  # "…," X said
        verb = VERB_RE.search(clause)
        if verb is None:
            return False
        who_start = span.close + len(clause) - len(clause.lstrip(" ,;—–-"))
        who_end = span.close + verb.start()
        who_words = text[who_start:who_end].split()
        # A long stretch before the verb is a sentence of its own, not "the company's chief, Jane Doe,".
        if not who_words or len(who_words) > 12 or (ends_sentence and len(who_words) > 4):
            return False
        if ends_sentence and len(text[span.close + verb.end() : end].split()) > 3:
            return False
        speaker = _speaker(ctx, who_start, who_end, span.open, first=False)
    span.attributed = True
    span.attribution_end = end
    span.speaker, span.speaker_kind = speaker if speaker else (None, None)
    return True


def _attribute_before(ctx: _Context, span: _Marked, previous: _Marked | None) -> bool:
    """'X said: "…"' / 'X said "…"' / 'According to X, "…"', or a colon-ended paragraph before."""
    text = ctx.text
    clause_start = span.para_start
    if previous is not None and previous.para_start == span.para_start:
        clause_start = max(previous.close, previous.attribution_end)
    for m in SENTENCE_END_RE.finditer(text, clause_start, span.open):
        if not _is_abbreviation_stop(text, m):
            clause_start = m.end()
    clause_end = span.open
    if span.open == span.para_start:
        # The quote opens its paragraph: 'Obama tweeted using his account:' ends the one before.
        before = text[: span.para_start].rstrip()
        if not before.endswith(":"):
            return False
        clause_start = max(0, before.rfind("\n") + 1)
        for m in SENTENCE_END_RE.finditer(text, clause_start, len(before) - 1):
            if not _is_abbreviation_stop(text, m):
                clause_start = m.end()
        clause_end = len(before)
    clause = text[clause_start:clause_end]
    according = ACCORDING_BEFORE_RE.search(clause)
    if according:
        who_start = clause_start + according.start("who")
        who_end = clause_start + according.end("who")
        speaker = _speaker(ctx, who_start, who_end, span.open, first=True)
    else:
        verb = VERB_BEFORE_QUOTE_RE.search(clause)
        if verb is None:
            return False
        who_end = clause_start + verb.start("verb")
        speaker = _speaker(ctx, clause_start, who_end, span.open, first=False)
    span.attributed = True
    span.speaker, span.speaker_kind = speaker if speaker else (None, None)
    return True


def _first_of(text: str, start: int, end: int, chars: str) -> int:
    positions = [p for p in (text.find(c, start, end) for c in chars) if p != -1]
    return min(positions, default=end)


def _speaker(
    ctx: _Context, start: int, end: int, quote_at: int, first: bool
) -> tuple[str, str] | None:
    """Who text[start:end] names as the speaker: an actor, a pronoun's antecedent, or a bare name."""
    text = ctx.text
    relayed = RELAYED_BY_RE.search(text, start, end)
    if relayed:
        # "Reuters quoted a central bank official as saying": the official speaks, not Reuters.
        start = relayed.end()
    region = text[start:end].strip(" ,;:.—–-")
    if _is_pronoun(region, PERSON_PRONOUN_RE):
        return _antecedent(ctx, quote_at, "person")
    if _is_pronoun(region, ORGANISATION_PRONOUN_RE):
        return _antecedent(ctx, quote_at, "organization")
    candidates = [
        m
        for m in ctx.index
        if start <= m.start
        and m.end <= end + 2
        and not PREPOSITION_BEFORE_RE.search(text[max(start, m.start - 15) : m.start])
        and (text[m.end : m.end + 2] not in {"'s", "’s"} or OWN_WORDS_RE.match(text, m.end))
    ]
    if candidates:
        people = [m for m in candidates if m.actor.kind == "person"]
        chosen = people or candidates
        mention = chosen[0] if first else chosen[-1]
        return mention.actor.name, mention.actor.kind
    return _bare_name(region, ctx.index)


def _is_pronoun(region: str, pronoun: re.Pattern[str]) -> bool:
    """'he', 'she also', or a short clause ending in one ('In a statement, he')."""
    last_clause = region.split(",")[-1].split()
    return 0 < len(last_clause) <= 3 and bool(
        pronoun.fullmatch(" ".join(last_clause[-2:])) or pronoun.fullmatch(last_clause[-1])
    )


def _bare_name(region: str, index: list[_Mention]) -> tuple[str, str] | None:
    """A speaker named but not among the actors ("said Koval"): the actor with that surname, or the name."""
    if not NAME_RE.fullmatch(region):
        return None
    words = [w for w in region.split() if w.rstrip(".").lower() not in HONORIFICS | {"prof", "sir"}]
    if not words or words[0].lower() in NOT_NAMES:
        return None
    surname = words[-1]
    for m in reversed(index):
        if surname in m.actor.name.split():
            return m.actor.name, m.actor.kind
    return " ".join(words), "person"


def _antecedent(ctx: _Context, before: int, kind: str) -> tuple[str, str] | None:
    """'he said' / 'it added': the latest speaker or sentence subject of that kind before the quote."""
    recent = ctx.recent.get(kind)
    latest = ctx.recent.get("any")
    for m in reversed([m for m in ctx.index if m.start < before and m.actor.kind == kind]):
        if latest and latest[0] > m.start:
            # Someone spoke since this name: "he" is most likely that speaker, if the kind fits.
            return (latest[1], kind) if latest == recent else None
        if _is_subject(ctx, m):
            # "For Kevin Allton, …, Warhol was a legend. He said": two people lead; neither is sure.
            s_start, _ = sentence_at(ctx.sentences, m.start)
            fronted = [
                o for o in ctx.index if s_start <= o.start < m.start and o.actor.kind == kind
            ]
            return None if fronted else (m.actor.name, m.actor.kind)
    return (recent[1], kind) if recent and recent == latest else None


def _is_subject(ctx: _Context, mention: _Mention) -> bool:
    """A name that starts its sentence (or the clause after an opening phrase), titles aside."""
    text = ctx.text
    if text[mention.end : mention.end + 2] in {"'s", "’s"}:
        return False
    s_start, _ = sentence_at(ctx.sentences, mention.start)
    lead = text[max(s_start, text.rfind("\n", 0, mention.start) + 1) : mention.start]
    words = lead.split(",")[-1].split()
    if len(words) > 6:
        return False
    for word in words:
        lower = word.lower().rstrip(".")
        if lower in SUBJECT_PRONOUNS or lower in SUBORDINATORS:
            return False
        if not word[:1].isupper() and lower not in SUBJECT_LEAD_WORDS:
            return False
    return not words or words[-1].lower() not in {"of", "for", "and", "the", "a", "an"}


def _reporting_speaker(ctx: _Context, s_start: int, verb_at: int) -> Actor | None:
    """Who says "… that": the name just before the verb, else the sentence's subject."""
    text = ctx.text
    candidates = [
        m
        for m in ctx.index
        if s_start <= m.start
        and m.end <= verb_at
        and not PREPOSITION_BEFORE_RE.search(text[max(s_start, m.start - 15) : m.start])
        and text[m.end : m.end + 2] not in {"'s", "’s"}
    ]
    subjects = [m for m in candidates if _is_subject(ctx, m)]
    if subjects and text[subjects[0].end : subjects[0].end + 1] == ",":
        # "Valeska Paris, an Australian woman and former Scientologist, has claimed that": the
        # subject speaks, not a name in the apposition after it.
        return subjects[0].actor
    if candidates and len(text[candidates[-1].end : verb_at].split()) <= REPORTED_SPEAKER_GAP:
        return candidates[-1].actor
    return subjects[0].actor if subjects else None


def _reported(ctx: _Context, s_start: int, s_end: int) -> Quote | None:
    """ "X ... stating that Y" / "X said that Y" / "According to X, Y" in one sentence."""
    text, index = ctx.text, ctx.index
    sentence = text[s_start:s_end]
    # Most sentences have no "that": the pattern's hundred verbs are not tried on them.
    m = REPORTED_RE.search(sentence) if "that" in sentence.lower() else None
    if m:
        speaker = _reporting_speaker(ctx, s_start, s_start + m.start())
        if speaker is None and PERSON_PRONOUN_RE.match(sentence.lstrip()):
            found = _antecedent(ctx, s_start, "person")
            speaker = next((a for a in ctx.actors if found and a.name == found[0]), None)
        if speaker:
            return _quote(text, speaker, s_start + m.start("body"), s_start + m.end("body"))
    acc = ACCORDING_RE.search(sentence)
    if acc:
        comma = sentence.find(",", acc.end())
        if comma != -1:
            speaker = _actor_in(index, s_start + acc.end(), s_start + comma)
            body_start = s_start + comma + 1
            relayed = RELAYED_RE.match(text, body_start)
            next_comma = text.find(",", body_start, s_end) if relayed else -1
            if relayed and next_comma != -1:
                # "According to X, quoting Y, Z": Y said Z; X only passed it on.
                speaker = _actor_in(index, relayed.end(), next_comma) or speaker
                body_start = next_comma + 1
            if speaker and s_end - body_start > 15:
                return _quote(text, speaker, body_start, s_end)
        elif acc.start() > 15:
            speaker = _actor_in(index, s_start + acc.end(), s_end)
            if speaker:
                return _quote(text, speaker, s_start, s_start + acc.start())
    return None


def _actor_in(index: list[_Mention], start: int, end: int) -> Actor | None:
    """The first actor named in text[start:end]; persons before organisations."""
    inside = [m.actor for m in index if m.start >= start and m.end <= end]
    people = [a for a in inside if a.kind == "person"]
    chosen = people or inside
    return chosen[0] if chosen else None


def _quote(text: str, speaker: Actor, start: int, end: int) -> Quote:
    while start < end and text[start] in " ,":
        start += 1
    while end > start and text[end - 1] in " ,.;":
        end -= 1
    return Quote(speaker.name, text[start:end], start, end)
