"""The parent columns children read, kept on disk while a run streams.

Each chunk of a parent table writes the columns its children read (:attr:`StreamPlan.stored`)
as one Arrow IPC file. A child chunk memory-maps them and takes the rows at its parents'
positions: only the pages those rows live on are read, so a child of a 30-million-row parent
holds a few megabytes, not the parent. On a cluster the directory must be shared storage (the
workers read each other's parts); on one machine it is a temporary directory.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["OPEN_PARTS", "ParentStore", "store_part"]

OPEN_PARTS = 8
"""Parts of one parent kept mapped at once (a child cut by parent reads them in order)."""


def _part(root: Path, table: str, chunk: int) -> Path:
    return root / table / f"part-{chunk:06d}.arrow"


def store_part(root: Path, table: str, chunk: int, frame: pd.DataFrame) -> None:
    """Keep one chunk's stored columns.

    Written to a temporary name, then renamed: a retried task never leaves half a file.
    """
    import pyarrow as pa

    path = _part(root, table, chunk)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    temp = path.with_suffix(".tmp")
    with pa.OSFile(str(temp), "wb") as sink, pa.ipc.new_file(sink, arrow.schema) as writer:
        writer.write_table(arrow)
    temp.replace(path)


class ParentStore:
    """Rows of a parent's stored columns by position, memory-mapped from its parts.

    Positions are taken part by part: a take over the parts joined into one table would make
    Arrow concatenate every part first, copying the whole parent into memory on every call.
    Only the :data:`OPEN_PARTS` parts used last stay mapped: the pages a mapping has touched
    count as the process's memory, and over a run a child touches every part of its parent.
    """

    def __init__(self, root: Path, table: str, starts: np.ndarray[Any, Any]) -> None:
        self.root = root
        self.table_key = table
        self.starts = np.asarray(starts, dtype=np.int64)
        self._parts: OrderedDict[int, Any] = OrderedDict()

    def _part(self, chunk: int) -> Any:
        import pyarrow as pa

        if chunk in self._parts:
            self._parts.move_to_end(chunk)
            return self._parts[chunk]
        mapped = pa.memory_map(str(_part(self.root, self.table_key, chunk)))
        self._parts[chunk] = pa.ipc.open_file(mapped).read_all()
        while len(self._parts) > OPEN_PARTS:
            self._parts.popitem(last=False)  # unmapped once nothing holds its buffers
        return self._parts[chunk]

    def rows(self, positions: np.ndarray[Any, Any]) -> pd.DataFrame:
        """The stored columns of the parents at ``positions`` (one row per position)."""
        import pyarrow as pa

        positions = np.asarray(positions, dtype=np.int64)
        chunk = np.searchsorted(self.starts, positions, side="right") - 1
        order = np.argsort(chunk, kind="stable")
        pieces = []
        bounds = np.flatnonzero(np.diff(chunk[order])) + 1
        for group in np.split(order, bounds):
            if not len(group):
                continue
            c = int(chunk[group[0]])
            local = positions[group] - self.starts[c]
            pieces.append(self._part(c).take(pa.array(local, type=pa.int64())))
        if not pieces:
            # No child row of this chunk asks for a parent: no rows, but the columns still, so
            # the chunk's specs that read them (from_parent, expr) find what they name.
            if self.starts[-1] > 0:
                empty: pd.DataFrame = self._part(0).slice(0, 0).to_pandas()
                return empty
            return pd.DataFrame(index=pd.RangeIndex(0))
        if len(pieces) == 1:
            # One part (a child cut by parent mostly reads one): already in the asked order.
            single: pd.DataFrame = pieces[0].to_pandas()
            return single
        # The pieces are in part order; put every row back where its position was asked.
        joined = pa.concat_tables(pieces).combine_chunks()
        back = np.empty(len(order), dtype=np.int64)
        back[order] = np.arange(len(order), dtype=np.int64)
        frame: pd.DataFrame = joined.take(pa.array(back, type=pa.int64())).to_pandas()
        return frame
