"""The parents (and parents' parents) a table's specs may read, as inference names them.

A rule reads a parent through the alias a person would write (``product`` for ``product_id``,
the table's name for a composite key) and only where the parent's rows exist when the table is
drawn: a parent that leads back to the table (a cycle) is filled in a second pass, so no rule
reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from syda.profile.context import parent_aliases
from syda.schema.ir import Schema, Table

__all__ = ["Link", "SchemaIndex", "earlier_parents", "index_of", "links", "reaches"]


@dataclass(frozen=True)
class Link:
    """A parent (or a parent's parent) reached from a table through its foreign keys."""

    alias: str
    """How a spec names it: ``product``, or ``partsupp.part`` for a parent's parent."""
    table: Table
    nullable: bool
    """Some row may have no such parent (a nullable foreign key on the way)."""


@dataclass
class SchemaIndex:
    """Look-ups over one schema that rules ask for table after table, computed once.

    ``Schema.table`` and a walk of the foreign keys are linear in the schema's size; asked for
    every table by every rule they made a 400-table profile take a minute.
    """

    schema: Schema
    by_key: dict[str, Table] = field(default_factory=dict)
    children: dict[str, list[Table]] = field(default_factory=dict)
    """Tables with a foreign key to each table key."""
    memo: dict[Any, Any] = field(default_factory=dict)
    """Results a rule computes once per table (a line's reading)."""
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for table in self.schema:
            self.by_key[table.key] = table
        for table in self.schema:
            for ref in dict.fromkeys(fk.ref_table for fk in table.foreign_keys):
                self.children.setdefault(ref, []).append(table)

    def ancestors(self, key: str) -> frozenset[str]:
        """Every table key the foreign keys of ``key`` lead to, through any number of tables."""
        found = self._ancestors.get(key)
        if found is None:
            seen: set[str] = set()
            todo = (
                [fk.ref_table for fk in self.by_key[key].foreign_keys] if key in self.by_key else []
            )
            while todo:
                step = todo.pop()
                if step in seen:
                    continue
                seen.add(step)
                if step in self.by_key:
                    todo.extend(fk.ref_table for fk in self.by_key[step].foreign_keys)
            found = self._ancestors[key] = frozenset(seen)
        return found


_INDEXES: dict[int, SchemaIndex] = {}


def index_of(schema: Schema) -> SchemaIndex:
    """The schema's index, built on first use (kept for the last few schemas)."""
    found = _INDEXES.get(id(schema))
    if found is not None and found.schema is schema:
        return found
    if len(_INDEXES) >= 8:
        _INDEXES.clear()
    found = _INDEXES[id(schema)] = SchemaIndex(schema)
    return found


def earlier_parents(schema: Schema, table: Table) -> list[tuple[str, Table]]:
    """(alias, parent table) of each foreign key to an earlier table, NOT NULL ones first."""
    return [(link.alias, link.table) for link in _direct(schema, table)]


def links(schema: Schema, table: Table) -> tuple[Link, ...]:
    """The table's parents (NOT NULL keys first), then their own parents in the same order."""
    direct = _direct(schema, table)
    out = list(direct)
    for link in direct:
        for alias, grand in earlier_parents(schema, link.table):
            if grand.key == table.key:
                continue
            nullable = link.nullable or _nullable_key(link.table, alias)
            out.append(Link(f"{link.alias}.{alias}", grand, nullable))
    return tuple(out)


def reaches(schema: Schema, start: Table, target: str) -> bool:
    """Whether ``start``'s foreign keys lead (through any number of tables) to ``target``."""
    return start.key == target or target in index_of(schema).ancestors(start.key)


def _direct(schema: Schema, table: Table) -> list[Link]:
    names: dict[int, str] = {}
    for alias, index in parent_aliases(table).items():
        if index not in names or names[index] == table.foreign_keys[index].columns[0]:
            names[index] = alias
    tables = index_of(schema).by_key
    out: list[Link] = []
    for index, fk in enumerate(table.foreign_keys):
        if fk.ref_table == table.key or index not in names or fk.ref_table not in tables:
            continue
        parent = tables[fk.ref_table]
        if reaches(schema, parent, table.key):
            continue  # a cycle: the parent's rows may not exist when this table is drawn
        nullable = any(table.column(c).nullable for c in fk.columns)
        out.append(Link(names[index], parent, nullable))
    out.sort(key=lambda link: link.nullable)
    return out


def _nullable_key(table: Table, alias: str) -> bool:
    fk = table.foreign_keys[parent_aliases(table)[alias]]
    return any(table.column(c).nullable for c in fk.columns)
