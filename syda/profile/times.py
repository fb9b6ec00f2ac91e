"""Dates and times: ranges, seasonality, growth, and events that follow earlier events.

``min``/``max`` bound the range (ISO dates or timestamps; a date as the ``max`` of a timestamp
means through that day, see :mod:`syda.profile.timeline`); the column's own bounds hold too.
Within it, the volume of events is flat per day unless ``seasonality`` weights months (each
month's share of the events is its weight's share, over whole years), weekdays (Monday first)
and hours; ``trend: 0.2`` makes each year carry 20% more events than the one before. Without
``min``/``max`` the range is the last two years up to the reference date.

``after: created_at`` (or a parent's ``customer.created_at``) draws the value as the earlier
event plus a ``gap`` (default: lognormal, median 3 days). Where the earlier event is NULL the
value is NULL, or drawn from the range if the column is NOT NULL. A gap that would pass the
column's maximum is drawn again uniformly between the earlier event and the maximum, so the
order and the bound both hold; an earlier event already past the maximum leaves the value NULL
(or at the maximum when NOT NULL, the bound winning over the order).

Days are drawn by weight (a day's weight is its month's weight spread over the month's days,
times its weekday's and the trend's), then a time of day by the hour weights. A unique column
is drawn without repeats by construction rather than repaired afterwards.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from syda.errors import GenerationError
from syda.generators.infer import FUTURE_WORDS, name_tokens
from syda.generators.values_time import day_event
from syda.profile.checks import register_modifiers
from syda.profile.context import DrawContext, split_ref
from syda.profile.convert import a_kind, to_column
from syda.profile.exprs import ref_problems, referenced_table
from syda.profile.registry import Family, register
from syda.profile.spec import ColumnProfile, Distribution, Gap, Lognormal, Triangular, Uniform
from syda.profile.timeline import DAY, column_bounds, from_units, read_bound, span, to_units
from syda.schema.ir import Column, Schema, Table

__all__ = ["day_weights", "draw_gap"]

_UNIT_SECONDS = {
    "seconds": 1, "minutes": 60, "hours": 3600, "days": DAY, "weeks": 7 * DAY,
    "years": 36525 * DAY // 100,
}  # fmt: skip
_DEFAULT_GAP = Gap(distribution=Lognormal(kind="lognormal", median=3, sigma=1.0), unit="days")
_DEFAULT_TIME_GAP = Gap(distribution=Lognormal(kind="lognormal", median=1, sigma=0.8), unit="hours")
_TRIES = 50
_INF_LOW, _INF_HIGH = -np.inf, np.inf


def day_weights(spec: ColumnProfile, first: int, last: int) -> np.ndarray[Any, Any]:
    """The relative volume of events on each day from ``first`` to ``last`` (days since 1970)."""
    days = np.arange(first, last + 1, dtype=np.int64)
    stamps = days.astype("datetime64[D]")
    weights = np.ones(len(days))
    season = spec.seasonality
    if season is not None and season.month is not None:
        months = stamps.astype("datetime64[M]")
        month_index = months.astype(np.int64) % 12
        month_days = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(
            np.int64
        )
        weights *= np.asarray(season.month, dtype=float)[month_index] / month_days
    if season is not None and season.weekday is not None:
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        weights *= np.asarray(season.weekday, dtype=float)[weekday]
    if spec.trend:
        weights *= (1 + spec.trend) ** ((days - first) / 365.25)
    return weights


def _hour_weights(spec: ColumnProfile) -> np.ndarray[Any, Any] | None:
    if spec.seasonality is None or spec.seasonality.hour is None:
        return None
    hours: np.ndarray[Any, Any] = np.asarray(spec.seasonality.hour, dtype=float)
    return hours / float(hours.sum())


def _free(ctx: DrawContext, n: int, lo: int, hi: int) -> np.ndarray[Any, Any]:
    """``n`` values from the range by the spec's weights (distinct when the column is unique)."""
    kind, rng, spec = ctx.column.kind, ctx.rng, ctx.spec
    unique = ctx.column.unique
    if kind == "date":
        weights = day_weights(spec, lo, hi)
        p = weights / weights.sum()
        if unique:
            if n > np.count_nonzero(p):
                raise _too_few(ctx, n, int(np.count_nonzero(p)))
            return lo + rng.choice(len(p), size=n, replace=False, p=p).astype(np.int64)
        return lo + rng.choice(len(p), size=n, p=p).astype(np.int64)
    out = _stamps(ctx, n, lo, hi)
    if unique:
        if n > hi - lo + 1:
            raise _too_few(ctx, n, hi - lo + 1)
        for _ in range(_TRIES):
            repeated = pd.Series(out).duplicated().to_numpy()
            if not repeated.any():
                break
            out[repeated] = _stamps(ctx, int(repeated.sum()), lo, hi)
        else:
            # A range nearly as small as the rows: take distinct values from the whole grid.
            out = lo + rng.choice(hi - lo + 1, size=n, replace=False)
    return out


def _stamps(ctx: DrawContext, n: int, lo: int, hi: int) -> np.ndarray[Any, Any]:
    """Timestamps (seconds) or times of day: a day by weight, then an hour, then the seconds."""
    rng, spec = ctx.rng, ctx.spec
    hours = _hour_weights(spec)
    if ctx.column.kind == "time":
        first_day, last_day = 0, 0
        p = np.ones(1)
    else:
        first_day, last_day = lo // DAY, hi // DAY
        weights = day_weights(spec, first_day, last_day)
        p = weights / weights.sum()
    out = np.empty(n, dtype=np.int64)
    todo = np.arange(n)
    # Days at the range's ends are partly outside it: values drawn there are drawn again.
    for _ in range(_TRIES):
        k = len(todo)
        day = first_day + rng.choice(len(p), size=k, p=p)
        hour = rng.choice(24, size=k, p=hours) if hours is not None else rng.integers(0, 24, k)
        value = day * DAY + hour * 3600 + rng.integers(0, 3600, k)
        out[todo] = value
        inside = (value >= lo) & (value <= hi)
        todo = todo[~inside]
        if not len(todo):
            return out
    out[todo] = rng.integers(lo, hi + 1, len(todo))
    return out


def draw_gap(gap: Gap, n: int, rng: np.random.Generator) -> np.ndarray[Any, Any]:
    """``n`` gaps in seconds (never negative)."""
    values = _sample(gap.distribution, n, rng)
    out: np.ndarray[Any, Any] = np.maximum(values, 0) * _UNIT_SECONDS[gap.unit]
    return out


def _least_gap(gap: Gap) -> float:
    """The shortest gap the distribution draws, in seconds (0 when it has no floor)."""
    dist = gap.distribution
    low = dist.low if isinstance(dist, (Triangular, Uniform)) else None
    return max(low or 0.0, 0.0) * _UNIT_SECONDS[gap.unit]


def _sample(dist: Distribution, n: int, rng: np.random.Generator) -> np.ndarray[Any, Any]:
    kind = dist.kind
    if dist.kind == "lognormal":
        median = dist.median or (dist.mean or 1.0) / np.exp(dist.sigma**2 / 2)
        return rng.lognormal(np.log(median), dist.sigma, n)
    if dist.kind == "normal":
        return rng.normal(dist.mean, dist.sd, n)
    if dist.kind == "exponential":
        return rng.exponential(dist.mean, n)
    if dist.kind == "poisson":
        return rng.poisson(dist.mean, n).astype(float)
    if dist.kind == "zipf":
        return rng.zipf(dist.a, n).astype(float)
    if dist.kind == "uniform":
        assert dist.low is not None and dist.high is not None  # the check asks for both
        return rng.uniform(dist.low, dist.high, n)
    if dist.kind == "triangular":
        assert dist.low is not None and dist.high is not None
        return rng.triangular(dist.low, dist.mode, dist.high, n)
    raise AssertionError(kind)


def _after(
    ctx: DrawContext, lo: int, hi: int, after_lo: float, after_hi: float
) -> np.ndarray[Any, Any]:
    """The earlier event plus a gap, in the column's units (NaN for NULL).

    ``lo``/``hi`` is the range of values drawn freely (where the earlier event is NULL on a NOT
    NULL column); ``after_lo``/``after_hi`` the bounds a follower must keep.
    """
    spec, column = ctx.spec, ctx.column
    assert spec.after is not None
    earlier = to_units(ctx.require(spec.after, "after"), column.kind)
    gap = spec.gap or (_DEFAULT_TIME_GAP if column.kind == "time" else _DEFAULT_GAP)
    per_second = 1 / DAY if column.kind == "date" else 1.0
    step = np.rint(draw_gap(gap, ctx.n, ctx.rng) * per_second)
    out = np.maximum(earlier + step, after_lo)
    over = out > after_hi
    room = after_hi - earlier[over]
    # Past the maximum: a point between the earlier event and the maximum keeps both.
    out[over] = np.where(
        room >= 0, earlier[over] + np.floor(ctx.rng.random(len(room)) * (room + 1)), np.nan
    )
    soft = _soft_cap(ctx)
    if soft is not None:
        # A past event's follower is past too (an order after the account's creation, not
        # months after today), unless the column names a future (due, expires...).
        # The shortest gap holds too (hired 18 years after birth), or, where even that passes
        # the reference day, the value is that day.
        late = (out > soft) & (earlier <= soft)
        start = np.minimum(earlier[late] + np.ceil(_least_gap(gap) * per_second), soft)
        room = soft - start
        out[late] = start + np.floor(ctx.rng.random(len(room)) * (room + 1))
    missing = np.isnan(out)
    if missing.any() and not column.nullable:
        late = missing & ~np.isnan(earlier)
        out[late] = after_hi
        still = np.isnan(out)
        if still.any():
            out[still] = _free(ctx, int(still.sum()), lo, hi)
    return out


def _soft_cap(ctx: DrawContext) -> float | None:
    """The end of the reference day, for a follower with no declared maximum that is no future."""
    spec, column = ctx.spec, ctx.column
    if spec.max is not None or column.maximum is not None or column.kind == "time":
        return None
    if set(name_tokens(column.name)) & FUTURE_WORDS:
        return None
    if any(len(s) > 1 and column.name in s for s in ctx.table.unique_sets):
        # A date in a composite key (a salary's ``from_date``) must stay distinct per parent:
        # squeezed between a recent hire and today it may have no room left for a second row.
        return None
    return float(read_bound(ctx.today, column.kind, upper=True))


def _draw(ctx: DrawContext) -> pd.Series[Any]:
    spec, column = ctx.spec, ctx.column
    try:
        lo, hi = span(column, spec.min, spec.max, ctx.today)
    except ValueError as error:
        raise GenerationError(str(error), table=ctx.table.key, column=column.name) from None
    if spec.after is not None:
        # The gap decides how late a follower is: only bounds written down limit it.
        col_lo, col_hi = column_bounds(column)
        low = read_bound(spec.min, column.kind, upper=False) if spec.min is not None else col_lo
        high = read_bound(spec.max, column.kind, upper=True) if spec.max is not None else col_hi
        units = _after(
            ctx,
            lo,
            hi,
            _INF_LOW if low is None else max(low, low if col_lo is None else col_lo),
            _INF_HIGH if high is None else min(high, high if col_hi is None else col_hi),
        )
    else:
        units = _free(ctx, ctx.n, lo, hi).astype(float)
    if column.kind == "datetime" and day_event(name_tokens(column.name)):
        units = _midnight(ctx, units, hi)
    return to_column(from_units(units, column.kind), column)


def _midnight(ctx: DrawContext, units: np.ndarray[Any, Any], hi: int) -> Any:
    """Timestamps of a day event (a hire) moved to a midnight.

    The next one, which keeps every gap after the earlier event, unless that passes the latest
    allowed moment (then the one before).
    """
    up = np.ceil(units / DAY) * DAY
    soft = _soft_cap(ctx)
    limit = min(float(hi), soft) if soft is not None and ctx.spec.after is not None else float(hi)
    return np.where(up > limit, np.floor(units / DAY) * DAY, up)


def _too_few(ctx: DrawContext, n: int, room: int) -> GenerationError:
    return GenerationError(
        f"{n} distinct values asked, but the range holds only {room}: widen min/max",
        table=ctx.table.key,
        column=ctx.column.name,
        rule="unique",
    )


# -- checks -------------------------------------------------------------------------------------
def _check(schema: Schema, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    where = f"{table.key}.{column.name}"
    problems: list[str] = []
    try:
        span(column, spec.min, spec.max, _REFERENCE_DAY)
    except ValueError as error:
        problems.append(f"{where}: min/max: {error}")
    season = spec.seasonality
    if season is not None and column.kind == "date" and season.hour is not None:
        problems.append(f"{where}: seasonality: hour weights need a timestamp or time column")
    if season is not None and column.kind == "time":
        if season.month is not None or season.weekday is not None:
            problems.append(f"{where}: seasonality: a time of day has only hour weights")
    if spec.trend is not None and column.kind == "time":
        problems.append(f"{where}: trend needs dates or timestamps, not a time of day")
    if spec.after is not None:
        problems.extend(_after_problems(schema, table, column, spec))
    return problems


def _after_problems(schema: Schema, table: Table, column: Column, spec: ColumnProfile) -> list[str]:
    where = f"{table.key}.{column.name}"
    assert spec.after is not None
    alias, name = split_ref(spec.after)
    if alias is None and name == column.name:
        return [f"{where}: after names the column itself"]
    found = ref_problems(schema, table, [spec.after])
    if found:
        return [f"{where}: after: {p}" for p in found]
    parent = table if alias is None else referenced_table(schema, table, alias)
    assert not isinstance(parent, str)  # ref_problems said why otherwise
    earlier = parent.column(name)
    problems = []
    allowed = {"time"} if column.kind == "time" else {"date", "datetime"}
    if earlier.kind not in allowed:
        problems.append(
            f"{where}: after: {spec.after} is {a_kind(earlier.kind)} column, not a "
            f"{' or '.join(sorted(allowed))} one"
        )
    if spec.seasonality is not None or spec.trend is not None:
        problems.append(
            f"{where}: with after the gap decides when events happen; drop seasonality/trend"
        )
    if spec.gap is not None:
        problems.extend(f"{where}: gap: {p}" for p in _distribution_problems(spec.gap.distribution))
    return problems


def _distribution_problems(dist: Distribution) -> list[str]:
    if dist.kind in ("uniform", "triangular") and (dist.low is None or dist.high is None):
        return [f"a {dist.kind} gap needs low and high"]
    return []


_REFERENCE_DAY = pd.Timestamp("2000-01-01").date()
"""Checks read ranges without a run's reference date; any fixed day shows an empty range."""

register(
    Family(
        name="time",
        triggers=frozenset({"min", "max", "seasonality", "trend", "after", "gap"}),
        priority=52,
        draw=_draw,
        kinds=frozenset({"date", "datetime", "time"}),
        check=_check,
        refs=lambda spec: [spec.after] if spec.after else [],
    )
)
register_modifiers("time", frozenset({"gap"}))
