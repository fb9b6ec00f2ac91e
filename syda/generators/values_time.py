"""Date, timestamp and time-of-day generators, and ordering of columns within a row.

Dates are built as ``datetime64[D]`` arrays and timestamps as ``datetime64[s]`` arrays; the
provider converts them to the output types at the end. Ranges follow the column's meaning: birth
dates of adults, creation dates within the last three years (recent days more common, times of
day during business hours), due and expiry dates in the near future. Declared bounds (ordinal
days) always win.

:func:`order_values` makes columns respect comparisons with other columns of the same row
(``end_date >= start_date``, ``updated_at >= created_at``, ``max_price > min_price``): the column
is derived from the already known side as an offset in the column's own unit (a day, a second,
a cent), so the comparison holds for every row by construction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator
from syda.generators.values_num import decimals_of, numeric_bounds, round_to_column

__all__ = [
    "DAY_EVENTS",
    "GENERATORS",
    "Bound",
    "as_internal",
    "day_event",
    "order_values",
]

_EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal(): numpy day 0
_DAY = 86400
# Share of events per hour of day: busy office hours, quiet nights.
_HOURS = np.array(
    [1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 10, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2, 2, 1], dtype=float
)
_FUTURE = frozenset({"due", "expiry", "expires", "expiration", "expire", "deadline", "renewal",
                     "next", "scheduled", "until", "valid", "appointment"})  # fmt: skip
DAY_EVENTS = frozenset({"birth", "birthday", "birthdate", "dob", "born", "hire", "hired",
                        "death", "died", "anniversary", "graduation", "wedding"})  # fmt: skip
"""Words of events known by their day, not their hour: a DATETIME birth date is at midnight."""
_OFFSET_DAYS = 14.0
"""Typical offset of a date derived from another when no rule names its gap."""

_GROWTH = 0.10
"""Yearly growth of the volume of events drawn as "recent" (created, ordered, joined)."""
Bound = tuple[AnyArray, bool]
"""Per-row bound values (NaN/NaT where there is none) and whether the bound is strict."""


def _day_bounds(b: Batch, spec: ColumnSpec, lo_days: int, hi_days: int) -> tuple[int, int]:
    """Inclusive range in numpy days (since 1970-01-01), relative defaults unless declared."""
    col = spec.column
    today = int(b.today.astype(np.int64))
    lo = int(col.minimum) - _EPOCH_ORDINAL if col.minimum is not None else today + lo_days
    hi = int(col.maximum) - _EPOCH_ORDINAL if col.maximum is not None else today + hi_days
    if hi < lo:
        if col.maximum is None:
            hi = lo + (hi_days - lo_days)
        elif col.minimum is None:
            lo = hi - (hi_days - lo_days)
        else:
            lo, hi = hi, lo
    return lo, hi


def _days(b: Batch, spec: ColumnSpec, lo_days: int, hi_days: int, recent: bool) -> AnyArray:
    lo, hi = _day_bounds(b, spec, lo_days, hi_days)
    u = b.rng.random(b.n)
    span = hi - lo + 1
    if recent and span > 1:
        # A business that grows by _GROWTH a year has that many more events a year later: the
        # density rises smoothly over the whole range (inverse CDF of exp(k t)), so months and
        # weekdays stay even instead of ramping up to the reference date.
        k = math.log1p(_GROWTH) / 365.2425
        u = np.log1p(u * math.expm1(k * span)) / (k * span)
    days = lo + np.floor(u * span).astype(np.int64)
    return np.minimum(days, hi)


def day_event(tokens: Sequence[str] | frozenset[str]) -> bool:
    """Whether a column of these name words holds a day (a birth, a hire), not a moment."""
    return bool(DAY_EVENTS & set(tokens))


def _with_time(b: Batch, spec: ColumnSpec, days: AnyArray) -> AnyArray:
    """Days as ``datetime64[D]``, or with a business-hours time of day for timestamp columns.

    A day event (a birth date) in a timestamp column is that day's midnight.
    """
    if spec.column.kind != "datetime":
        return days.astype("datetime64[D]")
    if day_event(spec.tokens):
        return days.astype("datetime64[D]").astype("datetime64[s]")
    hours = b.rng.choice(24, size=b.n, p=_HOURS / _HOURS.sum())
    seconds = days * _DAY + hours * 3600 + b.rng.integers(0, 3600, b.n)
    return _within_seconds(spec, seconds).astype("datetime64[s]")


def _within_seconds(spec: ColumnSpec, seconds: AnyArray) -> AnyArray:
    """Timestamps moved by whole days into the column's exact bounds, keeping their time.

    A bound such as ``max: 2024-12-31`` is midnight of that day (as the database's CHECK reads
    it), so a time drawn later on the last day moves to the day before.
    """
    col = spec.column
    lo = (col.minimum - _EPOCH_ORDINAL) * _DAY if col.minimum is not None else -math.inf
    hi = (col.maximum - _EPOCH_ORDINAL) * _DAY if col.maximum is not None else math.inf
    out = seconds.astype(np.float64)
    late = out > hi
    out[late] -= np.ceil((out[late] - hi) / _DAY) * _DAY
    early = out < lo
    out[early] += np.ceil((lo - out[early]) / _DAY) * _DAY
    # A range shorter than the moves (min and max on one day): the bound itself.
    out = np.clip(out, lo, hi) if math.isfinite(lo) or math.isfinite(hi) else out
    return np.ceil(out).astype(np.int64) if math.isfinite(lo) else out.astype(np.int64)


def _years_before(day: np.datetime64, years: int) -> int:
    """The numpy day number of the same calendar day ``years`` earlier (Feb 29 -> Feb 28)."""
    d = day.astype(object)
    try:
        earlier = d.replace(year=d.year - years)
    except ValueError:
        earlier = d.replace(year=d.year - years, day=28)
    return int(earlier.toordinal()) - _EPOCH_ORDINAL


_AGE_TRIES = 10


def birth_date(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Birth dates of adults aged 18 to 90 (more of them middle-aged)."""
    ages = b.rng.normal(42, 15, b.n)
    # A truncated normal: ages outside 18-90 are drawn again rather than clipped, which piled
    # one in twenty people up at exactly 18 today (all hired today, if hired as adults).
    for _ in range(_AGE_TRIES):
        outside = (ages < 18) | (ages > 89.99)
        if not outside.any():
            break
        ages[outside] = b.rng.normal(42, 15, int(outside.sum()))
    ages = np.clip(ages, 18, 89.99)
    today = int(b.today.astype(np.int64))
    days = today - np.floor(ages * 365.2425).astype(np.int64)
    # Exact calendar limits: 18 years ago today is the latest birthday of an adult.
    youngest = _years_before(b.today, 18) - today
    oldest = _years_before(b.today, 90) - today + 1
    lo, hi = _day_bounds(b, spec, oldest, youngest)
    bad = (days < lo) | (days > hi)
    days[bad] = b.rng.integers(lo, hi + 1, int(bad.sum()))
    return _with_time(b, spec, days)


def event_date(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Dates or timestamps of events: the last three years, or the near future for due dates."""
    tokens = set(spec.tokens)
    if tokens & _FUTURE:
        days = _days(b, spec, 0, 730, recent=False)
    elif tokens & {"hire", "hired", "joined", "since", "start", "started", "founded"}:
        days = _days(b, spec, -3650, 0, recent=True)
    elif tokens & {"end", "ended", "finish", "finished"}:
        days = _days(b, spec, -365, 365, recent=False)
    elif spec.semantic == "updated_at":
        days = _days(b, spec, -365, 0, recent=True)
    else:
        days = _days(b, spec, -3 * 365, 0, recent=True)
    return _with_time(b, spec, days)


def time_of_day(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Times of day as seconds since midnight, mostly in business hours.

    Start, end and opening times fall on slots of 15 minutes.
    """
    hours = b.rng.choice(24, size=b.n, p=_HOURS / _HOURS.sum())
    seconds = hours * 3600 + b.rng.integers(0, 3600, b.n)
    if {"start", "end", "open", "opens", "close", "closes", "slot"} & set(spec.tokens):
        seconds = seconds // 900 * 900
    return seconds.astype(np.int64)


def as_internal(spec: ColumnSpec, values: AnyArray) -> AnyArray:
    """Convert another column's values (maybe from the engine) to this column's number line.

    Dates become day numbers, timestamps second numbers, times seconds of the day, numbers
    floats; NULLs become NaN.
    """
    kind = spec.column.kind
    if kind in ("date", "datetime") and values.dtype.kind == "M":
        raw = values.astype("datetime64[D]" if kind == "date" else "datetime64[s]")
        out = raw.astype(np.int64).astype(float)
        out[np.isnat(raw)] = np.nan
        return out
    series = pd.Series(values, dtype=object) if values.dtype == object else pd.Series(values)
    if kind in ("date", "datetime"):
        stamps = pd.to_datetime(series, utc=kind == "datetime" and spec.column.timezone)
        if getattr(stamps.dt, "tz", None) is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        unit = "datetime64[D]" if kind == "date" else "datetime64[s]"
        raw = stamps.to_numpy(dtype="datetime64[ns]").astype(unit)
        nat = np.isnat(raw)
        out = raw.astype(np.int64).astype(float)
        out[nat] = np.nan
        return out
    if kind == "time" and values.dtype == object:
        return series.map(
            lambda t: t.hour * 3600 + t.minute * 60 + t.second if hasattr(t, "hour") else np.nan
        ).to_numpy(dtype=float)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)


def _unit_and_spread(spec: ColumnSpec, base: AnyArray) -> tuple[float, AnyArray]:
    """The smallest step of the column and typical offsets (in that unit) from its neighbour."""
    kind = spec.column.kind
    # The gap a careful person expects (shipped two days after the order...) is the profile's
    # rule, read here rather than repeated; imported late: the profile imports the generators.
    from syda.profile.infer_rules import typical_gap_days

    median_days = typical_gap_days(set(spec.tokens)) or _OFFSET_DAYS
    if kind == "date":
        return 1.0, np.full(len(base), median_days)
    if kind == "datetime":
        return 1.0, np.full(len(base), median_days * _DAY)
    if kind == "time":
        return 1.0, np.full(len(base), 3600.0)
    unit = 10.0 ** -decimals_of(spec)
    spread = np.maximum(np.abs(base.astype(float)) * 0.3, unit * 10)
    return unit, spread


def order_values(
    b: Batch,
    spec: ColumnSpec,
    base: AnyArray,
    lower: Sequence[Bound],
    upper: Sequence[Bound],
) -> AnyArray:
    """Make ``base`` (this column's freely drawn values) respect per-row bounds.

    Args:
        b: The batch.
        spec: The column being filled.
        base: Its values as drawn by its own generator, in the internal representation.
        lower: Values this column must be above (``>=``, or ``>`` when strict), in the
            representation of :func:`as_internal`.
        upper: Values this column must be below.

    Returns:
        Values in the same representation as ``base``: where a row has a lower bound only the
        value is the bound plus a log-normal offset, an upper bound only the bound minus one,
        with both a point in between; rows without bounds keep ``base``.
    """
    kind = spec.column.kind
    numeric = as_internal(spec, base) if kind in ("date", "datetime") else base.astype(float)
    unit, spread = _unit_and_spread(spec, numeric)
    lo = np.full(b.n, -np.inf)
    hi = np.full(b.n, np.inf)
    for values, strict in lower:
        lo = np.fmax(lo, values + (unit if strict else 0.0))
    for values, strict in upper:
        hi = np.fmin(hi, values - (unit if strict else 0.0))
    offset = np.ceil(b.rng.lognormal(0.0, 0.8, b.n) * spread / unit) * unit
    out = numeric.copy()
    has_lo, has_hi = np.isfinite(lo), np.isfinite(hi)
    only_lo, only_hi, both = has_lo & ~has_hi, has_hi & ~has_lo, has_lo & has_hi
    if kind in ("integer", "float", "decimal"):
        # A number keeps its own draw where it already holds; one above its bound becomes a
        # share of the bound (a cost is most of its price), one below a multiple of it, so
        # amounts never go negative just to stay under a positive bound.
        fine = (numeric >= lo) & (numeric <= hi)
        share = b.rng.beta(6, 2, b.n)
        positive = np.nanmin(numeric, initial=0.0) >= 0
        below = np.where(positive & (hi > 0), hi * share, hi - offset)
        above = np.where(positive & (lo > 0), lo / share, lo + offset)
        only_lo &= ~fine
        only_hi &= ~fine
        out[only_lo] = above[only_lo]
        out[only_hi] = below[only_hi]
    else:
        out[only_lo] = lo[only_lo] + offset[only_lo]
        out[only_hi] = hi[only_hi] - offset[only_hi]
    if both.any():
        low, high = lo[both], hi[both]
        steps = np.floor(b.rng.random(len(low)) * ((high - low) / unit + 1))
        out[both] = np.minimum(low + steps * unit, high)
    out = _within_static(b, spec, out, lo, hi)
    if kind == "date":
        return out.astype(np.int64).astype("datetime64[D]")
    if kind == "datetime":
        return out.astype(np.int64).astype("datetime64[s]")
    if kind == "time":
        return np.clip(out, 0, _DAY - 1).astype(np.int64)
    return round_to_column(spec, out)


def _within_static(
    b: Batch, spec: ColumnSpec, out: AnyArray, lo: AnyArray, hi: AnyArray
) -> AnyArray:
    """Pull derived values back inside the column's own bounds without crossing row bounds.

    Past-looking timestamps are also kept at or before today unless the row bound is later.
    """
    kind = spec.column.kind
    if kind in ("date", "datetime"):
        scale = 1 if kind == "date" else _DAY
        day_lo, day_hi = _day_bounds(b, spec, -100 * 365, 100 * 365)
        static_lo, static_hi = float(day_lo * scale), float((day_hi + 1) * scale - 1)
        if not set(spec.tokens) & _FUTURE and spec.column.maximum is None:
            today_end = float((int(b.today.astype(np.int64)) + 1) * scale - 1)
            static_hi = min(static_hi, today_end)
    elif kind == "time":
        static_lo, static_hi = 0.0, float(_DAY - 1)
    else:
        static_lo, static_hi = numeric_bounds(spec, -math.inf, math.inf)
    # A value past the range whose row bound lies inside it is drawn again between the two,
    # rather than clipped: clipping piles every late update onto the range's last second.
    late = (out > static_hi) & np.isfinite(lo) & (lo <= static_hi)
    if kind in ("date", "datetime") and late.any():
        room = static_hi - lo[late]
        out = out.copy()
        out[late] = np.floor(lo[late] + b.rng.random(int(late.sum())) * (room + 1))
    # A row bound beats a static one: the comparison must hold even if the value leaves the
    # default range (say, an update a moment after a creation at the end of today).
    capped = np.minimum(out, np.maximum(static_hi, np.where(np.isfinite(lo), lo, -np.inf)))
    return np.maximum(capped, np.minimum(static_lo, np.where(np.isfinite(hi), hi, np.inf)))


GENERATORS: Mapping[str, Generator] = {
    "birth_date": birth_date,
    "date": event_date,
    "datetime": event_date,
    "created_at": event_date,
    "updated_at": event_date,
    "time": time_of_day,
}
