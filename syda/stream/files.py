"""Streaming file sinks: one directory per table, one part file per chunk, swapped in at the end.

Every chunk becomes ``<table>/part-<chunk>.<ext>`` in a staging directory beside the output;
when every table is written the staged table directories replace the old ones. A failed run
leaves the output as it was. A part is a pure function of its chunk, and Parquet parts carry
no timestamp or writer-specific metadata beyond pyarrow's version, so the same seed gives the
same bytes from a laptop or from any Dask worker.

Parquet parts are one row group each (the chunk); a directory of parts is what
``pyarrow.dataset``, DuckDB (``read_parquet('dir/*.parquet')``), Spark and pandas read as one
dataset. CSV parts each carry the header; JSON Lines parts are one object per line.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from syda.errors import OutputError

__all__ = ["FORMATS", "Staging", "write_part"]

FORMATS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl", "json": "jsonl"}


def write_part(
    frame: pd.DataFrame,
    directory: Path,
    chunk: int,
    fmt: str,
    distinct: Collection[str] = (),
) -> Path:
    """Write one chunk as ``part-<chunk>`` of ``directory`` (temp name, then rename).

    ``distinct`` names the columns whose values never repeat (UNIQUE ones): Parquet gets no
    dictionary for them.
    """
    # The in-memory writers' value conversions, spreadsheet guard and CSV quoting.
    from syda.sinks import prepare_frame, refuse_json_value, write_csv_text

    ext = FORMATS[fmt]
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"part-{chunk:06d}.{ext}"
    temp = directory / f".part-{chunk:06d}.{ext}.tmp"
    if ext == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        # Column by column, as pyarrow's from_pandas converts them (Arrow-backed text is
        # taken as it is), but without the pandas metadata it builds: that records the pandas
        # version, which a cluster need not share, and was dropped again at once.
        prepared = prepare_frame(frame, "parquet")
        arrow = pa.Table.from_arrays(
            [pa.array(prepared[c], from_pandas=True) for c in prepared.columns],
            names=[str(c) for c in prepared.columns],
        )
        # Dictionary pages only for text, where values repeat (statuses, countries): keys,
        # dates, stamps and prices take many values a chunk, and their dictionaries cost a
        # third to nearly half the write time of the CRM's orders and lines (for parts at
        # most 5% smaller). UNIQUE text (names, emails, SKUs) repeats nothing: its dictionary
        # is hashed for nothing (4 ms a column per 100,000 rows) and makes the part bigger.
        text = [f.name for f in arrow.schema if f.name not in distinct and (
                pa.types.is_string(f.type) or pa.types.is_large_string(f.type))]  # fmt: skip
        pq.write_table(
            arrow, str(temp), row_group_size=max(len(arrow), 1), use_dictionary=text or False
        )
    elif ext == "csv":
        write_csv_text(frame, str(temp))  # a part holding a bare CR is written with CRLF
    else:
        prepare_frame(frame, "json").to_json(
            temp, orient="records", lines=True, date_format="iso", date_unit="us",
            force_ascii=False, default_handler=refuse_json_value,
        )  # fmt: skip
    temp.replace(path)
    return path


class Staging:
    """A staging directory beside ``out``, swapped into place table by table at the end."""

    def __init__(self, out: Path) -> None:
        self.out = out
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create {out}: {exc}") from exc
        self.root = out / f".syda-staging-{uuid.uuid4().hex[:12]}"
        self.root.mkdir()
        self.store = self.root / ".store"

    def commit(self, names: list[str]) -> dict[str, Path]:
        """Move every staged table directory over its old one; drop the store."""
        shutil.rmtree(self.store, ignore_errors=True)
        out: dict[str, Path] = {}
        for name in names:
            staged, target = self.root / name, self.out / name
            staged.mkdir(exist_ok=True)  # a table of no rows is an empty dataset
            if target.exists():
                old = self.out / f".syda-old-{uuid.uuid4().hex[:12]}"
                os.replace(target, old)
                os.replace(staged, target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(staged, target)
            out[name] = target
        shutil.rmtree(self.root, ignore_errors=True)
        return out

    def abort(self) -> None:
        """Drop everything staged (the output stays as it was)."""
        shutil.rmtree(self.root, ignore_errors=True)
