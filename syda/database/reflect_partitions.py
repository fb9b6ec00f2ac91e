"""PostgreSQL partitioned and inherited tables, read into the shape syda fills.

**Partitioned tables** (``PARTITION BY``): rows are inserted through the parent, and the database
routes each to the partition whose bounds it falls in, refusing a row no partition takes. So the
parent is the one table generated and its partitions leave the schema. Before
:func:`~syda.schema.from_metadata` reads the tables, :func:`fold_hierarchy` gives the parent:

* its bounds as a CHECK, which the adapter folds into column facts so every generated row routes:
  a range key's bounds (partitions that follow each other are merged; of separate runs, the run of
  most partitions is kept), a list key's values, and NOT NULL on the key unless a partition takes
  NULL. A hash key routes every value once every remainder has a partition, and a DEFAULT
  partition takes what the others leave, so neither needs a bound. Sub-partitions are followed:
  a partition that is partitioned itself adds what its own partitions accept (partitions that
  accept the same are taken together). A key that is an expression is left to the database.
* the foreign keys of its partitions: PostgreSQL lets each partition declare its own (pagila's
  ``payment`` has none, its partitions ``payment_p2022_01``..``07`` point at rental, customer
  and staff), so a payment's rental and customer exist, and agree.

The bounds themselves are read and turned into conditions by
:mod:`syda.database.partition_bounds`.

**Inherited tables** (``INHERITS``): a child is a table of its own whose rows are also read as
rows of its parents (``SELECT ... FROM parent`` includes them). PostgreSQL copies columns, NOT
NULL and CHECKs to a child, not the parent's primary key or foreign keys; a child that declares
none gets the parent's, so its keys are unique across the family and point at real rows, and
``Table.inherits`` names its parents so its key numbers continue after theirs. Whoever counts or
reads a parent's own rows asks :func:`inheritance_parents` where to say ``ONLY``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import sqlalchemy as sa

from syda.database.partition_bounds import (
    ANYWHERE,
    Bound,
    BoundWriter,
    Region,
    all_remainders,
    bind_region,
    list_region,
    parse_bound,
    range_region,
)
from syda.errors import SchemaError
from syda.schema.ir import Partitioning, Schema

__all__ = [
    "Hierarchy",
    "fold_hierarchy",
    "inheritance_parents",
    "only",
    "partitions_of",
    "with_hierarchy",
]

logger = logging.getLogger("syda")

_Name = tuple[str, str]  # (namespace, relation name)
_S = TypeVar("_S", bound=sa.sql.Select[Any] | sa.Delete)

_RELATIONS = sa.text(
    "SELECT n.nspname, c.relname, c.relkind, pt.partstrat, pg_get_partkeydef(c.oid), "
    "  ARRAY(SELECT a.attname::text FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(num, o) "
    "        LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num ORDER BY k.o), "
    "  pg_get_expr(c.relpartbound, c.oid), c.relispartition, "
    "  ARRAY(SELECT pn.nspname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
    "        JOIN pg_namespace pn ON pn.oid = p.relnamespace "
    "        WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), "
    "  ARRAY(SELECT p.relname::text FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent "
    "        WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid "
    "WHERE c.relkind IN ('r', 'p', 'f') AND (c.relkind = 'p' OR c.relispartition "
    "  OR EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)) "
    "ORDER BY n.nspname, c.relname"
)
_PARENTS = sa.text(
    "SELECT DISTINCT pn.nspname, p.relname FROM pg_inherits i "
    "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
    "JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE NOT c.relispartition"
)
_PARTITIONS = sa.text(
    "SELECT n.nspname, c.relname, pn.nspname, p.relname FROM pg_inherits i "
    "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace "
    "WHERE c.relispartition"
)


@dataclass(frozen=True)
class _Relation:
    name: _Name
    kind: str
    strategy: str | None
    key: str | None
    key_columns: tuple[str | None, ...]
    bound: Bound | None
    is_partition: bool
    parents: tuple[_Name, ...]


@dataclass(frozen=True)
class Hierarchy:
    """What :func:`fold_hierarchy` found, by ``(Table.schema, Table.name)`` of the kept tables."""

    partitioning: Mapping[tuple[str | None, str], Partitioning] = field(default_factory=dict)
    inherits: Mapping[tuple[str | None, str], tuple[tuple[str | None, str], ...]] = field(
        default_factory=dict
    )


def fold_hierarchy(conn: sa.Connection, metadata: sa.MetaData) -> Hierarchy:
    """Fold partitions into their parents and give inheritance children their parents' keys.

    Changes ``metadata`` in place (see the module docstring); PostgreSQL only, a no-op elsewhere.

    Raises:
        SchemaError: If a partitioned table has no partition (no row could be inserted), or a
            kept table has a foreign key to a partition (listing each).
    """
    if conn.dialect.name != "postgresql" or not metadata.tables:
        return Hierarchy()
    default = str(conn.dialect.default_schema_name)
    relations = _relations(conn)
    if not relations:
        return Hierarchy()
    tables = {(t.schema or default, t.name): t for t in metadata.tables.values()}
    children: dict[_Name, list[_Relation]] = {}
    for rel in relations.values():
        if rel.is_partition and rel.parents:
            children.setdefault(rel.parents[0], []).append(rel)
    partitioning = _fold_partitions(conn, metadata, tables, relations, children, default)
    inherits = _inherit(tables, relations)
    return Hierarchy(partitioning, inherits)


def with_hierarchy(schema: Schema, found: Hierarchy) -> Schema:
    """Record partitioning and inheritance on the IR tables :func:`fold_hierarchy` changed."""
    if not found.partitioning and not found.inherits:
        return schema
    keys = {(t.schema, t.name): t.key for t in schema}
    tables = []
    for table in schema:
        where = (table.schema, table.name)
        parents = tuple(keys[p] for p in found.inherits.get(where, ()) if p in keys)
        tables.append(replace(table, partitioning=found.partitioning.get(where), inherits=parents))
    return Schema(tuple(tables))


def inheritance_parents(conn: sa.Connection, tables: Mapping[str, sa.Table]) -> set[str]:
    """The keys of ``tables`` that have inheritance children: read them with :func:`only`.

    A partitioned table is not one (its rows are its partitions' rows). Empty off PostgreSQL.
    """
    if conn.dialect.name != "postgresql" or not tables:
        return set()
    default = str(conn.dialect.default_schema_name)
    parents = {(str(ns), str(name)) for ns, name in conn.execute(_PARENTS)}
    return {key for key, t in tables.items() if (t.schema or default, t.name) in parents}


def partitions_of(conn: sa.Connection, tables: Mapping[str, sa.Table]) -> set[tuple[str, str]]:
    """Every partition (at any depth) of ``tables``, as (namespace, name): their rows are theirs.

    Empty off PostgreSQL.
    """
    if conn.dialect.name != "postgresql" or not tables:
        return set()
    default = str(conn.dialect.default_schema_name)
    below: dict[_Name, list[_Name]] = {}
    for ns, name, parent_ns, parent in conn.execute(_PARTITIONS):
        below.setdefault((str(parent_ns), str(parent)), []).append((str(ns), str(name)))
    found: set[tuple[str, str]] = set()
    todo = [(t.schema or default, t.name) for t in tables.values()]
    while todo:
        for child in below.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def only(statement: _S, table: sa.FromClause) -> _S:
    """``statement`` reading (or deleting) only ``table``'s own rows: ``ONLY``, on PostgreSQL."""
    if isinstance(statement, sa.Delete):
        return statement.with_hint("ONLY", dialect_name="postgresql")
    return statement.with_hint(table, "ONLY", "postgresql")


# --- reading the catalog -------------------------------------------------------------------


def _relations(conn: sa.Connection) -> dict[_Name, _Relation]:
    # Bounds of a timestamptz key are written in the session's time zone: read them in UTC,
    # the zone syda's timestamps are written in.
    zone = conn.execute(sa.text("SELECT current_setting('TimeZone')")).scalar_one()
    conn.execute(sa.text("SELECT set_config('TimeZone', 'UTC', true)"))
    try:
        rows = conn.execute(_RELATIONS).fetchall()
    finally:
        conn.execute(sa.text("SELECT set_config('TimeZone', :zone, true)"), {"zone": zone})
    found: dict[_Name, _Relation] = {}
    for row in rows:
        name = (str(row[0]), str(row[1]))
        parents = tuple(zip(map(str, row[8]), map(str, row[9]), strict=True))
        found[name] = _Relation(
            name=name,
            kind=str(row[2]),
            strategy=row[3],
            key=row[4],
            key_columns=tuple(row[5] or ()),
            bound=parse_bound(row[6]),
            is_partition=bool(row[7]),
            parents=parents,
        )
    return found


# --- partitions ----------------------------------------------------------------------------


def _fold_partitions(
    conn: sa.Connection,
    metadata: sa.MetaData,
    tables: dict[_Name, sa.Table],
    relations: Mapping[_Name, _Relation],
    children: Mapping[_Name, list[_Relation]],
    default: str,
) -> dict[tuple[str | None, str], Partitioning]:
    problems: list[str] = []
    found: dict[tuple[str | None, str], Partitioning] = {}
    roots = [
        name
        for name, rel in relations.items()
        if name in tables and rel.kind == "p" and not _has_kept_ancestor(rel, tables, relations)
    ]
    for name in roots:
        table = tables[name]
        write = BoundWriter(conn.dialect.identifier_preparer.quote, table)
        below = _descendants(name, children)
        if not below:
            problems.append(
                f"{_shown(name, default)} is partitioned ({relations[name].key}) but has no "
                "partition, so no row can be inserted: create one (CREATE TABLE ... PARTITION OF "
                f"{name[1]} ...), or leave the table out with tables=[...]"
            )
            continue
        region = _region(relations[name], children, write)
        if region is None:
            logger.info(
                "%s: the partition bounds (%s) cannot be read as value bounds; rows the "
                "partitions refuse are left to the database to reject",
                _shown(name, default),
                relations[name].key,
            )
        else:
            bind_region(table, region)
        leaves = [r.name for r in below if r.kind != "p"]
        _add_partition_keys(conn, metadata, table, leaves, tables, default)
        found[(table.schema, table.name)] = Partitioning(
            key=str(relations[name].key),
            partitions=tuple(_shown(leaf, name[0]) for leaf in leaves),
        )
        for rel in below:
            if rel.name in tables:
                metadata.remove(tables.pop(rel.name))
    problems.extend(_keys_into_partitions(tables, relations, default))
    if problems:
        raise SchemaError(problems)
    return found


def _has_kept_ancestor(
    rel: _Relation, tables: Mapping[_Name, sa.Table], relations: Mapping[_Name, _Relation]
) -> bool:
    while rel.is_partition and rel.parents:
        parent = rel.parents[0]
        if parent in tables:
            return True
        if parent not in relations:
            return False
        rel = relations[parent]
    return False


def _descendants(name: _Name, children: Mapping[_Name, list[_Relation]]) -> list[_Relation]:
    out: list[_Relation] = []
    for child in children.get(name, []):
        out.append(child)
        out.extend(_descendants(child.name, children))
    return out


def _shown(name: _Name, home: str) -> str:
    return name[1] if name[0] == home else f"{name[0]}.{name[1]}"


def _region(
    rel: _Relation, children: Mapping[_Name, list[_Relation]], write: BoundWriter
) -> Region | None:
    """What surely routes below ``rel`` (``None``: syda cannot say), from its partitions' bounds."""
    if rel.kind != "p":
        return ANYWHERE
    below = [(c, c.bound, _region(c, children, write)) for c in children.get(rel.name, [])]
    known = [(c, b, r) for c, b, r in below if b is not None and r is not None]
    defaults = [r for c, b, r in known if b.kind == "default"]
    if defaults and all(r == ANYWHERE for _, _, r in known):
        return ANYWHERE  # the DEFAULT partition takes every row the others leave
    if rel.strategy == "h":
        regions = {r for _, _, r in known}
        if len(known) < len(below) or len(regions) != 1 or not all_remainders(known):
            return None
        return regions.pop()
    if not rel.key_columns or None in rel.key_columns:
        return None  # an expression key: its values are not a column's
    columns = tuple(str(c) for c in rel.key_columns)
    groups: dict[Region, list[Bound]] = {}
    for _, bound, region in known:
        if bound.kind == ("list" if rel.strategy == "l" else "range"):
            groups.setdefault(region, []).append(bound)
    if not groups:
        return defaults[0] if defaults else None
    if rel.strategy == "l":
        return list_region(columns[0], groups, write.quote)
    return range_region(columns, groups, write)


def _add_partition_keys(
    conn: sa.Connection,
    metadata: sa.MetaData,
    table: sa.Table,
    leaves: Sequence[_Name],
    tables: dict[_Name, sa.Table],
    default: str,
) -> None:
    """Give ``table`` every foreign key of its partitions that it does not declare itself."""
    inspector = sa.inspect(conn)
    have = {_fk_signature(fkc) for fkc in table.foreign_key_constraints}
    for namespace, name in leaves:
        for fk in inspector.get_foreign_keys(name, schema=namespace):
            target_name = (fk["referred_schema"] or namespace, fk["referred_table"])
            target = _table(conn, metadata, tables, target_name, table.schema, default)
            signature = (
                tuple(fk["constrained_columns"]),
                target.fullname,
                tuple(fk["referred_columns"]),
            )
            if signature in have:
                continue
            have.add(signature)
            options = fk.get("options") or {}
            table.append_constraint(
                sa.ForeignKeyConstraint(
                    fk["constrained_columns"],
                    [target.c[c] for c in fk["referred_columns"]],
                    deferrable=options.get("deferrable"),
                    initially=options.get("initially"),
                )
            )


def _fk_signature(fkc: sa.ForeignKeyConstraint) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    return (
        tuple(c.name for c in fkc.columns),
        fkc.referred_table.fullname,
        tuple(e.column.name for e in fkc.elements),
    )


def _table(
    conn: sa.Connection,
    metadata: sa.MetaData,
    tables: dict[_Name, sa.Table],
    name: _Name,
    home: str | None,
    default: str,
) -> sa.Table:
    """The reflected table ``name``, reflecting it (and its parents) when it was left out."""
    if name not in tables:
        schema = None if home is None and name[0] == default else name[0]
        tables[name] = sa.Table(name[1], metadata, schema=schema, autoload_with=conn)
        for other in metadata.tables.values():
            tables.setdefault((other.schema or default, other.name), other)
    return tables[name]


def _keys_into_partitions(
    tables: Mapping[_Name, sa.Table], relations: Mapping[_Name, _Relation], default: str
) -> list[str]:
    problems = []
    for table in tables.values():
        for fkc in table.foreign_key_constraints:
            target = fkc.referred_table
            name = (target.schema or default, target.name)
            rel = relations.get(name)
            if rel is not None and rel.is_partition and name not in tables:
                problems.append(
                    f"{table.name}.{', '.join(c.name for c in fkc.columns)} references "
                    f"{_shown(name, default)}, a partition of {_shown(rel.parents[0], default)}: "
                    "syda fills a partitioned table through its parent only; point the foreign "
                    "key at the parent, or reflect the partition alone with tables=[...]"
                )
    return problems


# --- inheritance ---------------------------------------------------------------------------


def _inherit(
    tables: Mapping[_Name, sa.Table], relations: Mapping[_Name, _Relation]
) -> dict[tuple[str | None, str], tuple[tuple[str | None, str], ...]]:
    found: dict[tuple[str | None, str], tuple[tuple[str | None, str], ...]] = {}
    children = [
        (name, [p for p in rel.parents if p in tables])
        for name, rel in relations.items()
        if name in tables and not rel.is_partition and rel.parents
    ]
    # Parents first, so a grandchild gets the key its parent just got from the grandparent.
    for name, parents in sorted(children, key=lambda c: _depth(c[0], relations)):
        if not parents:
            continue
        child = tables[name]
        for parent in parents:
            _take_keys(child, tables[parent])
        found[(child.schema, child.name)] = tuple(
            (tables[p].schema, tables[p].name) for p in parents
        )
    return found


def _depth(name: _Name, relations: Mapping[_Name, _Relation], seen: int = 0) -> int:
    rel = relations.get(name)
    if rel is None or not rel.parents or seen > len(relations):
        return 0
    return 1 + max(_depth(p, relations, seen + 1) for p in rel.parents)


def _take_keys(child: sa.Table, parent: sa.Table) -> None:
    """Give ``child`` the primary key and foreign keys of ``parent`` that it lacks."""
    key = [c.name for c in parent.primary_key.columns]
    if key and not child.primary_key.columns and all(c in child.c for c in key):
        child.append_constraint(sa.PrimaryKeyConstraint(*key))
    own = {tuple(c.name for c in fkc.columns) for fkc in child.foreign_key_constraints}
    for fkc in sorted(parent.foreign_key_constraints, key=lambda f: str(f.name or "")):
        columns = tuple(c.name for c in fkc.columns)
        if columns in own or not all(c in child.c for c in columns):
            continue
        own.add(columns)
        child.append_constraint(
            sa.ForeignKeyConstraint(
                list(columns),
                [e.column for e in fkc.elements],
                deferrable=fkc.deferrable,
                initially=fkc.initially,
            )
        )
