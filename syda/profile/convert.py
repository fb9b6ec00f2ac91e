"""Values drawn from a spec, converted to the column's type and to syda's column conventions.

The same conventions as the offline provider's output (see :mod:`syda.profile.registry`), so
validation and every sink treat drawn and provided columns alike. Values written in a profile
(``values`` keys, ``min``/``max``) arrive as YAML gives them, often as strings; they are read
here for the column's type.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd

from syda.generators.date_values import date_objects
from syda.schema.ir import Column

__all__ = ["a_kind", "literal", "to_column", "to_number"]


def to_column(values: pd.Series[Any] | np.ndarray[Any, Any], column: Column) -> pd.Series[Any]:
    """``values`` as a series of the column's kind (NULLs kept)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    series = series.reset_index(drop=True)
    kind = column.kind
    if kind == "integer":
        numbers = pd.to_numeric(series, errors="coerce")
        return numbers.round().astype("Int64")
    if kind in ("float", "decimal"):
        numbers = pd.to_numeric(series, errors="coerce").astype(float)
        if kind == "decimal" and column.scale is not None:
            numbers = numbers.round(column.scale)
        return numbers
    if kind == "boolean":
        if series.dtype == object:
            series = series.map(_boolean, na_action="ignore")
        return series.astype("boolean")
    if kind == "datetime":
        stamps = pd.to_datetime(series, errors="coerce", utc=column.timezone)
        if not column.timezone and getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_localize(None)
        return stamps.astype("datetime64[us, UTC]" if column.timezone else "datetime64[us]")
    if kind == "date":
        stamps = pd.to_datetime(series, errors="coerce")
        if isinstance(stamps.dtype, np.dtype):
            # Naive stamps: numpy makes the date objects (NaT becomes None) in half the time
            # of the ``.dt.date`` accessor, the same calendar days.
            days = stamps.to_numpy().astype("datetime64[D]")
            return pd.Series(date_objects(days), dtype=object)
        out = pd.Series(stamps.dt.date, dtype=object)
        return out.where(stamps.notna(), None)
    if kind == "time":
        return series.map(_time, na_action="ignore").astype(object).where(series.notna(), None)
    out = series.astype(object)
    out = out.where(out.notna(), None)
    if pd.api.types.infer_dtype(out, skipna=True) in ("string", "empty"):
        return out  # text already (a drawn category, a pool value): nothing to convert
    return out.map(_text, na_action="ignore")


def a_kind(kind: str) -> str:
    """``"an integer"``, ``"a date"``: a column kind with its article, for messages."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def literal(value: Any, column: Column) -> Any:
    """One value written in a profile, read for the column's type."""
    return to_column(pd.Series([value], dtype=object), column).iloc[0]


def to_number(value: Any, column: Column) -> float:
    """A bound (number, date, timestamp or ISO text) on the column's number line.

    Numbers stay numbers; dates are days since 1970-01-01; timestamps are seconds since then;
    times are seconds since midnight.

    Raises:
        ValueError: If the value cannot be read for the column's type.
    """
    if column.kind in ("integer", "float", "decimal"):
        return float(value)
    if column.kind == "time":
        t = value if isinstance(value, time) else time.fromisoformat(str(value))
        return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    if column.kind == "date":
        return float((stamp.normalize() - pd.Timestamp(0)).days)
    return (stamp - pd.Timestamp(0)).total_seconds()


def _boolean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "y", "1", "t")
    return bool(value)


def _time(value: Any) -> Any:
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    return time.fromisoformat(str(value))


def _text(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)
