"""Scores key figures against the hand-annotated BBC set (benchmarks/keyfigures/), beside raw spaCy in text order.

Usage: .venv/bin/python benchmarks/eval_figures.py [--show] [--ids business/014,...]

Gold (benchmarks/keyfigures/dev*.jsonl, offsets into the corpus text, which stays in ../shared):
per article 2-6 key figures a briefer would print, each with a 3-10 word label (restatements in
"also"), and the noise figures that must never reach a top three. Measures, micro-averaged:
- recall@8: gold key figures matched (span overlap) by a figure ranked 1-8;
- precision@3: figures ranked 1-3 that match a gold key figure not already matched;
- good labels: of the key figures matched in the top 8, those whose label covers at least half of
  the gold label's content words;
- noise@3: figures ranked 1-3 that overlap a gold noise span.
Scored twice: every figure by rank, and as the panel and card show them (minor figures left off).
The baseline is the raw model's number-like entities in text order, with no labels.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.extract import extract_texts  # noqa: E402
from search.extract.pipeline import load_model  # noqa: E402

GOLD_DIR = ROOT / "benchmarks" / "keyfigures"
BBC = ROOT.parent / "shared" / "corpus" / "bbc" / "bbc_news_2225.jsonl"
RAW_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "ORDINAL"}
FUNCTION_WORDS = frozenset(
    """a an the of in on at for from to by with and or as its their his her this that these those
    is are was were be been has have had it over than into per about after before since""".split()
)


@dataclass
class Predicted:
    text: str
    start: int
    end: int
    label: str


@dataclass
class Counts:
    gold: int = 0
    found8: int = 0
    top3: int = 0
    key3: int = 0
    noise3: int = 0
    good_labels: int = 0

    def row(self, name: str) -> str:
        r8 = self.found8 / self.gold if self.gold else 0.0
        p3 = self.key3 / self.top3 if self.top3 else 0.0
        gl = self.good_labels / self.found8 if self.found8 else 0.0
        n3 = self.noise3 / self.top3 if self.top3 else 0.0
        return f"| {name} | {r8:.2f} | {p3:.2f} | {gl:.2f} | {n3:.2f} | {self.gold} |"


def content_words(label: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", label.lower())
    return {_stem(w) for w in words if w not in FUNCTION_WORDS}


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def good_label(predicted: str, gold: str) -> bool:
    want = content_words(gold)
    return bool(want) and len(want & content_words(predicted)) * 2 >= len(want)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_article(gold: dict, ranked: Sequence[Predicted], counts: Counts) -> list[str]:  # type: ignore[type-arg]
    """Adds one article's counts; returns a line per ranked figure for --show."""
    keys = gold["key"]
    key_spans = [[(k["start"], k["end"])] + [tuple(s) for s in k.get("also", [])] for k in keys]
    noise = [(n["start"], n["end"]) for n in gold["noise"]]
    counts.gold += len(keys)
    matched: set[int] = set()
    lines = []
    for rank, p in enumerate(ranked[:8], 1):
        span = (p.start, p.end)
        hit = next(
            (
                i
                for i, spans in enumerate(key_spans)
                if i not in matched and any(_overlaps(span, s) for s in spans)
            ),
            None,
        )
        is_noise = any(_overlaps(span, s) for s in noise)
        mark = "NOISE" if is_noise else ""
        if hit is not None:
            matched.add(hit)
            counts.found8 += 1
            ok = good_label(p.label, keys[hit]["label"])
            counts.good_labels += ok
            mark = f"KEY{hit + 1} label {'ok' if ok else 'BAD'} (gold: {keys[hit]['label']})"
        if rank <= 3:
            counts.top3 += 1
            counts.key3 += hit is not None
            counts.noise3 += is_noise
        lines.append(f"  {rank}. {p.text} — {p.label}   {mark}")
    for i, k in enumerate(keys):
        if i not in matched:
            lines.append(f"  missed KEY{i + 1}: {k['text']} — {k['label']}")
    return lines


def load_gold() -> list[dict]:  # type: ignore[type-arg]
    rows = []
    for path in sorted(GOLD_DIR.glob("dev*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each article's top 8")
    parser.add_argument("--ids", help="comma-separated article ids (default: all annotated)")
    args = parser.parse_args(argv)
    gold = load_gold()
    if args.ids:
        wanted = set(args.ids.split(","))
        gold = [g for g in gold if g["id"] in wanted]
    corpus = {}
    with open(BBC, encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            corpus[row["id"]] = row["text"]
    texts = [corpus[g["id"]] for g in gold]
    ours, shown, raw = Counts(), Counts(), Counts()
    nlp = load_model()
    for g, extraction, doc in zip(gold, extract_texts(texts), nlp.pipe(texts), strict=True):
        ranked = [
            Predicted(f.text, f.start, f.end, f.label)
            for f in sorted(extraction.figures, key=lambda f: f.rank)
        ]
        lines = score_article(g, ranked, ours)
        panel = [
            Predicted(f.text, f.start, f.end, f.label)
            for f in sorted(extraction.figures, key=lambda f: f.rank)
            if not f.minor
        ]
        score_article(g, panel, shown)
        baseline = [
            Predicted(e.text, e.start_char, e.end_char, "")
            for e in doc.ents
            if e.label_ in RAW_LABELS
        ]
        score_article(g, baseline, raw)
        if args.show:
            print(f"\n{g['id']}")
            print("\n".join(lines))
    print(f"\n{len(gold)} annotated BBC articles")
    print("| system | recall@8 | precision@3 | good labels | noise@3 | gold key figures |")
    print("|---|---|---|---|---|---|")
    print(raw.row("spaCy raw, text order"))
    print(ours.row("Briefing Cards, every figure by rank"))
    print(shown.row("Briefing Cards, panel (minor figures left off)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
