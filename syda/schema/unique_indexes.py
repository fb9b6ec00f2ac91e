"""Unique indexes that are no plain column set, read from SQLAlchemy objects into the IR.

A unique index over plain columns, for every row, is a column set like a UNIQUE constraint and
goes to :attr:`~syda.schema.ir.Table.unique_sets`. The others become
:class:`~syda.schema.ir.UniqueIndex` rules:

* partial indexes (``postgresql_where`` / ``sqlite_where``: ``UNIQUE (is_default) WHERE
  is_default``) hold among the rows whose predicate is TRUE only, so their columns are *not*
  unique and must not be generated as if they were;
* expression indexes (``lower(email)``, ``coalesce(parent_id, 0)``) compare computed values;
* ``NULLS NOT DISTINCT`` (PostgreSQL 15) makes NULLs collide, and a MySQL prefix index
  (``UNIQUE (url(191))``) compares the first characters only. Such a plain column set stays in
  ``unique_sets`` as well (it is at least as strict as a plain UNIQUE).

An element that is a table column is kept as the bare column name, whatever the dialect; other
elements and predicates are SQL text, read later with the table's dialect
(:attr:`~syda.schema.ir.UniqueIndex.dialect`). An index whose SQL cannot be read is left to the
database, with a warning.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc

from syda.schema.check_sql import CheckSqlError, read_check
from syda.schema.ir import UniqueIndex

__all__ = ["columns_of", "is_plain_unique", "unique_indexes"]

logger = logging.getLogger("syda")

# The dialect keyword arguments that hold a partial index's predicate.
_WHERE_OPTIONS = ("postgresql_where", "sqlite_where", "mssql_where")
_NULLS_NOT_DISTINCT = "postgresql_nulls_not_distinct"
_PREFIX_OPTIONS = ("mysql_length", "mariadb_length")


def is_plain_unique(index: sa.Index) -> bool:
    """Whether ``index`` is a unique index over plain columns that holds for every row."""
    return (
        bool(index.unique)
        and len(index.expressions) == len(index.columns) > 0
        and _where(index) is None
    )


def unique_indexes(table: sa.Table) -> tuple[UniqueIndex, ...]:
    """The partial, expression and NULLS NOT DISTINCT uniques of ``table``, in creation order."""
    names = [c.name for c in table.columns]
    found: list[UniqueIndex] = []
    items: list[Any] = [c for c in table.constraints if isinstance(c, sa.UniqueConstraint)]
    items += [i for i in table.indexes if i.unique]
    for item in sorted(items, key=lambda i: (getattr(i, "_creation_order", 0), str(i.name))):
        plain = isinstance(item, sa.UniqueConstraint) or is_plain_unique(item)
        nulls_distinct = not item.dialect_kwargs.get(_NULLS_NOT_DISTINCT)
        prefixes = _prefixes(item)
        if plain and nulls_distinct and not prefixes:
            continue
        elements = item.columns if isinstance(item, sa.UniqueConstraint) else item.expressions
        sql = [_element_sql(e, prefixes) for e in elements]
        rule = _rule(table.name, item, sql, names, nulls_distinct)
        if rule is not None and rule not in found:
            found.append(rule)
    return tuple(found)


def _rule(
    table: str, item: Any, elements: list[str], names: list[str], nulls_distinct: bool
) -> UniqueIndex | None:
    expressions = tuple(elements)
    where = _where(item) if isinstance(item, sa.Index) else None
    used: list[str] = []
    try:
        for text in (*expressions, *([where] if where else [])):
            used.extend([text] if text in names else read_check(text, names).columns)
    except CheckSqlError as error:
        shown = item.name or ", ".join(expressions)
        logger.warning(
            "%s: unique index %s is left to the database (syda cannot read it: %s)",
            table,
            shown,
            error,
        )
        return None
    return UniqueIndex(
        expressions=expressions,
        columns=tuple(dict.fromkeys(used)),
        where=where,
        name=item.name if isinstance(item.name, str) else None,
        nulls_distinct=nulls_distinct,
    )


def _where(index: sa.Index) -> str | None:
    for option in _WHERE_OPTIONS:
        predicate = index.dialect_kwargs.get(option)
        if predicate is not None:
            return _sql(predicate)
    return None


def _prefixes(item: Any) -> dict[str, int]:
    """The prefix length of each column a MySQL index compares by its start only."""
    for option in _PREFIX_OPTIONS:
        lengths = item.dialect_kwargs.get(option) if isinstance(item, sa.Index) else None
        if isinstance(lengths, dict):
            return {str(k): int(v) for k, v in lengths.items()}
        if isinstance(lengths, int) and len(item.columns) == 1:
            return {str(next(iter(item.columns)).name): lengths}
    return {}


def _element_sql(element: Any, prefixes: dict[str, int]) -> str:
    if isinstance(element, sa.Column):
        name = str(element.name)
        return f"SUBSTRING(`{name}`, 1, {prefixes[name]})" if name in prefixes else name
    return _sql(element)


def _sql(element: Any) -> str:
    if isinstance(element, str):
        return element
    if isinstance(element, sa.TextClause):
        return element.text
    try:
        compiled = element.compile(compile_kwargs={"literal_binds": True, "include_table": False})
    except (exc.SQLAlchemyError, NotImplementedError):
        return str(element)
    return str(compiled)


def columns_of(rules: Iterable[UniqueIndex]) -> tuple[str, ...]:
    """Every column the rules read, once each."""
    return tuple(dict.fromkeys(c for rule in rules for c in rule.columns))
