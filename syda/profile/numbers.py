"""Numeric columns drawn from a distribution, truncated, scaled, correlated and rounded.

The keys: ``distribution``, ``min``/``max``, ``outliers``, ``round``, ``scale_by``, ``correlate``.

Every value is drawn through the inverse CDF of its distribution (:mod:`syda.profile.marginals`)
at a probability ``u`` inside ``[F(lo), F(hi)]``, so:

* ``min``/``max`` (and the column's own bounds) truncate the distribution — its shape inside the
  bounds is unchanged and no value is piled onto a bound;
* ``scale_by`` multiplies each row by its factors, drawing the base value inside the bounds
  divided by the factor, so the scaled value still lies inside them;
* a ``CHECK cost <= price`` caps each row at its price when the price is already drawn (the
  repair loop re-draws whatever is left);
* ``correlate`` makes ``u`` the normal CDF of a latent normal correlated with the other column's
  normal scores (a Gaussian copula): the marginal is unchanged and the rank (Spearman)
  correlation is ``r``; the latent correlation is ``2 sin(pi r / 6)``, the exact inverse of
  Spearman's formula for a bivariate normal;
* ``outliers`` moves that share of rows to latent scores 3.5 to 6 standard deviations up: far in
  the upper tail, yet inside ``max``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from syda.profile.checks import register_modifiers
from syda.profile.context import DrawContext
from syda.profile.convert import to_column
from syda.profile.marginals import Floats, Marginal, normal_cdf, normal_ppf
from syda.profile.numbers_check import check
from syda.profile.numbers_shape import decimals_of, shape_of
from syda.profile.registry import Family, register
from syda.profile.spec import ColumnProfile, Correlation

__all__ = ["NUMBER_KEYS", "draw_numbers", "numbers_refs"]

NUMBER_KEYS = frozenset(
    {"distribution", "min", "max", "round", "outliers", "scale_by", "correlate"}
)
"""Any of these on a numeric column makes syda draw it (the shape then follows its meaning)."""

_OUTLIER_Z = (3.5, 6.0)
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def draw_numbers(ctx: DrawContext) -> pd.Series[Any]:
    """The column's values for the batch."""
    dist, lo, hi = shape_of(ctx.spec, ctx.column, ctx.semantic, ctx.today)
    marginal = Marginal.of(dist, lo, hi)
    digits = decimals_of(ctx.spec, ctx.column, ctx.semantic)
    row_lo, row_hi = _row_bounds(ctx, lo, hi, digits)
    factor = _factors(ctx)
    base_lo, base_hi = _cell_edges(row_lo, row_hi, digits, marginal)
    base_lo, base_hi = base_lo / factor, base_hi / factor
    f_lo, f_hi = _probabilities(marginal, base_lo, base_hi)
    empty = ~(f_hi > f_lo)
    if empty.any():
        # The row's comparison leaves no value (its price is below min): draw it in the
        # static bounds and let the repair loop decide.
        f_lo[empty], f_hi[empty] = _probabilities(
            marginal, np.full(int(empty.sum()), lo), np.full(int(empty.sum()), hi)
        )
        row_lo[empty], row_hi[empty], factor[empty] = lo, hi, 1.0
    base = marginal.ppf(f_lo + _uniforms(ctx) * (f_hi - f_lo))
    values = np.clip(base * factor, row_lo, row_hi)
    if digits is not None:
        values = _rounded(values, digits, row_lo, row_hi)
    return to_column(values, ctx.column)


def numbers_refs(spec: ColumnProfile) -> list[str]:
    """The columns a numeric spec reads: ``scale_by`` keys and ``correlate.column``."""
    refs = list(spec.scale_by or {})
    if spec.correlate is not None:
        refs.append(spec.correlate.column)
    return refs


def _row_bounds(
    ctx: DrawContext, lo: float, hi: float, digits: int | None
) -> tuple[Floats, Floats]:
    """``[lo, hi]`` per row, narrowed by comparisons with columns already known."""
    row_lo, row_hi = np.full(ctx.n, lo), np.full(ctx.n, hi)
    name = ctx.column.name
    for comparison in ctx.table.comparisons:
        op: str = comparison.op
        if comparison.left == name:
            other = comparison.right
        elif comparison.right == name:
            other, op = comparison.left, _FLIP.get(op, op)
        else:
            continue
        if op not in _FLIP or other not in ctx.frame or not _numeric(ctx, other):
            continue
        known = pd.to_numeric(ctx.frame[other], errors="coerce").to_numpy(dtype=float)
        if op in ("<", "<="):
            cap = known if op == "<=" else _below(known, digits)
            row_hi = np.fmin(row_hi, cap)
        else:
            floor = known if op == ">=" else -_below(-known, digits)
            row_lo = np.fmax(row_lo, floor)
    return row_lo, row_hi


def _numeric(ctx: DrawContext, name: str) -> bool:
    column = ctx.column_of(name)
    return column is not None and column.kind in ("integer", "float", "decimal")


def _below(values: Floats, digits: int | None) -> Floats:
    """The largest value strictly below each one (on the column's grid when it has one)."""
    if digits is None:
        return np.nextafter(values, -np.inf)
    return values - 10.0**-digits


def _cell_edges(
    lo: Floats, hi: Floats, digits: int | None, marginal: Marginal
) -> tuple[Floats, Floats]:
    """Bounds widened by half a rounding step, so the end values get whole cells of mass."""
    if digits is None or marginal.discrete:
        return lo.copy(), hi.copy()
    step = 10.0**-digits
    grid_lo = np.ceil(np.round(lo / step, 6)) * step
    grid_hi = np.floor(np.round(hi / step, 6)) * step
    return grid_lo - step / 2, grid_hi + step / 2


def _probabilities(marginal: Marginal, lo: Floats, hi: Floats) -> tuple[Floats, Floats]:
    """``F`` at the bounds (for integers: ``P(X < ceil(lo))`` and ``P(X <= floor(hi))``)."""
    if marginal.discrete:
        return marginal.cdf(np.ceil(lo) - 1), marginal.cdf(hi)
    return marginal.cdf(lo), marginal.cdf(hi)


def _uniforms(ctx: DrawContext) -> Floats:
    """Each row's probability inside its range: independent, or from the correlated latent."""
    spec = ctx.spec
    if spec.correlate is not None:
        u = _correlated(ctx, spec.correlate)
    else:
        u = ctx.rng.random(ctx.n)
    if spec.outliers:
        far = ctx.rng.random(ctx.n) < spec.outliers
        u[far] = normal_cdf(ctx.rng.uniform(*_OUTLIER_Z, int(far.sum())))
    return u


def _correlated(ctx: DrawContext, correlation: Correlation) -> Floats:
    other = pd.to_numeric(_read(ctx, correlation.column, "correlate"), errors="coerce")
    known = other.notna().to_numpy()
    scores = ctx.rng.standard_normal(ctx.n)
    if known.sum() > 1:
        ranks = other[known].rank(method="average").to_numpy(dtype=float)
        normal = normal_ppf((ranks - 0.5) / len(ranks))
        spread = normal.std()
        if spread > 0:
            scores[known] = normal / spread
    rho = 2 * math.sin(math.pi * correlation.r / 6)
    latent = rho * scores + math.sqrt(max(1 - rho * rho, 0.0)) * ctx.rng.standard_normal(ctx.n)
    return normal_cdf(latent)


def _factors(ctx: DrawContext) -> Floats:
    """Each row's product of ``scale_by`` factors (1 for values not listed)."""
    factor = np.ones(ctx.n)
    for ref, table in (ctx.spec.scale_by or {}).items():
        codes, uniques = pd.factorize(_read(ctx, ref, "scale_by"))
        lookup = np.array([table.get(_label(v), 1.0) for v in uniques] + [1.0], dtype=float)
        factor *= lookup[codes]  # code -1 (NULL) takes the trailing 1
    return factor


def _label(value: Any) -> str:
    """How a value is written as a ``scale_by`` key (``3`` for 3.0, ``True`` for a flag)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _read(ctx: DrawContext, ref: str, key: str) -> pd.Series[Any]:
    return ctx.require(ref, key, rule="profile")


def _rounded(values: Floats, digits: int, lo: Floats, hi: Floats) -> Floats:
    """Rounded to ``digits``, kept on the grid points inside each row's bounds."""
    step = 10.0**-digits
    grid_lo = np.round(np.ceil(np.round(lo / step, 6)) * step, digits)
    grid_hi = np.round(np.floor(np.round(hi / step, 6)) * step, digits)
    rounded = np.round(values, digits)
    out: Floats = np.where(grid_lo <= grid_hi, np.clip(rounded, grid_lo, grid_hi), rounded)
    return out


register_modifiers("numbers", NUMBER_KEYS)
register(
    Family(
        name="numbers",
        triggers=NUMBER_KEYS,
        priority=50,
        draw=draw_numbers,
        kinds=frozenset({"integer", "float", "decimal"}),
        check=check,
        refs=numbers_refs,
    )
)
