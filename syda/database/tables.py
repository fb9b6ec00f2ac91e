"""The target's real tables: found by reflection, or created from the schema, and counted.

Writers work on the tables the database really has (their real column types, their real foreign
keys with the DEFERRABLE flags), not on the schema's picture of them. Tables are looked up per
database schema (namespace) by their exact names, so names that need quoting (``"order"``,
``"Mixed Case"``) are found as they are.

Tables are created from a fresh :func:`~syda.schema.to_metadata` on every call: SQLAlchemy marks
a ``use_alter`` foreign key "not inline" for good once it has created it with ALTER, so reusing
one ``MetaData`` on a second database (SQLite has no ALTER) would lose that key.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc

from syda.database.connect import error_text
from syda.database.cycles import find_constraint
from syda.database.duckdb_target import for_duckdb, reflect_metadata
from syda.database.order import WriteOrder
from syda.database.reflect import quiet_reflection
from syda.database.reflect_indexes import quiet_expression_indexes
from syda.database.reflect_partitions import inheritance_parents, only
from syda.database.reflect_types import known_types
from syda.schema import to_metadata
from syda.schema.from_sqlalchemy import SYDA_INFO_KEY
from syda.schema.ir import Schema
from syda.schema.to_sqlalchemy import FK_INDEX

__all__ = ["count_in", "create_missing", "drop_created", "in_db_schema", "reflect_tables"]

logger = logging.getLogger("syda")

_MYSQL_VARCHAR = 255
"""The length of a string column created on MySQL when the schema gives none."""


def in_db_schema(schema: Schema, db_schema: str | None) -> Schema:
    """``schema`` with every table in the database schema ``db_schema`` (if given)."""
    if db_schema is None:
        return schema
    return Schema(tuple(replace(t, schema=db_schema) for t in schema))


def reflect_tables(conn: sa.Connection, schema: Schema) -> dict[str, sa.Table]:
    """The real table of each of ``schema``'s tables that exists, by table key."""
    by_namespace: dict[str | None, list[str]] = defaultdict(list)
    for table in schema:
        by_namespace[table.schema].append(table.name)
    inspector = sa.inspect(conn)
    metadata = sa.MetaData()
    present: dict[tuple[str | None, str], sa.Table] = {}
    for namespace, names in by_namespace.items():
        existing = set(inspector.get_table_names(schema=namespace))
        wanted = [n for n in names if n in existing]
        if not wanted:
            continue
        with known_types(conn), quiet_expression_indexes(), quiet_reflection():
            reflect_metadata(conn, metadata, namespace, wanted)  # the writer reads no index
        for name in wanted:
            qualified = f"{namespace}.{name}" if namespace else name
            present[(namespace, name)] = metadata.tables[qualified]
    return {t.key: present[(t.schema, t.name)] for t in schema if (t.schema, t.name) in present}


def count_in(conn: sa.Connection, tables: Mapping[str, sa.Table], step: Any) -> dict[str, int]:
    """Rows in each table (``step.table`` names the table being counted, for errors)."""
    counts: dict[str, int] = {}
    parents = inheritance_parents(conn, tables)
    for key, table in tables.items():
        step.table = key
        count = sa.select(sa.func.count()).select_from(table)
        count = only(count, table) if key in parents else count
        counts[key] = int(conn.execute(count).scalar_one())
    step.table = None
    return counts


def create_missing(
    conn: sa.Connection, schema: Schema, order: WriteOrder, missing: Sequence[str]
) -> list[sa.Table]:
    """Create the tables ``missing`` (keys) from ``schema``; return them in that order.

    The foreign keys that close cycles are created with ``use_alter`` (added by ALTER TABLE once
    both tables exist; SQLite writes them inline), which is also what keeps SQLAlchemy from
    warning that it cannot sort the tables. Foreign key columns get the indexes
    :func:`~syda.schema.to_metadata` adds, except on MySQL/MariaDB, where InnoDB creates one for
    every foreign key that needs it (a second would only slow the inserts).
    """
    metadata = to_metadata(schema)
    by_key = {t.info[SYDA_INFO_KEY]["key"]: t for t in metadata.tables.values()}
    for ck in order.cycle_keys:
        fkc = find_constraint(by_key[ck.table], ck)
        if fkc is not None:
            fkc.use_alter = True
    if conn.dialect.name in ("mysql", "mariadb"):
        # MySQL has no deferrable constraints and rejects the words; its cycles are written with
        # foreign_key_checks off instead (see cycles.py).
        for table in metadata.tables.values():
            for fkc in table.foreign_key_constraints:
                fkc.deferrable = fkc.initially = None
            for index in [i for i in table.indexes if i.info.get(SYDA_INFO_KEY) == FK_INDEX]:
                table.indexes.discard(index)
            for column in table.columns:
                # MySQL's VARCHAR needs a length; TEXT would not do for keys and UNIQUE columns.
                if type(column.type) is sa.String and column.type.length is None:
                    column.type = sa.String(_MYSQL_VARCHAR)
    if conn.dialect.name == "duckdb":
        for_duckdb(metadata)
    tables = [by_key[k] for k in missing]
    metadata.create_all(conn, tables=tables)
    return tables


def drop_created(conn: sa.Connection, tables: Sequence[sa.Table]) -> None:
    """Drop tables this write created outside its transaction (MySQL), after a failure.

    Best effort: a failure here is logged, so that the error that made the write fail is the
    one the caller sees.
    """
    try:
        if conn.in_transaction():
            conn.rollback()
        mysql = conn.dialect.name in ("mysql", "mariadb")
        with conn.begin():
            if mysql:  # the created tables may reference each other in a cycle
                conn.exec_driver_sql("SET foreign_key_checks=0")
            try:
                for table in reversed(tables):
                    table.drop(conn, checkfirst=True)
            finally:
                if mysql:
                    conn.exec_driver_sql("SET foreign_key_checks=1")
    except exc.SQLAlchemyError as error:
        names = ", ".join(t.name for t in tables)
        logger.warning(
            "could not drop the tables created for a failed write (%s): %s",
            names,
            error_text(error, conn.engine),
        )
