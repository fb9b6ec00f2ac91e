"""PostgreSQL: the foreign keys of tables the write holds alone are checked once, after the load.

PostgreSQL checks a foreign key row by row as COPY inserts (a trigger per row and key, which also
locks the parent row); on a large load that is most of the server's time (2,000,000 CRM rows: 30
of 47 seconds). Adding the constraint after the load checks every row with one join instead.

This is done only where no other session can see the tables meanwhile: tables created by the
write's transaction, or emptied by its ``TRUNCATE`` (which holds an ``ACCESS EXCLUSIVE`` lock to
the end), and only for keys whose parent table is one of them too. DDL is transactional in
PostgreSQL, so a failure anywhere restores every constraint with the rollback. Each constraint is
re-added with its own name, definition (``pg_get_constraintdef``: actions, ``MATCH``,
``DEFERRABLE``) and comment; those marked ``NOT VALID`` and those a partition inherits are left as
they are. If dropping is refused (the user does not own a table), the keys stay and are checked
row by row as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from syda.database.connect import Step

__all__ = ["keys_checked_after"]

logger = logging.getLogger("syda")

# The tables travel as plain values; the database quotes the names itself (quote_ident).
_WRITTEN = (
    "(SELECT CAST(CASE WHEN s IS NULL THEN '' ELSE quote_ident(s) || '.' END || quote_ident(t) "
    "AS regclass) FROM unnest(CAST(:ss AS text[]), CAST(:ts AS text[])) AS x(s, t))"
)
_FIND = sa.text(
    "SELECT CAST(c.conrelid AS regclass)::text, c.conname, pg_get_constraintdef(c.oid), "
    "obj_description(c.oid, 'pg_constraint') FROM pg_constraint c "
    "WHERE c.contype = 'f' AND c.convalidated AND c.conparentid = 0 "
    f"AND c.conrelid IN {_WRITTEN} AND c.confrelid IN {_WRITTEN} "
    "ORDER BY c.conrelid, c.conname"
)


@dataclass(frozen=True)
class _Key:
    table: str
    """The child table, as ``regclass`` spells it (quoted, schema-qualified when needed)."""
    name: str
    definition: str
    comment: str | None


@contextmanager
def keys_checked_after(
    conn: sa.Connection, tables: Sequence[sa.Table], step: Step
) -> Iterator[None]:
    """Drop the foreign keys among ``tables`` for the body; add them back (checked) after it.

    ``tables`` must be held by this transaction alone (created by it, or truncated by it).
    """
    keys = _found(conn, tables) if tables else []
    if not keys or not _dropped(conn, keys):
        yield
        return
    yield
    from psycopg import sql  # psycopg is an optional extra

    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor:
        # ALTER TABLE refuses a table with checks still queued (a deferred key kept, say to a
        # table outside the write): run them now; the write ends with them run anyway.
        step.table, step.action = None, "checking the deferred constraints"
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for key in keys:
            step.table, step.action = None, f"checking the foreign key {key.name} of {key.table}"
            target, name = sql.SQL(key.table), sql.Identifier(key.name)
            cursor.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    target, name, sql.SQL(key.definition)
                )
            )
            if key.comment is not None:
                cursor.execute(
                    sql.SQL("COMMENT ON CONSTRAINT {} ON {} IS {}").format(
                        name, target, sql.Literal(key.comment)
                    )
                )


def _found(conn: sa.Connection, tables: Sequence[sa.Table]) -> list[_Key]:
    params = {"ss": [t.schema for t in tables], "ts": [t.name for t in tables]}
    return [_Key(*row) for row in conn.execute(_FIND, params).all()]


def _dropped(conn: sa.Connection, keys: Sequence[_Key]) -> bool:
    """Drop ``keys`` (all or none, in a savepoint); False if the database refused."""
    from psycopg import Error, sql

    raw: Any = conn.connection.driver_connection
    try:
        with conn.begin_nested(), raw.cursor() as cursor:
            for key in keys:
                cursor.execute(
                    sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                        sql.SQL(key.table), sql.Identifier(key.name)
                    )
                )
    except (Error, sa.exc.DBAPIError) as error:
        logger.info("foreign keys stay checked row by row (dropping them was refused): %s", error)
        return False
    return True
