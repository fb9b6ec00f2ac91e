"""The order in which a schema's tables are written into a database, and how cycles are cut.

A database checks a foreign key when a row arrives (or at the end of the statement, or at COMMIT
when the check is deferred), so parents must be written before their children. Tables on a
cycle of foreign keys cannot all come first: the planner's minimal set of *cycle-closing* foreign
keys (:func:`syda.plan.deferred_foreign_keys`, which keeps NOT NULL keys out of the set where
it can) names the keys to deal with specially. Each of them is either

* **set later**: all its columns are nullable and its table has a key to find a row by, so the
  row is inserted with NULL there and an UPDATE sets the value once every row exists; or
* **hard**: NOT NULL (or no row key): the database must check it late (deferred constraints,
  one multi-table statement, or checks switched off and verified), see :mod:`.cycles`.

Tables are ordered by their strongly connected components (the tables of one cycle stay
together, which a single multi-table statement needs), parents first, ties broken by the order of
the schema so the same schema always gives the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from syda.plan import deferred_foreign_keys
from syda.schema.ir import ForeignKey, Schema, Table

__all__ = ["CycleKey", "WriteOrder", "row_key", "write_order"]

_T = TypeVar("_T")


@dataclass(frozen=True)
class CycleKey:
    """A foreign key that closes a cycle, and how it is written."""

    table: str
    """Key of the table holding the foreign key."""
    fk: ForeignKey
    set_later: bool
    """Inserted as NULL, then set by UPDATE (else the database must check it late)."""

    def describe(self) -> str:
        """``table(cols) -> parent`` for messages and reports."""
        return f"{self.table}({', '.join(self.fk.columns)}) -> {self.fk.ref_table}"


@dataclass(frozen=True)
class WriteOrder:
    """Tables parents first, and the foreign keys that close cycles."""

    order: tuple[str, ...]
    """Every table key, parents before children, each cycle's tables next to each other."""
    groups: tuple[frozenset[str], ...]
    """The tables of each cycle (strongly connected components of two or more tables)."""
    cycle_keys: tuple[CycleKey, ...]

    @property
    def hard(self) -> tuple[CycleKey, ...]:
        """The cycle-closing keys the database must check late."""
        return tuple(ck for ck in self.cycle_keys if not ck.set_later)

    def group_of(self, key: str) -> frozenset[str]:
        """The cycle ``key`` is on (just ``{key}`` if it is on none)."""
        return next((g for g in self.groups if key in g), frozenset({key}))


def row_key(table: Table, excluding: Iterable[str] = ()) -> tuple[str, ...] | None:
    """Columns that find one row of ``table`` for an UPDATE, avoiding ``excluding``.

    The primary key, else a UNIQUE set of NOT NULL columns; None when there is neither.
    """
    avoid = set(excluding)
    for columns in table.unique_sets:
        usable = not avoid & set(columns)
        if usable and all(not table.column(c).nullable for c in columns):
            return columns
    return None


def write_order(schema: Schema) -> WriteOrder:
    """Order ``schema``'s tables for writing and classify its cycle-closing foreign keys."""
    deferred = deferred_foreign_keys(schema)
    cycle_keys: list[CycleKey] = []
    for table in schema:
        indexes = sorted(deferred.get(table.key, ()))
        fks = [table.foreign_keys[i] for i in indexes]
        later_columns = [c for fk in fks for c in fk.columns]
        for fk in fks:
            nullable = all(table.column(c).nullable for c in fk.columns)
            can_update = row_key(table, excluding=later_columns) is not None
            cycle_keys.append(CycleKey(table.key, fk, set_later=nullable and can_update))

    keys = list(schema.keys)
    parents = {
        t.key: {fk.ref_table for fk in t.foreign_keys if fk.ref_table in schema} - {t.key}
        for t in schema
    }
    reach = {key: _reachable(key, parents) for key in keys}
    component = {
        key: frozenset({key} | {other for other in reach[key] if key in reach[other]})
        for key in keys
    }
    components = list(dict.fromkeys(component[key] for key in keys))
    component_parents = {
        c: {component[p] for member in c for p in parents[member]} - {c} for c in components
    }
    kept = {
        t.key: {
            fk.ref_table
            for i, fk in enumerate(t.foreign_keys)
            if i not in deferred.get(t.key, ()) and fk.ref_table != t.key
        }
        for t in schema
    }
    order: list[str] = []
    for c in _toposort(components, component_parents):
        members = [key for key in keys if key in c]
        inner = {m: kept[m] & c for m in members}
        order.extend(_toposort(members, inner))
    groups = tuple(c for c in components if len(c) > 1)
    return WriteOrder(tuple(order), groups, tuple(cycle_keys))


def _reachable(start: str, parents: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(parents[start])
    while todo:
        key = todo.pop()
        if key not in seen:
            seen.add(key)
            todo.extend(parents[key])
    return seen


def _toposort(nodes: Sequence[_T], parents: Mapping[_T, set[_T]]) -> list[_T]:
    """Parents first; among the ready nodes, the one listed first in ``nodes``."""
    done: list[_T] = []
    placed: set[_T] = set()
    while len(done) < len(nodes):
        ready = [n for n in nodes if n not in placed and parents[n] <= placed]
        # A cycle left here would be a bug in the cut; placing the rest keeps every row written
        # and lets the database say which key it objects to.
        chosen = ready[0] if ready else next(n for n in nodes if n not in placed)
        done.append(chosen)
        placed.add(chosen)
    return done
