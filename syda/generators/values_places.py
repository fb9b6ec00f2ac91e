"""Generators for places: street, city, state, postal code, country and coordinates.

Every address column of a row indexes the same record of the pools' address table (drawn once
per batch, see :attr:`Batch.address`), so the city, state and postal code of a row belong
together: for ``en_US`` the ZIP code lies in the state's ZIP range. A country column without any
other address column in its table gets a spread of countries instead of only the locale's own.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from syda.generators import pools_vocab as vocab
from syda.generators.values import AnyArray, Batch, ColumnSpec, Generator, ObjArray
from syda.generators.values_draw import listed_once, lookup_draw
from syda.generators.vocab_lookup import world_countries

__all__ = ["GENERATORS", "state_rows"]

_COUNTRY_WEIGHTS = 1.0 / np.arange(1, len(vocab.COUNTRIES) + 1)
_COUNTRY_WEIGHTS /= _COUNTRY_WEIGHTS.sum()
_PLACE = ("street_address", "address", "city", "state", "postal_code")
_STREET_LEVEL = frozenset({"street_address", "address", "city", "postal_code"})


def state_rows(b: Batch) -> None:
    """In a table of states (a lookup of states, without streets or cities), one row per state."""
    places = {s.semantic for s in b.specs.values()}
    listed = any(s.semantic == "state" and listed_once(b.table, s.column) for s in b.specs.values())
    if listed and not places & _STREET_LEVEL:
        b.distinct_addresses("state")


def _countries(b: Batch, spec: ColumnSpec, field: str) -> ObjArray:
    """Countries for a table without other address columns; distinct ones in a country table.

    Half are the locales' own country; the rest a spread of common countries, because a list of
    customers is rarely from one country only.
    """
    if field == "country" and listed_once(b.table, spec.column):
        return lookup_draw(b, spec, world_countries(), skew=0.0)
    idx = b.rng.choice(len(vocab.COUNTRIES), size=b.n, p=_COUNTRY_WEIGHTS)
    world = np.array([c[field == "country_code"] for c in vocab.COUNTRIES], dtype=object)[idx]
    own = getattr(b.places, field)[b.address]
    return np.where(b.rng.random(b.n) < 0.5, own, world)


def _address_field(field: str) -> Generator:
    def generate(b: Batch, spec: ColumnSpec) -> AnyArray:
        pool = b.places
        if field in ("country", "country_code") and not any(
            s.semantic in _PLACE for s in b.specs.values()
        ):
            return _countries(b, spec, field)
        state_rows(b)
        values = getattr(pool, field)
        length = spec.column.length
        if field == "state" and (
            (length is not None and length <= 3) or {"abbr", "abbreviation"} & set(spec.tokens)
        ):
            values = pool.state_abbr
        return values[b.address]  # type: ignore[no-any-return]

    generate.__doc__ = f"The {field.replace('_', ' ')} of the row's address record."
    return generate


def address(b: Batch, spec: ColumnSpec) -> AnyArray:
    """One-line postal addresses of the row's address record."""
    return b.places.full()[b.address]  # type: ignore[no-any-return]


def _coordinate(field: str) -> Generator:
    def generate(b: Batch, spec: ColumnSpec) -> AnyArray:
        values = getattr(b.places, field)[b.address]
        return np.round(values, 6)  # type: ignore[no-any-return]

    generate.__doc__ = f"The {field} of the row's address record (6 decimals)."
    return generate


GENERATORS: Mapping[str, Generator] = {
    "street_address": _address_field("street"),
    "city": _address_field("city"),
    "state": _address_field("state"),
    "postal_code": _address_field("postal_code"),
    "country": _address_field("country"),
    "country_code": _address_field("country_code"),
    "address": address,
    "latitude": _coordinate("latitude"),
    "longitude": _coordinate("longitude"),
}
