"""Where copies of one story and different stories fall in MinHash similarity, to choose
search.duplicates.THRESHOLD: on the BBC corpus (local only) its own repeated stories, and copies
made from it the way a briefer's folder holds them.

    .venv/bin/python benchmarks/eval_duplicates.py [--sample 300]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

import numpy as np

from search.duplicates import SIGNATURE_BYTES, THRESHOLD, copy_groups, signature

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc" / "bbc_news_2225.jsonl"
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _variants(title: str, text: str, rng: random.Random) -> dict[str, str]:
    """Copies of one story as a folder holds them."""
    sentences = SENTENCE.split(text)
    edited = list(sentences)
    for i in rng.sample(range(len(edited)), max(1, len(edited) // 10)):
        words = edited[i].split()
        if words:
            words[rng.randrange(len(words))] = "reportedly"
            edited[i] = " ".join(words)
    return {
        # The same article saved as a web page: site furniture around it, the headline repeated.
        "saved web page": f"{title}\n\nHome News World Business Sport\n\n{title}\n\n{text}\n\n"
        "Share this story Email Facebook Twitter Related stories Most read",
        # A wire copy: new headline, a dateline, a tenth of the sentences with a word changed.
        "wire copy, 10% edited": f"LONDON (Wire) - {' '.join(edited)}",
        # The story trimmed for another outlet: its last third cut.
        "last third cut": " ".join(sentences[: max(1, 2 * len(sentences) // 3)]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=300)
    args = parser.parse_args()
    rows = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    texts = [f"{r['title']}\n\n{r['text']}" for r in rows]

    started = time.perf_counter()
    signatures = [signature(t) for t in texts]
    per_article = (time.perf_counter() - started) / len(texts) * 1000
    matrix = np.frombuffer(b"".join(signatures), dtype="<u4").reshape(len(texts), -1)
    assert matrix.shape[1] * 4 == SIGNATURE_BYTES

    # Every pair of the corpus: the most similar pairs are its repeated stories.
    best_other: list[float] = []
    pairs: list[tuple[float, int, int]] = []
    for i in range(len(texts)):
        same = (matrix[i + 1 :] == matrix[i]).mean(axis=1)
        for offset in np.nonzero(same >= 0.2)[0]:
            pairs.append((float(same[offset]), i, i + 1 + int(offset)))
    pairs.sort(reverse=True)
    bodies = [r["text"] for r in rows]
    # The corpus repeats stories under another headline: the same body is a copy.
    exact = [p for p in pairs if bodies[p[1]] == bodies[p[2]]]
    near = [p for p in pairs if bodies[p[1]] != bodies[p[2]]]
    print(f"signature: {per_article:.2f} ms per article ({len(texts)} articles)")
    print(f"corpus pairs with similarity >= 0.2: {len(pairs)} ({len(exact)} with the same body)")
    print("pairs with different bodies, most similar first (similarity, titles):")
    for score, i, j in near[:15]:
        print(f"  {score:.2f}  {rows[i]['title'][:45]!r} / {rows[j]['title'][:45]!r}")

    rng = random.Random(7)
    sample = rng.sample(range(len(texts)), args.sample)
    by_kind: dict[str, list[float]] = {}
    for i in sample:
        for kind, copy in _variants(rows[i]["title"], rows[i]["text"], rng).items():
            score = float((np.frombuffer(signature(copy), dtype="<u4") == matrix[i]).mean())
            by_kind.setdefault(kind, []).append(score)
        others = (matrix == matrix[i]).mean(axis=1)
        others[[j for j in range(len(rows)) if bodies[j] == bodies[i]]] = 0
        best_other.append(float(others.max()))
    print(f"\ncopies made from {args.sample} articles (min / 5th percentile / median):")
    for kind, scores in by_kind.items():
        print(
            f"  {kind:24} {min(scores):.2f} / {np.percentile(scores, 5):.2f} / "
            f"{np.median(scores):.2f}"
        )
    different = [s for s, i, j in near]
    print(
        f"  most similar other story (bodies differ): median "
        f"{np.median(best_other):.2f}, 95th percentile {np.percentile(best_other, 95):.2f}"
    )
    recall = np.mean([s >= THRESHOLD for scores in by_kind.values() for s in scores])
    print(f"\nat THRESHOLD {THRESHOLD}: copies folded {recall:.3f}")
    print(
        f"corpus pairs at or above it whose bodies differ: {sum(s >= THRESHOLD for s in different)}"
    )
    started = time.perf_counter()
    groups = copy_groups((str(i), s) for i, s in enumerate(signatures))
    print(
        f"groups in the corpus: {len(groups)} ({sum(map(len, groups))} articles), "
        f"found in {time.perf_counter() - started:.2f} s"
    )


if __name__ == "__main__":
    main()
