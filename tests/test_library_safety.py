"""A library that cannot be lost: undecodable file names, a bad library.json, concurrent adds."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from libraries import without_seeds

import main
import search.index
from search.library import LibraryFileError, add_to_library, load_library, scan_library
from search.models import Extraction


@pytest.fixture(autouse=True)
def fast_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        search.index,
        "_spacy_extractor",
        lambda processes: lambda texts: [Extraction() for _ in texts],
    )


def _library(tmp_path: Path, count: int = 3) -> Path:
    """A folder of `count` stories, the library alone of the data folder tmp_path/"data"."""
    without_seeds(tmp_path / "data")
    lib = tmp_path / "lib"
    lib.mkdir()
    for n in range(count):
        (lib / f"a{n}.md").write_text(f"# Story {n}\n\nText of story {n}.\n", encoding="utf-8")
    return lib


def _index(data: Path, *paths: Path) -> int:
    return main.main(["--data-dir", str(data), "index", "--progress", "none", *map(str, paths)])


def test_a_file_name_that_is_not_utf8_is_skipped_by_name_and_the_rest_is_indexed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = _library(tmp_path)
    bad = os.path.join(os.fsencode(lib), b"bad\xff\xfename.md")
    with open(bad, "wb") as fh:
        fh.write(b"# T\n\nText.\n")
    files, skipped = scan_library([lib])
    assert len(files) == 3
    assert [s.path for s in skipped] == [str(lib / "bad\\xff\\xfename.md")]
    assert "not valid UTF-8" in skipped[0].reason
    assert _index(tmp_path / "data", lib) == 0
    out = capsys.readouterr()
    assert "3 articles in the index" in out.out + out.err


@pytest.mark.parametrize(
    "content", ['{"paths": "/some/dir"}', "not json at all {", '["/a"]', '{"paths": [1, 2]}']
)
def test_a_bad_library_file_is_kept_aside_and_no_article_is_dropped(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = _library(tmp_path)
    data = tmp_path / "data"
    assert _index(data, lib) == 0
    (data / "library.json").write_text(content, encoding="utf-8")
    capsys.readouterr()
    assert _index(data) == 2
    err = capsys.readouterr().err
    assert "library.json is not a library file" in err and "kept as library.json.bad-" in err
    kept = list(data.glob("library.json.bad-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == content
    # No library now, but the index holds the user's articles: the seeds do not replace them.
    assert _index(data) == 2
    assert "the index holds 3 articles" in capsys.readouterr().err
    ix = search.index.ArticleIndex.open(data)
    try:
        assert ix.count() == 3
    finally:
        ix.close()
    assert _index(data, lib) == 0  # adding the folder again starts a new library file
    assert load_library(data) == [str(lib.resolve())]


def test_load_library_raises_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "library.json").write_text('{"paths": "/"}', encoding="utf-8")
    with pytest.raises(LibraryFileError, match=r"library\.json is not a library file"):
        load_library(tmp_path)
    assert load_library(tmp_path) == []  # it was moved aside, not deleted
    assert json.loads(next(tmp_path.glob("library.json.bad-*")).read_text()) == {"paths": "/"}


def test_concurrent_adds_all_land(tmp_path: Path) -> None:
    folders = [tmp_path / f"folder{n}" for n in range(8)]
    for folder in folders:
        folder.mkdir()
    start = threading.Barrier(len(folders))

    def add(folder: Path) -> None:
        start.wait()
        add_to_library(tmp_path / "data", [folder])

    threads = [threading.Thread(target=add, args=(f,)) for f in folders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(load_library(tmp_path / "data")) == sorted(str(f.resolve()) for f in folders)


def test_the_seeds_are_saved_as_the_library_so_a_second_index_run_syncs_them(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    assert _index(data) == 0
    assert len(load_library(data)) == 1
    assert _index(data) == 0


def test_an_edit_that_keeps_mtime_and_size_is_seen(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    data = tmp_path / "data"
    assert _index(data, lib) == 0
    target = lib / "a1.md"
    before = target.stat()
    text = target.read_text(encoding="utf-8")
    # Same length, same mtime: what `sed -i …; touch -r orig f.md` or `cp -p` of an old copy do.
    target.write_text(text.replace("Text", "Tsar"), encoding="utf-8")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    index = search.index.ArticleIndex.open(data)
    report = index.sync([lib])
    assert [Path(p).name for p in report.updated] == ["a1.md"] and report.unchanged == 2
    assert index.search("Tsar").total == 1
    index.close()


def test_a_file_touched_but_not_edited_keeps_its_extraction(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    data = tmp_path / "data"
    index = search.index.ArticleIndex.open(data)
    index.sync([lib])
    os.utime(lib / "a0.md")  # a new mtime, the same content
    extracted: list[str] = []

    def extractor(texts):  # type: ignore[no-untyped-def]
        for text in texts:
            extracted.append(text)
            yield Extraction()

    report = index.sync([lib], extractor=extractor)
    assert extracted == [] and report.updated == [] and report.unchanged == 3
    index.close()


def test_a_missing_library_folder_keeps_its_articles_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = _library(tmp_path, count=3)
    drive = tmp_path / "drive"
    drive.mkdir()
    for n in range(2):
        (drive / f"d{n}.md").write_text(f"# Drive {n}\n\nOn the drive {n}.\n", encoding="utf-8")
    data = tmp_path / "data"
    assert _index(data, lib, drive) == 0
    capsys.readouterr()
    unplugged = drive.rename(tmp_path / "elsewhere")

    assert _index(data) == 0
    out = capsys.readouterr().out
    assert "removed 0" in out and "5 articles in the index" in out
    assert f"not found: {drive} — its 2 articles are kept until it is back" in out
    assert f"briefing index --remove {drive}" in out

    unplugged.rename(drive)  # back: nothing to re-extract
    assert _index(data) == 0
    assert "added 0, updated 0, removed 0, unchanged 5" in capsys.readouterr().out

    drive.rename(tmp_path / "elsewhere")
    assert (
        main.main(["--data-dir", str(data), "index", "--progress", "none", "--remove", str(drive)])
        == 0
    )
    out = capsys.readouterr().out
    assert "removed 2" in out and "3 articles in the index" in out
    assert load_library(data) == [str(lib.resolve())]


def test_removing_a_path_not_in_the_library_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = _library(tmp_path)
    data = tmp_path / "data"
    assert _index(data, lib) == 0
    code = main.main(["--data-dir", str(data), "index", "--remove", str(tmp_path / "nope")])
    assert code == 1
    assert f"not in the library: {tmp_path / 'nope'}" in capsys.readouterr().err
    assert load_library(data) == [str(lib.resolve())]
