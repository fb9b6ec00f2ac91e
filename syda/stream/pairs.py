"""Composite keys of foreign keys while streaming: distinct parent tuples by construction.

An association table (``PlaylistTrack(PlaylistId, TrackId)``, ``film_actor``) must never repeat
a tuple of parents. Without a global set of the tuples drawn so far, two ways keep them apart:

* **Joint**: the tuples are numbered in mixed radix over the parents (``playlist * tracks +
  track``), and row ``r`` takes tuple ``permute(r)``, a keyed bijection of the row numbers onto
  every tuple (:func:`syda.stream.mix.permute`). Distinct rows, distinct tuples; any chunk
  alone. A table asking for more rows than tuples is refused.
* **Per parent**: when a cardinality on one of two keys cuts the table (``PlaylistId: 5-20``),
  that parent's rows hold lines ``1..c``; line ``k`` of parent ``p`` takes the partner
  ``permute((start(p) + k) mod m)``, a walk along one fixed permutation of the ``m`` partners
  from a start hashed from ``p``: distinct within the parent while ``c <= m`` (else refused),
  and each parent a different set.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from syda.errors import PlanError
from syda.plan import ForeignKeyPlan, TablePlan
from syda.stream.mix import permute

if TYPE_CHECKING:
    from syda.stream.layout import Layout, StreamPlan

__all__ = ["group_positions", "groups_of", "pair_problems"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]
_MAX_TUPLES = 1 << 60  # what the bijection's uint64 halves always cover


def groups_of(tp: TablePlan) -> list[tuple[ForeignKeyPlan, ...]]:
    """The table's combination groups, each the keys whose tuple must be distinct."""
    by_index = {f.index: f for f in tp.foreign_keys}
    out: list[tuple[ForeignKeyPlan, ...]] = []
    for f in tp.foreign_keys:
        if f.mode == "combination" and f.group and f.group[0] == f.index:
            out.append(tuple(by_index[i] for i in f.group if i in by_index))
    return out


def group_columns(tp: TablePlan) -> list[set[str]]:
    """The column set of every combination group (unique by construction)."""
    return [{c for f in group for c in f.fk.columns} for group in groups_of(tp)]


def pair_problems(
    tp: TablePlan, cutting: ForeignKeyPlan | None, layouts: Mapping[str, Layout], rows: int
) -> list[str]:
    """Why the table's combination groups cannot be made (empty: they can)."""
    out = []
    for group in groups_of(tp):
        cols = ", ".join(c for f in group for c in f.fk.columns)
        if any(len(f.fk.columns) != 1 for f in group):
            out.append(f"unique ({cols}) over a composite foreign key")
            continue
        sizes = [layouts[f.fk.ref_table].rows for f in group]
        if cutting is not None and cutting in group:
            if len(group) != 2:
                out.append(f"unique ({cols}): a cardinality on one of more than two keys")
                continue
            (other,) = [f for f in group if f is not cutting]
            card = cutting.cardinality
            high = card.high if card is not None and card.mean is None and card.fn is None else 0
            partners = layouts[other.fk.ref_table].rows
            if high > partners:
                out.append(
                    f"unique ({cols}): up to {high} rows a parent need distinct "
                    f"{other.fk.ref_table} rows, of which there are {partners}"
                )
            continue
        tuples = math.prod(sizes)
        if tuples > _MAX_TUPLES:
            out.append(f"unique ({cols}) over more than 2**60 parent tuples")
        elif rows > tuples:
            out.append(
                f"unique ({cols}): {rows} rows need distinct parent tuples but "
                f"{' x '.join(map(str, sizes))} = {tuples} exist"
            )
    return out


def _start(parents: IntArray, m: int, seed: int, name: str) -> IntArray:
    # A per-parent start on the walk: the parent spread over [0, m) by a keyed hash.
    h = permute(parents % (1 << 40), 1 << 40, seed, name + ".start")
    out: IntArray = (h % m).astype(np.int64)
    return out


def group_positions(
    splan: StreamPlan,
    tp: TablePlan,
    start: int,
    n: int,
    fixed: Mapping[int, IntArray],
    lines: IntArray | None,
) -> dict[int, IntArray]:
    """Parent positions of every key in a combination group, for rows ``start..start + n``.

    Raises:
        PlanError: If a parent has more rows than there are distinct partners for it.
    """
    out: dict[int, IntArray] = {}
    rows = start + np.arange(n, dtype=np.int64)
    for group in groups_of(tp):
        sizes = [splan.layouts[f.fk.ref_table].rows for f in group]
        cut = [f for f in group if f.index in fixed]
        name = f"{tp.table.key}.pairs{group[0].index}"
        if cut:
            assert lines is not None and len(group) == 2  # the layout refuses anything else
            (other,) = [f for f in group if f not in cut]
            m = splan.layouts[other.fk.ref_table].rows
            if n and int(lines.max()) > m:
                raise PlanError(
                    f"a {cut[0].fk.ref_table} row has {int(lines.max())} rows but only {m} "
                    f"distinct {other.fk.ref_table} rows exist",
                    table=tp.table.key,
                )
            walk = (_start(fixed[cut[0].index], m, splan.seed, name) + lines - 1) % m
            out[other.index] = permute(walk, m, splan.seed, name)
            continue
        tuple_no = permute(rows, math.prod(sizes), splan.seed, name)
        # Mixed radix, last key fastest: the tuple's digit for each key is its parent.
        for f, size in zip(reversed(group), reversed(sizes), strict=True):
            out[f.index] = (tuple_no % size).astype(np.int64)
            tuple_no = tuple_no // size
    return out
