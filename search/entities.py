"""One actor, one name: canonical keys for extracted names, the library's variants merged into one
entity, and the user's corrections applied on top — all at read time, without re-extracting."""

from __future__ import annotations

import difflib
import functools
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from search.models import (
    Actor,
    ActorKind,
    Correction,
    EntityKind,
    Extraction,
    LibraryEntity,
    Place,
    Span,
)

# Words that end an organisation's name without telling it apart: "Labour Party" is "Labour".
ORG_SUFFIXES = frozenset(
    "party ltd limited inc incorporated plc group corp corporation co llc".split()
)
# One-word organisation names that say what kind of body it is, not which: "Radio" is not
# "Greater Manchester Radio", nor "Rangers" "Queens Park Rangers", whatever the library holds.
GENERIC_ORG_WORDS = frozenset(
    """radio television tv channel news network media press records music rangers united city town
    county rovers wanderers athletic albion club team fc group council party union association
    league federation committee commission agency department ministry office service services
    board authority court house assembly parliament government army police navy bank fund trust
    foundation institute society school college university hospital company holdings partners
    capital international airlines airways motors communications systems technologies online
    sport sports games""".split()
)
KINDS: tuple[EntityKind, ...] = ("person", "organization", "place")
# A facet column entry for an actor is "name<KIND_SEPARATOR>kind" (see search.index).
KIND_SEPARATOR = "\x1e"
POSSESSIVE = re.compile(r"(?<=\w)['’]s?\b")
NOT_WORD = re.compile(r"[\W_]+")
APOSTROPHE = re.compile(r"['’]")

# (field, key): one extracted name's identity, field being "actor" or "place".
Node = tuple[str, str]


# Names repeat across the library and across rebuilds of the table (one per index commit).
@functools.lru_cache(maxsize=200_000)
def name_key(name: str, *, organization: bool = False) -> str:
    """The canonical key of a name: case, accents, hyphens and punctuation, a possessive and a
    leading "The" do not count; nor, for an organisation, a suffix such as Party, Ltd or Group."""
    text = name
    if not name.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
        )
    text = text.casefold()
    words = NOT_WORD.sub(" ", POSSESSIVE.sub("", text)).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while organization and len(words) > 1 and words[-1] in ORG_SUFFIXES:
        words.pop()
    return " ".join(words)


def name_words(name: str) -> list[str]:
    """A name's words as an actor:/place: query's tokenizer sees them, for looking names up: split
    at apostrophes too ("O'Driscoll": o driscoll) and a possessive's "s" left out ("Chelsea's",
    which the tokenizer reads as chelsea s). Stored keys keep name_key's "odriscoll"."""
    words = name_key(APOSTROPHE.sub(" ", name)).split()
    return [word for n, word in enumerate(words) if not (n and word == "s")]


def actor_key(name: str, kind: str) -> str:
    return name_key(name, organization=kind == "organization")


def facet_entry(name: str, kind: str) -> str:
    """An actor's entry in its document's facet column: its name and kind."""
    return f"{name}{KIND_SEPARATOR}{kind}"


class UnknownEntity(LookupError):
    """A name that is no actor or place in the library; `suggestion` is a close one, if any."""

    def __init__(self, name: str, suggestion: str | None, field_name: str | None = None) -> None:
        self.name = name
        self.suggestion = suggestion
        hint = f'; did you mean "{suggestion}"?' if suggestion else ""
        what = field_name or "actor or place"
        super().__init__(f'no {what} named "{name}" in the library{hint}')


@dataclass
class _Group:
    """Names merged into one entity, and what the user said about it."""

    name: str
    kind: EntityKind
    hidden: bool = False
    members: list[Node] = field(default_factory=list)

    @property
    def shown_in(self) -> str:
        """The facet it shows in: "actor" or "place" (its kind can move it)."""
        return "place" if self.kind == "place" else "actor"


class EntityTable:
    """The library's actors and places: each extracted name's group, shown under one name.

    Built from every document's (field, name, kind) entries and the corrections in force; cheap to
    look up per query and per article. `documents` holds each document's entries, by docnum.
    """

    def __init__(
        self,
        documents: Sequence[tuple[tuple[str, ...], tuple[str, ...]] | None],
        corrections: Sequence[Correction],
    ) -> None:
        self.documents = documents
        self._shown: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._entry_shown: dict[tuple[str, str], tuple[str, str] | None] = {}
        self._entry_node: dict[tuple[str, str], Node] = {}
        # How many documents use each entry, counted in C; each distinct entry is then keyed once.
        actor_entries = Counter(itertools.chain.from_iterable(set(d[0]) for d in documents if d))
        place_entries = Counter(itertools.chain.from_iterable(set(d[1]) for d in documents if d))
        variants: dict[Node, Counter[str]] = defaultdict(Counter)
        kinds: dict[Node, Counter[str]] = defaultdict(Counter)
        for field_name, counted in (("actor", actor_entries), ("place", place_entries)):
            for entry, count in counted.items():
                node = self._node_of_entry(field_name, entry)
                name, _, kind = entry.partition(KIND_SEPARATOR)
                variants[node][name] += count
                kinds[node][kind or "place"] += count
        self.variants = variants
        self._parent: dict[Node, Node] = {node: node for node in variants}
        size = {node: sum(counts.values()) for node, counts in variants.items()}
        kind_of = {node: max(counts, key=counts.__getitem__) for node, counts in kinds.items()}
        self._merge_heads(kind_of)
        members: dict[Node, list[Node]] = defaultdict(list)
        for node in variants:
            members[self._find(node)].append(node)
        self.groups: dict[Node, _Group] = {}
        for group_members in members.values():
            if len(group_members) == 1:  # most names have no other variant: the quick way
                node = group_members[0]
                names = variants[node]
                display = max(names, key=lambda n: (names[n], len(n), n))
                self.groups[node] = _Group(display, _as_kind(kind_of[node]), members=group_members)
                continue
            root = max(group_members, key=lambda n: (size[n], len(n[1]), n))
            for node in group_members:
                self._parent[node] = root
            names = Counter()
            group_kinds: Counter[str] = Counter()
            for node in group_members:
                names.update(variants[node])
                group_kinds[kind_of[node]] += size[node]
            display = max(names, key=lambda n: (names[n], len(n), n))
            kind = _as_kind(max(group_kinds, key=group_kinds.__getitem__))
            self.groups[root] = _Group(display, kind, members=group_members)
        self.hidden_figures: set[tuple[str, str]] = set()
        for correction in corrections:
            self._apply(correction)
        self._by_word: dict[str, set[Node]] | None = None  # built on the first name look-up

    # -- building ------------------------------------------------------------------------

    def _node_of_entry(self, field_name: str, entry: str) -> Node:
        node = self._entry_node.get((field_name, entry))
        if node is None:
            name, _, kind = entry.partition(KIND_SEPARATOR)
            key = actor_key(name, kind) if field_name == "actor" else name_key(name)
            node = self._entry_node[(field_name, entry)] = (field_name, key)
        return node

    def _find(self, node: Node) -> Node:
        while self._parent[node] != node:
            self._parent[node] = self._parent[self._parent[node]]
            node = self._parent[node]
        return node

    def _merge_heads(self, kind_of: dict[Node, str]) -> None:
        """A one-word organisation joins the one longer organisation whose name ends in it
        ("Telegraph" → "Daily Telegraph"); with two or more such names it stays alone, and a word
        that only says what kind of body it is ("Radio", "Rangers", "Council") never joins."""
        longer: dict[str, list[Node]] = defaultdict(list)
        for node, kind in kind_of.items():
            words = node[1].split()
            if node[0] == "actor" and kind == "organization" and len(words) > 1:
                longer[words[-1]].append(node)
        for node, kind in kind_of.items():
            if (
                node[0] == "actor"
                and kind == "organization"
                and " " not in node[1]
                and node[1] not in GENERIC_ORG_WORDS
            ):
                heads = longer.get(node[1], [])
                if len(heads) == 1:
                    self._parent[self._find(node)] = self._find(heads[0])

    def _apply(self, correction: Correction) -> None:
        if correction.action == "hide_figure":
            self.hidden_figures.add((correction.key, correction.name))
            return
        root = self.root((correction.field, correction.key))
        if root is None:
            return  # not in the library now (a file removed, a new model): it applies if it returns
        group = self.groups[root]
        if correction.action == "rename" and correction.value:
            group.name = correction.value
        elif correction.action == "hide":
            group.hidden = True
        elif correction.action == "kind" and correction.value in KINDS:
            group.kind = _as_kind(correction.value)
        elif correction.action == "merge" and correction.target_field and correction.target_key:
            into = self.root((correction.target_field, correction.target_key))
            if into is not None and into != root:
                for node in group.members:
                    self._parent[node] = into
                self.groups[into].members.extend(group.members)
                del self.groups[root]

    def _index_names(self) -> dict[str, set[Node]]:
        """Each word of a group's names → the groups, so a query's name is found without a scan;
        built when a name is first looked up (a query without actor:/place: never needs it)."""
        if self._by_word is not None:
            return self._by_word
        self._by_word = defaultdict(set)
        self._names: dict[Node, list[list[str]]] = {}
        for root, group in self.groups.items():
            names = {group.name, *(n for m in group.members for n in self.variants[m])}
            self._names[root] = [name_words(n) for n in names]
            for words in self._names[root]:
                for word in words:
                    self._by_word[word].add(root)
        return self._by_word

    # -- looking up ----------------------------------------------------------------------

    def root(self, node: Node) -> Node | None:
        """The group a name belongs to, or None when no article names it."""
        return self._parent.get(node)

    def group_of(self, field_name: str, name: str, kind: str = "") -> _Group | None:
        key = actor_key(name, kind) if field_name == "actor" else name_key(name)
        root = self.root((field_name, key))
        return None if root is None else self.groups[root]

    def keys_named(self, field_name: str, value: str) -> list[Node]:
        """Every stored (field, key) of the groups shown in `field_name` whose name (or a variant's)
        holds the value's words in order: actor:"Labour Party" also finds an article's "Labour"."""
        words = name_words(value)
        if not words:
            return []
        roots = set(self._index_names().get(words[0], ()))
        # "Labour Party" names the group of an article's "Labour" even when no article says "Labour Party".
        same_key = self.root(("actor", name_key(value, organization=True)))
        found: list[Node] = []
        if same_key is not None and self.groups[same_key].shown_in == field_name:
            found.extend(self.groups[same_key].members)
            roots.discard(same_key)
        for root in roots:
            group = self.groups[root]
            if group.shown_in == field_name and any(
                _holds(name, words) for name in self._names[root]
            ):
                found.extend(group.members)
        return sorted(found)

    def document_facets(self, docnum: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """A document's actors and places as shown: merged, renamed, moved, hidden ones left out."""
        cached = self._shown.get(docnum)
        if cached is not None:
            return cached
        entries = self.documents[docnum]
        if entries is None:
            return (), ()
        shown: dict[str, dict[str, None]] = {"actor": {}, "place": {}}
        as_shown = self._entry_shown
        for field_name, values in zip(("actor", "place"), entries, strict=True):
            for entry in values:
                known = (field_name, entry)
                if known in as_shown:
                    where = as_shown[known]
                else:
                    where = as_shown[known] = self._shown_as(field_name, entry)
                if where is not None:
                    shown[where[0]][where[1]] = None
        facets = self._shown[docnum] = (tuple(shown["actor"]), tuple(shown["place"]))
        return facets

    def _shown_as(self, field_name: str, entry: str) -> tuple[str, str] | None:
        """(facet, name) an entry is shown as; None when hidden or unknown."""
        root = self.root(self._node_of_entry(field_name, entry))
        if root is None or self.groups[root].hidden:
            return None
        return self.groups[root].shown_in, self.groups[root].name

    def correct(self, extraction: Extraction, article_id: str) -> Extraction:
        """An article's stored extraction as the user wants it, its mentions merged under one name."""
        actors: dict[str, Actor] = {}
        places: dict[str, Place] = {}

        def add(
            name: str, kind: str, role: str | None, country: str | None, spans: list[Span]
        ) -> None:
            if kind == "place":
                place = places.setdefault(name, Place(name, country))
                place.country = place.country or country
                place.mentions = _union(place.mentions, spans)
            else:
                actor = actors.setdefault(name, Actor(name, _actor_kind(kind), role))
                actor.role = actor.role or role
                actor.mentions = _union(actor.mentions, spans)

        for actor in extraction.actors:
            group = self.group_of("actor", actor.name, actor.kind)
            if group is None:
                add(actor.name, actor.kind, actor.role, None, actor.mentions)
            elif not group.hidden:
                add(group.name, group.kind, actor.role, None, actor.mentions)
        for place in extraction.places:
            group = self.group_of("place", place.name)
            if group is None:
                add(place.name, "place", None, place.country, place.mentions)
            elif not group.hidden:
                add(group.name, group.kind, None, place.country, place.mentions)
        figures = [f for f in extraction.figures if (article_id, f.text) not in self.hidden_figures]
        return Extraction(list(actors.values()), list(places.values()), figures, extraction.quotes)

    def entities(self, *, include_hidden: bool = False) -> list[LibraryEntity]:
        """Every actor and place in the library with how many articles name it, most named first."""
        articles: Counter[Node] = Counter()
        for entries in self.documents:
            if entries is None:
                continue
            roots = {
                self.root(self._node_of_entry(field_name, entry))
                for field_name, values in zip(("actor", "place"), entries, strict=True)
                for entry in values
            }
            articles.update(root for root in roots if root is not None)
        found = [
            LibraryEntity(
                name=group.name,
                kind=group.kind,
                key=root[1],
                articles=articles[root],
                variants=sorted({n for m in group.members for n in self.variants[m]}),
                hidden=group.hidden,
            )
            for root, group in self.groups.items()
            if include_hidden or not group.hidden
        ]
        return sorted(found, key=lambda e: (-e.articles, e.name.casefold()))

    def resolve(self, name: str, field_name: str | None = None) -> Node:
        """The (field, key) the user means by `name`: a shown name first, then any variant's.

        `field_name` ("actor" or "place": where it is shown) picks one of an actor and a place
        that share a name ("Wales" the organisation and the place); without it the larger wins.
        Raises UnknownEntity (with a close name as suggestion) when no group is called that.
        """
        keys = {name_key(name), name_key(name, organization=True)}

        def shown_there(root: Node | None) -> bool:
            return root is not None and (
                field_name is None or self.groups[root].shown_in == field_name
            )

        shown = [r for r, g in self.groups.items() if name_key(g.name) in keys and shown_there(r)]
        if shown:
            root = max(
                shown,
                key=lambda r: sum(sum(self.variants[m].values()) for m in self.groups[r].members),
            )
            members = self.groups[root].members
            return next((m for m in members if m[1] in keys), root)
        named = [node for node in self._parent if node[1] in keys and shown_there(self.root(node))]
        if named:
            return max(named, key=lambda n: sum(self.variants[n].values()))
        raise UnknownEntity(name, self.suggest(name), field_name)

    def suggest(self, name: str) -> str | None:
        names = {g.name for g in self.groups.values()}
        close = difflib.get_close_matches(name, sorted(names), n=1, cutoff=0.6)
        if not close:
            lowered = {n.casefold(): n for n in names}
            close = [
                lowered[c] for c in difflib.get_close_matches(name.casefold(), list(lowered), n=1)
            ]
        return close[0] if close else None

    def shown_name(self, node: Node) -> str:
        root = self.root(node)
        return self.groups[root].name if root is not None else node[1]


def _holds(name_words: list[str], words: list[str]) -> bool:
    width = len(words)
    return any(
        name_words[start : start + width] == words for start in range(len(name_words) - width + 1)
    )


def _union(spans: Iterable[Span], more: Iterable[Span]) -> list[Span]:
    return sorted(set(spans) | set(more), key=lambda s: (s.start, s.end))


def _as_kind(kind: str) -> EntityKind:
    return kind if kind in ("person", "organization", "place") else "person"  # type: ignore[return-value]


def _actor_kind(kind: str) -> ActorKind:
    return "organization" if kind == "organization" else "person"


class CorrectionError(ValueError):
    """A correction that cannot be made as asked; str(e) says why."""


def field_and_name(name: str, field_name: str | None = None) -> tuple[str | None, str]:
    """A name as the user gives it: "actor:Wales" or "place:Wales" says which of the two is meant
    (over `field_name`); a plain name keeps `field_name`."""
    prefix, colon, rest = name.partition(":")
    if colon and prefix.strip().casefold() in ("actor", "place") and rest.strip():
        return prefix.strip().casefold(), rest.strip()
    return field_name, name


def make_correction(
    table: EntityTable,
    action: str,
    name: str,
    value: str | None = None,
    field_name: str | None = None,
) -> Correction:
    """The correction `action` of the entity the user calls `name`, ready to store.

    `field_name` ("actor"/"place", or an "actor:"/"place:" prefix on a name) says which of two
    same-named entities is meant. Raises UnknownEntity for a name no article uses,
    CorrectionError for a value that will not do.
    """
    field_name, name = field_and_name(name, field_name)
    node = table.resolve(name, field_name)
    root = table.root(node)
    group = table.groups[root] if root is not None else None
    correction = Correction(action, node[0], node[1], name, value)  # type: ignore[arg-type]
    if action == "rename":
        if not value or not value.strip():
            raise CorrectionError("a new name cannot be empty")
        correction.value = " ".join(value.split())
        if group is not None and group.name == correction.value:
            raise CorrectionError(f'"{name}" is already called "{correction.value}"')
        _refuse_a_taken_name(table, root, name, correction.value)
    elif action == "merge":
        if not value:
            raise CorrectionError("say which actor or place to merge into")
        into_field, into_name = field_and_name(value)
        into = table.resolve(into_name, into_field)
        if table.root(into) == table.root(node):
            raise CorrectionError(f'"{name}" and "{value}" are already one entity')
        correction.value = table.shown_name(into)
        correction.target_field, correction.target_key = into
    elif action == "kind":
        if value not in KINDS:
            raise CorrectionError(f"a kind is one of {', '.join(KINDS)}, not {value!r}")
        if group is not None and group.kind == value:
            raise CorrectionError(f'"{name}" is already a {value}')
    elif action == "hide":
        # A second hide would need a second undo before the entity showed again.
        if group is not None and group.hidden:
            raise CorrectionError(f'"{name}" is already hidden')
        correction.value = None
    else:
        raise CorrectionError(f"unknown correction {action!r}")
    return correction


def _refuse_a_taken_name(table: EntityTable, root: Node | None, name: str, new: str) -> None:
    """Two entities shown under one name would look like one and act as two: say to merge."""
    if root is None:
        return
    shown_in = table.groups[root].shown_in
    taken = {name_key(new), name_key(new, organization=True)}
    for other, group in table.groups.items():
        if other != root and group.shown_in == shown_in and name_key(group.name) in taken:
            raise CorrectionError(
                f'another {shown_in} is already called "{group.name}"; to make them one, merge '
                f'"{name}" into "{group.name}"'
            )
