"""The contract between the engine and whatever fills a table's value columns.

The engine decides *which* columns a provider must fill (never keys, foreign keys or columns a
custom generator owns) and hands it a :class:`FillRequest`; the provider returns one array per
requested column. Validation, re-asking and uniqueness across the whole table stay in the engine,
so every provider (the offline one, LLM ones, a user's own) is held to the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from syda.schema.ir import Table

__all__ = ["ColumnValues", "FillRequest", "Provider"]

ColumnValues = Mapping[str, "np.ndarray[Any, Any] | pd.Series[Any] | Sequence[Any]"]


@dataclass(frozen=True)
class FillRequest:
    """What a provider is asked to produce for one table (or one batch of it).

    Attributes:
        table: The table being filled.
        columns: Names of the columns the provider must fill, in the table's column order.
        n: Number of rows to produce.
        rng: The random generator to draw from (seeded by the engine, so runs are repeatable).
        context: Columns of the same rows that are already filled (keys, foreign keys, custom
            columns), ``n`` rows, so values can agree with them (an email built from a name a
            custom generator produced).
        parents: For each foreign key (by its index in ``table.foreign_keys``), the parent rows the
            batch's rows point at, aligned with the batch (row *i* of the frame is the parent of
            row *i*; a row whose key is NULL has a row of NULLs). Lets an order item carry its
            product's price.
        prompt: The user's prompt for this table, if any.
        row_offset: Index of the first requested row within the whole table, so providers that
            number things (codes such as ``CUST-000123``) stay unique across batches.
    """

    table: Table
    columns: tuple[str, ...]
    n: int
    rng: np.random.Generator
    context: pd.DataFrame = field(default_factory=pd.DataFrame)
    parents: Mapping[int, pd.DataFrame] = field(default_factory=dict)
    prompt: str | None = None
    row_offset: int = 0


@runtime_checkable
class Provider(Protocol):
    """Anything that can fill value columns. ``name`` is shown in logs and reports."""

    name: str

    def fill(self, request: FillRequest) -> ColumnValues:
        """Return one sequence of ``request.n`` values for every column in ``request.columns``."""
        ...
