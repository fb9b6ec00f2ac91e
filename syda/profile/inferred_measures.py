"""Readings and counters drawn in the range and shape they have (rules: ``infer_rules.MEASURES``).

A ``temperature_c`` is a weather reading around 17 degrees, a ``pressure_hpa`` sits near 1013, a
``humidity`` between 5 and 100, a ``view_count`` starts at 0 with a long right tail, and
``retries`` are mostly 0. Each becomes a ``distribution`` with ``min``/``max`` cut by the
column's own bounds; a column whose bounds leave the rule's range (a humidity kept as a
fraction) keeps the draw its meaning gives it.
"""

from __future__ import annotations

from typing import Any

from syda.generators.infer import name_tokens
from syda.profile import infer_rules as rules
from syda.schema.ir import Column

__all__ = ["measure_spec"]

_NUMBERS = frozenset({"integer", "float", "decimal"})


def measure_spec(col: Column) -> dict[str, Any] | None:
    """The spec of a reading or a counter named so, or None."""
    if col.kind not in _NUMBERS or col.unique or col.choices or col.autoincrement:
        return None
    tokens = set(name_tokens(col.name))
    rule = next((m for m in rules.MEASURES if _names(m, tokens)), None)
    if rule is None or (rule.integer and col.kind != "integer"):
        return None
    low = _tighter(rule.low, col.minimum, max)
    high = _tighter(rule.high, col.maximum, min)
    if low is not None and high is not None and low > high:
        return None  # the column keeps another kind of number (a fraction, a code)
    spec: dict[str, Any] = {"distribution": rule.distribution}
    if low is not None:
        spec["min"] = low
    if high is not None:
        spec["max"] = high
    if col.kind == "float" and not rule.integer:
        spec["round"] = 1
    return spec


def _names(rule: rules.Measure, tokens: set[str]) -> bool:
    if not tokens & rule.words or tokens & rule.unless:
        return False
    return not rule.with_ or bool(tokens & rule.with_)


def _tighter(mine: float | None, column: float | None, pick: Any) -> float | None:
    if mine is None:
        return column
    return mine if column is None else float(pick(mine, column))
