"""The user's library: the folders and files they added (saved in library.json), finding the article files in them, and what each holds in the index."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from search.config import SEEDS_DIR
from search.models import Skipped
from search.readers import SUPPORTED_SUFFIXES
from search.settings_file import (
    SettingsFileError,
    json_object,
    load_settings,
    locked,
    save_settings,
)

if TYPE_CHECKING:
    from search.index import ArticleIndex

LIBRARY_FILE = "library.json"
# Notes about a folder, not articles in it; skipped quietly when scanning folders.
IGNORED_NAMES = frozenset({"readme.md", "readme.txt", "license.txt", "licence.txt", "changelog.md"})
# Files in a folder that are not the user's material, so not listed as skipped: notes about the
# folder in any format (README, LICENSE.rst) and what file managers leave behind.
QUIET_STEMS = frozenset({"readme", "license", "licence", "copying", "changelog", "authors"})
QUIET_NAMES = frozenset({"thumbs.db", "desktop.ini", "icon\r"})
# "Save page as… (complete)" keeps a page's images, styles and scripts in NAME_files beside
# NAME.html: they are part of the page that is read, not articles (nor skipped files) of their own.
SAVED_PAGE_ASSETS = "_files"
SAVED_PAGE_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class LibraryRoot:
    """A folder or file in the library, as `briefing library list` and the Library dialog show it."""

    path: str
    kind: str  # "folder", "file", or "missing" (not found now: its articles are kept)
    articles: int  # indexed articles under it
    seeds: bool = False  # the bundled sample articles


class LibraryFileError(SettingsFileError):
    """library.json could not be used; the message names the file, what is wrong and where it went."""


def load_library(data_dir: Path | str) -> list[str]:
    """The saved library paths, in the order they were added; [] when none are saved.

    A library file that is not what this program writes ("paths" a string, not JSON at all) is
    kept aside as library.json.bad-<time> and LibraryFileError says so: a guess (the seeds, each
    character of a string as a folder) would drop the user's articles from the index.
    """
    saved = load_settings(
        Path(data_dir) / LIBRARY_FILE,
        _library_paths,
        kind="a library file",
        again="add your folders again (briefing index FOLDER, or Ctrl+Shift+O in the window), "
        "or mend it and put it back.",
        error=LibraryFileError,
    )
    return saved if saved is not None else []


def _library_paths(raw: str) -> list[str]:
    paths = json_object(raw).get("paths")
    if isinstance(paths, list) and all(isinstance(p, str) for p in paths):
        return list(paths)
    raise ValueError('it should be {"paths": ["/a/folder", ...]}')


def library_saved(data_dir: Path | str) -> bool:
    """Whether a library was saved here, even an empty one (the user removed every root).

    Until then it is the first use, and the bundled seeds become the library's first root.
    """
    return (Path(data_dir) / LIBRARY_FILE).exists()


def start_library(data_dir: Path | str) -> list[str]:
    """First use: the bundled seed articles are the library's first root (removable like any other)."""
    return add_to_library(data_dir, [SEEDS_DIR])


def add_to_library(data_dir: Path | str, paths: Iterable[Path | str]) -> list[str]:
    """Add paths (made absolute) to the saved library and return the whole library."""
    added = [str(Path(path).expanduser().resolve()) for path in paths]
    return _update_library(
        data_dir,
        lambda library: library + [p for p in added if p not in library],
        start_afresh=True,
    )


def remove_from_library(
    data_dir: Path | str, paths: Iterable[Path | str]
) -> tuple[list[str], list[str]]:
    """Remove paths from the saved library (their articles leave the index at the next sync).

    Returns the whole library and the paths given that it did not hold. A path is matched as
    saved or made absolute, so a folder that no longer exists (an unplugged drive) can go too.
    """
    given = [str(path) for path in paths]
    forms = {form for path in given for form in (path, _absolute(path))}
    unknown: list[str] = []

    def remove(library: list[str]) -> list[str]:
        unknown.extend(p for p in given if p not in library and _absolute(p) not in library)
        return [p for p in library if p not in forms]

    return _update_library(data_dir, remove, start_afresh=False), unknown


def root_holding(library: Iterable[str], path: Path | str) -> str | None:
    """The library folder that holds `path` (a file in it, not the folder itself), or None."""
    target = Path(_absolute(str(path)))
    for root in library:
        if target != Path(root) and target.is_relative_to(root):
            return root
    return None


def library_roots(data_dir: Path | str, index: ArticleIndex | None) -> list[LibraryRoot]:
    """The saved library's roots with their article counts (0 each without an index)."""
    library = load_library(data_dir)
    return describe_roots(library, indexed_paths(index) if index is not None else [])


def indexed_paths(index: ArticleIndex) -> list[str]:
    """The file of every indexed article (a feed or mailbox appears once per article)."""
    paths: list[str] = []
    if not index.count():
        return paths  # an empty index has no id column to read
    for article_id in index.ids():
        stored = index.get_uncorrected(article_id)
        if stored is not None:
            paths.append(stored.article.path)
    return paths


def describe_roots(library: Sequence[str], article_paths: Iterable[str]) -> list[LibraryRoot]:
    """Each root with what it is now and how many of the indexed articles' files lie under it."""
    counts = dict.fromkeys(library, 0)
    for path in article_paths:
        for root in library:
            if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
                counts[root] += 1
    seeds = str(SEEDS_DIR.resolve())
    roots = []
    for root in library:
        kind = "folder" if os.path.isdir(root) else "file" if os.path.exists(root) else "missing"
        roots.append(LibraryRoot(root, kind, counts[root], seeds=root == seeds))
    return roots


def _absolute(path: str) -> str:
    return str(Path(path).expanduser().resolve())


def _update_library(
    data_dir: Path | str, change: Callable[[list[str]], list[str]], *, start_afresh: bool
) -> list[str]:
    """Apply `change` to the saved library and return the result. A bad library file is kept
    aside and, with `start_afresh`, the change starts a new one (else LibraryFileError).

    Read, change and write happen under a lock, and the file is replaced whole, so concurrent
    changes all land and a crash never leaves a half-written library file."""
    target = Path(data_dir) / LIBRARY_FILE
    with locked(target):
        try:
            library = load_library(data_dir)
        except LibraryFileError:
            if not start_afresh:
                raise
            library = []  # the bad file is kept aside; the paths added now start a new one
        library = change(library)
        save_settings(target, {"paths": library})
    return library


def scan_library(paths: Sequence[Path | str]) -> tuple[list[Path], list[Skipped]]:
    """Every article file under the given files and folders (resolved, each once, sorted), and what was skipped.

    Folder symlinks are followed, but each real folder is visited once, so symlink loops cannot hang the scan.
    Every file that is not read is reported once with its reason ("unsupported file type .pages"),
    except hidden files and folders, notes about a folder (README, LICENSE) and a saved web page's
    NAME_files folder of images and styles.
    """
    found: dict[str, Path] = {}
    skipped: list[Skipped] = []
    visited_dirs: set[tuple[int, int]] = set()
    for given in paths:
        if not _encodable(str(given)):
            skipped.append(Skipped(_escaped(str(given)), UNDECODABLE_NAME))
            continue
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
            skipped.append(Skipped(str(root), _unsupported(resolved.name)))
    return [found[key] for key in sorted(found)], unique_skipped(skipped)


def unique_skipped(skipped: Iterable[Skipped]) -> list[Skipped]:
    """One entry per file or part of a file (path, part), in the order first named, with the
    latest reason given for it: a feed's two bad entries are two entries, a file named twice one."""
    latest = {(entry.path, entry.part): entry for entry in skipped}
    return list(latest.values())


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
        names = {entry.name.lower() for entry in entries}
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if not _encodable(entry.path):
                if entry.is_dir() or _is_article_name(entry.name):
                    skipped.append(Skipped(_escaped(entry.path), UNDECODABLE_NAME))
                elif entry.is_file():
                    skipped.append(Skipped(_escaped(entry.path), _unsupported(entry.name)))
                continue
            try:
                is_dir = entry.is_dir()  # follows symlinks; loops are caught by `visited`
                is_file = not is_dir and entry.is_file()
            except OSError:  # e.g. a link to itself: stat fails with ELOOP
                is_dir = is_file = False
            if is_dir:
                if not _is_saved_page_assets(entry.name, names):
                    stack.append(Path(entry.path))
            elif not is_file and entry.is_symlink() and _is_article_name(entry.name):
                skipped.append(Skipped(entry.path, _broken_link_reason(Path(entry.path))))
            elif is_file and _is_article_name(entry.name):
                try:
                    yield Path(entry.path).resolve(strict=True)
                except (OSError, RuntimeError):
                    skipped.append(Skipped(entry.path, "broken symbolic link"))
            elif is_file and not _is_quiet(entry.name):
                skipped.append(Skipped(entry.path, _unsupported(entry.name)))


UNDECODABLE_NAME = "its name is not valid UTF-8 (rename it to index it)"


def _encodable(path: str) -> bool:
    """Whether a path is text (a name with undecodable bytes comes back with surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _escaped(path: str) -> str:
    """A path with undecodable bytes shown as \\xNN, safe to print and store."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_article_name(name: str) -> bool:
    return Path(name).suffix.lower() in SUPPORTED_SUFFIXES and name.lower() not in IGNORED_NAMES


def _unsupported(name: str) -> str:
    return f"unsupported file type {Path(name).suffix.lower() or '(none)'}"


def _is_quiet(name: str) -> bool:
    """A file in a folder that is neither read nor listed as skipped (see QUIET_STEMS)."""
    lowered = name.lower()
    return lowered in IGNORED_NAMES or lowered in QUIET_NAMES or Path(lowered).stem in QUIET_STEMS


def _is_saved_page_assets(name: str, names_beside: set[str]) -> bool:
    lowered = name.lower()
    if not lowered.endswith(SAVED_PAGE_ASSETS):
        return False
    page = lowered.removesuffix(SAVED_PAGE_ASSETS)
    return any(page + suffix in names_beside for suffix in SAVED_PAGE_SUFFIXES)


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
