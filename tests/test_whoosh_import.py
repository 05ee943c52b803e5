"""Whoosh imported for a command without its web client and event loop (search/whoosh_import.py):
each check runs in a fresh interpreter, as the CLI does, since this one has imported them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(script: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_a_search_from_the_shell_imports_no_web_client_or_event_loop(seed_index: Path) -> None:
    script = (
        "import sys, main\n"
        "code = main.main(['--data-dir', sys.argv[1], 'search', 'minister'])\n"
        "heavy = ('http.client', 'email.parser', 'ssl', 'asyncio.base_events')\n"
        "print(code, *(name for name in heavy if name in sys.modules))\n"
    )
    *hits, last = run_python(script, str(seed_index))
    assert "match; showing" in hits[0]
    assert last == "0"


def test_after_whoosh_is_imported_both_modules_are_the_real_ones(tmp_path: Path) -> None:
    source = tmp_path / "page.txt"
    source.write_text("the real urlretrieve copied this")
    script = (
        "import sys\n"
        "from search.whoosh_import import import_whoosh\n"
        "import_whoosh()\n"
        "print('urllib.request' in sys.modules, 'asyncio' in sys.modules)\n"
        "import asyncio, urllib.request, unittest.mock\n"
        "import cached_property, whoosh.compat\n"
        "print(type(asyncio).__name__, type(urllib.request).__name__)\n"
        "def plain(): pass\n"
        "async def coroutine(): pass\n"
        "for f in (plain, coroutine, unittest.mock.AsyncMock()):\n"
        "    print(cached_property.asyncio.iscoroutinefunction(f), asyncio.iscoroutinefunction(f))\n"
        "print(cached_property.asyncio.ensure_future is asyncio.ensure_future)\n"
        "copy, _ = whoosh.compat.urlretrieve(sys.argv[1], sys.argv[2])\n"
        "print(open(copy).read())\n"
    )
    lines = run_python(script, source.as_uri(), str(tmp_path / "copy.txt"))
    assert lines == [
        "False False",  # the stand-ins are gone once whoosh is imported
        "module module",
        "False False",
        "True True",
        "True True",
        "True",
        "the real urlretrieve copied this",
    ]
