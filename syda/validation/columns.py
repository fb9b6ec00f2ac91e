"""Row-level checks of whole DataFrame columns: the same rules as the row model, vectorized.

Pushing a million rows through a pydantic model one dict at a time takes seconds per column
(converting ``datetime64`` values to Python objects alone is most of it), so large frames are
checked here column by column with numpy and pandas. Exactly the same rules apply, taken from the
same :class:`~syda.validation.fields.ColumnRules`, in the same order as pydantic applies them
(type, length, range, pattern, choices; a value is reported for the first rule it breaks):

* a dtype whose values pydantic would reject wholesale (floats in a string column, ints in a
  boolean column) makes every non-NULL value a type error;
* a dtype pandas represents natively (ints, floats, bools, strings, naive datetimes) is checked
  with array operations;
* decimals (floats, ints or ``Decimal`` objects), dates as ``datetime.date``, naive
  ``datetime`` objects and UUIDs are screened (:mod:`syda.validation.screens`): numpy proves
  most values valid, and only the others go through pydantic;
* anything else (JSON, times, ISO strings in a date column, mixed objects...) is handed to
  pydantic for that column only, through the very type the row model uses, so there is nothing
  to keep in sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from syda.schema.ir import Column
from syda.validation.fields import ColumnRules, column_rules, field_annotation
from syda.validation.models import NOT_NULL_MESSAGE
from syda.validation.results import Rule, rule_of_pydantic_error
from syda.validation.screens import has_screen, screen

__all__ = ["Finding", "check_column", "check_column_pydantic", "python_values"]

_BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


@dataclass(frozen=True)
class Finding:
    """Rows of one column that break one rule (positions are 0-based and sorted)."""

    column: str
    rule: Rule
    rows: np.ndarray[Any, np.dtype[np.intp]]
    message: str
    example: Any


def python_values(series: pd.Series[Any]) -> list[Any]:
    """Return the values of ``series`` as Python objects, with None for every kind of NULL."""
    if series.dtype.kind in "mM":
        # Timestamps keep nanoseconds and are datetime subclasses, which pydantic accepts.
        values: list[Any] = series.astype(object).tolist()
    else:
        values = series.tolist()
    null = series.isna().to_numpy()
    if null.any():
        values = [None if is_null else v for v, is_null in zip(values, null, strict=True)]
    if values and any(isinstance(v, np.generic) for v in values[:1]):
        values = [v.item() if isinstance(v, np.generic) else v for v in values]
    return values


@lru_cache(maxsize=1024)
def _adapter(column: Column) -> TypeAdapter[list[Any]]:
    item: Any = field_annotation(column_rules(column))
    return TypeAdapter(list[item])


def check_column_pydantic(series: pd.Series[Any], column: Column) -> list[Finding]:
    """Check one column with the row model's own pydantic type for it (NOT NULL included)."""
    try:
        _adapter(column).validate_python(python_values(series))
    except ValidationError as exc:
        grouped: dict[Rule, tuple[list[int], str, Any]] = {}
        for err in exc.errors(include_url=False, include_context=False):
            value = err.get("input")
            rule = rule_of_pydantic_error(err["type"], value)
            message = NOT_NULL_MESSAGE if rule == "not_null" else err["msg"]
            rows, _, _ = grouped.setdefault(rule, ([], message, value))
            rows.append(int(err["loc"][0]))
        return [
            Finding(column.name, rule, np.asarray(sorted(rows), dtype=np.intp), message, example)
            for rule, (rows, message, example) in grouped.items()
        ]
    return []


def _category(values: pd.Series[Any]) -> str:
    """Classify a column's dtype (non-NULL values only) as pandas stores it."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "other"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if isinstance(dtype, pd.StringDtype):
        return "string"
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "datetime_tz"
    if dtype.kind == "M":
        return "datetime"
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        inferred = pd.api.types.infer_dtype(values, skipna=True)
        return {"string": "string", "boolean": "bool", "integer": "int", "floating": "float"}.get(
            inferred, "other"
        )
    return "other"


# For each kind, the dtype categories it accepts natively; a category listed in _DEFER is handed
# to pydantic, any other is a type error for every value.
_NATIVE: dict[str, frozenset[str]] = {
    "integer": frozenset({"int", "float"}),
    "float": frozenset({"int", "float"}),
    "string": frozenset({"string"}),
    "text": frozenset({"string"}),
    "boolean": frozenset({"bool"}),
    "date": frozenset({"datetime"}),
    "datetime": frozenset({"datetime", "datetime_tz"}),
}
_DEFER: dict[str, frozenset[str]] = {
    "date": frozenset({"string", "datetime_tz", "other"}),
    "datetime": frozenset({"string", "other"}),
}
_CHOICES_BY_PYDANTIC = frozenset({"decimal", "date", "datetime"})
_TYPE_MESSAGES = {
    "integer": "Input should be a valid integer",
    "float": "Input should be a finite number",
    "string": "Input should be a valid string",
    "text": "Input should be a valid string",
    "boolean": "Input should be a valid boolean",
    "date": "Input should be a valid date (without a time of day)",
    "datetime": "Input should be a valid datetime",
}


def check_column(
    series: pd.Series[Any], column: Column, null: _BoolArray | None = None
) -> list[Finding]:
    """Check every value of one column against the column's rules, vectorized where possible.

    Args:
        series: The column's values (any index; findings report positions).
        column: The IR column.
        null: Where ``series`` is NULL, if the caller knows it already.

    Returns:
        One :class:`Finding` per broken rule, each listing every offending row.
    """
    rules = column_rules(column)
    kind = rules.kind
    # One NULL mask and one take of the present values for every step below: a take of a
    # nullable text column copies its strings, and it used to be made twice.
    screens = has_screen(rules)
    # isin() compares timestamps and decimals with choices differently from Python's ==.
    by_pydantic = kind not in _NATIVE or (
        rules.choices is not None and kind in _CHOICES_BY_PYDANTIC
    )
    if by_pydantic and not screens:
        return check_column_pydantic(series, column)
    if null is None:
        null = series.isna().to_numpy(dtype=bool)
    present = np.flatnonzero(~null)
    values = _at(series, present, null)
    if screens:
        screened = _screened(series, column, rules, null, present, values)
        if screened is not None:
            return screened
    if by_pydantic:
        return check_column_pydantic(series, column)
    category = _category(values)
    if category in _DEFER.get(kind, frozenset()) or (category == "other" and len(values)):
        return check_column_pydantic(series, column)

    findings: list[Finding] = []
    if not rules.nullable and null.any():
        findings.append(
            Finding(column.name, "not_null", np.flatnonzero(null), NOT_NULL_MESSAGE, None)
        )
    if not len(values):
        return findings
    if category not in _NATIVE[kind]:
        findings.append(_finding(column, "type", present, _TYPE_MESSAGES[kind], values))
        return [_worded(column, f) for f in findings]
    # Each check sees only the values that passed the previous ones, as in pydantic.
    for rule, message, check in _checks(rules, category):
        ok = check(values)
        if not ok.all():
            findings.append(_finding(column, rule, present[~ok], message, values[~ok]))
            present, values = present[ok], values[ok]
            if not len(values):
                break
    return [_worded(column, f) for f in findings]


def _screened(
    series: pd.Series[Any],
    column: Column,
    rules: ColumnRules,
    null: _BoolArray,
    present: np.ndarray[Any, Any],
    values: pd.Series[Any],
) -> list[Finding] | None:
    """Screen the column; pydantic judges only the values the screen cannot prove valid."""
    ok = screen(values, rules)
    if ok is None:
        return None
    findings: list[Finding] = []
    if not rules.nullable and null.any():
        findings.append(
            Finding(column.name, "not_null", np.flatnonzero(null), NOT_NULL_MESSAGE, None)
        )
    doubtful = present[~ok]
    if len(doubtful):
        for found in check_column_pydantic(series.iloc[doubtful], column):
            rows = doubtful[found.rows]
            findings.append(Finding(found.column, found.rule, rows, found.message, found.example))
    return findings


def _at(series: pd.Series[Any], present: np.ndarray[Any, Any], null: Any) -> pd.Series[Any]:
    """The values at ``present``: the series itself where nothing is NULL (no copy to take)."""
    return series if not null.any() else series.iloc[present]


def _finding(
    column: Column, rule: Rule, rows: np.ndarray[Any, Any], message: str, values: Any
) -> Finding:
    example = python_values(values.iloc[:1])[0] if isinstance(values, pd.Series) else None
    return Finding(column.name, rule, np.asarray(rows, dtype=np.intp), message, example)


def _worded(column: Column, finding: Finding) -> Finding:
    """``finding`` in pydantic's words for its first value (as the row model would say it).

    The rows were found by array operations; only the wording comes from the row model's own
    type for the column, so that both paths say exactly the same (which bound a value is below,
    the form of the allowed values).
    """
    if finding.rule == "not_null" or not len(finding.rows):
        return finding
    for other in check_column_pydantic(pd.Series([finding.example], dtype=object), column):
        if other.rule == finding.rule:
            return Finding(
                finding.column, finding.rule, finding.rows, other.message, finding.example
            )
    return finding


_Check = Callable[["pd.Series[Any]"], _BoolArray]


def _checks(rules: ColumnRules, category: str) -> list[tuple[Rule, str, _Check]]:
    """Return the ``(rule, message, check)`` steps for a column, in pydantic's order."""
    kind = rules.kind
    steps: list[tuple[Rule, str, _Check]] = []
    if kind == "integer" and category == "float":
        steps.append(("type", _TYPE_MESSAGES[kind], _integral))
    elif kind == "float" and category == "float":
        steps.append(("type", _TYPE_MESSAGES[kind], _finite))
    elif kind == "date":
        steps.append(("type", _TYPE_MESSAGES[kind], _midnight))
    if rules.max_length is not None:
        limit = rules.max_length
        message = f"String should have at most {limit} characters"
        steps.append(("length", message, lambda v: _lengths(v) <= limit))
    if rules.lower is not None or rules.upper is not None:
        steps.append(_range_check(rules, category))
    if rules.pattern is not None:
        match = rules.pattern.match
        message = f"String should match the pattern {rules.schema_pattern}"
        steps.append(
            # Python's re, as in the row model (pandas would use RE2 on Arrow strings). A list is
            # iterated several times faster than an Arrow-backed Series.
            (
                "pattern",
                message,
                lambda v: np.fromiter((match(x) is not None for x in v.tolist()), bool, len(v)),
            )
        )
    if rules.choices is not None:
        allowed = list(rules.choices)
        message = "Input should be one of: " + ", ".join(repr(c) for c in allowed)
        steps.append(("choices", message, lambda v: v.isin(allowed).to_numpy(dtype=bool)))
    return steps


def _integral(values: pd.Series[Any]) -> _BoolArray:
    arr = values.to_numpy(dtype=float)
    return np.asarray(np.isfinite(arr) & (np.trunc(arr) == arr), dtype=bool)


def _finite(values: pd.Series[Any]) -> _BoolArray:
    return np.asarray(np.isfinite(values.to_numpy(dtype=float)), dtype=bool)


def _midnight(values: pd.Series[Any]) -> _BoolArray:
    return np.asarray((values == values.dt.normalize()).to_numpy(dtype=bool), dtype=bool)


def _range_check(rules: ColumnRules, category: str) -> tuple[Rule, str, _Check]:
    lower, upper = rules.lower, rules.upper
    temporal = rules.kind in ("date", "datetime")
    if temporal:
        lower = None if lower is None else pd.Timestamp(lower)
        upper = None if upper is None else pd.Timestamp(upper)

    def check(values: pd.Series[Any]) -> _BoolArray:
        if category == "datetime_tz":
            # Naive bounds are UTC, as in the row model.
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        ok = np.ones(len(values), dtype=bool)
        if lower is not None:
            ok &= (values >= lower).to_numpy(dtype=bool)
        if upper is not None:
            ok &= (values <= upper).to_numpy(dtype=bool)
        return ok

    parts = []
    if rules.lower is not None:
        parts.append(f"greater than or equal to {rules.lower}")
    if rules.upper is not None:
        parts.append(f"less than or equal to {rules.upper}")
    return "range", "Input should be " + " and ".join(parts), check


def _lengths(values: pd.Series[Any]) -> np.ndarray[Any, Any]:
    """Characters of each (non-NULL) text value, as Python's ``len`` counts them."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        # Code points of the Arrow strings themselves (no pandas result to wrap and unwrap);
        # pyarrow is there, since pandas stores these strings in it (an optional dependency).
        import pyarrow as pa
        import pyarrow.compute as pc

        lengths = pc.utf8_length(pa.array(values.array))
        return np.asarray(lengths.to_numpy(zero_copy_only=False), dtype=np.int64)
    if isinstance(values.dtype, pd.StringDtype):
        return values.str.len().to_numpy(dtype=np.int64)
    return np.fromiter((len(v) for v in values.tolist()), np.int64, len(values))
