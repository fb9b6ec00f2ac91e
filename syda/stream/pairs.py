"""Composite keys of foreign keys while streaming: distinct parent tuples by construction.

An association table (``PlaylistTrack(PlaylistId, TrackId)``, ``film_actor``) must never repeat
a tuple of parents. Without a global set of the tuples drawn so far, two ways keep them apart:

* **Joint**: the tuples are numbered in mixed radix over the parents (``playlist * tracks +
  track``), and row ``r`` takes tuple ``permute(r)``, a keyed bijection of the row numbers onto
  every tuple (:func:`syda.stream.mix.permute`). Distinct rows, distinct tuples; any chunk
  alone. A table asking for more rows than tuples is refused.
* **Vocabularies**: a set of keys and columns of a small vocabulary (``(entity_id, permission
  IN (...))``, :mod:`syda.plan_pairs`) numbers its tuples the same way, the vocabulary one
  more radix.
* **Per parent**: when a cardinality on one of two keys cuts the table (``PlaylistId: 5-20``),
  that parent's rows hold lines ``1..c``; line ``k`` of parent ``p`` takes the partner
  ``permute((start(p) + k) mod m)``, a walk along one fixed permutation of the ``m`` partners
  from a start hashed from ``p``: distinct within the parent while ``c <= m`` (else refused),
  and each parent a different set.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from syda.errors import PlanError
from syda.plan import ForeignKeyPlan, TablePlan
from syda.plan_pairs import pair_keys, vocabulary
from syda.stream.mix import permute

if TYPE_CHECKING:
    from syda.stream.layout import Layout, StreamPlan

__all__ = ["TupleGroup", "group_columns", "group_positions", "groups_of", "pair_problems"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]
_MAX_TUPLES = 1 << 60  # what the bijection's uint64 halves always cover


@dataclass(frozen=True)
class TupleGroup:
    """Columns whose tuple must be distinct: whole foreign keys, and vocabulary columns."""

    fks: tuple[ForeignKeyPlan, ...]
    values: tuple[tuple[str, tuple[Any, ...]], ...] = ()  # (column, its vocabulary)

    @property
    def columns(self) -> set[str]:
        """Every column of the group."""
        return {c for f in self.fks for c in f.fk.columns} | {c for c, _ in self.values}

    @property
    def name(self) -> str:
        """The group's columns, for messages and stream names."""
        return ", ".join([c for f in self.fks for c in f.fk.columns] + [c for c, _ in self.values])


def groups_of(tp: TablePlan) -> list[TupleGroup]:
    """The table's distinct-tuple groups: keys of a combination, and the planner's pair keys.

    A pair key (:mod:`syda.plan_pairs`) is a UNIQUE set of foreign keys and columns of a small
    vocabulary, ``(entity_id, permission IN (...))``: the vocabulary is one more radix.
    """
    by_index = {f.index: f for f in tp.foreign_keys}
    out: list[TupleGroup] = []
    for f in tp.foreign_keys:
        if f.mode == "combination" and f.group and f.group[0] == f.index:
            out.append(TupleGroup(tuple(by_index[i] for i in f.group if i in by_index)))
    for pair in pair_keys(tp):
        values = tuple((c, vocabulary(tp.table.column(c)) or ()) for c in pair.values)
        out.append(TupleGroup(tuple(by_index[i] for i in pair.foreign_keys), values))
    return out


def group_columns(tp: TablePlan) -> list[set[str]]:
    """The column set of every distinct-tuple group (unique by construction)."""
    return [group.columns for group in groups_of(tp)]


def _sizes(group: TupleGroup, layouts: Mapping[str, Layout]) -> list[int]:
    return [layouts[f.fk.ref_table].rows for f in group.fks] + [len(v) for _, v in group.values]


def pair_problems(
    tp: TablePlan, cutting: ForeignKeyPlan | None, layouts: Mapping[str, Layout], rows: int
) -> list[str]:
    """Why the table's distinct-tuple groups cannot be made (empty: they can)."""
    out = []
    for group in groups_of(tp):
        cols = group.name
        if any(len(f.fk.columns) != 1 for f in group.fks):
            out.append(f"unique ({cols}) over a composite foreign key")
            continue
        sizes = _sizes(group, layouts)
        if cutting is not None and cutting in group.fks:
            if len(sizes) != 2:
                out.append(f"unique ({cols}): a cardinality on one of more than two columns")
                continue
            card = cutting.cardinality
            high = card.high if card is not None and card.mean is None and card.fn is None else 0
            partners = sizes[1] if group.fks[0] == cutting else sizes[0]
            if high > partners:
                other = [f.fk.ref_table + " rows" for f in group.fks if f != cutting]
                what = (other or [f"{c} values" for c, _ in group.values])[0]
                out.append(
                    f"unique ({cols}): up to {high} rows a parent need distinct {what}, of "
                    f"which there are {partners}"
                )
            continue
        tuples = math.prod(sizes)
        if tuples > _MAX_TUPLES:
            out.append(f"unique ({cols}) over more than 2**60 tuples")
        elif rows > tuples:
            out.append(
                f"unique ({cols}): {rows} rows need distinct tuples but "
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
) -> tuple[dict[int, IntArray], dict[str, Any]]:
    """Parent positions (by key) and vocabulary values (by column) of every tuple group.

    For rows ``start..start + n``; ``fixed`` holds the positions of the key cutting the table.

    Raises:
        PlanError: If a parent has more rows than there are distinct partners for it.
    """
    positions: dict[int, IntArray] = {}
    values: dict[str, Any] = {}
    rows = start + np.arange(n, dtype=np.int64)
    for group in groups_of(tp):
        sizes = _sizes(group, splan.layouts)
        name = f"{tp.table.key}.pairs.{group.name}"
        cut = [f for f in group.fks if f.index in fixed]
        if cut:
            assert lines is not None and len(sizes) == 2  # the layout refuses anything else
            m = sizes[1] if group.fks[0] == cut[0] else sizes[0]
            if n and int(lines.max()) > m:
                raise PlanError(
                    f"a {cut[0].fk.ref_table} row has {int(lines.max())} rows but only {m} "
                    f"distinct ({group.name}) partners exist",
                    table=tp.table.key,
                )
            walk = (_start(fixed[cut[0].index], m, splan.seed, name) + lines - 1) % m
            digits = [fixed[cut[0].index], permute(walk, m, splan.seed, name)]
            if group.fks[0] != cut[0]:
                digits.reverse()
        else:
            tuple_no = permute(rows, math.prod(sizes), splan.seed, name)
            # Mixed radix, last column fastest: each digit is a parent position or a value.
            digits = []
            for size in reversed(sizes):
                digits.append((tuple_no % max(size, 1)).astype(np.int64))
                tuple_no = tuple_no // max(size, 1)
            digits.reverse()
        for f, digit in zip(group.fks, digits, strict=False):
            positions[f.index] = digit
        for (column, vocab), digit in zip(group.values, digits[len(group.fks) :], strict=True):
            values[column] = np.asarray(vocab, dtype=object)[digit]
    return positions, values
