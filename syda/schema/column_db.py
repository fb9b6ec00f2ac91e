"""What the database itself does with a column's values: its DEFAULT, identity, collation.

Read from a SQLAlchemy column into the IR (:func:`database_facts`), and classified here for the
stages that act on it:

* ``default_sql`` is the server DEFAULT as SQL text. A now()-like one (``now()``,
  ``CURRENT_TIMESTAMP``, ``datetime('now')``) stamps the moment a row is written
  (:func:`is_now_like`); a sequence (``nextval('t_id_seq'::regclass)``) numbers the rows
  (:func:`is_sequence`). A literal one is also in ``Column.default`` as a value.
* ``identity_always`` is ``GENERATED ALWAYS AS IDENTITY``: the database refuses a value for it
  unless the insert overrides it (PostgreSQL's COPY always does).
* ``collation`` is the string type's collation when the source names it; MySQL and SQLite
  reflection leave it out where the column inherits it, which :mod:`syda.database.reflect_indexes`
  fills in from the catalog.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.types import TypeEngine

from syda.schema.ir import Column, Schema, Table

__all__ = [
    "database_facts",
    "is_now_like",
    "is_sequence",
    "leave_defaults_to_database",
    "leave_identities_to_database",
]

# Functions (and SQLite's 'now' argument) that give the moment of the write.
_NOW = re.compile(
    r"\b(?:now|current_timestamp|current_date|current_time|localtimestamp|localtime|"
    r"transaction_timestamp|statement_timestamp|clock_timestamp|getdate|getutcdate|sysdate|"
    r"sysdatetime|utc_timestamp|utc_date|curdate|curtime)\b|'now'",
    re.IGNORECASE,
)
_STRING = re.compile(r"'(?:[^']|'')*'")
_SEQUENCE = re.compile(r"\bnextval\s*\(", re.IGNORECASE)


def database_facts(col: sa.Column[Any], type_: TypeEngine[Any]) -> dict[str, Any]:
    """The IR facts of ``col`` that the database decides (only those that are set).

    They are ``default_sql``, ``identity_always`` and ``collation``.
    """
    facts: dict[str, Any] = {}
    sql = _default_sql(col)
    if sql is not None:
        facts["default_sql"] = sql
    if col.identity is not None and col.identity.always:
        facts["identity_always"] = True
    collation = getattr(type_, "collation", None) or getattr(col.type, "collation", None)
    if isinstance(collation, str) and collation:
        facts["collation"] = collation
    return facts


def leave_identities_to_database(schema: Schema) -> Schema:
    """Mark the ``GENERATED ALWAYS AS IDENTITY`` columns no key needs as filled by the database.

    The database must number them (an insert may not give a value without overriding it), and
    nothing else needs their values. A primary key, or a column a foreign key points at, is
    numbered by syda instead (and written with ``OVERRIDING SYSTEM VALUE``, or by COPY, which
    overrides): the rows that refer to it need its values before they exist.
    """

    def left(table: Table) -> Callable[[Column], bool]:
        return lambda column: column.identity_always and column.name not in table.primary_key

    return _left_to_database(schema, left)


def leave_defaults_to_database(schema: Schema) -> Schema:
    """Mark every column with a database DEFAULT that nothing else needs as the database's.

    Such a column is left out of the rows, so the database fills it from its DEFAULT when they
    are inserted (``db_defaults=True``). A column keeps being generated when a key, a unique
    rule or a CHECK needs its values: a primary or foreign key, a column a foreign key points
    at, one in a UNIQUE set or unique index (one DEFAULT for every row would collide), one a
    CHECK or a comparison reads (syda checks every row it returns).
    """

    def left(table: Table) -> Callable[[Column], bool]:
        needed = _needed(table)
        return lambda column: column.default_sql is not None and column.name not in needed

    return _left_to_database(schema, left)


def _needed(table: Table) -> set[str]:
    """Columns whose values a key, a unique rule, a comparison or a CHECK reads."""
    from syda.schema.check_sql import CheckSqlError, read_check

    needed = {c for s in table.unique_sets for c in s}
    needed |= {c for u in table.unique_indexes for c in u.columns}
    needed |= {c for fk in table.foreign_keys for c in fk.columns}
    needed |= {c for cmp in table.comparisons for c in (cmp.left, cmp.right)}
    names = [c.name for c in table.columns]
    for check in table.checks:
        try:
            needed |= set(read_check(check.sqltext, names, check.dialect).columns)
        except CheckSqlError:
            continue
    return needed


def _left_to_database(schema: Schema, left: Callable[[Table], Callable[[Column], bool]]) -> Schema:
    """``schema`` with the columns ``left(table)`` picks and nothing points at marked generated."""
    referenced = {
        (fk.ref_table, c) for table in schema for fk in table.foreign_keys for c in fk.ref_columns
    }
    tables = []
    for table in schema:
        picks = left(table)
        columns = tuple(
            dataclasses.replace(c, generated=True)
            if not c.generated and (table.key, c.name) not in referenced and picks(c)
            else c
            for c in table.columns
        )
        tables.append(
            table if columns == table.columns else dataclasses.replace(table, columns=columns)
        )
    return Schema(tuple(tables))


def is_now_like(sql: str | None) -> bool:
    """Whether a DEFAULT gives the moment of the write (``now()``, ``CURRENT_TIMESTAMP``).

    Arithmetic (``now() + interval '30 days'``) makes it another moment, so it is not.
    """
    if not sql:
        return False
    bare = _STRING.sub(lambda m: m.group(0) if m.group(0).lower() == "'now'" else "''", sql)
    if not _NOW.search(bare):
        return False
    outside = _STRING.sub("''", sql)
    return not re.search(r"[+\-]\s*(?:interval\b|'|\d)", outside, re.IGNORECASE)


def is_sequence(sql: str | None) -> bool:
    """Whether a DEFAULT numbers the rows from a sequence (PostgreSQL ``serial``)."""
    return bool(sql) and _SEQUENCE.search(sql or "") is not None


def _default_sql(col: sa.Column[Any]) -> str | None:
    server = col.server_default
    if not isinstance(server, sa.DefaultClause):
        return None  # none, an Identity, a Computed, or a FetchedValue the database knows
    arg = server.arg
    if isinstance(arg, str):
        return "'" + arg.replace("'", "''") + "'"
    if isinstance(arg, sa.TextClause):
        return arg.text.strip() or None
    try:
        return str(arg.compile(compile_kwargs={"literal_binds": True})).strip() or None
    except (exc.SQLAlchemyError, NotImplementedError, TypeError):
        return None
