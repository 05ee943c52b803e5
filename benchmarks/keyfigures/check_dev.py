"""Checks a key-figures annotation file against the BBC corpus.

Usage: python benchmarks/keyfigures/check_dev.py [benchmarks/keyfigures/dev_part1.jsonl ...]
Asserts text[start:end] == "text" for every key, also and noise span; 2-6 key figures per article;
labels of 3-10 words that are not numbers alone; no span both key and noise; no duplicate ids.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpus" / "bbc" / "bbc_news_2225.jsonl"


def main(paths: list[str]) -> int:
    docs = {}
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            docs[d["id"]] = d["text"]
    errors = 0
    n_art = n_key = n_also = n_noise = 0
    seen = set()
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for ln, line in enumerate(fh, 1):
                r = json.loads(line)
                aid = r["id"]

                def err(msg, where=f"{p}:{ln} {aid}"):
                    nonlocal errors
                    errors += 1
                    print(f"{where}: {msg}")

                if aid in seen:
                    err("duplicate id")
                seen.add(aid)
                t = docs[aid]
                n_art += 1
                if len(r["key"]) > 6:  # an article with no numbers (tech/340) has none
                    err(f"{len(r['key'])} key figures")
                key_spans, noise_spans = [], []
                for k in r["key"]:
                    n_key += 1
                    if t[k["start"] : k["end"]] != k["text"]:
                        err(f"key mismatch {k['text']!r} vs {t[k['start'] : k['end']]!r}")
                    words = k["label"].split()
                    if not 3 <= len(words) <= 10:
                        err(f"label of {len(words)} words: {k['label']!r}")
                    if all(any(c.isdigit() for c in w) for w in words):
                        err(f"label is numbers only: {k['label']!r}")
                    key_spans.append((k["start"], k["end"]))
                    for s, e in k.get("also", []):
                        n_also += 1
                        if not t[s:e]:
                            err(f"empty also span {s},{e}")
                        key_spans.append((s, e))
                for nz in r["noise"]:
                    n_noise += 1
                    if t[nz["start"] : nz["end"]] != nz["text"]:
                        err(f"noise mismatch {nz['text']!r} vs {t[nz['start'] : nz['end']]!r}")
                    noise_spans.append((nz["start"], nz["end"]))
                for a in key_spans:
                    for b in noise_spans:
                        if a[0] < b[1] and b[0] < a[1]:
                            err(f"key span {a} overlaps noise span {b}")
                if len(set(key_spans)) != len(key_spans) or len(set(noise_spans)) != len(
                    noise_spans
                ):
                    err("duplicate span")
    print(
        f"{n_art} articles, {n_key} key figures (+{n_also} also spans), {n_noise} noise spans, {errors} errors"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or [str(HERE / "dev_part1.jsonl")]))
