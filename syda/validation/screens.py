"""Vectorized screens: which values of a column are surely valid, for the kinds pandas cannot check.

Decimals held as floats, dates held as ``datetime.date`` objects and similar columns used to go
through pydantic value by value: half the time of validating a million CRM rows. A screen looks
at the whole column with numpy and returns a mask of the values it can *prove* valid; only the
others (none, in generated data) are then handed to pydantic, through the row model's own type
(:func:`~syda.validation.columns.check_column_pydantic`), which decides their rule, message and
example. So the verdicts and findings are the pydantic ones by construction, and a screen only
has to be sound: it may send a valid value on to pydantic, never pass an invalid one.

Each screen returns None when it does not apply to the column's values (mixed types, timezones,
a scale too large for exact float arithmetic...); the caller then checks the whole column with
pydantic, as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

import numpy as np
import pandas as pd

from syda.validation.fields import ColumnRules

__all__ = ["has_screen", "screen"]

Mask = np.ndarray[Any, np.dtype[np.bool_]]

# Integers up to 2**50 are exact in a float with room to spare, so scaling a value by 10**scale
# and rounding finds its digits exactly (the product is off by far less than half a unit).
_EXACT = 2.0**50
_MAX_SCALE = 15
_POWERS = 10 ** np.arange(19, dtype=np.int64)


def has_screen(rules: ColumnRules) -> bool:
    """Whether :func:`screen` may apply to the column (else it surely returns None)."""
    return rules.choices is None and rules.kind in _SCREENS


def screen(values: pd.Series[Any], rules: ColumnRules) -> Mask | None:
    """The values (no NULLs among them) that surely pass every rule of the column, or None.

    Args:
        values: The column's non-NULL values.
        rules: The column's rules.
    """
    if rules.choices is not None:
        return None  # membership of decimals and dates is Python equality: pydantic's job
    found = _SCREENS.get(rules.kind)
    return None if found is None else found(values, rules)


def _decimals(values: pd.Series[Any], rules: ColumnRules) -> Mask | None:
    """Numbers in a decimal column: finite, within precision, scale and bounds.

    pydantic reads a float through its shortest ``repr`` and counts the digits of that decimal,
    normalized: ``decimals`` after the point, ``digits`` in all (whole digits plus decimals). A
    float whose value scaled by ``10**scale`` rounds to an integer ``k`` that maps back to the
    very same float has a shortest form with at most ``scale`` decimals, and that form is ``k``
    over ``10**scale`` with its trailing zeros dropped; its digits are counted from ``k``.
    """
    kind = values.dtype.kind
    if kind not in "iuf" or isinstance(values.dtype, pd.CategoricalDtype):
        return None
    scale, precision = rules.decimal_places, rules.max_digits
    if scale is None and precision is not None:
        return None  # digits with no fixed scale: counted by pydantic
    x = values.to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        ok: Mask = np.isfinite(x) & (np.abs(x) < _EXACT)
        ok &= _in_bounds(x, rules.lower, rules.upper)
        if scale is None:
            return ok
        if scale > _MAX_SCALE:
            return None
        unit = 10.0**scale
        k = np.round(x * unit)
        ok &= np.abs(k) < _EXACT
        ok &= np.where(ok, k, 0.0) / unit == np.where(ok, x, 0.0)
    whole_k = np.abs(np.where(ok, k, 0.0)).astype(np.int64)
    decimals = np.full(len(x), scale, dtype=np.int64)
    for power in range(1, scale + 1):
        decimals -= (whole_k % _POWERS[power] == 0).astype(np.int64)
    whole_digits = np.searchsorted(_POWERS, whole_k // _POWERS[scale], side="right")
    # Zero normalizes to one digit before the point; counted so, which is never looser.
    whole_digits = np.where(whole_k == 0, 1, whole_digits)
    if precision is not None:
        ok &= whole_digits + decimals <= precision
        ok &= whole_digits <= precision - scale
    return ok


def _in_bounds(x: np.ndarray[Any, Any], lower: Any, upper: Any) -> Mask:
    # Shortest reprs order as their floats do, and the bounds are reprs of floats, so comparing
    # the floats decides as comparing the decimals would.
    ok = np.ones(len(x), dtype=bool)
    if lower is not None:
        ok &= x >= float(lower)
    if upper is not None:
        ok &= x <= float(upper)
    return ok


def _only(values: pd.Series[Any], wanted: type) -> list[Any] | None:
    """The values as a list if every one is exactly of type ``wanted`` (no subclass), else None."""
    listed = values.tolist()
    return listed if set(map(type, listed)) <= {wanted} else None


def _dates(values: pd.Series[Any], rules: ColumnRules) -> Mask | None:
    """``datetime.date`` objects (no datetimes, no strings) within the column's bounds."""
    listed = _only(values, dt.date) if values.dtype.kind == "O" else None
    return None if listed is None else _within(listed, rules)


def _datetimes(values: pd.Series[Any], rules: ColumnRules) -> Mask | None:
    """Naive ``datetime.datetime`` objects within the column's bounds (aware ones: pydantic)."""
    listed = _only(values, dt.datetime) if values.dtype.kind == "O" else None
    if listed is None or any(v.tzinfo is not None for v in listed):
        return None
    return _within(listed, rules)


def _within(listed: list[Any], rules: ColumnRules) -> Mask:
    # The very comparisons pydantic makes, but over the extremes first: in generated data every
    # value is in range, and min() and max() cost a fraction of converting the objects to numpy.
    lower, upper = rules.lower, rules.upper
    if (
        listed
        and (lower is None or min(listed) >= lower)
        and (upper is None or max(listed) <= upper)
    ):
        return np.ones(len(listed), dtype=bool)
    return np.fromiter(
        ((lower is None or v >= lower) and (upper is None or v <= upper) for v in listed),
        bool,
        len(listed),
    )


def _uuids(values: pd.Series[Any], rules: ColumnRules) -> Mask | None:
    """UUID objects: a UUID column has no rule beyond its type (choices are screened out)."""
    if values.dtype.kind != "O" or _only(values, UUID) is None:
        return None
    return np.ones(len(values), dtype=bool)


def _decimal_objects(values: pd.Series[Any], rules: ColumnRules) -> Mask | None:
    """``Decimal`` objects, as the database drivers return them: through their floats if exact."""
    if values.dtype.kind != "O":
        return None
    listed = _only(values, Decimal)
    if listed is None:
        return None
    try:
        floats = pd.Series([float(v) for v in listed], dtype=np.float64)
    except ValueError:  # a signalling NaN has no float
        return None
    # Only a Decimal that is the shortest repr of its float reads as that float did.
    pairs = zip(floats.tolist(), listed, strict=True)
    same = np.fromiter((Decimal(repr(f)) == d for f, d in pairs), bool, len(listed))
    ok = _decimals(floats, rules)
    return None if ok is None else ok & same


def _decimal_values(values: pd.Series[Any], rules: ColumnRules) -> Mask | None:
    if values.dtype.kind == "O":
        return _decimal_objects(values, rules)
    return _decimals(values, rules)


_SCREENS: dict[str, Callable[[pd.Series[Any], ColumnRules], Mask | None]] = {
    "decimal": _decimal_values,
    "date": _dates,
    "datetime": _datetimes,
    "uuid": _uuids,
}
