"""Processes that die with their parent (Linux `prctl(PR_SET_PDEATHSIG)`), so a kill -9 leaves no orphans."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Set by a parent (the window) to its pid for a child (the CLI) that is to die with it.
DIE_WITH_ENV = "BRIEFING_DIE_WITH_PID"

_prctl: Callable[..., int] | None = None
# The pid the children forked now must not outlive; set only while `children_die_with_me` is open.
_forking_for: int | None = None
_hook_registered = False


def _load_prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up in the parent (not in a freshly forked child); None off Linux."""
    global _prctl
    if _prctl is None and sys.platform.startswith("linux"):
        import ctypes  # here: every command calls die_with_starter, few ask for prctl

        try:
            _prctl = ctypes.CDLL(None, use_errno=True).prctl
        except (OSError, AttributeError):
            return None
    return _prctl


def die_with_parent(parent: int, sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send this process `sig` when `parent`, its parent, dies; False where it cannot.

    The kernel's "parent" is the thread that forked this process: it must live as long as we are
    needed (the main thread here, or a thread that consumes its workers' stream to the end)."""
    prctl = _load_prctl()
    if prctl is None or prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0:
        return False
    if os.getppid() != parent:
        # The parent died before the prctl (we were re-parented already): no signal will come.
        os.kill(os.getpid(), sig)
    return True


def die_with_starter() -> None:
    """If the process that started this one put its pid in DIE_WITH_ENV, die (SIGKILL) when it dies.

    SIGKILL, not SIGTERM: nothing is left to follow a SIGTERM with a kill should the stop hang,
    and a sync killed at any point leaves the index as it was or fully synced (the crash tests).
    The variable is removed, so nothing this process starts inherits it."""
    value = os.environ.pop(DIE_WITH_ENV, "")
    if value.isdigit():
        die_with_parent(int(value))


@contextmanager
def children_die_with_me() -> Iterator[None]:
    """Children forked by `os.fork` inside the block (multiprocessing's "fork" start method, the
    default on Linux, which spaCy's workers use) get SIGKILL when this process dies. Does nothing
    off Linux, or for "spawn" and "forkserver" workers (a fresh interpreter runs no fork hook).

    The fork hook stays registered (Python cannot remove one) but acts only on a fork made while a
    block is open: QProcess and subprocess (without preexec_fn) run no Python fork hook, and a
    Python fork outside a block gets nothing. The child clears the mark, so its own children are
    not affected."""
    global _forking_for, _hook_registered
    if _load_prctl() is None:
        yield
        return
    if not _hook_registered:
        os.register_at_fork(after_in_child=_after_fork_in_child)
        _hook_registered = True
    previous, _forking_for = _forking_for, os.getpid()
    try:
        yield
    finally:
        _forking_for = previous


def _after_fork_in_child() -> None:
    global _forking_for
    parent, _forking_for = _forking_for, None
    if parent is not None:
        die_with_parent(parent)
