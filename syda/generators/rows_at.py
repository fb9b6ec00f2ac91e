"""Where the rows being drawn sit in their table, when they are one chunk of a stream.

A catalogue names each product once and a customers table each company once while the
vocabulary lasts: in memory, one permutation of the vocabulary over the whole table. The
streaming engine draws a table chunk by chunk, each with its own random stream, so each
chunk's own permutation would repeat the names of the chunk before. It tells the generators
where the chunk starts instead (:func:`rows_from`), and they walk ONE permutation of the
vocabulary, keyed by the run's seed and the table, from the chunk's first row: distinct
names across every chunk, with no chunk needing another's.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["RowsAt", "current", "distinct_draw", "rows_from"]


@dataclass(frozen=True)
class RowsAt:
    """The first row of the chunk in its table, the chunk's row count ``n``, the run's seed."""

    start: int
    n: int
    seed: int


_at: ContextVar[RowsAt | None] = ContextVar("syda_rows_at", default=None)


def current() -> RowsAt | None:
    """Where the chunk being drawn starts (None: a whole table in memory)."""
    return _at.get()


@contextmanager
def rows_from(at: RowsAt) -> Iterator[None]:
    """Draw the block's rows as rows ``at.start..`` of their table."""
    token = _at.set(at)
    try:
        yield
    finally:
        _at.reset(token)


def distinct_draw(rng: np.random.Generator, size: int, n: int, what: str) -> Any:
    """Indexes into a vocabulary of ``size``: each once while it lasts, then again in turn.

    In memory a fresh permutation per table; in a chunk of a stream, the rows' places in one
    permutation shared by every chunk of ``what`` (a table and vocabulary). A re-drawn subset
    of a chunk's rows (a repair) is not a chunk and takes a fresh permutation.
    """
    at = current()
    if at is None or n != at.n:
        return rng.permutation(size)[np.arange(n) % size]
    key = zlib.crc32(what.encode())
    order = np.random.default_rng([at.seed, key]).permutation(size)
    return order[(at.start + np.arange(n)) % size]
