"""Progress of long work: one task per phase and table, told to whoever listens.

The library never prints. Code that works through rows opens a task with :func:`track` (the
phase, such as ``"generating"``, ``"validating"`` or ``"writing"``, the table and the rows it
expects) and advances it as rows are done; the task goes to the reporter the application
installed with :func:`use`, or nowhere (the default costs one attribute read per call).

Two reporters come with syda, and :func:`reporter_for` picks one for a stream:

* :class:`LogReporter`, for logs, pipes and CI: one line per finished task through the ``syda``
  logger (``Order: validated 290,000 rows in 0.12s (2,416,667 rows/s)``), and a line with the
  rows done, rows/s and the time left every ``interval`` seconds while a task runs;
* :class:`RichReporter`, for a terminal (needs ``rich``: ``pip install "syda[progress]"``): a
  live bar per table, taken over by each phase in turn, with its rows, rows/s, elapsed time
  and ETA.

The reporter is process-wide rather than per context, because tables are filled on worker
threads, which do not inherit a context.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TextIO

__all__ = [
    "LogReporter",
    "Reporter",
    "RichReporter",
    "Task",
    "current",
    "reporter_for",
    "track",
    "use",
]

logger = logging.getLogger("syda")

_DONE = {"generating": "generated", "validating": "validated", "writing": "wrote"}


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


class RichReporter:
    """A live bar per table on a terminal: its phase, rows done, rows/s, elapsed time and ETA.

    Use as a context manager (the bars are drawn while it is open) or call :meth:`start` and
    :meth:`stop`. :meth:`print` writes a line above the bars (log messages).

    Raises:
        ImportError: If ``rich`` is not installed.
    """

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(file=stream, stderr=True)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
            refresh_per_second=8,
        )
        self._ids: dict[str, tuple[str, Any, float]] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> RichReporter:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start drawing."""
        self._progress.start()

    def stop(self) -> None:
        """Draw the last state and stop."""
        self._progress.stop()

    def print(self, message: str) -> None:
        """Write a line above the bars."""
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def _id(self, phase: str, table: str, total: int | None) -> tuple[Any, float]:
        # One bar per table, taken over by each phase in turn (restarted at zero), so a schema
        # of fifty tables is fifty lines, not one per table and phase.
        with self._lock:
            description = f"{table:<20} {phase:<10}"
            found = self._ids.get(table)
            if found is None:
                task_id = self._progress.add_task(description, total=total, rate="")
            elif found[0] != phase:
                task_id = found[1]
                self._progress.reset(task_id, total=total, description=description, rate="")
            else:
                return found[1], found[2]
            self._ids[table] = (phase, task_id, time.monotonic())
            return task_id, self._ids[table][2]

    def started(self, task: Task) -> None:
        """Give the table's bar to the task's phase, at zero."""
        self._id(task.phase, task.table, task.total)
        self._progress.refresh()  # each phase is drawn at least once, however short

    def advanced(self, task: Task) -> None:
        """Move the table's bar."""
        self.show(task.phase, task.table, task.done, task.total)

    def finished(self, task: Task) -> None:
        """Fill the table's bar (a failed task leaves it where it stopped)."""
        if not task.failed:
            total = task.total if task.total is not None else task.done
            self.show(task.phase, task.table, max(task.done, total), total)

    def show(self, phase: str, table: str, done: int, total: int | None) -> None:
        """Set the bar of ``table`` to ``done`` of ``total`` rows in ``phase``."""
        task_id, since = self._id(phase, table, total)
        seconds = time.monotonic() - since
        rate = f"{done / seconds:,.0f} rows/s" if seconds > 0 and done else ""
        self._progress.update(task_id, completed=done, total=total, rate=rate)


def reporter_for(stream: TextIO, *, interval: float = 10.0) -> LogReporter | RichReporter:
    """Bars (:class:`RichReporter`) on a terminal with rich installed, else log lines."""
    if stream.isatty():
        try:
            return RichReporter(stream)
        except ImportError:
            pass
    return LogReporter(interval)
