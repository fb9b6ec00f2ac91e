"""Insert syda's frames into a real database, in one transaction, and let the database judge.

The database enforces every constraint itself (PRIMARY KEY, UNIQUE, CHECK, NOT NULL, FOREIGN KEY;
lengths, precision and enum values too on PostgreSQL), so a successful :func:`load_frames` is the
acceptance verdict of DESIGN.md invariant 3. Tables are inserted parents first, in the order of
``sort_tables_and_constraints`` (which, unlike ``MetaData.sorted_tables``, returns the foreign
keys that close a cycle instead of warning about them). When there are such foreign keys their
checks are deferred to COMMIT: ``PRAGMA defer_foreign_keys`` on SQLite, ``SET CONSTRAINTS ALL
DEFERRED`` on PostgreSQL (which needs the constraints to be DEFERRABLE).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import (
    Date,
    DateTime,
    ForeignKeyConstraint,
    MetaData,
    Table,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.schema import sort_tables_and_constraints

__all__ = [
    "create_schema",
    "foreign_key_violations",
    "load_frames",
    "row_counts",
    "tables_by_key",
]


def tables_by_key(source: MetaData | Iterable[type[DeclarativeBase]]) -> dict[str, Table]:
    """Map each key syda uses for a table to the table.

    Models are keyed by class name, the tables of a ``MetaData`` by table name.
    """
    if isinstance(source, MetaData):
        return {table.name: table for table in source.tables.values()}
    return {model.__name__: model.__table__ for model in source}  # type: ignore[misc]


def create_schema(engine: Engine, metadata: MetaData) -> None:
    """Create every table of ``metadata`` in the (empty) database of ``engine``.

    The tables are created from a copy of ``metadata``: on a database with ALTER, SQLAlchemy
    creates a ``use_alter`` foreign key with ``AddConstraint``, which marks the constraint object
    itself "not inline" for good, so a later SQLite ``create_all`` of the same models (SQLite has
    no ALTER ... ADD CONSTRAINT) would silently create the table without that foreign key.
    """
    fresh = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(fresh)
    fresh.create_all(engine)


def load_frames(
    engine: Engine, tables: Mapping[str, Table], frames: Mapping[str, pd.DataFrame]
) -> None:
    """Insert every frame into its table in one transaction, parents before children.

    The foreign keys that close a cycle are written the way a careful sink would: nullable ones
    as NULL first and set by an UPDATE once every row exists, NOT NULL ones with their checks
    deferred to COMMIT.

    Raises:
        AssertionError: If the frames are not exactly one per table.
        sqlalchemy.exc.DBAPIError: If the database rejects a row (the verdict of the test).
    """
    assert set(frames) == set(tables), (
        f"frames {sorted(frames)} do not match the tables {sorted(tables)}"
    )
    key_of = {table: key for key, table in tables.items()}
    nullable = [
        fk
        for fk in _cycle_foreign_keys(tables.values())
        if all(column.nullable for column in fk.columns)
    ]
    not_null = _cycle_foreign_keys(tables.values(), ignoring=nullable)
    ordered = sort_tables_and_constraints(  # type: ignore[no-untyped-call]
        tables.values(), filter_fn=lambda fk: True if fk in nullable + not_null else None
    )
    set_later: dict[Table, list[str]] = {}
    for fk in nullable:
        set_later.setdefault(fk.table, []).extend(column.name for column in fk.columns)
    with engine.begin() as connection:
        if not_null:
            _defer_foreign_keys(connection)
        for table, _ in ordered:
            if table is None:
                continue
            rows = _records(frames[key_of[table]], table)
            later = set_later.get(table, [])
            if rows:
                connection.execute(
                    table.insert(), [{**row, **dict.fromkeys(later)} for row in rows]
                )
        for table, columns in set_later.items():
            _set_columns(connection, table, columns, _records(frames[key_of[table]], table))


def foreign_key_violations(engine: Engine) -> list[tuple[Any, ...]]:
    """Return the rows of ``PRAGMA foreign_key_check`` (SQLite); empty elsewhere.

    PostgreSQL checks every foreign key by COMMIT at the latest, so it needs no second look.
    """
    if engine.dialect.name != "sqlite":
        return []
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check")]


def row_counts(engine: Engine, tables: Mapping[str, Table]) -> dict[str, int]:
    """Count the rows of every table in the database, by table key."""
    with engine.connect() as connection:
        return {
            key: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for key, table in tables.items()
        }


def _cycle_foreign_keys(
    tables: Iterable[Table], ignoring: Iterable[ForeignKeyConstraint] = ()
) -> list[ForeignKeyConstraint]:
    """The foreign keys that lie on a cycle between tables (self-references excluded).

    ``sort_tables_and_constraints`` alone, when it meets a cycle that no ``use_alter`` breaks
    (a reflected schema), sets aside *every* foreign key of the tables in the cycle, including
    keys to tables outside it and the NOT NULL key that a nullable one could have made safe.
    """
    tables = list(tables)
    ignored = set(ignoring)
    parents = {
        table: {fk.referred_table for fk in table.foreign_key_constraints if fk not in ignored}
        - {table}
        for table in tables
    }

    def reaches(start: Table, goal: Table) -> bool:
        seen, todo = set(), [start]
        while todo:
            table = todo.pop()
            if table is goal:
                return True
            if table not in seen:
                seen.add(table)
                todo.extend(parents.get(table, ()))
        return False

    return [
        fk
        for table in tables
        for fk in table.foreign_key_constraints
        if fk not in ignored
        and fk.referred_table is not table
        and reaches(fk.referred_table, table)
    ]


def _defer_foreign_keys(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        raise NotImplementedError(f"no deferred foreign keys on {connection.dialect.name}")


def _set_columns(
    connection: Connection, table: Table, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    key = [column.name for column in table.primary_key.columns]
    assert key, f"{table.name}: a table in a nullable cycle needs a primary key to be updated"
    statement = (
        update(table)
        .where(*(table.c[name] == bindparam(f"key_{name}") for name in key))
        .values({name: bindparam(f"new_{name}") for name in columns})
    )
    params = [
        {**{f"key_{n}": row[n] for n in key}, **{f"new_{n}": row.get(n) for n in columns}}
        for row in rows
        if any(row.get(n) is not None for n in columns)
    ]
    if params:
        connection.execute(statement, params)


def _records(frame: pd.DataFrame, table: Table) -> list[dict[str, Any]]:
    unknown = [name for name in frame.columns if name not in table.columns]
    assert not unknown, f"{table.name}: the frame has columns the table lacks: {unknown}"
    date_only = {
        column.name
        for column in table.columns
        if isinstance(column.type, Date) and not isinstance(column.type, DateTime)
    }
    return [
        {str(name): _python_value(value, name in date_only) for name, value in row.items()}
        for row in frame.to_dict("records")
    ]


def _python_value(value: Any, date_only: bool) -> Any:
    """Turn a pandas/numpy cell into what a DB-API driver expects (NA becomes NULL)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    elif isinstance(value, np.generic):
        value = value.item()
    if date_only and isinstance(value, datetime.datetime):
        value = value.date()
    return value
