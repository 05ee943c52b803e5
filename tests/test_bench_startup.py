"""benchmarks/bench_startup.py's instruction count: what it runs, what it reads, and no valgrind."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from benchmarks import bench_startup

# Stands in for valgrind: records what it was asked to run (and with which environment), runs
# nothing, and reports a count the way callgrind does, on stderr.
FAKE_VALGRIND = """#!{python}
import json, os, sys
with open({record!r}, "w") as out:
    json.dump({{"argv": sys.argv[1:], "exit_at_ready": os.environ.get("BRIEFING_PROBE_EXIT_AT_READY")}}, out)
print("==42== Collected : 123456789", file=sys.stderr)
"""


def test_the_count_is_callgrinds_of_a_probe_that_stops_at_the_first_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    record = tmp_path / "asked.json"
    valgrind = tools / "valgrind"
    valgrind.write_text(FAKE_VALGRIND.format(python=sys.executable, record=str(record)))
    valgrind.chmod(valgrind.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")

    count = bench_startup.instructions("app", tmp_path / "data", tmp_path)

    assert count == 123456789
    asked = json.loads(record.read_text())
    assert asked["argv"][0] == "--tool=callgrind"
    assert asked["argv"][-3:] == ["app", str(tmp_path / "counted.json"), str(tmp_path / "data")]
    assert "benchmarks.startup_probe" in asked["argv"]
    assert asked["exit_at_ready"] == "1"


def test_without_valgrind_there_is_no_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    assert bench_startup.instructions("bare", None, tmp_path) is None
