"""Sampling a foreign key that follows another key of the row (see :mod:`syda.plan_paths`).

``copy``: the key to A is read from the B row the other key chose, so a payment's customer is
its rental's customer. Rows without such a value (no B row; B's key to A NULL while the child's
is NOT NULL; a value missing from A's pool) are sampled freely, as any other key.

``match``: the key to B picks, for each row, a B row whose key to A equals the row's (a
customer's payments charge that customer's rentals). A row whose A has no B child gets NULL
where the key may be NULL; otherwise any B row, with a warning: the agreement is inferred from
the schema's shape, not a constraint the database holds, so it gives way rather than fail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from syda.generators import keys
from syda.schema.ir import Table

if TYPE_CHECKING:
    from syda.plan import ForeignKeyPlan

__all__ = ["follow_key", "key_order"]

logger = logging.getLogger("syda")

Sampled = tuple[Any, dict[str, Any]]
"""Parent positions (-1: NULL) and the child columns they set."""


def key_order(fkps: Sequence[ForeignKeyPlan]) -> list[ForeignKeyPlan]:
    """The keys in table order, except that a key following another comes after it."""
    done: set[int] = set()
    out: list[ForeignKeyPlan] = []
    waiting = list(fkps)
    present = {f.index for f in fkps}
    while waiting:
        for fkp in waiting:
            path = fkp.path
            if path is None or path.other in done or path.other not in present:
                out.append(fkp)
                done.add(fkp.index)
                waiting.remove(fkp)
                break
        else:  # the planner never ties keys in a cycle; keep going rather than loop forever
            out.extend(waiting)
            break
    return out


def _frame(columns: Sequence[Any]) -> pd.DataFrame:
    # Positional column names: matching compares columns in order, never by name.
    return pd.DataFrame({i: np.asarray(c, dtype=object) for i, c in enumerate(columns)})


def _null_rows(frame: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    return np.asarray(frame.isna().any(axis=1).to_numpy(), dtype=bool)


def _lookup(rng: np.random.Generator, parent: pd.DataFrame, child: pd.DataFrame) -> Any:
    """Positions of parent rows equal to each child row; -1 where none or the child has NULLs."""
    out = np.full(len(child), -1, dtype=np.int64)
    ok = ~_null_rows(child)
    if ok.any() and len(parent):
        out[ok] = keys.matching_positions(rng, parent, child[ok].reset_index(drop=True))
    return out


def _child_values(
    parent: pd.DataFrame, fkp: ForeignKeyPlan, positions: Any, shared: Sequence[str]
) -> dict[str, Any]:
    taken = keys.take_parent_keys(parent, fkp.fk.ref_columns, positions)
    return {
        col: taken[ref].array
        for col, ref in zip(fkp.fk.columns, fkp.fk.ref_columns, strict=True)
        if col not in shared
    }


def _nullable(table: Table, columns: Sequence[str], shared: Sequence[str]) -> bool:
    return all(table.column(c).nullable for c in columns if c not in shared)


def follow_key(
    fkp: ForeignKeyPlan,
    table: Table,
    frames: Mapping[str, pd.DataFrame],
    decided: Mapping[str, Any],
    chosen_at: Mapping[int, Any],
    rng: np.random.Generator,
    free: Callable[[], Sampled],
) -> Sampled:
    """Parent positions and child columns of ``fkp``, agreeing with the key it follows.

    Args:
        fkp: A key with a :class:`~syda.plan_paths.KeyPath`.
        table: The child table.
        frames: Parent pools by table key.
        decided: The row values set so far (the followed key's among them).
        chosen_at: Parent positions of the keys sampled so far, by key index.
        rng: The table's random generator.
        free: Samples the key as if it followed nothing (for rows with nothing to follow).

    In ``match`` mode a row whose A has no B child and whose key is NOT NULL takes any B row
    (logged as a warning).
    """
    assert fkp.path is not None
    shared = [c for c in fkp.fk.columns if c in decided]
    if fkp.path.copy:
        return _copy(fkp, table, frames, decided, chosen_at, rng, free, shared)
    return _match(fkp, table, frames, decided, rng, free, shared)


def _copy(
    fkp: ForeignKeyPlan,
    table: Table,
    frames: Mapping[str, pd.DataFrame],
    decided: Mapping[str, Any],
    chosen_at: Mapping[int, Any],
    rng: np.random.Generator,
    free: Callable[[], Sampled],
    shared: Sequence[str],
) -> Sampled:
    path = fkp.path
    assert path is not None
    via, owner = frames[path.via_table], frames[fkp.fk.ref_table]
    via_pos = np.asarray(chosen_at[path.other], dtype=np.int64)
    if not set(path.via_columns) <= set(via.columns):
        return free()  # the B pool lacks the column (rows read without it): nothing to copy
    taken = keys.take_parent_keys(via, path.via_columns, via_pos)
    copied = dict(zip(path.columns, path.via_columns, strict=True))
    # The row's key to A: columns another key already set stay as they are.
    row_key = _frame([decided[c] if c in shared else taken[copied[c]] for c in fkp.fk.columns])
    positions = _lookup(rng, _frame([owner[r] for r in fkp.fk.ref_columns]), row_key)
    via_null = (via_pos >= 0) & _null_rows(_frame([taken[v] for v in path.via_columns]))
    null_ok = via_null & _nullable(table, fkp.fk.columns, shared)
    need = (positions < 0) & ~null_ok
    if need.any():
        fallback, _ = free()
        positions = np.where(need, np.asarray(fallback, dtype=np.int64), positions)
    return positions, _child_values(owner, fkp, positions, shared)


def _warn_disagreeing(table: Table, fkp: ForeignKeyPlan, orphans: int, rows: int) -> None:
    path = fkp.path
    assert path is not None
    cols, key = ", ".join(path.columns), ", ".join(fkp.fk.columns)
    logger.warning(
        "%s: %d of %d rows have a %s that no %s row has, so their %s points at a %s row of "
        "another %s; add %s rows (e.g. a cardinality on %s.%s) for every row to agree",
        table.key,
        orphans,
        rows,
        cols,
        path.via_table,
        key,
        path.via_table,
        cols,
        path.via_table,
        path.via_table,
        ", ".join(path.via_columns),
    )


def _match(
    fkp: ForeignKeyPlan,
    table: Table,
    frames: Mapping[str, pd.DataFrame],
    decided: Mapping[str, Any],
    rng: np.random.Generator,
    free: Callable[[], Sampled],
    shared: Sequence[str],
) -> Sampled:
    path = fkp.path
    assert path is not None
    parent = frames[fkp.fk.ref_table]
    ref = dict(zip(fkp.fk.columns, fkp.fk.ref_columns, strict=True))
    parent_cols = [ref[c] for c in shared] + list(path.via_columns)
    child = _frame([decided[c] for c in shared] + [decided[c] for c in path.columns])
    positions = _lookup(rng, _frame([parent[c] for c in parent_cols]), child)
    unknown = _null_rows(child)  # the row has no A to follow: any B will do
    if unknown.any():
        fallback, _ = free()
        positions = np.where(unknown, np.asarray(fallback, dtype=np.int64), positions)
    orphans = (positions < 0) & ~unknown
    if orphans.any() and not _nullable(table, fkp.fk.columns, shared):
        # Agreement is a rule read from the schema's shape, not a constraint of the database:
        # where A has no B row to agree with, the key points at any B row instead.
        fallback, _ = free()
        positions = np.where(orphans, np.asarray(fallback, dtype=np.int64), positions)
        _warn_disagreeing(table, fkp, int(orphans.sum()), len(positions))
    return positions, _child_values(parent, fkp, positions, shared)
