"""Files that hold several articles (a feed's entries, a mailbox's messages, a book's chapters) in
the index: one document per part, each found and opened; a changed file's parts replaced, an
unchanged part's extraction kept; a folder of every format imports with each article findable."""

from __future__ import annotations

from pathlib import Path

from search.index import ArticleIndex
from search.models import Extraction, SyncProgress
from tests.format_files import ATOM, RSS, make_docx, make_epub, make_pdf, mbox_text


def _counting_extractor(seen: list[str]):  # type: ignore[no-untyped-def]
    def extract(texts):  # type: ignore[no-untyped-def]
        for text in texts:
            seen.append(text)
            yield Extraction()

    return extract


def _ids_under(index: ArticleIndex, path: Path) -> set[str]:
    ids = set()
    for article_id in index.ids():
        stored = index.get(article_id)
        assert stored is not None
        if stored.article.path == str(path):
            ids.add(article_id)
    return ids


def test_a_feed_is_one_article_per_entry_and_the_left_out_entry_is_named(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    feed = lib / "gazette.rss"
    feed.write_text(RSS, encoding="utf-8")
    index = ArticleIndex.open(tmp_path / "data")
    seen: list[str] = []
    report = index.sync([lib], extractor=_counting_extractor(seen))
    assert report.added == [str(feed.resolve())]  # counted per file
    assert [s.reason for s in report.skipped] == ["entry 2 (Only a headline): no article text"]
    assert len(seen) == 2 and index.count() == 2
    for marker, title in (("rssbridgemarker", "Bridge approved"), ("rssferrymarker", "Ferries")):
        result = index.search(marker)
        assert result.total == 1 and result.hits[0].title.startswith(title)
        stored = index.get(result.hits[0].id)
        assert stored is not None and stored.article.source == "Harbour Gazette"


def test_a_changed_feed_replaces_its_entries_and_keeps_unchanged_extractions(
    tmp_path: Path,
) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    feed = lib / "gazette.rss"
    feed.write_text(RSS, encoding="utf-8")
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([lib], extractor=_counting_extractor([]))
    before = _ids_under(index, feed.resolve())

    # The ferry entry leaves, a new one arrives, the bridge entry stays word for word.
    start = RSS.index("  <item>\n    <title>Ferries")
    end = RSS.index("</item>", start) + len("</item>\n")
    new_item = (
        "  <item>\n    <title>Quay reopens</title>\n    <guid>urn:gazette:quay</guid>\n"
        "    <description>The quay reopened today, rssquaymarker.</description>\n  </item>\n"
    )
    feed.write_text(RSS[:start] + new_item + RSS[end:], encoding="utf-8")
    seen: list[str] = []
    report = index.sync([lib], extractor=_counting_extractor(seen))
    assert report.updated == [str(feed.resolve())]
    assert len(seen) == 1 and "rssquaymarker" in seen[0]  # only the new entry is extracted
    after = _ids_under(index, feed.resolve())
    assert len(after) == 2 and len(before & after) == 1  # the bridge entry kept its id
    assert index.search("rssferrymarker").total == 0
    assert index.search("rssquaymarker").total == 1
    assert index.search("rssbridgemarker").total == 1

    feed.unlink()
    report = index.sync([lib], extractor=_counting_extractor([]))
    assert report.removed == [str(feed.resolve())] and index.count() == 0


def test_a_folder_of_every_format_imports_each_article_findable_by_its_own_word(
    tmp_path: Path,
) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "brief.pdf").write_bytes(
        make_pdf([["Harbour report", "The harbour pdfonlyword grew last year."]])
    )
    make_docx(
        lib / "memo.docx",
        [("Heading1", "Council memo"), (None, "The council docxonlyword agreed the plan.")],
    )
    (lib / "letters.mbox").write_text(mbox_text(), encoding="utf-8")
    (lib / "gazette.rss").write_text(RSS, encoding="utf-8")
    (lib / "courier.atom").write_text(ATOM, encoding="utf-8")
    make_epub(lib / "year.epub")
    (lib / "old.txt").write_bytes(
        "Old letter\n\nCaf\xe9 owners cp1252onlyword protested.\n".encode("cp1252")
    )
    (lib / "wide.txt").write_bytes(
        "Wide note\n\nFerry utf16onlyword timetable.\n".encode("utf-16-le")
    )
    index = ArticleIndex.open(tmp_path / "data")
    report = index.sync([lib], extractor=_counting_extractor([]))
    assert not report.messages
    assert [Path(s.path).name for s in report.skipped] == ["gazette.rss", "letters.mbox"]
    for word in (
        "pdfonlyword",
        "docxonlyword",
        "mboxfirstmarker",
        "mboxthirdmarker",
        "rssbridgemarker",
        "atomfloodmarker",
        "cp1252onlyword",
        "utf16onlyword",
    ):
        assert index.search(word).total == 1, word
    # "Café" as read from cp1252 (accents fold, so the mbox's "cafe" matches too).
    assert "old.txt" in {Path(hit.path).name for hit in index.search("Café").hits}
    chapters = [i for i in index.ids() if (s := index.get(i)) and s.article.format == "epub"]
    assert len(chapters) >= 2


def test_the_panel_credit_names_the_file_and_a_legacy_encoding(tmp_path: Path) -> None:
    from ui.side_panel import credit_html

    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "old.txt").write_bytes("Old letter\n\nCaf\xe9 owners protested.\n".encode("cp1252"))
    (lib / "new.md").write_text("# New\n\nCafé owners protested again.\n", encoding="utf-8")
    index = ArticleIndex.open(tmp_path / "data")
    index.sync([lib], extractor=_counting_extractor([]))
    credits = {}
    for article_id in index.ids():
        stored = index.get(article_id)
        assert stored is not None
        credits[Path(stored.article.path).name] = credit_html(stored.article)
    assert "<b>File:</b> old.txt · read as cp1252" in credits["old.txt"]
    assert "<b>File:</b> new.md</small>" in credits["new.md"]


def test_a_file_of_many_articles_reports_progress_within_it(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    messages = "".join(
        f"From desk@example.org Thu Mar  4 09:30:00 2021\nFrom: Desk <desk@example.org>\n"
        f"Subject: Note {n}\nMessage-ID: <{n}@example.org>\n\nHarbour note number {n}.\n\n"
        for n in range(250)
    )
    (lib / "desk.mbox").write_text(messages, encoding="utf-8")
    index = ArticleIndex.open(tmp_path / "data")
    events: list[SyncProgress] = []
    index.sync([lib], extractor=_counting_extractor([]), progress=events.append)
    parts = [e.part for e in events if e.part]
    assert parts == ["100 of 250", "200 of 250"]
    assert index.count() == 250


# A feed with two entries that have no text: each is its own skipped entry.
TWO_BAD = RSS.replace(
    "</channel>",
    "  <item>\n    <title>Another headline</title>\n    <guid>urn:gazette:another</guid>\n"
    "  </item>\n</channel>",
)


def test_every_part_left_out_is_named_once_and_again_while_its_file_is_unchanged(
    tmp_path: Path,
) -> None:
    """unique_skipped kept one entry per path: a feed with two bad entries named only one, and the
    next sync (the feed unchanged, so not read) named none."""
    from search.library import unique_skipped

    lib = tmp_path / "lib"
    lib.mkdir()
    feed = lib / "gazette.rss"
    feed.write_text(TWO_BAD, encoding="utf-8")
    path = str(feed.resolve())
    index = ArticleIndex.open(tmp_path / "data")
    expected = [
        (path, "entry 2 (Only a headline)", "entry 2 (Only a headline): no article text"),
        (path, "entry 4 (Another headline)", "entry 4 (Another headline): no article text"),
    ]

    def listed(report) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
        return [(s.path, s.part, s.reason) for s in unique_skipped(report.skipped)]

    first = index.sync([lib], extractor=_counting_extractor([]))
    assert listed(first) == expected
    # Unchanged: not read again, its left-out entries still listed (once each).
    again = index.sync([lib], extractor=_counting_extractor([]))
    assert again.unchanged == 1 and not again.updated
    assert listed(again) == expected
    # Changed: read again, and only what is left out now is listed.
    feed.write_text(RSS, encoding="utf-8")
    read: list[str] = []
    changed = index.sync([lib], extractor=_counting_extractor(read))
    assert read == [] and index.count() == 2  # read again; both entries kept their extraction
    assert listed(changed) == expected[:1]
    assert listed(index.sync([lib], extractor=_counting_extractor([]))) == expected[:1]
    # Mended: nothing left out, and nothing listed at the next sync either.
    feed.write_text(ATOM, encoding="utf-8")
    assert listed(index.sync([lib], extractor=_counting_extractor([]))) == []
    assert not (index.directory / "left_out.json").exists()  # nothing to note, no note
    assert listed(index.sync([lib], extractor=_counting_extractor([]))) == []
    # Removed: its entries go with it.
    feed.write_text(TWO_BAD, encoding="utf-8")
    assert len(listed(index.sync([lib], extractor=_counting_extractor([])))) == 2
    feed.unlink()
    gone = index.sync([lib], extractor=_counting_extractor([]))
    assert gone.removed == [path] and listed(gone) == []
    feed.write_text(TWO_BAD, encoding="utf-8")
    (lib / "other.md").write_text("# Other\n\nA harbour note.\n", encoding="utf-8")
    assert listed(index.sync([lib], extractor=_counting_extractor([]))) == expected
