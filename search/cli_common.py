"""What every `briefing` command on the library shares: open it, run one action, close it, and
turn what went wrong into the rule's exit code — 2 for bad input (a name, an id, an argument the
command cannot take), 1 for an index or store that cannot be used — each message led by the
command's name and saying why. Light to import: the engine loads only when a command runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from search import config

if TYPE_CHECKING:
    from search.index import ArticleIndex


class _Closable(Protocol):
    def close(self) -> None: ...


Opened = TypeVar("Opened", bound=_Closable)
Errors = tuple[type[BaseException], ...]


def with_opened(
    opener: Callable[[Path], Opened],
    args: argparse.Namespace,
    command: str,
    act: Callable[[Opened, argparse.Namespace], int],
    *,
    bad_input: Errors = (),
    unusable: Errors = (),
) -> int:
    """Open the data directory with `opener` (ArticleIndex.open, Store.open, Library.open), run
    `act` on it and close it: an error of `bad_input` exits 2; IndexUnavailable, StoreError or
    an error of `unusable` (opening or running) exits 1; each prints `command: message`."""
    from search.index import IndexUnavailable
    from search.store import StoreError

    broken: Errors = (IndexUnavailable, StoreError, *unusable)
    try:
        opened = opener(config.data_dir(args.data_dir))
    except broken as e:
        print(f"{command}: {e}", file=sys.stderr)
        return 1
    try:
        return act(opened, args)
    except bad_input as e:
        print(f"{command}: {e}", file=sys.stderr)
        return 2
    except broken as e:
        print(f"{command}: {e}", file=sys.stderr)
        return 1
    finally:
        opened.close()


def with_index(
    args: argparse.Namespace,
    command: str,
    act: Callable[[ArticleIndex, argparse.Namespace], int],
    *,
    bad_input: Errors = (),
) -> int:
    """`with_opened` on the index: the commands that work on ArticleIndex."""
    from search.index import ArticleIndex

    return with_opened(ArticleIndex.open, args, command, act, bad_input=bad_input)
