"""What SQLAlchemy's reflection leaves out of unique indexes and string collations.

SQLAlchemy reads PostgreSQL's partial and expression indexes (and ``NULLS NOT DISTINCT``) in
full, and SQLite's partial ones; :mod:`syda.schema.unique_indexes` turns them into the IR. What
is missing is added to the reflected ``MetaData`` here, before the IR is built:

* SQLite expression indexes (``CREATE UNIQUE INDEX ... ON t(lower(email))``) are skipped by
  SQLAlchemy with a warning, and ``COLLATE NOCASE`` on an indexed column is dropped: both are
  read from the index's SQL in ``sqlite_master`` (with sqlglot) and added as indexes whose
  elements are SQL text.
* Column collations: SQLite's ``COLLATE NOCASE`` comes from the table's SQL; on MySQL/MariaDB
  every string column has one (``utf8mb4_general_ci`` when it inherits the table's), read from
  ``information_schema.COLUMNS``. A case-insensitive collation makes ``'Ann'`` and ``'ann'`` the
  same value for a UNIQUE (see :mod:`syda.validation.unique_rules`).

Then :func:`with_index_dialect` records the database's dialect on every
:class:`~syda.schema.ir.UniqueIndex`, so its SQL is read as written.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
import sqlglot
from sqlalchemy import exc
from sqlglot import exp
from sqlglot.errors import SqlglotError

from syda.schema.ir import Schema

__all__ = ["add_index_details", "quiet_expression_indexes", "with_index_dialect"]

_SKIPPED = r"Skipped unsupported reflection of expression-based index"


@contextmanager
def quiet_expression_indexes() -> Iterator[None]:
    """Silence SQLAlchemy's warning for SQLite expression indexes: they are read here."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_SKIPPED, category=exc.SAWarning)
        yield


def add_index_details(conn: sa.Connection, metadata: sa.MetaData) -> None:
    """Add the unique indexes and collations reflection missed to ``metadata``'s tables."""
    if not metadata.tables:
        return
    if conn.dialect.name == "sqlite":
        for table in metadata.tables.values():
            _sqlite_unique_constraints(conn, table)
            _sqlite_indexes(conn, table)
            _sqlite_collations(conn, table)
    elif conn.dialect.name in ("mysql", "mariadb"):
        _mysql_collations(conn, metadata)


def with_index_dialect(schema: Schema, dialect: str) -> Schema:
    """``schema`` with ``dialect`` recorded on every unique index rule."""
    if not any(t.unique_indexes for t in schema):
        return schema
    return Schema(
        tuple(
            dataclasses.replace(
                t,
                unique_indexes=tuple(
                    dataclasses.replace(u, dialect=dialect) for u in t.unique_indexes
                ),
            )
            for t in schema
        )
    )


# -- SQLite -----------------------------------------------------------------------------------
def _sqlite_sql(conn: sa.Connection, table: sa.Table, kind: str) -> list[tuple[str, str]]:
    prefix = f"{_quote(table.schema)}." if table.schema else ""
    rows = conn.exec_driver_sql(
        f"SELECT name, sql FROM {prefix}sqlite_master "
        "WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
        (kind, table.name),
    ).fetchall()
    return [(str(name), str(sql)) for name, sql in rows]


def _sqlite_unique_constraints(conn: sa.Connection, table: sa.Table) -> None:
    """Add the UNIQUE constraints SQLAlchemy's parser missed (``code VARCHAR(8) UNIQUE``).

    Its pattern for a column's own UNIQUE takes no parenthesis in the type; SQLite's index list
    names every index a UNIQUE constraint made (origin ``u``), whatever the SQL looks like.
    """
    prefix = f"{_quote(table.schema)}." if table.schema else ""
    have = {
        tuple(c.name for c in uc.columns)
        for uc in table.constraints
        if isinstance(uc, sa.UniqueConstraint)
    }
    listed = conn.exec_driver_sql(f"PRAGMA {prefix}index_list({_quote(table.name)})").fetchall()
    for row in listed:
        name, origin = row[1], row[3]
        if origin != "u":
            continue
        info = conn.exec_driver_sql(f"PRAGMA {prefix}index_info({_quote(name)})").fetchall()
        columns = tuple(str(r[2]) for r in sorted(info))
        if columns and columns not in have and all(c in table.c for c in columns):
            table.append_constraint(sa.UniqueConstraint(*columns))
            have.add(columns)


def _sqlite_indexes(conn: sa.Connection, table: sa.Table) -> None:
    known = {str(i.name): i for i in table.indexes}
    for name, sql in _sqlite_sql(conn, table, "index"):
        parsed = _parse(sql)
        if parsed is None or not parsed.args.get("unique"):
            continue
        index = parsed.this
        params = index.args.get("params")
        if not isinstance(params, exp.IndexParameters):
            continue
        columns = params.args.get("columns") or []
        elements = [o.this if isinstance(o, exp.Ordered) else o for o in columns]
        if not elements or all(_column_name(e, table) for e in elements):
            continue  # plain columns: SQLAlchemy read this index as it is
        where = params.args.get("where")
        options: dict[str, Any] = {}
        if isinstance(where, exp.Where):
            options["sqlite_where"] = sa.text(where.this.sql("sqlite"))
        if name in known:
            table.indexes.discard(known[name])
        parts: list[Any] = [
            table.c[col] if (col := _column_name(e, table)) else sa.text(e.sql("sqlite"))
            for e in elements
        ]
        sa.Index(name, *parts, unique=True, _table=table, **options)


def _sqlite_collations(conn: sa.Connection, table: sa.Table) -> None:
    for _, sql in _sqlite_sql(conn, table, "table"):
        parsed = _parse(sql)
        if parsed is None:
            continue
        for definition in parsed.find_all(exp.ColumnDef):
            column = table.c.get(definition.name)
            for constraint in definition.constraints:
                if isinstance(constraint.kind, exp.CollateColumnConstraint) and column is not None:
                    _set_collation(column, constraint.kind.this.name)


def _column_name(element: exp.Expr, table: sa.Table) -> str | None:
    if isinstance(element, exp.Column) and not element.table and element.name in table.c:
        return element.name
    return None


def _parse(sql: str) -> exp.Expr | None:
    try:
        return sqlglot.parse_one(sql, read="sqlite")
    except SqlglotError:
        return None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# -- MySQL / MariaDB ----------------------------------------------------------------------------
def _mysql_collations(conn: sa.Connection, metadata: sa.MetaData) -> None:
    schema = next(iter(metadata.tables.values())).schema
    rows = conn.execute(
        sa.text(
            "SELECT TABLE_NAME, COLUMN_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = COALESCE(:schema, DATABASE()) AND COLLATION_NAME IS NOT NULL"
        ),
        {"schema": schema},
    ).fetchall()
    by_name = {t.name: t for t in metadata.tables.values()}
    for table_name, column_name, collation in rows:
        table = by_name.get(table_name)
        column = table.c.get(column_name) if table is not None else None
        if column is not None and not getattr(column.type, "collation", None):
            _set_collation(column, str(collation))


def _set_collation(column: sa.Column[Any], collation: str) -> None:
    if not isinstance(column.type, sa.String) or not re.fullmatch(r"[\w-]+", collation):
        return
    typed = copy.copy(column.type)
    typed.collation = collation
    column.type = typed
