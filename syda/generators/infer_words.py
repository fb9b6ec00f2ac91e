"""The words of identifiers: column and table names split into lowercase tokens."""

from __future__ import annotations

import re

from syda.schema.ir import Table

__all__ = ["core_tokens", "name_tokens", "table_prefix", "table_tokens"]


def name_tokens(name: str) -> list[str]:
    """Split a snake_case, kebab-case or camelCase identifier into lowercase tokens."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [t for t in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if t]


def table_tokens(table: Table) -> list[str]:
    """Tokens of the table's key and SQL name, used to resolve ambiguous column names."""
    return name_tokens(table.key) + name_tokens(table.name)


_PREFIX_SHARE = 0.8
_PREFIX_LETTERS = 3


def table_prefix(table: Table) -> str | None:
    """The short word most of the table's columns start with, or None.

    TPC-DS's ``ca_`` of ``customer_address``, ``d_`` of ``date_dim``.
    Star schemas prefix every column with the table's initials; the prefix names the table, so
    a column is read without it (``ca_street_number`` is a street number).
    """
    firsts = [tokens[0] for c in table.columns if len(tokens := name_tokens(c.name)) > 1]
    if len(table.columns) < 3 or not firsts:
        return None
    head = max(set(firsts), key=firsts.count)
    if len(head) > _PREFIX_LETTERS or firsts.count(head) < _PREFIX_SHARE * len(table.columns):
        return None
    return head


def core_tokens(name: str, table: Table) -> list[str]:
    """``name``'s tokens without the table's column prefix; all of them when it has none.

    ``cd_marital_status`` of ``customer_demographics`` -> ``marital``, ``status``.
    """
    tokens = name_tokens(name)
    prefix = table_prefix(table)
    if prefix is not None and len(tokens) > 1 and tokens[0] == prefix:
        return tokens[1:]
    return tokens
