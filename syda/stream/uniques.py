"""Unique text columns across chunks, without a global set of values.

A unique integer column that is not a key takes ``low + permute(row)``: a keyed bijection of the
row numbers onto the column's range (its bounds, else ``1..10 x rows``), so every row has its own
value, scattered over the range, and no chunk needs to know another's.

Within a chunk the one repair loop makes values distinct. Across chunks each value gets a mark
of the same width, the chunk's number (``"Iron Harbor 07"``, ``"anna.lee.07@acme.com"``): two
values of different chunks differ in their mark, two of the same chunk before it, so the
column is unique by construction. A table of one chunk gets no mark at all.

Codes that end in digits (``"ZJK-61185"``, ``"INV-000123"``) keep their shape instead: their
last ``d`` digits, ``d`` the digits of the table's row count, become a keyed bijection of the
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
    """Where a chunk sits in its table: its number, the table's chunks, rows and first row."""

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
        # Plain str operations over a list: several times faster than the pandas accessors
        # on a chunk of 100,000 rows, with the same values.
        text = [str(v) for v in values[present].tolist()]
        if text and digits > width and all(_ends_in_digits(v, digits) for v in text):
            rows = at.start + np.flatnonzero(present)
            numbers = permute(rows, 10**digits, at.seed, f"{tp.table.key}.{name}.code")
            marked = pd.Series(
                [v[:-digits] + str(x).zfill(digits) for v, x in zip(text, numbers, strict=True)],
                dtype=object,
            )
        else:
            marked = pd.Series(marked_text(column, text, mark), dtype=object)
        if marked.duplicated().any():
            raise GenerationError(
                "values cut to the column's length to fit the chunk mark repeat; lengthen the "
                "column or use fewer, larger chunks",
                table=tp.table.key,
                column=name,
                rule="unique",
            )
        out = values.astype(object).to_numpy(copy=True)
        out[np.flatnonzero(present)] = marked.to_numpy(dtype=object)
        frame[name] = pd.Series(out, index=frame.index, dtype=_dtype(values))


def marked_text(column: Column, text: list[str], mark: str) -> list[str]:
    """``text`` (values of ``column``) each with the chunk mark ``mark``, cut to fit."""
    room = (column.length or 10**9) - len(mark) - 1
    if text and all("@" in v for v in text):
        # The mark goes before the @, so the address keeps its domain; a local part too
        # long for the column is cut (to at least one character).
        parts = [v.rpartition("@") for v in text]
        return [f"{lo[: max(room - len(do) - 1, 1)]}.{mark}@{do}" for lo, _, do in parts]
    cut = max(room, 1)
    return [v[:cut] + " " + mark for v in text]


def _ends_in_digits(value: str, digits: int) -> bool:
    return len(value) >= digits and value[-digits:].isdigit() and value[-digits:].isascii()


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
