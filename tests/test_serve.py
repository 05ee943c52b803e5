"""`briefing serve`: a resident process answers `briefing search` with exactly what a search in its
own process prints, sees the index change, and never stands in the way (stale socket, another
version, a second server)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from libraries import without_seeds

import main
import search.index
from search import serve
from search.models import Extraction


def no_extraction(processes: int) -> search.index.Extractor:
    return lambda texts: [Extraction() for _ in texts]


def write_article(folder: Path, name: str, title: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"# {title}\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A data directory indexing a folder of three articles (no spaCy), and that folder."""
    monkeypatch.setattr(search.index, "_spacy_extractor", no_extraction)
    folder = tmp_path / "articles"
    write_article(
        folder, "a.md", "Harbour strike ends", "Dockers in Rotterdam voted to end the strike."
    )
    write_article(
        folder, "b.md", "Grain prices rise", "Wheat and maize prices rose after the drought."
    )
    write_article(folder, "c.md", "Strike spreads", "The strike spread from Rotterdam to Antwerp.")
    data = without_seeds(tmp_path / "data")
    assert main.main(["--data-dir", str(data), "index", str(folder), "--progress", "none"]) == 0
    return data, folder


@pytest.fixture
def server(library: tuple[Path, Path]) -> Iterator[subprocess.Popen[str]]:
    """`briefing serve` running on the library, in its own process, until the test ends."""
    data, _ = library
    with subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "serve", "--idle", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()  # said once it listens
        assert line.startswith(f"Answering searches of {data}"), process.stderr.read()
        yield process
        if process.poll() is None:
            process.terminate()
            process.wait(10)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


SEARCHES = [
    ["search", "strike"],
    ["search", "strike AND Antwerp", "--json"],
    ["search", "Rotterdam", "--sort", "date", "--limit", "1"],
    ["search", "strikke"],  # no match: a suggestion
    ["search", "date:[soon to later]"],  # a bad query: exit 2 and a message
]


def test_a_served_search_prints_what_a_search_of_its_own_prints(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, _ = library
    alone = [run(["--data-dir", str(data), *argv], capsys) for argv in SEARCHES]
    assert [code for code, _, _ in alone] == [0, 0, 0, 0, 2]
    assert serve.ask(data, {"query": "strike"}) is None  # no server yet

    with subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "serve"],
        stdout=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().startswith("Answering")
            answer = serve.ask(data, {"query": "strike", "sort": "relevance", "limit": 10})
            assert answer is not None and answer["code"] == 0
            assert answer["out"].startswith("2 articles match")
            served = [run(["--data-dir", str(data), *argv], capsys) for argv in SEARCHES]
        finally:
            process.terminate()
            assert process.wait(10) == 0
    assert served == alone
    assert not serve.socket_path(data).exists()  # SIGTERM: the server removed its socket


def test_a_served_search_does_not_import_whoosh(
    library: tuple[Path, Path], server: subprocess.Popen[str]
) -> None:
    """The point of the server: the shell's call only talks to it."""
    data, _ = library
    code = (
        "import sys, main\n"
        f"code = main.main(['--data-dir', {str(data)!r}, 'search', 'grain'])\n"
        "print(code, 'whoosh' in sys.modules, 'search.index' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.startswith("1 article match")
    assert done.stderr.strip().splitlines()[-1] == "0 False False"


def test_the_server_sees_articles_indexed_after_it_started(
    library: tuple[Path, Path], server: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, folder = library
    assert run(["--data-dir", str(data), "search", "Antwerp"], capsys)[1].startswith("1 article")
    write_article(folder, "d.md", "Antwerp port reopens", "Ships left Antwerp on Monday.")
    assert main.main(["--data-dir", str(data), "index", str(folder), "--progress", "none"]) == 0
    capsys.readouterr()
    assert serve.ask(data, {"query": "Antwerp"})["out"].startswith("2 articles")  # type: ignore[index]
    assert run(["--data-dir", str(data), "search", "Antwerp"], capsys)[1].startswith("2 articles")


def test_a_second_server_for_the_library_is_refused(
    library: tuple[Path, Path], server: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data, _ = library
    code, _, err = run(["--data-dir", str(data), "serve"], capsys)
    assert code == 1
    assert err.startswith(f"briefing serve: a search server already answers for {data}")
    assert serve.ask(data, {"query": "grain"}) is not None  # the first one still answers


def test_a_stale_socket_is_passed_over_and_replaced(
    library: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A server killed with -9 leaves its socket file: calls search on their own, and the next
    server takes the path over."""
    data, _ = library
    path = serve.socket_path(data)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()
    assert path.exists()
    assert serve.ask(data, {"query": "grain"}) is None
    code, out, _ = run(["--data-dir", str(data), "search", "grain"], capsys)
    assert code == 0 and out.startswith("1 article match")
    listening = serve.listen(data)
    try:
        assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    finally:
        listening.close()


def test_a_file_in_the_sockets_place_is_left_alone(library: tuple[Path, Path]) -> None:
    data, _ = library
    path = serve.socket_path(data)
    path.write_text("the user's own file")
    with pytest.raises(serve.ServeError, match="is in the way: it is not a socket"):
        serve.listen(data)
    assert path.read_text() == "the user's own file"
    assert serve.ask(data, {"query": "grain"}) is None


def test_the_server_exits_when_idle_and_removes_its_socket(library: tuple[Path, Path]) -> None:
    data, _ = library
    said: list[Path] = []
    assert serve.serve(data, idle_minutes=0.005, ready=said.append) == 0  # 0.3 s
    assert said == [serve.socket_path(data)]
    assert not serve.socket_path(data).exists()


def test_a_client_of_another_version_searches_on_its_own(
    library: tuple[Path, Path],
    server: subprocess.Popen[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data, _ = library
    monkeypatch.setattr(serve, "PROTOCOL", serve.PROTOCOL + 1)
    assert serve.ask(data, {"query": "grain"}) is None
    assert run(["--data-dir", str(data), "search", "grain"], capsys)[1].startswith("1 article")


def test_a_garbled_call_does_not_stop_the_server(
    library: tuple[Path, Path], server: subprocess.Popen[str]
) -> None:
    data, _ = library
    for garbage in (b"not json", json.dumps({"protocol": serve.PROTOCOL}).encode()):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(serve.socket_path(data)))
            conn.sendall(garbage)
            conn.shutdown(socket.SHUT_WR)
            assert conn.recv(100) == b""  # no answer to a call it cannot read
    assert server.poll() is None
    answer = serve.ask(data, {"query": "grain", "sort": "sideways"})
    assert answer is None  # an unknown sort order is not answered either
    assert serve.ask(data, {"query": "grain"})["code"] == 0  # type: ignore[index]
