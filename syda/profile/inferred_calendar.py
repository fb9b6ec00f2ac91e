"""Parts of a date and small codes drawn in their range, and a calendar's parts from its date.

A ``birth_month`` or TPC-DS's ``d_moy`` is 1-12 anywhere, a ``dom`` 1-31, a ``day_name`` a
weekday; and where the row holds the date they are parts of (a calendar dimension's ``d_date``,
an ``order_date`` beside an ``order_year``), each part is computed from that date
(``expr: month(d_date)``), so the row agrees with itself. A ``gmt_offset`` holds a real time
zone's offset (-12 to +14 hours), an integer ``status`` one of a few small codes. The rules are
data (:data:`PARTS`, :data:`CODES`); a new part or code is a new row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syda.generators.infer import name_tokens
from syda.generators.vocab_codes import NAMED_VOCABULARIES
from syda.profile.spec import Uniform
from syda.schema.ir import Column, Table

__all__ = ["CODES", "PARTS", "Code", "Part", "calendar_spec", "code_spec"]


@dataclass(frozen=True)
class Part:
    """A column named with one of ``words`` (and one of ``with_``) is this part of a date."""

    words: frozenset[str]
    sql: str
    """The part of the date ``{d}`` (DuckDB SQL), when the row holds that date."""
    low: int | None = None
    high: int | None = None
    """Its range where no date of the row says it (None: another rule draws it, a year's)."""
    with_: frozenset[str] = frozenset()
    text: bool = False
    """A name (``Monday``), held in text; else a number."""


def _w(*words: str) -> frozenset[str]:
    return frozenset(words)


PARTS: tuple[Part, ...] = (
    # names first: ``day_name`` is no day of the month, ``month_name`` no month number
    Part(_w("day", "weekday", "dow"), "dayname({d})", with_=_w("name"), text=True),
    Part(_w("month", "moy"), "monthname({d})", with_=_w("name"), text=True),
    Part(_w("quarter", "qoy"), "CAST(year({d}) AS VARCHAR) || 'Q' || CAST(quarter({d}) AS VARCHAR)",
         with_=_w("name"), text=True),
    Part(_w("day"), "dayofweek({d})", 0, 6, with_=_w("week")),  # day_of_week (0 is Sunday)
    Part(_w("dow", "weekday", "wday", "dayofweek"), "dayofweek({d})", 0, 6),
    Part(_w("dom", "mday", "dayofmonth"), "day({d})", 1, 31),
    Part(_w("day"), "day({d})", 1, 31, with_=_w("month", "birth")),  # day_of_month, birth_day
    Part(_w("month", "moy", "mon"), "month({d})", 1, 12),
    Part(_w("quarter", "qoy", "qtr"), "quarter({d})", 1, 4),
    Part(_w("week", "woy", "weekofyear"), "week({d})", 1, 53),
    Part(_w("year", "yr"), "year({d})"),
    Part(_w("hour"), "hour({d})", 0, 23),
    Part(_w("minute"), "minute({d})", 0, 59),
)  # fmt: skip
"""First match wins. Plural names (``months``, ``hours``) are durations, not parts."""
NOT_PARTS = frozenset(
    {"seq", "sequence", "count", "num", "number", "id", "sk", "key", "first", "last", "same",
     "current", "fy", "fiscal", "since", "ago", "total", "avg", "max", "min"}
)  # fmt: skip
"""A month's sequence number, a fiscal year, a ``current_month`` flag: no part of the date."""
_TIME_PARTS = frozenset({"hour", "minute"})
_DATE_WORDS = frozenset({"date", "day", "dt", "at", "on", "time", "timestamp", "datetime", "ts"})


@dataclass(frozen=True)
class Code:
    """A number named with one of ``words`` (and one of ``with_``) holds one of ``values``."""

    words: frozenset[str]
    values: dict[float, float]
    with_: frozenset[str] = frozenset()
    integer: bool = False
    """Only for integer columns (a decimal ``status`` is something else)."""


# Real offsets from UTC in hours, the most populous zones weighted most.
_OFFSETS: dict[float, float] = {
    -8: 6, -7: 4, -6: 6, -5: 9, -4: 3, -3: 5, -10: 1, -9: 1, -3.5: 0.5, -1: 0.3, -2: 0.3,
    -11: 0.2, -12: 0.1, 0: 5, 1: 9, 2: 6, 3: 6, 3.5: 1, 4: 2, 4.5: 0.5, 5: 3, 5.5: 10, 5.75: 0.3,
    6: 2, 7: 4, 8: 12, 9: 3, 9.5: 0.3, 10: 2, 11: 0.5, 12: 0.5, 13: 0.2, 14: 0.1,
}  # fmt: skip
CODES: tuple[Code, ...] = (
    Code(_w("offset"), _OFFSETS, with_=_w("gmt", "utc", "tz", "timezone", "zone")),
    # An integer status is an enumeration's code (Temporal's WorkflowExecutionStatus 1-7):
    # a few small values, the first ones most common (running, completed...).
    Code(_w("status", "state", "stage"), {1: 40, 2: 30, 3: 12, 4: 8, 5: 6, 6: 3, 7: 1},
         integer=True),
)  # fmt: skip
"""First match wins; a column with its own bounds, choices or DEFAULT keeps them."""


def _matches(words: frozenset[str], with_: frozenset[str], tokens: set[str]) -> bool:
    return bool(tokens & words) and (not with_ or bool(tokens & with_))


def _part(col: Column) -> Part | None:
    tokens = set(name_tokens(col.name))
    if tokens & NOT_PARTS or col.unique or col.choices:
        return None
    text = col.kind in ("string", "text")
    if not text and col.kind != "integer":
        return None
    return next((p for p in PARTS if p.text == text and _matches(p.words, p.with_, tokens)), None)


def _date_of(table: Table, col: Column, part: Part) -> Column | None:
    """The one date of the row ``col`` is a part of, or None.

    Its name says the same besides its date words: ``d_date`` for ``d_year``, ``order_date``
    for ``order_year``.
    """
    rest = set(name_tokens(col.name)) - part.words - part.with_
    kinds = ("datetime",) if part.words & _TIME_PARTS else ("date", "datetime")
    found = [
        c
        for c in table.columns
        if c.kind in kinds and set(name_tokens(c.name)) - _DATE_WORDS == rest
    ]
    return found[0] if len(found) == 1 else None


def calendar_spec(table: Table, col: Column) -> dict[str, Any] | None:
    """A date part's spec: computed from the row's date, else drawn in its range."""
    part = _part(col)
    if part is None:
        return None
    date = _date_of(table, col, part)
    if date is not None:
        return {"expr": part.sql.format(d=date.name)}
    if part.text:
        name = "month_name" if part.words & {"month", "moy"} else "day_name"
        values = NAMED_VOCABULARIES[name]
        return None if part.words & {"quarter"} else {"values": list(values)}
    if part.low is None or part.high is None:
        return None
    return uniform_within(col, part.low, part.high)


def uniform_within(col: Column, low: int, high: int) -> dict[str, Any] | None:
    """A uniform integer spec over ``low..high`` held to the column's own bounds (None: empty)."""
    if col.minimum is not None:
        low = max(low, int(col.minimum))
    if col.maximum is not None:
        high = min(high, int(col.maximum))
    if low > high:
        return None
    return {"min": low, "max": high, "distribution": Uniform(kind="uniform")}


def code_spec(col: Column) -> dict[str, Any] | None:
    """The spec of a number that holds one of a few codes (an offset, a status), or None."""
    if col.kind not in ("integer", "float", "decimal") or col.unique or col.choices:
        return None
    if col.minimum is not None or col.maximum is not None or col.autoincrement:
        return None
    tokens = name_tokens(col.name) or [""]
    # The code is what the column is, its last word: a ``last_state_change`` is no state.
    code = next(
        (c for c in CODES if tokens[-1] in c.words and _matches(c.words, c.with_, set(tokens))),
        None,
    )
    if code is None or (code.integer and col.kind != "integer"):
        return None
    if col.kind != "integer":
        return {"values": dict(code.values)}
    return {"values": {int(v): w for v, w in code.values.items() if float(v).is_integer()}}
