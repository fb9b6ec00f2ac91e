"""The parents (and parents' parents) a table's specs may read, as inference names them.

A rule reads a parent through the alias a person would write (``product`` for ``product_id``,
the table's name for a composite key) and only where the parent's rows exist when the table is
drawn: a parent that leads back to the table (a cycle) is filled in a second pass, so no rule
reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from syda.profile.context import parent_aliases
from syda.schema.ir import Schema, Table

__all__ = ["Link", "earlier_parents", "links", "reaches"]


@dataclass(frozen=True)
class Link:
    """A parent (or a parent's parent) reached from a table through its foreign keys."""

    alias: str
    """How a spec names it: ``product``, or ``partsupp.part`` for a parent's parent."""
    table: Table
    nullable: bool
    """Some row may have no such parent (a nullable foreign key on the way)."""


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
    seen: set[str] = set()
    todo = [start.key]
    while todo:
        key = todo.pop()
        if key == target:
            return True
        if key in seen or key not in schema:
            continue
        seen.add(key)
        todo.extend(fk.ref_table for fk in schema.table(key).foreign_keys)
    return False


def _direct(schema: Schema, table: Table) -> list[Link]:
    names: dict[int, str] = {}
    for alias, index in parent_aliases(table).items():
        if index not in names or names[index] == table.foreign_keys[index].columns[0]:
            names[index] = alias
    out: list[Link] = []
    for index, fk in enumerate(table.foreign_keys):
        if fk.ref_table == table.key or index not in names or fk.ref_table not in schema:
            continue
        parent = schema.table(fk.ref_table)
        if reaches(schema, parent, table.key):
            continue  # a cycle: the parent's rows may not exist when this table is drawn
        nullable = any(table.column(c).nullable for c in fk.columns)
        out.append(Link(names[index], parent, nullable))
    out.sort(key=lambda link: link.nullable)
    return out


def _nullable_key(table: Table, alias: str) -> bool:
    fk = table.foreign_keys[parent_aliases(table)[alias]]
    return any(table.column(c).nullable for c in fk.columns)
