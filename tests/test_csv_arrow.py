"""CSV through pyarrow is byte for byte what pandas writes, or pandas writes it."""

from __future__ import annotations

import datetime as dt
import errno
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import pandas as pd
import pytest

from syda import OutputError, SyntheticDataGenerator
from syda.csv_arrow import write_csv
from syda.sinks import write_dataset

pytest.importorskip("pyarrow")


def pandas_bytes(df: pd.DataFrame, tmp_path: Path) -> bytes:
    path = tmp_path / "pandas.csv"
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path.read_bytes()


def arrow_bytes(df: pd.DataFrame, tmp_path: Path) -> bytes | None:
    path = tmp_path / "arrow.csv"
    return path.read_bytes() if write_csv(df, str(path)) else None


rng = np.random.default_rng(5)
FRAMES = {
    "numbers": pd.DataFrame(
        {
            "i": np.arange(200),
            "f": rng.normal(size=200) * 10.0 ** rng.integers(-12, 18, size=200),
            "whole": np.arange(200) * 1.0,
            "gaps": np.where(np.arange(200) % 3 == 0, np.nan, 0.1),
            "b": np.arange(200) % 2 == 0,
        }
    ),
    "text": pd.DataFrame(
        {
            "s": pd.Series(["ann", "", None, "zoë", "'=1+1", " lead"] * 5, dtype="str"),
            "o": pd.Series(["x", None, "y", "", "ü", "z"] * 5, dtype=object),
        }
    ),
    "times": pd.DataFrame(
        {
            "midnight": pd.to_datetime(["2024-01-01", "2024-02-29", None] * 4),
            "seconds": pd.to_datetime(["2024-01-01 10:00:01", None, "2024-03-01 00:00:00"] * 4),
            "micro": pd.to_datetime(
                ["2024-01-01 10:00:01.000250", "2023-01-01 00:00", None] * 4, format="ISO8601"
            ),
            "aware": pd.to_datetime(["2024-01-01 10:00", "2024-06-01 12:30", None] * 4, utc=True),
            "dates": [dt.date(2024, 1, 2), None, dt.date(1999, 12, 31)] * 4,
        }
    ),
    "objects": pd.DataFrame(
        {
            "dec": [Decimal("1.50"), None, Decimal("-0.001")] * 3,
            "uuid": [UUID(int=7), UUID(int=8), None] * 3,
            "nullable": pd.array([1, None, 3] * 3, dtype="Int64"),
            "flags": pd.array([True, None, False] * 3, dtype="boolean"),
            "cat": pd.Categorical(["a", "b", None] * 3),
            "mixed": ["x", 3.5, dt.date(2020, 1, 1)] * 3,
        }
    ),
}


@pytest.mark.parametrize("name", list(FRAMES))
def test_pyarrow_writes_what_pandas_writes(name: str, tmp_path: Path) -> None:
    df = FRAMES[name]
    assert arrow_bytes(df, tmp_path) == pandas_bytes(df, tmp_path)


def test_generated_tables_are_written_by_pyarrow_as_pandas_would(tmp_path: Path) -> None:
    frames = SyntheticDataGenerator(seed=2).generate_related_data(
        schema={
            "t": {
                "id": {"type": "integer", "primary_key": True},
                "price": "decimal(8,2)",
                "on": "date",
                "at": "datetime",
                "ok": "boolean",
                "email": "email",
            }
        },
        sample_sizes={"t": 300},
    )
    df = frames["t"]
    assert arrow_bytes(df, tmp_path) == pandas_bytes(df, tmp_path)


@pytest.mark.parametrize(
    "df",
    [
        pd.DataFrame({"a": ["x,y", "z"], "b": [1, 2]}),
        pd.DataFrame({"a": ['say "hi"', "z"], "b": [1, 2]}),
        pd.DataFrame({"a": ["two\nlines", "z"], "b": [1, 2]}),
        pd.DataFrame({"a": ["cr\r", "z"], "b": [1, 2]}),
        pd.DataFrame({"a,b": ["x", "z"], "c": [1, 2]}),
        pd.DataFrame({"only": ["", "x"]}),
        pd.DataFrame({"a": [{"k": 1}, [1, 2]], "b": [1, 2]}),
    ],
)
def test_a_frame_that_needs_quotes_is_left_to_pandas(df: pd.DataFrame, tmp_path: Path) -> None:
    assert arrow_bytes(df, tmp_path) is None
    assert not (tmp_path / "arrow.csv").exists()


def test_the_dataset_writer_still_guards_and_quotes(tmp_path: Path) -> None:
    frames = {
        "plain": pd.DataFrame({"a": ["=1+1", "ok"], "b": [1.5, 2.0]}),
        "quoted": pd.DataFrame({"a": ["x,y", "@SUM(A1)"], "b": [1, 2]}),
    }
    write_dataset(frames, tmp_path, "csv")
    assert (tmp_path / "plain.csv").read_text() == "a,b\n'=1+1,1.5\nok,2.0\n"
    assert (tmp_path / "quoted.csv").read_text() == 'a,b\n"x,y",1\n\'@SUM(A1),2\n'


def test_a_disk_that_fills_up_in_pyarrow_leaves_the_directory_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.csv as pa_csv

    (tmp_path / "a.csv").write_text("old a\n")

    def disk_full(table: object, sink: Any, *args: object, **kwargs: object) -> None:
        sink.write(b"1,2\n3,")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pa_csv, "write_csv", disk_full)
    frames = {"a": pd.DataFrame({"x": [1, 2], "y": [3, 4]}), "b": pd.DataFrame({"z": [1, 2]})}
    with pytest.raises(OutputError, match="No space left"):
        write_dataset(frames, tmp_path, "csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"], "a temp file is left"
    assert (tmp_path / "a.csv").read_text() == "old a\n"
