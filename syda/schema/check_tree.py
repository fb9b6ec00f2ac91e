"""The parts of a parsed CHECK (a sqlglot tree) that generation reads: columns, literals, lists.

:mod:`syda.schema.checks` folds checks into column facts and :mod:`syda.schema.check_candidates`
builds repair candidates from them; both look through the same wrappers, which say nothing about
which values pass: parentheses, casts (``(status)::text``, ``CAST(x AS INTEGER)``, ``DATE
'2000-01-01'``; the column's kind decides how a literal is read), collations and MySQL's
charset introducers (``_utf8mb4'a'``). Lists are ``IN (...)`` and PostgreSQL's rendering of it,
``= ANY (ARRAY[...])`` (``<> ALL (ARRAY[...])`` for ``NOT IN``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlglot import exp

from syda.schema.check_sql import read_check

__all__ = [
    "COMPARISONS",
    "FLIPPED",
    "Lit",
    "ParsedCheck",
    "column_name",
    "conjuncts",
    "glob_regex",
    "length_of",
    "list_items",
    "literal",
    "operands",
    "parse_check_tree",
    "unwrap",
]

COMPARISONS: Mapping[type[exp.Expr], str] = {
    exp.EQ: "=",
    exp.NEQ: "!=",
    exp.GT: ">",
    exp.GTE: ">=",
    exp.LT: "<",
    exp.LTE: "<=",
}
"""The comparison operators, by sqlglot node (``==`` and ``<>`` parse to ``EQ`` and ``NEQ``)."""

FLIPPED: Mapping[str, str] = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!="}
"""The operator with its sides swapped: ``0 < qty`` is ``qty > 0``."""

_TRANSPARENT = (exp.Paren, exp.Cast, exp.Collate, exp.TryCast)

# Functions that give a value's length and that sqlglot leaves anonymous: bytes (PostgreSQL's
# ``octet_length``, SQL Server's ``datalength``, Oracle's ``lengthb``). For binary values and
# ASCII text they count what ``length`` counts; the check, evaluated on the rows, is the judge.
_LENGTH_FUNCTIONS = frozenset({"octet_length", "datalength", "lengthb"})


@dataclass(frozen=True)
class Lit:
    """A literal: ``value`` is a str, a Decimal, a bool or None; ``text`` is how it was written."""

    value: str | Decimal | bool | None
    text: str


@dataclass(frozen=True)
class ParsedCheck:
    """A check's tree with the table column each of its column nodes names."""

    tree: exp.Expr
    names: Mapping[int, str]
    """The table column of each ``exp.Column`` node, by ``id(node)``."""
    dialect: str
    """The sqlglot dialect that read it."""

    def name_of(self, node: exp.Expr) -> str | None:
        """The table column ``node`` names, if it is a column node of this tree."""
        return self.names.get(id(node))

    def columns_in(self, node: exp.Expr) -> set[str]:
        """Every table column read anywhere under ``node``."""
        found = {self.names.get(id(c)) for c in node.find_all(exp.Column)}
        return {name for name in found if name is not None}


def parse_check_tree(
    sqltext: str, columns: Sequence[str], dialect: str | None = None
) -> ParsedCheck:
    """Parse a check over ``columns`` (see :func:`~syda.schema.check_sql.read_check`).

    Raises:
        CheckSqlError: If the text is not one SQL condition over the columns.
    """
    read = read_check(sqltext, columns, dialect)
    nodes = list(read.tree.find_all(exp.Column))
    names = {id(node): name for node, name in zip(nodes, read.columns, strict=True)}
    return ParsedCheck(read.tree, names, read.dialect)


def unwrap(node: exp.Expr) -> exp.Expr:
    """``node`` without the parentheses around it."""
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _bare(node: exp.Expr) -> exp.Expr:
    while isinstance(node, _TRANSPARENT):
        node = node.this
    return node


def length_of(node: exp.Expr) -> exp.Expr | None:
    """The operand of a length function (``length``, ``char_length``, ``octet_length``...)."""
    node = unwrap(node)
    operand: exp.Expr | None = None
    if isinstance(node, exp.Length):
        operand = node.this
    elif isinstance(node, exp.Anonymous) and len(node.expressions) == 1:
        if str(node.name).lower() in _LENGTH_FUNCTIONS:
            operand = node.expressions[0]
    return operand


def conjuncts(node: exp.Expr) -> Iterator[exp.Expr]:
    """The parts of a conjunction (``a AND (b AND c)`` gives a, b, c); any other node is one."""
    return operands(node, exp.And)


def operands(node: exp.Expr, kind: type[exp.Connector]) -> Iterator[exp.Expr]:
    """The parts of a chain of ``kind`` (``exp.And``, ``exp.Or``), parentheses unwrapped."""
    node = unwrap(node)
    if isinstance(node, kind):
        yield from operands(node.this, kind)
        yield from operands(node.expression, kind)
    else:
        yield node


def column_name(node: exp.Expr, parsed: ParsedCheck) -> str | None:
    """The column ``node`` is, through parentheses, casts and collations; None if not one."""
    bare = _bare(node)
    return parsed.name_of(bare) if isinstance(bare, exp.Column) else None


def literal(node: exp.Expr) -> Lit | None:
    """The literal ``node`` is, through wrappers and a unary minus; None if it is not one."""
    bare = _bare(node)
    if isinstance(bare, exp.Introducer):
        bare = _bare(bare.expression)
    if isinstance(bare, exp.Neg):
        inner = literal(bare.this)
        if inner is None or not isinstance(inner.value, Decimal):
            return None
        return Lit(-inner.value, "-" + inner.text)
    if isinstance(bare, exp.Null):
        return Lit(None, "null")
    if isinstance(bare, exp.Boolean):
        flag = bool(bare.this)
        return Lit(flag, str(flag).lower())
    if not isinstance(bare, exp.Literal):
        return None
    text = str(bare.this)
    if bare.is_string:
        return Lit(text, text)
    try:
        return Lit(Decimal(text), text)
    except InvalidOperation:
        return None


def list_items(node: exp.Expr) -> tuple[str, list[exp.Expr]] | None:
    """The items of a list predicate and whether it is ``in`` or ``not in``; None otherwise.

    Reads ``x IN (...)``, ``x = ANY (ARRAY[...])`` and ``x <> ALL (ARRAY[...])``; the operand
    is ``node.this`` in each.
    """
    if isinstance(node, exp.In):
        if node.args.get("query") is not None or node.args.get("unnest") is not None:
            return None
        return "in", list(node.expressions)
    if isinstance(node, exp.EQ) and isinstance(_bare(node.expression), exp.Any):
        array = _bare(_bare(node.expression).this)
        return ("in", list(array.expressions)) if isinstance(array, exp.Array) else None
    if isinstance(node, exp.NEQ):
        right = _bare(node.expression)
        if isinstance(right, exp.Anonymous) and str(right.this).lower() == "all":
            if len(right.expressions) != 1:
                return None
            array = _bare(right.expressions[0])
            return ("not in", list(array.expressions)) if isinstance(array, exp.Array) else None
    return None


def glob_regex(pattern: str) -> str:
    """SQLite's GLOB pattern as an anchored regex (``*``, ``?`` and ``[...]`` classes)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        end = pattern.find("]", i + 2) if ch == "[" else -1
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif end > 0:
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("^") else body) + "]")
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "^" + "".join(out) + "$"
