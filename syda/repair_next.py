"""Rows that repeat an existing key tuple take the next free number of its last integer column.

A history table keyed by two drawn integers, OpenStreetMap's ``relations (relation_id,
version)``, holds after a first run most of the small tuples its skewed draws give: appending,
a new row repeats an existing ``(relation_id, version)`` about every other time, and each re-ask
only halves those rows. Re-asking cannot finish there; construction can: such a row keeps its
other values (the relation) and takes the number after the largest one that the existing rows
and this run's rows hold with them (the relation's next version). That is what appending to a
history means, and no value another row holds is taken.

Only UNIQUE sets of several columns whose last integer column the provider draws and may move
(:func:`~syda.repair_swap.tradable_columns`) are changed, and only rows that repeat a tuple of
the rows in the target; repeats within the run stay with the re-asks, and a number past the
column's maximum is not taken (those rows are re-asked as before).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from syda.schema.ir import Table

__all__ = ["number_repeats_on"]


def number_repeats_on(
    table: Table,
    frame: pd.DataFrame,
    columns: Sequence[str],
    movable: frozenset[str],
    existing: pd.DataFrame | None,
) -> bool:
    """Give the rows of ``frame`` that repeat an existing ``columns`` tuple the next number.

    Args:
        table: The rows' table.
        frame: The rows; changed in place.
        columns: A UNIQUE set of the table.
        movable: Columns whose values may change.
        existing: Rows already in the target (append mode).

    Returns:
        Whether any row changed.
    """
    if existing is None or not len(existing) or len(columns) < 2:
        return False
    if not set(columns) <= set(frame) or not set(columns) <= set(existing):
        return False
    numbered = [c for c in columns if c in movable and table.column(c).kind == "integer"]
    if not numbered:
        return False
    target = numbered[-1]
    others = [c for c in columns if c != target]
    mine, held = _keys(frame, list(columns)), _keys(existing, list(columns))
    repeat = np.asarray(mine.isin(held)) & frame[list(columns)].notna().all(axis=1).to_numpy()
    if not repeat.any():
        return False
    tops = _tops(pd.concat([existing[list(columns)], frame[list(columns)]]), others, target)
    rows = frame.loc[repeat, others].astype(object)
    group = pd.MultiIndex.from_frame(rows) if len(others) > 1 else pd.Index(rows[others[0]])
    top = tops.reindex(group).to_numpy(dtype=float)
    # Rows of one group take consecutive numbers after the group's largest.
    step = rows.groupby(others, sort=False, dropna=False).cumcount().to_numpy() + 1
    numbers = top + step
    column = table.column(target)
    fits = ~np.isnan(numbers) & (numbers <= (np.inf if column.maximum is None else column.maximum))
    if not fits.any():
        return False
    positions = np.flatnonzero(repeat)[fits]
    values = frame[target].to_numpy(dtype=object).copy()
    values[positions] = numbers[fits].astype(np.int64)
    frame[target] = pd.Series(values, index=frame.index).astype(frame[target].dtype)
    return True


def _keys(frame: pd.DataFrame, columns: list[str]) -> pd.MultiIndex:
    values = frame[columns].astype(object)
    return pd.MultiIndex.from_frame(values.where(values.notna(), None))


def _tops(rows: pd.DataFrame, others: list[str], target: str) -> pd.Series[Any]:
    """The largest ``target`` number held with each combination of the ``others``."""
    numbers = pd.to_numeric(rows[target], errors="coerce")
    keyed = rows[others].astype(object).assign(_n=numbers)
    return keyed.groupby(others, sort=False, dropna=False)["_n"].max()
