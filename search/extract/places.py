"""Places: the model's GPE/LOC/FAC spans plus rule fixes, merged by name and resolved to a country code."""

from __future__ import annotations

import gzip
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from search.config import RESOURCES_DIR
from search.extract.normalise import (
    Entity,
    cut_at_line_break,
    name_key,
    name_keys,
    strip_article,
    strip_edges,
    strip_possessive,
)
from search.models import Place, Span

GAZETTEER_PATH = RESOURCES_DIR / "gazetteer.tsv.gz"
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# A direction alone is no place: "the North" is a country cut short or a part of one.
COMPASS_WORDS = frozenset(
    """north south east west central northern southern eastern western northeast northwest
    southeast southwest north-east north-west south-east south-west midwest""".split()
)
# Last words that make a name a place whatever the model called it ("Horyu Temple", "Yasukuni Shrine").
# Not "Church": "the Catholic Church" is an organisation more often than a building.
PLACE_HEADS = frozenset(
    """temple shrine cathedral mosque synagogue abbey basilica monastery palace castle fort
    tower bridge square park gardens airport station stadium arena peninsula river lake mountain
    mountains island islands sea ocean bay gulf strait straits valley desert canyon forest street
    avenue road boulevard highway harbour harbor coast beach falls dam canal plaza cemetery
    prefecture province county hotel museum planetarium observatory memorial monument prison
    gallery galleries theatre theater zoo""".split()
)
# "Centre" names a building ("Johnson Space Center", "Convention Centre") unless the word before it
# says the centre is an institution ("European Policy Centre", "Disaster Research Center").
CENTRE_HEADS = frozenset("centre center".split())
INSTITUTION_CENTRE_WORDS = frozenset(
    "research policy information rights studies prevention control monitoring".split()
)
MILITARY_WORDS = frozenset("force air naval navy army military marine".split())
# First words that do the same ("Mount Fuji", "Lake Geneva").
PLACE_PREFIXES = frozenset("mount mt lake fort cape port museum".split())
# log10 of how many times more people a town needs to beat a same-named town in a country the
# article names (1.3: twenty times).
CONTEXT_WEIGHT = 1.3


@dataclass(frozen=True)
class GazetteerEntry:
    """One reading of a place name: its country, population and kind (country, city, state...)."""

    country: str | None
    population: int
    kind: str
    canonical: str


@lru_cache(maxsize=1)
def _rows_by_key() -> dict[str, list[str]]:
    """Name key -> the gazetteer's rows for it, loaded once per process, each row parsed only when
    its name is looked up (parsing all 125,000 up front cost every process 1.4 s)."""
    text = gzip.decompress(GAZETTEER_PATH.read_bytes()).decode("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    rows: dict[str, list[str]] = {}
    for key, line in zip(
        name_keys([line[: line.index("\t")] for line in lines]), lines, strict=True
    ):
        rows.setdefault(key, []).append(line)
    return rows


_entries: dict[str, list[GazetteerEntry]] = {}  # name key -> its parsed rows, as looked up


def _parse(line: str) -> GazetteerEntry:
    name, country, population, kind, canonical = line.split("\t")
    return GazetteerEntry(country or None, int(population), kind, canonical or name)


def lookup(name: str) -> list[GazetteerEntry]:
    """Readings of a place name (empty if the gazetteer does not know it)."""
    return lookup_key(name_key(name))


def lookup_key(key: str) -> list[GazetteerEntry]:
    """Readings of a place name by its name key."""
    found = _entries.get(key)
    if found is None:
        rows = _rows_by_key().get(key)
        if rows is None:
            return []
        found = _entries[key] = [_parse(row) for row in rows]
    return found


def keys_where(kind_or_population: Callable[[str, int], bool]) -> frozenset[str]:
    """Name keys with a reading whose (kind, population) passes the test, read from the raw rows
    (no row is parsed into an entry)."""
    found = set()
    for key, rows in _rows_by_key().items():
        for row in rows:
            _, _, population, kind, _ = row.split("\t")
            if kind_or_population(kind, int(population)):
                found.add(key)
                break
    return frozenset(found)


def is_country(name: str) -> bool:
    return any(e.kind == "country" for e in lookup(name))


def is_place_name(name: str) -> bool:
    """True when the name's head or first word says it is a place ("X Temple", "Mount X")."""
    tokens = name.split()
    if len(tokens) < 2:
        return False
    if tokens[-1].lower() in CENTRE_HEADS:
        return tokens[-2].lower() not in INSTITUTION_CENTRE_WORDS
    if tokens[-1].lower() == "base":
        return tokens[-2].lower() in MILITARY_WORDS  # "Air Force Base", not "MTV Base"
    return tokens[-1].lower() in PLACE_HEADS or tokens[0].lower().rstrip(".") in PLACE_PREFIXES


@dataclass
class PlaceGroup:
    """Mentions of one place being merged."""

    key: str
    forms: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)


def clean_place(text: str, ent: Entity) -> tuple[str, int, int] | None:
    """The place name without "the", possessive or edge punctuation, with its offsets."""
    start, end = strip_edges(text, *cut_at_line_break(text, ent.start, ent.end))
    start, end = strip_possessive(text, start, end)
    start, end = strip_article(text, start, end)
    start, end = strip_edges(text, start, end)
    name = text[start:end]
    if len(name) < 2 or not name[0].isupper():
        return None
    return name, start, end


def resolve_compass_words(
    text: str, mentions: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """A bare "North" is the one "North X" the article names ("the North" of "North Korea"); else
    "the West" or "the South" stays a region (with no country: not a town called West), and a
    compass word without "the" is no place (a direction, or a name a line break cut short)."""
    names = {name for name, _, _ in mentions}
    resolved = []
    for name, start, end in mentions:
        if name.lower() in COMPASS_WORDS:
            # "North Korea", not the coordinated "North and South Korea".
            fuller = {
                n for n in names if n.split()[:1] == [name] and n.split()[1:2] not in ([], ["and"])
            }
            if len(fuller) == 1:
                name = fuller.pop()
            elif not text[max(0, start - 4) : start].lower().endswith("the "):
                continue
        resolved.append((name, start, end))
    return resolved


def build_places(mentions: list[tuple[str, int, int]]) -> list[Place]:
    """Merge mentions by name (country aliases together) and give each place its country."""
    groups: dict[str, PlaceGroup] = {}
    for name, start, end in mentions:
        entries = lookup(name)
        country_entry = next((e for e in entries if e.kind == "country"), None)
        # "U.S.", "US" and "the United States" are one place.
        key = "country:" + str(country_entry.country) if country_entry else name_key(name)
        group = groups.setdefault(key, PlaceGroup(key))
        group.forms.append(country_entry.canonical if country_entry else name)
        group.spans.append(Span(start, end))
    context = _context_countries(groups.values())
    places = []
    for group in groups.values():
        forms = Counter(group.forms)
        name = max(forms, key=lambda f: (not f.isupper(), forms[f], len(f)))
        if name.isupper() and len(name.replace(".", "")) > 3 and lookup(name.title()):
            name = name.title()  # "NEW YORK, March 3 -": a wire dateline shouts its city
        spans = sorted(set(group.spans), key=lambda s: s.start)
        places.append(Place(name=name, country=_resolve(name, context), mentions=spans))
    return places


def _context_countries(groups: Iterable[PlaceGroup]) -> Counter[str]:
    """Countries the article certainly talks about: countries named, and unambiguous places."""
    counts: Counter[str] = Counter()
    for group in groups:
        countries = {e.country for e in lookup(group.forms[0]) if e.country}
        if len(countries) == 1:
            counts[countries.pop()] += len(group.spans)
    return counts


def _resolve(name: str, context: Counter[str]) -> str | None:
    """The country of a place: a country is itself; otherwise prefer countries the article mentions, then population."""
    entries = lookup(name)
    if not entries or name.lower() in COMPASS_WORDS:
        return None
    # A country, continent, state or region name means that, not a town called the same.
    for kind in ("country", "continent", "state", "region"):
        named = next((e for e in entries if e.kind == kind), None)
        if named:
            return named.country
    # The article's countries outweigh population only within a factor of CONTEXT_WEIGHT: "Paris"
    # in a story that mentions the US is still Paris, France (2.1M), not Paris, Texas (25k). The
    # country the article names most weighs most ("Newcastle" beside England 12, Australia 2).
    top = max(context.values(), default=0) or 1

    def weight(e: GazetteerEntry) -> float:
        share = context[e.country] / top if e.country else 0.0
        return math.log10(e.population + 10) + CONTEXT_WEIGHT * share

    best = max(entries, key=lambda e: (weight(e), e.population))
    return best.country
