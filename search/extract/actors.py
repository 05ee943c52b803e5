"""Actors: clean person/organisation mentions, find their roles, merge every way the text names one actor."""

from __future__ import annotations

import gzip
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from search.config import RESOURCES_DIR
from search.extract.normalise import (
    PRONOUNS,
    Entity,
    Word,
    cut_at_line_break,
    is_word_char,
    name_key,
    strip_article,
    strip_edges,
    strip_possessive,
    words,
)
from search.models import Actor, ActorKind, Span

# Courtesy titles: stripped from names, never a role.
HONORIFICS = frozenset("mr mrs ms miss mx mister madam madame sir dame dr".split())
# Words that head a role or title ("Foreign Minister", "chief executive", "Ambassador").
TITLE_HEADS = frozenset(
    """president vice-president president-elect premier chancellor minister secretary
    secretary-general undersecretary king queen prince princess emperor empress pope
    governor mayor senator sen representative rep congressman congresswoman lawmaker mp
    general gen admiral colonel col lieutenant lt captain capt sergeant sgt commander major
    judge justice ambassador envoy spokesman spokeswoman spokesperson chairman chairwoman chair
    director ceo cfo coo executive commissioner speaker leader founder co-founder head
    bishop archbishop cardinal rabbi imam sheikh ayatollah cleric pastor reverend rev
    coach manager captain professor prof detective inspector officer chief superintendent sheriff
    attorney prosecutor lawyer counsel adviser advisor aide analyst economist scientist researcher
    editor correspondent reporter author spokesman dean principal chancellor treasurer
    president-elect sultan emir crown""".split()
)
# Words that can sit inside a role before its head ("deputy", "former", "foreign").
ROLE_MODIFIERS = frozenset(
    """former acting interim deputy vice chief senior junior assistant associate executive
    general foreign defence defense finance home interior justice health trade state prime
    first lead managing national regional supreme top then incoming outgoing new shadow
    joint""".split()
)
# A qualifier that changes what a role means ("former", "shadow"): kept even before a party or
# country the role names ("former Labour MP", "shadow Home Secretary").
ROLE_QUALIFIERS = frozenset("former ex shadow acting interim deputy junior vice outgoing".split())
# Prefixes joined to a title by a hyphen ("ex-minister", "vice-chairman", "co-founder").
TITLE_PREFIXES = ("ex-", "vice-", "co-", "deputy-", "acting-", "former-")
# A government portfolio that names the minister ("Environment Secretary", "international
# development minister", "home affairs spokesman"): part of the role, even as a sentence's first word.
PORTFOLIO_WORDS = frozenset(
    """environment home foreign defence defense health education culture media sport transport
    trade industry energy agriculture justice interior finance treasury economy economic employment
    work pensions development international affairs security homeland immigration europe european
    business enterprise science technology housing local government communities constitutional
    rural food fisheries family equality women children cabinet office commerce war public social
    welfare heritage information communications digital planning exchequer budget climate
    legal policy tourism labour""".split()
)
NAME_CONNECTORS = frozenset("of for to at".split())
# Nouns that say what someone is or does, written before a name in lower case ("shock jock Howard
# Stern", "England skipper Jason Robinson", "Fly-half Charlie Hodgson"): a role like a title.
ROLE_NOUNS = frozenset(
    """skipper jock magnate tycoon mogul entrepreneur businessman businesswoman billionaire
    millionaire banker financier investor journalist broadcaster presenter host commentator pundit
    columnist critic writer novelist poet playwright author composer singer singer-songwriter
    songwriter rapper musician guitarist drummer bassist pianist vocalist frontman star actor
    actress comedian director producer designer photographer artist sculptor architect
    striker midfielder defender goalkeeper keeper winger fly-half scrum-half full-back centre
    flanker prop hooker lock number batsman bowler all-rounder sprinter hurdler runner athlete
    cyclist boxer golfer jockey driver swimmer player champion veteran rival team-mate
    campaigner activist protester lobbyist economist strategist consultant historian
    physicist chemist biologist engineer inventor entrepreneur doctor surgeon nurse scientist
    teacher pilot officer boss owner chef model blogger hacker whistleblower""".split()
)
# Lower-case words that never sit inside a role before a name: function words and verbs of the
# clause around it ("told reporter X" is "reporter", "beat champion X" is "champion").
NOT_ROLE_WORDS = frozenset(
    """the a an and or but of for to at in on by with from as than that this these those his her
    its their our my your who whom which when while after before said says told tells beat beats
    met meets hit led won lost left made took gave saw sent brought put set let got sold bought paid
    quit became came kept held named is was are were be been has have had will would can could may
    might must should also yesterday today now then new like including where what why how whose against between about over
    under into onto upon via per not no nor so yet""".split()
)
ROLE_STOP_LABELS = frozenset({"NORP", "GPE", "ORG", "LOC", "FAC", "PERSON"})
TITLE_WORD = re.compile(r"^[A-Za-z][A-Za-z.\-]*$")
# Last words that make a name an organisation whatever the model called it ("Keio University",
# "Labour Party", "Acme Inc"), and first words before "of" that do the same ("Ministry of Defence").
ORG_HEADS = frozenset(
    """university college academy institute ministry department party inc inc. ltd ltd. plc corp
    corp. corporation company co. group council commission committee agency association
    federation foundation society authority board
    gazette herald tribune chronicle telegraph times post journal airlines airways""".split()
)
ORG_PREFIXES = frozenset(
    "university ministry department bank council commission committee institute".split()
)
# Words that start a sentence and sometimes the model's name after them: never part of a name.
SENTENCE_ADVERBS = frozenset(
    """nevertheless however meanwhile moreover furthermore instead indeed also but and yet still
    although though while whereas so then now fellow""".split()
)
GIVEN_NAMES_PATH = RESOURCES_DIR / "given_names.txt.gz"
# A noun that says what someone does ("broadcaster", "novelist", "actor").
DESCRIPTIVE_NOUN_RE = re.compile(r"^[A-Za-z]{4,}(?:er|or|ist|ian|ant|ent)$")
NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*$")


@dataclass
class NameMention:
    """One cleaned mention of a person or organisation."""

    name: str
    start: int
    end: int
    kind: ActorKind
    role: str | None = None


@dataclass
class ActorGroup:
    """Mentions being merged into one actor."""

    kind: ActorKind
    mentions: list[NameMention] = field(default_factory=list)

    def forms(self) -> list[str]:
        return [m.name for m in self.mentions]


# The legal form a company's name may end with, as name keys write it.
LEGAL_FORMS = frozenset(
    "inc corp corporation co ltd plc llc ag sa nv gmbh bv spa holdings group".split()
)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Common given names (lower case), loaded once per process from resources/given_names.txt.gz."""
    with gzip.open(GIVEN_NAMES_PATH, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


def looks_like_full_name(name: str) -> bool:
    """ "Eliza Carthy": two or three capitalised words, the first a common given name."""
    tokens = name.split()
    return (
        2 <= len(tokens) <= 3
        and all(NAME_WORD.match(t) for t in tokens)
        and tokens[0].lower() in given_names()
    )


def is_organisation_name(name: str) -> bool:
    """True when the name's head says it is an organisation ("X University", "Ministry of X")."""
    tokens = name.lower().split()
    if len(tokens) < 2:
        return False
    return tokens[-1] in ORG_HEADS or (tokens[0] in ORG_PREFIXES and tokens[1] == "of")


# What follows a company's own "'s" name ("Foster's said", "at McDonald's."), unlike a possessive
# ("Foster's offer"): punctuation, the end, a verb or a company suffix.
NAME_NOT_POSSESSIVE_RE = re.compile(
    r"(?:\s*[^\w\s]|\s*$|\s+(?:said|says|has|had|is|was|will|would|which|who|"
    r"Group|Restaurants|Inc|Ltd|plc|Corp)\b)"
)


def possessive_is_name(text: str, start: int, end: int) -> bool:
    """True for "Foster's", "McDonald's": a one-word name + 's that the text never writes without it.

    The text must also use it at least once where a possessive could not stand ("Foster's said").
    """
    surface = text[start:end]
    if len(surface) < 4 or surface[-2:] not in {"'s", "’s"} or " " in surface:
        return False
    if surface[:-2].isupper():
        return False  # "BBC's": acronyms are written bare
    # str.find, not a pattern built from the name: nothing is compiled per name or per text.
    bare = surface[:-2]
    written_with_s = []
    for start in _word_starts(text, bare):
        after = start + len(bare)
        if not _joins_word(text[after : after + 1]):
            return False  # written bare
        if text[after : after + 1] in "'’" and text[after + 1 : after + 2] == "s":
            if not is_word_char(text[after + 2 : after + 3]):
                written_with_s.append(after + 2)
    return any(NAME_NOT_POSSESSIVE_RE.match(text, end) for end in written_with_s)


def _word_starts(text: str, word: str) -> list[int]:
    """Where `word` starts in the text after neither a word character nor an apostrophe."""
    starts = []
    found = text.find(word)
    while found >= 0:
        if not _joins_word(text[found - 1 : found] if found else ""):
            starts.append(found)
        found = text.find(word, found + 1)
    return starts


def _joins_word(char: str) -> bool:
    return is_word_char(char) or (char != "" and char in "'’")


def clean_name(text: str, ent: Entity, kind: ActorKind) -> tuple[NameMention | None, str | None]:
    """The mention without edge punctuation, possessive, "the" or titles; plus a title found inside it."""
    start, end = strip_edges(text, *cut_at_line_break(text, ent.start, ent.end))
    start, end = strip_possessive(text, start, end)
    start, end = strip_edges(text, start, end)
    if kind == "organization":
        start, end = strip_article(text, start, end)
    first = re.match(r"(\w+)\s+(?=[A-Z])", text[start:end])
    if first and first.group(1).lower() in SENTENCE_ADVERBS:
        start += first.end()  # "Nevertheless Franz Ferdinand were ..."
    role_words: list[str] = []
    if kind == "person":
        # The model sometimes tags "President Trump" or "Ms Takaichi" as the person: peel titles off.
        inner = words(text, start, end)
        while len(inner) > 1 and _is_title_word(inner[0].text):
            if inner[0].text.rstrip(".").lower() not in HONORIFICS:
                role_words.append(inner[0].text)
            inner = inner[1:]
        if (
            len(inner) >= 3
            and inner[0].lower not in given_names()
            and inner[1].lower in given_names()
            and NAME_WORD.match(inner[1].text)
        ):
            # "Broadcaster Chris Evans", "Beatle George Harrison": a descriptive word, then the name.
            if DESCRIPTIVE_NOUN_RE.match(inner[0].text) and not role_words:
                role_words.append(inner[0].text.lower())
            inner = inner[1:]
        start = inner[0].start if inner else start
    name = text[start:end]
    if not _is_name(name):
        return None, None
    role = (
        " ".join(role_words)
        if role_words and (_has_head(role_words) or DESCRIPTIVE_NOUN_RE.match(role_words[-1]))
        else None
    )
    return NameMention(name, start, end, kind, role), role


def _is_title_word(token: str) -> bool:
    low = token.rstrip(".").lower()
    return low in HONORIFICS or low in TITLE_HEADS or low in ROLE_MODIFIERS


def _has_head(role_words: list[str]) -> bool:
    return any(w.rstrip(".").lower() in TITLE_HEADS for w in role_words)


def _is_name(name: str) -> bool:
    if len(name) < 2 or not any(c.isalpha() for c in name):
        return False
    if name.lower() in PRONOUNS or not (name[0].isupper() or name[0].isdigit()):
        return False
    tokens = name.replace(".", " ").split()
    return not all(_is_title_word(t) for t in tokens)


def role_before(
    text: str, mention: NameMention, sentence_start: int, ents: list[Entity]
) -> str | None:
    """A title written just before the name: "Japanese Foreign Minister Toshimitsu Motegi" -> "Foreign Minister"."""
    before = words(text, sentence_start, mention.start)
    if before and before[-1].text in {",", '"', "”", "’", "'"} and len(before) > 1:
        # "the team's coach, Alireza Mehraban"; '"shock jock" Howard Stern'.
        before = before[:-1]
    chain = _title_chain(before, ents)
    if chain is None:
        return _role_to_place(text, before, ents) or _role_for_portfolio(before, ents)
    return chain


def _role_for_portfolio(before: list[Word], ents: list[Entity]) -> str | None:
    """ "the minister for civil aviation Praful Patel" -> "minister for civil aviation"."""
    for k in range(len(before) - 2, max(0, len(before) - 6), -1):
        rest = before[k + 1 :]
        if before[k].lower in {"for", "of"} and all(
            w.text.isalpha() and w.text.islower() and w.lower not in NOT_ROLE_WORDS for w in rest
        ):
            chain = _title_chain(before[:k], ents)
            if chain and _has_head(chain.split()):
                return f"{chain} {' '.join(w.text for w in before[k:])}"
    return None


def _entity_label_at(ents: list[Entity], word: Word) -> str | None:
    for e in ents:
        if e.start <= word.start < e.end:
            return e.label
    return None


def _title_chain(before: list[Word], ents: list[Entity]) -> str | None:
    """The role words ending right before the name, or None if the word before the name is not a title."""
    if not before or not _is_title_head(before[-1].text.rstrip(".").lower()):
        return _described_by(before, ents)
    chain: list[Word] = []
    i = len(before) - 1
    while i >= 0:
        w = before[i]
        low = w.text.rstrip(".").lower()
        label = _entity_label_at(ents, w)
        if low in HONORIFICS:
            break
        if (
            label in ROLE_STOP_LABELS
            and not _is_title_head(low)
            and not (chain and low in PORTFOLIO_WORDS)
        ):
            # ("Finance" of "Finance Minister", tagged ORG, is the minister's portfolio.)
            # "former Labour MP": a qualifier before the party or country the role names stays.
            chain = _qualified_by_entity(before, i, ents, chain)
            break
        if _is_title_head(low) or low in ROLE_MODIFIERS or (chain and low in PORTFOLIO_WORDS):
            chain.insert(0, w)
        elif low == "of" and chain and i > 0 and before[i - 1].text[:1].isupper():
            chain.insert(0, w)
        elif TITLE_WORD.match(w.text) and w.text[0].isupper() and chain and i > 0:
            # A capitalised word inside a role ("Foreign", "Home"), not the sentence's first word;
            # not before a role written in lower case ("Street" of "Downing Street media chief").
            if chain[0].text in PORTFOLIO_WORDS:
                break
            chain.insert(0, w)
        else:
            break
        i -= 1
    allowed = TITLE_HEADS | ROLE_MODIFIERS | PORTFOLIO_WORDS
    while chain and (
        chain[0].lower == "of"
        or chain[0].lower not in allowed
        and not _is_title_head(chain[0].lower)
        and not chain[0].text[0].isupper()
    ):
        chain = chain[1:]
    if not chain:
        return None
    role = " ".join(w.text for w in chain)
    return _tidy_role(role)


def _described_by(before: list[Word], ents: list[Entity]) -> str | None:
    """A noun saying what someone is, just before the name, with its own modifiers and the party,
    team, outlet or country it belongs to: "shock jock", "Tory leader", "England skipper",
    "Sunday Telegraph journalist", "Beer magnate" (a sentence's first word too)."""
    if not before:
        return None
    head = before[-1]
    low = head.text.lower()
    if low not in ROLE_NOUNS or head.text.isupper():
        return None  # a plural ("sprinters X and Y") describes a group
    if _entity_label_at(ents, head) in ROLE_STOP_LABELS:
        return None
    chain = [head]
    i = len(before) - 2
    while i >= 0 and len(chain) < 4:
        w = before[i]
        wlow = w.text.rstrip(".").lower()
        label = _entity_label_at(ents, w)
        if label in {"NORP", "GPE", "ORG", "LOC"}:
            # "Tory leader", "England skipper": the body the role belongs to (up to three words).
            j = i
            while j > 0 and i - j < 2 and _entity_label_at(ents, before[j - 1]) == label:
                j -= 1
            chain = before[j : i + 1] + chain
            if j > 1 and before[j - 1].text[:1].isupper() and before[j - 1].text.isalpha():
                chain.insert(0, before[j - 1])  # "Sunday" of "Sunday Telegraph", tagged "Telegraph"
            elif j > 0 and before[j - 1].text.rstrip(".").lower() in ROLE_QUALIFIERS:
                chain.insert(0, before[j - 1])
            break
        if label is not None or not TITLE_WORD.match(w.text) or wlow in HONORIFICS:
            break
        if wlow in NOT_ROLE_WORDS or (
            wlow.endswith(("ed", "ly", "ing")) and wlow not in ROLE_MODIFIERS | PORTFOLIO_WORDS
        ):
            break
        if w.text[0].isupper() and i > 0 and not before[i - 1].text[:1].isupper():
            chain.insert(0, w)  # "Sunday Telegraph journalist" untagged: its capitalised words
            break
        chain.insert(0, w)
        i -= 1
    return _tidy_role(" ".join(w.text for w in chain))


def _is_title_head(low: str) -> bool:
    """ "minister", and the same with a prefix joined by a hyphen ("ex-minister", "vice-chairman")."""
    if low in TITLE_HEADS:
        return True
    prefix = next((p for p in TITLE_PREFIXES if low.startswith(p)), None)
    return prefix is not None and low[len(prefix) :] in TITLE_HEADS


def _qualified_by_entity(
    before: list[Word], i: int, ents: list[Entity], chain: list[Word]
) -> list[Word]:
    """The chain with the entity ending at before[i] and the qualifier before it, when one is there.

    "former Labour MP", "shadow Home Office minister"; "Japanese Foreign Minister" stays "Foreign
    Minister" (a nationality alone is not part of the role).
    """
    if not chain:
        return chain
    label = _entity_label_at(ents, before[i])
    j = i
    while j > 0 and i - j < 3 and _entity_label_at(ents, before[j - 1]) == label:
        j -= 1
    if j > 0 and before[j - 1].text.rstrip(".").lower() in ROLE_QUALIFIERS:
        return before[j - 1 : i + 1] + chain
    if label != "PERSON" and all(w.text.islower() for w in chain):
        # "Tory leader", "Acme chief executive": a role in lower case says whose it is; with
        # a capitalised word the model left out ("Liberal" of "Liberal Democrat spokesman").
        if j > 1 and before[j - 1].text[:1].isupper() and before[j - 1].text.isalpha():
            j -= 1
        return before[j : i + 1] + chain
    return chain


_ends_memo: list[tuple[list[Entity], dict[int, list[Entity]]]] = []


def _ending_at(ents: list[Entity]) -> dict[int, list[Entity]]:
    """The entities by the offset they end at, built once per text's entity list (a look-up per
    person mention was a scan of every entity: quadratic in a long text)."""
    if _ends_memo and _ends_memo[0][0] is ents:
        return _ends_memo[0][1]
    by_end: dict[int, list[Entity]] = {}
    for e in ents:
        by_end.setdefault(e.end, []).append(e)
    _ends_memo[:] = [(ents, by_end)]
    return by_end


def _role_to_place(text: str, before: list[Word], ents: list[Entity]) -> str | None:
    """ "Ambassador to the United States Hamdullah Mohib" -> "Ambassador to the United States"."""
    if not before:
        return None
    last = before[-1]
    for e in _ending_at(ents).get(last.end, ()):
        if e.label in {"GPE", "ORG", "LOC"}:
            inner = [w for w in before if w.end <= e.start]
            if inner and inner[-1].lower == "the":
                inner = inner[:-1]
            if inner and inner[-1].lower in NAME_CONNECTORS:
                chain = _title_chain(inner[:-1], ents)
                if chain:
                    return f"{chain} {text[inner[-1].start : e.end]}"
    return None


APPOSITION_RE = re.compile(
    r"\s*,\s+(?:(?:the|a|an|its|his|her|their)\s+)?"
    r"(?P<role>[A-Za-z][\w.'’\-]*(?:\s+[A-Za-z][\w.'’\-]*){0,7}?)\s*(?=[,;.)]|\s+(?:said|says|told|who)\b)"
)


# "David Noone from Acme said": the organisation someone speaks for.
FROM_ORG_RE = re.compile(r"\s+(?P<prep>from|of|at)\s+(?:the\s+)?$")
AFTER_ORG_RE = re.compile(r"\s*(?:[,.;]|\s(?:said|says|told|added)\b)")


def role_after(text: str, mention: NameMention, ents: list[Entity] | None = None) -> str | None:
    """A role in apposition after the name: "X, the chief executive of Y," -> "chief executive of Y";
    or the organisation written after it: "X from Acme said" -> "from Acme"."""
    m = APPOSITION_RE.match(text, mention.end, min(len(text), mention.end + 120))
    if not m:
        return _organisation_after(text, mention, ents or [])
    role_words = m.group("role").split()
    heads = [i for i, w in enumerate(role_words) if w.rstrip(".").lower() in TITLE_HEADS]
    if not heads or heads[0] > 3:
        return None
    # Everything before the head must be a modifier or a capitalised word ("Foreign", "Apple's").
    return _tidy_role(" ".join(role_words))


def _organisation_after(text: str, mention: NameMention, ents: list[Entity]) -> str | None:
    for e in ents:
        if e.label == "ORG" and mention.end < e.start <= mention.end + 10:
            prep = FROM_ORG_RE.match(text[mention.end : e.start])
            if prep and AFTER_ORG_RE.match(text, e.end):
                return f"{prep.group('prep')} {e.text}"
    return None


def _tidy_role(role: str) -> str:
    """The role as the text writes it ("Foreign Minister", "former President", "chief executive of Apple")."""
    return role.strip(" ,")


def merge_people(mentions: list[NameMention]) -> list[ActorGroup]:
    """Group person mentions: "Takaichi" and "Ms Takaichi" join "Sanae Takaichi"; "Lee" joins "Lee Jae Myung"."""
    full: list[ActorGroup] = []
    by_key: dict[str, ActorGroup] = {}
    multi = sorted(
        (m for m in mentions if len(_tokens(m.name)) > 1), key=lambda m: -len(_tokens(m.name))
    )
    for m in multi:
        key = name_key(m.name)
        group = by_key.get(key)
        if group is None:
            group = next((g for g in full if _same_person(m.name, g.forms()[0])), None)
        if group is None:
            group = ActorGroup("person")
            full.append(group)
        group.mentions.append(m)
        by_key[key] = group
    by_last: dict[str, list[ActorGroup]] = {}
    by_edge: dict[str, list[ActorGroup]] = {}
    for group in full:
        for token in _last_tokens(group):
            by_last.setdefault(token, []).append(group)
        for token in _edge_tokens(group):
            by_edge.setdefault(token, []).append(group)
    singles: list[ActorGroup] = []
    single_by_key: dict[str, ActorGroup] = {}
    for m in sorted((m for m in mentions if len(_tokens(m.name)) <= 1), key=lambda m: m.start):
        # "O'Leary" is one name ("o leary" to name_key): compare its long tokens, as full names do.
        token = " ".join(_tokens(m.name)) or name_key(m.name)
        # A lone name is a surname before it is a given name: "Warhol" joins "Andy Warhol" rather
        # than "Warhol Polaroid"; "Lee" still joins "Lee Jae Myung" when no full name ends in "Lee".
        candidates = by_last.get(token) or by_edge.get(token)
        initial = _initial(m.name)
        if candidates and initial:
            # "S Horgan" is Shane Horgan, not Neil Horgan.
            candidates = [g for g in candidates if _tokens(g.forms()[0])[0][0] == initial]
        if candidates:
            _nearest_before(candidates, m.start).mentions.append(m)
            continue
        key = name_key(m.name) if initial else token  # "N. Best" and "S. Best" stay two people
        group = single_by_key.get(key)
        if group is None:
            group = single_by_key[key] = ActorGroup("person")
            singles.append(group)
        group.mentions.append(m)
    return full + singles


def _tokens(name: str) -> list[str]:
    return [t for t in name_key(name).split() if len(t) > 1]


def _initial(name: str) -> str | None:
    """The initial a name starts with ("S" of "S. Best"), lower case, or None."""
    first = name_key(name).split()[:1]
    return first[0] if first and len(first[0]) == 1 and len(name.split()) > 1 else None


def _last_tokens(group: ActorGroup) -> set[str]:
    return {tokens[-1] for tokens in map(_tokens, group.forms()) if tokens}


def _edge_tokens(group: ActorGroup) -> set[str]:
    out: set[str] = set()
    for form in group.forms():
        tokens = _tokens(form)
        if tokens:
            out.update({tokens[0], tokens[-1]})
    return out


def _same_person(shorter: str, longer: str) -> bool:
    a, b = _tokens(shorter), _tokens(longer)
    if not a or not b:
        return False
    if a[0] == b[0] and a[-1] == b[-1]:
        return True
    return len(a) < len(b) and (a == b[: len(a)] or a == b[-len(a) :])


def _nearest_before(groups: list[ActorGroup], offset: int) -> ActorGroup:
    def last_before(g: ActorGroup) -> int:
        starts = [m.start for m in g.mentions if m.start < offset]
        return max(starts) if starts else -1

    return max(groups, key=lambda g: (last_before(g), len(g.mentions)))


def merge_organisations(
    mentions: list[NameMention], aliases: dict[str, str] | None = None
) -> list[ActorGroup]:
    """Group organisation mentions by name, and acronyms with their expansions ("UN", "United Nations").

    `aliases` maps acronyms the text defines ("(KCNA)") to the key of the name they abbreviate.
    """
    groups: dict[str, ActorGroup] = {}
    for m in sorted(mentions, key=lambda m: -len(m.name)):
        key = name_key(m.name)
        group = groups.get((aliases or {}).get(key, key))
        if group is None:
            acronym = key.replace(" ", "") if _looks_like_acronym(m.name) else None
            group = next(
                (g for k, g in groups.items() if acronym and _initials(k) == acronym), None
            )
        if group is None:
            # "ABC" after "ABC Inc": the company without its legal form; "the Bank" after "the
            # Bank of England": the first word of a body "of" somewhere
            group = next(
                (
                    g
                    for k, g in groups.items()
                    if _without_legal_form(k) == key
                    or (" " not in key and k.startswith(key + " of "))
                ),
                None,
            )
        if group is None:
            group = ActorGroup("organization")
        groups[key] = group
        group.mentions.append(m)
    unique: list[ActorGroup] = []
    for group in groups.values():
        if all(group is not g for g in unique):
            unique.append(group)
    return unique


def _without_legal_form(key: str) -> str:
    """A company's name key without its legal form ("abc inc" -> "abc"); else as given."""
    head, _, last = key.rpartition(" ")
    return head if head and last.rstrip(".") in LEGAL_FORMS else key


def _looks_like_acronym(name: str) -> bool:
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()


def _initials(key: str) -> str:
    return "".join(t[0] for t in key.split() if t not in {"of", "the", "and", "for", "on", "in"})


def to_actor(group: ActorGroup) -> Actor:
    """The merged actor: the fullest name, the most frequent role, every mention in text order."""
    forms = Counter(m.name for m in group.mentions)

    def preference(form: str) -> tuple[int, bool, int, int]:
        return (len(_tokens(form)), not form.isupper(), forms[form], len(form))

    name = max(forms, key=preference)
    roles = Counter(m.role for m in group.mentions if m.role)
    first_role = {r: min(m.start for m in group.mentions if m.role == r) for r in roles}
    role = max(roles, key=lambda r: (roles[r], -first_role[r])) if roles else None
    spans = sorted({Span(m.start, m.end) for m in group.mentions}, key=lambda s: s.start)
    return Actor(name=name, kind=group.kind, role=role, mentions=spans)


# What comes before a title used as a title ("the Prince", "his chancellor", "Prince Harry").
TITLE_AS_TITLE_BEFORE_RE = re.compile(
    r"(?:\b(?i:the|a|an|his|her|its|their|our|my|your|former|new|late|crown)\s+|[A-Z]\w*\s+)$"
)
# A verb right after a one-word name that is its subject ("Prince earned", "Prince has").
SUBJECT_VERB_AFTER_RE = re.compile(
    r"\s+(?:[a-z]+ed|said|says|has|had|is|was|will|won|made|took|sold|told|wrote|sang|became)\b"
)


def titles_used_as_names(text: str, ents: list[Entity]) -> list[NameMention]:
    """A title word that is a one-word stage name ("Prince earned more than Madonna"): never written in
    lower case or after "the" or before another name, and at least twice the subject of a verb."""
    found: list[NameMention] = []
    named = [(e.start, e.end) for e in ents if e.label in {"PERSON", "ORG", "GPE", "NORP"}]
    for word in {m.group() for m in re.finditer(r"\b[A-Z][a-z]+\b", text)}:
        if word.lower() not in TITLE_HEADS or re.search(rf"\b{word.lower()}\b", text):
            continue
        spots = list(re.finditer(rf"(?<![\w'’-]){word}(?![\w-])", text))
        if any(
            TITLE_AS_TITLE_BEFORE_RE.search(text, max(0, m.start() - 12), m.start())
            or re.match(r"\s+[A-Z]", text[m.end() :])
            for m in spots
        ):
            continue
        if sum(bool(SUBJECT_VERB_AFTER_RE.match(text, m.end())) for m in spots) < 2:
            continue
        found += [
            NameMention(word, m.start(), m.end(), "person")
            for m in spots
            if not any(s < m.end() and m.start() < e for s, e in named)
        ]
    return found
