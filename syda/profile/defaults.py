"""A column's DEFAULT honoured as its common value (``default_share``), and now()-like defaults.

A row that never set a column holds its DEFAULT, so real tables hold it more than any other
value: ``rental_duration ... DEFAULT 3``, ``rental_rate ... DEFAULT 4.99``, ``attribs JSONB
DEFAULT '{}'``. ``default_share: 0.8`` says that share of rows keeps the DEFAULT and the others
are drawn as usual; inference writes it for every column whose DEFAULT is a value (booleans,
one-letter flags and columns with allowed values get a weighted ``values`` instead, see
:mod:`syda.profile.inferred`). Not for an empty string: ``DEFAULT ''`` marks "not given", and a
generated row gives one.

A now()-like DEFAULT (``now()``, ``CURRENT_TIMESTAMP``) is the moment the row was written, never
later than the reference day: a column that names a future (``expires_at``) would be drawn up
to years ahead, so inference caps it at the reference day.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from syda.profile.convert import to_column
from syda.profile.spec import ColumnProfile
from syda.schema.column_db import is_now_like
from syda.schema.ir import Column

__all__ = ["default_problems", "default_value", "inferred_default", "with_default"]

_FUTURE = frozenset(
    {"due", "expiry", "expires", "expiration", "expire", "deadline", "renewal", "scheduled",
     "until", "end", "ends", "valid"}
)  # fmt: skip


_PLACEHOLDER_DATES = ("1970-01-01", "0000-00-00", "1900-01-01", "0001-01-01")


def default_value(column: Column) -> Any | None:
    """The column's DEFAULT as a value of its kind; None when it has none that is a value."""
    value = column.default
    if isinstance(value, str) and len(value) > 1 and value[0] == value[-1] == "'":
        value = value[1:-1].replace("''", "'")  # MariaDB's expression DEFAULT ('{}'), quoted
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if column.kind == "json":
        try:
            return json.loads(value) if isinstance(value, str) else value
        except ValueError:
            return None
    if column.kind in ("integer", "float", "decimal") and isinstance(value, str):
        try:
            return float(value) if column.kind != "integer" else int(value)
        except ValueError:
            return None
    return value


def inferred_default(
    column: Column, tokens: set[str], share: float, today: date
) -> dict[str, Any] | None:
    """The spec inference writes for a DEFAULT that no weighted ``values`` took, if any."""
    if column.unique:
        return None
    value = default_value(column)
    if value is not None and not _placeholder_date(column, value):
        return {"default_share": share}
    if column.kind in ("date", "datetime") and is_now_like(column.default_sql):
        if tokens & _FUTURE and column.maximum is None:
            return {"max": today.isoformat()}
    return None


def _placeholder_date(column: Column, value: Any) -> bool:
    """A date DEFAULT at the epoch or the zero date marks "not set yet": no common value.

    Piwigo's ``date_available ... DEFAULT '1970-01-01 00:00:00'``.
    """
    return column.kind in ("date", "datetime") and str(value).startswith(_PLACEHOLDER_DATES)


def default_problems(where: str, column: Column, spec: ColumnProfile) -> list[str]:
    """Problems of a ``default_share``: the column needs a DEFAULT it can hold, once per row."""
    if not spec.default_share:
        return []
    value = default_value(column)
    if value is None:
        return [f"{where}: default_share needs a DEFAULT that is a value; the column has none"]
    if column.unique:
        return [f"{where}: a unique column cannot repeat its DEFAULT (default_share)"]
    from syda.validation.columns import check_column

    if column.kind != "json" and check_column(to_column(pd.Series([value]), column), column):
        return [f"{where}: the DEFAULT {value!r} breaks the column's rules (default_share)"]
    return []


def with_default(
    values: pd.Series[Any], column: Column, spec: ColumnProfile | None, rng: np.random.Generator
) -> pd.Series[Any]:
    """``values`` with a ``default_share`` of its rows set to the column's DEFAULT."""
    if spec is None or not spec.default_share:
        return values
    value = default_value(column)
    keep = rng.random(len(values)) < spec.default_share
    if value is None or not keep.any():
        return values
    out = values.reset_index(drop=True).copy()
    rows = np.flatnonzero(keep)
    if column.kind == "json":
        out = out.astype(object)
        for i in rows:
            out.iat[int(i)] = json.loads(json.dumps(value))  # each row its own object
    else:
        typed = to_column(pd.Series([value]), column).iloc[0]
        typed = typed.item() if isinstance(typed, np.generic) else typed
        out = out.mask(pd.Series(keep), typed)  # a new series: upcast where it must be
    out.index = values.index
    return out
