"""Foreign keys into a unique column that may hold NULLs, and self-references inside UNIQUEs.

A foreign key may target any unique column, not only the primary key: ``parent_code ->
parent.code``. When that column is nullable, a parent row whose key is NULL cannot be pointed
at (the child would copy the NULL), so :func:`usable_parents` says which parent rows can.

A self-reference can also be part of a UNIQUE set: ``UNIQUE (parent_id, list_id)`` in a tree of
roles, ``UNIQUE (parent_id, name)`` among sibling categories. The self-reference is drawn last
(its rows must exist first), so it cannot be one of the foreign keys whose *combination* is
drawn distinct; :func:`distinct_self_positions` instead re-points the rows that would repeat a
sibling's tuple at other earlier rows, and, where none is left and the key may be NULL, makes
them roots.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.generators.keys import take_parent_keys
from syda.schema.ir import ForeignKey, Table

__all__ = ["distinct_self_positions", "usable_parents"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]
_ROUNDS = 12
"""Times the repeating rows are re-pointed at random earlier rows before other means."""


def usable_parents(parent: pd.DataFrame, ref_columns: Sequence[str]) -> IntArray | None:
    """Positions of the parent rows whose referenced columns are all set; None: every row."""
    present = [c for c in ref_columns if c in parent.columns]
    if not len(parent) or not present:
        return None
    complete = parent[present].notna().all(axis=1).to_numpy()
    if complete.all():
        return None
    return np.flatnonzero(complete).astype(np.int64)


def distinct_self_positions(
    rng: np.random.Generator,
    table: Table,
    frame: pd.DataFrame,
    fk: ForeignKey,
    positions: IntArray,
    *,
    nullable: bool,
) -> IntArray:
    """``positions`` of a self-reference changed so the rows keep every UNIQUE set holding it.

    Rows pointing at a row whose referenced columns are NULL are re-pointed first. A row only
    ever points at an earlier row (or, the first row of a NOT NULL key, at itself), as
    :func:`~syda.generators.keys.self_reference_positions` draws them.

    Raises:
        GenerationError: If a NOT NULL self-reference cannot keep a UNIQUE set.
    """
    positions = positions.copy()
    sets = [s for s in table.unique_sets if set(s) & set(fk.columns) and set(s) != set(fk.columns)]
    usable = frame[list(fk.ref_columns)].notna().all(axis=1).to_numpy()
    for _ in range(_ROUNDS):
        bad = _pointing_at_null(positions, usable) | _repeating(frame, fk, positions, sets)
        if not bad.any():
            return positions
        rows = np.flatnonzero(bad)
        positions[rows] = _earlier(rng, rows, usable)
    bad = _pointing_at_null(positions, usable) | _repeating(frame, fk, positions, sets)
    if bad.any() and nullable:
        positions[bad] = -1
    elif bad.any():
        raise GenerationError(
            f"{int(bad.sum())} rows cannot point at a row of their own table that keeps "
            f"{', '.join('(' + ', '.join(s) + ')' for s in sets) or 'the key'} unique: "
            "ask for more rows, or make the key nullable",
            table=table.key,
            column=fk.columns[0],
            rule="unique",
        )
    return positions


def _earlier(rng: np.random.Generator, rows: IntArray, usable: np.ndarray[Any, Any]) -> IntArray:
    """A random earlier row with a key for each of ``rows`` (itself for the first row)."""
    choices = np.flatnonzero(usable)
    out = np.empty(len(rows), dtype=np.int64)
    for i, row in enumerate(rows):
        before = choices[choices < row]
        out[i] = before[rng.integers(len(before))] if len(before) else row
    return out


def _pointing_at_null(positions: IntArray, usable: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    pointing = positions >= 0
    bad = np.zeros(len(positions), dtype=bool)
    bad[pointing] = ~usable[positions[pointing]]
    return bad


def _repeating(
    frame: pd.DataFrame, fk: ForeignKey, positions: IntArray, sets: list[tuple[str, ...]]
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows whose tuple of a UNIQUE set repeats an earlier row's, once the key is set."""
    dup = np.zeros(len(frame), dtype=bool)
    if not sets:
        return dup
    values = frame.copy()
    for child, series in zip(
        fk.columns, take_parent_keys(frame, fk.ref_columns, positions).values(), strict=True
    ):
        values[child] = series.to_numpy()
    for columns in sets:
        if not set(columns) <= set(values.columns):
            continue
        keys = values[list(columns)]
        complete = keys.notna().all(axis=1).to_numpy()
        repeated = keys[complete].astype(object).duplicated(keep="first").to_numpy()
        dup[np.flatnonzero(complete)[repeated]] = True
    return dup
