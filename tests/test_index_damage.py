"""A damaged index: each kind of damage is named on open, a sync says to rebuild, and `--rebuild`
repairs it from any damage by building beside the old index and swapping the new one in."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import search.index_dir
from search.index import ArticleIndex, IndexUnavailable
from search.index_dir import MANIFEST, beside
from tests.test_index import article, fake_extract
from tests.test_reliability_crash import STAND_IN_MAIN

ROOT = Path(__file__).resolve().parent.parent


def _segment_file(index: Path, ending: str) -> Path:
    return next(
        p for p in index.iterdir() if p.name.startswith("MAIN_") and p.name.endswith(ending)
    )


def _cut(path: Path, fraction: float) -> None:
    with open(path, "r+b") as f:
        f.truncate(int(path.stat().st_size * fraction))


def _garble(path: Path) -> None:
    # All ones: every length and offset read from it is out of range, whatever the file's size
    # (a patterned fill sometimes decoded as plausible values, and then nothing could tell).
    path.write_bytes(b"\xff" * path.stat().st_size)


def _make_file(index: Path) -> None:
    shutil.rmtree(index)
    index.write_text("not an index")


# name -> (damage, what the message names)
DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "terms cut in half": (lambda d: _cut(_segment_file(d, ".trm"), 0.5), r"\.trm is [\d,]+ bytes"),
    "terms emptied": (lambda d: _cut(_segment_file(d, ".trm"), 0), r"\.trm is 0 bytes"),
    "terms garbage": (lambda d: _garble(_segment_file(d, ".trm")), "FileFormatError"),
    "postings deleted": (lambda d: _segment_file(d, ".pst").unlink(), r"\.pst is missing"),
    "postings cut": (lambda d: _cut(_segment_file(d, ".pst"), 0.5), r"\.pst is [\d,]+ bytes"),
    "stored fields cut": (lambda d: _cut(_segment_file(d, "_stored.col"), 0.5), "_stored.col is"),
    "id column deleted": (lambda d: _segment_file(d, ".id.col").unlink(), r"\.id\.col is missing"),
    "table of contents deleted": (
        lambda d: next(d.glob("_MAIN_*.toc")).unlink(),
        "table of contents is missing",
    ),
    "table of contents garbage": (lambda d: _garble(next(d.glob("_MAIN_*.toc"))), "damaged"),
    "index is a file": (_make_file, "it is a file, not a folder"),
}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    article(
        lib, "bridge.md", "Bridge approved", "Ines Duarte said the bridge in Lisbon got 9 votes."
    )
    article(lib, "port.md", "Port expands", "The port of Porto will grow, Tom Lee said.")
    article(lib, "nara.md", "Summit in Nara", "Sanae Takaichi hosted talks in Nara.")
    return lib


def _built(tmp_path: Path, library: Path) -> Path:
    data = tmp_path / "data"
    ix = ArticleIndex.open(data)
    ix.sync([library], extractor=fake_extract)
    ix.close()
    return data


@pytest.mark.parametrize("case", sorted(DAMAGE))
def test_damage_is_named_on_open_and_rebuild_repairs_it(
    case: str, tmp_path: Path, library: Path
) -> None:
    data = _built(tmp_path, library)
    damage, named = DAMAGE[case]
    damage(data / "index")

    ix = ArticleIndex.open(data)
    with pytest.raises(IndexUnavailable, match=named) as opened:
        ix.count()
    assert "briefing index --rebuild" in str(opened.value)
    with pytest.raises(IndexUnavailable, match="damaged"):
        ix.search("Nara")
    with pytest.raises(IndexUnavailable, match="damaged"):
        ix.sync([library], extractor=fake_extract)

    report = ix.sync([library], rebuild=True, extractor=fake_extract)
    assert len(report.added) == 3
    assert ix.search("Nara").total == 1 and ix.count() == 3
    ix.close()
    assert not beside(data / "index", "rebuild").exists()
    assert not beside(data / "index", "replaced").exists()
    assert ArticleIndex.open(data).count() == 3  # and it opens clean afterwards


@pytest.mark.parametrize("column", [".stamp.col", "_stored.col", ".facet_actor.col"])
def test_garbage_in_a_column_is_damage_not_a_query_error(
    column: str, tmp_path: Path, library: Path
) -> None:
    data = _built(tmp_path, library)
    _garble(_segment_file(data / "index", column))  # same size: the manifest cannot see it
    ix = ArticleIndex.open(data)
    damage = "damaged .*briefing index --rebuild"
    if column == ".stamp.col":
        with pytest.raises(IndexUnavailable, match=damage):
            ix.sync([library], extractor=fake_extract)
    else:
        # It used to come back as "Could not run the query 'Nara': 'ascii' codec can't encode…".
        with pytest.raises(IndexUnavailable, match=damage):
            ix.search("Nara")
        with pytest.raises(IndexUnavailable, match=damage):
            ix.get(ix.ids()[0])
    assert len(ix.sync([library], rebuild=True, extractor=fake_extract).added) == 3
    assert ix.search("Nara").total == 1


def test_the_cli_rebuild_repairs_what_the_cli_reports(tmp_path: Path, library: Path) -> None:
    data = _built(tmp_path, library)
    _segment_file(data / "index", ".pst").unlink()

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", STAND_IN_MAIN, "--data-dir", str(data), *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )

    searched = cli("search", "Nara")
    assert searched.returncode == 1
    assert ".pst is missing" in searched.stderr and "Traceback" not in searched.stderr
    rebuilt = cli("index", str(library), "--rebuild", "--processes", "1")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Traceback" not in rebuilt.stderr
    assert cli("search", "Nara").returncode == 0


def test_the_old_index_stays_searchable_until_the_rebuild_swaps_in(
    tmp_path: Path, library: Path
) -> None:
    data = _built(tmp_path, library)
    reader = ArticleIndex.open(data)
    assert reader.search("Nara").total == 1
    seen_during: list[int] = []

    def extract_and_look(texts):  # type: ignore[no-untyped-def]
        results = fake_extract(list(texts))
        seen_during.append(reader.search("Nara").total)  # the window, searching meanwhile
        return results

    article(library, "more.md", "More on Nara", "Nara again.")
    writer = ArticleIndex.open(data)
    writer.sync([library], rebuild=True, extractor=extract_and_look)
    assert seen_during == [1]
    reader.refresh()
    assert reader.search("Nara").total == 2  # it follows the swapped-in folder


def test_a_kill_between_the_swaps_renames_is_finished_on_open(
    tmp_path: Path, library: Path
) -> None:
    data = _built(tmp_path, library)
    index = data / "index"
    # What a rebuild leaves when killed after its first rename: the complete new index beside.
    shutil.copytree(index, beside(index, "rebuild"))
    os.rename(index, beside(index, "replaced"))
    ix = ArticleIndex.open(data)
    assert ix.count() == 3
    ix.sync([library], extractor=fake_extract)
    assert not beside(index, "rebuild").exists() and not beside(index, "replaced").exists()


def test_an_unfinished_rebuild_is_dropped_and_the_old_index_kept(
    tmp_path: Path, library: Path
) -> None:
    data = _built(tmp_path, library)
    unfinished = beside(data / "index", "rebuild")
    unfinished.mkdir()
    (unfinished / "MAIN_abc.trm").write_bytes(b"half")  # no manifest: never completed
    ix = ArticleIndex.open(data)
    assert ix.count() == 3
    ix.sync([library], extractor=fake_extract)
    assert not unfinished.exists()


def test_leftovers_of_a_failed_writer_are_removed(tmp_path: Path, library: Path) -> None:
    data = _built(tmp_path, library)
    index = data / "index"
    (index / "MAIN_zzzzzzzzzzzz.trm").write_bytes(b"x" * 1000)  # a segment no TOC lists
    (index / "MAIN_zzzzzzzzzzzz.pst").write_bytes(b"x" * 1000)
    (index / "_MAIN_99.toc.1733000000.5").write_bytes(b"x")  # a TOC being written
    (index / "abcd.tmp").mkdir()  # a sorting pool's temporary folder
    (index / "notes.txt").write_text("not whoosh's")  # not ours: left alone
    ix = ArticleIndex.open(data)
    ix.sync([library], extractor=fake_extract)
    names = {p.name for p in index.iterdir()}
    assert not any(n.startswith("MAIN_zzzz") or n.endswith(".tmp") for n in names)
    assert "_MAIN_99.toc.1733000000.5" not in names and "notes.txt" in names
    assert MANIFEST in names and ix.count() == 3


class _FullDisk:
    """Files the index writes raise ENOSPC once `budget` bytes have been written in all."""

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def wrap(self, create_file: Callable[..., object]) -> Callable[..., object]:
        def create(storage: object, name: str, **kwargs: object) -> object:
            handle = create_file(storage, name, **kwargs)
            real_write = handle.file.write  # type: ignore[attr-defined]

            def write(data: bytes) -> int:
                self.budget -= len(data)
                if self.budget < 0:
                    raise OSError(errno.ENOSPC, "No space left on device", name)
                return int(real_write(data))

            handle.file.write = write  # type: ignore[attr-defined]
            return handle

        return create


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_full_disk_leaves_the_old_index_whole_and_says_what_to_free(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch, rebuild: bool
) -> None:
    from whoosh.filedb.filestore import FileStorage

    data = _built(tmp_path, library)
    before = sorted(p.name for p in (data / "index").iterdir())
    for number in range(30):
        article(library, f"extra{number}.md", f"Extra {number}", "Lisbon ferries. " * 200)
    full = _FullDisk(budget=20_000)
    monkeypatch.setattr(FileStorage, "create_file", full.wrap(FileStorage.create_file))
    ix = ArticleIndex.open(data)
    with pytest.raises(
        IndexUnavailable,
        match=r"is full \(.* free\): this sync needs about \d+ MB\. Nothing was changed",
    ):
        ix.sync([library], rebuild=rebuild, extractor=fake_extract)
    monkeypatch.undo()
    assert sorted(p.name for p in (data / "index").iterdir()) == before  # nothing left behind
    assert not beside(data / "index", "rebuild").exists()
    assert ix.search("Nara").total == 1 and ix.count() == 3  # the old index, searchable
    # Space again: the next sync just works.
    assert len(ix.sync([library], rebuild=rebuild, extractor=fake_extract).added) >= 30


def test_a_second_sync_is_told_the_first_one_holds_the_library(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search.index_dir, "LOCK_WAIT", 0.2)
    data = _built(tmp_path, library)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDS_SYNC_LOCK, str(data)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexUnavailable, match=f"being updated by process {holder.pid}"):
            ArticleIndex.open(data).sync([library], rebuild=True, extractor=fake_extract)
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


HOLDS_SYNC_LOCK = """
import sys, time
from pathlib import Path
from search.index_dir import sync_lock
with sync_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_an_index_of_another_version_is_rebuilt_by_a_sync_keeping_its_extractions(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import search.index

    real_schema = search.index.build_schema

    def older_schema():  # type: ignore[no-untyped-def]
        schema = real_schema()
        schema.remove("minhash")  # as an index from before copies were found
        return schema

    real_document = search.index._document

    def older_document(*args):  # type: ignore[no-untyped-def]
        document = real_document(*args)
        del document["minhash"]
        return document

    monkeypatch.setattr(search.index, "build_schema", older_schema)
    monkeypatch.setattr(search.index, "_document", older_document)
    monkeypatch.setattr(search.index, "_write_copies", lambda ix, directory, changed: None)
    data = _built(tmp_path, library)
    monkeypatch.undo()

    ix = ArticleIndex.open(data)
    with pytest.raises(IndexUnavailable, match="made by another version"):
        ix.count()
    extracted: list[str] = []

    def counting(texts):  # type: ignore[no-untyped-def]
        for text in texts:
            extracted.append(text)
            yield from fake_extract([text])

    report = ix.sync([library], extractor=counting)
    assert "the index was made by another version of Briefing Cards: rebuilt" in report.messages
    assert extracted == []  # every article's text was unchanged: its extraction was kept
    assert ix.count() == 3 and ix.search("Nara").total == 1
    hit = ix.search("Lisbon").hits[0]
    stored = ix.get(hit.id)
    assert stored is not None and [a.name for a in stored.extraction.actors] == ["Ines Duarte"]


def test_the_entity_table_is_built_only_for_a_search_that_uses_it(
    tmp_path: Path, library: Path
) -> None:
    """A one-shot search from the shell spent most of its time building the whole library's
    entity table; only facets and actor:/place:/speaker: clauses need it."""
    ix = ArticleIndex.open(_built(tmp_path, library))
    plain = ix.search("Nara", facets=False)
    assert plain.total == 1 and ix._table is None
    ix.search("Nara", facets=True)
    assert ix._table is not None
    again = ArticleIndex.open(tmp_path / "data")
    named = again.search("actor:nobody", facets=False)
    assert named.error is None and again._table is not None
