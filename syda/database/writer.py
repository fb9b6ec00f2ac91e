"""Writing a dataset into a database: every table in ONE transaction, all rows or none.

:func:`write_database` maps the schema's tables onto the target's real tables (reflected, or
created from the schema when asked), then, in one transaction: checks the mode, empties the tables
for ``replace``, inserts every table parents first in batches, sets the nullable keys that close
cycles by UPDATE, has the database check what it deferred, and commits. Any error rolls the whole
transaction back, so the target is left exactly as it was; it is raised as
:class:`~syda.errors.OutputError` naming the table.

Per database:

* Inserts are batches of ``chunk_size`` rows: ``executemany`` (see :mod:`syda.database.inserts`),
  or on PostgreSQL one ``COPY`` per table fed column-wise (see :mod:`syda.database.copy_text`).
* ``replace`` first refuses if rows of a table outside the schema point at the tables, then
  empties them. PostgreSQL: one ``TRUNCATE`` of them all when no other table has a foreign key
  into them (its time does not grow with the rows), else one ``DELETE`` statement (chained
  writable CTEs: the keys are checked at its end, so cycles need nothing more). Elsewhere:
  ``DELETE`` children first (``TRUNCATE`` would commit on MySQL and break the one transaction;
  MySQL deletes from tables that point at themselves with checks off, then verifies). Deleting
  stays proportional to the rows when foreign key columns are indexed, as tables syda creates
  are (see :func:`~syda.schema.to_metadata`).
* PostgreSQL sequences behind written key columns are moved past the largest key, so the
  application's next ``INSERT`` does not collide with a syda row (MySQL and SQLite do this
  themselves).
* MySQL/MariaDB cannot create tables inside a transaction (DDL commits), so missing tables are
  created first and dropped again if the write fails.

NOT NULL cycles are handled per database as :mod:`syda.database.cycles` describes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import exc

from syda.database.connect import (
    Step,
    connected,
    describe,
    missing_sqlite_file,
    quote_table,
    reported,
)
from syda.database.copy_text import can_copy, copy_frame
from syda.database.cycles import CycleStrategy, insert_in_one_statement, refuse_referenced
from syda.database.duckdb_target import refuse_deletes
from syda.database.existing import Mode, check_mode, refuse_missing, refuse_rows
from syda.database.inserts import (
    HeldBack,
    insert_frame,
    insert_rows,
    sync_sequences,
    update_rows,
)
from syda.database.late_keys import keys_checked_after
from syda.database.order import WriteOrder, row_key, write_order
from syda.database.reflect_partitions import inheritance_parents, only
from syda.database.tables import create_missing, drop_created, in_db_schema, reflect_tables
from syda.database.values import records
from syda.errors import ConfigurationError, OutputError
from syda.progress import track
from syda.schema.ir import Schema, Table

__all__ = ["WriteReport", "write_database", "write_database_chunks"]

logger = logging.getLogger("syda")
_TRANSACTIONAL_DDL = ("sqlite", "postgresql", "duckdb")
_T = TypeVar("_T")


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
            the rows there (keys must not collide, see :func:`~syda.database.read_existing`);
            ``"replace"``: delete every row of the schema's tables first, in the same
            transaction (refused if rows of other tables point at them).
        create_tables: Create the tables that do not exist yet, from the schema.
        db_schema: The database schema (namespace) to write into, instead of each table's own.
        chunk_size: Rows per INSERT batch (on PostgreSQL: per block of the table's one COPY).

    Returns:
        Rows inserted per table, the time taken, and how cycles were handled.

    Raises:
        ConfigurationError: If ``mode`` or ``chunk_size`` is invalid, or ``target`` is not a
            database URL.
        OutputError: If a table is missing (and ``create_tables`` is off), ``mode="fail"`` finds
            rows, ``mode="replace"`` finds rows of other tables pointing at the tables, a frame
            has columns its table lacks, a cycle cannot be written on this database, the driver
            is not installed, or the database rejects anything; nothing is written then.
    """
    chunks = {name: [frame] for name, frame in frames.items()}
    totals = {name: len(frame) for name, frame in frames.items()}
    return write_database_chunks(
        schema,
        chunks,
        target,
        mode=mode,
        create_tables=create_tables,
        db_schema=db_schema,
        chunk_size=chunk_size,
        totals=totals,
    )


def write_database_chunks(
    schema: Schema,
    chunks: Mapping[str, Iterable[pd.DataFrame]],
    target: str | sa.URL | sa.Engine,
    *,
    mode: Mode = "fail",
    create_tables: bool = False,
    db_schema: str | None = None,
    chunk_size: int = 5000,
    totals: Mapping[str, int] | None = None,
) -> WriteReport:
    """Stream chunks of rows into the database at ``target``, every table in ONE transaction.

    Each table's iterable is read only when the table's turn comes, parents first, one chunk
    at a time: each chunk is loaded (one ``COPY`` per chunk on PostgreSQL, batched INSERTs of
    ``chunk_size`` rows elsewhere) and dropped before the next is read, so memory is bounded by
    a chunk whatever the table's size, and a generator may make the chunks as they are asked
    for. Everything else is as in :func:`write_database`: one transaction, all rows or none.

    Two cases keep more than a chunk: the nullable foreign keys that close a cycle are held
    back (their key and value columns, for the UPDATE after every insert), and a cycle that
    must go in one statement (see :mod:`syda.database.cycles`) gathers its tables' chunks.

    Args:
        schema: The schema the chunks were generated from.
        chunks: Per table key (or SQL table name), the table's frames in the order to write.
        target: A database URL or an ``Engine``.
        mode: As in :func:`write_database`.
        create_tables: Create the tables that do not exist yet, from the schema.
        db_schema: The database schema (namespace) to write into.
        chunk_size: Rows per INSERT batch (or per block of a chunk's COPY).
        totals: The rows expected per table, for progress (:func:`syda.progress.track`).

    Returns:
        Rows inserted per table, the time taken, and how cycles were handled.

    Raises:
        ConfigurationError: As :func:`write_database`.
        OutputError: As :func:`write_database`, and if a chunk's columns differ from the first
            chunk's of its table; nothing is written then. An exception raised by an iterable
            (the generator of the chunks) rolls the transaction back too, and propagates.
    """
    check_mode(mode)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ConfigurationError(f"chunk_size must be a positive integer, not {chunk_size!r}")
    targets = in_db_schema(schema, db_schema)
    by_key = _frames_by_key(targets, chunks)
    expected = _frames_by_key(targets, totals or {})
    if not create_tables and missing_sqlite_file(target) is not None:
        refuse_missing(describe(target), write_order(targets).order)
    started = time.perf_counter()
    rolled_back = " (the transaction was rolled back: nothing was written)"
    load = _Load(targets, by_key, expected, chunk_size)
    with connected(target) as engine, reported(engine, "writing into", rolled_back) as step:
        written, strategy = _write(engine, targets, load, mode, create_tables, step)
    return WriteReport(written, time.perf_counter() - started, strategy)


@dataclass
class _Load:
    """What to write: the chunks per table key, the rows expected, the batch size."""

    schema: Schema
    chunks: Mapping[str, Iterable[pd.DataFrame]]
    totals: Mapping[str, int]
    chunk_size: int
    columns: dict[str, list[str]] = field(default_factory=dict)
    """The columns written per table, known once its first chunk is read."""


# -- internals --------------------------------------------------------------------------------


def _frames_by_key(schema: Schema, frames: Mapping[str, _T]) -> dict[str, _T]:
    out: dict[str, _T] = {}
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


def _write(
    engine: sa.Engine, schema: Schema, load: _Load, mode: Mode, create_tables: bool, step: Step
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
            refuse_missing(describe(engine), missing)
        try:
            if missing and dialect not in _TRANSACTIONAL_DDL:
                step.action = "creating the missing tables"
                with conn.begin():
                    created = create_missing(conn, schema, order, missing)
                tables.update({k: t for k, t in zip(missing, created, strict=True)})
            with conn.begin():
                if dialect == "sqlite":
                    _begin_sqlite(conn)
                alone: list[sa.Table] = []  # held by this transaction only: created or truncated
                if missing and dialect in _TRANSACTIONAL_DDL:
                    step.action = "creating the missing tables"
                    made = create_missing(conn, schema, order, missing)
                    tables.update({k: t for k, t in zip(missing, made, strict=True)})
                    alone.extend(made)
                strategy = CycleStrategy(dialect, order, tables)
                strategy.begin(conn)
                if mode == "fail":
                    refuse_rows(conn, describe(engine), tables, step)
                elif mode == "replace":
                    alone.extend(_empty(conn, order, tables, strategy, step))
                with keys_checked_after(conn, alone if dialect == "postgresql" else [], step):
                    written = _insert_all(conn, order, tables, load, strategy, step)
                step.table, step.action = None, "checking the foreign keys of the cycles"
                strategy.finish(conn, {k: tables[k] for k in load.chunks})
                if dialect == "postgresql":
                    step.action = "moving sequences past the written keys"
                    sync_sequences(conn, tables, load.columns)
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


def _empty(
    conn: sa.Connection,
    order: WriteOrder,
    tables: Mapping[str, sa.Table],
    strategy: CycleStrategy,
    step: Step,
) -> list[sa.Table]:
    """Empty the tables; return those emptied by TRUNCATE (locked to the end of the transaction)."""
    present = [k for k in reversed(order.order) if k in tables]
    if not present:
        return []
    # Refused up front, whatever the database would do: an ON DELETE CASCADE would otherwise
    # empty a table the caller never named.
    step.action = "looking for rows of other tables that point at the tables"
    referenced = refuse_referenced(conn, {k: tables[k] for k in present})
    if conn.dialect.name == "postgresql":
        emptied = [tables[k] for k in present]
        own = {tables[k] for k in inheritance_parents(conn, {k: tables[k] for k in present})}
        return emptied if _empty_postgres(conn, emptied, referenced, step, own) else []
    refuse_deletes(conn, [tables[k] for k in present])
    # Children are deleted first; a nullable key that closes a cycle is cleared beforehand (its
    # parent may come first), and NOT NULL cycles rely on the strategy's deferred checks.
    for ck in strategy.later:
        step.table, step.action = ck.table, "clearing a cycle's keys before deleting"
        table = tables[ck.table]
        conn.execute(sa.update(table).values(dict.fromkeys(ck.fk.columns)))
    for key in present:
        step.table, step.action = key, "deleting the existing rows"
        with strategy.deleting(conn, key):
            conn.execute(sa.delete(tables[key]))
    strategy.verify_deleted(conn, {k: tables[k] for k in present})
    return []


def _empty_postgres(
    conn: sa.Connection,
    tables: Sequence[sa.Table],
    referenced: bool,
    step: Step,
    own: set[sa.Table] | None = None,
) -> bool:
    """Empty the PostgreSQL ``tables`` inside the transaction: TRUNCATE (True), else one DELETE.

    The tables of ``own`` (inheritance parents) lose only their own rows (``ONLY``), not their
    children's.
    """
    if not referenced:
        # One TRUNCATE of the whole set takes the time of a file swap, whatever the row count,
        # and is transactional in PostgreSQL (rolled back with the write). A savepoint keeps the
        # transaction usable if it is refused anyway (no TRUNCATE privilege, a foreign key from
        # a table in another schema): the DELETE below then does the work.
        step.action = "emptying the tables (TRUNCATE)"
        own = own or set()
        names = ", ".join(
            ("ONLY " if t in own else "") + quote_table(conn.dialect, t.name, t.schema)
            for t in tables
        )
        # text() would read ":name" inside an identifier as a bind parameter.
        truncate = sa.text(f"TRUNCATE {names}".replace(":", "\\:"))
        try:
            with conn.begin_nested():
                conn.execute(truncate)
            return True
        except exc.DBAPIError as error:
            logger.info("TRUNCATE was refused, deleting instead: %s", error.orig)
    # One statement (the first tables deleted by writable CTEs): PostgreSQL checks its foreign
    # keys at the end of the statement, so cycles and self-references need nothing more. The
    # indexes on foreign key columns keep each of those checks a lookup.
    step.action = "deleting the existing rows (one statement)"
    deletes = [only(sa.delete(t), t) if t in (own or ()) else sa.delete(t) for t in tables]
    first = [d.returning(sa.literal_column("1")).cte(f"d{i}") for i, d in enumerate(deletes)]
    conn.execute(deletes[-1].add_cte(*first[:-1]))
    return False


def _insert_all(
    conn: sa.Connection,
    order: WriteOrder,
    tables: Mapping[str, sa.Table],
    load: _Load,
    strategy: CycleStrategy,
    step: Step,
) -> dict[str, int]:
    schema = load.schema
    later: dict[str, list[str]] = {}
    for ck in strategy.later:
        later.setdefault(ck.table, []).extend(ck.fk.columns)
    written: dict[str, int] = {}
    updates: list[HeldBack] = []
    for key in order.order:
        if key not in load.chunks or key in written:
            continue
        together = strategy.in_one_statement(key)
        if together is not None:
            members = [k for k in order.order if k in together and k in load.chunks]
            step.table, step.action = ", ".join(members), "inserting a cycle in one statement"
            parts = []
            for member in members:
                table, frame = tables[member], _gathered(load.chunks[member])
                columns = _columns(schema.table(member), table, frame)
                load.columns[member] = columns
                rows = records(frame, {c: table.c[c].type for c in columns}, columns)
                _hold_back(rows, later.get(member, []), updates, schema.table(member))
                parts.append((table, columns, rows))
                written[member] = len(rows)
            insert_in_one_statement(conn, parts)
            continue
        step.table, step.action = key, "inserting rows"
        with (
            strategy.checks_off(conn, key),
            track("writing", key, load.totals.get(key)) as task,
        ):
            written[key] = 0
            for frame in load.chunks[key]:
                _insert_chunk(conn, tables[key], key, frame, load, later.get(key, []), updates)
                written[key] += len(frame)
                task.advance(len(frame))
                del frame  # let the chunk go before the next one is made
    for update in updates:
        step.table, step.action = update.key, "setting the keys that close a cycle (UPDATE)"
        update_rows(conn, tables[update.key], update)
    return written


def _gathered(chunks: Iterable[pd.DataFrame]) -> pd.DataFrame:
    frames = list(chunks)
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _insert_chunk(
    conn: sa.Connection,
    table: sa.Table,
    key: str,
    frame: pd.DataFrame,
    load: _Load,
    held: list[str],
    updates: list[HeldBack],
) -> None:
    """Load one chunk of ``key``'s rows (COPY on PostgreSQL, batched INSERTs elsewhere)."""
    ir = load.schema.table(key)
    columns = _columns(ir, table, frame)
    first = load.columns.setdefault(key, columns)
    if columns != first:
        raise OutputError(
            f"a chunk has the columns {', '.join(columns)}, the first chunk of the table had "
            f"{', '.join(first)}",
            table=key,
        )
    types = {c: table.c[c].type for c in columns}
    if can_copy(conn):
        # Column-wise COPY: only the keys and held-back values become row dicts.
        if held:
            kept = [*(row_key(ir, excluding=held) or ()), *held]
            rows = records(frame, {c: types[c] for c in kept}, kept)
            _hold_back(rows, held, updates, ir)
        copy_frame(conn, table, columns, frame, nulls=held, chunk_size=load.chunk_size)
        return
    for start in range(0, len(frame), load.chunk_size):
        part = frame.iloc[start : start + load.chunk_size]
        if held:
            rows = records(part, types, columns)
            _hold_back(rows, held, updates, ir)
            insert_rows(conn, table, columns, rows)
        else:
            insert_frame(conn, table, columns, part)


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
