"""The index's folder on disk: opening it, noticing damage, the sync lock, leftovers of failed
writers, and a rebuild made beside the index and swapped in whole."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

from whoosh import fields, index, writing
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

INDEX_NAME = "MAIN"
# Every file of the current commit with its size, written after the commit: a file cut short or
# missing (a crash, a disk full, a hand-made copy) is named on open instead of failing a query.
MANIFEST = "manifest.json"
WRITER_PID_FILE = "writer.pid"
# The groups of copies of one story (search.duplicates) found for the current commit.
COPIES_FILE = "copies.json"
# The parts left out of each indexed file (a feed's bad entries) with the file's stamp, as the
# sync that read it found them: a sync that does not read the file again lists them from here.
LEFT_OUT_FILE = "left_out.json"
# Beside the index: one sync at a time holds this lock (a rebuild too, whose old index may be too
# damaged to hold whoosh's own lock); it holds the pid of the sync for the "busy" message.
SYNC_LOCK = "index.lock"
# Seconds to wait for another writer to finish before saying the index is busy.
LOCK_WAIT = 2.0
REBUILD_HINT = "rebuild it with `briefing index --rebuild` (or File › Rebuild index in the window)"
TOC_RE = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")
SEGMENT_RE = re.compile(rf"^({INDEX_NAME}_[0-9a-z]+)\.")
# Ours, kept by the leftover cleaning: whoosh's lock, the pid note, the manifest.
KEPT_NAMES = frozenset(
    {f"{INDEX_NAME}_WRITELOCK", WRITER_PID_FILE, MANIFEST, COPIES_FILE, LEFT_OUT_FILE}
)


class IndexUnavailable(Exception):
    """The index cannot be used right now (locked by another writer, or damaged); str(e) says what to do."""


class IndexOutdated(IndexUnavailable):
    """The index was made by another version of Briefing Cards (other fields): a sync rebuilds it."""


def damaged(directory: Path, detail: str) -> str:
    return f"The index in {directory} is damaged ({detail}); {REBUILD_HINT}."


def describe(error: BaseException) -> str:
    """An exception from deep in whoosh as a short phrase (the file it names, when it names one)."""
    if isinstance(error, OSError) and error.filename:
        name = Path(str(error.filename)).name
        if error.errno == errno.ENOENT:
            return f"{name} is missing"
        return f"{name}: {error.strerror}"
    text = str(error) or "no detail"
    return f"{type(error).__name__}: {text[:160]}"


def beside(directory: Path, role: str) -> Path:
    """A sibling of the index folder: `index.rebuild` (being built) or `index.replaced` (being removed)."""
    return directory.with_name(f"{directory.name}.{role}")


# Opening


def open_index(directory: Path, schema: fields.Schema, *, create: bool = True) -> index.Index:
    """Open the index in `directory` (creating it when missing and `create`), checked for damage.

    Raises IndexUnavailable naming what is wrong: not a folder, a missing or cut-short file, a
    table of contents that cannot be read, a schema from another version.
    """
    if directory.exists() and not directory.is_dir():
        raise IndexUnavailable(damaged(directory, "it is a file, not a folder"))
    problem = None
    with warnings.catch_warnings():
        # Whoosh leaves a TOC file it fails to parse open: it is closed when its exception goes,
        # so that exception must be gone (not kept as the context of ours) before we raise.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            if not index.exists_in(str(directory), INDEX_NAME):
                return _create(directory, schema, create=create)
            ix = index.open_dir(str(directory), INDEX_NAME)
        except IndexUnavailable:
            raise
        except Exception as e:
            problem = describe(e)
    if problem is not None:
        raise IndexUnavailable(damaged(directory, problem))
    if _indexed_differently(ix.schema, schema):
        raise IndexOutdated(
            f"The index in {directory} was made by another version of Briefing Cards; {REBUILD_HINT}."
        )
    problem = _manifest_problem(ix, directory)
    if problem is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)  # what whoosh opened before failing
            try:
                ix.reader().close()  # opens every segment's terms and postings
            except Exception as e:
                problem = describe(e)
    if problem is not None:
        raise IndexUnavailable(damaged(directory, problem))
    return ix


def _indexed_differently(stored: fields.Schema, current: fields.Schema) -> bool:
    """Whether the index's own schema has other fields, or reads text another way (its analyzers,
    pickled in it, and what it records of each word): its words would no longer match a query's."""
    if set(stored.names()) != set(current.names()):
        return True
    return any(
        stored[name].format != current[name].format
        or getattr(stored[name], "analyzer", None) != getattr(current[name], "analyzer", None)
        for name in current.names()
    )


def _create(directory: Path, schema: fields.Schema, *, create: bool) -> index.Index:
    orphans = _segment_files(directory)
    if orphans:
        detail = f"its table of contents is missing beside {orphans[0]}"
        raise IndexUnavailable(damaged(directory, detail))
    if not create:
        raise IndexUnavailable(
            f"There is no index in {directory}, and nothing can be written there to make one."
        )
    directory.mkdir(parents=True, exist_ok=True)
    return index.create_in(str(directory), schema, INDEX_NAME)


def _segment_files(directory: Path) -> list[str]:
    try:
        return sorted(p.name for p in directory.iterdir() if SEGMENT_RE.match(p.name))
    except OSError:
        return []


def _manifest_problem(ix: index.Index, directory: Path) -> str | None:
    """What the manifest of this commit says is wrong with the files, or None.

    A manifest from another commit (a writer killed between its commit and the manifest, an index
    written before manifests) proves nothing, so it is not checked.
    """
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        generation, sizes = int(manifest["generation"]), dict(manifest["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if generation != ix.latest_generation():
        return None
    for name, size in sorted(sizes.items()):
        try:
            actual = (directory / name).stat().st_size
        except OSError:
            return f"{name} is missing"
        if actual != size:
            return f"{name} is {actual:,} bytes; it was {size:,} when written"
    return None


def write_manifest(ix: index.Index, directory: Path) -> None:
    """Note the current commit's files and sizes (after each commit, under the sync lock)."""
    generation = ix.latest_generation()
    current = {segment.segment_id() for segment in ix._segments()}
    names = [f"_{INDEX_NAME}_{generation}.toc"]
    names += [
        p.name
        for p in directory.iterdir()
        if (m := SEGMENT_RE.match(p.name)) and m.group(1) in current
    ]
    sizes = {name: (directory / name).stat().st_size for name in sorted(names)}
    temporary = directory / f"{MANIFEST}.{os.getpid()}"
    temporary.write_text(json.dumps({"generation": generation, "files": sizes}), encoding="utf-8")
    os.replace(temporary, directory / MANIFEST)


# Locks


@contextlib.contextmanager
def sync_lock(data_dir: Path) -> Iterator[None]:
    """Hold the library's sync lock (one sync or rebuild at a time), waiting up to LOCK_WAIT."""
    path = data_dir / SYNC_LOCK
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the whole block)
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexUnavailable(_busy(data_dir, _pid_in(path))) from None
                time.sleep(0.1)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # closing drops the lock


def _busy(place: Path, holder: int | None) -> str:
    who = f"process {holder}" if holder else "another process"
    return f"The index in {place} is being updated by {who}; try again when it has finished."


def _pid_in(path: Path) -> int | None:
    """The pid written in `path`, if that process is still alive."""
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def open_writer(ix: index.Index, directory: Path, *, large: bool) -> writing.IndexWriter:
    """Take the index's write lock and note our pid beside it for error messages."""
    try:
        # Separate segment files, not one compound file: whoosh copies a compound segment's parts
        # into memory when it opens it (20k articles: 0.27 s and 256 MB, against 6 ms and 30 MB).
        # Merges are written by this same writer, so they stay non-compound too.
        writer = ix.writer(
            procs=1,
            limitmb=256 if large else 64,
            timeout=LOCK_WAIT,
            delay=0.1,
            compound=False,
        )
    except index.LockError:
        raise IndexUnavailable(_busy(directory, writer_pid(directory))) from None
    (directory / WRITER_PID_FILE).write_text(str(os.getpid()))
    return writer


def writer_pid(directory: Path) -> int | None:
    """The pid recorded by the current writer, if that process is still alive."""
    return _pid_in(directory / WRITER_PID_FILE)


def clear_writer_pid(directory: Path) -> None:
    with contextlib.suppress(OSError):
        (directory / WRITER_PID_FILE).unlink()


# Cleaning and swapping (callers hold the sync lock)


def remove_leftovers(directory: Path) -> list[str]:
    """Remove what failed or killed writers left in the index folder; the names removed.

    Kept: the newest table of contents, the files of the segments it lists, our own notes. Whoosh
    cleans such files only when a commit succeeds, so after a full disk they stayed and filled it.
    """
    try:
        names = [p.name for p in directory.iterdir()]
    except OSError:
        return []
    generations = [int(m.group(1)) for name in names if (m := TOC_RE.match(name))]
    if not generations:
        return []
    latest = max(generations)
    current = _segments_listed(directory, latest)
    if current is None:
        return []  # an unreadable table of contents: what belongs to it cannot be known
    removed = []
    for name in names:
        toc, segment = TOC_RE.match(name), SEGMENT_RE.match(name)
        if name in KEPT_NAMES:
            continue
        if toc and int(toc.group(1)) == latest or segment and segment.group(1) in current:
            continue
        ours = (
            toc
            or segment
            or name.startswith(
                (f"_{INDEX_NAME}_", f"{MANIFEST}.", f"{COPIES_FILE}.", f"{LEFT_OUT_FILE}.")
            )
        )
        if not ours and not name.endswith(".tmp"):
            continue  # not whoosh's nor ours: left alone
        _remove(directory / name)
        removed.append(name)
    return removed


def _segments_listed(directory: Path, generation: int) -> set[str] | None:
    """The segment names in a table of contents, or None if it cannot be read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # whoosh leaves a bad TOC file open
        try:
            toc = TOC.read(FileStorage(str(directory), readonly=True), INDEX_NAME, generation)
            return {segment.segment_id() for segment in toc.segments}
        except Exception:
            return None


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def wipe(path: Path) -> None:
    """Remove one of our own folders (or a file where our folder should be)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def recover(directory: Path) -> None:
    """Finish or undo a rebuild's swap that was interrupted (a kill between its two renames),
    and drop a rebuild that never completed. Call with the sync lock held."""
    rebuilt, replaced = beside(directory, "rebuild"), beside(directory, "replaced")
    if not directory.exists():
        if (rebuilt / MANIFEST).exists():
            os.rename(rebuilt, directory)
        elif replaced.exists():
            os.rename(replaced, directory)
    for leftover in (rebuilt, replaced):
        if leftover.exists() or leftover.is_symlink():
            wipe(leftover)


def swap_in(rebuilt: Path, directory: Path) -> None:
    """Put the complete index `rebuilt` (its manifest written) where `directory` is.

    Two renames: a kill between them leaves no index but a complete rebuild, which `recover`
    moves into place on the next open. The old index goes last.
    """
    replaced = beside(directory, "replaced")
    if replaced.exists() or replaced.is_symlink():
        wipe(replaced)
    if directory.exists() or directory.is_symlink():
        os.rename(directory, replaced)
    os.rename(rebuilt, directory)
    if replaced.exists() or replaced.is_symlink():
        wipe(replaced)


def folder_size(path: Path) -> int:
    total = 0
    with contextlib.suppress(OSError):
        for entry in path.rglob("*"):
            with contextlib.suppress(OSError):
                if entry.is_file():
                    total += entry.stat().st_size
    return total


def needs_recovery(directory: Path) -> bool:
    """Whether a rebuild's swap was cut between its renames (no index, but a complete rebuild or
    the replaced one beside it)."""
    if directory.exists():
        return False
    rebuilt, replaced = beside(directory, "rebuild"), beside(directory, "replaced")
    return (rebuilt / MANIFEST).exists() or replaced.exists()
