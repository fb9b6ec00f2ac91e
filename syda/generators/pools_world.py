"""Customers abroad: the address records of a table that stores each row's country.

A table keeping a country beside its addresses says its rows live in several countries (a
store's customers, a trading company's suppliers); drawn from one locale alone, 193 of 200
Chinook customers lived in the United States. Such a table draws :data:`HOME_SHARE` of its
rows from the locale's own records and the rest from a few records of each country of
:data:`WORLD_LOCALES`, the first ones more common. Every record is one place, so a row's city,
region, postal code and country still belong together.

A table stays at home where the schema says so: a two-letter state column (US states), a
table of the organisation's own people or sites (:data:`LOCAL_TABLES`), or locales the user
chose (more than one locale: their countries are the spread).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from typing import Any

import numpy as np

from syda.generators.pools import AddressPool, Pools, get_pools

__all__ = [
    "HOME_SHARE",
    "LOCAL_TABLES",
    "WORLD_LOCALES",
    "abroad",
    "phone_formats_abroad",
    "places_abroad",
]

WORLD_LOCALES = ("en_CA", "en_GB", "de_DE", "fr_FR", "pt_BR", "es_ES", "it_IT", "en_AU",
                 "es_MX", "sv_SE", "pl_PL")  # fmt: skip
"""The countries abroad, most common first (their Faker names are English country names)."""

HOME_SHARE = 0.4
"""Share of rows at the locale's own addresses."""

LOCAL_TABLES = frozenset(
    {"employee", "employees", "staff", "worker", "workers", "office", "offices", "store",
     "stores", "warehouse", "warehouses", "branch", "branches", "site", "sites"}
)  # fmt: skip
"""Words of tables of the organisation's own people and places: they stay at home."""

_SKEW = 0.9
_lock = threading.Lock()
_joined: dict[tuple[tuple[str, ...], int], tuple[AddressPool, np.ndarray[Any, Any]]] = {}


def abroad(
    table_words: Iterable[str], semantics: set[str], short_state: bool, pools: Pools
) -> bool:
    """Whether a table's rows live in several countries (see the module's rules)."""
    if not semantics & {"country", "country_code"} or short_state:
        return False
    if not semantics & {"street_address", "address", "city", "state", "postal_code"}:
        return False  # a country alone is spread by syda.generators.values_places
    return len(pools.locale_names) == 1 and not set(table_words) & LOCAL_TABLES


def places_abroad(pools: Pools) -> tuple[AddressPool, np.ndarray[Any, Any]]:
    """The locale's records followed by those abroad, and the weight of each record."""
    key = (pools.locale_names, pools.seed)
    with _lock:
        if key not in _joined:
            _joined[key] = _join(pools.addresses, _world(pools.seed).world_addresses)
        return _joined[key]


def phone_formats_abroad(pools: Pools) -> dict[str, tuple[str, ...]]:
    """Phone formats by country code (``IT``: Italy's), the locale's own first.

    A customer in Milan is called on an Italian number: the phones of a table abroad follow
    each row's country, as its address does.
    """
    out: dict[str, tuple[str, ...]] = {}
    for part in (*pools.locales, *_world(pools.seed).locales):
        out.setdefault(part.country_code, part.phone_formats)
    return out


@functools.lru_cache(maxsize=4)
def _world(seed: int) -> Pools:
    return get_pools(WORLD_LOCALES, seed)


def _join(home: AddressPool, world: AddressPool) -> tuple[AddressPool, np.ndarray[Any, Any]]:
    foreign = ~np.isin(world.country_code, np.unique(home.country_code.astype(str)))
    fields = AddressPool.__dataclass_fields__
    joined = AddressPool(
        **{f: np.concatenate([getattr(home, f), getattr(world, f)[foreign]]) for f in fields}
    )
    codes = world.country_code[foreign].astype(str)
    order = list(dict.fromkeys(codes))  # the countries in WORLD_LOCALES' order
    share = 1.0 / np.arange(1, len(order) + 1) ** _SKEW
    share = (1 - HOME_SHARE) * share / share.sum()
    per_code = {c: s / int((codes == c).sum()) for c, s in zip(order, share, strict=True)}
    weights = np.concatenate(
        [np.full(len(home), HOME_SHARE / len(home)), np.array([per_code[c] for c in codes])]
    )
    return joined, weights
