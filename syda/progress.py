"""Progress of long work: one task per phase and table, told to whoever listens.

The library never prints. Code that works through rows opens a task with :func:`track` (the
phase, such as ``"generating"``, ``"validating"`` or ``"writing"``, the table and the rows it
expects) and advances it as rows are done; the task goes to the reporter the application
installed with :func:`use`, or nowhere (the default costs one attribute read per call).

:class:`LogReporter` is the one for logs, pipes and CI: one line per finished task through the
``syda`` logger (``Order: validated 290,000 rows in 1.20s (241,667 rows/s)``), and a line with the
rows done, rows/s and the time left every ``interval`` seconds while a task runs. The command
line draws live bars on a terminal instead (:class:`syda.cli.console.RichReporter`), since it
is the one place that talks to a terminal.

The reporter is process-wide rather than per context, because tables are filled on worker
threads, which do not inherit a context.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

__all__ = [
    "LogReporter",
    "Reporter",
    "Task",
    "current",
    "track",
    "use",
]

logger = logging.getLogger("syda")

_DONE = {
    "generating": "generated",
    "validating": "validated",
    "writing": "wrote",
    "streaming": "streamed",
}


class Reporter(Protocol):
    """What receives the tasks: created, moved on, finished (each call from any thread)."""

    def started(self, task: Task) -> None:
        """A task began."""

    def advanced(self, task: Task) -> None:
        """A task did more rows (``task.done``)."""

    def finished(self, task: Task) -> None:
        """A task ended (normally; a failed task is finished too, with ``task.failed``)."""


class Task:
    """Rows of one table in one phase; :meth:`advance` as they are done."""

    def __init__(
        self, reporter: Reporter | None, phase: str, table: str, total: int | None, announce: bool
    ) -> None:
        self.phase = phase
        self.table = table
        self.total = total
        self.announce = announce
        """Whether the end is worth a line (False when the caller logs its own)."""
        self.done = 0
        self.failed = False
        self.started_at = time.monotonic()
        self.ended_at: float | None = None
        self._reporter = reporter

    def advance(self, rows: int) -> None:
        """Count ``rows`` more rows done."""
        self.update(self.done + rows)

    def update(self, done: int) -> None:
        """Set the rows done so far."""
        self.done = done
        if self._reporter is not None:
            self._reporter.advanced(self)

    @property
    def seconds(self) -> float:
        """Time since the task started (to its end, once ended)."""
        return (self.ended_at or time.monotonic()) - self.started_at

    @property
    def rate(self) -> float:
        """Rows per second so far."""
        seconds = self.seconds
        return self.done / seconds if seconds > 0 else 0.0


_lock = threading.Lock()
_reporter: Reporter | None = None


def current() -> Reporter | None:
    """The reporter installed by :func:`use`, if any."""
    return _reporter


@contextmanager
def use(reporter: Reporter | None) -> Iterator[Reporter | None]:
    """Send every task to ``reporter`` until the block ends (None: to nobody)."""
    global _reporter
    with _lock:
        saved, _reporter = _reporter, reporter
    try:
        yield reporter
    finally:
        with _lock:
            _reporter = saved


@contextmanager
def track(
    phase: str,
    table: str,
    total: int | None = None,
    *,
    announce: bool = True,
    report: bool = True,
) -> Iterator[Task]:
    """Open a task for ``table`` in ``phase``, expecting ``total`` rows (None: unknown).

    Args:
        phase: What is done: ``"generating"``, ``"validating"``, ``"writing"``...
        table: The table key.
        total: The rows expected, for the bar and the ETA.
        announce: Whether the reporter should tell the end of the task (False when the caller
            logs a line of its own for it).
        report: False keeps the task from the reporter altogether (work nobody asked to see,
            such as a trial run).
    """
    reporter = _reporter if report else None
    task = Task(reporter, phase, table, total, announce)
    if reporter is not None:
        reporter.started(task)
    try:
        yield task
    except BaseException:
        task.failed = True
        raise
    finally:
        task.ended_at = time.monotonic()
        if reporter is not None:
            reporter.finished(task)


def _rows(task: Task) -> str:
    return f"{task.done:,}/{task.total:,}" if task.total else f"{task.done:,}"


def _eta(task: Task, rate: float) -> str:
    if not task.total or rate <= 0:
        return ""
    return f", about {max(task.total - task.done, 0) / rate:.0f}s left"


class LogReporter:
    """Tasks as log lines of the ``syda`` logger (INFO, marked as progress for the CLI).

    Args:
        interval: Seconds between the lines of a running task (its first line comes after as
            long).
        min_seconds: The end of a task is told if it took at least this long (the quick ones
            would only crowd the log) and was not opened with ``announce=False``.
        clock: The time source (tests pass a fake one).
    """

    def __init__(
        self,
        interval: float = 10.0,
        min_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.min_seconds = min_seconds
        self._clock = clock
        self._next: dict[int, float] = {}
        self._began: dict[int, float] = {}
        self._lock = threading.Lock()

    def started(self, task: Task) -> None:
        """Note when the task began."""
        with self._lock:
            self._next[id(task)] = self._clock() + self.interval
            self._began[id(task)] = self._clock()

    def advanced(self, task: Task) -> None:
        """Log the rows done, rows/s and time left, once every ``interval`` seconds."""
        now = self._clock()
        with self._lock:
            due = self._next.get(id(task))
            if due is None or now < due:
                return
            self._next[id(task)] = now + self.interval
            seconds = now - self._began.get(id(task), now)
        rate = task.done / seconds if seconds > 0 else 0.0
        line = f"{task.table}: {task.phase} {_rows(task)} rows, {rate:,.0f} rows/s"
        self._log(task, line + _eta(task, rate))

    def finished(self, task: Task) -> None:
        """Log the rows and rows/s of a task that took ``min_seconds`` or more."""
        with self._lock:
            self._next.pop(id(task), None)
            seconds = self._clock() - self._began.pop(id(task), self._clock())
        if task.failed or not task.announce or seconds < self.min_seconds:
            return
        verb = _DONE.get(task.phase, f"{task.phase} done:")
        rate = task.done / seconds if seconds > 0 else 0.0
        self._log(
            task,
            f"{task.table}: {verb} {task.done:,} rows in {seconds:.2f}s ({rate:,.0f} rows/s)",
        )

    @staticmethod
    def _log(task: Task, message: str) -> None:
        extra = {"syda_progress": True, "syda_task": task}
        logger.info("%s", message, extra=extra)
