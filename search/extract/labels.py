"""Figure labels from a sentence's dependency parse: the noun a number counts and what happened to it.

"At least 20 people were killed in the Soweto bomb attack" labels 20 as "people killed in the
Soweto bomb attack"; "profits jumped 76% to $1.13bn" labels 76% "rise in profits" and $1.13bn
"profits"; "pledged $10bn for education in Africa" labels $10bn "pledged for education in
Africa". Only the sentences of the best-ranked candidates are parsed (see pipeline.py), and a label
the parse cannot give falls back to the word-window label of figures.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from search.text import MONTH_NAMES
from search.text import MONTHS as ABBREVIATED_MONTHS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    # A run of words kept in text order; a label is a few segments in the order that reads.
    Segment = Sequence[Token | str]

# Verbs of change and the noun a label uses for them ("rose 5%" -> "rise in ...").
CHANGE_VERBS = {
    **dict.fromkeys(
        """rose rise rises risen rising jumped jump jumps soared soar soars surged surge surges
        climbed climb climbs gained gain gains grew grow grows grown increased increase increases
        up higher""".split(),
        "rise",
    ),
    **dict.fromkeys(
        """fell fall falls fallen falling dropped drop drops slipped slip slips declined decline
        declines plunged plunge plunges slumped slump slumps shrank decreased decrease decreases
        down lower""".split(),
        "fall",
    ),
}
# Verbs that give their object a value through "at" ("put support at 38%", "valued it at $1m").
ESTIMATING_VERBS = frozenset(
    """put puts putting estimate estimated estimates value valued values peg pegged pegs set sets
    fix fixed fixes price priced prices""".split()
)
# Verbs that change their object, and the noun for the change ("cut the rate by 0.5 points").
TRANSITIVE_CHANGE = {
    **dict.fromkeys("cut cuts cutting".split(), "cut"),
    **dict.fromkeys(
        """raise raised raises raising lift lifted lifts lifting boost boosted boosts boosting
        increase increased increases increasing""".split(),
        "rise",
    ),
    **dict.fromkeys(
        """reduce reduced reduces reducing lower lowered lowers lowering trim trimmed trims
        trimming slash slashed slashes slashing""".split(),
        "fall",
    ),
}
# Nouns of events that hurt or kill: a count in a clause about one was hurt in it.
EVENT_NOUNS = frozenset(
    """accident attack crash fire blast explosion earthquake quake flood floods storm war conflict
    shooting bombing collapse disaster stampede riot clash clashes fighting incident outbreak
    epidemic pandemic eruption tsunami hurricane typhoon cyclone raid strike strikes massacre
    violence protest protests battle blasts explosions attacks bombings""".split()
)
# Past participles of common irregular verbs, by base form.
IRREGULAR = {
    "sell": "sold", "pay": "paid", "buy": "bought", "lose": "lost", "cut": "cut", "make": "made",
    "take": "taken", "give": "given", "win": "won", "hold": "held", "spend": "spent",
    "find": "found", "see": "seen", "hit": "hit", "set": "set", "put": "put", "keep": "kept",
    "leave": "left", "bring": "brought", "build": "built", "send": "sent", "tell": "told",
    "get": "got", "run": "run", "show": "shown", "know": "known", "write": "written",
    "steal": "stolen", "shoot": "shot", "fight": "fought", "lead": "led", "meet": "met",
    "hurt": "hurt", "cost": "cost", "raise": "raised", "sign": "signed", "owe": "owed",
    "bid": "bid", "lend": "lent", "seek": "sought", "draw": "drawn", "shed": "shed",
    "score": "scored", "feed": "fed", "sink": "sunk", "freeze": "frozen", "bet": "bet",
    "feel": "felt", "deal": "dealt", "mean": "meant", "lay": "laid", "say": "said",
    "stand": "stood", "teach": "taught", "catch": "caught", "think": "thought", "grow": "grown",
    "throw": "thrown", "choose": "chosen", "break": "broken", "speak": "spoken", "drive": "driven",
    "withdraw": "withdrawn", "overtake": "overtaken", "begin": "begun", "fly": "flown",
    "forgive": "forgiven", "undertake": "undertaken",
}  # fmt: skip
# Simple pasts whose participle differs ("gave control" -> "control given").
IRREGULAR_PAST = {
    "gave": "given", "took": "taken", "wrote": "written", "went": "gone", "rose": "risen",
    "fell": "fallen", "drew": "drawn", "grew": "grown", "showed": "shown", "stole": "stolen",
    "saw": "seen", "knew": "known", "ate": "eaten", "chose": "chosen", "froze": "frozen",
    "broke": "broken", "spoke": "spoken", "drove": "driven", "rode": "ridden", "sank": "sunk",
    "began": "begun", "ran": "run", "came": "come", "became": "become", "forgave": "forgiven",
    "withdrew": "withdrawn", "overtook": "overtaken", "undertook": "undertaken", "swore": "sworn",
    "tore": "torn", "wore": "worn", "bore": "borne", "threw": "thrown", "flew": "flown",
    "blew": "blown", "hid": "hidden", "bit": "bitten", "shook": "shaken", "forbade": "forbidden",
}  # fmt: skip
SILENT_E_ENDINGS = (
    "at",
    "iz",
    "ur",
    "ov",
    "iv",
    "av",
    "ud",
    "dg",
    "rg",
    "nc",
    "rc",
    "bl",
    "dl",
    "gl",
    "kl",
    "pl",
    "tl",
    "us",
    "os",
    "as",
    "ag",
    "ut",
    "ir",
    "ar",
    "id",
)
SHARE_WORDS = frozenset("half third quarter fifth most majority minority two-thirds".split())
QUANTIFIER_NOUNS = frozenset("none all some most many each one others half lot rest".split())
MAX_WORDS = 10
MONTHS = frozenset(MONTH_NAMES) | frozenset(ABBREVIATED_MONTHS.split())
PERIOD_NOUNS = frozenset("quarter half year month week period season".split())
YEAR_RE = re.compile(r"^(?:1[5-9]\d\d|20\d\d)$")
# Units and magnitudes written after a number belong to the figure, not to what it counts.
UNIT_WORDS = frozenset(
    """% pct percent per cent mln bln billion million trillion thousand hundred dlr dlrs dollars
    dollar stg pounds pound euros euro yen yuan cts cents pence p bn m k tonnes tons tonne
    ounces barrels bpd points point percentage""".split()
)
# Words that only say how exact a number is.
APPROXIMATORS = frozenset(
    "about around some nearly almost roughly approximately over under just only by least".split()
)
# With the words of "at least", "more than", "up to", "as many": none of them says what is counted.
NUMBER_QUALIFIERS = APPROXIMATORS | frozenset("at more than less fewer up to as many much".split())
# Verbs through which a subject takes an amount's value ("Net profit was $5m").
VALUE_VERBS = frozenset(
    """be is are was were been being total totalled totaled totals reach reached reaches stand
    stood stands come came comes amount amounted amounts cost costs value valued worth hit hits
    widen widened narrow narrowed represent represents represented mark marks marked become
    became becomes remain remained remains have has had fetch fetched fetches fetching average
    averaged averages averaging""".split()
)
# Prepositions that carry a noun's qualifier into a label ("deficit in February", "aid for Africa").
LABEL_PREPOSITIONS = frozenset(
    "of in for on at from among against over under with by to within into during after".split()
)
SKIP_DEPS = frozenset({"det", "punct", "cc", "nummod", "quantmod", "predet", "case", "advmod"})
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ"})
NUMBER_TAGS = frozenset({"CD"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECT_DEPS = frozenset({"dobj", "attr", "oprd", "npadvmod", "acomp", "dative"})
# Verbs of motion that say a change with "up" or "down" ("edged up", "went down").
MOTION_VERBS = frozenset(
    """edge edged edges tick ticked ticks go goes went gone move moved moves shoot shot shoots
    inch inched inches creep crept come came comes push pushed pushes""".split()
)
# Approximators the parser reads as prepositions ("sold over one million", "Between 5 and 6
# million people were killed"): the number takes the preposition's place in the clause.
APPROXIMATE_PREPOSITIONS = frozenset(
    "over under about around nearly almost roughly approximately between some".split()
)
# Prepositions by which a verb with an object takes an amount ("sold X for £5m", "sued X for
# $2bn", "overstated X by $11bn", "raised X to £1.5bn").
AMOUNT_PREPOSITIONS = frozenset("for by to at".split())
RELATIVE_TAGS = frozenset({"WDT", "WP"})
# Nouns an amount can stand behind ("an average of £40", "a total of 300"): the label is the
# clause's, as if the amount were written in their place.
AGGREGATE_NOUNS = frozenset("average total maximum minimum sum tally".split())
# Where a long phrase is cut: before a later phrase or clause of its own.
TRIM_DEPS = frozenset({"prep", "relcl", "acl", "cc", "conj", "advcl", "appos"})
AUX_DEPS = frozenset({"aux", "auxpass"})
BE_FORMS = frozenset("be is are was were been being".split())
HAVE_VERBS = frozenset("have has had hold holds held".split())
# Verbs by which a subject has a share ("Labour won 41% of the vote"): the subject owns it.
SHARE_VERBS = frozenset(
    """make makes made account accounts accounted represent represents represented hold holds
    held have has had own owns owned win wins won take takes took get gets got control controls
    controlled capture captures captured secure secures secured""".split()
)
# Objects that make an idiom with their verb ("take place", "change hands"): no thing done to.
IDIOM_OBJECTS = frozenset("place part hands effect shape office power note action care".split())
# Figures that are amounts (a count, a sum, a share, a measure), not a point or length of time.
AMOUNT_KINDS = frozenset({"count", "money", "percent", "quantity"})
REPORTING_VERBS = frozenset(
    "say said says tell told report reported reports add added adds show showed shows".split()
)


def parse_label(
    doc: Doc, start: int, end: int, kind: str, names: Sequence[tuple[int, int]] = ()
) -> str | None:
    """What the figure at doc characters [start, end) counts, or None when the parse cannot say.
    `names`: character spans of the sentence's named entities (the tagger calls "Leeds" NNS)."""
    inside = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not inside or kind == "age":
        return None  # an age is whose it is, which the word window says ("Smith, 42, said")
    head = _figure_head(inside)
    if head is None:
        return None
    span = {t.i for t in inside}
    head = _take_units(head, span)
    counted = _counted_noun(head, span) or _counted_by_any(inside, span)
    if counted is not None:
        segments = _counted(counted, span, kind)
    else:
        segments = _measured(head, span, kind)
    if segments and any(segments):
        named = {t.i for t in doc for s, e in names if s <= t.idx < e}
        owner = _owner(head, segments, named, kind)
        if kind == "count" and owner:
            # a count's owner reads after it: "lines of British TV pictures", "people wounded
            # by the blasts", "people left homeless by flooding"
            words = [w for g in segments for w in g]
            acted = any(isinstance(w, str) or w.tag_ in VERB_TAGS for w in words)
            tokens = [w for w in words if not isinstance(w, str)]
            qualified = any(t.dep_ == "prep" for t in tokens)
            predicate = bool(tokens) and min(tokens, key=lambda t: t.i).tag_ in VERB_TAGS | {"MD"}
            if not (predicate or qualified and not acted):
                segments = [*segments, ["by" if acted else "of", *owner]]
        else:
            segments = [owner, *segments]
    return _finish(segments)


def _owner(head: Token, segments: list[Segment], named: set[int], kind: str) -> list[Token]:
    """Whose figure it is, when the label names no one: the proper-noun subject of the figure's
    clause ("Leeds had debts of £103m" -> "Leeds debts"); for a share, any noun subject ("Ethnic
    minorities make up 8% of the population" -> "Ethnic minorities share of the population")."""
    tokens = [w for segment in segments for w in segment if not isinstance(w, str)]
    if any(t.tag_ in {"NNP", "NNPS"} or t.i in named for t in tokens):
        return []
    verb = head
    # A figure that is itself in a phrase of the verb ("shining on the thousands of fans") is
    # nobody's; one that measures a noun ("had debts of £103m") is the subject's.
    acted_on = not (head.dep_ == "pobj" and head.head.head.tag_ in VERB_TAGS)
    while verb.tag_ not in VERB_TAGS and verb.head.i != verb.i:
        verb = verb.head
    if verb.tag_ not in VERB_TAGS or verb.lower_ in REPORTING_VERBS:
        return []
    subject = _subject(verb, named=named)
    verbless = not any(t.tag_ in VERB_TAGS for t in tokens)
    share = list(segments[0]) == ["share", "of"] and verb.lower_ in SHARE_VERBS
    if subject is None and (len(tokens) <= 2 and verbless or kind == "count" or share) and acted_on:
        subject = _subject(verb)  # "the club's debt of £103m" has no name: "club debt"
        if subject is not None and (subject.lower_ in QUANTIFIER_NOUNS or len(subject.text) < 3):
            subject = None
    if subject is None or subject in tokens or any(c.dep_ == "conj" for c in subject.children):
        return []
    words = [
        t
        for t in subject.lefts
        if t.dep_ == "compound" or (t.dep_ == "amod" and (share or _is_name(t, named)))
    ]
    return [*words, subject] if len(words) < 3 else []


def _figure_head(inside: list[Token]) -> Token | None:
    """The figure's token whose head lies outside it (its syntactic head)."""
    ids = {t.i for t in inside}
    for t in inside:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return None


def _take_units(head: Token, span: set[int]) -> Token:
    """'41 pct', '950 mln dlrs': the unit heads the number in the parse; it is part of the figure."""
    while head.dep_ in {"nummod", "compound", "quantmod", "amod", "nmod"} and (
        head.head.lower_ in UNIT_WORDS
    ):
        span.add(head.head.i)
        head = head.head
    return head


def _counted_noun(head: Token, span: set[int]) -> Token | None:
    """The noun a number counts: '20 people', '464,000 subscribers', 'a $40bn deal'."""
    parent = head.head
    if parent.i in span or parent.tag_ not in NOUN_TAGS or parent.lower_ in UNIT_WORDS:
        return None
    if head.dep_ in {"nummod", "quantmod", "compound", "nmod", "amod", "poss"}:
        while parent.dep_ == "compound" and parent.head.tag_ in NOUN_TAGS:
            parent = parent.head  # "90 journalist jobs": the jobs are counted
        return parent
    return None


def _counted_by_any(inside: list[Token], span: set[int]) -> Token | None:
    """The noun any word of the figure counts, when the parse hangs the figure on something else
    ("Between 1.1 and 1.5 million people": "1.1" counts the people)."""
    for t in inside:
        parent = t.head
        if (
            t.dep_ in {"nummod", "quantmod"}
            and parent.i not in span
            and parent.tag_ in NOUN_TAGS
            and parent.lower_ not in UNIT_WORDS
        ):
            return parent
    return None


def _noun_phrase(noun: Token, span: set[int], with_prep: bool = True) -> list[Token]:
    """A noun with its modifiers on the left and one qualifying phrase on the right."""
    words: list[Token] = []
    for left in noun.lefts:
        if left.i in span or left.dep_ in SKIP_DEPS - {"nummod"}:
            continue
        if left.tag_ in NUMBER_TAGS and not YEAR_RE.match(left.text):
            continue  # another figure; a year stays ("a 1942 mining accident")
        if left.lower_ in NUMBER_QUALIFIERS or left.tag_ == "PRP$":
            continue  # "their loans": whose they are is the owner's part (see _owner)
        words.extend(t for t in left.subtree if t.i not in span and _inner_word(t))
    words.append(noun)
    if with_prep:
        words.extend(_qualifier(noun, span))
    return words


def _qualifier(
    word: Token,
    span: set[int],
    limit: int = 6,
    skip: Token | None = None,
    relative: bool = False,
) -> list[Token]:
    """The first prepositional phrase after a word that holds no other figure ('of India's
    imports'), or the participle that says what it is ('a petition backing the amendment');
    `relative`: also a relative clause ('explosions which rocked Mumbai', for a counted noun);
    `skip`: a phrase not to take (the figure's own)."""
    if limit <= 0:
        return []
    for right in word.rights:
        if skip is not None and right.i == skip.i:
            continue
        if (
            relative
            and right.dep_ == "relcl"
            and any(c.dep_ in SUBJECT_DEPS and c.tag_ in RELATIVE_TAGS for c in right.children)
        ):
            return _relative_words(right, span, limit)
        if right.dep_ in {"prep", "agent", "dative"} and right.lower_ in LABEL_PREPOSITIONS:
            tokens = [t for t in right.subtree if _inner_word(t)]
            if any(t.i in span for t in tokens):
                continue
            if any(_other_figure(t) for t in tokens):
                continue  # "in 162 countries": another figure, not this one's qualifier
            if len(tokens) <= limit:
                return tokens
            return _trim_phrase(tokens, limit)
        if right.dep_ in {"acl", "relcl"} and right.tag_ in {"VBN", "VBG"}:
            obj = [
                w
                for c in right.rights
                if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS and c.i not in span
                for w in _noun_phrase(c, span, with_prep=False)
            ]
            if len(obj) >= limit or any(_other_figure(t) for t in obj):
                obj = []
            return [right, *obj, *_qualifier(right, span, limit - 1 - len(obj))]
    return []


def _relative_words(verb: Token, span: set[int], limit: int) -> list[Token]:
    """A relative clause on a counted noun, short: "which rocked Mumbai"; a passive or "be"
    clause without its pronoun and auxiliaries ("which were published in Spain" -> "published
    in Spain", "who were interested" -> "interested")."""
    # Not what "and" joins to the clause ("who were interested and the project was born").
    joined = [c for c in verb.children if c.dep_ in {"cc", "conj"}]
    left_out = {t.i for c in joined for t in c.subtree}
    tokens = [t for t in verb.subtree if _inner_word(t) and t.i not in span | left_out]
    if _is_passive(verb) or verb.lower_ in BE_FORMS:
        tokens = [
            t
            for t in tokens
            if not (t.head.i == verb.i and (t.tag_ in RELATIVE_TAGS or t.dep_ in AUX_DEPS))
            and not (t.i == verb.i and verb.lower_ in BE_FORMS)
        ]
    return _trim_phrase(tokens, limit, root=verb)


def _inner_word(t: Token) -> bool:
    """A word a label keeps from a phrase: no comma or bracket."""
    return not (t.dep_ == "punct" and t.text not in {"-", "'", "’"})


def _other_figure(t: Token) -> bool:
    """A number written in digits that is not a year: another figure ("in 162 countries")."""
    return t.tag_ in NUMBER_TAGS and any(c.isdigit() for c in t.text) and not YEAR_RE.match(t.text)


def _trim_phrase(tokens: list[Token], limit: int, root: Token | None = None) -> list[Token]:
    """A long phrase cut before a later preposition or clause, at most `limit` words; `root`:
    the clause's own verb, which is never a cut."""
    inside = {t.i for t in tokens}
    # The phrase's own head (the preposition of "at each stop") is no cut.
    cuts = {
        t.i
        for t in tokens
        if t.dep_ in TRIM_DEPS
        and t.head.i in inside
        and t.head.i != t.i
        and (root is None or t.i != root.i)
    }
    out: list[Token] = []
    entered: set[int] = set()  # the phrases begun while the label was still short
    for t in tokens:
        cut = _cut_of(t, cuts, inside)
        if cut is not None and cut not in entered:
            if len(out) >= 2 or (out and t.dep_ in {"cc", "conj"}):
                break
            entered.add(cut)
        out.append(t)
        if len(out) >= limit:
            break
    while out and out[-1].tag_ in RELATIVE_TAGS | {"IN", "TO", "CC", "DT"}:
        out.pop()  # "film fans who" says less than "film fans"
    return out


def _cut_of(t: Token, cuts: set[int], inside: set[int]) -> int | None:
    """The nearest later phrase or clause a word belongs to (itself or a head of it within the
    phrase): "in Europe, McDonald's biggest market" stops at "McDonald's"."""
    while True:
        if t.i in cuts:
            return t.i
        if t.head.i == t.i or t.head.i not in inside:
            return None
        t = t.head


def _counted(noun: Token, span: set[int], kind: str) -> list[Segment]:
    """A counted noun, the verb it is the subject or object of, and the first qualifying phrase:
    '… people' + 'killed' + 'in the Soweto bomb attack'; 'tickets' + 'sold' + 'for the concert'."""
    phrase = _noun_phrase(noun, span, with_prep=False)
    qualifier = _qualifier(noun, span, relative=True)
    if qualifier != _qualifier(noun, span):
        return [phrase, qualifier]  # a relative clause says more than the verb of the sentence
    dep, verb = _clause_role(noun)
    if dep in SUBJECT_DEPS | {"dobj"} and verb.tag_ in VERB_TAGS:
        reported = verb.lower_ in REPORTING_VERBS and not (
            dep == "dobj" and verb.lower_ in {"add", "added", "adds", "adding"}
        )  # "employers added 243,000 jobs" reports nothing
        if verb.lower_ in VALUE_VERBS or reported:
            return [phrase, qualifier]
        action: list[Token | str] = [
            participle(verb) if dep == "dobj" else verb,
            *(t for t in verb.rights if t.dep_ in {"prt", "oprd", "acomp"}),
        ]
        if dep in SUBJECT_DEPS:
            # "15 explosions rocked Mumbai": what the subject did it to, and what that object is
            # ("signed a petition backing the amendment")
            obj = next((c for c in verb.rights if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS), None)
            if obj is not None:
                action += _noun_phrase(obj, span, with_prep=False)
                action += _qualifier(obj, span, limit=4)
        if (
            dep == "dobj"
            and verb.dep_ == "acl"
            and verb.tag_ == "VBG"
            and verb.head.tag_ in NOUN_TAGS
        ):
            # "flights affecting 5,000 passengers": passengers affected by the flights
            cause = _noun_phrase(verb.head, span, with_prep=False)
            return [phrase, action, ["by", *_with_determiner(verb.head, cause)]]
        if dep == "dobj" and verb.dep_ == "advcl" and verb.tag_ == "VBG":
            # "cancelled 77 flights, affecting 5,000 passengers": affected by the cancelled flights
            caused = _main_clause_thing(verb.head, span)
            if caused:
                return [phrase, action, ["by", *caused]]
        verb_qualifier = _qualifier(verb, span)
        if not qualifier:
            qualifier, verb_qualifier = verb_qualifier, []
        if not qualifier and verb.dep_ == "relcl" and verb.head.lower_ in EVENT_NOUNS:
            # "a 1942 mining accident that killed 136 laborers": killed in the accident
            event = _noun_phrase(verb.head, span, with_prep=False)
            return [phrase, action, ["in", *_with_determiner(verb.head, event)]]
        if not qualifier and dep == "dobj":
            owner = _subject(verb)
            if owner is not None:
                by = _with_conjuncts(owner, span)  # "by the Daily and Sunday Telegraph"
                if len(by) > 5:
                    by = _noun_phrase(owner, span, with_prep=False)
                return [phrase, action, ["by", *_with_determiner(owner, by)]]
        return [phrase, action, qualifier, verb_qualifier]
    if (
        not qualifier
        and kind in AMOUNT_KINDS
        and dep == "pobj"
        and verb.dep_ == "prep"
        and verb.head.tag_ in VERB_TAGS
    ):
        # "pictures are made up of 625 lines": the clause, in its own order
        said = _clause_with(noun, verb, span)
        if said:
            return [said]
    return [phrase, qualifier]


def _main_clause_thing(verb: Token, span: set[int]) -> list[Token | str]:
    """What a clause did something to, as a noun phrase: its object ("cancel 77 flights" ->
    "cancelled flights") or a passive's subject ("flights were delayed" -> "delayed flights")."""
    if verb.tag_ not in VERB_TAGS:
        return []
    done = next((c for c in verb.children if c.dep_ == "xcomp" and c.tag_ in VERB_TAGS), None)
    if done is not None:
        verb = done  # "had to cancel 77 flights"
    thing = next((c for c in verb.children if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS), None)
    if thing is None and _is_passive(verb):
        thing = _subject(verb)
    if thing is None or thing.tag_ not in NOUN_TAGS or thing.lower_ in QUANTIFIER_NOUNS:
        return []
    return [participle(verb), *_noun_phrase(thing, span, with_prep=False)]


def _clause_with(noun: Token, prep: Token, span: set[int]) -> list[Token]:
    """A short clause around a noun in one of its verb's phrases: subject, verb, particle,
    preposition, noun ("pictures made up of lines"); empty when the subject is no noun."""
    verb = prep.head
    subject = _subject(verb)
    if subject is None or subject.lower_ in QUANTIFIER_NOUNS or verb.lower_ in REPORTING_VERBS:
        return []
    if verb.lower_ in VALUE_VERBS:
        return []
    return [
        *_noun_phrase(subject, span, with_prep=False),
        verb,
        *(c for c in verb.children if c.dep_ == "prt"),
        prep,
        *_noun_phrase(noun, span, with_prep=False),
    ]


def _measured(head: Token, span: set[int], kind: str) -> list[Segment]:
    """The label of an amount that is not a count of a noun: a change, a value, a share."""
    relative = next((c for c in head.rights if c.dep_ == "relcl" and c.tag_ in VERB_TAGS), None)
    if relative is not None:
        said = _relative_clause(relative, span)
        if said:
            return said
    own = _qualifier(head, span)
    if head.dep_ == "appos" and head.head.lower_ in SHARE_WORDS:
        own = _qualifier(head.head, span)  # "more than half (54%) of owners"
    if own and own[0].lower_ == "of" and kind in {"percent", "count"}:
        # "70% of India's imports", "a third of voters"
        return [["share", "of"] if kind == "percent" else [], own[1:]]
    dep, parent = _clause_role(head) if kind in AMOUNT_KINDS else (head.dep_, head.head)
    if head.head.lower_ in {"up", "down"} and head.head.tag_ == "RB" and kind in AMOUNT_KINDS:
        # "closed at 18.45 dlrs, up 1.05 dlrs": a change in what the clause is about
        verb = next((a for a in head.ancestors if a.tag_ in VERB_TAGS), None)
        subject = _subject(verb) if verb is not None else None
        if subject is not None:
            return [[CHANGE_VERBS[head.head.lower_], "in"], _noun_phrase(subject, span)]
    if dep == "pobj" and parent.dep_ == "prep" and parent.head.dep_ == "acl":
        valued = parent.head
        if valued.lower_ in VALUE_VERBS and valued.head.tag_ in NOUN_TAGS:
            # "The offer, valued at about 1.1 billion dlrs, expires": the offer's value
            return [_noun_phrase(valued.head, span, with_prep=False), [valued]]
    part_of = _of_plural(head)
    if kind == "count" and part_of is not None:
        # "won 22 of the 24 Senate seats": 22 Senate seats won by the candidates
        things = _noun_phrase(part_of, span, with_prep=False)
        if dep == "dobj" and parent.tag_ in VERB_TAGS and parent.lower_ not in VALUE_VERBS:
            subject = _subject(parent)
            who = _noun_phrase(subject, span, with_prep=False) if subject is not None else []
            return [things, [participle(parent)], ["by", *who] if who else []]
        if dep in SUBJECT_DEPS and parent.tag_ in VERB_TAGS:
            return [things, _predicate(parent, span)]
        return [things]
    if dep == "pobj" and parent.dep_ in {"prep", "agent"}:
        prep, governor = parent, parent.head
        if prep.lower_ == "by" and _written_after_to(head, span):
            # "rose by 48,000 to 2.31 million", parsed as one phrase of "by": this is the level
            return [
                _noun_phrase(_subject(governor) or governor, span, with_prep=False),
                _when(governor, span),
            ]
        changed = next(
            (c for c in governor.children if c.dep_ in {"ccomp", "xcomp"} and _direction(c)),
            None,
        )
        if prep.lower_ == "by" and changed is not None and governor.tag_ in VERB_TAGS:
            # "saw sales increase by 350%": the change is the complement's
            subject = _subject(changed)
            if subject is not None and not _direction(governor):
                return _change(changed, subject, span)
        if governor.tag_ in VERB_TAGS and _direction(governor) and kind in AMOUNT_KINDS:
            subject = _subject(governor)
            changed_object = next(
                (c for c in governor.children if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS), None
            )
            if changed_object is not None and prep.lower_ == "by":
                subject = changed_object  # "increase taxes by a penny": the taxes rise
            if subject is None:
                return []
            if prep.lower_ in {"to", "at"}:
                # "profits jumped … to $1.13bn": the level, and when ("… in February")
                return [_noun_phrase(subject, span), _when(governor, span)]
            if prep.lower_ == "by":
                return [*_change(governor, subject, span), _when(governor, span)]
            if prep.lower_ == "from":
                return [["previous"], _noun_phrase(subject, span)]  # "… from 820 mln dlrs"
            return []
        if governor.lower_ in AGGREGATE_NOUNS and prep.lower_ == "of":
            # "cut by an average of £40": the amount stands where "an average" stands
            inner = _measured(governor, span | {governor.i, prep.i}, kind)
            if inner and any(inner):
                return [*inner, ["on", governor.lower_] if governor.lower_ == "average" else []]
        if governor.tag_ in NOUN_TAGS and prep.lower_ in {"of", "worth", "at", "to"}:
            # "a fine of £1m", "a bill of $27bn in back taxes": what the amount is in stays
            what = own if own and own[0].lower_ != "of" else []
            return [_noun_phrase(governor, span, with_prep=False), what]
        if governor.lower_ == "worth" and governor.head.tag_ in NOUN_TAGS:
            # "50 new aircraft worth $6 billion": what the aircraft are worth
            return [["value", "of"], _noun_phrase(governor.head, span, with_prep=False)]
        if governor.lower_ == "worth" or (
            governor.tag_ in VERB_TAGS and governor.lower_ in VALUE_VERBS
        ):
            subject = _subject(governor)
            return [_noun_phrase(subject, span)] if subject is not None else []
        if governor.tag_ in VERB_TAGS and governor.lower_ not in REPORTING_VERBS:
            done = _done_to(governor, prep, span, kind)
            if done:
                return done
        return [own]
    if dep in {"compound", "nmod", "amod"} and parent.tag_ in NOUN_TAGS:
        return [_noun_phrase(parent, span)]  # "a 10% stake in Google"
    if dep in OBJECT_DEPS and parent.tag_ in VERB_TAGS | {"JJ"}:
        if _direction(parent) and kind in AMOUNT_KINDS:
            subject = _subject(parent)
            return _change(parent, subject, span) if subject is not None else []
        if parent.lower_ in VALUE_VERBS:
            subject = _subject(parent)
            if subject is None:
                return []
            if parent.lower_ in HAVE_VERBS and own and own[0].lower_ == "in":
                # "South Korea has $200bn in foreign reserves": South Korea foreign reserves
                return [_noun_phrase(subject, span, with_prep=False), own[1:]]
            return [_noun_phrase(subject, span)]
        if parent.lower_ in REPORTING_VERBS:
            return []
        if kind == "count" and dep == "dobj":
            noun = _counted_sibling(parent)
            if noun is not None:
                # "killed 250 people and wounded 1,000": 1,000 people wounded
                complement = [c for c in parent.rights if c.dep_ in {"oprd", "acomp", "prt"}]
                return [
                    _noun_phrase(noun, span, with_prep=False),
                    [participle(parent), *complement],
                ]
        if _is_passive(parent):
            # "X has been fined 50,000 euros": the subject is who was fined, not who fined
            subject = _subject(parent)
            if subject is not None:
                return [
                    _noun_phrase(subject, span, with_prep=False),
                    [participle(parent)],
                    own or _qualifier(parent, span),
                ]
        subject = _subject(parent)
        if kind not in AMOUNT_KINDS and subject is not None:
            who = _noun_phrase(subject, span, with_prep=False)
            if own and own[0].lower_ == "of":
                # "the win ended five years of English dominance": the years' own noun
                return [own[1:], [participle(parent)], ["by", *_with_determiner(subject, who)]]
            # "the woman waited a year before coming forward": a time is no thing done by anyone
            return [
                _noun_phrase(subject, span, with_prep=False),
                [parent if parent.tag_ == "VBD" else participle(parent)],  # "man served"
                own or _qualifier(parent, span),
            ]
        # "Baikal paid $9bn for Yugansk": paid by whom, and for what
        who = _noun_phrase(subject, span, with_prep=False) if subject is not None else []
        return [[participle(parent)], ["by", *who] if who else [], own or _qualifier(parent, span)]
    if dep in SUBJECT_DEPS and parent.tag_ in VERB_TAGS:
        counted = _counted_subject_of_sibling(parent)
        if counted is not None:
            # "2,000 people were injured and 15,000 left homeless": 15,000 people
            return [_noun_phrase(counted, span, with_prep=False), _predicate(parent, span)]
        qualifier = _qualifier(parent, span)
        if qualifier:
            return [[parent], qualifier]  # "£5m was spent on repairs"
        return [_predicate(parent, span)]  # "25% did not know how to vote"
    return [own]


def _of_plural(head: Token) -> Token | None:
    """The plural noun of "22 of the 24 seats" (the whole a count is part of)."""
    for prep in head.rights:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for noun in prep.children:
                if noun.dep_ == "pobj" and noun.tag_ in {"NNS", "NNPS"}:
                    return noun
    return None


def _predicate(verb: Token, span: set[int]) -> list[Token]:
    """What a figure that is a clause's subject did, in a few words: "25% did not know how
    they would vote" -> "did not know how they would vote"."""
    words = [c for c in verb.lefts if c.dep_ in {"aux", "neg"}]
    words.append(verb)
    for child in verb.rights:
        if child.dep_ in {"prt", "neg", "acomp", "oprd"}:
            words.append(child)
        elif child.dep_ in {"dobj", "ccomp", "xcomp", "attr"}:
            tokens = [t for t in child.subtree if _inner_word(t) and t.i not in span]
            words.extend(_trim_phrase(tokens, 6, root=child))
            break
    return words


def _relative_clause(verb: Token, span: set[int]) -> list[Segment]:
    """What a relative clause says of an amount: "$5m which was spent on repairs" -> "spent on
    repairs"; "the $46m that Acme is seeking in damages" -> "sought by Acme in damages"."""
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None:
        return []
    qualifier = _qualifier(verb, span)
    if subject.tag_ in RELATIVE_TAGS:
        return [[verb], qualifier]
    if subject.tag_ not in NOUN_TAGS:
        return []
    action: list[Token | str] = [participle(verb), *(c for c in verb.children if c.dep_ == "prt")]
    who = _noun_phrase(subject, span, with_prep=False)
    return [action, ["by", *_with_determiner(subject, who)], qualifier]


def _when(verb: Token, span: set[int]) -> list[Token]:
    """The period a verb's figure is for, when one of its phrases names it: "in February",
    "in the first quarter", "in 1986" (not "in Tokyo")."""
    for child in verb.children:
        if child.dep_ != "prep" or child.lower_ not in {"in", "during", "for"}:
            continue
        for obj in child.children:
            specific = any(c.dep_ in {"amod", "compound", "nummod"} for c in obj.children)
            if obj.dep_ == "pobj" and (
                obj.lower_ in MONTHS
                or YEAR_RE.match(obj.text)
                or (obj.lower_ in PERIOD_NOUNS and specific)  # "the first quarter", not "the week"
            ):
                tokens = [t for t in child.subtree if _inner_word(t) and t.i not in span]
                if len(tokens) <= 5 and not any(_other_figure(t) for t in tokens):
                    return tokens
    return []


def _written_after_to(head: Token, span: set[int]) -> bool:
    """The figure follows a "to" inside its own phrase ("by 48,000 to 2.31 million")."""
    first = min(span)
    doc = head.doc
    return first > 0 and doc[first - 1].lower_ == "to" and doc[first - 1].head.i in span


def _clause_role(word: Token) -> tuple[str, Token]:
    """A word's dependency and head, reading an approximator the parser took for a preposition
    as part of the number: "sold over one million" (object), "Between 1.1 and 1.5 million people
    were killed" (subject)."""
    while word.dep_ == "conj" and word.head.tag_ in NOUN_TAGS and word.tag_ in NOUN_TAGS:
        word = word.head  # "92 outgoing flights and 86 income flights were delayed"
    prep = word.head
    verb = prep.head
    if (
        word.dep_ != "pobj"
        or prep.lower_ not in APPROXIMATE_PREPOSITIONS
        or verb.tag_ not in VERB_TAGS
        or verb.i == prep.i
    ):
        return word.dep_, word.head
    if word.i < verb.i and not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return ("nsubjpass" if _is_passive(verb) else "nsubj"), verb
    if word.i > verb.i and not any(c.dep_ == "dobj" for c in verb.children):
        return "dobj", verb
    return word.dep_, word.head


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)


def _direction(verb: Token) -> str | None:
    """'rise' or 'fall' for a word of change ("jumped", "fell", "edged up"), else None."""
    direction = CHANGE_VERBS.get(verb.lower_)
    if direction is None and verb.lower_ in MOTION_VERBS:
        for child in verb.children:
            if child.dep_ == "prt" and child.lower_ in {"up", "down"}:
                return CHANGE_VERBS[child.lower_]
    return direction


def _done_to(verb: Token, prep: Token, span: set[int], kind: str) -> list[Segment]:
    """An amount a verb takes through a preposition, labelled by what the verb did to its
    object: "sold its gloves business for £173m" -> "gloves business sold", "bought the rights
    for $4m" -> "rights bought by Fox", "overstated its accounts by $11bn"; a passive's subject
    the same way ("the firm was sold for $5m" -> "firm sold")."""
    if prep.lower_ == "from" and kind in AMOUNT_KINDS - {"count"}:
        # "lifting the jobless rate to 8.9 pct from 8.7 pct": the level the object left
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS), None)
        moved = any(c.dep_ == "prep" and c.lower_ == "to" for c in verb.children)
        if obj is not None and moved:
            return [["previous"], _noun_phrase(obj, span, with_prep=False)]
        return []
    if kind in AMOUNT_KINDS and prep.lower_ not in AMOUNT_PREPOSITIONS or prep.lower_ == "of":
        return []
    if prep.lower_ == "at" and verb.lower_ in ESTIMATING_VERBS:
        # "the poll put support for the ruling party at 38 percent": the support
        thing = next((c for c in verb.children if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS), None)
        if thing is None and _is_passive(verb):
            thing = _subject(verb)
        if thing is not None:
            own = _qualifier(thing, span)
            return [_noun_phrase(thing, span), [] if own else _qualifier(verb, span, skip=prep)]
    changed = TRANSITIVE_CHANGE.get(verb.lower_)
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS), None)
    if prep.lower_ == "by" and changed is not None and obj is not None and kind != "count":
        # "cut its discount rate by half a percentage point": the cut in the discount rate
        return [[changed, "in"], _noun_phrase(obj, span, with_prep=False)]
    obj = next(
        (c for c in verb.children if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS and c.i not in span),
        None,
    )
    if obj is None and _is_passive(verb):
        obj = _subject(verb)
    if obj is None and verb.dep_ in {"advcl", "acl"} and verb.tag_ in {"VBD", "VBN"}:
        # "holds 2,345,000 shares, bought for a total of 61.2 mln dlrs": the shares bought
        heads = [verb.head, *(c for c in verb.head.children if c.dep_ == "ccomp")]
        obj = next(
            (c for h in heads for c in h.children if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS),
            None,
        )
        if obj is not None:
            return [_noun_phrase(obj, span, with_prep=False), [verb]]
    if obj is None or obj.lower_ in QUANTIFIER_NOUNS:
        return []
    if (
        obj.dep_ == "dobj"
        and not any(obj.children)
        and (obj.tag_ == "NN" or obj.lower_ in IDIOM_OBJECTS)
    ):
        return []  # a bare singular object makes an idiom with its verb ("take place")
    if obj.tag_ in {"NN", "NNS"} and any(c.dep_ == "nummod" for c in obj.children):
        return []  # "lost 65 cents ... to 1.90 dollars": the object is another figure
    if obj.lower_ in AGGREGATE_NOUNS | {"number", "amount", "level"}:
        # "bring the total number of GM workers on layoff to 37,000": the workers on layoff
        counted = next(
            (g for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children),
            None,
        )
        if counted is not None and counted.tag_ in NOUN_TAGS:
            return [
                _noun_phrase(counted, span, with_prep=False),
                _qualifier(obj, span, skip=counted.head),
            ]
    phrase = _with_conjuncts(obj, span)
    action: list[Token | str] = [
        participle(verb),
        *(t for t in verb.children if t.dep_ == "prt"),
    ]
    if obj.dep_ != "dobj":
        return [phrase, action, _qualifier(verb, span, skip=prep)]
    subject = _subject(verb)
    if subject is not None and subject.tag_ in NOUN_TAGS:
        by = _noun_phrase(subject, span, with_prep=False)
        return [phrase, action, ["by", *_with_determiner(subject, by)]]
    return [phrase, action, _qualifier(verb, span, skip=prep) if len(phrase) <= 4 else []]


def _with_conjuncts(noun: Token, span: set[int]) -> list[Token]:
    """A noun phrase with the nouns joined to it by 'and' ("gloves and antiseptics businesses")."""
    words = _noun_phrase(noun, span, with_prep=False)
    for child in noun.rights:
        if child.dep_ == "cc":
            words.append(child)
        elif child.dep_ == "conj" and child.tag_ in NOUN_TAGS:
            words.extend(_noun_phrase(child, span, with_prep=False))
    return words


def _counted_subject_of_sibling(verb: Token) -> Token | None:
    """The counted subject of a verb joined to this one by 'and' ('2,000 people were injured
    and 15,000 left homeless')."""
    siblings = [verb.head] if verb.dep_ == "conj" else []
    for sibling in siblings:
        for child in sibling.children:
            if child.dep_ in SUBJECT_DEPS and child.tag_ in NOUN_TAGS:
                if any(c.dep_ == "nummod" for c in child.children):
                    return child
    return None


def _counted_sibling(verb: Token) -> Token | None:
    """The counted object of a verb joined to this one by 'and' ('killed 250 people and wounded
    1,000')."""
    siblings = [verb.head] if verb.dep_ == "conj" else []
    siblings += [c for c in verb.children if c.dep_ == "conj"]
    for sibling in siblings:
        for child in sibling.children:
            if child.dep_ == "dobj" and child.tag_ in NOUN_TAGS:
                if any(c.dep_ == "nummod" for c in child.children):
                    return child
    return None


def _subject(verb: Token, named: set[int] | None = None) -> Token | None:
    """A verb's subject, looking through 'and' ('sales rose 5% and profits jumped …'); given
    `named` (token indexes inside named entities), only a name."""
    for t in (verb, verb.head if verb.dep_ in {"conj", "xcomp"} else verb):
        for child in t.children:
            if child.dep_ not in SUBJECT_DEPS:
                continue
            if named is None and child.tag_ in RELATIVE_TAGS and t.dep_ == "relcl":
                # "a gig which raised £1m"; not a name inside another phrase ("a trumpet which
                # belonged to X, which is expected to fetch $1m": the parse cannot say which)
                antecedent = t.head
                if (
                    child.tag_ == "WDT"
                    and antecedent.tag_ in {"NNP", "NNPS"}
                    and antecedent.dep_ == "pobj"
                ):
                    return None
                return antecedent if antecedent.tag_ in NOUN_TAGS else None
            if (
                named is None
                and child.tag_ in NOUN_TAGS
                or named is not None
                and _is_name(child, named)
            ):
                return child
    return None


def _is_name(t: Token, named: set[int]) -> bool:
    return t.tag_ in {"NNP", "NNPS"} or t.i in named


def participle(verb: Token) -> str:
    """The past participle of a verb, to follow its object ("cancel 77 flights" -> "flights
    cancelled"): as written when it is one, else from a short table or the regular rule."""
    word = verb.lower_
    if verb.tag_ not in VERB_TAGS:
        return verb.text  # "payable": no verb to turn
    if verb.tag_ == "VBD" and word in IRREGULAR_PAST:
        return IRREGULAR_PAST[word]
    if verb.tag_ in {"VBD", "VBN"}:
        return verb.text
    base = word
    if verb.tag_ == "VBZ":
        base = word[:-2] if word.endswith(("sses", "shes", "ches", "xes")) else word[:-1]
    elif verb.tag_ == "VBG":
        base = word[:-3]
        if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "ls":
            if base[:-1] not in IRREGULAR:
                return base + "ed"  # "planning" -> "planned"
            base = base[:-1]  # "cutting"
        elif base + "e" in IRREGULAR or base.endswith(SILENT_E_ENDINGS):
            base += "e"  # "making", "handling", "using"
    if base in IRREGULAR:
        return IRREGULAR[base]
    vowels = [c in "aeiou" for c in base]
    if len(base) in {3, 4} and vowels[-3:] == [False, True, False] and sum(vowels) == 1:
        if base[-1] not in "wxy":
            return base + base[-1] + "ed"  # "plan" -> "planned", "ban" -> "banned"
    if base.endswith("e"):
        return base + "d"
    if len(base) > 2 and base.endswith("y") and base[-2] not in "aeiou":
        return base[:-1] + "ied"
    if len(base) > 3 and base.endswith("l") and base[-2] in "aeiou" and base[-3] not in "aeiou":
        return base + "led"  # "cancelled", "totalled" (British spelling)
    return base + "ed"


def _with_determiner(noun: Token, phrase: list[Token]) -> list[Token]:
    """A phrase with its noun's article put back ("a 1942 mining accident")."""
    return [t for t in noun.lefts if t.dep_ == "det" and t.lower_ in {"a", "an", "the"}] + phrase


def _change(verb: Token, subject: Token, span: set[int]) -> list[Segment]:
    """'rise in quarterly profits', 'fall in sales'."""
    return [[_direction(verb) or "change", "in"], _noun_phrase(subject, span)]


def _finish(segments: list[Segment]) -> str | None:
    """The segments' words, each segment in text order, as a label of at most MAX_WORDS; None
    when no noun and no clause of three words is left (never a lone verb or adjective) or the
    label is only a pronoun."""
    texts: list[str] = []
    seen: set[int] = set()
    seen_tokens: list[Token] = []
    content = 0
    for segment in segments:
        tokens = sorted((w for w in segment if not isinstance(w, str)), key=lambda t: t.i)
        texts.extend(w for w in segment if isinstance(w, str))
        previous: Token | None = None
        skipped_figure = False
        for t in tokens:
            if t.i in seen:
                continue
            if _other_figure(t) or (skipped_figure and t.lower_ in UNIT_WORDS):
                skipped_figure = True  # "pay Fiat 1.55bn euros": another figure is no label
                continue
            skipped_figure = False
            seen.add(t.i)
            seen_tokens.append(t)
            content += t.tag_ in NOUN_TAGS and t.lower_ not in UNIT_WORDS
            if previous is not None and previous.i == t.i - 1 and not previous.whitespace_:
                texts[-1] += t.text  # "high-level", "Japan's" as written
            elif texts and t.tag_ == "DT" and t.text.istitle():
                texts.append(t.lower_)  # "axed by the Daily Telegraph"
            else:
                texts.append(t.text)
            previous = t
    texts = _tidy(texts)
    clause = len(texts) >= 3 and any(t.tag_ in VERB_TAGS for t in seen_tokens)
    if not (content or clause) or not texts:
        return None
    if len(texts) > MAX_WORDS:
        texts = _tidy(texts[:MAX_WORDS])
    label = " ".join(texts)
    for mark in (" 's", " ’s", " n't", " ,", " .", " '"):
        label = label.replace(mark, mark[1:])
    return label or None


def _tidy(texts: list[str]) -> list[str]:
    """No function word or punctuation at either end."""
    edge = LABEL_PREPOSITIONS | {"and", "or", "the", "a", "an", ",", "-", "(", ")", "'s", "’s"}
    edge |= {"its", "their", "his", "her", "our", "my", "your", "this", "that", "these", "those"}
    while texts and texts[-1].lower() in edge:
        texts = texts[:-1]
    while texts and texts[0].lower() in edge - {"'s"}:
        texts = texts[1:]
    return texts
