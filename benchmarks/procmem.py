"""Peak memory of a command and every process it starts, sampled from /proc while it runs.

A process's own peak (VmHWM) misses its children, and spaCy's worker processes are children, so a
run's memory is the sum over the whole process tree, sampled every ~50 ms: the peak of the summed
VmRSS (what `top` adds up; pages a forked worker still shares with its parent count twice) and the
peak of the summed Pss (shared pages split between their sharers: what the run really takes).
Each process's VmHWM, read while it lives, is reported beside them, and the CPU seconds (user
and system) of every process, the last reading of each summed: the run's work, which a busy
machine stretches far less than its wall time.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_S = 0.05
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class TreeMemory:
    """Peaks over one run, in MB."""

    rss_sum_peak_mb: float = 0.0
    pss_sum_peak_mb: float = 0.0
    processes_peak: int = 0
    # VmHWM of each process seen, the command's own first, children in the order they appeared.
    hwm_mb: dict[int, float] = field(default_factory=dict)
    cpu_s: dict[int, float] = field(default_factory=dict)  # last reading of each process

    def as_dict(self) -> dict[str, object]:
        hwm = list(self.hwm_mb.values())
        return {
            "rss_sum_peak_mb": round(self.rss_sum_peak_mb),
            "pss_sum_peak_mb": round(self.pss_sum_peak_mb),
            "processes": self.processes_peak,
            "main_hwm_mb": round(hwm[0]) if hwm else None,
            "children_hwm_mb": [round(m) for m in hwm[1:]],
            "cpu_s": round(sum(self.cpu_s.values()), 2),
        }


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants (from each thread's children list)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop(0)
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(c) for c in children.read_text().split())
            except OSError:
                continue  # the thread or the process is gone
    return found


def _kb(text: str, key: str) -> int:
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def _sample(pids: list[int], memory: TreeMemory) -> None:
    rss = pss = alive = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue  # exited between the listing and the read
        alive += 1
        rss += _kb(status, "VmRSS")
        pss += _kb(rollup, "Pss")
        hwm = _kb(status, "VmHWM") / 1024
        memory.hwm_mb[pid] = max(memory.hwm_mb.get(pid, 0.0), hwm)
        # Fields 14 and 15 (utime, stime), counted after the command name's closing parenthesis.
        ticks = stat[stat.rindex(")") + 2 :].split()[11:13]
        memory.cpu_s[pid] = (int(ticks[0]) + int(ticks[1])) / CLOCK_TICKS
    memory.rss_sum_peak_mb = max(memory.rss_sum_peak_mb, rss / 1024)
    memory.pss_sum_peak_mb = max(memory.pss_sum_peak_mb, pss / 1024)
    memory.processes_peak = max(memory.processes_peak, alive)


class TreeSampler(threading.Thread):
    """Samples the tree under `root` into `memory` every SAMPLE_S until stopped (for a caller that
    waits on the process itself, e.g. with os.wait4 for its exact CPU and peak)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.memory = TreeMemory()
        self.samples = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            _sample(_tree(self.root), self.memory)
            self.samples += 1
            self._done.wait(SAMPLE_S)

    def stop(self) -> TreeMemory:
        self._done.set()
        self.join()
        return self.memory


def run_sampled(command: list[str], cwd: Path) -> tuple[int, str, str, TreeMemory]:
    """Run `command` to its end, sampling its process tree's memory; (returncode, stdout, stderr, peaks)."""
    memory = TreeMemory()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, text=True)
        while process.poll() is None:
            _sample(_tree(process.pid), memory)
            time.sleep(SAMPLE_S)
        out.seek(0)
        err.seek(0)
        return process.returncode, out.read(), err.read(), memory
