"""The user's settings files (library.json, feeds.json): read and checked, a bad one kept aside
with a message (never silently replaced by a default that would drop articles), and changed
under a lock, replaced whole."""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class SettingsFileError(ValueError):
    """A settings file could not be used; the message names it, what is wrong and where it went."""


def load_settings(
    target: Path,
    parse: Callable[[str], T],
    *,
    kind: str,
    again: str,
    error: type[SettingsFileError],
) -> T | None:
    """`parse` of the file's text, or None when there is no file.

    A file `parse` refuses (ValueError) is kept aside as NAME.bad-<time> and `error` says so:
    "<target> is not <kind>: <problem>. It was kept as …; <again>".
    """
    try:
        raw = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as problem:
        raise error(f"{target} cannot be read ({problem})") from problem
    try:
        return parse(raw)
    except ValueError as problem:
        wrong = str(problem)
    aside = target.with_name(f"{target.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.replace(target, aside)
    except OSError as problem:
        raise error(f"{target} is not {kind}: {wrong}") from problem
    raise error(f"{target} is not {kind}: {wrong}. It was kept as {aside.name}; {again}")


def json_object(raw: str) -> dict[str, Any]:
    """The JSON object in a settings file's text; ValueError saying what is wrong."""
    try:
        saved = json.loads(raw)
    except ValueError as problem:
        raise ValueError(f"it is not JSON ({problem})") from None
    if not isinstance(saved, dict):
        raise ValueError("it is not a JSON object")
    return saved


@contextmanager
def locked(target: Path) -> Iterator[None]:
    """Hold the settings file's lock (NAME.lock beside it) for a read-change-write."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def save_settings(target: Path, saved: dict[str, Any]) -> None:
    """Replace the file whole (a per-process temporary, renamed): a crash never leaves half."""
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(saved, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, target)
