"""The distributions of the ``numbers`` family as vectorised CDFs and inverse CDFs.

Drawing through the inverse CDF (``x = F^-1(F(lo) + u * (F(hi) - F(lo)))``) is what lets
``min``/``max`` truncate a distribution without changing its shape — no value is clipped onto a
bound, none is redrawn uniformly — and it works with a different ``[lo, hi]`` on every row (a
scale factor divides the bounds, a ``cost <= price`` comparison caps each row at its price). The
uniform ``u`` may also come from a latent normal, which is how ``correlate`` keeps the marginal.

numpy has no normal CDF or quantile function and scipy is not a dependency, so the two are
written here: the CDF from the complementary error function (Numerical Recipes' Chebyshev fit,
relative error below 1.2e-7) and the quantile by Acklam's rational approximation (relative
error below 1.2e-9) — far finer than any sampling error of a generated column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from syda.profile.spec import (
    Exponential,
    Lognormal,
    Normal,
    Poisson,
    Triangular,
    Uniform,
    Zipf,
)

__all__ = ["Marginal", "normal_cdf", "normal_ppf"]

Floats = np.ndarray[Any, np.dtype[np.float64]]

_ZIPF_CAP = 1_000_000
"""Zipf ranks beyond this are not drawn (their total share is below 0.1% for ``a >= 1.5``)."""


_ERFC = (0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806,
         0.09678418, 0.37409196, 1.00002368, -1.26551223)  # fmt: skip


def normal_cdf(x: Floats) -> Floats:
    """Standard normal CDF, vectorised."""
    x = np.asarray(x, dtype=float)
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * z)
    erfc = t * np.exp(-z * z + _poly(_ERFC, t))
    out: Floats = np.where(x >= 0, 1.0 - 0.5 * erfc, 0.5 * erfc)
    return out


_A = (-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690,
      -30.66479806614716, 2.506628277459239)  # fmt: skip
_B = (-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
      -13.28068155288572)  # fmt: skip
_C = (-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
      4.374664141464968, 2.938163982698783)  # fmt: skip
_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)


def _poly(coefs: tuple[float, ...], x: Floats) -> Floats:
    out = np.full_like(x, coefs[0])
    for c in coefs[1:]:
        out = out * x + c
    return out


def normal_ppf(p: Floats) -> Floats:
    """Standard normal quantile (Acklam), vectorised; ``p`` is kept inside ``(0, 1)``."""
    q: Floats = np.clip(np.asarray(p, dtype=float), 1e-300, 1 - 1e-16)
    out: Floats = np.empty_like(q)
    low, high = q < 0.02425, q > 1 - 0.02425
    mid = ~(low | high)
    r = q[mid] - 0.5
    s = r * r
    out[mid] = r * _poly(_A, s) / (_poly(_B, s) * s + 1.0)
    for mask, sign, tail in ((low, 1.0, q[low]), (high, -1.0, 1.0 - q[high])):
        t = np.sqrt(-2.0 * np.log(tail))
        out[mask] = sign * _poly(_C, t) / (_poly(_D, t) * t + 1.0)
    return out


@dataclass(frozen=True)
class Marginal:
    """One resolved distribution: its CDF, its inverse, and whether it is on the integers.

    For a discrete marginal, ``cdf(x)`` is ``P(X <= floor(x))`` and ``ppf`` returns integers.
    """

    kind: str
    params: tuple[float, ...]

    @property
    def discrete(self) -> bool:
        """Poisson and Zipf draw integers."""
        return self.kind in ("poisson", "zipf")

    @classmethod
    def of(cls, dist: Any, lo: float, hi: float) -> Marginal:
        """The marginal of a spec's distribution (its parameters resolved; defaults applied).

        ``lo``/``hi`` stand in for a uniform's or triangular's missing ends.
        """
        if isinstance(dist, Lognormal):
            median = dist.median or (dist.mean or 1.0) * math.exp(-(dist.sigma**2) / 2)
            return cls("lognormal", (math.log(median), dist.sigma))
        if isinstance(dist, Normal):
            return cls("normal", (dist.mean, dist.sd))
        if isinstance(dist, Uniform):
            return cls("uniform", (_end(dist.low, lo), _end(dist.high, hi)))
        if isinstance(dist, Triangular):
            return cls("triangular", (_end(dist.low, lo), dist.mode, _end(dist.high, hi)))
        if isinstance(dist, Exponential):
            return cls("exponential", (dist.mean,))
        if isinstance(dist, Poisson):
            return cls("poisson", (dist.mean,))
        if isinstance(dist, Zipf):
            return cls("zipf", (dist.a,))
        raise TypeError(f"not a distribution: {dist!r}")

    def cdf(self, x: Floats) -> Floats:
        """``P(X <= x)``, vectorised (``-inf``/``inf`` give 0/1)."""
        x = np.asarray(x, dtype=float)
        p = self.params
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if self.kind == "lognormal":
                z = (np.log(np.where(x > 0, x, 1.0)) - p[0]) / p[1]
                return np.where(x > 0, normal_cdf(z), 0.0)
            if self.kind == "normal":
                return normal_cdf((x - p[0]) / p[1])
            if self.kind == "uniform":
                return np.clip((x - p[0]) / (p[1] - p[0]), 0.0, 1.0)
            if self.kind == "triangular":
                return _triangular_cdf(x, *p)
            if self.kind == "exponential":
                return np.where(x > 0, -np.expm1(-np.where(x > 0, x, 0.0) / p[0]), 0.0)
        table = self._table()
        k = np.floor(np.nan_to_num(x, nan=-1.0, posinf=len(table), neginf=-1.0))
        index = np.clip(k - self._first(), -1, len(table) - 1).astype(np.int64)
        return np.where(index < 0, 0.0, table[np.maximum(index, 0)])

    def ppf(self, q: Floats) -> Floats:
        """The value at each probability ``q``, vectorised."""
        q = np.clip(np.asarray(q, dtype=float), 0.0, 1.0)
        p = self.params
        if self.kind == "lognormal":
            return np.exp(p[0] + p[1] * normal_ppf(q))
        if self.kind == "normal":
            return p[0] + p[1] * normal_ppf(q)
        if self.kind == "uniform":
            return p[0] + q * (p[1] - p[0])
        if self.kind == "triangular":
            return _triangular_ppf(q, *p)
        if self.kind == "exponential":
            return -p[0] * np.log1p(-np.minimum(q, 1 - 1e-16))
        table = self._table()
        index = np.minimum(np.searchsorted(table, q, side="left"), len(table) - 1)
        return (index + self._first()).astype(float)

    def _first(self) -> int:
        return 1 if self.kind == "zipf" else 0

    def _table(self) -> Floats:
        return _cumulative(self.kind, self.params[0])


def _end(value: float | None, fallback: float) -> float:
    return float(value) if value is not None else fallback


@lru_cache(maxsize=32)
def _cumulative(kind: str, param: float) -> Floats:
    """The CDF of a Poisson (mean ``param``) or Zipf (exponent ``param``) on its support."""
    if kind == "poisson":
        k = np.arange(0, int(param + 12 * math.sqrt(param) + 30), dtype=float)
        logs = k * math.log(param) - param - np.cumsum(np.log(np.maximum(k, 1))) if param else None
        pmf = np.exp(logs) if logs is not None else (k == 0).astype(float)
    else:
        pmf = np.arange(1, _ZIPF_CAP + 1, dtype=float) ** -param
    table = np.cumsum(pmf)
    out: Floats = table / table[-1]
    return out


def _triangular_cdf(x: Floats, low: float, mode: float, high: float) -> Floats:
    span = high - low
    left = (x - low) ** 2 / (span * (mode - low)) if mode > low else np.zeros_like(x)
    right = 1 - (high - x) ** 2 / (span * (high - mode)) if high > mode else np.ones_like(x)
    out = np.where(x <= mode, left, right)
    return np.where(x <= low, 0.0, np.where(x >= high, 1.0, out))


def _triangular_ppf(q: Floats, low: float, mode: float, high: float) -> Floats:
    span = high - low
    cut = (mode - low) / span
    left = low + np.sqrt(q * span * (mode - low))
    right = high - np.sqrt((1 - q) * span * (high - mode))
    return np.where(q < cut, left, right)
