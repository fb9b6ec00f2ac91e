"""Numeric, boolean and categorical column generators.

Numbers are drawn from skewed distributions that look like real business data (prices and
amounts are log-normal with "charm" cents, quantities are small and geometric, ratings lean to 4
and 5), then kept inside the column's bounds: the CHECK/schema ``minimum``/``maximum`` and, for
decimals, what the declared precision and scale can hold. Values outside the bounds are replaced
by values drawn from the ones inside (the distribution truncated, its shape kept) rather than
clipped, so bounds do not pile values up at the edges or flatten a skew.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from syda.errors import SchemaError
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator
from syda.schema.ir import Column

__all__ = [
    "GENERATORS",
    "choice_weights",
    "decimals_of",
    "declared_bounds",
    "draw_in_bounds",
    "numeric_bounds",
    "round_to_column",
]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

_DECIMALS = {"percentage": 2, "rate": 4, "latitude": 6, "longitude": 6, "rating": 1,
             "discount": 2, "tax_rate": 2}  # fmt: skip
# Money kept in cents even in a FLOAT/REAL column (a DOUBLE credit limit is not 60.9227).
_MONEY = frozenset(
    {"price", "amount", "credit_limit", "shipping_cost", "rental_price", "rental_payment",
     "replacement_cost", "digital_price", "cost_price", "list_price"}
)  # fmt: skip
_MOSTLY_TRUE = frozenset(
    {"active", "enabled", "verified", "valid", "visible", "published", "approved", "confirmed",
     "available", "subscribed", "consent", "completed", "paid", "email_verified", "in_stock"}
)  # fmt: skip
_MOSTLY_FALSE = frozenset(
    {"deleted", "archived", "blocked", "banned", "locked", "suspended", "test", "spam",
     "disabled", "flagged", "fraud", "cancelled", "canceled", "expired", "hidden", "overdue",
     "discontinued", "one_time"}
)  # fmt: skip
_RARE_TRUE = frozenset({"admin", "superuser", "staff", "vip", "premium", "featured", "sudo"})


def decimals_of(spec: ColumnSpec) -> int:
    """Digits after the decimal point the column's values are rounded to (0 for integers)."""
    col = spec.column
    if col.kind == "integer":
        return 0
    if col.kind == "decimal":
        return col.scale if col.scale is not None else 2
    return _DECIMALS.get(spec.semantic, 2 if spec.semantic in _MONEY else 4)


def numeric_bounds(spec: ColumnSpec, low: float, high: float) -> tuple[float, float]:
    """The inclusive range to draw in: the column's bounds, else the semantic defaults.

    A default end that contradicts a declared bound is moved to keep the default span, and a
    decimal column is limited to what its precision and scale can store.

    Raises:
        SchemaError: If the declared minimum is greater than the declared maximum.
    """
    col = spec.column
    span = high - low
    declared_lo, declared_hi = declared_bounds(col)
    lo = declared_lo if declared_lo is not None else low
    hi = declared_hi if declared_hi is not None else high
    if hi < lo:
        if declared_lo is not None and declared_hi is not None:
            raise SchemaError(
                [f"minimum {col.minimum} is above maximum {col.maximum}"],
                table=None,
                column=col.name,
            )
        if declared_hi is None:
            hi = lo + span
        else:
            lo = hi - span
    # What the type stores bounds every draw, but says nothing of where values usually lie.
    stored_lo, stored_hi = _stored(col)
    lo, hi = max(lo, stored_lo), min(hi, stored_hi)
    if hi < lo:
        lo, hi = stored_lo, stored_hi
    decimals = decimals_of(spec)
    if col.kind == "decimal" and col.precision is not None:
        cap = 10.0 ** (col.precision - decimals) - 10.0**-decimals
        lo, hi = max(lo, -cap), min(hi, cap)
    step = 10.0**-decimals
    if math.isfinite(lo):
        lo = math.ceil(round(lo / step, 6)) * step
    if math.isfinite(hi):
        hi = math.floor(round(hi / step, 6)) * step
    return lo, hi


def declared_bounds(col: Column) -> tuple[float | None, float | None]:
    """The column's bounds that a CHECK or the schema declares, not only its type's range."""
    stored = col.type_range or (None, None)
    lo = col.minimum if col.minimum is not None and col.minimum != stored[0] else None
    hi = col.maximum if col.maximum is not None and col.maximum != stored[1] else None
    return lo, hi


def _stored(col: Column) -> tuple[float, float]:
    """Every bound a value must keep: the declared ones and the type's range."""
    lo, hi = col.type_range or (-math.inf, math.inf)
    if col.minimum is not None:
        lo = max(lo, col.minimum)
    if col.maximum is not None:
        hi = min(hi, col.maximum)
    return lo, hi


def within(values: FloatArray, lo: float, hi: float, rng: np.random.Generator) -> FloatArray:
    """Replace values outside ``[lo, hi]`` by values drawn from the ones inside it.

    Resampling the values that fit is drawing from the distribution truncated to the bounds,
    so the shape is kept (a log-normal stays skewed); only when none fits are values drawn
    uniformly inside the bounds.
    """
    out = np.asarray(values, dtype=float)
    bad = (out < lo) | (out > hi) | np.isnan(out)
    if bad.any():
        out = out.copy()
        good = out[~bad]
        k = int(bad.sum())
        if len(good):
            out[bad] = good[rng.integers(0, len(good), k)]
        else:
            out[bad] = rng.uniform(lo, hi, k) if hi > lo else lo
    return out


def _fit_shape(spec: ColumnSpec, values: FloatArray, lo: float, hi: float) -> FloatArray:
    """Move a skewed draw into declared bounds that exclude most of it, keeping its shape.

    ``amount`` between 1,000 and 2,000,000 should still be a log-normal (its median near the
    bounds' geometric mean), not the few draws that happened to fall inside, nor a uniform.
    """
    col = spec.column
    if col.minimum is None and col.maximum is None:
        return values
    inside = (values >= lo) & (values <= hi)
    # An empty draw (a table of 0 rows, kept as the parent of new ones) has no shape to fit.
    if not inside.size or inside.mean() >= 0.5 or not (lo > 0 and math.isfinite(hi)):
        return values
    positive = values[values > 0]
    if not len(positive):
        return values
    return values * (math.sqrt(lo * hi) / float(np.median(positive)))


def round_to_column(spec: ColumnSpec, values: AnyArray) -> AnyArray:
    """Round numbers to the column's scale (integers to int64), keeping them within bounds."""
    decimals = decimals_of(spec)
    rounded = np.round(np.asarray(values, dtype=float), decimals)
    col = spec.column
    if col.minimum is not None or col.maximum is not None or col.type_range is not None:
        lo, hi = numeric_bounds(spec, -math.inf, math.inf)
        rounded = np.clip(rounded, lo, hi)
    if spec.column.kind == "integer":
        return rounded.astype(np.int64)
    return rounded


def draw_in_bounds(
    b: Batch, spec: ColumnSpec, values: FloatArray, low: float, high: float
) -> AnyArray:
    """``values`` kept in the column's bounds (``low``-``high`` where none is declared), rounded."""
    lo, hi = numeric_bounds(spec, low, high)
    values = _fit_shape(spec, np.asarray(values, dtype=float), lo, hi)
    return round_to_column(spec, within(values, lo, hi, b.rng))


_draw = draw_in_bounds


def price(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Log-normal prices (median about 30) with charm endings such as .99 and .95."""
    base = np.floor(b.rng.lognormal(math.log(30), 1.0, b.n))
    cents = b.rng.choice(
        np.array([0.99, 0.95, 0.0, 0.49, 0.5]), size=b.n, p=[0.35, 0.15, 0.2, 0.1, 0.2]
    )
    exact = b.rng.random(b.n) < 0.25
    cents[exact] = np.round(b.rng.random(int(exact.sum())), 2)
    return _draw(b, spec, base + cents, 0.5, 5000.0)


def amount(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Log-normal money amounts; salaries are drawn around 70,000 in steps of 100."""
    if {"salary", "wage", "compensation", "income"} & set(spec.tokens):
        values = np.round(b.rng.lognormal(math.log(70000), 0.35, b.n), -2)
        return _draw(b, spec, values, 20000.0, 400000.0)
    return _draw(b, spec, b.rng.lognormal(math.log(250), 1.2, b.n), 0.0, 1_000_000.0)


def quantity(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Small positive quantities (mostly 1-3, at most 10); stock levels are larger, may be 0."""
    if {"stock", "inventory", "hand", "available", "capacity"} & set(spec.tokens):
        return _draw(b, spec, np.floor(b.rng.lognormal(math.log(80), 1.0, b.n)), 0.0, 10000.0)
    return _draw(b, spec, b.rng.geometric(0.45, b.n).astype(float), 1.0, 10.0)


def percentage(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Percentages skewed low (discounts, shares); fractions when the maximum is 1."""
    as_fraction = spec.column.maximum is not None and spec.column.maximum <= 1
    scale = 1.0 if as_fraction else 100.0
    return _draw(b, spec, b.rng.beta(2, 5, b.n) * scale, 0.0, scale)


def rate(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Rates as fractions (tax, interest, conversion), skewed low; scaled to wider bounds."""
    hi = spec.column.maximum if spec.column.maximum is not None else 1.0
    scale = 100.0 if hi > 1 else 1.0
    return _draw(b, spec, b.rng.beta(2, 8, b.n) * scale, 0.0, scale)


def rating(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Star ratings leaning to 4 and 5 (1-5 unless the bounds say otherwise)."""
    lo, hi = numeric_bounds(spec, 1.0, 5.0)
    stars = b.rng.choice(5, size=b.n, p=[0.05, 0.08, 0.17, 0.35, 0.35]) / 4.0
    values = lo + stars * (hi - lo)
    if spec.column.kind != "integer":
        values = values - b.rng.random(b.n) * (hi - lo) / 8.0 * (stars > 0)
    return _draw(b, spec, values, lo, hi)


def age(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Ages of adults; the age at today's date when the row has a birth date column."""
    found = b.sibling("birth_date", exclude=spec.name)
    if found is not None:
        born = pd.to_datetime(pd.Series(found[1], dtype=object)).to_numpy().astype("datetime64[D]")
        years = np.floor((b.today - born).astype("timedelta64[D]").astype(float) / 365.2425)
        guess = np.clip(b.rng.normal(42, 15, b.n), 18, 90)
        return _draw(b, spec, np.where(np.isnan(years), guess, years), 0.0, 120.0)
    return _draw(b, spec, np.floor(np.clip(b.rng.normal(42, 15, b.n), 18, 90)), 18.0, 90.0)


def year(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Years from the last three decades, up to the current year."""
    this_year = int(str(b.today)[:4])
    lo, hi = numeric_bounds(spec, this_year - 30, this_year)
    return _draw(b, spec, np.floor(b.rng.uniform(lo, hi + 1, b.n)), lo, hi)


def integer(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Integers: uniform inside declared bounds, else skewed counts between 0 and 10,000."""
    lo, hi = declared_bounds(spec.column)
    if lo is not None and hi is not None:
        lo, hi = numeric_bounds(spec, lo, hi)
        return _draw(b, spec, np.floor(b.rng.uniform(lo, hi + 1, b.n)), lo, hi)
    return _draw(b, spec, np.floor(b.rng.lognormal(math.log(40), 1.4, b.n)), 0.0, 10000.0)


def real(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Floats and decimals: uniform inside declared bounds, else log-normal around 100."""
    lo, hi = declared_bounds(spec.column)
    if lo is not None and hi is not None:
        return _draw(b, spec, b.rng.uniform(lo, hi, b.n), lo, hi)
    return _draw(b, spec, b.rng.lognormal(math.log(100), 1.2, b.n), 0.0, 100000.0)


def true_share(spec: ColumnSpec) -> float:
    """How often a boolean column is True, judged from its name.

    ``is_active`` is mostly True, ``is_deleted`` rarely, ``is_primary`` about 30% of the time.
    """
    tokens = set(spec.tokens) | {spec.name.lower()}
    if tokens & _MOSTLY_FALSE:
        return 0.05
    if tokens & _MOSTLY_TRUE:
        return 0.85
    if tokens & _RARE_TRUE:
        return 0.1
    if tokens & {"primary", "default", "main"}:
        return 0.3
    return 0.5


def boolean(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Booleans with a realistic share of True for the column's name."""
    values = b.rng.random(b.n) < true_share(spec)
    return values.astype(np.int64) if spec.column.kind == "integer" else values


def choice_weights(choices: tuple[Any, ...]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Deterministic weights: textual choices lean to the first ones (1/rank), numbers are even."""
    ranks = np.arange(1, len(choices) + 1, dtype=np.float64)
    if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in choices):
        ranks = np.ones(len(choices), dtype=np.float64)
    weights: np.ndarray[Any, np.dtype[np.float64]] = 1.0 / ranks**0.8
    return weights / weights.sum()  # type: ignore[no-any-return]


def choice(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Draw from the column's allowed values with :func:`choice_weights`."""
    assert spec.choices is not None
    options = np.empty(len(spec.choices), dtype=object)
    options[:] = list(spec.choices)
    picked = options[b.rng.choice(len(options), size=b.n, p=choice_weights(spec.choices))]
    if spec.column.kind in ("integer", "float", "decimal", "boolean"):
        return picked.astype(
            {"integer": np.int64, "boolean": bool}.get(spec.column.kind, np.float64)
        )
    return picked


GENERATORS: Mapping[str, Generator] = {
    "price": price,
    "amount": amount,
    "quantity": quantity,
    "percentage": percentage,
    "rate": rate,
    "rating": rating,
    "age": age,
    "year": year,
    "integer": integer,
    "number": integer,
    "float": real,
    "decimal": real,
    "boolean": boolean,
    "choice": choice,
}
