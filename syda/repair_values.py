"""Values of one column that meet a branch's demands (:mod:`syda.schema.check_candidates`).

:func:`draw_column` turns the demands of one branch of a CHECK on one column, with their other
sides evaluated row by row, into new values for the rows being repaired. It changes as little
as it can, so the values keep what the provider made of them:

* a value that already meets every demand is kept;
* numbers, dates, datetimes and times live on one axis (dates as ordinal days, as the IR's
  bounds are; datetimes as seconds since 1970, which keep microseconds; times as seconds since
  midnight): bounds are intersected per row (strict ones moved one step:
  1, the decimal's scale, a day, a second), a list picks a random item inside them, and a value
  out of its bounds is reflected back across the bound it crossed (``end`` five days before
  ``start`` becomes five days after), or drawn uniformly when that leaves the range;
* text is changed to fit its patterns and lengths (:mod:`syda.repair_text`), bytes to fit
  their lengths (cut, or padded with random bytes: ``octet_length(id) = 20``);
* NULL where a branch asks for it, and a value from the column's other rows where a NULL must
  become a value.

Nothing here must be exact: the caller evaluates every candidate and keeps only what passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from syda.repair_demands import Asked, BoolArray, Evaluate, ask, length_bounds, missing
from syda.repair_text import draw_text
from syda.schema.check_candidates import Demand
from syda.schema.ir import Column

__all__ = ["draw_column"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

_AXIS = frozenset({"integer", "float", "decimal", "date", "datetime", "time"})
_TEXT = frozenset({"string", "text", "unknown", "uuid"})
_ORDINAL_1970 = 719163  # date(1970, 1, 1).toordinal()
_SPREAD = {"integer": 10.0, "float": 1.0, "decimal": 1.0, "date": 30.0, "datetime": 30.0 * 86400}
_SPREAD_TIME = 3600.0


def draw_column(
    column: Column,
    current: pd.Series[Any],
    demands: Sequence[Demand],
    evaluate: Evaluate,
    rng: np.random.Generator,
    donors: pd.Series[Any],
    unique: bool,
) -> pd.Series[Any]:
    """New values for ``column`` on the rows of ``current`` that meet ``demands`` where they can.

    Args:
        column: The column.
        current: Its values on the rows being repaired (fresh index).
        demands: The branch's demands on this column.
        evaluate: Evaluates the demands' expressions on those rows.
        rng: The table's random generator.
        donors: Non-NULL values of the column elsewhere in the table, for a NULL made a value.
        unique: Whether the column is part of a UNIQUE set (patterns then keep the value's text).

    Returns:
        The values, in the representation of ``current`` where it has one.
    """
    asked = ask(demands, evaluate, len(current))
    if column.kind in _AXIS:
        # Unbounded sides are infinities and NULLs NaNs: the arithmetic on them is meant.
        with np.errstate(invalid="ignore", over="ignore"):
            return _draw_axis(column, current, asked, rng, donors)
    if column.kind in _TEXT:
        return draw_text(column, current, asked, rng, donors, unique)
    drawn = _draw_other(column, current, asked, rng, donors)
    return _sized_bytes(column, drawn, asked, rng) if column.kind == "binary" else drawn


# --- numbers, dates, datetimes and times on one axis ---------------------------------------


def _step(column: Column) -> float | None:
    if column.kind in ("integer", "date", "time"):
        return 1.0
    if column.kind == "datetime":
        return 1.0
    if column.kind == "decimal" and column.scale is not None:
        return float(10.0 ** (-column.scale))
    return None


def _to_axis(values: pd.Series[Any], kind: str) -> FloatArray:
    if kind in ("integer", "float", "decimal"):
        return np.asarray(pd.to_numeric(values, errors="coerce"), dtype=float)
    if kind == "time":
        text = values.astype(object).map(lambda v: None if missing(v) else str(v))
        seconds = pd.to_timedelta(text, errors="coerce").dt.total_seconds()
        return np.asarray(seconds, dtype=float)
    moments = pd.to_datetime(values.astype(object), errors="coerce", utc=True).dt.tz_localize(None)
    since = moments - pd.Timestamp("1970-01-01")
    if kind == "datetime":
        return np.asarray(since / pd.Timedelta(seconds=1), dtype=float)
    days: FloatArray = np.floor(np.asarray(since / pd.Timedelta(days=1), dtype=float))
    return days + _ORDINAL_1970


def _from_axis(values: FloatArray, column: Column, like: pd.Series[Any]) -> pd.Series[Any]:
    kind = column.kind
    missing = np.isnan(values)
    if kind == "integer":
        whole = pd.array(np.where(missing, 0, np.round(values)).astype(np.int64), dtype="Int64")
        whole[missing] = pd.NA
        return pd.Series(whole if missing.any() else whole.astype(np.int64))
    if kind in ("float", "decimal"):
        if column.scale is not None:
            values = np.round(values, column.scale)
        if kind == "decimal" and _holds(like, Decimal):
            return pd.Series(
                [None if m else Decimal(str(v)) for v, m in zip(values, missing, strict=True)],
                dtype=object,
            )
        return pd.Series(values)
    if kind == "time":
        return pd.Series(
            [None if m else _time_of(v) for v, m in zip(values, missing, strict=True)], dtype=object
        )
    epoch = np.datetime64("1970-01-01T00:00:00", "us")
    seconds = values if kind == "datetime" else (values - _ORDINAL_1970) * 86400
    micros = np.where(missing, 0, np.round(seconds * 1_000_000))
    moments = pd.Series(epoch + micros.astype("timedelta64[us]")).where(~pd.Series(missing))
    if kind == "date":
        days = moments.dt.floor("D")
        if like.dtype.kind == "M":
            return pd.Series(days)
        return pd.Series(
            [None if m else d.date() for d, m in zip(days, missing, strict=True)], dtype=object
        )
    tz = getattr(like.dtype, "tz", None)
    return moments.dt.tz_localize("UTC").dt.tz_convert(tz) if tz is not None else moments


def _time_of(seconds: float) -> dt.time:
    whole = min(max(seconds, 0.0), 86399.999999)
    return (dt.datetime.min + dt.timedelta(seconds=whole)).time()


def _draw_axis(
    column: Column,
    current: pd.Series[Any],
    asked: Asked,
    rng: np.random.Generator,
    donors: pd.Series[Any],
) -> pd.Series[Any]:
    kind, n, step = column.kind, asked.n, _step(column)
    cur = _to_axis(current, kind)
    low = np.full(n, _axis_bound(column, column.minimum, -np.inf))
    high = np.full(n, _axis_bound(column, column.maximum, np.inf))
    if kind == "time":
        low, high = np.zeros(n), np.full(n, 86399.0)
    eq = np.full(n, np.nan)
    for op, mask, other in asked.compared:
        v = np.where(mask, _to_axis(other, kind), np.nan)
        if op == "=":
            eq = np.where(np.isnan(eq), v, eq)
        elif op in (">", ">="):
            low = np.fmax(low, _nudge(v, step, up=True) if op == ">" else v)
        else:
            high = np.fmin(high, _nudge(v, step, up=False) if op == "<" else v)
    if step is not None:
        low, high = np.ceil(low / step - 1e-9) * step, np.floor(high / step + 1e-9) * step
    excluded = [_to_axis(e, kind) for e in asked.excluded]
    out = eq.copy()
    todo = np.isnan(out)
    if asked.choices is not None:
        matrix = np.column_stack([_to_axis(c, kind) for c in asked.choices])
        out[todo] = _pick(matrix, low, high, excluded, rng)[todo]
    else:
        out[todo] = _within(cur, low, high, excluded, step, kind, rng)[todo]
    if asked.null:
        out[:] = np.nan
    elif np.isnan(out).any() and (asked.not_null or not column.nullable) and len(donors):
        fill = _to_axis(
            donors.sample(n, replace=True, random_state=rng).reset_index(drop=True), kind
        )
        out = np.where(np.isnan(out), fill, out)
    return _from_axis(out, column, current)


def _axis_bound(column: Column, bound: float | None, unbounded: float) -> float:
    """A bound of the IR on this axis (datetimes: fractional ordinal days to seconds)."""
    if bound is None or column.kind == "time":
        return unbounded
    return (bound - _ORDINAL_1970) * 86400 if column.kind == "datetime" else bound


def _nudge(values: FloatArray, step: float | None, *, up: bool) -> FloatArray:
    """The nearest value the column can hold strictly beyond ``values``."""
    if step is None:
        return np.nextafter(values, np.inf if up else -np.inf)
    if up:
        return np.floor(values / step + 1e-9) * step + step
    return np.ceil(values / step - 1e-9) * step - step


def _excluded(values: FloatArray, excluded: Sequence[FloatArray]) -> BoolArray:
    hit = np.zeros(len(values), dtype=bool)
    for e in excluded:
        hit |= np.isclose(values, e, rtol=0, atol=1e-9)
    return hit


def _pick(
    matrix: FloatArray,
    low: FloatArray,
    high: FloatArray,
    excluded: Sequence[FloatArray],
    rng: np.random.Generator,
) -> FloatArray:
    """A random item of each row's list inside its bounds (any item when none is)."""
    valid = ~np.isnan(matrix) & (matrix >= low[:, None]) & (matrix <= high[:, None])
    for e in excluded:
        valid &= ~np.isclose(matrix, e[:, None], rtol=0, atol=1e-9)
    weights = rng.random(matrix.shape) + valid
    choice = np.argmax(weights, axis=1)
    picked: FloatArray = matrix[np.arange(len(matrix)), choice]
    return picked


def _within(
    cur: FloatArray,
    low: FloatArray,
    high: FloatArray,
    excluded: Sequence[FloatArray],
    step: float | None,
    kind: str,
    rng: np.random.Generator,
) -> FloatArray:
    """Each value where it meets its bounds, else reflected back inside them (or drawn)."""
    keep = ~np.isnan(cur) & (cur >= low) & (cur <= high)
    if kind in ("integer", "float", "decimal"):
        # A value that was not negative (a price, a count) stays so where its bounds allow.
        low = np.where((cur >= 0) & (high >= 0), np.fmax(low, 0.0), low)
    out = np.where(cur < low, 2 * low - cur, np.where(cur > high, 2 * high - cur, cur))
    spread = _SPREAD_TIME if kind == "time" else _SPREAD[kind]
    lo_ok, hi_ok = np.isfinite(low), np.isfinite(high)
    width = np.where(
        lo_ok & hi_ok, high - low, np.maximum(spread, 0.5 * np.abs(np.where(lo_ok, low, high)))
    )
    base = np.where(lo_ok, low, np.where(hi_ok, high - width, 0.0))
    drawn = base + rng.random(len(cur)) * np.where(lo_ok | hi_ok, width, spread)
    outside = np.isnan(out) | (out < low) | (out > high)
    out = np.where(keep, cur, np.where(outside, drawn, out))
    if step is not None:
        out = np.clip(np.round(out / step) * step, low, high)
    hit = _excluded(out, excluded)
    if hit.any():
        move = step if step is not None else max(spread * 0.01, 1e-6)
        bumped = np.where(out + move <= high, out + move, out - move)
        out = np.where(hit, bumped, out)
    return out


# --- booleans and the rest --------------------------------------------------------------------


def _draw_other(
    column: Column,
    current: pd.Series[Any],
    asked: Asked,
    rng: np.random.Generator,
    donors: pd.Series[Any],
) -> pd.Series[Any]:
    out = current.astype(object).where(current.notna(), None).tolist()
    for e in asked.equal():
        out = [v if missing(x) else _as(column, x) for v, x in zip(out, e.tolist(), strict=True)]
    if asked.choices is not None:
        picks = rng.integers(len(asked.choices), size=asked.n)
        out = [_as(column, asked.choices[p].iloc[i]) for i, p in enumerate(picks)]
    if column.kind == "boolean":
        for e in asked.excluded:
            out = [
                (not v) if v is not None and v == _as(column, x) else v
                for v, x in zip(out, e.tolist(), strict=True)
            ]
    if asked.null:
        out = [None] * asked.n
    elif (asked.not_null or not column.nullable) and len(donors):
        fill = donors.sample(asked.n, replace=True, random_state=rng).tolist()
        out = [f if missing(v) else v for v, f in zip(out, fill, strict=True)]
    return pd.Series(out, dtype=object)


def _sized_bytes(
    column: Column, values: pd.Series[Any], asked: Asked, rng: np.random.Generator
) -> pd.Series[Any]:
    """Byte strings cut, or padded with random bytes, to the lengths each row allows."""
    low, high = length_bounds(asked, column.length)
    out: list[Any] = []
    for value, shortest, longest in zip(values.tolist(), low, high, strict=True):
        if missing(value) or shortest > longest:
            out.append(value)
            continue
        binary = isinstance(value, bytes | bytearray | memoryview)
        raw = bytes(value) if binary else str(value).encode()
        if len(raw) > longest:
            raw = raw[: int(longest)]
        if len(raw) < shortest:
            raw += rng.integers(0, 256, int(shortest) - len(raw), dtype=np.uint8).tobytes()
        out.append(raw)
    return pd.Series(out, dtype=object)


def _as(column: Column, value: Any) -> Any:
    if missing(value):
        return None
    if column.kind == "boolean":
        if isinstance(value, str):
            return value.strip().lower() in ("1", "t", "true", "y", "yes")
        return bool(value)
    return value


def _holds(series: pd.Series[Any], kind: type) -> bool:
    present = series.dropna()
    return bool(len(present)) and isinstance(present.iloc[0], kind)
