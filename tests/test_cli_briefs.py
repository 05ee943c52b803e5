"""`briefing brief …` on the seed library: a brief of three seed articles exports to PDF (a cover,
then the items) and Markdown; listings as JSON; bad names and ids exit 2 saying which."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_printing import pdf_pages, pdf_text

import main

HANDLING = "OFFICIAL — for the Minister"


@pytest.fixture
def data(tmp_path: Path, seed_index: Path) -> Path:
    """A copy of the seed library's data: briefs written here leave the shared index alone."""
    return Path(shutil.copytree(seed_index, tmp_path / "data"))


def run(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main.main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def seed_ids(data: Path, capsys: pytest.CaptureFixture[str], query: str) -> list[tuple[str, str]]:
    code, out, _ = run(data, capsys, "search", query, "--json", "--limit", "3")
    assert code == 0
    return [(hit["id"], hit["title"]) for hit in json.loads(out)["hits"]]


def test_a_brief_of_three_seed_articles_exports_to_pdf_and_markdown(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hits = seed_ids(data, capsys, "Mecca OR Nara")[:3]
    assert len(hits) == 3
    code, out, _ = run(
        data,
        capsys,
        "brief",
        "new",
        "Morning brief",
        "--author",
        "A. Briefer",
        "--handling",
        HANDLING,
    )
    assert code == 0 and 'started the brief "Morning brief"' in out
    code, out, _ = run(data, capsys, "brief", "add", "Morning brief", *(i for i, _ in hits))
    assert (code, out) == (0, 'added 3 to "Morning brief" (3 items)\n')
    first, second, third = (i for i, _ in hits)
    assert run(data, capsys, "brief", "move", "Morning brief", third, "1")[0] == 0
    assert run(data, capsys, "brief", "note", "Morning brief", first, "Raise at the 9:00")[0] == 0

    code, out, _ = run(data, capsys, "brief", "show", "Morning brief", "--json")
    shown = json.loads(out)
    assert [item["article_id"] for item in shown["items"]] == [third, first, second]
    assert shown["handling"] == HANDLING
    assert [e["headline"] for e in shown["entries"]] == [hits[2][1], hits[0][1], hits[1][1]]
    assert shown["entries"][1]["note"] == "Raise at the 9:00"
    assert all(e["bottom_line"] for e in shown["entries"])

    pdf = tmp_path / "brief.pdf"
    code, out, _ = run(data, capsys, "brief", "export", "Morning brief", "--pdf", str(pdf))
    assert code == 0 and out.startswith("3 items, ")
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    cover = " ".join(word[4] for word in pages[0][2])
    assert "Morning brief" in cover and "A. Briefer" in cover
    text = pdf_text(pdf)
    for _, title in hits:
        assert " ".join(title.split()) in text
    assert "Raise at the 9:00" in text and "Bottom line:" in text
    # The handling line heads and foots every page.
    for _width, _height, words in pages:
        assert sum(w[4] == "OFFICIAL" for w in words) >= 2

    markdown = tmp_path / "brief.md"
    assert run(data, capsys, "brief", "export", "Morning brief", "--md", str(markdown))[0] == 0
    written = markdown.read_text(encoding="utf-8")
    assert written.startswith(f"**{HANDLING}**\n\n# Morning brief\n")
    assert written.count("\n## ") == 3 and "**Note:** Raise at the 9:00" in written

    code, out, _ = run(data, capsys, "brief", "list", "--json")
    (listed,) = json.loads(out)
    assert listed["title"] == "Morning brief" and listed["issued_at"]
    cards = tmp_path / "cards.pdf"
    code, out, _ = run(
        data, capsys, "brief", "export", "Morning brief", "--pdf", str(cards), "--cards"
    )
    assert code == 0 and out.startswith("3 cards, 3 pages")
    # Each card's so-what line carries the item's note (the cards dropped it).
    assert "Raise at the 9:00" in " ".join(pdf_text(cards).split())


def test_bad_names_ids_and_places_exit_2_saying_which(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(data, capsys, "brief", "show", "Nothing")
    assert code == 2 and 'no brief titled "Nothing"' in err
    assert run(data, capsys, "brief", "new", "B")[0] == 0
    code, _, err = run(data, capsys, "brief", "add", "B", "000000000000")
    assert code == 2 and "no article with id 000000000000 in the index" in err
    code, _, err = run(data, capsys, "brief", "export", "B", "--md", str(tmp_path / "no" / "b.md"))
    assert code == 2 and "does not exist" in err
    code, _, err = run(data, capsys, "brief", "export", "B", "--md", str(tmp_path))
    assert code == 2 and "it is a folder" in err and "Errno" not in err
    code, out, _ = run(data, capsys, "brief", "list")
    assert out == "B  (0 items; not issued)\n"
    assert run(data, capsys, "brief", "delete", "B")[0] == 0
    code, out, _ = run(data, capsys, "brief", "list", "--json")
    assert json.loads(out) == []
