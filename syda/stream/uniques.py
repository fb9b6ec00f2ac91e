"""Unique text columns across chunks, without a global set of values.

A unique integer column that is not a key takes ``low + permute(row)``: a keyed bijection of the
row numbers onto the column's range (its bounds, else ``1..10 x rows``), so every row has its own
value, scattered over the range, and no chunk needs to know another's.

Within a chunk the one repair loop makes values distinct. Across chunks each value gets a mark
of the same width, the chunk's number (``"Iron Harbor 07"``, ``"anna.lee.07@acme.com"``): two
values of different chunks differ in their mark, two of the same chunk before it, so the
column is unique by construction. A table of one chunk gets no mark at all.

Codes that end in digits (``"ZJK-61185"``, ``"INV-000123"``) keep their shape instead: their
last ``d`` digits, ``d`` the digits of its last row number (``rows - 1``), become a bijection of the
row's position (``"ZJK-60042"``), so no two rows share them. Such a chunk's values end in
``d > w`` digits where a marked value ends in a space and ``w`` digits of the chunk's number, so
a chunk of codes and a chunk of marked values can never meet either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.plan import TablePlan
from syda.schema.ir import Column
from syda.stream.mix import permute

__all__ = [
    "ChunkAt",
    "integer_domain",
    "marked_columns",
    "marked_text",
    "unique_integer_columns",
    "with_chunk_marks",
    "with_unique_integers",
]


def marked_columns(tp: TablePlan) -> list[str]:
    """Single unique text columns the engine fills (keys are unique by construction)."""
    filled = set(tp.provider_columns) | set(tp.custom)
    out = []
    for us in tp.table.unique_sets:
        if len(us) == 1 and us[0] in filled:
            column = tp.table.column(us[0])
            if column.kind in ("string", "text"):
                out.append(us[0])
    return out


@dataclass(frozen=True)
class ChunkAt:
    """Where a chunk sits: its number, the table's chunks, its first row, the TABLE's rows, seed."""

    chunk: int
    chunks: int
    start: int
    rows: int
    seed: int


def with_chunk_marks(tp: TablePlan, frame: pd.DataFrame, at: ChunkAt) -> None:
    """Mark every marked column of ``frame`` (chunk ``at.chunk`` of ``at.chunks``) in place.

    Raises:
        GenerationError: If cutting values to the column's length made two of them equal.
    """
    if at.chunks <= 1:
        return
    width = len(str(at.chunks - 1))
    mark = str(at.chunk).zfill(width)
    digits = len(str(max(at.rows - 1, 0)))
    for name in marked_columns(tp):
        column = tp.table.column(name)
        values = frame[name]
        present = values.notna().to_numpy()
        room = (column.length or 10**9) - width - 1
        # Codes ending in digits keep their shape (their last digits a bijection of the row).
        rows, key = at.start + np.flatnonzero(present), f"{tp.table.key}.{name}.code"
        coded = _coded(values[present], rows, digits, at.seed, key) if digits > width else None
        if coded is not None:
            marked, cut = coded, True
        else:
            marked, cut = _marked(values[present], mark, room)
        # Adding the same mark keeps distinct values distinct; only a cut can make a repeat.
        if cut and pd.Series(marked, dtype=object).duplicated().any():
            raise GenerationError(
                "values cut to the column's length to fit the chunk mark repeat; lengthen the "
                "column or use fewer, larger chunks",
                table=tp.table.key,
                column=name,
                rule="unique",
            )
        out = values.astype(object).to_numpy(copy=True)
        out[np.flatnonzero(present)] = marked
        frame[name] = pd.Series(out, index=frame.index, dtype=_dtype(values))


def marked_text(column: Column, values: pd.Series[Any], mark: str) -> np.ndarray[Any, Any]:
    """``values`` of ``column`` (no NULLs) each with the chunk mark ``mark``, cut to fit."""
    return _marked(values, mark, (column.length or 10**9) - len(mark) - 1)[0]


def _marked(values: pd.Series[Any], mark: str, room: int) -> tuple[np.ndarray[Any, Any], bool]:
    """``values`` (no NULLs) with the mark, and whether a value was cut to make room for it.

    The mark goes before the ``@`` of addresses, so they keep their domain (a local part too
    long for the column is cut, to at least one character); other text is cut to ``room``
    and gets the mark after a space.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(values.array if isinstance(values.dtype, pd.StringDtype) else values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        text = pa.array([], type=pa.null())  # not all text: made text below
    if not pa.types.is_string(text.type) and not pa.types.is_large_string(text.type):
        text = pa.array([str(v) for v in values.tolist()], type=pa.string())
    # Whole columns through Arrow's string kernels: a Python loop over the rows took a third
    # of a chunk's time for the CRM's contacts (their emails).
    if len(text) and pc.all(pc.match_substring(text, "@")).as_py():
        parts = pc.split_pattern(text, "@", max_splits=1, reverse=True)
        local, domain = pc.list_element(parts, 0), pc.list_element(parts, 1)
        keep = pc.max_element_wise(pc.subtract(room - 1, pc.utf8_length(domain)), 1)
        long = pc.greater(pc.utf8_length(local), keep)
        sep = pa.scalar(f".{mark}@", type=text.type)
        out = pc.binary_join_element_wise(local, domain, sep).to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(long.to_numpy(zero_copy_only=False))
        for i, lo, do, k in zip(
            rows,
            pc.take(local, rows).to_pylist(),
            pc.take(domain, rows).to_pylist(),
            pc.take(keep, rows).to_pylist(),
            strict=True,
        ):
            out[i] = f"{lo[:k]}.{mark}@{do}"
        return out.astype(object), bool(len(rows))
    cut = max(room, 1)
    long = pc.greater(pc.utf8_length(text), cut).to_numpy(zero_copy_only=False)
    joined = pc.binary_join_element_wise(
        text, pa.scalar(mark, type=text.type), pa.scalar(" ", type=text.type)
    )
    out = joined.to_numpy(zero_copy_only=False)
    out = out.astype(object)
    rows = np.flatnonzero(long)
    for i, value in zip(rows, pc.take(text, rows).to_pylist(), strict=True):
        out[i] = f"{value[:cut]} {mark}"
    return out, bool(len(rows))


def _ends_in_digits(value: str, digits: int) -> bool:
    return len(value) >= digits and value[-digits:].isdigit() and value[-digits:].isascii()


def _coded(
    values: pd.Series[Any], rows: np.ndarray[Any, Any], digits: int, seed: int, key: str
) -> np.ndarray[Any, Any] | None:
    """Codes with their last ``digits`` digits the row's bijection, or None if one is no code."""
    listed = values.tolist()
    if not listed or not all(_ends_in_digits(str(v), digits) for v in listed):
        return None  # stops at the first value that is no code: cheap for other text
    numbers = permute(rows, 10**digits, seed, key)
    out = np.empty(len(listed), dtype=object)
    out[:] = [str(v)[:-digits] + str(x).zfill(digits) for v, x in zip(listed, numbers, strict=True)]
    return out


def _dtype(values: pd.Series[Any]) -> Any:
    return values.dtype if isinstance(values.dtype, pd.StringDtype) else object


def unique_integer_columns(tp: TablePlan) -> list[str]:
    """Single unique integer columns the provider or a spec fills (not keys)."""
    out = []
    for us in tp.table.unique_sets:
        if len(us) == 1 and us[0] in tp.provider_columns:
            if tp.table.column(us[0]).kind == "integer":
                out.append(us[0])
    return out


def integer_domain(column: Column, rows: int) -> tuple[int, int]:
    """``(low, size)`` of the values a unique integer column takes over ``rows`` rows."""
    low = int(np.ceil(column.minimum)) if column.minimum is not None else 1
    if column.maximum is not None:
        return low, int(np.floor(column.maximum)) - low + 1
    return low, max(10 * rows, 1_000)


def with_unique_integers(
    tp: TablePlan, frame: pd.DataFrame, start: int, rows: int, seed: int
) -> None:
    """Give every unique integer column of ``frame`` (rows ``start..``) its bijective values."""
    n = len(frame)
    for name in unique_integer_columns(tp):
        low, size = integer_domain(tp.table.column(name), rows)
        scattered = permute(start + np.arange(n), size, seed, f"{tp.table.key}.{name}")
        values = pd.Series(low + scattered, index=frame.index)
        present = frame[name].notna()
        frame[name] = values if present.all() else values.astype("Int64").where(present)
