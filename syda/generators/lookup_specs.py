"""What inference writes for a lookup table: its domain's vocabulary, and names always filled.

A lookup table's naming column (:func:`~syda.generators.values_draw.names_row`) names every row,
and its vocabulary columns are its data: a genre without a name or a state without its
abbreviation reads as a hole, even where the DDL allows NULL (Chinook's ``Genre.Name``), so
inference gives them ``null_share: 0``. A lookup table whose own text
names no domain takes its neighbours' vocabulary (``semantic: film_category`` for sakila's
``category``, see :func:`~syda.generators.domains.domain_kinds`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from syda.generators.domains import domain_kinds
from syda.generators.values_draw import is_lookup, names_row
from syda.generators.vocab_lookup import VOCABULARIES
from syda.schema.ir import Schema, Table

__all__ = ["lookup_specs"]


def lookup_specs(
    schema: Schema, table: Table, semantics: Mapping[str, str | None], open_nulls: Collection[str]
) -> dict[str, dict[str, Any]]:
    """``{column: spec keys}`` for a lookup table's columns (``{}`` for other tables).

    Args:
        schema: The schema (a lookup table's neighbours say its domain).
        table: The table.
        semantics: The inferred kind of each column whose kind and source nobody declared.
        open_nulls: Columns whose NULLs nobody declared.
    """
    out: dict[str, dict[str, Any]] = {
        name: {"semantic": kind} for name, kind in domain_kinds(schema, table, semantics).items()
    }
    if not is_lookup(table):
        return out  # a categories table of many columns still takes its domain's names
    for col in table.columns:
        listed = names_row(table, col) or semantics.get(col.name) in VOCABULARIES
        if col.nullable and col.name in open_nulls and listed:
            out.setdefault(col.name, {})["null_share"] = 0.0
    return out
