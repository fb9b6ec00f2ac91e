"""Defects that span rows or tables: repeated rows, orphan keys, broken cardinality, swaps.

Each returns the manifest entries it made, as :class:`Defect` records, so the ground truth
of every change is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from syda.dirty.cells import MUTATORS
from syda.schema.ir import Table

__all__ = [
    "Defect",
    "crowded_parent",
    "duplicates",
    "key_of",
    "near_duplicates",
    "orphans",
    "overloaded",
    "swapped",
]


@dataclass(frozen=True)
class Defect:
    """One injected defect: where it is, what it is, and the value it replaced."""

    table: str
    row: int
    """Position of the row in the dirty table (0-based)."""
    key: str
    """The row's primary key (its values joined by ``|``), or its position without one."""
    column: str | None
    kind: str
    clean: Any
    dirty: Any
    detail: str = ""


def key_of(table: Table, frame: pd.DataFrame, row: int) -> str:
    """The primary key of ``frame``'s row at ``row``, as the manifest shows it."""
    if not table.primary_key:
        return str(row)
    return "|".join(str(frame.at[row, c]) for c in table.primary_key)


def duplicates(
    table: Table, frame: pd.DataFrame, picks: Sequence[int]
) -> tuple[pd.DataFrame, list[Defect]]:
    """Exact copies of the picked rows, appended (the key repeats: the defect a merge makes)."""
    copies = frame.iloc[list(picks)]
    out = pd.concat([frame, copies], ignore_index=True)
    defects = [
        Defect(table.key, len(frame) + i, key_of(table, frame, src), None, "duplicate", None,
               None, f"copy of row {src}")
        for i, src in enumerate(picks)
    ]  # fmt: skip
    return out, defects


def near_duplicates(
    rng: np.random.Generator, table: Table, frame: pd.DataFrame, picks: Sequence[int]
) -> tuple[pd.DataFrame, list[Defect]]:
    """Copies with a new key and one text value slightly changed: the same entity typed twice."""
    copies = frame.iloc[list(picks)].reset_index(drop=True).copy()
    _new_keys(table, frame, copies)
    texts = [c.name for c in table.columns if c.kind in ("string", "text")]
    texts = [c for c in texts if c not in table.primary_key and not _is_fk(table, c)]
    defects = []
    for i, src in enumerate(picks):
        row = len(frame) + i
        column = texts[int(rng.integers(0, len(texts)))] if texts else None
        clean = copies.at[i, column] if column else None
        if column and isinstance(clean, str) and clean:
            kind = "typo" if rng.random() < 0.6 else "whitespace"
            copies.at[i, column] = MUTATORS[kind](rng, [clean], {})[0]
        defects.append(
            Defect(table.key, row, key_of(table, copies, i), column, "near_duplicate", clean,
                   copies.at[i, column] if column else None, f"near copy of row {src}")
        )  # fmt: skip
    return pd.concat([frame, copies], ignore_index=True), defects


def _new_keys(table: Table, frame: pd.DataFrame, copies: pd.DataFrame) -> None:
    if len(table.primary_key) != 1:
        return
    key = table.primary_key[0]
    if pd.api.types.is_integer_dtype(frame[key]):
        start = int(frame[key].max()) + 1 if len(frame) else 1
        copies[key] = np.arange(start, start + len(copies))


def _is_fk(table: Table, column: str) -> bool:
    return any(column in fk.columns for fk in table.foreign_keys)


def orphans(
    table: Table, frame: pd.DataFrame, column: str, picks: Sequence[int], parent_keys: pd.Series
) -> list[Defect]:
    """Point the picked rows at parents that do not exist (past the largest key)."""
    numeric = pd.api.types.is_numeric_dtype(parent_keys)
    top = int(parent_keys.max()) if numeric and len(parent_keys) else 0
    defects = []
    for i, row in enumerate(picks):
        clean = frame.at[row, column]
        dirty: Any = top + 1000 + i if numeric else f"missing-{i + 1}"
        frame.at[row, column] = dirty
        defects.append(
            Defect(table.key, row, key_of(table, frame, row), column, "orphan", clean, dirty,
                   "points at no parent")
        )  # fmt: skip
    return defects


def crowded_parent(rng: np.random.Generator, frame: pd.DataFrame, column: str) -> Any:
    """The parent that broken cardinality piles children onto: one of the busiest three."""
    counts = frame[column].dropna().value_counts()
    return counts.index[int(rng.integers(0, min(3, len(counts))))] if len(counts) else None


def overloaded(
    table: Table, frame: pd.DataFrame, column: str, picks: Sequence[int], target: Any
) -> list[Defect]:
    """Move the picked children onto one parent: far more children than any other has."""
    defects = []
    for row in picks:
        clean = frame.at[row, column]
        frame.at[row, column] = target
        defects.append(
            Defect(table.key, row, key_of(table, frame, row), column, "cardinality", clean,
                   target, f"moved to parent {target}")
        )  # fmt: skip
    return defects


def swapped(
    table: Table, frame: pd.DataFrame, column: str, other: str, picks: Sequence[int]
) -> list[Defect]:
    """Trade the values of two columns in the picked rows (first and last name entered swapped)."""
    defects = []
    for row in picks:
        a: Any = frame.at[row, column]
        b: Any = frame.at[row, other]
        frame.at[row, column] = b
        frame.at[row, other] = a
        key = key_of(table, frame, row)
        detail = f"swapped with {other}"
        defects.append(Defect(table.key, row, key, column, "swap", a, b, detail))
        defects.append(Defect(table.key, row, key, other, "swap", b, a, f"swapped with {column}"))
    return defects
