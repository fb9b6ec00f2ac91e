"""Writing a dataset into a database: every table in ONE transaction, all rows or none.

:func:`write_database` maps the schema's tables onto the target's real tables (reflected, or
created from the schema when asked), then, in one transaction: checks the mode, empties the tables
for ``replace``, inserts every table parents first in batches, sets the nullable keys that close
cycles by UPDATE, has the database check what it deferred, and commits. Any error rolls the whole
transaction back, so the target is left exactly as it was; it is raised as
:class:`~syda.errors.OutputError` naming the table.

Per database:

* Inserts are batches of ``chunk_size`` rows: ``executemany``, or ``COPY`` on PostgreSQL
  (see :mod:`syda.database.inserts`).
* ``replace`` empties the tables with one transactional ``TRUNCATE`` on PostgreSQL (it handles
  cycles), and elsewhere with ``DELETE`` children first (``TRUNCATE`` would commit on MySQL).
* PostgreSQL sequences behind written key columns are moved past the largest key, so the
  application's next ``INSERT`` does not collide with a syda row (MySQL and SQLite do this
  themselves).
* MySQL/MariaDB cannot create tables inside a transaction (DDL commits), so missing tables are
  created first and dropped again if the write fails.

NOT NULL cycles are handled per database as :mod:`syda.database.cycles` describes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import exc

from syda.database.connect import connected, describe, error_text, quote_table
from syda.database.cycles import CycleStrategy, insert_in_one_statement
from syda.database.inserts import HeldBack, insert_rows, sync_sequences, update_rows
from syda.database.order import WriteOrder, row_key, write_order
from syda.database.tables import count_in, create_missing, drop_created, reflect_tables
from syda.database.values import records
from syda.errors import ConfigurationError, OutputError
from syda.schema.ir import Schema, Table

__all__ = ["Mode", "WriteReport", "count_rows", "read_existing", "write_database"]

Mode = Literal["fail", "append", "replace"]
_MODES = ("fail", "append", "replace")
_TRANSACTIONAL_DDL = ("sqlite", "postgresql")


@dataclass(frozen=True)
class WriteReport:
    """What :func:`write_database` did."""

    tables: dict[str, int]
    """Rows inserted per table key."""
    seconds: float
    """Wall time of the whole write, COMMIT included."""
    strategy: str
    """How foreign keys that close cycles were written (``"no cycles"`` when there are none)."""


def write_database(
    schema: Schema,
    frames: Mapping[str, pd.DataFrame],
    target: str | sa.URL | sa.Engine,
    *,
    mode: Mode = "fail",
    create_tables: bool = False,
    db_schema: str | None = None,
    chunk_size: int = 5000,
) -> WriteReport:
    """Insert ``frames`` into the database at ``target`` in one transaction.

    Args:
        schema: The schema the frames were generated from.
        frames: Rows per table key (or SQL table name); tables without a frame get no rows.
        target: A database URL or an ``Engine`` (left open; a URL's engine is disposed of).
        mode: ``"fail"``: refuse if any of the schema's tables has rows; ``"append"``: add to
            the rows there (keys must not collide, see :func:`read_existing`); ``"replace"``:
            delete every row of the schema's tables first, in the same transaction.
        create_tables: Create the tables that do not exist yet, from the schema.
        db_schema: The database schema (namespace) to write into, instead of each table's own.
        chunk_size: Rows per INSERT batch.

    Returns:
        Rows inserted per table, the time taken, and how cycles were handled.

    Raises:
        ConfigurationError: If ``mode`` or ``chunk_size`` is invalid.
        OutputError: If a table is missing (and ``create_tables`` is off), ``mode="fail"`` finds
            rows, a frame has columns its table lacks, a cycle cannot be written on this
            database, or the database rejects anything; nothing is written then.
    """
    if mode not in _MODES:
        raise ConfigurationError(f"mode must be one of {', '.join(_MODES)}, not {mode!r}")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ConfigurationError(f"chunk_size must be a positive integer, not {chunk_size!r}")
    targets = _in_db_schema(schema, db_schema)
    by_key = _frames_by_key(targets, frames)
    started = time.perf_counter()
    rolled_back = " (the transaction was rolled back: nothing was written)"
    with connected(target) as engine, _reported(engine, "writing into", rolled_back) as step:
        written, strategy = _write(engine, targets, by_key, mode, create_tables, chunk_size, step)
    return WriteReport(written, time.perf_counter() - started, strategy)


def count_rows(
    schema: Schema, target: str | sa.URL | sa.Engine, *, db_schema: str | None = None
) -> dict[str, int | None]:
    """Count the rows of each of ``schema``'s tables in the database (None: no such table).

    Raises:
        OutputError: If the database cannot be read.
    """
    targets = _in_db_schema(schema, db_schema)
    with connected(target) as engine, _reported(engine, "counting rows in") as step:
        with engine.connect() as conn:
            tables = reflect_tables(conn, targets)
            counts = count_in(conn, tables, step)
    return {t.key: counts.get(t.key) for t in targets}


def read_existing(
    schema: Schema, target: str | sa.URL | sa.Engine, *, db_schema: str | None = None
) -> dict[str, pd.DataFrame]:
    """The rows already in the database that new rows must fit with (for ``mode="append"``).

    Per table key, a DataFrame of the existing rows restricted to the columns that matter to new
    rows: the primary key (to continue sequences), every column of a UNIQUE set (to avoid
    collisions) and every column another table's foreign key points at (so new children may
    point at existing parents). An absent table gives an empty frame with those columns.

    Raises:
        OutputError: If the database cannot be read.
    """
    targets = _in_db_schema(schema, db_schema)
    wanted = {t.key: _key_columns(targets, t) for t in targets}
    out: dict[str, pd.DataFrame] = {}
    with connected(target) as engine, _reported(engine, "reading") as step:
        with engine.connect() as conn:
            tables = reflect_tables(conn, targets)
            for key, columns in wanted.items():
                step.table = key
                table = tables.get(key)
                present = [c for c in columns if table is not None and c in table.c]
                if table is None or not present:
                    out[key] = pd.DataFrame(columns=list(columns))
                    continue
                result = conn.execute(sa.select(*(table.c[c] for c in present)))
                out[key] = pd.DataFrame(result.fetchall(), columns=present)
    return out


# -- internals --------------------------------------------------------------------------------


@dataclass
class _Step:
    """Where a write is, so an error can say which table it is about."""

    table: str | None = None
    action: str = ""


@contextmanager
def _reported(engine: sa.Engine, doing: str, note: str = "") -> Iterator[_Step]:
    """Turn database errors into one :class:`OutputError` naming the step and its table."""
    step = _Step()
    caught: tuple[type[BaseException], ...] = (exc.SQLAlchemyError, *_driver_errors(engine))
    try:
        yield step
    except OutputError:
        raise
    except caught as error:
        where = f" while {step.action}" if step.action else ""
        raise OutputError(
            f"{doing} {describe(engine)} failed{where}: {error_text(error)}{note}",
            table=step.table,
        ) from error


def _driver_errors(engine: sa.Engine) -> tuple[type[BaseException], ...]:
    # COPY runs on the driver's own cursor, whose errors SQLAlchemy does not wrap.
    error = getattr(engine.dialect.loaded_dbapi, "Error", None)
    return (error,) if isinstance(error, type) and issubclass(error, BaseException) else ()


def _in_db_schema(schema: Schema, db_schema: str | None) -> Schema:
    if db_schema is None:
        return schema
    return Schema(tuple(replace(t, schema=db_schema) for t in schema))


def _frames_by_key(schema: Schema, frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    unknown: list[str] = []
    for name, frame in frames.items():
        try:
            out[schema.table(name).key] = frame
        except KeyError:
            unknown.append(name)
    if unknown:
        raise OutputError(
            f"frames for tables that are not in the schema: {', '.join(map(repr, unknown))}"
        )
    return out


def _key_columns(schema: Schema, table: Table) -> tuple[str, ...]:
    columns = [c for s in table.unique_sets for c in s]
    for other in schema:
        for fk in other.foreign_keys:
            if fk.ref_table == table.key:
                columns.extend(fk.ref_columns)
    return tuple(c for c in dict.fromkeys(columns) if table.has_column(c))


def _write(
    engine: sa.Engine,
    schema: Schema,
    frames: Mapping[str, pd.DataFrame],
    mode: Mode,
    create_tables: bool,
    chunk_size: int,
    step: _Step,
) -> tuple[dict[str, int], str]:
    order = write_order(schema)
    dialect = engine.dialect.name
    created: list[sa.Table] = []
    with engine.connect() as conn:
        step.action = "reading the target's tables"
        tables = reflect_tables(conn, schema)
        conn.rollback()
        missing = [k for k in order.order if k not in tables]
        if missing and not create_tables:
            raise OutputError(
                f"{describe(engine)} has no table(s) {', '.join(missing)}: create them first, "
                "or pass create_tables=True to create them from the schema (nothing was written)"
            )
        try:
            if missing and dialect not in _TRANSACTIONAL_DDL:
                step.action = "creating the missing tables"
                with conn.begin():
                    created = create_missing(conn, schema, order, missing)
                tables.update({k: t for k, t in zip(missing, created, strict=True)})
            with conn.begin():
                if dialect == "sqlite":
                    _begin_sqlite(conn)
                if missing and dialect in _TRANSACTIONAL_DDL:
                    step.action = "creating the missing tables"
                    made = create_missing(conn, schema, order, missing)
                    tables.update({k: t for k, t in zip(missing, made, strict=True)})
                strategy = CycleStrategy(dialect, order, tables)
                strategy.begin(conn)
                if mode == "fail":
                    _refuse_rows(conn, engine, tables, step)
                elif mode == "replace":
                    _empty(conn, schema, order, tables, strategy, step)
                written = _insert_all(
                    conn, schema, order, tables, frames, strategy, chunk_size, step
                )
                step.table, step.action = None, "checking the foreign keys of the cycles"
                strategy.finish(conn, {k: tables[k] for k in frames})
                if dialect == "postgresql":
                    step.action = "moving sequences past the written keys"
                    sync_sequences(conn, tables, frames)
                step.action = "committing"
        except BaseException:
            if created:
                drop_created(conn, created)
            raise
    return written, strategy.describe()


def _begin_sqlite(conn: sa.Connection) -> None:
    # pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so CREATE TABLE and
    # PRAGMA defer_foreign_keys would run outside it; an explicit BEGIN puts everything inside.
    if not conn.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
        conn.exec_driver_sql("BEGIN")


def _refuse_rows(
    conn: sa.Connection, engine: sa.Engine, tables: Mapping[str, sa.Table], step: _Step
) -> None:
    step.action = "counting existing rows"
    filled = {k: n for k, n in count_in(conn, tables, step).items() if n}
    if filled:
        listed = ", ".join(f"{k} ({n} rows)" for k, n in filled.items())
        raise OutputError(
            f"{describe(engine)} already has rows in {listed}: pass mode='append' to add to them "
            "or mode='replace' to replace them (nothing was written)",
            table=next(iter(filled)) if len(filled) == 1 else None,
        )


def _empty(
    conn: sa.Connection,
    schema: Schema,
    order: WriteOrder,
    tables: Mapping[str, sa.Table],
    strategy: CycleStrategy,
    step: _Step,
) -> None:
    present = [k for k in reversed(order.order) if k in tables]
    if not present:
        return
    if conn.dialect.name == "postgresql":
        step.action = "emptying the tables (TRUNCATE)"
        names = ", ".join(
            quote_table(conn.dialect, tables[k].name, tables[k].schema) for k in present
        )
        conn.exec_driver_sql(f"TRUNCATE {names}")
        return
    # Children are deleted first; a nullable key that closes a cycle is cleared beforehand (its
    # parent may come first), and NOT NULL cycles rely on the strategy's deferred checks.
    for ck in strategy.later:
        step.table, step.action = ck.table, "clearing a cycle's keys before deleting"
        table = tables[ck.table]
        conn.execute(sa.update(table).values(dict.fromkeys(ck.fk.columns)))
    for key in present:
        step.table, step.action = key, "deleting the existing rows"
        with strategy.checks_off(conn, key):
            conn.execute(sa.delete(tables[key]))
    strategy.verify_deleted(conn, {k: tables[k] for k in present})


def _insert_all(
    conn: sa.Connection,
    schema: Schema,
    order: WriteOrder,
    tables: Mapping[str, sa.Table],
    frames: Mapping[str, pd.DataFrame],
    strategy: CycleStrategy,
    chunk_size: int,
    step: _Step,
) -> dict[str, int]:
    later: dict[str, list[str]] = {}
    for ck in strategy.later:
        later.setdefault(ck.table, []).extend(ck.fk.columns)
    written: dict[str, int] = {}
    updates: list[HeldBack] = []
    for key in order.order:
        if key not in frames or key in written:
            continue
        together = strategy.in_one_statement(key)
        if together is not None:
            members = [k for k in order.order if k in together and k in frames]
            step.table, step.action = ", ".join(members), "inserting a cycle in one statement"
            parts = []
            for member in members:
                table, frame = tables[member], frames[member]
                columns = _columns(schema.table(member), table, frame)
                rows = records(frame, {c: table.c[c].type for c in columns}, columns)
                _hold_back(rows, later.get(member, []), updates, schema.table(member))
                parts.append((table, columns, rows))
                written[member] = len(rows)
            insert_in_one_statement(conn, parts)
            continue
        step.table, step.action = key, "inserting rows"
        table, frame = tables[key], frames[key]
        columns = _columns(schema.table(key), table, frame)
        types = {c: table.c[c].type for c in columns}
        with strategy.checks_off(conn, key):
            for start in range(0, len(frame), chunk_size):
                rows = records(frame.iloc[start : start + chunk_size], types, columns)
                _hold_back(rows, later.get(key, []), updates, schema.table(key))
                insert_rows(conn, table, columns, rows)
        written[key] = len(frame)
    for update in updates:
        step.table, step.action = update.key, "setting the keys that close a cycle (UPDATE)"
        update_rows(conn, tables[update.key], update)
    return written


def _columns(ir: Table, table: sa.Table, frame: pd.DataFrame) -> list[str]:
    names = [str(c) for c in frame.columns]
    unknown = [c for c in names if c not in table.c]
    if unknown:
        raise OutputError(
            f"the frame has column(s) {', '.join(unknown)} that table {table.name!r} lacks",
            table=ir.key,
        )
    # Columns the database computes cannot be inserted; syda leaves them out, a caller may not.
    return [c for c in names if not (ir.has_column(c) and ir.column(c).generated)]


def _hold_back(
    rows: list[dict[str, Any]], columns: Sequence[str], updates: list[HeldBack], ir: Table
) -> None:
    """Insert ``columns`` as NULL now; remember their values for the UPDATE after every insert."""
    if not columns:
        return
    match = row_key(ir, excluding=columns)
    if match is None:  # write_order only sets keys aside in tables that have a row key
        raise AssertionError(f"{ir.key} has no key to update its rows by")
    held = [
        {c: row[c] for c in (*match, *columns)}
        for row in rows
        if any(row.get(c) is not None for c in columns)
    ]
    for row in rows:
        row.update(dict.fromkeys(columns))
    if held:
        updates.append(HeldBack(ir.key, match, tuple(columns), held))
