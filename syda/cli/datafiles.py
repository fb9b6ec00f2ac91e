"""Reading a dataset back (files or database rows) with the types its schema declares.

Files lose types: a CSV holds only text, JSON has no dates or decimals, and the sinks write some
values as text (JSON columns as JSON, bytes as base64). Before a dataset is validated, every
column is coerced to its column's kind, so that a correct file validates clean. A value that does
not convert is kept as it was, so validation reports it (as a wrong type) instead of it silently
becoming NULL.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import OutputError, SchemaError
from syda.schema.ir import Column, Schema, Table
from syda.sinks import SUPPORTED_FORMATS, unguard_cell

__all__ = ["coerce_frame", "find_files", "read_dataset", "read_file"]

_TRUE = frozenset({"true", "t", "1", "yes", "y"})
_FALSE = frozenset({"false", "f", "0", "no", "n"})


def find_files(schema: Schema, directory: Path) -> dict[str, Path]:
    """Find the file of every table in ``directory``: named after its SQL table or its key.

    Tables without a file are left out (validation reports them as missing).

    Raises:
        SchemaError: If the directory does not exist, or a table has several files.
    """
    if not directory.is_dir():
        raise SchemaError([f"--data {directory}: no such directory"])
    found: dict[str, Path] = {}
    for table in schema:
        stems = dict.fromkeys([table.name, table.key, table.key.replace("/", "_")])
        candidates = [
            directory / f"{stem}.{fmt}"
            for stem in stems
            for fmt in SUPPORTED_FORMATS
            if (directory / f"{stem}.{fmt}").is_file()
        ]
        if len(candidates) > 1:
            names = ", ".join(p.name for p in candidates)
            raise SchemaError([f"{table.key} has several files in {directory} ({names})"])
        if candidates:
            found[table.key] = candidates[0]
    return found


def read_file(path: Path, table: Table) -> pd.DataFrame:
    """Read one table's file and coerce its columns to the table's kinds.

    Raises:
        OutputError: If the file cannot be read or parsed.
    """
    fmt = path.suffix.lstrip(".").lower()
    try:
        if fmt == "csv":
            # Everything as text (no "NA" -> NaN guessing); only an empty field is NULL.
            df = _unguarded(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]))
        elif fmt == "json":
            with path.open(encoding="utf-8") as handle:
                records = json.load(handle)
            if not isinstance(records, list):
                raise ValueError("expected an array of row objects")
            df = pd.DataFrame(records) if records else pd.DataFrame(columns=table.column_names)
        else:
            df = pd.read_parquet(path)
    except ImportError as exc:
        raise OutputError(f'reading {path} needs pyarrow: pip install "syda[parquet]"') from exc
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot read {path}: {exc}", table=table.key) from exc
    return coerce_frame(table, df, text_encoded=fmt != "json", base64_bytes=fmt != "parquet")


def _unguarded(df: pd.DataFrame) -> pd.DataFrame:
    # The sinks put a ' before CSV cells (and names) a spreadsheet would evaluate; the values
    # that were generated are the ones to validate.
    df = df.rename(columns=lambda name: unguard_cell(name) if isinstance(name, str) else name)
    for position in range(df.shape[1]):
        column = df.iloc[:, position]
        quoted = column.str.startswith("'", na=False).to_numpy()
        if quoted.any():
            values = column.to_numpy(dtype=object, copy=True)
            values[quoted] = [unguard_cell(v) for v in values[quoted]]
            df.isetitem(position, values)
    return df


def read_dataset(schema: Schema, files: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Read the file of every table in ``files``.

    Raises:
        OutputError: If a file cannot be read.
    """
    return {key: read_file(path, schema.table(key)) for key, path in files.items()}


def _each(series: pd.Series[Any], convert: Callable[[Any], Any]) -> pd.Series[Any]:
    """Convert every non-NULL value, keeping those that do not convert as they are."""

    def one(value: Any) -> Any:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return None
        try:
            return convert(value)
        except (ValueError, TypeError, ArithmeticError, binascii.Error):
            return value

    return pd.Series([one(v) for v in series.tolist()], index=series.index, dtype=object)


def _integer(series: pd.Series[Any]) -> pd.Series[Any]:
    numbers = pd.to_numeric(series, errors="coerce")
    failed = numbers.isna() & series.notna()
    if not failed.any() and (numbers.dropna() % 1 == 0).all():
        return numbers.astype("Int64")

    def parse(value: Any) -> Any:
        number = float(value) if isinstance(value, str) else value
        if isinstance(number, float) and number.is_integer():
            return int(number)
        return int(value) if isinstance(value, str) else value

    return _each(series, parse)


def _float(series: pd.Series[Any]) -> pd.Series[Any]:
    numbers = pd.to_numeric(series, errors="coerce")
    if not (numbers.isna() & series.notna()).any():
        return numbers.astype("float64")
    return _each(series, lambda v: float(v) if isinstance(v, str) else v)


def _decimal(value: Any) -> Any:
    return Decimal(value.strip()) if isinstance(value, str) else value


def _boolean(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    return value


def _date(value: Any) -> Any:
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value.strip())
        # A midnight datetime is a date written by a datetime-typed writer; keep the time
        # otherwise, so validation reports it.
        return parsed.date() if parsed.time() == dt.time() and parsed.tzinfo is None else parsed
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _datetime(value: Any) -> Any:
    return dt.datetime.fromisoformat(value.strip()) if isinstance(value, str) else value


def _time(value: Any) -> Any:
    return dt.time.fromisoformat(value.strip()) if isinstance(value, str) else value


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _bytes(value: Any) -> Any:
    return base64.b64decode(value, validate=True) if isinstance(value, str) else value


def _temporal(series: pd.Series[Any], kind: str) -> pd.Series[Any]:
    if series.dtype.kind == "M":
        return series
    if kind == "datetime":
        try:
            parsed = pd.to_datetime(series, format="ISO8601")
        except (ValueError, TypeError, OverflowError):
            return _each(series, _datetime)
        if parsed.dtype.kind == "M":
            return parsed
    convert = _date if kind == "date" else _time if kind == "time" else _datetime
    return _each(series, convert)


def _coerce(series: pd.Series[Any], column: Column, text_encoded: bool, b64: bool) -> Any:
    kind = column.kind
    if kind == "integer":
        return series if series.dtype.kind in "iu" else _integer(series)
    if kind == "float":
        return series if series.dtype.kind == "f" else _float(series)
    if kind == "decimal":
        return series if series.dtype.kind in "iuf" else _each(series, _decimal)
    if kind == "boolean":
        return series if series.dtype.kind == "b" else _each(series, _boolean)
    if kind in ("date", "datetime", "time"):
        return _temporal(series, kind)
    if kind == "json" and text_encoded:
        return _each(series, _json)
    if kind == "binary" and b64:
        return _each(series, _bytes)
    return series


def coerce_frame(
    table: Table, df: pd.DataFrame, *, text_encoded: bool = False, base64_bytes: bool = False
) -> pd.DataFrame:
    """Convert each column of ``df`` to the Python types of its column's kind.

    Args:
        table: The table the rows belong to.
        df: The rows as read (columns the table does not have are left alone).
        text_encoded: JSON columns hold JSON text (CSV and Parquet files), to be parsed.
        base64_bytes: Binary columns hold base64 text (CSV and JSON files), to be decoded.

    Returns:
        A new frame; values that do not convert are kept as read, for validation to report.
    """
    columns = {c.name: c for c in table.columns}
    converted = {
        str(name): _coerce(df[name], columns[str(name)], text_encoded, base64_bytes)
        for name in df.columns
        if str(name) in columns
    }
    return df.assign(**converted) if converted else df.copy()
