"""Inheritance families: tables whose rows are read together, so their keys must not collide.

A PostgreSQL child table (``CREATE TABLE capital (...) INHERITS (city)``) is filled as a table
of its own, but ``SELECT ... FROM city`` reads its rows too: a capital numbered 1, 2, 3 beside
cities numbered 1, 2, 3 reads as duplicate cities. So the tables of a family (a parent, its
children, theirs) are filled one after another, parents first, and each numbers its keys after
every key the family holds already: in the target (append mode) and in the tables filled before
it (:func:`family_existing`).
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

import pandas as pd

from syda.schema.ir import Schema

__all__ = ["family_chain", "family_existing", "family_of"]


def family_of(schema: Schema) -> dict[str, tuple[str, ...]]:
    """Each table of a family, by key, to its whole family in filling order (parents first)."""
    links: dict[str, set[str]] = {t.key: set() for t in schema}
    for table in schema:
        for parent in table.inherits:
            if parent in links:
                links[table.key].add(parent)
                links[parent].add(table.key)
    depth = {t.key: _depth(schema, t.key) for t in schema}
    position = {key: i for i, key in enumerate(schema.keys)}
    families: dict[str, tuple[str, ...]] = {}
    for key in schema.keys:
        if key in families or not links[key]:
            continue
        members, todo = {key}, [key]
        while todo:
            for other in links[todo.pop()] - members:
                members.add(other)
                todo.append(other)
        ordered = tuple(sorted(members, key=lambda k: (depth[k], position[k])))
        families.update(dict.fromkeys(ordered, ordered))
    return families


def family_chain(schema: Schema) -> list[tuple[str, str]]:
    """``(before, after)`` pairs that fill each family in order, for the table sort."""
    pairs: list[tuple[str, str]] = []
    for family in dict.fromkeys(family_of(schema).values()):
        pairs.extend(pairwise(family))
    return pairs


def family_existing(
    schema: Schema,
    key: str,
    existing: Mapping[str, pd.DataFrame],
    filled: Mapping[str, pd.DataFrame],
) -> pd.DataFrame | None:
    """The rows ``key``'s new keys must not repeat: its own existing ones and its family's.

    Args:
        schema: The schema being filled.
        key: The table about to be filled.
        existing: Append mode: the key columns of the rows each table holds already.
        filled: The tables filled so far in this run.

    Returns:
        ``existing[key]`` with the primary-key columns of the other tables of the family
        appended (their existing rows and the rows filled so far); ``existing.get(key)`` when
        the table is in no family.
    """
    own = existing.get(key)
    family = family_of(schema).get(key)
    table = schema.table(key)
    if not family or not table.primary_key:
        return own
    keys = list(table.primary_key)
    parts = [own] if own is not None else []
    for other in family:
        if other == key:
            continue
        for source in (existing.get(other), filled.get(other)):
            if source is not None and set(keys) <= set(source.columns):
                parts.append(source[keys])
    if not parts:
        return own
    return pd.concat(parts, ignore_index=True)


def _depth(schema: Schema, key: str, seen: frozenset[str] = frozenset()) -> int:
    parents = [p for p in schema.table(key).inherits if p in schema and p not in seen]
    return 1 + max((_depth(schema, p, seen | {key}) for p in parents), default=-1)
