"""Briefs: assembling one in the store, what each item says, the exports, and what changed since
the last brief on the same subject (made-up articles, no spaCy)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.api import BriefError, Library
from search.brief_export import brief_since_line, to_html, to_markdown
from search.briefs import same_measure
from search.index import ArticleIndex
from search.models import Actor, Extraction, Figure, Place, Quote, Span
from search.store import now

# Two reports of one disaster (the second with a higher toll, a new official and a new quote),
# and one about something else.
ARTICLES = {
    "first.md": (
        "Crane falls on <script>alert(1)</script> *Grand* Mosque",
        "A crane fell on the Grand Mosque in Mecca. At least 107 people were killed in the "
        "collapse, said Suleiman al-Amr of the Civil Defense.",
    ),
    "second.md": (
        "Mecca toll rises",
        "The toll in Mecca rose to 111 killed, said Suleiman al-Amr. Khaled Al-Maeena said "
        '"it could have been much worse" at the Grand Mosque.',
    ),
    "other.md": (
        "Lanterns light up Taipei",
        "Hundreds of thousands of visitors came to see the lanterns in Taipei on Saturday night.",
    ),
}


def _span(text: str, name: str) -> list[Span]:
    start = text.find(name)
    return [Span(start, start + len(name))] if start >= 0 else []


def extract(texts: list[str]) -> list[Extraction]:
    """Stands in for spaCy, knowing the three articles above."""
    out = []
    for text in texts:
        actors = [
            Actor(name, "person", role, _span(text, name))
            for name, role in (("Suleiman al-Amr", "director"), ("Khaled Al-Maeena", "editor"))
            if name in text
        ]
        places = [Place(p, "SA", _span(text, p)) for p in ("Mecca",) if p in text]
        places += [Place("Taipei", "TW", _span(text, "Taipei"))] if "Taipei" in text else []
        figures, quotes = [], []
        if "107 people" in text:
            figures.append(Figure("107", "count", "people killed in the collapse", 0, 3, 1))
        if "111 killed" in text:
            figures.append(Figure("111", "count", "killed", 0, 3, 1))
        if "Hundreds of thousands" in text:
            figures.append(Figure("Hundreds of thousands", "count", "visitors", 0, 3, 1))
        if "much worse" in text:
            start = text.find('"it')
            quotes.append(Quote("Khaled Al-Maeena", "it could have been much worse", start, start))
        out.append(Extraction(actors, places, figures, quotes, language="en"))
    return out


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    folder = tmp_path / "lib"
    folder.mkdir()
    for name, (title, body) in ARTICLES.items():
        (folder / name).write_text(
            f'---\ntitle: "{title}"\nsource: Test Wire\ndate: 2015-09-12\n---\n\n{body}\n',
            encoding="utf-8",
        )
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([folder], extractor=extract)  # type: ignore[arg-type]
    yield Library(index)
    index.close()


def ids(library: Library) -> dict[str, str]:
    """Each article's file name (first, second, other) → its id."""
    found = {}
    for article_id in library._index.ids():
        stored = library.get(article_id)
        assert stored is not None
        found[Path(stored.article.path).stem] = article_id
    return found


def test_a_brief_is_assembled_reordered_noted_and_deleted(library: Library) -> None:
    a = ids(library)
    library.new_brief("Gulf", "A. Briefer", "OFFICIAL — for the Minister")
    assert library.add_to_brief("Gulf", [a["first"], a["other"], a["first"]]) == [
        a["first"],
        a["other"],
    ]
    assert library.add_to_brief("gulf", [a["second"], a["other"]]) == [a["second"]]  # any case
    assert library.move_in_brief("Gulf", a["second"], 1) == 1
    library.note_brief_item("Gulf", a["other"], "for the culture minister")
    library.remove_from_brief("Gulf", a["first"])
    brief = library.brief("Gulf")
    assert [(i.article_id, i.position) for i in brief.items] == [(a["second"], 1), (a["other"], 2)]
    assert brief.items[0].title == "Mecca toll rises"
    assert brief.items[1].note == "for the culture minister"
    assert (brief.author, brief.handling) == ("A. Briefer", "OFFICIAL — for the Minister")
    assert [b.title for b in library.briefs()] == ["Gulf"]
    assert library.delete_brief("GULF") == "Gulf"
    assert library.briefs() == []


def test_what_cannot_be_done_says_which(library: Library) -> None:
    a = ids(library)
    with pytest.raises(BriefError, match='no brief titled "Nope"; no briefs yet'):
        library.brief("Nope")
    library.new_brief("Gulf")
    with pytest.raises(BriefError, match="already exists"):
        library.new_brief("gulf")
    with pytest.raises(BriefError, match="no article with id 123456789abc in the index"):
        library.add_to_brief("Gulf", [a["first"], "123456789abc"])
    assert library.brief("Gulf").items == []  # nothing added when one id is wrong
    with pytest.raises(BriefError, match=f'article {a["first"]} is not in the brief "Gulf"'):
        library.move_in_brief("Gulf", a["first"], 1)
    library.add_to_brief("Gulf", [a["first"]])
    with pytest.raises(BriefError, match="counts from 1"):
        library.move_in_brief("Gulf", a["first"], 0)


def test_an_item_says_what_its_card_says_and_the_briefers_so_what(library: Library) -> None:
    a = ids(library)
    with library._index.store.transaction() as db:  # the notes part writes this row
        db.execute(
            "INSERT INTO note (article_id, body, so_what, updated) VALUES (?, '', ?, ?)",
            (a["first"], "Pilgrim season: expect more", now()),
        )
    library.new_brief("Gulf", handling="OFFICIAL")
    library.add_to_brief("Gulf", [a["first"]])
    library.note_brief_item("Gulf", a["first"], "ask the embassy")
    entry = library.brief_document("Gulf").entries[0]
    assert entry.so_what == "Pilgrim season: expect more"
    assert entry.note == "ask the embassy"
    assert entry.figures == [("107", "people killed in the collapse")]
    assert entry.actors == [("Suleiman al-Amr", "director")]
    assert entry.places == [("Mecca", "SA")]
    assert entry.source == "Test Wire"
    assert entry.bottom_line.startswith("A crane fell on the Grand Mosque in Mecca.")
    assert entry.since is None  # no earlier brief


def test_exports_escape_the_articles_text(library: Library, tmp_path: Path) -> None:
    a = ids(library)
    library.new_brief("Gulf <b>", "A. Briefer", "OFFICIAL — for the Minister")
    library.add_to_brief("Gulf <b>", [a["first"]])
    document = library.brief_document("Gulf <b>")
    page = to_html(document)
    assert "<script>" not in page and "<b>" not in page
    assert "Crane falls on &lt;script&gt;alert(1)&lt;/script&gt; *Grand* Mosque" in page
    assert page.count("OFFICIAL — for the Minister") == 2  # atop the brief and at its foot
    assert "style=" in page and "<style" not in page  # inline styles only: an e-mail body
    markdown = to_markdown(document)
    assert r"## 1. Crane falls on \<script\>alert\(1\)\</script\> \*Grand\* Mosque" in markdown
    assert "**Bottom line:** A crane fell" in markdown
    assert "- **107** people killed in the collapse" in markdown
    out = tmp_path / "gulf.md"
    library.export_brief("Gulf <b>", "md", out)
    assert out.read_text(encoding="utf-8") == markdown
    assert library.brief("Gulf <b>").issued_at is not None


def test_labels_match_by_what_they_count() -> None:
    assert same_measure("killed", "people killed in the collapse")
    assert same_measure("Muslim pilgrims killed in a stampede", "people killed")
    assert same_measure("asylum seekers rescued", "asylum seeker rescued by fishermen")
    assert not same_measure("killed", "wounded")
    assert not same_measure("people killed", "people wounded")
    assert not same_measure("", "killed")


def test_the_next_brief_on_a_subject_says_what_changed_since(
    library: Library, tmp_path: Path
) -> None:
    a = ids(library)
    library.new_brief("Monday")
    library.add_to_brief("Monday", [a["first"]])
    library.export_brief("Monday", "md", tmp_path / "monday.md")
    library.new_brief("Tuesday")
    library.add_to_brief("Tuesday", [a["second"], a["other"]])
    second, other = library.brief_document("Tuesday").entries
    assert other.since is None  # Taipei: no earlier brief covered it
    since = second.since
    assert since is not None and since.brief_title == "Monday"
    assert since.figures == [("killed", "107", "111")]
    assert since.new_actors == ["Khaled Al-Maeena"]
    assert since.new_quotes == [("Khaled Al-Maeena", "it could have been much worse")]
    line = brief_since_line(second)
    assert line.startswith("Since last brief (") and "killed: 107 → 111" in line
    assert "killed: 107 → 111" in to_markdown(library.brief_document("Tuesday"))
    # Exporting a brief twice is not news to itself: only other briefs' issues count.
    library.export_brief("Tuesday", "html", tmp_path / "tuesday.html")
    assert library.brief_document("Tuesday").entries[0].since == since


def test_briefs_survive_a_rebuild(library: Library, tmp_path: Path) -> None:
    a = ids(library)
    library.new_brief("Gulf")
    library.add_to_brief("Gulf", [a["second"], a["first"]])
    library._index.sync([tmp_path / "lib"], rebuild=True, extractor=extract)  # type: ignore[arg-type]
    entries = library.brief_document("Gulf").entries
    assert [e.headline for e in entries] == ["Mecca toll rises", ARTICLES["first.md"][0]]


def test_one_name_in_common_is_not_one_subject() -> None:
    from search.briefs import same_subject

    storm = {"actor:p:takaichi", "place:japan", "place:okinawa", "actor:o:jma"}
    summit = {"actor:p:takaichi", "actor:p:lee jae myung", "place:nara", "place:south korea"}
    again = {"actor:p:takaichi", "place:okinawa", "actor:o:jma", "place:naha"}
    assert not same_subject(storm, summit)  # the Prime Minister alone
    assert same_subject(storm, again)
    assert same_subject({"place:mecca"}, {"place:mecca", "actor:p:suleiman al-amr"})
    assert not same_subject(set(), storm)
