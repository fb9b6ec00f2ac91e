"""Columns a document copies from its parent: an invoice bills its customer's address.

Chinook's ``Invoice.BillingCity`` is the city of the invoice's customer, and Northwind's
``orders.ship_country`` the country of the order's customer: drawn apart, a person reads an
invoice billed to another town than its customer lives in. So a column named as a parent's
address part behind a billing or shipping word (:data:`COPY_PREFIXES`) is copied from the
parent: ``from_parent: Customer.City``. The parent is one whose rows own an address
(:data:`OWNERS`: a customer, not the employee who took the order), else the only parent with
such columns.

A copy is written only where it keeps the column's constraints: the parent's values fit the
column's length, and a NOT NULL column copies a NOT NULL one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from syda.generators.infer import name_tokens
from syda.profile.lineage import earlier_parents
from syda.schema.ir import Column, Schema, Table

__all__ = ["ADDRESS_PARTS", "COPY_PREFIXES", "OWNERS", "copy_specs"]

COPY_PREFIXES = frozenset({"billing", "bill", "shipping", "ship", "delivery", "mailing"})
"""Words before a parent's column name that mark the document's copy of it."""

ADDRESS_PARTS = frozenset(
    {"address", "addr", "street", "line1", "line2", "address1", "address2", "city", "town",
     "state", "region", "province", "county", "country", "postal", "postcode", "zip",
     "zipcode"}
)  # fmt: skip
"""Words of the columns copied: parts of a postal address."""

OWNERS = frozenset(
    {"customer", "customers", "client", "clients", "account", "accounts", "buyer", "buyers",
     "member", "members", "subscriber", "subscribers", "patient", "patients", "guest",
     "guests", "user", "users", "person", "people", "contact", "contacts"}
)  # fmt: skip
"""Words of the parent tables whose address a document bills or ships to."""

Free = Callable[[str], bool]


def copy_specs(schema: Schema, table: Table, free: Free) -> dict[str, dict[str, Any]]:
    """``{column: {"from_parent": "alias.column"}}`` for the address parts ``table`` copies."""
    keys = {c for fk in table.foreign_keys for c in fk.columns} | set(table.primary_key)
    wanted = {
        col.name: rest
        for col in table.columns
        if col.name not in keys and free(col.name) and (rest := _copied_part(col)) is not None
    }
    if not wanted:
        return {}
    found = [(alias, parent, _matches(table, parent, wanted)) for alias, parent in
             earlier_parents(schema, table)]  # fmt: skip
    found = [f for f in found if f[2]]
    owners = [f for f in found if set(name_tokens(f[1].name)) & OWNERS]
    chosen = owners[0] if owners else (found[0] if len(found) == 1 else None)
    if chosen is None:
        return {}
    alias, _, matched = chosen
    return {name: {"from_parent": f"{alias}.{other}"} for name, other in matched.items()}


def _copied_part(col: Column) -> tuple[str, ...] | None:
    """The parent column's words a column copies (``city`` of ``BillingCity``), if any."""
    if col.kind not in ("string", "text"):
        return None
    tokens = name_tokens(col.name)
    if len(tokens) < 2 or tokens[0] not in COPY_PREFIXES:
        return None
    rest = tuple(tokens[1:])
    return rest if set(rest) & ADDRESS_PARTS else None


def _matches(table: Table, parent: Table, wanted: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """``{child column: parent column}`` for the wanted parts the parent holds."""
    by_words: dict[tuple[str, ...], Column] = {}
    for other in parent.columns:
        by_words.setdefault(tuple(name_tokens(other.name)), other)
    out: dict[str, str] = {}
    for name, rest in wanted.items():
        found = by_words.get(rest)
        if found is not None and _fits(table.column(name), found):
            out[name] = found.name
    return out


def _fits(col: Column, other: Column) -> bool:
    if other.kind not in ("string", "text") or other.generated:
        return False
    if not col.nullable and other.nullable:
        return False
    return col.length is None or (other.length is not None and other.length <= col.length)
