"""CHECK constraints: read the SQL text of a check into facts about columns.

A CHECK is kept as written (:class:`~syda.schema.ir.Check`) and, when its meaning is simple enough,
also folded into column facts (bounds, allowed values, lengths, NOT NULL, a pattern) and
comparisons between two columns, so nothing downstream has to parse SQL again.

The text is read with sqlglot (:mod:`syda.schema.check_tree`), in the dialects syda meets in
practice: plain SQL as users write it, SQLite's reflection (the text as written), MySQL's
(backticks, ``_utf8mb4'a'``) and PostgreSQL's rendering with casts and ``ANY (ARRAY[...])``,
e.g. ``((status)::text = ANY ((ARRAY['a'::character varying])::text[]))``. A check is a
conjunction (``AND``) of parts; every part that is understood is folded, and the check is marked
``understood`` only when all of its parts were. Folding only the understood parts of a conjunction
is sound because each part must hold on its own. Anything with ``OR`` or ``NOT`` is not folded,
but for ``x IS NULL OR p(x)`` (a domain's usual form, which a CHECK's passing on NULL makes the
same as ``p(x)``): such a check is evaluated on the rows, and rows that break it are repaired
from candidates built from its expression (:mod:`syda.schema.check_candidates`). A minimum length
(``octet_length(id) = 20``) is kept as a generation hint (``Column.min_length``) and leaves its
check evaluated.

Bounds are inclusive, as the IR wants. A strict bound is tightened to the nearest value that the
column can hold: ``> 0`` becomes ``1`` on an integer column, ``0.01`` on a ``NUMERIC(10, 2)``,
the next representable float (``math.nextafter``) on a float or unscaled decimal column, and the
next day on a date column. Dates are ordinal days (``date.toordinal()``); datetimes are
fractional ordinal days (the time of day as a fraction of 86,400 seconds), so ``>= '2000-01-01
12:00'`` is kept exactly.

Merging rules when several facts meet on one column: bounds intersect (the tightest wins),
allowed values intersect, the shortest maximum length wins, NOT NULL wins. Two different patterns
cannot be intersected, so a second pattern leaves its check not understood.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from sqlglot import exp

from syda.schema.check_sql import CheckSqlError
from syda.schema.check_tree import (
    COMPARISONS,
    FLIPPED,
    Lit,
    ParsedCheck,
    column_name,
    conjuncts,
    glob_regex,
    length_of,
    list_items,
    literal,
    operands,
    parse_check_tree,
    unwrap,
)
from syda.schema.ir import Check, Column, ColumnComparison, ComparisonOp

__all__ = ["CheckFacts", "ColumnFacts", "FoldedChecks", "apply_facts", "fold_checks", "parse_check"]

_NUMERIC = frozenset({"integer", "float", "decimal"})
_STRINGISH = frozenset({"string", "text", "unknown"})
_COLUMN_OPS: Mapping[str, ComparisonOp] = {
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
    "=": "=",
    "!=": "!=",
}
# PostgreSQL-only regex escapes and POSIX classes that Python's ``re`` reads differently.
_NON_PORTABLE_REGEX = re.compile(r"\[\[:|\\[mMyYAZ]|\(\?")


@dataclass(frozen=True)
class ColumnFacts:
    """What the understood parts of one check say about one column."""

    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] | None = None
    not_null: bool = False
    length: int | None = None
    pattern: str | None = None
    min_length: int | None = None


@dataclass(frozen=True)
class CheckFacts:
    """One parsed check: the check as written plus the facts folded from it."""

    check: Check
    columns: Mapping[str, ColumnFacts] = field(default_factory=dict)
    comparisons: tuple[ColumnComparison, ...] = ()


@dataclass(frozen=True)
class FoldedChecks:
    """Columns with every check's facts merged in, plus the checks and comparisons.

    Facts that contradict each other (minimum above maximum, no allowed value left) are kept as
    they are, for :func:`~syda.schema.validate.validate_schema` to report.
    """

    columns: tuple[Column, ...]
    checks: tuple[Check, ...]
    comparisons: tuple[ColumnComparison, ...]


class _NotUnderstood(Exception):
    """One part of a check has no representation in the IR."""


def parse_check(sqltext: str, columns: Sequence[Column], *, name: str | None = None) -> CheckFacts:
    """Read one CHECK constraint into facts about ``columns``.

    Args:
        sqltext: The check's SQL expression, with or without surrounding parentheses.
        columns: The table's columns as known so far; their kinds decide how literals are read,
            and a pattern already on a column makes a second pattern not understood.
        name: The constraint name, if it has one.

    Returns:
        The check (``understood`` when every part was folded) and the facts of its understood
        parts. Unparseable text gives a check that is not understood and no facts.
    """
    by_name = {col.name: col for col in columns}
    try:
        parsed = parse_check_tree(sqltext, list(by_name))
    except CheckSqlError:
        return CheckFacts(Check(sqltext, name, understood=False))
    facts: dict[str, ColumnFacts] = {}
    comparisons: list[ColumnComparison] = []
    understood = True
    for part in conjuncts(parsed.tree):
        folder = _Folder(parsed, by_name, facts, comparisons)
        try:
            folder.fold(part)
        except _NotUnderstood:
            understood = False
        understood &= folder.exact
    return CheckFacts(Check(sqltext, name, understood=understood), facts, tuple(comparisons))


def apply_facts(column: Column, facts: ColumnFacts) -> Column:
    """Merge ``facts`` into ``column``: bounds and choices intersect, NOT NULL and patterns add.

    Numeric choices outside the merged bounds are dropped, so generators need only the choices.
    """
    minimum = _tightest(column.minimum, facts.minimum, max)
    maximum = _tightest(column.maximum, facts.maximum, min)
    choices = _intersect(column.choices, facts.choices)
    if choices is not None and column.kind in _NUMERIC:
        choices = tuple(c for c in choices if _within(c, minimum, maximum))
    return replace(
        column,
        minimum=minimum,
        maximum=maximum,
        choices=choices,
        nullable=column.nullable and not facts.not_null,
        length=_tightest(column.length, facts.length, min),
        min_length=_tightest(column.min_length, facts.min_length, max),
        pattern=facts.pattern if facts.pattern is not None else column.pattern,
    )


def fold_checks(
    columns: Sequence[Column], checks: Iterable[tuple[str, str | None]]
) -> FoldedChecks:
    """Parse every check of a table and fold its facts into the columns, in order.

    Args:
        columns: The table's columns before any check is applied.
        checks: ``(sqltext, name)`` pairs.

    Returns:
        The merged columns, the checks (each marked understood or not) and the comparisons.
    """
    current = list(columns)
    folded: list[Check] = []
    comparisons: list[ColumnComparison] = []
    for sqltext, name in checks:
        facts = parse_check(sqltext, current, name=name)
        folded.append(facts.check)
        for comparison in facts.comparisons:
            if comparison not in comparisons:
                comparisons.append(comparison)
        current = [
            apply_facts(col, facts.columns[col.name]) if col.name in facts.columns else col
            for col in current
        ]
    return FoldedChecks(tuple(current), tuple(folded), tuple(comparisons))


@dataclass
class _Folder:
    """Folds one conjunct into ``facts``/``comparisons``, or raises :class:`_NotUnderstood`."""

    parsed: ParsedCheck
    columns: Mapping[str, Column]
    facts: dict[str, ColumnFacts]
    comparisons: list[ColumnComparison]
    exact: bool = True
    """False when a fact was kept that the IR holds only as a hint (a minimum length)."""
    escaped: str | None = None
    """The column of an ``x IS NULL OR ...`` being folded: its other parts may read only it."""

    def fold(self, node: exp.Expr) -> None:
        listed = list_items(node)
        if listed is not None:
            if listed[0] != "in":
                raise _NotUnderstood
            _add_choices(self.facts, self.column(node.this), listed[1])
        elif type(node) in COMPARISONS:
            self.compare(COMPARISONS[type(node)], node.this, node.expression)
        elif isinstance(node, exp.Between) and not node.args.get("symmetric"):
            col = self.column(node.this)
            low, high = _lit(node.args["low"]), _lit(node.args["high"])
            _add(self.facts, col, _bound(col, ">=", low), _bound(col, "<=", high))
        elif isinstance(node, exp.Or) and self.escaped is None:
            self.null_or(node)
        elif isinstance(node, exp.Is) and node.args.get("negate") and self.escaped is None:
            if not isinstance(unwrap(node.expression), exp.Null):
                raise _NotUnderstood
            _add(self.facts, self.column(node.this), ColumnFacts(not_null=True))
        elif isinstance(node, exp.Like | exp.RegexpLike | exp.Glob) and not node.args.get("negate"):
            self.match(node)
        else:
            raise _NotUnderstood

    def column(self, node: exp.Expr) -> Column:
        name = column_name(node, self.parsed)
        if name is None or self.escaped not in (None, name):
            raise _NotUnderstood
        return self.columns[name]

    def null_or(self, node: exp.Or) -> None:
        """Fold ``x IS NULL OR p(x)``, a domain's usual form, as ``p(x)``.

        A CHECK passes on NULL anyway, so the parts of ``p`` say all there is about ``x``.
        """
        parts = list(operands(node, exp.Or))
        tested = [self._null_tested(p) for p in parts]
        names = {n for n in tested if n is not None}
        rest = [p for p, n in zip(parts, tested, strict=True) if n is None]
        if len(names) != 1 or len(rest) != 1:
            raise _NotUnderstood
        self.escaped = names.pop()
        for part in conjuncts(rest[0]):
            if self.parsed.columns_in(part) != {self.escaped}:
                raise _NotUnderstood
            self.fold(part)

    def _null_tested(self, node: exp.Expr) -> str | None:
        node = unwrap(node)
        if isinstance(node, exp.Is) and not node.args.get("negate"):
            if isinstance(unwrap(node.expression), exp.Null):
                return column_name(node.this, self.parsed)
        return None

    def compare(self, op: str, left: exp.Expr, right: exp.Expr) -> None:
        left_name, right_name = column_name(left, self.parsed), column_name(right, self.parsed)
        if left_name is not None and right_name is not None:
            self.comparisons.append(ColumnComparison(left_name, _COLUMN_OPS[op], right_name))
            return
        if op == "!=":
            raise _NotUnderstood
        if literal(left) is not None and literal(right) is None:
            left, right, op = right, left, FLIPPED[op]
        limit = _lit(right)
        measured = length_of(left)
        if measured is not None:
            col, fact = _length_fact(self.column(measured), op, limit)
            _add(self.facts, col, fact)
            self.exact &= fact.min_length is None
            return
        col = self.column(left)
        if op == "=":
            _add_choices(self.facts, col, (right,))
        else:
            _add(self.facts, col, _bound(col, op, limit))

    def match(self, node: exp.Like | exp.RegexpLike | exp.Glob) -> None:
        col = self.column(node.this)
        pattern = literal(node.expression)
        if col.kind not in _STRINGISH or pattern is None or not isinstance(pattern.value, str):
            raise _NotUnderstood
        if isinstance(node, exp.RegexpLike) and node.args.get("flag") is not None:
            raise _NotUnderstood
        if isinstance(node, exp.Glob):
            # SQLite's GLOB is anchored and case-sensitive: a regex the value fully matches.
            regex = _match_to_regex(False, glob_regex(pattern.value))
        else:
            regex = _match_to_regex(isinstance(node, exp.Like), pattern.value)
        if col.pattern is not None and col.pattern != regex:
            raise _NotUnderstood
        known = self.facts.get(col.name)
        if known is not None and known.pattern not in (None, regex):
            raise _NotUnderstood
        _add(self.facts, col, ColumnFacts(pattern=regex))


def _lit(node: exp.Expr) -> Lit:
    found = literal(node)
    if found is None:
        raise _NotUnderstood
    return found


def _length_fact(col: Column, op: str, limit: Lit) -> tuple[Column, ColumnFacts]:
    # A maximum is a column fact; a minimum (``length(x) > 0``, ``octet_length(id) = 20``) is
    # kept as a hint for generation, and the check stays evaluated on the rows.
    if col.kind not in (*_STRINGISH, "binary"):
        raise _NotUnderstood
    value = _number(limit)
    if op == "<=":
        return col, ColumnFacts(length=math.floor(value))
    if op == "<":
        return col, ColumnFacts(length=math.ceil(value) - 1)
    if op == "=" and value == value.to_integral_value():
        return col, ColumnFacts(length=int(value), min_length=int(value))
    if op in (">", ">="):
        shortest = math.floor(value) + 1 if op == ">" else math.ceil(value)
        return col, ColumnFacts(min_length=max(shortest, 0))
    raise _NotUnderstood


def _add(facts: dict[str, ColumnFacts], col: Column, *new: ColumnFacts) -> None:
    for fact in new:
        known = facts.get(col.name)
        if known is None:
            facts[col.name] = fact
            continue
        facts[col.name] = ColumnFacts(
            minimum=_tightest(known.minimum, fact.minimum, max),
            maximum=_tightest(known.maximum, fact.maximum, min),
            choices=_intersect(known.choices, fact.choices),
            not_null=known.not_null or fact.not_null,
            length=_tightest(known.length, fact.length, min),
            min_length=_tightest(known.min_length, fact.min_length, max),
            pattern=fact.pattern if fact.pattern is not None else known.pattern,
        )


def _add_choices(facts: dict[str, ColumnFacts], col: Column, items: Sequence[exp.Expr]) -> None:
    values = [_choice(col, _lit(item)) for item in items]
    if col.kind == "boolean":
        flags = tuple(dict.fromkeys(bool(v) for v in values))
        # ``flag IN (0, 1)`` is what a Boolean type's own constraint says: nothing to add.
        _add(facts, col, ColumnFacts(choices=None if len(flags) == 2 else flags))
        return
    _add(facts, col, ColumnFacts(choices=tuple(dict.fromkeys(values))))


def _choice(col: Column, item: Lit) -> Any:
    if item.value is None:
        raise _NotUnderstood
    value = item.value
    kind = col.kind
    if kind in _STRINGISH or kind == "uuid":
        return item.text if not isinstance(value, str) else value
    if kind == "integer":
        number = _number(item)
        if number != number.to_integral_value():
            raise _NotUnderstood
        return int(number)
    if kind == "float":
        return float(_number(item))
    if kind == "decimal":
        return _number(item)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        number = _number(item)
        if number not in (0, 1):
            raise _NotUnderstood
        return bool(number)
    if kind == "date":
        return _parse_date(item)
    if kind == "datetime":
        return _parse_datetime(item)
    raise _NotUnderstood


def _bound(col: Column, op: str, limit: Lit) -> ColumnFacts:
    """Turn ``col <op> limit`` into an inclusive bound the column can actually hold."""
    step: Decimal | None
    if col.kind in _NUMERIC:
        value = _number(limit)
        if col.kind == "integer":
            step = Decimal(1)
        elif col.kind == "decimal" and col.scale is not None:
            step = Decimal(1).scaleb(-col.scale)
        else:
            step = None
    elif col.kind == "date":
        value, step = Decimal(_parse_date(limit).toordinal()), Decimal(1)
    elif col.kind == "datetime":
        moment = _parse_datetime(limit)
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        fraction = (Decimal(seconds) + Decimal(moment.microsecond) / 10**6) / 86400
        value, step = Decimal(moment.toordinal()) + fraction, None
    else:
        raise _NotUnderstood
    bound = _inclusive(op, value, step)
    return ColumnFacts(minimum=bound) if op in (">", ">=") else ColumnFacts(maximum=bound)


def _inclusive(op: str, value: Decimal, step: Decimal | None) -> float:
    if step is None:
        # A continuous column: the nearest representable float on the right side of the bound.
        exact = float(value)
        if op == ">":
            return math.nextafter(exact, math.inf)
        if op == "<":
            return math.nextafter(exact, -math.inf)
        return exact
    units = value / step
    if op == ">=":
        return float(units.to_integral_value(ROUND_CEILING) * step)
    if op == ">":
        return float((units.to_integral_value(ROUND_FLOOR) + 1) * step)
    if op == "<=":
        return float(units.to_integral_value(ROUND_FLOOR) * step)
    return float((units.to_integral_value(ROUND_CEILING) - 1) * step)


def _number(lit: Lit) -> Decimal:
    if isinstance(lit.value, bool) or lit.value is None:
        raise _NotUnderstood
    try:
        return Decimal(str(lit.value).strip())
    except InvalidOperation:
        raise _NotUnderstood from None


def _parse_date(lit: Lit) -> date:
    if not isinstance(lit.value, str):
        raise _NotUnderstood
    try:
        return date.fromisoformat(lit.value.strip()[:10])
    except ValueError:
        raise _NotUnderstood from None


def _parse_datetime(lit: Lit) -> datetime:
    if not isinstance(lit.value, str):
        raise _NotUnderstood
    try:
        return datetime.fromisoformat(lit.value.strip()).replace(tzinfo=None)
    except ValueError:
        raise _NotUnderstood from None


def _match_to_regex(like: bool, text: str) -> str:
    if like:
        return "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in text)
    # A POSIX regex is representable when anchored at both ends and read alike by Python.
    if not (text.startswith("^") and text.endswith("$") and not text.endswith("\\$")):
        raise _NotUnderstood
    if _NON_PORTABLE_REGEX.search(text):
        raise _NotUnderstood
    inner = text[1:-1]
    try:
        re.compile(inner)
    except re.error:
        raise _NotUnderstood from None
    return inner


def _tightest(a: Any, b: Any, pick: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return pick(a, b)


def _intersect(
    known: tuple[Any, ...] | None, new: tuple[Any, ...] | None
) -> tuple[Any, ...] | None:
    if known is None or new is None:
        return new if known is None else known
    return tuple(k for k in known if any(_same(k, n) for n in new))


def _same(a: Any, b: Any) -> bool:
    return bool(a == b and type(a) is type(b)) or (
        isinstance(a, (int, float, Decimal))
        and isinstance(b, (int, float, Decimal))
        and not isinstance(a, bool)
        and a == b
    )


def _within(value: Any, minimum: float | None, maximum: float | None) -> bool:
    if not isinstance(value, (int, float, Decimal)) or isinstance(value, bool):
        return True
    return (minimum is None or value >= minimum) and (maximum is None or value <= maximum)
