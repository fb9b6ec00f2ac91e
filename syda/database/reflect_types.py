"""Reflection of the column types SQLAlchemy reads only in part, or not at all.

* :func:`teach_types` gives a dialect the type names SQLAlchemy does not know
  (:mod:`syda.schema.sqltypes`: PostgreSQL ``xml`` and the geometric types, MySQL's spatial
  types, MariaDB's ``INET4``/``INET6``), and :func:`known_types` reflects with them, without the
  "Did not recognize type" warnings: a type that stays unknown is named in the one
  :class:`~syda.errors.SchemaError` of the plan instead.
* :func:`refine_types`, once the tables are reflected, fills in what SQLAlchemy leaves out:

  - PostgreSQL arrays: their dimensions (``integer[][]``), and for an array of a domain the
    domain's base length and every CHECK (SQLAlchemy keeps the first only), so each element
    keeps them;
  - MariaDB ``JSON``, which is ``LONGTEXT`` with a ``CHECK (json_valid(col))``: JSON again;
  - SQLite columns whose declared type has BLOB affinity (binary data) or none at all (an
    untyped column holds text);
  - every type still unknown keeps its declared name (``pg_lsn``, ``ltree``), for the message.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.dialects.postgresql import DOMAIN
from sqlalchemy.types import TypeEngine

from syda.generators.infer import kind_from_name
from syda.schema.sqltypes import MYSQL_NAMES, POSTGRESQL_NAMES, Unrecognised

__all__ = ["known_types", "refine_types", "teach_types"]

_UNRECOGNISED = r"Did not recognize type"
_JSON_VALID = re.compile(r"^\(*\s*json_valid\s*\(\s*[`\"]?([^`\"()]+?)[`\"]?\s*\)\s*\)*$", re.I)
_UNTYPED: dict[str, type[TypeEngine[Any]]] = {
    "integer": sa.Integer,
    "float": sa.Float,
    "decimal": sa.Numeric,
    "boolean": sa.Boolean,
    "date": sa.Date,
    "datetime": sa.DateTime,
    "time": sa.Time,
    "json": sa.JSON,
}
_ARGS = re.compile(r"\((\d+)(?:\s*,\s*(\d+))?\)")


def teach_types(dialect: sa.Dialect) -> None:
    """Let ``dialect`` reflect the types of :mod:`syda.schema.sqltypes` (idempotent)."""
    extra = {"postgresql": POSTGRESQL_NAMES, "mysql": MYSQL_NAMES, "mariadb": MYSQL_NAMES}.get(
        dialect.name
    )
    names: Any = getattr(dialect, "ischema_names", None)
    if extra is None or names is None or all(k in names for k in extra):
        return
    # A copy on this dialect instance only: other engines keep SQLAlchemy's own table.
    dialect.ischema_names = {**extra, **names}  # type: ignore[attr-defined]


@contextmanager
def known_types(conn: sa.Connection) -> Iterator[None]:
    """Reflect on ``conn`` with the types syda knows, and no warning for those it does not."""
    teach_types(conn.dialect)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_UNRECOGNISED, category=exc.SAWarning)
        yield


def refine_types(conn: sa.Connection, metadata: sa.MetaData) -> None:
    """Complete the reflected types of ``metadata``'s tables (see the module docstring)."""
    tables = list(metadata.tables.values())
    if not tables:
        return
    name = conn.dialect.name
    if name == "postgresql":
        _postgresql(conn, tables)
    elif name in ("mysql", "mariadb"):
        _mysql(conn, tables)
    elif name == "sqlite":
        _sqlite(conn, tables)


# -- PostgreSQL ---------------------------------------------------------------------------------
def _postgresql(conn: sa.Connection, tables: list[sa.Table]) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT n.nspname = current_schema(), n.nspname, c.relname, a.attname, "
            "format_type(a.atttypid, a.atttypmod), a.attndims "
            "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = ANY(:names) AND a.attnum > 0 AND NOT a.attisdropped"
        ),
        {"names": sorted({t.name for t in tables})},
    ).fetchall()
    catalog: dict[tuple[str | None, str, str], tuple[str, int]] = {}
    for current, namespace, table, column, declared, dims in rows:
        catalog[(namespace, table, column)] = (declared, int(dims or 0))
        if current:
            catalog.setdefault((None, table, column), (declared, int(dims or 0)))
    domains = _pg_domains(conn) if _has_array_of_domain(tables) else {}
    for table in tables:
        for column in table.columns:
            declared, dims = catalog.get((table.schema, table.name, column.name), ("", 0))
            column.type = _pg_type(column.type, declared, dims, domains)


def _array_of(type_: Any) -> sa.ARRAY[Any] | None:
    if isinstance(type_, DOMAIN):
        type_ = type_.data_type
    return type_ if isinstance(type_, sa.ARRAY) else None


def _has_array_of_domain(tables: list[sa.Table]) -> bool:
    return any(
        isinstance(array.item_type, DOMAIN)
        for t in tables
        for c in t.columns
        if (array := _array_of(c.type)) is not None
    )


def _pg_type(
    type_: Any, declared: str, dims: int, domains: dict[tuple[str | None, str], _Domain]
) -> Any:
    array = _array_of(type_)
    if array is not None:
        if dims > 1:
            array.dimensions = dims
        if isinstance(array.item_type, DOMAIN):
            array.item_type = _full_domain(array.item_type, domains)
    if isinstance(type_, sa.types.NullType) and declared:
        return Unrecognised(declared)
    return type_


@dataclass(frozen=True)
class _Domain:
    declared: str
    """The base type as ``format_type`` writes it (``character varying(8)``)."""
    checks: tuple[str, ...]


def _pg_domains(conn: sa.Connection) -> dict[tuple[str | None, str], _Domain]:
    rows = conn.execute(
        sa.text(
            "SELECT n.nspname = current_schema(), n.nspname, t.typname, "
            "format_type(t.typbasetype, t.typtypmod), "
            "ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "      WHERE c.contypid = t.oid AND c.contype = 'c' ORDER BY c.conname) "
            "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd'"
        )
    ).fetchall()
    found: dict[tuple[str | None, str], _Domain] = {}
    for current, namespace, name, declared, checks in rows:
        domain = _Domain(declared, tuple(checks))
        found[(namespace, name)] = domain
        if current:
            found.setdefault((None, name), domain)
    return found


def _full_domain(item: DOMAIN, domains: dict[tuple[str | None, str], _Domain]) -> DOMAIN:
    """The element domain with its base type's size and all its CHECKs (as one conjunction)."""
    found = domains.get((item.schema, str(item.name)))
    if found is None:
        return item
    base: Any = item.data_type
    size = _ARGS.search(found.declared)
    if size is not None and isinstance(base, sa.String) and not isinstance(base, sa.Enum):
        base = type(base)(length=int(size.group(1)))
    elif size is not None and isinstance(base, sa.Numeric) and not isinstance(base, sa.Float):
        scale = int(size.group(2)) if size.group(2) else 0
        base = type(base)(precision=int(size.group(1)), scale=scale)
    texts = [re.sub(r"^CHECK\s*", "", c.strip(), flags=re.IGNORECASE) for c in found.checks]
    check = " AND ".join(f"({t})" for t in texts) if texts else None
    return DOMAIN(str(item.name), base, check=check, schema=item.schema, create_type=False)


# -- MySQL / MariaDB ----------------------------------------------------------------------------
def _mysql(conn: sa.Connection, tables: list[sa.Table]) -> None:
    for table in tables:
        for check in [c for c in table.constraints if isinstance(c, sa.CheckConstraint)]:
            match = _JSON_VALID.match(str(check.sqltext).strip())
            column = table.c.get(match.group(1).strip()) if match else None
            if column is not None and isinstance(column.type, sa.String):
                column.type = sa.JSON()  # MariaDB's JSON: LONGTEXT CHECK (json_valid(col))
    if not any(isinstance(c.type, sa.types.NullType) for t in tables for c in t.columns):
        return
    rows = conn.execute(
        sa.text(
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = COALESCE(:schema, DATABASE())"
        ),
        {"schema": tables[0].schema},
    ).fetchall()
    declared = {(str(t), str(c)): str(d) for t, c, d in rows}
    for table in tables:
        for column in table.columns:
            name = declared.get((table.name, column.name))
            if isinstance(column.type, sa.types.NullType) and name:
                column.type = Unrecognised(name)


# -- SQLite -------------------------------------------------------------------------------------
def _sqlite(conn: sa.Connection, tables: list[sa.Table]) -> None:
    for table in tables:
        untyped = [c for c in table.columns if isinstance(c.type, sa.types.NullType)]
        if not untyped:
            continue
        prefix = f'"{table.schema}".' if table.schema else ""
        quoted = '"' + table.name.replace('"', '""') + '"'
        rows = conn.exec_driver_sql(f"PRAGMA {prefix}table_xinfo({quoted})").fetchall()
        declared = {str(r[1]): str(r[2] or "") for r in rows}
        for column in untyped:
            text = declared.get(column.name, "")
            # SQLite's rules: a declared type with BLOB in it, or none, has no affinity: the
            # column holds what it is given. Binary data for a BLOB; else what the name says.
            if "BLOB" in text.upper():
                column.type = sa.LargeBinary()
            else:
                column.type = _UNTYPED.get(kind_from_name(column.name) or "text", sa.Text)()
