"""What a development database holds: each table's rows, NULL shares and date ranges.

:func:`database_status` answers for a database that does not exist yet as well: a SQLite file
that is not there, or a PostgreSQL/MySQL database not created, has every table absent, and
looking creates nothing. That is the state an application's first start-up finds.

The statistics cost one aggregate query per table (``count(*)``, ``count(column)`` and
``min``/``max`` of the date columns), the scan a row count makes anyway.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from syda.database.connect import connected, missing_sqlite_file, reported
from syda.database.reflect_partitions import inheritance_parents, only
from syda.database.tables import in_db_schema, reflect_tables
from syda.schema.ir import Schema

__all__ = ["DatabaseStatus", "TableStatus", "table_names", "table_status"]

# The reflected types whose min/max tell when a table's events happened.
_DATE_TYPES = (sa.Date, sa.DateTime)


@dataclass(frozen=True)
class TableStatus:
    """One present table: its rows, the share of NULLs per column, the range of each date."""

    rows: int
    null_shares: dict[str, float] = field(default_factory=dict)
    """Share of rows with a NULL, per column (every column; empty for an empty table)."""
    date_ranges: dict[str, tuple[dt.date, dt.date]] = field(default_factory=dict)
    """(earliest, latest) per date or timestamp column that holds a value."""


class DatabaseStatus(dict[str, "int | None"]):
    """Rows per table key (None: the database lacks the table), with statistics beside.

    It is a plain ``dict`` of row counts, so ``status["users"] == 100`` reads as before;
    ``exists`` and ``tables`` say more.
    """

    exists: bool
    """False when the database itself is not there yet (no SQLite file, no such database)."""
    tables: dict[str, TableStatus]
    """Statistics of each present table, by key."""

    def __init__(
        self,
        counts: Mapping[str, int | None],
        *,
        exists: bool = True,
        tables: Mapping[str, TableStatus] | None = None,
    ) -> None:
        super().__init__(counts)
        self.exists = exists
        self.tables = dict(tables or {})


def table_status(
    schema: Schema, target: str | sa.URL | sa.Engine, *, db_schema: str | None = None
) -> DatabaseStatus:
    """Rows and statistics of each of ``schema``'s tables in the database at ``target``.

    Raises:
        ConfigurationError: If ``target`` is not a database URL.
        OutputError: If the database cannot be read (a database that does not exist is not an
            error: every table is absent).
    """
    targets = in_db_schema(schema, db_schema)
    absent = DatabaseStatus(dict.fromkeys(targets.keys), exists=False)
    if missing_sqlite_file(target) is not None:
        return absent
    with connected(target) as engine, reported(engine, "reading the status of") as step:
        conn = _connect(engine)
        if conn is None:
            return absent
        with conn:
            tables = reflect_tables(conn, targets)
            parents = inheritance_parents(conn, tables)
            found: dict[str, TableStatus] = {}
            for key, table in tables.items():
                step.table = key
                found[key] = _statistics(conn, table, key in parents)
    counts = {t.key: (found[t.key].rows if t.key in found else None) for t in targets}
    return DatabaseStatus(counts, tables=found)


def table_names(target: str | sa.URL | sa.Engine, db_schema: str | None) -> list[str] | None:
    """The tables of the database (None: the database itself does not exist; none is made).

    Raises:
        ConfigurationError: If ``target`` is not a database URL.
        OutputError: If the database cannot be read.
    """
    if missing_sqlite_file(target) is not None:
        return None
    with connected(target) as engine, reported(engine, "listing the tables of"):
        conn = _connect(engine)
        if conn is None:
            return None
        with conn:
            return sa.inspect(conn).get_table_names(schema=db_schema)


def _connect(engine: sa.Engine) -> sa.Connection | None:
    """A connection, or None when the server has no such database (nothing is created)."""
    try:
        return engine.connect()
    except sa.exc.OperationalError as error:
        if _no_such_database(error):
            return None
        raise


# PostgreSQL refuses the connection before any SQLSTATE exists: only its text says why.
_NO_PG_DATABASE = re.compile(r'database "[^"]*" does not exist')


def _no_such_database(error: sa.exc.OperationalError) -> bool:
    orig = error.orig
    # PostgreSQL: SQLSTATE 3D000 (invalid_catalog_name); MySQL/MariaDB: ER_BAD_DB_ERROR 1049.
    if getattr(orig, "sqlstate", None) == "3D000" or _NO_PG_DATABASE.search(str(orig)):
        return True
    args: tuple[Any, ...] = tuple(getattr(orig, "args", ()))
    return bool(args) and args[0] == 1049


def _statistics(conn: sa.Connection, table: sa.Table, is_parent: bool) -> TableStatus:
    columns = list(table.columns)
    dates = [c for c in columns if isinstance(c.type, _DATE_TYPES)]
    selected: list[Any] = [sa.func.count().label("rows")]
    selected += [sa.func.count(c).label(f"n{i}") for i, c in enumerate(columns)]
    for i, c in enumerate(dates):
        selected += [sa.func.min(c).label(f"lo{i}"), sa.func.max(c).label(f"hi{i}")]
    query = sa.select(*selected).select_from(table)
    row = conn.execute(only(query, table) if is_parent else query).one()._mapping
    rows = int(row["rows"])
    if rows == 0:
        return TableStatus(rows=0)
    # Exact shares: one NULL in a million rows is still a NULL (rounding would hide it).
    nulls = {c.name: (rows - int(row[f"n{i}"])) / rows for i, c in enumerate(columns)}
    ranges = {
        c.name: (row[f"lo{i}"], row[f"hi{i}"])
        for i, c in enumerate(dates)
        if row[f"lo{i}"] is not None
    }
    return TableStatus(rows=rows, null_shares=nulls, date_ranges=ranges)
