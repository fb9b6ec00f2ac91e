"""Reading every row of a database's tables back, as the database stores them, for validation.

Values are selected without SQLAlchemy's result processing (each column is read as its raw
DBAPI value): a date SQLite stores in a malformed way must reach validation as the text it is,
not crash the read, and a ``NUMERIC`` column on SQLite must not go through the float-to-Decimal
conversion SQLAlchemy warns about. :func:`~syda.cli.datafiles.coerce_frame` then gives every
column its kind's Python type, exactly as for files.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from syda.cli.datafiles import coerce_frame
from syda.schema.ir import Schema

__all__ = ["read_tables"]


def read_tables(schema: Schema, url: str, db_schema: str | None = None) -> dict[str, pd.DataFrame]:
    """Read every row of every table of ``schema`` that the database has.

    A table the database lacks has no frame (validation reports it as missing); a column it
    lacks is left out of its frame (validation reports that too).

    Args:
        schema: The tables to read (their SQL names and, unless ``db_schema`` is given, their
            database schemas).
        url: The database URL.
        db_schema: The database schema (namespace) to read from.

    Raises:
        sqlalchemy.exc.SQLAlchemyError: If the database cannot be reached or read.
    """
    engine = sa.create_engine(url)
    frames: dict[str, pd.DataFrame] = {}
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            for table in schema:
                namespace = db_schema if db_schema is not None else table.schema
                if not inspector.has_table(table.name, schema=namespace):
                    continue
                present = {c["name"] for c in inspector.get_columns(table.name, schema=namespace)}
                names = [c for c in table.column_names if c in present]
                source = sa.table(table.name, *(sa.column(c) for c in names), schema=namespace)
                result = conn.execute(sa.select(*source.c))
                df = pd.DataFrame(result.fetchall(), columns=names)
                frames[table.key] = coerce_frame(table, df, text_encoded=True)
    finally:
        engine.dispose()
    return frames
