"""What the command line shows: the ``syda`` logger on stderr, text tables, one-line errors.

The library only logs (through the ``syda`` logger) and reports progress (:mod:`syda.progress`);
the command line is the one place that decides what reaches the terminal. On a terminal with
``rich`` installed, every phase of every table (generating, validating, writing; streaming
for the streaming engine, which does all three a chunk at a time) is a live bar with rows/s and
ETA, and log messages are printed above the bars; elsewhere (pipes, CI logs) each finished
phase is one line, with a line every ten seconds while a long one runs. Warnings are always
shown; ``-v`` shows every INFO message, ``-vv`` DEBUG, ``-q`` warnings only (no progress).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any, TextIO

from syda import progress

__all__ = [
    "PROGRESS_FORMAT",
    "RichReporter",
    "cli_logging",
    "error",
    "render_table",
    "reporter_for",
]

PROGRESS_FORMAT = re.compile(r"%s: %d rows in %\.\d*fs?")
"""The format of the engine's per-table INFO message (shown as progress by default).

A record that carries ``extra={"syda_progress": True}`` is progress whatever its text.
"""


class _ProgressFilter(logging.Filter):
    """Pass warnings, and the INFO records that report a finished table."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        if getattr(record, "syda_progress", False):
            return True
        return isinstance(record.msg, str) and PROGRESS_FORMAT.fullmatch(record.msg) is not None


class _Formatter(logging.Formatter):
    """Progress and INFO lines as they are; warnings and worse as ``syda: warning: ...``."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING or record.levelno <= logging.DEBUG:
            return f"syda: {record.levelname.lower()}: {message}"
        return message


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

    def started(self, task: progress.Task) -> None:
        """Give the table's bar to the task's phase, at zero."""
        self._id(task.phase, task.table, task.total)
        self._progress.refresh()  # each phase is drawn at least once, however short

    def advanced(self, task: progress.Task) -> None:
        """Move the table's bar."""
        self.show(task.phase, task.table, task.done, task.total)

    def finished(self, task: progress.Task) -> None:
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


def reporter_for(stream: TextIO, *, interval: float = 10.0) -> progress.LogReporter | RichReporter:
    """Bars (:class:`RichReporter`) on a terminal with rich installed, else log lines."""
    if stream.isatty():
        try:
            return RichReporter(stream)
        except ImportError:
            pass
    return progress.LogReporter(interval)


class _RichHandler(logging.Handler):
    """Log records above the bars; the engine's progress records move the generating bars."""

    def __init__(self, reporter: RichReporter) -> None:
        super().__init__()
        self.reporter = reporter

    def emit(self, record: logging.LogRecord) -> None:
        total = getattr(record, "syda_total", None)
        table = getattr(record, "syda_table", None)
        if isinstance(total, int) and total > 0 and isinstance(table, str):
            done = min(int(getattr(record, "syda_done", 0)), total)
            self.reporter.show("generating", table, done, total)
            return
        try:
            self.reporter.print(self.format(record))
        except Exception:  # never let a log line break the command
            self.handleError(record)


@contextmanager
def cli_logging(verbosity: int, stream: TextIO | None = None) -> Iterator[None]:
    """Route the ``syda`` logger and progress to stderr for the duration of one command.

    Args:
        verbosity: ``-1`` quiet (warnings only, no progress), ``0`` progress and warnings,
            ``1`` every INFO message, ``2`` or more DEBUG.
        stream: Where to write (default: ``sys.stderr`` as it is when the command starts).

    The logger's previous level, handlers and propagation, and the previous progress reporter,
    are restored on exit, so calling :func:`syda.cli.main` repeatedly in one process (as the
    tests do) leaves no trace.
    """
    stream = stream if stream is not None else sys.stderr
    logger = logging.getLogger("syda")
    saved = (logger.level, logger.propagate)
    reporter = None if verbosity < 0 else reporter_for(stream)
    handler: logging.Handler
    if isinstance(reporter, RichReporter):
        handler = _RichHandler(reporter)
    else:
        handler = logging.StreamHandler(stream)
    handler.setFormatter(_Formatter())
    if verbosity < 0:
        level = logging.WARNING
    elif verbosity == 0:
        level = logging.INFO
        handler.addFilter(_ProgressFilter())
    else:
        level = logging.INFO if verbosity == 1 else logging.DEBUG
    logger.setLevel(level)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        with ExitStack() as stack:
            stack.enter_context(progress.use(reporter))
            if isinstance(reporter, RichReporter):
                stack.enter_context(reporter)
            yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def error(message: str) -> None:
    """Print one error line, ``syda: error: <message>``, on stderr (only its first line)."""
    first, _, rest = message.strip().partition("\n")
    if rest:
        # Multi-problem messages (a SchemaError listing every problem) stay readable.
        print(f"syda: error: {first}", file=sys.stderr)
        for line in rest.splitlines():
            print(f"  {line.strip()}", file=sys.stderr)
        return
    print(f"syda: error: {first}", file=sys.stderr)


def render_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], *, right: Sequence[int] = ()
) -> str:
    """Lay out rows as a plain text table with a header and a dashed rule.

    Args:
        header: The column titles.
        rows: The cells; each is shown with ``str``.
        right: Indexes of the columns to right-align (numbers).
    """
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])
