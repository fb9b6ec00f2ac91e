"""Cells of a DataFrame become the Python values a database driver expects.

pandas hands out numpy scalars, ``Timestamp``/``NaT``, ``NaN`` and ``pd.NA``; DB-API drivers want
``int``, ``datetime``, ``Decimal`` and ``None``. Each column is converted as a whole list, with a
converter chosen once from the column's SQL type (a ``DATE`` column gets dates, not midnight
datetimes; a ``NUMERIC`` column gets ``Decimal`` built from the float's shortest text, so ``0.1``
stays ``0.1``), and every kind of missing value becomes ``None`` (NULL).
"""

from __future__ import annotations

import datetime
import decimal
import json
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import HSTORE
from sqlalchemy.types import TypeEngine

__all__ = ["column_values", "json_default", "records"]

Convert = Callable[[Any], Any]


def records(
    frame: pd.DataFrame, types: dict[str, TypeEngine[Any]], columns: Sequence[str]
) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts over ``columns``, each value ready for the driver."""
    lists = [column_values(frame[c], types[c]) for c in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*lists, strict=True)]


def column_values(series: pd.Series, type_: TypeEngine[Any]) -> list[Any]:
    """The values of ``series`` converted for a column of ``type_`` (missing values as None)."""
    missing = series.isna().to_numpy(dtype=bool)
    values = series.tolist()
    if not missing.any() and series.dtype.kind in "iub" and _plain_number(type_):
        return values  # tolist() already gave Python ints and bools
    convert = _converter(type_)
    return [None if gone else convert(value) for value, gone in zip(values, missing, strict=True)]


def _plain_number(type_: TypeEngine[Any]) -> bool:
    return isinstance(type_, (sa.Integer, sa.Boolean)) or (
        isinstance(type_, sa.Float) and not type_.asdecimal
    )


def _python(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, pd.Timedelta):
        return value.to_pytimedelta()
    return value


def _to_date(value: Any) -> Any:
    value = _python(value)
    return value.date() if isinstance(value, datetime.datetime) else value


def _to_datetime(value: Any) -> Any:
    if isinstance(value, str) and _INTERVAL.match(value):
        # An Interval kept as a DATETIME (SQLAlchemy's Interval off PostgreSQL): from the epoch.
        return _EPOCH + _to_timedelta(value)
    value = _python(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return value


def _to_decimal(value: Any) -> Any:
    value = _python(value)
    if isinstance(value, float):
        return decimal.Decimal(repr(value))  # the shortest text that reads back as the float
    if isinstance(value, int) and not isinstance(value, bool):
        return decimal.Decimal(value)
    return value


def _to_int(value: Any) -> Any:
    value = _python(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)  # an integer column that pandas widened to float for its NaNs
    return value


def _to_bool(value: Any) -> Any:
    value = _python(value)
    return bool(value) if isinstance(value, int) else value


def _to_uuid(value: Any) -> Any:
    return uuid.UUID(value) if isinstance(value, str) else value


def _to_uuid_text(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


def _to_text(value: Any) -> Any:
    value = _python(value)
    # A JSON document in a text column (MariaDB's JSON is LONGTEXT): its JSON text.
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=json_default)
    # A date in a column without a type (SQLite allows them): its ISO text, as SQLite keeps it.
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    return value.isoformat() if isinstance(value, (datetime.date, datetime.time)) else value


def _quoted(text: object) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _to_hstore(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return ", ".join(
        f"{_quoted(k)}=>{'NULL' if v is None else _quoted(v)}" for k, v in value.items()
    )


_EPOCH = datetime.datetime(1970, 1, 1)
_INTERVAL = re.compile(r"^(?:(\d+) days? )?(\d+):(\d{2}):(\d{2})$")


def _to_timedelta(value: Any) -> Any:
    """PostgreSQL's interval text (``2 days 03:00:00``) as a timedelta, for other databases."""
    match = _INTERVAL.match(value) if isinstance(value, str) else None
    if match is None:
        return _python(value)
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return datetime.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _converter(type_: TypeEngine[Any]) -> Convert:
    checks: list[tuple[bool, Convert]] = [
        (isinstance(type_, HSTORE), _to_hstore),
        (isinstance(type_, sa.Interval), _to_timedelta),
        (isinstance(type_, (sa.String, sa.types.NullType)), _to_text),
        (isinstance(type_, sa.DateTime), _to_datetime),
        (isinstance(type_, sa.Date), _to_date),
        (isinstance(type_, sa.Boolean), _to_bool),
        (isinstance(type_, sa.Integer), _to_int),
        (isinstance(type_, sa.Numeric) and bool(type_.asdecimal), _to_decimal),
        (isinstance(type_, sa.Uuid) and bool(getattr(type_, "as_uuid", False)), _to_uuid),
        (isinstance(type_, sa.Uuid), _to_uuid_text),
    ]
    return next((convert for matches, convert in checks if matches), _python)


def json_default(value: Any) -> Any:
    """``json.dumps`` fallback for the driver values above, in PostgreSQL's input formats."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return f"{value.total_seconds()} seconds"
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()  # bytea's hex input format
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
