"""Drawing from vocabularies: distinct values in lookup tables, values that fit their column.

A lookup table (a key and a name or two, such as ``genre`` or ``media_type``) lists each value
once, so its rows take distinct entries of the vocabulary (common ones first, by a weighted draw
without replacement) as long as the vocabulary lasts. Values built from templates are redrawn
when too long for the column, rather than cut in the middle of a word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from syda.generators.infer import name_tokens
from syda.generators.values import AnyArray, Batch, ColumnSpec, ObjArray
from syda.generators.values_unique import str_lengths
from syda.schema.ir import Column, Table

__all__ = [
    "distinct_rows",
    "fit_rows",
    "is_lookup",
    "listed_once",
    "lookup_draw",
    "names_row",
    "objects",
]

_LOOKUP_COLUMNS = 3
_FIT_ROUNDS = 8
_DISTINCT_ROUNDS = 12
_NAMING = frozenset({"name", "title", "label", "description", "desc", "key"})
_COMMON_FIRST = 1e6  # added to the keys of common values: they all sort before the rest


def objects(values: Sequence[Any]) -> ObjArray:
    """An object array of ``values``."""
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def is_lookup(table: Table) -> bool:
    """True for a small reference table: at most three value columns besides keys and stamps."""
    keys = set(table.primary_key) | {c for fk in table.foreign_keys for c in fk.columns}
    values = [c for c in table.columns if c.name not in keys and c.kind not in ("date", "datetime")]
    return 0 < len(values) <= _LOOKUP_COLUMNS


def names_row(table: Table, column: Column) -> bool:
    """The column names its row: ``name``/``title``/``key``..., a unique one, or the table's word.

    ``genre.name``, ``categories.category_name``, ``us_states.state_name``, ``country.country``.
    """
    tokens = name_tokens(column.name)
    if column.unique or (tokens and tokens[-1] in _NAMING):
        return True
    head = (name_tokens(table.name) or [""])[-1]
    own = {head, head.removesuffix("s"), head.removesuffix("es")}
    if head.endswith("ies"):
        own.add(head[:-3] + "y")
    return "_".join(tokens) in own


def listed_once(table: Table, column: Column) -> bool:
    """The column lists a lookup table's values, each once (``genre.name``, not ``users.lang``)."""
    return is_lookup(table) and names_row(table, column)


def _fitting(values: Sequence[str] | ObjArray, length: int | None) -> ObjArray:
    arr = objects(list(values))
    if length is None:
        return arr
    fits = arr[str_lengths(arr) <= length]
    return fits if len(fits) else objects(list(dict.fromkeys(v[:length] for v in arr)))


def lookup_draw(
    b: Batch, spec: ColumnSpec, values: Sequence[str] | ObjArray, skew: float = 0.6
) -> ObjArray:
    """Draw from ``values`` (earlier ones more common); distinct where a lookup lists them.

    Only values that fit the column's length are drawn.
    """
    pool = _fitting(values, spec.column.length)
    weights = 1.0 / np.arange(1, len(pool) + 1) ** skew
    if spec.unique or listed_once(b.table, spec.column):
        # Weighted sampling without replacement (Gumbel keys); rows beyond the vocabulary
        # start it over, and uniqueness, if required, is repaired afterwards. The common
        # values of a Listed vocabulary all come before any rare one.
        keys = np.log(weights) - np.log(-np.log(b.rng.random(len(pool))))
        common = getattr(values, "common", None)
        if common is not None and common < len(values):
            keys[np.isin(pool, list(values[:common]))] += _COMMON_FIRST
        order = np.argsort(-keys)
        return pool[order[np.arange(b.n) % len(pool)]]
    cumulative = np.cumsum(weights / weights.sum())
    idx = np.minimum(np.searchsorted(cumulative, b.rng.random(b.n), side="right"), len(pool) - 1)
    return pool[idx]


def fit_rows(b: Batch, spec: ColumnSpec, draw: Callable[[int], ObjArray]) -> AnyArray:
    """``draw(b.n)``, with values too long for the column drawn again a few times."""
    out = draw(b.n)
    length = spec.column.length
    if length is None:
        return out
    for _ in range(_FIT_ROUNDS):
        long_rows = np.flatnonzero(str_lengths(out) > length)
        if not len(long_rows):
            break
        out[long_rows] = draw(len(long_rows))
    return out


def distinct_rows(
    b: Batch, spec: ColumnSpec, out: AnyArray, draw: Callable[[int], ObjArray]
) -> AnyArray:
    """``out`` with repeated values drawn again a few times (titles made from templates).

    What repeats after the last round stays; a unique column is repaired afterwards.
    """
    length = spec.column.length
    for _ in range(_DISTINCT_ROUNDS):
        again = np.flatnonzero(pd.Series(out, dtype=object).duplicated().to_numpy())
        if not len(again):
            break
        fresh = draw(len(again))
        if length is not None:
            fresh = np.where(str_lengths(fresh) <= length, fresh, out[again])
        out[again] = fresh
    return out
