"""Near-duplicate stories: a MinHash signature per article, the library's groups of copies (the
same wire story in two files, the .html and .md of one article) found with LSH, and the table a
search folds its hits with."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from hashlib import sha1
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datasketch import MinHash

# numpy and datasketch (which loads scipy: ~0.7 s) are imported where a sync computes
# signatures and groups, never on the path of a search.

# Word 5-grams: long enough that two different stories on one subject share few of them, short
# enough that a copy with a changed headline, byline or a few edited sentences keeps most.
SHINGLE_WORDS = 5
PERMUTATIONS = 64
SEED = 20241203
SCHEME = "affine32"  # 32-bit values: a signature is 256 bytes in the index's column
# Estimated Jaccard similarity of the shingle sets at or above which two articles are copies.
# Chosen on recorded data (benchmarks/DUPLICATES.md): copies of one story sat at 0.78 and above
# (a re-saved web page with its headline and a caption changed), different stories at 0.3 and below.
THRESHOLD = 0.6
SIGNATURE_BYTES = PERMUTATIONS * 4
# Fewer words than this (a one-line note, a headline) say too little to call two texts copies.
MIN_WORDS = 40
WORD = re.compile(r"\w+", re.UNICODE)


def signature(text: str) -> bytes:
    """The text's MinHash signature (PERMUTATIONS 32-bit values), for the index's column; empty
    (never a copy of anything) for a text too short to tell a copy from a coincidence.

    The values are datasketch's own (SHA-1 of each shingle, its first 4 bytes little-endian), but
    hashed here in one comprehension and fed to a copy of one prepared MinHash: building a MinHash
    draws its permutations afresh, and its per-shingle hash calls were half of a sync's signature
    time (tests/test_duplicates.py checks the values against a plain MinHash).
    """
    words = WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return b""
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    minhash = _empty_minhash().copy()
    minhash.update_batch(
        [int.from_bytes(sha1(s.encode("utf-8")).digest()[:4], "little") for s in shingles]
    )
    return bytes(minhash.hashvalues.astype("<u4").tobytes())


@functools.cache
def _empty_minhash() -> MinHash:
    """A MinHash with no values yet whose hash function passes the shingles' hashes through."""
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME, hashfunc=int)


def _minhash(raw: bytes) -> MinHash:
    import numpy as np
    from datasketch import MinHash

    values = np.frombuffer(raw, dtype="<u4").astype(np.uint64)
    return MinHash(num_perm=PERMUTATIONS, seed=SEED, hashvalues=values, scheme=SCHEME)


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two articles' shingle sets, from their signatures."""
    import numpy as np

    if len(a) != SIGNATURE_BYTES or len(b) != SIGNATURE_BYTES:
        return 0.0
    return float(np.mean(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4")))


def copy_groups(
    signatures: Iterable[tuple[str, bytes]], threshold: float = THRESHOLD
) -> list[list[str]]:
    """Groups of two or more article ids whose texts are copies of each other, each in the order
    given; an article is in at most one group (copies of copies join it)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    known: dict[str, bytes] = {}
    order: dict[str, int] = {}
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key, raw in signatures:
        if len(raw) != SIGNATURE_BYTES or key in known:
            continue
        minhash = _minhash(raw)
        known[key], order[key], parent[key] = raw, len(order), key
        for other in lsh.query(minhash):
            # LSH finds candidates; the estimate decides (it also drops LSH's false positives).
            if similarity(raw, known[other]) >= threshold:
                a, b = root(key), root(other)
                if a != b:
                    parent[max(a, b, key=order.__getitem__)] = min(a, b, key=order.__getitem__)
        lsh.insert(key, minhash)
    groups: dict[str, list[str]] = {}
    for key in order:
        groups.setdefault(root(key), []).append(key)
    return [members for members in groups.values() if len(members) > 1]


# Past this many changed articles, grouping the whole library with LSH is cheaper than comparing
# each changed one with every signature.
INCREMENTAL_LIMIT = 2000


def updated_groups(
    previous: Sequence[Sequence[str]],
    signatures: dict[str, bytes],
    changed: Iterable[str],
    threshold: float = THRESHOLD,
) -> list[list[str]]:
    """The groups after a sync that changed a few articles: the previous groups (without the
    articles changed or gone) plus each changed article compared with every signature.

    Grouping a 20,000-article library afresh took ~9 s; this costs a few milliseconds per changed
    article. A group held together only through a changed article stays together (its other
    members were found alike); a full regroup (`copy_groups`) happens at the next rebuild.
    """
    import numpy as np

    changed = set(changed)
    if len(changed) > INCREMENTAL_LIMIT:
        return copy_groups(signatures.items(), threshold)
    keys = [key for key, raw in signatures.items() if len(raw) == SIGNATURE_BYTES]
    if not keys:
        return []
    number_of = {key: n for n, key in enumerate(keys)}
    matrix = np.frombuffer(b"".join(signatures[k] for k in keys), dtype="<u4")
    matrix = matrix.reshape(len(keys), PERMUTATIONS)
    parent = list(range(len(keys)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def join(a: int, b: int) -> None:
        a, b = root(a), root(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for members in previous:
        kept = [number_of[k] for k in members if k in number_of and k not in changed]
        for other in kept[1:]:
            join(kept[0], other)
    for key in changed:
        n = number_of.get(key)
        if n is None:
            continue
        alike = np.nonzero((matrix == matrix[n]).mean(axis=1) >= threshold)[0]
        for other in alike.tolist():
            join(n, other)
    groups: dict[int, list[str]] = {}
    for n, key in enumerate(keys):
        groups.setdefault(root(n), []).append(key)
    return [members for members in groups.values() if len(members) > 1]


class CopyTable:
    """The groups of copies, by document number of one searcher: a search shows each group once."""

    def __init__(self, groups: Sequence[Sequence[str]], ids: Sequence[str | None]) -> None:
        """`ids` is each document number's article id (None for a deleted document)."""
        group_of_id = {key: number for number, members in enumerate(groups) for key in members}
        self._group: dict[int, int] = {}
        self._members: dict[int, list[int]] = {}
        for docnum, key in enumerate(ids):
            number = group_of_id.get(key) if key is not None else None
            if number is not None:
                self._group[docnum] = number
                self._members.setdefault(number, []).append(docnum)

    def __bool__(self) -> bool:
        return bool(self._group)

    def group_of(self, docnum: int) -> int | None:
        return self._group.get(docnum)

    def others(self, docnum: int) -> list[int]:
        """The other copies of a document's story (document numbers), in index order."""
        number = self._group.get(docnum)
        if number is None:
            return []
        return [d for d in self._members[number] if d != docnum]

    def folded(self, docnums: Iterable[int]) -> set[int]:
        """`docnums` with each group's copies counted once (its lowest document number kept)."""
        kept: set[int] = set()
        first: dict[int, int] = {}
        for docnum in docnums:
            number = self._group.get(docnum)
            if number is None:
                kept.add(docnum)
            elif number not in first or docnum < first[number]:
                first[number] = docnum
        return kept | set(first.values())
