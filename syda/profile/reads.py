"""The parent columns a profile's specs read through foreign keys (``product.price``).

Appending to a database, new rows may point at parents that are already there; those parents
are read back for their keys, and for the columns listed here, so a new order line copies the
price of the old product it points at rather than a NULL.
"""

from __future__ import annotations

from syda.profile.context import split_ref
from syda.profile.draw import refs_of
from syda.profile.exprs import referenced_table
from syda.profile.spec import Profile
from syda.schema.ir import Schema

__all__ = ["parent_reads"]


def parent_reads(schema: Schema, profile: Profile) -> dict[str, set[str]]:
    """Per table key, the columns that some child's spec reads from it (or a grandchild's)."""
    out: dict[str, set[str]] = {}
    for table in schema:
        tp = profile.tables.get(table.key)
        if tp is None:
            continue
        for name, spec in tp.columns.items():
            if not table.has_column(name):
                continue
            for ref in refs_of(spec, table, table.column(name)):
                alias, column = split_ref(ref)
                if alias is None:
                    continue
                parent = referenced_table(schema, table, alias)
                if not isinstance(parent, str) and parent.has_column(column):
                    out.setdefault(parent.key, set()).add(column)
    return out
