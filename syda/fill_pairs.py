"""Drawing the keys :mod:`syda.plan_pairs` makes by construction: distinct combinations.

A combination is one parent row of every foreign key of the set and one value of every
vocabulary column. The rows take distinct combinations, drawn uniformly, and in append mode none
that an existing row holds already. A foreign key whose parents a cardinality fixed keeps them:
each parent's rows then take distinct combinations of the rest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from syda.errors import PlanError
from syda.generators import keys
from syda.plan_pairs import PairKey, pair_keys, too_few_combinations, vocabulary
from syda.repair import key_index

if TYPE_CHECKING:
    from syda.plan import TablePlan

__all__ = ["pair_values"]

IntArray = np.ndarray[Any, np.dtype[np.int64]]

_ROUNDS = 32
"""Redraws of the rows whose combination an existing row holds, under a cardinality."""


def pair_values(
    tp: TablePlan,
    frames: Mapping[str, pd.DataFrame],
    fixed: dict[int, Any],
    n: int,
    rng: np.random.Generator,
    existing: pd.DataFrame | None,
) -> dict[str, Any]:
    """Draw every pair key of ``tp`` for ``n`` rows.

    The parent positions of its foreign keys go into ``fixed`` (by key index, as a cardinality's
    do), so the keys are then taken from those parents; the vocabulary values are returned.

    Raises:
        PlanError: If the rows need more combinations than exist (or are left unused).
    """
    out: dict[str, Any] = {}
    for pair in pair_keys(tp):
        fks = [tp.table.foreign_keys[i] for i in pair.foreign_keys]
        words = [_values(tp, c) for c in pair.values]
        sizes = [len(frames[fk.ref_table]) for fk in fks] + [len(w) for w in words]
        combo = _Combinations(tp, pair, frames, words, existing)
        held = [i for i, f in enumerate(pair.foreign_keys) if f in fixed]
        if held:
            parents = np.asarray(fixed[pair.foreign_keys[held[0]]], dtype=np.int64)
            dims = combo.within_parents(rng, sizes, held[0], parents)
        else:
            dims = combo.fresh(rng, sizes, n)
        for index, positions in zip(pair.foreign_keys, dims[: len(fks)], strict=True):
            fixed[index] = positions
        for col, w, picked in zip(pair.values, words, dims[len(fks) :], strict=True):
            out[col] = w[picked]
    return out


def _values(tp: TablePlan, column: str) -> Any:
    col = tp.table.column(column)
    found = vocabulary(col) or ()
    if col.kind == "boolean":
        return np.asarray(found, dtype=bool)
    out = np.empty(len(found), dtype=object)
    out[:] = list(found)
    return out


class _Combinations:
    """Combinations of one pair key, and which of them the existing rows hold."""

    def __init__(
        self,
        tp: TablePlan,
        pair: PairKey,
        frames: Mapping[str, pd.DataFrame],
        words: list[Any],
        existing: pd.DataFrame | None,
    ) -> None:
        self.tp, self.pair, self.frames, self.words = tp, pair, frames, words
        # Combinations of the drawn columns the existing rows hold are avoided (which avoids
        # their whole keys too).
        columns = list(pair.drawn)
        held = existing is not None and len(existing) and set(columns) <= set(existing)
        self.used = key_index(existing, columns) if held and existing is not None else None

    def taken(self, dims: list[IntArray]) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Rows whose combination an existing row holds."""
        if self.used is None or not len(dims[0]):
            return np.zeros(len(dims[0]) if dims else 0, dtype=bool)
        table = self.tp.table
        frame: dict[str, Any] = {}
        links = len(self.pair.foreign_keys)
        for index, positions in zip(self.pair.foreign_keys, dims[:links], strict=True):
            fk = table.foreign_keys[index]
            parent = self.frames[fk.ref_table]
            got = keys.take_parent_keys(parent, fk.ref_columns, positions)
            for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
                frame[col] = got[ref].to_numpy()
        for col, w, picked in zip(self.pair.values, self.words, dims[links:], strict=True):
            frame[col] = w[picked]
        drawn = key_index(pd.DataFrame(frame), list(self.pair.drawn))
        return np.asarray(drawn.isin(self.used), dtype=np.bool_)

    def _refuse(self, sizes: list[int], n: int, left: int | None = None) -> PlanError:
        message = too_few_combinations(self.tp.table, self.pair, sizes, n, left)
        return PlanError(message, table=self.tp.table.key)

    def fresh(self, rng: np.random.Generator, sizes: list[int], n: int) -> list[IntArray]:
        """Distinct combinations for ``n`` rows, none an existing row holds."""
        total = math.prod(sizes)
        if n > total:
            raise self._refuse(sizes, n)
        if self.used is None:
            return keys.distinct_combinations(rng, sizes, n)
        # Distinct draws hit each existing combination at most once: n more than those leave
        # n unused ones (when there are not that many, every combination is looked at).
        draw = n + len(self.used.unique())
        dims = _all(sizes) if draw >= total else keys.distinct_combinations(rng, sizes, draw)
        keep = np.flatnonzero(~self.taken(dims))
        if len(keep) < n:
            raise self._refuse(sizes, n, len(keep))
        chosen = rng.choice(keep, size=n, replace=False)
        return [d[chosen] for d in dims]

    def within_parents(
        self, rng: np.random.Generator, sizes: list[int], held: int, parents: IntArray
    ) -> list[IntArray]:
        """Each parent's rows (``parents``, from a cardinality) take distinct combinations."""
        rest = [s for i, s in enumerate(sizes) if i != held]
        room = math.prod(rest)
        order = np.argsort(parents, kind="stable")
        counts = np.bincount(parents, minlength=sizes[held]).astype(np.int64)
        if counts.size and int(counts.max(initial=0)) > room:
            raise PlanError(
                f"a parent has {int(counts.max())} rows but ({', '.join(self.pair.columns)}) "
                f"leaves it only {room} distinct combinations: lower the cardinality",
                table=self.tp.table.key,
            )
        flat = np.empty(len(parents), dtype=np.int64)
        flat[order] = keys.distinct_partners(rng, counts, room)
        for _ in range(_ROUNDS):
            dims = _with_held(parents, flat, rest, held)
            bad = self.taken(dims)
            if not bad.any():
                return dims
            # Redraw whole blocks of the parents a collision is in: a block stays distinct.
            again = np.isin(parents, np.unique(parents[bad]))
            sub = np.argsort(parents[again], kind="stable")
            block = np.bincount(parents[again], minlength=sizes[held]).astype(np.int64)
            redrawn = np.empty(int(again.sum()), dtype=np.int64)
            redrawn[sub] = keys.distinct_partners(rng, block, room)
            flat[again] = redrawn
        raise PlanError(
            f"could not find unused ({', '.join(self.pair.columns)}) combinations for the new "
            f"rows after {_ROUNDS} draws: the existing rows hold most of them; lower the "
            "cardinality, or replace the rows",
            table=self.tp.table.key,
        )


def _with_held(parents: IntArray, flat: IntArray, rest: list[int], held: int) -> list[IntArray]:
    """Positions of every dimension: ``parents`` at ``held``, ``flat`` spread over the others."""
    spread = [np.asarray(a, dtype=np.int64) for a in np.unravel_index(flat, tuple(rest))]
    spread.insert(held, parents.astype(np.int64))
    return spread


def _all(sizes: list[int]) -> list[IntArray]:
    """Every combination (for a count of the ones left)."""
    return [np.asarray(a, dtype=np.int64).ravel() for a in np.indices(tuple(sizes))]
