"""Data folders whose library is only what a test adds: started without the bundled seeds."""

from __future__ import annotations

from pathlib import Path

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
