"""Uniques beyond plain column sets, evaluated over a generated table as the database would.

:func:`~syda.validation.tables.check_unique_sets` compares the values of each UNIQUE column set
exactly, a NULL never colliding. The database's rules go further, and :func:`unique_rules` lists
what they add for a table:

* every :class:`~syda.schema.ir.UniqueIndex`: a partial index holds among the rows whose
  predicate is TRUE only (the predicate is evaluated by :mod:`syda.validation.check_eval`, so
  it reads as the database reads it); an expression index compares the expressions' values
  (``lower(email)``, evaluated by DuckDB after sqlglot translated them); ``NULLS NOT DISTINCT``
  makes NULLs collide;
* every UNIQUE set holding a case-insensitive column (SQLite ``NOCASE``, MySQL's ``*_ci``
  collations, PostgreSQL ``citext``): ``'Ann'`` and ``'ann'`` collide there.

NULLs follow each dialect's rule: distinct in PostgreSQL, MySQL/MariaDB and SQLite unless the
index says ``NULLS NOT DISTINCT``; SQL Server's unique indexes treat NULLs as equal
(:data:`NULLS_EQUAL_BY_DEFAULT`). Case folding is a little stricter than some databases (MySQL's
``_ci`` collations also ignore accents and trailing spaces, and that fold is used for every
case-insensitive collation): stricter, never looser.

:func:`repeating_rows` finds the later rows that repeat an earlier one under a rule (or, in
append mode, a row already in the target); :func:`unique_rule_violations` reports them.
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from sqlglot import exp

from syda.schema.check_sql import CheckSqlError, read_check
from syda.schema.ir import Check, Column, Table, UniqueIndex
from syda.validation.check_eval import CheckEvaluationError, failing_rows
from syda.validation.results import Violation
from syda.validation.tables import example_at, rows_of

__all__ = [
    "NULLS_EQUAL_BY_DEFAULT",
    "UniqueRuleError",
    "describe_rule",
    "folding",
    "repeating_rows",
    "rule_holds",
    "unique_rule_violations",
    "unique_rules",
]

NULLS_EQUAL_BY_DEFAULT = frozenset({"mssql", "tsql"})
"""Dialects whose unique indexes let at most one row hold a NULL (the others: any number)."""

_ROW = "__syda_row"
_IN = "__syda_in"
Mask = np.ndarray[Any, np.dtype[np.bool_]]


class UniqueRuleError(Exception):
    """A unique rule cannot be evaluated on the rows (the message says why)."""


def _fold_accents(value: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    return bare.casefold().rstrip(" ")


# Which columns compare case-insensitively, and how their values are folded for comparing.
_FOLDS: tuple[tuple[Callable[[Column], bool], Callable[[str], str]], ...] = (
    (lambda c: (c.collation or "").lower() == "nocase", str.lower),
    (lambda c: (c.collation or "").lower().endswith("_ci"), _fold_accents),
    (lambda c: (c.sql_type or "").upper().startswith("CITEXT"), str.lower),
)


def folding(column: Column) -> Callable[[str], str] | None:
    """How a case-insensitive column's values are folded before comparing; None if exact."""
    if column.kind not in ("string", "text", "unknown"):
        return None
    return next((fold for applies, fold in _FOLDS if applies(column)), None)


def unique_rules(table: Table) -> tuple[UniqueIndex, ...]:
    """The unique rules of ``table`` that exact comparison of its UNIQUE sets does not cover."""
    rules = list(table.unique_indexes)
    for columns in table.unique_sets:
        if any(table.has_column(c) and folding(table.column(c)) for c in columns):
            rule = UniqueIndex(expressions=columns, columns=columns)
            if rule not in rules:
                rules.append(rule)
    return tuple(rules)


def describe_rule(rule: UniqueIndex) -> str:
    """The rule as SQL people read: ``UNIQUE (lower(email)) WHERE deleted_at IS NULL``."""
    text = f"UNIQUE ({', '.join(rule.expressions)})"
    if not rule.nulls_distinct:
        text += " NULLS NOT DISTINCT"
    return text + (f" WHERE {rule.where}" if rule.where else "")


def rule_holds(table: Table, frame: pd.DataFrame, rule: UniqueIndex) -> Mask:
    """The rows a rule covers: those whose predicate is TRUE (every row without one).

    Raises:
        UniqueRuleError: If the predicate cannot be evaluated.
    """
    if not rule.where:
        return np.ones(len(frame), dtype=bool)
    # A row is in a partial index when the predicate is TRUE: exactly the rows that break the
    # check NOT (predicate), as the evaluator reads checks (NULL passes).
    predicate = _without_own_types(rule.where, rule.columns, rule.dialect)
    check = Check(sqltext=f"NOT ({predicate})", dialect=rule.dialect)
    try:
        found = failing_rows(table, frame.reset_index(drop=True), [check])
    except CheckEvaluationError as error:
        raise UniqueRuleError(f"{describe_rule(rule)}: {error}") from None
    return found[0][1] if found else np.zeros(len(frame), dtype=bool)


def repeating_rows(
    table: Table,
    frame: pd.DataFrame,
    rules: Sequence[UniqueIndex] | None = None,
    existing: pd.DataFrame | None = None,
) -> list[tuple[UniqueIndex, Mask]]:
    """The rows of ``frame`` that repeat an earlier row (or an ``existing`` one) under a rule.

    Args:
        table: The table of the rows.
        frame: The rows.
        rules: The rules to evaluate (default: :func:`unique_rules`).
        existing: Rows already in the target (append mode), when they hold the rules' columns.

    Returns:
        Each rule that some row breaks, with a mask over ``frame``'s rows (the first occurrence
        of a value is not marked).

    Raises:
        UniqueRuleError: If a rule reads a column the rows lack or cannot be evaluated.
    """
    found: list[tuple[UniqueIndex, Mask]] = []
    for rule in unique_rules(table) if rules is None else rules:
        if not len(frame):
            continue
        mask = _repeats(table, frame, rule, existing)
        if mask.any():
            found.append((rule, mask))
    return found


def unique_rule_violations(table: Table, df: pd.DataFrame) -> list[Violation]:
    """One ``unique`` violation per rule of :func:`unique_rules` that rows of ``df`` break.

    A rule over a column the frame lacks is skipped (the column is reported missing once); one
    DuckDB cannot evaluate (a function of the database's own) is left to the database.
    """
    violations: list[Violation] = []
    for rule in unique_rules(table):
        if not set(rule.columns) <= set(df.columns):
            continue
        try:
            found = repeating_rows(table, df, [rule])
        except UniqueRuleError:
            continue
        for _, mask in found:
            shown, count = rows_of(mask)
            example = example_at(df[list(rule.columns)].reset_index(drop=True), shown[0])
            message = f"{count} rows repeat an earlier row under {describe_rule(rule)}, e.g. "
            violations.append(
                Violation(
                    table.key,
                    ", ".join(rule.columns),
                    "unique",
                    shown,
                    count,
                    f"{message}{example!r}",
                )
            )
    return violations


# -- one rule ---------------------------------------------------------------------------------
def _repeats(
    table: Table, frame: pd.DataFrame, rule: UniqueIndex, existing: pd.DataFrame | None
) -> Mask:
    absent = [c for c in rule.columns if c not in frame.columns]
    if absent:
        raise UniqueRuleError(f"{describe_rule(rule)}: column {absent[0]!r} is not in the rows")
    rows = frame[list(rule.columns)].reset_index(drop=True)
    old = 0
    if existing is not None and len(existing) and set(rule.columns) <= set(existing.columns):
        before = existing[list(rule.columns)].reset_index(drop=True)
        old = len(before)
        rows = pd.concat([before, rows], ignore_index=True)
    covered = rule_holds(table, rows, rule)
    if not covered.any():
        return np.zeros(len(frame), dtype=bool)
    view = pd.DataFrame(
        {f"c{i}": _comparable(table.column(c), rows[c]) for i, c in enumerate(rule.columns)}
    )
    view[_ROW] = np.arange(-old, len(frame), dtype=np.int64)
    view[_IN] = covered
    keys = [_key_sql(table, rule, e) for e in rule.expressions]
    nulls_distinct = rule.nulls_distinct and (rule.dialect or "") not in NULLS_EQUAL_BY_DEFAULT
    present = " AND ".join(f"k{i} IS NOT NULL" for i in range(len(keys))) if nulls_distinct else ""
    query = (
        f"SELECT {_ROW} FROM (SELECT {_ROW}, row_number() OVER (PARTITION BY "
        f"{', '.join(f'k{i}' for i in range(len(keys)))} ORDER BY {_ROW}) AS n FROM "
        f"(SELECT {_ROW}, {', '.join(f'({k}) AS k{i}' for i, k in enumerate(keys))} "
        f"FROM rows WHERE {_IN}){' WHERE ' + present if present else ''}) "
        f"WHERE n > 1 AND {_ROW} >= 0"
    )
    with _database().cursor() as con:
        try:
            con.register("rows", view)
            hit = con.execute(query).fetchnumpy()[_ROW]
        except duckdb.Error as error:
            reason = str(error).splitlines()[0][:200]
            raise UniqueRuleError(f"cannot evaluate {describe_rule(rule)}: {reason}") from None
        finally:
            con.unregister("rows")
    mask = np.zeros(len(frame), dtype=bool)
    mask[np.asarray(hit, dtype=np.int64)] = True
    return mask


def _key_sql(table: Table, rule: UniqueIndex, expression: str) -> str:
    """One indexed element in DuckDB's SQL over the positional columns ``c0``, ``c1``..."""
    if expression in rule.columns:
        return f'"c{rule.columns.index(expression)}"'
    return _compiled(expression, rule.columns, rule.dialect)


@lru_cache(maxsize=256)
def _compiled(expression: str, columns: tuple[str, ...], dialect: str | None) -> str:
    try:
        read = read_check(expression, list(columns), dialect)
    except CheckSqlError as error:
        raise UniqueRuleError(f"cannot read {expression!r}: {error}") from None
    tree = read.tree.copy()
    for node, name in zip(list(tree.find_all(exp.Column)), read.columns, strict=True):
        node.replace(exp.column(f"c{columns.index(name)}", quoted=True))
    return _uncast(tree).sql("duckdb")


@lru_cache(maxsize=256)
def _without_own_types(sql: str, columns: tuple[str, ...], dialect: str | None) -> str:
    """``sql`` without casts to the database's own types (``'active'::sub_status``).

    PostgreSQL writes an enum's or a domain's literal with such a cast; DuckDB knows no such
    type, and the value compares as the text it is.
    """
    try:
        read = read_check(sql, list(columns), dialect)
    except CheckSqlError:
        return sql
    return _uncast(read.tree.copy()).sql(read.dialect)


def _uncast(tree: exp.Expr) -> exp.Expr:
    def bare(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.USERDEFINED:
            inner: exp.Expr = node.this
            return inner
        return node

    return tree.transform(bare)


def _comparable(column: Column, values: pd.Series[Any]) -> pd.Series[Any]:
    """The values as DuckDB compares them, folded where the column ignores case."""
    fold = folding(column)
    if fold is not None:
        return values.map(lambda v: fold(v) if isinstance(v, str) else v)
    if values.dtype != object:
        return values
    if column.kind == "json":
        return values.map(
            lambda v: None if v is None or v != v else json.dumps(v, sort_keys=True, default=str)
        )
    if column.kind == "uuid":
        return values.map(lambda v: str(v) if isinstance(v, uuid.UUID) else v)
    if column.kind in ("decimal", "float"):
        return pd.to_numeric(values, errors="coerce").astype("Float64")
    return values


@lru_cache(maxsize=1)
def _database() -> duckdb.DuckDBPyConnection:
    # One in-memory database; every evaluation runs on a cursor of its own (thread safety).
    return duckdb.connect(":memory:")
