"""Resolving repeats of a composite UNIQUE set by trading values between rows.

A UNIQUE set that mixes columns the provider draws with columns it does not (a foreign key, a
key made by construction), such as roundcube's ``UNIQUE (user_id, language)``, repeats when two
rows of one parent draw the same common value. Re-asking those rows draws from the same skewed
vocabulary, so with a common value at 65% most of them repeat again and the loop runs out of
rounds. Trading the drawn values of a repeating row with those of another row, where both new
tuples are free, resolves the repeat at once and keeps every column's distribution exactly (the
values are only permuted). A row no trade frees takes another row's drawn values that are free
for it; what neither resolves is left to the re-ask.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from syda.profile.spec import TableProfile
from syda.schema.ir import Table

__all__ = ["swap_repeats", "tradable_columns"]

_PARTNERS = 24
"""Rows tried as a trading partner for each repeating row."""
_MOST = 20_000
"""Above this many repeating rows, trading in Python costs more than a re-ask."""


_TIED = ("after", "expr", "aggregate", "null_unless", "null_when", "by", "scale_by",
          "correlate", "template", "from_parent", "seasonality", "trend")  # fmt: skip
"""Spec keys that tie a column's value to other columns of its row (or to its position)."""
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def tradable_columns(table: Table, profile: TableProfile, columns: Sequence[str]) -> frozenset[str]:
    """The drawn columns whose values may move between rows without breaking a row's rules.

    A value tied to its row (``after`` a date, an ``expr``, a parent's copy, a ``by`` case) or
    one that another column's spec, a comparison or a CHECK reads would be wrong in another
    row, and dates are always some other date's neighbour; the rest (a language, a role, a
    permission) are the same draw wherever they sit.
    """
    read: set[str] = set()
    for name, spec in profile.columns.items():
        for key in _TIED:
            value = getattr(spec, key, None)
            if value is not None:
                read.add(name)
                text = value.model_dump() if hasattr(value, "model_dump") else value
                read.update(_WORD.findall(str(text)))
    for comparison in table.comparisons:
        read.update((comparison.left, comparison.right))
    names = {c.name for c in table.columns}
    for check in table.checks:
        used = names.intersection(_WORD.findall(check.sqltext))
        if len(used) > 1:  # a check over the column alone holds for its values anywhere
            read.update(used)
    timed = {c.name for c in table.columns if c.kind in ("date", "datetime", "time")}
    return frozenset(c for c in columns if c not in read and c not in timed)


def swap_repeats(
    frame: pd.DataFrame,
    columns: Sequence[str],
    movable: Sequence[str],
    repeating: np.ndarray[Any, np.dtype[np.bool_]],
    taken: set[tuple[Hashable, ...]],
    rng: np.random.Generator,
) -> int:
    """Trade the ``movable`` values of ``repeating`` rows with other rows' where that frees both.

    Args:
        frame: The table's rows, changed in place.
        columns: The UNIQUE set.
        movable: Its columns whose values may move between rows (drawn, not keys).
        repeating: Rows whose tuple repeats an earlier row's or a ``taken`` one.
        taken: Tuples that existing rows (append mode) already hold.
        rng: The table's random stream.

    Returns:
        How many rows were traded.
    """
    rows = np.flatnonzero(repeating)
    if not len(rows) or len(rows) > _MOST or not movable or len(movable) == len(columns):
        return 0
    values = {c: frame[c].to_numpy(dtype=object).copy() for c in columns}
    complete = np.flatnonzero(frame[list(columns)].notna().all(axis=1).to_numpy())
    counts = Counter(zip(*(values[c] for c in columns), strict=True))
    at = {c: i for i, c in enumerate(columns)}
    moved = 0
    stuck = []
    for i in rng.permutation(rows):
        for j in rng.choice(complete, size=min(_PARTNERS, len(complete)), replace=False):
            if _trade(values, columns, movable, at, int(i), int(j), counts, taken):
                moved += 1
                break
        else:
            stuck.append(int(i))
    moved += _reuse(values, columns, movable, at, stuck, complete, counts, taken, rng)
    if moved:
        for c in movable:
            frame[c] = pd.Series(values[c], index=frame.index).astype(frame[c].dtype)
    return moved


def _reuse(
    values: dict[str, np.ndarray[Any, np.dtype[Any]]],
    columns: Sequence[str],
    movable: Sequence[str],
    at: dict[str, int],
    rows: Sequence[int],
    complete: np.ndarray[Any, np.dtype[Any]],
    counts: Counter[tuple[Hashable, ...]],
    taken: set[tuple[Hashable, ...]],
    rng: np.random.Generator,
) -> int:
    """Give rows no trade frees another row's drawn values that are free for them.

    A parent with seven rows needs seven different values where most rows drew the common one:
    values other rows hold (so still values of the column's distribution) fill the gap.
    """
    if not rows:
        return 0
    seen = list(dict.fromkeys(zip(*(values[c][complete] for c in movable), strict=True)))
    moved = 0
    for i in rows:
        old = tuple(values[c][i] for c in columns)
        for k in rng.permutation(len(seen)):
            key = _replaced(old, at, movable, seen[k])
            if counts[key] == 0 and key not in taken:
                counts[old] -= 1
                counts[key] += 1
                for c, v in zip(movable, seen[k], strict=True):
                    values[c][i] = v
                moved += 1
                break
    return moved


def _trade(
    values: dict[str, np.ndarray[Any, np.dtype[Any]]],
    columns: Sequence[str],
    movable: Sequence[str],
    at: dict[str, int],
    i: int,
    j: int,
    counts: Counter[tuple[Hashable, ...]],
    taken: set[tuple[Hashable, ...]],
) -> bool:
    old_i = tuple(values[c][i] for c in columns)
    old_j = tuple(values[c][j] for c in columns)
    ti = _replaced(old_i, at, movable, tuple(old_j[at[c]] for c in movable))
    tj = _replaced(old_j, at, movable, tuple(old_i[at[c]] for c in movable))
    if i == j or ti == tj or ti == old_i:
        return False
    counts[old_i] -= 1
    counts[old_j] -= 1
    if counts[ti] > 0 or counts[tj] > 0 or ti in taken or tj in taken:
        counts[old_i] += 1
        counts[old_j] += 1
        return False
    counts[ti] += 1
    counts[tj] += 1
    for c in movable:
        values[c][i], values[c][j] = values[c][j], values[c][i]
    return True


def _replaced(
    row: tuple[Hashable, ...], at: dict[str, int], movable: Sequence[str], moving: tuple[Any, ...]
) -> tuple[Hashable, ...]:
    """``row`` with the ``movable`` columns' values set to ``moving``."""
    new = list(row)
    for c, v in zip(movable, moving, strict=True):
        new[at[c]] = v
    return tuple(new)
