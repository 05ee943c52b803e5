"""Names the model tags as people or organisations that are not actors: places (by the gazetteer and
the words around them), time zones, peoples, titles and honours written alone."""

from __future__ import annotations

import re
from functools import lru_cache

from search.extract.actors import (
    HONORIFICS,
    TITLE_HEADS,
    NameMention,
    given_names,
    looks_like_full_name,
)
from search.extract.normalise import name_key
from search.extract.places import keys_where, lookup, lookup_key

# Time zones written after a clock time ("at 1200 GMT"): never an actor.
TIME_ZONES = frozenset(
    """gmt bst utc cet cest eet eest wet west est edt cst cdt mst mdt pst pdt akst hst ist jst kst
    hkt sgt aest aedt acst awst nzst nzdt msk""".split()
)
# Letters after a name or honours, written alone: a title, not the person ("the MEP", "an MBE").
POST_NOMINALS = frozenset(
    """mp mps mep meps msp msps am ams mla mlas td tds mep's ceo ceos cfo coo cto md qc kc
    mbe obe cbe kbe dbe gbe""".split()
)
# Nationality words no suffix rule reaches ("Britons" does: Britain).
COMMON_DEMONYMS = frozenset(
    """brits aussies aussie kiwis kiwi yanks poms scots scottish welsh irish english british
    french dutch swiss spanish spaniards danes danish greek greeks thai thais filipino filipinos
    kurds kurdish arab arabs""".split()
)
# (ending, what replaces it) turning a people's name into its country's: "Bangladeshi(s)" ->
# "Bangladesh", "Britons" -> "Britain", "Germans" -> "Germany", "New Zealanders" -> "New Zealand".
DEMONYM_ENDINGS = tuple(
    tuple(pair.split(":"))
    for pair in """ians:ia ian:ia ians:y ian:y ians:e ian:e ians: ian: eans:e ean:e ans:a an:a ans:any
    an:any ans:as ans: an: is: i: ese: ese:a ish:ey ish:and ish:en s:ey es:and es:en ons:ain on:ain
    ers: er: s:istan :istan""".split()
)
# Cities big enough that their people are named after them ("Londoners", "Parisians").
DEMONYM_CITY_POPULATION = 1_000_000

# Last words of place names that are also surnames or words, so they count only with the gazetteer
# or the text's own evidence ("Bethnal Green", "Stepney Green", "Tower Hill").
PLACE_NAME_WORDS = frozenset(
    "green heath common cross end hill hills vale wood woods moor marsh gate row fields grove".split()
)
# Endings of one-word place names ("Tottenham", "Brighton", "Oxford", "Salisbury", "Peterborough").
PLACE_NAME_ENDINGS = (
    "ham",
    "ton",
    "ford",
    "bury",
    "borough",
    "burgh",
    "wich",
    "field",
    "ville",
    "shire",
    "stan",
    "pur",
    "abad",
    "grad",
    "cheon",
)
# What comes before a place and not a person: "in X", "near X", "outside X".
LOCATIVE_RE = re.compile(
    r"(?:^|\W)(?:in|near|outside|around|across|throughout|within)\s+$", re.IGNORECASE
)
# Weaker: "at X", "from X" are said of people and clubs too; they count beside the gazetteer.
WEAK_LOCATIVE_RE = re.compile(r"(?:^|\W)(?:at|from|into|towards|via)\s+$", re.IGNORECASE)
# "the town of X", "the province of X".
PLACE_INTRO_RE = re.compile(
    r"\b(?:town|city|village|district|county|province|region|island|suburb|borough|"
    r"municipality|hamlet)\s+of\s+$"
)
# "X, a district of Y", "X, a town in Y": the text says it is a place.
PLACE_APPOSITION_RE = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:district|town|village|city|suburb|county|borough|"
    r"region|province|area|neighbourhood|neighborhood|island|state|port|capital|municipality)\b"
)
# "X, in east London": placed in another place.
IN_PLACE_AFTER_RE = re.compile(
    r",\s+(?:in|near)\s+(?:(?:north|south|east|west|central|northern|southern|eastern|western|"
    r"north-east|north-west|south-east|south-west)\s+)?[A-Z]"
)
# A name that modifies the noun after it ("in the Freedom article", "in Google searches") is
# no place however it is introduced; small words and verbs after a place are not nouns.
NOUN_AFTER_RE = re.compile(
    r"\s+(?!(?:on|and|or|for|to|with|at|in|by|after|before|since|last|this|next|where|which|when|"
    r"but|was|is|has|had|were|are|during|over|until|from|of|as|while|yesterday|today|tonight|"
    r"earlier|later|itself|alone)\b)[a-z]"
)
# A misspelt city ("Narobi") is one letter from the gazetteer's name of a city this big.
NEAR_MISS_POPULATION = 100_000
LETTERS = "abcdefghijklmnopqrstuvwxyz"
HONORIFIC_BEFORE_RE = re.compile(
    r"(?:^|\W)(?:" + "|".join(sorted(HONORIFICS | {"lord", "lady", "baroness"})) + r")\.?\s+$",
    re.IGNORECASE,
)
# What only a person or organisation does right after its name.
ACTOR_VERB_AFTER_RE = re.compile(
    r"\s+(?:said|says|told|added|admitted|argued|insisted|denied|announced|who)\b"
)
CONTEXT_CHARS = 16


def is_not_an_actor(name: str) -> bool:
    """A time zone, a title or honour written alone ("MEP", "an OBE"), or a post-nominal after a
    place ("Bolton West MP": the seat, not the person)."""
    tokens = name_key(name).split()
    if not tokens:
        return False
    if len(tokens) == 1 and tokens[0] in TIME_ZONES and name.isupper():
        return True
    if all(t in POST_NOMINALS or t in TITLE_HEADS for t in tokens):
        return True
    return (
        len(tokens) > 1 and tokens[-1] in {"mp", "mep", "msp", "mla"} and name.split()[-1].isupper()
    )


@lru_cache(maxsize=1)
def _demonym_places() -> frozenset[str]:
    """Keys of the places whose people have a name: countries, continents, states, regions, big cities."""
    return keys_where(
        lambda kind, population: kind != "city" or population >= DEMONYM_CITY_POPULATION
    )


def is_demonym(name: str) -> bool:
    """ "Bangladeshi", "Britons", "Americans", "New Zealanders": a people, not an actor."""
    key = name_key(name)
    if key in COMMON_DEMONYMS:
        return True
    if not name[:1].isupper() or len(key) < 5:
        return False
    places = _demonym_places()
    for ending, replacement in DEMONYM_ENDINGS:
        if key.endswith(ending):
            stem = key[: len(key) - len(ending)] if ending else key
            if len(stem.replace(" ", "")) >= 4 and stem + replacement in places:
                return True
    return False


def drop_non_actors(
    actors: list[NameMention], person_keys: set[str], stage_names: frozenset[str] = frozenset()
) -> list[NameMention]:
    """Time zones, titles alone and peoples out; a word of a person's name ("Cuban" of "Mark Cuban")
    and a title the text uses as a name ("Prince earned ...") stay."""
    return [
        m
        for m in actors
        if not (is_not_an_actor(m.name) and m.name not in stage_names)
        and not (is_demonym(m.name) and name_key(m.name) not in person_keys)
    ]


def _looks_like_place_name(name: str) -> bool:
    tokens = name.split()
    last = tokens[-1].lower()
    if len(tokens) > 1:
        return last in PLACE_NAME_WORDS and tokens[0][:1].isupper()
    return len(last) > 5 and last.endswith(PLACE_NAME_ENDINGS)


def places_among_actors(
    text: str,
    actors: list[NameMention],
    places: list[tuple[str, int, int]],
    person_keys: set[str],
) -> tuple[list[NameMention], list[tuple[str, int, int]]]:
    """Move to places the names the model called actors that the article writes as places.

    Evidence for a place: "X, a district of Y" or "the town of X" (enough alone); the gazetteer (or a big city one
    letter away: "in Narobi") or a place-name shape ("... Green", "...ham") with "in/near X" or
    "at/from X" before it, ", in east London" after it, or "in Livorno, X"; a place-name shape of two words that
    do not start with a given name ("Stepney Green"). "in X" alone is not enough: "starred in
    Fingersmith" is a work. An organisation needs the gazetteer or the shape and such words
    around at least half its mentions (a club "at Bath" is still Bath the club). Evidence for an
    actor outweighs all of it: an honorific before it, "said"/"told"/"who" after it, being a word
    of a person's full name, or a full name's shape ("Eliza Carthy").
    """
    place_ends = {end: (name_key(name), start) for name, start, end in places}
    by_key: dict[str, list[NameMention]] = {}
    for m in actors:
        by_key.setdefault(name_key(m.name), []).append(m)
    moved: set[str] = set()
    for key, mentions in by_key.items():
        if key in person_keys or _actor_evidence(text, mentions):
            continue
        name = mentions[0].name
        if looks_like_full_name(name) and not lookup(name):
            continue
        shaped = _looks_like_place_name(name)
        strong = sum(
            bool(
                LOCATIVE_RE.search(_before(text, m, m.kind == "person"))
                and not NOUN_AFTER_RE.match(text, m.end)
                or IN_PLACE_AFTER_RE.match(text, m.end)
                or _beside_a_place(text, m, place_ends)
            )
            for m in mentions
        )
        known = bool(lookup(name)) or (strong > 0 and _one_letter_from_a_city(name))
        weak = sum(
            bool(WEAK_LOCATIVE_RE.search(_before(text, m)) and not NOUN_AFTER_RE.match(text, m.end))
            for m in mentions
        )
        said_a_place = any(
            PLACE_APPOSITION_RE.match(text, m.end)
            or PLACE_INTRO_RE.search(_before(text, m))
            and text[m.end : m.end + 2] not in {"'s", "’s"}
            for m in mentions
        )
        if said_a_place:
            moved.add(key)
        elif all(m.kind == "person" for m in mentions):
            if (
                ((known or shaped) and strong > 0)
                or (known and weak > 0)
                or (shaped and any(_before(text, m).lower().endswith(" at ") for m in mentions))
                or (shaped and len(name.split()) > 1 and (known or not _given_name_first(name)))
            ):
                moved.add(key)
        elif (known or shaped) and strong > 0 and 2 * (strong + weak) >= len(mentions):
            moved.add(key)
        elif known and shaped and len(name.split()) > 1:
            moved.add(key)
    kept = [m for m in actors if name_key(m.name) not in moved]
    return kept, [(m.name, m.start, m.end) for m in actors if name_key(m.name) in moved]


def _beside_a_place(text: str, m: NameMention, place_ends: dict[int, tuple[str, int]]) -> bool:
    """ "in Livorno, Tuscany": after a comma that follows "in" and another place the model tagged
    (not a list of players, one of them tagged as a place; not "Obama, Obama's")."""
    if not text[max(0, m.start - 2) : m.start] == ", ":
        return False
    key, start = place_ends.get(m.start - 2, (name_key(m.name), 0))
    return key != name_key(m.name) and bool(LOCATIVE_RE.search(text, max(0, start - 16), start))


def _given_name_first(name: str) -> bool:
    return name.split()[0].lower() in given_names()


def _before(text: str, m: NameMention, skip_the: bool = True) -> str:
    start = m.start
    if skip_the and text[max(0, start - 4) : start].lower() == "the ":
        start -= 4  # "in the Bronx"
    return text[max(0, start - CONTEXT_CHARS) : start]


def _actor_evidence(text: str, mentions: list[NameMention]) -> bool:
    return any(
        m.role
        or HONORIFIC_BEFORE_RE.search(_before(text, m))
        or ACTOR_VERB_AFTER_RE.match(text, m.end)
        for m in mentions
    )


def _one_letter_from_a_city(name: str) -> bool:
    """ "Narobi": a one-word name one letter (missing, extra, wrong or swapped) from a big city."""
    word = name.lower()
    if " " in word or len(word) < 5 or not word.isalpha():
        return False
    variants = {word[:i] + word[i + 1 :] for i in range(len(word))}
    variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    for i in range(len(word) + 1):
        for c in LETTERS:
            variants.add(word[:i] + c + word[i:])
            if i < len(word):
                variants.add(word[:i] + c + word[i + 1 :])
    variants.discard(word)
    return any(e.population >= NEAR_MISS_POPULATION for v in variants for e in lookup_key(v))


# Last words of events, competitions and awards ("Davis Cup", "Athens Olympics", "Brit Awards",
# "Super Bowl"): neither an actor nor a place.
EVENT_HEADS = frozenset(
    """cup cups trophy championship championships olympics paralympics awards prize prix festival
    tournament marathon bowl open carnival fest expo""".split()
)
# The Games, and the adjective written alone as their name ("an Olympic gold"): events too.
ONE_WORD_EVENTS = frozenset("olympics paralympics olympic paralympic".split())
# A name after these is someone's other name, not a place or another actor ("Moya, nicknamed Charly").
NICKNAME_BEFORE_RE = re.compile(r"(?:nicknamed|dubbed|known as|aka)\s+[\"'“‘]?$", re.IGNORECASE)
# Nouns for what a name is the name of when it comes right before them: a product, a format, a
# work ("Sim cards", "a Memory Mate card", "his Zephyr tour and album").
PRODUCT_NOUNS = frozenset(
    """card cards chip chips handset handsets tour tours album albums chocolate bar bars console
    consoles software technology technologies standard standards format device devices drink
    drinks""".split()
)
# Nouns for an organisation, written right before its name ("subsidiary Fuso", "metal band X",
# "media giant Y").
ORGANISATION_NOUNS = frozenset(
    """band firm company subsidiary airline carrier giant maker manufacturer retailer brand label
    insurer operator newspaper magazine website chain supermarket studio outfit conglomerate""".split()
)
# A run of title-case words with small words inside, before a word for a work: "Madly in Anger
# with the World tour". A place or actor inside it is a word of the title.
TITLE_RUN_RE = re.compile(
    r"(?<![\w'’])[A-Z][A-Za-z\-]*(?:\s+(?:(?:in|with|the|of|and|a|an|on|to|for|from|at|by|my|your|"
    r"our|is|are)\s+)+[A-Z][A-Za-z\-]*)+\s+(?:tour|album|single|song|show|film|movie|book|novel|"
    r"series|musical|play|exhibition)\b"
)
WORD_BEFORE_RE = re.compile(r"([A-Za-z\-]+)\s+$")
WORD_AFTER_RE = re.compile(r"(?:['’]s)?\s+([A-Za-z\-]+)")


def is_event(name: str) -> bool:
    """ "Davis Cup", "Athens Olympics", "CBS Super Bowl": an event, competition or award."""
    tokens = name_key(name).split()
    if len(tokens) == 1:
        return tokens[0] in ONE_WORD_EVENTS
    head = tokens[tokens.index("of") - 1] if "of" in tokens[1:] else tokens[-1]
    return head in EVENT_HEADS


def names_of_other_things(
    text: str, actors: list[NameMention], places: list[tuple[str, int, int]]
) -> tuple[list[NameMention], list[tuple[str, int, int]]]:
    """Neither actors nor places: events and awards, nicknames, words of a title ("Anger" of
    "Madly in Anger with the World tour"), and names written only before a product's noun
    ("Sim cards") or as a sector before another name ("Media giant Viacom")."""
    titles = [m.span() for m in TITLE_RUN_RE.finditer(text)]

    def in_title(start: int, end: int) -> bool:
        return any(t_start <= start and end <= t_end for t_start, t_end in titles)

    def other(name: str, start: int, end: int) -> bool:
        return (
            is_event(name)
            or bool(NICKNAME_BEFORE_RE.search(text, max(0, start - 16), start))
            or in_title(start, end)
        )

    product: dict[str, bool] = {}
    for m in actors:
        after = WORD_AFTER_RE.match(text, m.end)
        written_as_product = bool(after and after.group(1) in PRODUCT_NOUNS)
        key = name_key(m.name)
        product[key] = product.get(key, True) and written_as_product
    kept = [
        m
        for m in actors
        if not other(m.name, m.start, m.end)
        and not product[name_key(m.name)]
        and not _sector_before_a_name(text, m)
    ]
    return kept, [p for p in places if not other(*p)]


def _sector_before_a_name(text: str, m: NameMention) -> bool:
    """ "Media" of "Media giant Viacom" at a sentence's start: the sector, not a name."""
    if " " in m.name or (m.start > 0 and not re.search(r"(?:^|[.!?\n])\s*$", text[: m.start])):
        return False
    after = re.match(r"\s+([a-z]+)\s+[A-Z]", text[m.end : m.end + 40])
    return bool(after and after.group(1) in ORGANISATION_NOUNS)


def organisations_named_as_such(
    text: str, actors: list[NameMention], person_keys: set[str]
) -> None:
    """A name after a noun for an organisation ("subsidiary Fuso", "metal band Zephyr") or starting
    with "Air" ("Air Deccan") is an organisation, unless it is (part of) a person's full name."""
    named: set[str] = set()
    for m in actors:
        if m.kind != "person" or looks_like_full_name(m.name) or name_key(m.name) in person_keys:
            continue
        before = WORD_BEFORE_RE.search(text, max(0, m.start - 24), m.start)
        if (before and before.group(1) in ORGANISATION_NOUNS) or (
            len(m.name.split()) > 1 and m.name.split()[0] == "Air"
        ):
            named.add(name_key(m.name))
    for m in actors:
        if name_key(m.name) in named:
            m.kind = "organization"
