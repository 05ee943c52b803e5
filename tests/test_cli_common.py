"""The shared frame of the `briefing` commands on the library: bad input exits 2, an index or
store that cannot be used exits 1 (opening it or using it), each message led by the command's
name, and what was opened is closed whatever happened."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from search.cli_common import with_index, with_opened
from search.index import ArticleIndex, IndexUnavailable
from search.store import StoreError


class Opened:
    def __init__(self, data: Path) -> None:
        self.data = data
        self.closed = False

    def close(self) -> None:
        self.closed = True


class BadName(ValueError):
    pass


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (BadName("no actor 'X'"), 2),
        (StoreError("/d/briefing.sqlite3 is damaged"), 1),
        (IndexUnavailable("/d/index is damaged"), 1),
        (OSError("disk full"), 1),
    ],
)
def test_an_action_that_fails_exits_by_the_rule_and_closes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], error: Exception, code: int
) -> None:
    opened: list[Opened] = []

    def opener(data: Path) -> Opened:
        opened.append(Opened(data))
        return opened[-1]

    def act(thing: Opened, args: argparse.Namespace) -> int:
        raise error

    args = argparse.Namespace(data_dir=str(tmp_path))
    got = with_opened(opener, args, "briefing x y", act, bad_input=(BadName,), unusable=(OSError,))
    assert got == code
    assert capsys.readouterr().err == f"briefing x y: {error}\n"
    assert [o.closed for o in opened] == [True] and opened[0].data == tmp_path


def test_an_unexpected_error_is_not_swallowed_and_still_closes(tmp_path: Path) -> None:
    opened: list[Opened] = []

    def opener(data: Path) -> Opened:
        opened.append(Opened(data))
        return opened[-1]

    def act(thing: Opened, args: argparse.Namespace) -> int:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        with_opened(opener, argparse.Namespace(data_dir=str(tmp_path)), "briefing x", act)
    assert opened[0].closed


def test_a_store_that_cannot_be_opened_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def opener(data: Path) -> Opened:
        raise StoreError(f"{data}/briefing.sqlite3 was made by a newer version")

    def act(thing: Opened, args: argparse.Namespace) -> int:
        raise AssertionError("not run")

    assert with_opened(opener, argparse.Namespace(data_dir=str(tmp_path)), "briefing s", act) == 1
    assert "briefing s: " in capsys.readouterr().err


def test_with_index_runs_on_the_data_directorys_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def act(index: ArticleIndex, args: argparse.Namespace) -> int:
        assert Path(index.data_dir) == tmp_path
        raise BadName("no such thing")

    args = argparse.Namespace(data_dir=str(tmp_path))
    assert with_index(args, "briefing z", act, bad_input=(BadName,)) == 2
    assert capsys.readouterr().err == "briefing z: no such thing\n"
