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

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    # A run of words kept in text order; a label is a few segments in the order that reads.
    Segment = Sequence[Token | str]

# Verbs of change and the noun a label uses for them ("rose 5%" -> "rise in ...").
CHANGE_VERBS = {
    **dict.fromkeys(
        """rose rise rises risen rising jumped jump jumps soared soars surged surges climbed
        climbs gained gains grew grows increased increases up higher""".split(),
        "rise",
    ),
    **dict.fromkeys(
        """fell fall falls fallen falling dropped drops slipped slips declined declines plunged
        plunges slumped slumps shrank decreased decreases down lower""".split(),
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
YEAR_RE = re.compile(r"^(?:1[5-9]\d\d|20\d\d)$")
# Units and magnitudes written after a number belong to the figure, not to what it counts.
UNIT_WORDS = frozenset(
    """% pct percent per cent mln bln billion million trillion thousand hundred dlrs dollars
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
    became becomes remain remained remains have has had""".split()
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
REPORTING_VERBS = frozenset(
    "say said says tell told report reported reports add added adds show showed shows".split()
)


def parse_label(
    doc: Doc, start: int, end: int, kind: str, names: Sequence[tuple[int, int]] = ()
) -> str | None:
    """What the figure at doc characters [start, end) counts, or None when the parse cannot say.
    `names`: character spans of the sentence's named entities (the tagger calls "Leeds" NNS)."""
    inside = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not inside:
        return None
    head = _figure_head(inside)
    if head is None:
        return None
    span = {t.i for t in inside}
    head = _take_units(head, span)
    counted = _counted_noun(head, span) or _counted_by_any(inside, span)
    if counted is not None:
        segments = _counted(counted, span)
    else:
        segments = _measured(head, span, kind)
    if segments and any(segments):
        named = {t.i for t in doc for s, e in names if s <= t.idx < e}
        segments = [_owner(head, segments, named), *segments]
    return _finish(segments)


def _owner(head: Token, segments: list[Segment], named: set[int]) -> list[Token]:
    """Whose figure it is, when the label names no one: the proper-noun subject of the figure's
    clause ("Leeds had debts of £103m" -> "Leeds debts")."""
    tokens = [w for segment in segments for w in segment if not isinstance(w, str)]
    if any(t.tag_ in {"NNP", "NNPS"} or t.i in named for t in tokens):
        return []
    verb = head
    while verb.tag_ not in VERB_TAGS and verb.head.i != verb.i:
        verb = verb.head
    if verb.tag_ not in VERB_TAGS or verb.lower_ in REPORTING_VERBS:
        return []
    subject = _subject(verb, named=named)
    if subject is None and len(tokens) <= 2:
        subject = _subject(verb)  # "the club's debt of £103m" has no name: "club debt"
        if subject is not None and (subject.lower_ in QUANTIFIER_NOUNS or len(subject.text) < 3):
            subject = None
    if subject is None or subject in tokens or any(c.dep_ == "conj" for c in subject.children):
        return []
    words = [
        t
        for t in subject.lefts
        if t.dep_ == "compound" or (t.dep_ == "amod" and _is_name(t, named))
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
        if left.lower_ in NUMBER_QUALIFIERS:
            continue
        words.extend(t for t in left.subtree if t.i not in span and _inner_word(t))
    words.append(noun)
    if with_prep:
        words.extend(_qualifier(noun, span))
    return words


def _qualifier(word: Token, span: set[int], limit: int = 6) -> list[Token]:
    """The first prepositional phrase after a word that holds no other figure ('of India's imports')."""
    for right in word.rights:
        if right.dep_ == "prep" and right.lower_ in LABEL_PREPOSITIONS:
            tokens = [t for t in right.subtree if _inner_word(t)]
            if any(t.i in span for t in tokens):
                continue
            if any(_other_figure(t) for t in tokens):
                continue  # "in 162 countries": another figure, not this one's qualifier
            if len(tokens) <= limit:
                return tokens
            return _trim_phrase(tokens, limit)
        if right.dep_ in {"acl", "relcl"} and right.tag_ in {"VBN", "VBG"}:
            return [right, *_qualifier(right, span, limit - 1)]
    return []


def _inner_word(t: Token) -> bool:
    """A word a label keeps from a phrase: no comma or bracket."""
    return not (t.dep_ == "punct" and t.text not in {"-", "'", "’"})


def _other_figure(t: Token) -> bool:
    """A number written in digits that is not a year: another figure ("in 162 countries")."""
    return t.tag_ in NUMBER_TAGS and any(c.isdigit() for c in t.text) and not YEAR_RE.match(t.text)


def _trim_phrase(tokens: list[Token], limit: int) -> list[Token]:
    """A long phrase cut before a later preposition or clause, at most `limit` words."""
    out: list[Token] = []
    for t in tokens:
        if out and len(out) >= 2 and (t.dep_ in {"prep", "relcl", "acl", "cc", "conj"}):
            break
        out.append(t)
        if len(out) >= limit:
            break
    return out


def _counted(noun: Token, span: set[int]) -> list[Segment]:
    """A counted noun, the verb it is the subject or object of, and the first qualifying phrase:
    '… people' + 'killed' + 'in the Soweto bomb attack'; 'tickets' + 'sold' + 'for the concert'."""
    phrase = _noun_phrase(noun, span, with_prep=False)
    qualifier = _qualifier(noun, span)
    verb = noun.head
    if noun.dep_ in SUBJECT_DEPS | {"dobj"} and verb.tag_ in VERB_TAGS:
        if verb.lower_ in VALUE_VERBS | REPORTING_VERBS:
            return [phrase, qualifier]
        action: list[Token | str] = [
            participle(verb) if noun.dep_ == "dobj" else verb,
            *(t for t in verb.rights if t.dep_ in {"prt", "oprd", "acomp"}),
        ]
        if noun.dep_ in SUBJECT_DEPS:
            # "15 explosions rocked Mumbai": what the subject did it to
            obj = next((c for c in verb.rights if c.dep_ == "dobj" and c.tag_ in NOUN_TAGS), None)
            if obj is not None:
                action += _noun_phrase(obj, span, with_prep=False)
        if noun.dep_ == "dobj" and verb.dep_ == "acl" and verb.head.tag_ in NOUN_TAGS:
            # "flights affecting 5,000 passengers": passengers affected by the flights
            cause = _noun_phrase(verb.head, span, with_prep=False)
            return [phrase, action, ["by", *_with_determiner(verb.head, cause)]]
        verb_qualifier = _qualifier(verb, span)
        if not qualifier:
            qualifier, verb_qualifier = verb_qualifier, []
        if not qualifier and verb.dep_ == "relcl" and verb.head.lower_ in EVENT_NOUNS:
            # "a 1942 mining accident that killed 136 laborers": killed in the accident
            event = _noun_phrase(verb.head, span, with_prep=False)
            return [phrase, action, ["in", *_with_determiner(verb.head, event)]]
        if not qualifier and noun.dep_ == "dobj":
            owner = _subject(verb)
            if owner is not None:
                return [phrase, action, ["by", *_noun_phrase(owner, span, with_prep=False)]]
        return [phrase, action, qualifier, verb_qualifier]
    return [phrase, qualifier]


def _measured(head: Token, span: set[int], kind: str) -> list[Segment]:
    """The label of an amount that is not a count of a noun: a change, a value, a share."""
    own = _qualifier(head, span)
    if head.dep_ == "appos" and head.head.lower_ in SHARE_WORDS:
        own = _qualifier(head.head, span)  # "more than half (54%) of owners"
    if own and own[0].lower_ == "of" and kind in {"percent", "count"}:
        # "70% of India's imports", "a third of voters"
        return [["share", "of"] if kind == "percent" else [], own[1:]]
    parent = head.head
    if head.dep_ == "pobj" and parent.dep_ == "prep":
        prep, governor = parent, parent.head
        if governor.tag_ in VERB_TAGS and governor.lower_ in CHANGE_VERBS:
            subject = _subject(governor)
            if subject is None:
                return []
            if prep.lower_ in {"to", "at"}:
                return [_noun_phrase(subject, span)]  # "profits jumped … to $1.13bn": the level
            if prep.lower_ == "by":
                return _change(governor, subject, span)
            if prep.lower_ == "from":
                return [["previous"], _noun_phrase(subject, span)]  # "… from 820 mln dlrs"
            return []
        if governor.tag_ in NOUN_TAGS and prep.lower_ in {"of", "worth", "at", "to"}:
            return [_noun_phrase(governor, span, with_prep=False)]  # "a fine of £1m"
        if governor.lower_ == "worth" or (
            governor.tag_ in VERB_TAGS and governor.lower_ in VALUE_VERBS
        ):
            subject = _subject(governor)
            return [_noun_phrase(subject, span)] if subject is not None else []
        return [own]
    if head.dep_ in {"compound", "nmod", "amod"} and parent.tag_ in NOUN_TAGS:
        return [_noun_phrase(parent, span)]  # "a 10% stake in Google"
    if head.dep_ in OBJECT_DEPS and parent.tag_ in VERB_TAGS | {"JJ"}:
        if parent.lower_ in CHANGE_VERBS:
            subject = _subject(parent)
            return _change(parent, subject, span) if subject is not None else []
        if parent.lower_ in VALUE_VERBS:
            subject = _subject(parent)
            return [_noun_phrase(subject, span)] if subject is not None else []
        if parent.lower_ in REPORTING_VERBS:
            return []
        if kind == "count" and head.dep_ == "dobj":
            noun = _counted_sibling(parent)
            if noun is not None:
                # "killed 250 people and wounded 1,000": 1,000 people wounded
                return [_noun_phrase(noun, span, with_prep=False), [participle(parent)]]
        # "Baikal paid $9bn for Yugansk": paid by whom, and for what
        subject = _subject(parent)
        who = _noun_phrase(subject, span, with_prep=False) if subject is not None else []
        return [[participle(parent)], ["by", *who] if who else [], own or _qualifier(parent, span)]
    if head.dep_ in SUBJECT_DEPS and parent.tag_ in VERB_TAGS:
        return [[parent], _qualifier(parent, span)]  # "£5m was spent on repairs"
    return [own]


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
    if verb.tag_ in {"VBD", "VBN"}:
        return verb.text
    base = word
    if verb.tag_ == "VBZ":
        base = word[:-2] if word.endswith(("sses", "shes", "ches", "xes")) else word[:-1]
    elif verb.tag_ == "VBG":
        base = word[:-3]
        if len(base) > 2 and base[-1] == base[-2] and base[-1] not in "ls":
            base = base[:-1]  # "cutting"
        elif base + "e" in IRREGULAR or base.endswith(SILENT_E_ENDINGS):
            base += "e"  # "making", "handling", "using"
    if base in IRREGULAR:
        return IRREGULAR[base]
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
    return [[CHANGE_VERBS[verb.lower_], "in"], _noun_phrase(subject, span)]


def _finish(segments: list[Segment]) -> str | None:
    """The segments' words, each segment in text order, as a label of at most MAX_WORDS; None
    when no content word is left or the label is only a pronoun."""
    texts: list[str] = []
    seen: set[int] = set()
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
            content += t.tag_ in NOUN_TAGS | VERB_TAGS | {"JJ"} and t.lower_ not in UNIT_WORDS
            if previous is not None and previous.i == t.i - 1 and not previous.whitespace_:
                texts[-1] += t.text  # "high-level", "Japan's" as written
            else:
                texts.append(t.text)
            previous = t
    texts = _tidy(texts)
    if not content or not texts:
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
