"""Regular time series: ``series: {ts: {start, end, every: 1h}}`` and its curve columns.

A series table has one row per step of its time axis, so its row count is the axis' length
(the planner sets it; a requested count that disagrees is overridden, with a warning). The
timestamp column is filled by construction, like a key sequence (:func:`axis_values`).

A numeric column of a series table with ``level`` (and ``trend``, ``daily``/``weekly``/``yearly``
cycles, ``noise``, ``ar1``) follows the curve::

    level * (1 + trend) ** years_since_start
          * (1 + daily.amplitude * cos(2 pi (hour - daily.peak) / 24))
          * (1 + weekly.amplitude * cos(2 pi (weekday - weekly.peak) / 7))
          * (1 + yearly.amplitude * cos(2 pi (month - yearly.peak) / 12))
          * (1 + noise * e)

where hours, weekdays (0 = Monday) and months (1-12, a month's middle being the whole number)
are fractional, and ``e`` is a stationary AR(1) process of unit variance whose lag-one
correlation is ``ar1``. Integers are rounded, and values stay within the column's bounds.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from syda.profile.checks import register_modifiers
from syda.profile.context import DrawContext
from syda.profile.convert import a_kind, to_column
from syda.profile.registry import Family, register
from syda.profile.spec import ColumnProfile, Cycle, SeriesAxis, TableProfile
from syda.profile.timeline import DAY, read_bound, to_units
from syda.schema.ir import Column, Schema, Table

__all__ = ["SERIES_KEYS", "axis_length", "axis_values", "series_problems"]

SERIES_KEYS = frozenset({"level", "trend", "daily", "weekly", "yearly", "noise", "ar1"})
_STEP = re.compile(r"^\s*(\d+)\s*(s|min|m|h|d|w)\s*$")
_STEP_SECONDS = {"s": 1, "min": 60, "m": 60, "h": 3600, "d": DAY, "w": 7 * DAY}
_YEAR = 365.25 * DAY


def _axis(axis: SeriesAxis, column: Column) -> tuple[int, int, int]:
    """(first, last, step) on the column's number line (days for a date column).

    Raises:
        ValueError: If a bound cannot be read, the step is not whole days on a date column,
            or the axis is empty.
    """
    match = _STEP.match(axis.every)
    assert match is not None  # the spec's pattern
    seconds = int(match.group(1)) * _STEP_SECONDS[match.group(2)]
    if seconds <= 0:
        raise ValueError(f"every: {axis.every!r} is not a positive step")
    first = read_bound(axis.start, column.kind, upper=False)
    last = read_bound(axis.end, column.kind, upper=True)
    step = seconds
    if column.kind == "date":
        if seconds % DAY:
            raise ValueError(f"every: {axis.every!r} is not whole days, as a date column needs")
        step = seconds // DAY
    if last < first:
        raise ValueError(f"end {axis.end!r} is before start {axis.start!r}")
    return first, last, step


def axis_length(axis: SeriesAxis, column: Column) -> int:
    """How many steps the axis has (its end included when it falls on a step)."""
    first, last, step = _axis(axis, column)
    return (last - first) // step + 1


def axis_values(axis: SeriesAxis, column: Column, n: int) -> pd.Series[Any]:
    """The timestamp column of a series table: ``start``, ``start + every``, ..."""
    first, _, step = _axis(axis, column)
    units = first + step * np.arange(n, dtype=np.int64)
    stamps = units.astype("datetime64[D]" if column.kind == "date" else "datetime64[s]")
    return to_column(pd.Series(stamps.astype("datetime64[s]")), column)


def series_problems(schema: Schema, table: Table, profile: TableProfile) -> list[str]:
    """Problems of a table's series axis, and of series keys on a table that has none."""
    problems: list[str] = []
    curves = [
        name
        for name, spec in profile.columns.items()
        if any(getattr(spec, k) is not None for k in SERIES_KEYS - {"trend"})
        and table.has_column(name)
        and table.column(name).kind in ("integer", "float", "decimal")
    ]
    if profile.series is None:
        problems.extend(
            f"{table.key}.{name}: level/daily/weekly/yearly/noise/ar1 need a table-level series "
            "(series: {timestamp: {start, end, every}})"
            for name in curves
        )
        return problems
    ((name, axis),) = profile.series.items()
    where = f"{table.key}: series"
    if not table.has_column(name):
        return [f"{where}: {table.key} has no column {name!r}"]
    column = table.column(name)
    if column.kind not in ("date", "datetime"):
        return [f"{where}: {name} is {a_kind(column.kind)} column, not a date or timestamp"]
    try:
        axis_length(axis, column)
    except ValueError as error:
        problems.append(f"{where}: {error}")
    return problems


# -- the curve columns ----------------------------------------------------------------------------
def _cycle(cycle: Cycle | None, position: np.ndarray[Any, Any], period: float) -> Any:
    if cycle is None:
        return 1.0
    return 1 + cycle.amplitude * np.cos(2 * np.pi * (position - cycle.peak) / period)


def ar1_process(rng: np.random.Generator, n: int, phi: float) -> np.ndarray[Any, Any]:
    """A stationary AR(1) series of unit variance and lag-one correlation ``phi``.

    ``e[t] = phi * e[t-1] + sqrt(1 - phi^2) * z[t]``, computed block by block without a loop
    over rows: inside a block ``e[t] = phi^t * (e0 + cumsum(z[k] phi^-k))``, the block being short
    enough that ``phi^-k`` stays finite.
    """
    z = rng.standard_normal(n)
    if phi == 0 or n == 0:
        return z
    shocks = z * math.sqrt(1 - phi * phi)
    block = max(1, min(n, int(300 / -math.log10(abs(phi))) if abs(phi) < 1 else n))
    out = np.empty(n)
    state = z[0]  # the stationary start: unit variance
    out[0] = state
    start = 1
    while start < n:
        stop = min(n, start + block)
        k = np.arange(1, stop - start + 1, dtype=float)
        powers = phi**k
        out[start:stop] = powers * (state + np.cumsum(shocks[start:stop] / powers))
        state = out[stop - 1]
        start = stop
    return out


def _timestamps(ctx: DrawContext) -> tuple[np.ndarray[Any, Any], float]:
    """The rows' timestamps (seconds since 1970) and the axis' start."""
    tp = ctx.table_profile
    assert tp is not None and tp.series is not None  # the planner checks series tables
    ((name, axis),) = tp.series.items()
    column = ctx.table.column(name)
    stamps = to_units(ctx.value(name), "datetime")
    start = float(read_bound(axis.start, "datetime", upper=False))
    if column.kind == "date":
        start = math.floor(start / DAY) * DAY
    return stamps, start


def _draw(ctx: DrawContext) -> pd.Series[Any]:
    spec, column = ctx.spec, ctx.column
    seconds, start = _timestamps(ctx)
    moments = pd.to_datetime(seconds, unit="s")
    hour = moments.hour + moments.minute / 60 + moments.second / 3600
    weekday = moments.day_of_week + hour / 24
    year_days = np.where(moments.is_leap_year, 366, 365)
    month = 0.5 + 12 * (moments.day_of_year - 1 + hour / 24) / year_days
    level = spec.level if spec.level is not None else _middle(column)
    curve = level * (1 + (spec.trend or 0)) ** ((seconds - start) / _YEAR)
    curve = curve * _cycle(spec.daily, np.asarray(hour), 24)
    curve = curve * _cycle(spec.weekly, np.asarray(weekday), 7)
    curve = curve * _cycle(spec.yearly, np.asarray(month), 12)
    if spec.noise:
        curve = curve * (1 + spec.noise * ar1_process(ctx.rng, ctx.n, spec.ar1 or 0.0))
    values = np.asarray(curve, dtype=float)
    if spec.round is not None:
        values = np.round(values, spec.round)
    low = _tighter(column.minimum, spec.min, max)
    high = _tighter(column.maximum, spec.max, min)
    values = np.clip(values, low, high)
    if column.kind == "integer":
        # Rounding must not step past a fractional bound (a CHECK > 0.5 allows 1, not 0).
        values = np.clip(np.round(values), np.ceil(low), np.floor(high))
    return to_column(pd.Series(values), column)


def _tighter(bound: float | None, spec_bound: Any, pick: Any) -> float:
    default = -math.inf if pick is max else math.inf
    values = [float(v) for v in (bound, spec_bound) if v is not None]
    return float(pick(values)) if values else default


def _middle(column: Column) -> float:
    assert column.minimum is not None and column.maximum is not None  # the check says so
    return (column.minimum + column.maximum) / 2


def _check(schema: Schema, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    where = f"{table.key}.{column.name}"
    problems = []
    if spec.level is None and (column.minimum is None or column.maximum is None):
        problems.append(f"{where}: a series column needs level (or both min and max)")
    for key in ("min", "max"):
        value = getattr(spec, key)
        if value is not None and not isinstance(value, (int, float)):
            problems.append(f"{where}: {key}: {value!r} is not a number")
    if spec.daily is not None and not 0 <= spec.daily.peak < 24:
        problems.append(f"{where}: daily peak is an hour, 0 to 23")
    if spec.weekly is not None and not 0 <= spec.weekly.peak < 7:
        problems.append(f"{where}: weekly peak is a weekday, 0 (Monday) to 6")
    if spec.yearly is not None and not 1 <= spec.yearly.peak <= 12:
        problems.append(f"{where}: yearly peak is a month, 1 to 12")
    if spec.ar1 is not None and not spec.noise:
        problems.append(f"{where}: ar1 shapes the noise; give noise too")
    return problems


register(
    Family(
        name="series",
        triggers=SERIES_KEYS,
        priority=60,
        draw=_draw,
        kinds=frozenset({"integer", "float", "decimal"}),
        check=_check,
    )
)
register_modifiers("series", frozenset({"min", "max", "round"}))
