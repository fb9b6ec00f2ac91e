"""Keys that follow another key of the row while streaming: a payment's customer is its rental's.

The planner ties such keys (:mod:`syda.plan_paths`); in ``copy`` mode the key to A is read
from the B row the other key chose. Streaming, the B rows a chunk points at are already read
from B's store (their key to A is an integer, which the store keeps), and A's key is its
position + 1, so the copy is a subtraction: no chunk needs another. A B row whose key to A is
NULL gives its child a freely drawn A (as in memory for a NOT NULL key). ``match`` mode (B
picked among A's children) needs A's children grouped, and is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from syda.plan import ForeignKeyPlan, Plan, TablePlan

__all__ = ["copied_positions", "path_problems", "path_reads"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]


def path_problems(plan: Plan, tp: TablePlan, fkp: ForeignKeyPlan) -> list[str]:
    """Why a key following another cannot stream (empty: it can)."""
    path = fkp.path
    assert path is not None
    cols = ", ".join(fkp.fk.columns)
    if not path.copy:
        return [f"foreign key ({cols}) picks {path.via_table} rows agreeing with it (a match)"]
    owner = plan.tables.get(fkp.fk.ref_table)
    (ref,) = fkp.fk.ref_columns if len(fkp.fk.ref_columns) == 1 else (None,)
    if owner is None or ref is None or owner.sources[ref].kind != "sequence":
        return [f"foreign key ({cols}) copied from {path.via_table} into a non-integer key"]
    return []


def path_reads(plan: Plan) -> dict[str, set[str]]:
    """The B columns children copy a key from, by B table (kept in B's store)."""
    out: dict[str, set[str]] = {}
    for tp in plan.tables.values():
        for f in tp.foreign_keys:
            if f.path is not None and f.path.copy:
                out.setdefault(f.path.via_table, set()).update(f.path.via_columns)
    return out


def copied_positions(
    fkp: ForeignKeyPlan, via_rows: pd.DataFrame, free: Callable[[], IntArray]
) -> IntArray:
    """A's positions copied from the B rows the other key chose (``via_rows``, one per row)."""
    path = fkp.path
    assert path is not None
    (via,) = path.via_columns
    values = pd.to_numeric(via_rows[via], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(values)
    positions = np.where(missing, 0, values).astype(np.int64) - 1
    if missing.any():
        positions = np.where(missing, free(), positions)
    out: IntArray = positions.astype(np.int64)
    return out
