"""The one helper for background work: run a function on a pool thread, get its answer on the GUI thread.

Rule: a worker never touches a widget. It computes a value; the value travels back over a
queued signal and only the GUI thread's callback uses it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


@dataclass
class TaskDone:
    """A finished task's value, tagged with the generation it was started in."""

    generation: int
    value: Any


@dataclass
class TaskFailed:
    """A task that raised: the generation and a message for the user (the traceback goes to the log)."""

    generation: int
    message: str


class _TaskSignals(QObject):
    done = Signal(object)  # TaskDone
    failed = Signal(object)  # TaskFailed


class _Task(QRunnable):
    def __init__(
        self,
        generation: int,
        work: Callable[[], Any],
        signals: _TaskSignals,
        wanted: Callable[[int], bool],
    ) -> None:
        super().__init__()
        self._generation = generation
        self._work = work
        self._signals = signals
        self._wanted = wanted

    def run(self) -> None:
        if not self._wanted(self._generation):
            return  # superseded while queued: nobody would receive its answer
        try:
            value = self._work()
        except Exception as error:  # a worker must report every failure, never die silently
            log.exception("background task failed")
            self._signals.failed.emit(
                TaskFailed(self._generation, f"{type(error).__name__}: {error}")
            )
        else:
            self._signals.done.emit(TaskDone(self._generation, value))


class BackgroundRunner(QObject):
    """Runs work on its own thread pool; with `latest_only`, only the newest task's answer is delivered.

    Each `submit` starts a new generation; answers from older generations arrive and are dropped,
    so a slow stale query can never overwrite a newer one, and a task still queued when a newer
    one is submitted (or `cancel_pending` is called) does not run at all.
    """

    def __init__(
        self, *, threads: int = 1, latest_only: bool = True, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._latest_only = latest_only
        self._generation = 0
        self._callbacks: dict[int, tuple[Callable[[Any], None], Callable[[str], None] | None]] = {}
        # Created on the GUI thread, so their queued emissions run the slots on the GUI thread.
        self._signals = _TaskSignals(self)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)

    @property
    def generation(self) -> int:
        return self._generation

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None] | None = None,
    ) -> int:
        """Run `work()` on a pool thread; `on_done(value)` or `on_failed(message)` runs on the GUI thread."""
        self._generation += 1
        if self._latest_only:
            self._callbacks.clear()
        self._callbacks[self._generation] = (on_done, on_failed)
        self._pool.start(_Task(self._generation, work, self._signals, self._is_wanted))
        return self._generation

    def pending(self) -> bool:
        """True while a submitted task's answer has not been delivered yet."""
        return bool(self._callbacks)

    def _is_wanted(self, generation: int) -> bool:
        # Called on the worker: a dict lookup is atomic, and a stale answer is dropped anyway.
        return generation in self._callbacks

    def cancel_pending(self) -> None:
        """Forget every callback: answers still in flight are dropped."""
        self._callbacks.clear()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the pool is idle (used on shutdown so no worker outlives the index)."""
        return bool(self._pool.waitForDone(msecs))

    @Slot(object)
    def _on_done(self, done: TaskDone) -> None:
        callbacks = self._callbacks.pop(done.generation, None)
        if callbacks is not None:
            callbacks[0](done.value)

    @Slot(object)
    def _on_failed(self, failed: TaskFailed) -> None:
        callbacks = self._callbacks.pop(failed.generation, None)
        if callbacks is None:
            return
        if callbacks[1] is not None:
            callbacks[1](failed.message)
        else:
            log.error("background task failed: %s", failed.message)
