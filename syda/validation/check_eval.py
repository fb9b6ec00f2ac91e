"""Evaluating CHECK constraints over a generated table, as the database would.

A check that the schema adapters could not fold into column facts (``OR``, ``NOT``, ``LIKE``,
functions, arithmetic...) is still a rule every row must keep. :func:`failing_rows` finds the
rows that break it, for the repair loop of :mod:`syda.repair` (which redraws them from
candidates built from the check, :mod:`syda.repair_checks`, judging each with it and reading the
checks' other sides with :func:`evaluate_values`) and for :func:`~syda.validation.validate_frame`.

Why sqlglot and DuckDB: a check is SQL, so it is read by a SQL parser that knows each dialect
(sqlglot, through :mod:`syda.schema.check_sql`), rewritten into one dialect and evaluated by a SQL
engine (DuckDB) vectorised over the pandas columns, without copying them. Translating SQL into
pandas by hand would re-implement SQL's NULL logic, casts and functions one at a time; sqlite
would mean inserting every row (about 30 times slower). DuckDB evaluates a million rows of a
typical check in about 0.1 s.

Semantics follow SQL: a row breaks a check only when the check is FALSE, NULL (unknown) passes,
so the query is ``NOT coalesce((check), TRUE)``. Dialect differences that matter for checks:

* ``LIKE`` ignores case in SQLite and MySQL (ASCII in SQLite, the collation in MySQL) and MySQL's
  ``REGEXP`` too; it is rewritten to ``ILIKE`` (and a case-insensitive regex) for those. When the
  dialect is not known (dict/YAML schemas, models), the output may go to any database, so a row
  must pass under both readings.
* SQLite keeps dates and times as text (as SQLAlchemy writes them, ``2020-01-02
  03:04:05.000000``) and compares that text: ``ts <= '2020-01-02 03:04:05'`` is false there for
  that very moment, so the evaluator reads such columns as the same text for SQLite checks.
* ``/`` between integers truncates in PostgreSQL, SQLite and SQL Server; it becomes DuckDB's
  integer division there. PostgreSQL's ``::`` casts, ``~``/``~*`` regexes, ``ANY (ARRAY[...])``
  and backtick or bracket quoting are translated by sqlglot. Regexes run on RE2, which lacks
  look-arounds and back-references.

Not modelled: MySQL's case- and trailing-space-insensitive ``=`` under its default collations
(so ``x <> 'a'`` flags ``'A'``, which MySQL would refuse: stricter, never looser).

A check that cannot be evaluated (a function DuckDB lacks, a generated column the database
computes) is never passed silently: :func:`failing_rows` raises
:class:`CheckEvaluationError`, which validation reports as a broken ``check``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from sqlglot import exp

from syda.schema.check_sql import CheckSqlError, read_check
from syda.schema.ir import Check, Column, Table
from syda.validation.results import Violation
from syda.validation.tables import example_at, rows_of

__all__ = [
    "CheckEvaluationError",
    "CompiledCheck",
    "check_violations",
    "compile_check",
    "evaluate_values",
    "failing_rows",
    "open_checks",
]

_ROW = "__syda_row"
_CASE_BLIND_LIKE = frozenset({"sqlite", "mysql"})
_TRUNCATING_DIVISION = frozenset({"postgres", "sqlite", "tsql"})
# How SQLAlchemy stores dates and times in SQLite, which compares them as this text.
_SQLITE_TEXT = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%d %H:%M:%S.%f", "time": "%H:%M:%S.%f"}


class CheckEvaluationError(Exception):
    """A CHECK cannot be evaluated on the rows (the message says why)."""


@dataclass(frozen=True)
class CompiledCheck:
    """One check in DuckDB's SQL over positional column names ``c0``, ``c1``...

    Attributes:
        check: The check as written.
        columns: The table columns the check reads; ``c{i}`` is ``columns[i]``.
        failing: DuckDB SQL that is TRUE exactly for a row the database would refuse.
    """

    check: Check
    columns: tuple[str, ...]
    failing: str


def open_checks(table: Table) -> tuple[Check, ...]:
    """The checks of ``table`` not folded into column facts: the ones to evaluate on rows."""
    return tuple(c for c in table.checks if not c.understood)


def compile_check(table: Table, check: Check) -> CompiledCheck:
    """Translate ``check`` into a DuckDB condition that holds for the rows that break it.

    Raises:
        CheckEvaluationError: If the check is not readable SQL over the table's columns (a
            schema that was loaded through syda has none such).
    """
    return _compile(table.columns, check)


@lru_cache(maxsize=512)
def _compile(columns: tuple[Column, ...], check: Check) -> CompiledCheck:
    try:
        read = read_check(check.sqltext, [c.name for c in columns], check.dialect)
    except CheckSqlError as error:
        raise CheckEvaluationError(str(error)) from None
    kinds = {c.name: c.kind for c in columns}
    used = tuple(dict.fromkeys(read.columns))
    tree = read.tree.copy()
    names = {id(n): name for n, name in zip(tree.find_all(exp.Column), read.columns, strict=True)}

    def positional(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Length) and id(node.this) in names:
            # DuckDB's ``length`` reads text; of bytes it is ``octet_length``.
            if kinds[names[id(node.this)]] == "binary":
                return exp.Anonymous(this="octet_length", expressions=[positional(node.this)])
        name = names.get(id(node))
        if name is None:
            return node
        column = exp.column(f"c{used.index(name)}", quoted=True)
        # Bytes are cast: a column of NULLs only would read as DuckDB's NULL type, which no
        # overloaded function (``octet_length``) accepts.
        return exp.cast(column, "BLOB", dialect="duckdb") if kinds[name] == "binary" else column

    # transform, not replace: a check that is a bare column (CHECK (active)) is the root itself.
    tree = tree.transform(positional, copy=False)
    tree = _truncating_division(tree, read.dialect, [kinds[n] for n in used])
    if read.dialect in _CASE_BLIND_LIKE:
        readings = [_case_blind(tree)]
    elif check.dialect is None and tree.find(exp.Like) is not None:
        readings = [tree, _case_blind(tree)]  # unknown target: hold under both readings
    else:
        readings = [tree]
    failing = " OR ".join(f"NOT coalesce(({r.sql('duckdb')}), TRUE)" for r in readings)
    return CompiledCheck(check, used, failing)


def _case_blind(tree: exp.Expr) -> exp.Expr:
    def swap(node: exp.Expr) -> exp.Expr:
        # ``args`` carries NOT (``negate``) and ESCAPE along.
        if isinstance(node, exp.Like):
            return exp.ILike(**node.args)
        if isinstance(node, exp.RegexpLike) and node.args.get("flag") is None:
            return exp.RegexpILike(**node.args)
        return node

    return tree.copy().transform(swap)


def _truncating_division(tree: exp.Expr, dialect: str, kinds: Sequence[str]) -> exp.Expr:
    if dialect not in _TRUNCATING_DIVISION:
        return tree

    def integral(node: exp.Expr) -> bool:
        if isinstance(node, exp.Paren):
            return integral(node.this)
        if isinstance(node, exp.Literal):
            return not node.is_string and node.this.lstrip("-").isdigit()
        if isinstance(node, exp.Column) and node.name.startswith("c"):
            return kinds[int(node.name[1:])] == "integer"
        return False

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Div) and integral(node.this) and integral(node.expression):
            return exp.IntDiv(this=node.this, expression=node.expression)
        return node

    return tree.transform(swap)


def failing_rows(
    table: Table, df: pd.DataFrame, checks: Sequence[Check] | None = None
) -> list[tuple[Check, np.ndarray[Any, np.dtype[np.bool_]]]]:
    """Evaluate checks over the rows of ``df``.

    Args:
        table: The table the rows belong to.
        df: The rows, one column per table column (other columns are ignored).
        checks: The checks to evaluate; default: :func:`open_checks` of ``table``.

    Returns:
        For each check that some row breaks, the check and a boolean mask over the rows.

    Raises:
        CheckEvaluationError: If a check reads a column the frame lacks, or DuckDB cannot
            evaluate it (an unknown function, a regex RE2 refuses, values of a type it cannot
            compare); the message names the check.
    """
    found: list[tuple[Check, np.ndarray[Any, np.dtype[np.bool_]]]] = []
    todo = open_checks(table) if checks is None else tuple(checks)
    if not todo or not len(df):
        return found
    with _database().cursor() as con:
        for check in todo:
            compiled = compile_check(table, check)
            mask = _evaluate(con, table, compiled, df)
            if mask.any():
                found.append((check, mask))
    return found


def evaluate_values(
    table: Table, df: pd.DataFrame, expressions: Sequence[exp.Expr], dialect: str
) -> list[pd.Series[Any]]:
    """Evaluate SQL value expressions on every row of ``df``, as the database would.

    The repair of rows that break a check (:mod:`syda.repair_checks`) reads a check's other
    side this way: the bound ``start_date + 1`` or the list item of each row.

    Args:
        table: The table the rows belong to.
        df: The rows; every column the expressions read must be in it.
        expressions: sqlglot trees whose ``exp.Column`` nodes name columns of ``table``.
        dialect: The sqlglot dialect the expressions were read in (for integer division).

    Returns:
        One series of values per expression, aligned with the rows; all NULL for an expression
        DuckDB cannot evaluate (a candidate is then not built from it, nothing else).
    """
    names = tuple(dict.fromkeys(c.name for e in expressions for c in e.find_all(exp.Column)))
    kinds = [table.column(n).kind for n in names]
    view = pd.DataFrame(
        {f"c{i}": _for_duckdb(table.column(n), df[n], dialect) for i, n in enumerate(names)},
        index=pd.RangeIndex(len(df)),
    )
    view[_ROW] = np.arange(len(df), dtype=np.int64)  # DuckDB scans no frame without columns

    def positional(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column):
            return exp.column(f"c{names.index(node.name)}", quoted=True)
        return node

    sql = [
        _truncating_division(e.copy().transform(positional), dialect, kinds).sql("duckdb")
        for e in expressions
    ]
    with _database().cursor() as con:
        con.register("rows", view)
        try:
            return [_select(con, text, len(df)) for text in sql]
        finally:
            con.unregister("rows")


def _select(con: duckdb.DuckDBPyConnection, sql: str, n: int) -> pd.Series[Any]:
    try:
        values = con.execute(f"SELECT ({sql}) AS v FROM rows").df()["v"]
    except duckdb.Error:
        return pd.Series([None] * n, dtype=object)
    return values.reset_index(drop=True)


def check_violations(table: Table, df: pd.DataFrame) -> list[Violation]:
    """Evaluate every open check of ``table`` over ``df``, one ``check`` violation per broken one.

    A check that cannot be evaluated is a violation of every row, its message saying why: a
    rule nobody can check is not a rule that holds.
    """
    violations: list[Violation] = []
    for check in open_checks(table):
        try:
            columns = compile_check(table, check).columns
            found = failing_rows(table, df, (check,))
        except CheckEvaluationError as error:
            violations.append(Violation(table.key, None, "check", (), len(df), str(error)))
            continue
        label = ", ".join(columns) or None
        for _, mask in found:
            shown, count = rows_of(mask)
            example = example_at(df[list(columns)], shown[0]) if columns else None
            message = f"{count} rows break CHECK ({check.sqltext}), e.g. {example!r}"
            violations.append(Violation(table.key, label, "check", shown, count, message))
    return violations


@lru_cache(maxsize=1)
def _database() -> duckdb.DuckDBPyConnection:
    # Opening DuckDB costs tens of milliseconds, a cursor well under one; each call (and so each
    # thread of the engine) evaluates on a cursor of its own over this one in-memory database.
    return duckdb.connect(":memory:")


def _evaluate(
    con: duckdb.DuckDBPyConnection, table: Table, compiled: CompiledCheck, df: pd.DataFrame
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    absent = [c for c in compiled.columns if c not in df.columns]
    if absent:
        generated = [c for c in absent if table.column(c).generated]
        why = "is computed by the database" if generated else "is not in the rows"
        raise CheckEvaluationError(
            f"cannot evaluate {compiled.check.sqltext!r}: column {absent[0]!r} {why}"
        )
    view = pd.DataFrame(
        {
            f"c{i}": _for_duckdb(table.column(name), df[name], compiled.check.dialect)
            for i, name in enumerate(compiled.columns)
        }
    )
    view[_ROW] = np.arange(len(df), dtype=np.int64)
    try:
        con.register("rows", view)
        found = con.execute(f"SELECT {_ROW} FROM rows WHERE {compiled.failing}").fetchnumpy()
    except duckdb.Error as error:
        reason = str(error).splitlines()[0][:200]
        raise CheckEvaluationError(
            f"cannot evaluate {compiled.check.sqltext!r}: {reason}"
        ) from None
    finally:
        con.unregister("rows")
    mask = np.zeros(len(df), dtype=bool)
    mask[np.asarray(found[_ROW], dtype=np.int64)] = True
    return mask


def _for_duckdb(column: Column, values: pd.Series[Any], dialect: str | None) -> pd.Series[Any]:
    """The column as DuckDB reads it best: Python objects it cannot scan become text/numbers.

    In SQLite, dates and times are the text SQLAlchemy stores (``2020-01-02 03:04:05.000000``),
    compared as text: a check there sees that text, as SQLite will.
    """
    values = values.reset_index(drop=True)
    if dialect == "sqlite" and column.kind in _SQLITE_TEXT:
        return _sqlite_text(values, _SQLITE_TEXT[column.kind])
    if column.kind == "integer" and values.dtype.kind == "f":
        # NULLs made pandas hold the integers as floats; DuckDB would then divide them as floats.
        whole = values.dropna()
        if bool((whole == whole.round()).all()):
            return values.astype("Int64")
    if values.dtype != object:
        return values
    if column.kind == "json" and not (column.db_type and column.db_type.name == "array"):
        return values.map(lambda v: None if _missing(v) else json.dumps(v, default=str))
    if column.kind == "uuid":
        return values.map(lambda v: str(v) if isinstance(v, uuid.UUID) else v)
    if column.kind in ("decimal", "float"):
        # DuckDB types a Decimal column from a sample of rows; floats keep every row readable.
        return pd.to_numeric(values, errors="coerce").astype("Float64")
    return values


def _sqlite_text(values: pd.Series[Any], layout: str) -> pd.Series[Any]:
    def text(value: Any) -> Any:
        if value is None or value is pd.NaT or _missing(value):
            return None
        if isinstance(value, str) or not hasattr(value, "strftime"):
            return str(value)
        return value.strftime(layout)

    return values.astype(object).map(text)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)
