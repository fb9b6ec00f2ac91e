"""Table order and the foreign keys that close cycles.

Order comes from :func:`sqlalchemy.schema.sort_tables_and_constraints` (as alembic does) because,
unlike ``MetaData.sorted_tables``, it hands back the foreign keys that close a cycle as a separate
list: exactly the keys to fill in a second pass, once every table of the cycle has its rows. That
list is over-broad (every key of a table on a cycle), so it is shrunk greedily, keeping NOT NULL
keys in the first pass where possible, which leaves nullable keys for a database sink to insert
as NULL and UPDATE later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sqlalchemy as sa
from sqlalchemy.schema import sort_tables_and_constraints as _sort_untyped

from syda.plan_families import family_chain
from syda.schema.ir import Schema

__all__ = ["cycles_of", "deferred_foreign_keys", "table_order"]

# SQLAlchemy ships this function without annotations; give it its real shape once, here.
_SortResult = list[tuple["sa.Table | None", list[sa.ForeignKeyConstraint]]]
sort_tables_and_constraints: Callable[..., _SortResult] = _sort_untyped


def _metadata(schema: Schema) -> tuple[sa.MetaData, dict[sa.Table, str]]:
    # A throwaway MetaData, only for sorting: one table per IR table (named by key, so keys from
    # different database schemas never clash) with its key columns and foreign keys.
    md = sa.MetaData()
    back: dict[sa.Table, str] = {}
    for t in schema:
        cols = {c for fk in t.foreign_keys for c in fk.columns} | set(t.primary_key)
        cols |= {
            c
            for fk_t in schema
            for fk in fk_t.foreign_keys
            if fk.ref_table == t.key
            for c in fk.ref_columns
        }
        sa_t = sa.Table(t.key, md, *(sa.Column(c, sa.Integer) for c in sorted(cols)))
        back[sa_t] = t.key
    for t in schema:
        sa_t = md.tables[t.key]
        for i, fk in enumerate(t.foreign_keys):
            if fk.ref_table in schema:
                sa_t.append_constraint(
                    sa.ForeignKeyConstraint(
                        list(fk.columns),
                        [f"{fk.ref_table}.{c}" for c in fk.ref_columns],
                        name=f"fk{i}",
                    )
                )
    return md, back


def _remaining(
    md: sa.MetaData, forced: set[sa.ForeignKeyConstraint]
) -> set[sa.ForeignKeyConstraint]:
    result = sort_tables_and_constraints(
        list(md.tables.values()), filter_fn=lambda fkc: True if fkc in forced else None
    )
    return {fkc for table, fkcs in result if table is None for fkc in fkcs} - forced


def deferred_foreign_keys(schema: Schema) -> dict[str, set[int]]:
    """The foreign keys that close cycles, by table key (indexes into ``Table.foreign_keys``).

    A minimal set: NOT NULL keys stay out of it where some nullable key can break the cycle, so
    a database sink can insert the set's keys as NULL and UPDATE them afterwards.
    """
    md, _ = _metadata(schema)
    candidates = _remaining(md, set())
    if not candidates:
        return {}

    def nullable(fkc: sa.ForeignKeyConstraint) -> bool:
        t = schema.table(fkc.table.name)
        return all(t.column(c.name).nullable for c in fkc.columns)

    # Try to keep each candidate in the first pass, NOT NULL keys first; keep it there if the
    # rest still breaks every cycle.
    deferred = set(candidates)
    for fkc in sorted(candidates, key=lambda f: (nullable(f), f.table.name, f.name or "")):
        trial = deferred - {fkc}
        if not _remaining(md, trial):
            deferred = trial
    out: dict[str, set[int]] = {}
    for fkc in deferred:
        out.setdefault(fkc.table.name, set()).add(int(str(fkc.name)[2:]))
    return out


def table_order(schema: Schema, deferred: Mapping[str, set[int]]) -> tuple[str, ...]:
    """Table keys, parents first, with the ``deferred`` keys left out of the sort."""
    md, _ = _metadata(schema)
    forced = {
        fkc
        for t in md.tables.values()
        for fkc in t.foreign_key_constraints
        if int(str(fkc.name)[2:]) in deferred.get(t.name, set())
    }
    result = sort_tables_and_constraints(
        list(md.tables.values()),
        filter_fn=lambda fkc: True if fkc in forced else None,
        extra_dependencies=[(md.tables[a], md.tables[b]) for a, b in family_chain(schema)],
    )
    return tuple(t.name for t, _ in result if t is not None)


def cycles_of(schema: Schema, deferred: Mapping[str, set[int]]) -> tuple[tuple[str, ...], ...]:
    """Groups of tables joined by a cycle, for ``syda inspect`` and logging."""
    cycles: list[tuple[str, ...]] = []
    for key, idxs in deferred.items():
        for i in idxs:
            fk = schema.table(key).foreign_keys[i]
            cycles.append((key, fk.ref_table))
    return tuple(sorted(set(cycles)))
