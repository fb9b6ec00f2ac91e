"""The reverse adapter: a :class:`~syda.schema.ir.Schema` becomes a fresh SQLAlchemy ``MetaData``.

The planner sorts these tables (``sort_tables_and_constraints`` returns the foreign keys that
close a cycle), and tests create them in SQLite or PostgreSQL so the database itself judges the
generated rows. So the DDL enforces every fact the IR holds that SQL can say: types with their
length/precision/scale, NOT NULL, keys, UNIQUE, foreign keys (deferrable flags kept), the original
CHECK constraints, and *derived* checks for bounds, allowed values and column comparisons that no
original check states (e.g. from a dict schema's ``min``/``enum``).

What SQL cannot carry (the kind ``unknown``, a semantic type, a pattern) travels in
``Column.info["syda"]``, and derived checks are marked in their ``info``, so that
``from_metadata(to_metadata(schema))`` gives back the same tables. Foreign keys to tables outside
the schema (``external_references``) have no target here and are left out.

Every foreign key also gets an index on its columns unless an index the table has anyway (the
primary key, a UNIQUE constraint, another foreign key's index) already starts with them, as a
user's migrations would: without it, deleting a parent row scans the whole child table, so
emptying two related tables of a million rows takes hours. These indexes are marked
:data:`FK_INDEX` in their ``info`` and, being non-unique, change nothing the IR reads back.

The uniques no column set says (:class:`~syda.schema.ir.UniqueIndex`: partial, over
expressions, NULLS NOT DISTINCT) become unique indexes too, created where the database can hold
them as written: in PostgreSQL and SQLite (partial and expression indexes; NULLS NOT DISTINCT in
PostgreSQL only), when the rule's SQL is in that database's dialect or in none (a dict schema's).
MySQL and MariaDB have no partial indexes and MariaDB no expression indexes, and another
dialect's SQL may not read: such a rule is left out of the DDL, and generation still keeps it.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.types import TypeEngine

from syda.errors import SchemaError
from syda.schema.checks import fold_checks
from syda.schema.from_sqlalchemy import DERIVED_CHECK, SYDA_INFO_KEY
from syda.schema.ir import COMPARISON_OPERATORS, Column, Schema, Table, UniqueIndex

__all__ = ["FK_INDEX", "to_metadata"]

FK_INDEX = "foreign key index"
"""``Index.info["syda"]`` of the indexes made for foreign keys (MySQL makes its own)."""
_MAX_NAME = 60
"""Index names longer than this are cut and end with a hash (PostgreSQL allows 63 bytes)."""

_OPERATORS = COMPARISON_OPERATORS
_BOUNDED = frozenset({"integer", "float", "decimal", "date", "datetime"})


def to_metadata(schema: Schema, metadata: sa.MetaData | None = None) -> sa.MetaData:
    """Build SQLAlchemy ``Table`` objects for every table of ``schema``.

    Args:
        schema: The schema to render.
        metadata: The ``MetaData`` to add the tables to (default: a new one).

    Returns:
        The ``MetaData`` holding one table per schema table, in the schema's order.

    Raises:
        SchemaError: If two tables would get the same SQL name in the same database schema.
    """
    metadata = metadata if metadata is not None else sa.MetaData()
    problems: list[str] = []
    tables: dict[str, sa.Table] = {}
    for table in schema:
        try:
            tables[table.key] = _table(table, metadata)
        except exc.InvalidRequestError as error:
            problems.append(f"{table.key}: cannot define table {table.name!r}: {error}")
    if problems:
        raise SchemaError(problems)
    for table in schema:
        for fk in table.foreign_keys:
            if fk.ref_table not in tables:
                continue  # an external parent: nothing in this MetaData to point at
            target = tables[fk.ref_table]
            tables[table.key].append_constraint(
                sa.ForeignKeyConstraint(
                    list(fk.columns),
                    [target.c[c] for c in fk.ref_columns],
                    name=fk.name,
                    deferrable=True if fk.deferrable else None,
                    initially="DEFERRED" if fk.initially_deferred else None,
                )
            )
        _index_foreign_keys(table, tables[table.key])
    return metadata


def _index_foreign_keys(table: Table, result: sa.Table) -> None:
    """Index each foreign key's columns that no index of the table already leads with."""
    leading = list(table.unique_sets)
    keys = {tuple(c.name for c in fkc.columns) for fkc in result.foreign_key_constraints}
    # Longest first: an index on (a, b) serves a foreign key on (a) too.
    for columns in sorted(keys, key=lambda cols: (-len(cols), cols)):
        if any(set(have[: len(columns)]) == set(columns) for have in leading):
            continue
        leading.append(columns)
        name = _index_name(table.name, columns)
        sa.Index(name, *(result.c[c] for c in columns), info={SYDA_INFO_KEY: FK_INDEX})


# The databases that create a rule's index, by what the rule needs, and their dialect names.
_PARTIAL_OR_EXPRESSION = frozenset({"postgresql", "sqlite"})
_SAME_SQL = {"postgresql": "postgresql", "postgres": "postgresql", "sqlite": "sqlite"}


def _unique_index(table: Table, rule: UniqueIndex, result: sa.Table) -> None:
    """A unique index for ``rule``, emitted only where the database can create it."""
    names = set(result.c.keys())
    plain = all(e in names for e in rule.expressions) and rule.where is None
    if plain and rule.nulls_distinct:
        return  # a plain set (a MySQL prefix rule): its UNIQUE constraint is there already
    targets = {"postgresql"} if plain else set(_PARTIAL_OR_EXPRESSION)
    if rule.dialect is not None:
        targets &= {_SAME_SQL.get(rule.dialect, rule.dialect)}
    if not targets:
        return
    elements = [result.c[e] if e in names else sa.text(e) for e in rule.expressions]
    where = sa.text(rule.where) if rule.where else None
    options: dict[str, Any] = {"postgresql_where": where, "sqlite_where": where}
    if not rule.nulls_distinct:
        options["postgresql_nulls_not_distinct"] = True
    name = rule.name or _index_name(table.name, ("uq", *rule.columns))
    index = sa.Index(name, *elements, unique=True, _table=result, **options)
    index.ddl_if(callable_=lambda *_, dialect, **__: dialect.name in targets)


def _index_name(table: str, columns: tuple[str, ...]) -> str:
    """``ix_<table>_<columns>``, cut to a length every database accepts (bytes, not characters)."""
    name = "_".join(("ix", table, *columns))
    if len(name.encode()) <= _MAX_NAME:
        return name
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:8]
    head = name
    while len(head.encode()) > _MAX_NAME - 9:
        head = head[:-1]
    return f"{head}_{digest}"


def _table(table: Table, metadata: sa.MetaData) -> sa.Table:
    columns = [
        sa.Column(
            col.name,
            _sql_type(col),
            # syda leaves generated columns empty, and the IR has no expression to compute them.
            nullable=col.nullable or col.generated,
            comment=col.comment,
            unique=True if col.unique and table.primary_key != (col.name,) else None,
            autoincrement=col.autoincrement if table.primary_key == (col.name,) else "auto",
            info={**col.info, SYDA_INFO_KEY: _info(col)},
        )
        for col in table.columns
    ]
    result = sa.Table(
        table.name,
        metadata,
        *columns,
        comment=table.description,
        schema=table.schema,
        info={
            **table.info,
            SYDA_INFO_KEY: {**(table.info.get(SYDA_INFO_KEY) or {}), "key": table.key},
        },
    )
    if table.primary_key:
        result.append_constraint(sa.PrimaryKeyConstraint(*table.primary_key))
    for uc in table.unique_constraints:
        result.append_constraint(sa.UniqueConstraint(*uc.columns, name=uc.name))
    for check in table.checks:
        result.append_constraint(sa.CheckConstraint(check.sqltext, name=check.name))
    for rule in table.unique_indexes:
        _unique_index(table, rule, result)
    for expression in _derived_checks(table, result):
        result.append_constraint(
            sa.CheckConstraint(expression, info={SYDA_INFO_KEY: DERIVED_CHECK})
        )
    return result


def _sql_type(col: Column) -> TypeEngine[Any]:
    kind = col.kind
    if kind == "integer":
        hint = (col.sql_type or "").upper()
        low, high = col.type_range or (None, None)
        if low is not None and high is not None and -(2**15) <= low and high < 2**15:
            return sa.SmallInteger()
        return sa.BigInteger() if "BIGINT" in hint or "INT8" in hint else sa.Integer()
    if kind == "decimal":
        return sa.Numeric(col.precision, col.scale)
    if kind == "string":
        return sa.String(col.length)
    if kind == "binary":
        return sa.LargeBinary(col.length)
    if kind in ("datetime", "time"):
        return sa.DateTime(timezone=col.timezone) if kind == "datetime" else sa.Time(col.timezone)
    simple: dict[str, TypeEngine[Any]] = {
        "float": sa.Float(),
        "text": sa.Text(),
        "boolean": sa.Boolean(),
        "date": sa.Date(),
        "uuid": sa.Uuid(),
        "json": sa.JSON(),
    }
    # An unknown type is stored as text: whatever its generator makes, a string can hold it.
    return simple.get(kind, sa.Text())


def _info(col: Column) -> dict[str, Any]:
    """The facts the SQL type cannot carry, for from_sqlalchemy to read back."""
    facts: dict[str, Any] = dict(col.info.get(SYDA_INFO_KEY) or {})
    if col.kind == "unknown":
        facts["kind"] = "unknown"
    for name in ("semantic", "pattern", "minimum", "maximum", "choices"):
        value = getattr(col, name)
        if value is not None:
            facts[name] = value
    if col.generated:
        facts["generated"] = True
    if col.has_default:
        facts["has_default"] = True
    return facts


def _derived_checks(table: Table, result: sa.Table) -> list[Any]:
    """Checks for the bounds, choices and comparisons that no original check states."""
    bare = [
        replace(c, minimum=None, maximum=None, choices=None, pattern=None) for c in table.columns
    ]
    implied = fold_checks(bare, [(c.sqltext, c.name) for c in table.checks])
    said = {c.name: c for c in implied.columns}
    derived: list[Any] = []
    for col in table.columns:
        column, known = result.c[col.name], said[col.name]
        if col.kind in _BOUNDED:
            # A bound that is the type's range (a SMALLINT's 32767) needs no CHECK.
            stored = col.type_range or (None, None)
            if col.minimum not in (None, known.minimum, stored[0]):
                derived.append(column >= _literal(col, col.minimum))
            if col.maximum not in (None, known.maximum, stored[1]):
                derived.append(column <= _literal(col, col.maximum))
        if col.choices and col.kind != "boolean" and col.choices != known.choices:
            derived.append(column.in_(list(col.choices)))
    for cmp in table.comparisons:
        if cmp not in implied.comparisons:
            derived.append(_OPERATORS[cmp.op](result.c[cmp.left], result.c[cmp.right]))
    return derived


def _literal(col: Column, bound: float) -> Any:
    if col.kind == "date":
        return date.fromordinal(int(bound))
    if col.kind == "datetime":
        whole = math.floor(bound)
        return datetime.fromordinal(whole) + timedelta(days=bound - whole)
    if col.kind == "integer" and bound == int(bound):
        return int(bound)
    return bound
