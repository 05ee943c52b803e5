"""Scores extraction on the GUM Wikinews gold (entities; dates and numbers) against the raw spaCy model, and times it.

Usage: .venv/bin/python benchmarks/eval_extraction.py [--speed-docs 400] [--no-speed] [--errors TYPE]

Entities: GUM mentions of persons, organisations and places that have a proper noun or a Wikipedia
identity; a prediction of the same type matches a gold mention when it covers one of the gold head
tokens (overlaps one, one-to-one). Dates: predicted date/year/duration/time figures against GUM's normalised date
spans (overlap). Numbers: GUM's number tokens, found when a figure covers them; a count/money/percent/
quantity/year figure is right when it covers one. Speed: words/s on BBC news bodies (../shared).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.extract import extract_texts  # noqa: E402
from search.extract.pipeline import load_model  # noqa: E402
from search.models import Extraction  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = CORPUS / "wikinews" / "gum_wikinews_gold.jsonl"
DATES_NUMBERS = CORPUS / "wikinews" / "gum_wikinews_dates_numbers.jsonl"
BBC = CORPUS / "bbc" / "bbc_news_2225.jsonl"
ENTITY_TYPES = ("person", "organization", "place")
RAW_ENTITY_TYPE = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
RAW_DATE_LABELS = {"DATE", "TIME"}
RAW_NUMBER_LABELS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
DATE_KINDS = {"date", "year", "duration", "time"}
NUMBER_KINDS = {"count", "money", "percent", "quantity", "year"}

Spans = list[tuple[int, int]]


class Score:
    """Counts for one type: gold spans found (tp), predictions, gold spans, and predictions that are right.

    For entities the one-to-one match makes "right" equal tp; for dates and numbers they differ.
    """

    def __init__(self) -> None:
        self.tp = self.pred = self.gold = 0
        self.right: int | None = None

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    def prf(self) -> tuple[float, float, float]:
        right = self.tp if self.right is None else self.right
        p = right / self.pred if self.pred else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(path: Path) -> list[dict]:  # type: ignore[type-arg]
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_entities(doc: dict) -> dict[str, list[Spans]]:  # type: ignore[type-arg]
    """Per type, each gold mention's head-token spans."""
    out: dict[str, list[Spans]] = defaultdict(list)
    for e in doc["entities"]:
        if e["type"] in ENTITY_TYPES and (e["has_propn"] or e["identity"]):
            out[e["type"]].append([(h["start"], h["end"]) for h in e["head_tokens"]])
    return out


def match_heads(pred: Spans, gold: list[Spans]) -> int:
    """One-to-one matches: a prediction covers one of a gold mention's head tokens."""
    used: set[int] = set()
    tp = 0
    for ps, pe in sorted(pred):
        for gi, heads in enumerate(gold):
            if gi not in used and any(_overlaps(ps, pe, hs, he) for hs, he in heads):
                used.add(gi)
                tp += 1
                break
    return tp


def _overlaps(ps: int, pe: int, hs: int, he: int) -> bool:
    # Overlap, not containment: 384 of GUM's head-token spans include a possessive "'s" the text
    # writes after the name ("Afghanistan's" for the head "Afghanistan").
    return ps < he and hs < pe


def match_overlap(pred: Spans, gold: Spans) -> tuple[int, int]:
    """(predictions overlapping some gold span, gold spans overlapped by some prediction)."""
    right = sum(any(ps < ge and gs < pe for gs, ge in gold) for ps, pe in pred)
    found = sum(any(ps < ge and gs < pe for ps, pe in pred) for gs, ge in gold)
    return right, found


def ours_entities(ex: Extraction) -> dict[str, Spans]:
    out: dict[str, Spans] = defaultdict(list)
    for a in ex.actors:
        out[a.kind].extend((m.start, m.end) for m in a.mentions)
    for p in ex.places:
        out["place"].extend((m.start, m.end) for m in p.mentions)
    return out


def raw_entities(doc: object) -> dict[str, Spans]:
    out: dict[str, Spans] = defaultdict(list)
    for e in doc.ents:  # type: ignore[attr-defined]
        if e.label_ in RAW_ENTITY_TYPE:
            out[RAW_ENTITY_TYPE[e.label_]].append((e.start_char, e.end_char))
    return out


def score_entities(docs: list[dict], show_errors: str | None) -> dict[str, dict[str, Score]]:  # type: ignore[type-arg]
    nlp = load_model()
    texts = [d["text"] for d in docs]
    scores: dict[str, dict[str, Score]] = {
        "spaCy raw": defaultdict(Score),
        "Briefing Cards": defaultdict(Score),
    }
    raw_docs = list(nlp.pipe(texts))
    ours = list(extract_texts(texts))
    for doc, raw, ex in zip(docs, raw_docs, ours, strict=True):
        gold = gold_entities(doc)
        for system, pred in (
            ("spaCy raw", raw_entities(raw)),
            ("Briefing Cards", ours_entities(ex)),
        ):
            for t in ENTITY_TYPES:
                scores[system][t].add(
                    match_heads(pred.get(t, []), gold.get(t, [])),
                    len(pred.get(t, [])),
                    len(gold.get(t, [])),
                )
        if show_errors:
            _print_errors(doc, ours_entities(ex).get(show_errors, []), gold.get(show_errors, []))
    return scores


def _print_errors(doc: dict, pred: Spans, gold: list[Spans]) -> None:  # type: ignore[type-arg]
    text = doc["text"]
    # The same overlap test as the score, so a listed error is one the score counts.
    missed = [
        heads
        for heads in gold
        if not any(_overlaps(ps, pe, hs, he) for ps, pe in pred for hs, he in heads)
    ]
    wrong = [
        (ps, pe)
        for ps, pe in pred
        if not any(_overlaps(ps, pe, hs, he) for heads in gold for hs, he in heads)
    ]
    print(f"== {doc['id']}")
    print("  missed:", sorted({text[h[0][0] : h[-1][1]] for h in missed}))
    print("  spurious:", sorted({text[s:e] for s, e in wrong}))


def score_figures(docs: list[dict]) -> dict[str, dict[str, Score]]:  # type: ignore[type-arg]
    nlp = load_model()
    texts = [d["text"] for d in docs]
    scores: dict[str, dict[str, Score]] = {
        "spaCy raw": defaultdict(Score),
        "Briefing Cards": defaultdict(Score),
    }
    raw_docs = list(nlp.pipe(texts))
    ours = list(extract_texts(texts))
    for doc, raw, ex in zip(docs, raw_docs, ours, strict=True):
        gold_dates = [(d["start"], d["end"]) for d in doc["dates"]]
        gold_numbers = [(n["start"], n["end"]) for n in doc["num_tokens"]]
        raw_all = [
            (e.start_char, e.end_char)
            for e in raw.ents
            if e.label_ in RAW_DATE_LABELS | RAW_NUMBER_LABELS | {"ORDINAL"}
        ]
        systems = {
            "spaCy raw": (
                [(e.start_char, e.end_char) for e in raw.ents if e.label_ in RAW_DATE_LABELS],
                [
                    (e.start_char, e.end_char)
                    for e in raw.ents
                    if e.label_ in RAW_NUMBER_LABELS
                    or (e.label_ == "DATE" and e.text.strip().isdigit())
                ],
                raw_all,
            ),
            "Briefing Cards": (
                [(f.start, f.end) for f in ex.figures if f.kind in DATE_KINDS],
                [(f.start, f.end) for f in ex.figures if f.kind in NUMBER_KINDS],
                [(f.start, f.end) for f in ex.figures],
            ),
        }
        for system, (dates, numbers, every) in systems.items():
            right, found = match_overlap(dates, gold_dates)
            scores[system]["dates"].tp += found
            scores[system]["dates"].gold += len(gold_dates)
            scores[system]["dates"].pred += len(dates)
            scores[system]["dates"].right = (scores[system]["dates"].right or 0) + right
            right_n, _ = match_overlap(numbers, gold_numbers)
            _, found_n = match_overlap(every, gold_numbers)
            scores[system]["numbers"].tp += found_n
            scores[system]["numbers"].gold += len(gold_numbers)
            scores[system]["numbers"].pred += len(numbers)
            scores[system]["numbers"].right = (scores[system]["numbers"].right or 0) + right_n
    return scores


def table(title: str, scores: dict[str, dict[str, Score]], types: Iterable[str]) -> str:
    lines = [
        f"### {title}",
        "",
        "| system | type | precision | recall | F1 | predicted | gold |",
        "|---|---|---|---|---|---|---|",
    ]
    for system, per_type in scores.items():
        for t in types:
            s = per_type[t]
            p, r, f = s.prf()
            lines.append(f"| {system} | {t} | {p:.3f} | {r:.3f} | {f:.3f} | {s.pred} | {s.gold} |")
    return "\n".join(lines)


def speed(n_docs: int) -> str:
    texts = [json.loads(line)["text"] for line in open(BBC, encoding="utf-8")][:n_docs]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model()
    list(nlp.pipe(texts[:20]))  # warm up
    rows = ["| run | processes | docs | words | seconds | words/s |", "|---|---|---|---|---|---|"]
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    dt = time.perf_counter() - t0
    rows.append(f"| spaCy NER only | 1 | {len(texts)} | {words} | {dt:.1f} | {words / dt:,.0f} |")
    for processes in (1, 2):
        t0 = time.perf_counter()
        for _ in extract_texts(texts, processes=processes):
            pass
        dt = time.perf_counter() - t0
        rows.append(
            f"| extract_texts (model + rules) | {processes} | {len(texts)} | {words} | {dt:.1f} | {words / dt:,.0f} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--speed-docs", type=int, default=400, help="BBC bodies to time (default 400)"
    )
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument(
        "--errors", choices=ENTITY_TYPES, help="print missed/spurious mentions of a type"
    )
    args = parser.parse_args()
    gold = load(GOLD)
    out = [
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} cores; {len(gold)} GUM Wikinews documents.",
        "",
        table("Entities (head-token match)", score_entities(gold, args.errors), ENTITY_TYPES),
        "",
        table("Dates and numbers", score_figures(load(DATES_NUMBERS)), ("dates", "numbers")),
    ]
    if not args.no_speed:
        out += ["", "### Speed (BBC news bodies)", "", speed(args.speed_docs)]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
