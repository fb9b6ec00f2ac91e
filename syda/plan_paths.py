"""Keys along two paths agree: a payment's customer is its rental's customer.

When a table C has a foreign key to A and one to B, and B itself has a foreign key to A, the
row reaches A twice: directly, and through its B parent. Sampled independently the two paths
disagree (a payment charged to another customer than the rental's), so the planner ties them
once here, and the fill samples one key from the other (:mod:`syda.fill`):

- ``copy``: C's key to A is copied from the chosen B row (the usual direction);
- ``match``: when C's key to A is constrained (a cardinality, one-to-one, a combination), A is
  chosen first and B is chosen among A's children instead.

Not every such triangle is a rule of the data: a comment's author is not its post's author,
and a customer does not live at their store's address. The guards are data, below: both
tables must name the key to A with the same columns, and the vocabularies name the tables
whose rows are owned attributes (addresses) or acts of another actor (comments, likes).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from syda.schema.ir import ForeignKey, Schema, Table

if TYPE_CHECKING:
    from syda.plan import ForeignKeyPlan, TablePlan

__all__ = ["KeyPath", "followed_columns", "with_key_paths"]

OWNED_ATTRIBUTES = frozenset(
    {"address", "location", "place", "image", "photo", "picture", "avatar", "file", "attachment"}
)
"""Tables whose rows each referrer owns: two rows sharing a parent still have their own."""

OTHER_ACTORS = frozenset(
    {
        "comment",
        "reply",
        "like",
        "vote",
        "upvote",
        "reaction",
        "rating",
        "review",
        "follow",
        "follower",
        "message",
        "bookmark",
        "favorite",
        "favourite",
        "share",
        "mention",
        "report",
        "flag",
        "permission",
        "privilege",
    }
)
"""Child tables recording what someone does (or may do) to another's row: the actor differs
from its owner (a permission's grantee is not the user it is about)."""


@dataclass(frozen=True)
class KeyPath:
    """How a foreign key follows another key of the same row through a third table.

    ``columns`` are the child's columns of the key to A and ``via_columns`` the B table's
    columns holding the same A key, in the same order.
    """

    other: int
    """Index (in the table's foreign keys) of the key that is sampled first."""
    columns: tuple[str, ...]
    via_columns: tuple[str, ...]
    copy: bool
    """True: this key (to A) is copied from the B row the other key chose. False: this key (to
    B) picks B rows whose ``via_columns`` equal the row's ``columns``, set by the other key."""
    via_table: str
    """The B table (for messages and ``syda inspect``)."""

    def describe(self) -> str:
        """The source detail shown by ``syda inspect``."""
        if self.copy:
            return "copied from " + ", ".join(f"{self.via_table}.{c}" for c in self.via_columns)
        return f"many -> {self.via_table} with the same {', '.join(self.columns)}"


def _words(name: str) -> set[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    words = {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}
    return words | {w[:-1] for w in words if w.endswith("s")}


def _via_columns(table: Table, fk: ForeignKey, ref: ForeignKey) -> tuple[str, ...] | None:
    """B's columns holding the same A key as ``fk``, aligned with ``fk.columns`` (None: none)."""
    if set(ref.ref_columns) != set(fk.ref_columns):
        return None
    by_ref = dict(zip(ref.ref_columns, ref.columns, strict=True))
    via = tuple(by_ref[r] for r in fk.ref_columns)
    return via if all(table.has_column(c) for c in via) else None


@dataclass(frozen=True)
class _Triangle:
    a: int
    b: int
    via_columns: tuple[str, ...]
    via_table: str


def _triangles(
    schema: Schema, table: Table, planned: Mapping[int, object], deferred: Mapping[str, set[int]]
) -> list[_Triangle]:
    """Every (key to A, key to B) pair of ``table`` whose B has exactly one key to A."""
    if _words(table.name) & OTHER_ACTORS:
        return []
    fks = table.foreign_keys
    found = []
    for a, fk_a in enumerate(fks):
        owner = fk_a.ref_table
        if a not in planned or owner == table.key or _words(owner) & OWNED_ATTRIBUTES:
            continue
        # Two keys to A (a purchase's buyer and seller) are fine: only the one named like B's
        # key to A (the listing's seller_id) follows B, checked below; the other stays free.
        for b, fk_b in enumerate(fks):
            if b not in planned or fk_b.ref_table in (owner, table.key):
                continue
            if set(fk_a.columns) <= set(fk_b.columns):
                continue  # B's key already carries A's: shared columns agree by construction
            parent = schema.table(fk_b.ref_table)
            to_a = [j for j, fk in enumerate(parent.foreign_keys) if fk.ref_table == owner]
            if len(to_a) != 1 or to_a[0] in deferred.get(parent.key, set()):
                continue
            via = _via_columns(parent, fk_a, parent.foreign_keys[to_a[0]])
            if via is None or via != fk_a.columns:
                continue  # named differently (buyer_id vs seller_id): different roles
            found.append(_Triangle(a, b, via, parent.key))
    return found


def _plain(fkp: ForeignKeyPlan) -> bool:
    """A key sampled freely, so it can follow another one."""
    return fkp.mode == "many" and fkp.cardinality is None and not fkp.deferred


def _leads_to(paths: Mapping[int, KeyPath], start: int, target: int) -> bool:
    """Whether following ``other`` links from ``start`` reaches ``target`` (a cycle)."""
    seen: set[int] = set()
    while start in paths and start not in seen:
        seen.add(start)
        start = paths[start].other
    return start == target


def _paths(schema: Schema, tp: TablePlan, deferred: Mapping[str, set[int]]) -> dict[int, KeyPath]:
    planned = {f.index: f for f in tp.foreign_keys if f.mode != "self" and not f.deferred}
    paths: dict[int, KeyPath] = {}
    for tri in _triangles(schema, tp.table, planned, deferred):
        fk_a, fk_b = planned[tri.a], planned[tri.b]
        if _plain(fk_a) and tri.a not in paths and not _leads_to(paths, tri.b, tri.a):
            # The usual direction: A follows the chosen B row.
            target, other, copy = tri.a, tri.b, True
        elif _plain(fk_b) and tri.b not in paths and not _leads_to(paths, tri.a, tri.b):
            # A is constrained (or already follows another B): pick B among A's children.
            target, other, copy = tri.b, tri.a, False
        else:
            continue
        paths[target] = KeyPath(other, fk_a.fk.columns, tri.via_columns, copy, tri.via_table)
    return paths


def with_key_paths(
    schema: Schema, plans: Mapping[str, TablePlan], deferred: Mapping[str, set[int]]
) -> dict[str, TablePlan]:
    """``plans`` with every key that must agree with another key's parent tied to it."""
    from syda.plan import Source  # the plan module imports this one

    out = dict(plans)
    for key, tp in plans.items():
        paths = _paths(schema, tp, deferred)
        if not paths:
            continue
        fkps = tuple(replace(f, path=paths.get(f.index)) for f in tp.foreign_keys)
        sources = dict(tp.sources)
        for i, path in paths.items():
            for col in tp.table.foreign_keys[i].columns:
                if sources[col].kind == "foreign_key":
                    sources[col] = Source("foreign_key", path.describe())
        out[key] = replace(tp, foreign_keys=fkps, sources=sources)
    return out


def followed_columns(schema: Schema) -> dict[str, set[str]]:
    """Per table, the columns a child's key may be copied from (read in append mode too)."""
    out: dict[str, set[str]] = {}
    for table in schema:
        keys = dict(enumerate(table.foreign_keys))
        planned = {i: fk for i, fk in keys.items() if fk.ref_table in schema}
        for tri in _triangles(schema, table, planned, {}):
            out.setdefault(tri.via_table, set()).update(tri.via_columns)
    return out
