"""Self-references while streaming: a row points only at an earlier row of its own table.

``Employee.ReportsTo -> Employee.EmployeeId``: the row at position ``i`` points at a position
below ``i`` (or is a root, NULL), drawn from the chunk's own stream. The earlier row's key is a
function of its position (:mod:`syda.stream.keys_text`), so no chunk needs another chunk's
rows, and the references form a forest whatever order the chunks are made in: the rows insert
in order, every row after the one it points at.

The shape is the in-memory engine's (:func:`syda.generators.keys.self_reference_positions`) on
global positions: uniform over the earlier rows (a random recursive tree, depth about
``ln n``), a handful of roots (``min(10%, 3 / rows)`` of the rows, the first row always one);
a NOT NULL key starts with the first row pointing at itself; a unique (one-to-one) key makes a
chain, each row after the one before.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.plan import ForeignKeyPlan, TablePlan
from syda.schema.ir import Table
from syda.stream.mix import stream_rng

if TYPE_CHECKING:
    from syda.stream.layout import StreamPlan

__all__ = ["fill_self_refs", "self_positions", "self_ref_problems", "without_self_refs"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]
_ROUNDS = 12  # draws of another earlier row for the rows repeating a sibling's tuple


def _nullable(tp: TablePlan, fkp: ForeignKeyPlan) -> bool:
    return all(tp.table.column(c).nullable for c in fkp.fk.columns)


def _one_to_one(tp: TablePlan, fkp: ForeignKeyPlan) -> bool:
    return set(fkp.fk.columns) in [set(us) for us in tp.table.unique_sets]


def self_ref_problems(tp: TablePlan, fkp: ForeignKeyPlan) -> list[str]:
    """Why the self-reference ``fkp`` of ``tp`` cannot stream (empty: it can).

    A self-reference inside a wider UNIQUE set (``(parent_id, list_id)``, ``(name,
    parent_id)``) streams when the set is otherwise told apart across chunks (the layout
    checks that); within a chunk :func:`fill_self_refs` re-points the rows that repeat a tuple.
    """
    cols = ", ".join(fkp.fk.columns)
    if len(fkp.fk.columns) != 1:
        return [f"self-reference ({cols}) over several columns (a tree within a group)"]
    return []


def self_positions(
    seed: int, tp: TablePlan, fkp: ForeignKeyPlan, start: int, n: int, rows: int, chunk: int
) -> IntArray:
    """The earlier row each of rows ``start..start + n`` points at (-1: NULL, a root)."""
    idx = start + np.arange(n, dtype=np.int64)
    nullable = _nullable(tp, fkp)
    if _one_to_one(tp, fkp):
        # Each row referenced at most once: a chain, or (NOT NULL) every row its own.
        pos = idx - 1 if nullable else idx.copy()
    else:
        rng = stream_rng(seed, tp.table.key, f"fk{fkp.index}", chunk)
        pos = np.floor(rng.random(n) * idx).astype(np.int64)
        if nullable:
            roots = rng.random(n) < min(0.1, 3.0 / max(rows, 1))
            pos[roots] = -1
    if n and start == 0:
        pos[0] = -1 if nullable else 0
    return pos


def fill_self_refs(
    splan: StreamPlan, tp: TablePlan, frame: pd.DataFrame, start: int, chunk: int
) -> None:
    """Set every self-reference column of ``frame``: chunk ``chunk``, from row ``start``."""
    from syda.stream.keys_text import parent_key_values

    layout = splan.layouts[tp.table.key]
    for fkp in tp.foreign_keys:
        if fkp.mode != "self":
            continue
        pos = self_positions(splan.seed, tp, fkp, start, len(frame), layout.rows, chunk)
        (column,) = fkp.fk.columns
        if any(column in us and len(us) > 1 for us in tp.table.unique_sets):
            rng = stream_rng(splan.seed, tp.table.key, f"fk{fkp.index}.distinct", chunk)
            pos = _distinct(rng, tp, frame, column, pos, start)
        frame[column] = parent_key_values(splan, fkp, pos)


def _repeating(
    tp: TablePlan, frame: pd.DataFrame, column: str, pos: IntArray
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows whose tuple of a UNIQUE set holding ``column`` repeats an earlier row's."""
    values = frame.assign(**{column: np.where(pos >= 0, pos, np.nan)})
    bad = np.zeros(len(frame), dtype=bool)
    for us in tp.table.unique_sets:
        if column not in us or len(us) < 2:
            continue
        keys = values[list(us)]
        complete = keys.notna().all(axis=1).to_numpy()  # a NULL exempts the row
        repeated = keys[complete].astype(object).duplicated(keep="first").to_numpy()
        bad[np.flatnonzero(complete)[repeated]] = True
    return bad


def _distinct(
    rng: np.random.Generator,
    tp: TablePlan,
    frame: pd.DataFrame,
    column: str,
    pos: IntArray,
    start: int,
) -> IntArray:
    """``pos`` re-pointed at other earlier rows where a row repeats a sibling's tuple.

    Only this chunk's rows can repeat each other: the rest of the set tells chunks apart.
    Rows still repeating after a few draws become roots (NULL) where the key may be NULL.

    Raises:
        GenerationError: If a NOT NULL self-reference cannot keep its UNIQUE sets.
    """
    pos = pos.copy()
    idx = start + np.arange(len(frame), dtype=np.int64)
    for _ in range(_ROUNDS):
        bad = _repeating(tp, frame, column, pos)
        if not bad.any():
            return pos
        pos[bad] = np.floor(rng.random(int(bad.sum())) * idx[bad]).astype(np.int64)
    bad = _repeating(tp, frame, column, pos)
    if bad.any() and tp.table.column(column).nullable:
        pos[bad] = -1
    elif bad.any():
        raise GenerationError(
            f"{int(bad.sum())} rows cannot point at an earlier row that keeps their UNIQUE "
            "sets: ask for more rows, or make the key nullable",
            table=tp.table.key,
            column=column,
            rule="unique",
        )
    return pos


def without_self_refs(table: Table) -> Table:
    """``table`` without its self-references, for checking one chunk.

    A chunk's rows point at rows of earlier chunks, which the chunk does not hold; the whole-table
    check of their range (:func:`syda.stream.run.check_keys`) and construction (always an earlier
    row) keep them valid.
    """
    kept = tuple(fk for fk in table.foreign_keys if fk.ref_table != table.key)
    if len(kept) == len(table.foreign_keys):
        return table
    return replace(table, foreign_keys=kept)
