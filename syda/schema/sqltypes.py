"""SQLAlchemy types for the database types SQLAlchemy itself does not know.

Reflection turns a column whose type SQLAlchemy's dialect does not recognise into ``NullType``
(with a warning), and nothing can be said about its values. These small types name what the
databases syda supports have and SQLAlchemy lacks: PostgreSQL's ``xml`` and geometric types, and
MySQL/MariaDB's spatial types and MariaDB's ``INET4``/``INET6``. :data:`POSTGRESQL_NAMES` and
:data:`MYSQL_NAMES` map the names reflection reads to them
(:func:`syda.database.reflect_types.teach_types` hands them to a dialect).

MySQL stores spatial values in an internal binary format, so a spatial type's bound value (a WKT
text such as ``POINT(13.4 52.5)``) is wrapped in ``ST_GeomFromText`` and, read back, in
``ST_AsText``: the frame, the CSV and the database all hold the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.types import TypeEngine, UserDefinedType

__all__ = [
    "MYSQL_NAMES",
    "POSTGRESQL_NAMES",
    "DatabaseType",
    "Spatial",
    "Unrecognised",
]


class DatabaseType(UserDefinedType[str]):
    """A type known by its name only; its values travel as text in the type's own syntax."""

    cache_ok = True
    type_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Reflection passes what the declaration says (a length, a collation): nothing to keep.
        super().__init__()

    def get_col_spec(self, **kw: Any) -> str:
        """The type's name in DDL."""
        return self.type_name.upper()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Unrecognised(DatabaseType):
    """A type neither SQLAlchemy nor syda knows, kept under its declared name for messages."""

    def __init__(self, name: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.type_name = name

    def get_col_spec(self, **kw: Any) -> str:
        """The type as the database declares it."""
        return self.type_name

    def __repr__(self) -> str:
        return f"Unrecognised({self.type_name!r})"


class Spatial(DatabaseType):
    """A MySQL/MariaDB spatial type: WKT text in and out."""

    def bind_expression(self, bindvalue: Any) -> Any:
        """Read the WKT text into the database's geometry."""
        return sa.func.ST_GeomFromText(bindvalue, type_=self)

    def column_expression(self, colexpr: Any) -> Any:
        """Read the geometry back as WKT text."""
        return sa.func.ST_AsText(colexpr, type_=self)


def _named(base: type[DatabaseType], name: str) -> type[DatabaseType]:
    cls_name = name.upper().replace(" ", "_")
    return cast("type[DatabaseType]", type(cls_name, (base,), {"type_name": name}))


# One class per name, so a reflected column's type says which one it is.
_PG = (
    "xml",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "pg_lsn",
    "jsonpath",
    "txid_snapshot",
    "pg_snapshot",
    "ltree",
)
SPATIAL_TYPES = (
    "geometry",
    "point",
    "linestring",
    "polygon",
    "multipoint",
    "multilinestring",
    "multipolygon",
    "geometrycollection",
)
_PG_TYPES = {name: _named(DatabaseType, name) for name in _PG}
_MY_TYPES: dict[str, type[DatabaseType]] = {
    **{name: _named(Spatial, name) for name in SPATIAL_TYPES},
    "inet4": _named(DatabaseType, "inet4"),
    "inet6": _named(DatabaseType, "inet6"),
}

POSTGRESQL_NAMES: Mapping[str, type[TypeEngine[Any]]] = MappingProxyType(dict(_PG_TYPES))
"""PostgreSQL type names (as ``format_type`` writes them) SQLAlchemy does not reflect."""
MYSQL_NAMES: Mapping[str, type[TypeEngine[Any]]] = MappingProxyType(dict(_MY_TYPES))
"""MySQL/MariaDB type names (as ``SHOW CREATE TABLE`` writes them) SQLAlchemy does not reflect."""
