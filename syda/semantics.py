"""The vocabulary of semantic types: names that say what a column's values mean.

A dict schema may use these names as column types (``"email"``, ``"icd10_code"``); the offline
provider infers them for other inputs from names, comments and types. Each name maps to the
logical kind its values have. One vocabulary, shared by the schema adapters and the providers, so
a type name the adapters accept is always one the offline provider can fill.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from syda.generators.kinds import KINDS, Kind, on_change
from syda.schema.dbtypes import FAMILIES
from syda.schema.ir import ColumnKind

__all__ = ["SEMANTIC_KINDS", "kind_of_semantic"]

_NAMES: dict[str, ColumnKind] = dict(
    {
        # people
        "first_name": "string",
        "last_name": "string",
        "full_name": "string",
        "username": "string",
        "email": "string",
        "work_email": "string",
        "phone": "string",
        "gender": "string",
        "name_prefix": "string",
        "phone_extension": "string",
        "job_title": "string",
        "department": "string",
        "birth_date": "date",
        "age": "integer",
        "ssn": "string",
        # organisations and the web
        "company": "string",
        "industry": "string",
        "url": "string",
        "domain": "string",
        "ip_address": "string",
        "user_agent": "string",
        # places
        "street_address": "string",
        "address": "string",
        "city": "string",
        "state": "string",
        "country": "string",
        "country_code": "string",
        "postal_code": "string",
        "latitude": "float",
        "longitude": "float",
        # commerce
        "product_name": "string",
        "category": "string",
        "price": "decimal",
        "amount": "decimal",
        "currency": "string",
        "quantity": "integer",
        "percentage": "float",
        "rate": "float",
        "rating": "integer",
        "sku": "string",
        "status": "string",
        # codes and identifiers
        "code": "string",
        "icd10_code": "string",
        "uuid": "uuid",
        "color": "string",
        # text
        "title": "string",
        "description": "text",
        "product_description": "text",
        "text": "text",
        "word": "string",
        # time
        "date": "date",
        "datetime": "datetime",
        "time": "time",
        "created_at": "datetime",
        "updated_at": "datetime",
        "year": "integer",
        # plain
        "boolean": "boolean",
        "integer": "integer",
        "number": "integer",
        "float": "float",
        "decimal": "decimal",
        "string": "string",
        "json": "json",
        "binary": "binary",
        # the registered kinds (slugs, hashes, ISBNs, genres...), one entry each in kinds.py
        **{entry.name: entry.kind for entry in KINDS},
        # database types (inet, int4range, tsvector...), drawn in the type's own syntax
        **FAMILIES,
    }
)
_BUILT_IN = dict(_NAMES)
# A live read-only view: kinds users register (syda.register_kind) appear in it.
SEMANTIC_KINDS: Mapping[str, ColumnKind] = MappingProxyType(_NAMES)


def _follow(entry: Kind | None, name: str) -> None:
    if entry is not None:
        _NAMES[name] = entry.kind
    elif name in _BUILT_IN:
        _NAMES[name] = _BUILT_IN[name]
    else:
        _NAMES.pop(name, None)


on_change(_follow)


def kind_of_semantic(name: str) -> ColumnKind | None:
    """Return the logical kind of a semantic type name, or None if syda does not know it."""
    return SEMANTIC_KINDS.get(name.strip().lower())
