"""The library's roots, the same from the CLI and the window: `briefing library list|add|remove`,
the seeds kept as a root until removed, and every file a folder scan does not read named once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import main
import search.index
from search.config import SEEDS_DIR
from search.library import load_library, root_holding, scan_library, start_library
from search.models import Extraction

SEEDS = str(SEEDS_DIR.resolve())
SEED_COUNT = len(list(SEEDS_DIR.glob("*.md"))) - 1  # seeds/README.md is about the folder


@pytest.fixture(autouse=True)
def fast_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        search.index,
        "_spacy_extractor",
        lambda processes: lambda texts: [Extraction() for _ in texts],
    )


def briefing(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main.main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def folder(path: Path, *names: str) -> Path:
    path.mkdir(parents=True)
    for name in names:
        stem = Path(name).stem
        (path / name).write_text(f"# Story {stem}\n\nThe {stem} story, told once.\n")
    return path


def listing(capsys: pytest.CaptureFixture[str], data: Path) -> dict[str, dict[str, object]]:
    code, out, _ = briefing(capsys, data, "library", "list", "--json")
    assert code == 0
    return {root["path"]: root for root in json.loads(out)["roots"]}


def test_first_use_from_the_cli_keeps_the_seeds_beside_the_folder_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = folder(tmp_path / "lib", "harbour.md", "ferry.md")
    data = tmp_path / "data"
    code, out, err = briefing(capsys, data, "library", "add", str(lib), "--progress", "none")
    assert code == 0
    assert out.startswith(f"added {SEED_COUNT + 2}, updated 0, removed 0")
    assert f"`briefing library remove {SEEDS_DIR}` takes them out" in err
    assert load_library(data) == [SEEDS, str(lib.resolve())]
    roots = listing(capsys, data)
    assert roots[SEEDS] == {"path": SEEDS, "kind": "folder", "articles": SEED_COUNT, "seeds": True}
    assert roots[str(lib.resolve())]["articles"] == 2


def test_adding_from_the_cli_never_drops_the_seeds_or_other_roots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    start_library(data)  # what the window's first launch saves
    first = folder(tmp_path / "first", "harbour.md")
    second = folder(tmp_path / "second", "ferry.md")
    single = folder(tmp_path / "loose", "bridge.md") / "bridge.md"
    assert briefing(capsys, data, "index", str(first), "--progress", "none")[0] == 0
    assert briefing(capsys, data, "library", "add", str(second), str(single))[0] == 0
    assert load_library(data) == [SEEDS, *(str(p.resolve()) for p in (first, second, single))]
    code, out, _ = briefing(capsys, data, "library", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{SEED_COUNT} articles  {SEEDS}  (the bundled seed articles)"
    assert f" 1 article   {single.resolve()}  (file)" in lines
    assert lines[-1] == f"4 folders and files; {SEED_COUNT + 3} articles in the index"


def test_the_seeds_are_removed_like_any_root_and_do_not_come_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = folder(tmp_path / "lib", "harbour.md")
    data = tmp_path / "data"
    seed_files = sorted(os.listdir(SEEDS_DIR))
    assert briefing(capsys, data, "library", "add", str(lib), "--progress", "none")[0] == 0
    code, out, err = briefing(capsys, data, "library", "remove", SEEDS, "--progress", "none")
    assert code == 0
    assert out.startswith(f"added 0, updated 0, removed {SEED_COUNT}, unchanged 1")
    assert "(the files are not touched)" in err
    assert sorted(os.listdir(SEEDS_DIR)) == seed_files
    assert briefing(capsys, data, "index")[0] == 0  # a bare sync: the seeds stay out
    assert load_library(data) == [str(lib.resolve())]

    # The last root goes too: the index empties, and nothing comes back on its own.
    code, out, _ = briefing(capsys, data, "library", "remove", str(lib), "--progress", "none")
    assert code == 0 and "removed 1," in out and "; 0 articles in the index" in out
    assert (lib / "harbour.md").is_file()
    assert briefing(capsys, data, "index")[0] == 0
    assert load_library(data) == []
    code, out, _ = briefing(capsys, data, "library", "list")
    assert out.startswith("The library is empty (0 articles in the index)")


def test_removing_a_file_inside_a_folder_root_names_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = folder(tmp_path / "lib", "harbour.md", "ferry.md")
    other = folder(tmp_path / "other", "bridge.md")
    data = tmp_path / "data"
    assert briefing(capsys, data, "library", "add", str(lib), str(other))[0] == 0
    inside = str(lib / "ferry.md")
    code, out, err = briefing(capsys, data, "library", "remove", inside)
    assert code == 1 and out == ""
    assert f"not in the library: {inside}; it is in the folder {lib.resolve()}" in err
    assert root_holding(load_library(data), inside) == str(lib.resolve())

    # One known and one unknown path: the known one goes (and is synced), the exit says 1.
    code, out, err = briefing(capsys, data, "library", "remove", str(other), inside)
    assert code == 1 and "removed 1," in out
    assert load_library(data) == [SEEDS, str(lib.resolve())]


def test_a_missing_root_is_listed_as_missing_with_its_articles_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drive = folder(tmp_path / "drive", "harbour.md", "ferry.md")
    data = tmp_path / "data"
    assert briefing(capsys, data, "library", "add", str(drive))[0] == 0
    drive.rename(tmp_path / "unplugged")
    root = listing(capsys, data)[str(drive)]
    assert root["kind"] == "missing" and root["articles"] == 2
    _, out, _ = briefing(capsys, data, "library", "list")
    assert f"2 articles  {drive}  (not found: its articles are kept" in out


def test_every_file_a_folder_scan_does_not_read_is_listed_once_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = folder(tmp_path / "lib", "harbour.md")
    (lib / "notes.pages").write_bytes(b"PK")
    (lib / "photo.JPG").write_bytes(b"\xff\xd8")
    (lib / "Makefile").write_text("all:\n")
    (lib / "empty.md").write_text("")
    # Quiet: hidden files and folders, notes about the folder, what file managers leave behind,
    # and a saved page's folder of images beside the page.
    (lib / ".DS_Store").write_bytes(b"\0")
    (lib / ".cache").mkdir()
    (lib / ".cache" / "x.bin").write_bytes(b"\0")
    for name in ("README", "README.md", "LICENSE.rst", "Thumbs.db", "desktop.ini"):
        (lib / name).write_text("about this folder\n")
    (lib / "page.html").write_text(
        "<html><head><title>Dockers strike</title></head><body><article><p>Dock workers in "
        "Antwerp walked out on Monday over pay, the union said, halting forty ships.</p>"
        "</article></body></html>"
    )
    (lib / "page_files").mkdir()
    (lib / "page_files" / "logo.png").write_bytes(b"\x89PNG")
    expected = [
        f"skipped {lib / 'Makefile'}: unsupported file type (none)",
        f"skipped {lib / 'notes.pages'}: unsupported file type .pages",
        f"skipped {lib / 'photo.JPG'}: unsupported file type .jpg",
        f"skipped {lib / 'empty.md'}: empty file",
    ]
    data = tmp_path / "data"
    # The folder, and a file in it named again: still one entry per file.
    for _sync in range(2):
        code, out, _ = briefing(capsys, data, "library", "add", str(lib), str(lib / "notes.pages"))
        assert code == 0
        skipped = [line for line in out.splitlines() if line.startswith("skipped ")]
        assert skipped == expected
        assert f"skipped {len(expected)}; " in out.splitlines()[0]


def test_a_scan_names_an_unsupported_file_with_an_undecodable_name(tmp_path: Path) -> None:
    bad = os.path.join(os.fsencode(tmp_path), b"scan\xff.tiff")
    with open(bad, "wb") as fh:
        fh.write(b"II*\0")
    files, skipped = scan_library([tmp_path])
    assert files == []
    assert [(s.path, s.reason) for s in skipped] == [
        (str(tmp_path / "scan\\xff.tiff"), "unsupported file type .tiff")
    ]


def test_index_remove_is_the_same_as_library_remove(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = folder(tmp_path / "lib", "harbour.md")
    data = tmp_path / "data"
    assert briefing(capsys, data, "library", "add", str(lib))[0] == 0
    code, out, _ = briefing(capsys, data, "index", "--progress", "none", "--remove", SEEDS)
    assert code == 0 and f"removed {SEED_COUNT}," in out
    assert load_library(data) == [str(lib.resolve())]
