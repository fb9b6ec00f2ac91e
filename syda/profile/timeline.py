"""The number line of temporal columns, and bounds read for it.

Time columns are drawn as integers: days since 1970-01-01 for dates, seconds since then for
timestamps (UTC, naive), seconds since midnight for times of day. Drawing on integers keeps every
value on the column's resolution (a unique column is unique by construction) and makes a bound
an exact comparison.

A date written without a time as the *upper* bound of a timestamp column means that whole day:
a person writing ``max: "2024-12-31"`` wants events on New Year's Eve too, so the bound is
23:59:59 of that day. The column's own bounds (a CHECK ``<= '2024-12-31'`` means that midnight,
as the database reads it) are intersected with the spec's, so the stricter one wins.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

from syda.schema.ir import Column

__all__ = [
    "DAY",
    "TEMPORAL",
    "column_bounds",
    "from_units",
    "read_bound",
    "span",
    "to_units",
    "units_per_second",
]

DAY = 86400
TEMPORAL = frozenset({"date", "datetime", "time"})
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH = pd.Timestamp(0)


def units_per_second(kind: str) -> float:
    """How many of the column's units one second is (dates count days)."""
    return 1 / DAY if kind == "date" else 1.0


def read_bound(value: Any, kind: str, upper: bool) -> int:
    """A bound written in a spec (ISO text, date, timestamp, time) on the column's number line.

    Raises:
        ValueError: If ``value`` is not a date, timestamp or time of the column's kind.
    """
    if kind == "time":
        t = value if isinstance(value, time) else time.fromisoformat(str(value).strip())
        return t.hour * 3600 + t.minute * 60 + t.second
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"{value!r} is not an ISO date such as '2024-12-31'")
    date_only = (isinstance(value, date) and not isinstance(value, datetime)) or (
        isinstance(value, str) and len(value.strip()) <= 10
    )
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    days = int((stamp.normalize() - _EPOCH).days)
    if kind == "date":
        return days
    if date_only and upper:
        return (days + 1) * DAY - 1  # the whole day: 23:59:59
    return math.floor((stamp - _EPOCH).total_seconds())


def column_bounds(column: Column) -> tuple[int | None, int | None]:
    """The column's own inclusive bounds (IR ordinal days) on its number line."""
    if column.kind == "time":
        return 0, DAY - 1

    def one(value: float | None, upper: bool) -> int | None:
        if value is None or math.isnan(value):
            return None
        days = value - _EPOCH_ORDINAL
        if column.kind == "date":
            return math.floor(days) if upper else math.ceil(days)
        # Fractional ordinal days carry float error of a few microseconds: read to the second.
        seconds = days * DAY
        return math.floor(seconds + 1e-3) if upper else math.ceil(seconds - 1e-3)

    return one(column.minimum, False), one(column.maximum, True)


def span(column: Column, low: Any, high: Any, today: date, years: float = 2.0) -> tuple[int, int]:
    """The inclusive range a column's values are drawn from.

    The spec's ``min``/``max`` intersected with the column's bounds; where neither side is
    known, the last ``years`` years up to the end of ``today``.

    Raises:
        ValueError: If a bound cannot be read, or the range is empty.
    """
    kind = column.kind
    col_lo, col_hi = column_bounds(column)
    lo = read_bound(low, kind, upper=False) if low is not None else None
    hi = read_bound(high, kind, upper=True) if high is not None else None
    lo = _tighter(lo, col_lo, max)
    hi = _tighter(hi, col_hi, min)
    if kind == "time":
        assert lo is not None and hi is not None
    else:
        width = round(years * 365.25 * (1 if kind == "date" else DAY))
        end_of_today = read_bound(today, kind, upper=True)
        if lo is None and hi is None:
            hi = end_of_today
        if lo is None:
            assert hi is not None
            lo = hi - width + 1
        if hi is None:
            hi = end_of_today if lo < end_of_today else lo + width - 1
    if lo > hi:
        raise ValueError(f"the range is empty ({_shown(lo, kind)} > {_shown(hi, kind)})")
    return lo, hi


def _tighter(a: int | None, b: int | None, pick: Any) -> int | None:
    if a is None:
        return b
    return a if b is None else int(pick(a, b))


def to_units(values: pd.Series[Any], kind: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Another column's values (dates, timestamps, times, ISO text) on ``kind``'s number line.

    NULLs become NaN. A date read for a timestamp column is its midnight.
    """
    if kind == "time":
        return values.map(_time_seconds, na_action="ignore").to_numpy(dtype=float, na_value=np.nan)
    stamps = pd.to_datetime(values, errors="coerce")
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    raw = stamps.to_numpy(dtype="datetime64[s]")
    out = raw.astype(np.int64).astype(float)
    out[np.isnat(raw)] = np.nan
    return np.floor(out / DAY) if kind == "date" else out


def from_units(units: np.ndarray[Any, Any], kind: str) -> pd.Series[Any]:
    """Integers on ``kind``'s number line (NaN for NULL) as values the column converter reads."""
    null = np.isnan(units) if units.dtype.kind == "f" else np.zeros(len(units), dtype=bool)
    whole = np.where(null, 0, units).astype(np.int64)
    if kind == "time":
        out = np.empty(len(whole), dtype=object)
        out[:] = [time(int(s) // 3600, int(s) % 3600 // 60, int(s) % 60) for s in whole % DAY]
        out[null] = None
        return pd.Series(out, dtype=object)
    stamps = whole.astype("datetime64[D]" if kind == "date" else "datetime64[s]")
    series = pd.Series(stamps.astype("datetime64[s]"))
    return series.mask(pd.Series(null)) if null.any() else series


def _time_seconds(value: Any) -> float:
    if isinstance(value, (time, datetime)):
        return float(value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, timedelta):
        return value.total_seconds()
    t = time.fromisoformat(str(value))
    return float(t.hour * 3600 + t.minute * 60 + t.second)


def _shown(value: int, kind: str) -> str:
    if kind == "time":
        return str(time(value // 3600, value % 3600 // 60, value % 60))
    if kind == "date":
        return str(date.fromordinal(value + _EPOCH_ORDINAL))
    return str(datetime(1970, 1, 1) + timedelta(seconds=value))
