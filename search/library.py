"""The user's library: the folders and files they added (saved in library.json), and finding the article files in them."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from search.models import Skipped
from search.read import SUPPORTED_SUFFIXES

LIBRARY_FILE = "library.json"
# Notes about a folder, not articles in it; skipped quietly when scanning folders.
IGNORED_NAMES = frozenset({"readme.md", "readme.txt", "license.txt", "licence.txt", "changelog.md"})


def load_library(data_dir: Path | str) -> list[str]:
    """The saved library paths, in the order they were added; [] when none are saved (or the file is unreadable)."""
    try:
        saved = json.loads((Path(data_dir) / LIBRARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    paths = saved.get("paths", []) if isinstance(saved, dict) else []
    return [p for p in paths if isinstance(p, str)]


def add_to_library(data_dir: Path | str, paths: Iterable[Path | str]) -> list[str]:
    """Add paths (made absolute) to the saved library and return the whole library."""
    library = load_library(data_dir)
    for path in paths:
        absolute = str(Path(path).expanduser().resolve())
        if absolute not in library:
            library.append(absolute)
    target = Path(data_dir) / LIBRARY_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write beside and rename, so a crash never leaves a half-written library file.
    partial = target.with_suffix(".json.tmp")
    partial.write_text(json.dumps({"paths": library}, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, target)
    return library


def scan_library(paths: Sequence[Path | str]) -> tuple[list[Path], list[Skipped]]:
    """Every article file under the given files and folders (resolved, each once, sorted), and what was skipped.

    Folder symlinks are followed, but each real folder is visited once, so symlink loops cannot hang the scan.
    Hidden files and folders are left out. A named file with an unsupported type is reported as skipped.
    """
    found: dict[str, Path] = {}
    skipped: list[Skipped] = []
    visited_dirs: set[tuple[int, int]] = set()
    for given in paths:
        root = Path(given).expanduser()
        try:
            resolved = root.resolve(strict=True)
        except (OSError, RuntimeError):
            skipped.append(Skipped(str(root), "not found"))
            continue
        if resolved.is_dir():
            for file in _walk(resolved, visited_dirs, skipped):
                found.setdefault(str(file), file)
        elif resolved.suffix.lower() in SUPPORTED_SUFFIXES:
            found.setdefault(str(resolved), resolved)
        else:
            skipped.append(
                Skipped(str(root), f"unsupported file type {resolved.suffix or '(none)'}")
            )
    return [found[key] for key in sorted(found)], skipped


def _walk(top: Path, visited: set[tuple[int, int]], skipped: list[Skipped]) -> Iterable[Path]:
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
        except OSError as e:
            skipped.append(Skipped(str(folder), f"unreadable folder: {e.strerror or e}"))
            continue
        key = (info.st_dev, info.st_ino)
        if key in visited:
            continue
        visited.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as e:
            skipped.append(Skipped(str(folder), f"unreadable folder: {e.strerror or e}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows symlinks; loops are caught by `visited`
                is_file = not is_dir and entry.is_file()
            except OSError:  # e.g. a link to itself: stat fails with ELOOP
                is_dir = is_file = False
            if is_dir:
                stack.append(Path(entry.path))
            elif not is_file and entry.is_symlink() and _is_article_name(entry.name):
                skipped.append(Skipped(entry.path, _broken_link_reason(Path(entry.path))))
            elif is_file and _is_article_name(entry.name):
                try:
                    yield Path(entry.path).resolve(strict=True)
                except (OSError, RuntimeError):
                    skipped.append(Skipped(entry.path, "broken symbolic link"))


def _is_article_name(name: str) -> bool:
    return Path(name).suffix.lower() in SUPPORTED_SUFFIXES and name.lower() not in IGNORED_NAMES


def _broken_link_reason(link: Path) -> str:
    try:
        link.resolve(strict=True)
    except RuntimeError:
        return "symbolic link loop"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"broken symbolic link (points to {os.readlink(link)}, which does not exist)"
    return "symbolic link to something that is not a file"
