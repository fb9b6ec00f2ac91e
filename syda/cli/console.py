"""What the command line shows: the ``syda`` logger on stderr, text tables, one-line errors.

The library only logs (through the ``syda`` logger) and never prints; the command line is the one
place that decides what reaches the terminal. By default it shows one progress line per finished
table and any warning; ``-v`` shows every INFO message, ``-vv`` DEBUG, ``-q`` warnings only.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

__all__ = ["PROGRESS_FORMAT", "cli_logging", "error", "render_table"]

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


class _ProgressHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """On a terminal, progress records with counts redraw one bar per table in place."""

    WIDTH = 24

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._open_bar = False

    def emit(self, record: logging.LogRecord) -> None:
        total = getattr(record, "syda_total", None)
        if not (isinstance(total, int) and total > 0 and self.stream.isatty()):
            if self._open_bar:
                self.stream.write("\n")
                self._open_bar = False
            super().emit(record)
            return
        done = min(int(getattr(record, "syda_done", 0)), total)
        filled = self.WIDTH * done // total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        table = str(getattr(record, "syda_table", ""))
        self.stream.write(f"\r{table:<20} [{bar}] {done:>8,}/{total:,} rows")
        self._open_bar = done < total
        if not self._open_bar:
            self.stream.write("\n")
        self.flush()


@contextmanager
def cli_logging(verbosity: int) -> Iterator[None]:
    """Route the ``syda`` logger to stderr for the duration of one command.

    On a terminal, progress is drawn as one bar per table (rows done of rows asked); elsewhere
    (pipes, CI logs) each progress record is a line of its own.

    Args:
        verbosity: ``-1`` quiet (warnings only), ``0`` progress and warnings, ``1`` every INFO
            message, ``2`` or more DEBUG.

    The logger's previous level, handlers and propagation are restored on exit, so calling
    :func:`syda.cli.main` repeatedly in one process (as the tests do) leaves no trace.
    """
    logger = logging.getLogger("syda")
    saved = (logger.level, logger.propagate)
    handler = _ProgressHandler(sys.stderr)
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
