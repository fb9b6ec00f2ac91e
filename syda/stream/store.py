"""The parent columns children read, kept on disk while a run streams.

Each chunk of a parent table writes the columns its children read (:attr:`StreamPlan.stored`)
as one Arrow IPC file. A child chunk memory-maps them and takes the rows at its parents'
positions: only the pages those rows live on are read, so a child of a 30-million-row parent
holds a few megabytes, not the parent. On a cluster the directory must be shared storage (the
workers read each other's parts); on one machine it is a temporary directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ParentStore", "store_part"]


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
    """Rows of a parent's stored columns by position, memory-mapped from its parts."""

    def __init__(self, root: Path, table: str, chunks: int) -> None:
        self.root = root
        self.table_key = table
        self.chunks = chunks
        self._table: Any = None

    def _open(self) -> Any:
        import pyarrow as pa

        if self._table is None:
            parts = [
                pa.ipc.open_file(pa.memory_map(str(_part(self.root, self.table_key, i)))).read_all()
                for i in range(self.chunks)
            ]
            self._table = pa.concat_tables(parts)  # zero-copy: the parts stay mapped
        return self._table

    def rows(self, positions: np.ndarray[Any, Any]) -> pd.DataFrame:
        """The stored columns of the parents at ``positions`` (one row per position)."""
        import pyarrow as pa

        taken = self._open().take(pa.array(positions, type=pa.int64()))
        frame: pd.DataFrame = taken.to_pandas()
        return frame
