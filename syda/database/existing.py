"""What the target database holds already, read before (or instead of) writing into it.

* :func:`check_target` is what a run checks before it generates anything, so a write that
  would be refused costs no generation (and no LLM tokens): the mode, the missing tables, the
  rows ``mode="fail"`` refuses, and for ``mode="append"`` the rows new ones must fit with.
  :func:`~syda.database.write_database` refuses with the same messages.
* :func:`count_rows` and :func:`read_existing` count the rows of each table and read the key
  columns of the existing rows; :func:`read_tables` reads every row, as stored, for validation.

Looking never creates a database: a SQLite file that does not exist has no tables to
:func:`count_rows`, :func:`read_existing` and :func:`check_target`, and is an error to
:func:`read_tables`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Literal

import pandas as pd
import sqlalchemy as sa

from syda.database.connect import Step, connected, describe, missing_sqlite_file, reported
from syda.database.read_types import read_as
from syda.database.reflect_partitions import inheritance_parents, only
from syda.database.tables import count_in, in_db_schema, reflect_tables
from syda.errors import ConfigurationError, OutputError
from syda.plan_paths import followed_columns
from syda.schema.ir import Schema, Table
from syda.schema.unique_indexes import columns_of

__all__ = [
    "MODES",
    "Mode",
    "check_mode",
    "check_target",
    "count_rows",
    "read_existing",
    "read_tables",
    "refuse_missing",
    "refuse_rows",
]

Mode = Literal["fail", "append", "replace"]
MODES: tuple[Mode, ...] = ("fail", "append", "replace")


def check_target(
    schema: Schema,
    target: str | sa.URL | sa.Engine,
    *,
    mode: Mode,
    create_tables: bool = False,
    db_schema: str | None = None,
    keyword: str = "mode",
    reads: Mapping[str, Collection[str]] | None = None,
) -> dict[str, pd.DataFrame] | None:
    """Check that a write of ``schema`` into ``target`` will not be refused; read what it needs.

    Args:
        schema: The schema that will be generated and written.
        target: A database URL or an ``Engine``.
        mode: The mode of the coming :func:`~syda.database.write_database`.
        create_tables: Whether the write will create the tables that are missing.
        db_schema: The database schema (namespace) of the tables.
        keyword: The caller's name for ``mode`` in messages (``"if_exists"`` for
            ``generate_related_data``).
        reads: Per table key, more columns to read from existing rows: those the new rows'
            specs copy from a parent (``product.price``).

    Returns:
        For ``mode="append"``, the existing rows new ones must fit with (as
        :func:`read_existing` returns them); otherwise None.

    Raises:
        ConfigurationError: If ``mode`` is not ``"fail"``, ``"append"`` or ``"replace"``, or
            ``target`` is not a database URL.
        OutputError: If tables are missing and ``create_tables`` is off, ``mode="fail"`` finds
            rows, or the database cannot be read.
    """
    check_mode(mode, keyword)
    targets = in_db_schema(schema, db_schema)
    if missing_sqlite_file(target) is not None:
        if not create_tables:
            refuse_missing(describe(target), list(targets.keys))
        return _empty_key_frames(targets, reads) if mode == "append" else None
    with connected(target) as engine, reported(engine, "reading") as step:
        with engine.connect() as conn:
            tables = reflect_tables(conn, targets)
            missing = [k for k in targets.keys if k not in tables]
            if missing and not create_tables:
                refuse_missing(describe(engine), missing)
            if mode == "fail":
                refuse_rows(conn, describe(engine), tables, step, keyword)
            elif mode == "append":
                return _key_frames(conn, targets, tables, step, reads)
    return None


def check_mode(mode: str, keyword: str = "mode") -> None:
    """Refuse a mode other than ``"fail"``, ``"append"`` or ``"replace"``.

    Raises:
        ConfigurationError: If ``mode`` is not one of them.
    """
    if mode not in MODES:
        raise ConfigurationError(f"{keyword} must be one of {', '.join(MODES)}, not {mode!r}")


def refuse_missing(where: str, missing: Sequence[str]) -> None:
    """Refuse to write into a database that lacks tables (``missing``: table keys).

    Raises:
        OutputError: Always, naming the tables and ``create_tables=True``.
    """
    raise OutputError(
        f"{where} has no table(s) {', '.join(missing)}: create them first, "
        "or pass create_tables=True to create them from the schema (nothing was written)"
    )


def refuse_rows(
    conn: sa.Connection,
    where: str,
    tables: Mapping[str, sa.Table],
    step: Step,
    keyword: str = "mode",
) -> None:
    """Refuse a ``mode="fail"`` write if any of ``tables`` has rows.

    Raises:
        OutputError: If a table has rows, naming each with its count.
    """
    step.action = "counting existing rows"
    filled = {k: n for k, n in count_in(conn, tables, step).items() if n}
    if filled:
        listed = ", ".join(f"{k} ({n} rows)" for k, n in filled.items())
        raise OutputError(
            f"{where} already has rows in {listed}: pass {keyword}='append' to add to them "
            f"or {keyword}='replace' to replace them (nothing was written)",
            table=next(iter(filled)) if len(filled) == 1 else None,
        )
    step.action = ""


def count_rows(
    schema: Schema, target: str | sa.URL | sa.Engine, *, db_schema: str | None = None
) -> dict[str, int | None]:
    """Count the rows of each of ``schema``'s tables in the database (None: no such table).

    Raises:
        ConfigurationError: If ``target`` is not a database URL.
        OutputError: If the database cannot be read.
    """
    targets = in_db_schema(schema, db_schema)
    if missing_sqlite_file(target) is not None:
        return dict.fromkeys(targets.keys)
    with connected(target) as engine, reported(engine, "counting rows in") as step:
        with engine.connect() as conn:
            tables = reflect_tables(conn, targets)
            counts = count_in(conn, tables, step)
    return {t.key: counts.get(t.key) for t in targets}


def read_existing(
    schema: Schema,
    target: str | sa.URL | sa.Engine,
    *,
    db_schema: str | None = None,
    reads: Mapping[str, Collection[str]] | None = None,
) -> dict[str, pd.DataFrame]:
    """The rows already in the database that new rows must fit with (for ``mode="append"``).

    Per table key, a DataFrame of the existing rows restricted to the columns that matter to new
    rows: the primary key (to continue sequences), every column of a UNIQUE set (to avoid
    collisions) and every column another table's foreign key points at (so new children may
    point at existing parents), and the columns ``reads`` names (what new children's specs copy
    from their parent). An absent table gives an empty frame with those columns.

    Raises:
        ConfigurationError: If ``target`` is not a database URL.
        OutputError: If the database cannot be read.
    """
    targets = in_db_schema(schema, db_schema)
    if missing_sqlite_file(target) is not None:
        return _empty_key_frames(targets, reads)
    with connected(target) as engine, reported(engine, "reading") as step:
        with engine.connect() as conn:
            return _key_frames(conn, targets, reflect_tables(conn, targets), step, reads)


def read_tables(
    schema: Schema, target: str | sa.URL | sa.Engine, *, db_schema: str | None = None
) -> dict[str, pd.DataFrame]:
    """Every row of every table of ``schema`` that the database has, as the database stores it.

    Values are the driver's own (no SQLAlchemy result processing): a date SQLite stores in a
    malformed way comes back as the text it is, for validation to report rather than a crash.
    A table the database lacks has no frame; a column it lacks is left out of its frame.

    Args:
        schema: The tables to read.
        target: A database URL or an ``Engine``.
        db_schema: The database schema (namespace) to read from, instead of each table's own.

    Returns:
        Rows per table key, columns in the schema's order.

    Raises:
        ConfigurationError: If ``target`` is not a database URL.
        OutputError: If the database (for SQLite: the file) does not exist or cannot be read.
    """
    targets = in_db_schema(schema, db_schema)
    frames: dict[str, pd.DataFrame] = {}
    with connected(target, must_exist=True) as engine, reported(engine, "reading") as step:
        with engine.connect() as conn:
            tables = reflect_tables(conn, targets)
            parents = inheritance_parents(conn, tables)
            for table in targets:
                real = tables.get(table.key)
                if real is None:
                    continue
                step.table = table.key
                names = [c for c in table.column_names if c in real.c]
                # Untyped columns: the raw values, without SQLAlchemy's conversions.
                raw = sa.table(real.name, *(sa.column(c) for c in names), schema=real.schema)
                dialect = conn.dialect.name
                read = [read_as(table.column(c), raw.c[c], real.c[c].type, dialect) for c in names]
                select = sa.select(*read)
                result = conn.execute(only(select, raw) if table.key in parents else select)
                frames[table.key] = pd.DataFrame(result.fetchall(), columns=names)
    return frames


def _key_columns(
    schema: Schema, table: Table, reads: Mapping[str, Collection[str]] | None = None
) -> tuple[str, ...]:
    columns = [c for s in table.unique_sets for c in s]
    columns.extend(columns_of(table.unique_indexes))  # partial indexes: their predicates too
    for other in schema:
        for fk in other.foreign_keys:
            if fk.ref_table == table.key:
                columns.extend(fk.ref_columns)
    # A new payment of an existing rental is charged to that rental's customer.
    columns.extend(sorted(followed_columns(schema).get(table.key, ())))
    columns.extend(sorted((reads or {}).get(table.key, ())))
    return tuple(c for c in dict.fromkeys(columns) if table.has_column(c))


def _empty_key_frames(
    schema: Schema, reads: Mapping[str, Collection[str]] | None = None
) -> dict[str, pd.DataFrame]:
    return {t.key: pd.DataFrame(columns=list(_key_columns(schema, t, reads))) for t in schema}


def _key_frames(
    conn: sa.Connection,
    schema: Schema,
    tables: Mapping[str, sa.Table],
    step: Step,
    reads: Mapping[str, Collection[str]] | None = None,
) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    parents = inheritance_parents(conn, tables)
    for t in schema:
        columns = _key_columns(schema, t, reads)
        step.table = t.key
        table = tables.get(t.key)
        present = [c for c in columns if table is not None and c in table.c]
        if table is None or not present:
            out[t.key] = pd.DataFrame(columns=list(columns))
            continue
        dialect = conn.dialect.name
        read = [read_as(t.column(c), table.c[c], table.c[c].type, dialect) for c in present]
        select = sa.select(*read)
        result = conn.execute(only(select, table) if t.key in parents else select)
        frame = pd.DataFrame(result.fetchall(), columns=present)
        out[t.key] = _unpadded(frame, table, dialect)
    step.table = None
    return out


# Fixed-width columns some dialects return padded to their width, while their comparisons see
# through the padding: 'ab' read back as 'ab   ' (PostgreSQL CHAR) or b'ab\0\0' (MySQL BINARY)
# is the key 'ab' a new row must not repeat. MySQL strips CHAR itself; SQLite stores what it is
# given. Generated values never end in the pad (bytes are drawn from 1 to 255).
_PADDED: tuple[tuple[frozenset[str], tuple[type[object], ...], str | bytes], ...] = (
    (frozenset({"postgresql"}), (sa.CHAR, sa.NCHAR), " "),
    (frozenset({"mysql", "mariadb"}), (sa.BINARY,), b"\0"),
)


def _unpadded(frame: pd.DataFrame, table: sa.Table, dialect: str) -> pd.DataFrame:
    """``frame`` with the padding of fixed-width columns stripped, where it is padded."""
    for dialects, types, pad in _PADDED:
        if dialect not in dialects:
            continue
        for name in frame.columns:
            if isinstance(table.c[name].type, types):
                frame[name] = pd.Series([_strip(v, pad) for v in frame[name]], dtype=object)
    return frame


def _strip(value: object, pad: str | bytes) -> object:
    if isinstance(value, str) and isinstance(pad, str):
        return value.rstrip(pad)
    if isinstance(value, bytes) and isinstance(pad, bytes):
        return value.rstrip(pad)
    return value
