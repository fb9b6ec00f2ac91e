"""A price that depends on what is sold: ``scale_by`` the row's category.

Drawn from one distribution, a consulting engagement of a software vendor cost less than a
licence seat (medians 28.85 and 35.50 in the CRM demo). A catalogue prices its categories
apart: services sold by the day cost far more than a seat, a support plan or a training course
more than a licence, an add-on or an accessory less. So a price column beside a category column
(the row's own, else a parent's: a product's category table) whose values are known before the
rows are drawn (its CHECK ... IN list or enum, the values of its spec, or the vocabulary the
offline provider draws it from) is scaled by each value's price level, read from the words of
the value (:data:`PRICE_LEVELS`):

``price: {scale_by: {category: {Consulting: 20.0, Software Licences: 1.0, Add-ons: 0.4}}}``

Values no level names take 1; nothing is written when no two values differ. The spec is a
plain ``scale_by`` in the profile, so ``syda profile`` shows it and a user edits or drops it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from syda.generators import pools_vocab as retail
from syda.generators.domains import catalogue, domain_of
from syda.generators.infer import infer_semantic, name_tokens
from syda.generators.vocab_lookup import TIER_WORDS, vocabulary
from syda.profile.lineage import earlier_parents
from syda.profile.spec import ColumnProfile
from syda.schema.ir import Column, Schema, Table

__all__ = ["PRICE_LEVELS", "price_level", "price_scale_specs"]

PRICE_LEVELS: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(words, re.IGNORECASE), level)
    for words, level in (
        # services sold by the day or the project: a consultant's week, not a seat
        (r"consult|professional services|engagement|implementation|integration|audit|"
         r"migration|installation|projects?\b", 20.0),
        (r"training|courses?\b|workshop|certif|onboarding|education|seminar", 6.0),
        # big-ticket goods
        (r"furniture|appliance|jewel|computer|automotive", 5.0),
        (r"support|maintenance|services?\b|subscription|plans?\b|warrant|hosting|cloud", 3.0),
        (r"electronic|tools?\b|sports|outdoor|garden", 2.0),
        (r"licen[cs]e|software|seats?\b", 1.0),
        (r"books?\b|grocer|toys?\b|crafts?\b|beauty|stationery|snacks?\b|beverage|condiment|"
         r"spice", 0.5),
        (r"add-?ons?\b|accessor|upgrade|spare|parts?\b|consumable|refill|supplies", 0.4),
    )
)  # fmt: skip
"""Words of a category value, in the order they are tried, and that category's price level."""

_PRICES = frozenset({"price"})
"""Meanings scaled: a selling price (list and cost prices keep their own, tied shapes)."""
_CATEGORIES = frozenset({"category"})

Free = Callable[[str], bool]


def price_level(value: str) -> float | None:
    """The price level the words of a category value name, or None when none does."""
    return next((level for words, level in PRICE_LEVELS if words.search(value)), None)


def price_scale_specs(
    schema: Schema, table: Table, guesses: dict[str, ColumnProfile], free: Free
) -> dict[str, dict[str, Any]]:
    """``{price column: {"scale_by": {category: {value: level}}}}`` for ``table``.

    The row's own category first, else its parent's (Northwind's ``products.category_id``:
    ``category.category_name``).
    """
    prices = [
        c
        for c in table.columns
        if c.kind in ("integer", "float", "decimal")
        and guesses.get(c.name, ColumnProfile()).semantic in _PRICES
        and free(c.name)
    ]
    if not prices:
        return {}
    found = _scale(table, guesses, "")
    for alias, parent in earlier_parents(schema, table) if found is None else ():
        drawn = {c.name: ColumnProfile(semantic=infer_semantic(c, parent)) for c in parent.columns}
        found = found or _scale(parent, drawn, f"{alias}.")
    if found is None:
        return {}
    return {p.name: {"scale_by": found} for p in prices}


def _scale(
    table: Table, guesses: dict[str, ColumnProfile], prefix: str
) -> dict[str, dict[str, float]] | None:
    """``{category column: levels}`` of the first category column whose values differ."""
    for col in table.columns:
        guess = guesses.get(col.name)
        if guess is None or guess.semantic not in _CATEGORIES:
            continue
        levels = _levels(_known_values(table, col, guess, guesses))
        if len(set(levels.values())) > 1:
            return {prefix + col.name: levels}
    return None


def _levels(values: Sequence[Any]) -> dict[str, float]:
    found = {str(v): price_level(str(v)) for v in values if isinstance(v, str)}
    return {v: level for v, level in found.items() if level is not None}


def _known_values(
    table: Table, col: Column, guess: ColumnProfile, guesses: dict[str, ColumnProfile]
) -> Sequence[Any]:
    """The values the column is drawn from, as the provider or its spec would draw them."""
    if guess.values is not None:
        return list(guess.values)
    if col.choices:
        return list(col.choices)
    if TIER_WORDS & set(name_tokens(col.name)):
        return ()  # a plan tier (Basic, Premium): a level of its own, not what is sold
    domain = domain_of(table)
    if any(g.semantic == "product_name" and g.values is None for g in guesses.values()):
        # Beside a product name the category is the catalogue's (values_text.category).
        found = catalogue(domain)
        if found is not None:
            return list(dict.fromkeys(found[1]))
        return [*dict.fromkeys(c for c, _, _ in retail.PRODUCT_CATALOGUE), "Software"]
    return list(vocabulary("category", col, table, domain) or ())
