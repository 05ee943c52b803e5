"""Benchmark libraries: the BBC corpus and a deterministic 20,000-article recombination, as Markdown files.

The corpus in ../shared is read, never copied into the project: libraries are generated under
benchmarks/_work/ (git-ignored), keyed by a hash of what went into them, and reused while it holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

import yaml

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
# Generated libraries, cached indexes and profiles; BRIEFING_BENCH_WORK moves them (the smoke test does).
WORK_DIR = Path(os.environ.get("BRIEFING_BENCH_WORK") or BENCH_DIR / "_work")
BBC_JSONL = PROJECT_ROOT.parent / "shared" / "corpus" / "bbc" / "bbc_news_2225.jsonl"
SEED = 20250606
# Bump when the way libraries are generated changes, so cached libraries and indexes are rebuilt.
GENERATOR_VERSION = "1"


@dataclass(frozen=True)
class Record:
    """One article before it is written out: what the front matter and body will hold."""

    relpath: str
    title: str
    date: str
    category: str
    body: str

    @property
    def words(self) -> int:
        return len(self.body.split())


@dataclass(frozen=True)
class Library:
    """A generated library on disk: its folder, its articles and a hash naming its content."""

    name: str
    root: Path
    records: list[Record]
    key: str

    @property
    def words(self) -> int:
        return sum(r.words for r in self.records)


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_bbc(limit: int | None = None) -> list[Record]:
    """The BBC articles in file order, each with a deterministic 2004–2005 date derived from its id."""
    if not BBC_JSONL.is_file():
        raise SystemExit(f"benchmark corpus not found: {BBC_JSONL} (expected ../shared/corpus/bbc)")
    records = []
    start = dt.date(2004, 1, 1)
    with BBC_JSONL.open(encoding="utf-8") as lines:
        for line in lines:
            raw = json.loads(line)
            day = start + dt.timedelta(days=zlib.crc32(raw["id"].encode()) % 730)
            records.append(
                Record(
                    relpath=f"{raw['id']}.md",
                    title=raw["title"].strip(),
                    date=day.isoformat(),
                    category=raw["category"],
                    body=raw["text"].strip(),
                )
            )
            if limit is not None and len(records) >= limit:
                break
    return records


def synthetic(count: int, seed: int = SEED) -> list[Record]:
    """`count` articles recombined from real BBC paragraphs of one category, with distinct ids, titles and dates.

    Paragraphs stay within a category so an article reads as one topic and term statistics
    resemble real news; dates are a permutation of consecutive days, so no two are equal.
    """
    rng = random.Random(seed)
    bbc = load_bbc()
    paragraphs: dict[str, list[str]] = {}
    titles: dict[str, list[list[str]]] = {}
    for rec in bbc:
        paragraphs.setdefault(rec.category, []).extend(
            p.strip() for p in rec.body.split("\n\n") if len(p.split()) >= 8
        )
        titles.setdefault(rec.category, []).append(rec.title.split())
    categories = sorted(paragraphs)
    day_offsets = rng.sample(range(count), count)
    start = dt.date(1970, 1, 1)
    seen_titles: set[str] = set()
    records = []
    for i in range(count):
        category = rng.choice(categories)
        body = "\n\n".join(rng.sample(paragraphs[category], rng.randint(2, 8)))
        head, tail = rng.sample(titles[category], 2)
        title = " ".join(head[: max(1, len(head) // 2)] + tail[len(tail) // 2 :])
        if title in seen_titles:
            title = f"{title} ({i})"
        seen_titles.add(title)
        records.append(
            Record(
                relpath=f"{category}/{i:05d}.md",
                title=title,
                date=(start + dt.timedelta(days=day_offsets[i])).isoformat(),
                category=category,
                body=body,
            )
        )
    return records


def markdown(record: Record) -> str:
    """The article as a Markdown file with YAML front matter (title, date, source, tags)."""
    front = yaml.safe_dump(
        {"title": record.title, "date": record.date, "source": "BBC", "tags": [record.category]},
        allow_unicode=True,
        sort_keys=False,
    )
    return f"---\n{front}---\n\n{record.body}\n"


def _write(records: list[Record], root: Path) -> None:
    for rec in records:
        path = root / rec.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown(rec), encoding="utf-8")


def library(name: str, records: list[Record], recipe: str) -> Library:
    """Write `records` under benchmarks/_work/ once; `recipe` names how they were made (part of the cache key)."""
    key = hashlib.sha256(
        f"{GENERATOR_VERSION}|{_file_digest(BBC_JSONL)}|{recipe}|{len(records)}".encode()
    ).hexdigest()[:16]
    root = WORK_DIR / "libraries" / f"{name}-{key}"
    done = root.with_name(root.name + ".done")
    if not done.exists():
        _write(records, root)
        done.touch()
    return Library(name=name, root=root, records=records, key=key)


def bbc_library(limit: int | None = None) -> Library:
    """The real BBC articles (all 2,225, or the first `limit`)."""
    records = load_bbc(limit)
    return library(f"bbc{len(records)}", records, f"bbc:{limit}")


def synthetic_library(count: int, seed: int = SEED) -> Library:
    """The deterministic recombined library of `count` articles."""
    return library(f"synthetic{count}", synthetic(count, seed), f"synthetic:{count}:{seed}")
