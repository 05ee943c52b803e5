"""Data folders whose library is only what a test adds (started without the bundled seeds), and
the `briefing` command run in-process on one."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from search.library import LIBRARY_FILE


def without_seeds(data: Path) -> Path:
    """`data` with an empty library saved, as after removing the seeds (unless one is saved already).

    On first use the seeds are the library's first root, so `briefing index FOLDER` would index
    them beside FOLDER; a test counting FOLDER's articles or timing its sync starts here instead.
    """
    data.mkdir(parents=True, exist_ok=True)
    library = data / LIBRARY_FILE
    if not library.exists():
        library.write_text('{"paths": []}\n', encoding="utf-8")
    return data


def run(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`briefing --data-dir DATA ARGS…` in this process: its exit code, stdout and stderr."""
    capsys.readouterr()
    code = main.main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err
