"""Reflect a live database into the schema IR: ``MetaData.reflect`` + :func:`from_metadata`.

SQLAlchemy's reflection already reads tables, column types, comments, composite keys, unique
constraints and unique indexes, CHECK constraints and enum types (PostgreSQL ``ENUM``, MySQL
``ENUM``) on SQLite, PostgreSQL and MySQL/MariaDB. What it leaves for this module is PostgreSQL
*domains* (``CREATE DOMAIN code AS varchar(8) CHECK (VALUE ~ '^[A-Z]')``): a reflected column of
a domain type has no generic type syda could generate for. So before the tables reach
:func:`~syda.schema.from_metadata`, such a column is given the domain's base type (with the length
or precision the domain declares), the domain's NOT NULL, and every CHECK of the domain as a table
CHECK on that column (``VALUE`` replaced by the quoted column name); the IR column then keeps the
domain (and a named enum type) as its ``sql_type``, so generators can be registered for it by name.

Table keys are the plain table names (``"schema.name"`` only when two reflected tables share a
name, which :func:`from_metadata` decides).
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import DOMAIN
from sqlalchemy.exc import SADeprecationWarning

from syda.database.connect import connected, describe, reported
from syda.database.duckdb_target import reflect_metadata
from syda.database.reflect_indexes import (
    add_index_details,
    quiet_expression_indexes,
    with_index_dialect,
)
from syda.database.reflect_partitions import fold_hierarchy, with_hierarchy
from syda.database.reflect_triggers import read_triggers, with_triggers
from syda.database.reflect_types import known_types, refine_types
from syda.errors import SchemaError
from syda.schema import from_metadata
from syda.schema.ir import Schema, Table

__all__ = ["quiet_reflection", "reflect_database"]

# A domain CHECK names its value VALUE; string literals must be left alone while replacing it.
_VALUE_OR_LITERAL = re.compile(r"'(?:[^']|'')*'|\bVALUE\b")


@contextmanager
def quiet_reflection() -> Iterator[None]:
    """Silence SQLAlchemy's own deprecation warning about an index over a DOMAIN column.

    SQLAlchemy 2.1 warns, while reflecting an index that sorts a column of a PostgreSQL domain
    (icingadb's ``CREATE INDEX ... (environment_id DESC)`` over ``bytea20``), that its DOMAIN
    type lacks an ``operator_classes`` attribute: a note to SQLAlchemy's maintainers, which
    says nothing about the database and that a user of syda cannot act on.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", _DOMAIN_OPERATOR_CLASSES, SADeprecationWarning)
        yield


_DOMAIN_OPERATOR_CLASSES = (
    r"Type object <class 'sqlalchemy\.dialects\.postgresql\.named_types\.DOMAIN'> does not "
    r"refer to an OperatorClass"
)


def reflect_database(
    url: str | sa.URL | sa.Engine,
    *,
    schema: str | None = None,
    tables: Sequence[str] | None = None,
) -> Schema:
    """Read the tables of a database into a :class:`~syda.schema.ir.Schema`.

    Args:
        url: A database URL (``sqlite:///app.db``, ``postgresql://user@host/db``,
            ``mysql+pymysql://...``) or an ``Engine``.
        schema: The database schema (namespace) to read, e.g. ``"sales"``; default: the
            connection's default schema (``public`` on PostgreSQL, the URL's database on MySQL).
        tables: Only these tables, plus the tables their foreign keys point at (so every key
            has its parent in the schema). Default: every table.

    Returns:
        The schema, tables in the order the database lists them.

    Raises:
        SchemaError: If the database has no tables, ``tables`` names tables it does not have,
            or the tables have problems syda cannot work with (all listed).
        ConfigurationError: If ``url`` is not a database URL.
        OutputError: If the database cannot be reached or read, its driver is not installed,
            or (SQLite) its file does not exist.
    """
    where = f" (schema {schema!r})" if schema else ""
    with connected(url, must_exist=True) as engine:
        with reported(engine, "reflecting", where), engine.connect() as conn:
            with known_types(conn), quiet_expression_indexes():
                metadata = _reflect(conn, schema, tables)
            hierarchy = fold_hierarchy(conn, metadata)
            add_index_details(conn, metadata)
            _mariadb_checks(conn, metadata)
            _sqlite_checks(conn, metadata)
            refine_types(conn, metadata)
            domains = _domains(conn, metadata)
            triggers = read_triggers(conn, schema)
            dialect = conn.dialect
        if not metadata.tables:
            where = f" in schema {schema!r}" if schema else ""
            raise SchemaError([f"{describe(engine)} has no tables{where}"])
    named = _resolve_named_types(metadata, domains, dialect)
    reflected = _with_dialect(_with_type_names(from_metadata(metadata), named), dialect.name)
    reflected = with_triggers(with_index_dialect(reflected, dialect.name), triggers)
    return with_hierarchy(reflected, hierarchy)


def _reflect(conn: sa.Connection, schema: str | None, tables: Sequence[str] | None) -> sa.MetaData:
    metadata = sa.MetaData()
    if tables is not None:
        existing = set(sa.inspect(conn).get_table_names(schema=schema))
        unknown = [t for t in tables if t not in existing]
        if unknown:
            raise SchemaError(
                [
                    f"no table(s) {', '.join(map(repr, unknown))} in the database"
                    + (f" schema {schema!r}" if schema else "")
                    + f"; it has {', '.join(sorted(existing)) or 'none'}"
                ]
            )
    with quiet_reflection():
        reflect_metadata(conn, metadata, schema, tables)
    return metadata


def _mariadb_checks(conn: sa.Connection, metadata: sa.MetaData) -> None:
    """Read every CHECK of MariaDB tables, column-level ones included.

    SQLAlchemy parses ``SHOW CREATE TABLE``, where MariaDB writes a column's CHECK inside the
    column definition, which the parser skips; ``information_schema.CHECK_CONSTRAINTS`` lists
    them all. Backquoted identifiers lose their quotes where they do not need them, so the text
    reads the same on every database.
    """
    if not getattr(conn.dialect, "is_mariadb", False) or not metadata.tables:
        return
    rows = conn.execute(
        sa.text(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE "
            "FROM information_schema.CHECK_CONSTRAINTS "
            "WHERE CONSTRAINT_SCHEMA = COALESCE(:schema, DATABASE()) ORDER BY CONSTRAINT_NAME"
        ),
        {"schema": next(iter(metadata.tables.values())).schema},
    ).fetchall()
    by_table: dict[str, list[tuple[str, str]]] = {}
    for table_name, name, clause in rows:
        by_table.setdefault(table_name, []).append((name, _unquote_backticks(clause)))
    for table in metadata.tables.values():
        if table.name not in by_table:
            continue
        for old in [c for c in table.constraints if isinstance(c, sa.CheckConstraint)]:
            table.constraints.discard(old)
        for name, clause in by_table[table.name]:
            # A column-level check is named after its column, which is no constraint name.
            own = None if table.c.get(name) is not None else name
            table.append_constraint(sa.CheckConstraint(clause, name=own))


def _sqlite_checks(conn: sa.Connection, metadata: sa.MetaData) -> None:
    """Write SQLite's double-quoted strings in CHECKs as strings (``"active"`` -> ``'active'``).

    SQLite reads a double-quoted word that names no column as a string literal, so
    ``status IN ("active", "inactive")`` is a valid check there (and common in older schemas);
    every other reader takes it for two missing columns.
    """
    if conn.dialect.name != "sqlite":
        return
    for table in metadata.tables.values():
        names = {c.name.lower() for c in table.columns}
        for old in [c for c in table.constraints if isinstance(c, sa.CheckConstraint)]:
            text = str(old.sqltext)
            fixed = _double_quoted_strings(text, names)
            if fixed != text:
                table.constraints.discard(old)
                table.append_constraint(sa.CheckConstraint(fixed, name=old.name))


_QUOTED = re.compile(r"'(?:[^']|'')*'|\"((?:[^\"]|\"\")*)\"")


def _double_quoted_strings(text: str, columns: set[str]) -> str:
    def literal(match: re.Match[str]) -> str:
        inner = match.group(1)
        before, after = text[: match.start()].rstrip()[-1:], text[match.end() :].lstrip()[:1]
        if inner is None or inner.replace('""', '"').lower() in columns or "." in (before, after):
            return match.group(0)  # a string already, a quoted column name, or "table".column
        return "'" + inner.replace('""', '"').replace("'", "''") + "'"

    return _QUOTED.sub(literal, text)


def _unquote_backticks(text: str) -> str:
    def plain(match: re.Match[str]) -> str:
        name = match.group(1)
        return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else match.group(0)

    return re.sub(r"`([^`]+)`", plain, text)


def _domains(conn: sa.Connection, metadata: sa.MetaData) -> dict[tuple[str, str], _Domain]:
    """Every PostgreSQL domain (by schema and name): all its checks and its type's size.

    The reflected ``DOMAIN`` type keeps only the first CHECK and loses the base type's length
    (``varchar(8)`` comes back as ``VARCHAR``), so both are read from the catalog.
    """
    if conn.dialect.name != "postgresql" or not any(
        isinstance(c.type, DOMAIN) for t in metadata.tables.values() for c in t.columns
    ):
        return {}
    rows = conn.execute(
        sa.text(
            "SELECT d.domain_schema, d.domain_name, d.character_maximum_length, "
            "d.numeric_precision, d.numeric_scale, "
            "ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "      WHERE c.contypid = to_regtype(quote_ident(d.domain_schema) || '.' || "
            "            quote_ident(d.domain_name)) AND c.contype = 'c' ORDER BY c.conname) "
            "FROM information_schema.domains d"
        )
    ).fetchall()
    return {(r[0], r[1]): _Domain(r[2], r[3], r[4], tuple(r[5])) for r in rows}


@dataclasses.dataclass(frozen=True)
class _Domain:
    length: int | None
    precision: int | None
    scale: int | None
    checks: tuple[str, ...]


def _resolve_named_types(
    metadata: sa.MetaData, domains: dict[tuple[str, str], _Domain], dialect: sa.Dialect
) -> dict[tuple[str, str], str]:
    """Give domain columns their base type and checks; return ``(table, column) -> type name``."""
    named: dict[tuple[str, str], str] = {}
    for table in metadata.tables.values():
        for column in table.columns:
            type_ = column.type
            if isinstance(type_, DOMAIN):
                named[(table.fullname, column.name)] = str(type_.name)
                _inline_domain(table, column, type_, domains, dialect)
            elif isinstance(type_, sa.Enum) and type_.name:
                named[(table.fullname, column.name)] = type_.name
    return named


def _inline_domain(
    table: sa.Table,
    column: sa.Column[Any],
    domain: DOMAIN,
    domains: dict[tuple[str, str], _Domain],
    dialect: sa.Dialect,
) -> None:
    # A domain outside the search path is reflected with its schema; one on it, without.
    found = [d for (ns, name), d in sorted(domains.items()) if name == domain.name]
    if domain.schema is not None:
        found = [
            d
            for (ns, name), d in sorted(domains.items())
            if (ns, name) == (domain.schema, domain.name)
        ]
    base = domain.data_type
    if found:
        info = found[0]
        if isinstance(base, sa.String) and info.length:
            base = type(base)(length=info.length)
        elif isinstance(base, sa.Numeric) and not isinstance(base, sa.Float) and info.precision:
            base = type(base)(precision=info.precision, scale=info.scale)
        checks = list(info.checks)
    else:
        checks = [] if domain.check is None else [str(domain.check)]
    column.type = base
    if domain.not_null:
        column.nullable = False
    name = dialect.identifier_preparer.quote(column.name)
    for definition in checks:
        text = re.sub(r"^CHECK\s*", "", definition.strip(), flags=re.IGNORECASE)
        text = _VALUE_OR_LITERAL.sub(lambda m: name if m.group(0) == "VALUE" else m.group(0), text)
        table.append_constraint(sa.CheckConstraint(text))


def _with_type_names(schema: Schema, named: dict[tuple[str, str], str]) -> Schema:
    if not named:
        return schema
    tables: list[Table] = []
    for table in schema:
        fullname = f"{table.schema}.{table.name}" if table.schema else table.name
        columns = tuple(
            dataclasses.replace(c, sql_type=named[(fullname, c.name)])
            if (fullname, c.name) in named
            else c
            for c in table.columns
        )
        tables.append(dataclasses.replace(table, columns=columns))
    return Schema(tuple(tables))


def _with_dialect(schema: Schema, dialect: str) -> Schema:
    """Record the database's dialect on every check, for the evaluator to read it as written."""
    return Schema(
        tuple(
            dataclasses.replace(
                table,
                checks=tuple(dataclasses.replace(c, dialect=dialect) for c in table.checks),
            )
            for table in schema
        )
    )
