"""A catalogue describes its products: ``semantic: product_description``.

Beside a product name (the catalogue's: ``Integration Consulting (5 days)``), a description
column drawn as generic sentences reads as lorem. So a ``description`` column of a table that
names its products is drawn as ``product_description``: the product's name, then what is
bought, in the words of its category (:mod:`syda.generators.values_blurbs`). The profile
shows it; ``semantic: description`` gives the generic sentences back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from syda.profile.spec import ColumnProfile
from syda.schema.ir import Table

__all__ = ["product_description_specs"]

Free = Callable[[str], bool]


def product_description_specs(
    table: Table, guesses: dict[str, ColumnProfile], free: Free
) -> dict[str, dict[str, Any]]:
    """``{description column: {"semantic": "product_description"}}`` beside a product name."""
    named = any(g.semantic == "product_name" and g.values is None for g in guesses.values())
    if not named:
        return {}
    return {
        col.name: {"semantic": "product_description"}
        for col in table.columns
        if col.kind in ("string", "text")
        and guesses.get(col.name, ColumnProfile()).semantic == "description"
        and not col.choices
        and free(col.name)
    }
