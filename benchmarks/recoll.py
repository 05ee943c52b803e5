"""Recoll (Xapian), the desktop-search peer, as a baseline: its .txt library, private config, query language and query helper.

Recoll's Python module is built for the system interpreter, not the project's venv, so in-process
Recoll queries run in a long-lived `/usr/bin/python3` helper (this file run as a script: `serve`)
that times each query itself and answers over a pipe. That is why this module imports only the
standard library at the top: the helper must start without the venv's packages.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks.corpus import Record
    from benchmarks.queries import BenchQuery

RECOLLINDEX = "/usr/bin/recollindex"
RECOLLQ = "/usr/bin/recollq"
SYSTEM_PYTHON = "/usr/bin/python3"
DEBIAN_PACKAGES = ("recoll", "python3-recoll")
PAGE = 20
# Bump when the .txt files are written differently, so cached .txt libraries are rewritten.
TXT_VERSION = "1"

# What of the benchmark's query mix Recoll's language cannot ask of these .txt files: such queries
# are left out of both sides, so both engines answer the same questions.
UNTRANSLATABLE = {
    "title": "Recoll gives a .txt file no title field (only its file name); `title:` finds nothing",
    "date": "the .txt files carry no date (Recoll's date: would filter on file mtimes, ours on none)",
    "facet": "the .txt files carry no source; neither engine has a source to narrow by",
}


def missing() -> str | None:
    """Why Recoll cannot be measured here (`make bench` installs it), or None when it can."""
    for tool in (RECOLLINDEX, RECOLLQ, SYSTEM_PYTHON):
        if not Path(tool).exists():
            return f"{tool} not found (apt-get install {' '.join(DEBIAN_PACKAGES)})"
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "from recoll import recoll"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        return (
            "the recoll module does not import in /usr/bin/python3 (apt-get install python3-recoll)"
        )
    return None


def text_file(record: Record) -> str:
    """The article as Recoll and our plain-text reader both read it: title line, blank line, body."""
    return f"{record.title}\n\n{record.body}\n"


def txt_library(records: list[Record], recipe: str) -> Path:
    """The articles written once as .txt files under benchmarks/_work/libraries, keyed like the Markdown libraries."""
    from benchmarks.corpus import BBC_JSONL, GENERATOR_VERSION, WORK_DIR

    corpus = hashlib.sha256(BBC_JSONL.read_bytes()).hexdigest()
    key = hashlib.sha256(
        f"{GENERATOR_VERSION}|{TXT_VERSION}|{corpus}|{recipe}|{len(records)}".encode()
    ).hexdigest()[:16]
    root = WORK_DIR / "libraries" / f"txt{len(records)}-{key}"
    done = root.with_name(root.name + ".done")
    if not done.exists():
        shutil.rmtree(root, ignore_errors=True)
        for record in records:
            path = (root / record.relpath).with_suffix(".txt")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text_file(record), encoding="utf-8")
        done.touch()
    return root


def config_text(topdir: Path) -> str:
    """A recoll.conf that indexes only `topdir`, stems English like our analyzer, and logs only errors.

    No aspell dictionary: building it fails without language data and our engine builds none.
    """
    return (
        f"topdirs = {topdir}\n"
        "indexstemminglanguages = english\n"
        "noaspell = 1\n"
        "loglevel = 1\n"
        "idxloglevel = 1\n"
    )


def make_config(confdir: Path, topdir: Path) -> Path:
    """A fresh private config directory (nothing read from ~/.recoll): recoll.conf, no index yet."""
    shutil.rmtree(confdir, ignore_errors=True)
    confdir.mkdir(parents=True)
    (confdir / "recoll.conf").write_text(config_text(topdir), encoding="utf-8")
    return confdir


def index_command(confdir: Path) -> list[str]:
    """Index from scratch (`-z` resets the database)."""
    return [RECOLLINDEX, "-c", str(confdir), "-z"]


def query_command(confdir: Path, query: str) -> list[str]:
    """The shell search doing what `briefing search --limit 20` does: the first 20 hits, each with a snippet."""
    return [RECOLLQ, "-c", str(confdir), "-n", str(PAGE), "-A", "-g", "1", query]


def recoll_query(query: BenchQuery) -> str | None:
    """The query in Recoll's language, or None when it cannot be asked of the .txt files (UNTRANSLATABLE).

    Terms, ANDs, phrases and trailing-* prefixes read the same in both languages (Recoll also takes
    AND between terms, and stems English terms as our analyzer does).
    """
    if query.kind in UNTRANSLATABLE:
        return None
    return query.whoosh


class QueryHelper:
    """The long-lived `/usr/bin/python3` helper: `ask(query)` runs one Recoll query there and returns its own timing."""

    def __init__(self, confdir: Path) -> None:
        self.process = subprocess.Popen(
            # -I: without the script's folder on sys.path, so `recoll` is the system module, not this file.
            [SYSTEM_PYTHON, "-I", str(Path(__file__).resolve()), "serve", str(confdir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        ready = self._read()
        if "error" in ready:
            raise RuntimeError(f"recoll helper: {ready['error']}")

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("recoll helper exited")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, query: str) -> dict[str, Any]:
        """{"seconds", "total", "hits", "with_abstract"} for one query, timed inside the helper."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"query": query}) + "\n")
        return self._read()

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=10)


def serve(confdir: str) -> None:
    """The helper's loop (run by /usr/bin/python3): one JSON query a line in, one JSON answer a line out.

    Timed per query: db.query(), execute() with English stemming, fetching the first page of 20
    and making each hit's abstract (the snippet Recoll's own GUI shows) — what our search returns.
    """
    from recoll import recoll  # type: ignore[import-not-found]

    db = recoll.connect(confdir=confdir)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        text = json.loads(line)["query"]
        started = time.perf_counter()
        query = db.query()
        total = query.execute(text, stemming=1, stemlang="english")
        docs = query.fetchmany(PAGE)
        abstracts = [query.makedocabstract(doc) for doc in docs]
        seconds = time.perf_counter() - started
        answer = {
            "seconds": seconds,
            "total": total,
            "hits": len(docs),
            "with_abstract": sum(bool(a.strip()) for a in abstracts),
        }
        print(json.dumps(answer), flush=True)


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    serve(sys.argv[2])
