"""Database values read back in the shape syda generates them, by the database's own rendering.

Drivers hand back richer objects than the text syda writes: psycopg reads ``inet`` as
``IPv4Address``, ranges as ``Range``, ``interval`` as ``timedelta``, ``money`` as ``'$9.99'``,
arrays of enums or domains as their literal text; MySQL keeps spatial values in a binary format.
Validation and append mode compare what is stored with what syda makes, so each such column is
selected through an expression that renders it the way syda writes it: PostgreSQL's text of the
value, arrays and ``hstore`` as JSON, ``money`` as a number; MySQL geometries as WKT, bits as
integers and times as times of day (pymysql reads them as durations).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects.postgresql import DOMAIN, MONEY
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine

from syda.schema.ir import Column

__all__ = ["read_as"]

_AS_JSON = frozenset({"array"})


def read_as(
    column: Column, selected: ColumnElement[Any], stored: TypeEngine[Any], dialect: str
) -> ColumnElement[Any]:
    """``selected`` rendered as syda writes ``column``'s values.

    Args:
        column: The schema's column.
        selected: The column as the query selects it (untyped: no SQLAlchemy conversion).
        stored: The column's type in the database (as reflected).
        dialect: The database's dialect name.
    """
    name = column.name
    if isinstance(stored, DOMAIN):
        stored = stored.data_type
    db_type = column.db_type.name if column.db_type is not None else None
    if dialect == "postgresql":
        if db_type in _AS_JSON:
            return sa.func.to_json(selected).label(name)
        if db_type == "hstore":
            return sa.func.hstore_to_json(selected).label(name)
        if db_type is not None:
            return sa.cast(selected, sa.Text).label(name)
        if isinstance(stored, MONEY):
            return sa.cast(selected, sa.Numeric).label(name)
    elif dialect in ("mysql", "mariadb"):
        if db_type is not None and db_type.startswith("wkt_"):
            return sa.func.ST_AsText(selected).label(name)
        if db_type in ("ipv4", "ipv6"):
            return sa.cast(selected, sa.String).label(name)
        if isinstance(stored, mysql.BIT):
            return (selected + 0).label(name)  # BIT values come back as bytes
        if isinstance(stored, sa.Time):
            return sa.func.TIME_FORMAT(selected, "%H:%i:%s.%f").label(name)  # not a timedelta
    return selected
