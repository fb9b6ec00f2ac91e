"""A numeric column's shape and range: its distribution (declared, or from its meaning), bounds.

Shared by the ``numbers`` family's draw and its check, so the check judges exactly what would be
drawn. Declaring only ``min``/``max`` keeps the shape the column's meaning gives it — a price
stays log-normal, a quantity stays a small count, a percentage stays bounded and skewed low —
and only cuts its tails (the bug this replaces drew uniformly between the bounds, so a deal
amount between 0 and 1,000,000 had a median of 486,000).
"""

from __future__ import annotations

import math
import re
from datetime import date

from syda.profile.spec import (
    ColumnProfile,
    Distribution,
    Lognormal,
    Normal,
    Poisson,
    Triangular,
    Uniform,
)
from syda.schema.ir import Column

__all__ = ["Shape", "bounds_of", "decimals_of", "shape_of"]

Shape = tuple[Distribution, float, float]
"""A distribution and the inclusive ``[lo, hi]`` it is truncated to."""

_NON_NEGATIVE = frozenset({"price", "amount", "quantity", "age", "percentage", "rate", "rating"})
"""Meanings whose values are never below zero unless a ``min`` says so."""
_SALARY = frozenset({"salary", "wage", "wages", "compensation", "income", "pay"})
_STOCK = frozenset({"stock", "inventory", "hand", "available", "capacity"})
_MONEY_DECIMALS = frozenset({"price", "amount"})


def bounds_of(spec: ColumnProfile, column: Column, semantic: str) -> tuple[float, float]:
    """The spec's ``min``/``max`` within the column's own bounds and what a decimal can store.

    Raises:
        ValueError: If ``min`` or ``max`` is not a number.
    """
    lo, hi = -math.inf, math.inf
    if spec.min is not None:
        lo = _number(spec.min, "min")
    if spec.max is not None:
        hi = _number(spec.max, "max")
    if column.minimum is not None:
        lo = max(lo, column.minimum)
    if column.maximum is not None:
        hi = min(hi, column.maximum)
    if lo == -math.inf and semantic in _NON_NEGATIVE and hi >= 0:
        lo = 0.0
    if column.kind == "decimal" and column.precision is not None:
        digits = decimals_of(spec, column, semantic) or 0
        cap = 10.0 ** (column.precision - digits) - 10.0**-digits
        lo, hi = max(lo, -cap), min(hi, cap)
    return lo, hi


def decimals_of(spec: ColumnProfile, column: Column, semantic: str) -> int | None:
    """Digits the values are rounded to (None: a float column kept at full precision)."""
    if column.kind == "integer":
        return 0
    if column.kind == "decimal":
        scale = column.scale if column.scale is not None else 2
        return scale if spec.round is None else min(spec.round, scale)
    if spec.round is not None:
        return spec.round
    return 2 if semantic in _MONEY_DECIMALS else None


def shape_of(spec: ColumnProfile, column: Column, semantic: str, today: date) -> Shape:
    """The distribution drawn and its bounds: the spec's, else the column's meaning's.

    Raises:
        ValueError: If ``min`` or ``max`` is not a number.
    """
    lo, hi = bounds_of(spec, column, semantic)
    dist = spec.distribution
    if dist is None:
        return _default(semantic, _tokens(column.name), column.kind, lo, hi, today)
    if isinstance(dist, Lognormal) and dist.median is None and dist.mean is None:
        guess, lo, hi = _default(semantic, _tokens(column.name), column.kind, lo, hi, today)
        median = guess.median if isinstance(guess, Lognormal) else _center(lo, hi)
        # A log-normal cannot sit below zero: the check then reports bounds it cannot reach.
        dist = dist.model_copy(update={"median": median if median and median > 0 else 1.0})
    return dist, lo, hi


def _default(
    semantic: str, tokens: frozenset[str], kind: str, lo: float, hi: float, today: date
) -> Shape:
    """What a column of this meaning looks like, cut to ``[lo, hi]``."""
    dist: Distribution
    if semantic == "price":
        dist = Lognormal(kind="lognormal", median=50, sigma=0.9)
    elif semantic == "amount" and tokens & _SALARY:
        dist = Lognormal(kind="lognormal", median=70000, sigma=0.35)
    elif semantic == "amount":
        dist = Lognormal(kind="lognormal", median=250, sigma=1.2)
    elif semantic == "quantity" and tokens & _STOCK:
        dist = Lognormal(kind="lognormal", median=80, sigma=1.0)
    elif semantic == "quantity":
        lo = max(lo, 1.0) if hi >= 1 else lo
        dist = Poisson(kind="poisson", mean=2)
    elif semantic in ("percentage", "rate", "rating"):
        return _bounded(semantic, lo, hi)
    elif semantic == "age":
        lo, hi = max(lo, 18.0) if hi >= 18 else lo, min(hi, 90.0) if lo <= 90 else hi
        dist = Normal(kind="normal", mean=42, sd=15)
    elif semantic == "year":
        lo, hi = max(lo, today.year - 30.0), min(hi, float(today.year))
        dist = Uniform(kind="uniform", low=lo, high=hi)
    elif semantic in ("latitude", "longitude"):
        edge = 90.0 if semantic == "latitude" else 180.0
        lo, hi = max(lo, -edge), min(hi, edge)
        dist = Uniform(kind="uniform", low=lo, high=hi)
    elif math.isfinite(lo) and math.isfinite(hi) and not (lo >= 0 and hi > 1000 * max(lo, 1)):
        dist = Normal(kind="normal", mean=(lo + hi) / 2, sd=max((hi - lo) / 5, 1e-9))
    else:
        dist = Lognormal(kind="lognormal", median=40 if kind == "integer" else 100, sigma=1.2)
    return _recentered(dist, lo, hi), lo, hi


def _bounded(semantic: str, lo: float, hi: float) -> Shape:
    """Percentages and rates skewed low inside their range; ratings leaning to the top."""
    top = {"percentage": 100.0, "rate": 1.0, "rating": 5.0}[semantic]
    low = lo if math.isfinite(lo) else (1.0 if semantic == "rating" else 0.0)
    high = hi if math.isfinite(hi) else max(top, low + top)
    lean = 0.8 if semantic == "rating" else 0.15
    mode = low + lean * (high - low)
    return Triangular(kind="triangular", low=low, mode=mode, high=high), low, high


def _recentered(dist: Distribution, lo: float, hi: float) -> Distribution:
    """A default whose middle falls outside ``[lo, hi]`` is moved inside (shape kept)."""
    middle = dist.median if isinstance(dist, Lognormal) else None
    if isinstance(dist, Poisson):
        middle = dist.mean
    if middle is None or lo <= middle <= hi:
        return dist
    center = _center(lo, hi)
    if isinstance(dist, Poisson):
        return dist.model_copy(update={"mean": max(center, 0.0)})
    if center <= 0:
        spread = max(abs(hi if math.isfinite(hi) else lo), 1.0)
        return Normal(kind="normal", mean=center, sd=spread / 2)
    sigma = dist.sigma if isinstance(dist, Lognormal) else 1.0
    if math.isfinite(lo) and math.isfinite(hi) and lo > 0:
        sigma = min(max(math.log(hi / lo) / 6, 0.2), sigma)
    return Lognormal(kind="lognormal", median=center, sigma=sigma)


def _center(lo: float, hi: float) -> float:
    """A typical value inside ``[lo, hi]``: geometric middle when positive, else the middle."""
    if math.isfinite(lo) and math.isfinite(hi):
        return math.sqrt(lo * hi) if lo > 0 else (lo + hi) / 2 if lo < 0 or hi <= 0 else hi / 10
    if math.isfinite(lo):
        return lo * 2 if lo > 0 else lo + 100
    if math.isfinite(hi):
        return hi / 3 if hi > 0 else hi - 100
    return 100.0


def _tokens(name: str) -> frozenset[str]:
    return frozenset(t for t in re.split(r"[^a-z0-9]+", name.lower()) if t)


def _number(value: object, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{key} {value!r} is not a number")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{key} {value!r} is not a number") from None
