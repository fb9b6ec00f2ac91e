"""Table-level checks: row count, primary key, UNIQUE sets, column comparisons, foreign keys.

These are the rules no single row can check. All of them follow SQL semantics, since a real
database is the final judge of the output: a NULL in a UNIQUE set never collides, a comparison
with a NULL side passes, and a foreign key with any NULL column is not checked (MATCH SIMPLE).
Every check is a vectorized pandas operation over the whole table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from syda.schema.ir import COMPARISON_OPERATORS, ColumnComparison, ForeignKey, Table
from syda.validation.results import Rule, Violation

__all__ = [
    "MAX_ROWS_SHOWN",
    "Nulls",
    "check_comparisons",
    "check_foreign_keys",
    "check_unique_sets",
    "example_at",
    "rows_of",
]

MAX_ROWS_SHOWN = 10
"""How many offending row positions a :class:`Violation` lists."""

_OPS = COMPARISON_OPERATORS


def rows_of(mask: np.ndarray[Any, np.dtype[np.bool_]]) -> tuple[tuple[int, ...], int]:
    """Return the first offending positions and the count of a boolean mask over the rows."""
    positions = np.flatnonzero(mask)
    return tuple(int(p) for p in positions[:MAX_ROWS_SHOWN]), len(positions)


def example_at(frame: pd.DataFrame, position: int) -> Any:
    """The values of one row (a scalar for a one-column frame), as plain Python objects."""
    row = frame.iloc[position]
    values = tuple(v.item() if isinstance(v, np.generic) else v for v in row.tolist())
    return values[0] if len(values) == 1 else values


def _complete(frame: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows with no NULL in any of the frame's columns."""
    return frame.notna().all(axis=1).to_numpy(dtype=bool)


class Nulls:
    """The NULL mask of each column of one frame, found once however many checks read it.

    Finding the NULLs of an object column (dates as ``datetime.date``) costs a pass over
    its values in Python objects; the column check, the UNIQUE sets and the comparisons of
    a chunk each asked for them again.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._masks: dict[Any, np.ndarray[Any, np.dtype[np.bool_]]] = {}

    def of(self, name: Any) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Where column ``name`` is NULL."""
        mask = self._masks.get(name)
        if mask is None:
            mask = self._masks[name] = self.frame[name].isna().to_numpy(dtype=bool)
        return mask

    def complete(self, names: Sequence[Any]) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Rows with no NULL in any of the columns ``names``."""
        ok = np.ones(len(self.frame), dtype=bool)
        for name in names:
            ok &= ~self.of(name)
        return ok


def check_unique_sets(
    table: Table, df: pd.DataFrame, nulls: Nulls | None = None
) -> list[Violation]:
    """Check the primary key and every UNIQUE set over the whole table.

    Primary key columns may not be NULL either (reported as ``primary_key``). For the later
    occurrences of a duplicated key, one per row; the first occurrence is considered valid.
    ``nulls`` holds the frame's NULL masks when the caller has found them already.
    """
    nulls = nulls or Nulls(df)
    violations: list[Violation] = []
    for columns in table.unique_sets:
        if not all(c in df.columns for c in columns):
            continue  # missing columns are reported once, as "missing"
        is_pk = columns == table.primary_key
        rule: Rule = "primary_key" if is_pk else "unique"
        label = ", ".join(columns)
        keys = df[list(columns)]
        complete = nulls.complete(columns)
        if is_pk and not complete.all():
            shown, count = rows_of(~complete)
            message = f"{count} rows have a NULL in the primary key ({label})"
            violations.append(Violation(table.key, label, rule, shown, count, message))
        dup_complete = _repeats(keys if complete.all() else keys[complete])
        duplicated = np.zeros(len(df), dtype=bool)
        duplicated[np.flatnonzero(complete)] = dup_complete
        if duplicated.any():
            shown, count = rows_of(duplicated)
            example = example_at(keys, shown[0])
            message = f"{count} rows repeat an earlier row's ({label}), e.g. {example!r}"
            violations.append(Violation(table.key, label, rule, shown, count, message))
    return violations


def _repeats(keys: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Rows of ``keys`` (no NULLs) repeating an earlier row."""
    packed = _packed(keys)
    if packed is not None:
        if bool((packed[1:] > packed[:-1]).all()):
            # Increasing keys (a chunk's positions, its lines' (order, line)) repeat none.
            return np.zeros(len(packed), dtype=bool)
        return pd.Series(packed).duplicated(keep="first").to_numpy(dtype=bool)
    if _distinct_text(keys):
        return np.zeros(len(keys), dtype=bool)
    try:
        return keys.duplicated(keep="first").to_numpy(dtype=bool)
    except TypeError:
        # Unhashable values (JSON objects): compare their text instead.
        return keys.map(repr).duplicated(keep="first").to_numpy(dtype=bool)


def _distinct_text(keys: pd.DataFrame) -> bool:
    """Whether ``keys`` is one column of Arrow strings with no value twice.

    Arrow counts the distinct values in about half the time pandas takes to mark the repeats
    (emails, names, SKUs: all distinct in generated data); a column with repeats is then
    marked by pandas as before.
    """
    if keys.shape[1] != 1:
        return False
    dtype = keys.dtypes.iloc[0]
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return False
    import pyarrow as pa  # there: pandas stores these strings in it
    import pyarrow.compute as pc

    return len(pc.unique(pa.array(keys.iloc[:, 0].array))) == len(keys)


def _packed(keys: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.int64]] | None:
    """Integer keys as one integer a row (the same repeats), or None if they do not fit one.

    A frame's repeats go through a factorization of every column; one column of packed
    integers is hashed once (a tenth of the time for a line's ``(order_id, line_no)``).
    """
    if not len(keys) or not all(isinstance(t, np.dtype) and t.kind == "i" for t in keys.dtypes):
        return None
    packed = np.zeros(len(keys), dtype=np.int64)
    span = 1
    for col in range(keys.shape[1]):
        values = keys.iloc[:, col].to_numpy(dtype=np.int64)
        low, width = int(values.min()), int(values.max()) - int(values.min()) + 1
        span *= width
        if span >= 2**62:
            return None
        packed = packed * width + (values - low)
    return packed


def _compare(comparison: ColumnComparison, left: pd.Series[Any], right: pd.Series[Any]) -> Any:
    op = _OPS[comparison.op]
    try:
        return np.asarray(op(left, right), dtype=bool)
    except (TypeError, ValueError, NotImplementedError):  # pyarrow raises the latter two
        # Mixed object columns: compare pair by pair, an incomparable pair being a violation.
        def one(a: Any, b: Any) -> bool:
            try:
                return bool(op(a, b))
            except TypeError:
                return False

        return np.fromiter((one(a, b) for a, b in zip(left, right, strict=True)), bool, len(left))


def check_comparisons(
    table: Table, df: pd.DataFrame, nulls: Nulls | None = None
) -> list[Violation]:
    """Check every ``left op right`` comparison of the table, skipping rows with a NULL side."""
    nulls = nulls or Nulls(df)
    violations: list[Violation] = []
    for comparison in table.comparisons:
        if comparison.left not in df.columns or comparison.right not in df.columns:
            continue
        both = nulls.complete((comparison.left, comparison.right))
        at = np.flatnonzero(both)
        left_values, right_values = (
            _rows(df[c], at, len(at) == len(df)) for c in (comparison.left, comparison.right)
        )
        holds = _compare(comparison, left_values, right_values)
        failed = np.zeros(len(df), dtype=bool)
        failed[at] = ~holds
        if failed.any():
            shown, count = rows_of(failed)
            pair = df[[comparison.left, comparison.right]]
            left, right = example_at(pair, shown[0])
            expr = f"{comparison.left} {comparison.op} {comparison.right}"
            message = f"{count} rows break {expr}, e.g. {left!r} vs {right!r}"
            label = f"{comparison.left}, {comparison.right}"
            violations.append(Violation(table.key, label, "comparison", shown, count, message))
    return violations


def _rows(series: pd.Series[Any], at: np.ndarray[Any, Any], every: bool) -> pd.Series[Any]:
    """The values at positions ``at`` (every row: the column itself), indexed 0, 1, 2..."""
    return (series if every else series.iloc[at]).reset_index(drop=True)


def _key_index(frame: pd.DataFrame) -> pd.Index[Any]:
    index: pd.Index[Any]
    if frame.shape[1] == 1:
        index = pd.Index(frame.iloc[:, 0])
    else:
        index = pd.MultiIndex.from_frame(frame)
    return index


def _check_foreign_key(
    table: Table, fk: ForeignKey, df: pd.DataFrame, parent: pd.DataFrame
) -> Violation | None:
    label = ", ".join(fk.columns)
    missing = [c for c in fk.ref_columns if c not in parent.columns]
    if missing:
        message = f"parent table {fk.ref_table} has no column(s) {', '.join(missing)}"
        return Violation(table.key, label, "foreign_key", (), len(df), message)
    child = df[list(fk.columns)]
    complete = _complete(child)
    parent_keys = parent[list(fk.ref_columns)]
    parent_keys = parent_keys[_complete(parent_keys)]
    # Column names differ between child and parent; only positions matter for the tuples.
    found = _key_index(child[complete]).isin(_key_index(parent_keys))
    dangling = np.zeros(len(df), dtype=bool)
    dangling[np.flatnonzero(complete)] = ~np.asarray(found, dtype=bool)
    if not dangling.any():
        return None
    shown, count = rows_of(dangling)
    example = example_at(child, shown[0])
    target = f"{fk.ref_table}({', '.join(fk.ref_columns)})"
    message = f"{count} rows point at no row of {target}, e.g. {example!r}"
    return Violation(table.key, label, "foreign_key", shown, count, message)


def check_foreign_keys(
    table: Table, df: pd.DataFrame, parents: Mapping[str, pd.DataFrame]
) -> list[Violation]:
    """Check every foreign key whose parent frame is known (the table itself for a self-reference).

    A foreign key whose parent is not in ``parents`` is not checked; a caller that wants every
    key checked passes every parent (:func:`~syda.validation.check_dataset` does).
    """
    violations: list[Violation] = []
    for fk in table.foreign_keys:
        if not all(c in df.columns for c in fk.columns):
            continue
        parent = parents.get(fk.ref_table)
        if parent is None and fk.ref_table == table.key:
            parent = df
        if parent is None:
            continue
        violation = _check_foreign_key(table, fk, df, parent)
        if violation is not None:
            violations.append(violation)
    return violations
