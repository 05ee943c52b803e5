"""`briefing index` and `briefing search` through main.py's parser: output, JSON, exit codes, the library."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from libraries import without_seeds

import main
import search.index
from search.cli import plain_snippet
from search.models import Extraction, Snippet, Span

SEED_TITLE = "Takaichi hosts Lee Jae Myung in Nara for third summit in three months"


def no_extraction(processes: int) -> search.index.Extractor:
    return lambda texts: [Extraction() for _ in texts]


@pytest.fixture(autouse=True)
def fast_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's plumbing is under test here, not spaCy: extraction returns empty results."""
    monkeypatch.setattr(search.index, "_spacy_extractor", no_extraction)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("cli") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search.index, "_spacy_extractor", no_extraction)
        assert main.main(["--data-dir", str(data), "index", "--progress", "none"]) == 0
    yield data


def test_index_with_no_library_indexes_the_seeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.main(["--data-dir", str(tmp_path), "index"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("added 25, updated 0, removed 0, unchanged 0, skipped 0; 25 articles")
    assert main.main(["--data-dir", str(tmp_path), "index"]) == 0
    assert capsys.readouterr().out.startswith("added 0, updated 0, removed 0, unchanged 25")


def test_index_paths_are_added_to_the_library_and_skips_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "good.md").write_text("# Ferries resume\n\nFerries resumed on Monday.")
    (lib / "bad.txt").write_bytes(b"caf\xe9 " + bytes(range(0x80, 0x100)))  # text in no encoding
    data = without_seeds(tmp_path / "data")
    assert main.main(["--data-dir", str(data), "index", str(lib)]) == 0
    out = capsys.readouterr().out
    assert "added 1," in out and "skipped 1" in out
    assert f"skipped {(lib / 'bad.txt').resolve()}: not UTF-8 (byte 0xe9 at offset 3)" in out
    # The library is remembered: a bare `index` syncs it (not the seeds).
    (lib / "good.md").unlink()
    assert main.main(["--data-dir", str(data), "index"]) == 0
    assert "removed 1," in capsys.readouterr().out


def test_index_of_a_missing_path_fails_without_saving_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.main(["--data-dir", str(tmp_path), "index", str(tmp_path / "nope")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "library.json").exists()


def test_index_progress_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--data-dir", str(tmp_path), "index", "--progress", "json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {e["event"] for e in events[:-1]} == {"progress"}
    assert {"done", "total", "path", "phase"} <= set(events[0])
    report = events[-1]
    assert report["event"] == "report" and len(report["added"]) == 25
    assert report["skipped"] == [] and report["cancelled"] is False


def test_index_on_a_locked_index_exits_1_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*args: object, **kwargs: object) -> None:
        raise search.index.IndexUnavailable("The index is being updated by process 42")

    monkeypatch.setattr(search.index.ArticleIndex, "sync", busy)
    assert main.main(["--data-dir", str(tmp_path), "index"]) == 1
    assert "being updated by process 42" in capsys.readouterr().err


def test_search_json(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--data-dir", str(seeded), "search", "Takaichi AND Nara", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total"] == 1 and result["suggestion"] is None
    hit = result["hits"][0]
    assert set(hit) == {
        "id",
        "title",
        "path",
        "date",
        "source",
        "score",
        "snippet",
        "copies",
        "new",
    }
    assert hit["title"] == SEED_TITLE
    # The snippet is text and the spans of it that match: no markup to undo.
    snippet = hit["snippet"]
    marked = [snippet["text"][m["start"] : m["end"]] for m in snippet["marks"]]
    assert "Takaichi" in marked and "<" not in snippet["text"]
    assert result["facets"]["source"] == [{"value": "Briefing Cards seed article", "count": 1}]


def test_search_human_output_marks_terms(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--data-dir", str(seeded), "search", '"forced laborers"']) == 0
    out = capsys.readouterr().out
    assert out.startswith("1 article match; showing 1:")
    assert SEED_TITLE in out and "[forced] [laborers]" in out and "<b>" not in out


def test_search_limit_and_sort(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--data-dir",
        str(seeded),
        "search",
        "source:wikinews",
        "--sort",
        "date",
        "--limit",
        "3",
    ]
    assert main.main([*argv, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    dates = [h["date"] for h in result["hits"]]
    assert result["total"] == 24 and len(dates) == 3 and dates == sorted(dates, reverse=True)


def test_search_no_match_suggests(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--data-dir", str(seeded), "search", "presidnet"]) == 0
    assert capsys.readouterr().out == "No articles match 'presidnet'.\nDid you mean: president\n"


def test_bad_query_exits_2_with_a_message(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--data-dir", str(seeded), "search", "date:[soon to later]"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("briefing search: Could not understand the query")
    assert "Traceback" not in captured.err


def test_search_on_an_empty_index_says_to_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.main(["--data-dir", str(tmp_path), "search", "Nara"]) == 0
    assert "run `briefing index`" in capsys.readouterr().out


def test_search_on_a_damaged_index_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main.main(["--data-dir", str(tmp_path), "index", "--progress", "none"]) == 0
    capsys.readouterr()
    for toc in (tmp_path / "index").glob("*.toc"):
        toc.write_bytes(b"not a toc")
    assert main.main(["--data-dir", str(tmp_path), "search", "Nara"]) == 1
    assert "briefing index --rebuild" in capsys.readouterr().err
    assert main.main(["--data-dir", str(tmp_path), "index", "--rebuild"]) == 0
    assert capsys.readouterr().out.startswith("added 25,")
    assert main.main(["--data-dir", str(tmp_path), "search", "Nara", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1


@pytest.mark.parametrize(
    ("bold", "expected"),
    [(False, "a [b] &lt;c&gt; & d"), (True, "a \033[1mb\033[0m &lt;c&gt; & d")],
)
def test_plain_snippet(bold: bool, expected: str) -> None:
    assert plain_snippet(Snippet("a b &lt;c&gt; & d", [Span(2, 3)]), bold=bold) == expected


def test_the_window_fast_path_knows_every_command() -> None:
    """main() builds the commands' parsers only when a command word is present: the words it looks
    for must be exactly the parser's commands, or a new command would open the window instead."""
    parser = main.build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert set(commands) == set(main.COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [[], ["--data-dir", "/tmp/lib"], ["--data-dir=/tmp/lib"], ["--data-dir=a=b"]],
)
def test_the_window_arguments_read_without_argparse_as_argparse_reads_them(argv: list[str]) -> None:
    window_only, data_dir = main.window_arguments(argv)
    assert window_only
    assert data_dir == main.build_parser(commands=False).parse_args(argv).data_dir


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["search", "x"],
        ["--data-dir"],
        ["--data-dir", ""],
        ["--data-dir="],
        ["--data-dir", "--help"],
        ["--data", "/tmp/lib"],  # argparse's abbreviation: left to argparse
        ["--data-dir", "/tmp/lib", "index"],
    ],
)
def test_anything_but_the_window_arguments_goes_to_the_parser(argv: list[str]) -> None:
    assert main.window_arguments(argv) == (False, None)
