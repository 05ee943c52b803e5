"""The index: incremental sync (add, change, delete, unchanged), rebuild, cancel, locking, damage, reading back."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import search.index
from search.index import ArticleIndex, IndexUnavailable
from search.library import add_to_library, load_library, scan_library
from search.models import Actor, Extraction, Figure, Place

ROOT = Path(__file__).resolve().parent.parent
KNOWN_ACTORS = ("Ines Duarte", "Tom Lee", "Sanae Takaichi")
KNOWN_PLACES = ("Lisbon", "Nara", "Porto")


def fake_extract(texts: list[str]) -> list[Extraction]:
    """Stands in for spaCy: finds a fixed list of names, so tests are fast and their facets predictable."""
    return [
        Extraction(
            actors=[Actor(name, "person") for name in KNOWN_ACTORS if name in text],
            places=[Place(name, "PT") for name in KNOWN_PLACES if name in text],
            figures=[Figure("9", "count", "votes", 0, 1, 1)] if "votes" in text else [],
        )
        for text in texts
    ]


def article(folder: Path, name: str, title: str, body: str, date: str = "2020-01-02") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {title}\ndate: {date}\nsource: Test Wire\n---\n\n{body}\n")
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    article(
        lib, "bridge.md", "Bridge approved", "Ines Duarte said the bridge in Lisbon got 9 votes."
    )
    article(lib, "port.md", "Port expands", "The port of Porto will grow, Tom Lee said.")
    article(lib / "sub", "nara.md", "Summit in Nara", "Sanae Takaichi hosted talks in Nara.")
    return lib


@pytest.fixture
def index(tmp_path: Path) -> ArticleIndex:
    ix = ArticleIndex.open(tmp_path / "data")
    yield ix
    ix.close()


def sync(ix: ArticleIndex, lib: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    return ix.sync([lib], extractor=fake_extract, **kwargs)  # type: ignore[arg-type]


def test_first_sync_adds_every_article(index: ArticleIndex, library: Path) -> None:
    report = sync(index, library)
    assert sorted(Path(p).name for p in report.added) == ["bridge.md", "nara.md", "port.md"]
    assert (report.updated, report.removed, report.unchanged, report.skipped) == ([], [], 0, [])
    assert index.count() == 3
    assert len(index.ids()) == 3


def test_get_returns_the_article_and_its_stored_extraction(
    index: ArticleIndex, library: Path
) -> None:
    sync(index, library)
    hit = index.search("bridge").hits[0]
    stored = index.get(hit.id)
    assert stored is not None
    assert stored.article.title == "Bridge approved"
    assert stored.article.date == "2020-01-02"
    assert stored.article.source == "Test Wire"
    assert stored.article.path == str((library / "bridge.md").resolve())
    assert "9 votes" in stored.article.body
    assert [a.name for a in stored.extraction.actors] == ["Ines Duarte"]
    assert [p.name for p in stored.extraction.places] == ["Lisbon"]
    assert stored.extraction.figures[0].label == "votes"
    assert index.get("000000000000") is None


def test_unchanged_files_are_not_read_again(
    index: ArticleIndex, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(index, library)
    reads: list[Path] = []
    real_read = search.index.read_file
    monkeypatch.setattr(search.index, "read_file", lambda p: reads.append(p) or real_read(p))
    report = sync(index, library)
    assert report.unchanged == 3
    assert (report.added, report.updated, report.removed) == ([], [], [])
    assert reads == []


def test_changed_file_is_reindexed_and_only_it_is_read(
    index: ArticleIndex, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync(index, library)
    changed = article(library, "port.md", "Port closes", "The port of Porto shuts for winter.")
    os.utime(changed, ns=(time.time_ns(), time.time_ns() + 10**9))
    reads: list[Path] = []
    real_read = search.index.read_file
    monkeypatch.setattr(search.index, "read_file", lambda p: reads.append(p) or real_read(p))
    report = sync(index, library)
    assert report.updated == [str(changed.resolve())]
    assert report.unchanged == 2
    assert reads == [changed.resolve()]
    assert index.count() == 3
    assert index.search("winter").total == 1
    assert index.search("expands").total == 0


def test_touched_but_identical_file_keeps_its_extraction_without_extracting(
    index: ArticleIndex, library: Path
) -> None:
    sync(index, library)
    touched = library / "bridge.md"
    os.utime(touched, ns=(time.time_ns(), time.time_ns() + 10**9))

    def must_not_run(texts: list[str]) -> list[Extraction]:
        raise AssertionError(f"extraction ran for {len(texts)} unchanged texts")

    report = index.sync([library], extractor=must_not_run)
    assert report.unchanged == 3 and report.updated == []
    stored = index.get(index.search("bridge").hits[0].id)
    assert stored is not None and stored.extraction.actors[0].name == "Ines Duarte"
    # Stamps were refreshed: the next sync reads nothing.
    assert index.sync([library], extractor=must_not_run).unchanged == 3


def test_deleted_file_leaves_the_index(index: ArticleIndex, library: Path) -> None:
    sync(index, library)
    (library / "sub" / "nara.md").unlink()
    report = sync(index, library)
    assert [Path(p).name for p in report.removed] == ["nara.md"]
    assert index.count() == 2
    assert index.search("Nara").total == 0


def test_file_that_turns_bad_is_skipped_and_its_old_version_removed(
    index: ArticleIndex, library: Path
) -> None:
    sync(index, library)
    # Every byte from 0x80 up: not UTF-8, and no legacy encoding reads it as text either.
    (library / "port.md").write_bytes(b"caf\xe9 " + bytes(range(0x80, 0x100)))
    report = sync(index, library)
    assert [(Path(s.path).name, s.reason) for s in report.skipped] == [
        ("port.md", "not UTF-8 (byte 0xe9 at offset 3), and no other text encoding reads it")
    ]
    assert [Path(p).name for p in report.removed] == ["port.md"]
    assert index.count() == 2


def test_bad_files_are_skipped_with_reasons_and_the_rest_indexed(
    index: ArticleIndex, library: Path
) -> None:
    (library / "empty.md").write_text("")
    (library / "binary.txt").write_bytes(b"\x00\x01\x02")
    (library / "notes.pages").write_bytes(b"PK")  # an unsupported type in a folder is named
    (library / "README.md").write_text("# About this folder\n\nNot an article.")
    report = sync(index, library)
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert reasons == {
        "empty.md": "empty file",
        "binary.txt": reasons["binary.txt"],
        "notes.pages": "unsupported file type .pages",
    }
    assert "binary" in reasons["binary.txt"]
    assert index.count() == 3


def test_rebuild_recreates_the_index_from_the_sources(index: ArticleIndex, library: Path) -> None:
    sync(index, library)
    report = sync(index, library, rebuild=True)
    assert len(report.added) == 3 and report.unchanged == 0
    assert index.count() == 3
    assert index.search("Nara").total == 1


def test_cancelled_sync_changes_nothing(index: ArticleIndex, library: Path) -> None:
    sync(index, library)
    article(library, "new.md", "Fresh", "A brand new article about ferries.")
    (library / "bridge.md").unlink()
    report = sync(index, library, cancel=lambda: True)
    assert report.cancelled
    assert index.count() == 3
    assert index.search("bridge").total == 1
    assert index.search("ferries").total == 0


def test_progress_is_reported(index: ArticleIndex, library: Path) -> None:
    events = []
    sync(index, library, progress=events.append)
    phases = [e.phase for e in events]
    assert phases[0] == "scanning" and "reading" in phases and phases[-1] == "writing"
    assert [e.done for e in events if e.phase == "reading"] == [0, 0, 0]
    assert [e.done for e in events if e.phase == "extracting"] == [1, 2, 3]
    assert all(e.total == 3 for e in events if e.phase != "scanning")
    assert [e.done for e in events] == sorted(e.done for e in events)
    # The extractor reads ahead: `read` counts the files read, `done` those finished, and
    # `articles` those written (searchable at the commit, when the "writing" event has come).
    assert [e.read for e in events if e.phase == "reading"] == [1, 2, 3]
    assert [e.articles for e in events if e.phase == "extracting"] == [1, 2, 3]
    assert events[-1].articles == 3


def test_cancel_during_extraction_stops_before_commit(index: ArticleIndex, library: Path) -> None:
    answers = iter([False, False, True])  # let the batch start, then cancel after one article
    report = sync(index, library, cancel=lambda: next(answers, True))
    assert report.cancelled
    assert index.count() == 0


def test_missing_extraction_model_still_indexes_with_a_message(
    index: ArticleIndex, library: Path
) -> None:
    from search.extract import ModelUnavailable

    def unavailable(texts: list[str]) -> list[Extraction]:
        raise ModelUnavailable("en_core_web_sm is not installed")

    report = index.sync([library], extractor=unavailable)
    assert index.count() == 3
    assert report.messages == [
        "actors/places/figures will be empty until the spaCy model can be loaded: "
        "en_core_web_sm is not installed"
    ]
    stored = index.get(index.ids()[0])
    assert stored is not None and stored.extraction.actors == []


def test_another_reader_sees_commits_after_refresh(tmp_path: Path, library: Path) -> None:
    writer_side = ArticleIndex.open(tmp_path / "data")
    reader_side = ArticleIndex.open(tmp_path / "data")
    assert reader_side.count() == 0
    sync(writer_side, library)
    reader_side.refresh()
    assert reader_side.count() == 3
    assert reader_side.search("Nara").total == 1
    # A second commit (change + delete) is seen too, with nothing counted twice.
    article(library, "port.md", "Port closes", "Porto port shuts for winter; more text here.")
    (library / "bridge.md").unlink()
    sync(writer_side, library)
    reader_side.refresh()
    assert reader_side.count() == 2
    assert reader_side.search("port").total == 1
    assert reader_side.search("winter").total == 1


def test_symlink_loop_does_not_hang(tmp_path: Path, library: Path) -> None:
    (library / "sub" / "loop").symlink_to(library, target_is_directory=True)
    files, skipped = scan_library([library])
    assert sorted(f.name for f in files) == ["bridge.md", "nara.md", "port.md"]
    assert skipped == []


def test_missing_library_path_is_reported(tmp_path: Path) -> None:
    files, skipped = scan_library([tmp_path / "gone"])
    assert files == [] and [s.reason for s in skipped] == ["not found"]


def test_library_is_saved_and_deduplicated(tmp_path: Path, library: Path) -> None:
    data = tmp_path / "data"
    assert load_library(data) == []
    add_to_library(data, [library])
    assert add_to_library(data, [library, library / "sub"]) == [
        str(library.resolve()),
        str((library / "sub").resolve()),
    ]
    assert json.loads((data / "library.json").read_text())["paths"] == load_library(data)


WRITER_HOLDS_LOCK = """
import sys, time
from whoosh import index
ix = index.open_dir(sys.argv[1])
w = ix.writer()
(open(sys.argv[1] + "/writer.pid", "w")).write(str(__import__("os").getpid()))
print("locked", flush=True)
time.sleep(60)
"""


def test_locked_index_gives_a_clear_message_and_a_killed_writer_frees_it(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search.index_dir, "LOCK_WAIT", 0.2)
    ix = ArticleIndex.open(tmp_path / "data")
    sync(ix, library)
    article(library, "new.md", "Fresh", "Ferries resume.")
    holder = subprocess.Popen(
        [sys.executable, "-c", WRITER_HOLDS_LOCK, str(ix.directory)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexUnavailable, match=f"being updated by process {holder.pid}"):
            sync(ix, library)
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    # The kernel drops a killed process's lock: the next sync just works.
    report = sync(ix, library)
    assert [Path(p).name for p in report.added] == ["new.md"]


def test_damaged_index_says_to_rebuild_and_rebuild_repairs_it(
    tmp_path: Path, library: Path
) -> None:
    ix = ArticleIndex.open(tmp_path / "data")
    sync(ix, library)
    ix.close()
    for toc in ix.directory.glob("*.toc"):
        toc.write_bytes(b"garbage")
    damaged = ArticleIndex.open(tmp_path / "data")
    with pytest.raises(IndexUnavailable, match="briefing index --rebuild"):
        damaged.search("Nara")
    with pytest.raises(IndexUnavailable, match="briefing index --rebuild"):
        sync(damaged, library)
    report = sync(damaged, library, rebuild=True)
    assert len(report.added) == 3
    assert damaged.search("Nara").total == 1


def test_seeds_index_with_the_real_extraction_entry_point(tmp_path: Path) -> None:
    """Without an extractor argument sync goes through search.extract (spaCy, or a clear message)."""
    ix = ArticleIndex.open(tmp_path / "data")
    report = ix.sync([ROOT / "seeds" / "takaichi_lee_nara_summit.md"], processes=1)
    assert len(report.added) == 1
    stored = ix.get(ix.ids()[0])
    assert stored is not None
    if report.messages:
        assert report.messages[0].startswith("actors/places/figures will be empty")
    else:
        assert any("Takaichi" in a.name for a in stored.extraction.actors)


def test_broken_and_looping_file_links_are_skipped_with_a_reason(library: Path) -> None:
    (library / "gone.md").symlink_to(library / "deleted_long_ago.md")
    (library / "self.md").symlink_to(library / "self.md")
    files, skipped = scan_library([library])
    assert len(files) == 3
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["gone.md"].startswith("broken symbolic link (points to ")
    assert reasons["self.md"] == "symbolic link loop"


def test_a_large_sync_is_one_extraction_stream_read_as_it_is_consumed(
    index: ArticleIndex, tmp_path: Path
) -> None:
    """One extractor call per sync (spaCy's workers start once), fed lazily: files are read only as
    the extractor asks for their texts, and a touched-but-unedited file is never re-extracted."""
    lib = tmp_path / "many"
    for i in range(450):
        article(lib, f"a{i:03}.md", f"Report {i}", f"Ines Duarte filed report number {i}.")
    calls: list[int] = []
    read_ahead: list[int] = []
    original_read = search.index.read_file
    reads = 0

    def counting_read(path: Path):  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return original_read(path)

    def streaming_extract(texts):  # type: ignore[no-untyped-def]
        calls.append(1)
        for n, text in enumerate(texts, start=1):
            read_ahead.append(reads - n)  # files read beyond the texts taken so far
            yield fake_extract([text])[0]

    search.index.read_file = counting_read
    try:
        report = index.sync([lib], extractor=streaming_extract)
    finally:
        search.index.read_file = original_read
    assert calls == [1]
    assert len(report.added) == 450 and index.count() == 450
    assert max(read_ahead) == 0  # nothing read before the extractor asked for it
    stored = index.get(index.search('"report number 321"').hits[0].id)
    assert stored is not None and stored.extraction.actors[0].name == "Ines Duarte"

    # Touch one file (same text), edit another: only the edited one reaches the extractor.
    touched, edited = lib / "a010.md", lib / "a020.md"
    os.utime(touched, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    edited.write_text(edited.read_text().replace("Ines Duarte", "Tom Lee"))
    seen: list[str] = []

    def recording_extract(texts):  # type: ignore[no-untyped-def]
        for text in texts:
            seen.append(text)
            yield fake_extract([text])[0]

    again = index.sync([lib], extractor=recording_extract)
    assert len(seen) == 1 and "Tom Lee" in seen[0]
    assert [Path(p).name for p in again.updated] == ["a020.md"]
    assert again.unchanged == 449


def test_an_error_while_reading_fails_the_sync_and_closes_the_extractors_stream(
    index: ArticleIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error reading a file (not a ReadError: a missing HTML extractor, say) is no
    'extraction is not installed' and no silent end of the library: the sync raises, commits
    nothing, and the extractor's stream (spaCy's workers) is closed first."""
    lib = tmp_path / "lib"
    for i in range(30):
        article(lib, f"a{i:02}.md", f"Report {i}", f"Report number {i}.")
    original_read = search.index.read_file

    def failing_read(path: Path):  # type: ignore[no-untyped-def]
        if path.name == "a17.md":
            raise ImportError("No module named 'trafilatura'")
        return original_read(path)

    closed: list[bool] = []

    def streaming_extract(texts):  # type: ignore[no-untyped-def]
        # Like spaCy: the first texts are read ahead before the first result comes out.
        head = list(itertools.islice(texts, 25))
        try:
            for text in itertools.chain(head, texts):
                yield fake_extract([text])[0]
        finally:
            closed.append(True)

    monkeypatch.setattr(search.index, "read_file", failing_read)
    with pytest.raises(ImportError, match="trafilatura"):
        index.sync([lib], extractor=streaming_extract)
    assert closed == [True]
    assert index.count() == 0


def test_skipped_files_count_in_the_progress(index: ArticleIndex, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    article(lib, "good.md", "Good", "A readable article.")
    (lib / "empty.md").write_text("")
    article(lib, "later.md", "Later", "Another readable article.")
    events = []
    report = index.sync([lib], extractor=fake_extract, progress=events.append)
    assert len(report.skipped) == 1
    done = [e.done for e in events if e.phase in ("reading", "extracting")]
    assert done == sorted(done) and done[-1] == 3


def test_a_sync_with_nothing_to_do_clears_the_note_of_a_writer_killed_after_its_commit(
    tmp_path: Path, index: ArticleIndex
) -> None:
    lib = tmp_path / "lib"
    article(lib, "a.md", "A", "Some text.")
    sync(index, lib)
    note = index.directory / search.index_dir.WRITER_PID_FILE
    note.write_text("999999999")  # the pid of a process that is gone
    assert sync(index, lib).unchanged == 1
    assert not note.exists()
