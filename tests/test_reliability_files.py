"""Reliability: indexing, re-syncing, rebuilding and printing never change a byte of the user's files."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from search.config import PROJECT_ROOT, SEEDS_DIR
from search.index import ArticleIndex
from search.models import Extraction
from ui.printing import render_cards_pdf


def no_extraction(texts: list[str]) -> list[Extraction]:
    return [Extraction() for _ in texts]


SEED_SAMPLE = ["takaichi_lee_nara_summit.md", "wikinews_clock.md", "wikinews_nasa.md"]


def fingerprint(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every entry under `root` (hidden ones too): content hash, mtime in ns and mode; folders included."""
    prints: dict[str, tuple[str, int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
            prints[str(path.relative_to(root))] = (digest, info.st_mtime_ns, info.st_mode)
    info = root.lstat()
    prints["."] = ("dir", info.st_mtime_ns, info.st_mode)
    return prints


def make_library(lib: Path) -> None:
    lib.mkdir()
    for name in SEED_SAMPLE:
        shutil.copy2(SEEDS_DIR / name, lib / name)
    nested = lib / "saved" / "pages"
    nested.mkdir(parents=True)
    (nested / "page.html").write_text(
        "<html><head><title>Dockers strike</title></head><body><article>"
        "<p>Dock workers in Antwerp walked out on Monday over pay, the union said.</p>"
        "<p>The strike halted 40 ships and is expected to last until Thursday.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (lib / "saved" / "note.txt").write_text(
        "Title: Ferry timetable\nDate: 2023-04-05\n\nFerries to Calais resume on 12 April.\n",
        encoding="utf-8",
    )
    (lib / "broken.md").write_bytes(b"\xff\xfe not text \x00\x00")
    # Old mtimes, so a write that restores the content but not the time still shows.
    for path in sorted(lib.rglob("*"), reverse=True) + [lib]:
        os.utime(
            path, ns=(1_500_000_000_000_000_000, 1_500_000_000_000_000_000), follow_symlinks=False
        )


def test_indexing_resyncing_rebuilding_and_printing_leave_the_library_untouched(
    tmp_path: Path, qapp: QApplication
) -> None:
    lib = tmp_path / "library"
    make_library(lib)
    before = fingerprint(lib)
    data = tmp_path / "data"

    index = ArticleIndex.open(data)
    # The stand-in extractor keeps this quick; the rebuild below runs the real one.
    first = index.sync([lib], processes=1, extractor=no_extraction)
    assert len(first.added) == 5, first
    assert [Path(s.path).name for s in first.skipped] == ["broken.md"]
    again = index.sync([lib], processes=1, extractor=no_extraction)
    assert again.added == [] and again.updated == [] and again.unchanged == 5
    index.sync([lib], rebuild=True, processes=1)

    ids = [hit.id for hit in index.search("Antwerp OR Calais OR Takaichi OR clock").hits]
    assert len(ids) >= 3
    stored = [s for s in (index.get(i) for i in ids) if s is not None]
    cards, _pages = render_cards_pdf(stored, tmp_path / "cards.pdf", "a4")
    assert cards == len(stored)

    # And through the command line, in its own process, as a user would.
    cli = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data), "index", str(lib)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr

    assert fingerprint(lib) == before
    assert not any(Path(p).is_relative_to(lib) for p in _files_under(data)), (
        "index wrote into the library"
    )


def _files_under(root: Path) -> list[str]:
    return [str(Path(d) / f) for d, _, files in os.walk(root) for f in files]
