"""Moving rows: batched INSERTs (COPY on PostgreSQL), batched UPDATEs, sequence catch-up.

These are the primitives :mod:`syda.database.writer` runs inside its one transaction. Rows arrive
as lists of dicts already converted for the driver (:mod:`syda.database.values`).

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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import REGCLASS

from syda.database.connect import quote_table
from syda.database.copy_text import copy_statement

__all__ = ["HeldBack", "insert_rows", "sync_sequences", "update_rows"]


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
    conn: sa.Connection, tables: Mapping[str, sa.Table], frames: Mapping[str, pd.DataFrame]
) -> None:
    """Move each sequence behind a written integer column past the column's largest value."""
    pairs = [
        (k, str(c))
        for k, frame in frames.items()
        for c in frame.columns
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
