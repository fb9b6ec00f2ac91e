"""Drop an application's tables so they can be created again from its models.

``seed_database(reset="recreate")`` needs it when the models changed since the tables were made
(a column added, a type changed): emptying them would keep the old shape. Only the schema's own
tables are dropped, children before parents; a table outside the schema with a foreign key into
one of them is refused first, since dropping would break it (or, with CASCADE, lose it).
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from syda.database.connect import describe, reported
from syda.database.tables import in_db_schema, reflect_tables
from syda.errors import OutputError
from syda.schema.ir import Schema

__all__ = ["changed_tables", "drop_tables"]


def drop_tables(
    engine: sa.Engine, schema: Schema, keys: Collection[str], *, db_schema: str | None = None
) -> None:
    """Drop the tables ``keys`` of ``schema`` that exist, in one transaction where DDL has one.

    Raises:
        OutputError: If a table outside ``keys`` has a foreign key into them, or the database
            refuses a DROP.
    """
    targets = in_db_schema(schema, db_schema)
    with reported(engine, "dropping the tables of") as step, engine.begin() as conn:
        tables = {k: t for k, t in reflect_tables(conn, targets).items() if k in keys}
        _refuse_outside_children(conn, tables, describe(engine))
        ordered = sa.schema.sort_tables(tables.values())
        by_table = {t: k for k, t in tables.items()}
        for table in reversed(ordered):
            step.table = by_table[table]
            table.drop(conn)


def changed_tables(engine: sa.Engine, schema: Schema, *, db_schema: str | None = None) -> list[str]:
    """Each existing table whose columns the rows of ``schema`` cannot fill, described.

    A table lacks a column of ``schema`` (the models gained it), or has a NOT NULL column with
    no default that ``schema`` lacks (the models dropped it): no row of the models goes in.

    Raises:
        OutputError: If the database cannot be read.
    """
    targets = in_db_schema(schema, db_schema)
    changed = []
    with reported(engine, "comparing the tables with the schema in") as step:
        with engine.connect() as conn:
            tables = reflect_tables(conn, targets)
    for table in targets:
        real = tables.get(table.key)
        if real is None:
            continue
        step.table = table.key
        lacking = [c.name for c in table.columns if c.name not in real.columns]
        if lacking:
            changed.append(f"{table.name} lacks {', '.join(lacking)}")
        names = set(table.column_names)
        dropped = [c.name for c in real.columns if c.name not in names and _needs_a_value(c)]
        if dropped:
            changed.append(
                f"{table.name} has {', '.join(dropped)} (NOT NULL, no default), "
                "which the schema lacks"
            )
    return changed


def _needs_a_value(column: sa.Column[object]) -> bool:
    """Whether an INSERT that leaves ``column`` out fails (NOT NULL, nothing fills it)."""
    filled = column.server_default is not None or column.computed is not None
    # Reflection marks MySQL's AUTO_INCREMENT as autoincrement=True (the default is "auto").
    numbered = column.identity is not None or column.autoincrement is True
    return not column.nullable and not filled and not numbered


def _refuse_outside_children(conn: sa.Connection, tables: dict[str, sa.Table], where: str) -> None:
    inspector = sa.inspect(conn)
    ours = {(t.schema, t.name) for t in tables.values()}
    for namespace in {t.schema for t in tables.values()}:
        for name in inspector.get_table_names(schema=namespace):
            if (namespace, name) in ours:
                continue
            for fk in inspector.get_foreign_keys(name, schema=namespace):
                target = (fk.get("referred_schema") or namespace, fk["referred_table"])
                if target in ours:
                    raise OutputError(
                        f"cannot recreate the tables of {where}: {name} (not in the schema) has "
                        f"a foreign key into {target[1]}; drop it first or reset='empty'"
                    )
