"""A branch's demands on one column, evaluated on the rows being repaired.

:func:`ask` evaluates the other sides of the demands (:mod:`syda.schema.check_candidates`) on the
rows and sorts them into what each row must meet: NULL or not, comparisons (a factor's sign
turning a comparison around row by row), lists, excluded values, patterns and lengths. The
drawing modules (:mod:`syda.repair_values`, :mod:`syda.repair_text`) read only this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sqlglot import exp

from syda.schema.check_candidates import Demand
from syda.schema.check_tree import FLIPPED

__all__ = ["Asked", "BoolArray", "Evaluate", "ask", "length_bounds", "missing"]

Evaluate = Callable[[Sequence[exp.Expr]], list["pd.Series[Any]"]]
"""Evaluates expressions on the rows being repaired (one series per expression)."""

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
FloatArray = np.ndarray[Any, np.dtype[np.float64]]

_PATTERN_LISTS = {
    "like": "likes",
    "not like": "unlikes",
    "regex": "regexes",
    "not regex": "unregexes",
}


@dataclass
class Asked:
    """A branch's demands on one column, evaluated on the rows: what each row must meet."""

    n: int
    null: bool = False
    not_null: bool = False
    compared: list[tuple[str, BoolArray, pd.Series[Any]]] = field(default_factory=list)
    lengths: list[tuple[str, BoolArray, pd.Series[Any]]] = field(default_factory=list)
    choices: list[pd.Series[Any]] | None = None
    excluded: list[pd.Series[Any]] = field(default_factory=list)
    likes: list[str] = field(default_factory=list)
    unlikes: list[str] = field(default_factory=list)
    regexes: list[str] = field(default_factory=list)
    unregexes: list[str] = field(default_factory=list)

    def equal(self) -> list[pd.Series[Any]]:
        """The values each row must equal, one series per ``=`` demand (NULL where none)."""
        return [v.where(pd.Series(m)) for op, m, v in self.compared if op == "="]


def ask(demands: Sequence[Demand], evaluate: Evaluate, n: int) -> Asked:
    """Evaluate ``demands`` on ``n`` rows (their expressions in one call) and sort them."""
    exprs = [e for d in demands for e in (d.other, *d.items, *d.signs) if e is not None]
    values = iter(evaluate(exprs)) if exprs else iter(())
    asked = Asked(n)
    for d in demands:
        other = next(values) if d.other is not None else None
        items = [next(values) for _ in d.items]
        signs = [next(values) for _ in d.signs]
        if d.op in ("null", "not null"):
            asked.null |= d.op == "null"
            asked.not_null |= d.op == "not null"
        elif d.op == "in":
            asked.choices = items if asked.choices is None else asked.choices
        elif d.op == "not in":
            asked.excluded.extend(items)
        elif d.op in _PATTERN_LISTS and d.pattern is not None:
            getattr(asked, _PATTERN_LISTS[d.op]).append(d.pattern)
        elif other is not None:
            _compare(asked, d, other, signs)
    return asked


def _compare(asked: Asked, d: Demand, other: pd.Series[Any], signs: list[pd.Series[Any]]) -> None:
    sign = np.ones(asked.n)
    for s in signs:
        sign = sign * np.sign(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float))
    target = asked.lengths if d.length else asked.compared
    if d.op == "!=" and not d.length:
        asked.excluded.append(other)
        return
    target.append((d.op, sign > 0, other))
    if signs:
        target.append((FLIPPED[d.op], sign < 0, other))


def length_bounds(asked: Asked, maximum: int | None) -> tuple[FloatArray, FloatArray]:
    """Each row's shortest and longest allowed length (``maximum``: the column's own)."""
    n = asked.n
    low, high = np.zeros(n), np.full(n, np.inf if maximum is None else maximum)
    for op, mask, other in asked.lengths:
        v = np.where(mask, pd.to_numeric(other, errors="coerce").to_numpy(dtype=float), np.nan)
        if op in ("=", ">="):
            low = np.fmax(low, np.ceil(v))
        if op in ("=", "<="):
            high = np.fmin(high, np.floor(v))
        if op == ">":
            low = np.fmax(low, np.floor(v) + 1)
        if op == "<":
            high = np.fmin(high, np.ceil(v) - 1)
    return low, high


def missing(value: Any) -> bool:
    """Whether ``value`` is a NULL of any kind (None, NaN, ``pd.NA``, ``NaT``)."""
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and value != value)
        or value is pd.NaT
    )
