"""Fixes of an LLM's rows that need no judgement, made locally instead of paying for a re-ask.

A model that writes ``discount_pct: 55`` for a column bounded to 0..50, a 104-character name for a
``VARCHAR(100)``, or a shipped date before its order date has written a row whose meaning is
right and whose form is off by a rule the engine knows exactly. Re-asking costs a call and may
fail again (a run on the stand-in once ended in ``GenerationError`` over ``CHECK shipped_date >=
order_date``); the fix is mechanical:

* a number outside its column's bounds is clamped to the nearest bound;
* a text longer than its column's limit is cut, at a word boundary when one is close;
* two values of the row that break a comparison between them (``a >= b`` with ``a < b``) are
  swapped, which keeps both values the model chose and puts them in the order the rule needs.

Every fix is a :class:`Fix`: the rule it met (``discount_pct at most 50``), counted in the run
report (:attr:`syda.report.TableReport.fixed_locally`), and one line (``row 3: discount_pct 55 ->
50 (at most 50)``) for the log; anything else wrong with a row is left to validation and
re-asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from syda.schema.ir import COMPARISON_OPERATORS, Table
from syda.validation.fields import column_rules

__all__ = ["Fix", "fix_bounds", "fix_order"]

_NUMERIC = frozenset({"integer", "float", "decimal"})
_SWAPPABLE = frozenset({"<", "<=", ">", ">="})
_WORD_CUT = 15
"""Characters a cut may step back to end on a word boundary."""


@dataclass(frozen=True)
class Fix:
    """One value fixed locally: the rule it now meets, and what changed."""

    rule: str
    """The rule, the same for every row it fixes (``discount_pct at most 50``)."""
    note: str
    """What changed (``row 3: discount_pct 55 -> 50 (at most 50)``)."""
    row: int | None = None
    """The row's position in the reply (0-based), for a fix of :func:`fix_bounds`."""

    def __str__(self) -> str:
        return self.note


def fix_bounds(table: Table, columns: Sequence[str], rows: Sequence[Any]) -> list[Fix]:
    """Clamp numbers to their bounds and cut texts to their length, in place on raw JSON rows.

    Returns:
        One fix per value, its note naming the row (1-based, in the reply) and the column.
    """
    notes: list[Fix] = []
    rules = {c: column_rules(table.column(c)) for c in columns}
    for pos, row in enumerate(rows):
        if not isinstance(row, dict):
            continue
        for name, rule in rules.items():
            value = row.get(name)
            fixed = _bounded(rule, value)
            if fixed is not None:
                row[name] = fixed[0]
                change = f"{name} {_short(value)} -> {_short(fixed[0])} ({fixed[1]})"
                notes.append(Fix(f"{name} {fixed[1]}", f"row {pos + 1}: {change}", pos))
    return notes


def fix_order(table: Table, columns: Sequence[str], row: dict[str, Any]) -> list[Fix]:
    """Swap the values of a typed row that break a comparison between two of ``columns``.

    Only comparisons whose columns are both in ``columns`` are touched (the other side of a rule
    may be a key or a value the row was given).

    Returns:
        One fix per swap, its rule the comparison (``shipped_date >= order_date``).
    """
    notes: list[Fix] = []
    present = set(columns)
    for cmp in table.comparisons:
        if cmp.op not in _SWAPPABLE or not {cmp.left, cmp.right} <= present:
            continue
        left, right = row.get(cmp.left), row.get(cmp.right)
        if left is None or right is None:
            continue
        holds = COMPARISON_OPERATORS[cmp.op]
        try:
            if holds(left, right) or not holds(right, left):
                continue  # already right, or equal values a strict rule cannot order
        except TypeError:
            continue
        row[cmp.left], row[cmp.right] = right, left
        rule = f"{cmp.left} {cmp.op} {cmp.right}"
        notes.append(Fix(rule, f"{cmp.left} and {cmp.right} swapped ({rule})"))
    return notes


def _bounded(rule: Any, value: Any) -> tuple[Any, str] | None:
    """The fixed value and why, or None when nothing needs fixing."""
    if rule.kind in _NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        lower, upper = _number(rule.lower), _number(rule.upper)
        if lower is not None and value < lower:
            return _same_kind(rule.kind, lower), f"at least {lower:g}"
        if upper is not None and value > upper:
            return _same_kind(rule.kind, upper), f"at most {upper:g}"
        return None
    if rule.kind in ("string", "text") and isinstance(value, str) and rule.max_length:
        if len(value) > rule.max_length and rule.choices is None and rule.pattern is None:
            return _cut(value, rule.max_length), f"at most {rule.max_length} chars"
    return None


def _number(bound: Any) -> float | None:
    if isinstance(bound, int | float | Decimal) and not isinstance(bound, bool):
        return float(bound)
    return None


def _same_kind(kind: str, bound: float) -> int | float:
    return int(bound) if kind == "integer" else bound


def _cut(text: str, limit: int) -> str:
    head = text[:limit]
    space = head.rfind(" ")
    if space >= limit - _WORD_CUT and space > 0:
        head = head[:space]
    return head.rstrip(" ,;:-")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."
