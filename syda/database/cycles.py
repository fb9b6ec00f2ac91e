"""How each database is made to accept a cycle of NOT NULL foreign keys inside one transaction.

Nullable cycle-closing keys need nothing special (NULL, then UPDATE: see :mod:`.order`). For the
others, the database has to check the key only once the rows of both tables are there:

=============  ================================================================================
SQLite         ``PRAGMA defer_foreign_keys=ON`` (any key, DEFERRABLE or not), then
               ``PRAGMA foreign_key_check`` before COMMIT so a dangling key is reported by table.
PostgreSQL     DEFERRABLE constraints: ``SET CONSTRAINTS ALL DEFERRED``, then ``ALL IMMEDIATE``
               before COMMIT (the checks run there, so errors name their table). Not deferrable:
               the rows of the whole cycle go into ONE statement, a writable CTE
               (``WITH a AS (INSERT ... RETURNING 1) INSERT ...``): PostgreSQL checks a
               non-deferrable foreign key at the end of the statement.
MySQL/MariaDB  ``SET foreign_key_checks=0`` for this session around the cycle's inserts (always
               restored), then a query per foreign key proves no row points at a missing parent.
Others         :class:`~syda.errors.OutputError` saying how to make the constraint deferrable.
=============  ================================================================================
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa

from syda.database.connect import quote_table
from syda.database.duckdb_target import foreign_keys
from syda.database.order import CycleKey, WriteOrder
from syda.database.reflect_partitions import partitions_of
from syda.database.values import json_default
from syda.errors import OutputError

__all__ = [
    "CycleStrategy",
    "dangling_rows",
    "find_constraint",
    "insert_in_one_statement",
    "outside_references",
    "refuse_referenced",
]


def find_constraint(table: sa.Table, ck: CycleKey) -> sa.ForeignKeyConstraint | None:
    """The constraint of the real ``table`` that is the IR foreign key of ``ck``."""
    wanted = set(ck.fk.columns)
    for fkc in table.foreign_key_constraints:
        if {c.name for c in fkc.columns} == wanted:
            return fkc
    return None


class CycleStrategy:
    """What one write does about the NOT NULL cycles of its schema on its database.

    Args:
        dialect: The name of the target's dialect (``engine.dialect.name``).
        order: The write order with its cycle-closing keys.
        tables: The real tables, by table key.

    Raises:
        OutputError: If the database offers no way to insert the cycle in one transaction.
    """

    def __init__(self, dialect: str, order: WriteOrder, tables: Mapping[str, sa.Table]):
        self.dialect = dialect
        self.hard = order.hard
        self.later = tuple(ck for ck in order.cycle_keys if ck.set_later)
        self.one_statement: list[frozenset[str]] = []
        """Cycles written by one multi-table statement (PostgreSQL, keys not deferrable)."""
        self.unchecked: list[frozenset[str]] = []
        """Cycles written with foreign key checks off, then verified (MySQL/MariaDB)."""
        self.deferred = False
        """Foreign key checks deferred to the end of the transaction."""
        self.self_referencing: set[str] = set()
        """Tables deleted from with checks off, as they point at themselves (MySQL/MariaDB)."""
        if dialect in ("mysql", "mariadb"):
            # InnoDB checks each deleted row at once, so DELETE fails on a row whose children
            # (in the same table) are still there, whatever the order of the rows.
            self.self_referencing = {
                key
                for key, table in tables.items()
                if any(fkc.referred_table is table for fkc in table.foreign_key_constraints)
            }
        groups = list(dict.fromkeys(order.group_of(ck.table) for ck in self.hard))
        if not groups:
            return
        if dialect == "sqlite":
            self.deferred = True
        elif dialect == "postgresql":
            for group in groups:
                keys = [ck for ck in self.hard if ck.table in group]
                found = [find_constraint(tables[ck.table], ck) for ck in keys]
                if all(fkc is not None and fkc.deferrable for fkc in found):
                    self.deferred = True
                else:
                    self.one_statement.append(group)
        elif dialect in ("mysql", "mariadb"):
            self.unchecked = groups
        else:
            first = self.hard[0]
            table = tables[first.table]
            name = (
                fkc.name
                if (fkc := find_constraint(table, first)) is not None and fkc.name
                else "<constraint>"
            )
            raise OutputError(
                f"the NOT NULL foreign key {first.describe()} closes a cycle, and syda knows no "
                f"way to defer its check on {dialect}: make it deferrable "
                f"(ALTER TABLE {table.name} ALTER CONSTRAINT {name} DEFERRABLE INITIALLY "
                "DEFERRED) or nullable",
                table=first.table,
            )

    def describe(self) -> str:
        """How the cycles are handled, in a few words per cycle (for ``WriteReport``)."""
        parts: list[str] = []
        if self.later:
            keys = ", ".join(ck.describe() for ck in self.later)
            parts.append(f"NULL then UPDATE: {keys}")
        hard = ", ".join(ck.describe() for ck in self.hard)
        if self.deferred:
            how = (
                "PRAGMA defer_foreign_keys"
                if self.dialect == "sqlite"
                else "SET CONSTRAINTS ALL DEFERRED"
            )
            parts.append(f"deferred checks ({how}): {hard}")
        for group in self.one_statement:
            parts.append(f"one statement (writable CTE) for {', '.join(sorted(group))}")
        for group in self.unchecked:
            parts.append(f"foreign_key_checks=0 then verified for {', '.join(sorted(group))}")
        return "; ".join(parts) or "no cycles"

    def begin(self, conn: sa.Connection) -> None:
        """Set the transaction up (called right after it begins)."""
        if not self.deferred:
            return
        if self.dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        else:
            conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")

    def in_one_statement(self, key: str) -> frozenset[str] | None:
        """The cycle whose rows go in one statement with ``key``'s, if any."""
        return next((g for g in self.one_statement if key in g), None)

    @contextmanager
    def checks_off(self, conn: sa.Connection, key: str) -> Iterator[None]:
        """Switch foreign key checks off while ``key`` is written, if its cycle needs it."""
        with self._checks_off(conn, any(key in g for g in self.unchecked)):
            yield

    @contextmanager
    def deleting(self, conn: sa.Connection, key: str) -> Iterator[None]:
        """Switch foreign key checks off while ``key`` is emptied, if it needs it."""
        with self._checks_off(conn, key in self._deleted_unchecked()):
            yield

    @contextmanager
    def _checks_off(self, conn: sa.Connection, needed: bool) -> Iterator[None]:
        if not needed:
            yield
            return
        conn.exec_driver_sql("SET foreign_key_checks=0")
        try:
            yield
        finally:
            # A session variable outlives the transaction: restore it even on failure, or the
            # pooled connection would go on without checks.
            conn.exec_driver_sql("SET foreign_key_checks=1")

    def unchecked_tables(self) -> set[str]:
        """Tables written with checks off, whose foreign keys must be verified."""
        return {key for g in self.unchecked for key in g}

    def _deleted_unchecked(self) -> set[str]:
        return self.unchecked_tables() | self.self_referencing

    def verify_deleted(self, conn: sa.Connection, emptied: Mapping[str, sa.Table]) -> None:
        """After deleting with checks off, prove no other table points at the deleted rows.

        Raises:
            OutputError: If rows of a table outside the schema referenced the deleted rows.
        """
        if any(k in self._deleted_unchecked() for k in emptied):
            refuse_referenced(conn, emptied)

    def finish(self, conn: sa.Connection, tables: Mapping[str, sa.Table]) -> None:
        """Run the deferred checks now, before COMMIT, so a failure names its table.

        Raises:
            OutputError: If a row of a table points at a missing parent row.
        """
        if self.deferred and self.dialect == "postgresql":
            conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
        elif self.deferred and self.dialect == "sqlite":
            if conn.exec_driver_sql("PRAGMA foreign_keys").scalar() != 1:
                return  # the caller's engine does not enforce foreign keys at all
            for key, table in tables.items():
                name = quote_table(conn.dialect, table.name, None)
                pragma = (
                    "PRAGMA foreign_key_check"
                    if table.schema is None
                    else (
                        f"PRAGMA {conn.dialect.identifier_preparer.quote_schema(table.schema)}"
                        ".foreign_key_check"
                    )
                )
                bad = conn.exec_driver_sql(f"{pragma}({name})").fetchall()
                if bad:
                    raise OutputError(
                        f"{len(bad)} row(s) point at missing rows of {bad[0][2]}", table=key
                    )
        for key in sorted(self.unchecked_tables()):
            for fkc in tables[key].foreign_key_constraints:
                count = dangling_rows(conn, fkc)
                if count:
                    parent = fkc.referred_table.name
                    cols = ", ".join(c.name for c in fkc.columns)
                    raise OutputError(
                        f"{count} row(s) have ({cols}) pointing at missing rows of {parent}",
                        table=key,
                    )


def refuse_referenced(conn: sa.Connection, emptied: Mapping[str, sa.Table]) -> bool:
    """Refuse to empty tables that rows of a table outside them point at.

    Returns:
        Whether any table outside ``emptied`` has a foreign key into them at all (with no rows
        using it), which rules out ``TRUNCATE`` on PostgreSQL.

    Raises:
        OutputError: If rows of a table outside ``emptied`` point at rows of ``emptied``.
    """
    references = outside_references(conn, emptied)
    for child, cols, parent in references:
        query = (
            sa.select(sa.func.count())
            .select_from(child)
            .where(*(child.c[c].is_not(None) for c in cols))
        )
        count = int(conn.execute(query).scalar_one())
        if count:
            raise OutputError(
                f"cannot empty {parent}: {count} row(s) of {child.name}, which is not part of "
                "the schema, point at its rows",
                table=parent,
            )
    return bool(references)


def outside_references(
    conn: sa.Connection, emptied: Mapping[str, sa.Table]
) -> list[tuple[sa.TableClause, list[str], str]]:
    """The foreign keys of tables outside ``emptied`` into them: (child, columns, parent name).

    Only the database schemas (namespaces) of ``emptied`` are searched.
    """
    names = {(t.schema, t.name) for t in emptied.values()}
    # A partition's rows are its partitioned table's: emptied with it.
    inside = partitions_of(conn, emptied)
    default = conn.dialect.default_schema_name
    inspector = sa.inspect(conn)
    found: list[tuple[sa.TableClause, list[str], str]] = []
    for namespace in {t.schema for t in emptied.values()}:
        multi = (
            foreign_keys(conn, namespace)
            if conn.dialect.name == "duckdb"
            else inspector.get_multi_foreign_keys(schema=namespace)
        )
        for (child_schema, child), fks in multi.items():
            if (child_schema, child) in names or (child_schema or default, child) in inside:
                continue
            for fk in fks:
                parent = (fk.get("referred_schema") or namespace, fk["referred_table"])
                if parent in names:
                    cols = list(fk["constrained_columns"])
                    table = sa.table(child, *(sa.column(c) for c in cols), schema=child_schema)
                    found.append((table, cols, parent[1]))
    return found


def dangling_rows(conn: sa.Connection, fkc: sa.ForeignKeyConstraint) -> int:
    """How many rows of ``fkc``'s table point at no row of its parent (NULL keys excepted)."""
    child = fkc.table
    # An alias, so that a table pointing at itself is matched against its other rows.
    parent = fkc.referred_table.alias("parent")
    pairs = [(el.parent, parent.c[el.column.name]) for el in fkc.elements]
    match = sa.and_(*(p == c for c, p in pairs))
    query = (
        sa.select(sa.func.count())
        .select_from(child)
        .where(*(c.is_not(None) for c, _ in pairs))
        .where(~sa.exists().select_from(parent).where(match))
    )
    return int(conn.execute(query).scalar_one())


def insert_in_one_statement(
    conn: sa.Connection, parts: Sequence[tuple[sa.Table, Sequence[str], list[dict[str, Any]]]]
) -> None:
    """Insert the rows of several PostgreSQL tables with one statement (a writable CTE).

    Each table's rows travel as one JSON parameter, expanded by ``jsonb_populate_recordset`` into
    the table's own row type, so any number of rows fits (no bind parameter limit) and every
    value is read by the column's own input function. ``OVERRIDING SYSTEM VALUE`` lets explicit
    keys into ``GENERATED ALWAYS AS IDENTITY`` columns, as syda numbers keys itself.
    """
    parts = [p for p in parts if p[2]]
    if not parts:
        return
    preparer = conn.dialect.identifier_preparer
    inserts: list[str] = []
    params: dict[str, str] = {}
    for i, (table, columns, rows) in enumerate(parts):
        # Colons are escaped because text() would read ":name" inside an identifier as a bind.
        target = quote_table(conn.dialect, table.name, table.schema).replace(":", "\\:")
        cols = ", ".join(preparer.quote(c) for c in columns).replace(":", "\\:")
        inserts.append(
            f"INSERT INTO {target} ({cols}) OVERRIDING SYSTEM VALUE SELECT {cols} "
            f"FROM jsonb_populate_recordset(NULL::{target}, CAST(:rows{i} AS jsonb))"
        )
        params[f"rows{i}"] = json.dumps(rows, default=json_default)
    ctes = ", ".join(f"w{i} AS ({sql} RETURNING 1)" for i, sql in enumerate(inserts[:-1]))
    statement = (f"WITH {ctes} " if ctes else "") + inserts[-1]
    conn.execute(sa.text(statement), params)
