"""Unique text columns across chunks, without a global set of values.

Within a chunk the one repair loop makes values distinct. Across chunks each value gets a mark
of the same width, the chunk's number (``"Iron Harbor 07"``, ``"anna.lee.07@acme.com"``): two
values of different chunks differ in their mark, two of the same chunk before it, so the
column is unique by construction. A table of one chunk gets no mark at all.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.plan import TablePlan

__all__ = ["marked_columns", "with_chunk_marks"]


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


def with_chunk_marks(tp: TablePlan, frame: pd.DataFrame, chunk: int, chunks: int) -> None:
    """Mark every marked column of ``frame`` (chunk ``chunk`` of ``chunks``) in place.

    Raises:
        GenerationError: If cutting values to the column's length made two of them equal.
    """
    if chunks <= 1:
        return
    width = len(str(chunks - 1))
    mark = str(chunk).zfill(width)
    for name in marked_columns(tp):
        column = tp.table.column(name)
        values = frame[name]
        present = values.notna().to_numpy()
        text = values[present].astype(str)
        email = text.str.contains("@", regex=False).all() and len(text) > 0
        room = (column.length or 10**9) - width - 1
        if email:
            parts = text.str.rpartition("@")
            local, domain = parts[0], parts[2]
            room_local = (room - domain.str.len() - 1).clip(lower=1)
            long = local.str.len() > room_local
            if long.any():  # the few values too long for the mark: cut their local part
                local = local.copy()
                local[long] = [
                    s[:r]
                    for s, r in zip(local[long].tolist(), room_local[long].tolist(), strict=True)
                ]
            marked = local + "." + mark + "@" + domain
        else:
            marked = text.str.slice(0, max(room, 1)) + " " + mark
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


def _dtype(values: pd.Series[Any]) -> Any:
    return values.dtype if isinstance(values.dtype, pd.StringDtype) else object
