"""Reading the SQL text of a CHECK constraint with sqlglot: dialect, validity, column names.

Every schema input passes its checks through :func:`check_problems` (from
:func:`~syda.schema.validate.validate_schema`), so a check that is not one SQL condition, or
that names a column its table lacks, is refused at load with the reason, and the evaluator
(:mod:`syda.validation.check_eval`) can rely on :func:`read_check` succeeding.

The dialect is the one the check was written in when it is known (a reflected database; see
:attr:`~syda.schema.ir.Check.dialect`). Otherwise the text is read as PostgreSQL, which also
takes the generic SQL people write by hand (``::`` casts, ``~`` regexes, ``ANY (ARRAY[...])``),
and, when it holds a backtick or a bracketed name, as MySQL or SQL Server: a check written by
hand for SQLite or MySQL then still loads. Column names are matched as written first, then
case-insensitively (SQLite and MySQL ignore the case of names, quoted or not), so ``"Total" >=
0`` and ``total >= 0`` both name a column ``Total``; two columns differing only in case must be
named exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from syda.schema.ir import Table

__all__ = ["SQLGLOT_DIALECTS", "CheckSqlError", "ReadCheck", "check_problems", "read_check"]

SQLGLOT_DIALECTS: Mapping[str, str] = {
    "postgresql": "postgres",
    "postgres": "postgres",
    "sqlite": "sqlite",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mssql": "tsql",
    "oracle": "oracle",
    "duckdb": "duckdb",
}
"""sqlglot's dialect for each SQLAlchemy dialect name (``engine.dialect.name``)."""

_FALLBACK = ("postgres", "mysql", "tsql")
# Bracket quoting ([name]) outside string literals, which PostgreSQL would read as an array.
_LITERAL = re.compile(r"'(?:[^']|'')*'")
_SHOWN = 120


class CheckSqlError(Exception):
    """A CHECK's text is not one SQL condition over the table's columns (the reason is the text)."""


@dataclass(frozen=True)
class ReadCheck:
    """A parsed check: its tree, the sqlglot dialect that read it, and its columns by node."""

    tree: exp.Expr
    dialect: str
    columns: tuple[str, ...]
    """The table column each ``exp.Column`` of ``tree`` names, in ``tree.find_all`` order."""


def read_check(sqltext: str, columns: Sequence[str], dialect: str | None = None) -> ReadCheck:
    """Parse ``sqltext`` as one condition over ``columns``.

    Args:
        sqltext: The check's expression (``CHECK`` itself and outer parentheses optional).
        columns: The names of the table's columns.
        dialect: The SQLAlchemy or sqlglot name of the dialect it was written in, if known.

    Returns:
        The parsed check.

    Raises:
        CheckSqlError: If the text is not valid SQL, is more than one statement, is not a
            condition (a statement, a subquery, an aggregate), or names a missing column.
    """
    text = re.sub(r"^\s*CHECK\b", "", sqltext, flags=re.IGNORECASE).strip()
    if not text:
        raise CheckSqlError("the check is empty")
    reasons: list[str] = []
    for candidate in _candidates(text, dialect):
        try:
            trees = sqlglot.parse(text, read=candidate)
        except SqlglotError as error:
            reasons.append(_first_line(str(error)))
            continue
        tree = _one_condition(trees)
        if ";" in _LITERAL.sub("''", text):
            # sqlglot drops a trailing ';', which no database takes inside CHECK (...).
            raise CheckSqlError("a check is one condition, not a statement ending in ';'")
        return ReadCheck(tree, candidate, _resolve(tree, columns))
    raise CheckSqlError(f"not valid SQL ({reasons[0]})")


def check_problems(table: Table) -> list[str]:
    """Return one problem per check of ``table`` that :func:`read_check` refuses."""
    names = [col.name for col in table.columns]
    problems: list[str] = []
    for check in table.checks:
        try:
            read_check(check.sqltext, names, check.dialect)
        except CheckSqlError as error:
            shown = _shown(check.sqltext)
            problems.append(f"{table.key}: check {shown!r} is refused: {error}")
    return problems


def _candidates(text: str, dialect: str | None) -> list[str]:
    known = SQLGLOT_DIALECTS.get(dialect.lower(), dialect.lower()) if dialect else None
    bare = _LITERAL.sub("''", text)
    fallback = list(_FALLBACK)
    if "`" in bare:
        fallback = ["mysql"]
    elif "[" in bare and "array" not in bare.lower():
        fallback = ["tsql"]
    return list(dict.fromkeys([known, *fallback] if known else fallback))


def _one_condition(trees: Sequence[exp.Expr | None]) -> exp.Expr:
    statements = [t for t in trees if t is not None]
    if len(statements) != 1:
        raise CheckSqlError(f"a check is one condition, not {len(statements)} statements")
    tree = statements[0]
    if not isinstance(tree, exp.Condition) or isinstance(tree, exp.Query):
        raise CheckSqlError(f"a check is a condition, not a {tree.key.upper()} statement")
    for node in tree.walk():
        if isinstance(node, (exp.Query, exp.Subquery)):
            raise CheckSqlError("a check cannot hold a subquery")
        if isinstance(node, exp.AggFunc):
            raise CheckSqlError(f"a check cannot use the aggregate {node.sql()}")
        if isinstance(node, exp.Placeholder | exp.Parameter):
            raise CheckSqlError("a check cannot hold a parameter")
    return tree


def _resolve(tree: exp.Expr, columns: Sequence[str]) -> tuple[str, ...]:
    folded: dict[str, list[str]] = {}
    for name in columns:
        folded.setdefault(name.lower(), []).append(name)
    found: list[str] = []
    missing: list[str] = []
    for node in tree.find_all(exp.Column):
        name = node.name
        if name in columns:
            found.append(name)
        elif len(folded.get(name.lower(), ())) == 1:
            found.append(folded[name.lower()][0])
        else:
            missing.append(name)
            found.append(name)
    if missing:
        names = ", ".join(dict.fromkeys(repr(m) for m in missing))
        noun = "column" if len(set(missing)) == 1 else "columns"
        raise CheckSqlError(f"it names no {noun} of the table: {names}")
    return tuple(found)


def _first_line(message: str) -> str:
    # sqlglot's message ends with the text and ANSI underlining; the first line says it all.
    return message.splitlines()[0].strip()[:_SHOWN] if message else "unreadable"


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
