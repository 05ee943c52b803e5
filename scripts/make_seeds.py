"""Build seeds/ from ../shared: the seed article and the 24 Wikinews news reports, as Markdown with front matter.

Run once by a developer (`python scripts/make_seeds.py ../shared`); the output is committed.
The texts are kept as they are; only the header block becomes YAML front matter.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

SEED_TITLE = "Takaichi hosts Lee Jae Myung in Nara for third summit in three months"
WIKINEWS_LICENCE = "CC BY 2.5 (Wikinews, https://creativecommons.org/licenses/by/2.5/)"


def front_matter(meta: dict[str, object]) -> str:
    return (
        "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n"
    )


def convert_wikinews(src: Path, out_dir: Path) -> None:
    raw = src.read_text(encoding="utf-8")
    header, _, text = raw.partition("\n\n")
    meta = dict(line.split(": ", 1) for line in header.splitlines())
    lines = text.strip("\n").split("\n")
    # The text's first line repeats the headline; the second block is the dateline.
    if lines and lines[0].strip() == meta["Title"].strip():
        lines = lines[1:]
    body = "\n".join(lines).strip("\n")
    fm = {
        "title": meta["Title"],
        "date": meta["Date"],
        "source": "Wikinews",
        "url": meta["Source"],
        "licence": WIKINEWS_LICENCE,
        "credit": "Wikinews, CC BY 2.5",
    }
    name = "wikinews_" + re.sub(r"^GUM_news_", "", src.stem) + ".md"
    (out_dir / name).write_text(front_matter(fm) + body + "\n", encoding="utf-8")


def main(shared: Path) -> None:
    out_dir = Path(__file__).resolve().parent.parent / "seeds"
    out_dir.mkdir(exist_ok=True)
    seed = shared / "seeds" / "000_1552b9b2a9b9fce4.txt"
    fm = {
        "title": SEED_TITLE,
        "source": "Briefing Cards seed article",
        "tags": ["Japan", "South Korea", "diplomacy"],
    }
    (out_dir / "takaichi_lee_nara_summit.md").write_text(
        front_matter(fm) + seed.read_text(encoding="utf-8").replace("\n", "\n\n").strip() + "\n",
        encoding="utf-8",
    )
    for src in sorted((shared / "corpus" / "wikinews").glob("GUM_news_*.txt")):
        convert_wikinews(src, out_dir)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"))
