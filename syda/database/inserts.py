"""Moving rows: batched INSERTs (COPY on PostgreSQL), batched UPDATEs, sequence catch-up.

These are the primitives :mod:`syda.database.writer` runs inside its one transaction. Rows arrive
as lists of dicts already converted for the driver (:mod:`syda.database.values`).

* :func:`insert_frame` hands SQLite plain tuples through the driver's own ``executemany``
  (after the columns' SQLAlchemy bind processors, so the database stores what SQLAlchemy would
  send), several times faster than SQLAlchemy's executemany of dicts, which builds and checks
  every row in Python. The writer uses it for every chunk that holds no cycle's keys.
* :func:`insert_rows` uses ``executemany`` (SQLAlchemy's "insertmanyvalues" batches it into
  multi-row INSERTs), or ``COPY ... FROM STDIN`` row by row on PostgreSQL with psycopg (COPY also
  writes explicit values into ``GENERATED ALWAYS`` identity columns). The writer loads
  PostgreSQL column-wise instead (:mod:`syda.database.copy_text`, several times faster); the row
  path stays the reference it must match.
  DuckDB gets one statement per row (the driver's ``executemany``): it checks a foreign key
  only against earlier statements, so a multi-row INSERT refuses a row pointing at another.
* :func:`update_rows` sets values held back from the INSERT (the nullable foreign keys that close
  a cycle), one ``executemany`` per table.
* :func:`sync_sequences` moves PostgreSQL sequences past the largest key written, so the
  application's own next INSERT does not collide with a generated row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import REGCLASS
from sqlalchemy.types import TypeEngine

from syda.database.connect import quote_table
from syda.database.copy_text import copy_statement
from syda.database.values import column_values

__all__ = [
    "HeldBack",
    "insert_frame",
    "insert_rows",
    "sync_sequences",
    "tuple_rows",
    "update_rows",
]


@dataclass(frozen=True)
class HeldBack:
    """Values held back from an INSERT, set by one batched UPDATE once every row exists."""

    key: str
    match: tuple[str, ...]
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


def insert_rows(
    conn: sa.Connection, table: sa.Table, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    """Insert ``rows`` (dicts over ``columns``) into ``table``."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy(conn, table, columns, rows)
    elif conn.dialect.name == "duckdb":
        _row_by_row(conn, table, columns, rows)
    else:
        conn.execute(table.insert(), rows)


def tuple_rows(
    frame: pd.DataFrame, types: Mapping[str, TypeEngine[Any]], columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """The rows of ``frame`` as tuples over ``columns``, each value ready for the driver."""
    lists = [column_values(frame[c], types[c]) for c in columns]
    return list(zip(*lists, strict=True))


def insert_frame(
    conn: sa.Connection, table: sa.Table, columns: Sequence[str], frame: pd.DataFrame
) -> None:
    """Insert the ``columns`` of ``frame`` into ``table``: tuples by the driver on SQLite.

    On SQLite the values are made column by column (floats and text as they are, the rest by
    :mod:`syda.database.values`), passed through the columns' SQLAlchemy bind processors (so
    the database stores what SQLAlchemy would send) and handed to the driver's own
    ``executemany``: several times faster than SQLAlchemy's executemany of dicts, which builds
    and checks every row in Python. Elsewhere, or for a column whose type wraps its parameter in
    SQL (a spatial ``ST_GeomFromText(?)``, which only SQLAlchemy's compiler writes), the rows go
    through :func:`insert_rows`.
    """
    if frame.empty:
        return
    dialect = conn.dialect
    impls = [table.c[c].type.dialect_impl(dialect) for c in columns]
    wrapped = any(t.bind_expression(sa.bindparam("v")) is not None for t in impls)
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark" or wrapped:
        types = {c: table.c[c].type for c in columns}
        rows = tuple_rows(frame, types, columns)
        insert_rows(conn, table, list(columns), [dict(zip(columns, r, strict=True)) for r in rows])
        return
    lists = []
    for c, impl in zip(columns, impls, strict=True):
        values = _plain_values(frame[c], table.c[c].type)
        if values is None:
            values = column_values(frame[c], table.c[c].type)
        process = impl.bind_processor(dialect)
        lists.append(values if process is None else [process(v) for v in values])
    names = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
    target = quote_table(dialect, table.name, table.schema)
    statement = f"INSERT INTO {target} ({names}) VALUES ({', '.join(['?'] * len(columns))})"
    conn.exec_driver_sql(statement, list(zip(*lists, strict=True)))


def _plain_values(series: pd.Series, type_: TypeEngine[Any]) -> list[Any] | None:
    """Floats into a non-integer number column, text into a text one: the values as they are.

    What :func:`~syda.database.values.column_values` would make of them after SQLite's bind
    processors (a float read back from its Decimal is the float, text stays text), without a
    call per value; None for any other column.
    """
    kind = series.dtype.kind
    if isinstance(type_, sa.Numeric) and not isinstance(type_, sa.Integer) and kind == "f":
        values: list[Any] = series.tolist()
    elif isinstance(type_, sa.String) and (kind == "O" or isinstance(series.dtype, pd.StringDtype)):
        values = series.tolist()
    else:
        return None
    missing = series.isna().to_numpy(dtype=bool)
    if missing.any():
        values = [None if gone else v for v, gone in zip(values, missing, strict=True)]
    if kind != "f" and not set(map(type, values)) <= {str, type(None)}:
        return None  # JSON, dates or numbers in a text column: converted one by one
    return values


def _copy(
    conn: sa.Connection, table: sa.Table, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    from psycopg.types.json import Jsonb  # psycopg is an optional extra

    is_json = [isinstance(table.c[c].type, sa.JSON) for c in columns]
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(copy_statement(table, columns)) as copy:
        for row in rows:
            values = [row[c] for c in columns]
            for i, wrap in enumerate(is_json):
                if wrap and values[i] is not None:
                    values[i] = Jsonb(values[i])
            copy.write_row(values)


def _row_by_row(
    conn: sa.Connection, table: sa.Table, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    # DuckDB checks a foreign key against the rows of earlier statements only: one multi-row
    # INSERT refuses a row that points at an earlier row of the same INSERT (a self-reference).
    # The driver's executemany runs one statement per row.
    names = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in columns)
    marks = ", ".join("?" for _ in columns)
    target = quote_table(conn.dialect, table.name, table.schema)
    statement = f"INSERT INTO {target} ({names}) VALUES ({marks})"
    conn.exec_driver_sql(statement, [tuple(row[c] for c in columns) for row in rows])


def update_rows(conn: sa.Connection, table: sa.Table, update: HeldBack) -> None:
    """Set the held-back values of ``update`` on the rows its key columns find."""
    # Bind names are positional (k0, v0): column names may hold spaces or clash with each other.
    statement = (
        sa.update(table)
        .where(*(table.c[c] == sa.bindparam(f"k{i}") for i, c in enumerate(update.match)))
        .values({table.c[c]: sa.bindparam(f"v{i}") for i, c in enumerate(update.columns)})
    )
    params = [
        {
            **{f"k{i}": row[c] for i, c in enumerate(update.match)},
            **{f"v{i}": row[c] for i, c in enumerate(update.columns)},
        }
        for row in update.rows
    ]
    conn.execute(statement, params)


def sync_sequences(
    conn: sa.Connection,
    tables: Mapping[str, sa.Table],
    columns: Mapping[str, Sequence[str] | pd.DataFrame],
) -> None:
    """Move each sequence behind a written integer column past the column's largest value.

    ``columns`` names the columns written per table key (a frame stands for its columns).
    """
    pairs = [
        (k, str(c))
        for k, written in columns.items()
        for c in (written.columns if isinstance(written, pd.DataFrame) else written)
        if str(c) in tables[k].c and isinstance(tables[k].c[str(c)].type, sa.Integer)
    ]
    if not pairs:
        return
    # The database quotes the names (quote_ident): they travel as plain values.
    found = conn.execute(
        sa.text(
            "SELECT pg_get_serial_sequence("
            "CASE WHEN s IS NULL THEN '' ELSE quote_ident(s) || '.' END || quote_ident(t), c) "
            "FROM unnest(CAST(:ss AS text[]), CAST(:ts AS text[]), CAST(:cs AS text[])) "
            "WITH ORDINALITY AS x(s, t, c, n) ORDER BY n"
        ),
        {
            "ss": [tables[k].schema for k, _ in pairs],
            "ts": [tables[k].name for k, _ in pairs],
            "cs": [c for _, c in pairs],
        },
    ).scalars()
    for (key, column), sequence in zip(pairs, found, strict=True):
        if sequence is None:
            continue
        largest = sa.select(sa.func.max(tables[key].c[column])).scalar_subquery()
        sequence_id = sa.cast(sa.literal(sequence), REGCLASS)
        conn.execute(sa.select(sa.func.setval(sequence_id, largest)).where(largest >= 1))
