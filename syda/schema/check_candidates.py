"""What a CHECK of any shape asks of each column, one way of satisfying it at a time.

A check that cannot be folded into column facts (``OR``, ``NOT``, ``LIKE``, functions,
arithmetic) is still made of parts that each say something simple about one column. This module
reads those parts, so the repair of rows that break the check (:mod:`syda.repair_checks`) can
build values that satisfy it instead of drawing blindly again:

* the check is brought to a disjunction of conjunctions (``NOT`` pushed down to the parts by De
  Morgan's laws, ``BETWEEN`` read as two comparisons): each :class:`Branch` is one way to make it
  true, e.g. ``sf IS NULL OR sf LIKE '%Trailers%'`` gives ``{sf IS NULL}`` and ``{sf LIKE
  '%Trailers%'}``;
* each part becomes a :class:`Demand` on one column the repair may change: a comparison with
  the other side (a literal, another column, any expression over other columns), a list, a LIKE
  pattern, a regex, a length, NULL or NOT NULL. Arithmetic around the column is moved to the
  other side (``price + tax <= total`` is ``price <= total - tax``; a factor's sign decides the
  direction row by row); ``lower``/``upper``/``trim`` around the column are looked through (the
  check itself judges the candidate); ``x = f(x)`` asks for ``f`` of the row's value.
* a comparison of two columns may be met by changing either: each branch comes in a variant
  per side.

Parts with nothing to read (``json_valid(x)``, a ``CASE``) make no demand: the branch may still
hold by chance, and the check, evaluated on the candidates, is the judge. Nothing here is
required to be exact, only useful: every candidate is evaluated before it is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlglot import exp

from syda.schema.check_sql import CheckSqlError
from syda.schema.check_tree import (
    COMPARISONS,
    FLIPPED,
    glob_regex,
    length_of,
    list_items,
    literal,
    parse_check_tree,
    unwrap,
)
from syda.schema.ir import Check, Column

__all__ = ["Branch", "CheckPlan", "Demand", "plan_check"]

MAX_BRANCHES = 48
"""How many conjunctions a check is expanded to, at most (``(a OR b) AND (c OR d)`` gives 4)."""

_NEGATED = {"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_NULL_SAFE: Mapping[type[exp.Expr], str] = {exp.NullSafeEQ: "=", exp.NullSafeNEQ: "!="}
_LOOKED_THROUGH = (exp.Paren, exp.Cast, exp.TryCast, exp.Collate, exp.Lower, exp.Upper, exp.Trim)
_INVERSE: Mapping[type[exp.Expr], type[exp.Expr]] = {
    exp.Add: exp.Sub,
    exp.Sub: exp.Add,
    exp.Mul: exp.Div,
    exp.Div: exp.Mul,
}
_PATTERN_OPS: Mapping[type[exp.Expr], str] = {
    exp.Like: "like",
    exp.ILike: "like",
    exp.RegexpLike: "regex",
    exp.RegexpILike: "regex",
}


@dataclass(frozen=True)
class Demand:
    """What one part of a branch asks of one column.

    ``op`` is a comparison (``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``) with ``other``, a list
    (``in``, ``not in``) of ``items``, a pattern (``like``, ``not like``, ``regex``, ``not
    regex``) or ``null``/``not null``. ``length`` makes a comparison about the value's length.
    ``signs`` are factors moved to the other side: where their product is negative the
    comparison turns around, where it is zero or NULL the demand says nothing. Column nodes
    name table columns (quoted), so the expressions can be evaluated on rows as they are.
    """

    column: str
    op: str
    other: exp.Expr | None = None
    items: tuple[exp.Expr, ...] = ()
    pattern: str | None = None
    signs: tuple[exp.Expr, ...] = ()
    length: bool = False

    def reads(self) -> set[str]:
        """The columns whose values the demand's expressions need."""
        nodes = [n for n in (self.other, *self.items, *self.signs) if n is not None]
        return {c.name for n in nodes for c in n.find_all(exp.Column)}


@dataclass(frozen=True)
class Branch:
    """One conjunction of demands that makes the check true."""

    demands: tuple[Demand, ...]
    nulls: bool
    """Whether it sets a column to NULL: such branches are tried last, so the share of NULLs the
    values already had is kept."""


@dataclass(frozen=True)
class CheckPlan:
    """A check's branches and the sqlglot dialect its expressions are in."""

    branches: tuple[Branch, ...]
    dialect: str
    columns: tuple[str, ...]
    """The movable columns the check reads."""


def plan_check(columns: Sequence[Column], check: Check, movable: Iterable[str]) -> CheckPlan:
    """The branches of ``check`` with demands on the ``movable`` columns only.

    A check that does not parse has no branches (the schema loader refuses such checks).
    """
    return _plan(tuple(columns), check, frozenset(movable))


@lru_cache(maxsize=512)
def _plan(columns: tuple[Column, ...], check: Check, movable: frozenset[str]) -> CheckPlan:
    try:
        parsed = parse_check_tree(check.sqltext, [c.name for c in columns], check.dialect)
    except CheckSqlError:
        return CheckPlan((), "postgres", ())

    def named(node: exp.Expr) -> exp.Expr:
        name = parsed.name_of(node)
        return exp.column(name, quoted=True) if name is not None else node

    tree = parsed.tree.transform(named, copy=False)
    reader = _Reader(movable)
    branches: list[Branch] = []
    for conjunction in _dnf(tree, False):
        options = [reader.options(atom, negate) for atom, negate in conjunction]
        for variant in range(max((len(o) for o in options), default=0)):
            demands = tuple(o[min(variant, len(o) - 1)] for o in options if o)
            branch = Branch(demands, any(d.op == "null" for d in demands))
            if demands and branch not in branches:
                branches.append(branch)
    read = {c.name for c in tree.find_all(exp.Column)} & movable
    order = tuple(c.name for c in columns if c.name in read)
    return CheckPlan(tuple(branches), parsed.dialect, order)


def _dnf(node: exp.Expr, negate: bool) -> list[list[tuple[exp.Expr, bool]]]:
    """The conjunctions of (part, negated) pairs whose disjunction is ``node`` (or its negation)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Not):
        return _dnf(node.this, not negate)
    if isinstance(node, exp.Between):
        node = _between(node)
    if isinstance(node, exp.Or | exp.And):
        left, right = _dnf(node.this, negate), _dnf(node.expression, negate)
        if isinstance(node, exp.Or) != negate:
            return (left + right)[:MAX_BRANCHES]
        return [a + b for a in left for b in right][:MAX_BRANCHES]
    return [[(node, negate)]]


def _between(node: exp.Between) -> exp.Expr:
    low, high = node.args["low"], node.args["high"]
    if node.args.get("symmetric"):
        low, high = exp.func("least", low, high), exp.func("greatest", low, high)
    this = node.this
    return exp.and_(exp.GTE(this=this, expression=low), exp.LTE(this=this.copy(), expression=high))


@dataclass(frozen=True)
class _Reader:
    """Turns one part of a conjunction into the demands that could each make it true."""

    movable: frozenset[str]

    def options(self, node: exp.Expr, negate: bool) -> list[Demand]:
        if node.args.get("negate") and isinstance(node, exp.Like | exp.ILike | exp.Is):
            negate = not negate
        listed = list_items(node)
        if listed is not None:
            return self.listed(node.this, listed[0], listed[1], negate)
        op = COMPARISONS.get(type(node)) or _NULL_SAFE.get(type(node))
        if op is not None:
            return self.compared(node.this, _NEGATED[op] if negate else op, node.expression)
        if type(node) in _PATTERN_OPS:
            return self.matched(node, _PATTERN_OPS[type(node)], negate)
        if isinstance(node, exp.Glob):
            return self.globbed(node, negate)
        if isinstance(node, exp.Is):
            return self.tested(node, negate)
        target = self.target(node)
        if target is not None:  # a boolean column used as the condition itself
            return [Demand(target, "=", exp.Boolean(this=not negate))]
        return []

    def target(self, node: exp.Expr) -> str | None:
        while isinstance(node, _LOOKED_THROUGH):
            node = node.this
        if isinstance(node, exp.Column) and node.name in self.movable:
            return str(node.name)
        return None

    def listed(
        self, operand: exp.Expr, kind: str, items: list[exp.Expr], negate: bool
    ) -> list[Demand]:
        target = self.target(operand)
        if target is None or any(_reads(i, target) for i in items):
            return []
        op = {"in": "not in", "not in": "in"}[kind] if negate else kind
        return [Demand(target, op, items=tuple(items))]

    def compared(self, left: exp.Expr, op: str, right: exp.Expr) -> list[Demand]:
        found: list[Demand] = []
        sides = ((left, right, op), (right, left, FLIPPED[op]))
        written = dict.fromkeys([*_written(left), *_written(right)])
        for column in (c for c in written if c in self.movable):
            for side, other, side_op in sides:
                if _reads(side, column) and not _reads(other, column):
                    demand = self.isolate(side, other, side_op, (), column)
                    if demand is not None:
                        found.append(demand)
        if found:
            return found
        # ``code = upper(code)``: the column equals a function of itself; ask for that value.
        for side, other in ((left, right), (right, left)):
            bare = unwrap(side)
            if op == "=" and isinstance(bare, exp.Column) and bare.name in self.movable:
                if _reads(other, bare.name):
                    return [Demand(str(bare.name), "=", other)]
        return []

    def isolate(
        self, side: exp.Expr, other: exp.Expr, op: str, signs: tuple[exp.Expr, ...], target: str
    ) -> Demand | None:
        """``side op other`` as a demand on ``target``, the one column of ``side`` to change.

        Other columns of ``side`` move to the other side with their current values.
        """
        while isinstance(side, exp.Paren):
            side = side.this
        if self.target(side) == target:
            return Demand(target, op, other, signs=signs)
        measured = length_of(side)
        if measured is not None:
            found = self.target(measured) == target
            return Demand(target, op, other, signs=signs, length=True) if found else None
        if isinstance(side, exp.Neg):
            return self.isolate(side.this, _wrap(exp.Neg, other), FLIPPED[op], signs, target)
        if not isinstance(side, exp.Add | exp.Sub | exp.Mul | exp.Div):
            return None
        a, b = side.this, side.expression
        if _reads(a, target) and not _reads(b, target):
            scaled = (*signs, b) if isinstance(side, exp.Mul | exp.Div) else signs
            moved = _wrap(_INVERSE[type(side)], other, b)
            return self.isolate(a, moved, op, scaled, target)
        if _reads(b, target) and not _reads(a, target):
            if isinstance(side, exp.Add):
                return self.isolate(b, _wrap(exp.Sub, other, a), op, signs, target)
            if isinstance(side, exp.Sub):  # a - b op r  <=>  b flip(op) a - r
                return self.isolate(b, _wrap(exp.Sub, a, other), FLIPPED[op], signs, target)
            if isinstance(side, exp.Mul):
                return self.isolate(b, _wrap(exp.Div, other, a), op, (*signs, a), target)
        return None

    def matched(self, node: exp.Expr, kind: str, negate: bool) -> list[Demand]:
        target = self.target(node.this)
        pattern = literal(node.expression)
        if target is None or pattern is None or not isinstance(pattern.value, str):
            return []
        return [Demand(target, f"not {kind}" if negate else kind, pattern=pattern.value)]

    def globbed(self, node: exp.Glob, negate: bool) -> list[Demand]:
        target = self.target(node.this)
        pattern = literal(node.expression)
        if target is None or pattern is None or not isinstance(pattern.value, str):
            return []
        return [
            Demand(target, "not regex" if negate else "regex", pattern=glob_regex(pattern.value))
        ]

    def tested(self, node: exp.Is, negate: bool) -> list[Demand]:
        target = self.target(node.this)
        if target is None:
            return []
        value = node.expression
        if isinstance(value, exp.Null):
            return [Demand(target, "not null" if negate else "null")]
        if isinstance(value, exp.Boolean):
            return [Demand(target, "=", exp.Boolean(this=bool(value.this) != negate))]
        return []


def _wrap(kind: type[exp.Expr], left: exp.Expr, right: exp.Expr | None = None) -> exp.Expr:
    if right is None:
        return kind(this=exp.Paren(this=left.copy()))
    return kind(this=exp.Paren(this=left.copy()), expression=exp.Paren(this=right.copy()))


def _written(node: exp.Expr) -> list[str]:
    """The columns ``node`` reads, in the order they are written."""
    return [str(c.name) for c in node.find_all(exp.Column, bfs=False)]


def _columns(node: exp.Expr) -> set[str]:
    return {str(c.name) for c in node.find_all(exp.Column)}


def _reads(node: exp.Expr, column: str) -> bool:
    return column in _columns(node)
