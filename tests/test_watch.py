"""Watch lists and "what is new": first-added times kept across updates, removals and rebuilds;
counts of a query's articles added since a time; watch items and their new counts; the CLI."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
from libraries import run, without_seeds
from test_index import article, fake_extract

import search.index
from search.added import now as added_now
from search.index import ArticleIndex
from search.models import Extraction, Place, SearchRequest
from search.query import QueryError
from search.store import now
from search.watch import (
    WatchError,
    add_watch,
    mark_seen,
    remove_watch,
    rename_watch,
    restore_watch,
    watches,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def first_added(index: ArticleIndex) -> dict[str, str]:
    with index.store.reading() as db:
        return dict(db.execute("SELECT article_id, added FROM article_added").fetchall())


def indexed_added(index: ArticleIndex) -> dict[str, str]:
    """Each indexed article's `added` field, as the store writes times."""
    from search.added import format_time

    searcher = index._current_searcher()
    return {doc["id"]: format_time(doc["added"]) for doc in searcher.documents()}


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    article(folder, "bridge.md", "Bridge approved", "Ines Duarte said the bridge in Lisbon won.")
    article(folder, "port.md", "Port expands", "The port of Porto will grow, Tom Lee said.")
    return folder


@pytest.fixture
def index(tmp_path: Path, lib: Path) -> Iterable[ArticleIndex]:
    opened = ArticleIndex.open(tmp_path / "data")
    opened.sync([lib], extractor=fake_extract)
    yield opened
    opened.close()


def test_each_article_keeps_its_first_added_time_through_updates_removals_and_rebuilds(
    index: ArticleIndex, lib: Path
) -> None:
    times = first_added(index)
    assert len(times) == 2 and indexed_added(index) == times
    article(lib, "bridge.md", "Bridge approved", "Ines Duarte said the bridge in Lisbon lost.")
    moved = lib / "port.md"
    kept_aside = lib.parent / "port.md"
    moved.rename(kept_aside)
    report = index.sync([lib], extractor=fake_extract)
    assert report.updated and report.removed
    kept_aside.rename(moved)  # the same file back: the same article id
    article(lib, "ferry.md", "Ferry late", "The Lisbon ferry was late.")
    index.sync([lib], extractor=fake_extract)
    after = first_added(index)
    assert {k: after[k] for k in times} == times
    assert len(after) == 3 and after.keys() - times.keys()
    (new_id,) = after.keys() - times.keys()
    assert after[new_id] > max(times.values())
    index.sync([lib], extractor=fake_extract, rebuild=True)
    assert indexed_added(index) == after == first_added(index)


def test_a_cancelled_sync_records_no_first_added_time(index: ArticleIndex, lib: Path) -> None:
    before = first_added(index)
    article(lib, "ferry.md", "Ferry late", "The Lisbon ferry was late.")
    report = index.sync([lib], extractor=fake_extract, cancel=lambda: True)
    assert report.cancelled and first_added(index) == before


def test_times_the_store_lost_come_back_from_the_index(index: ArticleIndex, lib: Path) -> None:
    """A kill between the index's commit and the store's write loses the store's rows; the next
    sync (even one with nothing to read) writes them back with the indexed times."""
    times = first_added(index)
    with index.store.transaction() as db:
        db.execute("DELETE FROM article_added")
    index.sync([lib], extractor=fake_extract)
    assert first_added(index) == times


def test_an_index_from_before_first_added_times_is_rebuilt_and_timed(
    tmp_path: Path, lib: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_schema, real_document = search.index.build_schema, search.index._document

    def older_schema():  # type: ignore[no-untyped-def]
        schema = real_schema()
        schema.remove("added")
        return schema

    def older_document(*args):  # type: ignore[no-untyped-def]
        document = real_document(*args)
        del document["added"]
        return document

    data = tmp_path / "old"
    with monkeypatch.context() as older:
        older.setattr(search.index, "build_schema", older_schema)
        older.setattr(search.index, "_document", older_document)
        old = ArticleIndex.open(data)
        old.sync([lib], extractor=fake_extract)
        old.close()
    (data / "briefing.sqlite3").unlink()  # as a store from before first-added times were kept
    index = ArticleIndex.open(data)
    started = now()
    extracted: list[str] = []

    def counting(texts):  # type: ignore[no-untyped-def]
        for text in texts:
            extracted.append(text)
            yield from fake_extract([text])

    report = index.sync([lib], extractor=counting)
    assert "the index was made by another version of Briefing Cards: rebuilt" in report.messages
    assert extracted == []  # the extractions were reused
    times = first_added(index)
    assert len(times) == 2 and indexed_added(index) == times
    assert all(time[:19] >= started[:19] for time in times.values())  # the rebuild's time
    index.close()


def test_counts_of_articles_added_after_a_time(index: ArticleIndex, lib: Path) -> None:
    assert index.count_matching("Lisbon") == 1
    since = max(first_added(index).values())
    assert index.count_matching("Lisbon", added_after=since) == 0
    article(lib, "ferry.md", "Ferry late", "The Lisbon ferry was late.")
    index.sync([lib], extractor=fake_extract)
    assert index.count_matching("Lisbon", added_after=since) == 1
    assert index.count_matching("place:Lisbon", added_after=since) == 1
    assert index.count_matching("Lisbon") == 2
    with pytest.raises(QueryError, match="unknown field"):
        index.count_matching("colour:red")


def test_a_note_clause_is_counted_from_the_notes(index: ArticleIndex) -> None:
    """A watch on `note:urgent` counts the articles whose note says so (it counted 0: the count
    ran the note: clause against the index, where notes are not)."""
    from search.notes import set_note

    bridge = next(
        doc["id"] for doc in index._current_searcher().documents() if "Bridge" in doc["title"]
    )
    assert index.count_matching("note:urgent") == 0
    set_note(index.store, bridge, so_what="Urgent for the minister")
    assert index.count_matching("note:urgent") == 1
    assert index.count_matching("note:urgent OR Porto") == 2
    assert index.count_matching("note:urgent AND Porto") == 0


def test_new_since_puts_the_new_articles_first_and_marks_them(
    index: ArticleIndex, lib: Path
) -> None:
    article(lib, "old.md", "Old news", "Lisbon Lisbon Lisbon, long ago.", date="1999-01-01")
    index.sync([lib], extractor=fake_extract)
    since = max(first_added(index).values())
    article(lib, "ferry.md", "Ferry late", "The Lisbon ferry.", date="1998-01-01")
    index.sync([lib], extractor=fake_extract)
    for sort in ("relevance", "date"):
        plain = index.search(SearchRequest("Lisbon", sort=sort))  # type: ignore[arg-type]
        assert plain.hits[0].title != "Ferry late" and not any(h.new for h in plain.hits)
        marked = index.search(SearchRequest("Lisbon", sort=sort, new_since=since))  # type: ignore[arg-type]
        assert [(h.title, h.new) for h in marked.hits][0] == ("Ferry late", True)
        assert [h.new for h in marked.hits[1:]] == [False, False]
        assert marked.total == 3


def test_watch_items_count_what_is_new_since_looked_at_and_since_the_last_brief(
    index: ArticleIndex, lib: Path
) -> None:
    item = add_watch(index, "  Lisbon ", "place:Lisbon")
    assert (item.name, item.total, item.new, item.since_brief) == ("Lisbon", 1, 0, None)
    article(lib, "ferry.md", "Ferry late", "The Lisbon ferry was late.")
    index.sync([lib], extractor=fake_extract)
    (listed,) = watches(index)
    assert (listed.total, listed.new, listed.since_brief) == (2, 1, None)
    with index.store.transaction() as db:  # a brief issued now (as the briefs part records it)
        issued = added_now()  # to the microsecond: the ferry was added in this second, before
        db.execute("INSERT INTO brief VALUES (1, 'Monday', 'me', '', ?, ?)", (issued, issued))
        db.execute("INSERT INTO brief_issue VALUES (1, 1, ?, '{}')", (issued,))
    assert watches(index)[0].since_brief == 0
    article(lib, "tram.md", "Tram", "A Lisbon tram.")
    index.sync([lib], extractor=fake_extract)
    listed = watches(index)[0]
    assert (listed.total, listed.new, listed.since_brief) == (3, 2, 1)
    assert listed.last_brief is not None
    seen = mark_seen(index, "lisbon")  # a name is found case aside
    assert (seen.new, seen.since_brief, seen.total) == (0, 1, 3)


def test_a_watch_item_made_on_an_empty_library_counts_everything_as_new(tmp_path: Path) -> None:
    index = ArticleIndex.open(tmp_path / "data")
    item = add_watch(index, "Lisbon", "Lisbon")
    assert item.seen_at is None and (item.total, item.new) == (0, 0)
    lib = tmp_path / "later"
    article(lib, "ferry.md", "Ferry late", "The Lisbon ferry was late.")
    index.sync([lib], extractor=fake_extract)
    assert (watches(index)[0].total, watches(index)[0].new) == (1, 1)
    index.close()


def test_bad_names_and_queries_are_refused_and_a_broken_query_does_not_break_the_list(
    index: ArticleIndex,
) -> None:
    add_watch(index, "Lisbon", "Lisbon")
    with pytest.raises(WatchError, match='named "Lisbon" already exists'):
        add_watch(index, "LISBON", "Porto")
    with pytest.raises(WatchError, match="needs a name"):
        add_watch(index, "  ", "Porto")
    with pytest.raises(WatchError, match="at most 80"):
        add_watch(index, "x" * 81, "Porto")
    with pytest.raises(WatchError, match='"Porto": .*unknown field'):
        add_watch(index, "Porto", "colour:red")
    with pytest.raises(WatchError, match="needs a query"):
        add_watch(index, "Porto", " ")
    with pytest.raises(WatchError, match='no watch item named "Lisbn"; did you mean "Lisbon"'):
        mark_seen(index, "Lisbn")
    with index.store.transaction() as db:  # a query an older version could read
        db.execute("INSERT INTO watch VALUES (9, 'Old', 'colour:red', ?, NULL)", (now(),))
    listed = {item.name: item for item in watches(index)}
    assert listed["Lisbon"].total == 1 and listed["Lisbon"].error is None
    assert listed["Old"].total is None and "unknown field" in (listed["Old"].error or "")


def test_rename_remove_and_restore(index: ArticleIndex) -> None:
    add_watch(index, "Lisbon", "Lisbon")
    add_watch(index, "Porto", "Porto")
    with pytest.raises(WatchError, match="already exists"):
        rename_watch(index, "Lisbon", "porto")
    assert rename_watch(index, "Lisbon", "Lisboa").name == "Lisboa"
    gone = remove_watch(index, "Lisboa")
    assert [item.name for item in watches(index)] == ["Porto"]
    back = restore_watch(index, gone)
    assert (back.name, back.query, back.made, back.seen_at) == (
        "Lisboa",
        "Lisbon",
        gone.made,
        gone.seen_at,
    )


def japan_places(texts: Iterable[str]) -> list[Extraction]:
    """A made-up extraction that finds Japan (and nothing else) as a place."""
    return [Extraction(places=[Place("Japan", "JP")] if "Japan" in t else []) for t in texts]


def test_on_the_seed_library_a_watch_on_japan_counts_a_new_article_until_seen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's done-when: `place:Japan` shows a new count after a new article about Japan
    is indexed (a real sync of a new file), and 0 after `watch seen`."""
    monkeypatch.setattr(search.index, "_spacy_extractor", lambda processes: japan_places)
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    data = without_seeds(tmp_path / "data")
    assert run(data, capsys, "index", "--progress", "none", str(seeds))[0] == 0
    code, out, _ = run(data, capsys, "watch", "add", "Japan", "place:Japan")
    assert code == 0 and out.startswith("watching Japan (place:Japan):")

    def listed() -> dict[str, object]:
        code, out, _ = run(data, capsys, "watch", "list", "--json")
        assert code == 0
        (item,) = json.loads(out)
        return dict(item)

    before = listed()
    assert before["new"] == 0 and isinstance(before["total"], int) and before["total"] >= 1
    (seeds / "japan_rice.md").write_text(
        "---\ntitle: Japan releases rice reserves\ndate: 2026-12-01\nsource: Test Wire\n---\n\n"
        "Japan will release more of its rice reserves, the farm ministry said.\n",
        encoding="utf-8",
    )
    assert run(data, capsys, "index", "--progress", "none")[0] == 0
    after = listed()
    assert (after["new"], after["total"]) == (1, before["total"] + 1)  # type: ignore[operator]
    code, out, _ = run(data, capsys, "watch", "list")
    assert code == 0 and "Japan: place:Japan" in out
    assert out.splitlines()[1].split()[:1] == ["1"]
    code, out, _ = run(data, capsys, "watch", "seen", "Japan")
    assert (code, out) == (0, "seen: Japan (1 new before)\n")
    assert listed()["new"] == 0
    assert run(data, capsys, "index", "--progress", "none", "--rebuild")[0] == 0
    assert listed()["new"] == 0  # a rebuild keeps the first-added times: nothing is new again


def test_cli_messages_and_exit_codes(
    index: ArticleIndex, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, out, _ = run(data, capsys, "watch", "list")
    assert (code, out.strip()) == (
        0,
        "Nothing is watched: `briefing watch add NAME QUERY` watches a query.",
    )
    code, _, err = run(data, capsys, "watch", "add", "Bad", "colour:red")
    assert code == 2 and err.startswith('briefing watch add: watch item "Bad":')
    assert run(data, capsys, "watch", "add", "Porto", "place:Porto")[0] == 0
    code, _, err = run(data, capsys, "watch", "seen", "Portu")
    assert code == 2 and 'did you mean "Porto"?' in err
    code, out, _ = run(data, capsys, "watch", "rename", "Porto", "Oporto")
    assert code == 0 and out.startswith("renamed: Oporto (place:Porto): 1 article, 0 new")
    code, out, _ = run(data, capsys, "watch", "remove", "Oporto")
    assert (code, out) == (0, "no longer watching: Oporto (place:Porto)\n")
    code, _, err = run(data, capsys, "watch", "remove", "Oporto")
    assert code == 2 and "nothing is watched yet" in err
    index.close()
    (data / "briefing.sqlite3").write_bytes(b"not a database" * 100)
    code, _, err = run(data, capsys, "watch", "list")
    assert code == 1 and "briefing.sqlite3" in err
