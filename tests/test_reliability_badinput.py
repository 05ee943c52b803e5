"""Reliability: a library folder full of bad input imports without a crash, naming each bad file and why."""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from search.index import ArticleIndex
from search.models import Extraction, StoredArticle, SyncReport
from search.read import ReadError, read_article
from ui.article_view import ArticleView

GOOD_MD = """---
title: Good article {n}
date: 2021-03-0{n}
source: Test Wire
---

Harbour officials in Portsmouth counted {n}00 ships this week, goodmarker{n} said.
"""

# Every generated library file, by name, and whether the engine must index it ("good"), must skip it
# with a reason ("bad"), or may do either as long as it says which ("either": readable with effort).
GOOD = ["good1.md", "good2.md", "good3.md", "good4.txt", "good5.html"]
BAD = [
    "binary.md",
    "invalid_utf8.md",
    "empty.md",
    "huge.md",
    "broken_yaml.md",
]
# Symlinks named like articles that lead nowhere: open() fails with ELOOP or ENOENT.
BROKEN_LINKS = ["self_loop.md", "dangling.md"]
EITHER = [
    "utf16_bom.md",
    "date_not_a_date.md",
    "html_no_body.html",
    "nested.md",
    # Not UTF-8, but each byte is a letter in cp1252: read as a legacy encoding, or skipped.
    "legacy_bytes.md",
]

UTF16_ARTICLE = "---\ntitle: Sixteen bits\n---\n\nText saved as UTF-16 by an old editor.\n"
NESTING = 10_000
HUGE_BYTES = 50 * 1024 * 1024
IMPORT_SECONDS_BOUND = 60.0
# BRIEFING_SOAK=full imports with the real spaCy extraction; by default a stand-in that extracts
# nothing keeps this fast (the extraction's own cost on hostile text is tested separately below).
FULL = os.environ.get("BRIEFING_SOAK") == "full"
# A run of punctuation with no space in it, as in the nested file's 10,000-deep brackets.
PUNCTUATION_RUN = 6_000
EXTRACT_SECONDS_BOUND = 2.0


def no_extraction(texts: list[str]) -> list[Extraction]:
    return [Extraction() for _ in texts]


def nested_markdown() -> str:
    """10,000-level nested block quotes and lists, and 10,000-deep inline brackets and emphasis."""
    return (
        "---\ntitle: Deeply nested\n---\n\n"
        + "> " * NESTING
        + "deepquote\n\n"
        + "- " * NESTING
        + "deeplist\n\n"
        + "1. " * NESTING
        + "deepordered\n\n"
        + "[" * NESTING
        + "deepbracket"
        + "]" * NESTING
        + "\n\n"
        + "*" * NESTING
        + "deepemphasis"
        + "*" * NESTING
        + "\n"
    )


def write_huge(path: Path) -> None:
    """A 50 MB plain-text Markdown file, written in big blocks so it takes a fraction of a second."""
    block = ("lorem ipsum dolor sit amet " * 2000 + "\n").encode()
    with path.open("wb") as out:
        while out.tell() < HUGE_BYTES:
            out.write(block)


def build_bad_library(lib: Path) -> None:
    lib.mkdir(parents=True)
    for n in (1, 2, 3):
        (lib / f"good{n}.md").write_text(GOOD_MD.format(n=n), encoding="utf-8")
    (lib / "good4.txt").write_text(
        "Title: Plain text report\nDate: 2020-01-02\n\nFarmers in Kent counted goodmarker4 sheep.\n",
        encoding="utf-8",
    )
    (lib / "good5.html").write_text(
        "<html><head><title>Saved page</title></head><body><article><h1>Saved page</h1>"
        + "<p>Engineers in Leeds tested goodmarker5 bridges over the river this spring.</p>" * 8
        + "</article></body></html>",
        encoding="utf-8",
    )

    rng = random.Random(7)
    (lib / "binary.md").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(rng.randrange(256) for _ in range(4096))
    )
    # Every byte from 0x80 up, in a row: no text encoding reads that as words.
    (lib / "invalid_utf8.md").write_bytes(
        b"---\ntitle: Bad bytes\n---\n\nCaf\xe9 " + bytes(range(0x80, 0x100)) + b" ok\n"
    )
    (lib / "legacy_bytes.md").write_bytes(
        b"---\ntitle: Bad bytes\n---\n\nCaf\xe9 \xff\xfe\xfd ok\n"
    )
    (lib / "empty.md").write_bytes(b"")
    write_huge(lib / "huge.md")
    (lib / "broken_yaml.md").write_text(
        "---\ntitle: [unclosed\ndate: : : :\n  - bad: {indent\n---\n\nBody text.\n",
        encoding="utf-8",
    )
    # open() on a symlink to itself fails with ELOOP.
    (lib / "self_loop.md").symlink_to(lib / "self_loop.md")
    (lib / "dangling.md").symlink_to(lib / "deleted_long_ago.md")

    (lib / "utf16_bom.md").write_bytes(UTF16_ARTICLE.encode("utf-16"))
    (lib / "date_not_a_date.md").write_text(
        "---\ntitle: Odd date\ndate: sometime after lunch\n---\n\nThe meeting ran late.\n",
        encoding="utf-8",
    )
    (lib / "html_no_body.html").write_text(
        "<html><head><title>Nothing here</title></head></html>", encoding="utf-8"
    )
    (lib / "nested.md").write_text(nested_markdown(), encoding="utf-8")

    # Symlink loops: a folder linking back to the library root, and two folders linking to each other.
    (lib / "loop_to_root").symlink_to(lib, target_is_directory=True)
    (lib / "a").mkdir()
    (lib / "b").mkdir()
    (lib / "a" / "to_b").symlink_to(lib / "b", target_is_directory=True)
    (lib / "b" / "to_a").symlink_to(lib / "a", target_is_directory=True)
    # A directory whose name looks like an article: it must be walked into (or ignored), never read.
    (lib / "folder.md").mkdir()


def account_for(report: SyncReport, index: ArticleIndex) -> tuple[dict[str, str], set[str]]:
    """(skipped file name -> reason, names of indexed files) as the sync reported them."""
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    indexed = {Path(p).name for p in report.added + report.updated}
    return skipped, indexed


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[SyncReport, ArticleIndex, float]:
    root = tmp_path_factory.mktemp("badinput")
    lib = root / "library"
    build_bad_library(lib)
    index = ArticleIndex.open(root / "data")
    started = time.perf_counter()
    report = index.sync([lib], processes=1, extractor=None if FULL else no_extraction)
    elapsed = time.perf_counter() - started
    print(f"\nbad-input library imported in {elapsed:.2f} s (spaCy extraction: {FULL})")
    return report, index, elapsed


def test_bad_input_import_is_bounded_in_time(
    imported: tuple[SyncReport, ArticleIndex, float],
) -> None:
    _report, _index, elapsed = imported
    assert elapsed < IMPORT_SECONDS_BOUND


def test_every_good_file_is_indexed_and_searchable(
    imported: tuple[SyncReport, ArticleIndex, float],
) -> None:
    report, index, _ = imported
    _skipped, indexed = account_for(report, index)
    assert set(GOOD) <= indexed
    for n in range(1, 6):
        result = index.search(f"goodmarker{n}")
        assert result.error is None
        assert result.total == 1, f"goodmarker{n}: {result.total} hits"


def test_every_bad_file_is_skipped_with_a_reason(
    imported: tuple[SyncReport, ArticleIndex, float],
) -> None:
    report, index, _ = imported
    skipped, indexed = account_for(report, index)
    for name in BAD:
        assert name in skipped, f"{name} was not reported as skipped (skipped: {sorted(skipped)})"
        assert name not in indexed
        assert len(skipped[name].strip()) > 5, f"{name}: reason {skipped[name]!r} says nothing"
    # The reason says what is wrong, in words a person can act on.
    assert "empty" in skipped["empty.md"].lower()
    assert any(w in skipped["huge.md"].lower() for w in ("large", "big", "mb", "size"))
    assert any(w in skipped["invalid_utf8.md"].lower() for w in ("utf", "encod", "decod", "text"))


def test_broken_symlinks_are_skipped_with_a_reason(
    imported: tuple[SyncReport, ArticleIndex, float],
) -> None:
    report, index, _ = imported
    skipped, indexed = account_for(report, index)
    for name in BROKEN_LINKS:
        assert name in skipped, f"{name} was not reported (skipped: {sorted(skipped)})"
        assert name not in indexed


def test_the_import_summary_names_each_bad_file_and_its_reason(
    imported: tuple[SyncReport, ArticleIndex, float],
) -> None:
    from search.cli import summary

    report, index, _ = imported
    printed = summary(report, index.count())
    for skipped in report.skipped:
        assert f"{skipped.path}: {skipped.reason}" in printed
    for name in BAD:
        assert name in printed


def test_files_that_can_go_either_way_are_accounted_for(
    imported: tuple[SyncReport, ArticleIndex, float],
) -> None:
    report, index, _ = imported
    skipped, indexed = account_for(report, index)
    for name in EITHER:
        assert (name in skipped) != (name in indexed), f"{name}: skipped and indexed, or neither"
        if name in skipped:
            assert skipped[name].strip(), f"{name} skipped without a reason"


def test_a_date_that_is_not_a_date_is_never_stored_as_one(
    imported: tuple[SyncReport, ArticleIndex, float],
) -> None:
    report, index, _ = imported
    hits = index.search('title:"odd date"').hits
    for hit in hits:
        assert hit.date is None or (len(hit.date) == 10 and hit.date[4] == "-"), hit.date


def test_symlink_loops_and_directories_named_like_files_are_not_articles(
    imported: tuple[SyncReport, ArticleIndex, float],
) -> None:
    report, index, _ = imported
    _skipped, indexed = account_for(report, index)
    assert "folder.md" not in indexed
    # Each good file is indexed once, however many symlinked routes lead to it.
    for n in range(1, 4):
        assert index.search(f"goodmarker{n}").total == 1


def test_reading_bad_files_raises_read_error_naming_the_file(tmp_path: Path) -> None:
    lib = tmp_path / "library"
    build_bad_library(lib)
    for name in BAD + BROKEN_LINKS:
        path = lib / name
        with pytest.raises(ReadError) as caught:
            read_article(path)
        assert str(caught.value).strip(), f"{name}: empty ReadError message"


def test_reading_a_huge_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    # A sparse 2 GB file costs no disk; a reader that slurps it before checking the size would
    # take many seconds and gigabytes of memory.
    sparse = tmp_path / "sparse.md"
    with sparse.open("wb") as out:
        out.truncate(2 * 1024**3)
    started = time.perf_counter()
    with pytest.raises(ReadError):
        read_article(sparse)
    assert time.perf_counter() - started < 2.0


def test_an_unreadable_file_is_skipped_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "library"
    lib.mkdir()
    (lib / "good1.md").write_text(GOOD_MD.format(n=1), encoding="utf-8")
    locked = lib / "locked.md"
    locked.write_text(GOOD_MD.format(n=2), encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0 or os.access(locked, os.R_OK):
        # Tests run as root in CI, where mode 000 does not stop a read. Make the open itself fail
        # the way it does for an ordinary user: every way of opening this one path is denied.
        import builtins
        import io

        real_open = io.open
        real_os_open = os.open

        def denied(file: object, *args: object, **kwargs: object) -> object:
            if os.fspath(file) == os.fspath(locked):  # type: ignore[call-overload]
                raise PermissionError(13, "Permission denied", os.fspath(locked))
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        def denied_os(file: object, *args: object, **kwargs: object) -> int:
            if os.fspath(file) == os.fspath(locked):  # type: ignore[call-overload]
                raise PermissionError(13, "Permission denied", os.fspath(locked))
            return real_os_open(file, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(builtins, "open", denied)
        monkeypatch.setattr(io, "open", denied)
        monkeypatch.setattr(os, "open", denied_os)
    try:
        with pytest.raises(ReadError) as caught:
            read_article(locked)
        assert "locked.md" in str(caught.value) or "permission" in str(caught.value).lower()
        index = ArticleIndex.open(tmp_path / "data")
        report = index.sync([lib], processes=1, extractor=no_extraction)
    finally:
        locked.chmod(0o644)
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    assert "locked.md" in skipped
    assert "permission" in skipped["locked.md"].lower() or "read" in skipped["locked.md"].lower()
    assert index.search("goodmarker1").total == 1


def test_a_fifo_named_like_an_article_does_not_hang_the_import(tmp_path: Path) -> None:
    # A FIFO is the other unreadable thing root meets: open() on it blocks until a writer comes.
    lib = tmp_path / "library"
    lib.mkdir()
    (lib / "good1.md").write_text(GOOD_MD.format(n=1), encoding="utf-8")
    fifo = lib / "pipe.md"
    os.mkfifo(fifo)
    index = ArticleIndex.open(tmp_path / "data")
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["report"] = index.sync([lib], processes=1, extractor=no_extraction)
        except BaseException as exc:  # reported below on the test's thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(30)
    hung = worker.is_alive()
    if hung:
        # Release a reader blocked in open() so the thread can finish, then fail.
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(10)
    assert not hung, "sync blocked on a FIFO named pipe.md"
    assert "error" not in outcome, outcome.get("error")
    report = outcome["report"]
    assert isinstance(report, SyncReport)
    assert "pipe.md" not in {Path(p).name for p in report.added}
    assert index.search("goodmarker1").total == 1


def show_nested_article(tmp_path: Path, qtbot: QtBot) -> tuple[ArticleView, float]:
    path = tmp_path / "nested.md"
    path.write_text(nested_markdown(), encoding="utf-8")
    article = read_article(path)
    view = ArticleView()
    qtbot.addWidget(view)
    started = time.perf_counter()
    view.show_article(StoredArticle(article, Extraction()), ["deepemphasis"])
    return view, time.perf_counter() - started


def test_deeply_nested_markdown_renders_without_blowing_the_stack(
    tmp_path: Path, qtbot: QtBot
) -> None:
    view, elapsed = show_nested_article(tmp_path, qtbot)
    assert view.toPlainText().startswith("Deeply nested")
    assert elapsed < 20, f"rendering took {elapsed:.1f} s"


def test_deeply_nested_markdown_keeps_its_text_or_says_why(tmp_path: Path, qtbot: QtBot) -> None:
    view, _ = show_nested_article(tmp_path, qtbot)
    body = view.toPlainText().removeprefix("Deeply nested")
    said_why = "nest" in body.lower()
    for word in ("deepquote", "deeplist", "deepordered", "deepbracket", "deepemphasis"):
        assert word in body or said_why, f"{word} vanished from the article view"


def test_utf16_with_a_bom_is_read_or_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "utf16_bom.md"
    path.write_bytes(UTF16_ARTICLE.encode("utf-16"))
    try:
        article = read_article(path)
    except ReadError as e:
        assert "utf-16" in str(e).lower(), str(e)
    else:
        assert article.title == "Sixteen bits"


def test_extraction_time_stays_linear_on_long_runs_of_punctuation() -> None:
    from search.extract.pipeline import extract_texts

    list(extract_texts(["Warm-up sentence about Paris."]))  # load the model outside the timing
    for run in ("*" * PUNCTUATION_RUN, "[" * PUNCTUATION_RUN, "=" * PUNCTUATION_RUN):
        text = f"Officials in Paris said on Monday. {run} The port reopened."
        started = time.perf_counter()
        list(extract_texts([text]))
        elapsed = time.perf_counter() - started
        assert elapsed < EXTRACT_SECONDS_BOUND, f"{run[0]!r} x {len(run)}: {elapsed:.1f} s"
