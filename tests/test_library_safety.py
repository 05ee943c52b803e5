"""A library that cannot be lost: undecodable file names, a bad library.json, concurrent adds."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

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
