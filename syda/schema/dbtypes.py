"""What a database type says about its values, beyond the logical kind: one table of rules.

:func:`read_type` reads a SQLAlchemy type (as reflection or a model gives it) into a logical
kind and column facts for the types whose values need more than the kind says:

* PostgreSQL arrays (of any element: an enum keeps its labels, a domain its CHECKs, folded into
  the element), ``hstore``, ``inet``/``cidr``/``macaddr``/``macaddr8``, ``interval``,
  ``bit``/``varbit`` (the length), ``tsvector``/``tsquery``, ``xml``, range and multirange
  types, the geometric types; ``money`` (a decimal of cents), ``oid`` and ``regconfig``;
* MySQL/MariaDB ``YEAR`` (1901..2155), ``SET`` (its members), ``BIT(n)`` (``BIT(1)`` is a
  flag, wider ones hold ``0..2**n-1``), ``TINYINT(1)`` (MySQL's ``BOOLEAN``), the spatial types
  and MariaDB's ``INET4``/``INET6``.

:func:`integer_range` gives the integer types narrower than 32 bits, and the unsigned ones, their
range (``TINYINT UNSIGNED``: 0..255, PostgreSQL ``smallint``: -32768..32767): the range is the
column's ``type_range``, and folded into its bounds (an unsigned 32- or 64-bit type: the lower
bound 0), so generators, validation and the planner keep values and keys inside what the
database stores.

A type with a family gets a :class:`~syda.schema.ir.DbType`; :data:`FAMILIES` says the logical
kind each family's values have (``inet`` values are strings, arrays JSON lists), and the
generators of :mod:`syda.generators.values_dbtypes` are registered under the same names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.dialects import mysql, postgresql
from sqlalchemy.dialects.postgresql import ranges
from sqlalchemy.types import TypeEngine

from syda.schema.checks import fold_checks
from syda.schema.ir import Column, ColumnKind, DbType
from syda.schema.limits import MAX_INTEGER_BOUND
from syda.schema.sqltypes import SPATIAL_TYPES, DatabaseType, Spatial

__all__ = ["FAMILIES", "TypeReader", "integer_range", "read_type", "singular"]

_RANGES = ("int4", "int8", "num", "date", "ts", "tstz")
_GEOMETRIC = ("point", "line", "lseg", "box", "path", "polygon", "circle")

FAMILIES: Mapping[str, ColumnKind] = MappingProxyType(
    {
        "array": "json",
        "hstore": "json",
        "inet": "string",
        "ipv4": "string",
        "ipv6": "string",
        "cidr": "string",
        "macaddr": "string",
        "macaddr8": "string",
        "interval": "string",
        "bit": "string",
        "varbit": "string",
        "tsvector": "text",
        "tsquery": "string",
        "xml": "text",
        "set": "string",
        "pg_lsn": "string",
        "jsonpath": "string",
        "txid_snapshot": "string",
        "pg_snapshot": "string",
        "ltree": "string",
        **{f"{r}range": "string" for r in _RANGES},
        **{f"{r}multirange": "string" for r in _RANGES},
        **dict.fromkeys(_GEOMETRIC, "string"),
        **{f"wkt_{s}": "string" for s in SPATIAL_TYPES},
    }
)
"""Every type family and the logical kind of its values."""

TEXT_SEARCH_CONFIGS = ("simple", "english", "german", "french", "spanish", "italian", "dutch")
"""``regconfig`` values: text search configurations every PostgreSQL has."""

TypeReader = Callable[[TypeEngine[Any]], tuple[ColumnKind, dict[str, Any]]]
"""Reads any type into its kind and facts (the adapter's own reader, for array elements)."""
Facts = tuple[ColumnKind, dict[str, Any]]

_INTEGER_BITS: tuple[tuple[type[TypeEngine[Any]], int], ...] = (
    (mysql.TINYINT, 8),
    (mysql.MEDIUMINT, 24),
    (sa.SmallInteger, 16),
    (sa.BigInteger, 64),
    (sa.Integer, 32),
)
_NARROW_BITS = 32
_PG_MONEY = {"precision": 18, "scale": 2}  # money holds ±92 quadrillion, in cents
_YEAR = {"minimum": 1901.0, "maximum": 2155.0, "type_range": (1901.0, 2155.0)}


def read_type(type_: TypeEngine[Any], name: str, read: TypeReader) -> Facts | None:
    """The kind and facts of a type that needs more than its generic kind, or None.

    Args:
        type_: The column's type (a ``TypeDecorator`` is read through its ``impl``).
        name: The column's name (an array's element is named after it: ``tags`` -> ``tag``).
        read: Reads an array's element type (the adapter's full reader).

    Returns:
        ``(kind, facts)`` where facts are :class:`~syda.schema.ir.Column` fields, or None when
        the generic kind says it all.
    """
    candidates = [type_]
    if isinstance(type_, sa.TypeDecorator):
        candidates.append(type_.impl_instance)
    for candidate in candidates:
        for cls, rule in _RULES:
            if isinstance(candidate, cls):
                found = rule(candidate, name, read)
                if found is not None:
                    return found
    return None


def integer_range(type_: TypeEngine[Any]) -> dict[str, Any]:
    """``type_range`` of a sized integer type, and the bounds it implies when it is narrow."""
    if isinstance(type_, sa.TypeDecorator):
        type_ = type_.impl_instance
    bits = next((b for cls, b in _INTEGER_BITS if isinstance(type_, cls)), None)
    unsigned = bool(getattr(type_, "unsigned", False))
    if bits is None:
        return {"minimum": 0.0} if unsigned and isinstance(type_, sa.Numeric) else {}
    if bits >= _NARROW_BITS and not unsigned:
        return {}  # no draw comes near 2**31: the type says nothing a generator needs
    low, high = (0, 2**bits - 1) if unsigned else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    facts: dict[str, Any] = {"type_range": (float(low), float(min(high, MAX_INTEGER_BOUND)))}
    if bits < _NARROW_BITS:
        facts.update(minimum=float(low), maximum=float(high))
    else:
        facts["minimum"] = 0.0
    return facts


def singular(name: str) -> str:
    """The name of one element of a list called ``name`` (``tags`` -> ``tag``)."""
    for plural, one in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"),
                        ("shes", "sh"), ("ses", "s")):  # fmt: skip
        if name.lower().endswith(plural) and len(name) > len(plural) + 1:
            return name[: -len(plural)] + one
    if name.lower().endswith("s") and not name.lower().endswith("ss") and len(name) > 2:
        return name[:-1]
    return name


def _family(name: str, **facts: Any) -> Facts:
    return FAMILIES[name], {"db_type": DbType(name), **facts}


def _array(type_: Any, name: str, read: TypeReader) -> Facts:
    element = _element(type_.item_type, singular(name), read)
    dimensions = int(getattr(type_, "dimensions", None) or 1)
    return "json", {"db_type": DbType("array", element=element, dimensions=dimensions)}


def _element(item: TypeEngine[Any], name: str, read: TypeReader) -> Column:
    checks: list[str] = []
    if isinstance(item, postgresql.DOMAIN):
        if item.check is not None:
            checks.append(str(item.check))
        item = item.data_type
    kind, facts = read(item)
    facts.pop("sql_type", None)
    element = Column(name=name, kind=kind, nullable=False, sql_type=_type_text(item), **facts)
    if not checks:
        return element
    quoted = '"' + name.replace('"', '""') + '"'
    texts = [(_VALUE.sub(lambda m: quoted if m.group(0) == "VALUE" else m.group(0), c), None)
             for c in checks]  # fmt: skip
    return fold_checks([element], texts).columns[0]


_PG_DIALECT: sa.Dialect = cast(Any, postgresql.base.PGDialect)()
_VALUE = re.compile(r"'(?:[^']|'')*'|\bVALUE\b")


def _type_text(type_: TypeEngine[Any]) -> str:
    try:
        return str(type_.compile(dialect=_PG_DIALECT))
    except (exc.SQLAlchemyError, NotImplementedError, TypeError, AttributeError):
        return type(type_).__name__.upper()  # a type of another dialect: its class name says it


def _bit(type_: Any, name: str, read: TypeReader) -> Facts:
    if type_.varying:
        return _family("varbit", length=type_.length) if type_.length else _family("varbit")
    return _family("bit", length=type_.length or 1)


def _range(type_: Any, name: str, read: TypeReader) -> Facts:
    found = type(type_).__name__.lower()
    return _family(found) if found in FAMILIES else _family("int4range")


def _database_type(type_: Any, name: str, read: TypeReader) -> Facts | None:
    found = type_.type_name
    if isinstance(type_, Spatial):
        return _family(f"wkt_{found}")
    if found == "inet4":
        return _family("ipv4")
    if found == "inet6":
        return _family("ipv6")
    return _family(found) if found in FAMILIES else None


def _mysql_bit(type_: Any, name: str, read: TypeReader) -> Facts:
    length = int(type_.length or 1)
    if length == 1:
        return "boolean", {}
    high = float(min(2**length - 1, MAX_INTEGER_BOUND))
    facts: dict[str, Any] = {"type_range": (0.0, high), "minimum": 0.0}
    if length < _NARROW_BITS:
        facts["maximum"] = high
    return "integer", facts


def _tinyint(type_: Any, name: str, read: TypeReader) -> Facts | None:
    # MySQL writes BOOLEAN as TINYINT(1); an unsigned one is a small number (a position).
    if getattr(type_, "display_width", None) == 1 and not getattr(type_, "unsigned", False):
        return "boolean", {}
    return None


def _set(type_: Any, name: str, read: TypeReader) -> Facts:
    return "string", {"db_type": DbType("set", members=tuple(type_.values))}


def _const(kind: ColumnKind, **facts: Any) -> Callable[[Any, str, TypeReader], Facts]:
    return lambda type_, name, read: (kind, dict(facts))


def _named(family: str) -> Callable[[Any, str, TypeReader], Facts]:
    return lambda type_, name, read: _family(family)


_Rule = Callable[[Any, str, TypeReader], "Facts | None"]
# Order matters where classes nest (a PostgreSQL ARRAY is an sa.ARRAY; CITEXT is plain text).
_RULES: tuple[tuple[type[Any] | tuple[type[Any], ...], _Rule], ...] = (
    (sa.ARRAY, _array),
    (postgresql.HSTORE, _named("hstore")),
    (postgresql.INET, _named("inet")),
    (postgresql.CIDR, _named("cidr")),
    (postgresql.MACADDR8, _named("macaddr8")),
    (postgresql.MACADDR, _named("macaddr")),
    (sa.Interval, _named("interval")),
    (postgresql.INTERVAL, _named("interval")),
    (postgresql.BIT, _bit),
    (postgresql.TSVECTOR, _named("tsvector")),
    (postgresql.TSQUERY, _named("tsquery")),
    ((ranges.AbstractSingleRange, ranges.AbstractMultiRange), _range),
    (postgresql.MONEY, _const("decimal", **_PG_MONEY)),
    (postgresql.OID, _const("integer", minimum=0.0, type_range=(0.0, float(2**32 - 1)))),
    (postgresql.REGCONFIG, _const("string", choices=TEXT_SEARCH_CONFIGS)),
    (DatabaseType, _database_type),
    (mysql.YEAR, _const("integer", semantic="year", **_YEAR)),
    (mysql.BIT, _mysql_bit),
    (mysql.SET, _set),
    (mysql.TINYINT, _tinyint),
)
