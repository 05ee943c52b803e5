"""The fixed query mix of the latency benchmark, drawn deterministically from the BBC vocabulary, in both syntaxes.

Each query is written once in the Whoosh language the app exposes and once as its SQLite FTS5
equivalent (FTS5 has no date or source fields in its query language, so those become SQL filters).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass

from benchmarks.corpus import Record

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own said same says she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves mr mrs ms year years near
    new one two told""".split()
)
WORD = re.compile(r"[a-z]{3,}")


@dataclass(frozen=True)
class BenchQuery:
    """One query of the mix: its kind, the Whoosh text, the FTS5 MATCH text and SQL-side filters."""

    kind: str
    whoosh: str
    fts: str
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None


def _content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOPWORDS]


def _phrase(rng: random.Random, body: str, length: int) -> str | None:
    """`length` consecutive plain words from `body` (no punctuation between), not starting or ending on a stopword."""
    tokens = body.split()
    for _ in range(40):
        i = rng.randrange(0, max(1, len(tokens) - length))
        words = tokens[i : i + length]
        if len(words) == length and all(re.fullmatch(r"[A-Za-z]{2,}", w) for w in words):
            lowered = [w.lower() for w in words]
            if lowered[0] not in STOPWORDS and lowered[-1] not in STOPWORDS:
                return " ".join(lowered)
    return None


def query_mix(
    records: list[Record], size: int = 230, seed: int = 7, date_span: tuple[str, str] | None = None
) -> list[BenchQuery]:
    """About `size` queries (default 230) in fixed proportions; the same records and seed give the same mix.

    Proportions: 30% single terms (common, mid and rare), 30% 2–3-term ANDs of words from one
    article, 13% phrases, 11% prefixes as typed, 7% title: queries, 4% date ranges, 4% narrowed
    by a source facet. `date_span` (earliest, latest ISO dates of the library) places the ranges.
    """
    rng = random.Random(seed)
    df: Counter[str] = Counter()
    for rec in records:
        df.update(set(_content_words(rec.body)))
    common = sorted(w for w, n in df.items() if n >= len(records) // 10)
    mid = sorted(w for w, n in df.items() if len(records) // 100 <= n < len(records) // 10)
    rare = sorted(w for w, n in df.items() if 3 <= n < max(4, len(records) // 100))

    def share(fraction: float) -> int:
        return max(1, round(size * fraction))

    mix: list[BenchQuery] = []
    for band, fraction in ((common, 0.10), (mid, 0.12), (rare, 0.08)):
        for word in rng.sample(band, min(len(band), share(fraction))):
            mix.append(BenchQuery("term", word, word))
    for terms, fraction in ((2, 0.17), (3, 0.13)):
        for _ in range(share(fraction)):
            words = sorted(set(w for w in _content_words(rng.choice(records).body) if df[w] >= 3))
            picked = rng.sample(words, min(terms, len(words)))
            text = " AND ".join(picked)
            mix.append(BenchQuery(f"and{terms}", text, text))
    while sum(q.kind == "phrase" for q in mix) < share(0.13):
        phrase = _phrase(rng, rng.choice(records).body, rng.choice((2, 2, 3)))
        if phrase:
            mix.append(BenchQuery("phrase", f'"{phrase}"', f'"{phrase}"'))
    for word in rng.sample(common + mid, share(0.11)):
        prefix = word[: rng.randint(3, min(5, len(word)))] + "*"
        mix.append(BenchQuery("prefix", prefix, prefix))
    for _ in range(share(0.07)):
        words = [w for w in _content_words(rng.choice(records).title)] or ["news"]
        word = rng.choice(words)
        mix.append(BenchQuery("title", f"title:{word}", f"title:{word}"))
    earliest, latest = date_span or (
        min(r.date for r in records),
        max(r.date for r in records),
    )
    dates = sorted({r.date for r in records if earliest <= r.date <= latest})
    for word in rng.sample(common, share(0.04)):
        i = rng.randrange(len(dates))
        j = min(len(dates) - 1, i + max(1, len(dates) // 8))
        mix.append(
            BenchQuery(
                "date",
                f"{word} AND date:[{dates[i]} TO {dates[j]}]",
                word,
                date_from=dates[i],
                date_to=dates[j],
            )
        )
    for word in rng.sample(mid, share(0.04)):
        mix.append(BenchQuery("facet", f"{word} AND source:BBC", word, source="BBC"))
    return mix
