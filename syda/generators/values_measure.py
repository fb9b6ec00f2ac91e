"""Numbers whose range and shape come from what they measure, not from their SQL type.

A ``Milliseconds`` INTEGER is a track's length (a few minutes), ``Bytes`` a file's size, a film's
``length`` its running time in minutes, ``rental_duration`` a few days, a discount none or a
round 5-20% (``l_discount`` beside a tax: 0.00-0.10) and ``creditLimit`` a round sum. Each kind
is one entry of :data:`_SHAPES` (a
log-normal median and spread, the default range and the step values are rounded to) or a small
generator for shapes a log-normal cannot say (charm prices, store price points, a list price
derived from the cost). Declared bounds and CHECKs still decide: every draw goes through
:func:`~syda.generators.values_num.draw_in_bounds`, which keeps values inside them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np

from syda.generators.infer import name_tokens
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator
from syda.generators.values_num import FloatArray, draw_in_bounds
from syda.schema.ir import Column

__all__ = ["GENERATORS", "in_percent"]


@dataclass(frozen=True)
class Shape:
    """A log-normal measure: ``median`` and ``sigma``, its default range, its rounding step."""

    median: float
    sigma: float
    low: float
    high: float
    step: float = 1.0


# Medians and ranges as a person expects them (a song lasts about 4 minutes, a feature film
# about 110, a rental a few days); the ranges are the defaults that declared bounds override.
_SHAPES: Mapping[str, Shape] = {
    "duration_ms": Shape(240_000, 0.45, 30_000, 1_200_000),
    "file_size": Shape(6_000_000, 1.1, 100_000, 1_000_000_000),
    "minutes": Shape(110, 0.22, 46, 185),
    "days": Shape(5, 0.3, 1, 14),
    "credit_limit": Shape(50_000, 0.8, 1_000, 1_000_000, 100.0),
    "shipping_cost": Shape(25, 1.0, 0.01, 1_000, 0.01),
}


def _shaped(name: str, b: Batch, spec: ColumnSpec) -> AnyArray:
    shape = _SHAPES[name]
    values = b.rng.lognormal(math.log(shape.median), shape.sigma, b.n)
    return draw_in_bounds(
        b, spec, np.round(values / shape.step) * shape.step, shape.low, shape.high
    )


def _charm(b: Batch, median: float, sigma: float) -> FloatArray:
    """Whole units ending in .99 (``2.99``, ``19.99``): how store prices are written."""
    return np.floor(b.rng.lognormal(math.log(median), sigma, b.n)) + 0.99


def rental_price(b: Batch, spec: ColumnSpec) -> AnyArray:
    """A rental's price: a few units, charm priced (0.99, 2.99, 4.99)."""
    return draw_in_bounds(b, spec, _charm(b, 2.5, 0.6), 0.49, 9.99)


def rental_payment(b: Batch, spec: ColumnSpec) -> AnyArray:
    """What is paid for a rental: its price, now and then with a late fee on top."""
    return draw_in_bounds(b, spec, _charm(b, 3.5, 0.6), 0.99, 19.99)


def replacement_cost(b: Batch, spec: ColumnSpec) -> AnyArray:
    """What a lost item costs to replace: tens of units, charm priced."""
    return draw_in_bounds(b, spec, _charm(b, 20, 0.35), 4.99, 99.99)


_DIGITAL = (np.array([0.99, 1.29, 1.99, 0.49, 2.99, 4.99]), [0.6, 0.15, 0.1, 0.05, 0.05, 0.05])


def digital_price(b: Batch, spec: ColumnSpec) -> AnyArray:
    """The price of a song or an episode: a store's price points, mostly 0.99."""
    points, weights = _DIGITAL
    return draw_in_bounds(b, spec, b.rng.choice(points, b.n, p=weights), 0.49, 4.99)


_PERCENT_WORDS = frozenset({"percent", "percentage", "pct", "pc"})
_PERCENT_COMMENT = re.compile(r"\bper ?cent|\bpct\b|%", re.IGNORECASE)


def in_percent(column: Column) -> bool:
    """Whether a share (a discount, a tax) is held in whole percents rather than as a fraction.

    A column is in percent when it is an integer, its bounds go above 1, or its name or comment
    says so: a ``NUMERIC(5,2)`` "discount in percent" holds 5.00, not 0.05, and nothing in its
    type tells the two apart.
    """
    if column.kind == "integer" or (column.maximum or 0) > 1:
        return True
    said = set(name_tokens(column.name)) & _PERCENT_WORDS
    return bool(said or _PERCENT_COMMENT.search(column.comment or ""))


def _percent_scale(spec: ColumnSpec) -> float:
    """100 for a whole-percent column, else 1 (a fraction)."""
    return 100.0 if in_percent(spec.column) else 1.0


# How shops discount: none on most lines, else a round 5, 10, 15 or 20%.
_DISCOUNTS = (np.array([0.0, 0.05, 0.10, 0.15, 0.20]), [0.6, 0.12, 0.12, 0.08, 0.08])


def discount(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Discounts: none on most lines, else 5, 10, 15 or 20% (as a fraction or in percent).

    A discount beside a tax rate is a line's share of a price in whole percents from 0 to 10,
    evenly (TPC-H's ``l_discount`` and ``l_tax``, as its specification draws them).
    """
    scale = _percent_scale(spec)
    if any(other.semantic == "tax_rate" for other in b.specs.values()):
        values = b.rng.integers(0, 11, b.n) / 100.0 * scale
        return draw_in_bounds(b, spec, values, 0.0, 0.1 * scale)
    steps, weights = _DISCOUNTS
    values = b.rng.choice(steps, b.n, p=weights) * scale
    return draw_in_bounds(b, spec, values, 0.0, float(steps[-1]) * scale)


def tax_rate(b: Batch, spec: ColumnSpec) -> AnyArray:
    """Tax rates as fractions, 0.00-0.08 in whole percents."""
    scale = _percent_scale(spec)
    values = b.rng.integers(0, 9, b.n) / 100.0 * scale
    return draw_in_bounds(b, spec, values, 0.0, 0.08 * scale)


def item_size(b: Batch, spec: ColumnSpec) -> AnyArray:
    """A product's size number (1-50), evenly spread as in a size chart."""
    return draw_in_bounds(b, spec, np.floor(b.rng.uniform(1, 51, b.n)), 1.0, 50.0)


def line_number(b: Batch, spec: ColumnSpec) -> AnyArray:
    """The position of a line on its document: small, most documents having a few lines."""
    return draw_in_bounds(b, spec, b.rng.geometric(0.3, b.n).astype(float), 1.0, 20.0)


def cost_price(b: Batch, spec: ColumnSpec) -> AnyArray:
    """What the seller pays for an item (the list price is derived from it, drawn after it)."""
    drawn = np.round(b.rng.lognormal(math.log(30), 1.0, b.n), 2)
    return draw_in_bounds(b, spec, drawn, 0.5, 5000.0)


def list_price(b: Batch, spec: ColumnSpec) -> AnyArray:
    """The list price (MSRP): the row's cost with a mark-up when known, else a charm price."""
    found = b.sibling("cost_price", exclude=spec.name)
    drawn = _charm(b, 45, 1.0)
    if found is not None:
        cost = np.asarray(found[1], dtype=float)
        marked = np.ceil(cost * b.rng.uniform(1.3, 2.2, b.n) * 100) / 100
        drawn = np.where(np.isnan(cost), drawn, marked)
    return draw_in_bounds(b, spec, drawn, 0.5, 100_000.0)


GENERATORS: Mapping[str, Generator] = {
    **{name: partial(_shaped, name) for name in _SHAPES},
    "rental_price": rental_price,
    "rental_payment": rental_payment,
    "replacement_cost": replacement_cost,
    "digital_price": digital_price,
    "discount": discount,
    "tax_rate": tax_rate,
    "item_size": item_size,
    "line_number": line_number,
    "cost_price": cost_price,
    "list_price": list_price,
}
