r"""DataFrame columns become the text of PostgreSQL's ``COPY ... FROM STDIN``, a column at a time.

Converting every cell to a Python value and handing psycopg one row at a time costs more than the
server's own work on a large load. Here each column of a chunk is turned into COPY's TEXT format
as a whole (``\N`` for NULL; backslash, tab, newline, carriage return, backspace, vertical tab
and form feed escaped), the columns are joined into lines, and each chunk goes to the server as
one block of bytes; a whole table is one ``COPY`` statement.

The text is the one psycopg's ``write_row`` sends for the values :mod:`syda.database.values`
makes, so the database stores the same values:

* integers (also those pandas widened to float for their NaNs) as integers; floats and
  ``NUMERIC`` from the float's shortest repr, so ``0.1`` stays ``0.1``; booleans ``t``/``f``;
* dates ``YYYY-MM-DD`` and timestamps in ISO form to the microsecond; a timezone-aware column
  is written as the instant (UTC) into ``timestamptz``, and as its wall-clock time into
  ``timestamp`` and ``date`` (where the server ignores an offset);
* text as it is; JSON by ``json.dumps`` (with :func:`~syda.database.values.json_default`).

Any other column (UUIDs, bytes, times, intervals, decimals, arrays, mixed objects...) goes through
the old converters and psycopg's own text dumpers, cell by cell, so it stays exactly as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.types import TypeEngine

from syda.database.values import column_values, json_default

__all__ = ["can_copy", "copy_frame", "copy_statement"]

Dump = Callable[[list[Any]], list[str | None]]
"""Text of Python values for the driver, the way psycopg dumps them (None stays None)."""

NULL = "\\N"
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\v": "\\v", "\f": "\\f"}
)
_SPECIAL = ("\\", "\t", "\n", "\r", "\b", "\v", "\f")
_INT64_LIMIT = 2.0**63


def can_copy(conn: sa.Connection) -> bool:
    """Whether ``conn`` loads by ``COPY`` (PostgreSQL through psycopg 3)."""
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def copy_statement(table: sa.Table, columns: Sequence[str]) -> Any:
    """``COPY table (columns) FROM STDIN`` as a psycopg SQL object."""
    from psycopg import sql  # psycopg is an optional extra

    # psycopg quotes the names itself: SQLAlchemy's quoting doubles "%" for its own driver calls.
    names = (table.schema, table.name) if table.schema else (table.name,)
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(*names), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )


def copy_frame(
    conn: sa.Connection,
    table: sa.Table,
    columns: Sequence[str],
    frame: pd.DataFrame,
    *,
    nulls: Sequence[str] = (),
    chunk_size: int = 5000,
) -> None:
    """Load the ``columns`` of ``frame`` into ``table``: one COPY, blocks of ``chunk_size`` rows.

    The columns in ``nulls`` are written as NULL whatever the frame holds (the keys that close a
    cycle, set later by UPDATE).
    """
    if frame.empty:
        return
    from psycopg.adapt import PyFormat, Transformer

    raw: Any = conn.connection.driver_connection
    encoding = raw.info.encoding
    transformer = Transformer(raw)

    def dump(values: list[Any]) -> list[str | None]:
        dumped = transformer.dump_sequence(values, [PyFormat.TEXT] * len(values))
        return [None if b is None else bytes(b).decode(encoding) for b in dumped]

    types = {c: table.c[c].type for c in columns}
    blank = set(nulls)
    with raw.cursor() as cursor, cursor.copy(copy_statement(table, columns)) as copy:
        for start in range(0, len(frame), chunk_size):
            part = frame.iloc[start : start + chunk_size]
            cells = [
                [NULL] * len(part) if c in blank else column_text(part[c], types[c], dump)
                for c in columns
            ]
            lines = "\n".join(map("\t".join, zip(*cells, strict=True)))
            copy.write((lines + "\n").encode(encoding))


def column_text(series: pd.Series, type_: TypeEngine[Any], dump: Dump) -> list[str]:
    """The COPY text of every cell of ``series`` for a column of ``type_``, escaped."""
    missing = series.isna().to_numpy(dtype=bool)
    present = series[~missing] if missing.any() else series
    text = _vectorised(present, type_)
    if text is None:
        text = _escaped(dump(column_values(present, type_)))
    if present is series:
        return text
    out = np.full(len(series), NULL, dtype=object)
    out[~missing] = text
    result: list[str] = out.tolist()
    return result


def _escaped(text: Sequence[str | None]) -> list[str]:
    """COPY's escapes applied to ``text``; None (a value the dumper made NULL) becomes NULL."""
    if None in text:
        return [NULL if t is None else t.translate(_ESCAPES) for t in text]
    cells: list[str] = list(text)  # type: ignore[arg-type]  # no None left
    joined = "".join(cells)
    if not any(ch in joined for ch in _SPECIAL):
        return cells
    return [t.translate(_ESCAPES) for t in cells]


def _vectorised(series: pd.Series, type_: TypeEngine[Any]) -> list[str] | None:
    """The text of ``series`` (no missing values) for the common cases, or None for the rest."""
    kind = series.dtype.kind
    if isinstance(series.dtype, pd.DatetimeTZDtype) or kind == "M":
        return _datetimes(series, type_)
    if isinstance(type_, sa.JSON):
        values = column_values(series, type_)
        return _escaped([json.dumps(v, default=json_default) for v in values])
    if isinstance(type_, sa.Boolean):
        return _booleans(series)
    if isinstance(type_, (sa.Integer, sa.Numeric)):  # sa.Float is a Numeric
        return _numbers(series, type_)
    if kind == "O" and not isinstance(type_, sa.Uuid):
        values = series.tolist()
        # Strings pass every converter unchanged, and psycopg sends them as they are.
        if set(map(type, values)) <= {str}:
            return _escaped(values)
    return None


def _booleans(series: pd.Series) -> list[str] | None:
    if series.dtype.kind != "b":
        return None
    flags = series.to_numpy(dtype=bool)
    result: list[str] = np.where(flags, "t", "f").tolist()
    return result


def _numbers(series: pd.Series, type_: TypeEngine[Any]) -> list[str] | None:
    kind = series.dtype.kind
    if kind in "iu":
        return [str(v) for v in series.tolist()]
    if kind != "f":
        return None
    floats = series.to_numpy(dtype=np.float64)
    if not np.isfinite(floats).all():
        return None  # inf: left to the converters, which spell it per type
    if isinstance(type_, sa.Integer):
        whole = np.array_equal(floats, np.floor(floats)) and np.abs(floats).max() < _INT64_LIMIT
        # An integer column that pandas widened to float for its NaNs: written as integers.
        return [str(v) for v in floats.astype(np.int64).tolist()] if whole else None
    # repr is the shortest text that reads back as the float (as Decimal(repr(x)) is).
    return [repr(v) for v in series.tolist()]


def _datetimes(series: pd.Series, type_: TypeEngine[Any]) -> list[str] | None:
    if not isinstance(type_, (sa.DateTime, sa.Date)):
        return None
    aware = isinstance(series.dtype, pd.DatetimeTZDtype)
    if isinstance(type_, sa.DateTime) and aware and type_.timezone:
        # timestamptz: the instant, in UTC (the aware value's offset says the same).
        utc = series.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[us]")
        return [t + "+00:00" for t in np.datetime_as_string(utc, unit="us").tolist()]
    # timestamp and date keep the wall-clock time; the server would ignore an offset there.
    wall = series.dt.tz_localize(None) if aware else series
    unit: Literal["us", "D"] = "us" if isinstance(type_, sa.DateTime) else "D"
    stamps = wall.to_numpy(dtype="datetime64[us]")
    result: list[str] = np.datetime_as_string(stamps, unit=unit).tolist()
    return result
