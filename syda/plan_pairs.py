"""Unique keys over foreign keys and a small vocabulary, made by construction.

A link table's key ``(user_id, role)`` with ``role IN ('a', 'b', 'c')`` holds at most three
rows a user. Drawn apart (a user, then a role), a busy user gets a fourth row that no re-ask of
its role can make unique. So the planner finds every UNIQUE set (or primary key) whose columns
each belong to a plain foreign key inside the set, have a finite vocabulary (a CHECK ... IN
list, an enum, a boolean), or belong to a key tied to another (:mod:`syda.plan_paths`), and the
fill draws distinct (parent, value) combinations of the first two at once
(:mod:`syda.fill_pairs`). A table asking for more rows than there are combinations is a
:class:`~syda.errors.PlanError` before anything is drawn.

Only sets whose columns are all NOT NULL are taken: a NULL exempts a row from the constraint,
so a nullable set has no such limit and stays with the provider and its repair loop.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from syda.errors import PlanError
from syda.schema.ir import Column, Table

if TYPE_CHECKING:
    from syda.plan import ForeignKeyPlan, TablePlan

__all__ = ["PairKey", "pair_keys", "vocabulary", "with_pair_keys"]

_DRAWN = ("provider", "profile")
"""Sources a vocabulary column may be taken from (a user's generator or key stays theirs)."""


@dataclass(frozen=True)
class PairKey:
    """A unique set made of whole foreign keys and vocabulary columns."""

    columns: tuple[str, ...]
    foreign_keys: tuple[int, ...]
    """Indexes (in the table's foreign keys) of the keys the pair chooses, in table order."""
    values: tuple[str, ...]
    """The vocabulary columns, in the set's order."""
    drawn: tuple[str, ...] = ()
    """The columns drawn distinct: the chosen keys' and the vocabulary's (the set's other
    columns belong to keys tied to these)."""

    def describe(self) -> str:
        """The source detail shown by ``syda inspect``."""
        return f"distinct ({', '.join(self.columns)}) combinations"


def vocabulary(column: Column) -> tuple[Any, ...] | None:
    """The values a column may take when they are few and known (None: not such a column)."""
    if column.choices:
        return tuple(dict.fromkeys(column.choices))
    if column.kind == "boolean":
        return (False, True)
    return None


def _not_null(table: Table, name: str) -> bool:
    return name in table.primary_key or not table.column(name).nullable


def _free(fkp: ForeignKeyPlan) -> bool:
    """A key the pair may choose: sampled freely (or by a cardinality), not tied elsewhere."""
    return fkp.mode == "many" and not fkp.deferred and fkp.path is None


def _shares(fkp: ForeignKeyPlan, tp: TablePlan) -> bool:
    """Whether another key of the table has a column of ``fkp`` (it would set it first)."""
    mine = set(fkp.fk.columns)
    return any(mine & set(f.fk.columns) for f in tp.foreign_keys if f.index != fkp.index)


def _pair_key(tp: TablePlan, columns: tuple[str, ...], drawn: tuple[str, ...]) -> PairKey | None:
    table = tp.table
    inside = set(columns)
    if len(columns) < 2 or not all(_not_null(table, c) for c in inside):
        return None
    members = [f for f in tp.foreign_keys if set(f.fk.columns) & inside]
    chosen = [f for f in members if _free(f) and set(f.fk.columns) <= inside and not _shares(f, tp)]
    # A key tied to another (a permission's entity copied from its user's) takes what follows:
    # the chosen columns alone keep the rows distinct, whatever the tied ones hold.
    tied = {c for f in members if f not in chosen and f.path is not None for c in f.fk.columns}
    covered = {c for f in chosen for c in f.fk.columns}
    values = tuple(c for c in columns if c not in covered | tied)
    if not values or len(chosen) + len(values) < 2:
        return None
    if any(tp.sources[c].kind not in drawn or vocabulary(table.column(c)) is None for c in values):
        return None
    drawn_columns = tuple(c for c in columns if c in covered or c in values)
    return PairKey(columns, tuple(f.index for f in chosen), values, drawn_columns)


def pair_keys(tp: TablePlan, drawn: tuple[str, ...] = ("combination",)) -> list[PairKey]:
    """The unique sets of ``tp`` made by construction, none sharing a column with another.

    ``drawn`` are the sources the vocabulary columns have: by default the plan's own choice
    (``combination``), so the fill finds the sets the planner chose.
    """
    found: list[PairKey] = []
    used: set[str] = set()
    for columns in tp.table.unique_sets:
        if set(columns) & used:
            continue
        key = _pair_key(tp, columns, drawn)
        if key is not None:
            found.append(key)
            used.update(columns)
    return found


def with_pair_keys(plans: Mapping[str, TablePlan]) -> dict[str, TablePlan]:
    """``plans`` with every pair key's vocabulary columns made by construction.

    Raises:
        PlanError: If a table asks for more rows than its pair key has combinations (counted
            with the rows planned for its parents; a parent whose rows a cardinality decides,
            or that gets none, is counted when the rows are drawn).
    """
    from syda.plan import Source  # the plan module imports this one

    out = dict(plans)
    for key, tp in plans.items():
        pairs = pair_keys(tp, _DRAWN)
        sources = dict(tp.sources)
        for pair in pairs:
            _check_room(tp, pair, plans)
            for col in pair.values:
                sources[col] = Source("combination", pair.describe())
        if pairs:
            out[key] = replace(tp, sources=sources)
    return out


def _check_room(tp: TablePlan, pair: PairKey, plans: Mapping[str, TablePlan]) -> None:
    parents = [tp.table.foreign_keys[i].ref_table for i in pair.foreign_keys]
    counts = [plans[p].rows if p in plans else None for p in parents]
    if tp.rows is None or any(not c for c in counts):
        return
    sizes = [
        *(c for c in counts if c),
        *(len(vocabulary(tp.table.column(c)) or ()) for c in pair.values),
    ]
    if tp.rows <= math.prod(sizes):
        return
    raise PlanError(too_few_combinations(tp.table, pair, sizes, tp.rows), table=tp.table.key)


def too_few_combinations(
    table: Table, pair: PairKey, sizes: list[int], rows: int, left: int | None = None
) -> str:
    """The message for ``rows`` rows that ``pair``'s combinations (``sizes``) cannot hold.

    ``left``: how many of them the existing rows leave unused (append mode).
    """
    parents = [table.foreign_keys[i].ref_table for i in pair.foreign_keys]
    named = [*(f"{p} rows" for p in parents), *(f"{c} values" for c in pair.values)]
    product = " x ".join(f"{s} {n}" for s, n in zip(sizes, named, strict=True))
    product = f"{product} = {math.prod(sizes)} combinations"
    need = f"{rows} rows need distinct ({', '.join(pair.columns)})"
    fix = f"ask for fewer {table.key} rows" + (
        f" or more {', '.join(dict.fromkeys(parents))} rows" if parents else ""
    )
    if left is None:
        return f"{need}, but only {product} exist: {fix}"
    return f"{need}, but the existing rows leave only {left} of the {product} unused: {fix}"
