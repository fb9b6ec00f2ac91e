"""The words of identifiers: column and table names split into lowercase tokens."""

from __future__ import annotations

import re

from syda.schema.ir import Table

__all__ = ["name_tokens", "table_tokens"]


def name_tokens(name: str) -> list[str]:
    """Split a snake_case, kebab-case or camelCase identifier into lowercase tokens."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [t for t in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if t]


def table_tokens(table: Table) -> list[str]:
    """Tokens of the table's key and SQL name, used to resolve ambiguous column names."""
    return name_tokens(table.key) + name_tokens(table.name)
